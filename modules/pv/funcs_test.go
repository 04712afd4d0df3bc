package pv_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/rs/zerolog"

	"github.com/kamgo/kamgo/lang/parser"
	"github.com/kamgo/kamgo/lang/preproc"
	_ "github.com/kamgo/kamgo/modules/corex"
	_ "github.com/kamgo/kamgo/modules/xlog"
	"github.com/kamgo/kamgo/pv"
	"github.com/kamgo/kamgo/runtime/core"
	"github.com/kamgo/kamgo/runtime/core/coretest"
	"github.com/kamgo/kamgo/runtime/logging"
	"github.com/kamgo/kamgo/runtime/module"
	"github.com/kamgo/kamgo/runtime/sip"
)

const invite = "INVITE sip:bob@example.com SIP/2.0\r\n" +
	"Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bKabc1\r\n" +
	"From: <sip:alice@127.0.0.1>;tag=ft1\r\n" +
	"To: <sip:bob@example.com>\r\n" +
	"Call-ID: cid1\r\n" +
	"CSeq: 1 INVITE\r\n" +
	"Max-Forwards: 70\r\n" +
	"Content-Length: 0\r\n\r\n"

// load compiles a config with the pv, xlog and corex modules, extra
// top-level text and body as request_route.
func load(t *testing.T, extra, body string) (*core.Loaded, *bytes.Buffer, string) {
	t.Helper()
	var logs bytes.Buffer
	log := logging.New(zerolog.New(&logs), logging.LInfo)
	cfg := "loadmodule \"pv\"\nloadmodule \"xlog\"\nloadmodule \"corex\"\n" + extra + "\nrequest_route {\n" + body + "\n}\n"
	c, res, d := parser.ParseSource("test.cfg", []byte(cfg), preproc.Options{})
	if d.HasErrors() {
		t.Fatalf("parse: %v", d)
	}
	l, ld := core.Load(c, res, core.LoadOptions{Log: log, Debug: logging.LInfo, DebugSet: true})
	if l == nil {
		return nil, &logs, ld.Error()
	}
	return l, &logs, ""
}

func run(t *testing.T, body string) ([]string, *pv.State) {
	t.Helper()
	return runWith(t, "", body)
}

// runWith is run with top-level config (modparams) before the routes.
func runWith(t *testing.T, extra, body string) ([]string, *pv.State) {
	t.Helper()
	l, logs, errs := load(t, extra, body)
	if l == nil {
		t.Fatalf("load: %s", errs)
	}
	ctx := l.Machine.NewCtx(nil, l.Globals)
	st := ctx.State()
	st.Reset()
	m := &sip.Message{}
	if err := m.Parse([]byte(invite), sip.Datagram); err != nil {
		t.Fatal(err)
	}
	st.Msg, st.Raw = m, []byte(invite)
	ctx.Run(l.Prog.Request, module.Request)
	return coretest.ScriptLines(t, logs.String()), st
}

func TestPVFunctions(t *testing.T) {
	tests := []struct {
		name string
		body string
		want []string
	}{
		{name: "pv_isset and pv_unset", body: `pv_isset("$avp(a)"); xlog("L_INFO", "rc=$rc\n");
			$avp(a) = 1; $avp(a) = "two"; pv_isset("$avp(a)"); xlog("L_INFO", "rc=$rc\n");
			pv_unset("$avp(a)"); xlog("L_INFO", "rc=$rc a=$avp(a)\n");
			pv_isset($ru); xlog("L_INFO", "ru=$rc\n");
			pv_isset("$hdr(X-None)"); xlog("L_INFO", "hdr=$rc\n");
			$du = "sip:1.2.3.4"; pv_unset("$du"); xlog("L_INFO", "du=$du\n");`,
			want: []string{"rc=-1", "rc=1", "rc=1 a=1", "ru=1", "hdr=-1", "du=<null>"}},
		{name: "types", body: `$var(i) = 5; $var(s) = "5"; $var(e) = "";
			is_int("$var(i)"); xlog("L_INFO", "$rc\n"); is_int("$var(s)"); xlog("L_INFO", "$rc\n"); is_int("$avp(none)"); xlog("L_INFO", "$rc\n");
			typeof("$var(i)", "int"); xlog("L_INFO", "$rc\n"); typeof("$var(i)", "str"); xlog("L_INFO", "$rc\n");
			typeof("$var(s)", "String"); xlog("L_INFO", "$rc\n"); typeof("$avp(none)", "null"); xlog("L_INFO", "$rc\n");
			typeof("$var(s)", "x"); xlog("L_INFO", "$rc\n");
			not_empty("$var(s)"); xlog("L_INFO", "$rc\n"); not_empty("$var(e)"); xlog("L_INFO", "$rc\n");
			not_empty("$var(i)"); xlog("L_INFO", "$rc\n"); not_empty("$avp(none)"); xlog("L_INFO", "$rc\n");`,
			want: []string{"1", "-1", "-1", "1", "-1", "1", "1", "-1", "1", "-1", "-1", "-1"}},
		{name: "xavp_params_explode", body: `xavp_params_explode("a=b;c=d;e", "x"); xlog("L_INFO", "rc=$rc a=$xavp(x=>a) c=$xavp(x=>c) e=[$xavp(x=>e)]\n");
			xavp_params_explode("k=1;k=2", "x"); xlog("L_INFO", "k0=$xavp(x=>k) k1=$xavp(x=>k[1]) old=$xavp(x[1]=>a)\n");
			xavp_params_explode("q=\"a;b\";r=2", "y"); xlog("L_INFO", "q=$xavp(y=>q) r=$xavp(y=>r)\n");
			xavp_params_explode("=x", "z"); xlog("L_INFO", "bad=$rc\n");`,
			want: []string{"rc=1 a=b c=d e=[]", "k0=1 k1=2 old=b", "q=a;b r=2", "bad=-1"}},
		{name: "xavp_rm and xavp_child_rm", body: `$xavp(r=>a) = 1; $xavp(r=>a) = 2; $xavp(r[0]=>b) = 3; $xavp(r[0]=>b) = 4;
			xavp_child_rm("r", "b"); xlog("L_INFO", "rc=$rc b=$xavp(r=>b) b1=$xavp(r=>b[1])\n");
			xavp_child_rm("none", "b"); xlog("L_INFO", "none=$rc\n");
			xavp_rm("r"); xlog("L_INFO", "rc=$rc a=$xavp(r=>a) a1=$xavp(r[1]=>a)\n");
			$xavi(WhatEver=>FoO) = 1; xavi_child_rm("whatever", "foo"); xlog("L_INFO", "xavi=$xavi(whatever=>foo)\n");
			$xavi(Y=>a) = 1; xavi_rm("y"); xlog("L_INFO", "xavi_rm=$xavi(y=>a)\n");`,
			want: []string{"rc=1 b=3 b1=<null>", "none=1", "rc=1 a=1 a1=<null>", "xavi=<null>", "xavi_rm=<null>"}},
		{name: "static branch", body: `sbranch_reset(); $sbranch(uri) = "sip:s1@s.example"; $sbranch(dst_uri) = "sip:10.0.0.9:5090"; $sbranch(q) = 300; $sbranch(flags) = 4;
			xlog("L_INFO", "uri=$sbranch(uri) du=$sbranch(dst_uri) q=$sbranch(q) path=$sbranch(path)\n");
			sbranch_append(); xlog("L_INFO", "rc=$rc u=$(branch(uri)[0]) du=$(branch(dst_uri)[0]) q=$(branch(q)[0]) f=$(branch(flags)[0])\n");
			sbranch_set_ruri(); xlog("L_INFO", "rc=$rc ru=$ru du=$du bf=$bf\n");
			sbranch_reset(); xlog("L_INFO", "uri=$sbranch(uri) q=$sbranch(q)\n");
			sbranch_append(); xlog("L_INFO", "rc=$rc n=$branch(count)\n");
			sbranch_set_ruri(); xlog("L_INFO", "rc=$rc\n");`,
			want: []string{"uri=sip:s1@s.example du=sip:10.0.0.9:5090 q=300 path=<null>",
				"rc=1 u=sip:s1@s.example du=sip:10.0.0.9:5090 q=300 f=4",
				"rc=1 ru=sip:s1@s.example du=sip:10.0.0.9:5090 bf=4",
				"uri=<null> q=<null>", "rc=-1 n=1", "rc=-1"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, _ := run(t, tc.body)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("xlog lines (-want +got):\n%s", diff)
			}
		})
	}
}

func TestPVFunctionArgsChecked(t *testing.T) {
	tests := []struct {
		body string
		want string
	}{
		{`pv_isset("abc");`, "must be a pseudo-variable"},
		{`pv_unset("$rm");`, "read-only"},
		{`$sbranch(count) = 1;`, "unknown static branch attribute"},
		{`xavp_copy("a", "0", "b");`, "not supported by kamgo yet"},
	}
	for _, tc := range tests {
		l, _, errs := load(t, "", tc.body)
		if l != nil || !strings.Contains(errs, tc.want) {
			t.Errorf("%s: errors %q, want one containing %q", tc.body, errs, tc.want)
		}
	}
}

func TestAVPAliasesParam(t *testing.T) {
	lines, _ := runWith(t, `modparam("pv", "avp_aliases", "email=s:email_addr;tmp=i:100")`,
		`$avp(email) = "a@b"; $avp(i:100) = 7; xlog("L_INFO", "$avp(s:email_addr) $avp(tmp) $avp(email)\n");`)
	if diff := cmp.Diff([]string{"a@b 7 a@b"}, lines); diff != "" {
		t.Errorf("aliases (-want +got):\n%s", diff)
	}
	_, _, errs := load(t, `modparam("pv", "avp_aliases", "email")`, `;`)
	if !strings.Contains(errs, "expected alias=name") {
		t.Errorf("bad aliases: errors %q", errs)
	}
}

func TestParseAVPAliases(t *testing.T) {
	got, err := pv.ParseAVPAliases("email=s:email_addr; tmp=i:100;plain=x")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]pv.AVPName{"email": {Name: "email_addr"}, "tmp": {ID: 100, IsID: true}, "plain": {Name: "x"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	for _, bad := range []string{"", "a", "a=", "=b", "a=i:x", "a=b;a=c", "a b=c"} {
		if _, err := pv.ParseAVPAliases(bad); err == nil {
			t.Errorf("ParseAVPAliases(%q) accepted", bad)
		}
	}
}
