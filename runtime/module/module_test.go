package module_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kamgo/kamgo/lang/ast"
	"github.com/kamgo/kamgo/pv"
	"github.com/kamgo/kamgo/runtime/module"
	"github.com/kamgo/kamgo/runtime/module/core"
)

func TestRegisterAndLookup(t *testing.T) {
	r := module.NewRegistry()
	sl := &module.Module{Name: "sl", Funcs: []module.Func{{Name: "sl_send_reply", ArgCounts: []int{2}, Routes: module.Request}}}
	tmx := &module.Module{Name: "tmx", Deps: []string{"tm"}, PVs: []pv.Class{{Name: "T_reply_code"}},
		Funcs: []module.Func{{Name: "t_drop", ArgCounts: []int{0, 1}, Routes: module.Any}}}
	for _, m := range []*module.Module{sl, tmx} {
		if err := r.Register(m); err != nil {
			t.Fatalf("Register(%s): %v", m.Name, err)
		}
	}
	if got, ok := r.Lookup("sl"); !ok || got != sl {
		t.Errorf("Lookup(sl) = %v, %v", got, ok)
	}
	if _, ok := r.Lookup("tm"); ok {
		t.Error("Lookup(tm) found a module never registered")
	}
	if diff := cmp.Diff([]string{"sl", "tmx"}, r.Names()); diff != "" {
		t.Errorf("Names (-want +got):\n%s", diff)
	}
	refs := r.Funcs("t_drop")
	if len(refs) != 1 || refs[0].Module != tmx || refs[0].Func.Name != "t_drop" {
		t.Errorf("Funcs(t_drop) = %+v", refs)
	}
	if tmx.PVs[0].Module != "tmx" {
		t.Errorf("PV class module = %q, want tmx", tmx.PVs[0].Module)
	}
	if err := r.Register(&module.Module{Name: "sl"}); err == nil || !errors.Is(err, module.ErrInvalid) {
		t.Errorf("registering sl twice: %v, want ErrInvalid", err)
	}
	if _, ok := module.Default().Lookup("sl"); ok {
		t.Error("a private registry leaked into the default one")
	}
}

func TestRegisterValidation(t *testing.T) {
	fn := func(name string, counts []int, routes module.RouteType, args ...module.Arg) module.Func {
		return module.Func{Name: name, ArgCounts: counts, Routes: routes, Args: args}
	}
	tests := []struct {
		name string
		mod  *module.Module
		want string
	}{
		{"bad module name", &module.Module{Name: "a b"}, `bad module name "a b"`},
		{"duplicate param", &module.Module{Name: "m", Params: []module.Param{{Name: "p"}, {Name: "p"}}}, `parameter "p" declared twice`},
		{"no route types", &module.Module{Name: "m", Funcs: []module.Func{fn("f", nil, 0)}}, "route types 0x0 are empty or unknown"},
		{"negative count", &module.Module{Name: "m", Funcs: []module.Func{fn("f", []int{-3}, module.Any)}}, "argument count -3 out of range"},
		{"count listed twice", &module.Module{Name: "m", Funcs: []module.Func{fn("f", []int{1, 1}, module.Any)}}, "argument count 1 listed twice"},
		{"too many arg kinds", &module.Module{Name: "m", Funcs: []module.Func{fn("f", []int{1}, module.Any, module.Arg{}, module.Arg{})}}, "2 argument kinds for at most 1 arguments"},
		{"same function same count", &module.Module{Name: "m", Funcs: []module.Func{fn("f", []int{0, 1}, module.Any), fn("f", []int{1}, module.Request)}}, `function "f": invalid module declaration: declared twice for 1 arguments`},
		{"bad dep", &module.Module{Name: "m", Deps: []string{"m"}}, `bad dependency "m"`},
		{"bad pv", &module.Module{Name: "m", PVs: []pv.Class{{Name: ""}}}, "empty name"},
	}
	for _, tt := range tests {
		err := module.NewRegistry().Register(tt.mod)
		if err == nil || !errors.Is(err, module.ErrInvalid) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: Register = %v, want ErrInvalid containing %q", tt.name, err, tt.want)
		}
	}
	// Same name with disjoint counts is how Kamailio modules export
	// route-type specific variants (tcp_keepalive_enable).
	ok := &module.Module{Name: "tcpops", Funcs: []module.Func{fn("tcp_keepalive_enable", []int{4}, module.Any), fn("tcp_keepalive_enable", []int{3}, module.Request)}}
	if err := module.NewRegistry().Register(ok); err != nil {
		t.Errorf("disjoint counts: %v", err)
	}
	defer func() {
		if recover() == nil {
			t.Error("MustRegister did not panic on an invalid module")
		}
	}()
	module.NewRegistry().MustRegister(&module.Module{Name: ""})
}

func TestFuncAccepts(t *testing.T) {
	tests := []struct {
		counts []int
		n      int
		want   bool
	}{
		{nil, 0, true}, {nil, 1, false},
		{[]int{0, 2}, 1, false}, {[]int{0, 2}, 2, true},
		{[]int{1, module.Variadic}, 0, false}, {[]int{1, module.Variadic}, 1, true}, {[]int{1, module.Variadic}, 5, true},
	}
	for _, tt := range tests {
		f := module.Func{Name: "f", ArgCounts: tt.counts}
		if got := f.Accepts(tt.n); got != tt.want {
			t.Errorf("%v.Accepts(%d) = %v, want %v", tt.counts, tt.n, got, tt.want)
		}
	}
	f := module.Func{ArgCounts: []int{1, module.Variadic}, Args: []module.Arg{{Kind: module.ArgString}, {Kind: module.ArgInt}}}
	if f.Arg(5).Kind != module.ArgInt || f.Arg(0).Kind != module.ArgString {
		t.Errorf("variadic Arg: %v %v", f.Arg(0), f.Arg(5))
	}
}

func TestOfRoute(t *testing.T) {
	tests := []struct {
		kind ast.RouteKind
		name string
		want module.RouteType
	}{
		{ast.RouteRequest, "", module.Request},
		{ast.RouteNamed, "X", module.Request},
		{ast.RouteReply, "", module.CoreReply},
		{ast.RouteOnReply, "R", module.OnReply},
		{ast.RouteFailure, "F", module.Failure},
		{ast.RouteBranch, "B", module.Branch},
		{ast.RouteOnSend, "", module.OnSend},
		{ast.RouteEvent, "tcp:closed", module.Event | module.Request},
		{ast.RouteEvent, "tm:branch-failure:X", module.Event | module.Request | module.BranchFailure},
		{ast.RouteEvent, "tm:local-request", module.Event | module.Request | module.Local},
	}
	for _, tt := range tests {
		if got := module.OfRoute(tt.kind, tt.name); got != tt.want {
			t.Errorf("OfRoute(%v, %q) = %v, want %v", tt.kind, tt.name, got, tt.want)
		}
	}
	if got := (module.Request | module.AnyReply).String(); got != "request_route|onreply_route|reply_route" {
		t.Errorf("String = %q", got)
	}
	// A request-route function is accepted in event routes, as in Kamailio.
	if !module.Request.Allows(module.OfRoute(ast.RouteEvent, "xhttp:request")) {
		t.Error("Request function not allowed in event_route")
	}
	if module.Request.Allows(module.Branch) {
		t.Error("Request function allowed in branch_route")
	}
}

func TestRouteRef(t *testing.T) {
	if k, n := module.RefBranchFailure.Kind("X"); k != ast.RouteEvent || n != "tm:branch-failure:X" {
		t.Errorf("RefBranchFailure.Kind = %v %q", k, n)
	}
	if got := module.RefFailure.Block("F"); got != "failure_route[F]" {
		t.Errorf("Block = %q", got)
	}
}

func TestCoreModule(t *testing.T) {
	m := core.Module()
	if err := module.NewRegistry().Register(m); err != nil {
		t.Fatalf("core functions do not validate: %v", err)
	}
	byName := map[string]module.Func{}
	for _, f := range m.Funcs {
		byName[f.Name] = f
	}
	for _, name := range []string{"forward", "route", "strip", "seturi", "force_send_socket", "cfg_select", "strlen", "selval"} {
		if _, ok := byName[name]; !ok {
			t.Errorf("core function %s missing", name)
		}
	}
	// onsend_route allows only a few core functions.
	for name, want := range map[string]bool{"log": true, "setflag": true, "set_reply_close": true, "forward": false, "route": false, "strip": false} {
		if got := byName[name].Routes.Allows(module.OnSend); got != want {
			t.Errorf("%s allowed in onsend_route = %v, want %v", name, got, want)
		}
	}
}
