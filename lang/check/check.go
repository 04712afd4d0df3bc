// Package check is the semantic checker of kamailio.cfg configs: everything
// `kamgo check` reports beyond syntax. It resolves loadmodule and modparam
// against the module registry, resolves every function call by name,
// argument count and route type (following the route call graph, so a
// function forbidden in branch_route is caught when reached through
// route(X)), checks route references, pseudo-variables, transformations,
// flags, regexes, constant expression types and switch statements, and
// warns about unreachable statements and unused routes. It reports every
// problem in one run, each at the token it is about.
package check

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/kamgo/kamgo/lang/ast"
	"github.com/kamgo/kamgo/lang/diag"
	"github.com/kamgo/kamgo/lang/token"
	"github.com/kamgo/kamgo/pv"
	"github.com/kamgo/kamgo/runtime/module"
	"github.com/kamgo/kamgo/runtime/module/core"
)

// Options configure a check.
type Options struct {
	// Registry holds the modules kamgo ships; nil means module.Default().
	Registry *module.Registry
	// Mode is the compatibility mode (KAMAILIO, SER, MAXCOMPAT or ""),
	// as the preprocessor found it; empty means the Config's Mode. Without
	// #!KAMAILIO, Kamailio reads an unknown $name as an AVP.
	Mode string
	// KamailioCompat reports as warnings the findings Kamailio itself lets
	// through (t_on_* naming a missing route, which it only warns about
	// at startup), so that a config Kamailio runs is not rejected.
	KamailioCompat bool
}

// maxFlag is the highest message flag.
const maxFlag = 31

// Config checks cfg and returns every finding, sorted by position.
func Config(cfg *ast.Config, opts Options) diag.List {
	c := newChecker(cfg, opts)
	c.topLevel(cfg.Items)
	c.routeBlocks(cfg.Items)
	c.walkRoutes()
	c.resolveRefs()
	c.placement()
	c.unusedRoutes()
	c.diags.Sort()
	return c.diags
}

type checker struct {
	opts  Options
	reg   *module.Registry
	core  map[string][]*module.Func
	pvs   *pv.Table
	mode  string
	diags diag.List

	// loaded maps a module name to its declaration and loadmodule.
	loaded map[string]*loadedModule
	// loadOrder is every loadmodule name in file order, supported or not.
	loadOrder   []*ast.LoadModule
	unsupported []string // loaded modules kamgo does not ship, in order
	allLoads    []string // every loadmodule name, also those after the item being checked

	flags    map[string]*ast.FlagDecl
	avpFlags map[string]bool

	routes  map[routeKey]*routeInfo
	blocks  []*routeInfo // every route block, in file order
	strLits map[string]bool
	// paramStrs are the string values of modparams, which may name routes
	// (rtimer's exec, tm's on_sl_reply) in ways the checker cannot parse.
	paramStrs []string

	// dynamic is set for route kinds referenced by a run-time name.
	dynamic map[ast.RouteKind]bool
}

type loadedModule struct {
	mod  *module.Module
	decl *ast.LoadModule
}

func newChecker(cfg *ast.Config, opts Options) *checker {
	reg := opts.Registry
	if reg == nil {
		reg = module.Default()
	}
	mode := opts.Mode
	if mode == "" {
		mode = cfg.Mode
	}
	c := &checker{
		opts: opts, reg: reg, mode: mode,
		core:     map[string][]*module.Func{},
		pvs:      pv.NewTable(),
		loaded:   map[string]*loadedModule{},
		flags:    map[string]*ast.FlagDecl{},
		avpFlags: map[string]bool{},
		routes:   map[routeKey]*routeInfo{},
		strLits:  map[string]bool{},
		dynamic:  map[ast.RouteKind]bool{},
	}
	cm := core.Module()
	for i := range cm.Funcs {
		f := &cm.Funcs[i]
		c.core[f.Name] = append(c.core[f.Name], f)
	}
	for _, name := range reg.Names() {
		m, _ := reg.Lookup(name)
		for _, cls := range m.PVs {
			cls.Module = m.Name
			if err := c.pvs.Add(cls); err != nil {
				// A registry conflict is a kamgo bug, not the user's; keep
				// the first declaration.
				continue
			}
		}
	}
	return c
}

// softError is an error, or a warning in KamailioCompat mode.
func (c *checker) softError(pos token.Pos, format string, args ...any) {
	if c.opts.KamailioCompat {
		c.diags.Warn(pos, format, args...)
		return
	}
	c.diags.Add(pos, format, args...)
}

// ---------------------------------------------------------------- top level

func (c *checker) topLevel(items []ast.Item) {
	// Module names loaded so far, for modparam's "load before" rule.
	loadedSoFar := map[string]bool{}
	for _, it := range items {
		if l, ok := it.(*ast.LoadModule); ok {
			c.allLoads = append(c.allLoads, l.Name)
		}
	}
	for _, it := range items {
		switch n := it.(type) {
		case *ast.LoadModule:
			c.loadModule(n)
			loadedSoFar[n.Name] = true
		case *ast.ModParam:
			c.modParam(n, loadedSoFar)
		case *ast.Flags:
			c.flagDecls(n)
		case *ast.CfgEngine:
			if n.Name != "native" {
				c.diags.Add(n.Pos, "KEMI (cfgengine %q) is not supported by kamgo; write the routing logic in the native config language and remove cfgengine", n.Name)
			}
		}
	}
	for _, l := range c.loadOrder {
		lm, ok := c.loaded[l.Name]
		if !ok || lm.decl != l {
			continue
		}
		for _, dep := range lm.mod.Deps {
			if _, ok := c.loaded[dep]; !ok {
				c.diags.Add(l.Pos, "module %q needs module %q: add loadmodule \"%s.so\"", l.Name, dep, dep)
			}
		}
	}
}

func (c *checker) loadModule(l *ast.LoadModule) {
	if strings.Contains(l.Path, "$") {
		return // loadmodulex with a run-time path
	}
	for _, prev := range c.loadOrder {
		if prev.Name == l.Name {
			c.diags.Add(l.Pos, "module %q is loaded twice (first at %s); remove one loadmodule", l.Name, diag.FormatPos(prev.Pos))
			return
		}
	}
	c.loadOrder = append(c.loadOrder, l)
	if m, ok := c.reg.Lookup(l.Name); ok {
		c.loaded[l.Name] = &loadedModule{mod: m, decl: l}
		return
	}
	c.unsupported = append(c.unsupported, l.Name)
	if kamailioModules[l.Name] {
		c.diags.Add(l.Pos, "module %q is not supported by kamgo; remove the loadmodule (or guard it with #!ifdef) and the calls to its functions", l.Name)
		return
	}
	msg := fmt.Sprintf("unknown module %q", l.Name)
	if s := diag.Suggest(l.Name, c.reg.Names(), 2); s != "" {
		msg += fmt.Sprintf("; did you mean %q?", s)
	}
	c.diags.Add(l.Pos, "%s", msg)
}

func (c *checker) modParam(mp *ast.ModParam, loadedSoFar map[string]bool) {
	pos := mp.ModulePos
	if pos.Line == 0 {
		pos = mp.Pos
	}
	if err := compileRegex(mp.Module); err != nil {
		c.diags.Add(pos, "modparam module %q is not a valid regular expression: %s", mp.Module, regexErrText(err))
		return
	}
	// Kamailio matches the whole module name, ignoring case.
	re, err := regexp.Compile("(?i)^(" + mp.Module + ")$")
	if err != nil {
		return
	}
	var matched, later []string
	for _, name := range c.allLoads {
		if re.MatchString(name) {
			if loadedSoFar[name] {
				matched = append(matched, name)
			} else {
				later = append(later, name)
			}
		}
	}
	if len(matched) == 0 {
		switch {
		case len(later) > 0:
			c.diags.Add(pos, "modparam for module %q comes before its loadmodule; move it after loadmodule \"%s.so\"", later[0], later[0])
		case c.isRegistered(mp.Module):
			c.diags.Add(pos, "modparam names module %q, which is not loaded; add loadmodule \"%s.so\"", mp.Module, mp.Module)
		default:
			msg := fmt.Sprintf("modparam names module %q, which is not loaded", mp.Module)
			if !kamailioModules[mp.Module] {
				msg = fmt.Sprintf("modparam names unknown module %q", mp.Module)
			}
			if s := diag.Suggest(mp.Module, loadedNames(c.loadOrder), 2); s != "" {
				msg += fmt.Sprintf("; did you mean %q?", s)
			}
			c.diags.Add(pos, "%s", msg)
		}
		return
	}
	for _, name := range matched {
		lm, ok := c.loaded[name]
		if !ok {
			continue // not shipped by kamgo: already reported at loadmodule
		}
		c.modParamValue(mp, lm)
	}
}

func (c *checker) isRegistered(name string) bool {
	_, ok := c.reg.Lookup(name)
	return ok
}

func loadedNames(ls []*ast.LoadModule) []string {
	out := make([]string, len(ls))
	for i, l := range ls {
		out[i] = l.Name
	}
	return out
}

func (c *checker) modParamValue(mp *ast.ModParam, lm *loadedModule) {
	ppos := mp.ParamPos
	if ppos.Line == 0 {
		ppos = mp.Pos
	}
	p, ok := lm.mod.Param(mp.Param)
	if !ok {
		names := make([]string, len(lm.mod.Params))
		for i, q := range lm.mod.Params {
			names[i] = q.Name
		}
		msg := fmt.Sprintf("module %q has no parameter %q", lm.mod.Name, mp.Param)
		if s := diag.Suggest(mp.Param, names, 2); s != "" {
			msg += fmt.Sprintf("; did you mean %q?", s)
		}
		c.diags.Add(ppos, "%s", msg)
		return
	}
	if p.Unsupported != "" {
		c.diags.Add(ppos, "parameter %q of module %q is not supported by kamgo yet: %s", p.Name, lm.mod.Name, p.Unsupported)
		return
	}
	val := unparen(mp.Value)
	if s, ok := val.(*ast.StrLit); ok {
		c.paramStrs = append(c.paramStrs, s.Value)
	}
	vpos := ppos
	if val != nil {
		vpos = val.Position()
	}
	switch v := val.(type) {
	case *ast.IntLit:
		if p.Kind != module.ParamInt {
			c.diags.Add(vpos, "parameter %q of module %q takes a string, got the integer %s; write \"%s\"", p.Name, lm.mod.Name, v.Raw, v.Raw)
		}
	case *ast.StrLit:
		switch p.Kind {
		case module.ParamInt:
			c.diags.Add(vpos, "parameter %q of module %q takes an integer, got the string %q", p.Name, lm.mod.Name, v.Value)
		case module.ParamRegex:
			if err := compileRegex(v.Value); err != nil {
				c.diags.Add(vpos, "parameter %q of module %q: invalid regular expression %q: %s", p.Name, lm.mod.Name, v.Value, regexErrText(err))
			}
		}
	}
}

func (c *checker) flagDecls(f *ast.Flags) {
	for _, d := range f.Decls {
		if f.AVP {
			c.avpFlags[d.Name] = true
			continue
		}
		if prev, dup := c.flags[d.Name]; dup {
			c.diags.Add(d.Pos, "flag %q is declared twice (first at %s)", d.Name, diag.FormatPos(prev.Pos))
			continue
		}
		if d.Num > maxFlag {
			c.diags.Add(d.Pos, "flag %q has number %d; message flags are 0..%d", d.Name, d.Num, maxFlag)
		}
		c.flags[d.Name] = d
	}
}

// countText renders accepted argument counts: "2 arguments", "0 or 2
// arguments", "1 or more arguments".
func countText(counts []int) string {
	cs := append([]int(nil), counts...)
	sort.Ints(cs)
	return pv.CountText(cs)
}
