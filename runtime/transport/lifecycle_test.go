package transport

import (
	"context"
	"errors"
	"io"
	"net"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kamgo/kamgo/pv"
	"github.com/kamgo/kamgo/runtime/logging"
)

// blockOn makes Receive block for messages containing marker until
// release is closed; entered gets one value per blocked call.
func blockOn(h *hub, marker string) (entered chan struct{}, release chan struct{}) {
	entered, release = make(chan struct{}, 16), make(chan struct{})
	h.onReceive = func(p *Packet) {
		if strings.Contains(string(p.Data), marker) {
			entered <- struct{}{}
			select {
			case <-release:
			case <-time.After(testWait):
			}
		}
	}
	return entered, release
}

func waitChan(t *testing.T, ch <-chan struct{}, what string) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(testWait):
		t.Fatalf("timed out waiting for %s", what)
	}
}

func TestShutdownWaitsForReceive(t *testing.T) {
	h := newHub()
	entered, release := blockOn(h, "block")
	tr := startTransport(t, Config{}, h)
	c := dialTCP(t, tr)
	write(t, c, sipMsg("block", ""))
	waitChan(t, entered, "Receive to start")
	h.nextMsg(t)

	done := make(chan error, 1)
	go func() { done <- tr.Shutdown(context.Background()) }()
	select {
	case err := <-done:
		t.Fatalf("Shutdown returned (%v) while a Receive was running", err)
	case <-time.After(100 * time.Millisecond):
	}
	close(release)
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Shutdown: %v", err)
		}
	case <-time.After(testWait):
		t.Fatal("Shutdown did not return")
	}
	if _, err := io.ReadAll(c); err != nil {
		t.Fatalf("client read after shutdown: %v", err)
	}
	if tr.Conns().Len() != 0 {
		t.Fatal("connections left after Shutdown")
	}
	h.noEvent(t)
	if _, err := tr.Send(Dest{Proto: pv.ProtoUDP, Addr: c.LocalAddr().(*net.TCPAddr).AddrPort()}, []byte("x")); !errors.Is(err, ErrStopped) {
		t.Fatalf("Send after Shutdown: %v", err)
	}
	// The sockets are closed: their ports can be bound again.
	for _, s := range tr.Sockets() {
		network := "udp"
		if s.Proto == pv.ProtoTCP {
			network = "tcp"
		}
		var err error
		var closer io.Closer
		if network == "udp" {
			closer, err = net.ListenPacket(network, s.Addr.String())
		} else {
			closer, err = net.Listen(network, s.Addr.String())
		}
		if err != nil {
			t.Fatalf("rebinding %s %s: %v", network, s.Addr, err)
		}
		_ = closer.Close()
	}
	if err := tr.Shutdown(context.Background()); err != nil {
		t.Fatalf("second Shutdown: %v", err)
	}
}

func TestShutdownBoundedByContext(t *testing.T) {
	h := newHub()
	entered, release := blockOn(h, "block")
	defer close(release)
	tr := startTransport(t, Config{}, h)
	client := udpClient(t, "udp4", "127.0.0.1:0")
	if _, err := client.WriteToUDPAddrPort([]byte(sipMsg("block", "")), tr.socketOf(pv.ProtoUDP).Addr); err != nil {
		t.Fatal(err)
	}
	waitChan(t, entered, "Receive to start")
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if err := tr.Shutdown(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Shutdown = %v, want deadline exceeded", err)
	}
}

func TestStartBindError(t *testing.T) {
	busy, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	h := newHub()
	tr, err := New(Config{
		Sockets: []Socket{
			{Proto: pv.ProtoUDP, Addr: loop4},
			{Proto: pv.ProtoTCP, Addr: busy.Addr().(*net.TCPAddr).AddrPort(), Name: "busy"},
		},
		NewReceiver: h.newReceiver,
	})
	if err != nil {
		t.Fatal(err)
	}
	err = tr.Start()
	if err == nil || !strings.Contains(err.Error(), busy.Addr().String()) {
		t.Fatalf("Start = %v, want a bind error naming %s", err, busy.Addr())
	}
	// The UDP socket opened before the failure was closed again.
	u := tr.Sockets()[0]
	if u.Addr.Port() == 0 {
		t.Fatal("UDP socket was not bound first")
	}
	pc, err := net.ListenPacket("udp4", u.Addr.String())
	if err != nil {
		t.Fatalf("UDP socket left open: %v", err)
	}
	_ = pc.Close()
}

func TestNewValidates(t *testing.T) {
	rcv := func(string) Receiver { return nil }
	udp := []Socket{{Proto: pv.ProtoUDP, Addr: loop4}}
	tests := []struct {
		name string
		cfg  Config
	}{
		{"no receiver", Config{Sockets: udp}},
		{"no sockets", Config{NewReceiver: rcv}},
		{"bad proto", Config{NewReceiver: rcv, Sockets: []Socket{{Proto: pv.ProtoSCTP, Addr: loop4}}}},
		{"bad addr", Config{NewReceiver: rcv, Sockets: []Socket{{Proto: pv.ProtoUDP}}}},
		{"negative workers", Config{NewReceiver: rcv, Sockets: udp, UDPWorkers: -1}},
		{"huge msg size", Config{NewReceiver: rcv, Sockets: udp, MaxMsgSize: 1 << 20}},
		{"negative timeout", Config{NewReceiver: rcv, Sockets: udp, TCP: TCPOptions{SendTimeout: -1}}},
	}
	for _, tc := range tests {
		if _, err := New(tc.cfg); err == nil {
			t.Errorf("%s: New accepted %+v", tc.name, tc.cfg)
		}
	}
	tr, err := New(Config{NewReceiver: rcv, Sockets: udp})
	if err != nil {
		t.Fatal(err)
	}
	o := tr.cfg.TCP
	if tr.cfg.MaxMsgSize != 32767 || o.MaxConnections != 2048 || o.Lifetime != 120*time.Second ||
		o.ReadTimeout != 20*time.Second || o.SendTimeout != 10*time.Second || o.MaxQueued != 32 ||
		o.LocalWriteTimeout != 10*time.Millisecond || o.ConnectTimeout != 10*time.Second {
		t.Fatalf("defaults not applied: %+v size %d", o, tr.cfg.MaxMsgSize)
	}
}

func TestReceiverPanicIsContained(t *testing.T) {
	h := newHub()
	h.onReceive = func(p *Packet) {
		if strings.Contains(string(p.Data), "panic") {
			panic("receiver bug")
		}
	}
	var logBuf lockedBuffer
	tr := startTransport(t, Config{UDPWorkers: 1, TCPWorkers: 1, Log: testLogger(&logBuf, logging.LErr)}, h)
	client := udpClient(t, "udp4", "127.0.0.1:0")
	c := dialTCP(t, tr)
	for _, m := range []string{sipMsg("panic", ""), sipMsg("fine", "")} {
		if _, err := client.WriteToUDPAddrPort([]byte(m), tr.socketOf(pv.ProtoUDP).Addr); err != nil {
			t.Fatal(err)
		}
		write(t, c, m)
	}
	seen := map[string]int{}
	for range 4 {
		g := h.nextMsg(t)
		seen[g.data]++
	}
	if seen[sipMsg("fine", "")] != 2 {
		t.Fatalf("messages after the panic not handled: %v", seen)
	}
	if !containsAll(logBuf.String(), "receiver bug", "panicked", "goroutine") {
		t.Fatalf("panic not logged with its stack: %s", logBuf.String())
	}
}

// TestTCPWorkerLimit: with one TCP worker busy, a message on another
// connection waits for it (tcp_children).
func TestTCPWorkerLimit(t *testing.T) {
	h := newHub()
	entered, release := blockOn(h, "block")
	tr := startTransport(t, Config{TCPWorkers: 1}, h)
	c1, c2 := dialTCP(t, tr), dialTCP(t, tr)
	write(t, c1, sipMsg("block", ""))
	waitChan(t, entered, "Receive to start")
	h.nextMsg(t)
	second := sipMsg("second", "")
	write(t, c2, second)
	select {
	case g := <-h.msgs:
		t.Fatalf("%q handled while the only worker was busy", g.data)
	case <-time.After(100 * time.Millisecond):
	}
	close(release)
	if g := h.nextMsg(t); g.data != second {
		t.Fatalf("got %q", g.data)
	}
}

// fillPeer sends big messages to a peer that never reads until Send
// fails; it returns that error.
func fillPeer(t *testing.T, tr *Transport, id ConnID) error {
	t.Helper()
	chunk := []byte(strings.Repeat("x", 256<<10))
	for range 400 { // 100 MiB: far beyond any loopback buffer
		if _, err := tr.Send(Dest{Proto: pv.ProtoTCP, ConnID: id}, chunk); err != nil {
			return err
		}
	}
	t.Fatal("sends to a peer that does not read never failed")
	return nil
}

func TestTCPAsyncQueueFull(t *testing.T) {
	h := newHub()
	opts := DefaultTCPOptions()
	opts.MaxQueued = 2
	tr := startTransport(t, Config{TCP: opts}, h)
	c := dialTCP(t, tr)
	_ = c.SetReadBuffer(4096)
	write(t, c, sipMsg("q", ""))
	id := h.nextMsg(t).conn
	if err := fillPeer(t, tr, id); !errors.Is(err, ErrQueueFull) {
		t.Fatalf("Send = %v, want ErrQueueFull", err)
	}
	ev := h.nextEvent(t)
	if ev.Reason != CloseError || ev.Conn.State != StateBad || !errors.Is(ev.Err, ErrQueueFull) {
		t.Fatalf("event %+v", ev)
	}
}

func TestTCPSyncSendTimeout(t *testing.T) {
	h := newHub()
	opts := DefaultTCPOptions()
	opts.Async = false
	opts.SendTimeout = 100 * time.Millisecond
	tr := startTransport(t, Config{TCP: opts}, h)
	c := dialTCP(t, tr)
	_ = c.SetReadBuffer(4096)
	write(t, c, sipMsg("st", ""))
	id := h.nextMsg(t).conn
	if err := fillPeer(t, tr, id); !errors.Is(err, context.DeadlineExceeded) && !strings.Contains(err.Error(), "timeout") {
		t.Fatalf("Send = %v, want a timeout", err)
	}
	ev := h.nextEvent(t)
	if ev.Reason != CloseTimeout || tr.Conns().State(id) != StateNone {
		t.Fatalf("event %+v", ev)
	}
}

// TestTCPAsyncSlowPeerDrains: data queued behind a slow peer arrives
// complete and in order once the peer reads.
func TestTCPAsyncSlowPeerDrains(t *testing.T) {
	h := newHub()
	opts := DefaultTCPOptions()
	opts.MaxQueued, opts.ConnQueueMax, opts.QueueMax = 1000, 32<<20, 32<<20
	tr := startTransport(t, Config{TCP: opts}, h)
	c := dialTCP(t, tr)
	write(t, c, sipMsg("drain", ""))
	id := h.nextMsg(t).conn
	var want strings.Builder
	// 16 MiB: more than the loopback socket buffers hold, so later sends
	// are queued.
	for i := range 256 {
		chunk := strings.Repeat(string(rune('a'+i%26)), 64<<10)
		want.WriteString(chunk)
		if _, err := tr.Send(Dest{Proto: pv.ProtoTCP, ConnID: id}, []byte(chunk)); err != nil {
			t.Fatalf("Send %d: %v", i, err)
		}
	}
	conn := tr.Conns().get(id)
	conn.wmu.Lock()
	queued := conn.writerActive
	conn.wmu.Unlock()
	if !queued {
		t.Fatal("the writes never went through the queue")
	}
	if got := readN(t, c, want.Len()); got != want.String() {
		t.Fatal("peer received the data corrupted or out of order")
	}
	if tr.Conns().State(id) != StateOK {
		t.Fatalf("state %d", tr.Conns().State(id))
	}
}

// TestShutdownLeavesNoGoroutines: every reader, accept loop, writer and
// event delivery ends with Shutdown.
func TestShutdownLeavesNoGoroutines(t *testing.T) {
	base := runtime.NumGoroutine()
	h := newHub()
	tr, err := New(Config{
		Sockets:     []Socket{{Proto: pv.ProtoUDP, Addr: loop4}, {Proto: pv.ProtoTCP, Addr: loop4}},
		NewReceiver: h.newReceiver,
		TCP:         DefaultTCPOptions(),
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := tr.Start(); err != nil {
		t.Fatal(err)
	}
	c := dialTCP(t, tr)
	write(t, c, sipMsg("in", ""))
	h.nextMsg(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	if _, err := tr.Send(Dest{Proto: pv.ProtoTCP, Addr: ln.Addr().(*net.TCPAddr).AddrPort()}, []byte(sipMsg("out", ""))); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "two connections", func() bool { return tr.Conns().Len() == 2 })
	ctx, cancel := context.WithTimeout(context.Background(), testWait)
	defer cancel()
	if err := tr.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "goroutines to end", func() bool { return runtime.NumGoroutine() <= base })
}

// TestShutdownFinishesReadMessages: messages read before Shutdown began
// are handled even when they wait for a busy TCP worker, with and without
// parallel handling.
func TestShutdownFinishesReadMessages(t *testing.T) {
	for _, parallel := range []bool{false, true} {
		t.Run(map[bool]string{false: "serial", true: "parallel"}[parallel], func(t *testing.T) {
			h := newHub()
			release := make(chan struct{})
			var once sync.Once
			h.onReceive = func(p *Packet) {
				once.Do(func() { <-release }) // the first message holds the only worker
			}
			opts := DefaultTCPOptions()
			opts.ParallelHandling = parallel
			tr := startTransport(t, Config{TCPWorkers: 1, TCP: opts}, h)
			c := dialTCP(t, tr)
			first, second := sipMsg("first", ""), sipMsg("second", "")
			write(t, c, first+second)
			g := h.nextMsg(t)
			if parallel && g.data == second {
				// Parallel handling may hand the second message over first.
				first, second = second, first
			}
			if g.data != first {
				close(release)
				t.Fatalf("got %q", g.data)
			}
			done := make(chan error, 1)
			go func() {
				ctx, cancel := context.WithTimeout(context.Background(), testWait)
				defer cancel()
				done <- tr.Shutdown(ctx)
			}()
			waitFor(t, "shutdown started", tr.isStopping)
			close(release)
			if g := h.nextMsg(t); g.data != second {
				t.Fatalf("got %q, want the second message", g.data)
			}
			if err := <-done; err != nil {
				t.Fatalf("Shutdown: %v", err)
			}
		})
	}
}
