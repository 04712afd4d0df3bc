//go:build unix

package daemon

import (
	"bytes"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kamgo/kamgo/tests/sipclient"
)

// TestCommandLineFlags runs the daemon with -A (a #!define the config
// tests), -l (one more listen socket) and -n (children).
func TestCommandLineFlags(t *testing.T) {
	extra := freePort(t)
	d := startDaemon(t, config{
		noTCP: true,
		args:  []string{"-A", "ANSWER_404", "-l", fmt.Sprintf("udp:127.0.0.1:%d", extra), "-n", "1"},
		script: `
loadmodule "sl.so"

request_route {
	if (method=="ACK") {
		exit;
	}
#!ifdef ANSWER_404
	sl_send_reply("404", "Defined");
#!else
	sl_send_reply("200", "OK");
#!endif
}
`})
	for _, port := range []int{d.port, extra} {
		c, err := sipclient.DialUDP(netip.AddrPortFrom(d.udpAddr().Addr(), uint16(port)))
		if err != nil {
			t.Fatal(err)
		}
		resp, err := c.Options(replyTimeout)
		c.Close()
		if err != nil {
			t.Fatalf("port %d: %v; output:\n%s", port, err, d.output())
		}
		if resp.StatusCode != 404 || resp.Reason != "Defined" {
			t.Errorf("port %d answered %d %s, want 404 Defined (-A ANSWER_404)", port, resp.StatusCode, resp.Reason)
		}
	}
	d.stop(t)
}

// TestTCPFraming sends requests over TCP cut into pieces, two in one write,
// with CRLFs between them, and then a message that breaks the framing
// (negative Content-Length): the good ones are answered in order, the bad
// one closes the connection, and the daemon keeps serving.
func TestTCPFraming(t *testing.T) {
	d := startDaemon(t, config{script: statelessScript})
	c := d.tcpClient(t)
	var reqs [][]byte
	var ids []string
	for range 3 {
		f := c.NewRequest("OPTIONS")
		f.Body = "body that the framer must skip"
		f.Extra = []string{"Content-Type: text/plain"}
		b, err := sipclient.Build(sipclient.RequestTemplate, f)
		if err != nil {
			t.Fatal(err)
		}
		reqs, ids = append(reqs, b), append(ids, f.CallID)
	}
	// The first request byte-group by byte-group, then the other two and a
	// CRLF in one write.
	first := reqs[0]
	for i := 0; i < len(first); i += 37 {
		if err := c.Send(first[i:min(i+37, len(first))]); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Millisecond)
	}
	if err := c.Send(bytes.Join([][]byte{reqs[1], []byte("\r\n"), reqs[2]}, nil)); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(replyTimeout)
	for _, id := range ids {
		resp, _, err := c.Read(deadline)
		if err != nil {
			t.Fatalf("waiting for the reply to %s: %v; output:\n%s", id, err, d.output())
		}
		if resp.StatusCode != 200 || resp.CallID() != id {
			t.Errorf("reply %d for %q, want 200 for %q (in order)", resp.StatusCode, resp.CallID(), id)
		}
	}

	ncl, err := os.ReadFile(filepath.Join(tortureDir, "rfc4475", "ncl.dat"))
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Send(ncl); err != nil {
		t.Fatal(err)
	}
	if m, _, err := c.Read(time.Now().Add(replyTimeout)); err == nil {
		t.Errorf("Content-Length -999 over TCP was answered:\n%s", m.Raw)
	} else if sipclient.IsTimeout(err) {
		t.Errorf("the connection stayed open after Content-Length -999: %v", err)
	}
	d.alive(t)
	d.stop(t)
}

// TestUDPGarbage sends datagrams that are not SIP (without nosip loaded),
// an oversized request and a request that only the first 100 bytes of
// arrived: none is answered and the daemon keeps serving.
func TestUDPGarbage(t *testing.T) {
	d := startDaemon(t, config{children: 1, noTCP: true, script: statelessScript})
	c := d.udpClient(t)
	big := c.NewRequest("OPTIONS")
	big.Extra = []string{"X-Padding: " + strings.Repeat("p", 65000)}
	bigReq, err := sipclient.Build(sipclient.RequestTemplate, big)
	if err != nil {
		t.Fatal(err)
	}
	cut, err := sipclient.Build(sipclient.RequestTemplate, c.NewRequest("OPTIONS"))
	if err != nil {
		t.Fatal(err)
	}
	garbage := [][]byte{
		{0},
		make([]byte, 1000),
		[]byte("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"),
		bytes.Repeat([]byte{0xff, 0xc0, 0x80}, 300),
		[]byte("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03 a TLS ClientHello on the SIP port"),
		bigReq[:min(len(bigReq), 65507)],
		cut[:100],
	}
	for _, g := range garbage {
		if err := c.Send(g); err != nil {
			t.Fatal(err)
		}
	}
	// The socket is read in order by the one worker: the OPTIONS goes
	// after the garbage, and only its reply may come back.
	f := c.NewRequest("OPTIONS")
	b, err := sipclient.Build(sipclient.RequestTemplate, f)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Send(b); err != nil {
		t.Fatal(err)
	}
	datagram, _, err := c.ReadDatagram(time.Now().Add(replyTimeout))
	if err != nil {
		t.Fatalf("no reply after the garbage: %v; output:\n%s", err, d.output())
	}
	resp, err := sipclient.Parse(datagram)
	if err != nil || resp.CallID() != f.CallID {
		t.Errorf("garbage was answered: %q", datagram)
	}
	d.stop(t)
}

// TestTCPTimeout lets a connection sit idle past tcp_connection_lifetime
// (1 s): the daemon closes it and runs event_route[tcp:timeout].
func TestTCPTimeout(t *testing.T) {
	d := startDaemon(t, config{script: "tcp_connection_lifetime=1\n" + statelessScript + `
event_route[tcp:timeout] {
	xlog("L_INFO", "event tcp:timeout conid=$conid from $si:$sp\n");
}
`})
	c := d.tcpClient(t)
	if _, err := c.Options(replyTimeout); err != nil {
		t.Fatalf("%v; output:\n%s", err, d.output())
	}
	start := time.Now()
	line := d.waitLog(t, fmt.Sprintf(" from 127.0.0.1:%d", c.LocalAddr().Port()), 5*time.Second)
	if !strings.Contains(line, "event tcp:timeout conid=") {
		t.Fatalf("the idle connection ended with %q, want event_route[tcp:timeout]", line)
	}
	if waited := time.Since(start); waited < 500*time.Millisecond {
		t.Errorf("tcp:timeout after %v of a 1 s lifetime", waited)
	}
	// The daemon closed the connection.
	if _, err := c.ReadRaw(1, time.Now().Add(replyTimeout)); err == nil || sipclient.IsTimeout(err) {
		t.Errorf("the connection is still open after its lifetime: %v", err)
	}
	d.stop(t)
}

// TestTCPCoreLimits: tcp_rd_buf_size bounds a TCP message (a longer one
// closes the connection, a longer-than-default one within it is served)
// and tcp_accept_no_cl lets a request without Content-Length through, as
// Kamailio 5.6.3 does with the same settings.
func TestTCPCoreLimits(t *testing.T) {
	d := startDaemon(t, config{script: "tcp_rd_buf_size=32768\ntcp_accept_no_cl=yes\n" + statelessScript})
	options := func(c *sipclient.Client, body int) []byte {
		f := c.NewRequest("OPTIONS")
		f.Body = strings.Repeat("b", body)
		f.Extra = []string{"Content-Type: text/plain"}
		b, err := sipclient.Build(sipclient.RequestTemplate, f)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	tests := []struct {
		name     string
		msg      func(c *sipclient.Client) []byte
		answered bool
	}{
		{"17000-byte body within tcp_rd_buf_size", func(c *sipclient.Client) []byte { return options(c, 17000) }, true},
		{"33000-byte body beyond it", func(c *sipclient.Client) []byte { return options(c, 33000) }, false},
		{"no Content-Length", func(c *sipclient.Client) []byte {
			b := bytes.Replace(options(c, 0), []byte("Content-Length: 0\r\n"), nil, 1)
			if bytes.Contains(b, []byte("Content-Length")) {
				t.Fatalf("the request still has a Content-Length:\n%s", b)
			}
			return b
		}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := d.tcpClient(t)
			msg := tc.msg(c)
			if err := c.Send(msg); err != nil {
				t.Fatal(err)
			}
			m, _, err := c.Read(time.Now().Add(replyTimeout))
			switch {
			case tc.answered && (err != nil || m.StatusCode != 200):
				t.Fatalf("want 200, got %v; output:\n%s", err, d.output())
			case !tc.answered && err == nil:
				t.Fatalf("answered %d, want the connection closed", m.StatusCode)
			case !tc.answered && sipclient.IsTimeout(err):
				t.Fatalf("the connection stayed open: %v", err)
			}
		})
	}
	d.alive(t)
	d.stop(t)
}
