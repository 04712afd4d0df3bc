package compile

import (
	"strings"

	"github.com/kamgo/kamgo/lang/ast"
	"github.com/kamgo/kamgo/lang/bytecode"
	"github.com/kamgo/kamgo/lang/posixre"
	"github.com/kamgo/kamgo/pv"
	"github.com/kamgo/kamgo/runtime/logging"
	"github.com/kamgo/kamgo/runtime/module"
	"github.com/kamgo/kamgo/runtime/module/core"
)

// resolve finds the function a call names, as the checker does: core
// functions first, then the loaded modules, by name and argument count.
func (c *compiler) resolve(n *ast.Call) (*module.Func, string, bool) {
	if fs, ok := c.core[n.Name]; ok {
		for _, f := range fs {
			if f.Accepts(len(n.Args)) {
				return f, "core", true
			}
		}
		c.errorf(n.Pos, "%s does not take %d arguments", n.Name, len(n.Args))
		return nil, "", false
	}
	if c.opts.Registry != nil {
		for _, ref := range c.opts.Registry.Funcs(n.Name) {
			if c.loaded[ref.Module.Name] != ref.Module || !ref.Func.Accepts(len(n.Args)) {
				continue
			}
			return ref.Func, ref.Module.Name, true
		}
	}
	c.errorf(n.Pos, "unknown function %s (or no loaded module exports it with %d arguments)", n.Name, len(n.Args))
	return nil, "", false
}

// call compiles a function or route call that pushes its raw return code.
func (c *compiler) call(n *ast.Call, stmt bool) bool {
	if n.Name == "=" {
		c.errorf(n.Pos, "SER-style AVP assignment is not supported by kamgo; use $avp(name) = value")
		return false
	}
	if n.Name == "route" && len(n.Args) == 1 {
		return c.routeCall(n)
	}
	f, mod, ok := c.resolve(n)
	if !ok {
		return false
	}
	if f.Exec == nil {
		c.errorf(n.Pos, "%s is not supported by kamgo yet", n.Name)
		return false
	}
	site := bytecode.CallSite{Name: n.Name, Module: mod, Func: f, Pos: n.Pos}
	if mod == core.Name {
		site.Core = bytecode.CoreFunction
	}
	for i, a := range n.Args {
		fa, ok := c.fixArg(n, f.Arg(i), a)
		if !ok {
			return false
		}
		if fa.Dynamic {
			c.expr(a, false)
			fa.DynIndex = site.NDyn
			site.NDyn++
		}
		site.Args = append(site.Args, fa)
	}
	if f.Fixup != nil {
		if err := f.Fixup(fixupHost{c.opts.Host, c.pvc}, site.Args); err != nil {
			c.errorf(n.Pos, "%s: %v", n.Name, err)
			return false
		}
	}
	c.prog.Calls = append(c.prog.Calls, site)
	c.emit(bytecode.Call, int32(len(c.prog.Calls)-1), 0, n.Pos)
	return true
}

// routeCall compiles route(NAME), route("NAME") and route($var(x)).
func (c *compiler) routeCall(n *ast.Call) bool {
	a := unparen(n.Args[0])
	var name string
	switch v := a.(type) {
	case *ast.Word:
		name = v.Text
	case *ast.StrLit:
		// a constant string names the route, even with a "$" in it
		name = v.Value
	case *ast.IntLit:
		name = v.Raw
	default:
		c.expr(a, false)
		c.emit(bytecode.CallRouteDyn, 0, c.depth, n.Pos)
		return true
	}
	idx, ok := c.prog.Named[name]
	if !ok {
		c.errorf(a.Position(), "route %q is not defined", name)
		return false
	}
	c.emit(bytecode.CallRoute, int32(idx), c.depth, n.Pos)
	return true
}

// fixArg prepares one argument by the kind the function declares.
func (c *compiler) fixArg(n *ast.Call, spec module.Arg, a ast.Expr) (module.FixedArg, bool) {
	fa := module.FixedArg{Kind: spec.Kind}
	e := unparen(a)
	switch v := e.(type) {
	case *ast.IntLit:
		fa.Const, fa.IsInt, fa.Int, fa.Str = true, true, pv.Wrap32(v.Value), v.Raw
	case *ast.StrLit:
		fa.Const, fa.Str = true, v.Value
		if n, ok := pv.StrToInt(v.Value); ok && v.Value != "" {
			fa.Int = n
		}
	case *ast.Word:
		fa.Const, fa.Str = true, v.Text
	case *ast.PVar:
		p, ok := c.compilePV(v.Pos, v.Text)
		if !ok {
			return fa, false
		}
		fa.PV = p
	default:
		fa.Dynamic = true
	}
	switch spec.Kind {
	case module.ArgFlag:
		if fa.Const && !fa.IsInt {
			num, ok := c.prog.Flags[fa.Str]
			if !ok {
				if n, ok := pv.StrToInt(fa.Str); ok {
					num = int(n)
				} else {
					c.errorf(a.Position(), "unknown flag %q", fa.Str)
					return fa, false
				}
			}
			fa.IsInt, fa.Int = true, int64(num)
		}
	case module.ArgRegex:
		if fa.Const {
			rx, err := posixre.Compile(fa.Str, 0)
			if err != nil {
				c.errorf(a.Position(), "bad regular expression %q: %v", fa.Str, err)
				return fa, false
			}
			fa.Fixed = rx
		}
	case module.ArgPVName:
		if fa.Const && !fa.IsInt {
			p, ok := c.compilePV(a.Position(), fa.Str)
			if !ok {
				return fa, false
			}
			fa.PV = p
			fa.Const = false
		}
	case module.ArgRouteName:
		if fa.Const && !strings.Contains(fa.Str, "$") {
			if idx, ok := c.routeRef(spec.Route, fa.Str); ok {
				fa.Int, fa.IsInt = int64(idx), false
				fa.Fixed = idx
			}
		}
	}
	// A string constant holding pseudo-variables is a format string,
	// expanded when the function runs (fixup_spve in Kamailio).
	if fa.Const && !fa.IsInt && spec.Kind != module.ArgStringLit && spec.Kind != module.ArgRegex &&
		spec.Kind != module.ArgRouteName && spec.Kind != module.ArgPVName && hasPV(fa.Str) {
		f, err := c.pvc.CompileFormat(fa.Str)
		if err != nil {
			c.errorf(a.Position(), "%v", err)
			return fa, false
		}
		if !f.Const {
			fa.Format = f
			fa.Const = false
		} else if len(f.Parts) == 1 {
			fa.Str = f.Parts[0].Lit
		}
	}
	return fa, true
}

// hasPV reports whether s holds a "$" (a pseudo-variable or "$$").
func hasPV(s string) bool { return strings.IndexByte(s, '$') >= 0 }

// routeRef resolves a route named in a module function's argument
// (t_on_failure("X")).
func (c *compiler) routeRef(ref module.RouteRef, name string) (int, bool) {
	k, block := ref.Kind(name)
	return c.prog.RouteIndex(k, block)
}

// fixupHost is the module.Host a fixup sees: the server's, plus the
// compiler's pseudo-variable compiler, so that a fixup can compile format
// strings of its own syntax (textops' substitution replacements).
type fixupHost struct {
	host module.Host
	pvc  *pv.Compiler
}

func (h fixupHost) Module(name string) (any, bool) {
	if h.host == nil {
		return nil, false
	}
	return h.host.Module(name)
}

func (h fixupHost) HasEventRoute(name string) bool {
	return h.host != nil && h.host.HasEventRoute(name)
}

func (h fixupHost) Logger() *logging.Logger {
	if h.host == nil {
		return logging.Discard()
	}
	return h.host.Logger()
}

// CompileFormat compiles a format string ("$rU@$rd") with the program's
// pseudo-variables.
func (h fixupHost) CompileFormat(s string) (*pv.CompiledFormat, error) { return h.pvc.CompileFormat(s) }
