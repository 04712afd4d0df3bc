package main

import (
	"github.com/kamgo/kamgo/lang/ast"
	"github.com/kamgo/kamgo/lang/check"
	"github.com/kamgo/kamgo/lang/diag"
	"github.com/kamgo/kamgo/lang/preproc"
	"github.com/kamgo/kamgo/runtime/module"
)

// semanticCheck runs lang/check against the modules compiled into this
// binary (they register themselves in the default registry).
func semanticCheck(cfg *ast.Config, res *preproc.Result, kamailioCompat bool) diag.List {
	return check.Config(cfg, check.Options{Registry: module.Default(), Mode: res.Mode, KamailioCompat: kamailioCompat})
}
