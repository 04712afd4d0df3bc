package nosip_test

import (
	"strings"
	"testing"

	"github.com/kamgo/kamgo/lang/diag"
	"github.com/kamgo/kamgo/lang/parser"
	"github.com/kamgo/kamgo/lang/preproc"
	"github.com/kamgo/kamgo/modules/nosip"
	_ "github.com/kamgo/kamgo/modules/pv"
	"github.com/kamgo/kamgo/pv"
	"github.com/kamgo/kamgo/runtime/core"
	"github.com/kamgo/kamgo/runtime/logging"
	"github.com/kamgo/kamgo/runtime/module"
)

func load(t *testing.T, cfg string) (*core.Loaded, diag.List) {
	t.Helper()
	c, res, d := parser.ParseSource("test.cfg", []byte(cfg), preproc.Options{})
	if d.HasErrors() {
		t.Fatalf("parse: %v", d)
	}
	return core.Load(c, res, core.LoadOptions{Log: logging.Discard()})
}

func errorsOf(d diag.List) string {
	var out []string
	for _, x := range d {
		if x.Severity == diag.Error {
			out = append(out, x.String())
		}
	}
	return strings.Join(out, "\n")
}

const eventRoute = "event_route[nosip:msg] {\n  $var(n) = $nosip;\n}\n"

const packet = "hello, this is not a SIP message at all\r\n"

func TestAcceptNonSIP(t *testing.T) {
	tests := []struct {
		name        string
		match, skip string
		data        string
		want        bool
	}{
		{"no filters", "", "", packet, true},
		{"short packet", "", "", "ping", false},
		{"31 bytes", "", "", strings.Repeat("x", 31), false},
		{"32 bytes", "", "", strings.Repeat("x", 32), true},
		{"match hits", "^hello", "", packet, true},
		{"match misses", "^HELLO", "", packet, false},
		{"match is case-sensitive", "HELLO", "", packet, false},
		{"skip hits", "", "not a SIP", packet, false},
		{"skip misses", "", "^KREQUEST", packet, true},
		{"skip wins over match", "^hello", "SIP", packet, false},
		{"both pass", "^hello", "^bye", packet, true},
		{"ERE alternation and classes", "^(bye|hello),[[:space:]]this", "", packet, true},
		{"empty match is unset", "", "", packet, true},
	}
	m, ok := module.Default().Lookup(nosip.Name)
	if !ok {
		t.Fatal("nosip not registered")
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st := &nosip.State{}
			host := &fakeHost{states: map[string]any{nosip.Name: st}, events: map[string]bool{nosip.EventRoute: true}}
			for name, v := range map[string]string{"msg_match": tc.match, "msg_skip": tc.skip} {
				p, _ := m.Param(name)
				if err := p.Apply(host, module.ParamValue{Str: v}); err != nil {
					t.Fatalf("%s: %v", name, err)
				}
			}
			route, got := st.AcceptNonSIP([]byte(tc.data))
			if got != tc.want {
				t.Errorf("AcceptNonSIP(%q) = %v, want %v", tc.data, got, tc.want)
			}
			if got && route != nosip.EventRoute {
				t.Errorf("route = %q", route)
			}
		})
	}
}

type fakeHost struct {
	states map[string]any
	events map[string]bool
}

func (h *fakeHost) Module(name string) (any, bool) { v, ok := h.states[name]; return v, ok }
func (h *fakeHost) HasEventRoute(name string) bool { return h.events[name] }
func (h *fakeHost) Logger() *logging.Logger        { return logging.Discard() }

func TestParams(t *testing.T) {
	m, _ := module.Default().Lookup(nosip.Name)
	st := &nosip.State{}
	host := &fakeHost{states: map[string]any{nosip.Name: st}}
	p, _ := m.Param("msg_match")
	if err := p.Apply(host, module.ParamValue{Str: "^(OPTIONS"}); err == nil {
		t.Error("a bad regex was accepted")
	}
	if err := p.Apply(host, module.ParamValue{IsInt: true, Int: 3}); err == nil {
		t.Error("an integer was accepted")
	}
	if err := p.Apply(&fakeHost{}, module.ParamValue{Str: "x"}); err == nil {
		t.Error("a missing state was not reported")
	}
	// Through the whole load: the checker validates the regex too.
	_, d := load(t, "loadmodule \"nosip.so\"\nmodparam(\"nosip\", \"msg_skip\", \"a[\")\nrequest_route {\n;\n}\n"+
		"event_route[nosip:msg] {\n;\n}\n")
	if !strings.Contains(errorsOf(d), "msg_skip") {
		t.Errorf("bad msg_skip not reported: %v", d)
	}
}

func TestInitNeedsEventRoute(t *testing.T) {
	_, d := load(t, "loadmodule \"nosip.so\"\nrequest_route {\n;\n}\n")
	if got := errorsOf(d); !strings.Contains(got, "event_route[nosip:msg]") {
		t.Errorf("load without the event route: %q", got)
	}
	l, d := load(t, "loadmodule \"pv.so\"\nloadmodule \"nosip.so\"\nmodparam(\"nosip\", \"msg_match\", \"^hello\")\nrequest_route {\n;\n}\n"+eventRoute)
	if l == nil {
		t.Fatalf("load: %v", d)
	}
	v, _ := l.Host().Module(nosip.Name)
	st := v.(*nosip.State)
	if _, ok := st.AcceptNonSIP([]byte(packet)); !ok {
		t.Error("matching packet refused")
	}
	if _, ok := st.AcceptNonSIP([]byte("x" + packet)); ok {
		t.Error("packet not matching msg_match accepted")
	}
	var h any = st
	if _, ok := h.(module.NonSIPHandler); !ok {
		t.Error("state does not implement module.NonSIPHandler")
	}
}

func TestNosipPV(t *testing.T) {
	l, d := load(t, "loadmodule \"pv.so\"\nloadmodule \"nosip.so\"\nrequest_route {\n$var(n) = $nosip;\n}\n"+eventRoute)
	if l == nil {
		t.Fatalf("load: %v", d)
	}
	run := func(route int, raw []byte) pv.Value {
		ctx := l.Machine.NewCtx(nil, l.Globals)
		st := ctx.State()
		st.Reset()
		st.Raw = raw
		ctx.Run(route, module.Event|module.Request)
		return st.Vars.Vals[0] // $var(n), the only $var
	}
	if got := run(l.Prog.Event[nosip.EventRoute], []byte(packet)); got.K != pv.KindStr || got.S != packet {
		t.Errorf("$nosip = %+v, want the packet", got)
	}
	// A $var cannot hold null (it becomes 0): read the class directly.
	m, _ := module.Default().Lookup(nosip.Name)
	table := pv.NewTable()
	for _, c := range m.PVs {
		if err := table.Add(c); err != nil {
			t.Fatal(err)
		}
	}
	spec, err := pv.Parse("$nosip")
	if err != nil {
		t.Fatal(err)
	}
	p, err := pv.NewCompiler(table).Compile(spec)
	if err != nil {
		t.Fatal(err)
	}
	if got := p.Get(&pv.State{}); !got.IsNull() {
		t.Errorf("$nosip without a packet = %+v, want null", got)
	}
	if got := p.Get(&pv.State{Raw: []byte(packet)}); got.S != packet {
		t.Errorf("$nosip = %+v, want the packet", got)
	}

	// $nosip needs the module.
	_, d = load(t, "loadmodule \"pv.so\"\nrequest_route {\n$var(n) = $nosip;\n}\n")
	if got := errorsOf(d); !strings.Contains(got, "nosip") {
		t.Errorf("$nosip without loadmodule: %q", got)
	}
}
