package sip

import "bytes"

// Framing says how the end of a message is found.
type Framing uint8

const (
	// Datagram: one UDP datagram (RFC 3261 §18.3). Content-Length, when
	// present, ends the message and trailing bytes are discarded; when absent
	// the body is the rest of the datagram; a body shorter than announced is
	// ErrFraming.
	Datagram Framing = iota
	// Stream: one message already cut out of a stream by a Framer.
	// Content-Length is mandatory and must cover exactly the remaining bytes.
	Stream
	// StreamNoCL is Stream where a missing Content-Length means no body,
	// for a Framer with AcceptNoCL (tcp_accept_no_cl).
	StreamNoCL
)

// Default limits (Kamailio's BUF_SIZE; a header count no sane peer reaches).
const (
	DefaultMaxSize    = 65535
	DefaultMaxHeaders = 512
	maxHeadersCap     = 1 << 15
)

// Limits bound what Parse and Framer accept. Zero fields mean the defaults.
type Limits struct {
	MaxSize    int // bytes of one message, start line to end of body
	MaxHeaders int // header fields (lines, folded lines counting once)
}

func (l Limits) resolved() Limits {
	if l.MaxSize <= 0 {
		l.MaxSize = DefaultMaxSize
	}
	if l.MaxHeaders <= 0 {
		l.MaxHeaders = DefaultMaxHeaders
	}
	if l.MaxHeaders > maxHeadersCap {
		l.MaxHeaders = maxHeadersCap
	}
	return l
}

// Parse indexes the message in b without copying it: the start line, every
// header's name and value span and type, and the body. Typed header values
// are parsed later, on demand. b must not be modified while the Message uses
// it. Parse reuses m's storage: a pooled Message parses without allocating.
//
// Parse checks structure only (start line, header syntax, duplicates of
// single-instance headers, Content-Length framing). Validate adds the checks
// a proxy needs before routing.
//
// On an ErrDuplicate error the header index is complete, so a 400 reply can
// still be built with AppendReply.
func (m *Message) Parse(b []byte, f Framing) error {
	m.Reset()
	lim := m.Limits.resolved()
	if len(b) > lim.MaxSize {
		return newErr(ErrTooLarge, "Message Too Large", lim.MaxSize)
	}
	le, err := m.parseStartLine(b)
	if err != nil {
		return err
	}
	m.buf = b
	he, semErr, err := m.indexHeaders(b, le+2, lim.MaxHeaders)
	if err != nil {
		return err
	}
	m.hdrEnd = he
	bodyOff := he + 2
	m.bodyOff = bodyOff
	switch {
	case m.cl >= 0 && f != Datagram:
		if bodyOff+m.cl != len(b) {
			return newErr(ErrFraming, "Content-Length does not match the message", bodyOff)
		}
	case m.cl >= 0:
		if bodyOff+m.cl > len(b) {
			return newErr(ErrFraming, "Content-Length exceeds body", bodyOff)
		}
		// RFC 3261 §18.3: octets after the announced body are discarded.
		m.buf = b[:bodyOff+m.cl]
	case f == Stream:
		return newErr(ErrFraming, "Missing Content-Length", bodyOff)
	case f == StreamNoCL && bodyOff != len(b):
		return newErr(ErrFraming, "Body without Content-Length", bodyOff)
	}
	if semErr != nil {
		return semErr
	}
	return nil
}

// parseStartLine parses the request or status line and returns the offset
// of its CR.
func (m *Message) parseStartLine(b []byte) (int, error) {
	nl := bytes.IndexByte(b, '\n')
	if nl < 0 {
		return 0, newErr(ErrFraming, "Start line not terminated", len(b))
	}
	if nl == 0 || b[nl-1] != '\r' {
		return 0, newErr(ErrSyntax, "Bad start line", nl)
	}
	line := b[:nl-1]
	if bytes.IndexByte(line, '\r') >= 0 {
		return 0, newErr(ErrSyntax, "Bad start line", 0)
	}
	if len(line) >= 4 && equalFold(line[:4], "SIP/") {
		return nl - 1, m.parseStatusLine(line)
	}
	return nl - 1, m.parseRequestLine(line)
}

func (m *Message) parseRequestLine(line []byte) error {
	sp := bytes.IndexByte(line, ' ')
	if sp <= 0 {
		return newErr(ErrSyntax, "Bad request line", 0)
	}
	method := line[:sp]
	for _, c := range method {
		if !isToken(c) {
			return newErr(ErrSyntax, "Bad method", 0)
		}
	}
	rest := line[sp+1:]
	sp2 := bytes.IndexByte(rest, ' ')
	if sp2 <= 0 {
		// sp2 == 0 is a double space (RFC 4475 lwsstart); < 0 no version.
		return newErr(ErrSyntax, "Bad request line", sp+1)
	}
	ruri := rest[:sp2]
	ver := rest[sp2+1:]
	if !uriSchemeOK(ruri) {
		return newErr(ErrSyntax, "Bad Request-URI", sp+1)
	}
	if !uriTextOK(ruri) {
		return newErr(ErrSyntax, "Bad Request-URI", sp+1)
	}
	if err := checkVersion(ver, sp+sp2+2); err != nil {
		return err
	}
	m.request = true
	m.method = method
	m.methodID = LookupMethod(method)
	m.ruri = ruri
	m.version = ver
	return nil
}

func (m *Message) parseStatusLine(line []byte) error {
	sp := bytes.IndexByte(line, ' ')
	if sp < 0 {
		return newErr(ErrSyntax, "Bad status line", 0)
	}
	if err := checkVersion(line[:sp], 0); err != nil {
		return err
	}
	rest := line[sp+1:]
	// Exactly three digits: longer numbers (RFC 4475 bigcode 4294967301) are
	// refused before any arithmetic can overflow.
	if len(rest) < 3 || !isDigit(rest[0]) || !isDigit(rest[1]) || !isDigit(rest[2]) ||
		(len(rest) > 3 && rest[3] != ' ') {
		return newErr(ErrSyntax, "Bad status code", sp+1)
	}
	code := int(rest[0]-'0')*100 + int(rest[1]-'0')*10 + int(rest[2]-'0')
	if code < 100 || code > 699 {
		return newErr(ErrSyntax, "Bad status code", sp+1)
	}
	var reason []byte
	if len(rest) > 3 {
		reason = rest[4:]
	}
	for _, c := range reason {
		if c < ' ' && c != '\t' || c == 0x7f {
			return newErr(ErrSyntax, "Bad reason phrase", sp+5)
		}
	}
	m.request = false
	m.version = line[:sp]
	m.status = code
	m.reason = reason
	return nil
}

// uriSchemeOK checks scheme ":" at the start of a URI.
func uriSchemeOK(u []byte) bool {
	if len(u) == 0 || !isAlpha(u[0]) {
		return false
	}
	for i := 1; i < len(u); i++ {
		c := u[i]
		if c == ':' {
			return true
		}
		if !isAlnum(c) && c != '+' && c != '-' && c != '.' {
			return false
		}
	}
	return false
}

// checkVersion: "SIP/2.0" passes; another well-formed SIP-Version is
// ErrVersion (505); anything else ErrSyntax.
func checkVersion(v []byte, off int) error {
	if len(v) < 4 || !equalFold(v[:4], "SIP/") {
		return newErr(ErrSyntax, "Bad SIP version", off)
	}
	r := v[4:]
	dot := bytes.IndexByte(r, '.')
	if dot <= 0 || dot == len(r)-1 {
		return newErr(ErrSyntax, "Bad SIP version", off)
	}
	for i, c := range r {
		if i != dot && !isDigit(c) {
			return newErr(ErrSyntax, "Bad SIP version", off)
		}
	}
	if string(r) != "2.0" {
		return newErr(ErrVersion, "Version Not Supported", off)
	}
	return nil
}

// indexHeaders records every header from offset i up to the blank line and
// returns the offset of that blank line's CR. Structural problems are
// returned as err at once; a duplicated single-instance header other than
// Content-Length is returned as semErr after the whole section is indexed,
// because it does not make the framing doubtful.
func (m *Message) indexHeaders(b []byte, i int, maxHeaders int) (end int, semErr error, err error) {
	from := i
	crlfs := 0 // CRLFs consumed; compared with the LF count at the end
	for {
		if i >= len(b) {
			return 0, nil, newErr(ErrFraming, "Header section not terminated", i)
		}
		if b[i] == '\r' {
			if i+1 < len(b) && b[i+1] == '\n' {
				// Lines are split on CR; one count of LF over the whole
				// section (SIMD-fast) then proves there was no bare LF,
				// which some parsers would take as a line end (smuggling).
				if bytes.Count(b[from:i+2], []byte{'\n'}) != crlfs+1 {
					return 0, nil, newErr(ErrSyntax, "Bare LF in header", from+bytes.IndexByte(b[from:], '\n'))
				}
				return i, semErr, nil
			}
			if i+1 >= len(b) {
				return 0, nil, newErr(ErrFraming, "Header section not terminated", i)
			}
			return 0, nil, newErr(ErrSyntax, "Bad header line", i)
		}
		start := i
		j := scanToken(b, i)
		nameEnd := j
		if j == i {
			// Covers "To\x01:" (CVE-2016-9938), folding of the first header
			// onto the start line, and lines without a name.
			return 0, nil, newErr(ErrSyntax, "Bad header name", i)
		}
		for j < len(b) && isWSP(b[j]) {
			j++
		}
		if j >= len(b) {
			return 0, nil, newErr(ErrFraming, "Header section not terminated", j)
		}
		if b[j] != ':' {
			return 0, nil, newErr(ErrSyntax, "Bad header name", j)
		}
		j++
		vs := j
		k := j
		var lineEnd, next int
		// Each pass consumes at least one line, so the loop is bounded by
		// the input length.
		for {
			cr := bytes.IndexByte(b[k:], '\r')
			if cr < 0 {
				return 0, nil, newErr(ErrFraming, "Header section not terminated", len(b))
			}
			cr += k
			if cr+2 >= len(b) {
				return 0, nil, newErr(ErrFraming, "Header section not terminated", len(b))
			}
			if b[cr+1] != '\n' {
				return 0, nil, newErr(ErrSyntax, "Bare CR in header", cr)
			}
			crlfs++
			if isWSP(b[cr+2]) {
				k = cr + 2
				continue
			}
			lineEnd, next = cr, cr+2
			break
		}
		for vs < lineEnd && isLWSByte(b[vs]) {
			vs++
		}
		ve := lineEnd
		for ve > vs && isLWSByte(b[ve-1]) {
			ve--
		}
		if len(m.hdrs) >= maxHeaders {
			return 0, nil, newErr(ErrTooLarge, "Too many headers", start)
		}
		t := LookupHeader(b[start:nameEnd])
		if t != HdrOther {
			if m.first[t] == 0 {
				m.first[t] = int32(len(m.hdrs) + 1)
			} else if t.single() {
				if t == HdrContentLength {
					// Framing and parsing must agree on one length; with
					// two there is no safe choice (RFC 4475 mcl01).
					return 0, nil, newErr(ErrFraming, "Duplicate Content-Length", start)
				}
				if semErr == nil {
					semErr = newErr(ErrDuplicate, "Duplicate "+t.String(), start)
				}
			}
			if t == HdrContentLength {
				n, ok := parseUint32(b[vs:ve])
				if !ok {
					return 0, nil, newErr(ErrFraming, "Bad Content-Length", vs)
				}
				if n > 1<<30 {
					// Keeps int arithmetic safe on 32-bit platforms; far
					// above any accepted message size anyway.
					return 0, nil, newErr(ErrTooLarge, "Content-Length too large", vs)
				}
				m.cl = int(n)
			}
		}
		// Fill the new entry in place: building a Header value and
		// appending it costs a store-forwarding stall per header.
		n := len(m.hdrs)
		if n < cap(m.hdrs) {
			m.hdrs = m.hdrs[:n+1]
		} else {
			m.hdrs = append(m.hdrs, Header{})
		}
		h := &m.hdrs[n]
		h.Type = t
		h.Name = b[start:nameEnd]
		h.Value = b[vs:ve]
		h.off, h.end, h.voff = int32(start), int32(next), int32(vs)
		i = next
	}
}
