// Package rpc is kamgo's control interface: JSON-RPC 2.0 over a UNIX stream
// socket, with the request and reply shapes of Kamailio's jsonrpcs module, so
// that `kamgo rpc METHOD ARGS…` (and any JSON-RPC client) can drive a running
// daemon the way kamcmd drives Kamailio. Modules and the core register their
// methods on a Server; the same dispatch serves the socket and in-process
// calls.
package rpc

import (
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"sync"
	"time"

	"github.com/kamgo/kamgo/runtime/logging"
)

// Handler runs one method. params are the request's positional parameters
// (an object's values in order), decoded with json.Number for numbers; see
// StringParam and IntParam. The result is encoded with encoding/json; use
// Object for a struct whose member order matters.
type Handler func(params []any) (any, error)

// Error is a JSON-RPC error reply. Handlers return one for a specific code;
// any other error becomes code 500 with the error's text, as Kamailio does.
type Error struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
}

func (e *Error) Error() string {
	return fmt.Sprintf("rpc error %d: %s", e.Code, e.Message)
}

// Error codes. Kamailio answers an unknown method with 500 "Method Not
// Found" and bad parameters with 400; malformed input gets JSON-RPC's own
// codes.
const (
	CodeParseError     = -32700
	CodeInvalidRequest = -32600
	CodeInvalidParams  = 400
	CodeInternal       = 500
	CodeMethodNotFound = 500
	CodeBusy           = 503
)

// Defaults of the Server's limits.
const (
	DefaultMaxRequestBytes = 1 << 20
	DefaultIdleTimeout     = 30 * time.Second
	DefaultWriteTimeout    = 10 * time.Second
	DefaultMaxConns        = 64
)

// socketName is the file name of the control socket in the run directory.
const socketName = "kamgo_rpc.sock"

type method struct {
	doc string
	h   Handler
}

// Server holds the registered methods and serves them on UNIX sockets.
// Register, Call and Close are safe for concurrent use; the limit fields are
// read by Listen and must be set before it.
type Server struct {
	// MaxRequestBytes bounds one request; a longer one gets an error reply
	// and its connection is closed.
	MaxRequestBytes int64
	// IdleTimeout is how long a connection may take to send its next
	// request (and so how long an idle client holds a connection slot).
	IdleTimeout time.Duration
	// WriteTimeout bounds writing one reply.
	WriteTimeout time.Duration
	// MaxConns bounds the connections served at once; one more is told so
	// and closed.
	MaxConns int

	log *logging.Logger

	methodsMu sync.RWMutex
	methods   map[string]method

	mu        sync.Mutex
	closed    bool
	listeners []*listener
	conns     map[net.Conn]struct{}
	wg        sync.WaitGroup
}

type listener struct {
	ln   *net.UnixListener
	path string
}

// NewServer returns a server with the default limits and the system.*
// introspection methods registered. A nil log discards.
func NewServer(log *logging.Logger) *Server {
	if log == nil {
		log = logging.Discard()
	}
	s := &Server{
		MaxRequestBytes: DefaultMaxRequestBytes,
		IdleTimeout:     DefaultIdleTimeout,
		WriteTimeout:    DefaultWriteTimeout,
		MaxConns:        DefaultMaxConns,
		log:             log,
		methods:         make(map[string]method),
		conns:           make(map[net.Conn]struct{}),
	}
	// Registering into an empty server cannot fail.
	_ = s.Register("system.listMethods", "Lists the RPC methods the server knows.",
		func([]any) (any, error) { return s.Methods(), nil })
	_ = s.Register("system.methodHelp", "Returns the documentation of the method named by the parameter.",
		s.methodHelp)
	// Kamailio answers this one the same way: method signatures are not
	// described.
	_ = s.Register("system.methodSignature", "Not implemented (as in Kamailio).",
		func([]any) (any, error) { return nil, &Error{Code: CodeInternal, Message: "Not Implemented Yet"} })
	return s
}

func (s *Server) methodHelp(params []any) (any, error) {
	if len(params) == 0 {
		return nil, &Error{Code: CodeInvalidParams, Message: "Method Name Expected"}
	}
	name, err := StringParam(params, 0)
	if err != nil {
		return nil, err
	}
	s.methodsMu.RLock()
	m, ok := s.methods[name]
	s.methodsMu.RUnlock()
	if !ok {
		return nil, &Error{Code: CodeInvalidParams, Message: "command not found"}
	}
	return m.doc, nil
}

// Register adds a method. A name may be registered once.
func (s *Server) Register(name, doc string, h Handler) error {
	if name == "" {
		return errors.New("rpc: register: empty method name")
	}
	if h == nil {
		return fmt.Errorf("rpc: register %s: nil handler", name)
	}
	s.methodsMu.Lock()
	defer s.methodsMu.Unlock()
	if _, dup := s.methods[name]; dup {
		return fmt.Errorf("rpc: register %s: method already registered", name)
	}
	s.methods[name] = method{doc: doc, h: h}
	return nil
}

// Methods returns the registered method names, sorted.
func (s *Server) Methods() []string {
	s.methodsMu.RLock()
	names := make([]string, 0, len(s.methods))
	for name := range s.methods {
		names = append(names, name)
	}
	s.methodsMu.RUnlock()
	slices.Sort(names)
	return names
}

// Call runs a method in-process with the same dispatch as a socket request:
// an unknown method is a *Error with code 500 "Method Not Found", and a
// handler that panics returns a code 500 *Error (the panic is logged).
func (s *Server) Call(name string, params []any) (result any, err error) {
	s.methodsMu.RLock()
	m, ok := s.methods[name]
	s.methodsMu.RUnlock()
	if !ok {
		return nil, &Error{Code: CodeMethodNotFound, Message: "Method Not Found"}
	}
	defer func() {
		if p := recover(); p != nil {
			s.log.Logf(logging.LErr, "rpc: method %s panicked: %v\n%s", name, p, debug.Stack())
			result, err = nil, &Error{Code: CodeInternal, Message: fmt.Sprintf("internal error in %s", name)}
		}
	}()
	if params == nil {
		params = []any{}
	}
	return m.h(params)
}

// Listen serves the methods on a UNIX stream socket at path and returns once
// it is listening. The parent directory is created (0755) when missing; a
// socket file that nothing answers on is left over from a crash and is
// replaced, anything else at path is an error. The socket is made 0660 so
// that only the daemon's user and group can control it.
func (s *Server) Listen(path string) error {
	if path == "" {
		return errors.New("rpc: listen: empty socket path")
	}
	s.mu.Lock()
	closed := s.closed
	s.mu.Unlock()
	if closed {
		return fmt.Errorf("rpc: listen on %s: server is closed", path)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("rpc: listen on %s: %w", path, err)
	}
	if err := removeStaleSocket(path); err != nil {
		return fmt.Errorf("rpc: listen on %s: %w", path, err)
	}
	ln, err := net.ListenUnix("unix", &net.UnixAddr{Name: path, Net: "unix"})
	if err != nil {
		return fmt.Errorf("rpc: listen on %s: %w", path, err)
	}
	// Close removes the file itself, after the listener is gone.
	ln.SetUnlinkOnClose(false)
	if err := os.Chmod(path, 0o660); err != nil {
		_ = ln.Close()
		_ = os.Remove(path)
		return fmt.Errorf("rpc: listen on %s: %w", path, err)
	}
	l := &listener{ln: ln, path: path}
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		_ = ln.Close()
		_ = os.Remove(path)
		return fmt.Errorf("rpc: listen on %s: server is closed", path)
	}
	s.listeners = append(s.listeners, l)
	s.wg.Add(1)
	s.mu.Unlock()
	go s.acceptLoop(l)
	return nil
}

// removeStaleSocket removes path when it is a socket nobody listens on.
func removeStaleSocket(path string) error {
	fi, err := os.Lstat(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if fi.Mode().Type() != os.ModeSocket {
		return fmt.Errorf("%s exists and is not a socket", path)
	}
	c, err := net.DialTimeout("unix", path, time.Second)
	if err == nil {
		_ = c.Close()
		return fmt.Errorf("another process is serving on %s", path)
	}
	if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("removing stale socket: %w", err)
	}
	return nil
}

func (s *Server) acceptLoop(l *listener) {
	defer s.wg.Done()
	var backoff time.Duration
	for {
		c, err := l.ln.Accept()
		if err != nil {
			if s.isClosed() || errors.Is(err, net.ErrClosed) {
				return
			}
			// Out of file descriptors and the like: wait and retry rather
			// than spin or give up the control interface for good.
			backoff = min(max(2*backoff, 5*time.Millisecond), time.Second)
			s.log.Logf(logging.LErr, "rpc: accept on %s: %v; retrying in %v", l.path, err, backoff)
			time.Sleep(backoff)
			continue
		}
		backoff = 0
		if !s.track(c) {
			continue
		}
		go s.serveConn(c)
	}
}

// track registers a new connection, or turns it away when the server is
// closed or full. It reports whether the connection is to be served.
func (s *Server) track(c net.Conn) bool {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		_ = c.Close()
		return false
	}
	if len(s.conns) >= s.MaxConns {
		s.mu.Unlock()
		s.log.Logf(logging.LWarn, "rpc: %d connections open, refusing another", s.MaxConns)
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			_ = c.SetWriteDeadline(time.Now().Add(s.WriteTimeout))
			_, _ = c.Write(errorReply(nil, CodeBusy, "Too Many Connections"))
			_ = c.Close()
		}()
		return false
	}
	s.conns[c] = struct{}{}
	s.wg.Add(1)
	s.mu.Unlock()
	return true
}

func (s *Server) untrack(c net.Conn) {
	s.mu.Lock()
	delete(s.conns, c)
	s.mu.Unlock()
	_ = c.Close()
	s.wg.Done()
}

func (s *Server) isClosed() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.closed
}

// Close stops accepting, closes every connection, waits for their
// goroutines and removes the socket files. Calling it again does nothing.
func (s *Server) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	listeners := s.listeners
	s.listeners = nil
	for c := range s.conns {
		_ = c.Close()
	}
	s.mu.Unlock()
	var errs []error
	for _, l := range listeners {
		if err := l.ln.Close(); err != nil && !errors.Is(err, net.ErrClosed) {
			errs = append(errs, fmt.Errorf("rpc: closing %s: %w", l.path, err))
		}
	}
	// Handlers still running finish their reply into a closed connection;
	// waiting for them keeps Close from returning while they touch state.
	s.wg.Wait()
	for _, l := range listeners {
		if err := os.Remove(l.path); err != nil && !errors.Is(err, os.ErrNotExist) {
			errs = append(errs, fmt.Errorf("rpc: removing %s: %w", l.path, err))
		}
	}
	return errors.Join(errs...)
}
