package check_test

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/kamgo/kamgo/lang/check"
	"github.com/kamgo/kamgo/lang/diag"
	"github.com/kamgo/kamgo/lang/parser"
	"github.com/kamgo/kamgo/lang/preproc"
)

// hdr is line 1 and 2 of most cases, so that their own text starts at line 3.
const hdr = "#!KAMAILIO\n" +
	`loadmodule "tm.so" loadmodule "tmx.so" loadmodule "sl.so" loadmodule "xlog.so" loadmodule "pv.so" loadmodule "textops.so" loadmodule "kex.so"` + "\n"

type checkCase struct {
	name   string
	src    string
	compat bool
	want   []string // "line:col: severity: message"
}

func runCheck(t *testing.T, src string, compat bool) []string {
	t.Helper()
	cfg, _, perr := parser.ParseSource("t.cfg", []byte(src), preproc.Options{})
	if len(perr) > 0 {
		t.Fatalf("parse errors:\n%s", render(perr))
	}
	return render(check.Config(cfg, check.Options{Registry: testRegistry(), KamailioCompat: compat}))
}

func render(l diag.List) []string {
	out := []string{}
	for _, d := range l {
		out = append(out, fmt.Sprintf("%d:%d: %s: %s", d.Pos.Line, d.Pos.Column, d.Severity, d.Msg))
	}
	return out
}

func TestCheck(t *testing.T) {
	update := os.Getenv("UPDATE_CHECK") != ""
	for _, tc := range checkCases {
		t.Run(tc.name, func(t *testing.T) {
			got := runCheck(t, tc.src, tc.compat)
			if update {
				var b strings.Builder
				for _, g := range got {
					fmt.Fprintf(&b, "\t\t\t%q,\n", g)
				}
				fmt.Printf("=== %s\n%s", tc.name, b.String())
				return
			}
			if diff := cmp.Diff(tc.want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("diagnostics mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

var checkCases = []checkCase{
	// ------------------------------------------------------------ modules
	{name: "unknown module", src: "loadmodule \"nosuchmod.so\"\n", want: []string{
		"1:1: error: unknown module \"nosuchmod\"",
	}},
	{name: "unknown module typo", src: "loadmodule \"tn.so\"\n", want: []string{
		"1:1: error: unknown module \"tn\"; did you mean \"tm\"?",
	}},
	{name: "unsupported module", src: "loadmodule \"db_mysql.so\"\n", want: []string{
		"1:1: error: module \"db_mysql\" is not supported by kamgo; remove the loadmodule (or guard it with #!ifdef) and the calls to its functions",
	}},
	{name: "module loaded twice", src: "loadmodule \"sl.so\"\nloadmodule \"tm.so\"\nloadmodule \"/usr/lib/kamailio/modules/sl.so\"\n", want: []string{
		"3:1: error: module \"sl\" is loaded twice (first at t.cfg:1:1); remove one loadmodule",
	}},
	{name: "module path and loadmodulex", src: "loadmodule \"/usr/lib/x86_64-linux-gnu/kamailio/modules/tm.so\"\nloadmodulex \"sl\"\n"},
	{name: "missing dependency", src: "loadmodule \"keepalive.so\"\n", want: []string{
		"1:1: error: module \"keepalive\" needs module \"tm\": add loadmodule \"tm.so\"",
	}},
	{name: "modparam unknown module", src: "modparam(\"nosuch\", \"x\", 1)\n", want: []string{
		"1:10: error: modparam names unknown module \"nosuch\"",
	}},
	{name: "modparam module not loaded", src: "loadmodule \"sl.so\"\nmodparam(\"tm\", \"fr_timer\", 1)\n", want: []string{
		"2:10: error: modparam names module \"tm\", which is not loaded; add loadmodule \"tm.so\"",
	}},
	{name: "modparam before loadmodule", src: "modparam(\"tm\", \"fr_timer\", 1)\nloadmodule \"tm.so\"\n", want: []string{
		"1:10: error: modparam for module \"tm\" comes before its loadmodule; move it after loadmodule \"tm.so\"",
	}},
	{name: "modparam unknown param", src: "loadmodule \"tm.so\"\nmodparam(\"tm\", \"fr_timr\", 1)\n", want: []string{
		"2:16: error: module \"tm\" has no parameter \"fr_timr\"; did you mean \"fr_timer\"?",
	}},
	{name: "modparam int param given string", src: "loadmodule \"tm.so\"\nmodparam(\"tm\", \"fr_timer\", \"abc\")\n", want: []string{
		"2:28: error: parameter \"fr_timer\" of module \"tm\" takes an integer, got the string \"abc\"",
	}},
	{name: "modparam string param given int", src: "loadmodule \"sl.so\"\nmodparam(\"sl\", \"default_reason\", 5)\n", want: []string{
		"2:34: error: parameter \"default_reason\" of module \"sl\" takes a string, got the integer 5; write \"5\"",
	}},
	{name: "modparam module regex", src: "loadmodule \"tm.so\"\nloadmodule \"sl.so\"\nmodparam(\"t.\", \"fr_timer\", 1)\nmodparam(\"tm|sl\", \"fr_timer\", 1)\n", want: []string{
		"4:19: error: module \"sl\" has no parameter \"fr_timer\"",
	}},
	{name: "modparam bad module regex", src: "loadmodule \"tm.so\"\nmodparam(\"tm(\", \"fr_timer\", 1)\n", want: []string{
		"2:10: error: modparam module \"tm(\" is not a valid regular expression: missing closing ): `tm(`",
	}},
	{name: "modparam regex value", src: "loadmodule \"nosip.so\"\nmodparam(\"nosip\", \"msg_match\", \"^(OPTIONS\")\nmodparam(\"nosip\", \"msg_skip\", \"^HEAD\")\n", want: []string{
		"2:32: error: parameter \"msg_match\" of module \"nosip\": invalid regular expression \"^(OPTIONS\": missing closing ): `^(OPTIONS`",
	}},
	{name: "cfgengine lua", src: "cfgengine \"lua\"\ncfgengine \"native\"\n", want: []string{
		"1:1: error: KEMI (cfgengine \"lua\") is not supported by kamgo; write the routing logic in the native config language and remove cfgengine",
	}},

	// ------------------------------------------------------------ functions
	{name: "unknown function", src: hdr + "request_route {\n\tfoo_bar(\"x\");\n}\n", want: []string{
		"4:2: error: unknown function foo_bar; is a loadmodule missing?",
	}},
	{name: "function of a module not loaded", src: "loadmodule \"sl.so\"\nrequest_route {\n\tt_relay();\n}\n", want: []string{
		"3:2: error: unknown function t_relay; it is provided by module \"tm\": add loadmodule \"tm.so\"",
	}},
	{name: "function Kamailio removed", src: hdr + "request_route {\n\tkm_append_branch(\"sip:a@b\");\n}\n", want: []string{
		"4:2: error: km_append_branch is no longer a Kamailio function (Kamailio 4.0 replaced it with append_branch() of module corex)",
	}},
	{name: "function typo", src: hdr + "request_route {\n\tsl_send_replay(\"404\", \"Not Here\");\n}\n", want: []string{
		"4:2: error: unknown function sl_send_replay; did you mean sl_send_reply?",
	}},
	{name: "wrong argument count", src: hdr + "request_route {\n\tsl_send_reply(\"200\");\n}\n", want: []string{
		"4:2: error: sl_send_reply takes 2 arguments, got 1",
	}},
	{name: "wrong argument count several forms", src: hdr + "request_route {\n\tt_relay(\"1.2.3.4\");\n\txlog(\"a\", \"b\", \"c\");\n}\n", want: []string{
		"4:2: error: t_relay takes 0 or 2 arguments, got 1",
		"5:2: error: xlog takes 1 or 2 arguments, got 3",
	}},
	{name: "core function argument count", src: hdr + "request_route {\n\tstrip();\n\tuserphone(1);\n}\n", want: []string{
		"4:2: error: strip takes 1 argument, got 0",
		"5:2: error: userphone takes no arguments, got 1",
	}},
	{name: "function in branch_route", src: hdr + "request_route {\n\tt_on_branch(\"B\");\n\tt_relay();\n}\nbranch_route[B] {\n\tt_reply(\"500\", \"x\");\n}\n", want: []string{
		"8:2: error: t_reply cannot be used in branch_route[B]; it may be used in request_route, failure_route, onreply_route and reply_route",
	}},
	{name: "function reached from branch_route", src: hdr + "request_route {\n\tt_on_branch(\"B\");\n\tt_relay();\n}\nbranch_route[B] {\n\troute(X);\n}\nroute[X] {\n\tt_reply(\"500\", \"x\");\n}\n", want: []string{
		"11:2: warning: t_reply cannot be used in branch_route: route[X] is called from branch_route[B] at t.cfg:8:8",
	}},
	{name: "function reached through two routes", src: hdr + "request_route {\n\troute(A);\n\tt_on_branch(\"B\");\n}\nbranch_route[B] {\n\troute(A);\n}\nroute[A] {\n\troute(C);\n}\nroute[C] {\n\tsl_send_reply(\"500\", \"x\");\n}\n", want: []string{
		"14:2: warning: sl_send_reply cannot be used in branch_route: route[C] is called from route[A] at t.cfg:11:8, which is called from branch_route[B] at t.cfg:8:8",
	}},
	{name: "call graph in compat mode", compat: true, src: hdr + "request_route {\n\tt_on_branch(\"B\");\n}\nbranch_route[B] {\n\troute(X);\n}\nroute[X] {\n\tt_reply(\"500\", \"x\");\n}\n", want: []string{
		"10:2: warning: t_reply cannot be used in branch_route: route[X] is called from branch_route[B] at t.cfg:7:8",
	}},
	{name: "core function in onsend_route", src: hdr + "request_route {\n\texit;\n}\nonsend_route {\n\tforward();\n\tlog(\"x\");\n\tsetflag(1);\n\tset_forward_no_connect();\n\tif (isflagset(1)) drop;\n}\n", want: []string{
		"7:2: error: forward cannot be used in onsend_route; the core functions allowed there are log, setflag, resetflag, isflagset, set_forward_no_connect, set_reply_no_connect, set_forward_close and set_reply_close",
	}},
	{name: "route in onsend_route", src: hdr + "request_route {\n\troute(X);\n}\nonsend_route {\n\troute(X);\n}\nroute[X] {\n\texit;\n}\n", want: []string{
		"7:2: error: route cannot be used in onsend_route; the core functions allowed there are log, setflag, resetflag, isflagset, set_forward_no_connect, set_reply_no_connect, set_forward_close and set_reply_close",
	}},
	{name: "request-only function in failure_route", src: hdr + "request_route {\n\tt_on_failure(\"F\");\n\tt_relay();\n}\nfailure_route[F] {\n\tsl_send_reply(\"500\", \"x\");\n\tt_reply(\"500\", \"x\");\n}\n", want: []string{
		"8:2: error: sl_send_reply cannot be used in failure_route[F]; it may be used in request_route",
	}},
	{name: "event_route runs as request", src: hdr + "request_route {\n\tt_reuse_branch();\n}\nevent_route[tm:local-request] {\n\tsl_send_reply(\"200\", \"OK\");\n\tt_reuse_branch();\n}\n", want: []string{
		"4:2: error: t_reuse_branch cannot be used in request_route; it may be used in event_route",
	}},
	{name: "failure and event only function", src: hdr + "request_route {\n\tt_on_failure(\"F\");\n\tt_on_branch_failure(\"BF\");\n\tt_branch_timeout();\n}\nfailure_route[F] {\n\tif (t_branch_timeout()) exit;\n}\nevent_route[tm:branch-failure:BF] {\n\tif (t_branch_timeout()) exit;\n}\n", want: []string{
		"6:2: error: t_branch_timeout cannot be used in request_route; it may be used in failure_route and event_route",
	}},
	{name: "same name different counts and routes", src: "loadmodule \"tcpops.so\"\nloadmodule \"tm.so\"\nrequest_route {\n\tt_on_failure(\"F\");\n\ttcp_keepalive_enable(10, 5, 3);\n}\nfailure_route[F] {\n\ttcp_keepalive_enable(1, 10, 5, 3);\n\ttcp_keepalive_enable(10, 5, 3);\n}\n", want: []string{
		"9:2: error: tcp_keepalive_enable cannot be used in failure_route[F]; it may be used in request_route, onreply_route and reply_route",
	}},

	// ------------------------------------------------------------ route references
	{name: "route not defined", src: hdr + "request_route {\n\troute(NOPE);\n}\n", want: []string{
		"4:8: error: route(NOPE) names route[NOPE], which is not defined; add route[NOPE] { … }",
	}},
	{name: "route of the wrong kind", src: hdr + "request_route {\n\troute(FOO);\n\tt_on_failure(\"FOO\");\n}\nfailure_route[FOO] {\n\texit;\n}\n", want: []string{
		"4:8: error: route(FOO) names route[FOO], which is not defined (there is a failure_route[FOO], but route needs route[FOO])",
	}},
	{name: "t_on_failure target missing", src: hdr + "request_route {\n\tt_on_failure(\"MISSING\");\n\tt_on_reply(\"R\");\n\tt_on_branch(\"X\");\n}\nroute[X] {\n\texit;\n}\n", want: []string{
		"4:15: error: t_on_failure(\"MISSING\") names failure_route[MISSING], which is not defined; add failure_route[MISSING] { … }",
		"5:13: error: t_on_reply(\"R\") names onreply_route[R], which is not defined; add onreply_route[R] { … }",
		"6:14: error: t_on_branch(\"X\") names branch_route[X], which is not defined (there is a route[X], but t_on_branch needs branch_route[X])",
	}},
	{name: "t_on_failure target missing compat", compat: true, src: hdr + "request_route {\n\tt_on_failure(\"MISSING\");\n}\n", want: []string{
		"4:15: warning: t_on_failure(\"MISSING\") names failure_route[MISSING], which is not defined; add failure_route[MISSING] { … }",
	}},
	{name: "t_on_branch_failure needs event route", src: hdr + "request_route {\n\tt_on_branch_failure(\"bf\");\n\tt_on_branch_failure(\"ok\");\n}\nevent_route[tm:branch-failure:ok] {\n\texit;\n}\n", want: []string{
		"4:22: error: t_on_branch_failure(\"bf\") names event_route[tm:branch-failure:bf], which is not defined; add event_route[tm:branch-failure:bf] { … }",
	}},
	{name: "dynamic route names", src: hdr + "request_route {\n\t$var(r) = \"A\";\n\troute($var(r));\n\tt_on_failure(\"$var(f)\");\n}\nroute[A] {\n\texit;\n}\nfailure_route[F1] {\n\texit;\n}\n"},
	{name: "route name from a pv not in a string", src: hdr + "request_route {\n\tt_on_failure($var(x));\n}\n", want: []string{
		"4:15: error: parameter 1 of t_on_failure is not constant; write \"$var(x)\" to expand it inside a string",
	}},
	{name: "duplicate route", src: hdr + "route[A] {\n\texit;\n}\nrequest_route {\n\troute(A);\n}\nroute[A] {\n\tdrop;\n}\n", want: []string{
		"9:7: error: duplicate route[A]: route[A] is already defined at t.cfg:3:7; rename one",
	}},
	{name: "request_route blocks concatenate", src: hdr + "request_route {\n\t$var(x) = 1;\n}\nroute {\n\texit;\n}\nreply_route {\n\texit;\n}\nonreply_route {\n\texit;\n}\n"},
	{name: "duplicate failure_route", src: hdr + "request_route {\n\tt_on_failure(\"F\");\n}\nfailure_route[F] {\n\texit;\n}\nfailure_route[F] {\n\texit;\n}\n", want: []string{
		"9:15: error: duplicate failure_route[F]: failure_route[F] is already defined at t.cfg:6:15; rename one",
	}},
	{name: "unused routes", src: hdr + "request_route {\n\texit;\n}\nroute[LONELY] {\n\texit;\n}\nfailure_route[F] {\n\texit;\n}\nbranch_route[B] {\n\texit;\n}\nonreply_route[R] {\n\texit;\n}\nevent_route[tm:local-request] {\n\texit;\n}\n", want: []string{
		"6:7: warning: route[LONELY] is never used: no route(LONELY) calls it",
		"9:15: warning: failure_route[F] is never used: no t_on_failure(\"F\") arms it",
		"12:14: warning: branch_route[B] is never used: no t_on_branch(\"B\") arms it",
		"15:15: warning: onreply_route[R] is never used: no t_on_reply(\"R\") arms it",
	}},
	{name: "route named in a modparam is used", src: hdr + "modparam(\"tm\", \"on_sl_reply\", \"SLR\")\nrequest_route {\n\tt_continue(\"1\", \"2\", \"RESUME\");\n}\nroute[RESUME] {\n\texit;\n}\nonreply_route[SLR] {\n\texit;\n}\n"},

	// ------------------------------------------------------------ pseudo-variables
	{name: "unknown pv", src: hdr + "request_route {\n\t$var(x) = $foo;\n}\n", want: []string{
		"4:12: error: unknown pseudo-variable $foo",
	}},
	{name: "unknown pv without KAMAILIO header", src: "loadmodule \"pv.so\"\nrequest_route {\n\t$myavp = 1;\n\t$var(x) = $fuu(a);\n}\n", want: []string{
		"3:2: warning: $myavp is not a known pseudo-variable; without #!KAMAILIO it is read as the AVP $avp(myavp): write $avp(myavp) if that is meant",
		"4:12: error: unknown pseudo-variable $fuu; did you mean $fu?",
	}},
	{name: "pv typo suggestion", src: hdr + "request_route {\n\t$var(x) = $rUU;\n}\n", want: []string{
		"4:12: error: unknown pseudo-variable $rUU; did you mean $rU?",
	}},
	{name: "pv needs inner name", src: hdr + "request_route {\n\t$var(x) = $hdr;\n\t$var(y) = $af;\n\t$var(z) = $af(foo);\n}\n", want: []string{
		"4:12: error: $hdr needs an inner name: $hdr(name)",
		"5:12: error: $af needs an inner name: $af(name)",
		"6:12: error: $af(foo): unknown inner name \"foo\"; expected one of id or name",
	}},
	{name: "pv takes no inner name", src: hdr + "request_route {\n\t$var(x) = $ru(x);\n}\n", want: []string{
		"4:12: error: $ru takes no inner name: write $ru, not $ru(x)",
	}},
	{name: "read-only pv", src: hdr + "request_route {\n\t$ci = \"x\";\n\t$hdr(X) = 1;\n\t$ru = \"sip:a@b\";\n\t$avp(x) = 1;\n}\n", want: []string{
		"4:2: error: $ci is read-only; it cannot be assigned",
		"5:2: error: $hdr is read-only; it cannot be assigned",
	}},
	{name: "assignment to pv with transformation", src: hdr + "request_route {\n\t$(ru{s.len}) = \"x\";\n\t$(avp(x)[*]) = $null;\n}\n", want: []string{
		"4:2: error: cannot assign to $(ru{s.len}): a pseudo-variable with transformations is read-only",
	}},
	{name: "unknown transformation", src: hdr + "request_route {\n\t$var(x) = $(ru{s.lenn});\n\t$var(y) = $(ru{foo.bar});\n}\n", want: []string{
		"4:16: error: unknown transformation {s.lenn}; did you mean {s.len}?",
		"5:16: error: unknown transformation class \"foo\" in {foo.bar}; known classes: line, nameaddr, param, re, s, tobody, uri, urialias",
	}},
	{name: "transformation argument count", src: hdr + "request_route {\n\t$var(x) = $(ru{s.substr,1});\n\t$var(y) = $(ru{uri.user}{s.substr,1,2});\n\t$var(z) = $(hdr(Via)[0]{param.value,branch});\n}\n", want: []string{
		"4:16: error: transformation {s.substr} takes 2 arguments, got 1",
	}},
	{name: "pv bad index", src: hdr + "request_route {\n\t$var(x) = $(hdr(Via)[x]);\n}\n", want: []string{
		"4:23: error: bad pseudo-variable $(hdr(Via)[x]): bad index: expected a number, -1, * or a pseudo-variable",
	}},
	{name: "pv from module not loaded", src: "#!KAMAILIO\nloadmodule \"pv.so\"\nloadmodule \"tm.so\"\nrequest_route {\n\t$var(x) = $T_reply_code;\n\t$var(y) = $sht(t=>$ci);\n}\n", want: []string{
		"5:12: error: $T_reply_code needs loadmodule \"tmx.so\"",
		"6:12: error: $sht needs loadmodule \"htable.so\"",
	}},
	{name: "pvs need pv.so", src: "#!KAMAILIO\nrequest_route {\n\tif ($rc == 1) {\n\t\t$var(x) = $env(HOME);\n\t}\n}\n", want: []string{
		"4:3: error: $var needs loadmodule \"pv.so\"",
	}},
	{name: "pv in format string", src: hdr + "request_route {\n\txlog(\"L_INFO\", \"from $fuu to $(ru{uri.usr})\\n\");\n\tsl_send_reply(\"404\", \"No $T_reply_code\");\n}\n", want: []string{
		"4:23: error: unknown pseudo-variable $fuu; did you mean $fu?",
		"4:35: error: unknown transformation {uri.usr}; did you mean {uri.user}?",
	}},
	{name: "pv name arguments", src: hdr + "loadmodule \"tcpops.so\"\nrequest_route {\n\tpv_unset(\"$ci\");\n\tpv_unset(\"$var(x)\");\n\ttcp_get_conid(\"1.2.3.4:5060\", \"$var(c)\");\n\ttcp_get_conid(\"1.2.3.4:5060\", \"$(var(c){s.len})\");\n}\n", want: []string{
		"5:11: error: parameter 1 of pv_unset must be a writable pseudo-variable; $ci is read-only",
		"8:32: error: parameter 2 of tcp_get_conid must be a writable pseudo-variable; $(var(c){s.len}) has transformations",
	}},

	// ------------------------------------------------------------ regexes
	{name: "invalid regex in condition", src: hdr + "request_route {\n\tif ($ru =~ \"[1-\") exit;\n\tif ($ua =~ \"^(friendly|scanner)\\1$\") exit;\n}\n", want: []string{
		"4:13: error: invalid regular expression \"[1-\": missing ] in \"[1-\"",
	}},
	{name: "invalid regex in switch case", src: hdr + "request_route {\n\tswitch ($rU) {\n\tcase /\"(ab\":\n\t\texit;\n\tcase /\"^1\":\n\t\tbreak;\n\t}\n}\n", want: []string{
		"5:8: error: invalid case regex \"(ab\": missing closing ): `(ab`",
	}},
	{name: "invalid regex argument", src: hdr + "request_route {\n\tt_on_failure(\"F\");\n}\nfailure_route[F] {\n\tif (t_check_status(\"[1-\")) exit;\n\tif (t_check_status(\"$var(re)\")) exit;\n\tif (search(\"a{2,1}\")) exit;\n}\n", want: []string{
		"7:21: error: invalid regular expression in parameter 1 of t_check_status: \"[1-\": missing ] in \"[1-\"",
		"9:13: error: invalid regular expression in parameter 1 of search: \"a{2,1}\": invalid repeat count: `{2,1}`",
	}},

	// ------------------------------------------------------------ flags
	{name: "flag out of range", src: hdr + "request_route {\n\tsetflag(40);\n\tsetflag(31);\n\tsetbflag(32);\n}\n", want: []string{
		"4:10: error: flag 40 is out of range in setflag(); flags are 0..31",
		"6:11: error: flag 32 is out of range in setbflag(); flags are 0..31",
	}},
	{name: "flag names", src: hdr + "flags ACC, NAT:5, BAD:33;\nflags ACC;\nrequest_route {\n\tsetflag(FOO);\n\tsetflag(ACC);\n\tif (isflagset(NAT)) exit;\n}\n", want: []string{
		"3:19: error: flag \"BAD\" has number 33; message flags are 0..31",
		"4:7: error: flag \"ACC\" is declared twice (first at t.cfg:3:7)",
		"6:10: error: flag FOO is not declared; declare it with \"flags FOO;\" or use a number 0..31",
	}},

	// ------------------------------------------------------------ expressions
	{name: "type mismatch int plus string", src: hdr + "request_route {\n\t$var(x) = 1 + \"2\";\n\t$var(y) = \"1\" + 2;\n}\n", want: []string{
		"4:16: error: type mismatch: \"+\" with an integer on the left needs an integer on the right, got the string \"2\"",
	}},
	{name: "type mismatch int operators", src: hdr + "request_route {\n\t$var(x) = \"a\" - 1;\n\t$var(y) = 5 * \"3\";\n\tif (10 == \"10\") exit;\n\tif ($var(x) ieq \"10\") exit;\n\tif ($var(x) == \"10\") exit;\n}\n", want: []string{
		"4:12: error: type mismatch: \"-\" needs integers, got the string \"a\"",
		"5:16: error: type mismatch: \"*\" needs integers, got the string \"3\"",
		"6:5: warning: constant condition in if: it always takes the same branch",
		"6:12: error: type mismatch: \"==\" with an integer on the left needs an integer on the right, got the string \"10\"",
		"7:18: error: type mismatch: \"ieq\" needs integers, got the string \"10\"",
	}},
	{name: "onsend keywords outside onsend_route", src: hdr + "request_route {\n\tif (snd_ip == 1.2.3.4) exit;\n\tif (src_ip == 1.2.3.4) exit;\n}\nonsend_route {\n\tif (snd_ip == 1.2.3.4) drop;\n\tif (to_port == 5060) drop;\n}\n", want: []string{
		"4:6: error: snd_ip can be used only in onsend_route, where it describes the message being sent; it is not available in request_route",
	}},
	{name: "function inside function arguments", src: hdr + "request_route {\n\tsl_send_reply(\"404\", is_method(\"INVITE\"));\n\tif (strlen($rU) > 3) exit;\n}\n", want: []string{
		"4:23: error: use of function execution inside params not allowed: is_method() is called inside the arguments of sl_send_reply(); call it first and keep its result, e.g. $var(r) = is_method(…);",
	}},
	{name: "non-constant parameters", src: hdr + "request_route {\n\txlog(\"L_INFO\", $var(x));\n\tsl_send_reply($var(c), \"x\");\n\txlog(\"L_INFO\", \"a\" + $var(x));\n\txlog(\"L_INFO\", \"a\" + \"b\");\n\tt_set_fr($var(t));\n}\n", want: []string{
		"4:17: error: parameter 2 of xlog is not constant; write \"$var(x)\" to expand it inside a string",
		"5:16: error: parameter 1 of sl_send_reply is not constant; write \"$var(c)\" to expand it inside a string",
		"6:17: error: parameter 2 of xlog is not constant",
	}},
	{name: "core string-only parameters", src: hdr + "request_route {\n\tsetport(5070);\n\tsetport(\"5070\");\n\tsl_send_reply(404, \"Not Found\");\n}\n", want: []string{
		"4:10: error: parameter 1 of setport must be a string: write \"5070\"",
	}},
	{name: "constant condition", src: hdr + "request_route {\n\tif (\"abc\" =~ \"x\") exit;\n\tif (1) exit;\n\twhile (1) { break; }\n}\n", want: []string{
		"4:5: warning: constant condition in if: it always takes the same branch",
		"5:5: warning: constant condition in if: it always takes the same branch",
	}},

	// ------------------------------------------------------------ switch
	{name: "switch mixes int and string", src: hdr + "request_route {\n\tswitch ($var(x)) {\n\tcase 1:\n\t\tbreak;\n\tcase \"a\":\n\t\tbreak;\n\tcase /\"b\":\n\t\tbreak;\n\t}\n}\n", want: []string{
		"7:7: error: case \"a\" is a string, but the first case of this switch (at t.cfg:5:2) is an integer; a switch cannot mix integer and string/regex cases",
		"9:8: error: case /\"b\" is a string, but the first case of this switch (at t.cfg:5:2) is an integer; a switch cannot mix integer and string/regex cases",
	}},
	{name: "switch duplicate cases and defaults", src: hdr + "request_route {\n\tswitch ($var(x)) {\n\tcase 1:\n\tcase -1:\n\t\tbreak;\n\tcase 1:\n\t\tbreak;\n\tdefault:\n\t\tbreak;\n\tdefault:\n\t\texit;\n\t}\n}\n", want: []string{
		"8:7: error: duplicate case 1 in this switch (first at t.cfg:5:2)",
		"12:2: error: more than one default: in this switch (the first is at t.cfg:10:2)",
	}},

	// ------------------------------------------------------------ flow
	{name: "unreachable statements", src: hdr + "request_route {\n\texit;\n\txlog(\"never\");\n\txlog(\"never again\");\n}\nroute[X] {\n\tif ($var(x)) {\n\t\treturn 1;\n\t\t$var(y) = 2;\n\t}\n\tdrop;\n\treturn;\n}\n", want: []string{
		"5:2: warning: unreachable statement: exit at t.cfg:4:2 ends the route before it",
		"8:7: warning: route[X] is never used: no route(X) calls it",
		"11:3: warning: unreachable statement: return at t.cfg:10:3 ends the route before it",
	}},
	{name: "break outside switch and while", src: hdr + "request_route {\n\tif ($var(x)) {\n\t\tbreak;\n\t}\n\twhile ($var(i) < 3) {\n\t\t$var(i) = $var(i) + 1;\n\t\tif ($var(i) == 2) break;\n\t}\n}\n"},

	// ------------------------------------------------------------ no false positives
	{name: "clean proxy config", src: cleanConfig},
}

// cleanConfig is a realistic proxy in the style of the stock kamailio.cfg;
// it must produce no diagnostics at all.
const cleanConfig = `#!KAMAILIO
#!define FLT_ACC 1
#!define FLB_NATB 6
flags FLT_SEEN:8;

loadmodule "jsonrpcs.so"
loadmodule "kex.so"
loadmodule "corex.so"
loadmodule "tm.so"
loadmodule "tmx.so"
loadmodule "sl.so"
loadmodule "rr.so"
loadmodule "pv.so"
loadmodule "maxfwd.so"
loadmodule "usrloc.so"
loadmodule "registrar.so"
loadmodule "textops.so"
loadmodule "siputils.so"
loadmodule "xlog.so"
loadmodule "sanity.so"
loadmodule "acc.so"
loadmodule "tcpops.so"

modparam("jsonrpcs", "pretty_format", 1)
modparam("tm", "failure_reply_mode", 3)
modparam("tm", "fr_timer", 30000)
modparam("rr", "enable_full_lr", 0)
modparam("registrar", "max_expires", 3600)
modparam("acc", "log_flag", FLT_ACC)
modparam("acc", "log_extra", "src_user=$fU;dst_user=$rU")
modparam("usrloc", "db_url", "mysql://kamailio:kamailiorw@localhost/kamailio")
modparam("pv", "shvset", "a=i:1")
modparam("pv", "shvset", "b=s:x")

request_route {
	route(REQINIT);
	if (is_method("CANCEL")) {
		if (t_check_trans()) {
			route(RELAY);
		}
		exit;
	}
	if (!is_method("ACK")) {
		if (t_precheck_trans()) {
			t_check_trans();
			exit;
		}
		t_check_trans();
	}
	route(WITHINDLG);
	remove_hf("Route");
	if (is_method("INVITE|SUBSCRIBE")) {
		record_route();
	}
	if (is_method("INVITE")) {
		setflag(FLT_ACC);
		setflag(FLT_SEEN);
	}
	if ($rU == $null) {
		sl_send_reply("484", "Address Incomplete");
		exit;
	}
	route(REGISTRAR);
	route(LOCATION);
}

route[RELAY] {
	if (is_method("INVITE|BYE|SUBSCRIBE|UPDATE")) {
		if (!t_is_set("branch_route")) t_on_branch("MANAGE_BRANCH");
	}
	if (is_method("INVITE|SUBSCRIBE|UPDATE")) {
		if (!t_is_set("onreply_route")) t_on_reply("MANAGE_REPLY");
	}
	if (is_method("INVITE")) {
		if (!t_is_set("failure_route")) t_on_failure("MANAGE_FAILURE");
	}
	if (!t_relay()) {
		sl_reply_error();
	}
	exit;
}

route[REQINIT] {
	if ($ua =~ "friendly|scanner|sipcli|sipvicious|VaxSIPUserAgent") {
		exit;
	}
	if (!mf_process_maxfwd_header("10")) {
		sl_send_reply("483", "Too Many Hops");
		exit;
	}
	if (is_method("OPTIONS") && uri == myself && $rU == $null) {
		sl_send_reply("200", "Keepalive");
		exit;
	}
	if (!sanity_check("17895", "7")) {
		xlog("Malformed SIP request from $si:$sp\n");
		exit;
	}
	if (src_ip == 10.0.0.0/8 || method == "PUBLISH") {
		xlog("L_INFO", "$rm from $si ($(ru{uri.user}) / $(hdr(Via)[0]{s.len}))\n");
	}
}

route[WITHINDLG] {
	if (!has_totag()) return;
	if (loose_route()) {
		if (is_method("BYE")) {
			setflag(FLT_ACC);
		} else if (is_method("NOTIFY")) {
			record_route();
		}
		route(RELAY);
		exit;
	}
	if (is_method("ACK")) {
		if (t_check_trans()) {
			route(RELAY);
			exit;
		} else {
			exit;
		}
	}
	sl_send_reply("404", "Not here");
	exit;
}

route[REGISTRAR] {
	if (!is_method("REGISTER")) return;
	if (isflagset(FLT_SEEN)) {
		setbflag(FLB_NATB);
	}
	if (!save("location")) {
		sl_reply_error();
	}
	exit;
}

route[LOCATION] {
	$avp(oexten) = $rU;
	$var(count) = 0;
	while ($var(count) < 3) {
		$var(count) = $var(count) + 1;
	}
	if (!lookup("location")) {
		$var(rc) = $rc;
		t_newtran();
		switch ($var(rc)) {
			case -1:
			case -3:
				send_reply("404", "Not Found");
				exit;
			case -2:
				send_reply("405", "Method Not Allowed");
				exit;
		}
	}
	switch ($rm) {
		case "INVITE":
			xlog("L_DBG", "invite\n");
			break;
		case /"^(BYE|CANCEL)$":
			break;
		default:
			break;
	}
	$var(len) = strlen($rU) + 1;
	$var(s) = "x" + $var(len);
	$var(sel) = selval($var(len) > 3, "long", "short");
	route(RELAY);
	exit;
}

branch_route[MANAGE_BRANCH] {
	xdbg("new branch [$T_branch_idx] to $ru\n");
	t_set_fr(5000, 2000);
}

reply_route {
	if (!sanity_check("17604", "6")) {
		drop;
	}
}

onreply_route[MANAGE_REPLY] {
	if (status =~ "[12][0-9][0-9]") {
		xinfo("reply $rs $rr\n");
	}
	if (t_check_status("18[03]")) {
		t_on_failure("MANAGE_FAILURE");
	}
}

failure_route[MANAGE_FAILURE] {
	if (t_is_canceled()) exit;
	if (t_check_status("486|408")) {
		append_branch();
		t_relay();
	}
	t_reply("500", "Failed: $T_reply_code $T_reply_reason");
}

event_route[tcp:closed] {
	xlog("L_INFO", "connection $conid closed\n");
}

onsend_route {
	if (snd_ip == 10.0.0.1 && isflagset(FLT_ACC)) {
		drop;
	}
	if ($snd(ip) == "10.0.0.2") {
		log("x");
	}
}
`
