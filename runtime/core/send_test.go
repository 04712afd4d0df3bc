package core

import (
	"strings"
	"testing"
)

// TestReverseHex: connection ids in a Via's i= parameter as Kamailio 5.6.3
// writes them (observed for its connections 1 to 31).
func TestReverseHex(t *testing.T) {
	tests := []struct {
		n    uint64
		text string
	}{
		{1, "1"}, {2, "2"}, {9, "9"}, {10, "a"}, {11, "b"}, {16, "01"}, {17, "11"}, {18, "21"},
		{26, "a1"}, {27, "b1"}, {31, "f1"}, {0x12345, "54321"},
	}
	for _, tt := range tests {
		if got := string(appendReverseHex(nil, tt.n)); got != tt.text {
			t.Errorf("appendReverseHex(%d) = %q, want %q", tt.n, got, tt.text)
		}
		if n, ok := parseReverseHex([]byte(strings.ToUpper(tt.text))); !ok || n != tt.n {
			t.Errorf("parseReverseHex(%q) = %d, %v", strings.ToUpper(tt.text), n, ok)
		}
	}
	for _, bad := range []string{"", "g", "1x", "11111111111111111"} {
		if _, ok := parseReverseHex([]byte(bad)); ok {
			t.Errorf("parseReverseHex(%q) accepted", bad)
		}
	}
}
