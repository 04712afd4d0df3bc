package main

import (
	"github.com/kamgo/kamgo/lang/ast"
	"github.com/kamgo/kamgo/lang/diag"
	"github.com/kamgo/kamgo/lang/preproc"
	"github.com/kamgo/kamgo/runtime/core"
	"github.com/kamgo/kamgo/runtime/logging"
)

// semanticCheck loads the config the way `kamgo run` does, against the
// modules compiled into this binary, without opening any socket: lang/check,
// the modparams, the modules' Init (nosip without its event route), the
// compiler (a function or pseudo-variable kamgo cannot run yet), and the
// core parameters (a listen= kamgo cannot serve). So `kamgo run` never
// refuses a config that `kamgo check` accepted.
func semanticCheck(cfg *ast.Config, res *preproc.Result, kamailioCompat bool) diag.List {
	log := logging.Discard()
	l, d := core.Load(cfg, res, core.LoadOptions{Log: log, KamailioCompat: kamailioCompat})
	if l == nil {
		return d
	}
	set, sd := core.ReadSettings(l, log)
	d = append(d, sd...)
	if sd.HasErrors() {
		return d
	}
	_, rd := core.ResolveListen(set)
	return append(d, rd...)
}
