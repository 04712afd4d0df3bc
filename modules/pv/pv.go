// Package pv is Kamailio's pv module: loading it enables the
// pseudo-variables of package pv ($ru, $var(x), $avp(x), $hdr(X) …, whose
// classes declare Module "pv"), and its parameters give $shv and $var
// their start-up values.
package pv

import (
	"fmt"

	"github.com/kamgo/kamgo/pv"
	"github.com/kamgo/kamgo/runtime/module"
)

// Name is the module name.
const Name = "pv"

// GlobalsHost is the part of the core's module host the parameters need:
// the values shared by every worker.
type GlobalsHost interface {
	Globals() *pv.Globals
}

func globals(host module.Host) (*pv.Globals, error) {
	if g, ok := host.(GlobalsHost); ok && g.Globals() != nil {
		return g.Globals(), nil
	}
	return nil, fmt.Errorf("no shared variable store (internal error)")
}

// State is the module's state in one server.
type State struct {
	// AVPAliases are the names avp_aliases gives to AVPs.
	AVPAliases map[string]pv.AVPName
}

// AVPAlias returns the AVP an alias names.
func (s *State) AVPAlias(alias string) (pv.AVPName, bool) {
	n, ok := s.AVPAliases[alias]
	return n, ok
}

// applyAVPAliases parses and records the aliases; the compiler asks the
// module's AVPAlias for every $avp name.
func applyAVPAliases(host module.Host, v module.ParamValue) error {
	aliases, err := pv.ParseAVPAliases(v.Str)
	if err != nil {
		return err
	}
	s, ok := host.Module(Name)
	st, _ := s.(*State)
	if !ok || st == nil {
		return fmt.Errorf("pv: no module state (internal error)")
	}
	if st.AVPAliases == nil {
		st.AVPAliases = map[string]pv.AVPName{}
	}
	for a, n := range aliases {
		if _, dup := st.AVPAliases[a]; dup {
			return fmt.Errorf("AVP alias %q is defined twice", a)
		}
		st.AVPAliases[a] = n
	}
	return nil
}

func init() {
	module.MustRegister(&module.Module{
		Name: Name,
		Params: []module.Param{
			{Name: "shvset", Kind: module.ParamString, Multi: true, Apply: func(host module.Host, v module.ParamValue) error {
				name, val, err := pv.ParseShvset(v.Str)
				if err != nil {
					return err
				}
				g, err := globals(host)
				if err != nil {
					return err
				}
				g.Shared.Set(name, val)
				return nil
			}},
			{Name: "varset", Kind: module.ParamString, Multi: true, Apply: func(host module.Host, v module.ParamValue) error {
				name, val, err := pv.ParseVarset(v.Str)
				if err != nil {
					return err
				}
				g, err := globals(host)
				if err != nil {
					return err
				}
				if g.VarInit == nil {
					g.VarInit = map[string]pv.Value{}
				}
				g.VarInit[name] = val.Clone()
				return nil
			}},
			{Name: "avp_aliases", Kind: module.ParamString, Multi: true, Apply: applyAVPAliases},
		},
		New:   func() any { return &State{} },
		Funcs: funcs(),
		// $sbranch is declared by package pv; the module supplies its
		// implementation.
		PVs: []pv.Class{{Name: "sbranch", Inner: pv.NeedsInner, Writable: true, Impl: pv.SBranchImpl()}},
	})
}
