package textops_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/kamgo/kamgo/lang/parser"
	"github.com/kamgo/kamgo/lang/preproc"
	_ "github.com/kamgo/kamgo/modules/pv"
	_ "github.com/kamgo/kamgo/modules/textops"
	_ "github.com/kamgo/kamgo/modules/xlog"
	"github.com/kamgo/kamgo/pv"
	"github.com/kamgo/kamgo/runtime/core"
	"github.com/kamgo/kamgo/runtime/logging"
	"github.com/kamgo/kamgo/runtime/module"
	"github.com/kamgo/kamgo/runtime/sip"
)

// sipText turns a message written with LF line ends into the wire form:
// CRLF line ends and Content-Length filled in for "{CL}".
func sipText(s string) string {
	s = strings.ReplaceAll(s, "\n", "\r\n")
	head, body, ok := strings.Cut(s, "\r\n\r\n")
	if !ok {
		return s
	}
	head = strings.Replace(head, "{CL}", strconv.Itoa(len(body)), 1)
	return head + "\r\n\r\n" + body
}

// fakeCore records the replies the script asks for, with the reply
// headers and body queued in the state at that moment.
type fakeCore struct {
	replies []sentReply
}

type sentReply struct {
	code    int
	headers []string
	body    module.ReplyBody
	raw     string
}

func (f *fakeCore) SendReply(st *pv.State, code int, reason string, opts sip.ReplyOptions) error {
	r := sentReply{code: code}
	o := opts
	if h, ok := st.Extra[module.ReplyHeadersKey].([]string); ok {
		r.headers = append(r.headers, h...)
		o.Headers = append(o.Headers, h...)
	}
	if b, ok := st.Extra[module.ReplyBodyKey].(module.ReplyBody); ok {
		r.body = b
		o.Body, o.ContentType = b.Body, b.ContentType
	}
	raw, err := sip.AppendReply(nil, st.Msg, code, reason, &o)
	if err != nil {
		return err
	}
	r.raw = string(raw)
	f.replies = append(f.replies, r)
	return nil
}
func (f *fakeCore) Forward(*pv.State, module.Target) error          { return errors.New("not used") }
func (f *fakeCore) ForwardReply(*pv.State) error                    { return errors.New("not used") }
func (f *fakeCore) SendData(*pv.State, module.Target, []byte) error { return errors.New("not used") }
func (f *fakeCore) RunEvent(string, pv.RecvInfo, []byte) bool       { return false }
func (f *fakeCore) HasRoute(string) bool                            { return false }
func (f *fakeCore) Myself(string, int) bool                         { return false }
func (f *fakeCore) Module(string) (any, bool)                       { return nil, false }

// result is what one run of a script printed and left in the message.
type result struct {
	lines   []string // xlog lines at L_INFO
	errs    []string // error lines
	msg     string   // the message with the edits applied
	replies []sentReply
}

// run loads a config made of the modules and request_route { route },
// runs it on msg and returns what it printed and the edited message.
func run(t *testing.T, route, msg string) result {
	t.Helper()
	res, err := tryRun(route, msg)
	if err != "" {
		t.Fatalf("%s", err)
	}
	return res
}

func config(route string) string {
	return "loadmodule \"pv.so\"\nloadmodule \"xlog.so\"\nloadmodule \"textops.so\"\n" +
		"request_route {\n" + route + "\n}\n"
}

// stateView hands the message state to a hook run after the route.
type stateView struct{ st *pv.State }

func tryRun(route, msg string) (result, string) { return tryRunWith(route, msg, nil) }

// tryRunWith is tryRun with a hook called after the route, before the
// results are collected.
func tryRunWith(route, msg string, after func(*fakeCore, stateView) error) (result, string) {
	var logs bytes.Buffer
	log := logging.New(zerolog.New(&logs), logging.LDbg)
	c, pres, d := parser.ParseSource("test.cfg", []byte(config(route)), preproc.Options{})
	if d.HasErrors() {
		return result{}, "parse: " + d.Error()
	}
	l, ld := core.Load(c, pres, core.LoadOptions{Log: log, Debug: logging.LInfo, DebugSet: true})
	if l == nil || ld.HasErrors() {
		return result{}, "load: " + ld.Error()
	}
	fc := &fakeCore{}
	l.Machine.Core = fc
	ctx := l.Machine.NewCtx(nil, l.Globals)
	st := ctx.State()
	st.Reset()
	st.Received = time.Date(2024, 3, 5, 7, 8, 9, 0, time.UTC)
	raw := []byte(sipText(msg))
	m := &sip.Message{}
	if err := m.Parse(raw, sip.Datagram); err != nil {
		return result{}, "parse message: " + err.Error()
	}
	st.Msg, st.Raw = m, raw
	ctx.Run(l.Prog.Request, module.Request)
	if after != nil {
		if err := after(fc, stateView{st}); err != nil {
			return result{}, "after the route: " + err.Error()
		}
	}
	out := result{msg: m.String(), replies: fc.replies}
	sc := bufio.NewScanner(&logs)
	for sc.Scan() {
		var e map[string]any
		if json.Unmarshal(sc.Bytes(), &e) != nil {
			continue
		}
		text, _ := e["message"].(string)
		switch e["level"] {
		case "info":
			if _, ok := e["klevel"]; !ok {
				out.lines = append(out.lines, strings.TrimPrefix(strings.TrimRight(text, "\n"), "<script>: "))
			}
		case "error":
			out.errs = append(out.errs, text)
		}
	}
	return out, ""
}

// loadErr returns the load errors of a config with route, "" when none.
func loadErr(route string) string {
	c, pres, d := parser.ParseSource("test.cfg", []byte(config(route)), preproc.Options{})
	if d.HasErrors() {
		return d.Error()
	}
	l, ld := core.Load(c, pres, core.LoadOptions{Log: logging.Discard()})
	if l != nil && !ld.HasErrors() {
		return ""
	}
	return ld.Error()
}

// rcs prints the return code of each call, labelled a, b, c...
func rcs(calls ...string) string {
	var b strings.Builder
	for i, c := range calls {
		b.WriteString(c + "; xlog(\"L_INFO\", \"" + string(rune('a'+i)) + "=$rc\\n\");\n")
	}
	return b.String()
}

// rcLines is the output rcs gives for the codes.
func rcLines(codes ...int) []string {
	out := make([]string, len(codes))
	for i, c := range codes {
		out[i] = string(rune('a'+i)) + "=" + strconv.Itoa(c)
	}
	return out
}
