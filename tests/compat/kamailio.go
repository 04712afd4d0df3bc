//go:build unix

package compat

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"time"
)

// KamailioEngine runs the installed Kamailio (5.6.3) with one UDP worker.
type KamailioEngine struct {
	Binary     string // path of the kamailio executable
	ModulesDir string // its module folder (-L)
	// ReadyTimeout bounds the start (until the first probe is answered);
	// MsgTimeout bounds each message. Zero means 20 s and 10 s.
	ReadyTimeout, MsgTimeout time.Duration
	// KeepDir, when set, receives a copy of every config run (debugging).
	KeepDir string
}

// FindKamailio locates the installed Kamailio and its modules.
func FindKamailio() (*KamailioEngine, error) {
	binary, err := exec.LookPath("kamailio")
	if err != nil {
		if _, statErr := os.Stat("/usr/sbin/kamailio"); statErr != nil {
			return nil, errors.New("kamailio is not installed")
		}
		binary = "/usr/sbin/kamailio"
	}
	dirs, _ := filepath.Glob("/usr/lib/*/kamailio/modules")
	for _, dir := range dirs {
		if _, err := os.Stat(filepath.Join(dir, "pv.so")); err == nil {
			return &KamailioEngine{Binary: binary, ModulesDir: dir}, nil
		}
	}
	return nil, fmt.Errorf("kamailio is at %s but its modules are not under /usr/lib/*/kamailio/modules", binary)
}

// Name implements Engine.
func (k *KamailioEngine) Name() string { return "kamailio" }

// logTag is the log_prefix of the config: Kamailio prints it on the lines
// logged while a message is processed, which tells them from start-up noise.
const logTag = "{KG} "

var (
	// taggedRE finds the start of a log line printed while processing a
	// message: " 1(1234) INFO: {KG} ". It is not anchored: an xlog text
	// without a final newline runs into the next line.
	taggedRE = regexp.MustCompile(` ?\d+\(\d+\) ([A-Z]+): \{KG\} `)
	// anyLogRE is the start of any other log line.
	anyLogRE = regexp.MustCompile(`^\s*\d+\(\d+\) [A-Z]+: `)
)

// logEntry is one parsed log line.
type logEntry struct {
	level  string
	script bool // printed by xlog (<script>)
	text   string
}

// globals returns the core settings the engine puts before the script.
func (k *KamailioEngine) globals(port int) string {
	return fmt.Sprintf(`#!KAMAILIO
debug=2
log_stderror=yes
log_prefix=%q
children=1
auto_aliases=no
disable_tcp=yes
listen=udp:127.0.0.1:%d
`, logTag, port)
}

// Run implements Engine.
func (k *KamailioEngine) Run(ctx context.Context, script string, msgs []string) (*Run, error) {
	var lastErr error
	for attempt := 0; attempt < 3; attempt++ {
		run, err, retry := k.runOnce(ctx, script, msgs)
		if err == nil || !retry || ctx.Err() != nil {
			return run, err
		}
		lastErr = err
	}
	return nil, lastErr
}

// freeUDPPort asks the kernel for a free UDP port on 127.0.0.1.
func freeUDPPort() (int, error) {
	c, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer c.Close()
	return c.LocalAddr().(*net.UDPAddr).Port, nil
}

// runOnce is one attempt of Run; retry says whether a failure may be a lost
// race for the port.
func (k *KamailioEngine) runOnce(ctx context.Context, script string, msgs []string) (_ *Run, _ error, retry bool) {
	readyTimeout, msgTimeout := k.ReadyTimeout, k.MsgTimeout
	if readyTimeout == 0 {
		readyTimeout = 20 * time.Second
	}
	if msgTimeout == 0 {
		msgTimeout = 10 * time.Second
	}
	dir, err := os.MkdirTemp("", "kamgo-compat-")
	if err != nil {
		return nil, err, false
	}
	defer os.RemoveAll(dir)

	port, err := freeUDPPort()
	if err != nil {
		return nil, err, false
	}
	client, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		return nil, err, false
	}
	defer client.Close()
	addrs := Addrs{ServerPort: port, ClientPort: client.LocalAddr().(*net.UDPAddr).Port}
	server := &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1), Port: port}

	cfg := filepath.Join(dir, "kamailio.cfg")
	text := k.globals(port) + "\n" + script + "\n" + MarkerReplyRoute
	if err := os.WriteFile(cfg, []byte(text), 0o644); err != nil {
		return nil, err, false
	}
	if k.KeepDir != "" {
		_ = os.WriteFile(filepath.Join(k.KeepDir, fmt.Sprintf("kamailio-%d.cfg", port)), []byte(text), 0o644)
	}
	cmd := exec.Command(k.Binary, "-f", cfg, "-L", k.ModulesDir, "-DD", "-E", "-n", "1",
		"-Y", dir, "-m", "64", "-M", "16")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), EnvName+"="+EnvValue)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	pr, pw := io.Pipe()
	cmd.Stdout, cmd.Stderr = pw, pw
	if err := cmd.Start(); err != nil {
		return nil, err, false
	}
	exited := make(chan struct{})
	go func() {
		_ = cmd.Wait()
		pw.Close()
		close(exited)
	}()
	defer func() {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(3 * time.Second):
			_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			<-exited
		}
	}()

	entries := make(chan logEntry, 1024)
	var tailMu sync.Mutex
	var tail []string // the last lines, for error reports
	go func() {
		defer close(entries)
		parseLog(pr, entries, func(line string) {
			tailMu.Lock()
			tail = append(tail, line)
			if len(tail) > 40 {
				tail = tail[1:]
			}
			tailMu.Unlock()
		})
	}()
	failure := func(format string, a ...any) error {
		tailMu.Lock()
		defer tailMu.Unlock()
		return fmt.Errorf("kamailio: %s\n%s", fmt.Sprintf(format, a...), strings.Join(tail, "\n"))
	}

	run, err := driveMessages(ctx, client, server, addrs, entries, failure, readyTimeout, msgTimeout, msgs)
	if errors.Is(err, errNotReady) {
		select {
		case <-exited:
			return nil, err, strings.Contains(err.Error(), "bind")
		default:
			return nil, err, false
		}
	}
	return run, err, false
}

// errNotReady wraps the error of a server that never answered a probe.
var errNotReady = errors.New("server not ready")

// driveMessages is the client side of the probe protocol (engine.go):
// probe until the server answers, then send every message followed by a
// probe and collect the script's log entries up to each marker.
func driveMessages(ctx context.Context, client *net.UDPConn, server *net.UDPAddr, addrs Addrs, entries <-chan logEntry,
	failure func(format string, a ...any) error, readyTimeout, msgTimeout time.Duration, msgs []string) (*Run, error) {
	seq := 0
	// wait sends nothing; it collects entries until the marker seq arrives.
	wait := func(want int, timeout time.Duration, resend func()) (Output, error) {
		var out Output
		timer := time.NewTimer(timeout)
		defer timer.Stop()
		tick := time.NewTicker(150 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return out, failure("%v", ctx.Err())
			case <-timer.C:
				return out, failure("no end marker %d after %v", want, timeout)
			case <-tick.C:
				if resend != nil {
					resend()
				}
			case e, ok := <-entries:
				if !ok {
					return out, failure("exited")
				}
				if e.script {
					if n, isMarker := parseMarker(e.text); isMarker {
						if resend != nil || n == want {
							return out, nil
						}
						continue
					}
					line := e.text
					if e.level != "INFO" {
						line = e.level + ": " + e.text
					}
					out.Lines = append(out.Lines, line)
				} else {
					out.Diags = append(out.Diags, e.level+": "+e.text)
				}
			}
		}
	}
	send := func(b []byte) {
		_, _ = client.WriteToUDP(b, server)
	}

	// Ready: probe until one probe is answered. Answers to probes that were
	// still in flight come before anything else and are skipped by wait.
	ping := func() { seq++; send(Probe(addrs, seq)) }
	ping()
	if _, err := wait(0, readyTimeout, ping); err != nil {
		return nil, fmt.Errorf("%w: %w", errNotReady, err)
	}
	run := &Run{Addrs: addrs}
	for i, m := range msgs {
		send(Expand(m, addrs))
		seq++
		send(Probe(addrs, seq))
		out, err := wait(seq, msgTimeout, nil)
		if err != nil {
			return nil, fmt.Errorf("message %d: %w", i+1, err)
		}
		run.Outputs = append(run.Outputs, out)
	}
	return run, nil
}

// parseLog reads Kamailio's log and sends the entries printed while a message
// was processed (those with the log prefix); every raw line also goes to raw.
func parseLog(r io.Reader, entries chan<- logEntry, raw func(string)) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 4*1024*1024)
	var pending *logEntry
	flush := func() {
		if pending != nil {
			entries <- *pending
			pending = nil
		}
	}
	for sc.Scan() {
		line := sc.Text()
		raw(line)
		locs := taggedRE.FindAllStringSubmatchIndex(line, -1)
		if len(locs) == 0 {
			if anyLogRE.MatchString(line) {
				flush() // an untagged log line: not ours, no continuation
				continue
			}
			if pending != nil {
				pending.text += "\n" + line
			}
			continue
		}
		if locs[0][0] > 0 {
			before := line[:locs[0][0]]
			if pending != nil {
				// the end of the pending entry, continued on this line
				pending.text += "\n" + before
			}
		}
		for i, loc := range locs {
			flush()
			end := len(line)
			if i+1 < len(locs) {
				end = locs[i+1][0]
			}
			level := line[loc[2]:loc[3]]
			text := line[loc[1]:end]
			e := logEntry{level: level}
			if rest, ok := strings.CutPrefix(text, "<script>: "); ok {
				e.script, e.text = true, rest
			} else {
				e.text = text
			}
			pending = &e
			if e.script {
				if _, isMarker := parseMarker(e.text); isMarker {
					flush()
				}
			}
		}
	}
	flush()
}
