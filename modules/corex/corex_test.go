package corex_test

import (
	"bytes"
	"errors"
	"net/netip"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/rs/zerolog"

	"github.com/kamgo/kamgo/lang/parser"
	"github.com/kamgo/kamgo/lang/preproc"
	"github.com/kamgo/kamgo/modules/corex"
	_ "github.com/kamgo/kamgo/modules/kex"
	_ "github.com/kamgo/kamgo/modules/pv"
	_ "github.com/kamgo/kamgo/modules/xlog"
	"github.com/kamgo/kamgo/pv"
	"github.com/kamgo/kamgo/runtime/core"
	"github.com/kamgo/kamgo/runtime/core/coretest"
	"github.com/kamgo/kamgo/runtime/logging"
	"github.com/kamgo/kamgo/runtime/module"
	"github.com/kamgo/kamgo/runtime/sip"
	"github.com/kamgo/kamgo/runtime/transport"
)

type sent struct {
	Dst       module.Target
	Data      string
	ForceSock string
}

type fakeCore struct {
	host       module.Host
	socks      []*transport.Socket
	sent       []sent
	fwdReplies int
}

func (f *fakeCore) SendReply(*pv.State, int, string, sip.ReplyOptions) error {
	return errors.New("not used")
}
func (f *fakeCore) Forward(*pv.State, module.Target) error { return errors.New("not used") }
func (f *fakeCore) ForwardReply(*pv.State) error           { f.fwdReplies++; return nil }
func (f *fakeCore) SendData(st *pv.State, dst module.Target, data []byte) error {
	if dst.Host == "fail.example" {
		return errors.New("unreachable")
	}
	f.sent = append(f.sent, sent{Dst: dst, Data: string(data), ForceSock: st.ForceSocket})
	return nil
}
func (f *fakeCore) RunEvent(string, pv.RecvInfo, []byte) bool { return false }
func (f *fakeCore) HasRoute(string) bool                      { return false }
func (f *fakeCore) Module(name string) (any, bool)            { return f.host.Module(name) }
func (f *fakeCore) Myself(host string, _ int) bool            { return host == "127.0.0.1" }
func (f *fakeCore) Sockets() []*transport.Socket              { return f.socks }

const invite = "INVITE sip:bob@example.com SIP/2.0\r\n" +
	"Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bKabc1\r\n" +
	"From: <sip:alice@127.0.0.1>;tag=ft1\r\n" +
	"To: <sip:bob@example.com>\r\n" +
	"Call-ID: cid1\r\n" +
	"CSeq: 1 INVITE\r\n" +
	"Max-Forwards: 70\r\n" +
	"Content-Length: 0\r\n\r\n"

func testSockets() []*transport.Socket {
	return []*transport.Socket{
		{Proto: pv.ProtoUDP, Addr: netip.MustParseAddrPort("127.0.0.1:5060"), Name: "main"},
		{Proto: pv.ProtoTCP, Addr: netip.MustParseAddrPort("127.0.0.1:5060")},
		{Proto: pv.ProtoUDP, Addr: netip.MustParseAddrPort("127.0.0.2:5080"), Name: "second", AdvHost: "pub.example", AdvPort: 5090},
	}
}

// run loads a config whose request_route is body (and extra top-level
// text), runs it on the INVITE and returns the L_INFO lines, the state and
// the fake core.
func run(t *testing.T, extra, body string, prep func(st *pv.State)) ([]string, *pv.State, *fakeCore) {
	t.Helper()
	var logs bytes.Buffer
	log := logging.New(zerolog.New(&logs), logging.LInfo)
	cfg := "loadmodule \"pv\"\nloadmodule \"xlog\"\nloadmodule \"kex\"\nloadmodule \"corex\"\n" + extra +
		"\nrequest_route {\n" + body + "\n}\n"
	c, res, d := parser.ParseSource("test.cfg", []byte(cfg), preproc.Options{})
	if d.HasErrors() {
		t.Fatalf("parse: %v", d)
	}
	l, ld := core.Load(c, res, core.LoadOptions{Log: log, Debug: logging.LInfo, DebugSet: true})
	if l == nil {
		t.Fatalf("load: %v", ld)
	}
	fc := &fakeCore{host: l.Host(), socks: testSockets()}
	l.Machine.Core = fc
	ctx := l.Machine.NewCtx(nil, l.Globals)
	st := ctx.State()
	st.Reset()
	m := &sip.Message{}
	if err := m.Parse([]byte(invite), sip.Datagram); err != nil {
		t.Fatal(err)
	}
	st.Msg, st.Raw = m, []byte(invite)
	st.Recv = pv.RecvInfo{Src: netip.MustParseAddrPort("127.0.0.1:5070"), Dst: netip.MustParseAddrPort("127.0.0.1:5060"), Proto: pv.ProtoUDP, SocketName: "main"}
	if prep != nil {
		prep(st)
	}
	ctx.Run(l.Prog.Request, module.Request)
	return infoLines(t, logs.String()), st, fc
}

func infoLines(t *testing.T, out string) []string { return coretest.ScriptLines(t, out) }

func TestCorexFunctions(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "data.txt")
	tests := []struct {
		name  string
		extra string
		body  string
		prep  func(st *pv.State)
		want  []string
		check func(t *testing.T, st *pv.State, fc *fakeCore)
	}{
		{name: "append_branch forms", body: `append_branch(); xlog("L_INFO", "rc=$rc u=$(branch(uri)[0]) q=$(branch(q)[0])\n");
			append_branch("sip:b@b.example"); append_branch("sip:c@b.example", "0.5");
			$var(u) = "sip:d@b.example"; append_branch($var(u), ".25");
			xlog("L_INFO", "n=$branch(count) q2=$(branch(q)[2]) q3=$(branch(q)[3]) u3=$(branch(uri)[3])\n");`,
			want: []string{"rc=1 u=sip:bob@example.com q=<null>", "n=4 q2=500 q3=250 u3=sip:d@b.example"},
		},
		{name: "append_branch copies du, flags and socket", body: `$du = "sip:10.0.0.1:5080"; setbflag(3); $fs = "udp:127.0.0.1:5060";
			append_branch("sip:b@b.example"); xlog("L_INFO", "du=$(branch(dst_uri)[0]) fl=$(branch(flags)[0]) sock=$(branch(send_socket)[0])\n");`,
			want: []string{"du=sip:10.0.0.1:5080 fl=8 sock=udp:127.0.0.1:5060"}},
		{name: "append_branch bad q", body: `append_branch("sip:b@b.example", "abc"); xlog("L_INFO", "rc=$rc n=$branch(count)\n");
			append_branch("sip:b@b.example", "2"); xlog("L_INFO", "rc=$rc\n");
			append_branch("sip:b@b.example", "1.0"); xlog("L_INFO", "rc=$rc q=$(branch(q)[-1])\n");`,
			want: []string{"rc=-1 n=<null>", "rc=-1", "rc=1 q=1000"}},
		{name: "append_branch max_branches", body: `$var(i) = 0; while ($var(i) < 13) { append_branch("sip:b$var(i)@b.example"); $var(r) = $rc; $var(i) = $var(i) + 1; }
			xlog("L_INFO", "n=$branch(count) last=$var(r)\n");`,
			want: []string{"n=11 last=-1"}},
		{name: "xflags", body: `setxflag(40); isxflagset(40); xlog("L_INFO", "rc=$rc\n");
			isxflagset("41"); xlog("L_INFO", "rc=$rc\n");
			$var(x) = 2; setxflag("$var(x)"); isxflagset($var(x)); xlog("L_INFO", "rc=$rc\n");
			resetxflag(40); isxflagset(40); xlog("L_INFO", "rc=$rc\n");
			setxflag(64); xlog("L_INFO", "range rc=$rc\n");`,
			want: []string{"rc=1", "rc=-1", "rc=1", "rc=-1", "range rc=-1"},
			check: func(t *testing.T, st *pv.State, _ *fakeCore) {
				if got := corex.XFlags(st); got != 1<<2 {
					t.Errorf("XFlags = %#x, want %#x", got, 1<<2)
				}
			}},
		{name: "iflags unknown name", body: `msg_iflag_set("NO_SUCH"); xlog("L_INFO", "rc=$rc\n"); msg_iflag_is_set("NO_SUCH"); xlog("L_INFO", "rc=$rc\n");
			msg_iflag_set("use_uac_to"); msg_iflag_is_set("USE_UAC_TO"); xlog("L_INFO", "rc=$rc\n");`,
			want: []string{"rc=1", "rc=-1", "rc=1"}},
		{name: "iflags", body: `msg_iflag_is_set("UAC_AUTH"); xlog("L_INFO", "rc=$rc\n");
			msg_iflag_set("UAC_AUTH"); msg_iflag_is_set("UAC_AUTH"); xlog("L_INFO", "rc=$rc\n");
			msg_iflag_reset("UAC_AUTH"); msg_iflag_is_set("UAC_AUTH"); xlog("L_INFO", "rc=$rc\n");
			$var(f) = "USE_UAC_FROM"; msg_iflag_set("$var(f)"); msg_iflag_is_set($var(f)); xlog("L_INFO", "rc=$rc\n");`,
			want: []string{"rc=-2", "rc=1", "rc=-2", "rc=1"},
			check: func(t *testing.T, st *pv.State, _ *fakeCore) {
				if got := corex.IFlags(st); got != corex.IFlagUseUACFrom {
					t.Errorf("IFlags = %#x, want %#x", got, corex.IFlagUseUACFrom)
				}
			}},
		{name: "file_write then file_read", body: `file_write("` + file + `", "from $fU\nline2"); xlog("L_INFO", "w=$rc\n");
			file_read("` + file + `", "$var(c)"); xlog("L_INFO", "r=$rc c=[$var(c)]\n");
			file_read("` + filepath.Join(dir, "missing") + `", "$var(d)"); xlog("L_INFO", "missing=$rc\n");
			file_write("` + filepath.Join(dir, "no", "dir") + `", "x"); xlog("L_INFO", "baddir=$rc\n");`,
			want: []string{"w=1", "r=1 c=[from alice\nline2]", "missing=-1", "baddir=-1"}},
		{name: "is_faked_msg", body: `is_faked_msg(); xlog("L_INFO", "rc=$rc\n");`, want: []string{"rc=-1"}},
		{name: "is_faked_msg without received bytes", body: `is_faked_msg(); xlog("L_INFO", "rc=$rc\n");`,
			prep: func(st *pv.State) { st.Raw = nil }, want: []string{"rc=1"}},
		{name: "send socket", body: `set_send_socket("udp:127.0.0.2:5080"); xlog("L_INFO", "rc=$rc fs=$fs\n");
			set_send_socket("udp:10.9.9.9:5060"); xlog("L_INFO", "rc=$rc fs=$fs\n");
			set_send_socket_name("main"); xlog("L_INFO", "rc=$rc fs=$fs\n");
			set_send_socket("tcp:127.0.0.1"); xlog("L_INFO", "rc=$rc fs=$fs\n");
			set_send_socket_name("nosuch"); xlog("L_INFO", "rc=$rc\n");`,
			want: []string{"rc=1 fs=udp:127.0.0.2:5080", "rc=1 fs=udp:127.0.0.2:5080", "rc=1 fs=udp:127.0.0.1:5060", "rc=1 fs=tcp:127.0.0.1:5060", "rc=1"}},
		{name: "recv socket", body: `set_recv_socket("udp:127.0.0.2:5080"); xlog("L_INFO", "rc=$rc Ri=$Ri Rp=$Rp Rn=$Rn\n");
			set_recv_socket_name("main"); xlog("L_INFO", "rc=$rc Rp=$Rp Rn=$Rn\n");
			set_recv_socket("udp:10.0.0.1:1"); xlog("L_INFO", "rc=$rc Rp=$Rp\n");`,
			want: []string{"rc=1 Ri=127.0.0.2 Rp=5080 Rn=second", "rc=1 Rp=5060 Rn=main", "rc=1 Rp=5060"}},
		{name: "source address", body: `set_source_address("tcp:10.1.2.3:5080"); xlog("L_INFO", "rc=$rc si=$si sp=$sp pr=$pr\n");
			set_source_address("[::1]:7000"); xlog("L_INFO", "rc=$rc si=$si sp=$sp\n");
			set_source_address("name.example:1"); xlog("L_INFO", "rc=$rc\n");`,
			want: []string{"rc=1 si=10.1.2.3 sp=5080 pr=tcp", "rc=1 si=::1 sp=7000", "rc=-1"}},
		{name: "is_socket_name", body: `is_socket_name("second"); xlog("L_INFO", "rc=$rc\n"); is_socket_name("nosuch"); xlog("L_INFO", "rc=$rc\n");`,
			want: []string{"rc=1", "rc=-1"}},
		{name: "send_udp and send_tcp send the message unchanged", body: `send_udp("10.0.0.5:5090"); xlog("L_INFO", "rc=$rc\n");
			$du = "sip:10.0.0.6;transport=tcp"; send_udp(); xlog("L_INFO", "rc=$rc\n");
			send_udp("fail.example"); xlog("L_INFO", "rc=$rc\n");`,
			want: []string{"rc=1", "rc=1", "rc=-1"},
			check: func(t *testing.T, _ *pv.State, fc *fakeCore) {
				want := []sent{
					{Dst: module.Target{Host: "10.0.0.5", Port: 5090, Proto: pv.ProtoUDP}, Data: invite},
					{Dst: module.Target{Proto: pv.ProtoUDP}, Data: invite},
				}
				if diff := cmp.Diff(want, fc.sent); diff != "" {
					t.Errorf("sent (-want +got):\n%s", diff)
				}
			}},
		{name: "send_data and sendx", body: `send_data("sip:10.0.0.7:5070;transport=tcp", "hello $rU"); xlog("L_INFO", "rc=$rc\n");
			sendx("sip:10.0.0.8", "udp:127.0.0.2:5080", "x"); xlog("L_INFO", "rc=$rc fs=$fs\n");
			sendx("sip:10.0.0.8", "udp:10.9.9.9:5080", "x"); xlog("L_INFO", "rc=$rc\n");`,
			want: []string{"rc=1", "rc=1 fs=<null>", "rc=-1"},
			check: func(t *testing.T, _ *pv.State, fc *fakeCore) {
				want := []sent{
					{Dst: module.Target{URI: "sip:10.0.0.7:5070;transport=tcp"}, Data: "hello bob"},
					{Dst: module.Target{URI: "sip:10.0.0.8"}, Data: "x", ForceSock: "udp:127.0.0.2:5080"},
				}
				if diff := cmp.Diff(want, fc.sent); diff != "" {
					t.Errorf("sent (-want +got):\n%s", diff)
				}
			}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, st, fc := run(t, tc.extra, tc.body, tc.prep)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("xlog lines (-want +got):\n%s", diff)
			}
			if tc.check != nil {
				tc.check(t, st, fc)
			}
		})
	}
	if _, err := os.Stat(file); err != nil {
		t.Errorf("file_write left no file: %v", err)
	}
}

func TestParseQ(t *testing.T) {
	tests := []struct {
		in   string
		want int
		ok   bool
	}{
		{"0.5", 500, true}, {"1", 1000, true}, {"1.000", 1000, true}, {".25", 250, true}, {"0", 0, true},
		{"0.123", 123, true}, {"1.5", 0, false}, {"2", 0, false}, {"0.1234", 123, true}, {"0.1x", 0, false}, {"", 0, false},
		{"a", 0, false}, {".", 0, true}, {"-1", 0, false},
	}
	for _, tc := range tests {
		got, ok := corex.ParseQ(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("ParseQ(%q) = %d, %v; want %d, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestParseSocket(t *testing.T) {
	tests := []struct {
		in      string
		want    corex.SocketSpec
		wantErr bool
	}{
		{in: "udp:127.0.0.1:5060", want: corex.SocketSpec{Proto: pv.ProtoUDP, Host: "127.0.0.1", Port: 5060}},
		{in: "127.0.0.1", want: corex.SocketSpec{Host: "127.0.0.1"}},
		{in: "tcp:[::1]:5070", want: corex.SocketSpec{Proto: pv.ProtoTCP, Host: "::1", Port: 5070}},
		{in: "::1", want: corex.SocketSpec{Host: "::1"}},
		{in: "host.example:99", want: corex.SocketSpec{Host: "host.example", Port: 99}},
		{in: "udp:1.2.3.4:99999", wantErr: true},
		{in: "[::1", wantErr: true},
		{in: "[::1]x", wantErr: true},
		{in: "udp:", wantErr: true},
		{in: "", wantErr: true},
	}
	for _, tc := range tests {
		got, err := corex.ParseSocket(tc.in)
		if (err != nil) != tc.wantErr {
			t.Errorf("ParseSocket(%q) error = %v, want error %v", tc.in, err, tc.wantErr)
			continue
		}
		if err == nil && got != tc.want {
			t.Errorf("ParseSocket(%q) = %+v, want %+v", tc.in, got, tc.want)
		}
	}
}
