package textopsx

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kamgo/kamgo/pv"
	"github.com/kamgo/kamgo/runtime/logging"
	"github.com/kamgo/kamgo/runtime/module"
	"github.com/kamgo/kamgo/runtime/sip"
)

// testMsg is the request of the compat cases (tests/compat txMsg).
const testMsg = "OPTIONS sip:carol@chicago.example.com SIP/2.0\r\n" +
	"Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKtx1\r\n" +
	"Max-Forwards: 70\r\n" +
	"To: <sip:carol@chicago.example.com>\r\n" +
	"From: Alice <sip:alice@atlanta.example.com>;tag=tx1\r\n" +
	"Call-ID: tx1@atlanta.example.com\r\n" +
	"CSeq: 1 OPTIONS\r\n" +
	"Supported: path, 100rel\r\n" +
	"X-Foo: a;p=1, b;q=2\r\n" +
	"Supported: timer\r\n" +
	"X-Foo: c\r\n" +
	"Authorization: Digest username=\"alice\", realm=\"r\", nonce=\"n\"\r\n" +
	"Content-Type: text/plain\r\n" +
	"Content-Length: 14\r\n" +
	"\r\n" +
	"line1\r\nline2\r\n"

const testReply = "SIP/2.0 486 Busy Here\r\n" +
	"Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKtx1\r\n" +
	"To: <sip:carol@chicago.example.com>;tag=x\r\n" +
	"From: Alice <sip:alice@atlanta.example.com>;tag=tx1\r\n" +
	"Call-ID: tx1@atlanta.example.com\r\n" +
	"CSeq: 1 INVITE\r\n" +
	"Content-Length: 0\r\n\r\n"

type fakeCtx struct{ st *pv.State }

func (c *fakeCtx) RouteType() module.RouteType { return module.Request }
func (c *fakeCtx) State() *pv.State            { return c.st }
func (c *fakeCtx) Logger() *logging.Logger     { return logging.Discard() }
func (c *fakeCtx) Core() module.Core           { return nil }

func newState(t *testing.T, text string) *pv.State {
	t.Helper()
	m := &sip.Message{}
	if err := m.Parse([]byte(text), sip.Datagram); err != nil {
		t.Fatalf("parse: %v", err)
	}
	return &pv.State{Msg: m}
}

func lookup(t *testing.T, name string, nargs int) *module.Func {
	t.Helper()
	mod, ok := module.Default().Lookup(Name)
	if !ok {
		t.Fatal("textopsx not registered")
	}
	for i := range mod.Funcs {
		if mod.Funcs[i].Name == name && mod.Funcs[i].Accepts(nargs) {
			return &mod.Funcs[i]
		}
	}
	t.Fatalf("no function %s/%d", name, nargs)
	return nil
}

// call runs a function with constant arguments, its fixup included.
func call(t *testing.T, st *pv.State, name string, args ...string) int {
	t.Helper()
	f := lookup(t, name, len(args))
	fixed := make([]module.FixedArg, len(args))
	for i, a := range args {
		fixed[i] = module.FixedArg{Kind: f.Arg(i).Kind, Const: true, Str: a}
	}
	if f.Fixup != nil {
		if err := f.Fixup(nil, fixed); err != nil {
			t.Fatalf("%s fixup: %v", name, err)
		}
	}
	if f.Exec == nil {
		t.Fatalf("%s has no Exec", name)
	}
	return f.Exec(&fakeCtx{st: st}, module.Args{Fixed: fixed, St: st})
}

// replaceHeaders returns testMsg with its headers from Supported to
// Authorization replaced by hdrs.
func withHeaders(hdrs string) string {
	start := strings.Index(testMsg, "Supported: path")
	end := strings.Index(testMsg, "Content-Type:")
	return testMsg[:start] + hdrs + testMsg[end:]
}

const origHeaders = "Supported: path, 100rel\r\nX-Foo: a;p=1, b;q=2\r\nSupported: timer\r\nX-Foo: c\r\n" +
	"Authorization: Digest username=\"alice\", realm=\"r\", nonce=\"n\"\r\n"

// TestHeaderValues pins the header value functions on what Kamailio 5.6.3
// produced for the same calls (tests/compat textopsx_hf_value).
func TestHeaderValues(t *testing.T) {
	auth := "Authorization: Digest username=\"alice\", realm=\"r\", nonce=\"n\"\r\n"
	tests := []struct {
		fn    string
		args  []string
		rc    int
		hdrs  string // the headers after the call; "" means unchanged
		extra string // a header appended after Content-Length
	}{
		{fn: "append_hf_value", args: []string{"X-Foo", "new"}, rc: 1, extra: "X-Foo: new\r\n"},
		{fn: "append_hf_value", args: []string{"X-Foo[1]", "new"}, rc: 1,
			hdrs: "Supported: path, 100rel\r\nX-Foo: a;p=1,new, b;q=2\r\nSupported: timer\r\nX-Foo: c\r\n" + auth},
		{fn: "append_hf_value", args: []string{"X-Foo[-1]", "new"}, rc: 1,
			hdrs: "Supported: path, 100rel\r\nX-Foo: a;p=1, b;q=2\r\nSupported: timer\r\nX-Foo: c,new\r\n" + auth},
		{fn: "append_hf_value", args: []string{"X-Bar[-1]", "new"}, rc: 1, extra: "X-Bar: new\r\n"},
		{fn: "append_hf_value", args: []string{"X-Foo[9]", "new"}, rc: 1, extra: "X-Foo: new\r\n"},
		{fn: "insert_hf_value", args: []string{"X-Foo", "new"}, rc: 1,
			hdrs: "Supported: path, 100rel\r\nX-Foo: new\r\nX-Foo: a;p=1, b;q=2\r\nSupported: timer\r\nX-Foo: c\r\n" + auth},
		{fn: "insert_hf_value", args: []string{"X-Foo[2]", "new"}, rc: 1,
			hdrs: "Supported: path, 100rel\r\nX-Foo: a;p=1,new, b;q=2\r\nSupported: timer\r\nX-Foo: c\r\n" + auth},
		{fn: "insert_hf_value", args: []string{"X-Foo[-1]", "new"}, rc: 1,
			hdrs: "Supported: path, 100rel\r\nX-Foo: a;p=1, b;q=2\r\nSupported: timer\r\nX-Foo: new,c\r\n" + auth},
		{fn: "insert_hf_value", args: []string{"X-Bar[1]", "new"}, rc: 1, extra: "X-Bar: new\r\n"},
		{fn: "remove_hf_value", args: []string{"X-Foo"}, rc: 1,
			hdrs: "Supported: path, 100rel\r\nX-Foo:  b;q=2\r\nSupported: timer\r\nX-Foo: c\r\n" + auth},
		{fn: "remove_hf_value", args: []string{"X-Foo[*]"}, rc: 1,
			hdrs: "Supported: path, 100rel\r\nSupported: timer\r\n" + auth},
		{fn: "remove_hf_value", args: []string{"X-Foo[-1]"}, rc: 1,
			hdrs: "Supported: path, 100rel\r\nX-Foo: a;p=1, b;q=2\r\nSupported: timer\r\n" + auth},
		{fn: "remove_hf_value", args: []string{"X-Foo.p"}, rc: 1,
			hdrs: "Supported: path, 100rel\r\nX-Foo: a, b;q=2\r\nSupported: timer\r\nX-Foo: c\r\n" + auth},
		{fn: "remove_hf_value", args: []string{"X-Foo[*].q"}, rc: 1,
			hdrs: "Supported: path, 100rel\r\nX-Foo: a;p=1, b\r\nSupported: timer\r\nX-Foo: c\r\n" + auth},
		{fn: "remove_hf_value", args: []string{"X-Foo[2]"}, rc: 1,
			hdrs: "Supported: path, 100rel\r\nX-Foo: a;p=1\r\nSupported: timer\r\nX-Foo: c\r\n" + auth},
		{fn: "remove_hf_value", args: []string{"X-Bar"}, rc: -1},
		{fn: "remove_hf_value2", args: []string{"X-Foo"}, rc: 1,
			hdrs: "Supported: path, 100rel\r\nSupported: timer\r\nX-Foo: c\r\n" + auth},
		{fn: "remove_hf_value2", args: []string{"Authorization.realm"}, rc: 1,
			hdrs: "Supported: path, 100rel\r\nX-Foo: a;p=1, b;q=2\r\nSupported: timer\r\nX-Foo: c\r\n" +
				"Authorization: Digest username=\"alice\", nonce=\"n\"\r\n"},
		{fn: "remove_hf_value2", args: []string{"X-Foo[-1]"}, rc: 1,
			hdrs: "Supported: path, 100rel\r\nX-Foo: a;p=1, b;q=2\r\nSupported: timer\r\n" + auth},
		{fn: "assign_hf_value", args: []string{"X-Foo", "new"}, rc: 1,
			hdrs: "Supported: path, 100rel\r\nX-Foo: new, b;q=2\r\nSupported: timer\r\nX-Foo: c\r\n" + auth},
		{fn: "assign_hf_value", args: []string{"X-Foo.p", "9"}, rc: 1,
			hdrs: "Supported: path, 100rel\r\nX-Foo: a;p=9, b;q=2\r\nSupported: timer\r\nX-Foo: c\r\n" + auth},
		{fn: "assign_hf_value", args: []string{"X-Foo.z", "9"}, rc: 1,
			hdrs: "Supported: path, 100rel\r\nX-Foo: a;p=1;z=9, b;q=2\r\nSupported: timer\r\nX-Foo: c\r\n" + auth},
		{fn: "assign_hf_value", args: []string{"X-Foo[*].q", ""}, rc: 1,
			hdrs: "Supported: path, 100rel\r\nX-Foo: a;p=1;q, b;q\r\nSupported: timer\r\nX-Foo: c;q\r\n" + auth},
		{fn: "assign_hf_value", args: []string{"X-Bar", "x"}, rc: -1},
		{fn: "assign_hf_value2", args: []string{"Authorization.realm", `"x"`}, rc: 1,
			hdrs: "Supported: path, 100rel\r\nX-Foo: a;p=1, b;q=2\r\nSupported: timer\r\nX-Foo: c\r\n" +
				"Authorization: Digest username=\"alice\", realm=\"x\", nonce=\"n\"\r\n"},
		{fn: "assign_hf_value2", args: []string{"Authorization.opaque", "o"}, rc: 1,
			hdrs: "Supported: path, 100rel\r\nX-Foo: a;p=1, b;q=2\r\nSupported: timer\r\nX-Foo: c\r\n" +
				"Authorization: Digest username=\"alice\", realm=\"r\", nonce=\"n\",opaque=o\r\n"},
		{fn: "assign_hf_value2", args: []string{"X-Foo[-1]", "gogo"}, rc: 1,
			hdrs: "Supported: path, 100rel\r\nX-Foo: a;p=1, b;q=2\r\nSupported: timer\r\nX-Foo: gogo\r\n" + auth},
		{fn: "include_hf_value", args: []string{"Supported", "path"}, rc: 1},
		{fn: "include_hf_value", args: []string{"Supported", "gruu"}, rc: 1,
			hdrs: "Supported: path, 100rel,gruu\r\nX-Foo: a;p=1, b;q=2\r\nSupported: timer\r\nX-Foo: c\r\n" + auth},
		{fn: "include_hf_value", args: []string{"X-Bar", "v"}, rc: 1, extra: "X-Bar: v\r\n"},
		{fn: "exclude_hf_value", args: []string{"Supported", "100rel"}, rc: 1,
			hdrs: "Supported: path\r\nX-Foo: a;p=1, b;q=2\r\nSupported: timer\r\nX-Foo: c\r\n" + auth},
		{fn: "exclude_hf_value", args: []string{"Supported", "timer"}, rc: 1,
			hdrs: "Supported: path, 100rel\r\nX-Foo: a;p=1, b;q=2\r\nX-Foo: c\r\n" + auth},
		{fn: "exclude_hf_value", args: []string{"Supported", "path"}, rc: 1,
			hdrs: "Supported:  100rel\r\nX-Foo: a;p=1, b;q=2\r\nSupported: timer\r\nX-Foo: c\r\n" + auth},
		{fn: "exclude_hf_value", args: []string{"Supported", "nope"}, rc: 1},
		{fn: "hf_value_exists", args: []string{"Supported", "timer"}, rc: 1},
		{fn: "hf_value_exists", args: []string{"supported", "PATH"}, rc: 1},
		{fn: "hf_value_exists", args: []string{"Supported", "nope"}, rc: -1},
		{fn: "hf_value_exists", args: []string{"X-Foo", "a;p=1"}, rc: 1},
		{fn: "hf_value_exists", args: []string{"X_Foo", "c"}, rc: -1},
	}
	for _, tc := range tests {
		t.Run(tc.fn+"("+strings.Join(tc.args, ",")+")", func(t *testing.T) {
			st := newState(t, testMsg)
			if rc := call(t, st, tc.fn, tc.args...); rc != tc.rc {
				t.Errorf("rc = %d, want %d", rc, tc.rc)
			}
			hdrs := tc.hdrs
			if hdrs == "" {
				hdrs = origHeaders
			}
			want := withHeaders(hdrs)
			if tc.extra != "" {
				want = strings.Replace(want, "Content-Length: 14\r\n", "Content-Length: 14\r\n"+tc.extra, 1)
			}
			if diff := cmp.Diff(want, st.Msg.String()); diff != "" {
				t.Errorf("message (-want +got):\n%s", diff)
			}
		})
	}
}

func TestHeaderValueFixups(t *testing.T) {
	bad := []struct{ fn, spec string }{
		{"assign_hf_value", "X-Foo[*]"},
		{"append_hf_value", "X-Foo.p"},
		{"insert_hf_value", "X-Foo[*]"},
		{"include_hf_value", "X-Foo[1]"},
		{"remove_hf_value", "X-Foo[0]"},
		{"remove_hf_value", "[1]"},
		{"remove_hf_value", "X-Foo[1"},
		{"remove_hf_value", "X-Foo[x]"},
		{"remove_hf_value", "X-Foo."},
	}
	for _, b := range bad {
		n := 2
		if strings.HasPrefix(b.fn, "remove") {
			n = 1
		}
		f := lookup(t, b.fn, n)
		args := []module.FixedArg{{Const: true, Str: b.spec}, {Const: true, Str: "v"}}
		if err := f.Fixup(nil, args[:n]); err == nil {
			t.Errorf("%s(%q): fixup accepted it", b.fn, b.spec)
		}
	}
}

func TestApplyChanges(t *testing.T) {
	st := newState(t, testMsg)
	before := st.Msg.Bytes()
	oldVal, _ := st.Msg.Header("X-Foo", 0)
	if rc := call(t, st, "append_hf_value", "X-New", "1"); rc != 1 {
		t.Fatalf("append rc %d", rc)
	}
	if _, ok := st.Msg.Header("X-New", 0); ok {
		t.Fatal("X-New visible before msg_apply_changes")
	}
	if err := st.Msg.SetRequestURI("sip:dave@d.example.com"); err != nil {
		t.Fatal(err)
	}
	if rc := call(t, st, "msg_apply_changes"); rc != 1 {
		t.Fatalf("msg_apply_changes rc %d", rc)
	}
	if v, ok := st.Msg.Header("X-New", 0); !ok || string(v) != "1" {
		t.Errorf("X-New after apply = %q, %v", v, ok)
	}
	if got := string(st.Msg.OriginalRequestURI()); got != "sip:dave@d.example.com" {
		t.Errorf("$ou after apply = %q", got)
	}
	if st.Msg.Edited() {
		t.Error("edits left after apply")
	}
	// Views handed out before stay valid.
	if string(before) != testMsg || string(oldVal) != "a;p=1, b;q=2" {
		t.Error("an old view changed")
	}
	// Nothing to apply: still 1.
	if rc := call(t, st, "msg_apply_changes"); rc != 1 {
		t.Errorf("second apply rc %d", rc)
	}
}

func TestSetBuffer(t *testing.T) {
	st := newState(t, testMsg)
	if rc := call(t, st, "msg_set_buffer", "garbage"); rc != -1 {
		t.Errorf("garbage rc %d", rc)
	}
	if rc := call(t, st, "msg_set_buffer", testReply); rc != -1 {
		t.Errorf("a reply for a request: rc %d", rc)
	}
	other := strings.Replace(testMsg, "OPTIONS sip:carol", "OPTIONS sip:erin", 1)
	if rc := call(t, st, "msg_set_buffer", other); rc != 1 {
		t.Fatalf("rc %d", rc)
	}
	if got := string(st.Msg.RequestURI()); got != "sip:erin@chicago.example.com" {
		t.Errorf("R-URI %q", got)
	}
}

func TestChangeReplyStatus(t *testing.T) {
	tests := []struct {
		fn   string
		args []string
		rc   int
		line string
	}{
		{"change_reply_status", []string{"404", "Not Found"}, 1, "SIP/2.0 404 Not Found"},
		{"change_reply_status", []string{"603", "Decline"}, 1, "SIP/2.0 603 Decline"},
		{"change_reply_status", []string{"200", "OK"}, -1, "SIP/2.0 486 Busy Here"},
		{"change_reply_status_code", []string{"480"}, 1, "SIP/2.0 480 Busy Here"},
	}
	for _, tc := range tests {
		st := newState(t, testReply)
		if rc := call(t, st, tc.fn, tc.args...); rc != tc.rc {
			t.Errorf("%s%v rc = %d, want %d", tc.fn, tc.args, rc, tc.rc)
		}
		line, _, _ := strings.Cut(st.Msg.String(), "\r\n")
		if line != tc.line {
			t.Errorf("%s%v: status line %q, want %q", tc.fn, tc.args, line, tc.line)
		}
		if tc.rc == 1 && st.Msg.StatusCode() != mustAtoi(tc.line[8:11]) {
			t.Errorf("$rs = %d", st.Msg.StatusCode())
		}
	}
	// On a request it fails.
	if rc := call(t, newState(t, testMsg), "change_reply_status", "404", "x"); rc != -1 {
		t.Errorf("request: rc %d", rc)
	}
	// A constant code outside 100..699 is refused at fixup time.
	f := lookup(t, "change_reply_status", 2)
	if err := f.Fixup(nil, []module.FixedArg{{Const: true, Str: "99"}, {Const: true, Str: "x"}}); err == nil {
		t.Error("code 99 accepted")
	}
}

func mustAtoi(s string) int {
	n := 0
	for _, c := range s {
		n = n*10 + int(c-'0')
	}
	return n
}

func TestRemoveBodyKeepHF(t *testing.T) {
	st := newState(t, testMsg)
	if rc := call(t, st, "remove_body"); rc != 1 {
		t.Fatalf("remove_body rc %d", rc)
	}
	want := strings.Replace(testMsg, "Content-Length: 14\r\n\r\nline1\r\nline2\r\n", "Content-Length: 0\r\n\r\n", 1)
	if diff := cmp.Diff(want, st.Msg.String()); diff != "" {
		t.Errorf("remove_body (-want +got):\n%s", diff)
	}

	st = newState(t, testMsg)
	if rc := call(t, st, "keep_hf", "X-F.*"); rc != -1 {
		t.Errorf("keep_hf rc %d (Kamailio returns -1)", rc)
	}
	want = withHeaders("X-Foo: a;p=1, b;q=2\r\nX-Foo: c\r\n")
	if diff := cmp.Diff(want, st.Msg.String()); diff != "" {
		t.Errorf("keep_hf (-want +got):\n%s", diff)
	}
	st = newState(t, testMsg)
	call(t, st, "keep_hf", "^sup")
	if diff := cmp.Diff(withHeaders("Supported: path, 100rel\r\nSupported: timer\r\n"), st.Msg.String()); diff != "" {
		t.Errorf("keep_hf ^sup (-want +got):\n%s", diff)
	}
	st = newState(t, testMsg)
	call(t, st, "keep_hf")
	if diff := cmp.Diff(withHeaders(""), st.Msg.String()); diff != "" {
		t.Errorf("keep_hf() (-want +got):\n%s", diff)
	}
}

func TestFnmatch(t *testing.T) {
	tests := []struct {
		value, pattern string
		flags          []string
		want           bool
	}{
		{"carol", "car*", nil, true},
		{"CAROL", "car*", nil, false},
		{"CAROL", "car*", []string{"i"}, false}, // as Kamailio 5.6.3
		{"carol", "car*", []string{"i"}, true},
		{"abc", "a?c", nil, true},
		{"abc", "[!a]bc", nil, false},
		{"xbc", "[!a]bc", nil, true},
		{"xbc", "[^a]bc", nil, true},
		{"a*c", `a\*c`, nil, true},
		{"abc", `a\*c`, nil, false},
		{"a/b", "a*", nil, true},
		{"", "*", nil, true},
		{"b", "[a-c]", nil, true},
		{"d", "[a-c]", nil, false},
		{"]", "[]]", nil, true},
		{"[", "[", nil, true},
		{"abcabcabd", "*abc*abd", nil, true},
		{"aaaaaaaaaaaaaaaaaaaaaaaaaaaaab", "*a*a*a*a*a*a*a*c", nil, false},
	}
	st := newState(t, testMsg)
	for _, tc := range tests {
		args := append([]string{tc.value, tc.pattern}, tc.flags...)
		want := -1
		if tc.want {
			want = 1
		}
		if rc := call(t, st, "fnmatch", args...); rc != want {
			t.Errorf("fnmatch%q = %d, want %d", args, rc, want)
		}
	}
}

// pvGet reads $name(inner) through the module's PV implementation.
func pvGet(t *testing.T, st *pv.State, class, inner string) pv.Value {
	t.Helper()
	mod, _ := module.Default().Lookup(Name)
	for _, c := range mod.PVs {
		if c.Name == class {
			return c.Impl.Get(st, &pv.PV{Name: inner})
		}
	}
	t.Fatalf("no PV %s", class)
	return pv.Null()
}

func TestHeaderIterator(t *testing.T) {
	st := newState(t, testMsg)
	if rc := call(t, st, "hf_iterator_next", "i1"); rc != -1 {
		t.Errorf("next before start: %d", rc)
	}
	call(t, st, "hf_iterator_start", "i1")
	var names []string
	for call(t, st, "hf_iterator_next", "i1") == 1 {
		names = append(names, pvGet(t, st, "hfitname", "i1").Text()+"="+pvGet(t, st, "hfitbody", "i1").Text())
		if len(names) > 50 {
			t.Fatal("iterator does not end")
		}
	}
	if len(names) != 13 || names[0] != "Via=SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKtx1" || names[12] != "Content-Length=14" {
		t.Errorf("headers: %q", names)
	}
	if !pvGet(t, st, "hfitname", "i1").IsNull() {
		t.Error("$hfitname not null past the end")
	}
	call(t, st, "hf_iterator_end", "i1")

	// prev: back one header; from the first the iterator starts over.
	call(t, st, "hf_iterator_start", "p")
	call(t, st, "hf_iterator_next", "p")
	call(t, st, "hf_iterator_next", "p")
	call(t, st, "hf_iterator_prev", "p")
	if got := pvGet(t, st, "hfitname", "p").Text(); got != "Via" {
		t.Errorf("after prev: %q", got)
	}
	if rc := call(t, st, "hf_iterator_prev", "p"); rc != 1 || !pvGet(t, st, "hfitname", "p").IsNull() {
		t.Errorf("prev of first: rc %d", rc)
	}
	call(t, st, "hf_iterator_next", "p")
	if got := pvGet(t, st, "hfitname", "p").Text(); got != "Via" {
		t.Errorf("next after reset: %q", got)
	}

	// Edits at the iterator.
	st = newState(t, testMsg)
	call(t, st, "hf_iterator_start", "i1")
	for call(t, st, "hf_iterator_next", "i1") == 1 {
		switch pvGet(t, st, "hfitname", "i1").Text() {
		case "X-Foo":
			call(t, st, "hf_iterator_rm", "i1")
		case "Supported":
			call(t, st, "hf_iterator_append", "i1", "X-After: "+pvGet(t, st, "hfitbody", "i1").Text()+"\r\n")
		case "CSeq":
			call(t, st, "hf_iterator_insert", "i1", "X-Before: 1\r\n")
		}
	}
	want := strings.Replace(withHeaders("Supported: path, 100rel\r\nX-After: path, 100rel\r\nSupported: timer\r\nX-After: timer\r\n"+
		"Authorization: Digest username=\"alice\", realm=\"r\", nonce=\"n\"\r\n"), "CSeq:", "X-Before: 1\r\nCSeq:", 1)
	if diff := cmp.Diff(want, st.Msg.String()); diff != "" {
		t.Errorf("edits (-want +got):\n%s", diff)
	}

	// At most four iterators; restarting one is not a new one.
	st = newState(t, testMsg)
	for i, name := range []string{"a", "b", "c", "d", "a", "e"} {
		want := 1
		if i == 5 {
			want = -1
		}
		if rc := call(t, st, "hf_iterator_start", name); rc != want {
			t.Errorf("start %s: %d", name, rc)
		}
	}
}

func TestBodyLineIterator(t *testing.T) {
	st := newState(t, testMsg)
	call(t, st, "bl_iterator_start", "b1")
	var lines []string
	for call(t, st, "bl_iterator_next", "b1") == 1 {
		lines = append(lines, pvGet(t, st, "blitval", "b1").Text())
		if len(lines) > 10 {
			t.Fatal("iterator does not end")
		}
	}
	if diff := cmp.Diff([]string{"line1\r\n", "line2\r\n"}, lines); diff != "" {
		t.Errorf("lines (-want +got):\n%s", diff)
	}
	call(t, st, "bl_iterator_end", "b1")
	if !pvGet(t, st, "blitval", "b1").IsNull() {
		t.Error("$blitval not null after end")
	}

	call(t, st, "bl_iterator_start", "b1")
	for call(t, st, "bl_iterator_next", "b1") == 1 {
		switch pvGet(t, st, "blitval", "b1").Text() {
		case "line1\r\n":
			call(t, st, "bl_iterator_append", "b1", "after1\r\n")
			call(t, st, "bl_iterator_insert", "b1", "before1\r\n")
		case "line2\r\n":
			call(t, st, "bl_iterator_rm", "b1")
		}
	}
	want := strings.Replace(testMsg, "Content-Length: 14\r\n\r\nline1\r\nline2\r\n",
		"Content-Length: 24\r\n\r\nbefore1\r\nline1\r\nafter1\r\n", 1)
	if diff := cmp.Diff(want, st.Msg.String()); diff != "" {
		t.Errorf("edits (-want +got):\n%s", diff)
	}
	// A body without a final newline has a last line without one.
	st = newState(t, strings.Replace(testMsg, "Content-Length: 14\r\n\r\nline1\r\nline2\r\n", "Content-Length: 3\r\n\r\nabc", 1))
	call(t, st, "bl_iterator_start", "x")
	if call(t, st, "bl_iterator_next", "x") != 1 || pvGet(t, st, "blitval", "x").Text() != "abc" {
		t.Error("last line without newline")
	}
	if call(t, st, "bl_iterator_next", "x") != -1 {
		t.Error("iterator did not end")
	}
}

// TestNoMessage: a state without a SIP message never panics.
func TestNoMessage(t *testing.T) {
	st := &pv.State{}
	mod, _ := module.Default().Lookup(Name)
	for i := range mod.Funcs {
		f := &mod.Funcs[i]
		if f.Name == "fnmatch" || strings.HasSuffix(f.Name, "_end") {
			continue // they need no message
		}
		for _, n := range f.Counts() {
			args := make([]module.FixedArg, n)
			for k := range args {
				args[k] = module.FixedArg{Const: true, Str: "X-Foo"}
			}
			if f.Fixup != nil {
				if err := f.Fixup(nil, args); err != nil {
					continue
				}
			}
			if rc := f.Exec(&fakeCtx{st: st}, module.Args{Fixed: args, St: st}); rc > 0 {
				t.Errorf("%s/%d without a message: rc %d", f.Name, n, rc)
			}
		}
	}
}
