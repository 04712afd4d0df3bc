package compat

import "strings"

// gapsInvite is DefaultInvite with another Request-URI.
func gapsInvite(ruri string) string {
	return strings.Replace(DefaultInvite, "sip:bob@biloxi.example.com;transport=udp", ruri, 1)
}

// gapsCases: rewritehostporttrans dropping the transport parameter, the
// rewrite functions on tel URIs, the lower-case scheme of a rewritten URI,
// the numbering of named flags, and glibc's "{,n}" and "[.-.]" in regexes.
var gapsCases = []Case{
	// rewritehostporttrans drops the transport parameter (any case, first or
	// last) and keeps the others; a name that only contains "transport" is
	// not it.
	{Name: "gaps_sethpt_drops_transport", Route: `sethpt("new.example.com:5080"); xlog("L_INFO", "ru=$ru\n");`,
		Msgs: []string{
			gapsInvite("sip:bob@biloxi.example.com;transport=udp"),
			gapsInvite("sip:bob:pw@h.example.com:5060;lr;transport=tcp;foo=bar"),
			gapsInvite("sip:h.example.com;TRANSPORT=TCP;lr"),
			gapsInvite("sip:bob@h.example.com;transport=tcp;lr"),
			gapsInvite("sip:bob@h.example.com;lr;maddr=1.2.3.4;ttl=5;user=phone;method=INVITE"),
			gapsInvite("sip:bob@h.example.com;transportx=1;xtransport=2"),
			gapsInvite("sips:bob@h.example.com;transport=tls"),
			gapsInvite("sip:bob@[::1]:5060;transport=udp"),
		},
		Want: []string{
			"ru=sip:bob@new.example.com:5080", "---",
			"ru=sip:bob:pw@new.example.com:5080;lr;foo=bar", "---",
			"ru=sip:new.example.com:5080;lr", "---",
			"ru=sip:bob@new.example.com:5080;lr", "---",
			"ru=sip:bob@new.example.com:5080;lr;maddr=1.2.3.4;ttl=5;user=phone;method=INVITE", "---",
			"ru=sip:bob@new.example.com:5080;transportx=1;xtransport=2", "---",
			"ru=sips:bob@new.example.com:5080", "---",
			"ru=sip:bob@new.example.com:5080",
		}},
	{Name: "gaps_hostporttrans_aliases", Route: `rewritehostporttrans("new.example.com"); xlog("L_INFO", "ru=$ru\n"); sethostporttrans("n2.example.com:7"); xlog("L_INFO", "ru=$ru\n");`,
		Msgs: []string{gapsInvite("sip:bob@h.example.com:5060;lr;transport=tcp;foo=bar")},
		Want: []string{"ru=sip:bob@new.example.com;lr;foo=bar", "ru=sip:bob@n2.example.com:7;lr;foo=bar"}},
	{Name: "gaps_sethp_keeps_transport", Route: `sethp("m.example.com:9"); xlog("L_INFO", "ru=$ru\n"); seth("n.example.com"); xlog("L_INFO", "ru=$ru\n");`,
		Msgs: []string{gapsInvite("sip:bob@h.example.com:5060;lr;transport=tcp;foo=bar")},
		Want: []string{
			"ru=sip:bob@m.example.com:9;lr;transport=tcp;foo=bar", "ru=sip:bob@n.example.com:9;lr;transport=tcp;foo=bar",
		}},
	// A rewritten URI's scheme is in lower case; the port keeps its text.
	{Name: "gaps_rewrite_lowers_scheme", Route: `sethost("x.example.com"); xlog("L_INFO", "ru=$ru\n");`,
		Msgs: []string{gapsInvite("SIP:bob@h.example.com:05060"), gapsInvite("Sips:bob@h.example.com")},
		Want: []string{"ru=sip:bob@x.example.com:05060", "---", "ru=sips:bob@x.example.com"}},
	{Name: "gaps_rewrite_user_lowers_scheme", Route: `setu("al"); xlog("L_INFO", "ru=$ru\n"); sethpt("x.example.com"); xlog("L_INFO", "ru=$ru\n");`,
		Msgs: []string{gapsInvite("SIP:bob@h.example.com;transport=tcp")},
		Want: []string{"ru=sip:al@h.example.com;transport=tcp", "ru=sip:al@x.example.com"}},
	// A host turns a tel URI into a sip URI with user=phone; the tel
	// parameters stay with the number.
	{Name: "gaps_sethost_tel", Route: `$var(@@r) = sethost("x.example.com"); xlog("L_INFO", "r=$var(@@r) ru=$ru rd=$rd\n");`,
		Msgs: []string{
			gapsInvite("tel:+1234"),
			gapsInvite("tel:+1-234-567;phone-context=example.com;foo=bar"),
			gapsInvite("TEL:5678;phone-context=+1"),
			gapsInvite("tel:+1234;user=phone"),
		},
		Want: []string{
			"r=1 ru=sip:+1234@x.example.com;user=phone rd=x.example.com", "---",
			"r=1 ru=sip:+1-234-567;phone-context=example.com;foo=bar@x.example.com;user=phone rd=x.example.com", "---",
			"r=1 ru=sip:5678;phone-context=+1@x.example.com;user=phone rd=x.example.com", "---",
			"r=1 ru=sip:+1234;user=phone@x.example.com;user=phone rd=x.example.com",
		}},
	{Name: "gaps_sethp_tel", Route: `sethp("x.example.com:5"); xlog("L_INFO", "ru=$ru\n");`,
		Msgs: []string{gapsInvite("tel:+1234;foo=bar"), gapsInvite("tel:+1234")},
		Want: []string{
			"ru=sip:+1234;foo=bar@x.example.com:5;user=phone", "---",
			"ru=sip:+1234@x.example.com:5;user=phone",
		}},
	{Name: "gaps_sethpt_tel_keeps_tel_transport", Route: `sethpt("x.example.com:5"); xlog("L_INFO", "ru=$ru\n");`,
		Msgs: []string{gapsInvite("tel:+1234;transport=udp;foo=bar")},
		Want: []string{"ru=sip:+1234;transport=udp;foo=bar@x.example.com:5;user=phone"}},
	{Name: "gaps_rd_assign_tel", Route: `$rd = "x.example.com"; xlog("L_INFO", "ru=$ru\n"); sethost("y.example.com"); setp("7"); xlog("L_INFO", "ru=$ru\n");`,
		Msgs: []string{gapsInvite("tel:+1234;foo=bar")},
		Want: []string{
			"ru=sip:+1234;foo=bar@x.example.com;user=phone", "ru=sip:+1234;foo=bar@y.example.com:7;user=phone",
		}},
	// The number of a tel URI is its user; it has no port.
	{Name: "gaps_setu_tel", Route: `setu("+5678"); xlog("L_INFO", "ru=$ru\n");`,
		Msgs: []string{gapsInvite("TEL:+1234;foo=bar"), gapsInvite("tel:+1234")},
		Want: []string{"ru=tel:+5678;foo=bar", "---", "ru=tel:+5678"}},
	{Name: "gaps_strip_prefix_tel", Route: `strip(2); xlog("L_INFO", "ru=$ru\n"); prefix("99"); xlog("L_INFO", "ru=$ru\n"); $rU = "+1"; xlog("L_INFO", "ru=$ru\n");`,
		Msgs: []string{gapsInvite("tel:+1234;foo=bar")},
		Want: []string{"ru=tel:234;foo=bar", "ru=tel:99234;foo=bar", "ru=tel:+1;foo=bar"}},
	{Name: "gaps_setp_tel_fails", Route: `$var(@@r) = setp("5"); xlog("L_INFO", "r=$var(@@r) ru=$ru\n");`,
		Msgs:      []string{gapsInvite("tel:+1234;foo=bar")},
		Want:      []string{"r=-1 ru=tel:+1234;foo=bar"},
		WantDiags: []string{"port number of a tel: URI cannot be set"}},
	// Named flags are numbered in declaration order: one without a number
	// takes the lowest number not taken so far; an explicit number is used
	// even when taken (Kamailio warns at start-up).
	{Name: "gaps_flags_numbering", TopLevel: true, Extra: `flags @@A: 3, @@B, @@C: 0;`,
		Route: `$mf = 0; setflag(@@A); xlog("L_INFO", "A=$mf\n"); $mf = 0; setflag(@@B); xlog("L_INFO", "B=$mf\n"); $mf = 0; setflag(@@C); xlog("L_INFO", "C=$mf\n");`,
		Want:  []string{"A=8", "B=1", "C=1"}},
	{Name: "gaps_flags_numbering_lines", TopLevel: true, Extra: "flags @@A, @@B: 0, @@C, @@D: 1;\nflags @@E: 4;\nbool @@F, @@G;",
		Route: `$mf = 0; setflag(@@A); xlog("L_INFO", "A=$mf\n"); $mf = 0; setflag(@@B); xlog("L_INFO", "B=$mf\n"); $mf = 0; setflag(@@C); xlog("L_INFO", "C=$mf\n"); $mf = 0; setflag(@@D); xlog("L_INFO", "D=$mf\n"); $mf = 0; setflag(@@E); xlog("L_INFO", "E=$mf\n"); $mf = 0; setflag(@@F); setflag(@@G); xlog("L_INFO", "FG=$mf\n");`,
		Want:  []string{"A=1", "B=1", "C=2", "D=2", "E=16", "FG=12"}},
	// glibc: "{,n}" is "{0,n}", "{,}" is "*"; "[.-.]" is a literal '-'.
	{Name: "gaps_re_interval_without_minimum", Route: `if ("" =~ "^a{,3}$") { xlog("L_INFO", "empty\n"); } if ("aaa" =~ "^a{,3}$") { xlog("L_INFO", "aaa\n"); } if ("aaaa" =~ "^a{,3}$") { xlog("L_INFO", "aaaa\n"); }
		if ("a{,3}" =~ "^a{,3}$") { xlog("L_INFO", "literal\n"); } if ("aaaaa" =~ "^a{,}$") { xlog("L_INFO", "star\n"); } if ("b" =~ "^ba{,0}$") { xlog("L_INFO", "zero\n"); }`,
		Want: []string{"empty", "aaa", "star", "zero"}},
	{Name: "gaps_re_collating_dash", Route: `if ("-" =~ "^[a[.-.]z]$") { xlog("L_INFO", "dash\n"); } if ("b" =~ "^[a[.-.]z]$") { xlog("L_INFO", "b\n"); } if ("z" =~ "^[a[.-.]z]$") { xlog("L_INFO", "z\n"); }
		if ("/" =~ "^[[.-.]-0]$") { xlog("L_INFO", "range\n"); } if ("1" =~ "^[[.-.]-0]$") { xlog("L_INFO", "past range\n"); }`,
		Want: []string{"dash", "z", "range"}},
}
