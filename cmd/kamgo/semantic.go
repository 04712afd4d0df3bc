package main

import (
	"github.com/kamgo/kamgo/lang/ast"
	"github.com/kamgo/kamgo/lang/check"
	"github.com/kamgo/kamgo/lang/compile"
	"github.com/kamgo/kamgo/lang/diag"
	"github.com/kamgo/kamgo/lang/preproc"
	"github.com/kamgo/kamgo/runtime/module"
)

// semanticCheck runs lang/check against the modules compiled into this
// binary (they register themselves in the default registry) and, when the
// config passes, compiles it: what only the compiler finds (a function or
// pseudo-variable kamgo cannot run yet, a regex Go cannot express) is
// reported by check too, so that `kamgo run` never refuses a config that
// `kamgo check` accepted.
func semanticCheck(cfg *ast.Config, res *preproc.Result, kamailioCompat bool) diag.List {
	d := check.Config(cfg, check.Options{Registry: module.Default(), Mode: res.Mode, KamailioCompat: kamailioCompat})
	if d.HasErrors() {
		return d
	}
	defines := map[string]string{}
	for name, def := range res.Defines {
		defines[name] = def.Value
	}
	_, cd := compile.Compile(cfg, compile.Options{Registry: module.Default(), Defines: defines})
	return append(d, cd...)
}
