package textops

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/kamgo/kamgo/lang/posixre"
	"github.com/kamgo/kamgo/pv"
)

// substExpr is a compiled sed-like substitution, "/re/repl/flags": the
// regex, the replacement as a list of pieces and the global flag.
type substExpr struct {
	re     *regexp.Regexp
	repl   []replPiece
	global bool
}

// replPiece is one piece of a replacement: literal text, a back reference
// (\0 the whole match, \1..\9 the groups), the Request-URI (\u) or a
// pseudo-variable.
type replPiece struct {
	lit   string
	group int // -1 when not a back reference
	uri   bool
	pv    *pv.CompiledFormat
}

// formatCompiler is implemented by a Host that compiles format strings
// into the program being compiled, so that pseudo-variables in a subst
// replacement share the program's $var slots.
type formatCompiler interface {
	CompileFormat(s string) (*pv.CompiledFormat, error)
}

// parseSubst compiles a substitution expression. The first character is
// the delimiter; "\<delimiter>" stands for the delimiter in both the regex
// and the replacement. Flags: i ignore case, g replace every match, s let
// "." and "^"/"$" cross line ends (without it the regex works line by
// line, as REG_NEWLINE does).
func parseSubst(expr string, pvc formatCompiler) (*substExpr, error) {
	if len(expr) < 4 {
		return nil, fmt.Errorf("substitution %q is too short: write /regex/replacement/flags", expr)
	}
	sep := expr[0]
	if sep == '\\' || sep == ' ' {
		return nil, fmt.Errorf("substitution %q: %q cannot be the delimiter", expr, sep)
	}
	reText, rest, ok := cutDelimited(expr[1:], sep)
	if !ok {
		return nil, fmt.Errorf("substitution %q: the regex is not closed by %q", expr, sep)
	}
	replText, flagText, ok := cutRepl(rest, sep)
	if !ok {
		return nil, fmt.Errorf("substitution %q: the replacement is not closed by %q", expr, sep)
	}
	s := &substExpr{}
	flags := posixre.Newline
	for i := 0; i < len(flagText); i++ {
		switch flagText[i] {
		case 'i':
			flags |= posixre.ICase
		case 'g':
			s.global = true
		case 's':
			flags &^= posixre.Newline
		default:
			return nil, fmt.Errorf("substitution %q: unknown flag %q (use i, g, s)", expr, flagText[i])
		}
	}
	re, err := compileWith(reText, flags)
	if err != nil {
		return nil, fmt.Errorf("substitution %q: %w", expr, err)
	}
	s.re = re
	if s.repl, err = parseRepl(replText, sep, re.NumSubexp(), pvc); err != nil {
		return nil, fmt.Errorf("substitution %q: %w", expr, err)
	}
	return s, nil
}

// cutDelimited returns the text up to the first sep not escaped by a
// backslash, with "\<sep>" turned into sep, and what follows the sep.
func cutDelimited(s string, sep byte) (field, rest string, ok bool) {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '\\' && i+1 < len(s) && s[i+1] == sep {
			b.WriteByte(sep)
			i++
			continue
		}
		if c == '\\' && i+1 < len(s) {
			b.WriteByte(c)
			b.WriteByte(s[i+1])
			i++
			continue
		}
		if c == sep {
			return b.String(), s[i+1:], true
		}
		b.WriteByte(c)
	}
	return "", "", false
}

// cutRepl finds the end of the replacement without decoding it (the
// escapes are read by parseRepl).
func cutRepl(s string, sep byte) (repl, rest string, ok bool) {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case sep:
			return s[:i], s[i+1:], true
		}
	}
	return "", "", false
}

func parseRepl(s string, sep byte, groups int, pvc formatCompiler) ([]replPiece, error) {
	var pieces []replPiece
	var lit strings.Builder
	flush := func() {
		if lit.Len() > 0 {
			pieces = append(pieces, replPiece{lit: lit.String(), group: -1})
			lit.Reset()
		}
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\' && i+1 < len(s):
			i++
			n := s[i]
			switch {
			case n >= '0' && n <= '9':
				g := int(n - '0')
				if g > groups {
					return nil, fmt.Errorf("back reference \\%d but the regex has %d groups", g, groups)
				}
				flush()
				pieces = append(pieces, replPiece{group: g})
			case n == 'u':
				flush()
				pieces = append(pieces, replPiece{group: -1, uri: true})
			case n == 'n':
				lit.WriteByte('\n')
			case n == 'r':
				lit.WriteByte('\r')
			case n == 't':
				lit.WriteByte('\t')
			case n == '\\' || n == sep || n == '$':
				lit.WriteByte(n)
			default:
				return nil, fmt.Errorf("unknown escape \\%c in the replacement", n)
			}
		case c == '\\':
			return nil, fmt.Errorf("the replacement ends with a lone backslash")
		case c == '$':
			spec, n, err := pv.ParsePrefix(s[i:])
			if err != nil || spec == nil || n == 0 {
				return nil, fmt.Errorf("bad pseudo-variable in the replacement at %q", s[i:])
			}
			if pvc == nil {
				return nil, fmt.Errorf("pseudo-variable %s in a substitution replacement is not supported by kamgo yet", s[i:i+n])
			}
			f, err := pvc.CompileFormat(s[i : i+n])
			if err != nil {
				return nil, fmt.Errorf("replacement: %w", err)
			}
			flush()
			pieces = append(pieces, replPiece{group: -1, pv: f})
			i += n - 1
		default:
			lit.WriteByte(c)
		}
	}
	flush()
	return pieces, nil
}

// appendRepl appends the replacement for one match (sub are the submatch
// indexes into in) to dst.
func (s *substExpr) appendRepl(dst, in []byte, sub []int, st *pv.State) []byte {
	for i := range s.repl {
		p := &s.repl[i]
		switch {
		case p.group >= 0:
			if a, b := sub[2*p.group], sub[2*p.group+1]; a >= 0 && b >= a {
				dst = append(dst, in[a:b]...)
			}
		case p.uri:
			if st != nil && st.Msg != nil {
				dst = append(dst, st.Msg.RequestURI()...)
			}
		case p.pv != nil:
			if st != nil {
				dst = p.pv.Append(st, dst)
			}
		default:
			dst = append(dst, p.lit...)
		}
	}
	return dst
}

// match is one substitution: the range of in replaced and the new text.
type match struct {
	off, end int
	text     string
}

// run finds the matches in in (the first, or all with the g flag) and
// returns their replacements, appended to out. Later matches are searched
// with the earlier text as context, so "^" only matches at a line start
// (REG_NOTBOL, as sed does).
func (s *substExpr) run(in []byte, st *pv.State, out []match) []match {
	n := 1
	if s.global {
		n = -1
	}
	for _, sub := range s.re.FindAllSubmatchIndex(in, n) {
		text := string(s.appendRepl(nil, in, sub, st))
		out = append(out, match{off: sub[0], end: sub[1], text: text})
	}
	return out
}

// apply returns in with the substitutions done, and how many there were.
func (s *substExpr) apply(in []byte, st *pv.State) (string, int) {
	ms := s.run(in, st, nil)
	if len(ms) == 0 {
		return string(in), 0
	}
	var b []byte
	pos := 0
	for _, m := range ms {
		b = append(b, in[pos:m.off]...)
		b = append(b, m.text...)
		pos = m.end
	}
	b = append(b, in[pos:]...)
	return string(b), len(ms)
}
