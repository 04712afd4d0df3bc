//go:build unix

package daemon

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/kamgo/kamgo/tests/sipclient"
)

// kamgoBinary is the kamgo executable TestMain builds; it is set once,
// before any test runs, and only read afterwards.
var kamgoBinary string

const (
	buildTimeout = 5 * time.Minute
	// readyTimeout bounds the wait for the pidfile, which the daemon writes
	// once every socket is bound and the workers run.
	readyTimeout = 10 * time.Second
	// stopTimeout bounds the wait for exit after SIGTERM.
	stopTimeout = 10 * time.Second
	// replyTimeout bounds the wait for one SIP response on loopback.
	replyTimeout = 5 * time.Second
	// maxLog bounds what is kept of the daemon's output.
	maxLog = 32 << 20
)

func TestMain(m *testing.M) {
	os.Exit(runTests(m))
}

func runTests(m *testing.M) int {
	binDir, err := os.MkdirTemp("", "kamgo-daemon-tests-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "tests/daemon:", err)
		return 1
	}
	defer os.RemoveAll(binDir)
	kamgoBinary = filepath.Join(binDir, "kamgo")
	ctx, cancel := context.WithTimeout(context.Background(), buildTimeout)
	defer cancel()
	out, err := exec.CommandContext(ctx, "go", "build", "-o", kamgoBinary, "github.com/kamgo/kamgo/cmd/kamgo").CombinedOutput()
	if err != nil {
		fmt.Fprintf(os.Stderr, "tests/daemon: go build ./cmd/kamgo: %v\n%s", err, out)
		return 1
	}
	return m.Run()
}

// freePort returns a loopback port number that is free for both UDP and
// TCP right now (both are bound once to make sure).
func freePort(t *testing.T) int {
	t.Helper()
	for range 50 {
		udp, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
		if err != nil {
			t.Fatalf("binding a UDP port: %v", err)
		}
		port := udp.LocalAddr().(*net.UDPAddr).Port
		tcp, err := net.ListenTCP("tcp", &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: port})
		udp.Close()
		if err != nil {
			continue
		}
		tcp.Close()
		return port
	}
	t.Fatal("no port free for both UDP and TCP in 50 tries")
	return 0
}

// logBuffer collects the daemon's output and wakes up waiters on every
// write.
type logBuffer struct {
	mu      sync.Mutex
	buf     bytes.Buffer
	changed chan struct{} // closed and replaced on every write
}

func newLogBuffer() *logBuffer { return &logBuffer{changed: make(chan struct{})} }

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if room := maxLog - l.buf.Len(); room > 0 {
		l.buf.Write(p[:min(len(p), room)])
	}
	close(l.changed)
	l.changed = make(chan struct{})
	return len(p), nil
}

// snapshot returns the output so far and a channel closed at the next write.
func (l *logBuffer) snapshot() (string, <-chan struct{}) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String(), l.changed
}

// daemon is one running `kamgo run`.
type daemon struct {
	cfgPath string
	port    int    // the UDP and TCP listen port
	rundir  string // holds kamgo_rpc.sock
	cmd     *exec.Cmd
	log     *logBuffer
	exited  chan struct{} // closed when the process has been waited for
	waitErr error         // the result of Wait, valid once exited is closed
}

// config is what a test puts into a daemon's config besides the globals
// the harness writes (debug, children, rundir, listen lines).
type config struct {
	children int      // 0 means 2
	noTCP    bool     // listen on UDP only
	script   string   // loadmodule lines, modparams and routes
	args     []string // more command-line arguments for `kamgo run`
}

// render returns the config text for a daemon on port with rundir.
func (c config) render(port int, rundir string) string {
	children := c.children
	if children == 0 {
		children = 2
	}
	var b strings.Builder
	fmt.Fprintf(&b, "#!KAMAILIO\ndebug=2\nchildren=%d\nrundir=%q\n", children, rundir)
	fmt.Fprintf(&b, "listen=udp:127.0.0.1:%d\n", port)
	if !c.noTCP {
		fmt.Fprintf(&b, "listen=tcp:127.0.0.1:%d\n", port)
	}
	b.WriteString(c.script)
	return b.String()
}

// writeFile writes text to name in a fresh temporary folder and returns
// its path.
func writeFile(t *testing.T, name, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// shortTempDir returns a fresh folder with a short path (UNIX socket paths
// are limited to 107 bytes, and t.TempDir carries the test's name).
func shortTempDir(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "kg")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}

// startDaemon writes c, runs `kamgo run -f CFG -E -D -P PIDFILE` and waits
// for the pidfile. The daemon is killed when the test ends, whatever
// happened; stop ends it cleanly. A port taken by someone else between
// freePort and the daemon's bind is retried with another port.
func startDaemon(t *testing.T, c config) *daemon {
	t.Helper()
	for attempt := 1; ; attempt++ {
		d, err := tryStartDaemon(t, c)
		if err == nil {
			return d
		}
		if attempt < 3 && strings.Contains(d.output(), "address already in use") {
			continue
		}
		t.Fatalf("%v; config:\n%s\noutput:\n%s", err, c.render(d.port, d.rundir), d.output())
	}
}

func tryStartDaemon(t *testing.T, c config) (*daemon, error) {
	t.Helper()
	port := freePort(t)
	rundir := shortTempDir(t)
	d := &daemon{port: port, rundir: rundir, log: newLogBuffer(), exited: make(chan struct{})}
	d.cfgPath = writeFile(t, "kamgo.cfg", c.render(port, rundir))
	pidfile := filepath.Join(rundir, "kamgo.pid")
	d.start(t, append([]string{"run", "-f", d.cfgPath, "-E", "-D", "-P", pidfile}, c.args...)...)

	deadline := time.After(readyTimeout)
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-d.exited:
			return d, fmt.Errorf("kamgo exited before it was ready (%v)", d.waitErr)
		case <-deadline:
			return d, fmt.Errorf("kamgo wrote no pidfile within %v", readyTimeout)
		case <-tick.C:
			if pid, err := os.ReadFile(pidfile); err == nil && len(bytes.TrimSpace(pid)) > 0 {
				if want := fmt.Sprint(d.cmd.Process.Pid); strings.TrimSpace(string(pid)) != want {
					return d, fmt.Errorf("pidfile holds %q, the daemon is %s", pid, want)
				}
				return d, nil
			}
		}
	}
}

// start runs the binary with args in its own process group and arranges
// for it to be killed at the end of the test.
func (d *daemon) start(t *testing.T, args ...string) {
	t.Helper()
	d.cmd = exec.Command(kamgoBinary, args...)
	d.cmd.Stdout, d.cmd.Stderr = d.log, d.log
	d.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := d.cmd.Start(); err != nil {
		t.Fatalf("starting kamgo: %v", err)
	}
	go func() {
		d.waitErr = d.cmd.Wait()
		close(d.exited)
	}()
	t.Cleanup(func() {
		select {
		case <-d.exited:
			return
		default:
		}
		// A negative pid signals the whole process group.
		_ = syscall.Kill(-d.cmd.Process.Pid, syscall.SIGKILL)
		select {
		case <-d.exited:
		case <-time.After(stopTimeout):
			t.Errorf("kamgo (pid %d) survived SIGKILL", d.cmd.Process.Pid)
		}
	})
}

// output returns everything the daemon printed so far.
func (d *daemon) output() string {
	s, _ := d.log.snapshot()
	return s
}

// udpAddr and tcpAddr are where the daemon listens.
func (d *daemon) udpAddr() netip.AddrPort {
	return netip.AddrPortFrom(netip.AddrFrom4([4]byte{127, 0, 0, 1}), uint16(d.port))
}

func (d *daemon) tcpAddr() netip.AddrPort { return d.udpAddr() }

// waitLog waits up to timeout until the daemon's output holds substr and
// returns the line it is in; it fails the test otherwise.
func (d *daemon) waitLog(t *testing.T, substr string, timeout time.Duration) string {
	t.Helper()
	line, err := d.waitLogErr(substr, timeout)
	if err != nil {
		t.Fatalf("%v; output:\n%s", err, d.output())
	}
	return line
}

func (d *daemon) waitLogErr(substr string, timeout time.Duration) (string, error) {
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		out, changed := d.log.snapshot()
		if i := strings.Index(out, substr); i >= 0 {
			start := strings.LastIndexByte(out[:i], '\n') + 1
			end := len(out)
			if j := strings.IndexByte(out[i:], '\n'); j >= 0 {
				end = i + j
			}
			return out[start:end], nil
		}
		select {
		case <-changed:
		case <-d.exited:
			// Output is complete once the process was waited for.
			if out, _ := d.log.snapshot(); strings.Contains(out, substr) {
				continue
			}
			return "", fmt.Errorf("kamgo exited (%v) without printing %q", d.waitErr, substr)
		case <-deadline.C:
			return "", fmt.Errorf("kamgo did not print %q within %v", substr, timeout)
		}
	}
}

// signal sends sig to the daemon and waits for it to exit; it returns the
// exit code (-1 when killed by a signal).
func (d *daemon) signal(t *testing.T, sig syscall.Signal) int {
	t.Helper()
	if err := d.cmd.Process.Signal(sig); err != nil {
		t.Fatalf("sending %v: %v", sig, err)
	}
	select {
	case <-d.exited:
	case <-time.After(stopTimeout):
		t.Fatalf("kamgo did not exit within %v of %v; output:\n%s", stopTimeout, sig, d.output())
	}
	var exitErr *exec.ExitError
	switch {
	case d.waitErr == nil:
		return 0
	case errors.As(d.waitErr, &exitErr):
		return exitErr.ExitCode()
	default:
		t.Fatalf("waiting for kamgo: %v", d.waitErr)
		return -1
	}
}

// stop ends the daemon with SIGTERM and checks that it exits with 0.
func (d *daemon) stop(t *testing.T) {
	t.Helper()
	if code := d.signal(t, syscall.SIGTERM); code != 0 {
		t.Fatalf("kamgo exited with %d after SIGTERM, want 0; output:\n%s", code, d.output())
	}
}

// alive checks that the daemon still answers an OPTIONS over UDP.
func (d *daemon) alive(t *testing.T) {
	t.Helper()
	c := d.udpClient(t)
	resp, err := c.Options(replyTimeout)
	if err != nil {
		t.Fatalf("kamgo no longer answers OPTIONS: %v; output:\n%s", err, d.output())
	}
	if resp.StatusCode != 200 {
		t.Fatalf("OPTIONS answered %d, want 200:\n%s", resp.StatusCode, resp.Raw)
	}
}

// udpClient and tcpClient open clients to the daemon, closed at the end of
// the test.
func (d *daemon) udpClient(t *testing.T) *sipclient.Client {
	t.Helper()
	c, err := sipclient.DialUDP(d.udpAddr())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func (d *daemon) tcpClient(t *testing.T) *sipclient.Client {
	t.Helper()
	c, err := sipclient.DialTCP(d.tcpAddr(), replyTimeout)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// runKamgo runs the kamgo binary with args to completion (bounded) and
// returns its exit code, stdout and stderr.
func runKamgo(t *testing.T, timeout time.Duration, args ...string) (int, string, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, kamgoBinary, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var exitErr *exec.ExitError
	switch {
	case ctx.Err() != nil:
		t.Fatalf("kamgo %s: no exit within %v; stderr:\n%s", strings.Join(args, " "), timeout, stderr.String())
	case err == nil:
		return 0, stdout.String(), stderr.String()
	case errors.As(err, &exitErr) && exitErr.Exited():
		return exitErr.ExitCode(), stdout.String(), stderr.String()
	default:
		t.Fatalf("kamgo %s: %v", strings.Join(args, " "), err)
	}
	return -1, "", ""
}
