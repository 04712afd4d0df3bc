package corex_test

import (
	"fmt"
	"net/netip"
	"strings"
	"testing"

	_ "github.com/kamgo/kamgo/modules/all"
	"github.com/kamgo/kamgo/runtime/core/coretest"
)

// TestForwardUACAndHasFunctions runs has_ruri_user, has_user_agent and
// forward_uac on a real server: the forwarded request carries only the
// server's Via.
func TestForwardUACAndHasFunctions(t *testing.T) {
	port := coretest.FreePort(t)
	next, nextPort := coretest.UDPPeer(t)
	client, clientPort := coretest.UDPPeer(t)
	_, logs := coretest.Start(t, fmt.Sprintf(`debug=2
listen=udp:127.0.0.1:%d
loadmodule "pv.so"
loadmodule "xlog.so"
loadmodule "corex.so"
request_route {
	$var(u) = has_ruri_user();
	$var(a) = has_user_agent();
	xlog("L_INFO", "user=$var(u) ua=$var(a)\n");
	$du = "sip:127.0.0.1:%d";
	forward_uac();
}
`, port, nextPort))
	req := fmt.Sprintf("REGISTER sip:bob@127.0.0.1 SIP/2.0\r\n"+
		"Via: SIP/2.0/UDP 127.0.0.1:%d;branch=z9hG4bK-uac-1;rport\r\nVia: SIP/2.0/UDP 10.0.0.9;branch=z9hG4bK-uac-0\r\n"+
		"From: <sip:bob@example.com>;tag=a\r\nTo: <sip:bob@example.com>\r\nCall-ID: uac-1\r\nCSeq: 1 REGISTER\r\n"+
		"Content-Length: 0\r\n\r\n", clientPort)
	if _, err := client.WriteToUDPAddrPort([]byte(req), netip.MustParseAddrPort(fmt.Sprintf("127.0.0.1:%d", port))); err != nil {
		t.Fatal(err)
	}
	got := string(coretest.ReadUDP(t, next))
	if n := strings.Count(got, "\r\nVia: "); n != 1 || !strings.Contains(got, fmt.Sprintf("Via: SIP/2.0/UDP 127.0.0.1:%d;branch=", port)) {
		t.Errorf("forward_uac sent %d Via headers:\n%s", n, got)
	}
	if lines := coretest.ScriptLines(t, logs.String()); len(lines) != 1 || lines[0] != "user=1 ua=-1" {
		t.Errorf("xlog lines %q", lines)
	}
}
