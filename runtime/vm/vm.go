// Package vm runs compiled routes. A Machine holds a bytecode.Program and
// the limits of the core (max_while_loops, max_recursive_level); a Ctx is
// one execution: the per-message state the pseudo-variables see, the value
// stack, and the stop flags. Workers keep a Ctx each and reuse it, so
// running a route allocates nothing.
//
// The rules are Kamailio's (reference §2.4 and §3): an if takes its branch
// when the value is above 0, a while loops while it is non-zero, a call
// inside an expression is 1 or 0 but its raw code when assigned, a code of
// 0 stops the script, $rc holds the last code of a call.
//
// A route may run later, from another goroutine, on a stored message and
// its AVPs: tm gives Run a State it kept with the transaction.
package vm

import (
	"regexp"

	"github.com/kamgo/kamgo/lang/bytecode"
	"github.com/kamgo/kamgo/pv"
	"github.com/kamgo/kamgo/runtime/logging"
	"github.com/kamgo/kamgo/runtime/module"
)

// Defaults of the core limits.
const (
	DefaultMaxWhileLoops     = 100
	DefaultMaxRecursiveLevel = 256
)

// Machine runs one program. It is immutable after New and shared by every
// worker.
type Machine struct {
	Prog *bytecode.Program
	Log  *logging.Logger
	// MaxWhileLoops bounds the iterations of one while loop;
	// MaxRecursiveLevel the nesting of routes and blocks.
	MaxWhileLoops     int
	MaxRecursiveLevel int
	// Myself reports whether host (and port, 0 when absent) is a local
	// address: a listen socket or an alias. Nil means nothing is.
	Myself func(host string, port int) bool
	// Core is the server the functions send through; nil when none runs.
	Core module.Core
}

// New returns a machine for prog with Kamailio's default limits.
func New(prog *bytecode.Program, log *logging.Logger) *Machine {
	if log == nil {
		log = logging.Discard()
	}
	return &Machine{Prog: prog, Log: log, MaxWhileLoops: DefaultMaxWhileLoops, MaxRecursiveLevel: DefaultMaxRecursiveLevel}
}

// NewVarStore returns a worker's $var store: every $var of the program
// with its start-up value (pv's varset) or 0.
func (m *Machine) NewVarStore(globals *pv.Globals) *pv.VarStore {
	vars := pv.NewVarStore(len(m.Prog.VarNames))
	if globals != nil {
		for slot, name := range m.Prog.VarNames {
			if v, ok := globals.VarInit[name]; ok {
				vars.Vals[slot] = v
			}
		}
	}
	return vars
}

// Ctx is one execution context. It is not safe for concurrent use; a
// worker owns one and reuses it for every message.
type Ctx struct {
	m  *Machine
	st *pv.State
	rt module.RouteType

	stack []pv.Value
	loops []int32

	exit, drop bool
	// evalErr is set when an expression failed (division by zero): the
	// statement that uses it is abandoned.
	evalErr bool

	// log, when set, is the worker's own logger (a per-message prefix).
	log *logging.Logger

	// own is the State used when the caller does not bring one.
	own pv.State
	// regexes caches the patterns of =~ with a run-time right side.
	regexes map[string]*regexp.Regexp
}

// NewCtx returns a context whose State uses vars as the worker's $var store
// (nil: a new one sized for the program).
func (m *Machine) NewCtx(vars *pv.VarStore, globals *pv.Globals) *Ctx {
	if vars == nil {
		vars = m.NewVarStore(globals)
	}
	c := &Ctx{m: m, stack: make([]pv.Value, 0, 64), loops: make([]int32, 0, 16)}
	c.own.Vars = vars
	c.own.Globals = globals
	c.own.AVPs = &pv.AVPList{}
	c.own.XAVPs = &pv.XAVPList{}
	c.own.RURIQ = -1
	c.st = &c.own
	return c
}

// State returns the context's own per-message state: fill it before Run.
func (c *Ctx) State() *pv.State { return c.st }

// RouteType is the type of the route running.
func (c *Ctx) RouteType() module.RouteType { return c.rt }

// Logger returns the context's logger: the worker's own when it has one,
// else the machine's.
func (c *Ctx) Logger() *logging.Logger {
	if c.log != nil {
		return c.log
	}
	return c.m.Log
}

// SetLogger gives the context a logger of its own (nil: the machine's).
func (c *Ctx) SetLogger(l *logging.Logger) { c.log = l }

// Core returns the server the machine runs in, nil when none runs.
func (c *Ctx) Core() module.Core { return c.m.Core }

// Machine returns the machine the context runs on.
func (c *Ctx) Machine() *Machine { return c.m }

// Use makes the context run on st (a transaction's stored state) until
// Use(nil) restores its own.
func (c *Ctx) Use(st *pv.State) {
	if st == nil {
		st = &c.own
	}
	c.st = st
}

// Result is how a route run ended.
type Result struct {
	// Code is the route's return code: the value of return or exit, the
	// last action's result when the route fell off its end, 0 after drop
	// or a function that returned 0.
	Code int
	// Stopped is set when the script was stopped (exit, drop, return 0, a
	// function returning 0) rather than ending normally.
	Stopped bool
	// Dropped is set after drop.
	Dropped bool
}

// Run runs route (an index of Prog.Routes) as route type rt.
func (c *Ctx) Run(route int, rt module.RouteType) Result {
	c.rt = rt
	c.exit, c.drop, c.evalErr = false, false, false
	c.stack = c.stack[:0]
	c.loops = c.loops[:0]
	code := c.exec(route, 1)
	res := Result{Code: int(code), Stopped: c.exit, Dropped: c.drop}
	if res.Dropped {
		res.Code = 0
	}
	if rt&module.Request != 0 && code < 0 && route == c.m.Prog.Request {
		c.Logger().Log(logging.LWarn, "receive_msg(): error while trying script")
	}
	return res
}

func (c *Ctx) pop() pv.Value {
	n := len(c.stack) - 1
	v := c.stack[n]
	c.stack = c.stack[:n]
	return v
}

// exec runs one route at recursion level level and returns its code.
func (c *Ctx) exec(route int, level int) int64 {
	m := c.m
	prog := m.Prog
	r := prog.Routes[route]
	if level > m.MaxRecursiveLevel {
		c.Logger().Logf(logging.LErr, "too many recursive routing table lookups (%d)", level)
		return -1
	}
	code := r.Code
	loopBase := len(c.loops)
	for i := 0; i < r.Loops; i++ {
		c.loops = append(c.loops, 0)
	}
	defer func() { c.loops = c.loops[:loopBase] }()
	st := c.st
	result := int64(1)
	pc := 0
	for pc < len(code) {
		in := code[pc]
		pc++
		switch in.Op {
		case bytecode.Nop:
		case bytecode.Const:
			c.stack = append(c.stack, prog.Consts[in.A])
		case bytecode.LoadPV:
			c.stack = append(c.stack, prog.PVs[in.A].Get(st))
		case bytecode.IsDefPV:
			c.stack = append(c.stack, pv.Bool(!prog.PVs[in.A].Get(st).IsNull()))
		case bytecode.Null:
			c.stack = append(c.stack, pv.Value{})
		case bytecode.Pop:
			c.stack = c.stack[:len(c.stack)-1]

		case bytecode.Add, bytecode.Sub, bytecode.Mul, bytecode.Div, bytecode.Mod,
			bytecode.BitAnd, bytecode.BitOr, bytecode.BitXor, bytecode.Shl, bytecode.Shr,
			bytecode.Eq, bytecode.Ne, bytecode.Lt, bytecode.Gt, bytecode.Le, bytecode.Ge,
			bytecode.StrEq, bytecode.StrNe, bytecode.IntEq, bytecode.IntNe, bytecode.Match:
			n := len(c.stack)
			c.stack[n-2] = c.binary(in.Op, c.stack[n-2], c.stack[n-1])
			c.stack = c.stack[:n-1]
		case bytecode.MatchConst:
			n := len(c.stack) - 1
			if lit := &prog.Literals[in.A]; lit.Kind != bytecode.LitNone {
				c.stack[n] = pv.Bool(lit.Match(c.text(c.stack[n])))
			} else {
				c.stack[n] = pv.Bool(prog.Regexes[in.A].MatchString(c.text(c.stack[n])))
			}
		case bytecode.EqFold:
			n := len(c.stack)
			eq := equalFold(c.text(c.stack[n-2]), c.text(c.stack[n-1]))
			c.stack[n-2] = pv.Bool(eq != (in.B == 1))
			c.stack = c.stack[:n-1]
		case bytecode.MatchIP:
			neg := in.B&bytecode.MatchNegate != 0
			switch {
			case in.B&bytecode.MatchSrc != 0:
				c.stack = append(c.stack, pv.Bool(prog.Nets[in.A].Prefix.Contains(st.Recv.Src.Addr().Unmap()) != neg))
			case in.B&bytecode.MatchDst != 0:
				c.stack = append(c.stack, pv.Bool(prog.Nets[in.A].Prefix.Contains(st.Recv.Dst.Addr().Unmap()) != neg))
			default:
				n := len(c.stack) - 1
				c.stack[n] = pv.Bool(matchNet(&prog.Nets[in.A], c.text(c.stack[n])) != neg)
			}
		case bytecode.Myself:
			n := len(c.stack) - 1
			c.stack[n] = pv.Bool(c.myself(c.stack[n]) != (in.B == 1))
		case bytecode.Neg:
			n := len(c.stack) - 1
			c.stack[n] = pv.Int(pv.Wrap32(-c.toInt(c.stack[n])))
		case bytecode.BitNot:
			n := len(c.stack) - 1
			c.stack[n] = pv.Int(pv.Wrap32(^c.toInt(c.stack[n])))
		case bytecode.Not:
			n := len(c.stack) - 1
			c.stack[n] = pv.Bool(c.toInt(c.stack[n]) == 0)
		case bytecode.Truth:
			n := len(c.stack) - 1
			c.stack[n] = pv.Bool(c.toInt(c.stack[n]) != 0)
		case bytecode.Defined:
			n := len(c.stack) - 1
			c.stack[n] = pv.Bool(!c.stack[n].IsNull())
		case bytecode.StrLen:
			n := len(c.stack) - 1
			v := c.stack[n]
			l := 0
			switch v.K {
			case pv.KindStr:
				l = len(v.S)
			case pv.KindInt:
				l = intLen(v.I)
			}
			c.stack[n] = pv.Int(int64(l))
		case bytecode.StrEmpty:
			n := len(c.stack) - 1
			v := c.stack[n]
			c.stack[n] = pv.Bool(v.IsNull() || v.K == pv.KindStr && v.S == "")
		case bytecode.ToInt:
			n := len(c.stack) - 1
			c.stack[n] = pv.Int(c.toInt(c.stack[n]))
		case bytecode.ToStr:
			n := len(c.stack) - 1
			c.stack[n] = c.toStr(c.stack[n])
		case bytecode.Keyword:
			c.stack = append(c.stack, c.keyword(bytecode.KeywordID(in.A)))

		case bytecode.Jmp:
			pc = int(in.A)
		case bytecode.JmpIfNot:
			v := c.pop()
			if c.evalErr {
				c.evalErr = false
				c.Logger().Log(logging.LErr, "if expression evaluation failed")
				pc = int(in.A)
			} else if c.toInt(v) <= 0 {
				pc = int(in.A)
			}
		case bytecode.JmpIfZero:
			v := c.pop()
			if c.evalErr {
				c.evalErr = false
				pc = int(in.A)
			} else if c.toInt(v) == 0 {
				pc = int(in.A)
			}
		case bytecode.JmpIfZeroKeep:
			if c.stack[len(c.stack)-1].I == 0 {
				pc = int(in.A)
			}
		case bytecode.JmpIfNonZeroKeep:
			if c.stack[len(c.stack)-1].I != 0 {
				pc = int(in.A)
			}

		case bytecode.Call:
			site := &prog.Calls[in.A]
			ret := c.call(site)
			// Core functions leave $rc alone; module functions set it.
			if site.Core == bytecode.CoreNone {
				st.RC = ret
			}
			if ret == 0 {
				c.exit = true
			}
			if c.exit {
				return ret
			}
			c.stack = append(c.stack, pv.Int(ret))
		case bytecode.CallRoute:
			ret := c.exec(int(in.A), level+int(in.B)+1)
			st = c.st
			if c.exit {
				return ret
			}
			st.RC = ret
			c.stack = append(c.stack, pv.Int(ret))
		case bytecode.CallRouteDyn:
			name := c.text(c.pop())
			idx, ok := prog.Named[name]
			if !ok {
				c.Logger().Logf(logging.LErr, "route %q not found", name)
				st.RC = 0
				c.stack = append(c.stack, pv.Int(0))
				break
			}
			ret := c.exec(idx, level+int(in.B)+1)
			st = c.st
			if c.exit {
				return ret
			}
			st.RC = ret
			c.stack = append(c.stack, pv.Int(ret))
		case bytecode.ExprResult:
			n := len(c.stack) - 1
			c.stack[n] = pv.Bool(c.stack[n].I > 0)
		case bytecode.SetResult:
			result = c.toInt(c.pop())
			c.evalErr = false
		case bytecode.Result:
			result = int64(in.A)

		case bytecode.Assign:
			v := c.pop()
			if c.evalErr {
				c.evalErr = false
				break
			}
			if err := prog.PVs[in.A].Set(st, v); err != nil {
				c.Logger().Logf(logging.LErr, "assignment to %s failed: %v", prog.PVs[in.A].Spec.Text, err)
			}

		case bytecode.Return:
			ret := c.toInt(c.pop())
			if ret == 0 {
				c.exit = true
			}
			return ret
		case bytecode.ReturnA:
			return int64(in.A)
		case bytecode.Exit:
			c.exit = true
			return c.toInt(c.pop())
		case bytecode.Drop:
			c.exit, c.drop = true, true
			return 0
		case bytecode.BreakOut:
			return 0
		case bytecode.Switch:
			pc = int(c.switchTarget(&prog.Switches[in.A], c.pop()))
		case bytecode.LoopInit:
			c.loops[loopBase+int(in.A)] = 0
		case bytecode.LoopCheck:
			n := &c.loops[loopBase+int(in.A)]
			*n++
			if int(*n) > m.MaxWhileLoops {
				c.Logger().Logf(logging.LErr, "runaway while: more then %d loops", m.MaxWhileLoops)
				pc = int(in.B)
			}
		case bytecode.Block:
			if l := level + int(in.A); l > m.MaxRecursiveLevel {
				c.Logger().Logf(logging.LErr, "too many recursive routing table lookups (%d)", l)
				result = -1
				pc = int(in.B)
			}
		case bytecode.End:
			return result
		default:
			c.Logger().Logf(logging.LBug, "vm: bad instruction %v at %d in %s", in.Op, pc-1, r.Name)
			return -1
		}
	}
	return result
}

// call runs a module or core function.
func (c *Ctx) call(site *bytecode.CallSite) int64 {
	n := len(c.stack) - site.NDyn
	args := module.Args{Fixed: site.Args, Dyn: c.stack[n:len(c.stack):len(c.stack)], St: c.st}
	ret := site.Func.Exec(c, args)
	c.stack = c.stack[:n]
	return int64(ret)
}

// switchTarget finds the case that matches v.
func (c *Ctx) switchTarget(t *bytecode.SwitchTable, v pv.Value) int32 {
	strMode := false
	for i := range t.Cases {
		if !t.Cases[i].IsInt {
			strMode = true
			break
		}
	}
	if strMode {
		s := c.text(v)
		for i := range t.Cases {
			k := &t.Cases[i]
			switch {
			case k.Regex != nil:
				if k.Regex.MatchString(s) {
					return k.Target
				}
			case k.IsInt:
				if n, ok := pv.StrToInt(s); ok && n == k.Int {
					return k.Target
				}
			case k.Str == s:
				return k.Target
			}
		}
	} else {
		n := c.toInt(v)
		for i := range t.Cases {
			if t.Cases[i].Int == n {
				return t.Cases[i].Target
			}
		}
	}
	if t.Default >= 0 {
		return t.Default
	}
	return t.End
}

func intLen(n int64) int {
	l := 1
	if n < 0 {
		l++
		n = -n
	}
	for n >= 10 {
		n /= 10
		l++
	}
	return l
}

// equalFold compares ASCII strings case-insensitively.
func equalFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if x != y {
			if 'A' <= x && x <= 'Z' {
				x += 'a' - 'A'
			}
			if 'A' <= y && y <= 'Z' {
				y += 'a' - 'A'
			}
			if x != y {
				return false
			}
		}
	}
	return true
}
