package rpc

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
	"time"
)

// ErrUnreachable wraps the error of a client that could not connect to the
// control socket (no such file, nobody listening, no permission).
var ErrUnreachable = errors.New("cannot reach the control socket")

// MaxReplyBytes bounds one reply a client reads; statistics dumps are large
// but not this large.
const MaxReplyBytes = 64 << 20

// systemRunDir is where a daemon run by root (or a user who may write there)
// puts its socket when no rundir is configured.
const systemRunDir = "/run/kamgo"

// DefaultSocketPath is the control socket's path: in rundir when one is
// given, else in /run/kamgo when that directory exists or can be created and
// is writable by this user, else in a per-user directory under the temporary
// directory. The daemon and a client run by the same user get the same
// answer.
func DefaultSocketPath(rundir string) string {
	return defaultSocketPath(rundir, systemRunDir)
}

func defaultSocketPath(rundir, systemDir string) string {
	if rundir != "" {
		return filepath.Join(rundir, socketName)
	}
	if err := os.MkdirAll(systemDir, 0o755); err == nil && writable(systemDir) {
		return filepath.Join(systemDir, socketName)
	}
	return filepath.Join(os.TempDir(), fmt.Sprintf("kamgo-%d", os.Getuid()), socketName)
}

// writable reports whether this process may create files in dir.
func writable(dir string) bool {
	const wOK = 2 // access(2)'s W_OK
	return syscall.Access(dir, wOK) == nil
}

// Client is a connection to a control socket that carries calls one after
// another. It is safe for concurrent use; calls are serialised.
type Client struct {
	path   string
	mu     sync.Mutex
	conn   net.Conn
	dec    *json.Decoder
	nextID int64
}

// Dial connects to the control socket at path. A failure wraps
// ErrUnreachable.
func Dial(ctx context.Context, path string) (*Client, error) {
	var d net.Dialer
	c, err := d.DialContext(ctx, "unix", path)
	if err != nil {
		// The path is in the message already; keep only the cause.
		var opErr *net.OpError
		if errors.As(err, &opErr) && opErr.Err != nil {
			err = opErr.Err
		}
		return nil, fmt.Errorf("%w %s: %w", ErrUnreachable, path, err)
	}
	return &Client{
		path: path,
		conn: c,
		dec:  json.NewDecoder(io.LimitReader(c, MaxReplyBytes)),
	}, nil
}

// Close closes the connection.
func (c *Client) Close() error {
	return c.conn.Close()
}

// Call sends one request and returns the reply's result. An error reply is
// returned as a *Error. ctx's deadline and cancellation bound the exchange;
// after a failure other than an error reply the connection is unusable.
func (c *Client) Call(ctx context.Context, method string, params []any) (json.RawMessage, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.nextID++
	id := c.nextID
	req := struct {
		JSONRPC string `json:"jsonrpc"`
		Method  string `json:"method"`
		Params  []any  `json:"params,omitempty"`
		ID      int64  `json:"id"`
	}{JSONRPC: "2.0", Method: method, Params: params, ID: id}
	body, err := json.Marshal(req)
	if err != nil {
		return nil, fmt.Errorf("rpc %s: encoding request: %w", method, err)
	}
	deadline, _ := ctx.Deadline()
	if err := c.conn.SetDeadline(deadline); err != nil {
		return nil, fmt.Errorf("rpc %s on %s: %w", method, c.path, err)
	}
	// Cancellation unblocks the read or write by expiring the deadline.
	stop := context.AfterFunc(ctx, func() { _ = c.conn.SetDeadline(time.Unix(1, 0)) })
	defer stop()

	if _, err := c.conn.Write(append(body, '\n')); err != nil {
		return nil, c.ioError(ctx, method, "sending request", err)
	}
	var reply struct {
		Result json.RawMessage `json:"result"`
		Error  *Error          `json:"error"`
		ID     json.RawMessage `json:"id"`
	}
	if err := c.dec.Decode(&reply); err != nil {
		return nil, c.ioError(ctx, method, "reading reply", err)
	}
	if reply.Error != nil {
		return nil, reply.Error
	}
	if reply.Result == nil {
		return nil, fmt.Errorf("rpc %s on %s: reply has neither result nor error", method, c.path)
	}
	if got := string(bytes.TrimSpace(reply.ID)); got != strconv.FormatInt(id, 10) {
		return nil, fmt.Errorf("rpc %s on %s: reply id %s does not match request id %d", method, c.path, got, id)
	}
	return reply.Result, nil
}

func (c *Client) ioError(ctx context.Context, method, doing string, err error) error {
	if ctxErr := ctx.Err(); ctxErr != nil {
		err = ctxErr
	} else if errors.Is(err, os.ErrDeadlineExceeded) {
		// The connection's deadline is the context's; it can expire a
		// moment before the context says so.
		err = context.DeadlineExceeded
	}
	if errors.Is(err, io.EOF) {
		err = fmt.Errorf("the server closed the connection: %w", err)
	}
	return fmt.Errorf("rpc %s on %s: %s: %w", method, c.path, doing, err)
}

// CallSocket connects to the control socket at path, calls method and
// closes the connection. It returns the result, a *Error for an error reply,
// or an error wrapping ErrUnreachable when the socket cannot be reached.
func CallSocket(ctx context.Context, path, method string, params []any) (json.RawMessage, error) {
	c, err := Dial(ctx, path)
	if err != nil {
		return nil, err
	}
	defer c.Close()
	return c.Call(ctx, method, params)
}
