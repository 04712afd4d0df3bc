// Package all links every module kamgo ships into a binary: importing it
// registers them in module.Default(), as database/sql drivers register
// themselves.
package all

import (
	// Each module registers itself in init.
	_ "github.com/kamgo/kamgo/modules/corex"
	_ "github.com/kamgo/kamgo/modules/kex"
	_ "github.com/kamgo/kamgo/modules/maxfwd"
	_ "github.com/kamgo/kamgo/modules/nosip"
	_ "github.com/kamgo/kamgo/modules/prototcp"
	_ "github.com/kamgo/kamgo/modules/pv"
	_ "github.com/kamgo/kamgo/modules/rr"
	_ "github.com/kamgo/kamgo/modules/sanity"
	_ "github.com/kamgo/kamgo/modules/siputils"
	_ "github.com/kamgo/kamgo/modules/sl"
	_ "github.com/kamgo/kamgo/modules/textops"
	_ "github.com/kamgo/kamgo/modules/textopsx"
	_ "github.com/kamgo/kamgo/modules/xlog"
)
