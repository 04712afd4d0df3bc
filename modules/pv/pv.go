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
			{Name: "avp_aliases", Kind: module.ParamString, Multi: true, Apply: func(module.Host, module.ParamValue) error {
				return fmt.Errorf("avp_aliases is not supported by kamgo yet: write the AVP names in full")
			}},
		},
	})
}
