// Package core holds the server: it loads a config (check, module
// instances, modparams, compile), applies the core parameters, and — with
// the transports — dispatches every message to the right route.
package core

import (
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/kamgo/kamgo/lang/ast"
	"github.com/kamgo/kamgo/lang/bytecode"
	"github.com/kamgo/kamgo/lang/check"
	"github.com/kamgo/kamgo/lang/compile"
	"github.com/kamgo/kamgo/lang/diag"
	"github.com/kamgo/kamgo/lang/preproc"
	"github.com/kamgo/kamgo/pv"
	"github.com/kamgo/kamgo/runtime/logging"
	"github.com/kamgo/kamgo/runtime/module"
	"github.com/kamgo/kamgo/runtime/vm"
)

// Loaded is a config made ready to run: the program, the machine with the
// core's limits, the module instances and the values every message shares.
type Loaded struct {
	Prog    *bytecode.Program
	Machine *vm.Machine
	Globals *pv.Globals
	// Params are the core parameters by name (last value wins), as written.
	Params map[string][]*ast.ParamValue
	// paramsAll holds every value of every line of a parameter, for the
	// repeatable ones (listen=, alias=).
	paramsAll map[string][]*ast.ParamValue
	host      *Host
}

// Host is the module.Host of one server: the module instances by name and
// the values every worker shares.
type Host struct {
	states map[string]any
	// mods and order are the loaded modules, by name and in load order.
	mods    map[string]*module.Module
	order   []string
	globals *pv.Globals
	events  map[string]bool
	log     *logging.Logger
	// core is the running server, nil until one is built.
	core module.Core
}

// Core returns the running server, nil when the config is only loaded
// (kamgo check); modules that send on their own (keepalive) use it from
// Start on.
func (h *Host) Core() module.Core { return h.core }

// StatisticsSources returns the counters of the server (once one runs) and
// of every loaded module that keeps statistics, in load order.
func (h *Host) StatisticsSources() []module.StatisticsSource {
	var out []module.StatisticsSource
	if src, ok := h.core.(module.StatisticsSource); ok {
		out = append(out, src)
	}
	for _, name := range h.order {
		if src, ok := h.states[name].(module.StatisticsSource); ok {
			out = append(out, src)
		}
	}
	return out
}

// Statistic returns the value of a statistic, by name or group:name ($stat).
func (h *Host) Statistic(name string) (uint64, bool) {
	group, short, grouped := strings.Cut(name, ":")
	for _, src := range h.StatisticsSources() {
		for _, s := range src.Statistics() {
			if (grouped && s.Group == group && s.Name == short) || (!grouped && s.Name == name) {
				return s.Value, true
			}
		}
	}
	return 0, false
}

// HasEventRoute implements module.Host.
func (h *Host) HasEventRoute(name string) bool { return h.events[name] }

// Logger implements module.Host.
func (h *Host) Logger() *logging.Logger { return h.log }

// Globals returns the values shared by every worker ($shv, defines).
func (h *Host) Globals() *pv.Globals { return h.globals }

// Module implements module.Host.
func (h *Host) Module(name string) (any, bool) {
	s, ok := h.states[name]
	return s, ok
}

// Host returns the module host of the loaded config.
func (l *Loaded) Host() *Host { return l.host }

// LoadOptions configure Load.
type LoadOptions struct {
	Registry *module.Registry
	// Log receives the server's messages; its threshold is set from the
	// debug= parameter unless DebugSet.
	Log *logging.Logger
	// Debug, when DebugSet, overrides debug= (kamgo run -d / tests).
	Debug    int
	DebugSet bool
	// KamailioCompat turns into warnings what kamailio -c lets through
	// (kamgo check --kamailio-compat).
	KamailioCompat bool
}

// Load checks cfg, creates the instances of the modules it loads, applies
// the modparams, runs the modules' Init, compiles the routes and builds the
// machine. Every problem comes back in the list; the result is nil when
// the list holds an error.
func Load(cfg *ast.Config, res *preproc.Result, opts LoadOptions) (*Loaded, diag.List) {
	reg := opts.Registry
	if reg == nil {
		reg = module.Default()
	}
	log := opts.Log
	if log == nil {
		log = logging.Discard()
	}
	mode := ""
	if res != nil {
		mode = res.Mode
	}
	diags := check.Config(cfg, check.Options{Registry: reg, Mode: mode, KamailioCompat: opts.KamailioCompat})
	if diags.HasErrors() {
		return nil, diags
	}
	defines := map[string]string{}
	if res != nil {
		for name, d := range res.Defines {
			defines[name] = d.Value
		}
	}
	globals := &pv.Globals{Start: time.Now(), Defines: defines, Shared: pv.NewSharedVars(), PID: os.Getpid()}
	h := &Host{states: map[string]any{}, mods: map[string]*module.Module{}, globals: globals, events: map[string]bool{}, log: log}
	for _, it := range cfg.Items {
		if r, ok := it.(*ast.Route); ok && r.Kind == ast.RouteEvent {
			h.events[r.Name] = true
		}
	}
	var mods []*module.Module
	for _, it := range cfg.Items {
		l, ok := it.(*ast.LoadModule)
		if !ok {
			continue
		}
		m, ok := reg.Lookup(l.Name)
		if !ok {
			continue
		}
		if _, dup := h.states[m.Name]; dup {
			continue
		}
		var state any
		if m.New != nil {
			state = m.New()
		}
		h.states[m.Name] = state
		h.mods[m.Name] = m
		h.order = append(h.order, m.Name)
		mods = append(mods, m)
	}
	for _, it := range cfg.Items {
		mp, ok := it.(*ast.ModParam)
		if !ok {
			continue
		}
		m, ok := reg.Lookup(mp.Module)
		if !ok {
			continue
		}
		p, ok := m.Param(mp.Param)
		if !ok || p.Apply == nil {
			continue
		}
		v := module.ParamValue{}
		switch x := mp.Value.(type) {
		case *ast.IntLit:
			v.IsInt, v.Int = true, x.Value
		case *ast.StrLit:
			v.Str = x.Value
		}
		if err := p.Apply(h, v); err != nil {
			diags.Add(mp.Pos, "modparam(%q, %q): %v", mp.Module, mp.Param, err)
		}
	}
	for _, m := range mods {
		if m.Init != nil {
			if err := m.Init(h); err != nil {
				diags.Add(cfg.Items[0].Position(), "module %s: %v", m.Name, err)
			}
		}
	}
	if diags.HasErrors() {
		return nil, diags
	}
	prog, cdiags := compile.Compile(cfg, compile.Options{Registry: reg, Defines: defines, Host: h})
	diags = append(diags, cdiags...)
	if diags.HasErrors() {
		return nil, diags
	}
	l := &Loaded{
		Prog:      prog,
		Globals:   globals,
		Params:    map[string][]*ast.ParamValue{},
		paramsAll: map[string][]*ast.ParamValue{},
		host:      h,
	}
	for _, it := range cfg.Items {
		if cp, ok := it.(*ast.CoreParam); ok {
			l.Params[cp.Name] = cp.Values
			l.paramsAll[cp.Name] = append(l.paramsAll[cp.Name], cp.Values...)
		}
	}
	mach := vm.New(prog, log)
	if n, ok := l.IntParam("max_while_loops"); ok {
		mach.MaxWhileLoops = int(n)
	}
	if n, ok := l.IntParam("max_recursive_level"); ok {
		mach.MaxRecursiveLevel = int(n)
	}
	switch {
	case opts.DebugSet:
		log.SetDebug(opts.Debug)
	default:
		if n, ok := l.IntParam("debug"); ok {
			log.SetDebug(int(n))
		} else {
			log.SetDebug(logging.LWarn)
		}
	}
	l.Machine = mach
	return l, diags
}

// IntParam returns the value of an integer core parameter.
func (l *Loaded) IntParam(name string) (int64, bool) {
	vs := l.Params[name]
	if len(vs) == 0 || vs[0].Kind != ast.ValInt {
		return 0, false
	}
	return vs[0].Int, true
}

// StrParam returns the value of a string core parameter.
func (l *Loaded) StrParam(name string) (string, bool) {
	vs := l.Params[name]
	if len(vs) == 0 {
		return "", false
	}
	switch vs[0].Kind {
	case ast.ValString, ast.ValWord:
		return vs[0].Str, true
	case ast.ValInt:
		return fmt.Sprint(vs[0].Int), true
	}
	return "", false
}
