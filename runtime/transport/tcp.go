package transport

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"os"
	"sync"
	"syscall"
	"time"

	"github.com/kamgo/kamgo/pv"
	"github.com/kamgo/kamgo/runtime/logging"
	"github.com/kamgo/kamgo/runtime/sip"
)

// conn is one TCP connection.
type conn struct {
	t  *Transport
	id ConnID

	// mu guards info, nc and closed. Lock order: wmu, then mu, then the
	// table's lock.
	mu     sync.Mutex
	info   ConnInfo
	nc     *net.TCPConn // nil while an outgoing connect is in progress
	closed bool

	// dialed is closed when an outgoing connect has ended (nc set, or
	// the connection closed); nil for accepted connections.
	dialed  chan struct{}
	dialErr error // why the connect failed; read after dialed is closed

	// wmu serialises writes and guards the queue. While writerActive the
	// queue writer (or the connecting dialer) owns the socket's write
	// side and new data is queued behind what it holds.
	wmu             sync.Mutex
	queue           [][]byte
	queued          int // bytes in queue
	writerActive    bool
	closeAfterFlush bool
}

// enqueue appends a copy of data to c's write queue, within MaxQueued
// messages, ConnQueueMax bytes for c and QueueMax bytes in all. c.wmu is
// held.
func (c *conn) enqueue(data []byte) error {
	o := &c.t.cfg.TCP
	switch {
	case len(c.queue) >= o.MaxQueued:
		return fmt.Errorf("transport: connection %d: %w (%d messages)", c.id, ErrQueueFull, o.MaxQueued)
	case c.queued+len(data) > o.ConnQueueMax:
		return fmt.Errorf("transport: connection %d: %w (%d bytes queued, limit %d)", c.id, ErrQueueFull, c.queued, o.ConnQueueMax)
	}
	if total := c.t.queuedBytes.Add(int64(len(data))); total > int64(o.QueueMax) {
		c.t.queuedBytes.Add(-int64(len(data)))
		return fmt.Errorf("transport: connection %d: %w (%d bytes queued on all connections, limit %d)", c.id, ErrQueueFull, total-int64(len(data)), o.QueueMax)
	}
	c.queue = append(c.queue, append([]byte(nil), data...))
	c.queued += len(data)
	return nil
}

// dequeue takes the first queued message; c.wmu is held.
func (c *conn) dequeue() []byte {
	b := c.queue[0]
	c.queue[0] = nil
	c.queue = c.queue[1:]
	c.queued -= len(b)
	c.t.queuedBytes.Add(-int64(len(b)))
	return b
}

// dropQueue forgets what is queued; c.wmu is held.
func (c *conn) dropQueue() {
	c.t.queuedBytes.Add(-int64(c.queued))
	c.queue, c.queued = nil, 0
}

func (t *Transport) newConn(sock *Socket, local, remote netip.AddrPort, outgoing bool, state ConnState) *conn {
	now := time.Now()
	o := &t.cfg.TCP
	return &conn{t: t, info: ConnInfo{
		Socket:     sock,
		Local:      unmapAddrPort(local),
		Remote:     unmapAddrPort(remote),
		Outgoing:   outgoing,
		State:      state,
		Created:    now,
		LastActive: now,
		Deadline:   now.Add(o.Lifetime),
		Lifetime:   o.Lifetime,
		Keepalive:  o.Keepalive,
	}}
}

func unmapAddrPort(ap netip.AddrPort) netip.AddrPort {
	return netip.AddrPortFrom(ap.Addr().Unmap(), ap.Port())
}

func tcpAddrPort(a net.Addr) netip.AddrPort {
	if ta, ok := a.(*net.TCPAddr); ok {
		return unmapAddrPort(ta.AddrPort())
	}
	return netip.AddrPort{}
}

func (c *conn) snapshot() ConnInfo {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.info
}

func (c *conn) isClosed() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.closed
}

// touch records traffic: the lifetime restarts from now.
func (c *conn) touch(now time.Time, read bool) {
	c.mu.Lock()
	c.info.LastActive = now
	c.info.Deadline = now.Add(c.info.Lifetime)
	if read && c.info.State == StateAccepting {
		c.info.State = StateOK
	}
	c.mu.Unlock()
}

// armReadDeadline sets the reader's deadline: the lifetime deadline, or
// the partial message's read timeout when earlier. It reports false when
// the reader must stop (connection closed, transport stopping).
func (c *conn) armReadDeadline(partialSince time.Time) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed || c.t.isStopping() {
		return false
	}
	d := c.info.Deadline
	if !partialSince.IsZero() {
		if pd := partialSince.Add(c.t.cfg.TCP.ReadTimeout); pd.Before(d) {
			d = pd
		}
	}
	return c.nc.SetReadDeadline(d) == nil
}

// expired reports whether the lifetime or the partial message's read
// timeout has passed.
func (c *conn) expired(now, partialSince time.Time) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !now.Before(c.info.Deadline) {
		return true
	}
	return !partialSince.IsZero() && !now.Before(partialSince.Add(c.t.cfg.TCP.ReadTimeout))
}

// unblockReader makes a blocked Read return at once (Shutdown).
func (c *conn) unblockReader(now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.nc != nil {
		_ = c.nc.SetReadDeadline(now)
	}
}

// classify maps the error that ended a connection to its reason and
// state (go-notes §4.2).
func classify(err error) (CloseReason, ConnState) {
	switch {
	case errors.Is(err, io.EOF):
		return ClosePeer, StateEOF
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE):
		return CloseReset, StateError
	case errors.Is(err, syscall.ETIMEDOUT), errors.Is(err, os.ErrDeadlineExceeded):
		return CloseTimeout, StateError
	default:
		return CloseError, StateError
	}
}

// closeConn ends c once: removes it from the table, closes the socket
// and drops queued data. It returns the event to deliver (nil for
// CloseLocal or when c was already closed).
func (t *Transport) closeConn(c *conn, reason CloseReason, state ConnState, err error) *ConnEvent {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return nil
	}
	c.closed = true
	if state != StateNone {
		c.info.State = state
	}
	if err != nil {
		c.info.LastErr = err.Error()
	}
	nc := c.nc
	info := c.info
	c.mu.Unlock()

	t.conns.remove(c)
	if nc != nil {
		_ = nc.Close()
	}
	// Queued data is dropped; the writer sees closed and stops. The
	// socket is closed first, so a write holding wmu returns at once.
	c.wmu.Lock()
	c.dropQueue()
	c.wmu.Unlock()
	if e := t.log.Event(logging.LDbg); e != nil {
		e.Int64("conid", int64(info.ID)).Str("remote", info.Remote.String()).Uint8("reason", uint8(reason)).
			AnErr("cause", err).Msg("transport: tcp connection closed")
	}
	if reason == CloseLocal {
		return nil
	}
	return &ConnEvent{Conn: info, Reason: reason, Err: err}
}

// fail closes c from a path that must not wait for a TCP worker (a
// sender may itself be one): the event goes out from a new goroutine.
func (t *Transport) fail(c *conn, reason CloseReason, state ConnState, err error) {
	if ev := t.closeConn(c, reason, state, err); ev != nil {
		t.goTracked(func() { t.deliver(ev) })
	}
}

// deliver hands ev to a TCP worker.
func (t *Transport) deliver(ev *ConnEvent) {
	rcv := t.takeWorker()
	if rcv == nil {
		return
	}
	t.safeConnClosed(rcv, ev)
	t.tcpPool <- rcv
}

// takeWorker waits for a free TCP worker; nil once Shutdown gave up.
func (t *Transport) takeWorker() Receiver {
	select {
	case r := <-t.tcpPool:
		return r
	case <-t.abandon:
		// Shutdown ran out of time; before that, a message already read
		// is handled (workers keep returning to the pool while stopping).
		return nil
	}
}

func (t *Transport) acceptLoop(l *tcpListener) {
	defer t.wg.Done()
	var backoff time.Duration
	for {
		nc, err := l.ln.AcceptTCP()
		if err != nil {
			if t.isStopping() || errors.Is(err, net.ErrClosed) {
				return
			}
			// EMFILE and friends: wait for descriptors to free up.
			backoff = min(max(2*backoff, 5*time.Millisecond), time.Second)
			if e := t.log.Event(logging.LErr); e != nil {
				e.Str("sock", l.sock.Addr.String()).Err(err).Msg("transport: tcp accept failed")
			}
			time.Sleep(backoff)
			continue
		}
		backoff = 0
		t.accepted(l, nc)
	}
}

func (t *Transport) accepted(l *tcpListener, nc *net.TCPConn) {
	c := t.newConn(l.sock, tcpAddrPort(nc.LocalAddr()), tcpAddrPort(nc.RemoteAddr()), false, StateAccepting)
	c.nc = nc
	if err := t.applyKeepalive(nc, c.info.Keepalive); err != nil {
		c.info.LastErr = err.Error()
		if e := t.log.Event(logging.LDbg); e != nil {
			e.Err(err).Msg("transport: tcp keepalive setup failed")
		}
	}
	id, err := t.conns.add(c, t.cfg.TCP.MaxConnections, t.cfg.TCP.MaxConnsPerIP)
	if err != nil {
		if e := t.log.Event(logging.LWarn); e != nil {
			e.Str("remote", c.info.Remote.String()).Err(err).
				Msg("transport: tcp connection refused, closing new connection")
		}
		_ = nc.Close()
		return
	}
	if e := t.log.Event(logging.LDbg); e != nil {
		e.Int64("conid", int64(id)).Str("remote", c.info.Remote.String()).Msg("transport: tcp connection accepted")
	}
	if !t.goTracked(func() { t.tcpRead(c) }) {
		t.closeConn(c, CloseLocal, StateNone, nil)
	}
}

// keepaliveConfig turns k into the socket settings; a zero field is the
// kernel default, read at New so that it can be restored.
func (t *Transport) keepaliveConfig(k Keepalive) net.KeepAliveConfig {
	kc := t.osKeepalive
	kc.Enable = true
	if k.Idle > 0 {
		kc.Idle = k.Idle
	}
	if k.Interval > 0 {
		kc.Interval = k.Interval
	}
	if k.Count > 0 {
		kc.Count = k.Count
	}
	return kc
}

func (t *Transport) applyKeepalive(nc *net.TCPConn, k Keepalive) error {
	if !k.Enabled {
		return nc.SetKeepAlive(false)
	}
	return nc.SetKeepAliveConfig(t.keepaliveConfig(k))
}

// readState tracks the message being assembled by a reader.
type readState struct {
	chunks       int       // reads that carried the current message
	partialSince time.Time // when its first bytes came; zero when idle
	// tail holds the last bytes of the stream: a buffer of only CR/LF
	// left after a message is not a message in progress.
	tail [3]byte
	nt   int
}

func (s *readState) push(data []byte) {
	for _, b := range data[max(0, len(data)-len(s.tail)):] {
		copy(s.tail[:], s.tail[1:])
		s.tail[len(s.tail)-1] = b
		s.nt = min(s.nt+1, len(s.tail))
	}
}

// inMessage reports whether the framer holds the start of a message
// (not just CRLFs that may become a keepalive).
func (s *readState) inMessage(fr *sip.Framer) bool {
	n := fr.Buffered()
	if n == 0 {
		return false
	}
	if n > s.nt {
		return true
	}
	for _, b := range s.tail[len(s.tail)-n:] {
		if b != '\r' && b != '\n' {
			return true
		}
	}
	return false
}

// tcpRead is a connection's reader: it frames the stream and hands each
// message to a TCP worker.
func (t *Transport) tcpRead(c *conn) {
	nc := c.nc
	buf := make([]byte, tcpReadBuf)
	fr := sip.Framer{Limits: sip.Limits{MaxSize: t.cfg.TCP.MaxStreamMsg}, AcceptNoCL: t.cfg.TCP.AcceptNoCL}
	pkt := &Packet{Socket: c.info.Socket, Src: c.info.Remote, ConnID: c.id}
	var st readState
	if !c.info.Outgoing {
		// An accepted connection must send its first bytes within the
		// read timeout, as a started message must complete in it.
		st.partialSince = c.info.Created
	}
	for {
		if !c.armReadDeadline(st.partialSince) {
			return
		}
		n, err := nc.Read(buf)
		if n > 0 {
			now := time.Now()
			c.touch(now, true)
			if !t.handleRead(c, &fr, pkt, buf[:n], now, &st) {
				return
			}
		}
		if err == nil {
			continue
		}
		if t.isStopping() || c.isClosed() {
			return
		}
		if errors.Is(err, os.ErrDeadlineExceeded) {
			if !c.expired(time.Now(), st.partialSince) {
				continue // the deadline moved (traffic, SetLifetime)
			}
			err = fmt.Errorf("connection %d idle or message incomplete too long: %w", c.id, err)
		}
		reason, state := classify(err)
		if ev := t.closeConn(c, reason, state, err); ev != nil {
			t.deliver(ev)
		}
		return
	}
}

// handleRead feeds one read to the framer and dispatches what completes.
// It reports false when the connection was closed.
func (t *Transport) handleRead(c *conn, fr *sip.Framer, pkt *Packet, data []byte, now time.Time, st *readState) bool {
	o := &t.cfg.TCP
	crlf := len(data) == 2 && data[0] == '\r' && data[1] == '\n'
	if !st.inMessage(fr) {
		if crlf && o.CRLFDrop {
			return true
		}
		st.chunks, st.partialSince = 0, now
	}
	if !crlf {
		st.chunks++
	}
	fr.Feed(data)
	st.push(data)
	for {
		msg, kind, err := fr.Next()
		if err != nil {
			t.closeBad(c, fmt.Errorf("connection %d: %w", c.id, err))
			return false
		}
		switch kind {
		case sip.FrameKeepalive:
			if o.CRLFPing {
				if err := c.send([]byte("\r\n"), false); err != nil {
					return false
				}
			}
			continue
		case sip.FrameMessage:
			if o.MaxMsgChunks > 0 && st.chunks > o.MaxMsgChunks {
				t.closeBad(c, fmt.Errorf("connection %d: message arrived in %d reads, limit %d", c.id, st.chunks, o.MaxMsgChunks))
				return false
			}
			pkt.Data, pkt.Received = msg, now
			ok := t.dispatch(pkt)
			pkt.Data = nil
			if !ok {
				return false
			}
			// What follows in this read starts the next message.
			st.chunks, st.partialSince = 1, now
			continue
		}
		break
	}
	if !st.inMessage(fr) {
		st.chunks, st.partialSince = 0, time.Time{}
	} else if o.MaxMsgChunks > 0 && st.chunks > o.MaxMsgChunks {
		t.closeBad(c, fmt.Errorf("connection %d: message needs more than %d reads", c.id, o.MaxMsgChunks))
		return false
	}
	return !c.isClosed()
}

// closeBad closes a connection whose stream broke the framing or the
// limits; the reader delivers the event itself.
func (t *Transport) closeBad(c *conn, err error) {
	if e := t.log.Event(logging.LDbg); e != nil {
		e.Err(err).Msg("transport: tcp stream rejected")
	}
	if ev := t.closeConn(c, CloseError, StateBad, err); ev != nil {
		t.deliver(ev)
	}
}

// dispatch runs a TCP worker's Receive on pkt. In order unless
// ParallelHandling, which copies the message so reading can go on.
func (t *Transport) dispatch(pkt *Packet) bool {
	if t.cfg.TCP.ParallelHandling {
		cp := *pkt
		cp.Data = append([]byte(nil), pkt.Data...)
		handle := func() {
			if rcv := t.takeWorker(); rcv != nil {
				t.safeReceive(rcv, &cp)
				t.tcpPool <- rcv
			}
		}
		if !t.goTracked(handle) {
			handle() // stopping: a message already read is still handled
		}
		return true
	}
	rcv := t.takeWorker()
	if rcv == nil {
		return false
	}
	t.safeReceive(rcv, pkt)
	t.tcpPool <- rcv
	return true
}

// sendTCP sends over the connection d names, an open one to d.Addr, or a
// new one.
func (t *Transport) sendTCP(d Dest, data []byte) (ConnID, error) {
	if d.ConnID != 0 {
		if c := t.conns.get(d.ConnID); c != nil {
			return c.id, c.send(data, d.CloseAfter)
		}
		if !d.Addr.IsValid() {
			return 0, errConnGone(d.ConnID)
		}
	}
	if !d.Addr.IsValid() {
		return 0, errors.New("transport: tcp send: no connection and no address")
	}
	if c := t.conns.findConn(d.Addr); c != nil {
		return c.id, c.send(data, d.CloseAfter)
	}
	if d.NoConnect || t.cfg.TCP.NoConnect {
		return 0, fmt.Errorf("transport: tcp send to %s: %w", d.Addr, ErrNoConnect)
	}
	return t.dial(d, data)
}

// tcpSocketFor picks the listen socket an outgoing connection to dst
// belongs to: from, when it is TCP, or the first of dst's family.
func (t *Transport) tcpSocketFor(from *Socket, dst netip.AddrPort) *Socket {
	if from != nil && from.Proto != pv.ProtoTCP {
		from = nil // e.g. the UDP socket a request came in on
	}
	for _, l := range t.listeners {
		if from != nil {
			if l.sock == from {
				return l.sock
			}
			continue
		}
		if l.sock.Addr.Addr().Is4() == dst.Addr().Is4() {
			return l.sock
		}
	}
	return nil
}

// dial opens a connection to d.Addr and sends data over it. With Async
// the connect runs in the background: Send waits LocalConnectTimeout
// for it, then leaves data queued behind the connect.
func (t *Transport) dial(d Dest, data []byte) (ConnID, error) {
	dst := unmapAddrPort(d.Addr)
	sock := t.tcpSocketFor(d.From, dst)
	if sock == nil {
		return 0, fmt.Errorf("transport: tcp connect to %s: %w", dst, ErrNoSocket)
	}
	o := &t.cfg.TCP
	c := t.newConn(sock, netip.AddrPort{}, dst, true, StateConnecting)
	c.dialed = make(chan struct{})
	if o.Async {
		c.writerActive = true
		if err := c.enqueue(data); err != nil {
			return 0, err
		}
		c.closeAfterFlush = d.CloseAfter
	}
	id, err := t.conns.add(c, o.MaxConnections, 0)
	if err != nil {
		c.dropQueue()
		if e := t.log.Event(logging.LWarn); e != nil {
			e.Str("remote", dst.String()).Int("max", o.MaxConnections).Msg("transport: tcp connection limit reached, not connecting")
		}
		return 0, fmt.Errorf("transport: tcp connect to %s: %w", dst, ErrTooManyConns)
	}
	if !o.Async {
		if err := t.connect(c); err != nil {
			return 0, err
		}
		return id, c.send(data, d.CloseAfter)
	}
	if !t.goAux(func() {
		if t.connect(c) == nil {
			c.writeQueue()
		}
	}) {
		t.closeConn(c, CloseLocal, StateNone, nil)
		return 0, ErrStopped
	}
	timer := time.NewTimer(o.LocalConnectTimeout)
	defer timer.Stop()
	select {
	case <-c.dialed:
		if c.dialErr != nil {
			return 0, c.dialErr
		}
	case <-timer.C:
	}
	return id, nil
}

// connect performs c's connect, bounded by ConnectTimeout, and starts its
// reader. A failed connect closes c with CloseError.
func (t *Transport) connect(c *conn) (err error) {
	defer func() {
		c.dialErr = err
		close(c.dialed)
	}()
	sock, dst := c.info.Socket, c.info.Remote
	network := "tcp4"
	if dst.Addr().Is6() {
		network = "tcp6"
	}
	dialer := net.Dialer{
		Timeout:   t.cfg.TCP.ConnectTimeout,
		KeepAlive: -1, // ours are applied below
		LocalAddr: &net.TCPAddr{IP: t.sourceFor(sock, dst.Addr().AsSlice())},
		Control:   t.dialControl,
	}
	dialer.SetMultipathTCP(false)
	ctx, cancel := context.WithTimeout(t.stopCtx, t.cfg.TCP.ConnectTimeout)
	defer cancel()
	raw, err := dialer.DialContext(ctx, network, dst.String())
	if err != nil && errors.Is(err, syscall.EADDRNOTAVAIL) {
		// tcp_source_ipv4/6 is not an address of this host: as Kamailio,
		// connect from the socket's address instead.
		if e := t.log.Event(logging.LWarn); e != nil {
			e.Str("source", dialer.LocalAddr.String()).Err(err).Msg("transport: tcp source address unusable, connecting from the socket's address")
		}
		dialer.LocalAddr = &net.TCPAddr{IP: sock.Addr.Addr().AsSlice()}
		raw, err = dialer.DialContext(ctx, network, dst.String())
	}
	if err != nil {
		err = fmt.Errorf("transport: tcp connect to %s: %w", dst, err)
		t.fail(c, CloseError, StateError, err)
		return err
	}
	nc := raw.(*net.TCPConn)
	c.mu.Lock()
	if c.closed { // closed locally while connecting
		c.mu.Unlock()
		_ = nc.Close()
		return errConnGone(c.id)
	}
	c.nc = nc
	c.info.Local = tcpAddrPort(nc.LocalAddr())
	c.info.State = StateOK
	if kerr := t.applyKeepalive(nc, c.info.Keepalive); kerr != nil {
		c.info.LastErr = kerr.Error()
	}
	c.mu.Unlock()
	if e := t.log.Event(logging.LDbg); e != nil {
		e.Int64("conid", int64(c.id)).Str("remote", dst.String()).Msg("transport: tcp connection opened")
	}
	if !t.goTracked(func() { t.tcpRead(c) }) {
		t.closeConn(c, CloseLocal, StateNone, nil)
		return ErrStopped
	}
	return nil
}

// goAux runs a writer goroutine unless stopping; Shutdown waits for
// these after closing the sockets, which unblocks them.
func (t *Transport) goAux(f func()) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.stopping || !t.started {
		return false
	}
	t.aux.Add(1)
	go func() {
		defer t.aux.Done()
		f()
	}()
	return true
}

// send writes data to c. Without Async it writes with SendTimeout. With
// Async it writes directly for at most LocalWriteTimeout and queues the
// rest for the connection's writer goroutine.
func (c *conn) send(data []byte, closeAfter bool) error {
	t := c.t
	o := &t.cfg.TCP
	if c.dialed != nil && !o.Async {
		select {
		case <-c.dialed:
		case <-t.stopCh:
			return ErrStopped
		}
	}
	c.wmu.Lock()
	c.mu.Lock()
	closed, nc := c.closed, c.nc
	c.mu.Unlock()
	if closed {
		c.wmu.Unlock()
		return errConnGone(c.id)
	}
	if c.writerActive {
		if err := c.enqueue(data); err != nil {
			c.wmu.Unlock()
			if e := t.log.Event(logging.LWarn); e != nil {
				e.Int64("conid", int64(c.id)).Err(err).Msg("transport: tcp write queue full, closing connection")
			}
			t.fail(c, CloseError, StateBad, err)
			return err
		}
		c.closeAfterFlush = c.closeAfterFlush || closeAfter
		c.wmu.Unlock()
		return nil
	}
	timeout := o.SendTimeout
	if o.Async {
		timeout = min(o.LocalWriteTimeout, o.SendTimeout)
	}
	_ = nc.SetWriteDeadline(time.Now().Add(timeout))
	n, err := nc.Write(data)
	if n > 0 {
		c.touch(time.Now(), false)
	}
	if err == nil {
		c.wmu.Unlock()
		if closeAfter {
			t.closeConn(c, CloseLocal, StateNone, nil)
		}
		return nil
	}
	if o.Async && errors.Is(err, os.ErrDeadlineExceeded) && timeout < o.SendTimeout {
		// The peer is slow: hand the rest to the writer goroutine so the
		// caller (a SIP worker) is not held up.
		if err := c.enqueue(data[n:]); err != nil {
			c.wmu.Unlock()
			t.fail(c, CloseError, StateBad, err)
			return err
		}
		c.closeAfterFlush = closeAfter
		c.writerActive = true
		c.wmu.Unlock()
		if !t.goAux(c.writeQueue) {
			t.closeConn(c, CloseLocal, StateNone, nil)
			return ErrStopped
		}
		return nil
	}
	c.wmu.Unlock()
	err = fmt.Errorf("transport: connection %d: write: %w", c.id, err)
	reason, state := classify(err)
	t.fail(c, reason, state, err)
	return err
}

// writeQueue drains c's queue, each write bounded by SendTimeout. It
// ends when the queue is empty, handing the socket back to direct
// writes.
func (c *conn) writeQueue() {
	t := c.t
	for {
		c.wmu.Lock()
		c.mu.Lock()
		closed, nc := c.closed, c.nc
		c.mu.Unlock()
		if closed {
			c.dropQueue()
			c.writerActive = false
			c.wmu.Unlock()
			return
		}
		if len(c.queue) == 0 {
			c.writerActive = false
			closeAfter := c.closeAfterFlush
			c.closeAfterFlush = false
			c.wmu.Unlock()
			if closeAfter {
				t.closeConn(c, CloseLocal, StateNone, nil)
			}
			return
		}
		b := c.dequeue()
		c.wmu.Unlock()

		_ = nc.SetWriteDeadline(time.Now().Add(t.cfg.TCP.SendTimeout))
		n, err := nc.Write(b)
		if n > 0 {
			c.touch(time.Now(), false)
		}
		if err != nil {
			err = fmt.Errorf("transport: connection %d: queued write: %w", c.id, err)
			reason, state := classify(err)
			t.fail(c, reason, state, err)
			return
		}
	}
}
