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

// TestViaControls: via_add_srvid and via_add_xavp_params shape the Via the
// server adds when forwarding, as Kamailio 5.6.3 does: with both
// xavp_via_params and xavp_via_fields set, the one written last names the
// XAVP, whose fields come newest first; via_use_xavp_fields changes
// nothing (what Kamailio 5.6.3 sent for this config:
// ";branch=…;srvid=7;port=5099;address=10.10.10.10").
func TestViaControls(t *testing.T) {
	port := coretest.FreePort(t)
	next, nextPort := coretest.UDPPeer(t)
	client, clientPort := coretest.UDPPeer(t)
	coretest.Start(t, fmt.Sprintf(`listen=udp:127.0.0.1:%d
server_id=7
xavp_via_params="xvia"
xavp_via_fields="mvia"
loadmodule "pv.so"
loadmodule "corex.so"
request_route {
	$xavp(xvia=>tag) = "abc";
	$xavp(mvia=>address) = "10.10.10.10";
	$xavp(mvia[0]=>port) = "5099";
	via_add_srvid("1");
	via_add_xavp_params("1");
	via_use_xavp_fields("1");
	forward("127.0.0.1", %d);
}
`, port, nextPort))
	req := fmt.Sprintf("MESSAGE sip:bob@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:%d;branch=z9hG4bK-v-1\r\n"+
		"From: <sip:a@b>;tag=a\r\nTo: <sip:bob@b>\r\nCall-ID: v-1\r\nCSeq: 1 MESSAGE\r\nContent-Length: 0\r\n\r\n", clientPort)
	if _, err := client.WriteToUDPAddrPort([]byte(req), netip.MustParseAddrPort(fmt.Sprintf("127.0.0.1:%d", port))); err != nil {
		t.Fatal(err)
	}
	got := string(coretest.ReadUDP(t, next))
	top := got[strings.Index(got, "\r\nVia: ")+2:]
	top = top[:strings.Index(top, "\r\n")]
	want := fmt.Sprintf("Via: SIP/2.0/UDP 127.0.0.1:%d;branch=z9hG4bK", port)
	if !strings.HasPrefix(top, want) || !strings.HasSuffix(top, ";srvid=7;port=5099;address=10.10.10.10") {
		t.Errorf("our Via = %q", top)
	}
}
