package bytecode

import (
	"regexp"
	"testing"
)

// TestLiteralMatchAgreesWithRegex: wherever a literal fast path is taken,
// it answers as the case-insensitive regex does.
func TestLiteralMatchAgreesWithRegex(t *testing.T) {
	tests := []struct {
		pattern string
		kind    LiteralKind
	}{
		{"friendly-scanner", LitContains},
		{"^sip:", LitPrefix},
		{"@example.com$", LitNone}, // '.' is a metacharacter
		{"example$", LitSuffix},
		{"^INVITE$", LitExact},
		{"^(INVITE|OPTIONS|REGISTER)$", LitAnyOf},
		{"^(INVITE|OPT.ONS)$", LitNone},
		{"(a|b)", LitNone}, // not anchored: substring alternatives
		{"a\\$", LitNone},
		{"", LitNone},
		{"^$", LitNone},
	}
	subjects := []string{"", "INVITE", "invite", "OPTIONS", "xinvite", "Friendly-Scanner 1.0", "a friendly-scanner",
		"sip:bob@example.com", "SIP:x", "my example", "example", "REGISTER", "register ", "a$"}
	for _, tt := range tests {
		m := AnalyzeLiteral(tt.pattern)
		if m.Kind != tt.kind {
			t.Errorf("%q: kind %d, want %d", tt.pattern, m.Kind, tt.kind)
			continue
		}
		if m.Kind == LitNone {
			continue
		}
		re := regexp.MustCompile("(?i)" + tt.pattern)
		for _, s := range subjects {
			if got, want := m.Match(s), re.MatchString(s); got != want {
				t.Errorf("%q on %q: literal %v, regex %v", tt.pattern, s, got, want)
			}
		}
	}
}
