// Package module is the contract between kamgo's core and its modules. A
// module describes itself as data, the way a Kamailio module fills its export
// tables: the parameters modparam may set, the functions a script may call
// (accepted argument counts and kinds, the route types where each may run, a
// fixup run once at compile time and the exec function), the
// pseudo-variable classes it adds, the event routes it raises, its RPC
// commands, the modules it needs and its lifecycle hooks.
//
// Modules register themselves from init() into the process-wide default
// registry, as database/sql drivers and CoreDNS plugins do:
//
//	func init() { module.MustRegister(&module.Module{Name: "sl", …}) }
//
// The checker and the compiler read a *Registry, so tests can build their
// own with NewRegistry and never touch the default one.
package module

import (
	"errors"
	"fmt"
	"github.com/kamgo/kamgo/runtime/logging"
	"regexp"
	"slices"
	"sort"
	"sync"

	"github.com/kamgo/kamgo/pv"
)

// ParamKind is the type of a module parameter's value.
type ParamKind int

// Parameter kinds. Kamailio's modparam is typed: an int parameter rejects a
// string value and a string parameter rejects an int.
const (
	ParamInt    ParamKind = iota // an integer
	ParamString                  // a string
	ParamRegex                   // a string holding a POSIX regular expression, validated at check time
)

func (k ParamKind) String() string {
	switch k {
	case ParamInt:
		return "integer"
	case ParamString:
		return "string"
	case ParamRegex:
		return "regular expression string"
	}
	return fmt.Sprintf("ParamKind(%d)", int(k))
}

// ParamValue is the value of one modparam.
type ParamValue struct {
	IsInt bool
	Int   int64
	Str   string
}

// Param is a module parameter.
type Param struct {
	Name    string
	Kind    ParamKind
	Default ParamValue
	// Multi is true when the parameter may be set more than once, each
	// value adding to the others (keepalive's destination).
	Multi bool
	// Apply stores one value into the module instance held by host.
	Apply func(host Host, v ParamValue) error
	// Unsupported, when set, makes kamgo check reject the parameter with
	// this reason (a feature that comes later), instead of accepting a
	// value kamgo would ignore.
	Unsupported string
}

// ArgKind says what a function argument must be.
type ArgKind int

// Argument kinds.
const (
	ArgAny       ArgKind = iota // anything; the function converts it
	ArgInt                      // an integer
	ArgString                   // a string; an integer constant is taken as its decimal text
	ArgStringLit                // a string literal only (the core's rewrite* commands)
	ArgFormat                   // a string whose $pv references are expanded at run time
	ArgRegex                    // a constant regular expression, validated at check time
	ArgRouteName                // the name of a route of kind Arg.Route; "$…" names are dynamic
	ArgFlag                     // a flag: 0..31 or a name declared with `flags`
	ArgPVName                   // a writable pseudo-variable, given as "$var(x)" or $var(x)
	ArgHost                     // a host: bare name, IP address or string (forward)
	ArgSocket                   // a socket: [proto:]host[:port] (force_send_socket)
	ArgProto                    // a transport name: udp, tcp, tls, sctp (udp_mtu_try_proto)
	ArgExpr                     // any expression, evaluated (strlen, selval)
)

var argKindNames = [...]string{"any", "integer", "string", "string literal", "format string", "regular expression",
	"route name", "flag", "pseudo-variable name", "host", "socket", "protocol", "expression"}

func (k ArgKind) String() string {
	if int(k) < len(argKindNames) {
		return argKindNames[k]
	}
	return fmt.Sprintf("ArgKind(%d)", int(k))
}

// Arg describes one function argument.
type Arg struct {
	Kind ArgKind
	// Route is the kind of route an ArgRouteName names.
	Route RouteRef
	// Dynamic is true when the argument may be any expression, a lone
	// pseudo-variable included; otherwise it must be a constant, and
	// pseudo-variables belong inside a format string ("$var(x)"), as
	// Kamailio requires for functions whose fixup is not RVE-capable.
	Dynamic bool
}

// Variadic in Func.ArgCounts means "or more than the largest count listed".
const Variadic = -1

// FixedArg is one argument after the compiler has fixed it up: the constant
// value, the compiled format string or pseudo-variable, and whatever the
// function's fixup prepared (a compiled regex, a parsed socket).
type FixedArg struct {
	Kind  ArgKind
	Const bool
	Int   int64
	Str   string
	// IsInt tells an integer constant from a string one.
	IsInt bool
	// Format is set for a string argument holding pseudo-variables.
	Format *pv.CompiledFormat
	// PV is set for an argument that is a lone pseudo-variable.
	PV *pv.PV
	// Dynamic is set for an argument whose value is computed by the script
	// before the call (an expression): the VM passes it in Args.Dyn at
	// DynIndex.
	Dynamic  bool
	DynIndex int
	Fixed    any
}

// FixupFunc prepares the arguments of one call at compile time; it may
// replace Fixed and report a bad constant argument.
type FixupFunc func(host Host, args []FixedArg) error

// ExecContext is what an exec function sees while a route runs: the route
// type, the message and per-message state, the logger. runtime/vm
// implements it.
type ExecContext interface {
	RouteType() RouteType
	State() *pv.State
	Logger() *logging.Logger
	// Core is the running server, nil when none runs (kamgo check, tests).
	Core() Core
}

// Args are the arguments of one call as an exec function reads them.
type Args struct {
	Fixed []FixedArg
	// Dyn holds the values of the Dynamic arguments (FixedArg.DynIndex).
	Dyn []pv.Value
	St  *pv.State
}

// Len is the number of arguments.
func (a Args) Len() int { return len(a.Fixed) }

// Value returns argument i's value for this call.
func (a Args) Value(i int) pv.Value {
	f := &a.Fixed[i]
	switch {
	case f.Dynamic:
		return a.Dyn[f.DynIndex]
	case f.PV != nil:
		return f.PV.Get(a.St)
	case f.Format != nil:
		return pv.Str(f.Format.String(a.St))
	case f.IsInt:
		return pv.Int(f.Int)
	}
	return pv.Str(f.Str)
}

// Str returns argument i as text; null is "".
func (a Args) Str(i int) string {
	f := &a.Fixed[i]
	if f.Const && !f.IsInt {
		return f.Str
	}
	v := a.Value(i)
	if v.IsNull() {
		return ""
	}
	return v.Text()
}

// Int returns argument i as an integer; ok is false when it is not one.
func (a Args) Int(i int) (int64, bool) {
	f := &a.Fixed[i]
	if f.Const && f.IsInt {
		return f.Int, true
	}
	v := a.Value(i)
	switch v.K {
	case pv.KindInt:
		return v.I, true
	case pv.KindStr:
		return pv.StrToInt(v.S)
	}
	return 0, false
}

// ExecFunc runs a function. It returns Kamailio's code: positive is true,
// negative false, zero stops the script.
type ExecFunc func(ctx ExecContext, args Args) int

// Host is what the core offers a module while it loads, starts and stops
// (its parameters, other modules' interfaces, timers). runtime/core
// implements it.
type Host interface {
	// Module returns the state of a loaded module, so that modules talk
	// through their own interfaces and never through globals.
	Module(name string) (any, bool)
	// HasEventRoute reports whether the config defines event_route[name]
	// (nosip refuses to start without its event route).
	HasEventRoute(name string) bool
	// Logger is the server's logger.
	Logger() *logging.Logger
}

// Func is a function a module exports to the script.
type Func struct {
	Name string
	// ArgCounts lists the accepted argument counts; Variadic adds "or
	// more". nil means no arguments. Kamailio resolves a call by name and
	// count, so one module may export the same name twice with different
	// counts and route types (tcp_keepalive_enable).
	ArgCounts []int
	// Args describes the arguments by position; a missing entry is ArgAny,
	// and the last entry repeats for a variadic function.
	Args   []Arg
	Routes RouteType
	// InExpr marks the operators of the expression language (strlen,
	// strempty, selval): they may appear inside another call's arguments.
	InExpr bool
	Fixup  FixupFunc
	Exec   ExecFunc
}

// Counts returns the accepted counts, with nil read as {0}.
func (f *Func) Counts() []int {
	if len(f.ArgCounts) == 0 {
		return []int{0}
	}
	return f.ArgCounts
}

// Accepts reports whether f may be called with n arguments.
func (f *Func) Accepts(n int) bool {
	maxExact, variadic := -1, false
	for _, c := range f.Counts() {
		if c == Variadic {
			variadic = true
			continue
		}
		if c == n {
			return true
		}
		maxExact = max(maxExact, c)
	}
	return variadic && n > maxExact
}

// Arg returns the description of argument i (0-based).
func (f *Func) Arg(i int) Arg {
	switch {
	case i < len(f.Args):
		return f.Args[i]
	case len(f.Args) > 0 && slices.Contains(f.Counts(), Variadic):
		return f.Args[len(f.Args)-1]
	}
	return Arg{Kind: ArgAny}
}

// RPC is a control command served over runtime/rpc.
type RPC struct {
	Name    string // "keepalive.list"
	Doc     string
	Handler func(host Host, params []any) (any, error)
}

// Module is everything a module declares.
type Module struct {
	Name   string
	Params []Param
	Funcs  []Func
	// PVs are the pseudo-variable classes the module adds; their Module
	// field is set to Name at registration.
	PVs []pv.Class
	// EventRoutes are the event_route[...] names the module raises.
	EventRoutes []string
	RPC         []RPC
	// Deps are modules that must be loaded too (keepalive needs tm).
	Deps []string
	// New creates the module's state for one server; the hooks get it back
	// through Host.Module.
	New func() any
	// Init runs after every modparam was applied, Start when sockets are
	// ready, Stop at shutdown.
	Init, Start, Stop func(host Host) error
}

// Param returns the parameter called name.
func (m *Module) Param(name string) (*Param, bool) {
	for i := range m.Params {
		if m.Params[i].Name == name {
			return &m.Params[i], true
		}
	}
	return nil, false
}

// FuncRef is one exported function and the module that exports it.
type FuncRef struct {
	Module *Module
	Func   *Func
}

// Registry holds registered modules by name.
type Registry struct {
	mu    sync.RWMutex
	mods  map[string]*Module
	funcs map[string][]FuncRef
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry {
	return &Registry{mods: map[string]*Module{}, funcs: map[string][]FuncRef{}}
}

// ErrInvalid is wrapped by every error Register returns.
var ErrInvalid = errors.New("invalid module declaration")

var namePattern = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// Register validates m and adds it. The registry keeps the pointer; m must
// not change afterwards.
func (r *Registry) Register(m *Module) error {
	if err := validate(m); err != nil {
		return fmt.Errorf("module %q: %w", m.Name, err)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, dup := r.mods[m.Name]; dup {
		return fmt.Errorf("module %q: %w: registered twice", m.Name, ErrInvalid)
	}
	for i := range m.PVs {
		m.PVs[i].Module = m.Name
	}
	r.mods[m.Name] = m
	for i := range m.Funcs {
		f := &m.Funcs[i]
		r.funcs[f.Name] = append(r.funcs[f.Name], FuncRef{Module: m, Func: f})
	}
	return nil
}

// MustRegister is Register for init(): it panics on an invalid declaration.
func (r *Registry) MustRegister(m *Module) {
	if err := r.Register(m); err != nil {
		panic(err)
	}
}

// Lookup returns the module called name.
func (r *Registry) Lookup(name string) (*Module, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	m, ok := r.mods[name]
	return m, ok
}

// Names returns the registered module names, sorted.
func (r *Registry) Names() []string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	names := make([]string, 0, len(r.mods))
	for n := range r.mods {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Funcs returns every registered function called name, in registration
// order, whether or not its module is loaded.
func (r *Registry) Funcs(name string) []FuncRef {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.funcs[name]
}

func validate(m *Module) error {
	if m == nil {
		return fmt.Errorf("%w: nil module", ErrInvalid)
	}
	if !namePattern.MatchString(m.Name) {
		return fmt.Errorf("%w: bad module name %q", ErrInvalid, m.Name)
	}
	params := map[string]bool{}
	for _, p := range m.Params {
		if !namePattern.MatchString(p.Name) {
			return fmt.Errorf("%w: bad parameter name %q", ErrInvalid, p.Name)
		}
		if params[p.Name] {
			return fmt.Errorf("%w: parameter %q declared twice", ErrInvalid, p.Name)
		}
		if p.Kind < ParamInt || p.Kind > ParamRegex {
			return fmt.Errorf("%w: parameter %q has unknown kind %d", ErrInvalid, p.Name, p.Kind)
		}
		params[p.Name] = true
	}
	byName := map[string][]*Func{}
	for i := range m.Funcs {
		f := &m.Funcs[i]
		if err := validateFunc(f); err != nil {
			return fmt.Errorf("function %q: %w", f.Name, err)
		}
		for _, g := range byName[f.Name] {
			for _, c := range f.Counts() {
				if c != Variadic && g.Accepts(c) {
					return fmt.Errorf("function %q: %w: declared twice for %d arguments", f.Name, ErrInvalid, c)
				}
			}
		}
		byName[f.Name] = append(byName[f.Name], f)
	}
	classes := map[string]bool{}
	for _, c := range m.PVs {
		if err := c.Validate(); err != nil {
			return fmt.Errorf("%w: %w", ErrInvalid, err)
		}
		if classes[c.Name] {
			return fmt.Errorf("%w: pseudo-variable $%s declared twice", ErrInvalid, c.Name)
		}
		classes[c.Name] = true
	}
	rpcs := map[string]bool{}
	for _, c := range m.RPC {
		if c.Name == "" || rpcs[c.Name] {
			return fmt.Errorf("%w: RPC command %q empty or declared twice", ErrInvalid, c.Name)
		}
		rpcs[c.Name] = true
	}
	for _, d := range m.Deps {
		if d == m.Name || !namePattern.MatchString(d) {
			return fmt.Errorf("%w: bad dependency %q", ErrInvalid, d)
		}
	}
	return nil
}

func validateFunc(f *Func) error {
	if !namePattern.MatchString(f.Name) {
		return fmt.Errorf("%w: bad function name", ErrInvalid)
	}
	if f.Routes == 0 || f.Routes&^Any != 0 {
		return fmt.Errorf("%w: route types %#x are empty or unknown", ErrInvalid, uint16(f.Routes))
	}
	seen := map[int]bool{}
	maxCount, variadic := 0, false
	for _, c := range f.Counts() {
		switch {
		case c == Variadic:
			variadic = true
		case c < 0 || c > 16:
			return fmt.Errorf("%w: argument count %d out of range 0..16", ErrInvalid, c)
		}
		if seen[c] {
			return fmt.Errorf("%w: argument count %d listed twice", ErrInvalid, c)
		}
		seen[c] = true
		maxCount = max(maxCount, c)
	}
	if len(f.Args) > maxCount && !variadic {
		return fmt.Errorf("%w: %d argument kinds for at most %d arguments", ErrInvalid, len(f.Args), maxCount)
	}
	for i, a := range f.Args {
		if a.Kind < ArgAny || a.Kind > ArgExpr {
			return fmt.Errorf("%w: argument %d has unknown kind %d", ErrInvalid, i+1, a.Kind)
		}
		if a.Kind == ArgRouteName && (a.Route < RefRequest || a.Route > RefBranchFailure) {
			return fmt.Errorf("%w: argument %d names an unknown route kind", ErrInvalid, i+1)
		}
	}
	return nil
}

// defaultRegistry is where modules register from init(). It is the only
// package-level mutable state: init-time registration needs one place that
// every module package can reach.
var defaultRegistry = NewRegistry()

// Default returns the process-wide registry that init() registration fills.
func Default() *Registry { return defaultRegistry }

// Register adds m to the default registry.
func Register(m *Module) error { return defaultRegistry.Register(m) }

// MustRegister adds m to the default registry and panics on error; for init().
func MustRegister(m *Module) { defaultRegistry.MustRegister(m) }
