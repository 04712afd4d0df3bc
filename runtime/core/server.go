package core

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"os"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/kamgo/kamgo/pv"
	"github.com/kamgo/kamgo/runtime/logging"
	"github.com/kamgo/kamgo/runtime/module"
	"github.com/kamgo/kamgo/runtime/rpc"
	"github.com/kamgo/kamgo/runtime/sip"
	"github.com/kamgo/kamgo/runtime/transport"
)

// Options are what the command line adds to a config.
type Options struct {
	Log *logging.Logger
	// Version is what core.version and the Server header report,
	// e.g. "kamgo 0.1.0".
	Version string
	// RPCSocket overrides the control socket path (default: under rundir).
	RPCSocket string
	// NoRPC leaves the control socket closed (tests that run many servers).
	NoRPC bool
}

// tcpTuner is implemented by proto_tcp's state: its modparams override the
// core's tcp_* settings.
type tcpTuner interface {
	ApplyTCP(o *transport.TCPOptions)
	TCPPort() (int, bool)
}

// replyTaker is implemented by the state of a module that handles received
// replies itself (tm): the core then does not forward them statelessly.
type replyTaker interface {
	TakeReply(ctx module.ExecContext) bool
}

// Server is one running kamgo: a loaded config, its transports, its
// workers and its control interface. It implements module.Core.
type Server struct {
	l       *Loaded
	set     *Settings
	log     *logging.Logger
	opts    Options
	tr      *transport.Transport
	rpc     *rpc.Server
	rpcPath string
	started time.Time

	self      *myself
	dns       *resolver
	nonSIP    module.NonSIPHandler
	hooks     []module.RequestHook
	outbound  []module.OutboundHook
	takers    []replyTaker
	serverHdr string
	ids       *sip.IDGen
	// vias are the Via addresses of the listen sockets, filled by Start
	// and read-only afterwards.
	vias atomic.Pointer[map[*transport.Socket]viaAddr]

	stats coreStats

	// events are spare contexts for event routes run from inside another
	// route (sl:local-response) or from the transport (tcp:closed).
	events sync.Pool

	mu      sync.Mutex
	stopped bool
}

// New prepares a server for a loaded config: it reads the core parameters,
// resolves the listen sockets and creates the transports, without opening
// anything yet.
func New(l *Loaded, set *Settings, opts Options) (*Server, error) {
	log := opts.Log
	if log == nil {
		log = logging.Discard()
	}
	s := &Server{l: l, set: set, log: log, opts: opts, ids: sip.NewIDGen()}
	if s.opts.Version == "" {
		s.opts.Version = "kamgo"
	}
	if set.ServerSignature {
		s.serverHdr = set.ServerHeader
		if s.serverHdr == "" {
			s.serverHdr = fmt.Sprintf("Server: %s (%s/%s)", s.opts.Version, runtime.GOARCH, runtime.GOOS)
		}
		s.serverHdr = strings.TrimPrefix(s.serverHdr, "Server: ")
		s.serverHdr = strings.TrimPrefix(s.serverHdr, "Server:")
	}
	for _, name := range l.host.order {
		st := l.host.states[name]
		if t, ok := st.(tcpTuner); ok {
			t.ApplyTCP(&set.TCP)
			if p, ok := t.TCPPort(); ok {
				for i := range set.Listen {
					if set.Listen[i].Port == 0 && set.Listen[i].Proto == "tcp" {
						set.Listen[i].Port = p
					}
				}
			}
		}
		if h, ok := st.(module.NonSIPHandler); ok {
			s.nonSIP = h
		}
		if h, ok := st.(module.RequestHook); ok {
			s.hooks = append(s.hooks, h)
		}
		if h, ok := st.(module.OutboundHook); ok {
			s.outbound = append(s.outbound, h)
		}
		if h, ok := st.(replyTaker); ok {
			s.takers = append(s.takers, h)
		}
	}
	l.Globals.MaxBranches = set.MaxBranches
	l.Globals.Statistic = l.host.Statistic
	sockets, d := ResolveListen(set)
	if d.HasErrors() {
		return nil, d.Err()
	}
	tr, err := transport.New(transport.Config{
		Sockets:       sockets,
		UDPWorkers:    set.Children,
		TCPWorkers:    set.TCPChildren,
		NewReceiver:   func(name string) transport.Receiver { return s.newWorker(name) },
		TCP:           set.TCP,
		UDPRecvBuffer: set.UDPRecvBuffer,
		Log:           log,
	})
	if err != nil {
		return nil, fmt.Errorf("transports: %w", err)
	}
	s.tr = tr
	l.Machine.Core = s
	s.self = newMyself(set)
	dnsSet := set.DNS
	for _, sk := range sockets {
		if sk.Addr.Addr().Is6() && !sk.Addr.Addr().Is4In6() {
			dnsSet.TryIPv6 = true // Kamailio turns dns_try_ipv6 on for an IPv6 socket
		}
	}
	s.dns = newResolver(dnsSet)
	l.Machine.Myself = s.self.match
	l.host.core = s
	s.events.New = func() any { return s.newWorker("event") }
	return s, nil
}

// Start opens the sockets, starts the workers, the modules and the
// control interface. When it returns without error, the server answers.
func (s *Server) Start() error {
	s.started = time.Now()
	if err := s.tr.Start(); err != nil {
		return err
	}
	vias := make(map[*transport.Socket]viaAddr)
	for _, sock := range s.tr.Sockets() {
		h, p := viaAddressOf(sock)
		vias[sock] = viaAddr{h, p}
	}
	s.vias.Store(&vias)
	for _, sock := range s.tr.Sockets() {
		s.self.addSocket(sock)
		s.log.Logf(logging.LInfo, "listening on %s:%s", sock.Proto, sock.Addr)
	}
	for _, name := range s.l.host.order {
		m := s.l.host.mods[name]
		if m.Start == nil {
			continue
		}
		if err := m.Start(s.l.host); err != nil {
			s.stopTransport()
			return fmt.Errorf("module %s: start: %w", name, err)
		}
	}
	if !s.opts.NoRPC {
		if err := s.startRPC(); err != nil {
			s.stopTransport()
			return err
		}
	}
	return nil
}

func (s *Server) stopTransport() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = s.tr.Shutdown(ctx)
}

// Shutdown stops accepting messages, lets the ones being handled finish
// (bounded by ctx), stops the modules and closes the control socket.
func (s *Server) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	if s.stopped {
		s.mu.Unlock()
		return nil
	}
	s.stopped = true
	s.mu.Unlock()
	var errs []error
	if err := s.tr.Shutdown(ctx); err != nil {
		errs = append(errs, fmt.Errorf("transports: %w", err))
	}
	for i := len(s.l.host.order) - 1; i >= 0; i-- {
		name := s.l.host.order[i]
		if m := s.l.host.mods[name]; m.Stop != nil {
			if err := m.Stop(s.l.host); err != nil {
				errs = append(errs, fmt.Errorf("module %s: stop: %w", name, err))
			}
		}
	}
	if s.rpc != nil {
		if err := s.rpc.Close(); err != nil {
			errs = append(errs, fmt.Errorf("control socket: %w", err))
		}
	}
	return errors.Join(errs...)
}

// Sockets returns the listen sockets (with their bound ports once started).
func (s *Server) Sockets() []*transport.Socket { return s.tr.Sockets() }

// Transport returns the server's transports (tcpops drives its connection
// table).
func (s *Server) Transport() *transport.Transport { return s.tr }

// RPCPath is the control socket's path, "" when it is closed.
func (s *Server) RPCPath() string { return s.rpcPath }

// Module implements module.Core: a function without arguments, which no
// fixup hands its module's state, finds it this way.
func (s *Server) Module(name string) (any, bool) { return s.l.host.Module(name) }

// Myself implements module.Core.
func (s *Server) Myself(host string, port int) bool { return s.self.match(host, port) }

// HasRoute implements module.Core.
func (s *Server) HasRoute(name string) bool {
	_, ok := s.l.Prog.Event[name]
	return ok
}

// RunEvent implements module.Core: event_route[name] runs on a context of
// its own, with recv as the origin and raw as $mb.
func (s *Server) RunEvent(name string, recv pv.RecvInfo, raw []byte) bool {
	idx, ok := s.l.Prog.Event[name]
	if !ok {
		return false
	}
	w := s.events.Get().(*worker)
	defer s.events.Put(w)
	st := w.ctx.State()
	st.Reset()
	st.Recv = recv
	st.Raw = raw
	w.ctx.Run(idx, module.Event|module.Request)
	return true
}

// connEventRoute maps a connection's end to its event route.
func connEventRoute(r transport.CloseReason) string {
	switch r {
	case transport.ClosePeer:
		return "tcp:closed"
	case transport.CloseReset:
		return "tcp:reset"
	case transport.CloseTimeout:
		return "tcp:timeout"
	}
	return ""
}

// recvOf describes a socket and a peer as $si $sp $Ri $Rp $proto see them.
func recvOf(sock *transport.Socket, src netip.AddrPort, conn transport.ConnID) pv.RecvInfo {
	ri := pv.RecvInfo{Src: src, ConID: int64(conn)}
	if sock != nil {
		ri.Dst, ri.Proto, ri.SocketName = sock.Addr, sock.Proto, sock.Name
		ri.AdvHost, ri.AdvPort = sock.AdvHost, sock.AdvPort
	}
	return ri
}

// newWorker makes the receiver of one worker: its own VM context (with
// its own $var store, as a Kamailio process has) and message.
func (s *Server) newWorker(name string) *worker {
	ctx := s.l.Machine.NewCtx(nil, s.l.Globals)
	w := &worker{s: s, name: name, ctx: ctx}
	// A TCP message may be longer than a datagram (tcp_rd_buf_size).
	w.msg.Limits.MaxSize = max(s.set.TCP.MaxStreamMsg, transport.DefaultMaxMsgSize, sip.DefaultMaxSize)
	if s.l.Prog.LogPrefix != nil {
		w.log = s.log.Child()
		ctx.SetLogger(w.log)
	}
	return w
}

// startRPC opens the control socket and registers the core's methods and
// the loaded modules' ones.
func (s *Server) startRPC() error {
	srv := rpc.NewServer(s.log)
	reg := func(name, doc string, h rpc.Handler) {
		if err := srv.Register(name, doc, h); err != nil {
			s.log.Logf(logging.LErr, "rpc: %v", err)
		}
	}
	reg("core.version", "Returns the version string of the server.", func([]any) (any, error) {
		return s.opts.Version, nil
	})
	reg("core.uptime", "Returns uptime statistics.", func([]any) (any, error) {
		now := time.Now()
		return map[string]any{
			"now":      now.Format(time.ANSIC),
			"up_since": s.started.Format(time.ANSIC),
			"uptime":   int64(now.Sub(s.started).Seconds()),
		}, nil
	})
	reg("core.ps", "Returns the description of running workers.", s.rpcPS)
	s.registerInfoRPCs(reg)
	reg("core.tcp_list", "Returns TCP connections details.", func([]any) (any, error) {
		var out []any
		for _, c := range s.tr.Conns().List() {
			out = append(out, rpc.Object{
				{Name: "id", Value: int64(c.ID)}, {Name: "type", Value: "TCP"},
				{Name: "state", Value: connStateName(c.State)},
				{Name: "timeout", Value: int64(time.Until(c.Deadline).Seconds())},
				{Name: "lifetime", Value: int64(c.Lifetime.Seconds())}, {Name: "ref_count", Value: 1},
				{Name: "src_ip", Value: c.Remote.Addr().String()}, {Name: "src_port", Value: c.Remote.Port()},
				{Name: "dst_ip", Value: c.Local.Addr().String()}, {Name: "dst_port", Value: c.Local.Port()},
				{Name: "outgoing", Value: c.Outgoing},
			})
		}
		if out == nil {
			out = []any{}
		}
		return out, nil
	})
	reg("core.sockets_list", "Returns the listening sockets.", func([]any) (any, error) {
		// As Kamailio: one "socket" member per socket.
		out := rpc.Object{}
		for _, sk := range s.tr.Sockets() {
			ip := sk.Addr.Addr().String()
			m := rpc.Object{{Name: "proto", Value: strings.ToLower(sk.Proto.String())}, {Name: "address", Value: ip},
				{Name: "ipaddress", Value: ip}, {Name: "port", Value: sk.Addr.Port()},
				{Name: "mcast", Value: "no"}, {Name: "mhomed", Value: "no"}, {Name: "virtual", Value: "no"}}
			if sk.AdvHost != "" {
				m = append(m, rpc.Member{Name: "advertise", Value: sk.AdvHost})
			}
			if sk.Name != "" {
				m = append(m, rpc.Member{Name: "name", Value: sk.Name})
			}
			out = append(out, rpc.Member{Name: "socket", Value: m})
		}
		return out, nil
	})
	for _, name := range s.l.host.order {
		m := s.l.host.mods[name]
		for _, r := range m.RPC {
			h := r.Handler
			reg(r.Name, r.Doc, func(params []any) (any, error) { return h(s.l.host, params) })
		}
	}
	path := s.opts.RPCSocket
	if path == "" {
		path = rpc.DefaultSocketPath(s.set.RunDir)
	}
	if err := srv.Listen(path); err != nil {
		return fmt.Errorf("control socket %s: %w", path, err)
	}
	s.rpc, s.rpcPath = srv, path
	return nil
}

// rpcPS lists the workers; they share the server's process id.
func (s *Server) rpcPS([]any) (any, error) {
	var out []any
	pid := os.Getpid()
	out = append(out, rpc.Object{{Name: "IDX", Value: 0}, {Name: "PID", Value: pid}, {Name: "DSC", Value: "main process - attendant"}})
	for i, w := range s.tr.Workers() {
		out = append(out, rpc.Object{{Name: "IDX", Value: i + 1}, {Name: "PID", Value: pid}, {Name: "DSC", Value: w.Name}})
	}
	return out, nil
}

// connStateName is a connection state as Kamailio's core.tcp_list
// names it.
func connStateName(st transport.ConnState) string {
	switch st {
	case transport.StateOK:
		return "CONN_OK"
	case transport.StateAccepting:
		return "CONN_ACCEPT"
	case transport.StateConnecting:
		return "CONN_CONNECT"
	case transport.StateEOF:
		return "CONN_EOF"
	case transport.StateError:
		return "CONN_ERROR"
	case transport.StateBad:
		return "CONN_BAD"
	}
	return "UNKNOWN"
}
