// Package token defines the lexical tokens of the kamailio.cfg language and
// their source positions. The scanner produces them, the preprocessor filters
// and expands them, and the parser consumes them through participle's lexer
// interfaces, so token kinds are participle token types.
package token

import (
	"fmt"

	"github.com/alecthomas/participle/v2/lexer"
)

// Kind is the lexical class of a token.
type Kind = lexer.TokenType

// Token kinds. EOF is participle's end-of-input marker.
const (
	EOF       Kind = lexer.EOF
	Ident     Kind = iota + 1 // identifiers and keywords: route, if, xlog, WITH_NAT
	Int                       // integer literal as written: 10, 0x1F, 010, 101b
	String                    // string literal; Value holds the decoded text
	PV                        // pseudo-variable as written: $ru, $var(x), $(hdr(Via)[0]{s.len})
	IPv4                      // dotted quad: 10.0.0.1
	IPv6                      // IPv6 address without brackets: ::1, 2001:db8::5
	Op                        // operator or punctuation: ( ) { } [ ] ; , . : = == != =~ && || ...
	Directive                 // preprocessor directive; only between scanner and preprocessor
)

// Symbols maps kind names to kinds, as participle's lexer.Definition needs.
func Symbols() map[string]Kind {
	return map[string]Kind{
		"EOF":       EOF,
		"Ident":     Ident,
		"Int":       Int,
		"String":    String,
		"PV":        PV,
		"IPv4":      IPv4,
		"IPv6":      IPv6,
		"Op":        Op,
		"Directive": Directive,
	}
}

// KindName is the human name of a kind, used in diagnostics.
func KindName(k Kind) string {
	switch k {
	case EOF:
		return "end of file"
	case Ident:
		return "identifier"
	case Int:
		return "number"
	case String:
		return "string"
	case PV:
		return "pseudo-variable"
	case IPv4:
		return "IPv4 address"
	case IPv6:
		return "IPv6 address"
	case Op:
		return "operator"
	case Directive:
		return "preprocessor directive"
	}
	return fmt.Sprintf("token(%d)", int(k))
}

// Token is a participle token: Type, Value and Pos. Pos always points into the
// file the user wrote, also for tokens that came out of a #!define expansion
// (they carry the position of the name that was expanded).
type Token = lexer.Token

// Pos is a position in a source file: Filename, byte Offset, 1-based Line and
// 1-based byte Column.
type Pos = lexer.Position

// Describe renders a token for messages: `"foo"`, `number 12`, `end of file`.
func Describe(t Token) string {
	switch t.Type {
	case EOF:
		return "end of file"
	case String:
		return fmt.Sprintf("string %q", t.Value)
	case Int:
		return "number " + t.Value
	case Ident, Op, PV, IPv4, IPv6:
		return fmt.Sprintf("%q", t.Value)
	}
	return fmt.Sprintf("%s %q", KindName(t.Type), t.Value)
}
