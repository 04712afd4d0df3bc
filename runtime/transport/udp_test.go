package transport

import (
	"errors"
	"net"
	"net/netip"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kamgo/kamgo/pv"
	"github.com/kamgo/kamgo/runtime/logging"
)

func udpClient(t *testing.T, network, addr string) *net.UDPConn {
	t.Helper()
	c, err := net.ListenPacket(network, addr)
	if err != nil {
		t.Fatalf("client socket: %v", err)
	}
	t.Cleanup(func() { _ = c.Close() })
	uc := c.(*net.UDPConn)
	_ = uc.SetDeadline(time.Now().Add(testWait))
	return uc
}

func TestUDPReceiveByWorkersAndSendBack(t *testing.T) {
	h := newHub()
	// Each Receive waits until three are in progress at once: that only
	// completes when three workers read the socket in parallel.
	var inside atomic.Int32
	allIn := make(chan struct{})
	h.onReceive = func(*Packet) {
		if inside.Add(1) == 3 {
			close(allIn)
		}
		select {
		case <-allIn:
		case <-time.After(testWait):
		}
	}
	tr := startTransport(t, Config{UDPWorkers: 3}, h)
	sock := tr.socketOf(pv.ProtoUDP)
	if sock.Addr.Port() == 0 {
		t.Fatal("Start did not fill in the UDP port")
	}
	client := udpClient(t, "udp4", "127.0.0.1:0")
	clientAddr := client.LocalAddr().(*net.UDPAddr).AddrPort()

	const n = 30
	for i := 0; i < n; i++ {
		if _, err := client.WriteToUDPAddrPort([]byte(sipMsg("u"+string(rune('a'+i%26)), "")), sock.Addr); err != nil {
			t.Fatal(err)
		}
	}
	workers := map[string]bool{}
	for i := 0; i < n; i++ {
		g := h.nextMsg(t)
		if g.src != clientAddr || g.sock != sock || g.conn != 0 || !strings.HasPrefix(g.data, "OPTIONS ") {
			t.Fatalf("bad packet %+v (client %s)", g, clientAddr)
		}
		if !strings.HasPrefix(g.worker, "udp receiver child=") {
			t.Fatalf("worker name %q", g.worker)
		}
		workers[g.worker] = true
	}
	udpWorkers := 0
	for _, w := range tr.Workers() {
		if strings.HasPrefix(w.Name, "udp receiver") {
			udpWorkers++
		}
	}
	if udpWorkers != 3 {
		t.Fatalf("Workers lists %d UDP workers, want 3: %v", udpWorkers, tr.Workers())
	}
	if len(workers) != 3 {
		t.Fatalf("datagrams handled by %d workers, want 3", len(workers))
	}
	select {
	case <-allIn:
	default:
		t.Fatal("three workers never handled datagrams at the same time")
	}

	reply := sipMsg("reply", "hello")
	id, err := tr.Send(Dest{Proto: pv.ProtoUDP, Addr: clientAddr}, []byte(reply))
	if err != nil || id != 0 {
		t.Fatalf("Send = %d, %v", id, err)
	}
	buf := make([]byte, 2000)
	k, from, err := client.ReadFromUDPAddrPort(buf)
	if err != nil {
		t.Fatal(err)
	}
	if string(buf[:k]) != reply || from != sock.Addr {
		t.Fatalf("client got %q from %s", buf[:k], from)
	}

	// A 4in6 destination goes out of the IPv4 socket.
	mapped := netip.AddrPortFrom(netip.AddrFrom16(clientAddr.Addr().As16()), clientAddr.Port())
	if _, err := tr.Send(Dest{Proto: pv.ProtoUDP, Addr: mapped}, []byte(reply)); err != nil {
		t.Fatalf("Send to %s: %v", mapped, err)
	}
	if k, _, err = client.ReadFromUDPAddrPort(buf); err != nil || string(buf[:k]) != reply {
		t.Fatalf("4in6 send: %q %v", buf[:k], err)
	}

	// No IPv6 UDP socket: an IPv6 destination has nothing to send from.
	_, err = tr.Send(Dest{Proto: pv.ProtoUDP, Addr: netip.MustParseAddrPort("[2001:db8::1]:5060")}, []byte(reply))
	if !errors.Is(err, ErrNoSocket) {
		t.Fatalf("IPv6 send without IPv6 socket: %v", err)
	}
}

func TestUDPDropsShortAndOversized(t *testing.T) {
	h := newHub()
	var logBuf lockedBuffer
	tr := startTransport(t, Config{MaxMsgSize: 200, Log: testLogger(&logBuf, logging.LWarn)}, h)
	addr := tr.socketOf(pv.ProtoUDP).Addr
	client := udpClient(t, "udp4", "127.0.0.1:0")
	valid := sipMsg("ok", "")
	for _, d := range []string{"short datagram", strings.Repeat("x", 31), sipMsg("big", strings.Repeat("b", 300)), valid} {
		if _, err := client.WriteToUDPAddrPort([]byte(d), addr); err != nil {
			t.Fatal(err)
		}
	}
	if g := h.nextMsg(t); g.data != valid {
		t.Fatalf("first delivered datagram is %q, want the valid one", g.data)
	}
	waitFor(t, "oversize log line", func() bool { return strings.Contains(logBuf.String(), "too big") })
}

func TestUDPIPv6(t *testing.T) {
	probe, err := net.ListenPacket("udp6", "[::1]:0")
	if err != nil {
		t.Skipf("no IPv6 loopback: %v", err)
	}
	_ = probe.Close()
	h := newHub()
	tr := startTransport(t, Config{Sockets: []Socket{
		{Proto: pv.ProtoUDP, Addr: loop4},
		{Proto: pv.ProtoUDP, Addr: netip.MustParseAddrPort("[::1]:0")},
	}}, h)
	var v6 *Socket
	for _, s := range tr.Sockets() {
		if s.Addr.Addr().Is6() {
			v6 = s
		}
	}
	client := udpClient(t, "udp6", "[::1]:0")
	msg := sipMsg("v6", "")
	if _, err := client.WriteToUDPAddrPort([]byte(msg), v6.Addr); err != nil {
		t.Fatal(err)
	}
	g := h.nextMsg(t)
	if g.data != msg || g.sock != v6 || !g.src.Addr().Is6() {
		t.Fatalf("got %+v", g)
	}
	// The reply picks the IPv6 socket by the destination's family.
	if _, err := tr.Send(Dest{Proto: pv.ProtoUDP, Addr: g.src}, []byte(msg)); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 1000)
	k, from, err := client.ReadFromUDPAddrPort(buf)
	if err != nil || string(buf[:k]) != msg || from != v6.Addr {
		t.Fatalf("reply %q from %s: %v", buf[:k], from, err)
	}
}

// countingReceiver counts datagrams and signals each on a channel; it
// allocates nothing.
type countingReceiver struct {
	n    atomic.Int64
	seen chan struct{}
}

func (r *countingReceiver) Receive(*Packet)       { r.n.Add(1); r.seen <- struct{}{} }
func (r *countingReceiver) ConnClosed(*ConnEvent) {}

func startCounting(tb testing.TB) (*Transport, *countingReceiver) {
	tb.Helper()
	rcv := &countingReceiver{seen: make(chan struct{}, 1)}
	tr, err := New(Config{
		Sockets:     []Socket{{Proto: pv.ProtoUDP, Addr: loop4}},
		UDPWorkers:  1,
		NewReceiver: func(string) Receiver { return rcv },
	})
	if err != nil {
		tb.Fatal(err)
	}
	if err := tr.Start(); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = tr.Shutdown(tb.Context()) })
	return tr, rcv
}

// TestUDPReceiveAllocs pins the receive path at zero allocations per
// datagram (sender and receiver together).
func TestUDPReceiveAllocs(t *testing.T) {
	tr, rcv := startCounting(t)
	client := udpClient(t, "udp4", "127.0.0.1:0")
	addr := tr.Sockets()[0].Addr
	msg := []byte(sipMsg("alloc", ""))
	// One timer, reset per datagram: time.After would allocate.
	timer := time.NewTimer(testWait)
	defer timer.Stop()
	roundTrip := func() {
		if _, err := client.WriteToUDPAddrPort(msg, addr); err != nil {
			t.Fatal(err)
		}
		timer.Reset(testWait)
		select {
		case <-rcv.seen:
		case <-timer.C:
			t.Fatal("datagram not received")
		}
	}
	roundTrip() // warm up
	if a := testing.AllocsPerRun(500, roundTrip); a != 0 {
		t.Fatalf("%v allocations per datagram, want 0", a)
	}
	if rcv.n.Load() != 502 { // warm-up + AllocsPerRun's own extra run + 500
		t.Fatalf("received %d datagrams, want 502", rcv.n.Load())
	}
}

func BenchmarkUDPReceive(b *testing.B) {
	tr, rcv := startCounting(b)
	c, err := net.ListenPacket("udp4", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	client := c.(*net.UDPConn)
	addr := tr.Sockets()[0].Addr
	msg := []byte(sipMsg("bench", strings.Repeat("x", 400)))
	b.SetBytes(int64(len(msg)))
	b.ReportAllocs()
	timer := time.NewTimer(testWait)
	defer timer.Stop()
	for b.Loop() {
		if _, err := client.WriteToUDPAddrPort(msg, addr); err != nil {
			b.Fatal(err)
		}
		timer.Reset(testWait)
		select {
		case <-rcv.seen:
		case <-timer.C:
			b.Fatal("datagram not received")
		}
	}
}
