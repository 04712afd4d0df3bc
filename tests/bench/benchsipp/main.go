//go:build linux

// Command benchsipp measures what stateless SIP load costs kamgo, and
// Kamailio when it is installed: the same SIPp OPTIONS scenario at a fixed
// rate against each server running an equivalent config (sl_send_reply 200,
// children=2, UDP only), and the CPU time the server's processes used
// during the load, read from /proc (utime+stime of every process of the
// server: kamgo's one process, Kamailio's main process and the children it
// forks). A fixed rate gives both servers the same work in the same time,
// so CPU seconds per 10,000 requests compare them fairly.
//
//	go run ./tests/bench/benchsipp [-calls 20000] [-rate 5000] [-runs 3]
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/kamgo/kamgo/tests/sipclient"
	"github.com/kamgo/kamgo/tests/sipclient/sipp"
)

// userHZ is the unit of utime and stime in /proc/PID/stat: USER_HZ, which
// Linux fixes at 100 on every architecture for what it reports to user
// space.
const userHZ = 100

// options are the command line.
type options struct {
	calls, rate, runs, children, warmup int
	kamgo, kamailio                     string
	skipKamailio                        bool
}

func main() {
	var o options
	flag.IntVar(&o.calls, "calls", 20000, "OPTIONS per measured run")
	flag.IntVar(&o.rate, "rate", 5000, "OPTIONS per second")
	flag.IntVar(&o.runs, "runs", 3, "measured runs per server (the median is reported)")
	flag.IntVar(&o.children, "children", 2, "UDP workers (children=) of each server")
	flag.IntVar(&o.warmup, "warmup", 2000, "OPTIONS sent before measuring")
	flag.StringVar(&o.kamgo, "kamgo", "", "kamgo binary (default: build ./cmd/kamgo)")
	flag.StringVar(&o.kamailio, "kamailio", "", "kamailio binary (default: kamailio in PATH)")
	flag.BoolVar(&o.skipKamailio, "no-kamailio", false, "measure kamgo only")
	flag.Parse()
	if err := run(o, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "benchsipp:", err)
		os.Exit(1)
	}
}

// server is one SIP server under test.
type server struct {
	name    string
	command func(cfg, pidfile string) *exec.Cmd
	config  func(port int, dir string) string
}

// measurement is one measured SIPp run against one server.
type measurement struct {
	cpu        time.Duration // user + system time of the server's processes
	user, sys  time.Duration
	successful int
	failed     int
	retrans    int
	elapsed    time.Duration
}

func run(o options, out io.Writer) error {
	if o.calls <= 0 || o.rate <= 0 || o.runs <= 0 || o.children <= 0 || o.warmup < 0 {
		return errors.New("-calls, -rate, -runs and -children must be positive, -warmup not negative")
	}
	sippBinary, err := sipp.Lookup()
	if err != nil {
		return err
	}
	work, err := os.MkdirTemp("", "benchsipp-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)

	kamgo := o.kamgo
	if kamgo == "" {
		kamgo = filepath.Join(work, "kamgo")
		build := exec.Command("go", "build", "-o", kamgo, "github.com/kamgo/kamgo/cmd/kamgo")
		if output, err := build.CombinedOutput(); err != nil {
			return fmt.Errorf("building kamgo: %w\n%s", err, output)
		}
	}
	servers := []server{kamgoServer(kamgo, o.children)}
	if !o.skipKamailio {
		if k, err := kamailioServer(o.kamailio, o.children); err != nil {
			fmt.Fprintf(out, "Kamailio not measured: %v\n", err)
		} else {
			servers = append(servers, k)
		}
	}

	fmt.Fprintf(out, "machine: %d CPUs, %s\n", runtime.NumCPU(), cpuModel())
	fmt.Fprintf(out, "load: %d OPTIONS at %d/s from SIPp (one UDP socket), %d measured runs per server, %d warm-up OPTIONS\n",
		o.calls, o.rate, o.runs, o.warmup)
	fmt.Fprintf(out, "sipp command: %s %s\n\n", sippBinary, strings.Join(sipp.Load{
		Server: netip.MustParseAddrPort("127.0.0.1:5060"), Calls: o.calls, Rate: o.rate, Timeout: loadTimeout(o), Dir: "DIR",
	}.Args(), " "))

	results := make(map[string][]measurement)
	// Runs alternate between servers so that a slow moment of a shared
	// machine does not fall on one server only.
	for i := range o.runs {
		for _, s := range servers {
			m, err := measure(s, o, sippBinary, filepath.Join(work, fmt.Sprintf("%s-%d", s.name, i)))
			if err != nil {
				return fmt.Errorf("%s, run %d: %w", s.name, i+1, err)
			}
			results[s.name] = append(results[s.name], m)
		}
	}

	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "server\trun\t200 received\tfailed\tretrans\twall\tuser s\tsys s\tCPU s\tCPU s / 10k\t")
	for _, s := range servers {
		for i, m := range results[s.name] {
			fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%.2f\t%.2f\t%.2f\t%.2f\t%.3f\t\n", s.name, i+1, m.successful, m.failed, m.retrans,
				m.elapsed.Seconds(), m.user.Seconds(), m.sys.Seconds(), m.cpu.Seconds(), per10k(m))
		}
	}
	tw.Flush()
	fmt.Fprintln(out)
	for _, s := range servers {
		ms := results[s.name]
		per := make([]float64, len(ms))
		for i, m := range ms {
			per[i] = per10k(m)
		}
		slices.Sort(per)
		fmt.Fprintf(out, "%s: median %.3f CPU s per 10,000 OPTIONS (min %.3f, max %.3f)\n", s.name, per[len(per)/2], per[0], per[len(per)-1])
	}
	return nil
}

func per10k(m measurement) float64 {
	if m.successful == 0 {
		return 0
	}
	return m.cpu.Seconds() * 10000 / float64(m.successful)
}

// loadTimeout bounds one SIPp run: twice the time the load should take,
// plus the 5 s a last unanswered OPTIONS may wait.
func loadTimeout(o options) time.Duration {
	return 2*time.Duration(o.calls)*time.Second/time.Duration(o.rate) + 5*time.Second
}

// measure starts s in dir, warms it up, runs the measured load, stops s
// and returns the CPU time s used during the load.
func measure(s server, o options, sippBinary, dir string) (measurement, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return measurement{}, err
	}
	port, err := freeUDPPort()
	if err != nil {
		return measurement{}, err
	}
	cfg := filepath.Join(dir, s.name+".cfg")
	if err := os.WriteFile(cfg, []byte(s.config(port, dir)), 0o644); err != nil {
		return measurement{}, err
	}
	pidfile := filepath.Join(dir, s.name+".pid")
	var log bytes.Buffer
	cmd := s.command(cfg, pidfile)
	cmd.Dir = dir
	cmd.Stdout, cmd.Stderr = &log, &log
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		return measurement{}, fmt.Errorf("starting %s: %w", s.name, err)
	}
	exited := make(chan struct{}) // closed once the server was waited for
	go func() {
		_ = cmd.Wait() // the exit status of a killed server says nothing
		close(exited)
	}()
	defer func() {
		// Whatever happened, nothing of the server survives the run.
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		select {
		case <-exited:
		case <-time.After(10 * time.Second):
		}
	}()

	addr := netip.AddrPortFrom(netip.AddrFrom4([4]byte{127, 0, 0, 1}), uint16(port))
	if err := waitAnswering(addr, exited); err != nil {
		return measurement{}, fmt.Errorf("%s: %w\n%s", s.name, err, log.String())
	}
	load := sipp.Load{Binary: sippBinary, Server: addr, Rate: o.rate, Timeout: loadTimeout(o)}
	if o.warmup > 0 {
		load.Calls, load.Dir = o.warmup, filepath.Join(dir, "warmup")
		if err := os.MkdirAll(load.Dir, 0o755); err != nil {
			return measurement{}, err
		}
		if _, err := sipp.Run(context.Background(), load); err != nil {
			return measurement{}, fmt.Errorf("warm-up: %w", err)
		}
	}

	before, err := treeCPU(cmd.Process.Pid)
	if err != nil {
		return measurement{}, err
	}
	load.Calls, load.Dir = o.calls, dir
	res, err := sipp.Run(context.Background(), load)
	if err != nil {
		return measurement{}, err
	}
	after, err := treeCPU(cmd.Process.Pid)
	if err != nil {
		return measurement{}, err
	}

	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		return measurement{}, err
	}
	select {
	case <-exited:
	case <-time.After(10 * time.Second):
		return measurement{}, fmt.Errorf("%s did not exit within 10 s of SIGTERM", s.name)
	}
	user, sys := after.user-before.user, after.sys-before.sys
	return measurement{
		cpu: user + sys, user: user, sys: sys,
		successful: res.Successful, failed: res.Failed, retrans: res.Retransmissions, elapsed: res.Elapsed,
	}, nil
}

// waitAnswering sends OPTIONS until one is answered, up to 10 s.
func waitAnswering(addr netip.AddrPort, exited <-chan struct{}) error {
	c, err := sipclient.DialUDP(addr)
	if err != nil {
		return err
	}
	defer c.Close()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case <-exited:
			return errors.New("exited at startup")
		default:
		}
		if resp, err := c.Options(200 * time.Millisecond); err == nil {
			if resp.StatusCode != 200 {
				return fmt.Errorf("OPTIONS answered %d, want 200", resp.StatusCode)
			}
			return nil
		}
	}
	return errors.New("no answer to OPTIONS within 10 s")
}

func freeUDPPort() (int, error) {
	c, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		return 0, err
	}
	defer c.Close()
	return c.LocalAddr().(*net.UDPAddr).Port, nil
}

func kamgoServer(binary string, children int) server {
	return server{
		name: "kamgo",
		command: func(cfg, pidfile string) *exec.Cmd {
			return exec.Command(binary, "run", "-f", cfg, "-E", "-D", "-P", pidfile)
		},
		config: func(port int, dir string) string {
			return fmt.Sprintf(statelessConfig, children, "", port, fmt.Sprintf("rundir=%q\n", dir))
		},
	}
}

func kamailioServer(binary string, children int) (server, error) {
	if binary == "" {
		var err error
		if binary, err = exec.LookPath("kamailio"); err != nil {
			return server{}, fmt.Errorf("kamailio is not installed: %w", err)
		}
	}
	// Where distributions install Kamailio's modules.
	moduleDirs := []string{
		"/usr/lib/x86_64-linux-gnu/kamailio/modules",
		"/usr/lib/aarch64-linux-gnu/kamailio/modules",
		"/usr/lib64/kamailio/modules",
		"/usr/lib/kamailio/modules",
		"/usr/local/lib64/kamailio/modules",
		"/usr/local/lib/kamailio/modules",
	}
	modules := ""
	for _, dir := range moduleDirs {
		if _, err := os.Stat(filepath.Join(dir, "sl.so")); err == nil {
			modules = dir
			break
		}
	}
	if modules == "" {
		return server{}, fmt.Errorf("no Kamailio module folder with sl.so in %v", moduleDirs)
	}
	return server{
		name: "kamailio",
		command: func(cfg, pidfile string) *exec.Cmd {
			return exec.Command(binary, "-f", cfg, "-DD", "-E", "-m", "64", "-M", "16", "-L", modules, "-P", pidfile)
		},
		config: func(port int, dir string) string {
			return fmt.Sprintf(statelessConfig, children, "disable_tcp=yes\n", port, fmt.Sprintf("rundir=%q\n", dir))
		},
	}, nil
}

// statelessConfig is the config both servers run: children, extra globals,
// port, rundir.
const statelessConfig = `#!KAMAILIO
debug=1
children=%d
%slisten=udp:127.0.0.1:%d
%s
loadmodule "sl.so"

request_route {
	if (method=="ACK") {
		exit;
	}
	sl_send_reply("200", "OK");
}
`

// cpuTimes are user and system CPU time.
type cpuTimes struct{ user, sys time.Duration }

// treeCPU sums utime and stime of root and every process descending from
// it (a Go process's figures already include all its threads).
func treeCPU(root int) (cpuTimes, error) {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return cpuTimes{}, err
	}
	parent := map[int]int{}
	times := map[int]cpuTimes{}
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		ppid, t, err := procStat(pid)
		if err != nil {
			continue // the process ended while we looked
		}
		parent[pid], times[pid] = ppid, t
	}
	if _, ok := times[root]; !ok {
		return cpuTimes{}, fmt.Errorf("process %d is gone", root)
	}
	var total cpuTimes
	for pid, t := range times {
		for p := pid; p > 1; p = parent[p] {
			if p == root {
				total.user += t.user
				total.sys += t.sys
				break
			}
		}
	}
	return total, nil
}

// procStat reads the parent pid, utime and stime of pid from
// /proc/PID/stat.
func procStat(pid int) (int, cpuTimes, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, cpuTimes{}, err
	}
	// The command name (field 2) is in parentheses and may hold spaces;
	// the fields after the last ')' start with field 3 (state).
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0, cpuTimes{}, fmt.Errorf("/proc/%d/stat: no command name", pid)
	}
	fields := strings.Fields(string(b[i+1:]))
	if len(fields) < 13 {
		return 0, cpuTimes{}, fmt.Errorf("/proc/%d/stat: %d fields", pid, len(fields))
	}
	var n [3]int64
	for j, k := range []int{1, 11, 12} { // ppid (4), utime (14), stime (15)
		if n[j], err = strconv.ParseInt(fields[k], 10, 64); err != nil {
			return 0, cpuTimes{}, fmt.Errorf("/proc/%d/stat field %d: %w", pid, k+3, err)
		}
	}
	tick := time.Second / userHZ
	return int(n[0]), cpuTimes{user: time.Duration(n[1]) * tick, sys: time.Duration(n[2]) * tick}, nil
}

func cpuModel() string {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return "unknown CPU"
	}
	for _, line := range strings.Split(string(b), "\n") {
		if name, value, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(name) == "model name" {
			return strings.TrimSpace(value)
		}
	}
	return "unknown CPU"
}
