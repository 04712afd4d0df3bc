package transport

import (
	"errors"
	"net"
	"net/netip"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/kamgo/kamgo/pv"
	"golang.org/x/sys/unix"
)

// getsockopts reads integer socket options from rc's descriptor.
func getsockopts(t *testing.T, rc syscall.RawConn, opts ...[2]int) []int {
	t.Helper()
	out := make([]int, len(opts))
	var gerr error
	err := rc.Control(func(fd uintptr) {
		for i, o := range opts {
			if out[i], gerr = unix.GetsockoptInt(int(fd), o[0], o[1]); gerr != nil {
				return
			}
		}
	})
	if err != nil || gerr != nil {
		t.Fatalf("getsockopt: %v %v", err, gerr)
	}
	return out
}

func rawConn(t *testing.T, c interface {
	SyscallConn() (syscall.RawConn, error)
}) syscall.RawConn {
	t.Helper()
	rc, err := c.SyscallConn()
	if err != nil {
		t.Fatal(err)
	}
	return rc
}

// TestTCPStreamMessageLimit: a message longer than MaxStreamMsg closes
// the connection (Kamailio's tcp_rd_buf_size); one that fits is handled,
// even when it is longer than a datagram may be.
func TestTCPStreamMessageLimit(t *testing.T) {
	tests := []struct {
		name    string
		limit   int
		body    int
		handled bool
	}{
		{"fits the default", 0, 1000, true},
		{"longer than the limit", 2000, 3000, false},
		{"longer than a datagram, within the limit", 100 << 10, 80 << 10, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newHub()
			opts := DefaultTCPOptions()
			opts.MaxStreamMsg = tc.limit
			tr := startTransport(t, Config{TCP: opts}, h)
			c := dialTCP(t, tr)
			msg := sipMsg("big", strings.Repeat("b", tc.body))
			write(t, c, msg)
			if tc.handled {
				if g := h.nextMsg(t); g.data != msg {
					t.Fatalf("got %d bytes, want %d", len(g.data), len(msg))
				}
				return
			}
			ev := h.nextEvent(t)
			if ev.Reason != CloseError || ev.Conn.State != StateBad {
				t.Fatalf("event %+v", ev)
			}
		})
	}
}

// TestTCPAcceptNoCL: without Content-Length a message is cut at the end
// of its headers when AcceptNoCL is set (tcp_accept_no_cl), and the
// connection is closed otherwise.
func TestTCPAcceptNoCL(t *testing.T) {
	noCL := "OPTIONS sip:a@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.0.1:5999;branch=z9hG4bK-nocl\r\n" +
		"From: <sip:b@x>;tag=1\r\nTo: <sip:a@x>\r\nCall-ID: nocl\r\nCSeq: 1 OPTIONS\r\n\r\n"
	for _, accept := range []bool{true, false} {
		t.Run(map[bool]string{true: "accepted", false: "refused"}[accept], func(t *testing.T) {
			h := newHub()
			opts := DefaultTCPOptions()
			opts.AcceptNoCL = accept
			tr := startTransport(t, Config{TCP: opts}, h)
			c := dialTCP(t, tr)
			next := sipMsg("after", "x")
			write(t, c, noCL+next)
			if !accept {
				if ev := h.nextEvent(t); ev.Reason != CloseError {
					t.Fatalf("event %+v", ev)
				}
				return
			}
			for _, want := range []string{noCL, next} {
				if g := h.nextMsg(t); g.data != want {
					t.Fatalf("got %q, want %q", g.data, want)
				}
			}
		})
	}
}

// TestTCPQueueByteLimits: a connection whose queue would pass
// ConnQueueMax bytes, or all queues together QueueMax, is closed; the
// bytes it held are released.
func TestTCPQueueByteLimits(t *testing.T) {
	tests := []struct {
		name           string
		connMax, total int
		want           string
	}{
		{"per connection", 64 << 10, 0, "bytes queued, limit 65536"},
		{"all connections", 1 << 20, 48 << 10, "bytes queued on all connections, limit 49152"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newHub()
			opts := DefaultTCPOptions()
			opts.MaxQueued, opts.ConnQueueMax, opts.QueueMax = 100000, tc.connMax, tc.total
			tr := startTransport(t, Config{TCP: opts}, h)
			c := dialTCP(t, tr)
			_ = c.SetReadBuffer(4096)
			write(t, c, sipMsg("q", ""))
			id := h.nextMsg(t).conn
			chunk := []byte(strings.Repeat("x", 4<<10))
			var err error
			for range 100000 { // 400 MiB at most: far beyond the loopback buffers
				if _, err = tr.Send(Dest{Proto: pv.ProtoTCP, ConnID: id}, chunk); err != nil {
					break
				}
			}
			if !errors.Is(err, ErrQueueFull) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Send = %v, want ErrQueueFull with %q", err, tc.want)
			}
			if ev := h.nextEvent(t); ev.Conn.State != StateBad {
				t.Fatalf("event %+v", ev)
			}
			waitFor(t, "queued bytes released", func() bool { return tr.queuedBytes.Load() == 0 })
		})
	}
}

// TestTCPSocketOptions: the listening socket carries SO_REUSEPORT and
// TCP_DEFER_ACCEPT, connections TCP_LINGER2, outgoing ones TCP_SYNCNT,
// as the tcp_* core parameters ask; and outgoing connections start from
// SourceV4 (tcp_source_ipv4).
func TestTCPSocketOptions(t *testing.T) {
	h := newHub()
	opts := DefaultTCPOptions()
	opts.ReusePort, opts.DeferAccept, opts.Linger2, opts.SynCount = true, 3*time.Second, 7*time.Second, 4
	opts.SourceV4 = netip.MustParseAddr("127.0.0.2")
	tr := startTransport(t, Config{TCP: opts}, h)

	got := getsockopts(t, rawConn(t, tr.listeners[0].ln),
		[2]int{unix.SOL_SOCKET, unix.SO_REUSEPORT}, [2]int{unix.IPPROTO_TCP, unix.TCP_DEFER_ACCEPT})
	if got[0] != 1 || got[1] < 3 {
		t.Errorf("listener SO_REUSEPORT, TCP_DEFER_ACCEPT = %v, want 1, >= 3", got)
	}

	// Accepted (with TCP_DEFER_ACCEPT the connection shows once data comes).
	c := dialTCP(t, tr)
	write(t, c, sipMsg("in", ""))
	in := tr.Conns().get(h.nextMsg(t).conn)
	if got := getsockopts(t, rawConn(t, in.nc), [2]int{unix.IPPROTO_TCP, unix.TCP_LINGER2}); got[0] != 7 {
		t.Errorf("accepted TCP_LINGER2 = %d, want 7", got[0])
	}

	// Outgoing.
	id, peer := sendToNewPeer(t, tr)
	if from := peer.RemoteAddr().(*net.TCPAddr).AddrPort().Addr().Unmap(); from != opts.SourceV4 {
		t.Errorf("connected from %s, want %s", from, opts.SourceV4)
	}
	var nc *net.TCPConn
	waitFor(t, "outgoing connection", func() bool {
		if out := tr.Conns().get(id); out != nil {
			out.mu.Lock()
			nc = out.nc
			out.mu.Unlock()
		}
		return nc != nil
	})
	got = getsockopts(t, rawConn(t, nc), [2]int{unix.IPPROTO_TCP, unix.TCP_LINGER2}, [2]int{unix.IPPROTO_TCP, unix.TCP_SYNCNT})
	if got[0] != 7 || got[1] != 4 {
		t.Errorf("outgoing TCP_LINGER2, TCP_SYNCNT = %v, want 7, 4", got)
	}
}

// TestTCPSourceAddressFallback: a tcp_source_ipv4 that is not an address
// of this host does not stop connections: they start from the socket's
// address, as in Kamailio.
func TestTCPSourceAddressFallback(t *testing.T) {
	h := newHub()
	opts := DefaultTCPOptions()
	opts.SourceV4 = netip.MustParseAddr("192.0.2.77") // TEST-NET-1: not local
	tr := startTransport(t, Config{TCP: opts}, h)
	_, peer := sendToNewPeer(t, tr)
	if from := peer.RemoteAddr().(*net.TCPAddr).AddrPort().Addr().Unmap(); from != tr.socketOf(pv.ProtoTCP).Addr.Addr() {
		t.Errorf("connected from %s", from)
	}
}

// sendToNewPeer has tr connect to a new listener and send a message; it
// returns the connection's id and the peer's end.
func sendToNewPeer(t *testing.T, tr *Transport) (ConnID, net.Conn) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ln.Close() })
	id, err := tr.Send(Dest{Proto: pv.ProtoTCP, Addr: ln.Addr().(*net.TCPAddr).AddrPort()}, []byte(sipMsg("out", "")))
	if err != nil {
		t.Fatal(err)
	}
	_ = ln.(*net.TCPListener).SetDeadline(time.Now().Add(testWait))
	peer, err := ln.Accept()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = peer.Close() })
	return id, peer
}
