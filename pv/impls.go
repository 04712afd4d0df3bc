package pv

import (
	"os"
)

// builtinImpls are the run-time implementations of the built-in classes,
// by class name. Built once at init and never modified.
var builtinImpls = func() map[string]*Impl {
	m := map[string]*Impl{}
	addCoreImpls(m)
	addMsgImpls(m)
	addStoreImpls(m)
	return m
}()

func builtinImpl(class string) *Impl { return builtinImpls[class] }

// HasImpl reports whether kamgo implements the built-in class.
func HasImpl(class string) bool { return builtinImpls[class] != nil }

// addCoreImpls adds the classes of the core: $rc, $?, $null, $env, $def.
func addCoreImpls(m map[string]*Impl) {
	rc := &Impl{Get: func(st *State, _ *PV) Value { return Int(st.RC) }}
	m["rc"], m["retcode"], m["?"] = rc, rc, rc
	m["null"] = &Impl{Get: func(*State, *PV) Value { return Null() }}
	m["env"] = &Impl{Get: func(st *State, p *PV) Value {
		v, ok := os.LookupEnv(p.InnerName(st))
		if !ok {
			return Null()
		}
		return Str(v)
	}}
	m["envn"] = &Impl{Get: func(st *State, p *PV) Value {
		v, ok := os.LookupEnv(p.InnerName(st))
		if !ok {
			return Null()
		}
		if n, ok := StrToInt(v); ok {
			return Int(n)
		}
		return Null()
	}}
	// $def(N) and $defn(N) are fixed when the config is compiled.
	defFixup := func(asInt bool) func(c *Compiler, p *PV) error {
		return func(c *Compiler, p *PV) error {
			v, ok := c.Defines[p.Name]
			switch {
			case !ok:
				p.Data = Null()
			case asInt:
				n, ok := StrToInt(v)
				if !ok {
					p.Data = Null()
				} else {
					p.Data = Int(n)
				}
			default:
				p.Data = Str(v)
			}
			return nil
		}
	}
	defGet := func(_ *State, p *PV) Value { return p.Data.(Value) }
	m["def"] = &Impl{Fixup: defFixup(false), Get: defGet}
	m["defn"] = &Impl{Fixup: defFixup(true), Get: defGet}
}
