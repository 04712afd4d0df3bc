package pv

import (
	"crypto/md5"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"strings"
)

// trCodecFn returns the function of the argument-less {s.*} encodings,
// hashes and escapes, nil for other names.
func trCodecFn(name string) trFunc {
	switch name {
	case "md5":
		return trSMD5
	case "sha256":
		return trSSHA256
	case "sha384":
		return trSSHA384
	case "sha512":
		return trSSHA512
	case "encode.hexa":
		return trSEncodeHexa
	case "decode.hexa":
		return trSDecodeHexa
	case "encode.7bit":
		return trSEncode7bit
	case "decode.7bit":
		return trSDecode7bit
	case "encode.base58":
		return trSEncodeBase58
	case "decode.base58":
		return trSDecodeBase58
	case "encode.base64":
		return trSEncodeBase64
	case "decode.base64":
		return trSDecodeBase64
	case "encode.base64t":
		return trSEncodeBase64T
	case "decode.base64t":
		return trSDecodeBase64T
	case "encode.base64url":
		return trSEncodeBase64URL
	case "decode.base64url", "decode.base64urlt":
		// Kamailio's base64url decoder already tolerates missing padding.
		return trSDecodeBase64URL
	case "encode.base64urlt":
		return trSEncodeBase64URLT
	case "escape.common":
		return trSEscapeCommon
	case "unescape.common":
		return trSUnescapeCommon
	case "escape.user":
		return trSEscapeUser
	case "escape.param":
		return trSEscapeParam
	case "unescape.user", "unescape.param":
		return trSUnescapeUser
	case "escape.csv":
		return trSEscapeCSV
	case "urlencode.param":
		return trSURLEncode
	case "urldecode.param":
		return trSURLDecode
	}
	return nil
}

// trHexDigest appends the lowercase hex of sum.
func trHexDigest(st *State, sum []byte) (Value, bool) {
	start := len(st.Arena)
	st.Arena = hex.AppendEncode(st.Arena, sum)
	return trDone(st, start)
}

func trSMD5(st *State, _ *Tr, v Value) (Value, bool) {
	s, ok := trText(st, v)
	if !ok {
		return Null(), false
	}
	sum := md5.Sum(trBytes(s))
	return trHexDigest(st, sum[:])
}

func trSSHA256(st *State, _ *Tr, v Value) (Value, bool) {
	s, ok := trText(st, v)
	if !ok {
		return Null(), false
	}
	sum := sha256.Sum256(trBytes(s))
	return trHexDigest(st, sum[:])
}

func trSSHA384(st *State, _ *Tr, v Value) (Value, bool) {
	s, ok := trText(st, v)
	if !ok {
		return Null(), false
	}
	sum := sha512.Sum384(trBytes(s))
	return trHexDigest(st, sum[:])
}

func trSSHA512(st *State, _ *Tr, v Value) (Value, bool) {
	s, ok := trText(st, v)
	if !ok {
		return Null(), false
	}
	sum := sha512.Sum512(trBytes(s))
	return trHexDigest(st, sum[:])
}

func trSEncodeHexa(st *State, _ *Tr, v Value) (Value, bool) {
	s, ok := trText(st, v)
	if !ok {
		return Null(), false
	}
	return trHexDigest(st, trBytes(s))
}

func trUnhex(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// trSDecodeHexa decodes pairs of hex digits; an odd last digit is ignored
// and a non-hex digit fails.
func trSDecodeHexa(st *State, _ *Tr, v Value) (Value, bool) {
	s, ok := trText(st, v)
	if !ok {
		return Null(), false
	}
	start := len(st.Arena)
	for i := 0; i+1 < len(s); i += 2 {
		hi, ok1 := trUnhex(s[i])
		lo, ok2 := trUnhex(s[i+1])
		if !ok1 || !ok2 {
			st.Arena = st.Arena[:start]
			return Null(), false
		}
		st.Arena = append(st.Arena, hi<<4|lo)
	}
	return trDone(st, start)
}

const trUpperHex = "0123456789ABCDEF"

// trSEncode7bit packs 8-bit characters into 7-bit GSM PDU septets, as
// uppercase hex (Kamailio's pdu_7bit_encode).
func trSEncode7bit(st *State, _ *Tr, v Value) (Value, bool) {
	s, ok := trText(st, v)
	if !ok {
		return Null(), false
	}
	at := func(i int) byte {
		if i < len(s) {
			return s[i]
		}
		return 0
	}
	start := len(st.Arena)
	nleft, k := uint(1), 0
	for i := 0; i < len(s); i++ {
		h := at(k)>>(nleft-1) | at(k+1)<<(8-nleft)
		st.Arena = append(st.Arena, trUpperHex[h>>4], trUpperHex[h&15])
		nleft++
		if nleft == 8 {
			k++
			i++
			nleft = 1
		}
		k++
	}
	return trDone(st, start)
}

// trHexToChar is Kamailio's unchecked hex_to_char.
func trHexToChar(c byte) byte {
	if c >= '0' && c <= '9' {
		return c - '0'
	}
	if c >= 'A' && c <= 'Z' {
		c += 'a' - 'A'
	}
	return c - 'a' + 10
}

// trSDecode7bit unpacks hex GSM PDU septets (Kamailio's pdu_7bit_decode).
func trSDecode7bit(st *State, _ *Tr, v Value) (Value, bool) {
	s, ok := trText(st, v)
	if !ok {
		return Null(), false
	}
	start := len(st.Arena)
	nleft := uint(1)
	var oldfill byte
	for i := 0; i < len(s); i += 2 {
		var lo byte
		if i+1 < len(s) {
			lo = trHexToChar(s[i+1])
		}
		b := trHexToChar(s[i])<<4 | lo
		fill := b >> (8 - nleft)
		b = (b<<(nleft-1))&0x7f | oldfill
		oldfill = fill
		st.Arena = append(st.Arena, b)
		nleft++
		if nleft == 8 {
			st.Arena = append(st.Arena, oldfill)
			nleft, oldfill = 1, 0
		}
	}
	return trDone(st, start)
}

const trB58Digits = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"

// trSEncodeBase58 encodes with the Bitcoin alphabet; leading zero bytes
// become '1's.
func trSEncodeBase58(st *State, _ *Tr, v Value) (Value, bool) {
	s, ok := trText(st, v)
	if !ok {
		return Null(), false
	}
	zeros := 0
	for zeros < len(s) && s[zeros] == 0 {
		zeros++
	}
	// Base-58 digits are computed in scratch space in the arena, then
	// written as characters after it.
	size := (len(s)-zeros)*138/100 + 1
	scratch := len(st.Arena)
	for i := 0; i < size; i++ {
		st.Arena = append(st.Arena, 0)
	}
	buf := st.Arena[scratch:]
	high := size - 1
	for i := zeros; i < len(s); i++ {
		carry := int(s[i])
		j := size - 1
		for ; j > high || carry != 0; j-- {
			carry += 256 * int(buf[j])
			buf[j] = byte(carry % 58)
			carry /= 58
		}
		high = j
	}
	j := 0
	for j < size && buf[j] == 0 {
		j++
	}
	start := len(st.Arena)
	for i := 0; i < zeros; i++ {
		st.Arena = append(st.Arena, '1')
	}
	for ; j < size; j++ {
		st.Arena = append(st.Arena, trB58Digits[st.Arena[scratch+j]])
	}
	return trDone(st, start)
}

// trSDecodeBase58 decodes the Bitcoin alphabet; another character fails.
func trSDecodeBase58(st *State, _ *Tr, v Value) (Value, bool) {
	s, ok := trText(st, v)
	if !ok {
		return Null(), false
	}
	zeros := 0
	for zeros < len(s) && s[zeros] == '1' {
		zeros++
	}
	size := (len(s)-zeros)*733/1000 + 1
	scratch := len(st.Arena)
	for i := 0; i < size; i++ {
		st.Arena = append(st.Arena, 0)
	}
	buf := st.Arena[scratch:]
	for i := zeros; i < len(s); i++ {
		d := strings.IndexByte(trB58Digits, s[i])
		if d < 0 {
			st.Arena = st.Arena[:scratch]
			return Null(), false
		}
		carry := d
		for j := size - 1; j >= 0; j-- {
			carry += 58 * int(buf[j])
			buf[j] = byte(carry)
			carry >>= 8
		}
	}
	j := 0
	for j < size && buf[j] == 0 {
		j++
	}
	start := len(st.Arena)
	for i := 0; i < zeros; i++ {
		st.Arena = append(st.Arena, 0)
	}
	st.Arena = append(st.Arena, st.Arena[scratch+j:scratch+size]...)
	return trDone(st, start)
}

// trEncode64 appends s encoded with enc, without its '=' padding when trim
// is set.
func trEncode64(st *State, v Value, enc *base64.Encoding, trim bool) (Value, bool) {
	s, ok := trText(st, v)
	if !ok {
		return Null(), false
	}
	start := len(st.Arena)
	st.Arena = enc.AppendEncode(st.Arena, trBytes(s))
	if trim {
		st.Arena = st.Arena[:start+len(strings.TrimRight(st.ArenaString(start), "="))]
	}
	return trDone(st, start)
}

func trSEncodeBase64(st *State, _ *Tr, v Value) (Value, bool) {
	return trEncode64(st, v, base64.StdEncoding, false)
}

func trSEncodeBase64T(st *State, _ *Tr, v Value) (Value, bool) {
	return trEncode64(st, v, base64.StdEncoding, true)
}

func trSEncodeBase64URL(st *State, _ *Tr, v Value) (Value, bool) {
	return trEncode64(st, v, base64.URLEncoding, false)
}

func trSEncodeBase64URLT(st *State, _ *Tr, v Value) (Value, bool) {
	return trEncode64(st, v, base64.URLEncoding, true)
}

// trDecode64 appends s decoded with enc; bad input fails.
func trDecode64(st *State, s string, enc *base64.Encoding) (Value, bool) {
	start := len(st.Arena)
	var err error
	st.Arena, err = enc.AppendDecode(st.Arena, trBytes(s))
	if err != nil {
		st.Arena = st.Arena[:start]
		return Null(), false
	}
	return trDone(st, start)
}

// trSDecodeBase64 needs padded input (a length multiple of 4).
func trSDecodeBase64(st *State, _ *Tr, v Value) (Value, bool) {
	s, ok := trText(st, v)
	if !ok {
		return Null(), false
	}
	return trDecode64(st, s, base64.StdEncoding)
}

// trSDecodeBase64T adds the missing padding first.
func trSDecodeBase64T(st *State, _ *Tr, v Value) (Value, bool) {
	s, ok := trText(st, v)
	if !ok {
		return Null(), false
	}
	if len(s)%4 != 0 {
		start := len(st.Arena)
		st.Arena = append(st.Arena, s...)
		for i := len(s) % 4; i < 4; i++ {
			st.Arena = append(st.Arena, '=')
		}
		s = st.ArenaString(start)
	}
	return trDecode64(st, s, base64.StdEncoding)
}

// trSDecodeBase64URL ignores the '=' padding, present or not; empty input
// fails, as in Kamailio.
func trSDecodeBase64URL(st *State, _ *Tr, v Value) (Value, bool) {
	s, ok := trText(st, v)
	s = strings.TrimRight(s, "=")
	if !ok || s == "" {
		return Null(), false
	}
	return trDecode64(st, s, base64.RawURLEncoding)
}

// trSEscapeCommon backslash-escapes ', ", \ and NUL (as \0).
func trSEscapeCommon(st *State, _ *Tr, v Value) (Value, bool) {
	s, ok := trText(st, v)
	if !ok {
		return Null(), false
	}
	if !strings.ContainsAny(s, "'\"\\\x00") {
		return Str(s), true
	}
	start := len(st.Arena)
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\'', '"', '\\':
			st.Arena = append(st.Arena, '\\', c)
		case 0:
			st.Arena = append(st.Arena, '\\', '0')
		default:
			st.Arena = append(st.Arena, c)
		}
	}
	return trDone(st, start)
}

// trSUnescapeCommon undoes trSEscapeCommon; other backslashes stay.
func trSUnescapeCommon(st *State, _ *Tr, v Value) (Value, bool) {
	s, ok := trText(st, v)
	if !ok {
		return Null(), false
	}
	if strings.IndexByte(s, '\\') < 0 {
		return Str(s), true
	}
	start := len(st.Arena)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '\\' && i+1 < len(s) {
			switch s[i+1] {
			case '\'', '"', '\\':
				c = s[i+1]
				i++
			case '0':
				c = 0
				i++
			}
		}
		st.Arena = append(st.Arena, c)
	}
	return trDone(st, start)
}

const trLowerHex = "0123456789abcdef"

// trEscape %-escapes (lowercase hex) the printable characters keep refuses;
// a control or non-ASCII byte fails, as in Kamailio.
func trEscape(st *State, v Value, keep func(c byte) bool) (Value, bool) {
	s, ok := trText(st, v)
	if !ok {
		return Null(), false
	}
	start := len(st.Arena)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c < 32 || c > 126:
			st.Arena = st.Arena[:start]
			return Null(), false
		case keep(c):
			st.Arena = append(st.Arena, c)
		default:
			st.Arena = append(st.Arena, '%', trLowerHex[c>>4], trLowerHex[c&15])
		}
	}
	return trDone(st, start)
}

func trIsAlnum(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// trUserKeep: unreserved and user-unreserved characters (Kamailio's list,
// which leaves out '/').
func trUserKeep(c byte) bool {
	return trIsAlnum(c) || strings.IndexByte("-_.!~*'()&=+$,;?", c) >= 0
}

// trParamKeep: unreserved and param-unreserved characters.
func trParamKeep(c byte) bool {
	return trIsAlnum(c) || strings.IndexByte("-_.!~*'()[]/:&+$", c) >= 0
}

func trSEscapeUser(st *State, _ *Tr, v Value) (Value, bool) {
	return trEscape(st, v, trUserKeep)
}

func trSEscapeParam(st *State, _ *Tr, v Value) (Value, bool) {
	return trEscape(st, v, trParamKeep)
}

// trSUnescapeUser decodes %HH escapes; a bad escape or one that decodes to
// a control or non-ASCII character fails.
func trSUnescapeUser(st *State, _ *Tr, v Value) (Value, bool) {
	s, ok := trText(st, v)
	if !ok {
		return Null(), false
	}
	if strings.IndexByte(s, '%') < 0 {
		return Str(s), true
	}
	start := len(st.Arena)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '%' {
			if i+2 >= len(s) {
				st.Arena = st.Arena[:start]
				return Null(), false
			}
			hi, ok1 := trUnhex(s[i+1])
			lo, ok2 := trUnhex(s[i+2])
			c = hi<<4 | lo
			if !ok1 || !ok2 || c < 32 || c > 126 {
				st.Arena = st.Arena[:start]
				return Null(), false
			}
			i += 2
		}
		st.Arena = append(st.Arena, c)
	}
	return trDone(st, start)
}

// trSEscapeCSV quotes the string and doubles its double quotes (RFC 4180).
func trSEscapeCSV(st *State, _ *Tr, v Value) (Value, bool) {
	s, ok := trText(st, v)
	if !ok {
		return Null(), false
	}
	start := len(st.Arena)
	st.Arena = append(st.Arena, '"')
	for i := 0; i < len(s); i++ {
		if s[i] == '"' {
			st.Arena = append(st.Arena, '"')
		}
		st.Arena = append(st.Arena, s[i])
	}
	st.Arena = append(st.Arena, '"')
	return trDone(st, start)
}

// trSURLEncode keeps letters, digits and -_.~ and %-escapes the rest.
func trSURLEncode(st *State, _ *Tr, v Value) (Value, bool) {
	s, ok := trText(st, v)
	if !ok {
		return Null(), false
	}
	start := len(st.Arena)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if trIsAlnum(c) || c == '-' || c == '_' || c == '.' || c == '~' {
			st.Arena = append(st.Arena, c)
		} else {
			st.Arena = append(st.Arena, '%', trLowerHex[c>>4], trLowerHex[c&15])
		}
	}
	return trDone(st, start)
}

// trSURLDecode decodes '+' as a space and %HH without checking the digits,
// as Kamailio does; a '%' without two characters after it is dropped.
func trSURLDecode(st *State, _ *Tr, v Value) (Value, bool) {
	s, ok := trText(st, v)
	if !ok {
		return Null(), false
	}
	if !strings.ContainsAny(s, "%+") {
		return Str(s), true
	}
	start := len(st.Arena)
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '%':
			if i+2 < len(s) {
				st.Arena = append(st.Arena, trHexToChar(s[i+1])<<4|trHexToChar(s[i+2]))
				i += 2
			}
		case '+':
			st.Arena = append(st.Arena, ' ')
		default:
			st.Arena = append(st.Arena, c)
		}
	}
	return trDone(st, start)
}
