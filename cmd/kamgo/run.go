package main

import (
	"context"
	"fmt"
	"io"
	"log/syslog"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/rs/zerolog"

	"github.com/kamgo/kamgo/examples"
	"github.com/kamgo/kamgo/lang/ast"
	"github.com/kamgo/kamgo/lang/diag"
	"github.com/kamgo/kamgo/lang/parser"
	"github.com/kamgo/kamgo/lang/preproc"
	"github.com/kamgo/kamgo/runtime/core"
	"github.com/kamgo/kamgo/runtime/logging"
)

// runFlags are the options of `kamgo run`, Kamailio's names where they
// exist.
type runFlags struct {
	file        string
	defines     []string
	stderr      bool // -E
	foreground  int  // -D count
	pidFile     string
	children    int
	tcpChildren int
	listen      []string
	debug       int
	debugSet    bool
	rundir      string
	rpcSocket   string
}

const runUsage = `usage: kamgo run [-f FILE] [-E] [-D] [-P PIDFILE] [-n N] [-N N] [-l ADDR]... [-A NAME[=VALUE]]... [-d]... [--debug=N] [-Y DIR] [--rpc-socket PATH]
  -f FILE     config file (default: the embedded examples/default.cfg on 127.0.0.1:5060)
  -E          log to stderr (as log_stderror=yes)
  -D          stay in the foreground (without it kamgo detaches, as kamailio does)
  -P PIDFILE  write the process id there once every socket listens
  -n N        children: UDP workers per socket      -N N  tcp_children
  -l ADDR     listen on [proto:]addr[:port][/advaddr[:advport]] too
  -A DEF      #!define DEF (NAME or NAME=VALUE)
  -d          raise the debug level by one (repeatable); --debug=N sets it
  -Y DIR      run directory (the control socket lives there)
`

func parseRunFlags(args []string, stderr io.Writer) (runFlags, bool) {
	f := runFlags{}
	for i := 0; i < len(args); i++ {
		a := args[i]
		val := func() (string, bool) {
			if i+1 >= len(args) {
				fmt.Fprintf(stderr, "kamgo run: %s needs a value\n", a)
				return "", false
			}
			i++
			return args[i], true
		}
		num := func(v string, ok bool) (int, bool) {
			if !ok {
				return 0, false
			}
			n, err := strconv.Atoi(v)
			if err != nil {
				fmt.Fprintf(stderr, "kamgo run: %s needs a number, not %q\n", a, v)
				return 0, false
			}
			return n, true
		}
		var ok = true
		switch {
		case a == "-f":
			f.file, ok = val()
		case a == "-E":
			f.stderr = true
		case a == "-e": // colours: the console writer colours a terminal anyway
		case strings.HasPrefix(a, "-D") && strings.Trim(a[1:], "D") == "":
			f.foreground += len(a) - 1
		case a == "-P":
			f.pidFile, ok = val()
		case a == "-n":
			f.children, ok = num(val())
		case a == "-N":
			f.tcpChildren, ok = num(val())
		case a == "-l":
			var v string
			v, ok = val()
			f.listen = append(f.listen, v)
		case a == "-A":
			var v string
			v, ok = val()
			f.defines = append(f.defines, v)
		case strings.HasPrefix(a, "-A") && len(a) > 2:
			f.defines = append(f.defines, a[2:])
		case strings.HasPrefix(a, "-d") && strings.Trim(a[1:], "d") == "":
			if !f.debugSet {
				f.debug, f.debugSet = logging.LWarn, true
			}
			f.debug += len(a) - 1
		case strings.HasPrefix(a, "--debug="):
			f.debug, ok = num(strings.TrimPrefix(a, "--debug="), true)
			f.debugSet = true
		case a == "-Y":
			f.rundir, ok = val()
		case a == "--rpc-socket":
			f.rpcSocket, ok = val()
		case a == "-L": // module path: modules are built in
			_, ok = val()
		case a == "-m" || a == "-M": // shared/private memory sizes: Go manages memory
			_, ok = val()
		case a == "-h" || a == "--help":
			fmt.Fprint(stderr, runUsage)
			return f, false
		default:
			fmt.Fprintf(stderr, "kamgo run: unknown option %s\n", a)
			ok = false
		}
		if !ok {
			return f, false
		}
	}
	return f, true
}

func cmdRun(args []string, stdout, stderr io.Writer) int {
	f, ok := parseRunFlags(args, stderr)
	if !ok {
		fmt.Fprint(stderr, runUsage)
		return exitUsage
	}
	return runDaemon(f, stdout, stderr)
}

// daemonEnv marks the detached child of a `kamgo run` without -D.
const daemonEnv = "KAMGO_DETACHED"

func runDaemon(f runFlags, stdout, stderr io.Writer) int {
	// Load the config exactly as `kamgo check` does: all diagnostics at
	// once, and no start on an error.
	opts := preproc.Options{Defines: f.defines}
	var (
		cfg *ast.Config
		res *preproc.Result
		d   diag.List
	)
	if f.file == "" {
		cfg, res, d = parser.ParseSource(examples.DefaultConfigName, []byte(examples.DefaultConfig), opts)
	} else {
		cfg, res, d = parser.ParseFile(f.file, opts)
	}
	src := func(name string) ([]byte, bool) { b, ok := res.Files[name]; return b, ok }
	if d.HasErrors() {
		report(stderr, d, src)
		return exitError
	}
	if f.foreground == 0 && os.Getenv(daemonEnv) == "" && paramInt(cfg, "fork", 1) != 0 {
		return detach(stderr)
	}
	log, closeLog := newLogger(cfg, f, stderr)
	defer closeLog()
	loaded, ld := core.Load(cfg, res, core.LoadOptions{Log: log, Debug: f.debug, DebugSet: f.debugSet})
	d = append(d, ld...)
	if loaded == nil {
		report(stderr, d, src)
		return exitError
	}
	set, sd := core.ReadSettings(loaded, log)
	d = append(d, sd...)
	for _, l := range f.listen {
		spec, err := core.ParseListen(l)
		if err != nil {
			fmt.Fprintf(stderr, "kamgo run: %v\n", err)
			return exitUsage
		}
		spec.Pos.Filename = "-l " + l // diagnostics name the option
		set.Listen = append(set.Listen, spec)
	}
	if f.children > 0 {
		set.Children, set.TCPChildren = f.children, f.children
	}
	if f.tcpChildren > 0 {
		set.TCPChildren = f.tcpChildren
	}
	if f.rundir != "" {
		set.RunDir = f.rundir
	}
	if _, rd := core.ResolveListen(set); rd.HasErrors() {
		d = append(d, rd...)
	}
	if d.HasErrors() {
		report(stderr, d, src)
		return exitError
	}
	srv, err := core.New(loaded, set, core.Options{Log: log, Version: "kamgo " + version, RPCSocket: f.rpcSocket})
	if err != nil {
		fmt.Fprintf(stderr, "kamgo run: %v\n", err)
		return exitError
	}
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, syscall.SIGTERM, syscall.SIGINT)
	defer signal.Stop(sigs)
	if err := srv.Start(); err != nil {
		fmt.Fprintf(stderr, "kamgo run: %v\n", err)
		notifyParent(err)
		return exitError
	}
	if f.pidFile != "" {
		if err := writePidFile(f.pidFile); err != nil {
			fmt.Fprintf(stderr, "kamgo run: %v\n", err)
			shutdown(srv, log)
			notifyParent(err)
			return exitError
		}
		defer os.Remove(f.pidFile)
	}
	notifyParent(nil)
	log.Logf(logging.LNotice, "kamgo %s started (pid %d)", version, os.Getpid())
	sig := <-sigs
	log.Logf(logging.LNotice, "%s received, shutting down", sig)
	if err := shutdown(srv, log); err != nil {
		return exitError
	}
	return exitOK
}

func shutdown(srv *core.Server, log *logging.Logger) error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(ctx); err != nil {
		log.Logf(logging.LErr, "shutdown: %v", err)
		return err
	}
	return nil
}

func report(w io.Writer, d diag.List, src diag.SourceReader) {
	d.Sort()
	_ = d.WriteText(w, src)
	errs, warns := d.Count()
	fmt.Fprintf(w, "%d error(s), %d warning(s)\n", errs, warns)
}

// paramInt reads an integer core parameter straight from the tree (before
// the config is loaded).
func paramInt(cfg *ast.Config, name string, def int64) int64 {
	v := def
	for _, it := range cfg.Items {
		if p, ok := it.(*ast.CoreParam); ok && p.Name == name && len(p.Values) > 0 && p.Values[0].Kind == ast.ValInt {
			v = p.Values[0].Int
		}
	}
	return v
}

func paramStr(cfg *ast.Config, name, def string) string {
	v := def
	for _, it := range cfg.Items {
		if p, ok := it.(*ast.CoreParam); ok && p.Name == name && len(p.Values) > 0 && p.Values[0].Kind != ast.ValInt {
			v = p.Values[0].Str
		}
	}
	return v
}

// newLogger writes to stderr with -E or log_stderror=yes (JSON lines, or
// the console format on a terminal), else to syslog with log_facility and
// log_name, as Kamailio does.
func newLogger(cfg *ast.Config, f runFlags, stderr io.Writer) (*logging.Logger, func()) {
	name := paramStr(cfg, "log_name", "kamgo")
	toStderr := f.stderr || paramInt(cfg, "log_stderror", 0) != 0
	var z zerolog.Logger
	closeFn := func() {}
	if !toStderr {
		w, err := syslog.New(facility(paramStr(cfg, "log_facility", "LOG_DAEMON"))|syslog.LOG_INFO, name)
		if err == nil {
			z = zerolog.New(zerolog.SyslogLevelWriter(w))
			closeFn = func() { _ = w.Close() }
		} else {
			fmt.Fprintf(stderr, "kamgo: syslog unavailable (%v); logging to stderr\n", err)
			toStderr = true
		}
	}
	if toStderr {
		var w io.Writer = stderr
		if file, ok := stderr.(*os.File); ok && isTerminal(file) {
			w = zerolog.ConsoleWriter{Out: stderr, TimeFormat: time.TimeOnly}
		}
		z = zerolog.New(w).With().Timestamp().Logger()
	}
	if p := paramStr(cfg, "log_prefix", ""); p != "" && !strings.Contains(p, "$") {
		// A constant prefix; one with pseudo-variables is expanded per
		// message by the workers (runtime/core).
		z = z.With().Str("prefix", p).Logger()
	}
	return logging.New(z, logging.LWarn), closeFn
}

func isTerminal(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

func facility(name string) syslog.Priority {
	switch strings.ToUpper(name) {
	case "LOG_USER":
		return syslog.LOG_USER
	case "LOG_LOCAL0":
		return syslog.LOG_LOCAL0
	case "LOG_LOCAL1":
		return syslog.LOG_LOCAL1
	case "LOG_LOCAL2":
		return syslog.LOG_LOCAL2
	case "LOG_LOCAL3":
		return syslog.LOG_LOCAL3
	case "LOG_LOCAL4":
		return syslog.LOG_LOCAL4
	case "LOG_LOCAL5":
		return syslog.LOG_LOCAL5
	case "LOG_LOCAL6":
		return syslog.LOG_LOCAL6
	case "LOG_LOCAL7":
		return syslog.LOG_LOCAL7
	}
	return syslog.LOG_DAEMON
}

func writePidFile(path string) error {
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return fmt.Errorf("pid file: %w", err)
		}
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(strconv.Itoa(os.Getpid())+"\n"), 0o644); err != nil {
		return fmt.Errorf("pid file: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("pid file: %w", err)
	}
	return nil
}

// detach starts kamgo again as a daemon (a new session, no terminal) and
// returns once the child reports that it listens, or why it could not:
// what `kamailio` without -D does. Go cannot fork, so it re-executes
// itself with the same arguments.
func detach(stderr io.Writer) int {
	exe, err := os.Executable()
	if err != nil {
		fmt.Fprintf(stderr, "kamgo run: cannot detach: %v\n", err)
		return exitError
	}
	r, w, err := os.Pipe()
	if err != nil {
		fmt.Fprintf(stderr, "kamgo run: cannot detach: %v\n", err)
		return exitError
	}
	defer r.Close()
	cmd := exec.Command(exe, os.Args[1:]...)
	cmd.Env = append(os.Environ(), daemonEnv+"=1")
	cmd.ExtraFiles = []*os.File{w} // fd 3: the readiness pipe
	cmd.Stderr = stderr            // start-up errors still reach the user
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	if err := cmd.Start(); err != nil {
		w.Close()
		fmt.Fprintf(stderr, "kamgo run: cannot detach: %v\n", err)
		return exitError
	}
	w.Close()
	msg, _ := io.ReadAll(io.LimitReader(r, 4096))
	if string(msg) == "ok\n" {
		_ = cmd.Process.Release()
		return exitOK
	}
	_ = cmd.Wait()
	if len(msg) > 0 {
		fmt.Fprintf(stderr, "kamgo run: %s", msg)
	}
	return exitError
}

// notifyParent tells the `kamgo run` that detached this process whether it
// started, through the pipe on fd 3, and then lets go of the terminal.
func notifyParent(startErr error) {
	if os.Getenv(daemonEnv) == "" {
		return
	}
	p := os.NewFile(3, "ready")
	if p == nil {
		return
	}
	if startErr != nil {
		fmt.Fprintf(p, "%v\n", startErr)
	} else {
		_, _ = io.WriteString(p, "ok\n")
	}
	_ = p.Close()
	if startErr == nil {
		if null, err := os.OpenFile(os.DevNull, os.O_RDWR, 0); err == nil {
			_ = syscall.Dup2(int(null.Fd()), 0)
			_ = syscall.Dup2(int(null.Fd()), 1)
			_ = syscall.Dup2(int(null.Fd()), 2)
		}
	}
}
