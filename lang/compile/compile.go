// Package compile turns a checked config tree into a bytecode.Program.
// Everything static is resolved here, once: route names to indices,
// function calls to module entries with their arguments fixed up (constants,
// format strings split into literal and PV parts, compiled regexes, parsed
// PV specs), flags to numbers, $var names to slots, switch labels to jump
// tables. Running a route then does no lookup and no parsing.
//
// Compile expects a config that lang/check accepted; what it still finds
// wrong (a PV kamgo cannot run yet, a regex Go cannot express) comes back
// as diagnostics at the offending token.
package compile

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"

	"github.com/kamgo/kamgo/lang/ast"
	"github.com/kamgo/kamgo/lang/bytecode"
	"github.com/kamgo/kamgo/lang/diag"
	"github.com/kamgo/kamgo/lang/posixre"
	"github.com/kamgo/kamgo/lang/token"
	"github.com/kamgo/kamgo/pv"
	"github.com/kamgo/kamgo/runtime/module"
	"github.com/kamgo/kamgo/runtime/module/core"
)

// Options configure a compilation.
type Options struct {
	// Registry holds the modules the config may load.
	Registry *module.Registry
	// Defines are the preprocessor's defines, for $def.
	Defines map[string]string
	// Host is passed to module fixups; it may be nil.
	Host module.Host
}

// Compile builds the program of cfg.
func Compile(cfg *ast.Config, opts Options) (*bytecode.Program, diag.List) {
	c := &compiler{
		opts: opts,
		prog: &bytecode.Program{
			Request: -1, Reply: -1, OnSend: -1,
			Named: map[string]int{}, OnReply: map[string]int{}, Failure: map[string]int{},
			Branch: map[string]int{}, Event: map[string]int{},
			Flags:  map[string]int{},
			Config: cfg,
		},
		core:    map[string][]*module.Func{},
		loaded:  map[string]*module.Module{},
		consts:  map[constKey]int32{},
		regexes: map[string]int32{},
	}
	cm := core.Module()
	for i := range cm.Funcs {
		f := &cm.Funcs[i]
		c.core[f.Name] = append(c.core[f.Name], f)
	}
	table := pv.NewTable()
	for _, it := range cfg.Items {
		if l, ok := it.(*ast.LoadModule); ok && opts.Registry != nil {
			if m, ok := opts.Registry.Lookup(l.Name); ok {
				if _, dup := c.loaded[m.Name]; !dup {
					c.loaded[m.Name] = m
					c.prog.Modules = append(c.prog.Modules, m)
					for _, cls := range m.PVs {
						cls.Module = m.Name
						_ = table.Add(cls)
					}
				}
			}
		}
	}
	c.pvc = pv.NewCompiler(table)
	c.pvc.Defines = opts.Defines
	if opts.Host != nil {
		// The pv module's avp_aliases name AVPs for $avp(alias).
		if st, ok := opts.Host.Module("pv"); ok {
			if a, ok := st.(interface {
				AVPAlias(string) (pv.AVPName, bool)
			}); ok {
				c.pvc.AVPAlias = a.AVPAlias
			}
		}
	}
	c.flags(cfg)
	c.declareRoutes(cfg)
	for _, it := range cfg.Items {
		if r, ok := it.(*ast.Route); ok {
			c.route(r)
		}
	}
	c.logPrefix(cfg)
	c.prog.VarNames = c.pvc.VarNames()
	c.diags.Sort()
	return c.prog, c.diags
}

type constKey struct {
	kind pv.Kind
	s    string
	i    int64
}

type compiler struct {
	opts   Options
	prog   *bytecode.Program
	pvc    *pv.Compiler
	diags  diag.List
	core   map[string][]*module.Func
	loaded map[string]*module.Module

	consts  map[constKey]int32
	regexes map[string]int32

	// per route
	r     *bytecode.Route
	depth int32
	jumps []*jumpScope // innermost last: where break goes
}

// jumpScope collects the break jumps of one while or switch.
type jumpScope struct {
	breaks []int
}

func (c *compiler) errorf(pos token.Pos, format string, args ...any) {
	c.diags.Add(pos, format, args...)
}

// ---------------------------------------------------------------- top level

// flags numbers the `flags` declarations in the order they appear, as
// Kamailio registers them while parsing: a flag without a number takes the
// lowest number not taken so far, and an explicit number is used as given,
// even when an earlier flag already has it (Kamailio only warns), so
// `flags A: 3, B, C: 0;` makes B and C both 0.
func (c *compiler) flags(cfg *ast.Config) {
	taken := map[int]bool{}
	lowestFree := 0
	for _, it := range cfg.Items {
		f, ok := it.(*ast.Flags)
		if !ok || f.AVP {
			continue
		}
		for _, d := range f.Decls {
			if _, dup := c.prog.Flags[d.Name]; dup {
				// a second declaration is an error the checker reports
				continue
			}
			num := d.Num
			if num < 0 {
				for taken[lowestFree] {
					lowestFree++
				}
				num = lowestFree
			}
			c.prog.Flags[d.Name] = num
			taken[num] = true
		}
	}
}

// declareRoutes gives every route an index first, so that calls can refer
// to routes defined later. Several request_route blocks are one route.
func (c *compiler) declareRoutes(cfg *ast.Config) {
	for _, it := range cfg.Items {
		r, ok := it.(*ast.Route)
		if !ok {
			continue
		}
		if _, exists := c.prog.RouteIndex(r.Kind, r.Name); exists {
			continue
		}
		idx := len(c.prog.Routes)
		c.prog.Routes = append(c.prog.Routes, &bytecode.Route{Kind: r.Kind, Name: r.Name, Pos: r.Pos})
		switch r.Kind {
		case ast.RouteRequest:
			c.prog.Request = idx
		case ast.RouteReply:
			c.prog.Reply = idx
		case ast.RouteOnSend:
			c.prog.OnSend = idx
		case ast.RouteNamed:
			c.prog.Named[r.Name] = idx
		case ast.RouteOnReply:
			c.prog.OnReply[r.Name] = idx
		case ast.RouteFailure:
			c.prog.Failure[r.Name] = idx
		case ast.RouteBranch:
			c.prog.Branch[r.Name] = idx
		case ast.RouteEvent:
			c.prog.Event[r.Name] = idx
		}
	}
}

func (c *compiler) route(r *ast.Route) {
	idx, _ := c.prog.RouteIndex(r.Kind, r.Name)
	c.r = c.prog.Routes[idx]
	if len(c.r.Code) > 0 {
		// a further block of a route already compiled (request_route
		// written twice): Kamailio appends the actions
		c.r.Code = c.r.Code[:len(c.r.Code)-1]
		c.r.Lines = c.r.Lines[:len(c.r.Lines)-1]
	}
	c.depth = 0
	c.jumps = nil
	if r.Body != nil {
		c.stmts(r.Body.Stmts)
	}
	end := r.Pos
	if r.Body != nil {
		end = r.Body.EndPos
	}
	c.emit(bytecode.End, 0, 0, end)
}

// ---------------------------------------------------------------- emission

func (c *compiler) emit(op bytecode.Op, a, b int32, pos token.Pos) int {
	c.r.Code = append(c.r.Code, bytecode.Insn{Op: op, A: a, B: b})
	c.r.Lines = append(c.r.Lines, pos)
	return len(c.r.Code) - 1
}

func (c *compiler) pc() int32 { return int32(len(c.r.Code)) }

// dropLast removes the last instruction emitted.
func (c *compiler) dropLast() {
	c.r.Code = c.r.Code[:len(c.r.Code)-1]
	c.r.Lines = c.r.Lines[:len(c.r.Lines)-1]
}

// patch sets the jump target of the instruction at pc to the current pc.
func (c *compiler) patch(pc int) { c.r.Code[pc].A = c.pc() }

func (c *compiler) constant(v pv.Value) int32 {
	k := constKey{v.K, v.S, v.I}
	if i, ok := c.consts[k]; ok {
		return i
	}
	i := int32(len(c.prog.Consts))
	c.prog.Consts = append(c.prog.Consts, v)
	c.consts[k] = i
	return i
}

func (c *compiler) pvIndex(p *pv.PV) int32 {
	c.prog.PVs = append(c.prog.PVs, p)
	return int32(len(c.prog.PVs) - 1)
}

// regex compiles a constant regex of =~ or a switch case: POSIX extended,
// case-insensitive as Kamailio's expression matching is.
func (c *compiler) regex(pos token.Pos, re string) (int32, bool) {
	if i, ok := c.regexes[re]; ok {
		return i, true
	}
	rx, err := posixre.Compile(re, posixre.ICase)
	if err != nil {
		c.errorf(pos, "bad regular expression %q: %v", re, err)
		return 0, false
	}
	i := int32(len(c.prog.Regexes))
	c.prog.Regexes = append(c.prog.Regexes, rx)
	c.prog.Literals = append(c.prog.Literals, bytecode.AnalyzeLiteral(re))
	c.regexes[re] = i
	return i, true
}

// compilePV parses and compiles the pseudo-variable written text at pos.
func (c *compiler) compilePV(pos token.Pos, text string) (*pv.PV, bool) {
	spec, err := pv.Parse(text)
	if err != nil {
		c.errorf(pos, "bad pseudo-variable %s: %v", text, err)
		return nil, false
	}
	p, err := c.pvc.Compile(spec)
	if err != nil {
		c.errorf(pos, "%v", err)
		return nil, false
	}
	return p, true
}

// ---------------------------------------------------------------- statements

func (c *compiler) stmts(list []ast.Stmt) {
	for _, s := range list {
		c.stmt(s)
	}
}

// nested compiles a branch body as Kamailio's nested action list: the
// block counts towards max_recursive_level.
func (c *compiler) nested(s ast.Stmt) {
	c.depth++
	blk := c.emit(bytecode.Block, c.depth, 0, s.Position())
	if b, ok := s.(*ast.Block); ok {
		c.stmts(b.Stmts)
	} else {
		c.stmt(s)
	}
	c.r.Code[blk].B = c.pc()
	c.depth--
}

func (c *compiler) stmt(s ast.Stmt) {
	switch n := s.(type) {
	case *ast.Block:
		c.stmts(n.Stmts)
	case *ast.Empty:
		c.emit(bytecode.Result, 1, 0, n.Pos)
	case *ast.CallStmt:
		if c.call(n.Call, true) {
			c.emit(bytecode.SetResult, 0, 0, n.Pos)
		}
	case *ast.Assign:
		c.assign(n)
	case *ast.If:
		c.ifStmt(n)
	case *ast.While:
		c.whileStmt(n)
	case *ast.Switch:
		c.switchStmt(n)
	case *ast.Return:
		c.returnStmt(n)
	case *ast.BadStmt:
		c.errorf(n.Pos, "statement cannot be compiled")
	default:
		c.errorf(s.Position(), "statement %T cannot be compiled", s)
	}
}

func (c *compiler) assign(n *ast.Assign) {
	if n.LHS == nil {
		c.errorf(n.Pos, "assignment without a target")
		return
	}
	p, ok := c.compilePV(n.LHS.Pos, n.LHS.Text)
	if !ok {
		return
	}
	if !p.Writable() {
		c.errorf(n.LHS.Pos, "%s cannot be assigned", n.LHS.Text)
		return
	}
	// A function or route call on the right (even in parentheses) stores
	// its raw return code, not the 1/0 of an expression.
	c.expr(n.RHS, true)
	c.emit(bytecode.Assign, c.pvIndex(p), 0, n.Pos)
	c.emit(bytecode.Result, 1, 0, n.Pos)
}

func (c *compiler) ifStmt(n *ast.If) {
	c.expr(n.Cond, false)
	jElse := c.emit(bytecode.JmpIfNot, 0, 0, n.Pos)
	c.nested(n.Then)
	if n.Else == nil {
		jEnd := c.emit(bytecode.Jmp, 0, 0, n.Pos)
		c.patch(jElse)
		// a false condition without else counts as 1
		c.emit(bytecode.Result, 1, 0, n.Pos)
		c.patch(jEnd)
		return
	}
	jEnd := c.emit(bytecode.Jmp, 0, 0, n.Pos)
	c.patch(jElse)
	if inner, ok := n.Else.(*ast.If); ok {
		// else if: Kamailio nests it as a one-statement block
		c.nestedIf(inner)
	} else {
		c.nested(n.Else)
	}
	c.patch(jEnd)
}

func (c *compiler) nestedIf(n *ast.If) {
	c.depth++
	blk := c.emit(bytecode.Block, c.depth, 0, n.Pos)
	c.ifStmt(n)
	c.r.Code[blk].B = c.pc()
	c.depth--
}

func (c *compiler) whileStmt(n *ast.While) {
	loop := int32(c.r.Loops)
	c.r.Loops++
	c.emit(bytecode.Result, 1, 0, n.Pos)
	c.emit(bytecode.LoopInit, loop, 0, n.Pos)
	top := c.pc()
	c.expr(n.Cond, false)
	jEnd := c.emit(bytecode.JmpIfZero, 0, 0, n.Pos)
	chk := c.emit(bytecode.LoopCheck, loop, 0, n.Pos)
	scope := &jumpScope{}
	c.jumps = append(c.jumps, scope)
	c.nested(n.Body)
	c.jumps = c.jumps[:len(c.jumps)-1]
	c.emit(bytecode.Jmp, top, 0, n.Pos)
	c.patch(jEnd)
	c.r.Code[chk].B = c.pc()
	for _, b := range scope.breaks {
		c.patch(b)
	}
}

func (c *compiler) switchStmt(n *ast.Switch) {
	c.expr(n.Subject, false)
	idx := int32(len(c.prog.Switches))
	c.prog.Switches = append(c.prog.Switches, bytecode.SwitchTable{Default: -1})
	c.emit(bytecode.Switch, idx, 0, n.Pos)
	var cases []bytecode.SwitchCase
	def := int32(-1)
	scope := &jumpScope{}
	c.jumps = append(c.jumps, scope)
	c.depth++
	for _, cs := range n.Cases {
		target := c.pc()
		switch {
		case cs.Default:
			def = target
		case cs.Regex:
			s, _ := cs.Value.(*ast.StrLit)
			if s == nil {
				c.errorf(cs.Pos, "a regex case needs a string")
				continue
			}
			ri, ok := c.regex(s.Pos, s.Value)
			if !ok {
				continue
			}
			cases = append(cases, bytecode.SwitchCase{Regex: c.prog.Regexes[ri], Str: s.Value, Target: target})
		default:
			switch v := unparen(cs.Value).(type) {
			case *ast.IntLit:
				cases = append(cases, bytecode.SwitchCase{IsInt: true, Int: v.Value, Target: target})
			case *ast.StrLit:
				cases = append(cases, bytecode.SwitchCase{Str: v.Value, Target: target})
			default:
				c.errorf(cs.Pos, "a case label must be a number or a string")
			}
		}
		c.stmts(cs.Body)
	}
	c.depth--
	c.jumps = c.jumps[:len(c.jumps)-1]
	end := c.pc()
	for _, b := range scope.breaks {
		c.patch(b)
	}
	c.prog.Switches[idx] = bytecode.SwitchTable{Cases: cases, Default: def, End: end}
}

func (c *compiler) returnStmt(n *ast.Return) {
	switch n.Kind {
	case ast.KindReturn:
		if n.Value == nil {
			c.emit(bytecode.ReturnA, 1, 0, n.Pos)
			return
		}
		c.expr(n.Value, true)
		c.emit(bytecode.Return, 0, 0, n.Pos)
	case ast.KindExit:
		if n.Value == nil {
			c.emit(bytecode.Const, c.constant(pv.Int(1)), 0, n.Pos)
		} else {
			c.expr(n.Value, true)
		}
		c.emit(bytecode.Exit, 0, 0, n.Pos)
	case ast.KindDrop:
		c.emit(bytecode.Drop, 0, 0, n.Pos)
	case ast.KindBreak:
		if len(c.jumps) == 0 {
			c.emit(bytecode.BreakOut, 0, 0, n.Pos)
			return
		}
		scope := c.jumps[len(c.jumps)-1]
		scope.breaks = append(scope.breaks, c.emit(bytecode.Jmp, 0, 0, n.Pos))
	}
}

// ---------------------------------------------------------------- expressions

func unparen(e ast.Expr) ast.Expr {
	for {
		p, ok := e.(*ast.Paren)
		if !ok {
			return e
		}
		e = p.X
	}
}

// isCall reports whether e is a function or route call (in parentheses or
// not): its raw code is what an assignment stores.
func (c *compiler) isCall(e ast.Expr) bool {
	call, ok := unparen(e).(*ast.Call)
	if !ok {
		return false
	}
	if fs, ok := c.core[call.Name]; ok && len(fs) > 0 && fs[0].InExpr {
		return false
	}
	return true
}

// expr compiles e, leaving its value on the stack. raw keeps the raw
// return code of a call at the top of e (assignment, return).
func (c *compiler) expr(e ast.Expr, raw bool) {
	switch n := e.(type) {
	case *ast.IntLit:
		c.emit(bytecode.Const, c.constant(pv.Int(pv.Wrap32(n.Value))), 0, n.Pos)
	case *ast.StrLit:
		c.emit(bytecode.Const, c.constant(pv.Str(n.Value)), 0, n.Pos)
	case *ast.Word:
		c.emit(bytecode.Const, c.constant(pv.Str(n.Text)), 0, n.Pos)
	case *ast.PVar:
		if n.Text == "$null" {
			c.emit(bytecode.Null, 0, 0, n.Pos)
			return
		}
		if p, ok := c.compilePV(n.Pos, n.Text); ok {
			c.emit(bytecode.LoadPV, c.pvIndex(p), 0, n.Pos)
		} else {
			c.emit(bytecode.Null, 0, 0, n.Pos)
		}
	case *ast.Paren:
		c.expr(n.X, raw)
	case *ast.Call:
		c.exprCall(n, raw)
	case *ast.Unary:
		c.unary(n)
	case *ast.Cast:
		c.expr(n.X, false)
		if n.To == "int" {
			c.emit(bytecode.ToInt, 0, 0, n.Pos)
		} else {
			c.emit(bytecode.ToStr, 0, 0, n.Pos)
		}
	case *ast.Defined:
		if pvar, ok := unparen(n.X).(*ast.PVar); ok && pvar.Text != "$null" {
			if p, ok := c.compilePV(pvar.Pos, pvar.Text); ok {
				c.emit(bytecode.IsDefPV, c.pvIndex(p), 0, n.Pos)
				return
			}
		}
		c.expr(n.X, false)
		c.emit(bytecode.Defined, 0, 0, n.Pos)
	case *ast.Binary:
		c.binary(n, raw)
	case *ast.Keyword:
		c.errorf(n.Pos, "%s must be compared (%s == …)", n.Name, n.Name)
		c.emit(bytecode.Null, 0, 0, n.Pos)
	case *ast.IPNet:
		text := n.IP
		if n.Mask != "" {
			text += "/" + n.Mask
		}
		c.emit(bytecode.Const, c.constant(pv.Str(text)), 0, n.Pos)
	case *ast.Unsupported:
		c.errorf(n.Pos, "%s %s is not supported by kamgo", n.Feature, n.Text)
		c.emit(bytecode.Null, 0, 0, n.Pos)
	default:
		c.errorf(e.Position(), "expression %T cannot be compiled", e)
		c.emit(bytecode.Null, 0, 0, e.Position())
	}
}

func (c *compiler) unary(n *ast.Unary) {
	switch n.Op {
	case "!":
		c.expr(n.X, false)
		c.emit(bytecode.Not, 0, 0, n.Pos)
	case "-":
		c.expr(n.X, false)
		c.emit(bytecode.Neg, 0, 0, n.Pos)
	case "~":
		c.expr(n.X, false)
		c.emit(bytecode.BitNot, 0, 0, n.Pos)
	default:
		c.errorf(n.Pos, "unknown operator %s", n.Op)
	}
}

var binaryOps = map[string]bytecode.Op{
	"+": bytecode.Add, "-": bytecode.Sub, "*": bytecode.Mul, "/": bytecode.Div, "mod": bytecode.Mod,
	"&": bytecode.BitAnd, "|": bytecode.BitOr, "^": bytecode.BitXor, "<<": bytecode.Shl, ">>": bytecode.Shr,
	"==": bytecode.Eq, "!=": bytecode.Ne, "<": bytecode.Lt, ">": bytecode.Gt, "<=": bytecode.Le, ">=": bytecode.Ge,
	"eq": bytecode.StrEq, "ne": bytecode.StrNe, "ieq": bytecode.IntEq, "ine": bytecode.IntNe, "=~": bytecode.Match,
}

func intConst(e ast.Expr) (int64, bool) {
	if l, ok := unparen(e).(*ast.IntLit); ok {
		return l.Value, true
	}
	return 0, false
}

func isNullPV(e ast.Expr) bool {
	p, ok := unparen(e).(*ast.PVar)
	return ok && p.Text == "$null"
}

func (c *compiler) binary(n *ast.Binary, raw bool) {
	if k, ok := n.L.(*ast.Keyword); ok {
		c.keywordCond(n, k)
		return
	}
	switch n.Op {
	case "&&", "||":
		c.logical(n, raw)
		return
	case "==", "!=":
		// x == $null is !defined x, x != $null is defined x
		if isNullPV(n.R) || isNullPV(n.L) {
			x := n.L
			if isNullPV(n.L) {
				x = n.R
			}
			c.expr(&ast.Defined{Pos: n.Pos, X: x}, false)
			if n.Op == "==" {
				c.emit(bytecode.Not, 0, 0, n.OpPos)
			}
			return
		}
	case "+", "-":
		// Kamailio's optimizer drops "+ 0" and "- 0" on an int-typed
		// side; a call keeps its raw code then (route(R) + 0 is R's code).
		if v, ok := intConst(n.R); ok && v == 0 && c.isCall(n.L) {
			c.expr(n.L, raw)
			return
		}
		if v, ok := intConst(n.L); ok && v == 0 && n.Op == "+" && c.isCall(n.R) {
			c.expr(n.R, raw)
			return
		}
	case "=~":
		if s, ok := unparen(n.R).(*ast.StrLit); ok {
			c.expr(n.L, false)
			if ri, ok := c.regex(s.Pos, s.Value); ok {
				c.emit(bytecode.MatchConst, ri, 0, n.OpPos)
			}
			return
		}
	}
	op, ok := binaryOps[n.Op]
	if !ok {
		c.errorf(n.OpPos, "unknown operator %s", n.Op)
		return
	}
	c.expr(n.L, false)
	c.expr(n.R, false)
	c.emit(op, 0, 0, n.OpPos)
}

// logical compiles && and || with C semantics and short circuit. A
// constant operand that cannot change the result is dropped, as Kamailio's
// optimizer does, leaving the other operand's raw value.
func (c *compiler) logical(n *ast.Binary, raw bool) {
	and := n.Op == "&&"
	if v, ok := intConst(n.R); ok && (and && v != 0 || !and && v == 0) {
		c.expr(n.L, raw)
		return
	}
	if v, ok := intConst(n.L); ok && (and && v != 0 || !and && v == 0) {
		c.expr(n.R, raw)
		return
	}
	c.expr(n.L, false)
	c.emit(bytecode.Truth, 0, 0, n.OpPos)
	jop := bytecode.JmpIfZeroKeep
	if !and {
		jop = bytecode.JmpIfNonZeroKeep
	}
	j := c.emit(jop, 0, 0, n.OpPos)
	c.emit(bytecode.Pop, 0, 0, n.OpPos)
	c.expr(n.R, false)
	c.emit(bytecode.Truth, 0, 0, n.OpPos)
	c.patch(j)
}

// keywordCond compiles `method == INVITE`, `src_ip == 10.0.0.0/8`,
// `uri == myself`, `myself == uri`, `proto == udp`.
func (c *compiler) keywordCond(n *ast.Binary, k *ast.Keyword) {
	negate := int32(0)
	if n.Op == "!=" {
		negate = 1
	}
	if k.Name == "myself" {
		r, _ := n.R.(*ast.Keyword)
		if r == nil {
			c.errorf(n.Pos, "myself must be compared with uri, from_uri, to_uri, src_ip or dst_ip")
			return
		}
		c.keyword(r)
		c.emit(bytecode.Myself, 0, negate, n.OpPos)
		return
	}
	if !c.keyword(k) {
		return
	}
	if r, ok := n.R.(*ast.Keyword); ok && r.Name == "myself" {
		c.emit(bytecode.Myself, 0, negate, n.OpPos)
		return
	}
	if ipn, ok := n.R.(*ast.IPNet); ok && (n.Op == "==" || n.Op == "!=") {
		bits := -1
		if ipn.Mask != "" {
			b, err := maskBits(ipn.Mask)
			if err != nil {
				c.errorf(ipn.Pos, "%v", err)
				return
			}
			bits = b
		}
		addr, err := netip.ParseAddr(ipn.IP)
		if err != nil {
			c.errorf(ipn.Pos, "bad address %q: %v", ipn.IP, err)
			return
		}
		addr = addr.Unmap()
		pbits := bits
		if pbits < 0 {
			pbits = addr.BitLen()
		}
		prefix, err := addr.Prefix(pbits)
		if err != nil {
			c.errorf(ipn.Pos, "bad network %s/%d: %v", ipn.IP, bits, err)
			return
		}
		c.prog.Nets = append(c.prog.Nets, bytecode.Net{Text: ipn.IP, Bits: bits, Prefix: prefix})
		// src_ip and dst_ip are matched on the address itself, without
		// printing it first
		switch k.Name {
		case "src_ip":
			c.dropLast()
			negate |= bytecode.MatchSrc
		case "dst_ip":
			c.dropLast()
			negate |= bytecode.MatchDst
		}
		c.emit(bytecode.MatchIP, int32(len(c.prog.Nets)-1), negate, n.OpPos)
		return
	}
	switch k.Name {
	case "method":
		if n.Op == "==" || n.Op == "!=" {
			c.expr(n.R, false)
			c.emit(bytecode.EqFold, 0, negate, n.OpPos)
			return
		}
	case "src_ip", "dst_ip", "snd_ip", "to_ip":
		if w, ok := n.R.(*ast.Word); ok && (n.Op == "==" || n.Op == "!=") {
			// a host name: compared as text with the address
			c.prog.Nets = append(c.prog.Nets, bytecode.Net{Text: w.Text, Bits: -2})
			c.emit(bytecode.MatchIP, int32(len(c.prog.Nets)-1), negate, n.OpPos)
			return
		}
	case "proto", "snd_proto", "to_proto":
		if w, ok := n.R.(*ast.Word); ok {
			c.emit(bytecode.Const, c.constant(pv.Str(strings.ToLower(w.Text))), 0, w.Pos)
			c.emit(bytecode.EqFold, 0, negate, n.OpPos)
			return
		}
	case "af", "snd_af", "to_af":
		if w, ok := n.R.(*ast.Word); ok {
			v := int64(4)
			if strings.EqualFold(w.Text, "inet6") {
				v = 6
			}
			c.emit(bytecode.Const, c.constant(pv.Int(v)), 0, w.Pos)
			c.binOp(n)
			return
		}
	}
	if n.Op == "=~" {
		if s, ok := unparen(n.R).(*ast.StrLit); ok {
			if ri, ok := c.regex(s.Pos, s.Value); ok {
				c.emit(bytecode.MatchConst, ri, 0, n.OpPos)
			}
			return
		}
	}
	c.expr(n.R, false)
	c.binOp(n)
}

func (c *compiler) binOp(n *ast.Binary) {
	op, ok := binaryOps[n.Op]
	if !ok {
		c.errorf(n.OpPos, "unknown operator %s", n.Op)
		return
	}
	c.emit(op, 0, 0, n.OpPos)
}

// keyword pushes the value of a condition keyword.
func (c *compiler) keyword(k *ast.Keyword) bool {
	id, ok := bytecode.KeywordByName(k.Name)
	if !ok {
		c.errorf(k.Pos, "the keyword %s is not supported by kamgo yet", k.Name)
		return false
	}
	c.emit(bytecode.Keyword, int32(id), 0, k.Pos)
	return true
}

func maskBits(mask string) (int, error) {
	if n, err := strconv.Atoi(mask); err == nil {
		return n, nil
	}
	parts := strings.Split(mask, ".")
	if len(parts) != 4 {
		return 0, fmt.Errorf("bad network mask %q", mask)
	}
	bits := 0
	for _, p := range parts {
		v, err := strconv.Atoi(p)
		if err != nil || v < 0 || v > 255 {
			return 0, fmt.Errorf("bad network mask %q", mask)
		}
		for b := 7; b >= 0; b-- {
			if v&(1<<b) != 0 {
				bits++
			}
		}
	}
	return bits, nil
}

// exprCall compiles a call inside an expression.
func (c *compiler) exprCall(n *ast.Call, raw bool) {
	switch n.Name {
	case "strlen", "strempty":
		if len(n.Args) != 1 {
			c.errorf(n.Pos, "%s takes 1 argument", n.Name)
			return
		}
		c.expr(n.Args[0], false)
		if n.Name == "strlen" {
			c.emit(bytecode.StrLen, 0, 0, n.Pos)
		} else {
			c.emit(bytecode.StrEmpty, 0, 0, n.Pos)
		}
		return
	case "selval":
		if len(n.Args) != 3 {
			c.errorf(n.Pos, "selval takes 3 arguments")
			return
		}
		c.expr(n.Args[0], false)
		j := c.emit(bytecode.JmpIfNot, 0, 0, n.Pos)
		c.expr(n.Args[1], false)
		jEnd := c.emit(bytecode.Jmp, 0, 0, n.Pos)
		c.patch(j)
		c.expr(n.Args[2], false)
		c.patch(jEnd)
		return
	}
	if !c.call(n, false) {
		c.emit(bytecode.Null, 0, 0, n.Pos)
		return
	}
	if !raw {
		c.emit(bytecode.ExprResult, 0, 0, n.Pos)
	}
}

// logPrefix compiles log_prefix when it holds pseudo-variables: Kamailio
// expands it for every message it logs about.
func (c *compiler) logPrefix(cfg *ast.Config) {
	for _, it := range cfg.Items {
		p, ok := it.(*ast.CoreParam)
		if !ok || p.Name != "log_prefix" || len(p.Values) == 0 || !strings.Contains(p.Values[0].Str, "$") {
			continue
		}
		f, err := c.pvc.CompileFormat(p.Values[0].Str)
		if err != nil {
			c.errorf(p.Values[0].Pos, "log_prefix: %v", err)
			continue
		}
		c.prog.LogPrefix = f
	}
}
