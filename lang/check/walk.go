package check

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/kamgo/kamgo/lang/ast"
	"github.com/kamgo/kamgo/lang/diag"
	"github.com/kamgo/kamgo/lang/token"
	"github.com/kamgo/kamgo/pv"
	"github.com/kamgo/kamgo/runtime/module"
)

// walker checks the statements of one route block.
type walker struct {
	c     *checker
	route *routeInfo
	kind  ast.RouteKind
}

func (w *walker) block(stmts []ast.Stmt) {
	var stop *ast.Return
	warned := false
	for _, s := range stmts {
		if stop != nil && !warned {
			if !harmlessAfterStop(s) {
				w.c.diags.Warn(s.Position(), "unreachable statement: %s at %s ends the route before it", stop.Kind, diag.FormatPos(stop.Pos))
				warned = true
			}
		}
		w.stmt(s)
		if r, ok := s.(*ast.Return); ok && r.Kind != ast.KindBreak && stop == nil {
			stop = r
		}
	}
}

func (w *walker) stmt(s ast.Stmt) {
	switch n := s.(type) {
	case *ast.Block:
		w.block(n.Stmts)
	case *ast.CallStmt:
		w.call(n.Call)
	case *ast.Assign:
		if n.LHS != nil {
			w.pvar(n.LHS, true)
		}
		w.expr(n.RHS, "")
	case *ast.If:
		w.expr(n.Cond, "")
		if n.Cond != nil && isConst(n.Cond) {
			w.c.diags.Warn(n.Cond.Position(), "constant condition in if: it always takes the same branch")
		}
		if n.Then != nil {
			w.stmt(n.Then)
		}
		if n.Else != nil {
			w.stmt(n.Else)
		}
	case *ast.While:
		w.expr(n.Cond, "")
		if n.Body != nil {
			w.stmt(n.Body)
		}
	case *ast.Switch:
		w.switchStmt(n)
	case *ast.Return:
		if n.Value != nil {
			w.expr(n.Value, "")
		}
	}
}

func (w *walker) switchStmt(s *ast.Switch) {
	w.expr(s.Subject, "")
	var firstDefault, firstTyped *ast.Case
	firstIsInt := false
	ints := map[int64]*ast.Case{}
	for _, cs := range s.Cases {
		switch {
		case cs.Default:
			if firstDefault != nil {
				w.c.diags.Add(cs.Pos, "more than one default: in this switch (the first is at %s)", diag.FormatPos(firstDefault.Pos))
			} else {
				firstDefault = cs
			}
		case cs.Value != nil:
			isInt, n, ok := caseValue(cs)
			if !ok {
				w.c.diags.Add(cs.Value.Position(), "case label must be a constant integer or string")
				break
			}
			if firstTyped == nil {
				firstTyped, firstIsInt = cs, isInt
			} else if isInt != firstIsInt {
				w.c.diags.Add(cs.Value.Position(), "case %s is %s, but the first case of this switch (at %s) is %s; a switch cannot mix integer and string/regex cases",
					caseText(cs), caseKind(isInt), diag.FormatPos(firstTyped.Pos), caseKind(firstIsInt))
			}
			if isInt {
				if prev, dup := ints[n]; dup {
					w.c.diags.Add(cs.Value.Position(), "duplicate case %d in this switch (first at %s)", n, diag.FormatPos(prev.Pos))
				} else {
					ints[n] = cs
				}
			}
			if cs.Regex {
				if str, ok := strConst(cs.Value); ok {
					w.regex(cs.Value.Position(), str, "case regex")
				}
			}
		}
		w.block(cs.Body)
	}
}

func caseKind(isInt bool) string {
	if isInt {
		return "an integer"
	}
	return "a string"
}

func caseText(cs *ast.Case) string {
	switch v := unparen(cs.Value).(type) {
	case *ast.IntLit:
		return v.Raw
	case *ast.StrLit:
		if cs.Regex {
			return fmt.Sprintf("/%q", v.Value)
		}
		return fmt.Sprintf("%q", v.Value)
	}
	return "label"
}

// caseValue classifies a case label: integer (with its value) or string.
func caseValue(cs *ast.Case) (isInt bool, n int64, ok bool) {
	if cs.Regex {
		_, ok := strConst(cs.Value)
		return false, 0, ok
	}
	if v, ok := intConst(cs.Value); ok {
		return true, v, true
	}
	if _, ok := strConst(cs.Value); ok {
		return false, 0, true
	}
	return false, 0, false
}

// ---------------------------------------------------------------- expressions

// onsendKeywords may appear only in onsend_route.
var onsendKeywords = map[string]bool{
	"snd_ip": true, "to_ip": true, "snd_port": true, "to_port": true,
	"snd_proto": true, "to_proto": true, "snd_af": true, "to_af": true,
}

// intOps are the operators that need integer operands.
var intOps = map[string]bool{
	"-": true, "*": true, "/": true, "mod": true, "|": true, "&": true, "^": true, "<<": true, ">>": true,
	"<": true, ">": true, "<=": true, ">=": true, "ieq": true, "ine": true,
}

// expr checks an expression; inArgsOf names the function whose arguments
// hold it, if any.
func (w *walker) expr(e ast.Expr, inArgsOf string) {
	switch n := e.(type) {
	case nil:
	case *ast.PVar:
		w.pvar(n, false)
	case *ast.Call:
		if inArgsOf != "" && !w.isExprFunc(n.Name) {
			w.c.diags.Add(n.Pos, "use of function execution inside params not allowed: %s() is called inside the arguments of %s(); call it first and keep its result, e.g. $var(r) = %s(…);", n.Name, inArgsOf, n.Name)
		}
		w.call(n)
	case *ast.Binary:
		w.expr(n.L, inArgsOf)
		w.expr(n.R, inArgsOf)
		w.binary(n)
	case *ast.Unary:
		w.expr(n.X, inArgsOf)
		if n.Op == "-" || n.Op == "~" {
			if s, ok := strConst(n.X); ok {
				w.c.diags.Add(n.X.Position(), "type mismatch: unary %q needs an integer, got the string %q", n.Op, s)
			}
		}
	case *ast.Cast:
		w.expr(n.X, inArgsOf)
	case *ast.Defined:
		w.expr(n.X, inArgsOf)
	case *ast.Paren:
		w.expr(n.X, inArgsOf)
	case *ast.Unsupported:
		hint := "use pseudo-variables such as $ru or $hdr(Name)"
		if n.Feature == "SER-style AVP" {
			hint = "use $avp(name)"
		}
		w.c.diags.Add(n.Pos, "%s %s is not supported by kamgo: %s", n.Feature, n.Text, hint)
	case *ast.Keyword:
		if onsendKeywords[n.Name] && w.kind != ast.RouteOnSend {
			w.c.diags.Add(n.Pos, "%s can be used only in onsend_route, where it describes the message being sent; it is not available in %s", n.Name, w.kind)
		}
	}
}

func (w *walker) isExprFunc(name string) bool {
	for _, f := range w.c.core[name] {
		if f.InExpr {
			return true
		}
	}
	return false
}

func (w *walker) binary(b *ast.Binary) {
	switch {
	case intOps[b.Op]:
		for _, side := range []ast.Expr{b.L, b.R} {
			if s, ok := strConst(side); ok {
				w.c.diags.Add(side.Position(), "type mismatch: %q needs integers, got the string %q", b.Op, s)
			}
		}
	case b.Op == "+" || b.Op == "==" || b.Op == "!=":
		if staticType(b.L) == typeInt {
			if s, ok := strConst(b.R); ok {
				w.c.diags.Add(b.R.Position(), "type mismatch: %q with an integer on the left needs an integer on the right, got the string %q", b.Op, s)
			}
		}
	case b.Op == "=~":
		if s, ok := strConst(b.R); ok {
			w.regex(b.R.Position(), s, "regular expression")
		}
	}
}

// regex reports an invalid constant regular expression at pos.
func (w *walker) regex(pos token.Pos, re, what string) {
	if err := compileRegex(re); err != nil {
		w.c.diags.Add(pos, "invalid %s %q: %s", what, re, regexErrText(err))
	}
}

type exprType int

const (
	typeUnknown exprType = iota
	typeInt
	typeStr
)

// staticType is the type an expression has whatever the run-time values.
func staticType(e ast.Expr) exprType {
	switch n := e.(type) {
	case *ast.IntLit, *ast.Defined, *ast.Call:
		return typeInt
	case *ast.StrLit:
		return typeStr
	case *ast.Paren:
		return staticType(n.X)
	case *ast.Cast:
		if n.To == "int" {
			return typeInt
		}
		return typeStr
	case *ast.Unary:
		return typeInt
	case *ast.Binary:
		if n.Op == "+" {
			return staticType(n.L)
		}
		return typeInt
	}
	return typeUnknown
}

// isConst reports whether e is folded to a constant by the parser.
func isConst(e ast.Expr) bool {
	switch n := e.(type) {
	case *ast.IntLit, *ast.StrLit, *ast.Word, *ast.IPNet:
		return true
	case *ast.Paren:
		return isConst(n.X)
	case *ast.Unary:
		return isConst(n.X)
	case *ast.Cast:
		return isConst(n.X)
	case *ast.Binary:
		return isConst(n.L) && isConst(n.R)
	}
	return false
}

func unparen(e ast.Expr) ast.Expr {
	for {
		p, ok := e.(*ast.Paren)
		if !ok {
			return e
		}
		e = p.X
	}
}

// strConst returns the value of a constant string expression.
func strConst(e ast.Expr) (string, bool) {
	switch n := unparen(e).(type) {
	case *ast.StrLit:
		return n.Value, true
	case *ast.Binary:
		if n.Op != "+" {
			return "", false
		}
		l, ok := strConst(n.L)
		if !ok {
			return "", false
		}
		if r, ok := strConst(n.R); ok {
			return l + r, true
		}
		if r, ok := intConst(n.R); ok {
			return l + strconv.FormatInt(r, 10), true
		}
	case *ast.Cast:
		if n.To != "str" {
			return "", false
		}
		if v, ok := intConst(n.X); ok {
			return strconv.FormatInt(v, 10), true
		}
		return strConst(n.X)
	}
	return "", false
}

// intConst returns the value of a constant integer literal, with a sign.
func intConst(e ast.Expr) (int64, bool) {
	switch n := unparen(e).(type) {
	case *ast.IntLit:
		return n.Value, true
	case *ast.Unary:
		if n.Op == "-" {
			if v, ok := intConst(n.X); ok {
				return -v, true
			}
		}
	}
	return 0, false
}

// ---------------------------------------------------------------- pseudo-variables

// at returns pos moved off bytes to the right on the same line.
func at(pos token.Pos, off int) token.Pos {
	pos.Column += off
	pos.Offset += off
	return pos
}

func (w *walker) pvar(n *ast.PVar, write bool) {
	spec, err := pv.Parse(n.Text)
	if err != nil {
		w.c.pvSyntax(n.Pos, n.Text, err)
		return
	}
	if !w.c.checkSpec(spec, n.Pos, true) || !write {
		return
	}
	cls, _ := w.c.pvs.Lookup(spec.Class)
	switch {
	case len(spec.Transforms) > 0:
		w.c.diags.Add(n.Pos, "cannot assign to %s: a pseudo-variable with transformations is read-only", n.Text)
	case !cls.Writable:
		w.c.diags.Add(n.Pos, "$%s is read-only; it cannot be assigned", spec.Class)
	}
}

func (c *checker) pvSyntax(pos token.Pos, text string, err error) {
	if pe, ok := err.(*pv.Error); ok {
		c.diags.Add(at(pos, pe.Offset), "bad pseudo-variable %s: %s", text, pe.Msg)
		return
	}
	c.diags.Add(pos, "bad pseudo-variable %s: %v", text, err)
}

// checkSpec validates a parsed spec whose text starts at pos; it reports
// whether the top-level class is known. bare is set for a spec written as
// an expression (not inside a string), which Kamailio may read as an AVP.
func (c *checker) checkSpec(spec *pv.Spec, pos token.Pos, bare bool) bool {
	known := true
	for _, p := range c.pvs.Validate(spec) {
		ppos := at(pos, p.Offset)
		if p.Unknown {
			if p.Offset == spec.Offset {
				known = false
			}
			if p.Offset == spec.Offset && bare && c.mode != "KAMAILIO" && !spec.HasInner && spec.Index == nil && len(spec.Transforms) == 0 && !p.Warning {
				c.diags.Warn(ppos, "$%s is not a known pseudo-variable; without #!KAMAILIO it is read as the AVP $avp(%s): write $avp(%s) if that is meant", p.Class, p.Class, p.Class)
				continue
			}
			if !p.Warning {
				p.Msg += c.unsupportedHint()
			}
		}
		if p.Warning {
			c.diags.Warn(ppos, "%s", p.Msg)
		} else {
			c.diags.Add(ppos, "%s", p.Msg)
		}
	}
	spec.Walk(func(n *pv.Spec) {
		cls, ok := c.pvs.Lookup(n.Class)
		if !ok || cls.Module == "" {
			return
		}
		if c.moduleListed(cls.Module) {
			return
		}
		c.diags.Add(at(pos, n.Offset), "$%s needs loadmodule \"%s.so\"", n.Class, cls.Module)
	})
	return known
}

// moduleListed reports whether a loadmodule names mod, supported or not.
func (c *checker) moduleListed(mod string) bool {
	for _, l := range c.loadOrder {
		if l.Name == mod {
			return true
		}
	}
	return false
}

// format checks the specs inside a format string literal.
func (w *walker) format(s *ast.StrLit) {
	base := at(s.Pos, 1) // past the opening quote
	f, errs := pv.ParseFormat(s.Value)
	for _, e := range errs {
		w.c.diags.Add(at(base, e.Offset), "bad pseudo-variable in format string: %s", e.Msg)
	}
	for _, spec := range f.Specs() {
		w.c.checkSpec(spec, base, false)
	}
}

// hasSpec reports whether a string holds a pseudo-variable reference.
func hasSpec(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == '$' && i+1 < len(s) && (pv.IsNameChar(s[i+1]) || s[i+1] == '(') {
			return true
		}
	}
	return false
}

// ---------------------------------------------------------------- calls

func (w *walker) call(call *ast.Call) {
	name := call.Name
	if name == "=" {
		// the parser's form of a SER-style `%avp = value` assignment: the
		// unsupported reference is reported by expr
		for _, a := range call.Args {
			w.expr(a, "")
		}
		return
	}
	var all []*module.Func
	isCore := false
	if fs, ok := w.c.core[name]; ok {
		all, isCore = fs, true
	} else {
		for _, ref := range w.c.reg.Funcs(name) {
			if lm, ok := w.c.loaded[ref.Module.Name]; ok && lm.mod == ref.Module {
				all = append(all, ref.Func)
			}
		}
	}
	if len(all) == 0 {
		w.c.unknownFunc(call)
		w.looseArgs(call)
		return
	}
	n := len(call.Args)
	var match []*module.Func
	var counts []int
	for _, f := range all {
		if f.Accepts(n) {
			match = append(match, f)
		}
		for _, k := range f.Counts() {
			if !containsInt(counts, k) {
				counts = append(counts, k)
			}
		}
	}
	if len(match) == 0 {
		w.c.diags.Add(call.Pos, "%s takes %s, got %d", name, countText(counts), n)
		w.looseArgs(call)
		return
	}
	f := match[0]
	for i, a := range call.Args {
		w.arg(call, f, i, a)
	}
	if !f.InExpr {
		w.route.uses = append(w.route.uses, funcUse{call: call, cands: match, core: isCore})
	}
}

func containsInt(list []int, n int) bool {
	for _, x := range list {
		if x == n {
			return true
		}
	}
	return false
}

// looseArgs checks the arguments of a call that could not be resolved.
func (w *walker) looseArgs(call *ast.Call) {
	for _, a := range call.Args {
		w.expr(a, call.Name)
		if s, ok := a.(*ast.StrLit); ok {
			w.c.strLits[s.Value] = true
		}
	}
}

func (c *checker) unknownFunc(call *ast.Call) {
	name := call.Name
	for _, ref := range c.reg.Funcs(name) {
		c.diags.Add(call.Pos, "unknown function %s; it is provided by module %q: add loadmodule \"%s.so\"", name, ref.Module.Name, ref.Module.Name)
		return
	}
	if repl, ok := removedFuncs[name]; ok {
		c.diags.Add(call.Pos, "%s is no longer a Kamailio function (%s)", name, repl)
		return
	}
	if mod, ok := unshippedFuncs[name]; ok {
		if _, shipped := c.reg.Lookup(mod); !shipped {
			c.diags.Add(call.Pos, "%s is a function of module %q, which kamgo does not ship yet", name, mod)
			return
		}
	}
	msg := fmt.Sprintf("unknown function %s; is a loadmodule missing?", name)
	if s := diag.Suggest(name, c.knownFuncNames(), 2); s != "" {
		msg = fmt.Sprintf("unknown function %s; did you mean %s?", name, s)
	}
	msg += c.unsupportedHint()
	c.diags.Add(call.Pos, "%s", msg)
}

// knownFuncNames lists the core functions and those of loaded modules.
func (c *checker) knownFuncNames() []string {
	var out []string
	for n := range c.core {
		out = append(out, n)
	}
	for _, lm := range c.loaded {
		for _, f := range lm.mod.Funcs {
			out = append(out, f.Name)
		}
	}
	return out
}

func (w *walker) arg(call *ast.Call, f *module.Func, i int, e ast.Expr) {
	spec := f.Arg(i)
	v := unparen(e)
	num := i + 1
	if s, ok := v.(*ast.StrLit); ok {
		w.c.strLits[s.Value] = true
	}
	if spec.Kind == module.ArgPVName {
		if p, ok := v.(*ast.PVar); ok {
			w.pvar(p, true)
			return
		}
	}
	w.expr(e, call.Name)
	if spec.Kind == module.ArgExpr {
		return
	}
	if !spec.Dynamic && !isConst(e) {
		if hasCall(e) {
			return // already reported as a call inside params
		}
		msg := fmt.Sprintf("parameter %d of %s is not constant", num, call.Name)
		if p, ok := v.(*ast.PVar); ok {
			msg += fmt.Sprintf("; write \"%s\" to expand it inside a string", p.Text)
		}
		w.c.diags.Add(e.Position(), "%s", msg)
		return
	}
	switch spec.Kind {
	case module.ArgInt:
		switch n := v.(type) {
		case *ast.StrLit:
			if _, err := strconv.ParseInt(strings.TrimSpace(n.Value), 0, 64); err != nil {
				w.c.diags.Add(n.Pos, "parameter %d of %s must be an integer, got the string %q", num, call.Name, n.Value)
			}
		case *ast.Word:
			w.c.diags.Add(n.Pos, "parameter %d of %s must be an integer, got %s", num, call.Name, n.Text)
		}
	case module.ArgString, module.ArgFormat:
		switch n := v.(type) {
		case *ast.StrLit:
			if spec.Kind == module.ArgFormat {
				w.format(n)
			}
		case *ast.Word:
			w.c.diags.Add(n.Pos, "parameter %d of %s must be a string: write \"%s\"", num, call.Name, n.Text)
		}
	case module.ArgStringLit:
		switch n := v.(type) {
		case *ast.IntLit:
			w.c.diags.Add(n.Pos, "parameter %d of %s must be a string: write \"%s\"", num, call.Name, n.Raw)
		case *ast.Word:
			w.c.diags.Add(n.Pos, "parameter %d of %s must be a string: write \"%s\"", num, call.Name, n.Text)
		}
	case module.ArgRegex:
		if s, ok := strConst(v); ok && !hasSpec(s) {
			w.regex(v.Position(), s, fmt.Sprintf("regular expression in parameter %d of %s:", num, call.Name))
		}
	case module.ArgRouteName:
		w.routeName(call, spec.Route, v)
	case module.ArgFlag:
		w.flag(call, num, v)
	case module.ArgPVName:
		if s, ok := v.(*ast.StrLit); ok {
			w.pvName(call, num, s)
		}
	case module.ArgProto:
		text := ""
		switch n := v.(type) {
		case *ast.Word:
			text = n.Text
		case *ast.StrLit:
			text = n.Value
		}
		switch strings.ToLower(text) {
		case "udp", "tcp", "tls", "sctp", "ws", "wss":
		default:
			w.c.diags.Add(v.Position(), "parameter %d of %s must be a protocol: udp, tcp, tls or sctp", num, call.Name)
		}
	}
}

func hasCall(e ast.Expr) bool {
	switch n := e.(type) {
	case *ast.Call:
		return true
	case *ast.Paren:
		return hasCall(n.X)
	case *ast.Unary:
		return hasCall(n.X)
	case *ast.Cast:
		return hasCall(n.X)
	case *ast.Defined:
		return hasCall(n.X)
	case *ast.Binary:
		return hasCall(n.L) || hasCall(n.R)
	}
	return false
}

func (w *walker) routeName(call *ast.Call, kind module.RouteRef, v ast.Expr) {
	var name, written string
	switch n := v.(type) {
	case *ast.Word:
		name, written = n.Text, n.Text
	case *ast.IntLit:
		name, written = n.Raw, n.Raw
	case *ast.StrLit:
		if hasSpec(n.Value) {
			w.format(n)
			w.c.dynamic[refKind(kind)] = true
			return
		}
		name, written = n.Value, strconv.Quote(n.Value)
	case *ast.PVar:
		w.c.dynamic[refKind(kind)] = true
		return
	default:
		return
	}
	w.c.addRef(w.route, ref{kind: kind, name: name, written: written, pos: v.Position(), fn: call.Name})
}

func refKind(r module.RouteRef) ast.RouteKind {
	k, _ := r.Kind("")
	return k
}

func (w *walker) flag(call *ast.Call, num int, v ast.Expr) {
	if n, ok := intConst(v); ok {
		if n < 0 || n > maxFlag {
			w.c.diags.Add(v.Position(), "flag %d is out of range in %s(); flags are 0..%d", n, call.Name, maxFlag)
		}
		return
	}
	switch n := v.(type) {
	case *ast.Word:
		if _, ok := w.c.flags[n.Text]; !ok {
			w.c.diags.Add(n.Pos, "flag %s is not declared; declare it with \"flags %s;\" or use a number 0..%d", n.Text, n.Text, maxFlag)
		}
	case *ast.StrLit:
		if k, err := strconv.Atoi(n.Value); err == nil {
			if k < 0 || k > maxFlag {
				w.c.diags.Add(n.Pos, "flag %d is out of range in %s(); flags are 0..%d", k, call.Name, maxFlag)
			}
		} else if _, ok := w.c.flags[n.Value]; !ok && !hasSpec(n.Value) {
			w.c.diags.Add(n.Pos, "flag %q is not declared; declare it with \"flags %s;\" or use a number 0..%d", n.Value, n.Value, maxFlag)
		}
	}
}

func (w *walker) pvName(call *ast.Call, num int, s *ast.StrLit) {
	base := at(s.Pos, 1)
	spec, err := pv.Parse(s.Value)
	if err != nil {
		w.c.diags.Add(s.Pos, "parameter %d of %s must name a pseudo-variable, such as \"$var(x)\": %s", num, call.Name, err.(*pv.Error).Msg)
		return
	}
	if !w.c.checkSpec(spec, base, false) {
		return
	}
	cls, _ := w.c.pvs.Lookup(spec.Class)
	switch {
	case len(spec.Transforms) > 0:
		w.c.diags.Add(s.Pos, "parameter %d of %s must be a writable pseudo-variable; %s has transformations", num, call.Name, s.Value)
	case !cls.Writable:
		w.c.diags.Add(s.Pos, "parameter %d of %s must be a writable pseudo-variable; $%s is read-only", num, call.Name, spec.Class)
	}
}

// unsupportedHint notes, for an unknown name, the loaded modules kamgo does
// not ship, one of which may export it.
func (c *checker) unsupportedHint() string {
	switch n := len(c.unsupported); {
	case n == 0:
		return ""
	case n == 1:
		return fmt.Sprintf(" (it may come from module %q, which kamgo does not support)", c.unsupported[0])
	case n <= 3:
		return fmt.Sprintf(" (it may come from one of the modules kamgo does not support: %s)", strings.Join(c.unsupported, ", "))
	}
	return fmt.Sprintf(" (it may come from one of the modules kamgo does not support: %s and %d more)", strings.Join(c.unsupported[:3], ", "), len(c.unsupported)-3)
}

// harmlessAfterStop tells the statements not worth a warning after exit or
// return: empty statements and a bare return or exit, which configs often
// keep as a guard.
func harmlessAfterStop(s ast.Stmt) bool {
	switch n := s.(type) {
	case *ast.Empty:
		return true
	case *ast.Return:
		return n.Value == nil && (n.Kind == ast.KindReturn || n.Kind == ast.KindExit)
	}
	return false
}
