//go:build unix

// Package sipp runs SIPp load against a SIP server for kamgo's tests and
// benchmarks: a stateless OPTIONS scenario at a fixed rate over one UDP
// socket, and the final statistics SIPp wrote.
package sipp

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
	"strconv"
	"strings"
	"syscall"
	"time"
)

// OptionsScenario sends one OPTIONS per call and expects a 200 within 5 s;
// UDP retransmissions start at 500 ms as RFC 3261's T1.
const OptionsScenario = `<?xml version="1.0" encoding="ISO-8859-1" ?>
<!DOCTYPE scenario SYSTEM "sipp.dtd">
<scenario name="kamgo OPTIONS answered 200">
  <send retrans="500">
    <![CDATA[

      OPTIONS sip:[service]@[remote_ip]:[remote_port] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      From: sipp <sip:sipp@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
      To: <sip:[service]@[remote_ip]:[remote_port]>
      Call-ID: [call_id]
      CSeq: 1 OPTIONS
      Max-Forwards: 70
      Contact: <sip:sipp@[local_ip]:[local_port]>
      Content-Length: 0

    ]]>
  </send>
  <recv response="200" timeout="5000"/>
</scenario>
`

// Load describes one SIPp run of OptionsScenario.
type Load struct {
	Binary  string         // path of sipp; "" looks it up in PATH
	Server  netip.AddrPort // where the OPTIONS go (UDP)
	Calls   int            // -m: OPTIONS to send
	Rate    int            // -r: OPTIONS per second
	Timeout time.Duration  // -timeout with -timeout_error, and the bound on the process
	Dir     string         // folder for the scenario, statistics and error files
	// LocalPort is SIPp's own port (-p). 0 lets Run pick a free one: SIPp
	// would otherwise take 5060, where any other local test's stray
	// replies land.
	LocalPort int
}

// Result is what a SIPp run left behind.
type Result struct {
	ExitCode        int // 0: every call succeeded; 1: at least one failed; others: SIPp errors
	Created         int // TotalCallCreated
	Successful      int // SuccessfulCall(C)
	Failed          int // FailedCall(C)
	Retransmissions int // Retransmissions(C)
	Elapsed         time.Duration
	Stats           map[string]string // the last statistics row, by column name
	Output          []byte            // SIPp's screen output (last 16 KiB)
	Errors          []byte            // the error file (first 16 KiB)
}

// keepBytes bounds the output and error text a Result carries.
const keepBytes = 16 << 10

// Lookup returns the path of the sipp binary, or an error when it is not
// installed.
func Lookup() (string, error) {
	path, err := exec.LookPath("sipp")
	if err != nil {
		return "", fmt.Errorf("sipp is not installed: %w", err)
	}
	return path, nil
}

// Args returns SIPp's command line for l, with files under l.Dir.
func (l Load) Args() []string {
	return []string{
		l.Server.String(),
		"-sf", filepath.Join(l.Dir, "options.xml"),
		"-t", "u1", // one UDP socket for every call
		"-i", l.Server.Addr().String(),
		"-p", strconv.Itoa(l.LocalPort),
		"-r", strconv.Itoa(l.Rate),
		"-m", strconv.Itoa(l.Calls),
		"-nostdin",
		"-timeout", fmt.Sprintf("%ds", int((l.Timeout+time.Second-1)/time.Second)),
		"-timeout_error",
		"-trace_stat", "-stf", filepath.Join(l.Dir, "stat.csv"), "-fd", "1",
		"-trace_err", "-error_file", filepath.Join(l.Dir, "errors.log"),
	}
}

// Run runs SIPp for l and returns its statistics. A run where calls fail
// is not an error (the Result says so); a SIPp that cannot start, is
// killed, or leaves no statistics is.
func Run(ctx context.Context, l Load) (Result, error) {
	if l.Calls <= 0 || l.Rate <= 0 || l.Timeout <= 0 || l.Dir == "" || !l.Server.IsValid() {
		return Result{}, fmt.Errorf("sipp: incomplete load %+v", l)
	}
	binary := l.Binary
	if binary == "" {
		var err error
		if binary, err = Lookup(); err != nil {
			return Result{}, err
		}
	}
	if l.LocalPort == 0 {
		port, err := FreeUDPPort(l.Server.Addr())
		if err != nil {
			return Result{}, err
		}
		l.LocalPort = port
	}
	if err := os.WriteFile(filepath.Join(l.Dir, "options.xml"), []byte(OptionsScenario), 0o644); err != nil {
		return Result{}, fmt.Errorf("sipp: writing the scenario: %w", err)
	}
	// SIPp stops itself at -timeout; the extra time lets it write its
	// final statistics before the context kills it.
	ctx, cancel := context.WithTimeout(ctx, l.Timeout+10*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary, l.Args()...)
	cmd.Dir = l.Dir
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = 2 * time.Second
	var output bytes.Buffer
	cmd.Stdout, cmd.Stderr = &output, &output

	start := time.Now()
	runErr := cmd.Run()
	res := Result{ExitCode: -1, Elapsed: time.Since(start), Output: tail(output.Bytes(), keepBytes)}
	if errFile, err := os.ReadFile(filepath.Join(l.Dir, "errors.log")); err == nil {
		res.Errors = errFile[:min(len(errFile), keepBytes)]
	}
	var exitErr *exec.ExitError
	switch {
	case ctx.Err() != nil:
		return res, fmt.Errorf("sipp: killed after %v: %w\n%s", res.Elapsed, ctx.Err(), res.Output)
	case runErr == nil:
		res.ExitCode = 0
	case errors.As(runErr, &exitErr) && exitErr.Exited():
		res.ExitCode = exitErr.ExitCode()
	default:
		return res, fmt.Errorf("sipp: running %s: %w", binary, runErr)
	}
	csv, err := os.ReadFile(filepath.Join(l.Dir, "stat.csv"))
	if err != nil {
		return res, fmt.Errorf("sipp: exit code %d and no statistics: %w\n%s", res.ExitCode, err, res.Output)
	}
	if res.Stats, err = ParseStats(csv); err != nil {
		return res, err
	}
	for name, dst := range map[string]*int{
		"TotalCallCreated":   &res.Created,
		"SuccessfulCall(C)":  &res.Successful,
		"FailedCall(C)":      &res.Failed,
		"Retransmissions(C)": &res.Retransmissions,
	} {
		if *dst, err = strconv.Atoi(res.Stats[name]); err != nil {
			return res, fmt.Errorf("sipp: statistics column %s = %q: %w", name, res.Stats[name], err)
		}
	}
	return res, nil
}

// ParseStats returns the last row of a SIPp statistics file (-trace_stat,
// ';'-separated with a header row) by column name.
func ParseStats(csv []byte) (map[string]string, error) {
	lines := strings.Split(strings.TrimRight(string(csv), "\r\n"), "\n")
	if len(lines) < 2 {
		return nil, fmt.Errorf("sipp: statistics file has %d lines, want a header and a row", len(lines))
	}
	names := strings.Split(strings.TrimSuffix(lines[0], ";"), ";")
	values := strings.Split(strings.TrimSuffix(lines[len(lines)-1], ";"), ";")
	if len(values) != len(names) {
		return nil, fmt.Errorf("sipp: statistics row has %d fields for %d columns", len(values), len(names))
	}
	stats := make(map[string]string, len(names))
	for i, name := range names {
		stats[name] = values[i]
	}
	return stats, nil
}

func tail(b []byte, n int) []byte {
	if len(b) > n {
		return b[len(b)-n:]
	}
	return b
}

// FreeUDPPort returns a UDP port of addr that is free now.
func FreeUDPPort(addr netip.Addr) (int, error) {
	c, err := net.ListenUDP("udp", net.UDPAddrFromAddrPort(netip.AddrPortFrom(addr, 0)))
	if err != nil {
		return 0, fmt.Errorf("sipp: finding a free port: %w", err)
	}
	defer c.Close()
	return c.LocalAddr().(*net.UDPAddr).Port, nil
}
