package bytecode

import "strings"

// LiteralMatch is a case-insensitive regex that is only literal text,
// matched without the regex engine: the common `$ua =~ "friendly-scanner"`
// and `$rm =~ "^(INVITE|OPTIONS)$"` cases. ASCII case folding is what
// Kamailio's REG_ICASE does in the C locale.
type LiteralMatch struct {
	Kind LiteralKind
	// Lits are the literals, lower-cased: one for Contains, Prefix,
	// Suffix and Exact; the alternatives for AnyOf.
	Lits []string
}

// LiteralKind says how a LiteralMatch compares.
type LiteralKind uint8

// Kinds of literal match; LitNone means "use the regex".
const (
	LitNone     LiteralKind = iota
	LitContains             // lit
	LitPrefix               // ^lit
	LitSuffix               // lit$
	LitExact                // ^lit$
	LitAnyOf                // ^(a|b|c)$
)

// AnalyzeLiteral recognises the patterns LiteralMatch handles; anything
// else gives LitNone.
func AnalyzeLiteral(pattern string) LiteralMatch {
	p := pattern
	anchoredStart := strings.HasPrefix(p, "^")
	if anchoredStart {
		p = p[1:]
	}
	anchoredEnd := strings.HasSuffix(p, "$") && !strings.HasSuffix(p, `\$`)
	if anchoredEnd {
		p = p[:len(p)-1]
	}
	if anchoredStart && anchoredEnd && len(p) > 2 && p[0] == '(' && p[len(p)-1] == ')' {
		alts := strings.Split(p[1:len(p)-1], "|")
		for i, a := range alts {
			if !plainLiteral(a) {
				return LiteralMatch{}
			}
			alts[i] = strings.ToLower(a)
		}
		return LiteralMatch{Kind: LitAnyOf, Lits: alts}
	}
	if !plainLiteral(p) {
		return LiteralMatch{}
	}
	lit := []string{strings.ToLower(p)}
	switch {
	case anchoredStart && anchoredEnd:
		return LiteralMatch{Kind: LitExact, Lits: lit}
	case anchoredStart:
		return LiteralMatch{Kind: LitPrefix, Lits: lit}
	case anchoredEnd:
		return LiteralMatch{Kind: LitSuffix, Lits: lit}
	}
	return LiteralMatch{Kind: LitContains, Lits: lit}
}

// plainLiteral reports whether s is non-empty printable ASCII without any
// character a POSIX ERE gives a meaning.
func plainLiteral(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c >= 0x7f || strings.IndexByte(`.[]()*+?{}|^$\`, c) >= 0 {
			return false
		}
	}
	return true
}

// Match reports whether s matches; m.Kind must not be LitNone.
func (m *LiteralMatch) Match(s string) bool {
	switch m.Kind {
	case LitContains:
		return indexFold(s, m.Lits[0]) >= 0
	case LitPrefix:
		return len(s) >= len(m.Lits[0]) && equalFoldASCII(s[:len(m.Lits[0])], m.Lits[0])
	case LitSuffix:
		return len(s) >= len(m.Lits[0]) && equalFoldASCII(s[len(s)-len(m.Lits[0]):], m.Lits[0])
	case LitExact:
		return equalFoldASCII(s, m.Lits[0])
	case LitAnyOf:
		for _, l := range m.Lits {
			if equalFoldASCII(s, l) {
				return true
			}
		}
	}
	return false
}

// equalFoldASCII compares s with lower, a lower-case ASCII literal.
func equalFoldASCII(s, lower string) bool {
	if len(s) != len(lower) {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != lower[i] {
			return false
		}
	}
	return true
}

// indexFold finds lower (a lower-case ASCII literal) in s, ignoring ASCII
// case.
func indexFold(s, lower string) int {
	n := len(lower)
	for i := 0; i+n <= len(s); i++ {
		if equalFoldASCII(s[i:i+n], lower) {
			return i
		}
	}
	return -1
}
