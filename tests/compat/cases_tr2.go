package compat

// trs applies several transformations to one string value, each printed in
// brackets on one line.
func trs(in string, trans ...string) string {
	out := `$var(@@in) = "` + in + `"; xlog("L_INFO", "`
	for _, t := range trans {
		out += "[$(var(@@in)" + t + ")]"
	}
	return out + `\n");`
}

// trPlus1 prints $(var(@@in)TR) + 1: an integer result adds, a string one
// concatenates.
func trPlus1(in, tr string) string {
	return `$var(@@in) = ` + in + `; $var(@@r) = $(var(@@in)` + tr + `) + 1; xlog("L_INFO", "[$var(@@r)]\n");`
}

// tr2Cases: more transformations (reference §5.2), edge cases and result
// types. Not covered, because Kamailio 5.6.3 misbehaves: {uri.suri},
// {uri.saor} and {uri.duri} print "sip:" followed by a NUL;
// {s.decode.base58} prints bytes past the result; {s.rbefore} and
// {s.rafter} (see cases_tr.go).
var tr2Cases = []Case{
	// A failed transformation prints nothing, unlike a null value; an
	// assignment from one fails, and the $var then reads 0.
	{Name: "tr2_failed_prints_empty", Route: `xlog("L_INFO", "[$(hdr(X-Nope))] [$(hdr(X-Nope){s.len})]\n");`,
		Want: []string{"[<null>] []"}},
	{Name: "tr2_failed_assignment_keeps_var", Route: `$var(@@x) = "abc"; $var(@@y) = 5; $var(@@y) = $(var(@@x){s.int}); xlog("L_INFO", "[$var(@@y)]\n");`,
		Want: []string{"[0]"}},

	// Result types: + adds integers and concatenates strings.
	{Name: "tr2_s_len_is_int", Route: trPlus1(`"abc"`, "{s.len}"),
		Want: []string{"[4]"}},
	{Name: "tr2_s_int_empty_is_0", Route: trPlus1(`""`, "{s.int}"),
		Want: []string{"[1]"}},
	{Name: "tr2_s_int_sign_only_is_0", Route: trPlus1(`"-"`, "{s.int}"),
		Want: []string{"[1]"}},
	{Name: "tr2_s_int_leading_zeros", Route: trPlus1(`"007"`, "{s.int}"),
		Want: []string{"[8]"}},
	{Name: "tr2_s_tolower_of_int_is_string", Route: trPlus1("12", "{s.tolower}"),
		Want: []string{"[121]"}},
	{Name: "tr2_s_rtrim_of_int_is_string", Route: trPlus1("12", "{s.rtrim}"),
		Want: []string{"[121]"}},
	{Name: "tr2_s_corehash_is_string", Route: trPlus1(`"abc"`, "{s.corehash,0}"),
		Want: []string{"[71678101]"}},
	{Name: "tr2_s_count_is_int", Route: trPlus1(`"banana"`, "{s.count,a}"),
		Want: []string{"[4]"}},
	{Name: "tr2_uri_port_is_int", Route: trPlus1(`"sip:a@b.com:5070"`, "{uri.port}"),
		Want: []string{"[5071]"}},
	{Name: "tr2_param_count_is_int", Route: trPlus1(`"a=1;b=2"`, "{param.count}"),
		Want: []string{"[3]"}},
	{Name: "tr2_nameaddr_len_is_int", Route: trPlus1(`"<sip:a@b.com>"`, "{nameaddr.len}"),
		Want: []string{"[14]"}},
	{Name: "tr2_line_count_is_string", Route: trPlus1(`"a\nb\n"`, "{line.count}"),
		Want: []string{"[21]"}},

	// s.int keeps the text it parsed.
	{Name: "tr2_s_int_forms", Route: trs("+5", "{s.int}") + trs(" 42", "{s.int}") + trs("0x10", "{s.int}") + trs("007", "{s.int}"),
		Want: []string{"[+5]", "[]", "[]", "[007]"}},

	// hashes and encodings
	{Name: "tr2_s_sha384_sha512", Route: trs("abc", "{s.sha384}", "{s.sha512}"),
		Want: []string{"[cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7][ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f]"}},
	{Name: "tr2_s_md5_of_int", Route: `$var(@@i) = 1; xlog("L_INFO", "[$(var(@@i){s.md5})]\n");`,
		Want: []string{"[c4ca4238a0b923820dcc509a6f75849b]"}},
	{Name: "tr2_s_hexa_lowercase", Route: trs("z~", "{s.encode.hexa}") + trs("6162z3", "{s.decode.hexa}"),
		Want: []string{"[7a7e]", "[]"}},
	{Name: "tr2_s_7bit", Route: trs("hello", "{s.encode.7bit}") + trs("E8329BFD06", "{s.decode.7bit}"),
		Want: []string{"[E8329BFD06]", "[hello]"}},
	{Name: "tr2_s_base58_encode", Route: trs("hello", "{s.encode.base58}"),
		Want: []string{"[Cn8eVZg]"}},
	{Name: "tr2_s_base58_bad_digit", Route: trs("0OIl", "{s.decode.base58}"),
		Want: []string{"[]"}},
	{Name: "tr2_s_base64_variants", Route: trs("hello", "{s.encode.base64t}", "{s.encode.base64urlt}") +
		trs("aGVsbG8", "{s.decode.base64t}", "{s.decode.base64urlt}", "{s.decode.base64}"),
		Want: []string{"[aGVsbG8][aGVsbG8]", "[hello][hello][]"}},
	{Name: "tr2_s_base64url_decode", Route: trs("YT9iPmM=", "{s.decode.base64url}") + trs("YT9iPmM", "{s.decode.base64url}"),
		Want: []string{"[a?b>c]", "[a?b>c]"}},
	{Name: "tr2_s_escape_csv", Route: `$var(@@in) = 'foo,bar"baz'; xlog("L_INFO", "[$(var(@@in){s.escape.csv})]\n");`,
		Want: []string{"[\"foo,bar\"\"baz\"]"}},
	{Name: "tr2_s_escape_user_slash_and_8bit", Route: trs("a/b", "{s.escape.user}", "{s.escape.param}") + trs("é", "{s.escape.user}"),
		Want: []string{"[a%2fb][a/b]", "[]"}},
	{Name: "tr2_s_unescape_user_bad", Route: trs("%41%7", "{s.unescape.user}") + trs("a%0ab", "{s.unescape.user}") + trs("%41", "{s.unescape.user}"),
		Want: []string{"[]", "[]", "[A]"}},
	{Name: "tr2_s_urldecode_sloppy", Route: trs("a%4", "{s.urldecode.param}") + trs("a%zzb", "{s.urldecode.param}"),
		Want: []string{"[a4]", "[a3b]"}},

	// s.* with arguments
	{Name: "tr2_s_substr_out_of_range", Route: trs("Hello", "{s.substr,5,1}", "{s.substr,-6,1}", "{s.substr,-5,0}", "{s.substr,-2,5}"),
		Want: []string{"[][][Hello][lo]"}},
	{Name: "tr2_s_substr_of_int", Route: `$var(@@i) = 12345; xlog("L_INFO", "[$(var(@@i){s.substr,1,2})]\n");`,
		Want: []string{"[23]"}},
	{Name: "tr2_s_substr_pv_args", Route: `$var(@@i) = 1; $var(@@j) = 2; $var(@@s) = "1"; $var(@@in) = "Hello"; ` +
		`xlog("L_INFO", "[$(var(@@in){s.substr,$var(@@i),$var(@@j)})][$(var(@@in){s.substr,$var(@@s),2})]\n");`,
		Want: []string{"[el][]"}},
	{Name: "tr2_s_select_edges", Route: trs("a.b.c", "{s.select,-3,.}", "{s.select,-4,.}", "{s.select,2,.}", "{s.select,3,.}"),
		Want: []string{"[a][][c][]"}},
	{Name: "tr2_s_select_escapes", Route: `$var(@@in) = "a\tb c"; xlog("L_INFO", "[$(var(@@in){s.select,1,\\t})][$(var(@@in){s.select,0,\t})]\n");`,
		Want: []string{"[b c][a]"}},
	{Name: "tr2_s_strip_edges", Route: trs("abcd", "{s.strip,0}", "{s.strip,9}", "{s.striptail,4}", "{s.striptail,-1}"),
		Want: []string{"[abcd][][][abcd]"}},
	{Name: "tr2_s_strip_pv", Route: `$var(@@n) = 2; $var(@@s) = "2"; $var(@@in) = "abcd"; ` +
		`xlog("L_INFO", "[$(var(@@in){s.strip,$var(@@n)})][$(var(@@in){s.strip,$var(@@s)})]\n");`,
		Want: []string{"[cd][]"}},
	{Name: "tr2_s_stripto_missing", Route: trs("userhost", "{s.stripto,@}"),
		Want: []string{"[]"}},
	{Name: "tr2_s_prefixes_edges", Route: trs("12345", "{s.prefixes.quoted,2}", "{s.prefixes,0}", "{s.prefixes,9}") + trs("", "{s.prefixes}"),
		Want: []string{"['1','12'][1,12,123,1234,12345][1,12,123,1234,12345]", "[]"}},
	{Name: "tr2_s_replace_multi", Route: trs("abababa", "{s.replace,a,c}", "{s.replace,ab,}", "{s.replace,aba,X}"),
		Want: []string{"[cbcbcbc][a][XbX]"}},
	{Name: "tr2_s_replace_pv", Route: `$var(@@m) = "b"; $var(@@r) = "XY"; $var(@@in) = "abcb"; ` +
		`xlog("L_INFO", "[$(var(@@in){s.replace,$var(@@m),$var(@@r)})]\n");`,
		Want: []string{"[aXYcXY]"}},
	{Name: "tr2_s_rm_multi", Route: trs("a--b-c", "{s.rm,--}", "{s.rm,-}"),
		Want: []string{"[ab-c][abc]"}},
	{Name: "tr2_s_count_before_after", Route: trs("a@b@c", "{s.count,@}", "{s.before,@}", "{s.after,@}") + trs("abc", "{s.after,c}", "{s.before,a}"),
		Want: []string{"[2][a][b@c]", "[][]"}},
	{Name: "tr2_s_corehash", Route: trs("hello world", "{s.corehash,0}", "{s.corehash,16}", "{s.corehash,1024}") + trs("h\xe9llo", "{s.corehash,0}"),
		Want: []string{"[3368663417][9][377]", "[1797586499]"}},
	// Kamailio's fmtlines breaks before characters 1 to n-1 (it tests i/n).
	{Name: "tr2_s_fmtlines", Route: trs("abcdefgh", "{s.fmtlines,3,1}") + trs("abc", "{s.fmtlinet,2,2}") + trs("abc", "{s.fmtlines,0,1}"),
		Want: []string{"[a\n b\n cdefgh]", "[a\n\t\tbc]", "[]"}},
	{Name: "tr2_s_ftime", Route: `$var(@@t) = 1700000000; $var(@@s) = "1700000000"; ` +
		`xlog("L_INFO", "[$(var(@@t){s.ftime,%Y-%m-%d %H:%M:%S %a %b %j %e %I%p %%})][$(var(@@s){s.ftime,%s %F %T})]\n");`,
		Want: []string{"[2023-11-14 22:13:20 Tue Nov 318 14 10PM %][1700000000 2023-11-14 22:13:20]"}},
	{Name: "tr2_s_unquote_unbracket", Route: trs("'q'", "{s.unquote}", "{s.unbracket}") + trs("(x]", "{s.unbracket}") + trs("{x}", "{s.unbracket}"),
		Want: []string{"[q]['q']", "[(x]]", "[x]"}},

	// uri.*
	{Name: "tr2_uri_user_phone", Route: trs("sip:+123;npdi@h.com;user=phone", "{uri.user}", "{uri.uparam}", "{uri.params}"),
		Want: []string{"[+123][phone][user=phone]"}},
	{Name: "tr2_uri_tel", Route: trs("tel:+123;x=y", "{uri.user}", "{uri.host}", "{uri.params}", "{uri.param,x}", "{uri.scheme}"),
		Want: []string{"[+123][][][][tel]"}},
	{Name: "tr2_uri_lr_r2_values", Route: trs("sip:h.com;lr=on;r2=on", "{uri.lr}", "{uri.r2}") + trs("sip:h.com;lr", "{uri.lr}", "{uri.r2}"),
		Want: []string{"[on][on]", "[][]"}},
	{Name: "tr2_uri_well_known_params", Route: trs("sip:a@h.com;maddr=1.2.3.4;ttl=5;method=INVITE;user=ip", "{uri.maddr}", "{uri.ttl}", "{uri.method}", "{uri.uparam}"),
		Want: []string{"[1.2.3.4][5][INVITE][ip]"}},
	{Name: "tr2_uri_param_case_and_repeat", Route: trs("sip:a@h.com;Foo=1;x=y", "{uri.param,foo}", "{uri.param,FOO}", "{uri.param,z}"),
		Want: []string{"[1][1][]"}},
	{Name: "tr2_uri_trailing_semicolon", Route: trs("sip:a@h.com;", "{uri.params}", "{uri.host}"),
		Want: []string{"[][h.com]"}},
	{Name: "tr2_uri_ipv6_host", Route: trs("sip:a@[::1]:5070", "{uri.host}", "{uri.port}"),
		Want: []string{"[[::1]][5070]"}},
	{Name: "tr2_uri_not_sip", Route: trs("http://x.com/", "{uri.scheme}") + trs("alice@h.com", "{uri.user}") + trs("", "{uri.user}"),
		Want: []string{"[]", "[]", "[]"}},
	{Name: "tr2_uri_tosocket", Route: trs("sip:a@1.2.3.4;transport=TCP", "{uri.tosocket}") + trs("sip:a@1.2.3.4:5080;transport=tls", "{uri.tosocket}") +
		trs("sip:a@1.2.3.4", "{uri.tosocket}"),
		Want: []string{"[tcp:1.2.3.4:5060]", "[tls:1.2.3.4:5080]", "[]"}},

	// param.*
	{Name: "tr2_param_repeated_name_last_wins", Route: trs("a=1;a=2", "{param.value,a}", "{param.count}"),
		Want: []string{"[2][2]"}},
	{Name: "tr2_param_blanks", Route: trs(" a = 1 ; b=2", "{param.value,b}") + trs("a = 1 ; b = 2", "{param.value,b}", "{param.name,1}"),
		Want: []string{"[]", "[2][b]"}},
	{Name: "tr2_param_bad_lists", Route: trs("a=;b=2", "{param.count}") + trs("SIP/2.0/UDP 10.0.0.3;branch=z9hG4bK-third", "{param.value,branch}"),
		Want: []string{"[]", "[]"}},
	{Name: "tr2_param_quoted_value", Route: `$var(@@in) = "a=\"x;y\";b"; xlog("L_INFO", "[$(var(@@in){param.value,a})][$(var(@@in){param.count})]\n");`,
		Want: []string{"[x;y][2]"}},
	{Name: "tr2_param_trailing_separator_and_comma", Route: trs("a=1;", "{param.count}") + trs("a=1,b=2", "{param.count}"),
		Want: []string{"[1]", "[1]"}},
	{Name: "tr2_param_indexes", Route: trs("a=1;b=2;c=3", "{param.valueat,-1}", "{param.name,-3}", "{param.name,5}", "{param.valueat,-4}"),
		Want: []string{"[3][a][][]"}},
	{Name: "tr2_param_in_case_insensitive", Route: trs("a=1;B=2", "{param.in,b}", "{param.value,A}"),
		Want: []string{"[1][1]"}},
	{Name: "tr2_param_separator", Route: trs("a=1&b=2", "{param.value,b,&}", "{param.count,&}", "{param.name,1,&}"),
		Want: []string{"[2][2][b]"}},
	{Name: "tr2_param_count_pv_separator", Route: `$var(@@s) = "&"; $var(@@in) = "a=1&b=2"; xlog("L_INFO", "[$(var(@@in){param.count,$var(@@s)})]\n");`,
		Want: []string{"[2]"}},

	// nameaddr.*, tobody.*
	{Name: "tr2_nameaddr_without_brackets", Route: trs("sip:a@b;tag=1", "{nameaddr.uri}", "{nameaddr.len}", "{nameaddr.name}"),
		Want: []string{"[sip:a@b;tag=1][13][]"}},
	{Name: "tr2_nameaddr_quoted_bracket", Route: `$var(@@in) = "\"A<B\" <sip:x@y.com>"; xlog("L_INFO", "[$(var(@@in){nameaddr.name})][$(var(@@in){nameaddr.uri})]\n");`,
		Want: []string{"[\"A<B\" ][sip:x@y.com]"}},
	{Name: "tr2_tobody_without_brackets", Route: trs("sip:a@b.com;tag=1", "{tobody.display}", "{tobody.uri}", "{tobody.params}", "{tobody.tag}"),
		Want: []string{"[][sip:a@b.com][tag=1][1]"}},
	{Name: "tr2_tobody_params_all", Route: trs("<sip:a@b.com>;tag=1;x=y", "{tobody.params}", "{tobody.user}", "{tobody.host}"),
		Want: []string{"[tag=1;x=y][a][b.com]"}},
	{Name: "tr2_tobody_display_of_from", Route: `xlog("L_INFO", "[$(hdr(From){tobody.display})]\n");`,
		Want: []string{"[\"Alice A\"]"}},

	// line.*
	{Name: "tr2_line_edges", Route: `xlog("L_INFO", "[$(rb{line.at,-7})][$(rb{line.at,-8})][$(rb{line.at,9})][$(rb{line.sw,x=})][$(rb{line.at,0})]\n");`,
		Want: []string{"[v=0][][][][v=0]"}},
	{Name: "tr2_line_lf", Route: `$var(@@in) = "a\nb\n"; xlog("L_INFO", "[$(var(@@in){line.count})][$(var(@@in){line.at,2})][$(var(@@in){line.at,-1})][$(var(@@in){line.sw,b})]\n");`,
		Want: []string{"[2][][b][b]"}},

	// urialias.*
	{Name: "tr2_urialias_encode", Route: trs("sip:1.2.3.4:5070;transport=tcp", "{urialias.encode}") + trs("sip:alice@1.2.3.4", "{urialias.encode}") +
		trs("sips:1.2.3.4", "{urialias.encode}") + trs("sip:[::1]:5070;transport=tls", "{urialias.encode}") + trs("sip:1.2.3.4;transport=foo", "{urialias.encode}"),
		Want: []string{"[1.2.3.4~5070~2]", "[1.2.3.4~5060~1]", "[1.2.3.4~5060~1]", "[[::1]~5070~3]", "[1.2.3.4~5060~1]"}},
	{Name: "tr2_urialias_decode", Route: trs("1.2.3.4~5070~2", "{urialias.decode}") + trs("1.2.3.4~5060~3", "{urialias.decode}") +
		trs("[::1]~5070~6", "{urialias.decode}") + trs("1.2.3.4~5060~9", "{urialias.decode}"),
		Want: []string{"[sip:1.2.3.4:5070;transport=tcp]", "[sip:1.2.3.4:5060;transport=tls]", "[sip:[::1]:5070;transport=ws]", "[]"}},

	// re.subst (textops)
	{Name: "tr2_re_subst", Route: trs("sip:alice@h.com", `{re.subst,/^sip:(.*)@(.*)/\2 \1/}`) + trs("abc", "{re.subst,/x/y/}") +
		trs("abab", "{re.subst,/A/c/gi}", "{re.subst,/a/c/}"),
		Want: []string{"[h.com alice]", "[abc]", "[cbcb][cbab]"}},
	{Name: "tr2_re_subst_longest_match", Route: trs("xyz", `{re.subst,/x|xy/[\0]/}`),
		Want: []string{"[[xy]z]"}},
	{Name: "tr2_re_subst_empty_match_fails", Route: trs("baaac", "{re.subst,/a*/x/}"),
		Want: []string{"[]"}},
}
