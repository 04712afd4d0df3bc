package sip

import "strconv"

// ErrorKind classifies why a message was refused. It is an error itself, so
// errors.Is(err, sip.ErrVersion) works on every *ParseError this package
// returns; callers switch on the kind to pick 400, 505, 513, a silent drop or
// closing a stream.
type ErrorKind uint8

// Error kinds. The comment says what a proxy is expected to do.
const (
	// ErrSyntax: malformed start line, header or value; a request gets 400.
	ErrSyntax ErrorKind = iota + 1
	// ErrVersion: SIP version other than 2.0; a request gets 505.
	ErrVersion
	// ErrMissing: a mandatory header is absent; a request gets 400.
	ErrMissing
	// ErrDuplicate: a single-instance header (Call-ID, CSeq, From, To,
	// Max-Forwards, Content-Length) appears twice; a request gets 400.
	ErrDuplicate
	// ErrFraming: the end of the message cannot be trusted (bad, duplicate
	// or missing Content-Length, body shorter than announced, header section
	// not terminated). On a datagram a request gets 400; a stream must be
	// closed.
	ErrFraming
	// ErrTooLarge: a size or count limit was hit; 513 on a datagram, close
	// on a stream.
	ErrTooLarge
)

// Error implements error.
func (k ErrorKind) Error() string {
	switch k {
	case ErrSyntax:
		return "sip: syntax error"
	case ErrVersion:
		return "sip: unsupported version"
	case ErrMissing:
		return "sip: missing header"
	case ErrDuplicate:
		return "sip: duplicate header"
	case ErrFraming:
		return "sip: framing error"
	case ErrTooLarge:
		return "sip: message too large"
	}
	return "sip: error " + strconv.Itoa(int(k))
}

// Code is the status code a request failing this way should be answered with.
func (k ErrorKind) Code() int {
	switch k {
	case ErrVersion:
		return 505
	case ErrTooLarge:
		return 513
	}
	return 400
}

// ParseError describes a refused message or value.
type ParseError struct {
	Kind   ErrorKind
	Code   int    // suggested status code for a reply to a request (400, 505, 513)
	Reason string // short reason phrase usable in the reply, e.g. "Bad CSeq"
	Offset int    // byte offset of the problem within the parsed input, -1 if unknown
	Err    error  // underlying cause, if any
}

// Error implements error.
func (e *ParseError) Error() string {
	s := "sip: " + e.Reason
	if e.Offset >= 0 {
		s += " at offset " + strconv.Itoa(e.Offset)
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap exposes both the kind and the cause to errors.Is / errors.As.
func (e *ParseError) Unwrap() []error {
	if e.Err != nil {
		return []error{e.Kind, e.Err}
	}
	return []error{e.Kind}
}

func newErr(k ErrorKind, reason string, off int) *ParseError {
	return &ParseError{Kind: k, Code: k.Code(), Reason: reason, Offset: off}
}

// wrapErr re-labels a value-level error (from ParseVia, ParseURI, ...) with
// the header it came from, keeping the cause reachable through %w-style
// unwrapping.
func wrapErr(reason string, off int, cause error) *ParseError {
	k := ErrSyntax
	if pe, ok := cause.(*ParseError); ok && pe.Kind != 0 {
		k = pe.Kind
	}
	return &ParseError{Kind: k, Code: k.Code(), Reason: reason, Offset: off, Err: cause}
}
