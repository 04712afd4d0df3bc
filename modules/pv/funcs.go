package pv

import (
	"fmt"
	"slices"
	"strings"

	"github.com/kamgo/kamgo/pv"
	"github.com/kamgo/kamgo/runtime/logging"
	"github.com/kamgo/kamgo/runtime/module"
)

// defaultMaxBranches is Kamailio's max_branches when the core did not say.
const defaultMaxBranches = 12

var (
	argDyn    = module.Arg{Kind: module.ArgAny, Dynamic: true}
	argPVName = module.Arg{Kind: module.ArgPVName}
)

// funcs are the pv module's functions. The ones not implemented yet are
// declared without Exec, so that kamgo check names them.
func funcs() []module.Func {
	one, two := []int{1}, []int{2}
	return []module.Func{
		{Name: "pv_isset", ArgCounts: one, Args: []module.Arg{argDyn}, Routes: module.Any, Fixup: fixupPV(0, false), Exec: execIsSet},
		{Name: "pv_unset", ArgCounts: one, Args: []module.Arg{argPVName}, Routes: module.Any, Fixup: fixupPV(0, true), Exec: execUnset},
		{Name: "is_int", ArgCounts: one, Args: []module.Arg{argDyn}, Routes: module.Any, Fixup: fixupPV(0, false), Exec: execIsInt},
		{Name: "typeof", ArgCounts: two, Args: []module.Arg{argDyn, {Kind: module.ArgString}}, Routes: module.Any, Fixup: fixupPV(0, false), Exec: execTypeof},
		{Name: "not_empty", ArgCounts: one, Args: []module.Arg{argDyn}, Routes: module.Any, Fixup: fixupPV(0, false), Exec: execNotEmpty},
		{Name: "xavp_copy", ArgCounts: []int{3, 4}, Args: []module.Arg{argDyn, argDyn, argDyn, argDyn}, Routes: module.Any},
		{Name: "xavp_params_explode", ArgCounts: two, Args: []module.Arg{argDyn, argDyn}, Routes: module.Any, Exec: execParamsExplode},
		{Name: "xavp_params_implode", ArgCounts: two, Args: []module.Arg{argDyn, argPVName}, Routes: module.Any},
		{Name: "xavu_params_explode", ArgCounts: two, Args: []module.Arg{argDyn, argDyn}, Routes: module.Any},
		{Name: "xavu_params_implode", ArgCounts: two, Args: []module.Arg{argDyn, argPVName}, Routes: module.Any},
		{Name: "xavp_slist_explode", ArgCounts: []int{4}, Args: []module.Arg{argDyn, argDyn, argDyn, argDyn}, Routes: module.Any},
		{Name: "xavp_child_seti", ArgCounts: []int{3}, Args: []module.Arg{argDyn, argDyn, argDyn}, Routes: module.Any},
		{Name: "xavi_child_seti", ArgCounts: []int{3}, Args: []module.Arg{argDyn, argDyn, argDyn}, Routes: module.Any},
		{Name: "xavp_child_sets", ArgCounts: []int{3}, Args: []module.Arg{argDyn, argDyn, argDyn}, Routes: module.Any},
		{Name: "xavi_child_sets", ArgCounts: []int{3}, Args: []module.Arg{argDyn, argDyn, argDyn}, Routes: module.Any},
		{Name: "xavp_rm", ArgCounts: one, Args: []module.Arg{argDyn}, Routes: module.Any, Exec: execXAVPRm(false)},
		{Name: "xavi_rm", ArgCounts: one, Args: []module.Arg{argDyn}, Routes: module.Any, Exec: execXAVPRm(true)},
		{Name: "xavp_child_rm", ArgCounts: two, Args: []module.Arg{argDyn, argDyn}, Routes: module.Any, Exec: execXAVPChildRm(false)},
		{Name: "xavi_child_rm", ArgCounts: two, Args: []module.Arg{argDyn, argDyn}, Routes: module.Any, Exec: execXAVPChildRm(true)},
		{Name: "sbranch_set_ruri", Routes: module.Any, Exec: execSBranchSetRURI},
		{Name: "sbranch_append", Routes: module.Any, Exec: execSBranchAppend},
		{Name: "sbranch_reset", Routes: module.Any, Exec: func(ctx module.ExecContext, _ module.Args) int {
			pv.ResetStaticBranch(ctx.State())
			return 1
		}},
		{Name: "pv_xavp_print", Routes: module.Any},
		{Name: "pv_xavu_print", Routes: module.Any},
		{Name: "pv_xavi_print", Routes: module.Any},
		{Name: "pv_var_to_xavp", ArgCounts: two, Args: []module.Arg{argDyn, argDyn}, Routes: module.Any},
		{Name: "pv_xavp_to_var", ArgCounts: one, Args: []module.Arg{argDyn}, Routes: module.Any},
		{Name: "pv_evalx", ArgCounts: two, Args: []module.Arg{argPVName, argDyn}, Routes: module.Any},
	}
}

// fixupPV makes argument i a pseudo-variable: a lone $x or a string
// holding exactly one ("$var(x)"), which the compiler turned into a
// format of one part.
func fixupPV(i int, writable bool) module.FixupFunc {
	return func(_ module.Host, args []module.FixedArg) error {
		a := &args[i]
		p := a.PV
		if p == nil && a.Format != nil && len(a.Format.Parts) == 1 {
			p = a.Format.Parts[0].PV
		}
		if p == nil {
			return fmt.Errorf("argument %d must be a pseudo-variable, such as \"$var(x)\"", i+1)
		}
		if writable && !p.Writable() {
			return fmt.Errorf("argument %d must be a writable pseudo-variable", i+1)
		}
		a.Fixed = p
		return nil
	}
}

func pvArg(args module.Args, i int) *pv.PV {
	p, _ := args.Fixed[i].Fixed.(*pv.PV)
	return p
}

func truth(b bool) int {
	if b {
		return 1
	}
	return -1
}

func execIsSet(ctx module.ExecContext, args module.Args) int {
	return truth(!pvArg(args, 0).Get(ctx.State()).IsNull())
}

func execUnset(ctx module.ExecContext, args module.Args) int {
	if err := pvArg(args, 0).Set(ctx.State(), pv.Null()); err != nil {
		ctx.Logger().Logf(logging.LErr, "pv_unset: %v", err)
		return -1
	}
	return 1
}

func execIsInt(ctx module.ExecContext, args module.Args) int {
	return truth(pvArg(args, 0).Get(ctx.State()).IsInt())
}

// execTypeof compares the value's type with the first letter of the
// second argument: i(nt), s(tr) or n(ull), in any case.
func execTypeof(ctx module.ExecContext, args module.Args) int {
	v := pvArg(args, 0).Get(ctx.State())
	t := args.Str(1)
	if t == "" {
		return -1
	}
	switch t[0] {
	case 'i', 'I':
		return truth(v.IsInt())
	case 's', 'S':
		return truth(v.IsStr())
	case 'n', 'N':
		return truth(v.IsNull())
	}
	return -1
}

func execNotEmpty(ctx module.ExecContext, args module.Args) int {
	v := pvArg(args, 0).Get(ctx.State())
	return truth(v.IsStr() && v.S != "")
}

// execParamsExplode turns "a=b;c=d" into a new $xavp root called xname
// with the fields a and c; a parameter without a value gets "".
func execParamsExplode(ctx module.ExecContext, args module.Args) int {
	params, xname := args.Str(0), args.Str(1)
	if xname == "" {
		ctx.Logger().Log(logging.LErr, "xavp_params_explode: empty XAVP name")
		return -1
	}
	fields, ok := splitParams(params)
	if !ok {
		ctx.Logger().Logf(logging.LErr, "xavp_params_explode: bad parameters %q", params)
		return -1
	}
	st := ctx.State()
	if st.XAVPs == nil {
		st.XAVPs = &pv.XAVPList{}
	}
	// The first parameter ends up the newest field, as in Kamailio, where
	// it is read as $xavp(x=>name) when a name repeats.
	slices.Reverse(fields)
	st.XAVPs.AddXAVP(xname, fields...)
	return 1
}

// splitParams parses name[=value] items separated by ';', as SIP header
// parameters are written (values may be quoted).
func splitParams(s string) ([]pv.XAVPField, bool) {
	var out []pv.XAVPField
	s = strings.TrimSpace(s)
	for s != "" {
		var item string
		inQuote := false
		end := len(s)
		for i := 0; i < len(s); i++ {
			switch s[i] {
			case '"':
				inQuote = !inQuote
			case ';':
				if !inQuote {
					end = i
				}
			}
			if end != len(s) {
				break
			}
		}
		if inQuote {
			return nil, false
		}
		item, s = s[:end], s[min(end+1, len(s)):]
		name, val, _ := strings.Cut(item, "=")
		name, val = strings.TrimSpace(name), strings.TrimSpace(val)
		if len(val) >= 2 && val[0] == '"' && val[len(val)-1] == '"' {
			val = val[1 : len(val)-1]
		}
		if name == "" {
			if strings.TrimSpace(item) == "" {
				continue
			}
			return nil, false
		}
		out = append(out, pv.XAVPField{Key: name, Value: pv.Str(val)})
	}
	return out, true
}

func execXAVPRm(xavi bool) module.ExecFunc {
	return func(ctx module.ExecContext, args module.Args) int {
		name := args.Str(0)
		st := ctx.State()
		if name == "" {
			return -1
		}
		if st.XAVPs != nil {
			st.XAVPs.RemoveXAVP(xavi, name, 0, false)
		}
		return 1
	}
}

func execXAVPChildRm(xavi bool) module.ExecFunc {
	return func(ctx module.ExecContext, args module.Args) int {
		name, key := args.Str(0), args.Str(1)
		st := ctx.State()
		if name == "" || key == "" {
			return -1
		}
		if st.XAVPs != nil {
			st.XAVPs.RemoveXAVPChild(xavi, name, 0, key, 0, false)
		}
		return 1
	}
}

// execSBranchSetRURI makes the static branch the R-URI's branch.
func execSBranchSetRURI(ctx module.ExecContext, _ module.Args) int {
	st := ctx.State()
	b := pv.StaticBranch(st)
	if b.URI == "" {
		ctx.Logger().Log(logging.LErr, "sbranch_set_ruri: the static branch has no uri")
		return -1
	}
	if st.Msg == nil || !st.Msg.IsRequest() {
		return -1
	}
	if err := st.Msg.SetRequestURI(b.URI); err != nil {
		ctx.Logger().Logf(logging.LErr, "sbranch_set_ruri: %v", err)
		return -1
	}
	st.DstURI = b.DstURI
	st.RURIQ = b.Q
	st.BranchFlags = b.Flags
	st.ForceSocket = b.SendSocket
	return 1
}

// execSBranchAppend adds a copy of the static branch to the destination
// set.
func execSBranchAppend(ctx module.ExecContext, _ module.Args) int {
	st := ctx.State()
	b := pv.StaticBranch(st)
	if b.URI == "" {
		ctx.Logger().Log(logging.LErr, "sbranch_append: the static branch has no uri")
		return -1
	}
	limit := defaultMaxBranches
	if st.Globals != nil && st.Globals.MaxBranches > 0 {
		limit = st.Globals.MaxBranches
	}
	if len(st.Branches)+1 >= limit {
		ctx.Logger().Logf(logging.LErr, "sbranch_append: max_branches (%d) reached", limit)
		return -1
	}
	st.Branches = append(st.Branches, *b)
	return 1
}
