//go:build unix

package daemon

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/kamgo/kamgo/tests/sipclient"
)

// statelessScript answers every request with 200 and lets ACK end quietly.
const statelessScript = `
loadmodule "pv.so"
loadmodule "sl.so"
loadmodule "xlog.so"

request_route {
	if (method=="ACK") {
		exit;
	}
	sl_send_reply("200", "OK");
}
`

// TestOptionsAnswered sends OPTIONS over UDP and over TCP (two on the same
// connection) and checks the 200 each time: status, the client's Via
// echoed with rport filled in, Call-ID and CSeq.
func TestOptionsAnswered(t *testing.T) {
	d := startDaemon(t, config{script: statelessScript})
	for _, transport := range []string{"UDP", "TCP"} {
		t.Run(transport, func(t *testing.T) {
			var c *sipclient.Client
			if transport == "UDP" {
				c = d.udpClient(t)
			} else {
				c = d.tcpClient(t)
			}
			for range 2 {
				f := c.NewRequest("OPTIONS")
				resp, err := c.Request(sipclient.RequestTemplate, f, replyTimeout)
				if err != nil {
					t.Fatalf("%v; output:\n%s", err, d.output())
				}
				checkReplyTo(t, resp, f, c, 200)
			}
		})
	}
	d.stop(t)
}

// checkReplyTo checks that resp answers the request built from f with code.
func checkReplyTo(t *testing.T, resp *sipclient.Message, f sipclient.Fields, c *sipclient.Client, code int) {
	t.Helper()
	if resp.StatusCode != code {
		t.Errorf("status %d, want %d:\n%s", resp.StatusCode, code, resp.Raw)
	}
	if resp.CallID() != f.CallID || resp.CSeqMethod() != f.Method {
		t.Errorf("Call-ID %q CSeq %q, want %q and %s", resp.CallID(), resp.Header("CSeq"), f.CallID, f.Method)
	}
	vias := resp.Vias()
	if len(vias) != 1 {
		t.Fatalf("response has %d Via values, want the client's only:\n%s", len(vias), resp.Raw)
	}
	if branch, _ := sipclient.Param(vias[0], "branch"); branch != f.Branch {
		t.Errorf("Via branch %q, want %q", branch, f.Branch)
	}
	checkRport(t, vias[0], c)
}

// checkRport checks the client's Via as the daemon saw it: RFC 3581 §4
// fills an empty rport with the source port and adds received= with the
// source address even when it equals the sent-by host (Kamailio does both).
func checkRport(t *testing.T, via string, c *sipclient.Client) {
	t.Helper()
	if rport, _ := sipclient.Param(via, "rport"); rport != fmt.Sprint(c.LocalAddr().Port()) {
		t.Errorf("Via rport=%q, want the client's port %d: %s", rport, c.LocalAddr().Port(), via)
	}
	if received, _ := sipclient.Param(via, "received"); received != c.LocalAddr().Addr().String() {
		t.Errorf("Via received=%q, want %s: %s", received, c.LocalAddr().Addr(), via)
	}
}

// TestStatelessForward forwards requests with forward("127.0.0.1", PORT) to
// a fake UAS and checks both directions: the daemon pushes its own Via on
// the request (and fills the client's rport), and takes it off the reply,
// which goes back to the client. A request that came over TCP is forwarded
// over TCP (forward() keeps the received protocol, as Kamailio's does) and
// its reply goes back on the client's connection. reply_route runs for
// every reply.
func TestStatelessForward(t *testing.T) {
	uas, err := sipclient.StartUAS(func(req *sipclient.Message) (int, string) {
		if req.Method == "BYE" {
			return 481, "Call Does Not Exist"
		}
		return 200, "OK"
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { uas.Close() })
	d := startDaemon(t, config{script: fmt.Sprintf(`
loadmodule "pv.so"
loadmodule "xlog.so"

request_route {
	xlog("L_INFO", "forwarding $rm $ci\n");
	forward("127.0.0.1", %d);
}

reply_route {
	xlog("L_INFO", "reply_route $rs $ci\n");
}
`, uas.Addr().Port())})

	for _, tc := range []struct {
		transport, method string
		code              int
	}{{"UDP", "OPTIONS", 200}, {"UDP", "BYE", 481}, {"TCP", "OPTIONS", 200}} {
		t.Run(tc.transport+"-"+tc.method, func(t *testing.T) {
			var c *sipclient.Client
			if tc.transport == "UDP" {
				c = d.udpClient(t)
			} else {
				c = d.tcpClient(t)
			}
			f := c.NewRequest(tc.method)
			resp, err := c.Request(sipclient.RequestTemplate, f, replyTimeout)
			if err != nil {
				t.Fatalf("%v; output:\n%s", err, d.output())
			}
			checkReplyTo(t, resp, f, c, tc.code)

			got, err := uas.NextRequest(replyTimeout)
			if err != nil {
				t.Fatal(err)
			}
			req := got.Msg
			if req.CallID() != f.CallID || req.Method != tc.method {
				t.Fatalf("the UAS got %s %s, want %s %s", req.Method, req.CallID(), tc.method, f.CallID)
			}
			// Over UDP the daemon sends from its listen socket; an outgoing
			// TCP connection has an ephemeral port.
			if tc.transport == "UDP" && got.From != d.udpAddr() {
				t.Errorf("the request reached the UAS from %v, want the daemon's socket %v", got.From, d.udpAddr())
			}
			vias := req.Vias()
			if len(vias) != 2 {
				t.Fatalf("forwarded request has %d Via values, want the daemon's and the client's:\n%s", len(vias), req.Raw)
			}
			transport, sentBy, err := sipclient.ViaSentBy(vias[0])
			if err != nil || transport != tc.transport || sentBy != d.udpAddr().String() {
				t.Errorf("daemon's Via %q: transport %q sent-by %q (%v), want %s %s", vias[0], transport, sentBy, err, tc.transport, d.udpAddr())
			}
			if branch, _ := sipclient.Param(vias[0], "branch"); !strings.HasPrefix(branch, "z9hG4bK") || branch == f.Branch {
				t.Errorf("daemon's Via branch %q: want a fresh RFC 3261 branch", branch)
			}
			if branch, _ := sipclient.Param(vias[1], "branch"); branch != f.Branch {
				t.Errorf("client's Via lost its branch: %s", vias[1])
			}
			checkRport(t, vias[1], c)
			if mf := req.Header("Max-Forwards"); mf != "69" && mf != "70" {
				t.Errorf("Max-Forwards %q after one hop", mf)
			}
			d.waitLog(t, "reply_route "+fmt.Sprint(tc.code)+" "+f.CallID, replyTimeout)
		})
	}
	d.stop(t)
}

// TestCRLFKeepalive pings over TCP: "\r\n\r\n" is answered "\r\n", and the
// connection keeps working for SIP afterwards.
func TestCRLFKeepalive(t *testing.T) {
	d := startDaemon(t, config{script: statelessScript})
	c := d.tcpClient(t)
	for range 2 {
		if err := c.Send([]byte("\r\n\r\n")); err != nil {
			t.Fatal(err)
		}
		pong, err := c.ReadRaw(2, time.Now().Add(replyTimeout))
		if err != nil {
			t.Fatalf("no pong: %v; output:\n%s", err, d.output())
		}
		if string(pong) != "\r\n" {
			t.Fatalf("pong %q, want \\r\\n", pong)
		}
	}
	f := c.NewRequest("OPTIONS")
	resp, err := c.Request(sipclient.RequestTemplate, f, replyTimeout)
	if err != nil {
		t.Fatalf("OPTIONS after the pings: %v; output:\n%s", err, d.output())
	}
	checkReplyTo(t, resp, f, c, 200)
	d.stop(t)
}

// TestProtoTCPParams: proto_tcp's modparams reach the transport: with
// tcp_crlf_pingpong off, a CRLFCRLF ping gets no pong, and the connection
// still carries requests.
func TestProtoTCPParams(t *testing.T) {
	d := startDaemon(t, config{script: `loadmodule "proto_tcp.so"
modparam("proto_tcp", "tcp_crlf_pingpong", 0)
modparam("proto_tcp", "tcp_send_timeout", 500)
` + statelessScript})
	c := d.tcpClient(t)
	if err := c.Send([]byte("\r\n\r\n")); err != nil {
		t.Fatal(err)
	}
	if pong, err := c.ReadRaw(2, time.Now().Add(300*time.Millisecond)); err == nil {
		t.Fatalf("pong %q although tcp_crlf_pingpong is 0", pong)
	}
	f := c.NewRequest("OPTIONS")
	resp, err := c.Request(sipclient.RequestTemplate, f, replyTimeout)
	if err != nil {
		t.Fatalf("OPTIONS after the ping: %v; output:\n%s", err, d.output())
	}
	checkReplyTo(t, resp, f, c, 200)
	d.stop(t)
}

// TestNosip sends non-SIP datagrams: event_route[nosip:msg] runs for one of
// 32 bytes or more, with $mb the packet and $si/$sp its source; a shorter
// one is dropped before any route; SIP still works afterwards.
func TestNosip(t *testing.T) {
	d := startDaemon(t, config{children: 1, script: `
loadmodule "pv.so"
loadmodule "sl.so"
loadmodule "xlog.so"
loadmodule "nosip.so"

request_route {
	sl_send_reply("200", "OK");
}

event_route[nosip:msg] {
	xlog("L_INFO", "nosip got [$mb] from $si:$sp\n");
}
`})
	c := d.udpClient(t)
	short := "short-garbage-0123456789-31byte"     // 31 bytes: below the minimum
	long := "not SIP at all: kamgo nosip probe #1" // 36 bytes
	if len(short) != 31 || len(long) < 32 {
		t.Fatalf("probe sizes %d and %d", len(short), len(long))
	}
	for _, p := range []string{short, long} {
		if err := c.Send([]byte(p)); err != nil {
			t.Fatal(err)
		}
	}
	d.waitLog(t, fmt.Sprintf("nosip got [%s] from 127.0.0.1:%d", long, c.LocalAddr().Port()), replyTimeout)
	// One worker reads the socket in order: once the long probe's line is
	// there, the short one was handled (and must have left no line).
	if strings.Contains(d.output(), short) {
		t.Errorf("a 31-byte datagram reached nosip:msg; output:\n%s", d.output())
	}
	d.alive(t)
	d.stop(t)
}

// TestTCPEvents closes a connection (FIN) and resets another (RST, linger
// 0) and waits for event_route[tcp:closed] and [tcp:reset] with the
// connection's $conid, $si and $sp.
func TestTCPEvents(t *testing.T) {
	d := startDaemon(t, config{script: statelessScript + `
event_route[tcp:closed] {
	xlog("L_INFO", "event tcp:closed conid=$conid from $si:$sp\n");
}

event_route[tcp:reset] {
	xlog("L_INFO", "event tcp:reset conid=$conid from $si:$sp\n");
}
`})
	for _, tc := range []struct {
		name  string
		event string
		reset bool
	}{{"close", "tcp:closed", false}, {"reset", "tcp:reset", true}} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := sipclient.DialTCP(d.tcpAddr(), replyTimeout)
			if err != nil {
				t.Fatal(err)
			}
			// A request first, so the connection is established on both ends.
			if _, err := c.Options(replyTimeout); err != nil {
				c.Close()
				t.Fatalf("%v; output:\n%s", err, d.output())
			}
			port := c.LocalAddr().Port()
			if tc.reset {
				if err := c.TCPConn().SetLinger(0); err != nil {
					t.Fatal(err)
				}
			}
			c.Close()
			line := d.waitLog(t, fmt.Sprintf("from 127.0.0.1:%d", port), replyTimeout)
			if !strings.Contains(line, "event "+tc.event+" conid=") {
				t.Fatalf("closing the connection from port %d ran %q, want event_route[%s]", port, line, tc.event)
			}
			if m := regexp.MustCompile(`conid=(\d+) `).FindStringSubmatch(line); m == nil || m[1] == "0" {
				t.Errorf("$conid not a connection id in %q", line)
			}
			t.Logf("closing: %s", line)
		})
	}
	d.stop(t)
}

// TestRPC runs `kamgo rpc` against the daemon's control socket:
// core.version prints the version `kamgo version` prints, core.tcp_list
// lists an open connection by its peer port.
func TestRPC(t *testing.T) {
	d := startDaemon(t, config{script: statelessScript})
	sock := filepath.Join(d.rundir, "kamgo_rpc.sock")
	if _, err := os.Stat(sock); err != nil {
		t.Fatalf("no control socket: %v", err)
	}

	code, stdout, stderr := runKamgo(t, 10*time.Second, "rpc", "-s", sock, "core.version")
	if code != 0 {
		t.Fatalf("kamgo rpc core.version: exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	_, version, _ := runKamgo(t, 10*time.Second, "version")
	want := strings.Fields(version)
	if len(want) < 2 {
		t.Fatalf("kamgo version printed %q", version)
	}
	if !strings.Contains(stdout, want[1]) {
		t.Errorf("core.version printed %q, want it to hold %q (from `kamgo version`: %q)", stdout, want[1], version)
	}

	c := d.tcpClient(t)
	if _, err := c.Options(replyTimeout); err != nil {
		t.Fatalf("%v; output:\n%s", err, d.output())
	}
	code, stdout, stderr = runKamgo(t, 10*time.Second, "rpc", "-s", sock, "core.tcp_list")
	if code != 0 {
		t.Fatalf("kamgo rpc core.tcp_list: exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	if !strings.Contains(stdout, fmt.Sprint(c.LocalAddr().Port())) {
		t.Errorf("core.tcp_list does not show the connection from port %d:\n%s", c.LocalAddr().Port(), stdout)
	}

	code, stdout, stderr = runKamgo(t, 10*time.Second, "rpc", "-s", sock, "no.such_method")
	if code == 0 {
		t.Errorf("an unknown RPC method succeeded:\n%s%s", stdout, stderr)
	}

	// core.kill: the daemon stops cleanly, as after SIGTERM.
	if code, stdout, stderr = runKamgo(t, 10*time.Second, "rpc", "-s", sock, "core.kill"); code != 0 {
		t.Fatalf("kamgo rpc core.kill: exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	select {
	case <-d.exited:
	case <-time.After(stopTimeout):
		t.Fatalf("kamgo still runs %v after core.kill; output:\n%s", stopTimeout, d.output())
	}
	if d.waitErr != nil {
		t.Fatalf("kamgo ended with %v after core.kill; output:\n%s", d.waitErr, d.output())
	}
}

// TestStartupRefused runs configs with errors: the daemon must exit non-zero
// within the ready timeout, print file:line:col: error: for the line at
// fault, and not write its pidfile.
func TestStartupRefused(t *testing.T) {
	tests := []struct {
		name   string
		script string
		line   int // line of the error in the whole config
	}{
		{"unknown function", "loadmodule \"sl.so\"\nrequest_route {\n\tno_such_function();\n}\n", 9},
		{"syntax error", "loadmodule \"sl.so\"\nrequest_route {\n\tsl_send_reply(\"200\", \"OK\")\n\t}}\n", 10},
		{"unknown module", "loadmodule \"no_such_module.so\"\nrequest_route {\n\tdrop;\n}\n", 7},
		{"wrong argument count", "loadmodule \"sl.so\"\nrequest_route {\n\tsl_send_reply(\"200\");\n}\n", 9},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := shortTempDir(t)
			text := config{script: tt.script}.render(freePort(t), dir)
			cfg := writeFile(t, "bad.cfg", text)
			pidfile := filepath.Join(dir, "kamgo.pid")
			code, stdout, stderr := runKamgo(t, readyTimeout, "run", "-f", cfg, "-E", "-D", "-P", pidfile)
			if code == 0 {
				t.Fatalf("kamgo run accepted:\n%s\noutput:\n%s%s", text, stdout, stderr)
			}
			want := regexp.MustCompile(regexp.QuoteMeta(cfg) + fmt.Sprintf(`:%d:\d+: error: `, tt.line))
			if !want.MatchString(stderr) {
				t.Errorf("stderr lacks %q:\n%s\nconfig:\n%s", want, stderr, text)
			}
			if _, err := os.Stat(pidfile); err == nil {
				t.Error("a refused config left a pidfile")
			}
		})
	}
}

// TestSignalsExitZero stops the daemon with SIGTERM and with SIGINT right
// after traffic; both must exit 0.
func TestSignalsExitZero(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
		t.Run(sig.String(), func(t *testing.T) {
			d := startDaemon(t, config{script: statelessScript})
			d.alive(t)
			c := d.tcpClient(t)
			if _, err := c.Options(replyTimeout); err != nil {
				t.Fatal(err)
			}
			if code := d.signal(t, sig); code != 0 {
				t.Fatalf("exit code %d after %v, want 0; output:\n%s", code, sig, d.output())
			}
		})
	}
}
