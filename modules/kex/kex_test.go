package kex_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/rs/zerolog"

	"github.com/kamgo/kamgo/lang/parser"
	"github.com/kamgo/kamgo/lang/preproc"
	"github.com/kamgo/kamgo/modules/kex"
	_ "github.com/kamgo/kamgo/modules/pv"
	_ "github.com/kamgo/kamgo/modules/sl"
	_ "github.com/kamgo/kamgo/modules/xlog"
	"github.com/kamgo/kamgo/pv"
	"github.com/kamgo/kamgo/runtime/core"
	"github.com/kamgo/kamgo/runtime/core/coretest"
	"github.com/kamgo/kamgo/runtime/logging"
	"github.com/kamgo/kamgo/runtime/module"
	"github.com/kamgo/kamgo/runtime/sip"
)

type fakeCore struct{ host module.Host }

func (f *fakeCore) SendReply(*pv.State, int, string, sip.ReplyOptions) error {
	return errors.New("not used")
}
func (f *fakeCore) Forward(*pv.State, module.Target) error          { return errors.New("not used") }
func (f *fakeCore) ForwardReply(*pv.State) error                    { return errors.New("not used") }
func (f *fakeCore) SendData(*pv.State, module.Target, []byte) error { return errors.New("not used") }
func (f *fakeCore) RunEvent(string, pv.RecvInfo, []byte) bool       { return false }
func (f *fakeCore) HasRoute(string) bool                            { return false }
func (f *fakeCore) Module(name string) (any, bool)                  { return f.host.Module(name) }
func (f *fakeCore) Myself(host string, port int) bool {
	return (host == "127.0.0.1" || host == "proxy.example.com") && (port == 0 || port == 5060)
}

const invite = "INVITE sip:bob@example.com SIP/2.0\r\n" +
	"Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bKabc1\r\n" +
	"From: <sip:alice@127.0.0.1>;tag=ft1\r\n" +
	"To: <sip:bob@example.com>\r\n" +
	"Call-ID: cid1\r\n" +
	"CSeq: 1 INVITE\r\n" +
	"Max-Forwards: 70\r\n" +
	"Content-Length: 0\r\n\r\n"

// run loads a config whose request_route is body, runs it on msg and
// returns what xlog printed at L_INFO and the state afterwards.
func run(t *testing.T, body string, prep func(st *pv.State)) ([]string, *pv.State, *logging.Logger) {
	t.Helper()
	var logs bytes.Buffer
	log := logging.New(zerolog.New(&logs), logging.LInfo)
	cfg := "loadmodule \"pv\"\nloadmodule \"xlog\"\nloadmodule \"kex\"\nrequest_route {\n" + body + "\n}\n"
	c, res, d := parser.ParseSource("test.cfg", []byte(cfg), preproc.Options{})
	if d.HasErrors() {
		t.Fatalf("parse: %v", d)
	}
	l, ld := core.Load(c, res, core.LoadOptions{Log: log, Debug: logging.LInfo, DebugSet: true})
	if l == nil {
		t.Fatalf("load: %v", ld)
	}
	l.Machine.Core = &fakeCore{host: l.Host()}
	ctx := l.Machine.NewCtx(nil, l.Globals)
	st := ctx.State()
	st.Reset()
	m := &sip.Message{}
	if err := m.Parse([]byte(invite), sip.Datagram); err != nil {
		t.Fatal(err)
	}
	st.Msg, st.Raw = m, []byte(invite)
	if prep != nil {
		prep(st)
	}
	ctx.Run(l.Prog.Request, module.Request)
	return infoLines(t, logs.String()), st, log
}

func infoLines(t *testing.T, out string) []string { return coretest.ScriptLines(t, out) }

func TestKexFunctions(t *testing.T) {
	tests := []struct {
		name string
		body string
		prep func(st *pv.State)
		want []string
	}{
		{name: "script flags", body: `setsflag(3); issflagset(3); xlog("L_INFO", "rc=$rc sf=$sf\n");
			$var(f) = 5; setsflag("$var(f)"); xlog("L_INFO", "sf=$sf\n");
			resetsflag(3); issflagset(3); xlog("L_INFO", "rc=$rc sf=$sf\n");
			setsflag(40); xlog("L_INFO", "range rc=$rc\n");
			$var(f) = "abc"; setsflag($var(f)); xlog("L_INFO", "text rc=$rc\n");`,
			want: []string{"rc=1 sf=8", "sf=40", "rc=-1 sf=32", "range rc=-1", "text rc=-1"}},
		{name: "branch flags by index", body: `setbflag(1); setbflag(4, 1); xlog("L_INFO", "rc=$rc bf=$bf f0=$(branch(flags)[0])\n");
			isbflagset(4, 1); xlog("L_INFO", "is rc=$rc\n");
			isbflagset(4, 2); xlog("L_INFO", "missing rc=$rc\n");
			setbflag(2, 5); xlog("L_INFO", "out rc=$rc\n");
			resetbflag(4, 1); xlog("L_INFO", "f0=$(branch(flags)[0])\n");
			resetbflag(1); isbflagset(1); xlog("L_INFO", "rc=$rc bf=$bf\n");`,
			prep: func(st *pv.State) { st.Branches = append(st.Branches, pv.Branch{URI: "sip:b@x", Q: -1}) },
			want: []string{"rc=1 bf=2 f0=16", "is rc=1", "missing rc=-1", "out rc=-1", "f0=0", "rc=-1 bf=0"}},
		{name: "dst uri", body: `isdsturiset(); xlog("L_INFO", "rc=$rc\n");
			setdsturi("sip:10.0.0.7:5070"); isdsturiset(); xlog("L_INFO", "rc=$rc du=$du\n");
			resetdsturi(); isdsturiset(); xlog("L_INFO", "rc=$rc du=$du\n");
			$var(d) = "sip:10.0.0.8"; setdsturi("$var(d)"); xlog("L_INFO", "du=$du\n");`,
			want: []string{"rc=-1", "rc=1 du=sip:10.0.0.7:5070", "rc=-1 du=<null>", "du=sip:10.0.0.8"}},
		{name: "pv_printf", body: `pv_printf("$var(x)", "u=$rU m=$rm"); xlog("L_INFO", "rc=$rc x=$var(x)\n");
			avp_printf("$avp(y)", "a-$null"); xlog("L_INFO", "y=$avp(y)\n");
			pv_printf("$ru", "sip:$fU@$fd"); xlog("L_INFO", "ru=$ru\n");`,
			want: []string{"rc=1 x=u=bob m=INVITE", "y=a-<null>", "ru=sip:alice@127.0.0.1"}},
		{name: "is_myself", body: `is_myself("sip:127.0.0.1"); xlog("L_INFO", "a=$rc\n");
			is_myself("sip:bob@127.0.0.1:5060"); xlog("L_INFO", "b=$rc\n");
			is_myself("sip:127.0.0.1:1"); xlog("L_INFO", "c=$rc\n");
			is_myself("proxy.example.com"); xlog("L_INFO", "d=$rc\n");
			is_myself("$ru"); xlog("L_INFO", "e=$rc\n");
			is_myself($fu); xlog("L_INFO", "f=$rc\n");
			is_myself("sip:"); xlog("L_INFO", "g=$rc\n");`,
			want: []string{"a=1", "b=1", "c=-1", "d=1", "e=-1", "f=1", "g=-1"}},
		{name: "setdebug hides info until resetdebug", body: `setdebug(1); xlog("L_INFO", "hidden\n"); resetdebug(); xlog("L_INFO", "shown rc=$rc\n");
			$var(l) = "x"; setdebug($var(l)); xlog("L_INFO", "bad rc=$rc\n");`,
			want: []string{"shown rc=1", "bad rc=-1"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, _, _ := run(t, tc.body, tc.prep)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("xlog lines (-want +got):\n%s", diff)
			}
		})
	}
}

func TestSetDebugResetsToConfigLevel(t *testing.T) {
	_, _, log := run(t, `setdebug(4); setdebug(0); resetdebug();`, nil)
	if got := log.Debug(); got != logging.LInfo {
		t.Errorf("debug after resetdebug = %d, want %d", got, logging.LInfo)
	}
}

func TestMyselfHostPort(t *testing.T) {
	tests := []struct {
		in   string
		host string
		port int
		ok   bool
	}{
		{"sip:a@h.example:5070;transport=tcp", "h.example", 5070, true},
		{"SIPS:h.example", "h.example", 0, true},
		{"10.0.0.1", "10.0.0.1", 0, true},
		{"sip:[::1]:5060", "[::1]", 5060, true},
		{"", "", 0, false},
		{"sip:", "", 0, false},
	}
	for _, tc := range tests {
		h, p, ok := kex.MyselfHostPort(tc.in)
		if h != tc.host || p != tc.port || ok != tc.ok {
			t.Errorf("MyselfHostPort(%q) = %q, %d, %v; want %q, %d, %v", tc.in, h, p, ok, tc.host, tc.port, tc.ok)
		}
	}
}

type statSource struct{ stats []kex.Statistic }

func (s *statSource) Statistics() []kex.Statistic { return s.stats }
func (s *statSource) ResetStatistic(name string) bool {
	for i := range s.stats {
		if s.stats[i].Name == name {
			s.stats[i].Value = 0
			return true
		}
	}
	return false
}

type rpcHost struct {
	mods    map[string]any
	globals *pv.Globals
}

func (h *rpcHost) Module(name string) (any, bool) { v, ok := h.mods[name]; return v, ok }
func (h *rpcHost) HasEventRoute(string) bool      { return false }
func (h *rpcHost) Logger() *logging.Logger        { return logging.Discard() }
func (h *rpcHost) Globals() *pv.Globals           { return h.globals }

func TestRPC(t *testing.T) {
	m, ok := module.Default().Lookup("kex")
	if !ok {
		t.Fatal("kex not registered")
	}
	handlers := map[string]func(module.Host, []any) (any, error){}
	for _, r := range m.RPC {
		handlers[r.Name] = r.Handler
	}
	src := &statSource{stats: []kex.Statistic{{Group: "sl", Name: "200_replies", Value: 7}, {Group: "sl", Name: "failures", Value: 2}}}
	h := &rpcHost{mods: map[string]any{"kex": kex.New(), "sl": src}, globals: &pv.Globals{Defines: map[string]string{"WITH_NAT": "", "X": "1"}}}
	call := func(name string, p ...any) any {
		t.Helper()
		fn, ok := handlers[name]
		if !ok {
			t.Fatalf("no RPC %s", name)
		}
		out, err := fn(h, p)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return out
	}
	tests := []struct {
		name string
		got  any
		want any
	}{
		{"echo", call("core.echo", "a", int64(2)), []any{"a", int64(2)}},
		{"printi", call("core.printi", float64(3), "4"), []any{int64(3), int64(4)}},
		{"prints", call("core.prints", "x", float64(1)), []any{"x", "1"}},
		{"ppdefines", call("core.ppdefines"), []any{"WITH_NAT", "X=1"}},
		{"modules", call("core.modules"), []any{"kex", "sl"}},
		{"get all", call("stats.get_statistics", "all"), []any{"sl:200_replies = 7", "sl:failures = 2"}},
		{"get name", call("stats.get_statistics", "failures"), []any{"sl:failures = 2"}},
		{"fetchn group", call("stats.fetchn", "sl:"), mustJSON(t, `{"sl.200_replies":7,"sl.failures":2}`)},
		{"fetch dotted", call("stats.fetch", "sl.failures"), mustJSON(t, `{"sl.failures":"2"}`)},
		{"clear", call("stats.clear_statistics", "sl:200_replies"), mustJSON(t, `{"sl.200_replies":"7"}`)},
		{"after clear", call("stats.get_statistics", "sl:"), []any{"sl:200_replies = 0", "sl:failures = 2"}},
	}
	for _, tc := range tests {
		got := tc.got
		if _, isStr := tc.want.(string); isStr {
			b, err := json.Marshal(got)
			if err != nil {
				t.Fatal(err)
			}
			got = string(b)
		}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.name, diff)
		}
	}
	if _, err := handlers["core.printi"](h, []any{"x"}); err == nil {
		t.Error("core.printi accepted a string that is not a number")
	}
	if _, err := handlers["stats.fetch"](h, nil); err == nil {
		t.Error("stats.fetch accepted no identifier")
	}
}

func mustJSON(t *testing.T, s string) string {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(v)
	return string(b)
}
