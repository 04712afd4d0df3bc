package compat

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/netip"
	"regexp"
	"strings"

	"github.com/rs/zerolog"

	"github.com/kamgo/kamgo/lang/parser"
	"github.com/kamgo/kamgo/lang/preproc"
	_ "github.com/kamgo/kamgo/modules/all" // the modules kamgo ships
	"github.com/kamgo/kamgo/pv"
	"github.com/kamgo/kamgo/runtime/core"
	"github.com/kamgo/kamgo/runtime/logging"
	"github.com/kamgo/kamgo/runtime/module"
	"github.com/kamgo/kamgo/runtime/sip"
)

// KamgoEngine runs the scripts on kamgo's VM in this process: it loads the
// config as `kamgo run` does (check, modparams, compile), builds each
// message from its template, runs request_route (reply_route for a reply)
// with the message received on 127.0.0.1 from 127.0.0.1, and reads the
// xlog lines back from the logger. No sockets: the daemon's own tests
// cover the network.
type KamgoEngine struct{}

// Name implements Engine.
func (KamgoEngine) Name() string { return "kamgo" }

// Ports of the simulated sockets.
const (
	kamgoServerPort = 5060
	kamgoClientPort = 35060
)

var loadmoduleRE = regexp.MustCompile(`(?m)^loadmodule "([a-z_0-9]+)\.so"\n`)

// KamgoScript is the config the engine runs for a script: the core
// settings, then the script with the loadmodule lines of modules kamgo
// does not ship removed (a case that needs one fails to load, which
// RunnableOnKamgo reports).
func KamgoScript(script string) string {
	script = loadmoduleRE.ReplaceAllStringFunc(script, func(line string) string {
		name := loadmoduleRE.FindStringSubmatch(line)[1]
		if _, ok := module.Default().Lookup(name); ok {
			return line
		}
		return ""
	})
	return fmt.Sprintf("debug=2\nchildren=1\nlisten=udp:127.0.0.1:%d\n\n%s", kamgoServerPort, script)
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
		if _, err := loadKamgo(KamgoScript(g.script), logging.Discard()); err != nil {
			return err
		}
	}
	return nil
}

// Run implements Engine.
func (KamgoEngine) Run(ctx context.Context, script string, msgs []string) (*Run, error) {
	var buf bytes.Buffer
	log := logging.New(zerolog.New(&buf), logging.LInfo)
	l, err := loadKamgo(KamgoScript(script), log)
	if err != nil {
		return nil, err
	}
	l.Machine.Myself = func(host string, port int) bool {
		return host == "127.0.0.1" && (port == 0 || port == kamgoServerPort)
	}
	addrs := Addrs{ServerPort: kamgoServerPort, ClientPort: kamgoClientPort}
	vctx := l.Machine.NewCtx(nil, l.Globals)
	run := &Run{Addrs: addrs}
	var msg sip.Message
	for i, m := range msgs {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		buf.Reset()
		raw := Expand(m, addrs)
		if err := msg.Parse(raw, sip.Datagram); err != nil {
			return nil, fmt.Errorf("message %d: %w", i+1, err)
		}
		st := vctx.State()
		st.Reset()
		st.Msg = &msg
		st.Recv = pv.RecvInfo{
			Src:   netip.AddrPortFrom(netip.AddrFrom4([4]byte{127, 0, 0, 1}), kamgoClientPort),
			Dst:   netip.AddrPortFrom(netip.AddrFrom4([4]byte{127, 0, 0, 1}), kamgoServerPort),
			Proto: pv.ProtoUDP,
		}
		route, rt := l.Prog.Request, module.Request
		if !msg.IsRequest() {
			route, rt = l.Prog.Reply, module.CoreReply
		}
		if route >= 0 {
			vctx.Run(route, rt)
		}
		run.Outputs = append(run.Outputs, parseKamgoLog(buf.Bytes()))
	}
	return run, nil
}

// parseKamgoLog turns the logger's JSON events into an Output: xlog lines
// (with the "<script>: " prefix) and the rest as diagnostics.
func parseKamgoLog(b []byte) Output {
	var out Output
	for _, line := range bytes.Split(b, []byte("\n")) {
		if len(line) == 0 {
			continue
		}
		var e map[string]any
		if err := json.Unmarshal(line, &e); err != nil {
			out.Diags = append(out.Diags, "UNPARSED: "+string(line))
			continue
		}
		msg, _ := e["message"].(string)
		level := kamailioLevel(e)
		if text, ok := strings.CutPrefix(msg, "<script>: "); ok {
			// Kamailio's log is read line by line: a CR before a line end
			// is not seen.
			text = strings.ReplaceAll(text, "\r\n", "\n")
			text = strings.TrimSuffix(text, "\r")
			if level != "INFO" {
				text = level + ": " + text
			}
			out.Lines = append(out.Lines, text)
			continue
		}
		out.Diags = append(out.Diags, level+": "+msg)
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
