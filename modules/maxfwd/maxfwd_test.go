package maxfwd_test

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

func udpPeer(t *testing.T) (*net.UDPConn, int) { return coretest.UDPPeer(t) }

func freeUDPPort(t *testing.T) int { return coretest.FreePort(t) }

func startServer(t *testing.T, text string) { coretest.Start(t, text) }

// TestProcessRewritesHeader compares the forwarded Max-Forwards lines and
// the header order with what Kamailio 5.6.3 sends (max_limit 70, value 10).
func TestProcessRewritesHeader(t *testing.T) {
	tests := []struct {
		name, hdr string
		want      []string
	}{
		{"absent: added before the Vias", "", []string{"Max-Forwards: 10", "Via:", "Via:"}},
		{"decremented", "Max-Forwards: 70\r\n", []string{"Via:", "Via:", "Max-Forwards: 69"}},
		{"zero is left", "Max-Forwards: 0\r\n", []string{"Via:", "Via:", "Max-Forwards: 0"}},
		{"one becomes zero", "Max-Forwards: 1\r\n", []string{"Via:", "Via:", "Max-Forwards: 0"}},
		// Values above 255 (Kamailio caps "300" to " 70") never reach the
		// script: kamgo's core answers them with 400; padded is tested alone.
		{"leading zeros", "Max-Forwards: 0070\r\n", []string{"Via:", "Via:", "Max-Forwards:   69"}},
		{"width kept", "Max-Forwards: 10\r\n", []string{"Via:", "Via:", "Max-Forwards:  9"}},
		{"blanks around", "Max-Forwards:  5 \r\n", []string{"Via:", "Via:", "Max-Forwards:  4 "}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			port := freeUDPPort(t)
			peer, peerPort := udpPeer(t)
			client, clientPort := udpPeer(t)
			startServer(t, fmt.Sprintf("listen=udp:127.0.0.1:%d\nloadmodule \"maxfwd.so\"\nrequest_route { mf_process_maxfwd_header(\"10\"); forward(\"127.0.0.1\", %d); }\n", port, peerPort))
			msg := fmt.Sprintf("OPTIONS sip:b@b.example SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:%d;branch=z9hG4bK-mf\r\n%s"+
				"From: <sip:a@a.example>;tag=1\r\nTo: <sip:b@b.example>\r\nCall-ID: mf@test\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n", clientPort, tc.hdr)
			if _, err := client.WriteToUDPAddrPort([]byte(msg), netip.MustParseAddrPort(fmt.Sprintf("127.0.0.1:%d", port))); err != nil {
				t.Fatal(err)
			}
			buf := make([]byte, 65535)
			_ = peer.SetReadDeadline(time.Now().Add(10 * time.Second))
			n, _, err := peer.ReadFromUDPAddrPort(buf)
			if err != nil {
				t.Fatalf("nothing forwarded: %v", err)
			}
			var got []string
			for _, l := range strings.Split(string(buf[:n]), "\r\n") {
				switch {
				case strings.HasPrefix(l, "Via:"):
					got = append(got, "Via:")
				case strings.HasPrefix(l, "Max-Forwards:"):
					got = append(got, l)
				}
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("forwarded (-want +got):\n%s", diff)
			}
		})
	}
}
