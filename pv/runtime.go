package pv

import (
	"fmt"
)

// Getter reads a pseudo-variable. It returns Null when the value is
// undefined (a missing header, an unset AVP).
type Getter func(st *State, p *PV) Value

// Setter writes a pseudo-variable; v may be Null ($x = $null), which
// deletes or resets. Setters copy string values that outlive the message.
type Setter func(st *State, p *PV, v Value) error

// Impl is the run-time side of a class: how to prepare a reference at
// compile time and how to read and write it.
type Impl struct {
	// Fixup prepares p once at compile time (parse the inner name,
	// resolve a header name, reserve a $var slot). Optional.
	Fixup func(c *Compiler, p *PV) error
	Get   Getter
	Set   Setter // nil for read-only classes
	// IndexAware is set when Get and Set handle p.Index themselves
	// ($hdr, $avp, $branch); otherwise an index is an error.
	IndexAware bool
}

// PV is a compiled pseudo-variable reference, ready to run: the class
// implementation, the inner name (static, or a PV for dynamic names), the
// index and the transformations, all resolved once.
type PV struct {
	Spec *Spec
	impl *Impl
	// Name is the static inner name ("x" in $var(x)); NamePV is set
	// instead when the inner name is itself a pseudo-variable.
	Name   string
	NamePV *PV
	// Index, when HasIndex: IndexAll for [*], IndexPV for [$var(i)],
	// otherwise IndexN (negative counts from the end).
	HasIndex bool
	IndexAll bool
	IndexN   int
	IndexPV  *PV
	// Slot and Data are what the class fixup prepared: a $var slot, a
	// header type, a parsed sub-name.
	Slot int
	Data any
	// Trans are the transformations, applied left to right on Get.
	Trans []Tr
}

// Writable reports whether the reference can be assigned.
func (p *PV) Writable() bool { return p.impl.Set != nil && len(p.Trans) == 0 }

// Get reads the value and applies the transformations.
func (p *PV) Get(st *State) Value {
	v := p.impl.Get(st, p)
	for i := range p.Trans {
		var ok bool
		v, ok = p.Trans[i].Fn(st, &p.Trans[i], v)
		if !ok {
			// Kamailio prints a failed transformation (one applied to
			// an undefined value included) as an empty string
			return Str("")
		}
	}
	return v
}

// GetRaw reads the value without transformations.
func (p *PV) GetRaw(st *State) Value { return p.impl.Get(st, p) }

// Set writes v.
func (p *PV) Set(st *State, v Value) error {
	if p.impl.Set == nil {
		return fmt.Errorf("$%s is read-only", p.Spec.Class)
	}
	return p.impl.Set(st, p, v)
}

// InnerName returns the inner name: the static one, or the dynamic one's
// current value as text.
func (p *PV) InnerName(st *State) string {
	if p.NamePV != nil {
		return p.NamePV.Get(st).Text()
	}
	return p.Name
}

// Index returns the index to use: (n, all, ok). ok is false when the
// reference has no index.
func (p *PV) Index(st *State) (n int, all, ok bool) {
	if !p.HasIndex {
		return 0, false, false
	}
	if p.IndexAll {
		return 0, true, true
	}
	if p.IndexPV != nil {
		v := p.IndexPV.Get(st)
		if v.K == KindInt {
			return int(v.I), false, true
		}
		i, _ := StrToInt(v.S)
		return int(i), false, true
	}
	return p.IndexN, false, true
}

// Tr is one compiled transformation.
type Tr struct {
	T Transform
	// Fn applies the transformation; ok false means it failed, and the
	// whole reference reads as "".
	Fn func(st *State, t *Tr, v Value) (Value, bool)
	// Args are the parsed arguments: constants or pseudo-variables.
	Args []TrArg
	// Data is what the transformation prepared at compile time.
	Data any
}

// TrArg is one transformation argument.
type TrArg struct {
	Lit string
	Int int64
	// IsInt is set when Lit is a number.
	IsInt bool
	PV    *PV // when the argument is a pseudo-variable
}

// Value returns the argument's value for this run.
func (a *TrArg) Value(st *State) Value {
	if a.PV != nil {
		return a.PV.Get(st)
	}
	if a.IsInt {
		return Int(a.Int)
	}
	return Str(a.Lit)
}

// Compiler turns parsed specs into PVs. It allocates $var slots for the
// program being compiled.
type Compiler struct {
	table *Table
	vars  map[string]int
	// Globals gives $def and similar compile-time classes their values.
	Defines map[string]string
	// AVPAlias resolves the names modparam("pv", "avp_aliases", …) gives
	// to AVPs: $avp(alias) is the AVP it names. Nil means none.
	AVPAlias func(alias string) (AVPName, bool)
}

// NewCompiler returns a compiler resolving classes in t.
func NewCompiler(t *Table) *Compiler {
	return &Compiler{table: t, vars: map[string]int{}}
}

// VarSlot returns the slot of $var(name), reserving one on first use.
func (c *Compiler) VarSlot(name string) int {
	if s, ok := c.vars[name]; ok {
		return s
	}
	s := len(c.vars)
	c.vars[name] = s
	return s
}

// NumVars is the number of $var slots reserved so far.
func (c *Compiler) NumVars() int { return len(c.vars) }

// VarNames returns the $var names by slot.
func (c *Compiler) VarNames() []string {
	out := make([]string, len(c.vars))
	for n, s := range c.vars {
		out[s] = n
	}
	return out
}

// Compile prepares spec for running.
func (c *Compiler) Compile(spec *Spec) (*PV, error) {
	cls, ok := c.table.Lookup(spec.Class)
	if !ok {
		return nil, fmt.Errorf("unknown pseudo-variable $%s", spec.Class)
	}
	impl := cls.Impl
	if impl == nil {
		impl = builtinImpl(spec.Class)
	}
	if impl == nil {
		return nil, fmt.Errorf("$%s is not supported by kamgo yet", spec.Class)
	}
	p := &PV{Spec: spec, impl: impl, Name: spec.Inner}
	if spec.HasInner && len(spec.Inner) > 0 && spec.Inner[0] == '$' {
		if inner, err := Parse(spec.Inner); err == nil {
			if p.NamePV, err = c.Compile(inner); err != nil {
				return nil, err
			}
		}
	}
	if ix := spec.Index; ix != nil {
		if !impl.IndexAware {
			return nil, fmt.Errorf("$%s does not take an index", spec.Class)
		}
		p.HasIndex, p.IndexAll, p.IndexN = true, ix.All, ix.N
		if ix.PV != nil {
			var err error
			if p.IndexPV, err = c.Compile(ix.PV); err != nil {
				return nil, err
			}
		}
	}
	if impl.Fixup != nil {
		if err := impl.Fixup(c, p); err != nil {
			return nil, fmt.Errorf("$%s: %w", spec.Class, err)
		}
	}
	for _, t := range spec.Transforms {
		tr, err := c.compileTransform(t)
		if err != nil {
			return nil, err
		}
		p.Trans = append(p.Trans, tr)
	}
	return p, nil
}

// compileTransform parses t's arguments and finds its function.
func (c *Compiler) compileTransform(t Transform) (Tr, error) {
	if err := ValidateTransform(t); err != nil {
		return Tr{}, err
	}
	tr := Tr{T: t}
	for _, a := range t.Args {
		arg := TrArg{Lit: a}
		if len(a) > 1 && a[0] == '$' && startsSpec(a) {
			if spec, err := Parse(a); err == nil {
				pvArg, err := c.Compile(spec)
				if err != nil {
					return Tr{}, err
				}
				arg.PV = pvArg
			}
		}
		if arg.PV == nil {
			if n, ok := StrToInt(a); ok && a != "" {
				arg.Int, arg.IsInt = n, true
			}
		}
		tr.Args = append(tr.Args, arg)
	}
	if err := fixupTransform(&tr); err != nil {
		return Tr{}, fmt.Errorf("{%s.%s}: %w", t.Class, t.Name, err)
	}
	return tr, nil
}

// CompiledFormat is a format string ready to run: literal parts and PVs.
type CompiledFormat struct {
	Parts []FormatPart
	// Const is set when the format has no PV: Lit of the only part.
	Const bool
}

// FormatPart is literal text or a PV.
type FormatPart struct {
	Lit string
	PV  *PV
}

// CompileFormat parses and compiles a format string.
func (c *Compiler) CompileFormat(s string) (*CompiledFormat, error) {
	f, errs := ParseFormat(s)
	if len(errs) > 0 {
		return nil, fmt.Errorf("bad format string %q: %s", s, errs[0].Msg)
	}
	out := &CompiledFormat{Const: true}
	for _, part := range f.Parts {
		if part.Spec == nil {
			if n := len(out.Parts); n > 0 && out.Parts[n-1].PV == nil {
				out.Parts[n-1].Lit += part.Lit
				continue
			}
			out.Parts = append(out.Parts, FormatPart{Lit: part.Lit})
			continue
		}
		p, err := c.Compile(part.Spec)
		if err != nil {
			return nil, err
		}
		out.Const = false
		out.Parts = append(out.Parts, FormatPart{PV: p})
	}
	return out, nil
}

// Append evaluates the format and appends the text to dst. A null value
// prints as "<null>", as xlog does. dst must not be st.Arena: getters
// build their values there.
func (f *CompiledFormat) Append(st *State, dst []byte) []byte {
	for i := range f.Parts {
		pt := &f.Parts[i]
		if pt.PV == nil {
			dst = append(dst, pt.Lit...)
			continue
		}
		dst = pt.PV.Get(st).AppendText(dst)
	}
	return dst
}

// String evaluates the format into the arena. The values are read first
// (their getters may use the arena too), then copied side by side.
func (f *CompiledFormat) String(st *State) string {
	if f.Const {
		if len(f.Parts) == 0 {
			return ""
		}
		return f.Parts[0].Lit
	}
	var small [8]Value
	vals := small[:0]
	if len(f.Parts) > len(small) {
		vals = make([]Value, 0, len(f.Parts))
	}
	for i := range f.Parts {
		if pt := &f.Parts[i]; pt.PV != nil {
			vals = append(vals, pt.PV.Get(st))
		}
	}
	start := len(st.Arena)
	k := 0
	for i := range f.Parts {
		pt := &f.Parts[i]
		if pt.PV == nil {
			st.Arena = append(st.Arena, pt.Lit...)
			continue
		}
		st.Arena = vals[k].AppendText(st.Arena)
		k++
	}
	return st.ArenaString(start)
}
