package compat

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"regexp"
	"strings"
	"time"

	"github.com/rs/zerolog"

	"github.com/kamgo/kamgo/lang/parser"
	"github.com/kamgo/kamgo/lang/preproc"
	_ "github.com/kamgo/kamgo/modules/all" // the modules kamgo ships
	"github.com/kamgo/kamgo/runtime/core"
	"github.com/kamgo/kamgo/runtime/logging"
	"github.com/kamgo/kamgo/runtime/module"
)

// KamgoEngine runs the scripts on a kamgo server in this process: it loads
// the config as `kamgo run` does (check, modparams, Init, compile), starts
// the server on a free UDP port of 127.0.0.1 with one worker, and drives it
// with the same probe protocol as the Kamailio engine, reading the xlog
// lines from the server's logger.
type KamgoEngine struct{}

// Name implements Engine.
func (KamgoEngine) Name() string { return "kamgo" }

var loadmoduleRE = regexp.MustCompile(`(?m)^loadmodule "([a-z_0-9]+)\.so"\n`)

// KamgoScript is the config the engine runs for a script on port: the
// core settings, then the script with the loadmodule lines of modules kamgo
// does not ship removed (a case that needs one fails to load, which
// RunnableOnKamgo reports), then the marker reply route.
func KamgoScript(script string, port int) string {
	script = loadmoduleRE.ReplaceAllStringFunc(script, func(line string) string {
		name := loadmoduleRE.FindStringSubmatch(line)[1]
		if _, ok := module.Default().Lookup(name); ok {
			return line
		}
		return ""
	})
	return fmt.Sprintf("debug=2\nchildren=1\nauto_aliases=no\nlisten=udp:127.0.0.1:%d\n\n%s\n%s", port, script, MarkerReplyRoute)
}

// loadKamgo loads a config text.
func loadKamgo(text string, log *logging.Logger) (*core.Loaded, error) {
	cfg, res, diags := parser.ParseSource("compat.cfg", []byte(text), preproc.Options{})
	if diags.HasErrors() {
		return nil, fmt.Errorf("parse: %v", diags.Err())
	}
	l, diags := core.Load(cfg, res, core.LoadOptions{Log: log})
	if diags.HasErrors() {
		return nil, diags.Err()
	}
	return l, nil
}

// RunnableOnKamgo reports whether a case's config loads on kamgo, and why
// not.
func RunnableOnKamgo(c Case) error {
	groups := buildGroups([]Case{c}, 1)
	for _, g := range groups {
		if _, err := loadKamgo(KamgoScript(g.script, 5060), logging.Discard()); err != nil {
			return err
		}
	}
	return nil
}

// startKamgo loads a config as `kamgo run` does and starts the server;
// stop shuts it down.
func startKamgo(text string, log *logging.Logger) (stop func(), err error) {
	l, err := loadKamgo(text, log)
	if err != nil {
		return nil, err
	}
	set, d := core.ReadSettings(l, log)
	if d.HasErrors() {
		return nil, d.Err()
	}
	srv, err := core.New(l, set, core.Options{Log: log, NoRPC: true, Version: "kamgo compat"})
	if err != nil {
		return nil, err
	}
	if err := srv.Start(); err != nil {
		return nil, err
	}
	return func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
	}, nil
}

// logSink turns the server's JSON log events into entries for the driver.
type logSink struct {
	entries chan logEntry
	done    chan struct{}
}

func (s *logSink) Write(p []byte) (int, error) {
	for _, e := range kamgoEntries(p) {
		select {
		case s.entries <- e:
		case <-s.done:
			return len(p), nil
		}
	}
	return len(p), nil
}

// Run implements Engine.
func (KamgoEngine) Run(ctx context.Context, script string, msgs []string) (*Run, error) {
	var lastErr error
	for attempt := 0; attempt < 3; attempt++ {
		run, err := kamgoRunOnce(ctx, script, msgs)
		if err == nil || ctx.Err() != nil || !strings.Contains(err.Error(), "address already in use") {
			return run, err
		}
		lastErr = err
	}
	return nil, lastErr
}

func kamgoRunOnce(ctx context.Context, script string, msgs []string) (*Run, error) {
	port, err := freeUDPPort()
	if err != nil {
		return nil, err
	}
	sink := &logSink{entries: make(chan logEntry, 1024), done: make(chan struct{})}
	defer close(sink.done)
	log := logging.New(zerolog.New(sink), logging.LInfo)
	stop, err := startKamgo(KamgoScript(script, port), log)
	if err != nil {
		return nil, err
	}
	defer stop()
	client, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		return nil, err
	}
	defer client.Close()
	addrs := Addrs{ServerPort: port, ClientPort: client.LocalAddr().(*net.UDPAddr).Port}
	failure := func(format string, a ...any) error { return fmt.Errorf("kamgo: "+format, a...) }
	return driveMessages(ctx, client, &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1), Port: port}, addrs, sink.entries,
		failure, 10*time.Second, 10*time.Second, msgs)
}

// kamgoEntries turns log events into entries: xlog lines (with the
// "<script>: " prefix) and the rest.
func kamgoEntries(b []byte) []logEntry {
	var out []logEntry
	for _, line := range bytes.Split(b, []byte("\n")) {
		if len(line) == 0 {
			continue
		}
		var e map[string]any
		if err := json.Unmarshal(line, &e); err != nil {
			out = append(out, logEntry{level: "UNPARSED", text: string(line)})
			continue
		}
		msg, _ := e["message"].(string)
		level := kamailioLevel(e)
		if text, ok := strings.CutPrefix(msg, "<script>: "); ok {
			// Kamailio's log is read line by line: a CR before a line end
			// is not seen.
			text = strings.ReplaceAll(text, "\r\n", "\n")
			text = strings.TrimSuffix(text, "\r")
			out = append(out, logEntry{level: level, script: true, text: text})
			continue
		}
		out = append(out, logEntry{level: level, text: msg})
	}
	return out
}

// kamailioLevel is the level name Kamailio prints for an event.
func kamailioLevel(e map[string]any) string {
	if k, ok := e[logging.KLevelField].(string); ok {
		return k
	}
	switch e["level"] {
	case "debug":
		return "DEBUG"
	case "info":
		return "INFO"
	case "warn":
		return "WARNING"
	case "error":
		return "ERROR"
	}
	return strings.ToUpper(fmt.Sprint(e["level"]))
}
