package maxfwd

import "testing"

func TestPadded(t *testing.T) {
	tests := []struct {
		n, width int
		want     string
	}{{70, 3, " 70"}, {70, 4, "  70"}, {9, 2, " 9"}, {69, 2, "69"}, {100, 2, "100"}, {0, 1, "0"}}
	for _, tc := range tests {
		if got := padded(tc.n, tc.width); got != tc.want {
			t.Errorf("padded(%d, %d) = %q, want %q", tc.n, tc.width, got, tc.want)
		}
	}
}
