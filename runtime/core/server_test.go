package core_test

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	_ "github.com/kamgo/kamgo/modules/all"
	"github.com/kamgo/kamgo/runtime/core"
	"github.com/kamgo/kamgo/runtime/core/coretest"
	"github.com/kamgo/kamgo/runtime/logging"
	"github.com/kamgo/kamgo/runtime/rpc"
	"github.com/kamgo/kamgo/runtime/sip"
)

func load(t *testing.T, text string, log *logging.Logger) *core.Loaded {
	t.Helper()
	return coretest.Load(t, text, log)
}

func TestReadSettings(t *testing.T) {
	tests := []struct {
		name string
		cfg  string
		want func(s *core.Settings) any
		val  any
	}{
		{"defaults", "", func(s *core.Settings) any {
			return []any{s.Children, s.TCPChildren, s.Port, s.MaxBranches, s.TCP.Lifetime}
		},
			[]any{8, 8, 5060, 12, 120 * time.Second}},
		{"children sets tcp_children", "children=3\n", func(s *core.Settings) any { return []any{s.Children, s.TCPChildren} }, []any{3, 3}},
		{"tcp_children", "children=3\ntcp_children=5\n", func(s *core.Settings) any { return s.TCPChildren }, 5},
		{"fork=no is one worker", "fork=no\nchildren=4\n", func(s *core.Settings) any { return []any{s.Children, s.Fork} }, []any{1, false}},
		{"tcp times in seconds", "tcp_connection_lifetime=3605\ntcp_send_timeout=3\ntcp_connect_timeout=2\n",
			func(s *core.Settings) any { return []any{s.TCP.Lifetime, s.TCP.SendTimeout, s.TCP.ConnectTimeout} },
			[]any{3605 * time.Second, 3 * time.Second, 2 * time.Second}},
		{"keepalive", "tcp_keepalive=yes\ntcp_keepidle=30\ntcp_keepintvl=5\ntcp_keepcnt=3\n",
			func(s *core.Settings) any {
				return s.TCP.Keepalive.Idle.String() + "/" + s.TCP.Keepalive.Interval.String() + fmt.Sprint("/", s.TCP.Keepalive.Count)
			},
			"30s/5s/3"},
		{"listen and socket", "listen=udp:127.0.0.1:5070 advertise 1.2.3.4:5080 name \"pub\"\nsocket=tcp:127.0.0.1:5071\n",
			func(s *core.Settings) any {
				var out []string
				for _, l := range s.Listen {
					out = append(out, fmt.Sprintf("%s|%s|%d|%s|%d|%s", l.Proto, l.Host, l.Port, l.AdvHost, l.AdvPort, l.Name))
				}
				return out
			},
			[]string{"udp|127.0.0.1|5070|1.2.3.4|5080|pub", "tcp|127.0.0.1|5071||0|"}},
		{"tcp limits and socket options",
			"tcp_rd_buf_size=65536\ntcp_accept_no_cl=yes\ntcp_conn_wq_max=4096\ntcp_wq_max=1048576\ntcp_defer_accept=3\n" +
				"tcp_reuse_port=yes\ntcp_syncnt=4\ntcp_linger2=7\ntcp_delayed_ack=no\ntcp_source_ipv4=127.0.0.2\ntcp_source_ipv6=::1\n",
			func(s *core.Settings) any {
				o := s.TCP
				return []any{o.MaxStreamMsg, o.AcceptNoCL, o.ConnQueueMax, o.QueueMax, o.DeferAccept, o.ReusePort,
					o.SynCount, o.Linger2, o.DelayedAck, o.SourceV4.String(), o.SourceV6.String()}
			},
			[]any{65536, true, 4096, 1048576, 3 * time.Second, true, 4, 7 * time.Second, false, "127.0.0.2", "::1"}},
		{"dns", "dns_try_ipv6=yes\ndns_retr_time=2\ndns_cache_negative_ttl=30\n", func(s *core.Settings) any {
			return []any{s.DNS.TryIPv6, s.DNS.Timeout, s.DNS.NegativeTTL}
		}, []any{true, 2 * time.Second, 30 * time.Second}},
		{"dns defaults, Kamailio's -1 retr time", "dns_retr_time=-1\n", func(s *core.Settings) any {
			return []any{s.DNS.TryIPv6, s.DNS.Timeout, s.DNS.NegativeTTL}
		}, []any{false, 5 * time.Second, 60 * time.Second}},
		{"dns cache off", "use_dns_cache=no\n", func(s *core.Settings) any { return s.DNS.NegativeTTL }, time.Duration(0)},
		{"tcp defaults as Kamailio's", "", func(s *core.Settings) any {
			o := s.TCP
			return []any{o.AcceptNoCL, o.ConnQueueMax, o.QueueMax, o.DelayedAck, o.ReusePort, o.SourceV4.IsValid()}
		},
			[]any{false, 32768, 10485760, true, false, false}},
		{"server header", "server_signature=no\nserver_header=\"Server: x\"\nsip_warning=1\nreply_to_via=1\n",
			func(s *core.Settings) any {
				return []any{s.ServerSignature, s.ServerHeader, s.SIPWarning, s.ReplyToVia}
			},
			[]any{false, "Server: x", true, true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := load(t, tt.cfg+"request_route { drop; }\n", logging.Discard())
			s, d := core.ReadSettings(l, logging.Discard())
			if d.HasErrors() {
				t.Fatalf("ReadSettings: %v", d)
			}
			if diff := cmp.Diff(tt.val, tt.want(s)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestReadSettingsErrors(t *testing.T) {
	tests := []struct{ cfg, want string }{
		{"children=0\n", "test.cfg:1:10: error: children must be between 1 and 1024"},
		{"max_branches=40\n", "test.cfg:1:14: error: max_branches must be between 1 and 32"},
		{"port=70000\n", "test.cfg:1:6: error: port must be between 1 and 65535"},
		{"tcp_source_ipv4=\"127.0.0.2\"\n", "test.cfg:1:17: error: tcp_source_ipv4 takes an IPv4 address without quotes, as Kamailio requires"},
		{"tcp_source_ipv6=127.0.0.2\n", "test.cfg:1:17: error: tcp_source_ipv6 takes an IPv6 address, not \"127.0.0.2\""},
		{"tcp_conn_wq_max=0\n", "test.cfg:1:17: error: tcp_conn_wq_max must be a positive number of bytes"},
		{"tcp_syncnt=200\n", "test.cfg:1:12: error: tcp_syncnt must be between 0 and 127"},
		{"tcp_rd_buf_size=100\n", "test.cfg:1:17: warning: tcp_rd_buf_size 100 is outside 512..16777216; using 512"},
	}
	for _, tt := range tests {
		l := load(t, tt.cfg+"request_route { drop; }\n", logging.Discard())
		_, d := core.ReadSettings(l, logging.Discard())
		if got := d.Error(); !strings.Contains(got, tt.want) {
			t.Errorf("%q: got %q, want %q", tt.cfg, got, tt.want)
		}
	}
}

func TestResolveListenRefusesTLS(t *testing.T) {
	l := load(t, "listen=tls:127.0.0.1:5061\nrequest_route { drop; }\n", logging.Discard())
	s, _ := core.ReadSettings(l, logging.Discard())
	_, d := core.ResolveListen(s)
	if !strings.Contains(d.Error(), "listen on tls is not supported by kamgo yet") {
		t.Errorf("got %v", d)
	}
}

func TestParseListen(t *testing.T) {
	tests := []struct {
		in   string
		want core.ListenSpec
		err  bool
	}{
		{in: "127.0.0.1", want: core.ListenSpec{Host: "127.0.0.1"}},
		{in: "udp:127.0.0.1:5070", want: core.ListenSpec{Proto: "udp", Host: "127.0.0.1", Port: 5070}},
		{in: "tcp:[::1]:5070", want: core.ListenSpec{Proto: "tcp", Host: "::1", Port: 5070}},
		{in: "::1", want: core.ListenSpec{Host: "::1"}},
		{in: "udp:10.0.0.1:5060/1.2.3.4:5080", want: core.ListenSpec{Proto: "udp", Host: "10.0.0.1", Port: 5060, AdvHost: "1.2.3.4", AdvPort: 5080}},
		{in: "udp:10.0.0.1:99999", err: true},
		{in: "[::1", err: true},
	}
	for _, tt := range tests {
		got, err := core.ParseListen(tt.in)
		if (err != nil) != tt.err {
			t.Errorf("%q: err = %v", tt.in, err)
			continue
		}
		if err == nil && got != tt.want {
			t.Errorf("%q: got %+v, want %+v", tt.in, got, tt.want)
		}
	}
}

func freePort(t *testing.T) int { return coretest.FreePort(t) }

// startServer runs a config on loopback; the log is returned for checks.
func startServer(t *testing.T, text string) (*core.Server, *coretest.Log) {
	t.Helper()
	return coretest.Start(t, text)
}

func request(method, user string, clientPort int, extra string) []byte {
	return []byte(fmt.Sprintf("%s sip:%s@127.0.0.1 SIP/2.0\r\n"+
		"Via: SIP/2.0/UDP 127.0.0.1:%d;branch=z9hG4bK-test-1;rport\r\n"+
		"From: <sip:alice@example.com>;tag=a1\r\nTo: <sip:%s@127.0.0.1>\r\n"+
		"Call-ID: call-1@test\r\nCSeq: 1 %s\r\nMax-Forwards: 70\r\n%sContent-Length: 0\r\n\r\n",
		method, user, clientPort, user, method, extra))
}

func readMsg(t *testing.T, c *net.UDPConn) *sip.Message {
	t.Helper()
	b := coretest.ReadUDP(t, c)
	m := &sip.Message{}
	if err := m.Parse(b, sip.Datagram); err != nil {
		t.Fatalf("parse %q: %v", b, err)
	}
	return m
}

func udpPeer(t *testing.T) (*net.UDPConn, int) { return coretest.UDPPeer(t) }

func TestStatelessForwardAndReply(t *testing.T) {
	port := freePort(t)
	uas, uasPort := udpPeer(t)
	client, clientPort := udpPeer(t)
	srv, logs := startServer(t, fmt.Sprintf(`children=2
debug=2
listen=udp:127.0.0.1:%d
loadmodule "pv.so"
loadmodule "xlog.so"
request_route { forward("127.0.0.1", %d); }
reply_route { xlog("L_INFO", "reply $rs from $si\n"); }
`, port, uasPort))
	_ = srv
	dst := netip.MustParseAddrPort(fmt.Sprintf("127.0.0.1:%d", port))
	if _, err := client.WriteToUDPAddrPort(request("OPTIONS", "bob", clientPort, ""), dst); err != nil {
		t.Fatal(err)
	}
	fwd := readMsg(t, uas)
	vias, err := fwd.Vias()
	if err != nil || len(vias) != 2 {
		t.Fatalf("forwarded Vias = %d, %v", len(vias), err)
	}
	if got := string(vias[0].Host); got != "127.0.0.1" || int(vias[0].Port) != port {
		t.Errorf("our Via = %s:%d", got, vias[0].Port)
	}
	if string(vias[1].RPort) != fmt.Sprint(clientPort) {
		t.Errorf("client Via rport = %q, want %d", vias[1].RPort, clientPort)
	}
	reply, err := sip.AppendReply(nil, fwd, 200, "OK", &sip.ReplyOptions{ToTag: "uas"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := uas.WriteToUDPAddrPort(reply, dst); err != nil {
		t.Fatal(err)
	}
	got := readMsg(t, client)
	if got.StatusCode() != 200 {
		t.Fatalf("client got %d", got.StatusCode())
	}
	if n := len(mustVias(t, got)); n != 1 {
		t.Errorf("reply to the client has %d Vias, want 1", n)
	}
	waitFor(t, func() bool { return strings.Contains(logs.String(), "reply 200 from 127.0.0.1") }, "reply_route log")
}

func mustVias(t *testing.T, m *sip.Message) []sip.Via {
	t.Helper()
	v, err := m.Vias()
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func waitFor(t *testing.T, cond func() bool, what string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if cond() {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("timed out waiting for %s", what)
}

func TestBadRequestGets400(t *testing.T) {
	port := freePort(t)
	client, clientPort := udpPeer(t)
	startServer(t, fmt.Sprintf("listen=udp:127.0.0.1:%d\nrequest_route { drop; }\n", port))
	dst := netip.MustParseAddrPort(fmt.Sprintf("127.0.0.1:%d", port))
	// Two Call-IDs: a parse that refuses it, a 400 that still goes back.
	req := request("OPTIONS", "bob", clientPort, "Call-ID: second@test\r\n")
	if _, err := client.WriteToUDPAddrPort(req, dst); err != nil {
		t.Fatal(err)
	}
	got := readMsg(t, client)
	if got.StatusCode() != 400 {
		t.Errorf("status = %d, want 400", got.StatusCode())
	}
}

func TestReplyNotForUsIsDropped(t *testing.T) {
	port := freePort(t)
	peer, peerPort := udpPeer(t)
	startServer(t, fmt.Sprintf("listen=udp:127.0.0.1:%d\nrequest_route { drop; }\n", port))
	dst := netip.MustParseAddrPort(fmt.Sprintf("127.0.0.1:%d", port))
	// The top Via names someone else: the reply must not be relayed to
	// the second Via (our peer).
	reply := fmt.Sprintf("SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-x\r\n"+
		"Via: SIP/2.0/UDP 127.0.0.1:%d;branch=z9hG4bK-y\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:c@d>;tag=2\r\n"+
		"Call-ID: x\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n", peerPort)
	if _, err := peer.WriteToUDPAddrPort([]byte(reply), dst); err != nil {
		t.Fatal(err)
	}
	_ = peer.SetReadDeadline(time.Now().Add(300 * time.Millisecond))
	buf := make([]byte, 2048)
	if n, _, err := peer.ReadFromUDPAddrPort(buf); err == nil {
		t.Errorf("reply relayed although the top Via is not ours: %q", buf[:n])
	}
}

func TestForwardAdvertisedAddress(t *testing.T) {
	port := freePort(t)
	uas, uasPort := udpPeer(t)
	client, clientPort := udpPeer(t)
	startServer(t, fmt.Sprintf(`listen=udp:127.0.0.1:%d
request_route {
	set_advertised_address("proxy.example.com");
	set_advertised_port(5080);
	add_local_rport();
	forward("127.0.0.1", %d);
}
`, port, uasPort))
	dst := netip.MustParseAddrPort(fmt.Sprintf("127.0.0.1:%d", port))
	if _, err := client.WriteToUDPAddrPort(request("MESSAGE", "bob", clientPort, ""), dst); err != nil {
		t.Fatal(err)
	}
	fwd := readMsg(t, uas)
	v := mustVias(t, fwd)[0]
	if got := fmt.Sprintf("%s:%d rport=%v", v.Host, v.Port, v.HasRPort); got != "proxy.example.com:5080 rport=true" {
		t.Errorf("our Via = %s", got)
	}
}

func TestControlInterface(t *testing.T) {
	port := freePort(t)
	sock := t.TempDir() + "/ctl.sock"
	srv, _ := coretest.StartWith(t, fmt.Sprintf("listen=udp:127.0.0.1:%d\nlisten=tcp:127.0.0.1:%d\nloadmodule \"sl.so\"\nrequest_route { sl_send_reply(\"200\", \"OK\"); }\n", port, port),
		core.Options{Version: "kamgo test", RPCSocket: sock})
	if srv.RPCPath() != sock {
		t.Fatalf("RPCPath = %q", srv.RPCPath())
	}
	conn, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", port))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	call := func(method string) string {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		defer cancel()
		raw, err := rpc.CallSocket(ctx, sock, method, nil)
		if err != nil {
			t.Fatalf("%s: %v", method, err)
		}
		return string(raw)
	}
	if got := call("core.version"); got != `"kamgo test"` {
		t.Errorf("core.version = %s", got)
	}
	for _, want := range []string{"core.ps", "core.tcp_list", "core.uptime", "core.sockets_list", "sl.stats", "system.listMethods"} {
		if got := call("system.listMethods"); !strings.Contains(got, `"`+want+`"`) {
			t.Errorf("system.listMethods lacks %s: %s", want, got)
		}
	}
	waitFor(t, func() bool {
		return strings.Contains(call("core.tcp_list"), `"state":"CONN_ACCEPT"`) || strings.Contains(call("core.tcp_list"), `"state":"CONN_OK"`)
	}, "the connection in core.tcp_list")
	if got := call("core.ps"); !strings.Contains(got, `"DSC":"udp receiver`) {
		t.Errorf("core.ps = %s", got)
	}
}

func TestOnSendRoute(t *testing.T) {
	port := freePort(t)
	uas, uasPort := udpPeer(t)
	client, clientPort := udpPeer(t)
	_, logs := startServer(t, fmt.Sprintf(`debug=2
listen=udp:127.0.0.1:%d
loadmodule "pv.so"
loadmodule "xlog.so"
request_route { forward("127.0.0.1", %d); }
onsend_route {
	if (to_port == %d && snd_ip == 127.0.0.1 && to_ip == 127.0.0.0/8) {
		xlog("L_INFO", "sending $snd(len) bytes to $sndto(ip):$sndto(port) from $sndfrom(port) over $snd(sproto)\n");
	}
	if ($rm == "MESSAGE") {
		drop;
	}
}
`, port, uasPort, uasPort))
	dst := netip.MustParseAddrPort(fmt.Sprintf("127.0.0.1:%d", port))
	if _, err := client.WriteToUDPAddrPort(request("OPTIONS", "bob", clientPort, ""), dst); err != nil {
		t.Fatal(err)
	}
	fwd := readMsg(t, uas)
	want := fmt.Sprintf("sending %d bytes to 127.0.0.1:%d from %d over udp", fwd.Len(), uasPort, port)
	waitFor(t, func() bool { return strings.Contains(logs.String(), want) }, want)
	// drop in onsend_route: nothing leaves.
	if _, err := client.WriteToUDPAddrPort(request("MESSAGE", "bob", clientPort, ""), dst); err != nil {
		t.Fatal(err)
	}
	_ = uas.SetReadDeadline(time.Now().Add(300 * time.Millisecond))
	buf := make([]byte, 2048)
	if n, _, err := uas.ReadFromUDPAddrPort(buf); err == nil {
		t.Errorf("a message dropped in onsend_route was sent: %q", buf[:n])
	}
}

func TestStatistics(t *testing.T) {
	port := freePort(t)
	client, clientPort := udpPeer(t)
	// One worker: the first reply's counter is raised before the second
	// request is read (with several, another worker could log first).
	_, logs := startServer(t, fmt.Sprintf(`debug=2
children=1
listen=udp:127.0.0.1:%d
loadmodule "pv.so"
loadmodule "xlog.so"
loadmodule "kex.so"
loadmodule "sl.so"
request_route {
	xlog("L_INFO", "rcv=$stat(rcv_requests) sl=$stat(sl:200_replies) none=$stat(nope)\n");
	sl_send_reply("200", "OK");
}
`, port))
	dst := netip.MustParseAddrPort(fmt.Sprintf("127.0.0.1:%d", port))
	for range 2 {
		if _, err := client.WriteToUDPAddrPort(request("OPTIONS", "bob", clientPort, ""), dst); err != nil {
			t.Fatal(err)
		}
		readMsg(t, client)
	}
	want := "rcv=2 sl=1 none=<null>"
	waitFor(t, func() bool { return strings.Contains(logs.String(), want) }, want)
}

func TestLogPrefixPerMessage(t *testing.T) {
	port := freePort(t)
	client, clientPort := udpPeer(t)
	_, logs := startServer(t, fmt.Sprintf(`debug=2
log_prefix="{$rm $ci} "
listen=udp:127.0.0.1:%d
loadmodule "pv.so"
loadmodule "xlog.so"
request_route { xlog("L_INFO", "hello\n"); drop; }
`, port))
	dst := netip.MustParseAddrPort(fmt.Sprintf("127.0.0.1:%d", port))
	for _, m := range []string{"OPTIONS", "MESSAGE"} {
		if _, err := client.WriteToUDPAddrPort(request(m, "bob", clientPort, ""), dst); err != nil {
			t.Fatal(err)
		}
	}
	for _, want := range []string{`"prefix":"{OPTIONS call-1@test} "`, `"prefix":"{MESSAGE call-1@test} "`} {
		waitFor(t, func() bool { return strings.Contains(logs.String(), want) }, want)
	}
}

// TestGlobalForceRport: force_rport=yes (and its other name add_rport)
// sends the reply to the request's source port, with rport= in its Via,
// although the Via has no rport and names another port.
func TestGlobalForceRport(t *testing.T) {
	for _, param := range []string{"force_rport=yes", "add_rport=1"} {
		t.Run(param, func(t *testing.T) {
			port := freePort(t)
			client, clientPort := udpPeer(t)
			startServer(t, fmt.Sprintf(`debug=2
%s
listen=udp:127.0.0.1:%d
loadmodule "sl.so"
request_route { sl_send_reply("200", "OK"); }
`, param, port))
			req := strings.Replace(string(request("OPTIONS", "bob", clientPort, "")),
				fmt.Sprintf("127.0.0.1:%d;branch=z9hG4bK-test-1;rport", clientPort), "127.0.0.1:9;branch=z9hG4bK-test-1", 1)
			if _, err := client.WriteToUDPAddrPort([]byte(req), netip.MustParseAddrPort(fmt.Sprintf("127.0.0.1:%d", port))); err != nil {
				t.Fatal(err)
			}
			reply := readMsg(t, client)
			if via, _ := reply.Header("Via", 0); !strings.Contains(string(via), fmt.Sprintf("rport=%d", clientPort)) {
				t.Errorf("reply Via %q lacks rport=%d", via, clientPort)
			}
		})
	}
}

// TestForceRportForward: with force_rport() a forwarded request's client
// Via gets rport=<source port> although it had none (the NAT pattern of
// Debian's default config), so the reply the next hop sends back reaches
// the client's real port, not the one its Via names.
func TestForceRportForward(t *testing.T) {
	port := freePort(t)
	uas, uasPort := udpPeer(t)
	client, clientPort := udpPeer(t)
	startServer(t, fmt.Sprintf(`debug=2
listen=udp:127.0.0.1:%d
request_route { force_rport(); forward("127.0.0.1", %d); }
`, port, uasPort))
	dst := netip.MustParseAddrPort(fmt.Sprintf("127.0.0.1:%d", port))
	req := strings.Replace(string(request("OPTIONS", "bob", clientPort, "")),
		fmt.Sprintf("127.0.0.1:%d;branch=z9hG4bK-test-1;rport", clientPort), "10.9.9.9:9;branch=z9hG4bK-test-1", 1)
	if _, err := client.WriteToUDPAddrPort([]byte(req), dst); err != nil {
		t.Fatal(err)
	}
	fwd := readMsg(t, uas)
	if via, _ := fwd.Header("Via", 1); string(via) != fmt.Sprintf("SIP/2.0/UDP 10.9.9.9:9;rport=%d;received=127.0.0.1;branch=z9hG4bK-test-1", clientPort) {
		t.Errorf("client Via forwarded as %q", via)
	}
	reply, err := sip.AppendReply(nil, fwd, 200, "OK", &sip.ReplyOptions{ToTag: "uas"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := uas.WriteToUDPAddrPort(reply, dst); err != nil {
		t.Fatal(err)
	}
	if got := readMsg(t, client); got.StatusCode() != 200 {
		t.Errorf("client got %d", got.StatusCode())
	}
}

// TestTCPReplyByConnectionID: a request from a TCP client whose Via names a
// port nothing listens on (no rport, as TCP phones send) is forwarded
// with ;i=<connection id> in our Via, and the reply the next hop sends
// back returns over the client's connection.
func TestTCPReplyByConnectionID(t *testing.T) {
	port := freePort(t)
	uas, uasPort := udpPeer(t)
	_, logs := startServer(t, fmt.Sprintf(`debug=2
listen=udp:127.0.0.1:%d
listen=tcp:127.0.0.1:%d
request_route { forward_udp("127.0.0.1", %d); }
`, port, port, uasPort))
	defer func() {
		if t.Failed() {
			t.Logf("log:\n%s", logs.String())
		}
	}()
	c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", port))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	req := strings.Replace(string(request("OPTIONS", "bob", 9, "")), "SIP/2.0/UDP 127.0.0.1:9;branch=z9hG4bK-test-1;rport", "SIP/2.0/TCP 127.0.0.1:9;branch=z9hG4bK-test-1", 1)
	if _, err := c.Write([]byte(req)); err != nil {
		t.Fatal(err)
	}
	fwd := readMsg(t, uas)
	if via, _ := fwd.Header("Via", 0); !strings.HasSuffix(string(via), ";i=1") {
		t.Errorf("our Via %q has no ;i=1", via)
	}
	reply, err := sip.AppendReply(nil, fwd, 200, "OK", &sip.ReplyOptions{ToTag: "uas"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := uas.WriteToUDPAddrPort(reply, netip.MustParseAddrPort(fmt.Sprintf("127.0.0.1:%d", port))); err != nil {
		t.Fatal(err)
	}
	_ = c.SetReadDeadline(time.Now().Add(10 * time.Second))
	buf := make([]byte, 4096)
	n, err := c.Read(buf)
	if err != nil || !strings.HasPrefix(string(buf[:n]), "SIP/2.0 200 OK\r\n") {
		t.Fatalf("over the client's connection: %q, %v", buf[:n], err)
	}
}

// TestTCPReplyConnectionIDGuard: a reply whose ;i= names the connection of
// another client (a tampered or confused next hop) is not sent into it.
func TestTCPReplyConnectionIDGuard(t *testing.T) {
	port := freePort(t)
	uas, uasPort := udpPeer(t)
	startServer(t, fmt.Sprintf(`debug=2
listen=udp:127.0.0.1:%d
listen=tcp:127.0.0.1:%d
request_route { forward_udp("127.0.0.1", %d); }
`, port, port, uasPort))
	server := &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: port}
	a, err := net.DialTCP("tcp", &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1)}, server)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := net.DialTCP("tcp", &net.TCPAddr{IP: net.IPv4(127, 0, 0, 2)}, server)
	if err != nil {
		t.Skipf("no 127.0.0.2 on this host: %v", err)
	}
	defer b.Close()
	send := func(c *net.TCPConn, host string) *sip.Message {
		req := strings.Replace(string(request("OPTIONS", "bob", 9, "")), "SIP/2.0/UDP 127.0.0.1:9;branch=z9hG4bK-test-1;rport",
			"SIP/2.0/TCP "+host+":9;branch=z9hG4bK-"+host, 1)
		if _, err := c.Write([]byte(req)); err != nil {
			t.Fatal(err)
		}
		return readMsg(t, uas)
	}
	send(a, "127.0.0.1")        // connection 1
	fwd := send(b, "127.0.0.2") // connection 2
	via, _ := fwd.Header("Via", 0)
	if !strings.HasSuffix(string(via), ";i=2") {
		t.Fatalf("our Via %q", via)
	}
	reply, err := sip.AppendReply(nil, fwd, 200, "OK", &sip.ReplyOptions{ToTag: "uas"})
	if err != nil {
		t.Fatal(err)
	}
	tampered := strings.Replace(string(reply), ";i=2", ";i=1", 1)
	dst := netip.MustParseAddrPort(fmt.Sprintf("127.0.0.1:%d", port))
	if _, err := uas.WriteToUDPAddrPort([]byte(tampered), dst); err != nil {
		t.Fatal(err)
	}
	_ = a.SetReadDeadline(time.Now().Add(300 * time.Millisecond))
	buf := make([]byte, 4096)
	if n, err := a.Read(buf); err == nil {
		t.Fatalf("client A got B's reply: %q", buf[:n])
	}
	// The genuine reply reaches B.
	if _, err := uas.WriteToUDPAddrPort(reply, dst); err != nil {
		t.Fatal(err)
	}
	_ = b.SetReadDeadline(time.Now().Add(10 * time.Second))
	if n, err := b.Read(buf); err != nil || !strings.HasPrefix(string(buf[:n]), "SIP/2.0 200 OK\r\n") {
		t.Fatalf("client B: %q, %v", buf[:n], err)
	}
}

// TestInfoRPCs: kex's informational commands answer in Kamailio's shapes
// (member names and order as kamcmd shows them on Kamailio 5.6.3) with
// kamgo's values.
func TestInfoRPCs(t *testing.T) {
	port := freePort(t)
	sock := t.TempDir() + "/ctl.sock"
	coretest.StartWith(t, fmt.Sprintf(`listen=udp:127.0.0.1:%d
listen=tcp:127.0.0.1:%d
alias=example.com:5060
alias="sip.example.org"
tcp_conn_wq_max=4096
tcp_syncnt=3
tcp_accept_no_cl=yes
loadmodule "sl.so"
request_route { sl_send_reply("200", "OK"); }
`, port, port), core.Options{Version: "kamgo 1.2.3", RPCSocket: sock})
	call := func(method string) (string, error) {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		defer cancel()
		raw, err := rpc.CallSocket(ctx, sock, method, nil)
		return string(raw), err
	}
	tests := []struct {
		method string
		want   []string // substrings, in order
	}{
		{"core.aliases_list", []string{`{"myself_callbacks":"no","aliases":{"alias":{"proto":"*","address":"sip.example.org","port":"*"},"alias":{"proto":"*","address":"example.com","port":5060}}}`}},
		{"core.tcp_options", []string{`"connect_timeout":10`, `"conn_wq_max":4096`, `"wq_max":10485760`, `"delayed_ack":1`, `"syncnt":3`, `"keepalive":1`, `"accept_no_cl":1`}},
		{"core.tcp_info", []string{`"readers":`, `"max_connections":2048`, `"opened_connections":0`, `"write_queued_bytes":0`}},
		{"core.info", []string{`"version":"kamgo 1.2.3"`, `"id":`, `"compiler":"go`, `"flags":"USE_TCP`}},
		{"core.runinfo", []string{`"name":"kamgo"`, `"version":"1.2.3"`, `"uptime_secs":`, `"utime_days":"0d 0h 0m `}},
		{"core.flags", []string{`"USE_TCP, DISABLE_NAGLE, USE_DNS_CACHE"`}},
		{"core.psx", []string{`"DSC":"main process - attendant"`, `"DSC":"udp receiver`}},
		{"core.shmmem", []string{`"total":`, `"free":`, `"used":`, `"real_used":`, `"max_used":`, `"fragments":`}},
		{"core.udp4_raw_info", []string{`{"udp4_raw":0,"udp4_raw_mtu":1500,"udp4_raw_ttl":64}`}},
	}
	for _, tt := range tests {
		got, err := call(tt.method)
		if err != nil {
			t.Errorf("%s: %v", tt.method, err)
			continue
		}
		rest := got
		for _, w := range tt.want {
			i := strings.Index(rest, w)
			if i < 0 {
				t.Errorf("%s = %s\nlacks (in order) %s", tt.method, got, w)
				break
			}
			rest = rest[i+len(w):]
		}
	}
	for _, method := range []string{"pkg.stats", "mod.stats", "system.methodSignature"} {
		if got, err := call(method); err == nil {
			t.Errorf("%s answered %s, want an error", method, got)
		}
	}
}
