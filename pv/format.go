package pv

// Part is one piece of a format string: literal text or a spec.
type Part struct {
	Offset int
	Lit    string
	Spec   *Spec // nil for literal text
}

// Format is a parsed format string such as xlog's "from $fu: $(ru{uri.user})".
type Format struct {
	Parts []Part
}

// Specs returns the specs of the format, in order.
func (f *Format) Specs() []*Spec {
	var out []*Spec
	for _, p := range f.Parts {
		if p.Spec != nil {
			out = append(out, p.Spec)
		}
	}
	return out
}

// ParseFormat splits s into literal text and specs. "$$" is a literal "$",
// as in Kamailio; a "$" that starts no spec is an error, because Kamailio
// refuses such a format string when it starts. Every malformed spec is
// reported; parsing resumes after its $.
func ParseFormat(s string) (*Format, []*Error) {
	f := &Format{}
	var errs []*Error
	lit := 0
	for i := 0; i < len(s); i++ {
		if s[i] != '$' {
			continue
		}
		if i+1 < len(s) && s[i+1] == '$' {
			// the literal runs up to and including the first $
			f.Parts = append(f.Parts, Part{Offset: lit, Lit: s[lit : i+1]})
			i++
			lit = i + 1
			continue
		}
		if !startsSpec(s[i:]) {
			errs = append(errs, &Error{Offset: i, Msg: "a lone '$' is not a pseudo-variable (Kamailio refuses this format at startup); write '$$' for a dollar sign"})
			continue
		}
		spec, n, err := ParsePrefix(s[i:])
		if err != nil {
			e := err.(*Error)
			errs = append(errs, &Error{Offset: i + e.Offset, Msg: e.Msg})
			continue
		}
		shift(spec, i)
		if lit < i {
			f.Parts = append(f.Parts, Part{Offset: lit, Lit: s[lit:i]})
		}
		f.Parts = append(f.Parts, Part{Offset: i, Spec: spec})
		i += n - 1
		lit = i + 1
	}
	if lit < len(s) {
		f.Parts = append(f.Parts, Part{Offset: lit, Lit: s[lit:]})
	}
	return f, errs
}

// shift moves the offsets of s and everything in it by d.
func shift(s *Spec, d int) {
	s.Walk(func(n *Spec) {
		n.Offset += d
		if n.Index != nil {
			n.Index.Offset += d
		}
		for i := range n.Transforms {
			n.Transforms[i].Offset += d
		}
	})
}
