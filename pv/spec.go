// Package pv parses and describes Kamailio pseudo-variables: the spec syntax
// ($ru, $var(x), $(hdr(Via)[-1]{s.len})), the table of known classes (which
// take an inner name, which are writable, which module provides them), the
// transformation table, and format strings with embedded specs
// ("from $fu to $(ru{uri.user})"). The checker validates with it and the
// compiler turns specs into getters and setters; everything is parsed once.
package pv

import (
	"fmt"
	"strconv"
	"strings"
)

// Error is a syntax error at a byte offset of the parsed text.
type Error struct {
	Offset int
	Msg    string
}

func (e *Error) Error() string { return fmt.Sprintf("offset %d: %s", e.Offset, e.Msg) }

// Spec is one parsed pseudo-variable reference.
type Spec struct {
	// Text is the spec as written, from its $ to its last byte.
	Text string
	// Offset is the byte offset of the $ in the text given to the parser.
	Offset int
	// Class is the PV name: "ru", "var", "hdr", "T_reply_code", "?".
	Class string
	// Inner is the inner name between parentheses ("x" in $var(x)),
	// raw; HasInner tells $x() from $x.
	Inner    string
	HasInner bool
	// Index is the [i] of the $( … ) form, nil when absent.
	Index *Index
	// Transforms are the {class.name,args} of the $( … ) form, in order.
	Transforms []Transform
	// Nested holds the specs inside this one: in the inner name
	// ($sht(t=>$ci)), the index ($(avp(x)[$var(i)])) and transformation
	// arguments; their Offsets are relative to the same text.
	Nested []*Spec
}

// Index is a [i] selector.
type Index struct {
	Offset int
	All    bool  // [*]
	N      int   // the number when neither All nor PV
	PV     *Spec // [$var(i)]
}

// Transform is one {class.name,arg,…} transformation.
type Transform struct {
	Offset int // of the {
	Class  string
	Name   string
	Args   []string
}

// String renders a transformation as written, without arguments: {s.len}.
func (t Transform) String() string { return "{" + t.Class + "." + t.Name + "}" }

// IsNameChar reports whether c may appear in a PV class name. As in
// Kamailio, dots and '?' are name characters: "$rU." names the class "rU.".
func IsNameChar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '.' || c == '?'
}

// Parse parses text, which must be exactly one spec.
func Parse(text string) (*Spec, error) {
	s, n, err := ParsePrefix(text)
	if err != nil {
		return nil, err
	}
	if n < len(text) {
		if text[n] == '[' || text[n] == '{' {
			return nil, &Error{n, fmt.Sprintf("an index or transformation needs the $( … ) form: write $(%s%s)", text[1:n], text[n:])}
		}
		return nil, &Error{n, fmt.Sprintf("unexpected %q after %s", text[n:], text[:n])}
	}
	return s, nil
}

// ParsePrefix parses the spec at the start of text and returns it with the
// number of bytes it spans; what follows is not looked at.
func ParsePrefix(text string) (*Spec, int, error) {
	p := &parser{text: text}
	s, err := p.spec(0)
	if err != nil {
		return nil, 0, err
	}
	return s, p.off, nil
}

type parser struct {
	text string
	off  int
}

func (p *parser) errf(off int, format string, args ...any) error {
	return &Error{off, fmt.Sprintf(format, args...)}
}

func (p *parser) peek() byte {
	if p.off < len(p.text) {
		return p.text[p.off]
	}
	return 0
}

// spec parses a spec at p.off; base is added to every offset recorded.
func (p *parser) spec(base int) (*Spec, error) {
	start := p.off
	if p.peek() != '$' {
		return nil, p.errf(base+p.off, "a pseudo-variable starts with $")
	}
	p.off++
	s := &Spec{Offset: base + start}
	full := p.peek() == '('
	if full {
		p.off++
	}
	nameStart := p.off
	for p.off < len(p.text) && IsNameChar(p.text[p.off]) {
		p.off++
	}
	s.Class = p.text[nameStart:p.off]
	if s.Class == "" {
		if p.off >= len(p.text) {
			return nil, p.errf(base+p.off, "missing pseudo-variable name after $")
		}
		return nil, p.errf(base+p.off, "missing pseudo-variable name: %q cannot start one", p.text[p.off])
	}
	if p.peek() == '(' {
		if err := p.inner(s, base); err != nil {
			return nil, err
		}
	}
	if full {
		if p.peek() == '[' {
			if err := p.index(s, base); err != nil {
				return nil, err
			}
		}
		for p.peek() == '{' {
			if err := p.transform(s, base); err != nil {
				return nil, err
			}
		}
		if p.peek() != ')' {
			if p.off >= len(p.text) {
				return nil, p.errf(base+p.off, "missing ) to close $(")
			}
			return nil, p.errf(base+p.off, "unexpected %q in $( … ): expected [index], {transformation} or )", p.text[p.off])
		}
		p.off++
	}
	s.Text = p.text[start:p.off]
	return s, nil
}

// inner reads a parenthesised inner name, keeping nested parentheses.
func (p *parser) inner(s *Spec, base int) error {
	open := p.off
	depth := 0
	for i := p.off; i < len(p.text); i++ {
		switch p.text[i] {
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				s.Inner = p.text[open+1 : i]
				s.HasInner = true
				p.off = i + 1
				return p.nestedIn(s, s.Inner, base+open+1)
			}
		}
	}
	return p.errf(base+open, "missing ) to close the inner name of $%s", s.Class)
}

// nestedIn parses the specs inside text (an inner name or an argument).
func (p *parser) nestedIn(s *Spec, text string, base int) error {
	for i := 0; i < len(text); i++ {
		if text[i] != '$' || !startsSpec(text[i:]) {
			continue
		}
		sub := &parser{text: text[i:]}
		n, err := sub.spec(base + i)
		if err != nil {
			return err
		}
		s.Nested = append(s.Nested, n)
		i += sub.off - 1
	}
	return nil
}

// startsSpec reports whether text, which begins with $, begins a spec
// rather than a literal dollar (at the end of a regex, before a blank).
func startsSpec(text string) bool {
	return len(text) > 1 && (IsNameChar(text[1]) || text[1] == '(')
}

func (p *parser) index(s *Spec, base int) error {
	open := p.off
	p.off++
	ix := &Index{Offset: base + open}
	switch c := p.peek(); {
	case c == '*':
		ix.All = true
		p.off++
	case c == '$':
		n, err := p.spec(base)
		if err != nil {
			return err
		}
		ix.PV = n
		s.Nested = append(s.Nested, n)
	case c == '-' || c >= '0' && c <= '9':
		st := p.off
		p.off++
		for p.off < len(p.text) && p.text[p.off] >= '0' && p.text[p.off] <= '9' {
			p.off++
		}
		v, err := strconv.Atoi(p.text[st:p.off])
		if err != nil {
			return p.errf(base+st, "bad index %q: expected a number, -1, * or a pseudo-variable", p.text[st:p.off])
		}
		ix.N = v
	default:
		return p.errf(base+p.off, "bad index: expected a number, -1, * or a pseudo-variable")
	}
	if p.peek() != ']' {
		return p.errf(base+p.off, "missing ] to close the index")
	}
	p.off++
	s.Index = ix
	return nil
}

func (p *parser) transform(s *Spec, base int) error {
	open := p.off
	// Find the matching }, skipping nested specs and braces.
	depth := 0
	end := -1
	for i := open; i < len(p.text) && end < 0; i++ {
		switch p.text[i] {
		case '{', '(':
			depth++
		case '}', ')':
			depth--
			if depth == 0 {
				if p.text[i] != '}' {
					return p.errf(base+i, "unexpected ) in transformation")
				}
				end = i
			}
		}
	}
	if end < 0 {
		return p.errf(base+open, "missing } to close the transformation")
	}
	body := p.text[open+1 : end]
	t := Transform{Offset: base + open}
	head, rest, hasArgs := cutTop(body)
	cls, name, ok := strings.Cut(head, ".")
	if !ok || cls == "" || name == "" {
		return p.errf(base+open, "bad transformation {%s}: expected {class.name[,arg…]}", body)
	}
	t.Class, t.Name = cls, name
	argBase := base + open + 1 + len(head) + 1
	for hasArgs {
		var arg string
		arg, rest, hasArgs = cutTop(rest)
		t.Args = append(t.Args, arg)
		if strings.HasPrefix(arg, "$") && startsSpec(arg) {
			sub := &parser{text: arg}
			n, err := sub.spec(argBase)
			if err != nil {
				return err
			}
			if sub.off == len(arg) {
				s.Nested = append(s.Nested, n)
			}
		}
		argBase += len(arg) + 1
	}
	s.Transforms = append(s.Transforms, t)
	p.off = end + 1
	return nil
}

// cutTop splits s at the first comma outside parentheses and braces; a
// backslash escapes the next byte.
func cutTop(s string) (before, after string, found bool) {
	depth := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '(', '{', '[':
			depth++
		case ')', '}', ']':
			depth--
		case ',':
			if depth == 0 {
				return s[:i], s[i+1:], true
			}
		}
	}
	return s, "", false
}

// Walk calls fn for s and every spec nested in it, depth first.
func (s *Spec) Walk(fn func(*Spec)) {
	fn(s)
	for _, n := range s.Nested {
		n.Walk(fn)
	}
}
