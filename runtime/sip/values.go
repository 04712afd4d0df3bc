package sip

import "bytes"

// ValueIter splits one header value on commas that are outside quoted
// strings and <...>. Elements are trimmed of LWS; an empty value yields no
// element, and an empty element between commas is returned as empty so that
// typed parsers can refuse it.
type ValueIter struct {
	rest []byte
	done bool
}

// SplitValues returns an iterator over the elements of v.
func SplitValues(v []byte) ValueIter {
	v = trimLWS(v)
	return ValueIter{rest: v, done: len(v) == 0}
}

// Next returns the next element, or false at the end.
func (it *ValueIter) Next() ([]byte, bool) {
	if it.done {
		return nil, false
	}
	i := commaIndex(it.rest)
	if i < 0 {
		it.done = true
		return trimLWS(it.rest), true
	}
	e := trimLWS(it.rest[:i])
	it.rest = it.rest[i+1:]
	return e, true
}

// commaIndex finds the first separating comma. An unterminated quote or '<'
// swallows the rest, leaving the error to the typed parser.
func commaIndex(b []byte) int {
	// Fast path (SIMD searches): no comma at all, or a first comma with no
	// quote or '<' before it, which therefore separates.
	c := bytes.IndexByte(b, ',')
	if c < 0 {
		return -1
	}
	if bytes.IndexByte(b[:c], '"') < 0 && bytes.IndexByte(b[:c], '<') < 0 {
		return c
	}
	return commaIndexSlow(b)
}

func commaIndexSlow(b []byte) int {
	quoted, angle := false, false
	for i := 0; i < len(b); i++ {
		c := b[i]
		switch {
		case quoted:
			if c == '\\' {
				i++
			} else if c == '"' {
				quoted = false
			}
		case c == '"':
			quoted = true
		case angle:
			if c == '>' {
				angle = false
			}
		case c == '<':
			angle = true
		case c == ',':
			return i
		}
	}
	return -1
}

// CSeq is a parsed CSeq header.
type CSeq struct {
	Num      uint32 // 0 to 2^32-1; larger values are refused, never wrapped
	Method   []byte
	MethodID Method
}

// ParseCSeq parses "1*DIGIT LWS Method".
func ParseCSeq(b []byte) (CSeq, error) {
	b = trimLWS(b)
	i := 0
	for i < len(b) && isDigit(b[i]) {
		i++
	}
	n, ok := parseUint32(b[:i])
	if !ok {
		return CSeq{}, newErr(ErrSyntax, "Bad CSeq number", 0)
	}
	j := skipLWS(b, i)
	if j == i {
		return CSeq{}, newErr(ErrSyntax, "Bad CSeq", i)
	}
	k := scanToken(b, j)
	if k == j || k != len(b) {
		return CSeq{}, newErr(ErrSyntax, "Bad CSeq method", j)
	}
	return CSeq{Num: n, Method: b[j:k], MethodID: LookupMethod(b[j:k])}, nil
}

// validCallID checks callid = word [ "@" word ].
func validCallID(b []byte) bool {
	if len(b) == 0 {
		return false
	}
	at := false
	for i, c := range b {
		if c == '@' {
			if at || i == 0 || i == len(b)-1 {
				return false
			}
			at = true
			continue
		}
		if !isWord(c) {
			return false
		}
	}
	return true
}
