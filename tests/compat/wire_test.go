//go:build unix

package compat

import (
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/rs/zerolog"

	"github.com/kamgo/kamgo/runtime/logging"
)

// wireScript is a stateless proxy whose behaviour each request picks with
// its X-Mode header; it forwards everything to the collector (@COLL@).
const wireScript = `loadmodule "pv.so"
loadmodule "rr.so"
loadmodule "maxfwd.so"
loadmodule "textops.so"
loadmodule "sl.so"
loadmodule "textopsx.so"
loadmodule "siputils.so"
loadmodule "corex.so"
loadmodule "sanity.so"
request_route {
	if ($hdr(X-Mode) == "ping") { sl_send_reply("200", "Ready"); exit; }
	if (!mf_process_maxfwd_header("10")) { sl_send_reply("483", "Too Many Hops"); exit; }
	if ($hdr(X-Mode) == "rr") { record_route(); }
	if ($hdr(X-Mode) == "rrp") { record_route(";a=b"); }
	if ($hdr(X-Mode) == "hf") { append_hf("X-Added: 1\r\n"); remove_hf("X-Remove"); }
	if ($hdr(X-Mode) == "force") { force_rport(); }
	if ($hdr(X-Mode) == "lr") { loose_route(); }
	if ($hdr(X-Mode) == "body") { set_reply_body("hello\r\n", "text/plain"); append_to_reply("X-A: 1\r\n"); sl_send_reply("488", "Not Here"); exit; }
	if ($hdr(X-Mode) == "body2") { set_reply_body("one\r\n", "text/plain"); set_reply_body("two\r\n", "text/x-two"); sl_send_reply("488", "Not Here"); exit; }
	if ($hdr(X-Mode) == "sendreply") { send_reply("403", "Forbidden"); exit; }
	if ($hdr(X-Mode) == "ok200") { sl_send_reply("200", "OK"); exit; }
	if ($hdr(X-Mode) == "c100") { sl_send_reply("100", "Some Reason"); exit; }
	if ($hdr(X-Mode) == "c101") { sl_send_reply("101", "Some Reason"); exit; }
	if ($hdr(X-Mode) == "c179") { sl_send_reply("179", "Some Reason"); exit; }
	if ($hdr(X-Mode) == "c180") { sl_send_reply("180", "Some Reason"); exit; }
	if ($hdr(X-Mode) == "c183") { sl_send_reply("183", "Some Reason"); exit; }
	if ($hdr(X-Mode) == "c199") { sl_send_reply("199", "Some Reason"); exit; }
	if ($hdr(X-Mode) == "c202") { sl_send_reply("202", "Some Reason"); exit; }
	if ($hdr(X-Mode) == "c299") { sl_send_reply("299", "Some Reason"); exit; }
	if ($hdr(X-Mode) == "c300") { sl_send_reply("300", "Some Reason"); exit; }
	if ($hdr(X-Mode) == "c302") { sl_send_reply("302", "Some Reason"); exit; }
	if ($hdr(X-Mode) == "rureply") { $rU = "carol"; $rd = "example.net"; sl_send_reply("404", "Not Here"); exit; }
	if ($hdr(X-Mode) == "reply") { force_rport(); sl_send_reply("404", "Not Here"); exit; }
	if ($hdr(X-Mode) == "ruri") { $rU = "carol"; $rd = "example.net"; $rp = 5070; }
	if ($hdr(X-Mode) == "subst") { subst('/^Subject: (.*)$/Subject: [tagged] \1/i'); replace("gone", "kept"); }
	if ($hdr(X-Mode) == "setbody") { set_body("hello\r\n", "text/plain"); }
	if ($hdr(X-Mode) == "apply") { append_hf("X-A: 1\r\n"); msg_apply_changes(); remove_hf("X-A"); insert_hf("X-First: $rm\r\n"); }
	if ($hdr(X-Mode) == "rmre") { remove_hf_re("^X-(Mode|Remove)"); }
	if ($hdr(X-Mode) == "atr") { append_to_reply("X-Why: $rm\r\n"); sl_send_reply("403", "Forbidden"); exit; }
	if ($hdr(X-Mode) == "redirect") { append_branch("sip:x@192.0.2.5"); append_branch("sip:y@192.0.2.6", "0.5"); sl_send_reply("302", "Moved"); exit; }
	if ($hdr(X-Mode) == "uriparam") { add_uri_param("user=phone"); }
	if ($hdr(X-Mode) == "tcp") { record_route(); $du = "sip:127.0.0.1:@TCOLL@;transport=tcp"; forward(); exit; }
	if ($hdr(X-Mode) == "v6") { record_route(); $du = "sip:[::1]:@COLL6@"; forward(); exit; }
	if ($hdr(X-Mode) == "v6to4") { record_route(); $du = "sip:127.0.0.1:@COLL@"; forward(); exit; }
	if ($hdr(X-Mode) == "v6reply") { sl_send_reply("404", "Not Here"); exit; }
	if ($hdr(X-Mode) == "rurit") { $ru = "sip:carol@127.0.0.1:@TCOLL@;transport=tcp"; forward(); exit; }
	if ($hdr(X-Mode) == "fwdtcp") { forward_tcp("127.0.0.1", @TCOLL@); exit; }
	if ($hdr(X-Mode) == "send") { append_hf("X-Sent: 1\r\n"); send_udp("127.0.0.1:@COLL@"); exit; }
	if ($hdr(X-Mode) == "sendtcp") { send_tcp("127.0.0.1:@TCOLL@"); exit; }
	if ($hdr(X-Mode) == "sanity") { if (!sanity_check("17895", "7")) { exit; } }
	if ($hdr(X-Mode) == "adv") { set_advertised_address("proxy.example.com"); set_advertised_port(5099); record_route(); }
	if ($hdr(X-Mode) == "advrr") { record_route_advertised_address("rr.example.com:5098"); }
	if ($hdr(X-Mode) == "advrrtcp") { record_route_advertised_address("rr.example.com:5098"); $du = "sip:127.0.0.1:@TCOLL@;transport=tcp"; forward(); exit; }
	if ($hdr(X-Mode) == "lrport") { add_local_rport(); }
	if ($hdr(X-Mode) == "rrparam") { record_route(); add_rr_param(";p=1"); }
	if ($hdr(X-Mode) == "opt") { options_reply(); exit; }
	if ($hdr(X-Mode) == "data") { send_data("sip:127.0.0.1:@COLL@", "HELLO $rm $ci\r\n"); exit; }
	if ($hdr(X-Mode) == "ruriu") { $ru = "sip:carol@127.0.0.1:@COLL@"; forward(); exit; }
	$du = "sip:127.0.0.1:@COLL@";
	forward();
}
reply_route {
	if ($hdr(X-RMode) == "edit") { remove_hf("X-Internal"); append_hf("X-Via-Proxy: $rs\r\n"); }
	if ($hdr(X-RMode) == "drop") { drop; }
	if ($hdr(X-RMode) == "status") { change_reply_status(404, "Gone Away"); }
}
`

// wireCase is one request sent to both servers; with Reply the collector
// answers what was forwarded and the case records what the client gets.
type wireCase struct {
	name  string
	mode  string
	via   string // top Via after "SIP/2.0/UDP "; {CP} is the client's port
	extra string // more header lines
	body  string
	mf    string // Max-Forwards value, "70" when empty
	reply string // status line of the collector's answer, "" for none
	local bool   // the server answers itself: nothing is forwarded
	tcp   bool   // forwarded over TCP to the TCP collector
	// overTCP sends the request over a TCP connection (Via .../TCP, {CP}
	// then being the connection's local port) and reads replies from it.
	overTCP bool
	noCL    bool // the request has no Content-Length (UDP only)
	// replyVias shapes the Vias of the collector's reply: "join" puts
	// them in one header, "compact" writes them as v:, "foreign" leaves
	// ours out, "ours" keeps only ours.
	replyVias string
	// replyNoCL: the collector's reply has no Content-Length.
	replyNoCL bool
	// replyExtra are more header lines for the collector's reply.
	replyExtra string
	// replyDropped: the client must get nothing (reply_route drops the
	// reply; the script sends none).
	replyDropped bool
	// method and ruri of the request: INVITE to sip:bob@127.0.0.1 when
	// empty; {SP} is the server's port.
	method, ruri string
	// v6: the client sends over IPv6 loopback ({CP} its port there);
	// to6: what is forwarded goes to the IPv6 collector.
	v6, to6 bool
	// toTag is appended to the To header (";tag=x" for in-dialog).
	toTag string
	// sameBranchAs names an earlier case whose forwarded request must
	// have had the same branch in our Via.
	sameBranchAs string
	// callID replaces the Call-ID "wire-<case number>@a.example", so
	// that requests can belong together.
	callID string
}

var wireCases = []wireCase{
	{name: "plain", mode: "plain"},
	{name: "record_route", mode: "rr"},
	{name: "record_route with params", mode: "rrp"},
	{name: "header edits", mode: "hf"},
	{name: "force_rport, foreign sent-by", mode: "force", via: "10.1.1.1:9;branch=z9hG4bK-f"},
	{name: "force_rport, existing received", mode: "force", via: "10.1.1.1:9;branch=z9hG4bK-f;received=1.1.1.1"},
	{name: "received after the sent-by", mode: "plain", via: "10.1.1.1:9;branch=z9hG4bK-r"},
	{name: "rport last", mode: "plain", via: "10.1.1.1:{CP};branch=z9hG4bK-r;rport"},
	{name: "body", mode: "plain", body: "v=0\r\no=- 1 1 IN IP4 192.0.2.4\r\n"},
	{name: "two Vias in one header", mode: "plain", via: "127.0.0.1:{CP};branch=z9hG4bK-2;rport, SIP/2.0/TCP 10.0.0.1:5070;branch=z9hG4bK-second"},
	{name: "compact Via below", mode: "plain", extra: "v: SIP/2.0/UDP 10.0.0.3;branch=z9hG4bK-third\r\n"},
	{name: "loose_route", mode: "lr", extra: "Route: <sip:127.0.0.1:{SP};lr>, <sip:10.5.5.5;lr>\r\n"},
	{name: "loose_route, previous hop a strict router", mode: "lr", ruri: "sip:127.0.0.1:{SP};lr",
		extra: "Route: <sip:10.5.5.5;lr>, <sip:bob@b.example>\r\n", toTag: ";tag=dlg"},
	{name: "loose_route, next hop a strict router", mode: "lr", toTag: ";tag=dlg",
		extra: "Route: <sip:127.0.0.1:{SP};lr>, <sip:10.5.5.5>, <sip:10.6.6.6;lr>\r\n"},
	{name: "loose_route, Route with our address twice (double Record-Route)", mode: "lr", toTag: ";tag=dlg",
		extra: "Route: <sip:127.0.0.1:{SP};r2=on;lr>, <sip:127.0.0.1:{SP};r2=on;lr>, <sip:10.5.5.5;lr>\r\n"},
	{name: "INVITE later cancelled", mode: "plain", via: "127.0.0.1:{CP};branch=z9hG4bK-cx1;rport", callID: "cx1@a.example"},
	{name: "its CANCEL", mode: "plain", method: "CANCEL", via: "127.0.0.1:{CP};branch=z9hG4bK-cx1;rport", callID: "cx1@a.example",
		sameBranchAs: "INVITE later cancelled"},
	{name: "its ACK to a 487", mode: "plain", method: "ACK", via: "127.0.0.1:{CP};branch=z9hG4bK-cx1;rport", callID: "cx1@a.example",
		toTag: ";tag=uas1", sameBranchAs: "INVITE later cancelled"},
	{name: "compact and odd-case header names", mode: "rr", extra: "s: compact subject\r\nX-lower-CASE: x\r\nk: 100rel\r\nm: <sip:a@192.0.2.1>\r\n"},
	{name: "Max-Forwards 1", mode: "plain", mf: "1"},
	{name: "spaces around Via parameters", mode: "plain", via: "127.0.0.1:{CP} ; branch=z9hG4bK-s ;rport"},
	{name: "reply relayed", mode: "plain", reply: "200 OK"},
	{name: "reply relayed with Record-Route", mode: "rr", reply: "180 Ringing"},
	{name: "reply relayed by rport after force_rport", mode: "force", via: "10.1.1.1:9;branch=z9hG4bK-f", reply: "486 Busy Here"},
	{name: "local reply, Max-Forwards 0", mode: "plain", mf: "0", local: true},
	{name: "local reply after force_rport", mode: "reply", via: "10.1.1.1:9;branch=z9hG4bK-l", local: true},
	{name: "local reply, rport first", mode: "reply", via: "10.9.9.9:9;rport;x=1;branch=z9hG4bK-l", local: true},
	{name: "R-URI rewritten", mode: "ruri"},
	{name: "subst and replace", mode: "subst", extra: "Subject: Hello\r\n"},
	{name: "set_body", mode: "setbody", body: "v=0\r\n"},
	{name: "msg_apply_changes then more edits", mode: "apply"},
	{name: "remove_hf_re", mode: "rmre"},
	{name: "append_to_reply", mode: "atr", local: true},
	{name: "redirect from the branch set", mode: "redirect", local: true},
	{name: "add_uri_param", mode: "uriparam"},
	{name: "to TCP with a double Record-Route", mode: "tcp", tcp: true},
	{name: "to TCP, body", mode: "tcp", tcp: true, body: "v=0\r\n"},
	{name: "from TCP", mode: "plain", overTCP: true},
	{name: "from TCP, double Record-Route", mode: "rr", overTCP: true},
	{name: "from TCP, reply relayed", mode: "plain", overTCP: true, reply: "200 OK"},
	{name: "from TCP, local reply", mode: "reply", overTCP: true, local: true, via: "127.0.0.1:{CP};branch=z9hG4bK-l"},
	{name: "from TCP, foreign sent-by", mode: "plain", overTCP: true, via: "10.1.1.1:5060;branch=z9hG4bK-t"},
	{name: "from TCP, local reply, Via names another port", mode: "reply", overTCP: true, local: true, via: "127.0.0.1:9;branch=z9hG4bK-l9"},
	{name: "from TCP, relayed reply, Via names another port", mode: "plain", overTCP: true, reply: "200 OK", via: "127.0.0.1:9;branch=z9hG4bK-r9"},
	{name: "from TCP to TCP", mode: "tcp", overTCP: true, tcp: true},
	{name: "UDP without Content-Length to TCP", mode: "tcp", tcp: true, noCL: true},
	{name: "UDP without Content-Length, body", mode: "plain", noCL: true, body: "v=0\r\n"},
	{name: "folded header", mode: "plain", extra: "Subject: first\r\n  second\r\n"},
	{name: "reply with the Vias in one header", mode: "plain", reply: "200 OK", replyVias: "join"},
	{name: "reply with compact Vias", mode: "plain", reply: "200 OK", replyVias: "compact"},
	{name: "100 Trying relayed", mode: "plain", reply: "100 Trying"},
	{name: "reply to a TCP client, Vias in one header", mode: "plain", overTCP: true, reply: "183 Session Progress", replyVias: "join"},
	{name: "reply without Content-Length to a TCP client", mode: "plain", overTCP: true, reply: "200 OK", replyNoCL: true},
	{name: "reply without Content-Length to a UDP client", mode: "plain", reply: "200 OK", replyNoCL: true},
	{name: "R-URI with transport=tcp", mode: "rurit", tcp: true},
	{name: "R-URI target", mode: "ruriu"},
	{name: "forward_tcp", mode: "fwdtcp", tcp: true},
	{name: "send_udp: the message as received (with script edits)", mode: "send"},
	{name: "send_tcp", mode: "sendtcp", tcp: true},
	{name: "reply_route edits the reply", mode: "plain", reply: "200 OK", replyExtra: "X-RMode: edit\r\nX-Internal: secret\r\n"},
	{name: "reply_route changes a negative status", mode: "plain", reply: "486 Busy Here", replyExtra: "X-RMode: status\r\n"},
	// change_reply_status fails on a 2xx; as the last action of
	// reply_route its -1 is the route's: the reply is not forwarded.
	{name: "reply_route ending with a failure drops the reply", mode: "plain", reply: "200 OK", replyExtra: "X-RMode: status\r\n", replyDropped: true},
	{name: "options_reply", mode: "opt", method: "OPTIONS", ruri: "sip:127.0.0.1:{SP}", local: true},
	{name: "options_reply to another user", mode: "opt", method: "OPTIONS", ruri: "sip:bob@127.0.0.1:{SP}", replyDropped: true},
	{name: "send_data", mode: "data"},
	{name: "set_advertised_address/port with record_route", mode: "adv"},
	{name: "record_route_advertised_address", mode: "advrr"},
	{name: "record_route_advertised_address to TCP", mode: "advrrtcp", tcp: true},
	{name: "add_local_rport", mode: "lrport"},
	{name: "add_rr_param", mode: "rrparam"},
	{name: "set_reply_body and append_to_reply", mode: "body", local: true},
	{name: "set_reply_body twice", mode: "body2", local: true},
	{name: "send_reply without tm", mode: "sendreply", local: true},
	{name: "local reply in a dialog keeps the To tag", mode: "reply", local: true, toTag: ";tag=existing"},
	{name: "IPv6 to IPv6, record_route", mode: "v6", v6: true, to6: true},
	{name: "IPv6 to IPv4, double Record-Route", mode: "v6to4", v6: true},
	{name: "IPv4 to IPv6, double Record-Route", mode: "v6", to6: true},
	{name: "IPv6 local reply", mode: "v6reply", v6: true, local: true},
	{name: "IPv6 reply relayed", mode: "v6", v6: true, to6: true, reply: "180 Ringing"},
	{name: "IPv6 foreign sent-by", mode: "v6", v6: true, to6: true, via: "[2001:db8::1]:5060;branch=z9hG4bK-6;rport"},
	{name: "sanity: Proxy-Require", mode: "sanity", extra: "Proxy-Require: foo, bar\r\n"},
	{name: "sanity: passes", mode: "sanity"},
	{name: "sanity: R-URI scheme", mode: "sanity", ruri: "xyz:bob@127.0.0.1", local: true},
	{name: "reply whose top Via is not ours", mode: "plain", reply: "200 OK", replyVias: "foreign", replyDropped: true},
	{name: "reply with only our Via", mode: "plain", reply: "200 OK", replyVias: "ours", replyDropped: true},
	{name: "reply_route drops the reply", mode: "plain", reply: "200 OK", replyExtra: "X-RMode: drop\r\n", replyDropped: true},
}

// TestWireCompat sends the same requests through Kamailio 5.6.3 and kamgo
// running the same stateless script and compares, byte for byte after
// naming the ports, what each forwards, relays back and answers: Via
// received/rport placement, Record-Route, header edits, loose routing.
// Local replies differ only in their To tag and Server header, which are
// left out. WIRE_SHOW=1 logs what kamgo did in each case;
// WIRE_KAMAILIO_LOG=FILE keeps Kamailio's log. kamgo deliberately differs where Kamailio writes a second
// received= after an existing one (kamgo rewrites it), where it
// forwards a request with two Max-Forwards (kamgo answers 400) and where
// send_tcp() sends a datagram that had no Content-Length onto a stream
// without one (kamgo adds it), and where a local reply's top Via header
// holds several via-parms (Kamailio writes received= on the last one,
// kamgo on the first, as RFC 3261 §18.2.1 asks), and where a datagram
// carries bytes past its Content-Length (Kamailio forwards them, kamgo
// discards them as RFC 3261 §18.3 says): those messages are not in the
// table.
func TestWireCompat(t *testing.T) {
	compareWire(t, "", wireCases)
}

// wireGlobalCases run with wireGlobals: core parameters that change what
// goes on the wire.
var wireGlobalCases = []wireCase{
	{name: "force_rport=yes: forwarded", mode: "plain", via: "10.1.1.1:9;branch=z9hG4bK-g1"},
	{name: "force_rport=yes: relayed reply", mode: "plain", via: "10.1.1.1:9;branch=z9hG4bK-g2", reply: "200 OK"},
	{name: "force_rport=yes, server_signature=no: local reply", mode: "reply", via: "10.1.1.1:9;branch=z9hG4bK-g3", local: true},
	{name: "sip_warning: local reply", mode: "reply", local: true},
	{name: "local 200 to a request with Record-Route", mode: "ok200", local: true,
		extra: "Record-Route: <sip:10.0.0.9;lr>\r\nRecord-Route: <sip:10.0.0.8;lr>\r\n"},
	{name: "local 404 to a request with Record-Route", mode: "reply", local: true,
		extra: "Record-Route: <sip:10.0.0.9;lr>\r\n"},
	{name: "local 100 to a request with Record-Route", mode: "c100", local: true, extra: "Record-Route: <sip:10.0.0.9;lr>\r\n"},
	{name: "local 101 to a request with Record-Route", mode: "c101", local: true, extra: "Record-Route: <sip:10.0.0.9;lr>\r\n"},
	{name: "local 179 to a request with Record-Route", mode: "c179", local: true, extra: "Record-Route: <sip:10.0.0.9;lr>\r\n"},
	{name: "local 180 to a request with Record-Route", mode: "c180", local: true, extra: "Record-Route: <sip:10.0.0.9;lr>\r\n"},
	{name: "local 183 to a request with Record-Route", mode: "c183", local: true, extra: "Record-Route: <sip:10.0.0.9;lr>\r\n"},
	{name: "local 199 to a request with Record-Route", mode: "c199", local: true, extra: "Record-Route: <sip:10.0.0.9;lr>\r\n"},
	{name: "local 202 to a request with Record-Route", mode: "c202", local: true, extra: "Record-Route: <sip:10.0.0.9;lr>\r\n"},
	{name: "local 299 to a request with Record-Route", mode: "c299", local: true, extra: "Record-Route: <sip:10.0.0.9;lr>\r\n"},
	{name: "local 300 to a request with Record-Route", mode: "c300", local: true, extra: "Record-Route: <sip:10.0.0.9;lr>\r\n"},
	{name: "local 302 to a request with Record-Route", mode: "c302", local: true, extra: "Record-Route: <sip:10.0.0.9;lr>\r\n"},
	{name: "sip_warning: two Vias, R-URI rewritten", mode: "rureply", local: true,
		extra: "Via: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK-w1\r\n"},
	{name: "sip_warning: counts Via header lines", mode: "rureply", local: true,
		extra: "Via: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK-w1, SIP/2.0/UDP 10.0.0.2;branch=z9hG4bK-w0\r\n"},
}

const wireGlobals = "force_rport=yes\nserver_signature=no\nsip_warning=1\n"

// TestWireCompatGlobals is TestWireCompat with wireGlobals.
func TestWireCompatGlobals(t *testing.T) {
	compareWire(t, wireGlobals, wireGlobalCases)
}

// compareWire runs cases through Kamailio and kamgo, each with the core
// parameters globals and wireScript, and compares what they did.
func compareWire(t *testing.T, globals string, cases []wireCase) {
	t.Helper()
	k := requireKamailio(t)
	var want, got []string
	t.Run("kamailio", func(t *testing.T) {
		want = runWire(t, globals, cases, func(t *testing.T, cfg string) int { return startKamailioWire(t, k, cfg) })
	})
	t.Run("kamgo", func(t *testing.T) { got = runWire(t, globals, cases, startKamgoWire) })
	if t.Failed() {
		return
	}
	if os.Getenv("WIRE_SHOW") != "" {
		for i, c := range cases {
			t.Logf("%s:\n%s", c.name, got[i])
		}
	}
	for i, c := range cases {
		if diff := cmp.Diff(want[i], got[i]); diff != "" {
			t.Errorf("%s (-kamailio +kamgo):\n%s", c.name, diff)
		}
	}
}

// runWire starts a server with the core parameters globals and
// wireScript and returns, per case, what the collector and the client saw.
func runWire(t *testing.T, globals string, cases []wireCase, start func(t *testing.T, cfg string) int) []string {
	t.Helper()
	coll := listenUDP(t)
	client := listenUDP(t)
	coll6, client6 := listenUDP6(t), listenUDP6(t)
	tcoll, err := net.ListenTCP("tcp", &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = tcoll.Close() })
	collPort := coll.LocalAddr().(*net.UDPAddr).Port
	tcollPort := tcoll.Addr().(*net.TCPAddr).Port
	cp := client.LocalAddr().(*net.UDPAddr).Port
	coll6Port, cp6 := 0, 0
	if coll6 != nil {
		coll6Port, cp6 = coll6.LocalAddr().(*net.UDPAddr).Port, client6.LocalAddr().(*net.UDPAddr).Port
	}
	sp := start(t, globals+strings.NewReplacer("@COLL@", fmt.Sprint(collPort), "@TCOLL@", fmt.Sprint(tcollPort),
		"@COLL6@", fmt.Sprint(coll6Port)).Replace(wireScript))
	server := &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1), Port: sp}

	waitReady(t, client, server)
	tcol := &tcpCollector{l: tcoll}
	// The TCP client: one connection for every overTCP case.
	tc, err := net.DialTCP("tcp", nil, &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: sp})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = tc.Close() })
	tcs := &tcpStream{c: tc}
	ctp := tc.LocalAddr().(*net.TCPAddr).Port
	names := strings.NewReplacer(fmt.Sprint(cp), "{CP}", fmt.Sprint(ctp), "{CTP}", fmt.Sprint(sp), "{SP}",
		fmt.Sprint(collPort), "{COLL}", fmt.Sprint(tcollPort), "{TCOLL}", fmt.Sprint(cp6), "{CP6}", fmt.Sprint(coll6Port), "{COLL6}")
	var out, branches []string
	for i, c := range cases {
		if (c.v6 || c.to6) && coll6 == nil {
			out = append(out, "no IPv6 loopback")
			continue
		}
		cl, srvAddr, port := client, server, cp
		if c.v6 {
			cl, srvAddr, port = client6, &net.UDPAddr{IP: net.IPv6loopback, Port: sp}, cp6
		}
		if c.overTCP {
			req := wireRequest(c, i, ctp, sp)
			if _, err := tc.Write([]byte(req)); err != nil {
				t.Fatal(err)
			}
		} else if _, err := cl.WriteToUDP([]byte(wireRequest(c, i, port, sp)), srvAddr); err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		if c.tcp {
			fmt.Fprintf(&b, "forwarded over TCP:\n%s", tcol.next(t))
		} else if !c.local && (c.reply != "" || !c.replyDropped) {
			cc := coll
			if c.to6 {
				cc = coll6
			}
			fwd, from, ok := readUDP(cc, 5*time.Second)
			if !ok {
				t.Fatalf("%s: nothing forwarded", c.name)
			}
			fmt.Fprintf(&b, "forwarded:\n%s", fwd)
			if c.reply != "" {
				if _, err := cc.WriteToUDP([]byte(wireReply(fwd, c.reply, c.replyVias, c.replyNoCL, c.replyExtra)), from); err != nil {
					t.Fatal(err)
				}
			}
		}
		if c.replyDropped {
			if r, _, ok := readUDP(cl, 300*time.Millisecond); ok {
				fmt.Fprintf(&b, "client got:\n%s", r)
			}
		} else if c.reply != "" || c.local {
			var r string
			if c.overTCP {
				r = tcs.next(t)
			} else {
				var ok bool
				if r, _, ok = readUDP(cl, 5*time.Second); !ok {
					t.Fatalf("%s: the client got no reply", c.name)
				}
			}
			fmt.Fprintf(&b, "client got:\n%s", localReplyRE.ReplaceAllString(r, "$1$2"))
		}
		text := b.String()
		if c.sameBranchAs != "" {
			// A CANCEL or non-2xx ACK forwarded statelessly must carry the
			// branch of the INVITE it goes with (RFC 3261 §16.11).
			if j := caseIndex(cases, c.sameBranchAs); j < 0 || ourBranch(text) == "" || ourBranch(text) != branches[j] {
				t.Errorf("%s: our branch %q, %s had %q", c.name, ourBranch(text), c.sameBranchAs, branches[max(j, 0)])
			}
		}
		branches = append(branches, ourBranch(text))
		out = append(out, normalizeBranch(names.Replace(text)))
	}
	return out
}

var (
	// localReplyRE drops what tells two servers' local replies apart.
	localReplyRE = regexp.MustCompile(`(?m)(^To: [^\r\n]*;tag=)[^;\r\n]+|^Server: [^\r\n]*\r\n|( pid=)[0-9]+`)
	branchRE     = regexp.MustCompile(`branch=z9hG4bK[^;,\s]*`)
)

// ourBranch is the branch of our Via in a forwarded request.
func ourBranch(s string) string {
	if !strings.HasPrefix(s, "forwarded") {
		return ""
	}
	return branchRE.FindString(s)
}

func caseIndex(cases []wireCase, name string) int {
	for i, c := range cases {
		if c.name == name {
			return i
		}
	}
	return -1
}

// normalizeBranch names the branch of the server's own Via (the first
// one of a forwarded request), which each server computes its own way.
func normalizeBranch(s string) string {
	if !strings.HasPrefix(s, "forwarded") {
		return s
	}
	loc := branchRE.FindStringIndex(s)
	if loc == nil {
		return s
	}
	return s[:loc[0]] + "branch={OURS}" + s[loc[1]:]
}

func wireRequest(c wireCase, i, cp, sp int) string {
	via := c.via
	if via == "" {
		via = "127.0.0.1:{CP};branch=z9hG4bK-{N};rport"
		if c.v6 {
			via = "[::1]:{CP};branch=z9hG4bK-{N};rport"
		}
	}
	mf := c.mf
	if mf == "" {
		mf = "70"
	}
	var b strings.Builder
	proto := "UDP"
	if c.overTCP {
		proto = "TCP"
	}
	method, ruri := c.method, c.ruri
	if method == "" {
		method = "INVITE"
	}
	if ruri == "" {
		ruri = "sip:bob@127.0.0.1"
	}
	fmt.Fprintf(&b, "%s %s SIP/2.0\r\nVia: SIP/2.0/%s %s\r\nMax-Forwards: %s\r\n", method, ruri, proto, via, mf)
	callID := c.callID
	if callID == "" {
		callID = "wire-{N}@a.example"
	}
	fmt.Fprintf(&b, "From: \"A\" <sip:alice@a.example>;tag=ft1\r\nTo: <sip:bob@b.example>%s\r\nCall-ID: %s\r\n", c.toTag, callID)
	fmt.Fprintf(&b, "CSeq: 1 %s\r\nX-Mode: %s\r\nX-Remove: gone\r\n%s", method, c.mode, c.extra)
	if c.body != "" {
		b.WriteString("Content-Type: application/sdp\r\n")
	}
	if c.noCL {
		fmt.Fprintf(&b, "\r\n%s", c.body)
	} else {
		fmt.Fprintf(&b, "Content-Length: %d\r\n\r\n%s", len(c.body), c.body)
	}
	return strings.NewReplacer("{CP}", fmt.Sprint(cp), "{SP}", fmt.Sprint(sp), "{N}", fmt.Sprint(i)).Replace(b.String())
}

// wireReply answers a forwarded request as a UAS would: its Vias,
// Record-Routes, From, To (with a tag), Call-ID and CSeq.
func wireReply(req, status, vias string, noCL bool, extra string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "SIP/2.0 %s\r\n", status)
	var viaValues []string
	nVia := 0
	for _, line := range strings.Split(req, "\r\n")[1:] {
		if line == "" {
			break
		}
		colon := max(0, strings.IndexByte(line, ':'))
		name := strings.ToLower(strings.TrimSpace(line[:colon]))
		switch name {
		case "via", "v":
			nVia++
			if vias == "foreign" && nVia == 1 || vias == "ours" && nVia > 1 {
				continue
			}
			switch vias {
			case "join":
				viaValues = append(viaValues, strings.TrimSpace(line[colon+1:]))
				continue
			case "compact":
				line = "v: " + strings.TrimSpace(line[colon+1:])
			}
			b.WriteString(line + "\r\n")
		case "record-route", "from", "call-id", "cseq":
			b.WriteString(line + "\r\n")
		case "to":
			b.WriteString(line + ";tag=uas1\r\n")
		}
	}
	if len(viaValues) > 0 {
		b.WriteString("Via: " + strings.Join(viaValues, ", ") + "\r\n")
	}
	b.WriteString(extra)
	if !noCL {
		b.WriteString("Content-Length: 0\r\n")
	}
	b.WriteString("\r\n")
	return b.String()
}

// tcpStream reads SIP messages from a TCP connection by their
// Content-Length.
type tcpStream struct {
	c    net.Conn
	data []byte
}

var contentLengthRE = regexp.MustCompile(`(?im)^(?:Content-Length|l)\s*:\s*(\d+)`)

func (ts *tcpStream) next(t *testing.T) string {
	t.Helper()
	_ = ts.c.SetReadDeadline(time.Now().Add(5 * time.Second))
	buf := make([]byte, 4096)
	for {
		if end := strings.Index(string(ts.data), "\r\n\r\n"); end >= 0 {
			m := contentLengthRE.FindStringSubmatch(string(ts.data[:end]))
			if m == nil {
				t.Fatalf("no Content-Length over TCP:\n%s", ts.data)
			}
			var n int
			_, _ = fmt.Sscan(m[1], &n)
			if len(ts.data) >= end+4+n {
				msg := string(ts.data[:end+4+n])
				ts.data = ts.data[end+4+n:]
				return msg
			}
		}
		k, err := ts.c.Read(buf)
		if err != nil {
			t.Fatalf("reading a TCP message: %v (so far %q)", err, ts.data)
		}
		ts.data = append(ts.data, buf[:k]...)
	}
}

// tcpCollector accepts the one connection the server opens and reuses.
type tcpCollector struct {
	l *net.TCPListener
	s *tcpStream
}

func (tc *tcpCollector) next(t *testing.T) string {
	t.Helper()
	if tc.s == nil {
		_ = tc.l.SetDeadline(time.Now().Add(5 * time.Second))
		c, err := tc.l.Accept()
		if err != nil {
			t.Fatalf("no TCP connection: %v", err)
		}
		t.Cleanup(func() { _ = c.Close() })
		tc.s = &tcpStream{c: c}
	}
	return tc.s.next(t)
}

// listenUDP6 is listenUDP on IPv6 loopback, nil when the host has none.
func listenUDP6(t *testing.T) *net.UDPConn {
	t.Helper()
	c, err := net.ListenUDP("udp6", &net.UDPAddr{IP: net.IPv6loopback})
	if err != nil {
		return nil
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

func listenUDP(t *testing.T) *net.UDPConn {
	t.Helper()
	c, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

func readUDP(c *net.UDPConn, wait time.Duration) (string, *net.UDPAddr, bool) {
	_ = c.SetReadDeadline(time.Now().Add(wait))
	buf := make([]byte, 65535)
	n, from, err := c.ReadFromUDP(buf)
	if err != nil {
		return "", nil, false
	}
	return string(buf[:n]), from, true
}

// waitReady sends pings until the server answers one (20 s at most), then
// drains late answers.
func waitReady(t *testing.T, client *net.UDPConn, server *net.UDPAddr) {
	t.Helper()
	ping := "OPTIONS sip:ping@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:9;branch=z9hG4bK-ping;rport\r\n" +
		"Max-Forwards: 70\r\nFrom: <sip:p@x>;tag=p\r\nTo: <sip:p@x>\r\nCall-ID: ping\r\nCSeq: 1 OPTIONS\r\nX-Mode: ping\r\nContent-Length: 0\r\n\r\n"
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if _, err := client.WriteToUDP([]byte(ping), server); err != nil {
			t.Fatal(err)
		}
		if r, _, ok := readUDP(client, 200*time.Millisecond); ok && strings.HasPrefix(r, "SIP/2.0 200 Ready") {
			for {
				if _, _, ok := readUDP(client, 100*time.Millisecond); !ok {
					return
				}
			}
		}
	}
	t.Fatal("the server never answered")
}

// startKamailioWire runs Kamailio with one UDP worker on a free port.
func startKamailioWire(t *testing.T, k *KamailioEngine, script string) int {
	t.Helper()
	port, err := freeUDPPort()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	cfg := filepath.Join(dir, "kamailio.cfg")
	text := fmt.Sprintf("debug=%d\nlog_stderror=yes\nchildren=1\nauto_aliases=no\nlisten=udp:127.0.0.1:%d\nlisten=tcp:127.0.0.1:%d\n%s%s", kamailioWireDebug(), port, port, listen6(port), script)
	if err := os.WriteFile(cfg, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(k.Binary, "-f", cfg, "-L", k.ModulesDir, "-DD", "-E", "-n", "1", "-Y", dir, "-m", "64", "-M", "16")
	cmd.Dir = dir
	cmd.Stdout, cmd.Stderr = io.Discard, io.Discard
	if path := os.Getenv("WIRE_KAMAILIO_LOG"); path != "" {
		if f, err := os.Create(path); err == nil {
			t.Cleanup(func() { _ = f.Close() })
			cmd.Stdout, cmd.Stderr = f, f
		}
	}
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
		done := make(chan struct{})
		go func() { _ = cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(3 * time.Second):
			_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			<-done
		}
	})
	return port
}

// startKamgoWire runs a kamgo server in this process with one UDP worker.
func startKamgoWire(t *testing.T, script string) int {
	t.Helper()
	port, err := freeUDPPort()
	if err != nil {
		t.Fatal(err)
	}
	log := logging.New(zerolog.New(io.Discard), logging.LErr)
	text := fmt.Sprintf("debug=1\nchildren=1\nauto_aliases=no\nlisten=udp:127.0.0.1:%d\nlisten=tcp:127.0.0.1:%d\n%s%s", port, port, listen6(port), script)
	stop, err := startKamgo(text, log)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	return port
}

// kamailioWireDebug is Kamailio's debug level: 3 when its log is kept.
func kamailioWireDebug() int {
	if os.Getenv("WIRE_KAMAILIO_LOG") != "" {
		return 3
	}
	return 1
}

// listen6 is the IPv6 loopback listen line, when the host has IPv6.
func listen6(port int) string {
	c, err := net.ListenUDP("udp6", &net.UDPAddr{IP: net.IPv6loopback, Port: port})
	if err != nil {
		return ""
	}
	c.Close()
	return fmt.Sprintf("listen=udp:[::1]:%d\n", port)
}
