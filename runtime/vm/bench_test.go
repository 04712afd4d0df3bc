package vm_test

import (
	"net/netip"
	"testing"

	"github.com/kamgo/kamgo/lang/parser"
	"github.com/kamgo/kamgo/lang/preproc"
	_ "github.com/kamgo/kamgo/modules/all"
	"github.com/kamgo/kamgo/pv"
	"github.com/kamgo/kamgo/runtime/core"
	"github.com/kamgo/kamgo/runtime/logging"
	"github.com/kamgo/kamgo/runtime/module"
	"github.com/kamgo/kamgo/runtime/sip"
	"github.com/kamgo/kamgo/runtime/vm"
)

// representative is a request_route of the size the issue asks for: about
// 30 statements with 5 ifs, 8 PV reads, 2 regex matches, 4
// transformations and 6 function calls.
const representative = `#!KAMAILIO
debug=2
loadmodule "pv.so"
loadmodule "xlog.so"
request_route {
	if (!($rm =~ "^(INVITE|OPTIONS|REGISTER)$")) { drop; }
	$var(ua) = $(ua{s.tolower});
	if ($var(ua) =~ "friendly-scanner") { drop; }
	$var(user) = $(ru{uri.user});
	$avp(caller) = $(fu{uri.user});
	$var(len) = $(ci{s.len});
	setflag(1);
	if (isflagset(1) && $var(len) > 5) { setflag(2); }
	if ($si == "127.0.0.1" && $sp > 1024) { resetflag(3); }
	xdbg("user $var(user) from $avp(caller)\n");
	if (src_ip == 10.0.0.0/8) { drop; }
	route(NEXT);
	exit;
}
route[NEXT] {
	$var(n) = $var(n) + 1;
	return 1;
}
`

const invite = "INVITE sip:bob@biloxi.example.com SIP/2.0\r\n" +
	"Via: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK776asdhds\r\n" +
	"Max-Forwards: 70\r\n" +
	"To: Bob <sip:bob@biloxi.example.com>\r\n" +
	"From: Alice <sip:alice@atlanta.example.com>;tag=1928301774\r\n" +
	"Call-ID: a84b4c76e66710@pc33.atlanta.example.com\r\n" +
	"CSeq: 314159 INVITE\r\n" +
	"User-Agent: Softphone/1.0\r\n" +
	"Contact: <sip:alice@pc33.atlanta.example.com>\r\n" +
	"Content-Length: 0\r\n\r\n"

func loadProgram(tb testing.TB, text string) *core.Loaded {
	tb.Helper()
	cfg, res, diags := parser.ParseSource("bench.cfg", []byte(text), preproc.Options{})
	if diags.HasErrors() {
		tb.Fatal(diags.Err())
	}
	l, diags := core.Load(cfg, res, core.LoadOptions{Registry: module.Default(), Log: logging.Discard()})
	if diags.HasErrors() {
		tb.Fatal(diags.Err())
	}
	return l
}

// runner prepares a context and a parsed message and returns a function
// that runs request_route on them the way a worker does for each datagram.
func runner(tb testing.TB, text string) func() vm.Result {
	l := loadProgram(tb, text)
	ctx := l.Machine.NewCtx(nil, l.Globals)
	var msg sip.Message
	raw := []byte(invite)
	src := netip.MustParseAddrPort("127.0.0.1:5080")
	dst := netip.MustParseAddrPort("127.0.0.1:5060")
	// The message is parsed once: the benchmark measures the route, and
	// runtime/sip's benchmarks measure parsing.
	if err := msg.Parse(raw, sip.Datagram); err != nil {
		tb.Fatal(err)
	}
	return func() vm.Result {
		st := ctx.State()
		st.Reset()
		st.Msg = &msg
		st.Recv = pv.RecvInfo{Src: src, Dst: dst, Proto: pv.ProtoUDP}
		return ctx.Run(l.Prog.Request, module.Request)
	}
}

func TestRepresentativeRoute(t *testing.T) {
	run := runner(t, representative)
	res := run()
	if !res.Stopped || res.Code != 1 || res.Dropped {
		t.Fatalf("result %+v, want exit with code 1", res)
	}
	// Steady state: nothing allocates once the stores have grown.
	if n := testing.AllocsPerRun(100, func() { run() }); n != 0 {
		t.Errorf("%v allocations per run, want 0", n)
	}
}

func BenchmarkRepresentativeRoute(b *testing.B) {
	run := runner(b, representative)
	run()
	b.ReportAllocs()
	for b.Loop() {
		run()
	}
}

// BenchmarkAssign measures one assignment statement run by the VM,
// including the route's entry and exit.
func BenchmarkAssign(b *testing.B) {
	for _, tc := range []struct{ name, stmt string }{
		{"baseline_empty_statement", `;`},
		{"var_int", `$var(x) = 5;`},
		{"var_str", `$var(x) = "sip:alice@example.com";`},
		{"avp_int", `$avp(x) = 5;`},
		{"avp_str", `$avp(x) = "sip:alice@example.com";`},
	} {
		b.Run(tc.name, func(b *testing.B) {
			run := runner(b, "loadmodule \"pv.so\"\nrequest_route {\n"+tc.stmt+"\n}\n")
			run()
			b.ReportAllocs()
			for b.Loop() {
				run()
			}
		})
	}
}
