package core

import (
	"net/netip"
	"os"
	"path/filepath"
	"testing"

	_ "github.com/kamgo/kamgo/modules/all"
	"github.com/kamgo/kamgo/runtime/transport"
)

// fuzzRoute exercises the everyday modules on whatever arrives: reads of
// every part of the message, header and body edits, routing decisions, a
// stateless reply or a forward. Nothing a peer sends may panic it.
const fuzzRoute = `
	if (!mf_process_maxfwd_header("10")) { sl_send_reply("483", "Too Many Hops"); exit; }
	if (!sanity_check("17895", "7")) { exit; }
	$var(x) = $rm + $ru + $fu + $tu + $ci + $hdr(Via) + $(hdr(Contact){nameaddr.uri}) + $(ru{uri.user}) + $ua + $rb;
	if (is_method("INVITE|SUBSCRIBE")) { record_route(); }
	if (has_totag() && loose_route()) { forward(); exit; }
	if (search("^Subject: .*x")) { append_hf("X-Seen: 1\r\n"); }
	remove_hf("X-Drop");
	subst_user("/^(.*)$/p-\1/");
	if (has_body("application/sdp")) { replace_body("IP4", "IP6"); }
	if (is_present_hf("Route")) { remove_hf("Route"); }
	if (uri == myself) { sl_send_reply("404", "Not Here"); exit; }
	append_branch();
	if ($rU =~ "^[0-9]+$") { forward("127.0.0.99", 5999); exit; }
	sl_send_reply("200", "OK");
`

// strayAddr is where the in-process tests' packets seem to come from, so
// where replies go: a loopback address nothing listens on (not
// 127.0.0.1, where other tests' servers and SIPp run).
const strayAddr = "127.0.0.99:5999"

// FuzzDispatch feeds arbitrary packets through a worker of a server that
// runs fuzzRoute: parse, checks, routes, replies and forwards.
func FuzzDispatch(f *testing.F) {
	for _, dir := range []string{"../sip/testdata/torture/rfc4475", "../sip/testdata/torture/rfc5118"} {
		files, _ := filepath.Glob(filepath.Join(dir, "*.dat"))
		for _, name := range files {
			if b, err := os.ReadFile(name); err == nil {
				f.Add(b)
			}
		}
	}
	f.Add([]byte(benchOptions))
	f.Add([]byte("SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 127.0.0.1;branch=z9hG4bKx\r\nVia: SIP/2.0/UDP 127.0.0.1:5999;branch=z9hG4bKy\r\n" +
		"From: <sip:a@b>;tag=1\r\nTo: <sip:c@d>;tag=2\r\nCall-ID: x\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n"))
	s, w := benchServer(f, fuzzRoute)
	src := netip.MustParseAddrPort(strayAddr)
	f.Fuzz(func(t *testing.T, data []byte) {
		// A copy, as a socket read gives: the route may rewrite the
		// received bytes in place (maxfwd), and fuzz inputs are read-only.
		p := &transport.Packet{Data: append([]byte(nil), data...), Src: src, Socket: s.Sockets()[0]}
		w.Receive(p)
	})
}
