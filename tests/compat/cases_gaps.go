package compat

import "strings"

// gapsInvite is DefaultInvite with the Request-URI replaced.
func gapsInvite(ruri string) string {
	return strings.Replace(DefaultInvite, "sip:bob@biloxi.example.com;transport=udp", ruri, 1)
}

var gapsProbe = []Case{
	{Name: "q_userpass_raw", Route: `setup("al:pw"); append_branch(); xlog("L_INFO", "b=$(branch(uri)[0])\n");`,
		Msgs: []string{gapsInvite("tel:+1234;foo=bar")}, Want: []string{}},
	{Name: "q_sip_case", Route: `sethost("x.example.com"); xlog("L_INFO", "ru=$ru\n");`,
		Msgs: []string{gapsInvite("SIP:bob@h.example.com"), gapsInvite("Sips:bob@h.example.com")}, Want: []string{}},
	{Name: "q_sip_case_user", Route: `setu("al"); xlog("L_INFO", "ru=$ru\n");`,
		Msgs: []string{gapsInvite("SIP:bob@h.example.com")}, Want: []string{}},
	{Name: "q_sip_case_hpt", Route: `sethpt("x.example.com"); xlog("L_INFO", "ru=$ru\n");`,
		Msgs: []string{gapsInvite("SIP:bob@h.example.com;transport=tcp")}, Want: []string{}},
	{Name: "q_tel_empty_then", Route: `setu(""); xlog("L_INFO", "ru=$ru rU=$rU\n"); sethost("x.example.com"); xlog("L_INFO", "ru=$ru\n");`,
		Msgs: []string{gapsInvite("tel:+1234;foo=bar")}, Want: []string{}},
	{Name: "q_tel_rd_null", Route: `$rd = "x.example.com"; xlog("L_INFO", "ru=$ru\n");`,
		Msgs: []string{gapsInvite("tel:+1234")}, Want: []string{}},
}

var gapsCases = []Case{
	{Name: "x_sethpt", Route: `sethpt("new.example.com:5080"); xlog("L_INFO", "ru=$ru\n");`,
		Msgs: []string{
			gapsInvite("sip:bob@biloxi.example.com;transport=udp"),
			gapsInvite("sip:bob:pw@h.example.com:5060;lr;transport=tcp;foo=bar?X-H=y"),
			gapsInvite("sip:h.example.com;TRANSPORT=TCP;lr"),
			gapsInvite("sip:bob@h.example.com;transport=tcp"),
			gapsInvite("sip:bob@h.example.com;lr;transport=tcp"),
			gapsInvite("sip:bob@h.example.com;transport=tcp;lr"),
			gapsInvite("sip:bob@h.example.com;transport;lr"),
			gapsInvite("sip:bob@h.example.com;transport=tcp;transport=udp;lr"),
			gapsInvite("sip:bob@h.example.com;lr;maddr=1.2.3.4;ttl=5;user=phone;method=INVITE"),
			gapsInvite("sips:bob@h.example.com;transport=tls"),
			gapsInvite("sip:bob@h.example.com?X=1"),
			gapsInvite("sip:bob@[::1]:5060;transport=udp"),
		},
		Want: []string{}},
	{Name: "x_sethpt_noport", Route: `rewritehostporttrans("new.example.com"); xlog("L_INFO", "ru=$ru\n"); sethostporttrans("n2.example.com:7"); xlog("L_INFO", "ru=$ru\n");`,
		Msgs: []string{
			gapsInvite("sip:bob@h.example.com:5060;lr;transport=tcp;foo=bar"),
		},
		Want: []string{}},
	{Name: "x_others_sip", Route: `sethost("n.example.com"); xlog("L_INFO", "ru=$ru\n"); sethp("m.example.com:9"); xlog("L_INFO", "ru=$ru\n"); setp("10"); xlog("L_INFO", "ru=$ru\n");`,
		Msgs: []string{
			gapsInvite("sip:bob@h.example.com:5060;lr;transport=tcp;foo=bar?X=1"),
		},
		Want: []string{}},
	{Name: "x_tel_sethost", Route: `$var(@@r) = sethost("x.example.com"); xlog("L_INFO", "r=$var(@@r) ru=$ru rU=$rU rd=$rd\n");`,
		Msgs: []string{
			gapsInvite("tel:+1234"),
			gapsInvite("tel:+1-234-567;phone-context=example.com;foo=bar"),
			gapsInvite("tel:5678;phone-context=+1"),
			gapsInvite("tels:+1234"),
			gapsInvite("TEL:+1234"),
		},
		Want: []string{}},
	{Name: "x_tel_others", Route: `sethp("x.example.com:5"); xlog("L_INFO", "ru=$ru\n"); `,
		Msgs: []string{gapsInvite("tel:+1234;foo=bar")},
		Want: []string{}},
	{Name: "x_tel_others2", Route: `sethpt("x.example.com:5"); xlog("L_INFO", "ru=$ru\n"); `,
		Msgs: []string{gapsInvite("tel:+1234;foo=bar")},
		Want: []string{}},
	{Name: "x_tel_others3", Route: `setp("5"); xlog("L_INFO", "ru=$ru\n"); `,
		Msgs: []string{gapsInvite("tel:+1234;foo=bar")},
		Want: []string{}},
	{Name: "x_tel_others4", Route: `setu("alice"); xlog("L_INFO", "ru=$ru\n"); `,
		Msgs: []string{gapsInvite("tel:+1234;foo=bar")},
		Want: []string{}},
	{Name: "x_tel_others5", Route: `$rd = "x.example.com"; xlog("L_INFO", "ru=$ru\n"); `,
		Msgs: []string{gapsInvite("tel:+1234;foo=bar")},
		Want: []string{}},
	{Name: "x_flags1", TopLevel: true, Extra: `flags FA: 3, FB, FC: 0;`,
		Route: `$mf = 0; setflag(FA); xlog("L_INFO", "A=$mf\n"); $mf = 0; setflag(FB); xlog("L_INFO", "B=$mf\n"); $mf = 0; setflag(FC); xlog("L_INFO", "C=$mf\n");`,
		Want: []string{}},
	{Name: "x_flags2", TopLevel: true, Extra: `flags FA, FB: 0, FC, FD: 1;`,
		Route: `$mf = 0; setflag(FA); xlog("L_INFO", "A=$mf\n"); $mf = 0; setflag(FB); xlog("L_INFO", "B=$mf\n"); $mf = 0; setflag(FC); xlog("L_INFO", "C=$mf\n"); $mf = 0; setflag(FD); xlog("L_INFO", "D=$mf\n");`,
		Want: []string{}},
	{Name: "x_flags3", TopLevel: true, Extra: "flags FA: 0, FB;\nflags FC, FD: 2;",
		Route: `$mf = 0; setflag(FA); xlog("L_INFO", "A=$mf\n"); $mf = 0; setflag(FB); xlog("L_INFO", "B=$mf\n"); $mf = 0; setflag(FC); xlog("L_INFO", "C=$mf\n"); $mf = 0; setflag(FD); xlog("L_INFO", "D=$mf\n");`,
		Want: []string{}},
	{Name: "x_re", Route: `if ("aaa" =~ "^a{,3}$") { xlog("L_INFO", "m1\n"); } if ("aaaa" =~ "^a{,3}$") { xlog("L_INFO", "m2\n"); } if ("-" =~ "^[a[.-.]z]$") { xlog("L_INFO", "m3\n"); } if ("b" =~ "^[a[.-.]z]$") { xlog("L_INFO", "m4\n"); } if ("" =~ "^a{,}$") { xlog("L_INFO", "m5\n"); }`,
		Want: []string{}},
}
