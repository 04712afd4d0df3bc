// Package kex is Kamailio's kex module: the script and branch flag
// functions (setsflag, setbflag and their tests), the destination URI
// functions (setdsturi, resetdsturi, isdsturiset), pv_printf, is_myself,
// setdebug/resetdebug and the control commands of the core that need no
// database (core.echo, core.pwd, core.ppdefines, core.modules, stats.* …).
package kex

import (
	"fmt"
	"strings"
	"sync/atomic"

	"github.com/kamgo/kamgo/pv"
	"github.com/kamgo/kamgo/runtime/logging"
	"github.com/kamgo/kamgo/runtime/module"
	"github.com/kamgo/kamgo/runtime/sip"
)

// Name is the module name.
const Name = "kex"

// maxFlag is the highest flag index: flags are bits of a 32-bit word.
const maxFlag = 31

// State is the module's state in one server.
type State struct {
	// baseDebug is the debug level resetdebug goes back to, remembered
	// the first time setdebug changes it (the server applies debug= after
	// the modules' Init, so it cannot be read earlier). -1 when unset.
	baseDebug atomic.Int64
}

// New returns the module state.
func New() *State {
	s := &State{}
	s.baseDebug.Store(-1)
	return s
}

func stateOf(v any, ok bool) *State {
	if !ok {
		return nil
	}
	s, _ := v.(*State)
	return s
}

// runState finds the module state while a route runs.
func runState(ctx module.ExecContext) *State {
	if c := ctx.Core(); c != nil {
		if s := stateOf(c.Module(Name)); s != nil {
			return s
		}
	}
	return nil
}

var (
	argDyn    = module.Arg{Kind: module.ArgAny, Dynamic: true}
	argPVName = module.Arg{Kind: module.ArgPVName}
	argFormat = module.Arg{Kind: module.ArgFormat}
)

func init() {
	module.MustRegister(&module.Module{
		Name:  Name,
		New:   func() any { return New() },
		Funcs: funcs(),
		RPC:   rpcs(),
		PVs:   []pv.Class{{Name: "stat", Inner: pv.NeedsInner, Impl: &pv.Impl{Get: getStat}}},
	})
}

// getStat is $stat(name): a statistic of the server or of a module, by
// name or group:name; null when there is none (or no server runs).
func getStat(st *pv.State, p *pv.PV) pv.Value {
	if st.Globals == nil || st.Globals.Statistic == nil {
		return pv.Null()
	}
	v, ok := st.Globals.Statistic(p.Name)
	if !ok {
		return pv.Null()
	}
	return pv.Int(int64(v))
}

func funcs() []module.Func {
	one := []int{1}
	oneTwo := []int{1, 2}
	none := []int{0}
	return []module.Func{
		{Name: "setsflag", ArgCounts: one, Args: []module.Arg{argDyn}, Routes: module.Any, Fixup: fixupIntOrPV, Exec: scriptFlag(opSet)},
		{Name: "resetsflag", ArgCounts: one, Args: []module.Arg{argDyn}, Routes: module.Any, Fixup: fixupIntOrPV, Exec: scriptFlag(opReset)},
		{Name: "issflagset", ArgCounts: one, Args: []module.Arg{argDyn}, Routes: module.Any, Fixup: fixupIntOrPV, Exec: scriptFlag(opTest)},
		{Name: "setbflag", ArgCounts: oneTwo, Args: []module.Arg{argDyn, argDyn}, Routes: module.Any, Fixup: fixupIntOrPV, Exec: branchFlag(opSet)},
		{Name: "resetbflag", ArgCounts: oneTwo, Args: []module.Arg{argDyn, argDyn}, Routes: module.Any, Fixup: fixupIntOrPV, Exec: branchFlag(opReset)},
		{Name: "isbflagset", ArgCounts: oneTwo, Args: []module.Arg{argDyn, argDyn}, Routes: module.Any, Fixup: fixupIntOrPV, Exec: branchFlag(opTest)},
		{Name: "setdsturi", ArgCounts: one, Args: []module.Arg{argDyn}, Routes: module.Any, Exec: execSetDstURI},
		{Name: "resetdsturi", ArgCounts: none, Routes: module.Any, Exec: func(ctx module.ExecContext, _ module.Args) int {
			ctx.State().DstURI = ""
			return 1
		}},
		{Name: "isdsturiset", ArgCounts: none, Routes: module.Any, Exec: func(ctx module.ExecContext, _ module.Args) int {
			if ctx.State().DstURI == "" {
				return -1
			}
			return 1
		}},
		{Name: "pv_printf", ArgCounts: []int{2}, Args: []module.Arg{argPVName, argFormat}, Routes: module.Any,
			Fixup: fixupPrintf, Exec: execPrintf},
		{Name: "avp_printf", ArgCounts: []int{2}, Args: []module.Arg{argPVName, argFormat}, Routes: module.Any,
			Fixup: fixupPrintf, Exec: execPrintf},
		{Name: "is_myself", ArgCounts: one, Args: []module.Arg{argDyn}, Routes: module.Any, Exec: execIsMyself},
		{Name: "setdebug", ArgCounts: one, Args: []module.Arg{argDyn}, Routes: module.Any, Fixup: fixupIntOrPV, Exec: execSetDebug},
		{Name: "resetdebug", ArgCounts: none, Routes: module.Any, Exec: execResetDebug},
	}
}

type flagOp int

const (
	opSet flagOp = iota
	opReset
	opTest
)

// apply runs op on bit flag of *word and returns the script code.
func (op flagOp) apply(word *uint32, flag int64) int {
	bit := uint32(1) << uint(flag)
	switch op {
	case opSet:
		*word |= bit
	case opReset:
		*word &^= bit
	default:
		if *word&bit == 0 {
			return -1
		}
	}
	return 1
}

// flagArg reads a flag index argument; ok is false (and the problem is
// logged) when it is not an integer in 0..31.
func flagArg(ctx module.ExecContext, args module.Args, i int, fn string) (int64, bool) {
	n, ok := args.Int(i)
	if !ok {
		ctx.Logger().Logf(logging.LErr, "%s: the flag %q is not an integer", fn, args.Str(i))
		return 0, false
	}
	if n < 0 || n > maxFlag {
		ctx.Logger().Logf(logging.LErr, "%s: flag %d out of range 0..%d", fn, n, maxFlag)
		return 0, false
	}
	return n, true
}

var opNames = [...][2]string{opSet: {"setsflag", "setbflag"}, opReset: {"resetsflag", "resetbflag"}, opTest: {"issflagset", "isbflagset"}}

func scriptFlag(op flagOp) module.ExecFunc {
	return func(ctx module.ExecContext, args module.Args) int {
		flag, ok := flagArg(ctx, args, 0, opNames[op][0])
		if !ok {
			return -1
		}
		return op.apply(&ctx.State().ScriptFlags, flag)
	}
}

// branchFlag works on the flags of branch 0 (the R-URI, $bf) or, with a
// second argument i > 0, on those of the i-th appended branch.
func branchFlag(op flagOp) module.ExecFunc {
	return func(ctx module.ExecContext, args module.Args) int {
		name := opNames[op][1]
		flag, ok := flagArg(ctx, args, 0, name)
		if !ok {
			return -1
		}
		st := ctx.State()
		word := &st.BranchFlags
		if args.Len() > 1 {
			idx, ok := args.Int(1)
			if !ok || idx < 0 {
				ctx.Logger().Logf(logging.LErr, "%s: bad branch index %q", name, args.Str(1))
				return -1
			}
			if idx > 0 {
				if int(idx) > len(st.Branches) {
					return -1
				}
				word = &st.Branches[idx-1].Flags
			}
		}
		return op.apply(word, flag)
	}
}

// execSetDstURI sets $du; Kamailio takes the text as it is, without
// parsing it.
func execSetDstURI(ctx module.ExecContext, args module.Args) int {
	uri := args.Str(0)
	if uri == "" {
		ctx.Logger().Log(logging.LErr, "setdsturi: empty URI")
		return -1
	}
	st := ctx.State()
	st.DstURI = string(append([]byte(nil), uri...))
	return 1
}

func fixupPrintf(_ module.Host, args []module.FixedArg) error {
	if args[0].PV == nil || !args[0].PV.Writable() {
		return fmt.Errorf("the first argument must be a writable pseudo-variable, got %q", args[0].Str)
	}
	return nil
}

func execPrintf(ctx module.ExecContext, args module.Args) int {
	st := ctx.State()
	v := args.Value(1)
	if v.IsNull() {
		v = pv.Str("")
	}
	if err := args.Fixed[0].PV.Set(st, pv.Str(v.Text())); err != nil {
		ctx.Logger().Logf(logging.LErr, "pv_printf: %v", err)
		return -1
	}
	return 1
}

// MyselfHostPort splits what is_myself is given: a SIP URI (host, and the
// port when it has one) or a bare host or address. ok is false for a SIP
// URI that does not parse.
func MyselfHostPort(s string) (host string, port int, ok bool) {
	lower := strings.ToLower(s)
	if strings.HasPrefix(lower, "sip:") || strings.HasPrefix(lower, "sips:") {
		u, err := sip.ParseURI([]byte(s))
		if err != nil {
			return "", 0, false
		}
		if u.HasPort {
			port = int(u.Port)
		}
		return string(u.Host), port, true
	}
	return s, 0, s != ""
}

func execIsMyself(ctx module.ExecContext, args module.Args) int {
	host, port, ok := MyselfHostPort(args.Str(0))
	if !ok {
		return -1
	}
	core := ctx.Core()
	if core == nil {
		ctx.Logger().Log(logging.LErr, "is_myself: no server is running")
		return -1
	}
	if core.Myself(host, port) {
		return 1
	}
	return -1
}

// execSetDebug changes the log threshold. Kamailio's is per process;
// kamgo's workers share one logger, so the level applies to the server.
func execSetDebug(ctx module.ExecContext, args module.Args) int {
	n, ok := args.Int(0)
	if !ok {
		ctx.Logger().Logf(logging.LErr, "setdebug: the level %q is not an integer", args.Str(0))
		return -1
	}
	log := ctx.Logger()
	if s := runState(ctx); s != nil {
		s.baseDebug.CompareAndSwap(-1, int64(log.Debug()))
	}
	log.SetDebug(int(n))
	return 1
}

func execResetDebug(ctx module.ExecContext, _ module.Args) int {
	s := runState(ctx)
	if s == nil {
		return 1
	}
	if base := s.baseDebug.Load(); base != -1 {
		ctx.Logger().SetDebug(int(base))
	}
	return 1
}

// fixupIntOrPV refuses a constant argument that is not an integer, as
// Kamailio's int-or-variable fixup does when the config loads; variables
// are read when the function runs.
func fixupIntOrPV(_ module.Host, args []module.FixedArg) error {
	for i := range args {
		a := &args[i]
		if a.Const && !a.IsInt {
			if _, ok := pv.StrToInt(a.Str); !ok {
				return fmt.Errorf("argument %d must be an integer or a variable, got %q", i+1, a.Str)
			}
		}
	}
	return nil
}
