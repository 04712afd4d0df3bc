package sl_test

import (
	"bytes"
	"errors"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/rs/zerolog"

	"github.com/kamgo/kamgo/lang/diag"
	"github.com/kamgo/kamgo/lang/parser"
	"github.com/kamgo/kamgo/lang/preproc"
	_ "github.com/kamgo/kamgo/modules/pv"
	"github.com/kamgo/kamgo/modules/sl"
	"github.com/kamgo/kamgo/pv"
	"github.com/kamgo/kamgo/runtime/core"
	"github.com/kamgo/kamgo/runtime/logging"
	"github.com/kamgo/kamgo/runtime/module"
	"github.com/kamgo/kamgo/runtime/sip"
	"github.com/kamgo/kamgo/runtime/vm"
)

// sentReply is one SendReply call as the fake core saw it.
type sentReply struct {
	Code    int
	Reason  string
	ToTag   string
	Headers []string
	Flags   uint32
}

type ranEvent struct {
	Name string
	Raw  string
}

// fakeCore is a module.Core that records what it is asked to send.
type fakeCore struct {
	mu        sync.Mutex
	modules   module.Host
	routes    map[string]bool
	sendErr   error
	replies   []sentReply
	forwarded []string
	events    []ranEvent
}

func (f *fakeCore) SendReply(st *pv.State, code int, reason string, opts sip.ReplyOptions) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.sendErr != nil {
		return f.sendErr
	}
	r := sentReply{Code: code, Reason: reason, Flags: st.CoreFlags}
	r.ToTag, r.Headers = opts.ToTag, append([]string(nil), opts.Headers...)
	f.replies = append(f.replies, r)
	return nil
}

func (f *fakeCore) Forward(*pv.State, module.Target) error { return errors.New("not used") }

func (f *fakeCore) ForwardReply(st *pv.State) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.sendErr != nil {
		return f.sendErr
	}
	f.forwarded = append(f.forwarded, string(st.Msg.AppendTo(nil)))
	return nil
}

func (f *fakeCore) SendData(*pv.State, module.Target, []byte) error { return errors.New("not used") }

func (f *fakeCore) RunEvent(name string, _ pv.RecvInfo, raw []byte) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.routes[name] {
		return false
	}
	f.events = append(f.events, ranEvent{name, string(raw)})
	return true
}

func (f *fakeCore) HasRoute(name string) bool { return f.routes[name] }

func (f *fakeCore) Myself(host string, port int) bool { return host == "127.0.0.1" }

// Module finds module states, as the server does.
func (f *fakeCore) Module(name string) (any, bool) {
	if f.modules == nil {
		return nil, false
	}
	return f.modules.Module(name)
}

type fixture struct {
	l    *core.Loaded
	fc   *fakeCore
	sl   *sl.State
	logs *bytes.Buffer
}

func load(t *testing.T, cfg string) *fixture {
	t.Helper()
	var logs bytes.Buffer
	log := logging.New(zerolog.New(&logs), logging.LDbg)
	c, res, d := parser.ParseSource("test.cfg", []byte(cfg), preproc.Options{})
	if d.HasErrors() {
		t.Fatalf("parse: %v", d)
	}
	l, ld := core.Load(c, res, core.LoadOptions{Log: log, Debug: logging.LDbg, DebugSet: true})
	if l == nil {
		t.Fatalf("load: %v", ld)
	}
	fc := &fakeCore{modules: l.Host(), routes: map[string]bool{}}
	l.Machine.Core = fc
	v, ok := l.Host().Module("sl")
	if !ok {
		t.Fatal("sl state missing")
	}
	return &fixture{l: l, fc: fc, sl: v.(*sl.State), logs: &logs}
}

// loadErr loads cfg and returns the problems reported.
func loadErr(t *testing.T, cfg string) string {
	t.Helper()
	c, res, d := parser.ParseSource("test.cfg", []byte(cfg), preproc.Options{})
	if d.HasErrors() {
		return d.Error()
	}
	l, ld := core.Load(c, res, core.LoadOptions{Log: logging.Discard()})
	if l != nil && !ld.HasErrors() {
		return ""
	}
	var msgs []string
	for _, d := range ld {
		if d.Severity == diag.Error {
			msgs = append(msgs, d.String())
		}
	}
	return strings.Join(msgs, "\n")
}

const invite = "INVITE sip:alice@127.0.0.1 SIP/2.0\r\n" +
	"Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bKabc1\r\n" +
	"From: <sip:a@127.0.0.1>;tag=ft1\r\n" +
	"To: <sip:alice@127.0.0.1>\r\n" +
	"Call-ID: cid1\r\n" +
	"CSeq: 1 INVITE\r\n" +
	"Max-Forwards: 70\r\n" +
	"Content-Length: 0\r\n\r\n"

func ack(toTag string) string {
	return "ACK sip:alice@127.0.0.1 SIP/2.0\r\n" +
		"Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bKabc1\r\n" +
		"From: <sip:a@127.0.0.1>;tag=ft1\r\n" +
		"To: <sip:alice@127.0.0.1>;tag=" + toTag + "\r\n" +
		"Call-ID: cid1\r\n" +
		"CSeq: 1 ACK\r\n" +
		"Content-Length: 0\r\n\r\n"
}

const reply408 = "SIP/2.0 408 Request Timeout\r\n" +
	"Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKsl1\r\n" +
	"Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bKabc1\r\n" +
	"From: <sip:a@127.0.0.1>;tag=ft1\r\n" +
	"To: <sip:alice@127.0.0.1>;tag=uas\r\n" +
	"Call-ID: cid1\r\n" +
	"CSeq: 1 INVITE\r\n" +
	"Content-Length: 0\r\n\r\n"

// newCtx returns a context of the loaded machine holding msg.
func (fx *fixture) newCtx(t *testing.T, msg string) *vm.Ctx {
	t.Helper()
	ctx := fx.l.Machine.NewCtx(nil, fx.l.Globals)
	st := ctx.State()
	st.Reset()
	m := &sip.Message{}
	if err := m.Parse([]byte(msg), sip.Datagram); err != nil {
		t.Fatalf("parse message: %v", err)
	}
	st.Msg = m
	st.Raw = []byte(msg)
	return ctx
}

func (fx *fixture) runRequest(t *testing.T, msg string, prep func(st *pv.State)) vm.Result {
	t.Helper()
	ctx := fx.newCtx(t, msg)
	if prep != nil {
		prep(ctx.State())
	}
	return ctx.Run(fx.l.Prog.Request, module.Request)
}

var tagRE = regexp.MustCompile(`^[0-9a-f]{16}\.[0-9a-f]{16}$`)

func TestSLSendReply(t *testing.T) {
	tests := []struct {
		name     string
		params   string
		body     string
		prep     func(st *pv.State)
		wantRC   int
		want     []sentReply // ToTag checked separately
		wantLogs string
	}{
		{name: "int code, reason with pv", body: `sl_send_reply(404, "Not Here $rU");`, wantRC: 1,
			want: []sentReply{{Code: 404, Reason: "Not Here alice"}}},
		{name: "string code", body: `sl_send_reply("486", "Busy");`, wantRC: 1,
			want: []sentReply{{Code: 486, Reason: "Busy"}}},
		{name: "alias sl_reply", body: `sl_reply("403", "Forbidden");`, wantRC: 1,
			want: []sentReply{{Code: 403, Reason: "Forbidden"}}},
		{name: "code from integer var", body: `$var(c) = 480; sl_send_reply("$var(c)", "Later");`, wantRC: 1,
			want: []sentReply{{Code: 480, Reason: "Later"}}},
		{name: "code var holding a string falls back to default_code", body: `$var(c) = "480"; sl_send_reply("$var(c)", "Later");`,
			wantRC: 1, want: []sentReply{{Code: 500, Reason: "Later"}}, wantLogs: "not an integer"},
		{name: "default_code param", params: `modparam("sl", "default_code", 503)` + "\n",
			body: `sl_send_reply("$hdr(X-None)", "x");`, wantRC: 1, want: []sentReply{{Code: 503, Reason: "x"}}},
		{name: "runtime code out of range", body: `$var(c) = 800; sl_send_reply("$var(c)", "x");`, wantRC: -1,
			wantLogs: "not a SIP status code"},
		{name: "reason with CRLF uses default_reason", params: `modparam("sl", "default_reason", "Oops")` + "\n",
			body: `$var(r) = "a\r\nX-Evil: 1"; sl_send_reply(500, "$var(r)");`, wantRC: 1, want: []sentReply{{Code: 500, Reason: "Oops"}}},
		{name: "302 lists the destination set", body: `$ru = "sip:new@1.2.3.4"; sl_send_reply(302, "Moved");`,
			prep: func(st *pv.State) {
				st.Branches = []pv.Branch{{URI: "sip:b1@5.6.7.8", Q: 500, Flags: 5}, {URI: "sip:b2@5.6.7.9", Q: -1}}
			},
			wantRC: 1, want: []sentReply{{Code: 302, Reason: "Moved",
				Headers: []string{"Contact: <sip:new@1.2.3.4>, <sip:b1@5.6.7.8>;q=0.5, <sip:b2@5.6.7.9>"}}}},
		{name: "302 leaves out an R-URI that was not rewritten", body: `sl_send_reply(302, "Moved");`,
			prep: func(st *pv.State) {
				st.Branches = []pv.Branch{{URI: "sip:b1@5.6.7.8", Q: 1000}, {URI: "sip:b2@5.6.7.9", Q: 125}, {URI: "sip:b3@x", Q: 0}}
			},
			wantRC: 1, want: []sentReply{{Code: 302, Reason: "Moved",
				Headers: []string{"Contact: <sip:b1@5.6.7.8>;q=1, <sip:b2@5.6.7.9>;q=0.125, <sip:b3@x>;q=0"}}}},
		{name: "302 without destination set has no Contact", body: `sl_send_reply(302, "Moved");`, wantRC: 1,
			want: []sentReply{{Code: 302, Reason: "Moved"}}},
		{name: "rich_redirect 3", params: `modparam("sl", "rich_redirect", 3)` + "\n",
			body: `$ru = "sip:new@1.2.3.4"; sl_send_reply(302, "Moved");`,
			prep: func(st *pv.State) {
				st.BranchFlags = 4
				st.Branches = []pv.Branch{{URI: "sip:b1@5.6.7.8", Q: 500, Flags: 5,
					Path: "<sip:p1@10.0.0.1;lr>,<sip:p2@10.0.0.2;lr>"}}
			},
			wantRC: 1, want: []sentReply{{Code: 302, Reason: "Moved", Headers: []string{
				"Contact: <sip:new@1.2.3.4>;flags=4, <sip:b1@5.6.7.8?Route=%3csip:p1%4010.0.0.1%3blr%3e%2c%3csip:p2%4010.0.0.2%3blr%3e>;q=0.5;flags=5"}}}},
		{name: "404 has no Contact", body: `$ru = "sip:new@1.2.3.4"; sl_send_reply(404, "NF");`,
			prep:   func(st *pv.State) { st.Branches = []pv.Branch{{URI: "sip:b1@5.6.7.8", Q: -1}} },
			wantRC: 1, want: []sentReply{{Code: 404, Reason: "NF"}}},
		{name: "send_reply without tm is stateless", body: `send_reply(404, "NF $fU");`, wantRC: 1,
			want: []sentReply{{Code: 404, Reason: "NF a"}}},
		{name: "send_reply_mode sets the reply flags", body: `send_reply_mode(404, "NF", "3");`, wantRC: 1,
			want: []sentReply{{Code: 404, Reason: "NF", Flags: pv.FlagReplyNoConnect | pv.FlagReplyClose}}},
		{name: "send_reply_mode from a var", body: `$var(m) = 2; send_reply_mode("404", "NF", "$var(m)");`, wantRC: 1,
			want: []sentReply{{Code: 404, Reason: "NF", Flags: pv.FlagReplyClose}}},
		{name: "sl_reply_error", body: `sl_reply_error();`, wantRC: 1,
			want: []sentReply{{Code: 500, Reason: "I'm terribly sorry, server error occurred (1/SL)"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fx := load(t, "loadmodule \"pv.so\"\nloadmodule \"sl.so\"\n"+tc.params+"request_route {\n"+tc.body+"\n}\n")
			res := fx.runRequest(t, invite, tc.prep)
			if res.Code != tc.wantRC {
				t.Errorf("rc = %d, want %d; logs:\n%s", res.Code, tc.wantRC, fx.logs)
			}
			for i, r := range fx.fc.replies {
				if !tagRE.MatchString(r.ToTag) || !strings.HasPrefix(r.ToTag, fx.sl.TagPrefix()+".") {
					t.Errorf("reply %d: To tag %q does not carry sl's prefix %q", i, r.ToTag, fx.sl.TagPrefix())
				}
				fx.fc.replies[i].ToTag = ""
			}
			if diff := cmp.Diff(tc.want, fx.fc.replies); diff != "" {
				t.Errorf("replies (-want +got):\n%s", diff)
			}
			if tc.wantLogs != "" && !strings.Contains(fx.logs.String(), tc.wantLogs) {
				t.Errorf("logs miss %q:\n%s", tc.wantLogs, fx.logs)
			}
		})
	}
}

func TestReplyFailures(t *testing.T) {
	cfg := "loadmodule \"sl.so\"\nrequest_route {\nsl_send_reply(404, \"NF\");\n}\n"

	t.Run("no core", func(t *testing.T) {
		fx := load(t, cfg)
		fx.l.Machine.Core = nil
		if res := fx.runRequest(t, invite, nil); res.Code != -1 {
			t.Errorf("rc = %d, want -1", res.Code)
		}
		if !strings.Contains(fx.logs.String(), "no server is running") {
			t.Errorf("no error logged:\n%s", fx.logs)
		}
	})
	t.Run("send fails", func(t *testing.T) {
		fx := load(t, cfg)
		fx.fc.sendErr = errors.New("network down")
		if res := fx.runRequest(t, invite, nil); res.Code != -1 {
			t.Errorf("rc = %d, want -1", res.Code)
		}
		st := fx.sl.Stats()
		if st["failures"] != 1 || st["sent_replies"] != 0 {
			t.Errorf("failures=%d sent=%d, want 1 0", st["failures"], st["sent_replies"])
		}
	})
	t.Run("never replies to an ACK", func(t *testing.T) {
		fx := load(t, cfg)
		if res := fx.runRequest(t, ack("abc"), nil); res.Code != -1 {
			t.Errorf("rc = %d, want -1", res.Code)
		}
		if len(fx.fc.replies) != 0 {
			t.Errorf("replied to an ACK: %+v", fx.fc.replies)
		}
	})
}

func TestToTagIsStablePerRequest(t *testing.T) {
	fx := load(t, "loadmodule \"sl.so\"\nrequest_route {\nsl_send_reply(404, \"NF\");\n}\n")
	fx.runRequest(t, invite, nil)
	fx.runRequest(t, invite, nil)
	other := strings.Replace(invite, "z9hG4bKabc1", "z9hG4bKother", 1)
	fx.runRequest(t, other, nil)
	r := fx.fc.replies
	if len(r) != 3 {
		t.Fatalf("%d replies, want 3", len(r))
	}
	if r[0].ToTag != r[1].ToTag {
		t.Errorf("a retransmission got another tag: %q, %q", r[0].ToTag, r[1].ToTag)
	}
	if r[0].ToTag == r[2].ToTag {
		t.Errorf("another request got the same tag %q", r[0].ToTag)
	}
	if another := sl.New(); another.TagPrefix() == fx.sl.TagPrefix() {
		t.Errorf("two servers share the tag prefix %q", another.TagPrefix())
	}
}

func TestLocalResponseEvent(t *testing.T) {
	fx := load(t, "loadmodule \"sl.so\"\nrequest_route {\nsl_send_reply(404, \"NF\");\n}\n"+
		"event_route[sl:local-response] {\n;\n}\n")
	fx.fc.routes[sl.EventLocalResponse] = true
	fx.runRequest(t, invite, nil)
	if len(fx.fc.events) != 1 {
		t.Fatalf("events = %+v, want one", fx.fc.events)
	}
	ev := fx.fc.events[0]
	if ev.Name != sl.EventLocalResponse || !strings.HasPrefix(ev.Raw, "SIP/2.0 404 NF\r\n") ||
		!strings.Contains(ev.Raw, "To: <sip:alice@127.0.0.1>;tag="+fx.fc.replies[0].ToTag) {
		t.Errorf("event = %q %q", ev.Name, ev.Raw)
	}
}

func TestFilteredACK(t *testing.T) {
	fx := load(t, "loadmodule \"sl.so\"\nrequest_route {\nsl_send_reply(404, \"NF\");\n}\n")
	fx.runRequest(t, invite, nil)
	ourTag := fx.fc.replies[0].ToTag
	before := func(msg string) bool {
		ctx := fx.newCtx(t, msg)
		return fx.sl.BeforeRequest(ctx)
	}

	// No event route defined: the ACK is still absorbed.
	if !before(ack(ourTag)) {
		t.Error("ACK to our reply not absorbed")
	}
	fx.fc.routes[sl.EventFilteredACK] = true
	if !before(ack(ourTag)) {
		t.Error("ACK to our reply not absorbed")
	}
	for _, msg := range []string{ack("someoneelse"), ack(ourTag[:len(ourTag)-1]), ack("x" + ourTag[1:]), invite} {
		if before(msg) {
			t.Errorf("absorbed a request that is not an ACK to our reply: %q", strings.SplitN(msg, "\r\n", 2)[0])
		}
	}
	if got := fx.sl.Stats()["received_ACKs"]; got != 2 {
		t.Errorf("received_ACKs = %d, want 2", got)
	}
	if len(fx.fc.events) != 1 || fx.fc.events[0].Name != sl.EventFilteredACK || !strings.HasPrefix(fx.fc.events[0].Raw, "ACK ") {
		t.Errorf("events = %+v, want one filtered-ack on the ACK", fx.fc.events)
	}
	// Without a core the ACK is absorbed, with no event.
	fx.l.Machine.Core = nil
	if !before(ack(ourTag)) {
		t.Error("ACK not absorbed without a core")
	}
}

func TestStats(t *testing.T) {
	fx := load(t, "loadmodule \"pv.so\"\nloadmodule \"sl.so\"\nrequest_route {\nsl_send_reply(\"$var(c)\", \"x\");\n}\n")
	for _, code := range []int{100, 180, 200, 200, 202, 204, 300, 301, 302, 305, 400, 401, 403, 404, 407, 408, 483, 486, 500, 503, 603} {
		// $var(c) is the program's only $var: slot 0.
		fx.runRequest(t, invite, func(st *pv.State) { st.Vars.Vals[0] = pv.Int(int64(code)) })
	}
	want := map[string]uint64{
		"1xx_replies": 2, "200_replies": 2, "202_replies": 1, "2xx_replies": 1,
		"300_replies": 1, "301_replies": 1, "302_replies": 1, "3xx_replies": 1,
		"400_replies": 1, "401_replies": 1, "403_replies": 1, "404_replies": 1, "407_replies": 1, "408_replies": 1,
		"483_replies": 1, "4xx_replies": 1, "500_replies": 1, "5xx_replies": 1, "6xx_replies": 1, "xxx_replies": 0,
		"sent_replies": 21, "sent_err_replies": 0, "failures": 0, "received_ACKs": 0,
	}
	if diff := cmp.Diff(want, fx.sl.Stats()); diff != "" {
		t.Errorf("stats (-want +got):\n%s", diff)
	}

	m, _ := module.Default().Lookup("sl")
	var handler func(module.Host, []any) (any, error)
	for _, r := range m.RPC {
		if r.Name == "sl.stats" {
			handler = r.Handler
		}
	}
	if handler == nil {
		t.Fatal("no sl.stats RPC")
	}
	got, err := handler(fx.l.Host(), nil)
	if err != nil {
		t.Fatal(err)
	}
	wantRPC := map[string]uint64{
		"200": 2, "202": 1, "2xx": 1, "300": 1, "301": 1, "302": 1, "3xx": 1,
		"400": 1, "401": 1, "403": 1, "404": 1, "407": 1, "408": 1, "483": 1, "4xx": 1,
		"500": 1, "5xx": 1, "6xx": 1, "xxx": 0,
	}
	if diff := cmp.Diff(wantRPC, got); diff != "" {
		t.Errorf("sl.stats (-want +got):\n%s", diff)
	}
	if _, err := handler(&fakeHost{}, nil); err == nil {
		t.Error("sl.stats without the module loaded did not fail")
	}

	// sl_reply_error counts as an error reply.
	fx2 := load(t, "loadmodule \"sl.so\"\nrequest_route {\nsl_reply_error();\n}\n")
	fx2.runRequest(t, invite, nil)
	if s := fx2.sl.Stats(); s["sent_err_replies"] != 1 || s["500_replies"] != 1 {
		t.Errorf("after sl_reply_error: %v", s)
	}
}

func TestForwardReply(t *testing.T) {
	tests := []struct {
		name     string
		body     string
		wantRC   int
		wantLine string // first line forwarded; "" when nothing is
	}{
		{"unchanged", `sl_forward_reply();`, 1, "SIP/2.0 408 Request Timeout"},
		{"code only keeps the reason", `sl_forward_reply("404");`, 1, "SIP/2.0 404 Request Timeout"},
		{"code and reason", `sl_forward_reply("404", "Not found $rs");`, 1, "SIP/2.0 404 Not found 408"},
		{"code from a var", `$var(c) = "480"; sl_forward_reply("$var(c)", "Later");`, 1, "SIP/2.0 480 Later"},
		{"other class refused", `sl_forward_reply("200", "OK");`, -1, ""},
		{"dynamic garbage refused", `$var(c) = "4x4"; sl_forward_reply("$var(c)");`, -1, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fx := load(t, "loadmodule \"pv.so\"\nloadmodule \"sl.so\"\nreply_route {\n"+tc.body+"\n}\n")
			ctx := fx.newCtx(t, reply408)
			res := ctx.Run(fx.l.Prog.Reply, module.CoreReply)
			if res.Code != tc.wantRC {
				t.Errorf("rc = %d, want %d; logs:\n%s", res.Code, tc.wantRC, fx.logs)
			}
			var lines []string
			for _, f := range fx.fc.forwarded {
				lines = append(lines, strings.SplitN(f, "\r\n", 2)[0])
			}
			var want []string
			if tc.wantLine != "" {
				want = []string{tc.wantLine}
			}
			if diff := cmp.Diff(want, lines); diff != "" {
				t.Errorf("forwarded (-want +got):\n%s", diff)
			}
			// The rewrite was for the forwarded copy only.
			if got := string(ctx.State().Msg.AppendTo(nil)); got != reply408 {
				t.Errorf("message changed after forwarding:\n%s", got)
			}
		})
	}
}

func TestForwardReplyOnRequest(t *testing.T) {
	fx := load(t, "loadmodule \"sl.so\"\nreply_route {\nsl_forward_reply();\n}\n")
	ctx := fx.newCtx(t, invite)
	if res := ctx.Run(fx.l.Prog.Reply, module.CoreReply); res.Code != -1 {
		t.Errorf("rc = %d on a request, want -1", res.Code)
	}
}

// TestChecks runs configs through the checker and the compiler (route
// types, constant arguments, fixups, parameters).
func TestChecks(t *testing.T) {
	tests := []struct {
		name string
		cfg  string
		want string // substring of the problems; "" for a clean config
	}{
		{"sl_send_reply in request_route", `request_route { sl_send_reply(404, "x"); }`, ""},
		{"sl_send_reply with a pv code in a string", `request_route { sl_send_reply("$var(c)", "x $rU"); }`, ""},
		{"sl_send_reply in failure_route", `request_route { ; } failure_route[f] { sl_send_reply(404, "x"); }`, "cannot be used in failure_route"},
		{"sl_reply in onreply_route", `request_route { ; } onreply_route[r] { sl_reply(404, "x"); }`, "cannot be used in onreply_route"},
		{"send_reply in failure_route", `request_route { ; } failure_route[f] { send_reply(404, "x"); }`, ""},
		{"send_reply in onreply_route", `request_route { ; } onreply_route[r] { send_reply(404, "x"); }`, ""},
		{"send_reply in branch_route", `request_route { ; } branch_route[b] { send_reply(404, "x"); }`, "cannot be used in branch_route"},
		{"send_reply_mode", `request_route { send_reply_mode(404, "x", 3); }`, ""},
		{"send_reply_mode bad mode", `request_route { send_reply_mode(404, "x", 4); }`, "reply mode 4"},
		{"sl_reply_error", `request_route { sl_reply_error(); }`, ""},
		{"sl_reply_error in failure_route", `request_route { ; } failure_route[f] { sl_reply_error(); }`, "cannot be used in failure_route"},
		{"sl_forward_reply in reply_route", `request_route { ; } reply_route { sl_forward_reply("404", "x"); }`, ""},
		{"sl_forward_reply in onreply_route", `request_route { ; } onreply_route[r] { sl_forward_reply(); }`, ""},
		{"sl_forward_reply in request_route", `request_route { sl_forward_reply(); }`, "cannot be used in request_route"},
		{"sl_forward_reply bad code", `request_route { ; } reply_route { sl_forward_reply("99"); }`, "not a SIP status code"},
		{"bare pv code", `request_route { sl_send_reply($var(c), "x"); }`, "not constant"},
		{"bare pv reason", `request_route { sl_send_reply(404, $var(x)); }`, "not constant"},
		{"code not a number", `request_route { sl_send_reply("abc", "x"); }`, "reply code"},
		{"code mixing text and pv", `request_route { sl_send_reply("4$var(c)", "x"); }`, "single pseudo-variable"},
		{"code out of range", `request_route { sl_send_reply(800, "x"); }`, "not a SIP status code"},
		{"wrong arg count", `request_route { sl_send_reply(404); }`, "sl_send_reply"},
		{"KEMI callback param", `modparam("sl", "event_callback_fl_ack", "ksr_ack") request_route { ; }`, "KEMI callbacks are not available"},
		{"KEMI lres param", `modparam("sl", "event_callback_lres_sent", "ksr_x") request_route { ; }`, "event_route[sl:local-response]"},
		{"default_code out of range", `modparam("sl", "default_code", 42) request_route { ; }`, "default_code"},
		{"rich_redirect out of range", `modparam("sl", "rich_redirect", 9) request_route { ; }`, "rich_redirect"},
		{"default_reason is a string", `modparam("sl", "default_reason", 5) request_route { ; }`, "default_reason"},
		{"event routes", `request_route { ; } event_route[sl:filtered-ack] { ; } event_route[sl:local-response] { ; }`, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg := "loadmodule \"pv.so\"\nloadmodule \"sl.so\"\n" + strings.ReplaceAll(tc.cfg, "} ", "}\n") + "\n"
			cfg = strings.Replace(cfg, ") request_route", ")\nrequest_route", 1)
			got := loadErr(t, cfg)
			switch {
			case tc.want == "" && got != "":
				t.Errorf("unexpected problems:\n%s", got)
			case tc.want != "" && !strings.Contains(got, tc.want):
				t.Errorf("problems %q do not mention %q", got, tc.want)
			}
		})
	}
}

// fakeTM is a tm that has a transaction for some requests.
type fakeTM struct {
	has   bool
	calls []sentReply
}

func (f *fakeTM) ReplyInTransaction(ctx module.ExecContext, code int, reason string) (bool, int) {
	if !f.has {
		return false, 0
	}
	f.calls = append(f.calls, sentReply{Code: code, Reason: reason, Flags: ctx.State().CoreFlags})
	return true, 7
}

type fakeHost struct{ states map[string]any }

func (h *fakeHost) Module(name string) (any, bool) { v, ok := h.states[name]; return v, ok }
func (h *fakeHost) HasEventRoute(string) bool      { return false }
func (h *fakeHost) Logger() *logging.Logger        { return logging.Discard() }

type fakeCtx struct {
	st   *pv.State
	core module.Core
}

func (c *fakeCtx) RouteType() module.RouteType { return module.Request }
func (c *fakeCtx) State() *pv.State            { return c.st }
func (c *fakeCtx) Logger() *logging.Logger     { return logging.Discard() }
func (c *fakeCtx) Core() module.Core           { return c.core }

func TestSendReplyThroughTM(t *testing.T) {
	m, _ := module.Default().Lookup("sl")
	var sendReplyMode *module.Func
	for i := range m.Funcs {
		if m.Funcs[i].Name == "send_reply_mode" {
			sendReplyMode = &m.Funcs[i]
		}
	}
	for _, bind := range []int64{1, 0} {
		for _, has := range []bool{true, false} {
			tm := &fakeTM{has: has}
			state := sl.New()
			host := &fakeHost{states: map[string]any{"sl": state, "tm": tm}}
			p, _ := m.Param("bind_tm")
			if err := p.Apply(host, module.ParamValue{IsInt: true, Int: bind}); err != nil {
				t.Fatal(err)
			}
			if err := m.Init(host); err != nil {
				t.Fatal(err)
			}
			args := []module.FixedArg{{Const: true, IsInt: true, Int: 488}, {Const: true, Str: "NA"}, {Const: true, IsInt: true, Int: 2}}
			if err := sendReplyMode.Fixup(host, args); err != nil {
				t.Fatal(err)
			}
			msg := &sip.Message{}
			if err := msg.Parse([]byte(invite), sip.Datagram); err != nil {
				t.Fatal(err)
			}
			st := &pv.State{Msg: msg, RURIQ: -1}
			fc := &fakeCore{routes: map[string]bool{}}
			rc := sendReplyMode.Exec(&fakeCtx{st: st, core: fc}, module.Args{Fixed: args, St: st})

			stateful := bind == 1 && has
			wantRC, wantTM, wantSL := 1, 0, 1
			if stateful {
				wantRC, wantTM, wantSL = 7, 1, 0
			}
			if rc != wantRC || len(tm.calls) != wantTM || len(fc.replies) != wantSL {
				t.Errorf("bind_tm=%d transaction=%v: rc=%d tm=%d sl=%d, want %d %d %d",
					bind, has, rc, len(tm.calls), len(fc.replies), wantRC, wantTM, wantSL)
			}
			if stateful && (tm.calls[0].Code != 488 || tm.calls[0].Reason != "NA" || tm.calls[0].Flags != pv.FlagReplyClose) {
				t.Errorf("tm got %+v", tm.calls[0])
			}
		}
	}
}

func TestReplyErrorWithoutModules(t *testing.T) {
	m, _ := module.Default().Lookup("sl")
	var f *module.Func
	for i := range m.Funcs {
		if m.Funcs[i].Name == "sl_reply_error" {
			f = &m.Funcs[i]
		}
	}
	msg := &sip.Message{}
	if err := msg.Parse([]byte(invite), sip.Datagram); err != nil {
		t.Fatal(err)
	}
	st := &pv.State{Msg: msg, RURIQ: -1}
	// A core that cannot give sl's state back: the function fails rather
	// than reply without its tag and statistics.
	type plainCore struct{ module.Core }
	if rc := f.Exec(&fakeCtx{st: st, core: plainCore{&fakeCore{}}}, module.Args{St: st}); rc != -1 {
		t.Errorf("rc = %d, want -1", rc)
	}
}
