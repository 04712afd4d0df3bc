package compat

// rrBye builds an in-dialog (toTag != "") or initial request with the
// given start line and Route headers ("\n" separated, may be empty).
func rrBye(startLine, toTag, routes string) string {
	return startLine + `
Via: SIP/2.0/UDP 127.0.0.1:{CPORT};branch=z9hG4bKrr1;rport
Max-Forwards: 70
From: "A" <sip:alice@a.example>;tag=ft1
To: <sip:bob@b.example>` + toTag + `
Call-ID: rr-1@a.example
CSeq: 2 BYE
` + routes + `Content-Length: 0
`
}

const rrDialog = ";tag=tt"

// rrShow runs loose_route and prints what a script sees afterwards.
const rrShow = `$var(@@r) = loose_route(); ` +
	`xlog("L_INFO", "lr=$var(@@r) du=$du ru=$ru route_uri=$route_uri\n"); ` +
	`$var(@@n) = rr_next_hop_route(); $var(@@d) = is_direction("downstream"); $var(@@u) = is_direction("upstream"); ` +
	`$var(@@c) = check_route_param("ftag=ft1"); ` +
	`xlog("L_INFO", "nh=$var(@@n) down=$var(@@d) up=$var(@@u) crp=$var(@@c)\n");`

// rrCases: the rr module's loose routing as a script observes it (return
// codes, $du, $ru, $route_uri, is_direction, check_route_param,
// rr_next_hop_route), checked on Kamailio 5.6.3. The Record-Route and
// Route edits are checked byte for byte in modules/rr's Go tests.
var rrCases = []Case{
	{Name: "rr_no_route", Route: rrShow,
		Msgs: []string{rrBye("BYE sip:bob@b.example SIP/2.0", rrDialog, "")},
		Want: []string{"lr=-1 du=<null> ru=sip:bob@b.example route_uri=", "nh=-1 down=1 up=-1 crp=-1"}},
	{Name: "rr_ours_then_loose", Route: rrShow,
		Msgs: []string{rrBye("BYE sip:bob@b.example SIP/2.0", rrDialog, "Route: <sip:127.0.0.1:{SPORT};lr;ftag=ft1>, <sip:next.example;lr>\n")},
		Want: []string{"lr=1 du=sip:next.example;lr ru=sip:bob@b.example route_uri=sip:127.0.0.1:{SPORT};lr;ftag=ft1", "nh=1 down=1 up=-1 crp=1"}},
	{Name: "rr_initial_only_ours", Route: rrShow,
		Msgs: []string{rrBye("BYE sip:bob@b.example SIP/2.0", "", "Route: <sip:127.0.0.1:{SPORT};lr;ftag=ft1>\n")},
		Want: []string{"lr=-3 du=<null> ru=sip:bob@b.example route_uri=sip:127.0.0.1:{SPORT};lr;ftag=ft1", "nh=-1 down=1 up=-1 crp=1"}},
	{Name: "rr_dialog_only_ours", Route: rrShow,
		Msgs: []string{rrBye("BYE sip:bob@b.example SIP/2.0", rrDialog, "Route: <sip:127.0.0.1:{SPORT};lr;ftag=ft1>\n")},
		Want: []string{"lr=1 du=<null> ru=sip:bob@b.example route_uri=sip:127.0.0.1:{SPORT};lr;ftag=ft1", "nh=-1 down=1 up=-1 crp=1"}},
	{Name: "rr_not_ours_loose", Route: rrShow,
		Msgs: []string{rrBye("BYE sip:bob@b.example SIP/2.0", "", "Route: <sip:other.example;lr>\n")},
		Want: []string{"lr=1 du=sip:other.example;lr ru=sip:bob@b.example route_uri=sip:other.example;lr", "nh=-1 down=1 up=-1 crp=-1"}},
	{Name: "rr_strict_upstream", Route: rrShow,
		Msgs: []string{rrBye("BYE sip:127.0.0.1:{SPORT};ftag=xx;lr SIP/2.0", rrDialog, "Route: <sip:p2.example;lr>\nRoute: <sip:uas.example:5070>\n")},
		Want: []string{"lr=1 du=sip:p2.example;lr ru=sip:uas.example:5070 route_uri=sip:p2.example;lr", "nh=-1 down=-1 up=1 crp=-1"}},
	{Name: "rr_strict_next_hop", Route: rrShow,
		Msgs: []string{rrBye("BYE sip:bob@b.example SIP/2.0", rrDialog, "Route: <sip:strict.example>, <sip:p3.example;lr>\n")},
		Want: []string{"lr=1 du=<null> ru=sip:strict.example route_uri=sip:strict.example", "nh=-1 down=1 up=-1 crp=-1"}},
	{Name: "rr_double_ours", Route: rrShow,
		Msgs: []string{rrBye("BYE sip:bob@b.example SIP/2.0", rrDialog, "Route: <sip:127.0.0.1:{SPORT};r2=on;lr;ftag=zz>,<sip:127.0.0.1:{SPORT};r2=on;lr;ftag=zz>\nRoute: <sip:next.example;lr>\n")},
		Want: []string{"lr=1 du=sip:next.example;lr ru=sip:bob@b.example route_uri=sip:127.0.0.1:{SPORT};r2=on;lr;ftag=zz", "nh=1 down=-1 up=1 crp=-1"}},
	{Name: "rr_ours_without_lr", Route: rrShow,
		Msgs: []string{rrBye("BYE sip:bob@b.example SIP/2.0", rrDialog, "Route: <sip:127.0.0.1:{SPORT};ftag=ft1>, <sip:next.example;lr>\n")},
		Want: []string{"lr=1 du=sip:next.example;lr ru=sip:bob@b.example route_uri=sip:127.0.0.1:{SPORT};ftag=ft1", "nh=1 down=1 up=-1 crp=1"}},
	{Name: "rr_ruri_ours_route_ours", Route: rrShow,
		Msgs: []string{rrBye("BYE sip:127.0.0.1:{SPORT} SIP/2.0", rrDialog, "Route: <sip:127.0.0.1:{SPORT};lr>\n")},
		Want: []string{"lr=1 du=sip:127.0.0.1:{SPORT};lr ru=sip:127.0.0.1:{SPORT};lr route_uri=sip:127.0.0.1:{SPORT};lr", "nh=-1 down=1 up=-1 crp=-1"}},
	{Name: "rr_ruri_ours_first_strict", Route: rrShow,
		Msgs: []string{rrBye("BYE sip:127.0.0.1:{SPORT} SIP/2.0", rrDialog, "Route: <sip:strict2.example>, <sip:x.example;lr>\n")},
		Want: []string{"lr=1 du=<null> ru=sip:strict2.example route_uri=sip:strict2.example", "nh=-1 down=1 up=-1 crp=-1"}},
	{Name: "rr_ruri_ours_no_route", Route: rrShow,
		Msgs: []string{rrBye("BYE sip:127.0.0.1:{SPORT} SIP/2.0", rrDialog, "")},
		Want: []string{"lr=-1 du=<null> ru=sip:127.0.0.1:{SPORT} route_uri=", "nh=-1 down=1 up=-1 crp=-1"}},
	{Name: "rr_strict_maddr", Route: rrShow,
		Msgs: []string{rrBye("BYE sip:bob@b.example;user=phone SIP/2.0", rrDialog, "Route: <sip:127.0.0.1:{SPORT};lr;ftag=ft1>,<sip:strict3.example;maddr=1.2.3.4>\n")},
		Want: []string{"lr=1 du=<null> ru=sip:1.2.3.4 route_uri=sip:127.0.0.1:{SPORT};lr;ftag=ft1", "nh=1 down=1 up=-1 crp=1"}},
	{Name: "rr_other_port_not_ours", Route: rrShow,
		Msgs: []string{rrBye("BYE sip:bob@b.example SIP/2.0", rrDialog, "Route: <sip:127.0.0.1;lr>\n")},
		Want: []string{"lr=1 du=sip:127.0.0.1;lr ru=sip:bob@b.example route_uri=sip:127.0.0.1;lr", "nh=-1 down=1 up=-1 crp=-1"}},
	// loose_route_preloaded is true only for an initial request whose
	// Route set held only us.
	{Name: "rr_preloaded", Route: `$var(@@p) = loose_route_preloaded(); xlog("L_INFO", "p=$var(@@p) du=$du\n");`,
		Msgs: []string{
			rrBye("BYE sip:bob@b.example SIP/2.0", "", "Route: <sip:127.0.0.1:{SPORT};lr;ftag=ft1>\n"),
			rrBye("BYE sip:bob@b.example SIP/2.0", "", "Route: <sip:127.0.0.1:{SPORT};lr;ftag=ft1>,<sip:next.example;lr>\n"),
			rrBye("BYE sip:bob@b.example SIP/2.0", rrDialog, "Route: <sip:127.0.0.1:{SPORT};lr;ftag=ft1>, <sip:next.example;lr>\n"),
			rrBye("BYE sip:bob@b.example SIP/2.0", "", "Route: <sip:other.example;lr>\n"),
		},
		Want: []string{"p=1 du=<null>", "---", "p=-1 du=sip:next.example;lr", "---", "p=-1 du=sip:next.example;lr", "---", "p=-1 du=sip:other.example;lr"}},
	// check_route_param matches the parameters of our Route URI, from its
	// first ";", ignoring case.
	{Name: "rr_check_route_param_forms",
		Route: `loose_route(); $var(@@a) = check_route_param("^lr"); $var(@@b) = check_route_param("^;lr"); ` +
			`$var(@@c) = check_route_param("NAT=YES"); $var(@@d) = check_route_param("nat=yes$");` +
			` xlog("L_INFO", "a=$var(@@a) b=$var(@@b) c=$var(@@c) d=$var(@@d)\n");`,
		Msgs: []string{rrBye("BYE sip:bob@b.example SIP/2.0", rrDialog, "Route: <sip:127.0.0.1:{SPORT};lr;ftag=ft1;nat=yes>, <sip:next.example;lr>\n")},
		Want: []string{"a=-1 b=1 c=1 d=1"}},
	// Without loose_route, the first Route is looked at.
	{Name: "rr_no_loose_route_called",
		Route: `$var(@@c) = check_route_param("ftag"); $var(@@d) = is_direction("downstream"); $var(@@u) = is_direction("upstream"); $var(@@n) = rr_next_hop_route();` +
			` xlog("L_INFO", "c=$var(@@c) d=$var(@@d) u=$var(@@u) n=$var(@@n)\n");`,
		Msgs: []string{rrBye("BYE sip:bob@b.example SIP/2.0", rrDialog, "Route: <sip:127.0.0.1:{SPORT};lr;ftag=zz>\n")},
		Want: []string{"c=1 d=-1 u=1 n=-1"}},
	// record_route returns 1; a second one -1, even after remove_record_route.
	{Name: "rr_record_route_codes",
		Route: `$var(@@a) = record_route(); $var(@@b) = record_route(); remove_record_route(); $var(@@c) = record_route(";x=1");` +
			` $var(@@d) = add_rr_param(";y=2"); $var(@@e) = remove_record_route(); xlog("L_INFO", "a=$var(@@a) b=$var(@@b) c=$var(@@c) d=$var(@@d) e=$var(@@e)\n");`,
		Want: []string{"a=1 b=-1 c=-1 d=1 e=1"}},
	{Name: "rr_record_route_preset_codes",
		Route: `$var(@@a) = record_route_preset("1.2.3.4:5090", "5.6.7.8"); $var(@@b) = record_route_advertised_address("9.9.9.9");` +
			` xlog("L_INFO", "a=$var(@@a) b=$var(@@b)\n");`,
		Want: []string{"a=1 b=-1"}},
}
