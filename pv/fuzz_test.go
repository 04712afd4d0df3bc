package pv

import (
	"strings"
	"testing"
)

// FuzzParse checks that the spec parser never panics, that what it accepts
// it spans exactly, and that offsets stay inside the text.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"$ru", "$var(x)", "$(hdr(Via)[-1]{s.len})", "$sht(a=>$ci)", "$(avp(x)[$var(i)])", "$?", "$(ru{s.select,1,;})"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		spec, n, err := ParsePrefix(s)
		if err != nil {
			e := err.(*Error)
			if e.Offset < 0 || e.Offset > len(s) {
				t.Fatalf("error offset %d outside %q", e.Offset, s)
			}
			return
		}
		if n <= 0 || n > len(s) || spec.Text != s[:n] {
			t.Fatalf("spans %d bytes, text %q, of %q", n, spec.Text, s)
		}
		spec.Walk(func(x *Spec) {
			if x.Offset < 0 || x.Offset+len(x.Text) > len(s) || !strings.HasPrefix(s[x.Offset:], x.Text) {
				t.Fatalf("nested %q at %d not in %q", x.Text, x.Offset, s)
			}
		})
		_, _ = ParseFormat(s)
		NewTable().Validate(spec)
	})
}
