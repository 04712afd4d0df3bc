package transport

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kamgo/kamgo/pv"
	"github.com/kamgo/kamgo/runtime/logging"
	"github.com/rs/zerolog"
)

// testWait bounds every wait in these tests.
const testWait = 5 * time.Second

// got is one Receive call, copied out of the Packet.
type got struct {
	worker string
	data   string
	src    netip.AddrPort
	conn   ConnID
	sock   *Socket
}

// hub collects what the test Receivers see.
type hub struct {
	msgs   chan got
	events chan ConnEvent
	// onReceive, when set, runs inside Receive (after recording).
	onReceive func(p *Packet)
}

func newHub() *hub {
	return &hub{msgs: make(chan got, 1024), events: make(chan ConnEvent, 64)}
}

type hubReceiver struct {
	name string
	h    *hub
}

func (r *hubReceiver) Receive(p *Packet) {
	r.h.msgs <- got{worker: r.name, data: string(p.Data), src: p.Src, conn: p.ConnID, sock: p.Socket}
	if r.h.onReceive != nil {
		r.h.onReceive(p)
	}
}

func (r *hubReceiver) ConnClosed(ev *ConnEvent) { r.h.events <- *ev }

func (h *hub) newReceiver(name string) Receiver { return &hubReceiver{name: name, h: h} }

func (h *hub) nextMsg(t *testing.T) got {
	t.Helper()
	select {
	case g := <-h.msgs:
		return g
	case <-time.After(testWait):
		t.Fatal("no message received")
		return got{}
	}
}

func (h *hub) nextEvent(t *testing.T) ConnEvent {
	t.Helper()
	select {
	case ev := <-h.events:
		return ev
	case <-time.After(testWait):
		t.Fatal("no connection event")
		return ConnEvent{}
	}
}

// noEvent checks that no event arrives within a short while.
func (h *hub) noEvent(t *testing.T) {
	t.Helper()
	select {
	case ev := <-h.events:
		t.Fatalf("unexpected event %+v", ev)
	case <-time.After(100 * time.Millisecond):
	}
}

// lockedBuffer is a log sink safe for concurrent writers.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

var loop4 = netip.MustParseAddrPort("127.0.0.1:0")

// startTransport starts a transport on 127.0.0.1 (one UDP and one TCP
// socket unless cfg names sockets) and shuts it down at cleanup.
func startTransport(t *testing.T, cfg Config, h *hub) *Transport {
	t.Helper()
	if cfg.Sockets == nil {
		cfg.Sockets = []Socket{{Proto: pv.ProtoUDP, Addr: loop4}, {Proto: pv.ProtoTCP, Addr: loop4}}
	}
	if cfg.NewReceiver == nil {
		cfg.NewReceiver = h.newReceiver
	}
	if cfg.UDPWorkers == 0 {
		cfg.UDPWorkers = 2
	}
	if cfg.TCPWorkers == 0 {
		cfg.TCPWorkers = 2
	}
	if cfg.TCP == (TCPOptions{}) {
		cfg.TCP = DefaultTCPOptions()
	}
	tr, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	if err := tr.Start(); err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), testWait)
		defer cancel()
		if err := tr.Shutdown(ctx); err != nil {
			t.Errorf("Shutdown: %v", err)
		}
	})
	return tr
}

func (tr *Transport) socketOf(p pv.Proto) *Socket {
	for _, s := range tr.Sockets() {
		if s.Proto == p {
			return s
		}
	}
	return nil
}

// sipMsg builds a small request with body.
func sipMsg(tag, body string) string {
	return fmt.Sprintf("OPTIONS sip:%s@example.com SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.0.1;branch=z9hG4bK%s\r\n"+
		"Call-ID: %s\r\nCSeq: 1 OPTIONS\r\nContent-Length: %d\r\n\r\n%s", tag, tag, tag, len(body), body)
}

// dialTCP connects a test client to the transport's TCP socket.
func dialTCP(t *testing.T, tr *Transport) *net.TCPConn {
	t.Helper()
	c, err := net.DialTimeout("tcp", tr.socketOf(pv.ProtoTCP).Addr.String(), testWait)
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	t.Cleanup(func() { _ = c.Close() })
	tc := c.(*net.TCPConn)
	_ = tc.SetDeadline(time.Now().Add(testWait))
	return tc
}

func write(t *testing.T, c net.Conn, s string) {
	t.Helper()
	if _, err := c.Write([]byte(s)); err != nil {
		t.Fatalf("write: %v", err)
	}
}

// readN reads exactly n bytes from c.
func readN(t *testing.T, c net.Conn, n int) string {
	t.Helper()
	buf := make([]byte, n)
	for off := 0; off < n; {
		k, err := c.Read(buf[off:])
		if err != nil {
			t.Fatalf("read after %d of %d bytes (%.40q): %v", off, n, buf[:off], err)
		}
		off += k
	}
	return string(buf)
}

// waitFor polls cond until it holds or the test wait passes.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(testWait)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func testLogger(buf *lockedBuffer, level int) *logging.Logger {
	return logging.New(zerolog.New(buf), level)
}

func containsAll(s string, subs ...string) bool {
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			return false
		}
	}
	return true
}
