package core_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/rs/zerolog"

	"github.com/kamgo/kamgo/pv"
	"github.com/kamgo/kamgo/runtime/logging"
	"github.com/kamgo/kamgo/runtime/module"
	"github.com/kamgo/kamgo/runtime/module/core"
	"github.com/kamgo/kamgo/runtime/sip"
)

// fakeCtx is the module.ExecContext of the tests: a request route, a
// state and a logger writing JSON lines to buf.
type fakeCtx struct {
	st  *pv.State
	log *logging.Logger
	buf *bytes.Buffer
}

func (c *fakeCtx) RouteType() module.RouteType { return module.Request }
func (c *fakeCtx) State() *pv.State            { return c.st }
func (c *fakeCtx) Logger() *logging.Logger     { return c.log }
func (c *fakeCtx) Core() module.Core           { return nil }

func newCtx(st *pv.State) *fakeCtx {
	buf := new(bytes.Buffer)
	return &fakeCtx{st: st, log: logging.New(zerolog.New(buf), logging.LDbg), buf: buf}
}

// logLine is one line the logger wrote.
type logLine struct {
	Level   string `json:"level"`
	Message string `json:"message"`
}

func (c *fakeCtx) lines(t *testing.T) []logLine {
	t.Helper()
	var out []logLine
	sc := bufio.NewScanner(c.buf)
	for sc.Scan() {
		var l logLine
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatalf("log line %q: %v", sc.Text(), err)
		}
		out = append(out, l)
	}
	c.buf.Reset()
	return out
}

// str and num are constant arguments.
func str(s string) module.FixedArg { return module.FixedArg{Const: true, Str: s} }
func num(n int64) module.FixedArg  { return module.FixedArg{Const: true, IsInt: true, Int: n} }

// execOf returns the exec function of the core function name taking n
// arguments.
func execOf(t *testing.T, name string, n int) module.ExecFunc {
	t.Helper()
	m := core.Module()
	for i := range m.Funcs {
		f := &m.Funcs[i]
		if f.Name == name && f.Accepts(n) {
			if f.Exec == nil {
				t.Fatalf("core function %s/%d has no Exec", name, n)
			}
			return f.Exec
		}
	}
	t.Fatalf("no core function %s/%d", name, n)
	return nil
}

// call is one function call of a test: name(args...) and the code it must
// return.
type call struct {
	name string
	args []module.FixedArg
	want int
}

func (c call) run(t *testing.T, ctx *fakeCtx) int {
	t.Helper()
	return execOf(t, c.name, len(c.args))(ctx, module.Args{Fixed: c.args, St: ctx.st})
}

func request(t *testing.T, ruri string) *sip.Message {
	t.Helper()
	text := "INVITE " + ruri + " SIP/2.0\r\n" +
		"Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK776asdhds\r\n" +
		"Max-Forwards: 70\r\n" +
		"To: <sip:bob@biloxi.example.com>\r\n" +
		"From: <sip:alice@atlanta.example.com>;tag=1928301774\r\n" +
		"Call-ID: a84b4c76e66710\r\n" +
		"CSeq: 314159 INVITE\r\n" +
		"Content-Length: 0\r\n\r\n"
	var m sip.Message
	if err := m.Parse([]byte(text), sip.Datagram); err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return &m
}

func reply(t *testing.T) *sip.Message {
	t.Helper()
	text := "SIP/2.0 200 OK\r\n" +
		"Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK776asdhds\r\n" +
		"To: <sip:bob@biloxi.example.com>;tag=a\r\n" +
		"From: <sip:alice@atlanta.example.com>;tag=1928301774\r\n" +
		"Call-ID: a84b4c76e66710\r\n" +
		"CSeq: 314159 INVITE\r\n" +
		"Content-Length: 0\r\n\r\n"
	var m sip.Message
	if err := m.Parse([]byte(text), sip.Datagram); err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return &m
}

func TestFlags(t *testing.T) {
	for f := int64(0); f <= 31; f++ {
		ctx := newCtx(&pv.State{})
		st := ctx.st
		bit := uint32(1) << f
		other := (f + 1) % 32
		steps := []struct {
			call
			flags uint32
		}{
			{call{"isflagset", []module.FixedArg{num(f)}, -1}, 0},
			{call{"setflag", []module.FixedArg{num(f)}, 1}, bit},
			{call{"setflag", []module.FixedArg{num(f)}, 1}, bit},
			{call{"isflagset", []module.FixedArg{num(f)}, 1}, bit},
			{call{"isflagset", []module.FixedArg{num(other)}, -1}, bit},
			{call{"setflag", []module.FixedArg{num(other)}, 1}, bit | 1<<other},
			{call{"resetflag", []module.FixedArg{num(f)}, 1}, 1 << other},
			{call{"isflagset", []module.FixedArg{num(f)}, -1}, 1 << other},
			{call{"resetflag", []module.FixedArg{num(f)}, 1}, 1 << other},
		}
		for i, s := range steps {
			if got := s.run(t, ctx); got != s.want {
				t.Errorf("flag %d step %d: %s = %d, want %d", f, i, s.name, got, s.want)
			}
			if st.Flags != s.flags {
				t.Errorf("flag %d step %d: after %s Flags = %#x, want %#x", f, i, s.name, st.Flags, s.flags)
			}
		}
		if l := ctx.lines(t); len(l) != 0 {
			t.Errorf("flag %d: unexpected log %v", f, l)
		}
	}
}

func TestFlagArguments(t *testing.T) {
	tests := []struct {
		name    string
		arg     module.FixedArg
		want    int
		flags   uint32
		wantLog []logLine
	}{
		{"string holding a number", str("7"), 1, 1 << 7, nil},
		{"string holding 31", str("31"), 1, 1 << 31, nil},
		{"flag 32", num(32), -1, 0, []logLine{{"error", "bad flag value 32"}}},
		{"negative flag", num(-1), -1, 0, []logLine{{"error", "bad flag value -1"}}},
		{"not a number", str("x"), -1, 0, []logLine{{"error", "bad flag value x"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, fn := range []string{"setflag", "resetflag", "isflagset"} {
				ctx := newCtx(&pv.State{})
				want := tt.want
				wantFlags := tt.flags
				switch {
				case fn == "resetflag":
					wantFlags = 0
				case fn == "isflagset" && want > 0:
					// the flag is not set
					want, wantFlags = -1, 0
				}
				if got := (call{fn, []module.FixedArg{tt.arg}, want}).run(t, ctx); got != want {
					t.Errorf("%s = %d, want %d", fn, got, want)
				}
				if ctx.st.Flags != wantFlags {
					t.Errorf("%s: Flags = %#x, want %#x", fn, ctx.st.Flags, wantFlags)
				}
				if diff := cmp.Diff(tt.wantLog, ctx.lines(t)); diff != "" {
					t.Errorf("%s log (-want +got):\n%s", fn, diff)
				}
			}
		})
	}
}

// TestRequestURIFunctions runs the functions that rewrite the R-URI. The
// expected URIs and warnings are what Kamailio 5.6 does.
func TestRequestURIFunctions(t *testing.T) {
	tooLong := func(n, user string) []logLine {
		return []logLine{{"warn", "too long strip asked; deleting username: " + n + " of <" + user + ">"}}
	}
	tests := []struct {
		name    string
		ruri    string
		calls   []call
		want    string
		wantLog []logLine
	}{
		{"rewriteuri", "sip:bob@biloxi.example.com", []call{{"rewriteuri", []module.FixedArg{str("sip:carol@chicago.example.com;lr")}, 1}},
			"sip:carol@chicago.example.com;lr", nil},
		{"seturi", "sip:bob@biloxi.example.com", []call{{"seturi", []module.FixedArg{str("sips:x@y")}, 1}}, "sips:x@y", nil},
		{"rewriteuri to tel", "sip:bob@biloxi.example.com", []call{{"rewriteuri", []module.FixedArg{str("tel:+123")}, 1}}, "tel:+123", nil},
		{"rewriteuri refuses a bad URI", "sip:bob@biloxi.example.com", []call{{"rewriteuri", []module.FixedArg{str("sip:a b")}, -1}},
			"sip:bob@biloxi.example.com", []logLine{{"error", "rewriteuri: sip: Bad Request-URI at offset 5"}}},

		{"rewritehost", "sips:alice:pw@h.example.com:5061;lr?X=1", []call{{"rewritehost", []module.FixedArg{str("x.example.net")}, 1}},
			"sips:alice:pw@x.example.net:5061;lr?X=1", nil},
		{"sethost", "sip:alice@[2001:db8::1]:5060", []call{{"sethost", []module.FixedArg{str("[::1]")}, 1}}, "sip:alice@[::1]:5060", nil},
		{"seth", "sip:h.example.com", []call{{"seth", []module.FixedArg{str("10.0.0.1")}, 1}}, "sip:10.0.0.1", nil},

		{"rewritehostport", "sips:alice:pw@h.example.com:5061;lr?X=1", []call{{"rewritehostport", []module.FixedArg{str("x.example.net:5080")}, 1}},
			"sips:alice:pw@x.example.net:5080;lr?X=1", nil},
		{"rewritehostport without port", "sips:alice:pw@h.example.com:5061;lr?X=1", []call{{"rewritehostport", []module.FixedArg{str("x.example.net")}, 1}},
			"sips:alice:pw@x.example.net;lr?X=1", nil},
		{"sethp", "sip:bob@h", []call{{"sethp", []module.FixedArg{str("x:1")}, 1}}, "sip:bob@x:1", nil},

		{"rewriteport", "sips:alice:pw@h.example.com;lr?X=1", []call{{"rewriteport", []module.FixedArg{str("5080")}, 1}},
			"sips:alice:pw@h.example.com:5080;lr?X=1", nil},
		{"rewriteport removes", "sip:123@h.example.com:5070;transport=tcp", []call{{"rewriteport", []module.FixedArg{str("")}, 1}},
			"sip:123@h.example.com;transport=tcp", nil},
		{"setport on IPv6", "sip:[2001:db8::1]:5060;transport=udp", []call{{"setport", []module.FixedArg{str("7000")}, 1}},
			"sip:[2001:db8::1]:7000;transport=udp", nil},
		{"setp", "sip:[2001:db8::1]", []call{{"setp", []module.FixedArg{str("7000")}, 1}}, "sip:[2001:db8::1]:7000", nil},
		{"rewriteport refuses a name", "sip:h.example.com:5060", []call{{"rewriteport", []module.FixedArg{str("sip")}, -1}},
			"sip:h.example.com:5060", []logLine{{"error", `bad port "sip"`}}},
		{"rewriteport refuses 65536", "sip:h.example.com", []call{{"rewriteport", []module.FixedArg{str("65536")}, -1}},
			"sip:h.example.com", []logLine{{"error", `bad port "65536"`}}},

		{"rewriteuser", "sip:alice@h.example.com", []call{{"rewriteuser", []module.FixedArg{str("bob")}, 1}}, "sip:bob@h.example.com", nil},
		{"rewriteuser adds a user", "sip:h.example.com", []call{{"rewriteuser", []module.FixedArg{str("bob")}, 1}}, "sip:bob@h.example.com", nil},
		{"setuser keeps the password", "sip:alice:secret@h.example.com", []call{{"setuser", []module.FixedArg{str("bob")}, 1}},
			"sip:bob:secret@h.example.com", nil},
		{"setu on IPv6", "sip:[2001:db8::1]:5060;transport=udp", []call{{"setu", []module.FixedArg{str("bob")}, 1}},
			"sip:bob@[2001:db8::1]:5060;transport=udp", nil},
		{"rewriteuser empty", "sip:alice@h.example.com;lr", []call{{"rewriteuser", []module.FixedArg{str("")}, 1}}, "sip:h.example.com;lr", nil},

		{"rewriteuserpass", "sips:alice:pw@h.example.com;lr?X=1", []call{{"rewriteuserpass", []module.FixedArg{str("bob:x")}, 1}},
			"sips:bob:x@h.example.com;lr?X=1", nil},
		{"setuserpass drops the password", "sip:alice:pw@h.example.com", []call{{"setuserpass", []module.FixedArg{str("bob")}, 1}},
			"sip:bob@h.example.com", nil},
		{"setup empty", "sip:123:pw@h.example.com", []call{{"setup", []module.FixedArg{str("")}, 1}}, "sip:h.example.com", nil},

		{"rewrite of a tel URI", "tel:+1234", []call{{"rewriteuser", []module.FixedArg{str("bob")}, 1}}, "tel:bob", nil},

		{"prefix", "sip:alice@h.example.com", []call{{"prefix", []module.FixedArg{str("00")}, 1}}, "sip:00alice@h.example.com", nil},
		{"prefix without user", "sip:h.example.com", []call{{"prefix", []module.FixedArg{str("00")}, 1}}, "sip:00@h.example.com", nil},
		{"prefix keeps the password", "sip:alice:pw@h.example.com", []call{{"prefix", []module.FixedArg{str("+1")}, 1}},
			"sip:+1alice:pw@h.example.com", nil},
		{"prefix twice", "sip:123@h;lr", []call{{"prefix", []module.FixedArg{str("9")}, 1}, {"prefix", []module.FixedArg{str("0")}, 1}},
			"sip:09123@h;lr", nil},

		{"strip", "sip:alice@h.example.com;transport=udp", []call{{"strip", []module.FixedArg{num(2)}, 1}}, "sip:ice@h.example.com;transport=udp", nil},
		{"strip 0", "sip:alice@h.example.com", []call{{"strip", []module.FixedArg{num(0)}, 1}}, "sip:alice@h.example.com", nil},
		{"strip the whole user", "sip:alice@h.example.com;transport=udp", []call{{"strip", []module.FixedArg{num(5)}, 1}},
			"sip:h.example.com;transport=udp", nil},
		{"strip more than the user", "sip:alice@h.example.com:5070", []call{{"strip", []module.FixedArg{num(10)}, 1}},
			"sip:h.example.com:5070", tooLong("10", "alice")},
		{"strip without user", "sip:h.example.com", []call{{"strip", []module.FixedArg{num(1)}, 1}}, "sip:h.example.com", tooLong("1", "")},
		{"strip keeps the password", "sip:alice:pw@h.example.com", []call{{"strip", []module.FixedArg{num(2)}, 1}}, "sip:ice:pw@h.example.com", nil},
		{"strip then prefix", "sip:0049301234@h", []call{{"strip", []module.FixedArg{num(2)}, 1}, {"prefix", []module.FixedArg{str("+")}, 1}},
			"sip:+49301234@h", nil},

		{"strip_tail", "sip:alice:pw@h.example.com", []call{{"strip_tail", []module.FixedArg{num(2)}, 1}}, "sip:ali:pw@h.example.com", nil},
		{"strip_tail the whole user", "sip:alice@h.example.com", []call{{"strip_tail", []module.FixedArg{num(5)}, 1}}, "sip:h.example.com", nil},

		{"userphone", "sip:123@h.example.com", []call{{"userphone", nil, 1}}, "sip:123@h.example.com;user=phone", nil},
		{"userphone after params, before headers", "sip:123@h.example.com;lr?X=1", []call{{"userphone", nil, 1}},
			"sip:123@h.example.com;lr;user=phone?X=1", nil},
		{"userphone before headers", "sip:123@h.example.com?X=1", []call{{"userphone", nil, 1}}, "sip:123@h.example.com;user=phone?X=1", nil},
		{"userphone already there", "sip:123@h.example.com;user=phone", []call{{"userphone", nil, 1}}, "sip:123@h.example.com;user=phone", nil},

		{"revert_uri", "sip:bob@biloxi.example.com;transport=udp", []call{
			{"rewritehost", []module.FixedArg{str("x")}, 1},
			{"strip", []module.FixedArg{num(1)}, 1},
			{"revert_uri", nil, 1},
		}, "sip:bob@biloxi.example.com;transport=udp", nil},
		{"revert_uri unchanged", "sip:bob@biloxi.example.com", []call{{"revert_uri", nil, 1}}, "sip:bob@biloxi.example.com", nil},
		{"rewrite after revert_uri", "sip:bob@b", []call{
			{"rewriteuri", []module.FixedArg{str("sip:x@y")}, 1},
			{"revert_uri", nil, 1},
			{"rewriteuser", []module.FixedArg{str("carol")}, 1},
		}, "sip:carol@b", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msg := request(t, tt.ruri)
			ctx := newCtx(&pv.State{Msg: msg, RURIQ: -1})
			for i, c := range tt.calls {
				if got := c.run(t, ctx); got != c.want {
					t.Errorf("call %d: %s = %d, want %d", i, c.name, got, c.want)
				}
			}
			if diff := cmp.Diff(tt.want, string(msg.RequestURI())); diff != "" {
				t.Errorf("R-URI (-want +got):\n%s", diff)
			}
			if got := string(msg.OriginalRequestURI()); got != tt.ruri {
				t.Errorf("original R-URI changed to %q", got)
			}
			if diff := cmp.Diff(tt.wantLog, ctx.lines(t)); diff != "" {
				t.Errorf("log (-want +got):\n%s", diff)
			}
			// the rewritten R-URI is the one sent
			line, _, _ := strings.Cut(msg.String(), "\r\n")
			if want := "INVITE " + tt.want + " SIP/2.0"; line != want {
				t.Errorf("start line %q, want %q", line, want)
			}
		})
	}
}

func TestStripTailTooLong(t *testing.T) {
	msg := request(t, "sip:alice@h.example.com;lr")
	ctx := newCtx(&pv.State{Msg: msg})
	if got := (call{"strip_tail", []module.FixedArg{num(6)}, 1}).run(t, ctx); got != 1 {
		t.Errorf("strip_tail = %d, want 1", got)
	}
	if got, want := string(msg.RequestURI()), "sip:h.example.com;lr"; got != want {
		t.Errorf("R-URI %q, want %q", got, want)
	}
	lines := ctx.lines(t)
	if len(lines) != 1 || lines[0].Level != "warn" || !strings.HasSuffix(lines[0].Message, "deleting username: 6 of <alice>") {
		t.Errorf("log %+v, want one warning ending in \"deleting username: 6 of <alice>\"", lines)
	}
}

func TestRequestURIFunctionsNeedARequest(t *testing.T) {
	calls := []call{
		{"rewriteuri", []module.FixedArg{str("sip:x@y")}, -1},
		{"rewritehost", []module.FixedArg{str("x")}, -1},
		{"rewriteport", []module.FixedArg{str("5060")}, -1},
		{"rewriteuser", []module.FixedArg{str("x")}, -1},
		{"rewriteuserpass", []module.FixedArg{str("x")}, -1},
		{"rewritehostport", []module.FixedArg{str("x")}, -1},
		{"prefix", []module.FixedArg{str("0")}, -1},
		{"strip", []module.FixedArg{num(1)}, -1},
		{"strip_tail", []module.FixedArg{num(1)}, -1},
		{"userphone", nil, -1},
		{"revert_uri", nil, -1},
	}
	for _, msg := range []struct {
		name string
		msg  *sip.Message
	}{{"reply", reply(t)}, {"no message", nil}} {
		for _, c := range calls {
			ctx := newCtx(&pv.State{Msg: msg.msg})
			if got := c.run(t, ctx); got != c.want {
				t.Errorf("%s: %s = %d, want %d", msg.name, c.name, got, c.want)
			}
			for _, l := range ctx.lines(t) {
				if l.Level != "error" || !strings.HasSuffix(l.Message, ": not a request") {
					t.Errorf("%s: %s logged %+v, want an error ending in \": not a request\"", msg.name, c.name, l)
				}
			}
		}
	}
}

func branches(uris ...string) []pv.Branch {
	out := make([]pv.Branch, len(uris))
	for i, u := range uris {
		out[i] = pv.Branch{URI: u, Q: -1}
	}
	return out
}

func TestBranchFunctions(t *testing.T) {
	tests := []struct {
		name  string
		start []pv.Branch
		calls []call
		want  []pv.Branch
	}{
		{"remove_branch by index", branches("b0", "b1", "b2"), []call{{"remove_branch", []module.FixedArg{num(1)}, 1}}, branches("b0", "b2")},
		{"remove_branch first", branches("b0", "b1", "b2"), []call{{"remove_branch", []module.FixedArg{num(0)}, 1}}, branches("b1", "b2")},
		{"remove_branch last", branches("b0", "b1", "b2"), []call{{"remove_branch", []module.FixedArg{num(2)}, 1}}, branches("b0", "b1")},
		{"remove_branch index from a string", branches("b0", "b1"), []call{{"remove_branch", []module.FixedArg{str("1")}, 1}}, branches("b0")},
		{"remove_branch past the end", branches("b0", "b1"), []call{{"remove_branch", []module.FixedArg{num(2)}, -1}}, branches("b0", "b1")},
		{"remove_branch negative", branches("b0", "b1"), []call{{"remove_branch", []module.FixedArg{num(-1)}, -1}}, branches("b0", "b1")},
		{"remove_branch not a number", branches("b0"), []call{{"remove_branch", []module.FixedArg{str("x")}, -1}}, branches("b0")},
		{"remove_branch of none", nil, []call{{"remove_branch", nil, -1}}, nil},
		{"remove_branch of none by index", nil, []call{{"remove_branch", []module.FixedArg{num(0)}, -1}}, nil},
		{"remove_branch until empty", branches("b0", "b1"), []call{
			{"remove_branch", []module.FixedArg{num(0)}, 1},
			{"remove_branch", []module.FixedArg{num(0)}, 1},
			{"remove_branch", []module.FixedArg{num(0)}, -1},
		}, branches()},
		{"clear_branches", branches("b0", "b1", "b2"), []call{{"clear_branches", nil, 1}}, branches()},
		{"clear_branches of none", nil, []call{{"clear_branches", nil, 1}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := newCtx(&pv.State{Msg: request(t, "sip:bob@b"), Branches: tt.start})
			for i, c := range tt.calls {
				if got := c.run(t, ctx); got != c.want {
					t.Errorf("call %d: %s = %d, want %d", i, c.name, got, c.want)
				}
			}
			if diff := cmp.Diff(tt.want, ctx.st.Branches); diff != "" {
				t.Errorf("branches (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCoreFlagFunctions(t *testing.T) {
	tests := []struct {
		name string
		bit  uint32
	}{
		{"force_rport", pv.FlagForceRport},
		{"add_rport", pv.FlagForceRport},
		{"add_local_rport", pv.FlagLocalRport},
		{"set_forward_no_connect", pv.FlagForwardNoConnect},
		{"set_reply_no_connect", pv.FlagReplyNoConnect},
		{"set_forward_close", pv.FlagForwardClose},
		{"set_reply_close", pv.FlagReplyClose},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			const other = pv.FlagTCPAlias
			ctx := newCtx(&pv.State{CoreFlags: other})
			for range 2 {
				if got := (call{tt.name, nil, 1}).run(t, ctx); got != 1 {
					t.Errorf("%s = %d, want 1", tt.name, got)
				}
				if want := other | tt.bit; ctx.st.CoreFlags != want {
					t.Errorf("CoreFlags = %#x, want %#x", ctx.st.CoreFlags, want)
				}
			}
			if ctx.st.Flags != 0 {
				t.Errorf("message flags changed to %#x", ctx.st.Flags)
			}
		})
	}
}

func TestLogFunctions(t *testing.T) {
	tests := []struct {
		name    string
		c       call
		wantLog []logLine
	}{
		{"log at level 4 is under L_DBG", call{"log", []module.FixedArg{str("hidden")}, 1}, nil},
		{"log at a level", call{"log", []module.FixedArg{num(logging.LInfo), str("shown")}, 1}, []logLine{{"info", "shown"}}},
		{"log error", call{"log", []module.FixedArg{num(logging.LErr), str("bad")}, 1}, []logLine{{"error", "bad"}}},
		{"error is a notice", call{"error", []module.FixedArg{str("a"), str("b")}, 1},
			[]logLine{{"info", `error("a", "b") not implemented`}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := newCtx(&pv.State{})
			if got := tt.c.run(t, ctx); got != tt.c.want {
				t.Errorf("%s = %d, want %d", tt.c.name, got, tt.c.want)
			}
			if diff := cmp.Diff(tt.wantLog, ctx.lines(t)); diff != "" {
				t.Errorf("log (-want +got):\n%s", diff)
			}
		})
	}
}

// TestExecAttached checks which core functions Module gives an Exec: the
// ones kamgo runs, aliases included; not the ones that need the transport
// (the compiler reports those as not supported) nor route and the
// expression functions, which the VM runs itself.
func TestExecAttached(t *testing.T) {
	var with, without []string
	for _, f := range core.Module().Funcs {
		if f.Exec != nil {
			with = append(with, f.Name)
		} else {
			without = append(without, f.Name)
		}
	}
	wantWith := []string{
		"forward", "forward_udp", "forward_tcp",
		"log", "error", "exec", "setflag", "resetflag", "isflagset",
		"rewriteuri", "seturi", "rewritehost", "sethost", "seth", "rewritehostport", "sethostport", "sethp",
		"rewritehostporttrans", "sethostporttrans", "sethpt", "rewriteuser", "setuser", "setu",
		"rewriteuserpass", "setuserpass", "setup", "rewriteport", "setport", "setp", "prefix",
		"strip", "strip_tail", "userphone", "revert_uri", "remove_branch", "clear_branches",
		"force_rport", "add_rport", "add_local_rport", "set_advertised_address", "set_advertised_port", "force_send_socket",
		"set_forward_no_connect", "set_reply_no_connect", "set_forward_close", "set_reply_close",
	}
	wantWithout := []string{
		"forward_tls", "forward_sctp", "route", "setavpflag", "resetavpflag", "isavpflagset",
		"force_tcp_alias", "add_tcp_alias", "udp_mtu_try_proto",
		"cfg_select", "cfg_reset", "strlen", "strempty", "selval",
	}
	if diff := cmp.Diff(wantWith, with); diff != "" {
		t.Errorf("functions with Exec (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(wantWithout, without); diff != "" {
		t.Errorf("functions without Exec (-want +got):\n%s", diff)
	}
}
