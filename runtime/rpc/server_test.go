package rpc

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/kamgo/kamgo/runtime/logging"
	"github.com/rs/zerolog"
)

// socketDir returns a short temporary directory: a UNIX socket path must
// fit in 108 bytes, which t.TempDir's long names can exceed.
func socketDir(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "rpc")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}

// lockedBuffer collects log output written from server goroutines.
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

// newTestServer returns a server with a few methods of each result shape,
// and its log.
func newTestServer(t *testing.T) (*Server, *lockedBuffer) {
	t.Helper()
	logs := &lockedBuffer{}
	s := NewServer(logging.New(zerolog.New(logs), logging.LErr))
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(s.Register("test.version", "Returns a version string.", func([]any) (any, error) {
		return "kamgo 0.1", nil
	}))
	must(s.Register("test.stats", "Returns an object.", func([]any) (any, error) {
		return Object{{"current", 3}, {"total", 10}, {"name", "tm"}}, nil
	}))
	must(s.Register("test.list", "Returns a list.", func([]any) (any, error) {
		return []any{1, "two", map[string]any{"k": "v"}}, nil
	}))
	must(s.Register("test.echo", "Returns its parameters.", func(p []any) (any, error) { return p, nil }))
	must(s.Register("test.add", "Adds two integers.", func(p []any) (any, error) {
		a, err := IntParam(p, 0)
		if err != nil {
			return nil, err
		}
		b, err := IntParam(p, 1)
		if err != nil {
			return nil, err
		}
		return a + b, nil
	}))
	must(s.Register("test.fail", "Fails with a plain error.", func([]any) (any, error) {
		return nil, errors.New("no such destination")
	}))
	must(s.Register("test.notfound", "Fails with a code.", func([]any) (any, error) {
		return nil, fmt.Errorf("looking up: %w", &Error{Code: 404, Message: "Destination not found"})
	}))
	must(s.Register("test.panic", "Panics.", func([]any) (any, error) { panic("boom") }))
	must(s.Register("test.unencodable", "Returns a channel.", func([]any) (any, error) { return make(chan int), nil }))
	must(s.Register("test.nil", "Returns nothing.", func([]any) (any, error) { return nil, nil }))
	return s, logs
}

func listen(t *testing.T, s *Server) string {
	t.Helper()
	path := filepath.Join(socketDir(t), "kamgo_rpc.sock")
	if err := s.Listen(path); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return path
}

func testCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func TestRoundTrip(t *testing.T) {
	s, logs := newTestServer(t)
	path := listen(t, s)
	ctx := testCtx(t)
	tests := []struct {
		method  string
		params  []any
		want    string // the result, compacted
		wantErr *Error
	}{
		{method: "test.version", want: `"kamgo 0.1"`},
		{method: "test.stats", want: `{"current":3,"total":10,"name":"tm"}`},
		{method: "test.list", want: `[1,"two",{"k":"v"}]`},
		{method: "test.echo", params: []any{1, "s", 2.5, true, nil}, want: `[1,"s",2.5,true,null]`},
		{method: "test.echo", want: `[]`},
		{method: "test.add", params: []any{2, 40}, want: `42`},
		{method: "test.add", params: []any{"2", 40}, want: `42`},
		{method: "test.nil", want: `null`},
		{method: "test.add", params: []any{2}, wantErr: &Error{400, "error at parameter 1: parameter missing"}},
		{method: "test.add", params: []any{"x", 1}, wantErr: &Error{400, `error at parameter 0: expected integer, got "x"`}},
		{method: "test.add", params: []any{1.5, 1}, wantErr: &Error{400, `error at parameter 0: expected integer, got 1.5`}},
		{method: "no.such", wantErr: &Error{500, "Method Not Found"}},
		{method: "test.fail", wantErr: &Error{500, "no such destination"}},
		{method: "test.notfound", wantErr: &Error{404, "Destination not found"}},
		{method: "test.panic", wantErr: &Error{500, "internal error in test.panic"}},
		{method: "test.unencodable", wantErr: &Error{500, "cannot encode the result of test.unencodable"}},
		{method: "system.methodHelp", params: []any{"test.add"}, want: `"Adds two integers."`},
		{method: "system.methodHelp", params: []any{"nope"}, wantErr: &Error{400, "command not found"}},
		{method: "system.methodHelp", wantErr: &Error{400, "Method Name Expected"}},
	}
	for _, tt := range tests {
		t.Run(tt.method, func(t *testing.T) {
			got, err := CallSocket(ctx, path, tt.method, tt.params)
			if tt.wantErr != nil {
				var rpcErr *Error
				if !errors.As(err, &rpcErr) {
					t.Fatalf("got %s, %v; want error %v", got, err, tt.wantErr)
				}
				if diff := cmp.Diff(tt.wantErr, rpcErr); diff != "" {
					t.Errorf("error (-want +got):\n%s", diff)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var compact bytes.Buffer
			if err := json.Compact(&compact, got); err != nil {
				t.Fatal(err)
			}
			if compact.String() != tt.want {
				t.Errorf("result %s, want %s", compact.String(), tt.want)
			}
		})
	}
	if !strings.Contains(logs.String(), "method test.panic panicked: boom") {
		t.Errorf("the panic was not logged; log:\n%s", logs.String())
	}
}

func TestListMethods(t *testing.T) {
	s, _ := newTestServer(t)
	path := listen(t, s)
	got, err := CallSocket(testCtx(t), path, "system.listMethods", nil)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	if err := json.Unmarshal(got, &names); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(s.Methods(), names); diff != "" {
		t.Errorf("(-Methods +listMethods):\n%s", diff)
	}
	want := []string{"system.listMethods", "system.methodHelp", "system.methodSignature", "test.add", "test.echo", "test.fail",
		"test.list", "test.nil", "test.notfound", "test.panic", "test.stats", "test.unencodable", "test.version"}
	if diff := cmp.Diff(want, names); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestRegisterDuplicate(t *testing.T) {
	s := NewServer(nil)
	h := func([]any) (any, error) { return nil, nil }
	if err := s.Register("a.b", "", h); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"a.b", "system.listMethods"} {
		if err := s.Register(name, "", h); err == nil {
			t.Errorf("registering %s twice succeeded", name)
		}
	}
	if err := s.Register("", "", h); err == nil {
		t.Error("registering an empty name succeeded")
	}
	if err := s.Register("x.y", "", nil); err == nil {
		t.Error("registering a nil handler succeeded")
	}
}

func TestInProcessCall(t *testing.T) {
	s, _ := newTestServer(t)
	got, err := s.Call("test.add", []any{1, 2})
	if err != nil || got != 3 {
		t.Errorf("Call(test.add, 1, 2) = %v, %v; want 3", got, err)
	}
	_, err = s.Call("nope", nil)
	var rpcErr *Error
	if !errors.As(err, &rpcErr) || rpcErr.Code != 500 || rpcErr.Message != "Method Not Found" {
		t.Errorf("Call(nope) error = %v, want 500 Method Not Found", err)
	}
	_, err = s.Call("test.panic", nil)
	if !errors.As(err, &rpcErr) || rpcErr.Code != 500 {
		t.Errorf("Call(test.panic) error = %v, want code 500", err)
	}
}

// rawConn talks raw JSON to the server, one reply line at a time.
type rawConn struct {
	t *testing.T
	c net.Conn
	r *bufio.Reader
}

func dialRaw(t *testing.T, path string) *rawConn {
	t.Helper()
	c, err := net.Dial("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	if err := c.SetDeadline(time.Now().Add(10 * time.Second)); err != nil {
		t.Fatal(err)
	}
	return &rawConn{t: t, c: c, r: bufio.NewReader(c)}
}

func (r *rawConn) send(s string) {
	r.t.Helper()
	if _, err := r.c.Write([]byte(s)); err != nil {
		r.t.Fatal(err)
	}
}

// reply reads one reply line; "" at end of stream.
func (r *rawConn) reply() string {
	r.t.Helper()
	line, err := r.r.ReadString('\n')
	if err != nil && line == "" {
		return ""
	}
	return strings.TrimSuffix(line, "\n")
}

func TestRawProtocol(t *testing.T) {
	s, _ := newTestServer(t)
	path := listen(t, s)
	tests := []struct {
		name    string
		send    string
		replies []string
		closed  bool // the server closes the connection afterwards
	}{
		{
			name:    "params array",
			send:    `{"jsonrpc":"2.0","method":"test.add","params":[1,2],"id":1}`,
			replies: []string{`{"jsonrpc":"2.0","result":3,"id":1}`},
		},
		{
			name:    "params object taken in order",
			send:    `{"jsonrpc":"2.0","method":"test.echo","params":{"b":"x","a":7},"id":"abc"}`,
			replies: []string{`{"jsonrpc":"2.0","result":["x",7],"id":"abc"}`},
		},
		{
			name:    "large integers keep their digits",
			send:    `{"jsonrpc":"2.0","method":"test.echo","params":[12345678901234567890],"id":2}`,
			replies: []string{`{"jsonrpc":"2.0","result":[12345678901234567890],"id":2}`},
		},
		{
			name:    "unknown method",
			send:    `{"jsonrpc":"2.0","method":"keepalive.nope","id":2}`,
			replies: []string{`{"jsonrpc":"2.0","error":{"code":500,"message":"Method Not Found"},"id":2}`},
		},
		{
			name: "several requests on one connection, notification answered by nothing",
			send: `{"jsonrpc":"2.0","method":"test.version","id":1}
{"jsonrpc":"2.0","method":"test.add","params":[1,1]}` + "\n" +
				`{"jsonrpc":"2.0","method":"test.add","params":[2,2],"id":3}{"jsonrpc":"2.0","method":"test.nil","id":null}`,
			replies: []string{
				`{"jsonrpc":"2.0","result":"kamgo 0.1","id":1}`,
				`{"jsonrpc":"2.0","result":4,"id":3}`,
				`{"jsonrpc":"2.0","result":null,"id":null}`,
			},
		},
		{
			name:    "batch",
			send:    `[{"jsonrpc":"2.0","method":"test.version","id":1},{"jsonrpc":"2.0","method":"test.nil"},{"jsonrpc":"2.0","method":"x","id":2}]`,
			replies: []string{`[{"jsonrpc":"2.0","result":"kamgo 0.1","id":1},{"jsonrpc":"2.0","error":{"code":500,"message":"Method Not Found"},"id":2}]`},
		},
		{
			name:    "empty batch",
			send:    `[]`,
			replies: []string{`{"jsonrpc":"2.0","error":{"code":-32600,"message":"Invalid Request"},"id":null}`},
		},
		{
			name:    "not an object",
			send:    "42\n", // a number ends where something else starts
			replies: []string{`{"jsonrpc":"2.0","error":{"code":-32600,"message":"Invalid Request"},"id":null}`},
		},
		{
			name:    "method not a string",
			send:    `{"jsonrpc":"2.0","method":5,"id":9}`,
			replies: []string{`{"jsonrpc":"2.0","error":{"code":-32600,"message":"Invalid Request: method must be a non-empty string"},"id":9}`},
		},
		{
			name:    "bad id",
			send:    `{"jsonrpc":"2.0","method":"test.version","id":{}}`,
			replies: []string{`{"jsonrpc":"2.0","error":{"code":-32600,"message":"Invalid Request: bad id"},"id":null}`},
		},
		{
			name:    "wrong version",
			send:    `{"jsonrpc":"1.0","method":"test.version","id":1}`,
			replies: []string{`{"jsonrpc":"2.0","error":{"code":-32600,"message":"Invalid Request: jsonrpc must be \"2.0\""},"id":1}`},
		},
		{
			name:    "no version, as Kamailio accepts",
			send:    `{"method":"test.version","id":1}`,
			replies: []string{`{"jsonrpc":"2.0","result":"kamgo 0.1","id":1}`},
		},
		{
			name:    "scalar params",
			send:    `{"jsonrpc":"2.0","method":"test.echo","params":"x","id":1}`,
			replies: []string{`{"jsonrpc":"2.0","error":{"code":400,"message":"Invalid Parameters: params must be an array or an object"},"id":1}`},
		},
		{
			name: "malformed JSON after a good request",
			send: `{"jsonrpc":"2.0","method":"test.version","id":1}{"jsonrpc":"2.0",,}`,
			replies: []string{
				`{"jsonrpc":"2.0","result":"kamgo 0.1","id":1}`,
				`{"jsonrpc":"2.0","error":{"code":-32700,"message":"Parse error"},"id":null}`,
			},
			closed: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rc := dialRaw(t, path)
			rc.send(tt.send)
			for _, want := range tt.replies {
				if got := rc.reply(); got != want {
					t.Errorf("reply\n got %s\nwant %s", got, want)
				}
			}
			if tt.closed {
				if got := rc.reply(); got != "" {
					t.Errorf("extra reply %s; want the connection closed", got)
				}
				return
			}
			// The connection still works.
			rc.send(`{"jsonrpc":"2.0","method":"test.version","id":"after"}`)
			if got, want := rc.reply(), `{"jsonrpc":"2.0","result":"kamgo 0.1","id":"after"}`; got != want {
				t.Errorf("follow-up reply\n got %s\nwant %s", got, want)
			}
		})
	}
}

func TestRequestTooLarge(t *testing.T) {
	s, _ := newTestServer(t)
	s.MaxRequestBytes = 1000
	path := listen(t, s)
	rc := dialRaw(t, path)
	// A request within the limit, then one over it.
	rc.send(`{"jsonrpc":"2.0","method":"test.echo","params":["` + strings.Repeat("a", 900) + `"],"id":1}`)
	if got := rc.reply(); !strings.HasPrefix(got, `{"jsonrpc":"2.0","result":["aaa`) {
		t.Errorf("reply to a request within the limit: %.80s", got)
	}
	rc.send(`{"jsonrpc":"2.0","method":"test.echo","params":["` + strings.Repeat("a", 2000) + `"],"id":2}`)
	want := `{"jsonrpc":"2.0","error":{"code":-32600,"message":"Request Too Large (limit 1000 bytes)"},"id":null}`
	if got := rc.reply(); got != want {
		t.Errorf("reply\n got %s\nwant %s", got, want)
	}
	if got := rc.reply(); got != "" {
		t.Errorf("extra reply %s; want the connection closed", got)
	}
}

func TestIdleTimeoutClosesConnection(t *testing.T) {
	s, _ := newTestServer(t)
	s.IdleTimeout = 50 * time.Millisecond
	path := listen(t, s)
	rc := dialRaw(t, path)
	rc.send(`{"jsonrpc":"2.0","method":"test.v`) // and nothing more
	if got := rc.reply(); got != "" {
		t.Errorf("got reply %s; want the connection closed", got)
	}
}

func TestMaxConns(t *testing.T) {
	s, _ := newTestServer(t)
	s.MaxConns = 2
	path := listen(t, s)
	held := []*rawConn{dialRaw(t, path), dialRaw(t, path)}
	// Make sure both are being served before the third arrives.
	for _, rc := range held {
		rc.send(`{"jsonrpc":"2.0","method":"test.version","id":1}`)
		if got := rc.reply(); !strings.Contains(got, "kamgo 0.1") {
			t.Fatalf("reply %s", got)
		}
	}
	third := dialRaw(t, path)
	want := `{"jsonrpc":"2.0","error":{"code":503,"message":"Too Many Connections"},"id":null}`
	if got := third.reply(); got != want {
		t.Errorf("third connection got %s, want %s", got, want)
	}
	// A slot freed is a slot usable again.
	held[0].c.Close()
	ctx := testCtx(t)
	var err error
	for range 200 {
		if _, err = CallSocket(ctx, path, "test.version", nil); err == nil {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err != nil {
		t.Errorf("no connection accepted after one was closed: %v", err)
	}
}

func TestCloseRemovesSocket(t *testing.T) {
	s, _ := newTestServer(t)
	path := filepath.Join(socketDir(t), "sub", "kamgo_rpc.sock")
	if err := s.Listen(path); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Type() != os.ModeSocket || fi.Mode().Perm() != 0o660 {
		t.Errorf("socket mode %v, want a socket with 0660", fi.Mode())
	}
	// An open, idle connection must not keep Close waiting.
	rc := dialRaw(t, path)
	rc.send(`{"jsonrpc":"2.0","method":"test.version","id":1}`)
	rc.reply()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Lstat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("socket file still there after Close: %v", err)
	}
	if got := rc.reply(); got != "" {
		t.Errorf("connection still answering after Close: %s", got)
	}
	if err := s.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if err := s.Listen(path); err == nil {
		t.Error("Listen after Close succeeded")
	}
	if _, err := CallSocket(testCtx(t), path, "test.version", nil); !errors.Is(err, ErrUnreachable) {
		t.Errorf("CallSocket after Close: %v, want ErrUnreachable", err)
	}
}

func TestStaleSocketReplaced(t *testing.T) {
	path := filepath.Join(socketDir(t), "kamgo_rpc.sock")
	// A socket file left behind by a process that died: bound, not listening.
	stale, err := net.ListenUnix("unix", &net.UnixAddr{Name: path, Net: "unix"})
	if err != nil {
		t.Fatal(err)
	}
	stale.SetUnlinkOnClose(false)
	stale.Close()
	if _, err := os.Lstat(path); err != nil {
		t.Fatalf("stale socket file missing: %v", err)
	}
	s, _ := newTestServer(t)
	if err := s.Listen(path); err != nil {
		t.Fatalf("Listen over a stale socket: %v", err)
	}
	defer s.Close()
	if _, err := CallSocket(testCtx(t), path, "test.version", nil); err != nil {
		t.Fatal(err)
	}
	// A live socket is not taken over.
	other, _ := newTestServer(t)
	if err := other.Listen(path); err == nil || !strings.Contains(err.Error(), "another process is serving") {
		t.Errorf("Listen over a live socket: %v, want refusal", err)
	}
	other.Close()
	if _, err := CallSocket(testCtx(t), path, "test.version", nil); err != nil {
		t.Errorf("the first server stopped answering: %v", err)
	}
}

func TestListenRefusesNonSocket(t *testing.T) {
	path := filepath.Join(socketDir(t), "kamgo_rpc.sock")
	if err := os.WriteFile(path, []byte("data"), 0o644); err != nil {
		t.Fatal(err)
	}
	s := NewServer(nil)
	defer s.Close()
	if err := s.Listen(path); err == nil || !strings.Contains(err.Error(), "not a socket") {
		t.Errorf("Listen over a regular file: %v, want refusal", err)
	}
	if b, err := os.ReadFile(path); err != nil || string(b) != "data" {
		t.Errorf("the regular file was touched: %q, %v", b, err)
	}
}

func TestClientSeveralCalls(t *testing.T) {
	s, _ := newTestServer(t)
	path := listen(t, s)
	ctx := testCtx(t)
	c, err := Dial(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	for i := range 5 {
		got, err := c.Call(ctx, "test.add", []any{i, 1})
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != fmt.Sprint(i+1) {
			t.Errorf("call %d: %s", i, got)
		}
	}
	// An error reply leaves the connection usable.
	if _, err := c.Call(ctx, "nope", nil); err == nil {
		t.Error("unknown method succeeded")
	}
	if _, err := c.Call(ctx, "test.version", nil); err != nil {
		t.Errorf("call after an error reply: %v", err)
	}
}

func TestClientCancel(t *testing.T) {
	release := make(chan struct{})
	s := NewServer(nil)
	if err := s.Register("test.block", "", func([]any) (any, error) { <-release; return nil, nil }); err != nil {
		t.Fatal(err)
	}
	path := listen(t, s)
	t.Cleanup(func() { close(release) }) // runs before Close: unblock the handler
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err := CallSocket(ctx, path, "test.block", nil)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("error %v, want the context's deadline", err)
	}
}

func TestDefaultSocketPath(t *testing.T) {
	if got, want := DefaultSocketPath("/var/run/x"), "/var/run/x/kamgo_rpc.sock"; got != want {
		t.Errorf("DefaultSocketPath with rundir = %s, want %s", got, want)
	}
	writableDir := filepath.Join(t.TempDir(), "run", "kamgo")
	if got, want := defaultSocketPath("", writableDir), filepath.Join(writableDir, "kamgo_rpc.sock"); got != want {
		t.Errorf("with a creatable system dir: %s, want %s", got, want)
	}
	if os.Getuid() != 0 { // root may write anywhere
		readOnly := t.TempDir()
		if err := os.Chmod(readOnly, 0o555); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { os.Chmod(readOnly, 0o755) })
		want := filepath.Join(os.TempDir(), fmt.Sprintf("kamgo-%d", os.Getuid()), "kamgo_rpc.sock")
		if got := defaultSocketPath("", filepath.Join(readOnly, "kamgo")); got != want {
			t.Errorf("with an unwritable system dir: %s, want %s", got, want)
		}
	}
	notDir := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(notDir, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	want := filepath.Join(os.TempDir(), fmt.Sprintf("kamgo-%d", os.Getuid()), "kamgo_rpc.sock")
	if got := defaultSocketPath("", notDir); got != want {
		t.Errorf("with a system dir that is a file: %s, want %s", got, want)
	}
	// Daemon and client must agree.
	if a, b := DefaultSocketPath(""), DefaultSocketPath(""); a != b {
		t.Errorf("DefaultSocketPath differs between calls: %s, %s", a, b)
	}
}

func TestParamHelpers(t *testing.T) {
	params := []any{"abc", json.Number("42"), json.Number("1.5"), true, nil, "17", 9, int64(8), 3.0}
	strTests := []struct {
		i       int
		want    string
		wantErr bool
	}{
		{0, "abc", false}, {1, "42", false}, {2, "1.5", false}, {3, "", true}, {4, "", true},
		{6, "9", false}, {7, "8", false}, {99, "", true}, {-1, "", true},
	}
	for _, tt := range strTests {
		got, err := StringParam(params, tt.i)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("StringParam(%d) = %q, %v; want %q, error %v", tt.i, got, err, tt.want, tt.wantErr)
		}
	}
	intTests := []struct {
		i       int
		want    int
		wantErr bool
	}{
		{0, 0, true}, {1, 42, false}, {2, 0, true}, {3, 0, true}, {4, 0, true},
		{5, 17, false}, {6, 9, false}, {7, 8, false}, {8, 3, false}, {99, 0, true},
	}
	for _, tt := range intTests {
		got, err := IntParam(params, tt.i)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("IntParam(%d) = %d, %v; want %d, error %v", tt.i, got, err, tt.want, tt.wantErr)
		}
		var rpcErr *Error
		if err != nil && (!errors.As(err, &rpcErr) || rpcErr.Code != 400) {
			t.Errorf("IntParam(%d) error %v is not a code 400 *Error", tt.i, err)
		}
	}
}

func TestObjectKeepsOrder(t *testing.T) {
	got, err := json.Marshal(Object{{"z", 1}, {"a", Object{{"y", "s"}, {"b", []int{1}}}}, {"m", nil}})
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"z":1,"a":{"y":"s","b":[1]},"m":null}`; string(got) != want {
		t.Errorf("got %s, want %s", got, want)
	}
	if _, err := json.Marshal(Object{{"c", make(chan int)}}); err == nil {
		t.Error("an unencodable member encoded")
	}
}

func TestHandleJSONNotification(t *testing.T) {
	s, _ := newTestServer(t)
	called := false
	if err := s.Register("test.mark", "", func([]any) (any, error) { called = true; return nil, nil }); err != nil {
		t.Fatal(err)
	}
	if got := s.HandleJSON([]byte(`{"jsonrpc":"2.0","method":"test.mark"}`)); got != nil {
		t.Errorf("notification answered with %s", got)
	}
	if !called {
		t.Error("notification did not run the method")
	}
	if got := s.HandleJSON([]byte(`{"jsonrpc":"2.0","method":"nope"}`)); got != nil {
		t.Errorf("notification of an unknown method answered with %s", got)
	}
	want := `{"jsonrpc":"2.0","error":{"code":-32700,"message":"Parse error"},"id":null}` + "\n"
	if got := s.HandleJSON([]byte(`{"jsonrpc":"2.0","method":"x","id":1} trailing`)); string(got) != want {
		t.Errorf("trailing garbage: %s", got)
	}
}

func BenchmarkHandleJSON(b *testing.B) {
	s := NewServer(nil)
	if err := s.Register("test.stats", "", func([]any) (any, error) {
		return Object{{"current", 3}, {"total", 10}, {"name", "tm"}}, nil
	}); err != nil {
		b.Fatal(err)
	}
	req := []byte(`{"jsonrpc":"2.0","method":"test.stats","params":["a",1],"id":1}`)
	b.ReportAllocs()
	for b.Loop() {
		if s.HandleJSON(req) == nil {
			b.Fatal("no reply")
		}
	}
}
