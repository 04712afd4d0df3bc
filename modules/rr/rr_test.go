package rr_test

import (
	"bufio"
	"bytes"
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

func freePort(t *testing.T) int { return coretest.FreePort(t) }

func startServer(t *testing.T, text string) *coretest.Log {
	t.Helper()
	_, log := coretest.Start(t, text)
	return log
}

func udpPeer(t *testing.T) (*net.UDPConn, int) { return coretest.UDPPeer(t) }

func readUDP(t *testing.T, c *net.UDPConn) string { return string(coretest.ReadUDP(t, c)) }

// readTCP accepts one connection and reads one message (headers only:
// the tests send no body).
func readTCP(t *testing.T, l *net.TCPListener) string {
	t.Helper()
	_ = l.SetDeadline(time.Now().Add(10 * time.Second))
	c, err := l.Accept()
	if err != nil {
		t.Fatalf("no connection: %v", err)
	}
	defer c.Close()
	_ = c.SetReadDeadline(time.Now().Add(10 * time.Second))
	r := bufio.NewReader(c)
	var b strings.Builder
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			t.Fatalf("reading: %v (got %q)", err, b.String())
		}
		b.WriteString(line)
		if line == "\r\n" {
			return b.String()
		}
	}
}

// headers returns the lines of msg that start with one of the names, in
// order, and the start line.
func headers(msg string, names ...string) []string {
	lines := strings.Split(msg, "\r\n")
	out := []string{lines[0]}
	for _, l := range lines[1:] {
		for _, n := range names {
			if strings.HasPrefix(l, n+":") {
				out = append(out, l)
			}
		}
	}
	return out
}

func request(startLine string, clientPort int, extra string) []byte {
	return []byte(fmt.Sprintf("%s\r\n"+
		"Via: SIP/2.0/UDP 127.0.0.1:%d;branch=z9hG4bK-rr-1;rport\r\n"+
		"From: \"A\" <sip:alice@a.example>;tag=ft1\r\nTo: <sip:bob@b.example>%s\r\n"+
		"Call-ID: rr-1@test\r\nCSeq: 1 %s\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n",
		startLine, clientPort, extra, strings.Fields(startLine)[0]))
}

const modules = `loadmodule "pv.so"
loadmodule "xlog.so"
loadmodule "rr.so"
`

// TestRecordRoute compares the Record-Route headers with what Kamailio
// 5.6.3 sends for the same script (recorded with a local UDP/TCP peer).
func TestRecordRoute(t *testing.T) {
	tests := []struct {
		name   string
		params string
		route  string
		ruri   string
		noTag  bool
		tcp    bool // forward over TCP from a socket of another port
		want   []string
	}{
		{name: "plain", route: `record_route();`,
			want: []string{"Record-Route: <sip:127.0.0.1:{S};lr;ftag=ft1>", "Via: SIP/2.0/UDP 127.0.0.1:{S}"}},
		{name: "params", route: `record_route(";foo=bar;x=$si"); add_rr_param(";nat=yes");`,
			want: []string{"Record-Route: <sip:127.0.0.1:{S};lr;ftag=ft1;foo=bar;x=127.0.0.1;nat=yes>", "Via: SIP/2.0/UDP 127.0.0.1:{S}"}},
		{name: "sips and no from tag", route: `record_route();`, ruri: "sips:bob@b.example", noTag: true,
			want: []string{"Record-Route: <sips:127.0.0.1:{S};lr>", "Via: SIP/2.0/UDP 127.0.0.1:{S}"}},
		{name: "preset", route: `record_route_preset("1.2.3.4:5090;a=b");`,
			want: []string{"Record-Route: <sip:1.2.3.4:5090;a=b;ftag=ft1;lr>", "Via: SIP/2.0/UDP 127.0.0.1:{S}"}},
		{name: "preset two", route: `record_route_preset("1.2.3.4:5090;r2=on", "5.6.7.8;r2=on");`,
			want: []string{"Record-Route: <sip:1.2.3.4:5090;r2=on;ftag=ft1;lr>", "Record-Route: <sip:5.6.7.8;r2=on;ftag=ft1;lr>", "Via: SIP/2.0/UDP 127.0.0.1:{S}"}},
		{name: "advertised", route: `record_route_advertised_address("9.9.9.9:5099");`,
			want: []string{"Record-Route: <sip:9.9.9.9:5099;ftag=ft1;lr>", "Via: SIP/2.0/UDP 127.0.0.1:{S}"}},
		{name: "twice", route: `record_route(); record_route();`,
			want: []string{"Record-Route: <sip:127.0.0.1:{S};lr;ftag=ft1>", "Via: SIP/2.0/UDP 127.0.0.1:{S}"}},
		{name: "removed", route: `record_route(); remove_record_route();`,
			want: []string{"Via: SIP/2.0/UDP 127.0.0.1:{S}"}},
		{name: "double over tcp", route: `record_route(";p=1"); add_rr_param(";q=2");`, tcp: true,
			want: []string{"Record-Route: <sip:127.0.0.1:{T};transport=tcp;r2=on;lr;ftag=ft1;p=1;q=2>",
				"Record-Route: <sip:127.0.0.1:{S};r2=on;lr;ftag=ft1;p=1;q=2>", "Via: SIP/2.0/TCP 127.0.0.1:{T}"}},
		{name: "double advertised", route: `add_rr_param(";q=2"); record_route_advertised_address("9.9.9.9:5099"); add_rr_param(";q=3");`, tcp: true,
			want: []string{"Record-Route: <sip:9.9.9.9:5099;transport=tcp;r2=on;ftag=ft1;lr;q=2;q=3>",
				"Record-Route: <sip:9.9.9.9:5099;transport=udp;r2=on;ftag=ft1;lr;q=2;q=3>", "Via: SIP/2.0/TCP 127.0.0.1:{T}"}},
		{name: "single mode", tcp: true, route: `record_route(";p=1"); add_rr_param(";q=2");`,
			params: `modparam("rr","enable_double_rr",0)` + "\n" + `modparam("rr","enable_full_lr",1)` + "\n" + `modparam("rr","add_username",1)` + "\n" + `modparam("rr","append_fromtag",0)`,
			ruri:   "sips:bob@b.example",
			want:   []string{"Record-Route: <sips:bob@127.0.0.1:{S};lr=on;p=1;q=2>", "Via: SIP/2.0/TCP 127.0.0.1:{T}"}},
		{name: "custom user", route: `$avp(rru) = "cu"; record_route();`,
			params: `modparam("rr","add_username",1)` + "\n" + `modparam("rr","custom_user_avp","$avp(rru)")`,
			want:   []string{"Record-Route: <sip:cu@127.0.0.1:{S};lr;ftag=ft1>", "Via: SIP/2.0/UDP 127.0.0.1:{S}"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			port, tport := freePort(t), freePort(t)
			peer, peerPort := udpPeer(t)
			client, clientPort := udpPeer(t)
			tl, err := net.ListenTCP("tcp", &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1)})
			if err != nil {
				t.Fatal(err)
			}
			defer tl.Close()
			fwd := fmt.Sprintf(`forward("127.0.0.1", %d);`, peerPort)
			if tc.tcp {
				fwd = fmt.Sprintf(`$du = "sip:127.0.0.1:%d;transport=tcp"; forward();`, tl.Addr().(*net.TCPAddr).Port)
			}
			startServer(t, fmt.Sprintf("listen=udp:127.0.0.1:%d\nlisten=tcp:127.0.0.1:%d\n%s%s\nrequest_route { %s %s }\n",
				port, tport, modules, tc.params, tc.route, fwd))
			ruri, tag := "sip:bob@b.example", ""
			if tc.ruri != "" {
				ruri = tc.ruri
			}
			msg := request("INVITE "+ruri+" SIP/2.0", clientPort, tag)
			if tc.noTag {
				msg = bytes.Replace(msg, []byte(";tag=ft1"), nil, 1)
			}
			if _, err := client.WriteToUDPAddrPort(msg, netip.MustParseAddrPort(fmt.Sprintf("127.0.0.1:%d", port))); err != nil {
				t.Fatal(err)
			}
			var got string
			if tc.tcp {
				got = readTCP(t, tl)
			} else {
				got = readUDP(t, peer)
			}
			lines := headers(got, "Record-Route", "Via")[1:]
			// Keep our Via's sent-by only: the branch is random.
			for i, l := range lines {
				if strings.HasPrefix(l, "Via:") {
					lines = append(lines[:i], strings.SplitN(l, ";", 2)[0])
					break
				}
			}
			r := strings.NewReplacer("{S}", fmt.Sprint(port), "{T}", fmt.Sprint(tport))
			want := make([]string, len(tc.want))
			for i, w := range tc.want {
				want[i] = r.Replace(w)
			}
			if diff := cmp.Diff(want, lines); diff != "" {
				t.Errorf("headers (-want +got):\n%s\nmessage:\n%s", diff, got)
			}
		})
	}
}

// TestLooseRouteForwarded checks the request loose_route leaves (R-URI and
// Route headers) against what Kamailio 5.6.3 forwards.
func TestLooseRouteForwarded(t *testing.T) {
	tests := []struct {
		name, ruri, routes string
		want               []string
	}{
		{"ours then loose", "sip:bob@b.example", "Route: <sip:127.0.0.1:{S};lr;ftag=ft1>, <sip:next.example;lr>\r\n",
			[]string{"BYE sip:bob@b.example SIP/2.0", "Route: <sip:next.example;lr>"}},
		{"only ours", "sip:bob@b.example", "Route: <sip:127.0.0.1:{S};lr;ftag=ft1>\r\n",
			[]string{"BYE sip:bob@b.example SIP/2.0"}},
		{"strict next hop", "sip:bob@b.example", "Route: <sip:strict.example>, <sip:p3.example;lr>\r\n",
			[]string{"BYE sip:strict.example SIP/2.0", "Route: <sip:p3.example;lr>", "Route: <sip:bob@b.example>"}},
		{"double ours", "sip:bob@b.example", "Route: <sip:127.0.0.1:{S};r2=on;lr;ftag=zz>,<sip:127.0.0.1:{S};r2=on;lr;ftag=zz>\r\nRoute: <sip:next.example;lr>\r\n",
			[]string{"BYE sip:bob@b.example SIP/2.0", "Route: <sip:next.example;lr>"}},
		{"strict upstream", "sip:127.0.0.1:{S};ftag=xx;lr", "Route: <sip:p2.example;lr>\r\nRoute: <sip:uas.example:5070>\r\n",
			[]string{"BYE sip:uas.example:5070 SIP/2.0", "Route: <sip:p2.example;lr>"}},
		{"strict maddr", "sip:bob@b.example;user=phone", "Route: <sip:127.0.0.1:{S};lr;ftag=ft1>,<sip:strict3.example;maddr=1.2.3.4>\r\n",
			[]string{"BYE sip:1.2.3.4 SIP/2.0", "Route: <sip:bob@b.example;user=phone>"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			port := freePort(t)
			peer, peerPort := udpPeer(t)
			client, clientPort := udpPeer(t)
			startServer(t, fmt.Sprintf("listen=udp:127.0.0.1:%d\n%s\nrequest_route { loose_route(); forward(\"127.0.0.1\", %d); }\n",
				port, modules, peerPort))
			r := strings.NewReplacer("{S}", fmt.Sprint(port))
			msg := strings.Replace(string(request("BYE "+r.Replace(tc.ruri)+" SIP/2.0", clientPort, ";tag=tt")),
				"Content-Length: 0\r\n", r.Replace(tc.routes)+"Content-Length: 0\r\n", 1)
			if _, err := client.WriteToUDPAddrPort([]byte(msg), netip.MustParseAddrPort(fmt.Sprintf("127.0.0.1:%d", port))); err != nil {
				t.Fatal(err)
			}
			got := readUDP(t, peer)
			want := make([]string, len(tc.want))
			for i, w := range tc.want {
				want[i] = r.Replace(w)
			}
			if diff := cmp.Diff(want, headers(got, "Route")); diff != "" {
				t.Errorf("forwarded (-want +got):\n%s\nmessage:\n%s", diff, got)
			}
		})
	}
}
