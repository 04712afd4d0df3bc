package pv

import (
	"errors"
	"fmt"
	"regexp"
	"regexp/syntax"
	"strings"
)

// trSubst is a compiled {re.subst,/re/repl/flags} expression (textops).
type trSubst struct {
	re     *regexp.Regexp
	global bool
	repl   []trReplPart
}

// trReplPart is literal text, or a reference to a group (group >= 0).
type trReplPart struct {
	lit   string
	group int
}

func fixupReSubst(tr *Tr) error {
	a := &tr.Args[0]
	tr.Fn = trReSubst
	if a.PV != nil {
		// The expression is compiled for each use, as Kamailio does.
		return nil
	}
	se, err := trParseSubst(a.Lit)
	if err != nil {
		return err
	}
	tr.Data = se
	return nil
}

// trParseSubst parses /re/repl/flags (any separator but '\'). The regular
// expression is POSIX extended with GNU's leftmost-longest matching; flags
// are i (ignore case), g (every match) and s (newline is an ordinary
// character). In the replacement \0 … \9 are groups, \n \r \t \\ \$ the
// characters.
func trParseSubst(expr string) (*trSubst, error) {
	if len(expr) < 3 {
		return nil, fmt.Errorf("substitution %q is too short: expected /regexp/replacement/flags", expr)
	}
	sep := expr[0]
	if sep == '\\' {
		return nil, errors.New(`a substitution cannot use '\' as separator`)
	}
	end := -1
	for i := 1; i < len(expr); i++ {
		if expr[i] == sep && expr[i-1] != '\\' {
			end = i
			break
		}
	}
	if end < 0 {
		return nil, fmt.Errorf("substitution %q: missing separator after the regexp", expr)
	}
	pattern := expr[1:end]
	se := &trSubst{}
	var lit strings.Builder
	flush := func() {
		if lit.Len() > 0 {
			se.repl = append(se.repl, trReplPart{lit: lit.String(), group: -1})
			lit.Reset()
		}
	}
	i := end + 1
	for ; i < len(expr) && expr[i] != sep; i++ {
		c := expr[i]
		switch {
		case c == '$':
			return nil, errors.New("pseudo-variables in the replacement of {re.subst} are not supported by kamgo yet")
		case c != '\\':
			lit.WriteByte(c)
			continue
		}
		i++
		if i == len(expr) {
			break
		}
		switch c = expr[i]; c {
		case 'n':
			lit.WriteByte('\n')
		case 'r':
			lit.WriteByte('\r')
		case 't':
			lit.WriteByte('\t')
		case 'u':
			return nil, errors.New(`\u (the request URI) in the replacement of {re.subst} is not supported by kamgo yet`)
		case '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
			flush()
			se.repl = append(se.repl, trReplPart{group: int(c - '0')})
		default:
			lit.WriteByte(c)
		}
	}
	flush()
	if i >= len(expr) {
		return nil, fmt.Errorf("substitution %q: missing separator after the replacement", expr)
	}
	flags := syntax.PerlX | syntax.UnicodeGroups
	for _, f := range expr[i+1:] {
		switch f {
		case 'i':
			flags |= syntax.FoldCase
		case 'g':
			se.global = true
		case 's':
			flags |= syntax.DotNL | syntax.ClassNL | syntax.OneLine
		default:
			return nil, fmt.Errorf("substitution %q: unknown flag %q (use i, g or s)", expr, f)
		}
	}
	tree, err := syntax.Parse(pattern, flags)
	if err != nil {
		return nil, fmt.Errorf("bad regular expression %q: %v", pattern, err)
	}
	if se.re, err = regexp.Compile(tree.String()); err != nil {
		return nil, fmt.Errorf("bad regular expression %q: %v", pattern, err)
	}
	se.re.Longest()
	return se, nil
}

// trReSubst applies the substitution; without a match the value is
// unchanged. A match of the empty string fails, as in Kamailio.
func trReSubst(st *State, t *Tr, v Value) (Value, bool) {
	s, ok := trTextNonEmpty(st, v)
	if !ok {
		return Null(), false
	}
	se, _ := t.Data.(*trSubst)
	if se == nil {
		expr, ok := trStr(st, &t.Args[0])
		if !ok {
			return Null(), false
		}
		var err error
		if se, err = trParseSubst(expr); err != nil {
			return Null(), false
		}
	}
	n := 1
	if se.global {
		n = -1
	}
	matches := se.re.FindAllStringSubmatchIndex(s, n)
	if len(matches) == 0 {
		return v, true
	}
	start := len(st.Arena)
	prev := 0
	for _, m := range matches {
		if m[0] == m[1] {
			st.Arena = st.Arena[:start]
			return Null(), false
		}
		st.Arena = append(st.Arena, s[prev:m[0]]...)
		for _, p := range se.repl {
			switch {
			case p.group < 0:
				st.Arena = append(st.Arena, p.lit...)
			case 2*p.group < len(m) && m[2*p.group] >= 0:
				// A missing or unmatched group adds nothing.
				st.Arena = append(st.Arena, s[m[2*p.group]:m[2*p.group+1]]...)
			}
		}
		prev = m[1]
	}
	st.Arena = append(st.Arena, s[prev:]...)
	return trDone(st, start)
}
