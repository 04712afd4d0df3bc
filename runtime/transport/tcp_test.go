package transport

import (
	"errors"
	"io"
	"net"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/kamgo/kamgo/pv"
	"github.com/kamgo/kamgo/runtime/logging"
	"golang.org/x/sys/unix"
)

func TestTCPFraming(t *testing.T) {
	m1, m2 := sipMsg("one", "body-1"), sipMsg("two", "")
	tests := []struct {
		name   string
		writes []string
		want   []string
	}{
		{"two messages in one write", []string{m1 + m2}, []string{m1, m2}},
		{"message split in single bytes", strings.Split(m1, ""), []string{m1}},
		{"CRLF between messages", []string{m1 + "\r\n", "\r\n" + m2}, []string{m1, m2}},
		{"message split across header and body", []string{m1[:20], m1[20 : len(m1)-3], m1[len(m1)-3:] + m2[:5], m2[5:]}, []string{m1, m2}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newHub()
			tr := startTransport(t, Config{}, h)
			c := dialTCP(t, tr)
			_ = c.SetNoDelay(true)
			for _, w := range tc.writes {
				write(t, c, w)
			}
			var id ConnID
			for i, want := range tc.want {
				g := h.nextMsg(t)
				if g.data != want {
					t.Fatalf("message %d = %q, want %q", i, g.data, want)
				}
				if !strings.HasPrefix(g.worker, "tcp receiver child=") || g.conn == 0 || g.sock != tr.socketOf(pv.ProtoTCP) {
					t.Fatalf("packet %+v", g)
				}
				if g.src != c.LocalAddr().(*net.TCPAddr).AddrPort() {
					t.Fatalf("src %s, client %s", g.src, c.LocalAddr())
				}
				if id != 0 && g.conn != id {
					t.Fatalf("conn id changed %d -> %d", id, g.conn)
				}
				id = g.conn
			}
			info, ok := tr.Conns().Get(id)
			if !ok || info.State != StateOK || info.Outgoing || info.Remote != c.LocalAddr().(*net.TCPAddr).AddrPort() ||
				info.Lifetime != DefaultLifetime || !info.Deadline.After(info.LastActive) || !info.Keepalive.Enabled {
				t.Fatalf("conn info %+v %v", info, ok)
			}
		})
	}
}

func TestTCPCRLFPing(t *testing.T) {
	h := newHub()
	tr := startTransport(t, Config{}, h)
	c := dialTCP(t, tr)
	write(t, c, "\r\n\r\n")
	if got := readN(t, c, 2); got != "\r\n" {
		t.Fatalf("pong %q", got)
	}
	// The connection still carries messages after a ping.
	m := sipMsg("after-ping", "")
	write(t, c, m)
	if g := h.nextMsg(t); g.data != m {
		t.Fatalf("got %q", g.data)
	}
}

func TestTCPCRLFDrop(t *testing.T) {
	h := newHub()
	opts := DefaultTCPOptions()
	opts.CRLFDrop = true
	opts.MaxMsgChunks = 1
	tr := startTransport(t, Config{TCP: opts}, h)
	c := dialTCP(t, tr)
	_ = c.SetNoDelay(true)
	// Lone CRLF reads neither count as chunks nor break the stream.
	for range 3 {
		write(t, c, "\r\n")
		time.Sleep(10 * time.Millisecond)
	}
	m := sipMsg("crlfdrop", "")
	write(t, c, m)
	if g := h.nextMsg(t); g.data != m {
		t.Fatalf("got %q", g.data)
	}
}

// TestTCPConnectionEnds checks each way a connection can end, the event
// and the table afterwards.
func TestTCPConnectionEnds(t *testing.T) {
	tests := []struct {
		name      string
		opts      func(*TCPOptions)
		act       func(t *testing.T, c *net.TCPConn)
		reason    CloseReason
		state     ConnState
		peerSeesE bool // the peer's read ends (EOF or reset)
	}{
		{
			name:   "framing error",
			act:    func(t *testing.T, c *net.TCPConn) { write(t, c, "\x16\x03\x01\x02\x00garbage\r\n\r\n") },
			reason: CloseError, state: StateBad, peerSeesE: true,
		},
		{
			name:   "missing content-length",
			act:    func(t *testing.T, c *net.TCPConn) { write(t, c, "OPTIONS sip:a@b SIP/2.0\r\nVia: x\r\n\r\n") },
			reason: CloseError, state: StateBad, peerSeesE: true,
		},
		{
			name:   "peer close",
			act:    func(t *testing.T, c *net.TCPConn) { _ = c.Close() },
			reason: ClosePeer, state: StateEOF,
		},
		{
			name: "peer reset",
			act: func(t *testing.T, c *net.TCPConn) {
				_ = c.SetLinger(0)
				_ = c.Close()
			},
			reason: CloseReset, state: StateError,
		},
		{
			name:   "lifetime expiry",
			opts:   func(o *TCPOptions) { o.Lifetime = 150 * time.Millisecond },
			act:    func(t *testing.T, c *net.TCPConn) {},
			reason: CloseTimeout, state: StateError, peerSeesE: true,
		},
		{
			name:   "incomplete message read timeout",
			opts:   func(o *TCPOptions) { o.ReadTimeout = 150 * time.Millisecond },
			act:    func(t *testing.T, c *net.TCPConn) { write(t, c, "OPTIONS sip:a@b SIP/2.0\r\nVia: x") },
			reason: CloseTimeout, state: StateError, peerSeesE: true,
		},
		{
			name: "message in too many chunks",
			opts: func(o *TCPOptions) { o.MaxMsgChunks = 2 },
			act: func(t *testing.T, c *net.TCPConn) {
				m := sipMsg("chunks", "0123456789")
				for _, part := range []string{m[:10], m[10:20], m[20:30], m[30:]} {
					write(t, c, part)
					time.Sleep(20 * time.Millisecond) // separate reads
				}
			},
			reason: CloseError, state: StateBad, peerSeesE: true,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newHub()
			opts := DefaultTCPOptions()
			if tc.opts != nil {
				tc.opts(&opts)
			}
			var logBuf lockedBuffer
			tr := startTransport(t, Config{TCP: opts, Log: testLogger(&logBuf, logging.LDbg)}, h)
			c := dialTCP(t, tr)
			_ = c.SetNoDelay(true)
			// A first message proves the connection and gives its id.
			first := sipMsg("first", "")
			write(t, c, first)
			g := h.nextMsg(t)
			if g.data != first {
				t.Fatalf("first message %q", g.data)
			}
			id := g.conn
			tc.act(t, c)
			ev := h.nextEvent(t)
			if ev.Reason != tc.reason || ev.Conn.State != tc.state || ev.Conn.ID != id {
				t.Fatalf("event reason %d state %d id %d (err %v), want reason %d state %d id %d",
					ev.Reason, ev.Conn.State, ev.Conn.ID, ev.Err, tc.reason, tc.state, id)
			}
			if ev.Err == nil || ev.Conn.LastErr == "" {
				t.Fatalf("event without error: %+v", ev)
			}
			if st := tr.Conns().State(id); st != StateNone {
				t.Fatalf("State after close = %d", st)
			}
			if _, ok := tr.Conns().Get(id); ok || tr.Conns().Len() != 0 {
				t.Fatal("connection still in the table")
			}
			if tc.peerSeesE {
				if _, err := io.ReadAll(c); err != nil && !errors.Is(err, unix.ECONNRESET) {
					t.Fatalf("peer read: %v", err)
				}
			}
			h.noEvent(t) // exactly one event
			if !containsAll(logBuf.String(), "tcp connection accepted", "tcp connection closed") {
				t.Fatalf("debug log lacks the connection's life: %s", logBuf.String())
			}
		})
	}
}

func TestTCPMaxConnections(t *testing.T) {
	h := newHub()
	var logBuf lockedBuffer
	opts := DefaultTCPOptions()
	opts.MaxConnections = 2
	tr := startTransport(t, Config{TCP: opts, Log: testLogger(&logBuf, logging.LWarn)}, h)
	dialTCP(t, tr)
	dialTCP(t, tr)
	waitFor(t, "two connections", func() bool { return tr.Conns().Len() == 2 })
	third := dialTCP(t, tr)
	buf := make([]byte, 10)
	if n, err := third.Read(buf); err == nil {
		t.Fatalf("third connection read %q, want it closed", buf[:n])
	}
	if tr.Conns().Len() != 2 {
		t.Fatalf("Len = %d", tr.Conns().Len())
	}
	if !strings.Contains(logBuf.String(), "connection limit") {
		t.Fatalf("no warning logged: %s", logBuf.String())
	}
	// Outgoing connections count too.
	_, err := tr.Send(Dest{Proto: pv.ProtoTCP, Addr: netip.MustParseAddrPort("127.0.0.1:9")}, []byte("x"))
	if !errors.Is(err, ErrTooManyConns) {
		t.Fatalf("dial beyond the limit: %v", err)
	}
}

func TestTCPSendReusesIncoming(t *testing.T) {
	h := newHub()
	tr := startTransport(t, Config{}, h)
	c := dialTCP(t, tr)
	write(t, c, sipMsg("req", ""))
	g := h.nextMsg(t)

	reply := sipMsg("reply-by-id", "")
	id, err := tr.Send(Dest{Proto: pv.ProtoTCP, ConnID: g.conn}, []byte(reply))
	if err != nil || id != g.conn {
		t.Fatalf("Send by id = %d, %v", id, err)
	}
	if got := readN(t, c, len(reply)); got != reply {
		t.Fatalf("client got %q", got)
	}

	reply = sipMsg("reply-by-addr", "")
	id, err = tr.Send(Dest{Proto: pv.ProtoTCP, Addr: g.src, NoConnect: true}, []byte(reply))
	if err != nil || id != g.conn {
		t.Fatalf("Send by address = %d, %v", id, err)
	}
	if got := readN(t, c, len(reply)); got != reply {
		t.Fatalf("client got %q", got)
	}
	if found, ok := tr.Conns().Find(g.src); !ok || found != g.conn {
		t.Fatalf("Find = %d %v", found, ok)
	}

	// CloseAfter closes locally once written: the data arrives, then EOF,
	// and no event.
	id, err = tr.Send(Dest{Proto: pv.ProtoTCP, ConnID: g.conn, CloseAfter: true}, []byte(reply))
	if err != nil || id != g.conn {
		t.Fatalf("Send CloseAfter = %d, %v", id, err)
	}
	if rest, err := io.ReadAll(c); err != nil || string(rest) != reply {
		t.Fatalf("after CloseAfter read %q, %v", rest, err)
	}
	h.noEvent(t)
	if tr.Conns().State(g.conn) != StateNone {
		t.Fatal("connection still open after CloseAfter")
	}
	_, err = tr.Send(Dest{Proto: pv.ProtoTCP, ConnID: g.conn}, []byte(reply))
	if !errors.Is(err, ErrNoConn) {
		t.Fatalf("Send on a closed id: %v", err)
	}
}

func TestTCPSendDials(t *testing.T) {
	for _, async := range []bool{true, false} {
		name := "sync"
		if async {
			name = "async"
		}
		t.Run(name, func(t *testing.T) {
			h := newHub()
			opts := DefaultTCPOptions()
			opts.Async = async
			opts.Keepalive = Keepalive{Enabled: true, Idle: 7 * time.Second, Interval: 3 * time.Second, Count: 4}
			tr := startTransport(t, Config{TCP: opts}, h)
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			defer ln.Close()
			dst := ln.Addr().(*net.TCPAddr).AddrPort()

			req := sipMsg("out", "")
			id, err := tr.Send(Dest{Proto: pv.ProtoTCP, Addr: dst}, []byte(req))
			if err != nil || id == 0 {
				t.Fatalf("Send = %d, %v", id, err)
			}
			_ = ln.(*net.TCPListener).SetDeadline(time.Now().Add(testWait))
			peer, err := ln.Accept()
			if err != nil {
				t.Fatal(err)
			}
			defer peer.Close()
			_ = peer.SetDeadline(time.Now().Add(testWait))
			if got := readN(t, peer, len(req)); got != req {
				t.Fatalf("peer got %q", got)
			}
			// The local address is the TCP socket's IP.
			if ip := peer.RemoteAddr().(*net.TCPAddr).AddrPort().Addr().Unmap(); ip != tr.socketOf(pv.ProtoTCP).Addr.Addr() {
				t.Fatalf("connected from %s", ip)
			}
			reply := sipMsg("in", "r")
			write(t, peer, reply)
			g := h.nextMsg(t)
			if g.data != reply || g.conn != id || g.src != dst {
				t.Fatalf("reply %+v, want conn %d from %s", g, id, dst)
			}
			info, ok := tr.Conns().Get(id)
			if !ok || !info.Outgoing || info.State != StateOK || info.Remote != dst || info.Socket != tr.socketOf(pv.ProtoTCP) ||
				info.Local != peer.RemoteAddr().(*net.TCPAddr).AddrPort() || info.Keepalive != opts.Keepalive {
				t.Fatalf("info %+v", info)
			}
			// A second send to the address reuses the connection.
			id2, err := tr.Send(Dest{Proto: pv.ProtoTCP, Addr: dst}, []byte(req))
			if err != nil || id2 != id {
				t.Fatalf("second Send = %d, %v", id2, err)
			}
			if got := readN(t, peer, len(req)); got != req {
				t.Fatalf("peer got %q", got)
			}
			// Keepalive settings were applied to the dialed socket.
			c := tr.Conns().get(id)
			if ka := sockKeepalive(t, c.nc); ka != [4]int{1, 7, 3, 4} {
				t.Fatalf("keepalive %v", ka)
			}
		})
	}
}

func TestTCPSendDialFails(t *testing.T) {
	for _, async := range []bool{true, false} {
		h := newHub()
		opts := DefaultTCPOptions()
		opts.Async = async
		opts.LocalConnectTimeout = testWait
		tr := startTransport(t, Config{TCP: opts}, h)
		// A port nobody listens on: connect is refused at once.
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		dst := ln.Addr().(*net.TCPAddr).AddrPort()
		_ = ln.Close()
		if _, err := tr.Send(Dest{Proto: pv.ProtoTCP, Addr: dst}, []byte("x")); !errors.Is(err, unix.ECONNREFUSED) {
			t.Fatalf("async=%v: Send = %v, want connection refused", async, err)
		}
		ev := h.nextEvent(t)
		if ev.Reason != CloseError || !ev.Conn.Outgoing || tr.Conns().Len() != 0 {
			t.Fatalf("async=%v: event %+v", async, ev)
		}
	}
}

func TestTCPNoConnect(t *testing.T) {
	h := newHub()
	opts := DefaultTCPOptions()
	tr := startTransport(t, Config{TCP: opts}, h)
	dst := netip.MustParseAddrPort("127.0.0.1:9")
	if _, err := tr.Send(Dest{Proto: pv.ProtoTCP, Addr: dst, NoConnect: true}, []byte("x")); !errors.Is(err, ErrNoConnect) {
		t.Fatalf("Dest.NoConnect: %v", err)
	}
	opts.NoConnect = true
	tr2 := startTransport(t, Config{TCP: opts}, h)
	if _, err := tr2.Send(Dest{Proto: pv.ProtoTCP, Addr: dst}, []byte("x")); !errors.Is(err, ErrNoConnect) {
		t.Fatalf("TCPOptions.NoConnect: %v", err)
	}
	if _, err := tr2.Send(Dest{Proto: pv.ProtoTCP, ConnID: 12345}, []byte("x")); !errors.Is(err, ErrNoConn) {
		t.Fatalf("unknown id: %v", err)
	}
	if tr.Conns().Len()+tr2.Conns().Len() != 0 {
		t.Fatal("connections left")
	}
}

// sockKeepalive reads SO_KEEPALIVE, TCP_KEEPIDLE, TCP_KEEPINTVL and
// TCP_KEEPCNT from the socket.
func sockKeepalive(t *testing.T, nc *net.TCPConn) [4]int {
	t.Helper()
	got := getsockopts(t, rawConn(t, nc), [2]int{unix.SOL_SOCKET, unix.SO_KEEPALIVE}, [2]int{unix.IPPROTO_TCP, unix.TCP_KEEPIDLE},
		[2]int{unix.IPPROTO_TCP, unix.TCP_KEEPINTVL}, [2]int{unix.IPPROTO_TCP, unix.TCP_KEEPCNT})
	return [4]int(got)
}

func TestTCPSetKeepaliveAndTableOps(t *testing.T) {
	h := newHub()
	tr := startTransport(t, Config{}, h)
	c := dialTCP(t, tr)
	write(t, c, sipMsg("ka", ""))
	id := h.nextMsg(t).conn
	ct := tr.Conns()
	conn := ct.get(id)

	// Default: enabled, kernel timers.
	if ka := sockKeepalive(t, conn.nc); ka[0] != 1 {
		t.Fatalf("default keepalive %v", ka)
	}
	osKA := tr.osKeepalive
	if osKA.Idle < 0 || osKA.Interval < 0 || osKA.Count < 0 {
		t.Skip("kernel keepalive defaults unreadable")
	}
	tests := []struct {
		k    Keepalive
		want [4]int
	}{
		{Keepalive{Enabled: true, Idle: 30 * time.Second, Interval: 5 * time.Second, Count: 3}, [4]int{1, 30, 5, 3}},
		{Keepalive{Enabled: true, Idle: 2 * time.Second}, [4]int{1, 2, int(osKA.Interval / time.Second), osKA.Count}},
		{Keepalive{Enabled: false}, [4]int{0, 2, int(osKA.Interval / time.Second), osKA.Count}},
		{Keepalive{Enabled: true}, [4]int{1, int(osKA.Idle / time.Second), int(osKA.Interval / time.Second), osKA.Count}},
	}
	for _, tc := range tests {
		if err := ct.SetKeepalive(id, tc.k); err != nil {
			t.Fatal(err)
		}
		if ka := sockKeepalive(t, conn.nc); ka != tc.want {
			t.Fatalf("SetKeepalive(%+v): socket has %v, want %v", tc.k, ka, tc.want)
		}
		if info, _ := ct.Get(id); info.Keepalive != tc.k {
			t.Fatalf("recorded %+v", info.Keepalive)
		}
	}

	if err := ct.EnableClosedEvent(id); err != nil {
		t.Fatal(err)
	}
	if err := ct.SetLifetime(id, time.Hour); err != nil {
		t.Fatal(err)
	}
	info, _ := ct.Get(id)
	if !info.ClosedEvent || info.Lifetime != time.Hour || !info.Deadline.Equal(info.LastActive.Add(time.Hour)) {
		t.Fatalf("info %+v", info)
	}
	if l := ct.List(); len(l) != 1 || l[0].ID != id {
		t.Fatalf("List %+v", l)
	}

	// Shortening the lifetime takes effect on the blocked reader, and
	// the event carries the closed-event flag.
	if err := ct.SetLifetime(id, 50*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	ev := h.nextEvent(t)
	if ev.Reason != CloseTimeout || !ev.Conn.ClosedEvent {
		t.Fatalf("event %+v", ev)
	}

	for name, err := range map[string]error{
		"Close":             ct.Close(id),
		"SetLifetime":       ct.SetLifetime(id, time.Second),
		"SetKeepalive":      ct.SetKeepalive(id, Keepalive{}),
		"EnableClosedEvent": ct.EnableClosedEvent(id),
	} {
		if !errors.Is(err, ErrNoConn) {
			t.Errorf("%s on a closed id: %v", name, err)
		}
	}
}

func TestTCPLocalCloseNoEvent(t *testing.T) {
	h := newHub()
	tr := startTransport(t, Config{}, h)
	c := dialTCP(t, tr)
	write(t, c, sipMsg("lc", ""))
	id := h.nextMsg(t).conn
	if err := tr.Conns().Close(id); err != nil {
		t.Fatal(err)
	}
	if _, err := io.ReadAll(c); err != nil {
		t.Fatalf("peer read: %v", err)
	}
	h.noEvent(t)
	if tr.Conns().Len() != 0 {
		t.Fatal("table not empty")
	}
}

func TestTCPOrderedAndParallel(t *testing.T) {
	for _, parallel := range []bool{false, true} {
		h := newHub()
		opts := DefaultTCPOptions()
		opts.ParallelHandling = parallel
		tr := startTransport(t, Config{TCP: opts, TCPWorkers: 4}, h)
		c := dialTCP(t, tr)
		var all strings.Builder
		want := map[string]bool{}
		for i := range 20 {
			m := sipMsg("m"+string(rune('a'+i)), "")
			want[m] = true
			all.WriteString(m)
		}
		write(t, c, all.String())
		var order []string
		for range 20 {
			g := h.nextMsg(t)
			if !want[g.data] {
				t.Fatalf("unexpected %q", g.data)
			}
			delete(want, g.data)
			order = append(order, g.data)
		}
		if !parallel {
			for i, m := range order {
				if !strings.Contains(m, "sip:m"+string(rune('a'+i))+"@") {
					t.Fatalf("message %d out of order: %q", i, m)
				}
			}
		}
	}
}

// TestTCPFirstDataTimeout: an accepted connection that never sends
// anything is closed after the read timeout, with a timeout event.
func TestTCPFirstDataTimeout(t *testing.T) {
	h := newHub()
	opts := DefaultTCPOptions()
	opts.ReadTimeout = 150 * time.Millisecond
	tr := startTransport(t, Config{TCP: opts}, h)
	c := dialTCP(t, tr)
	ev := h.nextEvent(t)
	if ev.Reason != CloseTimeout {
		t.Fatalf("event %v (%v), want CloseTimeout", ev.Reason, ev.Err)
	}
	_ = c.SetReadDeadline(time.Now().Add(testWait))
	if n, err := c.Read(make([]byte, 8)); err == nil {
		t.Fatalf("the silent connection read %d bytes, want it closed", n)
	}
}

// TestTCPMaxConnsPerIP: one source address cannot take more than its share
// of connections; others are not affected by the count.
func TestTCPMaxConnsPerIP(t *testing.T) {
	h := newHub()
	var logBuf lockedBuffer
	opts := DefaultTCPOptions()
	opts.MaxConnsPerIP = 2
	tr := startTransport(t, Config{TCP: opts, Log: testLogger(&logBuf, logging.LWarn)}, h)
	a := dialTCP(t, tr)
	dialTCP(t, tr)
	waitFor(t, "two connections", func() bool { return tr.Conns().Len() == 2 })
	third := dialTCP(t, tr)
	_ = third.SetReadDeadline(time.Now().Add(testWait))
	if n, err := third.Read(make([]byte, 8)); err == nil {
		t.Fatalf("third connection from one address read %d bytes, want it closed", n)
	}
	if !strings.Contains(logBuf.String(), "per source address") {
		t.Fatalf("no warning logged: %s", logBuf.String())
	}
	// Closing one frees a place for the address.
	_ = a.Close()
	waitFor(t, "one connection left", func() bool { return tr.Conns().Len() == 1 })
	d := dialTCP(t, tr)
	write(t, d, sipMsg("after", ""))
	if g := h.nextMsg(t); !strings.Contains(g.data, "after") {
		t.Fatalf("got %q", g.data)
	}
}
