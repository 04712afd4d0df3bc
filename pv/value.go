package pv

import (
	"strconv"
	"unsafe"
)

// Kind is the type of a script value.
type Kind uint8

// Value kinds. The zero Value is null.
const (
	KindNull Kind = iota // undefined: unset AVP, missing header, $null
	KindInt
	KindStr
)

// Value is a script value: an integer, a string or null. It is a small
// struct rather than an interface so that passing one around never
// allocates. A string may be a view into the message or the per-message
// arena (State.Arena): it is valid until State.Reset, and every store that
// outlives the message ($var, $avp, $shv, …) copies it.
type Value struct {
	S string
	I int64
	K Kind
}

// Null is the undefined value.
func Null() Value { return Value{} }

// Int returns an integer value.
func Int(i int64) Value { return Value{I: i, K: KindInt} }

// Str returns a string value.
func Str(s string) Value { return Value{S: s, K: KindStr} }

// Bytes returns a string value viewing b without copying: b must stay
// unchanged while the value is used (message bytes, the arena).
func Bytes(b []byte) Value {
	if len(b) == 0 {
		return Value{K: KindStr}
	}
	return Value{S: unsafe.String(&b[0], len(b)), K: KindStr}
}

// Bool returns Int(1) or Int(0).
func Bool(b bool) Value {
	if b {
		return Value{I: 1, K: KindInt}
	}
	return Value{K: KindInt}
}

// IsNull reports whether v is undefined.
func (v Value) IsNull() bool { return v.K == KindNull }

// IsInt reports whether v is an integer.
func (v Value) IsInt() bool { return v.K == KindInt }

// IsStr reports whether v is a string.
func (v Value) IsStr() bool { return v.K == KindStr }

// Text returns v as text the way xlog prints it: the decimal integer, the
// string, or "<null>".
func (v Value) Text() string {
	switch v.K {
	case KindInt:
		return strconv.FormatInt(v.I, 10)
	case KindStr:
		return v.S
	}
	return "<null>"
}

// AppendText appends v.Text() to dst without allocating.
func (v Value) AppendText(dst []byte) []byte {
	switch v.K {
	case KindInt:
		return strconv.AppendInt(dst, v.I, 10)
	case KindStr:
		return append(dst, v.S...)
	}
	return append(dst, "<null>"...)
}

// Clone returns v with its string copied, for stores that outlive the
// message.
func (v Value) Clone() Value {
	if v.K == KindStr && len(v.S) > 0 {
		v.S = string(append([]byte(nil), v.S...))
	}
	return v
}

// StrToInt converts a string the way Kamailio's core does: optional sign,
// decimal digits, or 0x/0X hex; "" is 0. Blanks are not allowed. ok is
// false when s is not such a number (the core then warns and uses 0).
func StrToInt(s string) (n int64, ok bool) {
	if s == "" {
		return 0, true
	}
	neg := false
	switch s[0] {
	case '-':
		neg = true
		s = s[1:]
	case '+':
		s = s[1:]
	}
	base := int64(10)
	if len(s) > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') {
		base = 16
		s = s[2:]
	}
	if s == "" {
		return 0, false
	}
	var v int64
	for k := 0; k < len(s); k++ {
		c := s[k]
		var d int64
		switch {
		case c >= '0' && c <= '9':
			d = int64(c - '0')
		case base == 16 && c >= 'a' && c <= 'f':
			d = int64(c-'a') + 10
		case base == 16 && c >= 'A' && c <= 'F':
			d = int64(c-'A') + 10
		default:
			return 0, false
		}
		v = v*base + d
		if v > 1<<40 {
			v &= 1<<40 - 1 // keep going without overflow; Wrap32 decides
		}
	}
	if neg {
		v = -v
	}
	return Wrap32(v), true
}

// Wrap32 truncates n to a 32-bit signed integer: Kamailio's script
// integers are C ints.
func Wrap32(n int64) int64 { return int64(int32(n)) }

// strOrNull is Str(s), or Null for an empty s (a missing part).
func strOrNull(s string) Value {
	if s == "" {
		return Null()
	}
	return Str(s)
}
