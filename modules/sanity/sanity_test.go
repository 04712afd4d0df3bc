package sanity_test

import (
	"fmt"
	"net"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	_ "github.com/kamgo/kamgo/modules/all"
	"github.com/kamgo/kamgo/runtime/core/coretest"
)

func startServer(t *testing.T, text string) { coretest.Start(t, text) }

// TestReplies checks the reply sanity sends (as Kamailio 5.6.3 does: the
// status line and, for 420, the Unsupported header), directly or through
// sanity_reply with noreply.
func TestReplies(t *testing.T) {
	tests := []struct {
		name, params, route, extra string
		want                       []string
	}{
		{"proxy require", `modparam("sanity", "proxy_require", "bar, baz")`, `sanity_check("512"); sl_send_reply("200", "OK");`,
			"Proxy-Require: foo, bar\r\n", []string{"SIP/2.0 420 Bad Proxy Require Extension", "Unsupported: foo"}},
		{"credentials", "", `if (!sanity_check("2048")) { exit; } sl_send_reply("200", "OK");`,
			"Authorization: Digest username=\"a\"\r\n", []string{"SIP/2.0 400 Bad Auth Credentials"}},
		{"passes", "", `if (sanity_check()) { sl_send_reply("200", "OK"); }`,
			"", []string{"SIP/2.0 200 OK"}},
		{"noreply then sanity_reply", `modparam("sanity", "noreply", 1)` + "\n" + `modparam("sanity", "autodrop", 0)`,
			`if (!sanity_check("512")) { sanity_reply(); exit; } sl_send_reply("200", "OK");`,
			"Proxy-Require: foo\r\n", []string{"SIP/2.0 420 Bad Proxy Require Extension", "Unsupported: foo"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			client, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
			if err != nil {
				t.Fatal(err)
			}
			defer client.Close()
			probe, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
			if err != nil {
				t.Fatal(err)
			}
			port := probe.LocalAddr().(*net.UDPAddr).Port
			probe.Close()
			clientPort := client.LocalAddr().(*net.UDPAddr).Port
			startServer(t, fmt.Sprintf("listen=udp:127.0.0.1:%d\nloadmodule \"sl.so\"\nloadmodule \"sanity.so\"\n%s\nrequest_route { %s }\n",
				port, tc.params, tc.route))
			msg := fmt.Sprintf("INVITE sip:b@b.example SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:%d;branch=z9hG4bK-s;rport\r\n"+
				"From: <sip:a@a.example>;tag=1\r\nTo: <sip:b@b.example>\r\nCall-ID: s@test\r\nCSeq: 1 INVITE\r\nMax-Forwards: 70\r\n%sContent-Length: 0\r\n\r\n",
				clientPort, tc.extra)
			if _, err := client.WriteToUDPAddrPort([]byte(msg), netip.MustParseAddrPort(fmt.Sprintf("127.0.0.1:%d", port))); err != nil {
				t.Fatal(err)
			}
			buf := make([]byte, 65535)
			_ = client.SetReadDeadline(time.Now().Add(10 * time.Second))
			n, _, err := client.ReadFromUDPAddrPort(buf)
			if err != nil {
				t.Fatalf("no reply: %v", err)
			}
			lines := strings.Split(string(buf[:n]), "\r\n")
			got := []string{lines[0]}
			for _, l := range lines {
				if strings.HasPrefix(l, "Unsupported:") {
					got = append(got, l)
				}
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("reply (-want +got):\n%s", diff)
			}
		})
	}
}
