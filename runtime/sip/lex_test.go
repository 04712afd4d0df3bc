package sip

import (
	"strings"
	"testing"
)

// TestCharClass checks the charClass table against the RFC 3261 §25.1
// definitions written out plainly.
func TestCharClass(t *testing.T) {
	alnum := func(c byte) bool { return '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }
	in := func(set string) func(byte) bool {
		return func(c byte) bool { return c < 128 && (alnum(c) || strings.IndexByte(set, c) >= 0) }
	}
	const mark = "-_.!~*'()"
	classes := []struct {
		name string
		got  func(byte) bool
		want func(byte) bool
	}{
		{"token", isToken, in("-.!%*_+`'~")},
		{"word", isWord, in("-.!%*_+`'~()<>:\\\"/[]?{}")},
		{"unreserved", isUnreserved, in(mark)},
		{"user", isUserChar, in(mark + "&=+$,;?/")},
		{"password", isPasswordChar, in(mark + "&=+$,")},
		{"param", isParamChar, in(mark + "[]/:&+$")},
		{"header", isHeaderChar, in(mark + "[]/?:+$")},
		{"host", isHostChar, in("-._")},
	}
	for _, cl := range classes {
		for c := 0; c < 256; c++ {
			if cl.got(byte(c)) != cl.want(byte(c)) {
				t.Errorf("%s(%q) = %v", cl.name, byte(c), cl.got(byte(c)))
			}
		}
	}
	for _, tt := range []struct {
		in string
		n  uint32
		ok bool
	}{{"0", 0, true}, {"0068", 68, true}, {"4294967295", 4294967295, true}, {"4294967296", 0, false},
		{"36893488147419103232", 0, false}, {"", 0, false}, {"-1", 0, false}, {"1 ", 0, false}} {
		n, ok := parseUint32([]byte(tt.in))
		if n != tt.n || ok != tt.ok {
			t.Errorf("parseUint32(%q) = %d %v", tt.in, n, ok)
		}
	}
}
