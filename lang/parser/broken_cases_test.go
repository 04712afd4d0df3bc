package parser_test

// Code below is the table of broken inputs checked by TestBrokenInputs.
// Each case lists every diagnostic the parser must report, in order, as
// d.String() renders it. kamailio says what Kamailio 5.6.3 does with the
// same text (TestBrokenInputsKamailio checks "rejects" when KAMGO_ORACLE=1).

var brokenCases = []brokenCase{
	{
		name: "rc_prefix_swallows_pv_name",
		src: `request_route {
	$var(x) = $rcv(proto);
}
`,
		kamailio: "rejects: its lexer reads $rc by longest match, then v(proto)",
		want: []string{
			"main.cfg:2:15: error: missing ';' before \"v\"",
		},
	},
	{
		name: "unterminated_string",
		src: `request_route {
	xlog("abc);
}
`,
		kamailio: "rejects",
		want: []string{
			"main.cfg:2:7: error: unterminated string: missing closing \"",
			"main.cfg:4:1: error: expected ',' or ')' in the arguments of xlog, found end of file",
			"main.cfg:4:1: error: unexpected end of file: missing '}' to close the block opened at 1:15",
		},
	},
	{
		name: "unterminated_raw_string",
		src: `request_route {
	xlog('abc);
}
`,
		kamailio: "rejects",
		want: []string{
			"main.cfg:2:7: error: unterminated string: missing closing '",
			"main.cfg:4:1: error: expected ',' or ')' in the arguments of xlog, found end of file",
			"main.cfg:4:1: error: unexpected end of file: missing '}' to close the block opened at 1:15",
		},
	},
	{
		name: "unterminated_comment",
		src: `children = 1
/* no end
children = 2
`,
		kamailio: "accepts: Kamailio silently drops an unterminated comment at the end of the file; kamgo reports it",
		want: []string{
			"main.cfg:2:1: error: unterminated comment: 1 /* still open at end of file",
		},
	},
	{
		name: "unterminated_nested_comment",
		src: `/* a /* b */
children = 2
`,
		kamailio: "accepts: as unterminated_comment",
		want: []string{
			"main.cfg:1:1: error: unterminated comment: 1 /* still open at end of file",
		},
	},
	{
		name: "unterminated_pv",
		src: `request_route {
	$var(x = 1;
}
`,
		kamailio: "rejects",
		want: []string{
			"main.cfg:2:2: error: unterminated pseudo-variable: 1 '(' not closed",
			"main.cfg:4:1: error: expected '=' after $var(x = 1;\n}\n, found end of file (a pseudo-variable alone is not a statement)",
			"main.cfg:4:1: error: unexpected end of file: missing '}' to close the block opened at 1:15",
		},
	},
	{
		name: "dollar_alone",
		src: `request_route {
	$ = 1;
}
`,
		kamailio: "rejects",
		want: []string{
			"main.cfg:2:2: error: '$' must be followed by a pseudo-variable name",
		},
	},
	{
		name: "plus_assign",
		src: `request_route {
	$var(x) += 1;
}
`,
		kamailio: "rejects",
		want: []string{
			"main.cfg:2:10: error: '+=' is not an operator of Kamailio's config language: write $var(x) = $var(x) + \u2026",
		},
	},
	{
		name: "colon_assign",
		src: `request_route {
	$var(x) := 1;
}
`,
		kamailio: "rejects",
		want: []string{
			"main.cfg:2:10: error: ':=' is not an operator of Kamailio's config language: write $var(x) = \u2026",
		},
	},
	{
		name: "missing_semicolon",
		src: `request_route {
	xlog("a")
	xlog("b");
}
`,
		kamailio: "rejects",
		want: []string{
			"main.cfg:3:2: error: missing ';' before \"xlog\"",
		},
	},
	{
		name: "missing_semicolon_before_brace",
		src: `request_route {
	exit
}
`,
		kamailio: "rejects",
		want: []string{
			"main.cfg:3:1: error: missing ';' after exit",
		},
	},
	{
		name: "missing_semicolon_after_assign",
		src: `request_route {
	$var(x) = 1
	$var(y) = 2;
}
`,
		kamailio: "rejects",
		want: []string{
			"main.cfg:3:2: error: missing ';' before \"$var(y)\"",
		},
	},
	{
		name: "bare_word_value",
		src: `request_route {
	$var(x) = abc;
}
`,
		kamailio: "rejects",
		want: []string{
			"main.cfg:2:15: error: expected '(' after abc: a bare word is not a value here (call a function with (), quote a string, or #!define the name)",
		},
	},
	{
		name: "bare_word_argument",
		src: `request_route {
	xlog(abc);
}
`,
		kamailio: "rejects",
		want: []string{
			"main.cfg:2:10: error: expected '(' after abc: a bare word is not a value here (call a function with (), quote a string, or #!define the name)",
		},
	},
	{
		name: "unknown_core_param",
		src: `children = 2
foo_bar = 1
debug = 3
`,
		kamailio: "rejects",
		want: []string{
			"main.cfg:2:9: error: unknown core parameter \"foo_bar\" (unknown config variable)",
		},
	},
	{
		name: "core_param_without_value",
		src: `children =
debug = 3
`,
		kamailio: "rejects",
		want: []string{
			"main.cfg:2:1: error: children = needs a value",
		},
	},
	{
		name: "core_param_string_for_int",
		src: `children = "four"
`,
		kamailio: "rejects",
		want: []string{
			"main.cfg:1:12: error: children expects a number, found string \"four\"",
		},
	},
	{
		name: "core_param_two_values",
		src: `children = 1 2
`,
		kamailio: "rejects",
		want: []string{
			"main.cfg:1:14: error: children takes one value; unexpected number 2 (is a ';' or a newline missing?)",
		},
	},
	{
		name: "core_param_no_equals",
		src: `children 4
`,
		kamailio: "rejects",
		want: []string{
			"main.cfg:1:10: error: expected '=' after children, found number 4",
		},
	},
	{
		name: "event_route_without_colon",
		src: `event_route[foo] {
	exit;
}
`,
		kamailio: "rejects",
		want: []string{
			"main.cfg:1:13: error: event_route needs a name of the form module:event, such as tm:local-request; \"foo\" is not one",
		},
	},
	{
		name: "event_route_without_name",
		src: `event_route {
	exit;
}
`,
		kamailio: "rejects",
		want: []string{
			"main.cfg:1:1: error: event_route needs a name of the form module:event, such as tm:local-request; \"\" is not one",
		},
	},
	{
		name: "request_route_with_name",
		src: `request_route[MAIN] {
	exit;
}
`,
		kamailio: "rejects",
		want: []string{
			"main.cfg:1:15: error: request_route takes no name",
		},
	},
	{
		name: "reply_route_with_name",
		src: `reply_route[R] {
	exit;
}
`,
		kamailio: "rejects",
		want: []string{
			"main.cfg:1:13: error: reply_route takes no name; use onreply_route[R] for a tm reply route",
		},
	},
	{
		name: "branch_route_without_name",
		src: `branch_route {
	exit;
}
`,
		kamailio: "accepts: Kamailio takes an unnamed branch_route; kamgo requires a name as t_on_branch needs one",
		want: []string{
			"main.cfg:1:1: error: branch_route needs a name: branch_route[NAME]",
		},
	},
	{
		name: "ifdef_unclosed",
		src: `#!ifdef A
children = 1
#!ifndef B
children = 2
#!endif
`,
		kamailio: "rejects",
		want: []string{
			"main.cfg:1:1: error: #!ifdef A is not closed by #!endif",
		},
	},
	{
		name: "endif_stray",
		src: `children = 1
#!endif
`,
		kamailio: "rejects",
		want: []string{
			"main.cfg:2:1: error: #!endif without #!ifdef or #!ifndef",
		},
	},
	{
		name: "else_stray",
		src: `children = 1
#!else
`,
		kamailio: "accepts: with the same warning (invalid position for preprocessor directive)",
		want: []string{
			"main.cfg:2:1: warning: #!else without #!ifdef or #!ifndef (ignored)",
		},
	},
	{
		name: "second_else",
		src: `#!ifdef A
children = 1
#!else
children = 2
#!else
children = 3
#!endif
`,
		kamailio: "accepts: Kamailio toggles again on a second #!else",
		want: []string{
			"main.cfg:5:1: error: second #!else for #!ifdef A (at main.cfg:1:1)",
		},
	},
	{
		name: "else_with_text",
		src: `#!ifdef A
children = 1
#!else junk
children = 2
#!endif
`,
		kamailio: "accepts: Kamailio does not take `#!else junk` as a directive; kamgo reports it",
		want: []string{
			"main.cfg:3:8: error: unexpected text after #!else: a directive must be alone on its line",
		},
	},
	{
		name: "include_depth",
		src: `include_file "d1.cfg"
`,
		files: map[string]string{
			"d1.cfg": `include_file "d2.cfg"
`,
			"d10.cfg": `include_file "d11.cfg"
`,
			"d11.cfg": `include_file "d12.cfg"
`,
			"d12.cfg": `children = 1
`,
			"d2.cfg": `include_file "d3.cfg"
`,
			"d3.cfg": `include_file "d4.cfg"
`,
			"d4.cfg": `include_file "d5.cfg"
`,
			"d5.cfg": `include_file "d6.cfg"
`,
			"d6.cfg": `include_file "d7.cfg"
`,
			"d7.cfg": `include_file "d8.cfg"
`,
			"d8.cfg": `include_file "d9.cfg"
`,
			"d9.cfg": `include_file "d10.cfg"
`,
		},
		kamailio: "rejects",
		want: []string{
			"d10.cfg:1:14: error: include_file \"d11.cfg\": includes nested too deeply (at most 10 levels)",
		},
	},
	{
		name: "include_self",
		src: `children = 1
include_file "main.cfg"
`,
		kamailio: "rejects",
		note:     "main.cfg includes itself",
		want: []string{
			"main.cfg:2:14: error: include_file \"main.cfg\" includes itself (include cycle: main.cfg -> main.cfg)",
		},
	},
	{
		name: "include_cycle_two",
		src: `include_file "a.cfg"
`,
		files: map[string]string{
			"a.cfg": `children = 1
include_file "b.cfg"
`,
			"b.cfg": `
#!include_file "a.cfg"
`,
		},
		kamailio: "rejects",
		want: []string{
			"b.cfg:2:16: error: include_file \"a.cfg\" includes itself (include cycle: main.cfg -> a.cfg -> b.cfg -> a.cfg)",
		},
	},
	{
		name: "include_missing",
		src: `children = 1
include_file "nope.cfg"
debug = 2
`,
		kamailio: "rejects",
		want: []string{
			"main.cfg:2:14: error: cannot open included file \"nope.cfg\": open nope.cfg: file does not exist",
		},
	},
	{
		name: "include_unquoted",
		src: `include_file nope.cfg
`,
		kamailio: "rejects",
		want: []string{
			"main.cfg:1:14: error: include_file: the included file name must be between quotes",
			"main.cfg:1:18: error: syntax error: unexpected token \".\"",
		},
	},
	{
		name: "import_unquoted",
		src: `import_file nope.cfg
`,
		kamailio: "rejects",
		want: []string{
			"main.cfg:1:13: error: import_file: the included file name must be between quotes",
			"main.cfg:1:17: error: syntax error: unexpected token \".\"",
		},
	},
	{
		name: "define_dash",
		src: `#!define MY-NAME 1
children = 1
`,
		kamailio: "rejects",
		want: []string{
			"main.cfg:1:12: error: '-' not allowed in the name of #!define MY",
		},
	},
	{
		name: "trydef_dash",
		src: `#!trydef A-B 1
`,
		kamailio: "rejects",
		want: []string{
			"main.cfg:1:11: error: '-' not allowed in the name of #!trydef A",
		},
	},
	{
		name: "define_duplicate",
		src: `#!define DUP 1
#!define DUP 2
`,
		kamailio: "rejects",
		want: []string{
			"main.cfg:2:10: error: DUP is already defined (first defined at main.cfg:1:1); use #!redefine to change it",
		},
	},
	{
		name: "define_duplicate_of_cmdline",
		src: `#!define FROM_CMDLINE 2
`,
		defines:  []string{"FROM_CMDLINE=1"},
		kamailio: "rejects",
		want: []string{
			"main.cfg:1:10: error: FROM_CMDLINE is already defined; use #!redefine to change it",
		},
	},
	{
		name: "define_without_name",
		src: `#!define 
children = 1
`,
		kamailio: "accepts: Kamailio ignores the line; kamgo reports it",
		want: []string{
			"main.cfg:1:10: error: #!define needs a name ([A-Za-z_][A-Za-z0-9_]*)",
		},
	},
	{
		name: "ifdef_without_name",
		src: `#!ifdef 
children = 1
#!endif
`,
		kamailio: "accepts: Kamailio ignores the line; kamgo reports it",
		want: []string{
			"main.cfg:1:9: error: #!ifdef needs a name ([A-Za-z_][A-Za-z0-9_]*)",
		},
	},
	{
		name: "defenv_missing",
		src: `#!defenv NO_SUCH_ENV_VAR_XYZ
`,
		kamailio: "rejects",
		want: []string{
			"main.cfg:1:10: error: #!defenv NO_SUCH_ENV_VAR_XYZ: environment variable NO_SUCH_ENV_VAR_XYZ is not set",
		},
	},
	{
		name: "defenvs_missing_target",
		src: `#!defenvs NAME=NO_SUCH_ENV_VAR_XYZ
`,
		kamailio: "rejects",
		want: []string{
			"main.cfg:1:11: error: #!defenvs NAME: environment variable NO_SUCH_ENV_VAR_XYZ is not set",
		},
	},
	{
		name: "subst_not_a_rule",
		src: `#!subst "abc"
`,
		kamailio: "rejects",
		want: []string{
			"main.cfg:1:9: error: #!subst: \"abc\" is not of the form /regex/replacement/flags",
		},
	},
	{
		name: "subst_bad_regex",
		src: `#!subst "/a(/b/"
`,
		kamailio: "rejects",
		want: []string{
			"main.cfg:1:9: error: #!subst: bad regular expression \"a(\": error parsing regexp: missing closing ): `a(`",
		},
	},
	{
		name: "subst_not_a_string",
		src: `#!subst abc
children = 1
`,
		kamailio: "rejects",
		want: []string{
			"main.cfg:1:9: error: #!subst needs a string argument such as \"/regex/replacement/flags\"",
		},
	},
	{
		name: "substdef_duplicate",
		src: `#!define N 1
#!substdef "/N/2/"
`,
		kamailio: "rejects",
		want: []string{
			"main.cfg:2:12: error: N is already defined (first defined at main.cfg:1:1); use #!redefine to change it",
		},
	},
	{
		name: "error_in_included_file",
		src: `children = 1
include_file "inc.cfg"
debug = 2
`,
		files: map[string]string{
			"inc.cfg": `# included
request_route {
	$var(x) = ;
}
`,
		},
		kamailio: "rejects",
		want: []string{
			"inc.cfg:3:12: error: expected an expression, found \";\"",
		},
	},
	{
		name: "lines_after_include_exact",
		src: `include_file "three.cfg"
request_route {
	$var(x) = ;
}
`,
		files: map[string]string{
			"three.cfg": `children = 1
debug = 2
udp_mtu = 3
`,
		},
		kamailio: "rejects",
		note:     "Kamailio 5.6.3 reports this error one line too late (line 4); kamgo says line 3",
		want: []string{
			"main.cfg:3:12: error: expected an expression, found \";\"",
		},
	},
	{
		name: "lines_after_nested_include_exact",
		src: `include_file "a.cfg"
children = 1
foo = 2
`,
		files: map[string]string{
			"a.cfg": `include_file "b.cfg"
debug = 1
bar = 1
`,
			"b.cfg": `


`,
		},
		kamailio: "rejects",
		want: []string{
			"a.cfg:3:5: error: unknown core parameter \"bar\" (unknown config variable)",
			"main.cfg:3:5: error: unknown core parameter \"foo\" (unknown config variable)",
		},
	},
	{
		name: "error_through_define",
		src: `#!define BAD )
request_route {
	$var(x) = BAD;
}
`,
		kamailio: "rejects",
		want: []string{
			"main.cfg:3:12: error: expected an expression, found \")\"",
		},
	},
	{
		name: "error_through_nested_define",
		src: `#!define INNER 1 +
#!define OUTER INNER
request_route {
	$var(x) = OUTER;
}
`,
		kamailio: "rejects",
		want: []string{
			"main.cfg:4:17: error: expected an expression, found \";\"",
		},
	},
	{
		name: "error_through_define_in_include",
		src: `include_file "defs.cfg"
request_route {
	xlog(ARGS);
}
`,
		files: map[string]string{
			"defs.cfg": `#!define ARGS "a" "b",
`,
		},
		kamailio: "rejects",
		want: []string{
			"main.cfg:3:11: error: expected an expression, found \")\"",
		},
	},
	{
		name: "define_value_unterminated_string",
		src: `#!define S "abc
request_route {
	xlog(S);
}
`,
		kamailio: "rejects",
		want: []string{
			"main.cfg:3:7: error: in the value of define S: unterminated string: missing closing \"",
		},
	},
	{
		name: "define_self_reference",
		src: `#!define LOOP LOOP
request_route {
	LOOP;
}
`,
		kamailio: "rejects: Kamailio loops forever (killed by timeout) on this file",
		want: []string{
			"main.cfg:3:2: error: define LOOP expands into itself (more than 64 nested expansions)",
		},
	},
	{
		name: "strings_not_joined_across_define",
		src: `#!define EMPTY
request_route {
	xlog("a" EMPTY "b");
}
`,
		kamailio: "rejects",
		want: []string{
			"main.cfg:3:17: error: expected ',' or ')' in the arguments of xlog, found string \"b\"",
		},
	},
	{
		name: "multiple_errors_one_route",
		src: `request_route {
	$var(a) = ;
	xlog("ok");
	$var(b) += 1;
	t_relay;
	exit;
}
`,
		kamailio: "rejects",
		want: []string{
			"main.cfg:2:12: error: expected an expression, found \";\"",
			"main.cfg:4:10: error: '+=' is not an operator of Kamailio's config language: write $var(b) = $var(b) + \u2026",
			"main.cfg:5:9: error: expected '(' after t_relay: function calls need parentheses",
		},
	},
	{
		name: "multiple_errors_everywhere",
		src: `foo = 1
children = 2
request_route {
	$var(a) = ;
}
route[X] {
	if ($var(x) == ) { exit; }
}
bar = 3
`,
		kamailio: "rejects",
		want: []string{
			"main.cfg:1:5: error: unknown core parameter \"foo\" (unknown config variable)",
			"main.cfg:4:12: error: expected an expression, found \";\"",
			"main.cfg:7:17: error: expected an expression, found \")\"",
			"main.cfg:9:5: error: unknown core parameter \"bar\" (unknown config variable)",
		},
	},
	{
		name: "forward_without_parens",
		src: `request_route {
	forward;
}
`,
		kamailio: "rejects",
		want: []string{
			"main.cfg:2:9: error: expected '(' after forward: function calls need parentheses",
		},
	},
	{
		name: "module_function_without_parens",
		src: `loadmodule "tm.so"
request_route {
	t_relay;
}
`,
		kamailio: "rejects",
		want: []string{
			"main.cfg:3:9: error: expected '(' after t_relay: function calls need parentheses",
		},
	},
	{
		name: "else_without_if",
		src: `request_route {
	exit;
	else { exit; }
}
`,
		kamailio: "rejects",
		want: []string{
			"main.cfg:3:2: error: else without a matching if (is there a ';' or '}' too many before it?)",
		},
	},
	{
		name: "missing_closing_brace",
		src: `request_route {
	if ($var(x)) {
		exit;
	}
`,
		kamailio: "rejects",
		want: []string{
			"main.cfg:5:1: error: unexpected end of file: missing '}' to close the block opened at 1:15",
		},
	},
	{
		name: "stray_closing_brace",
		src: `children = 1
}
debug = 2
`,
		kamailio: "rejects",
		want: []string{
			"main.cfg:2:1: error: syntax error: unexpected token \"}\"",
		},
	},
	{
		name: "function_call_at_top_level",
		src: `xlog("x");
children = 1
`,
		kamailio: "rejects",
		want: []string{
			"main.cfg:1:1: error: function call xlog(\u2026) outside a route block",
		},
	},
	{
		name: "unbalanced_paren",
		src: `request_route {
	if ($var(x) == 1 {
		exit;
	}
}
`,
		kamailio: "rejects",
		want: []string{
			"main.cfg:2:19: error: expected ')' to close the '(' at 2:5, found \"{\"",
		},
	},
	{
		name: "percent_is_not_modulo",
		src: `request_route {
	$var(x) = 5 % 2;
}
`,
		kamailio: "rejects",
		want: []string{
			"main.cfg:2:14: error: missing ';' before \"%\"",
		},
	},
	{
		name: "no_not_match_operator",
		src: `request_route {
	if ($var(x) !~ "a") exit;
}
`,
		kamailio: "rejects",
		want: []string{
			"main.cfg:2:14: error: expected ')' to close the '(' at 2:5, found \"!\"",
		},
	},
	{
		name: "ip_outside_keyword",
		src: `request_route {
	$var(x) = 1.2.3.4;
}
`,
		kamailio: "rejects",
		want: []string{
			"main.cfg:2:12: error: IP address 1.2.3.4 is only allowed after src_ip, dst_ip, snd_ip or to_ip; quote it to use it as a string",
		},
	},
	{
		name: "break_with_value",
		src: `request_route {
	break 1;
}
`,
		kamailio: "rejects",
		want: []string{
			"main.cfg:2:8: error: break takes no value; missing ';' before number 1",
		},
	},
	{
		name: "myself_alone",
		src: `request_route {
	if (myself) exit;
}
`,
		kamailio: "rejects",
		want: []string{
			"main.cfg:2:12: error: myself must be compared: myself == uri (or from_uri, to_uri, src_ip, dst_ip)",
		},
	},
	{
		name: "keyword_without_operator",
		src: `request_route {
	if (method) exit;
}
`,
		kamailio: "rejects",
		want: []string{
			"main.cfg:2:12: error: method must be compared with ==, !=, =~ (or <, > for numbers), found \")\"",
		},
	},
	{
		name: "listen_ws_proto",
		src: `listen = ws:127.0.0.1:8080
`,
		kamailio: "rejects",
		want: []string{
			"main.cfg:1:10: error: ws is not a protocol for listen or alias: use udp, tcp, tls, sctp or *",
		},
	},
	{
		name: "listen_bad_port",
		src: `listen = udp:127.0.0.1:abc
`,
		kamailio: "rejects",
		want: []string{
			"main.cfg:1:24: error: expected a port number after ':', found \"abc\"",
		},
	},
	{
		name: "listen_port_out_of_range",
		src: `listen = udp:127.0.0.1:70000
`,
		kamailio: "accepts: Kamailio 5.6.3 takes port 70000 without a word; kamgo rejects it",
		want: []string{
			"main.cfg:1:24: error: bad port 70000",
		},
	},
	{
		name: "listen_star_host",
		src: `listen = udp:*:5060
`,
		kamailio: "rejects",
		want: []string{
			"main.cfg:1:14: error: expected an address, found \"*\"",
		},
	},
	{
		name: "listen_spec_after_advertise",
		src: `listen = udp:127.0.0.1 advertise 1.2.3.4 tcp:127.0.0.1
`,
		kamailio: "rejects",
		want: []string{
			"main.cfg:1:42: error: unexpected \"tcp\" after advertise, name or virtual: those must come after the last address",
		},
	},
	{
		name: "pv_index_outside_full_form",
		src: `request_route {
	$var(x) = $hdr(Via)[1];
}
`,
		kamailio: "rejects",
		want: []string{
			"main.cfg:2:21: error: missing ';' before \"[\"",
		},
	},
	{
		name: "modparam_bare_word",
		src: `modparam("tm", "fr_timer", abc)
`,
		kamailio: "rejects",
		want: []string{
			"main.cfg:1:28: error: modparam value abc must be a number or a quoted string",
		},
	},
	{
		name: "modparam_pv_without_x",
		src: `modparam("tm", "fr_timer", $var(x))
`,
		kamailio: "rejects",
		want: []string{
			"main.cfg:1:28: error: modparam values must be constants; use modparamx to pass $var(x)",
		},
	},
	{
		name: "modparam_missing_paren",
		src: `modparam("tm", "fr_timer", 1
children = 1
`,
		kamailio: "rejects",
		want: []string{
			"main.cfg:2:1: error: syntax error: unexpected token \"children\" (expected \")\")",
		},
	},
	{
		name: "flags_missing_number",
		src: `flags A:, B;
`,
		kamailio: "rejects",
		want: []string{
			"main.cfg:1:8: error: syntax error: unexpected token \":\" (expected \";\")",
		},
	},
	{
		name: "case_outside_switch",
		src: `request_route {
	case 1: exit;
}
`,
		kamailio: "rejects",
		want: []string{
			"main.cfg:2:2: error: syntax error: unexpected token \"case\"",
		},
	},
	{
		name: "switch_case_missing_colon",
		src: `request_route {
	switch ($var(x)) {
		case 1 exit;
	}
}
`,
		kamailio: "rejects",
		want: []string{
			"main.cfg:3:3: error: syntax error: unexpected token \"case\" (expected \"}\")",
		},
	},
	{
		name: "assign_to_identifier",
		src: `request_route {
	x = 1;
}
`,
		kamailio: "rejects",
		want: []string{
			"main.cfg:2:2: error: x = \u2026: only pseudo-variables can be assigned in a route (did you mean $var(x)?)",
		},
	},
	{
		name: "cfgvar_negative",
		src: `grp.var = -1
`,
		kamailio: "rejects",
		want: []string{
			"main.cfg:1:11: error: grp.var = takes a number or a string; negative numbers are not allowed here",
		},
	},
	{
		name: "number_with_letters",
		src: `request_route {
	$var(x) = 12ab;
}
`,
		kamailio: "rejects",
		want: []string{
			"main.cfg:2:16: error: expected '(' after 12ab: a bare word is not a value here (call a function with (), quote a string, or #!define the name)",
		},
	},
	{
		name: "uppercase_hex",
		src: `request_route {
	$var(x) = 0XFF;
}
`,
		kamailio: "rejects",
		want: []string{
			"main.cfg:2:16: error: expected '(' after 0XFF: a bare word is not a value here (call a function with (), quote a string, or #!define the name)",
		},
	},
	{
		name:     "invalid_character",
		src:      "request_route {\n\t$var(x) = 1 ` 2;\n}\n",
		kamailio: "rejects",
		want: []string{
			"main.cfg:2:14: error: invalid character '`'",
			"main.cfg:2:16: error: missing ';' before number 2",
		},
	},
	{
		name: "ser_select_assignment_rhs_missing",
		src: `request_route {
	%avp = ;
}
`,
		kamailio: "rejects",
		want: []string{
			"main.cfg:2:9: error: expected an expression, found \";\"",
		},
	},
	{
		name: "loadmodule_without_string",
		src: `loadmodule tm
`,
		kamailio: "rejects",
		want: []string{
			"main.cfg:1:12: error: syntax error: unexpected token \"tm\" (expected ((\"(\" string \")\") | string))",
		},
	},
	{
		name: "route_name_missing_bracket",
		src: `route[X {
	exit;
}
`,
		kamailio: "rejects",
		want: []string{
			"main.cfg:1:6: error: syntax error: unexpected token \"[\" (expected \"{\")",
		},
	},
}
