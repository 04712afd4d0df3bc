package transport

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/kamgo/kamgo/pv"
	"github.com/kamgo/kamgo/runtime/logging"
	"golang.org/x/sys/unix"
)

// Errors callers can test with errors.Is.
var (
	// ErrNoConn: the connection id is unknown (never existed or closed).
	ErrNoConn = errors.New("no such connection")
	// ErrNoConnect: sending needed a new TCP connection and connecting
	// is not allowed (Dest.NoConnect or TCPOptions.NoConnect).
	ErrNoConnect = errors.New("no open connection and connecting is not allowed")
	// ErrTooManyConns: MaxConnections connections are open.
	ErrTooManyConns = errors.New("too many connections")
	// ErrQueueFull: the connection's write queue held MaxQueued
	// messages; the connection was closed.
	ErrQueueFull = errors.New("write queue full")
	// ErrStopped: the transport is not started or is shutting down.
	ErrStopped = errors.New("transport not running")
	// ErrNoSocket: no listen socket fits the destination.
	ErrNoSocket = errors.New("no suitable socket")
)

// Defaults applied by New to zero fields.
const (
	DefaultMaxMsgSize     = 32767
	DefaultWorkers        = 8
	DefaultConnectTimeout = 10 * time.Second
	DefaultSendTimeout    = 10 * time.Second
	DefaultLifetime       = 120 * time.Second
	DefaultMaxConnections = 2048
	DefaultMaxConnsPerIP  = 1024
	DefaultReadTimeout    = 20 * time.Second
	DefaultMaxQueued      = 32
	DefaultConnQueueMax   = 32 << 10
	DefaultQueueMax       = 10 << 20
	// maxStreamMsg bounds MaxStreamMsg (Kamailio's tcp_rd_buf_size limit).
	maxStreamMsg             = 16 << 20
	DefaultLocalWriteTimeout = 10 * time.Millisecond
	// DefaultLocalConnectTimeout is how long an async Send waits for a
	// new connection before queueing its data (Kamailio: 100 ms).
	DefaultLocalConnectTimeout = 100 * time.Millisecond

	// minUDPPacket: shorter datagrams cannot be SIP (Kamailio's
	// MIN_UDP_PACKET) and are dropped silently.
	minUDPPacket = 32
	// maxDatagram is the UDP read buffer: the largest UDP payload.
	maxDatagram = 64 << 10
	// tcpReadBuf is the per-connection read buffer.
	tcpReadBuf = 16 << 10
)

// DefaultTCPOptions returns Kamailio's TCP defaults, including the
// booleans New cannot infer from zero values: keepalive on with the OS
// timers, CRLF ping answered, async writes on.
func DefaultTCPOptions() TCPOptions {
	return TCPOptions{
		ConnectTimeout:      DefaultConnectTimeout,
		SendTimeout:         DefaultSendTimeout,
		Lifetime:            DefaultLifetime,
		MaxConnections:      DefaultMaxConnections,
		MaxConnsPerIP:       DefaultMaxConnsPerIP,
		Keepalive:           Keepalive{Enabled: true},
		CRLFPing:            true,
		ReadTimeout:         DefaultReadTimeout,
		Async:               true,
		MaxQueued:           DefaultMaxQueued,
		LocalWriteTimeout:   DefaultLocalWriteTimeout,
		LocalConnectTimeout: DefaultLocalConnectTimeout,
		ConnQueueMax:        DefaultConnQueueMax,
		QueueMax:            DefaultQueueMax,
		DelayedAck:          true,
	}
}

// Transport owns the listen sockets, the worker goroutines reading them
// and the TCP connections.
type Transport struct {
	cfg Config
	// queuedBytes counts what waits in every connection's write queue
	// (TCPOptions.QueueMax).
	queuedBytes atomic.Int64
	log         *logging.Logger
	sockets     []*Socket
	conns       *ConnTable
	// osKeepalive holds the kernel's keepalive timers, used where a
	// Keepalive field is zero ("OS default"); negative when unknown.
	osKeepalive net.KeepAliveConfig

	// Set by Start.
	udp       []*udpSocket
	listeners []*tcpListener
	tcpPool   chan Receiver
	workers   []WorkerInfo

	// mu guards started and stopping; goroutines are added to wg only
	// while holding it and not stopping, so Shutdown's Wait never races
	// with an Add.
	mu       sync.Mutex
	started  bool
	stopping bool
	stopCh   chan struct{} // closed when Shutdown begins
	// abandon is closed when Shutdown's deadline passes: until then a
	// complete TCP message read before the shutdown waits for a worker.
	abandon     chan struct{}
	abandonOnce sync.Once
	stopCtx     context.Context
	stopDial    context.CancelFunc
	done        chan struct{} // closed when Shutdown has finished
	// wg counts the goroutines that may call a Receiver (UDP readers,
	// TCP readers, accept loops, event deliveries, parallel handlers,
	// dials); aux counts queue writers, which only write.
	wg  sync.WaitGroup
	aux sync.WaitGroup
}

type udpSocket struct {
	sock *Socket
	conn *net.UDPConn
}

type tcpListener struct {
	sock *Socket
	ln   *net.TCPListener
}

// New validates cfg and applies the defaults to its zero durations and
// limits. Booleans are taken as given: build cfg.TCP from
// DefaultTCPOptions for Kamailio's defaults (keepalive, CRLF ping, async).
func New(cfg Config) (*Transport, error) {
	if cfg.NewReceiver == nil {
		return nil, errors.New("transport: NewReceiver is required")
	}
	if len(cfg.Sockets) == 0 {
		return nil, errors.New("transport: no sockets")
	}
	if cfg.UDPWorkers < 0 || cfg.TCPWorkers < 0 || cfg.MaxMsgSize < 0 || cfg.UDPRecvBuffer < 0 {
		return nil, errors.New("transport: negative worker count, message size or buffer size")
	}
	if cfg.UDPWorkers == 0 {
		cfg.UDPWorkers = DefaultWorkers
	}
	if cfg.TCPWorkers == 0 {
		cfg.TCPWorkers = DefaultWorkers
	}
	if cfg.MaxMsgSize == 0 {
		cfg.MaxMsgSize = DefaultMaxMsgSize
	}
	if cfg.MaxMsgSize > maxDatagram {
		return nil, fmt.Errorf("transport: MaxMsgSize %d above %d", cfg.MaxMsgSize, maxDatagram)
	}
	if err := applyTCPDefaults(&cfg.TCP); err != nil {
		return nil, err
	}
	if cfg.TCP.MaxStreamMsg == 0 {
		cfg.TCP.MaxStreamMsg = cfg.MaxMsgSize
	}
	if cfg.Log == nil {
		cfg.Log = logging.Discard()
	}
	t := &Transport{
		cfg:         cfg,
		log:         cfg.Log,
		osKeepalive: readOSKeepalive(),
		stopCh:      make(chan struct{}),
		abandon:     make(chan struct{}),
		done:        make(chan struct{}),
	}
	t.stopCtx, t.stopDial = context.WithCancel(context.Background())
	t.conns = &ConnTable{t: t, byID: map[ConnID]*conn{}, byRemote: map[netip.AddrPort]ConnID{}, perIP: map[netip.Addr]int{}}
	seen := map[string]bool{}
	for i := range cfg.Sockets {
		s := cfg.Sockets[i]
		if s.Proto != pv.ProtoUDP && s.Proto != pv.ProtoTCP {
			return nil, fmt.Errorf("transport: socket %d (%s): unsupported protocol %s", i, s.Addr, s.Proto)
		}
		if !s.Addr.IsValid() {
			return nil, fmt.Errorf("transport: socket %d: invalid address", i)
		}
		s.Addr = netip.AddrPortFrom(s.Addr.Addr().Unmap(), s.Addr.Port())
		key := s.Proto.String() + ":" + s.Addr.String()
		if s.Addr.Port() != 0 && seen[key] {
			return nil, fmt.Errorf("transport: socket %s listed twice", key)
		}
		seen[key] = true
		t.sockets = append(t.sockets, &s)
	}
	return t, nil
}

func applyTCPDefaults(o *TCPOptions) error {
	if o.ConnectTimeout < 0 || o.SendTimeout < 0 || o.Lifetime < 0 || o.MaxConnections < 0 ||
		o.MaxMsgChunks < 0 || o.ReadTimeout < 0 || o.MaxQueued < 0 || o.LocalWriteTimeout < 0 ||
		o.LocalConnectTimeout < 0 || o.Keepalive.Idle < 0 || o.Keepalive.Interval < 0 || o.Keepalive.Count < 0 ||
		o.MaxStreamMsg < 0 || o.ConnQueueMax < 0 || o.QueueMax < 0 || o.DeferAccept < 0 || o.SynCount < 0 || o.Linger2 < 0 {
		return errors.New("transport: negative TCP option")
	}
	if o.MaxStreamMsg > maxStreamMsg {
		return fmt.Errorf("transport: MaxStreamMsg %d above %d", o.MaxStreamMsg, maxStreamMsg)
	}
	if o.SourceV4.IsValid() && !o.SourceV4.Unmap().Is4() || o.SourceV6.IsValid() && !o.SourceV6.Is6() {
		return errors.New("transport: SourceV4 must be an IPv4 address and SourceV6 an IPv6 one")
	}
	setDur := func(d *time.Duration, def time.Duration) {
		if *d == 0 {
			*d = def
		}
	}
	setDur(&o.ConnectTimeout, DefaultConnectTimeout)
	setDur(&o.SendTimeout, DefaultSendTimeout)
	setDur(&o.Lifetime, DefaultLifetime)
	setDur(&o.ReadTimeout, DefaultReadTimeout)
	setDur(&o.LocalWriteTimeout, DefaultLocalWriteTimeout)
	setDur(&o.LocalConnectTimeout, DefaultLocalConnectTimeout)
	if o.MaxConnections == 0 {
		o.MaxConnections = DefaultMaxConnections
	}
	if o.MaxConnsPerIP == 0 {
		o.MaxConnsPerIP = DefaultMaxConnsPerIP
	}
	if o.MaxQueued == 0 {
		o.MaxQueued = DefaultMaxQueued
	}
	if o.ConnQueueMax == 0 {
		o.ConnQueueMax = DefaultConnQueueMax
	}
	if o.QueueMax == 0 {
		o.QueueMax = DefaultQueueMax
	}
	return nil
}

// readOSKeepalive reads the kernel's keepalive timers so that a zero
// Keepalive field can restore them on a live socket.
func readOSKeepalive() net.KeepAliveConfig {
	read := func(name string) int {
		b, err := os.ReadFile("/proc/sys/net/ipv4/" + name)
		if err != nil {
			return -1
		}
		n, err := strconv.Atoi(strings.TrimSpace(string(b)))
		if err != nil || n <= 0 {
			return -1
		}
		return n
	}
	secs := func(n int) time.Duration {
		if n < 0 {
			return -1
		}
		return time.Duration(n) * time.Second
	}
	return net.KeepAliveConfig{
		Enable:   true,
		Idle:     secs(read("tcp_keepalive_time")),
		Interval: secs(read("tcp_keepalive_intvl")),
		Count:    read("tcp_keepalive_probes"),
	}
}

// Start binds every socket and starts the workers. It returns once all
// sockets listen; on a bind error it closes what it opened.
func (t *Transport) Start() error {
	t.mu.Lock()
	if t.started || t.stopping {
		t.mu.Unlock()
		return errors.New("transport: already started or stopped")
	}
	t.started = true
	t.mu.Unlock()

	if err := t.bind(); err != nil {
		t.closeSockets()
		t.mu.Lock()
		t.stopping = true
		close(t.stopCh)
		t.mu.Unlock()
		t.stopDial()
		close(t.done)
		return err
	}
	t.startWorkers()
	return nil
}

func (t *Transport) bind() error {
	for _, s := range t.sockets {
		fam := "4"
		if s.Addr.Addr().Is6() {
			fam = "6"
		}
		switch s.Proto {
		case pv.ProtoUDP:
			lc := net.ListenConfig{}
			if n := t.cfg.UDPRecvBuffer; n > 0 {
				lc.Control = func(_, _ string, rc syscall.RawConn) error {
					return setsockopts(rc, sockopt{unix.SOL_SOCKET, unix.SO_RCVBUF, n, "SO_RCVBUF", false})
				}
			}
			pc, err := lc.ListenPacket(context.Background(), "udp"+fam, s.Addr.String())
			if err != nil {
				return fmt.Errorf("transport: listen udp:%s (%s): %w", s.Addr, s.Name, err)
			}
			uc := pc.(*net.UDPConn)
			s.Addr = netip.AddrPortFrom(s.Addr.Addr(), uc.LocalAddr().(*net.UDPAddr).AddrPort().Port())
			t.udp = append(t.udp, &udpSocket{sock: s, conn: uc})
		case pv.ProtoTCP:
			// KeepAlive -1: Go would otherwise set its own 15 s timers on
			// accepted connections; ours are applied per connection.
			lc := net.ListenConfig{KeepAlive: -1, Control: t.listenerControl}
			// Plain TCP: Go listens with MPTCP by default where the kernel
			// has it, and MPTCP sockets refuse some TCP options (TCP_LINGER2).
			lc.SetMultipathTCP(false)
			l, err := lc.Listen(context.Background(), "tcp"+fam, s.Addr.String())
			if err != nil {
				return fmt.Errorf("transport: listen tcp:%s (%s): %w", s.Addr, s.Name, err)
			}
			tl := l.(*net.TCPListener)
			s.Addr = netip.AddrPortFrom(s.Addr.Addr(), tl.Addr().(*net.TCPAddr).AddrPort().Port())
			t.listeners = append(t.listeners, &tcpListener{sock: s, ln: tl})
		}
	}
	return nil
}

func (t *Transport) closeSockets() {
	for _, u := range t.udp {
		_ = u.conn.Close()
	}
	for _, l := range t.listeners {
		_ = l.ln.Close()
	}
}

func (t *Transport) startWorkers() {
	id := 0
	addWorker := func(name string) {
		t.workers = append(t.workers, WorkerInfo{ID: id, Name: name})
		id++
	}
	if len(t.listeners) > 0 {
		t.tcpPool = make(chan Receiver, t.cfg.TCPWorkers)
		for i := 0; i < t.cfg.TCPWorkers; i++ {
			name := fmt.Sprintf("tcp receiver child=%d", i)
			addWorker(name)
			t.tcpPool <- t.cfg.NewReceiver(name)
		}
	}
	type udpWorker struct {
		u   *udpSocket
		rcv Receiver
	}
	var udpWorkers []udpWorker
	for _, u := range t.udp {
		for i := 0; i < t.cfg.UDPWorkers; i++ {
			name := fmt.Sprintf("udp receiver child=%d sock=udp:%s", i, u.sock.Addr)
			addWorker(name)
			udpWorkers = append(udpWorkers, udpWorker{u, t.cfg.NewReceiver(name)})
		}
	}
	for _, l := range t.listeners {
		addWorker("tcp accept sock=tcp:" + l.sock.Addr.String())
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.stopping {
		return
	}
	for _, w := range udpWorkers {
		t.wg.Add(1)
		go t.udpLoop(w.u, w.rcv)
	}
	for _, l := range t.listeners {
		t.wg.Add(1)
		go t.acceptLoop(l)
	}
}

// goTracked runs f in a goroutine counted by Shutdown, unless the
// transport is stopping; it reports whether f was started.
func (t *Transport) goTracked(f func()) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.stopping || !t.started {
		return false
	}
	t.wg.Add(1)
	go func() {
		defer t.wg.Done()
		f()
	}()
	return true
}

func (t *Transport) isStopping() bool {
	select {
	case <-t.stopCh:
		return true
	default:
		return false
	}
}

// Sockets returns the listen sockets; after Start their ports are the
// bound ones.
func (t *Transport) Sockets() []*Socket { return t.sockets }

// Conns returns the connection table.
func (t *Transport) Conns() *ConnTable { return t.conns }

// TCPOptions returns the TCP options in force (defaults applied).
func (t *Transport) TCPOptions() TCPOptions { return t.cfg.TCP }

// QueuedBytes is what waits in all TCP write queues.
func (t *Transport) QueuedBytes() int64 { return t.queuedBytes.Load() }

// Workers lists the worker goroutines (valid after Start).
func (t *Transport) Workers() []WorkerInfo {
	return append([]WorkerInfo(nil), t.workers...)
}

// Send sends data to d and returns the connection used (0 for UDP).
func (t *Transport) Send(d Dest, data []byte) (ConnID, error) {
	if !t.running() {
		return 0, ErrStopped
	}
	switch d.Proto {
	case pv.ProtoUDP:
		return 0, t.sendUDP(d, data)
	case pv.ProtoTCP:
		return t.sendTCP(d, data)
	default:
		return 0, fmt.Errorf("transport: send over %s: unsupported protocol", d.Proto)
	}
}

func (t *Transport) running() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.started && !t.stopping
}

func (t *Transport) sendUDP(d Dest, data []byte) error {
	if !d.Addr.IsValid() {
		return errors.New("transport: udp send: no destination address")
	}
	dst := netip.AddrPortFrom(d.Addr.Addr().Unmap(), d.Addr.Port())
	if d.From != nil && d.From.Proto != pv.ProtoUDP {
		d.From = nil // e.g. the TCP socket a request came in on
	}
	var from *udpSocket
	for _, u := range t.udp {
		if d.From != nil {
			if u.sock == d.From {
				from = u
				break
			}
			continue
		}
		if u.sock.Addr.Addr().Is4() == dst.Addr().Is4() {
			from = u
			break
		}
	}
	if from == nil {
		return fmt.Errorf("transport: udp send to %s: %w", dst, ErrNoSocket)
	}
	if from.sock.Addr.Addr().Is6() && dst.Addr().Is4() {
		// A dual-stack IPv6 socket reaches IPv4 peers by mapped address.
		dst = netip.AddrPortFrom(netip.AddrFrom16(dst.Addr().As16()), dst.Port())
	}
	if _, err := from.conn.WriteToUDPAddrPort(data, dst); err != nil {
		return fmt.Errorf("transport: udp send from %s to %s: %w", from.sock.Addr, dst, err)
	}
	return nil
}

// Shutdown stops reading and accepting, waits (bounded by ctx) for the
// Receive calls in progress, then closes every connection (without
// events) and socket. Calling it again waits for the first call.
func (t *Transport) Shutdown(ctx context.Context) error {
	t.mu.Lock()
	if t.stopping {
		t.mu.Unlock()
		select {
		case <-t.done:
			return nil
		case <-ctx.Done():
			return fmt.Errorf("transport: shutdown: %w", ctx.Err())
		}
	}
	t.stopping = true
	close(t.stopCh)
	t.mu.Unlock()
	defer close(t.done)
	t.stopDial()

	// Unblock the readers: they see stopCh and return without events.
	now := time.Now()
	for _, u := range t.udp {
		_ = u.conn.SetReadDeadline(now)
	}
	for _, l := range t.listeners {
		_ = l.ln.Close()
	}
	for _, c := range t.conns.all() {
		c.unblockReader(now)
	}

	waited := make(chan struct{})
	go func() {
		t.wg.Wait()
		close(waited)
	}()
	var err error
	select {
	case <-waited:
	case <-ctx.Done():
		err = fmt.Errorf("transport: shutdown: receivers still busy: %w", ctx.Err())
	}
	t.abandonOnce.Do(func() { close(t.abandon) })
	for _, c := range t.conns.all() {
		t.closeConn(c, CloseLocal, StateNone, nil)
	}
	t.closeSockets()
	t.aux.Wait()
	return err
}

// safeReceive calls r.Receive, surviving a panic in it.
func (t *Transport) safeReceive(r Receiver, p *Packet) {
	defer func() {
		if v := recover(); v != nil {
			t.logPanic("Receive", v)
		}
	}()
	r.Receive(p)
}

func (t *Transport) safeConnClosed(r Receiver, ev *ConnEvent) {
	defer func() {
		if v := recover(); v != nil {
			t.logPanic("ConnClosed", v)
		}
	}()
	r.ConnClosed(ev)
}

func (t *Transport) logPanic(where string, v any) {
	t.log.Event(logging.LErr).Str("panic", fmt.Sprint(v)).Bytes("stack", debug.Stack()).
		Msg("transport: receiver " + where + " panicked; worker continues")
}
