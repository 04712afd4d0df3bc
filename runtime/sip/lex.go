package sip

import "encoding/binary"

// Character classes of RFC 3261 §25.1, written as functions rather than
// lookup tables so that the package holds no mutable state.

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func isAlpha(c byte) bool { c |= 0x20; return 'a' <= c && c <= 'z' }

func isAlnum(c byte) bool { return isDigit(c) || isAlpha(c) }

func isHex(c byte) bool {
	return isDigit(c) || ('a' <= c|0x20 && c|0x20 <= 'f')
}

func isWSP(c byte) bool { return c == ' ' || c == '\t' }

// isLWSByte reports bytes that may appear in linear white space inside a
// header value. The indexer guarantees that CR and LF inside a value only
// occur as CRLF followed by SP/HT (folding), so treating them as blanks is
// exact.
func isLWSByte(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

// Character classes as bits of charClass, a constant (read-only) table
// indexed by byte: one load per byte on the hot paths instead of a chain of
// comparisons. TestCharClass checks it against the RFC 3261 definitions.
const (
	clsToken      = 1 << iota // alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~"
	clsWord                   // token / "(" / ")" / "<" / ">" / ":" / "\" / DQUOTE / "/" / "[" / "]" / "?" / "{" / "}"
	clsUnreserved             // alphanum / mark
	clsUser                   // unreserved / "&" / "=" / "+" / "$" / "," / ";" / "?" / "/"
	clsPassword               // unreserved / "&" / "=" / "+" / "$" / ","
	clsParam                  // unreserved / "[" / "]" / "/" / ":" / "&" / "+" / "$"
	clsHeader                 // unreserved / "[" / "]" / "/" / "?" / ":" / "+" / "$"
	clsHost                   // alphanum / "-" / "." / "_" (underscore tolerated)
)

const charClass = "" +
	"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00" +
	"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00" +
	"\x00\x7f\x02\x00\x78\x03\x38\x7f\x7e\x7e\x7f\x7b\x18\xff\xff\x6a" +
	"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x62\x08\x02\x18\x02\x4a" +
	"\x00\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff" +
	"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x62\x02\x62\x00\xff" +
	"\x03\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff" +
	"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x02\x00\x02\x7f\x00" +
	"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00" +
	"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00" +
	"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00" +
	"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00" +
	"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00" +
	"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00" +
	"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00" +
	"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"

func isToken(c byte) bool        { return charClass[c]&clsToken != 0 }
func isWord(c byte) bool         { return charClass[c]&clsWord != 0 }
func isUnreserved(c byte) bool   { return charClass[c]&clsUnreserved != 0 }
func isUserChar(c byte) bool     { return charClass[c]&clsUser != 0 }
func isPasswordChar(c byte) bool { return charClass[c]&clsPassword != 0 }
func isParamChar(c byte) bool    { return charClass[c]&clsParam != 0 }
func isHeaderChar(c byte) bool   { return charClass[c]&clsHeader != 0 }
func isHostChar(c byte) bool     { return charClass[c]&clsHost != 0 }

// isReserved is the RFC 3261 "reserved" set; an escaped reserved character
// is not equivalent to the literal one when comparing URIs (§19.1.4).
func isReserved(c byte) bool {
	switch c {
	case ';', '/', '?', ':', '@', '&', '=', '+', '$', ',':
		return true
	}
	return false
}

func lower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 32
	}
	return c
}

// equalFold compares ASCII case-insensitively without allocating; b may
// be a string or a byte slice.
func equalFold[T string | []byte](a []byte, b T) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		if lower(a[i]) != lower(b[i]) {
			return false
		}
	}
	return true
}

func skipLWS(b []byte, i int) int {
	for i < len(b) && isLWSByte(b[i]) {
		i++
	}
	return i
}

func trimLWS(b []byte) []byte {
	i, j := 0, len(b)
	for i < j && isLWSByte(b[i]) {
		i++
	}
	for j > i && isLWSByte(b[j-1]) {
		j--
	}
	return b[i:j]
}

func scanToken(b []byte, i int) int {
	for i < len(b) && charClass[b[i]]&clsToken != 0 {
		i++
	}
	return i
}

// scanQuoted expects b[i] == '"' and returns the index after the closing
// quote, or -1 if the string is unterminated or holds a byte qdtext and
// quoted-pair do not allow.
func scanQuoted(b []byte, i int) int {
	i++
	for i < len(b) {
		c := b[i]
		switch {
		case c == '"':
			return i + 1
		case c == '\\':
			// quoted-pair = "\" (%x00-09 / %x0B-0C / %x0E-7F)
			if i+1 >= len(b) || b[i+1] == '\r' || b[i+1] == '\n' || b[i+1] >= 0x80 {
				return -1
			}
			i += 2
		case c == '\r' || c == '\n' || c == '\t' || c >= 0x20 && c != 0x7f:
			i++
		default:
			return -1
		}
	}
	return -1
}

// parseUint32 parses 1*DIGIT into a uint32, refusing overflow instead of
// wrapping (RFC 4475 scalar02/scalarlg; OpenSIPS issue 78).
func parseUint32(b []byte) (uint32, bool) {
	if len(b) == 0 {
		return 0, false
	}
	var n uint64
	for _, c := range b {
		if !isDigit(c) {
			return 0, false
		}
		n = n*10 + uint64(c-'0')
		if n > 0xFFFFFFFF {
			return 0, false
		}
	}
	return uint32(n), true
}

// checkEscapes verifies that every '%' starts a %HH escape and that every
// other byte satisfies ok.
func checkEscapes(b []byte, ok func(byte) bool) bool {
	for i := 0; i < len(b); i++ {
		c := b[i]
		if c == '%' {
			if i+2 >= len(b) {
				return false
			}
			if !isHex(b[i+1]) || !isHex(b[i+2]) {
				return false
			}
			i += 2
			continue
		}
		if !ok(c) {
			return false
		}
	}
	return true
}

func unhex(c byte) byte {
	switch {
	case isDigit(c):
		return c - '0'
	case 'a' <= c|0x20 && c|0x20 <= 'f':
		return c | 0x20 - 'a' + 10
	}
	return 0
}

// AppendUnescaped appends src with %HH escapes decoded once (never twice:
// "%2541" becomes "%41"). A '%' that does not start a valid escape is copied
// as is. NUL bytes are kept, never treated as terminators.
func AppendUnescaped(dst, src []byte) []byte {
	for i := 0; i < len(src); i++ {
		c := src[i]
		if c == '%' && i+2 < len(src) && isHex(src[i+1]) && isHex(src[i+2]) {
			dst = append(dst, unhex(src[i+1])<<4|unhex(src[i+2]))
			i += 2
			continue
		}
		dst = append(dst, c)
	}
	return dst
}

const hexDigits = "0123456789abcdef"

func appendUint(dst []byte, n uint64) []byte {
	var tmp [20]byte
	i := len(tmp)
	for {
		i--
		tmp[i] = byte('0' + n%10)
		n /= 10
		if n == 0 {
			break
		}
	}
	return append(dst, tmp[i:]...)
}

func appendHex64(dst []byte, n uint64) []byte {
	for s := 60; s >= 0; s -= 4 {
		dst = append(dst, hexDigits[(n>>uint(s))&0xf])
	}
	return dst
}

// uriTextOK reports that u holds no byte <= ' ', no DEL, '<', '>' or '"':
// the shape check of a URI as written in a start line or between <>. Eight
// bytes per step; each SWAR test below is exact as "some byte matches".
func uriTextOK(u []byte) bool {
	const lo = 0x0101010101010101
	const hi = 0x8080808080808080
	for ; len(u) >= 8; u = u[8:] {
		x := binary.LittleEndian.Uint64(u)
		// any byte < 0x21 (bytes >= 0x80 never count), then any byte
		// equal to DEL, '<', '>' or '"'
		a, b, c, d := x^(lo*0x7f), x^(lo*'<'), x^(lo*'>'), x^(lo*'"')
		t := (x-lo*0x21)&^x | (a-lo)&^a | (b-lo)&^b | (c-lo)&^c | (d-lo)&^d
		if t&hi != 0 {
			return false
		}
	}
	for _, c := range u {
		if c <= ' ' || c == 0x7f || c == '<' || c == '>' || c == '"' {
			return false
		}
	}
	return true
}
