package siputils

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kamgo/kamgo/pv"
	"github.com/kamgo/kamgo/runtime/logging"
	"github.com/kamgo/kamgo/runtime/module"
	"github.com/kamgo/kamgo/runtime/sip"
)

const richMsg = "INVITE sip:+4930123@proxy.example.com;p1;p2=v2;user=phone SIP/2.0\r\n" +
	"Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKsu1\r\n" +
	"Max-Forwards: 70\r\n" +
	"To: <sip:bob@biloxi.example.com>;tag=t1\r\n" +
	"From: <sip:alice@atlanta.example.com>;tag=f1\r\n" +
	"Call-ID: su1@atlanta.example.com\r\n" +
	"CSeq: 1 INVITE\r\n" +
	"Contact: <sip:alice@10.0.0.1:5070;transport=tcp>;expires=60\r\n" +
	"Content-Length: 0\r\n\r\n"

const plainMsg = "OPTIONS sip:carol@chicago.example.com;p1;p2=v2;Gr SIP/2.0\r\n" +
	"Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKsu2\r\n" +
	"Via: SIP/2.0/UDP 10.0.0.2;branch=z9hG4bKsu3\r\n" +
	"Max-Forwards: 70\r\n" +
	"To: <sip:carol@chicago.example.com>\r\n" +
	"From: <sip:alice@atlanta.example.com>;tag=f2\r\n" +
	"Call-ID: su2@atlanta.example.com\r\n" +
	"CSeq: 1 OPTIONS\r\n" +
	"Supported: path, gruu\r\n" +
	"Content-Length: 0\r\n\r\n"

const replyMsg = "SIP/2.0 200 OK\r\n" +
	"Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKsu1\r\n" +
	"Record-Route: <sip:192.0.2.10;lr>\r\n" +
	"To: <sip:bob@biloxi.example.com>;tag=t1\r\n" +
	"From: <sip:alice@atlanta.example.com>;tag=f1\r\n" +
	"Call-ID: su1@atlanta.example.com\r\n" +
	"CSeq: 1 INVITE\r\n" +
	"Content-Length: 0\r\n\r\n"

type sentReply struct {
	Code    int
	Reason  string
	Headers []string
}

type fakeCore struct {
	self    map[string]bool
	state   *State
	replies []sentReply
	fail    bool
}

func (c *fakeCore) SendReply(_ *pv.State, code int, reason string, o sip.ReplyOptions) error {
	if c.fail {
		c.fail = false
		return errors.New("send failed")
	}
	r := sentReply{Code: code, Reason: reason, Headers: o.Headers}
	c.replies = append(c.replies, r)
	return nil
}
func (c *fakeCore) Forward(*pv.State, module.Target) error          { return nil }
func (c *fakeCore) ForwardReply(*pv.State) error                    { return nil }
func (c *fakeCore) SendData(*pv.State, module.Target, []byte) error { return nil }
func (c *fakeCore) RunEvent(string, pv.RecvInfo, []byte) bool       { return false }
func (c *fakeCore) HasRoute(string) bool                            { return false }
func (c *fakeCore) Myself(host string, _ int) bool                  { return c.self[host] }
func (c *fakeCore) Module(name string) (any, bool) {
	if name == Name && c.state != nil {
		return c.state, true
	}
	return nil, false
}

type fakeCtx struct {
	st   *pv.State
	core module.Core
}

func (c *fakeCtx) RouteType() module.RouteType { return module.Request }
func (c *fakeCtx) State() *pv.State            { return c.st }
func (c *fakeCtx) Logger() *logging.Logger     { return logging.Discard() }
func (c *fakeCtx) Core() module.Core           { return c.core }

// env is one message with a $var store and the compiler of its PVs.
type env struct {
	t    *testing.T
	st   *pv.State
	pvc  *pv.Compiler
	core module.Core
}

func newEnv(t *testing.T, text string) *env {
	t.Helper()
	m := &sip.Message{}
	if err := m.Parse([]byte(text), sip.Datagram); err != nil {
		t.Fatalf("parse: %v", err)
	}
	// Enough $var slots for every name the tests use.
	return &env{t: t, st: &pv.State{Msg: m, Vars: pv.NewVarStore(64)}, pvc: pv.NewCompiler(pv.NewTable())}
}

// pv compiles a pseudo-variable reference.
func (e *env) pv(text string) *pv.PV {
	e.t.Helper()
	spec, err := pv.Parse(text)
	if err != nil {
		e.t.Fatalf("%s: %v", text, err)
	}
	p, err := e.pvc.Compile(spec)
	if err != nil {
		e.t.Fatalf("%s: %v", text, err)
	}
	return p
}

func (e *env) setVar(name, v string) {
	e.t.Helper()
	if err := e.pv("$var("+name+")").Set(e.st, pv.Str(v)); err != nil {
		e.t.Fatal(err)
	}
}

func (e *env) getVar(name string) string { return e.pv("$var(" + name + ")").Get(e.st).Text() }

// call runs a function: an argument starting with "$" is a pseudo-variable
// reference, anything else a constant.
func (e *env) call(name string, args ...string) int {
	e.t.Helper()
	mod, _ := module.Default().Lookup(Name)
	var f *module.Func
	for i := range mod.Funcs {
		if mod.Funcs[i].Name == name && mod.Funcs[i].Accepts(len(args)) {
			f = &mod.Funcs[i]
		}
	}
	if f == nil || f.Exec == nil {
		e.t.Fatalf("no runnable %s/%d", name, len(args))
	}
	fixed := make([]module.FixedArg, len(args))
	for i, a := range args {
		fixed[i] = module.FixedArg{Kind: f.Arg(i).Kind, Const: true, Str: a}
		if strings.HasPrefix(a, "$") {
			fixed[i] = module.FixedArg{Kind: f.Arg(i).Kind, PV: e.pv(a)}
		}
	}
	if f.Fixup != nil {
		if err := f.Fixup(nil, fixed); err != nil {
			e.t.Fatalf("%s fixup: %v", name, err)
		}
	}
	return f.Exec(&fakeCtx{st: e.st, core: e.core}, module.Args{Fixed: fixed, St: e.st})
}

func TestMessageChecks(t *testing.T) {
	tests := []struct {
		msg  string
		fn   string
		args []string
		rc   int
	}{
		{richMsg, "has_totag", nil, 1},
		{plainMsg, "has_totag", nil, -1},
		{richMsg, "is_request", nil, 1},
		{replyMsg, "is_request", nil, -1},
		{richMsg, "is_reply", nil, -1},
		{replyMsg, "is_reply", nil, 1},
		{richMsg, "is_user", []string{"alice"}, -1},
		{richMsg, "is_first_hop", nil, 1},
		{plainMsg, "is_first_hop", nil, -1},
		{plainMsg, "is_first_hop", []string{"1"}, -1},
		{richMsg, "is_supported", []string{"path"}, -1},
		{plainMsg, "is_supported", []string{"path"}, 1},
		{plainMsg, "is_supported", []string{"GRUU"}, 1},
		{plainMsg, "is_supported", []string{"timer"}, -1},
		{plainMsg, "is_gruu", nil, 2},
		{richMsg, "is_gruu", nil, -1},
		{richMsg, "is_gruu", []string{"sip:a@b;gr=x"}, 1},
		{richMsg, "is_gruu", []string{"garbage"}, -1},
	}
	for _, tc := range tests {
		e := newEnv(t, tc.msg)
		if rc := e.call(tc.fn, tc.args...); rc != tc.rc {
			t.Errorf("%s%q on %.20q: rc %d, want %d", tc.fn, tc.args, tc.msg, rc, tc.rc)
		}
	}
}

func TestIsFirstHopReply(t *testing.T) {
	e := newEnv(t, replyMsg)
	if rc := e.call("is_first_hop"); rc != -1 {
		t.Errorf("no core: %d", rc)
	}
	e.core = &fakeCore{self: map[string]bool{"192.0.2.10": true}}
	if rc := e.call("is_first_hop"); rc != 1 {
		t.Errorf("our Record-Route: %d", rc)
	}
	e.core = &fakeCore{self: map[string]bool{"192.0.2.11": true}}
	if rc := e.call("is_first_hop", "1"); rc != -1 {
		t.Errorf("not our Record-Route: %d", rc)
	}
}

func TestURIParams(t *testing.T) {
	tests := []struct {
		msg  string
		fn   string
		args []string
		rc   int
	}{
		// user=phone: the parameters of the number, not of the SIP URI.
		{richMsg, "uri_param", []string{"p1"}, -1},
		{richMsg, "uri_param_any", []string{"p2"}, 1},
		{plainMsg, "uri_param", []string{"p1"}, 1},
		{plainMsg, "uri_param", []string{"P1"}, -1},
		{plainMsg, "uri_param", []string{"p2"}, -1},
		{plainMsg, "uri_param", []string{"p2", "v2"}, 1},
		{plainMsg, "uri_param", []string{"p2", "V2"}, -1},
		{plainMsg, "uri_param", []string{"p1", ""}, 1},
		{plainMsg, "uri_param", []string{"x"}, -1},
		{plainMsg, "uri_param_any", []string{"x"}, -1},
		{replyMsg, "uri_param", []string{"p1"}, -1},
	}
	for _, tc := range tests {
		e := newEnv(t, tc.msg)
		if rc := e.call(tc.fn, tc.args...); rc != tc.rc {
			t.Errorf("%s%q: rc %d, want %d", tc.fn, tc.args, rc, tc.rc)
		}
	}

	e := newEnv(t, plainMsg)
	if rc := e.call("get_uri_param", "p2", "$var(v)"); rc != 1 || e.getVar("v") != "v2" {
		t.Errorf("get_uri_param: rc %d, $var(v) %q", rc, e.getVar("v"))
	}
	if rc := e.call("get_uri_param", "nope", "$var(v)"); rc != -1 {
		t.Errorf("get_uri_param missing: %d", rc)
	}
	if rc := e.call("add_uri_param", "nat=yes"); rc != 1 {
		t.Errorf("add_uri_param: %d", rc)
	}
	if rc := e.call("uri_param_rm", "p1"); rc != 1 {
		t.Errorf("uri_param_rm: %d", rc)
	}
	if rc := e.call("uri_param_rm", "absent"); rc != 1 {
		t.Errorf("uri_param_rm absent: %d", rc)
	}
	if got := string(e.st.Msg.RequestURI()); got != "sip:carol@chicago.example.com;p2=v2;Gr;nat=yes" {
		t.Errorf("R-URI %q", got)
	}
	if rc := e.call("add_uri_param", "bad param"); rc != -1 {
		t.Errorf("add_uri_param with a blank: %d", rc)
	}
}

func TestTel2SIP(t *testing.T) {
	tests := []struct {
		uri, host, want string
		rc              int
	}{
		{"tel:+1-(555)-123.4567;Ext=200;ISUB=+123-456", "atlanta.example.com",
			"sip:+15551234567;ext=200;isub=+123-456@atlanta.example.com;user=phone", 1},
		{"tel:+(34)-999-888-777", "foo.com", "sip:+34999888777@foo.com;user=phone", 1},
		{"TEL:+1234", "foo.com", "sip:+1234@foo.com;user=phone", 1},
		{"tel:", "foo.com", "sip:@foo.com;user=phone", 1},
		{"sip:a@b", "foo.com", "", 2},
	}
	for _, tc := range tests {
		e := newEnv(t, richMsg)
		e.setVar("u", tc.uri)
		e.setVar("r", "")
		if rc := e.call("tel2sip", "$var(u)", tc.host, "$var(r)"); rc != tc.rc || e.getVar("r") != tc.want {
			t.Errorf("tel2sip(%q): rc %d %q, want %d %q", tc.uri, rc, e.getVar("r"), tc.rc, tc.want)
		}
	}
}

func TestCharClasses(t *testing.T) {
	// value → is_e164 tel num alnum alnumex("+.-"), from Kamailio 5.6.3.
	tests := []struct {
		s    string
		want string
	}{
		{"+4930123", "e164 tel alnumex"},
		{"4930123", "tel num alnum alnumex"},
		{"+12", "e164 tel alnumex"},
		{"+123456789012345", "e164 tel alnumex"},
		{"+1234567890123456", "tel alnumex"},
		{"+12a4", "alnumex"},
		{"", ""},
		{"+", "alnumex"},
		{"abc123", "alnum alnumex"},
		{"ab-c.1", "alnumex"},
		{"0", "tel num alnum alnumex"},
		{"+00", "e164 alnumex"},
	}
	for _, tc := range tests {
		e := newEnv(t, richMsg)
		e.setVar("s", tc.s)
		var got []string
		if e.call("is_e164", "$var(s)") == 1 {
			got = append(got, "e164")
		}
		if e.call("is_tel_number", tc.s) == 1 {
			got = append(got, "tel")
		}
		if e.call("is_numeric", tc.s) == 1 {
			got = append(got, "num")
		}
		if e.call("is_alphanum", tc.s) == 1 {
			got = append(got, "alnum")
		}
		if e.call("is_alphanumex", tc.s, "+.-") == 1 {
			got = append(got, "alnumex")
		}
		if s := strings.Join(got, " "); s != tc.want {
			t.Errorf("%q: %q, want %q", tc.s, s, tc.want)
		}
	}
	e := newEnv(t, richMsg)
	e.setVar("u", "sip:+4930123@h")
	if e.call("is_uri_user_e164", "$var(u)") != 1 {
		t.Error("is_uri_user_e164 sip:+4930123@h")
	}
	for _, u := range []string{"tel:+4930123", "sip:alice@h", "garbage"} {
		e.setVar("u", u)
		if e.call("is_uri_user_e164", "$var(u)") != -1 {
			t.Errorf("is_uri_user_e164 %q", u)
		}
	}
	e.setVar("u", "sip:a@b")
	if e.call("is_uri", "$var(u)") != 1 {
		t.Error("is_uri sip:a@b")
	}
	e.setVar("u", "garbage")
	if e.call("is_uri", "$var(u)") != -1 {
		t.Error("is_uri garbage")
	}
	// A constant where a pseudo-variable is required is refused.
	mod, _ := module.Default().Lookup(Name)
	for _, f := range mod.Funcs {
		if f.Name == "is_e164" {
			if err := f.Fixup(nil, []module.FixedArg{{Const: true, Str: "+49"}}); err == nil {
				t.Error("is_e164 accepted a constant")
			}
		}
	}
}

func TestCompare(t *testing.T) {
	tests := []struct {
		fn, a, b string
		rc       int
	}{
		{"cmp_uri", "sip:alice@A.example.com;transport=udp", "sip:alice@a.example.com;TRANSPORT=UDP", 1},
		{"cmp_uri", "sip:alice@a.example.com", "sip:alice@a.example.com:5060", -1},
		{"cmp_uri", "sip:Alice@a.example.com", "sip:alice@a.example.com", -1},
		{"cmp_uri", "sip:alice@a.example.com;x=1", "sip:alice@a.example.com", 1},
		{"cmp_uri", "garbage", "sip:alice@a.example.com", -2},
		{"cmp_aor", "sip:alice@a.example.com;x=1", "sip:alice@A.EXAMPLE.com:5060", 1},
		{"cmp_aor", "sip:alice@a.example.com", "sip:bob@a.example.com", -1},
		{"cmp_aor", "sip:alice@a.example.com", "sip:alice@a.example.com:5070", -1},
		{"cmp_hdr_name", "From", "f", 1},
		{"cmp_hdr_name", "X-Abc", "x-ABC", 1},
		{"cmp_hdr_name", "X-Abc", "X-Abd", -2},
		{"cmp_hdr_name", "Call-ID", "i", 1},
		{"cmp_hdr_name", "To", "From", -2},
	}
	for _, tc := range tests {
		e := newEnv(t, richMsg)
		if rc := e.call(tc.fn, tc.a, tc.b); rc != tc.rc {
			t.Errorf("%s(%q, %q) = %d, want %d", tc.fn, tc.a, tc.b, rc, tc.rc)
		}
	}
}

func TestSetURIParts(t *testing.T) {
	e := newEnv(t, richMsg)
	steps := []struct {
		fn, value, want string
		rc              int
	}{
		{"set_uri_user", "new_user", "sip:new_user@host.example.com:5070;transport=tcp", 1},
		{"set_uri_host", "new.example.com", "sip:new_user@new.example.com:5070;transport=tcp", 1},
		{"set_uri_user", "", "sip:new.example.com:5070;transport=tcp", 1},
	}
	e.setVar("u", "sip:user@host.example.com:5070;transport=tcp")
	for _, s := range steps {
		e.setVar("x", s.value)
		if rc := e.call(s.fn, "$var(u)", "$var(x)"); rc != s.rc || e.getVar("u") != s.want {
			t.Errorf("%s(%q): rc %d %q, want %q", s.fn, s.value, rc, e.getVar("u"), s.want)
		}
	}
	e.setVar("u", "garbage")
	if rc := e.call("set_uri_user", "$var(u)", "$var(x)"); rc != -1 || e.getVar("u") != "garbage" {
		t.Errorf("garbage: rc %d %q", rc, e.getVar("u"))
	}
}

func TestOptionsReply(t *testing.T) {
	opts := func(ru string) string {
		return strings.Replace(plainMsg, "OPTIONS sip:carol@chicago.example.com;p1;p2=v2;Gr SIP/2.0", "OPTIONS "+ru+" SIP/2.0", 1)
	}
	s := New()
	s.OptionsSupport = "100rel"
	core := &fakeCore{self: map[string]bool{"127.0.0.1": true}, state: s}
	tests := []struct {
		msg     string
		rc      int
		replies int
	}{
		{opts("sip:127.0.0.1:5060"), 1, 1},
		{opts("sip:u@127.0.0.1"), -1, 0},
		{opts("sip:10.9.9.9"), -1, 0},
		{richMsg, -1, 0},
	}
	for _, tc := range tests {
		core.replies = nil
		e := newEnv(t, tc.msg)
		e.core = core
		if rc := e.call("options_reply"); rc != tc.rc || len(core.replies) != tc.replies {
			t.Errorf("%.40q: rc %d, %d replies", tc.msg, rc, len(core.replies))
		}
	}
	core.replies = nil
	e := newEnv(t, opts("sip:127.0.0.1"))
	e.core = core
	e.call("options_reply")
	want := []sentReply{{Code: 200, Reason: "OK", Headers: []string{
		"Accept: */*", "Accept-Encoding: ", "Accept-Language: en", "Supported: 100rel"}}}
	if diff := cmp.Diff(want, core.replies); diff != "" {
		t.Errorf("reply (-want +got):\n%s", diff)
	}
	// A failed send gets a 500 and -1.
	core.replies, core.fail = nil, true
	if rc := e.call("options_reply"); rc != -1 || len(core.replies) != 1 || core.replies[0].Code != 500 {
		t.Errorf("failed send: rc %d, %+v", rc, core.replies)
	}
	// Without a server it fails.
	e.core = nil
	if rc := e.call("options_reply"); rc != -1 {
		t.Errorf("no core: %d", rc)
	}
}

func TestContactParam(t *testing.T) {
	e := newEnv(t, richMsg)
	if rc := e.call("contact_param_encode", "ksu", "sip:192.0.2.1:5060;transport=tcp"); rc != 1 {
		t.Fatalf("encode rc %d", rc)
	}
	enc := "Contact: <sip:192.0.2.1:5060;transport=tcp;ksu=c2lwOmFsaWNlQDEwLjAuMC4xOjUwNzA7dHJhbnNwb3J0PXRjcA>;expires=60\r\n"
	if !strings.Contains(e.st.Msg.String(), enc) {
		t.Fatalf("encoded message:\n%s", e.st.Msg.String())
	}
	if err := e.st.Msg.ApplyChanges(); err != nil {
		t.Fatal(err)
	}
	if rc := e.call("contact_param_decode", "ksu"); rc != 1 {
		t.Fatalf("decode rc %d", rc)
	}
	if got := e.st.Msg.String(); got != richMsg {
		t.Errorf("decoded:\n%s", got)
	}
	if err := e.st.Msg.ApplyChanges(); err != nil {
		t.Fatal(err)
	}
	e.call("contact_param_encode", "ksu", "sip:192.0.2.1")
	if err := e.st.Msg.ApplyChanges(); err != nil {
		t.Fatal(err)
	}
	if rc := e.call("contact_param_rm", "ksu"); rc != 1 {
		t.Errorf("rm rc %d", rc)
	}
	if !strings.Contains(e.st.Msg.String(), "Contact: <sip:192.0.2.1>;expires=60\r\n") {
		t.Errorf("after rm:\n%s", e.st.Msg.String())
	}

	e = newEnv(t, strings.Replace(richMsg, "sip:+4930123@proxy.example.com;p1;p2=v2;user=phone",
		"sip:192.0.2.1;ksu=c2lwOmJvYkAxMC4wLjAuOTo1MDgw", 1))
	if rc := e.call("contact_param_decode_ruri", "ksu"); rc != 1 || string(e.st.Msg.RequestURI()) != "sip:bob@10.0.0.9:5080" {
		t.Errorf("decode_ruri: rc %d, %q", rc, e.st.Msg.RequestURI())
	}
	if rc := e.call("contact_param_decode_ruri", "ksu"); rc != -1 {
		t.Errorf("decode_ruri without the parameter: %d", rc)
	}
	// No Contact: nothing to encode.
	e = newEnv(t, plainMsg)
	if rc := e.call("contact_param_encode", "ksu", "sip:192.0.2.1"); rc != -1 {
		t.Errorf("no contact: %d", rc)
	}
}

func TestParams(t *testing.T) {
	mod, _ := module.Default().Lookup(Name)
	s := New()
	host := fakeHost{s}
	set := func(name, v string) error {
		p, ok := mod.Param(name)
		if !ok {
			t.Fatalf("no param %s", name)
		}
		return p.Apply(host, module.ParamValue{Str: v})
	}
	if err := set("options_accept", "application/*"); err != nil || s.OptionsAccept != "application/*" {
		t.Errorf("options_accept: %v %q", err, s.OptionsAccept)
	}
	if err := set("contact_flds_separator", "-x"); err != nil || s.ContactSeparator != '-' {
		t.Errorf("contact_flds_separator: %v %q", err, s.ContactSeparator)
	}
	if err := set("options_support", "a\r\nX: y"); err == nil {
		t.Error("a header injection was accepted")
	}
	p, _ := mod.Param("options_accept_language")
	if err := p.Apply(host, module.ParamValue{IsInt: true, Int: 1}); err == nil {
		t.Error("an integer was accepted")
	}
	for _, name := range []string{"options_accept_encoding", "rpid_prefix", "rpid_suffix", "rpid_avp"} {
		if err := set(name, "v"); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

type fakeHost struct{ s *State }

func (h fakeHost) Module(name string) (any, bool) { return h.s, name == Name }
func (h fakeHost) HasEventRoute(string) bool      { return false }
func (h fakeHost) Logger() *logging.Logger        { return logging.Discard() }
