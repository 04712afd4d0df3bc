package compat

// suRich is a request with a To tag, R-URI parameters, a tel URI in a
// header, a Contact to encode and Proxy-Authorization credentials.
const suRich = `INVITE sip:+4930123@proxy.example.com;p1;p2=v2;user=phone SIP/2.0
Via: SIP/2.0/UDP 127.0.0.1:{CPORT};branch=z9hG4bKsu1
Max-Forwards: 70
To: <sip:bob@biloxi.example.com>;tag=t1
From: <sip:alice@atlanta.example.com>;tag=f1
Call-ID: su1@atlanta.example.com
CSeq: 1 INVITE
Contact: <sip:alice@10.0.0.1:5070;transport=tcp>;expires=60
X-Tel: tel:+1-(555)-123.4567;Ext=200;ISUB=+123-456
Proxy-Authorization: Digest username="alice", realm="r", nonce="n", uri="sip:x", response="0"
Content-Length: 0
`

// suPlain has R-URI parameters without user=phone.
const suPlain = `OPTIONS sip:carol@chicago.example.com;p1;p2=v2;Gr SIP/2.0
Via: SIP/2.0/UDP 127.0.0.1:{CPORT};branch=z9hG4bKsu2
Max-Forwards: 70
To: <sip:carol@chicago.example.com>
From: <sip:alice@atlanta.example.com>;tag=f2
Call-ID: su2@atlanta.example.com
CSeq: 1 OPTIONS
Supported: path, gruu
Content-Length: 0
`

// siputilsCases: the siputils module (reference: README.siputils), checked
// on Kamailio 5.6.3.
var siputilsCases = []Case{
	{
		Name: "siputils_msg_checks",
		Want: []string{
			"totag",
			"request",
			"not reply rc=-1",
			"is_user rc=-1",
			"first hop",
			"first hop 1",
			"path not supported",
			"no gruu -1",
			"gruu1 2",
			"gruu2 1",
			"---",
			"no totag",
			"request",
			"not reply rc=-1",
			"is_user rc=-1",
			"not first hop",
			"not first hop 1",
			"path not supported",
			"no gruu -1",
			"gruu1 2",
			"gruu2 1",
			"---",
			"no totag",
			"request",
			"not reply rc=-1",
			"is_user rc=-1",
			"not first hop",
			"not first hop 1",
			"path not supported",
			"no gruu -1",
			"gruu1 2",
			"gruu2 1",
			"---",
			"no totag",
			"request",
			"not reply rc=-1",
			"is_user rc=-1",
			"first hop",
			"first hop 1",
			"path supported",
			"gruu 2",
			"gruu1 2",
			"gruu2 1",
		},
		Route: `
	if (has_totag()) { xlog("L_INFO", "totag\n"); } else { xlog("L_INFO", "no totag\n"); }
	if (is_request()) { xlog("L_INFO", "request\n"); }
	if (is_reply()) { xlog("L_INFO", "reply\n"); } else { xlog("L_INFO", "not reply rc=$rc\n"); }
	if (is_user("alice")) { xlog("L_INFO", "is_user alice\n"); } else { xlog("L_INFO", "is_user rc=$rc\n"); }
	if (is_first_hop()) { xlog("L_INFO", "first hop\n"); } else { xlog("L_INFO", "not first hop\n"); }
	if (is_first_hop("1")) { xlog("L_INFO", "first hop 1\n"); } else { xlog("L_INFO", "not first hop 1\n"); }
	if (is_supported("path")) { xlog("L_INFO", "path supported\n"); } else { xlog("L_INFO", "path not supported\n"); }
	if (is_gruu()) { xlog("L_INFO", "gruu $rc\n"); } else { xlog("L_INFO", "no gruu $rc\n"); }
	if (is_gruu("sip:a@b;gr")) { xlog("L_INFO", "gruu1 $rc\n"); }
	if (is_gruu("sip:a@b;gr=x")) { xlog("L_INFO", "gruu2 $rc\n"); }
`,
		Msgs: []string{suRich, DefaultInvite, msg2Multi, suPlain},
	},
	{
		Name: "siputils_uri_param",
		Want: []string{
			"no p1",
			"no P1",
			"no p2 novalue",
			"no p2=v2",
			"no p2=V2",
			"no p1=''",
			"no user=phone",
			"no transport=udp",
			"any p2",
			"no get p2 rc=-1",
			"added: sip:+4930123@proxy.example.com;p1;p2=v2;user=phone;nat=yes",
			"nat not seen",
			"rm: sip:+4930123@proxy.example.com;p2=v2;user=phone;nat=yes",
			"---",
			"no p1",
			"no P1",
			"no p2 novalue",
			"no p2=v2",
			"no p2=V2",
			"no p1=''",
			"no user=phone",
			"transport=udp",
			"no any p2",
			"no get p2 rc=-1",
			"added: sip:bob@biloxi.example.com;transport=udp;nat=yes",
			"nat=yes now",
			"rm: sip:bob@biloxi.example.com;transport=udp;nat=yes",
			"---",
			"p1",
			"no P1",
			"no p2 novalue",
			"p2=v2",
			"no p2=V2",
			"p1=''",
			"no user=phone",
			"no transport=udp",
			"any p2",
			"get p2=v2",
			"added: sip:carol@chicago.example.com;p1;p2=v2;Gr;nat=yes",
			"nat=yes now",
			"rm: sip:carol@chicago.example.com;p2=v2;Gr;nat=yes",
		},
		Route: `
	if (uri_param("p1")) { xlog("L_INFO", "p1\n"); } else { xlog("L_INFO", "no p1\n"); }
	if (uri_param("P1")) { xlog("L_INFO", "P1\n"); } else { xlog("L_INFO", "no P1\n"); }
	if (uri_param("p2")) { xlog("L_INFO", "p2 novalue\n"); } else { xlog("L_INFO", "no p2 novalue\n"); }
	if (uri_param("p2", "v2")) { xlog("L_INFO", "p2=v2\n"); } else { xlog("L_INFO", "no p2=v2\n"); }
	if (uri_param("p2", "V2")) { xlog("L_INFO", "p2=V2\n"); } else { xlog("L_INFO", "no p2=V2\n"); }
	if (uri_param("p1", "")) { xlog("L_INFO", "p1=''\n"); } else { xlog("L_INFO", "no p1=''\n"); }
	if (uri_param("user", "phone")) { xlog("L_INFO", "user=phone\n"); } else { xlog("L_INFO", "no user=phone\n"); }
	if (uri_param("transport", "udp")) { xlog("L_INFO", "transport=udp\n"); } else { xlog("L_INFO", "no transport=udp\n"); }
	if (uri_param_any("p2")) { xlog("L_INFO", "any p2\n"); } else { xlog("L_INFO", "no any p2\n"); }
	if (get_uri_param("p2", "$var(@@v)")) { xlog("L_INFO", "get p2=$var(@@v)\n"); } else { xlog("L_INFO", "no get p2 rc=$rc\n"); }
	if (add_uri_param("nat=yes")) { xlog("L_INFO", "added: $ru\n"); }
	if (uri_param("nat", "yes")) { xlog("L_INFO", "nat=yes now\n"); } else { xlog("L_INFO", "nat not seen\n"); }
	if (uri_param_rm("p1")) { xlog("L_INFO", "rm: $ru\n"); } else { xlog("L_INFO", "no rm rc=$rc\n"); }
`,
		Msgs: []string{suRich, DefaultInvite, suPlain},
	},
	{
		Name: "siputils_tel2sip",
		Want: []string{
			"tel2sip rc=1 r=sip:+15551234567;ext=200;isub=+123-456@atlanta.example.com;user=phone",
			"ru rc=2 r=[]",
			"rc=1 r=sip:+34999888777@foo.com;user=phone",
			"rc=1 r=sip:5551234;phone-context=+1@foo.com;user=phone",
			"rc=1 r=sip:+1234@foo.com;user=phone",
			"rc=1 r=sip:@foo.com;user=phone",
		},
		Route: `
	if (tel2sip("$hdr(X-Tel)", "$fd", "$var(@@r)")) { xlog("L_INFO", "tel2sip rc=$rc r=$var(@@r)\n"); } else { xlog("L_INFO", "tel2sip fail $rc\n"); }
	$var(@@r) = "";
	tel2sip("$ru", "h.example.com", "$var(@@r)");
	xlog("L_INFO", "ru rc=$rc r=[$var(@@r)]\n");
	tel2sip("tel:+(34)-999-888-777", "foo.com", "$var(@@r)");
	xlog("L_INFO", "rc=$rc r=$var(@@r)\n");
	tel2sip("tel:5551234;phone-context=+1", "foo.com", "$var(@@r)");
	xlog("L_INFO", "rc=$rc r=$var(@@r)\n");
	tel2sip("TEL:+1234", "foo.com", "$var(@@r)");
	xlog("L_INFO", "rc=$rc r=$var(@@r)\n");
	tel2sip("tel:", "foo.com", "$var(@@r)");
	xlog("L_INFO", "rc=$rc r=$var(@@r)\n");
`,
		Msgs: []string{suRich},
	},
	{
		Name: "siputils_e164_chars",
		Want: []string{
			"[+4930123] e164 tel alnumex",
			"[4930123] tel num alnum alnumex",
			"[+12] e164 tel alnumex",
			"[+123] e164 tel alnumex",
			"[+123456789012345] e164 tel alnumex",
			"[+1234567890123456] tel alnumex",
			"[+12a4] alnumex",
			"[]",
			"[+] alnumex",
			"[123] tel num alnum alnumex",
			"[abc123] alnum alnumex",
			"[ab-c.1] alnumex",
			"[0] tel num alnum alnumex",
			"[+00] e164 alnumex",
			"ru user e164",
			"fu user not e164",
			"tel not e164",
			"ru is uri",
			"garbage not uri",
		},
		Route: `
	$var(@@i) = 0;
	while ($var(@@i) < 14) {
		switch ($var(@@i)) {
		case 0: $var(@@s) = "+4930123"; break;
		case 1: $var(@@s) = "4930123"; break;
		case 2: $var(@@s) = "+12"; break;
		case 3: $var(@@s) = "+123"; break;
		case 4: $var(@@s) = "+123456789012345"; break;
		case 5: $var(@@s) = "+1234567890123456"; break;
		case 6: $var(@@s) = "+12a4"; break;
		case 7: $var(@@s) = ""; break;
		case 8: $var(@@s) = "+"; break;
		case 9: $var(@@s) = "123"; break;
		case 10: $var(@@s) = "abc123"; break;
		case 11: $var(@@s) = "ab-c.1"; break;
		case 12: $var(@@s) = "0"; break;
		case 13: $var(@@s) = "+00"; break;
		}
		$var(@@o) = "";
		if (is_e164("$var(@@s)")) { $var(@@o) = $var(@@o) + " e164"; }
		if (is_tel_number("$var(@@s)")) { $var(@@o) = $var(@@o) + " tel"; }
		if (is_numeric("$var(@@s)")) { $var(@@o) = $var(@@o) + " num"; }
		if (is_alphanum("$var(@@s)")) { $var(@@o) = $var(@@o) + " alnum"; }
		if (is_alphanumex("$var(@@s)", "+.-")) { $var(@@o) = $var(@@o) + " alnumex"; }
		xlog("L_INFO", "[$var(@@s)]$var(@@o)\n");
		$var(@@i) = $var(@@i) + 1;
	}
	if (is_uri_user_e164("$ru")) { xlog("L_INFO", "ru user e164\n"); } else { xlog("L_INFO", "ru user not e164\n"); }
	if (is_uri_user_e164("$fu")) { xlog("L_INFO", "fu user e164\n"); } else { xlog("L_INFO", "fu user not e164\n"); }
	$var(@@t) = "tel:+4930123";
	if (is_uri_user_e164("$var(@@t)")) { xlog("L_INFO", "tel e164\n"); } else { xlog("L_INFO", "tel not e164\n"); }
	if (is_uri("$ru")) { xlog("L_INFO", "ru is uri\n"); }
	$var(@@t) = "garbage";
	if (is_uri("$var(@@t)")) { xlog("L_INFO", "garbage is uri\n"); } else { xlog("L_INFO", "garbage not uri\n"); }
`,
		Msgs: []string{suRich},
	},
	{
		Name: "siputils_cmp",
		Want: []string{
			"u1",
			"u2 no -1",
			"u3 no -1",
			"u4",
			"u5 no -2",
			"a1",
			"a2 no -1",
			"a3",
			"a4 no -1",
			"h1",
			"h2",
			"h3 no -2",
			"h4",
		},
		Route: `
	if (cmp_uri("sip:alice@A.example.com;transport=udp", "sip:alice@a.example.com;TRANSPORT=UDP")) { xlog("L_INFO", "u1\n"); }
	if (cmp_uri("sip:alice@a.example.com", "sip:alice@a.example.com:5060")) { xlog("L_INFO", "u2\n"); } else { xlog("L_INFO", "u2 no $rc\n"); }
	if (cmp_uri("sip:Alice@a.example.com", "sip:alice@a.example.com")) { xlog("L_INFO", "u3\n"); } else { xlog("L_INFO", "u3 no $rc\n"); }
	if (cmp_uri("sip:alice@a.example.com;x=1", "sip:alice@a.example.com")) { xlog("L_INFO", "u4\n"); } else { xlog("L_INFO", "u4 no\n"); }
	if (cmp_uri("garbage", "sip:alice@a.example.com")) { xlog("L_INFO", "u5\n"); } else { xlog("L_INFO", "u5 no $rc\n"); }
	if (cmp_aor("sip:alice@a.example.com;x=1", "sip:alice@A.EXAMPLE.com:5060")) { xlog("L_INFO", "a1\n"); } else { xlog("L_INFO", "a1 no $rc\n"); }
	if (cmp_aor("sip:alice@a.example.com", "sip:bob@a.example.com")) { xlog("L_INFO", "a2\n"); } else { xlog("L_INFO", "a2 no $rc\n"); }
	if (cmp_aor("$fu", "sip:alice@atlanta.example.com")) { xlog("L_INFO", "a3\n"); } else { xlog("L_INFO", "a3 no $rc\n"); }
	if (cmp_aor("sip:alice@a.example.com", "sip:alice@a.example.com:5070")) { xlog("L_INFO", "a4\n"); } else { xlog("L_INFO", "a4 no $rc\n"); }
	if (cmp_hdr_name("From", "f")) { xlog("L_INFO", "h1\n"); } else { xlog("L_INFO", "h1 no $rc\n"); }
	if (cmp_hdr_name("X-Abc", "x-ABC")) { xlog("L_INFO", "h2\n"); } else { xlog("L_INFO", "h2 no $rc\n"); }
	if (cmp_hdr_name("X-Abc", "X-Abd")) { xlog("L_INFO", "h3\n"); } else { xlog("L_INFO", "h3 no $rc\n"); }
	if (cmp_hdr_name("Call-ID", "i")) { xlog("L_INFO", "h4\n"); } else { xlog("L_INFO", "h4 no $rc\n"); }
`,
		Msgs: []string{suRich},
	},
	{
		Name: "siputils_set_uri",
		Want: []string{
			"user: sip:new_user@host.example.com:5070;transport=tcp rc=1",
			"host: sip:new_user@new.example.com:5070;transport=tcp rc=1",
			"nouser: sip:new.example.com:5070;transport=tcp rc=1",
			"add user: sip:u2@host.example.com rc=1",
			"garbage: garbage rc=-1",
		},
		Route: `
	$var(@@u) = "sip:user@host.example.com:5070;transport=tcp";
	$var(@@x) = "new_user";
	set_uri_user("$var(@@u)", "$var(@@x)");
	xlog("L_INFO", "user: $var(@@u) rc=$rc\n");
	$var(@@x) = "new.example.com";
	set_uri_host("$var(@@u)", "$var(@@x)");
	xlog("L_INFO", "host: $var(@@u) rc=$rc\n");
	$var(@@x) = "";
	set_uri_user("$var(@@u)", "$var(@@x)");
	xlog("L_INFO", "nouser: $var(@@u) rc=$rc\n");
	$var(@@u) = "sip:host.example.com";
	$var(@@x) = "u2";
	set_uri_user("$var(@@u)", "$var(@@x)");
	xlog("L_INFO", "add user: $var(@@u) rc=$rc\n");
	$var(@@v) = "garbage";
	set_uri_user("$var(@@v)", "$var(@@x)");
	xlog("L_INFO", "garbage: $var(@@v) rc=$rc\n");
`,
	},
	{
		Name: "siputils_contact_param",
		Want: []string{
			"encode rc=1",
			"contact: <sip:192.0.2.1:5060;transport=tcp;ksu=c2lwOmFsaWNlQDEwLjAuMC4xOjUwNzA7dHJhbnNwb3J0PXRjcA>;expires=60",
			"decode rc=1",
			"contact: <sip:alice@10.0.0.1:5070;transport=tcp>;expires=60",
			"ruri rc=1 sip:bob@10.0.0.9:5080",
			"rm rc=1",
			"contact: <sip:192.0.2.1>;expires=60",
		},
		Route: `
	contact_param_encode("ksu", "sip:192.0.2.1:5060;transport=tcp");
	xlog("L_INFO", "encode rc=$rc\n");
	msg_apply_changes();
	xlog("L_INFO", "contact: $hdr(Contact)\n");
	contact_param_decode("ksu");
	xlog("L_INFO", "decode rc=$rc\n");
	msg_apply_changes();
	xlog("L_INFO", "contact: $hdr(Contact)\n");
	$ru = "sip:192.0.2.1;ksu=c2lwOmJvYkAxMC4wLjAuOTo1MDgw";
	contact_param_decode_ruri("ksu");
	xlog("L_INFO", "ruri rc=$rc $ru\n");
	contact_param_encode("ksu", "sip:192.0.2.1");
	msg_apply_changes();
	contact_param_rm("ksu");
	xlog("L_INFO", "rm rc=$rc\n");
	msg_apply_changes();
	xlog("L_INFO", "contact: $hdr(Contact)\n");
`,
		Extra:    `loadmodule "textopsx.so"`,
		TopLevel: true,
		Msgs:     []string{suRich},
	},
}
