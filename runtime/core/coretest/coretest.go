// Package coretest runs kamgo servers inside Go tests, as net/http/httptest
// runs HTTP servers: a config text loaded and started on loopback, its log
// readable while it runs, free ports, and UDP peers to talk to it. The
// server stops when the test ends.
package coretest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/kamgo/kamgo/lang/parser"
	"github.com/kamgo/kamgo/lang/preproc"
	"github.com/kamgo/kamgo/runtime/core"
	"github.com/kamgo/kamgo/runtime/logging"
)

// Log is a server's log (zerolog JSON lines) that a test can read while the
// server writes.
type Log struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *Log) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

// String returns what was logged so far.
func (l *Log) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// Load parses and loads a config text as `kamgo run` does, logging to log.
func Load(tb testing.TB, text string, log *logging.Logger) *core.Loaded {
	tb.Helper()
	cfg, res, d := parser.ParseSource("test.cfg", []byte(text), preproc.Options{})
	if d.HasErrors() {
		tb.Fatalf("parse: %v", d)
	}
	l, ld := core.Load(cfg, res, core.LoadOptions{Log: log})
	if l == nil {
		tb.Fatalf("load: %v", ld)
	}
	return l
}

// Start loads and starts a server on a config text (whose listen= lines
// say where; FreePort finds a port) and stops it when the test ends. The
// modules the config loads must be linked into the test binary.
func Start(tb testing.TB, text string) (*core.Server, *Log) {
	tb.Helper()
	return StartWith(tb, text, core.Options{NoRPC: true})
}

// StartWith is Start with server options (a control socket, a version).
func StartWith(tb testing.TB, text string, opts core.Options) (*core.Server, *Log) {
	tb.Helper()
	buf := &Log{}
	log := logging.New(zerolog.New(buf), logging.LInfo)
	l := Load(tb, text, log)
	set, d := core.ReadSettings(l, log)
	if d.HasErrors() {
		tb.Fatal(d)
	}
	opts.Log = log
	srv, err := core.New(l, set, opts)
	if err != nil {
		tb.Fatal(err)
	}
	if err := srv.Start(); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := srv.Shutdown(ctx); err != nil {
			tb.Errorf("shutdown: %v", err)
		}
	})
	return srv, buf
}

// FreePort finds a port of 127.0.0.1 free for both UDP and TCP.
func FreePort(tb testing.TB) int {
	tb.Helper()
	for range 20 {
		u, err := net.ListenPacket("udp", "127.0.0.1:0")
		if err != nil {
			tb.Fatal(err)
		}
		port := u.LocalAddr().(*net.UDPAddr).Port
		l, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", port))
		u.Close()
		if err == nil {
			l.Close()
			return port
		}
	}
	tb.Fatal("no free port")
	return 0
}

// UDPPeer opens a UDP socket on 127.0.0.1 (a client or a next hop), closed
// when the test ends, and returns it with its port.
func UDPPeer(tb testing.TB) (*net.UDPConn, int) {
	tb.Helper()
	c, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { c.Close() })
	return c, c.LocalAddr().(*net.UDPAddr).Port
}

// ReadUDP reads one datagram from c, failing the test after 3 s.
func ReadUDP(tb testing.TB, c *net.UDPConn) []byte {
	tb.Helper()
	buf := make([]byte, 65535)
	_ = c.SetReadDeadline(time.Now().Add(10 * time.Second))
	n, _, err := c.ReadFromUDPAddrPort(buf)
	if err != nil {
		tb.Fatalf("no message: %v", err)
	}
	return buf[:n]
}

// ScriptLines returns what xlog("L_INFO", …) printed into a log, without
// xlog's "<script>: " prefix (the server's own INFO lines are left out).
func ScriptLines(tb testing.TB, log string) []string {
	tb.Helper()
	var lines []string
	for _, l := range strings.Split(strings.TrimSpace(log), "\n") {
		if l == "" {
			continue
		}
		var ev map[string]any
		if err := json.Unmarshal([]byte(l), &ev); err != nil {
			tb.Fatalf("log line %q: %v", l, err)
		}
		msg, _ := ev["message"].(string)
		if text, ok := strings.CutPrefix(msg, "<script>: "); ok && ev["level"] == "info" {
			lines = append(lines, text)
		}
	}
	return lines
}
