package posixre_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kamgo/kamgo/lang/posixre"
)

func TestTranslate(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain text is kept", "abc", "abc"},
		{"anchors and operators are kept", "^a(b|c)*d+e?$", "^a(b|c)*d+e?$"},
		{`\d is a literal d`, `\d`, `d`},
		{`\D is a literal D`, `\D`, `D`},
		{`\n is a literal n`, `a\nb`, `anb`},
		{"escaped dot stays escaped", `a\.b`, `a\.b`},
		{"escaped star stays escaped", `a\*`, `a\*`},
		{"escaped backslash", `a\\b`, `a\\b`},
		{"escaped bracket", `\[x\]`, `\[x\]`},
		{`GNU \w \W \s \S \b \B are kept`, `\w\W\s\S\b\B`, `\w\W\s\S\b\B`},
		{`\< and \> are word boundaries`, `\<ab\>`, `\bab\b`},
		{"\\` is the start of the subject", "\\`a", `\Aa`},
		{`\' is the end of the subject`, `a\'`, `a\z`},
		{"backslash in brackets is literal", `[\d]`, `[\\d]`},
		{"backslash last in brackets is literal", `[a\]`, `[a\\]`},
		{"] first in brackets is literal", `[]a]`, `[\]a]`},
		{"] first in negated brackets is literal", `[^]a]`, `[^\]a]`},
		{"[ in brackets is literal", `[a[]`, `[a\[]`},
		{"range in brackets", `[a-z0-9]`, `[a-z0-9]`},
		{"character class", `[[:digit:]]`, `[[:digit:]]`},
		{"character class with more", `[^[:space:]x]`, `[^[:space:]x]`},
		{"collating element of one character", `[[.-.]]`, `[\-]`},
		{"collating element - between two characters is not a range", `[a[.-.]z]`, `[a\-z]`},
		{"collating element - as a range start", `[[.-.]-0]`, `[\--0]`},
		{"collating element ^ is literal", `[[.^.]a]`, `[\^a]`},
		{"collating element ] is literal", `[[.].]a]`, `[\]a]`},
		{"collating element letter is not escaped", `[[.d.]]`, `[d]`},
		{"collating element as a range end", `[a-[.z.]]`, `[a-z]`},
		{"equivalence class of one character", `[[=a=]]`, `[a]`},
		{"interval", `a{2}`, `a{2}`},
		{"interval with a maximum", `a{2,3}`, `a{2,3}`},
		{"interval without a maximum", `a{2,}`, `a{2,}`},
		{"interval without a minimum starts at 0", `a{,3}`, `a{0,3}`},
		{"interval without either bound is a star", `a{,}`, `a{0,}`},
		{"interval without a minimum after a group", `(ab){,2}`, `(ab){0,2}`},
		{"unclosed brace is literal", `a{`, `a\{`},
		{"interval at the start is literal", `{1}`, `\{1}`},
		{"brace without digits is literal", `a{x}`, `a\{x}`},
		{"empty braces are literal", `a{}`, `a\{}`},
		{"two commas are literal", `a{1,2,3}`, `a\{1,2,3}`},
		{"empty pattern", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := posixre.Translate(tt.in)
			if err != nil {
				t.Fatalf("Translate(%q): %v", tt.in, err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Translate(%q) (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

func TestTranslateErrors(t *testing.T) {
	tests := []struct {
		name, in, wantErr string
	}{
		{"back-reference", `(a)\1`, `back-reference \1 is not supported`},
		{"back-reference 9", `a\9`, `back-reference \9 is not supported`},
		{"trailing backslash", `a\`, `trailing backslash`},
		{"unterminated bracket", `[ab`, `missing ]`},
		{"only ] in brackets", `[]`, `missing ]`},
		{"unterminated class", `[[:digit]`, `unterminated [:`},
		{"class without the closing bracket", `[[:alpha:]`, `missing ]`},
		{"collating element of two characters", `[[.ab.]]`, `[.ab.] is not supported`},
		{"equivalence class of two characters", `[[=ab=]]`, `[=ab=] is not supported`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := posixre.Translate(tt.in)
			if err == nil {
				t.Fatalf("Translate(%q) = %q, want an error containing %q", tt.in, got, tt.wantErr)
			}
			if !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("Translate(%q) error %q, want it to contain %q", tt.in, err, tt.wantErr)
			}
			if _, cerr := posixre.Compile(tt.in, 0); cerr == nil || cerr.Error() != err.Error() {
				t.Errorf("Compile(%q) error %v, want Translate's %v", tt.in, cerr, err)
			}
		})
	}
}

// match is the outcome of FindString on one subject: the match, or nil
// when there is none.
type match struct {
	subject string
	want    *string
}

func found(s string) *string { return &s }

func TestCompileMatching(t *testing.T) {
	tests := []struct {
		name    string
		pattern string
		flags   posixre.Flags
		cases   []match
	}{
		{"\\d matches d, not a digit", `\d`, 0, []match{
			{"d", found("d")}, {"7", nil}}},
		{"backslash in brackets", `[\d]`, 0, []match{
			{`\`, found(`\`)}, {"d", found("d")}, {"5", nil}}},
		{"] in brackets", `[]a]+`, 0, []match{
			{"x]a]y", found("]a]")}, {"b", nil}}},
		{"] in negated brackets", `[^]a]+`, 0, []match{
			{"]abc", found("bc")}, {"]a", nil}}},
		{"digit class", `[[:digit:]]+`, 0, []match{
			{"ab123c", found("123")}, {"abc", nil}}},
		{"word boundaries", `\<ab\>`, 0, []match{
			{"x ab y", found("ab")}, {"xab", nil}, {"abc", nil}}},
		{"literal brace after an atom", `a{`, 0, []match{
			{"xa{", found("a{")}, {"a", nil}}},
		{"literal interval at the start", `{1}`, 0, []match{
			{"x{1}", found("{1}")}, {"1", nil}}},
		{"interval without a minimum", `^a{,3}$`, 0, []match{
			{"", found("")}, {"aaa", found("aaa")}, {"aaaa", nil}, {"a{,3}", nil}}},
		{"interval without bounds", `^a{,}$`, 0, []match{
			{"", found("")}, {"aaaa", found("aaaa")}, {"a{,}", nil}}},
		{"collating element - is a literal between characters", `^[a[.-.]z]$`, 0, []match{
			{"-", found("-")}, {"a", found("a")}, {"z", found("z")}, {"b", nil}}},
		{"collating element - starts a range", `^[[.-.]-0]$`, 0, []match{
			{"-", found("-")}, {"/", found("/")}, {"0", found("0")}, {"1", nil}}},
		{"interval", `^a{2,3}$`, 0, []match{
			{"aa", found("aa")}, {"aaa", found("aaa")}, {"a", nil}, {"aaaa", nil}}},
		{"case-sensitive by default", `abc`, 0, []match{
			{"ABC", nil}, {"abc", found("abc")}}},
		{"ICase", `abc`, posixre.ICase, []match{
			{"xAbCx", found("AbC")}}},
		{"ICase in brackets", `^[a-c]+$`, posixre.ICase, []match{
			{"ABCabc", found("ABCabc")}, {"abd", nil}}},
		{"leftmost-longest alternation", `a|ab`, 0, []match{
			{"ab", found("ab")}}},
		{"leftmost-longest alternation with a group", `(a|ab)(c|bcd)`, 0, []match{
			{"abcd", found("abcd")}}},
		{"leftmost still wins over longest", `b+|ab`, 0, []match{
			{"abbb", found("ab")}}},
		{"dot matches a newline", `a.b`, 0, []match{
			{"a\nb", found("a\nb")}}},
		{"Newline: dot does not match a newline", `a.b`, posixre.Newline, []match{
			{"a\nb", nil}, {"axb", found("axb")}}},
		{"start of the subject", "\\`ab", 0, []match{
			{"abc", found("ab")}, {"cab", nil}}},
		{"end of the subject", `ab\'`, 0, []match{
			{"cab", found("ab")}, {"abc", nil}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			re, err := posixre.Compile(tt.pattern, tt.flags)
			if err != nil {
				t.Fatalf("Compile(%q): %v", tt.pattern, err)
			}
			for _, c := range tt.cases {
				var got *string
				if loc := re.FindStringIndex(c.subject); loc != nil {
					got = found(c.subject[loc[0]:loc[1]])
				}
				if diff := cmp.Diff(c.want, got); diff != "" {
					t.Errorf("Compile(%q).FindString(%q) (-want +got):\n%s", tt.pattern, c.subject, diff)
				}
			}
		})
	}
}

func TestCompileRefusesWhatGoCannotExpress(t *testing.T) {
	tests := []struct {
		name, pattern string
	}{
		{"back-reference", `(a)\1`},
		{"unknown class", `[[:foo:]]`},
		{"repeat count over 1000", `a{1001}`},
		{"interval after an alternation bar", `x|{1}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if re, err := posixre.Compile(tt.pattern, 0); err == nil {
				t.Errorf("Compile(%q) = %v, want an error", tt.pattern, re)
			}
		})
	}
}

// FuzzTranslate checks that Translate never panics and that whatever it
// returns is something regexp.Compile handles (compiles or refuses) without
// panicking.
func FuzzTranslate(f *testing.F) {
	for _, s := range []string{
		"", `^sip:[0-9]+@`, `\d`, `[\d]`, `[]a]`, `[^]a]`, `[[:digit:]]`, `\<a\>`,
		`(a)\1`, `a{`, `{1}`, `a{2,3}`, `a{,3}`, `[[.-.]]`, `[[=a=]]`, `a\`, `[`, `[[:`, "\\`x\\'",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, pattern string) {
		out, err := posixre.Translate(pattern)
		if err != nil {
			if out != "" {
				t.Errorf("Translate(%q) returned %q with error %v", pattern, out, err)
			}
			return
		}
		_, _ = regexp.Compile(out)
		_, _ = posixre.Compile(pattern, posixre.ICase|posixre.Newline)
	})
}
