package compat

// paramsCases: module parameters and functions whose effect a script can
// observe, each in a config of its own (a modparam applies to the whole
// config), checked on Kamailio 5.6.3. msg_apply_changes makes the edit of
// mf_process_maxfwd_header visible to $hdr; a Record-Route is only built
// when the request is sent, so those cases forward to the discard port and
// print it from onsend_route.
var paramsCases = []Case{
	{Name: "params_maxfwd_max_limit", TopLevel: true,
		Extra: `loadmodule "textopsx.so"
modparam("maxfwd", "max_limit", 20)`,
		Route: `$var(r) = mf_process_maxfwd_header("10"); msg_apply_changes(); xlog("L_INFO", "r=$var(r) mf=$hdr(Max-Forwards)\n");`,
		Msgs:  []string{mfReq("Max-Forwards: 70\n"), mfReq(""), mfReq("Max-Forwards: 5\n")},
		Want:  []string{"r=1 mf=20", "---", "r=2 mf=10", "---", "r=1 mf=4"}},
	{Name: "params_rr_append_fromtag", TopLevel: true,
		Extra: `modparam("rr", "append_fromtag", 1)
` + rrOnSend,
		Route: `record_route(); $du = "sip:127.0.0.1:9"; forward();`,
		Want:  []string{"rr=Record-Route: <sip:127.0.0.1:{SPORT};lr;ftag=1928301774>"}},
	{Name: "params_rr_full_lr_username", TopLevel: true,
		Extra: `modparam("rr", "enable_full_lr", 1)
modparam("rr", "add_username", 1)
modparam("rr", "append_fromtag", 0)
` + rrOnSend,
		Route: `record_route(); $du = "sip:127.0.0.1:9"; forward();`,
		Want:  []string{"rr=Record-Route: <sip:bob@127.0.0.1:{SPORT};lr=on>"}},
	{Name: "params_rr_custom_user_avp", TopLevel: true,
		Extra: `modparam("rr", "add_username", 1)
modparam("rr", "custom_user_avp", "$avp(rruser)")
` + rrOnSend,
		Route: `$avp(rruser) = "carol"; record_route("x=1"); $du = "sip:127.0.0.1:9"; forward();`,
		Want:  []string{"rr=Record-Route: <sip:carol@127.0.0.1:{SPORT};lr;ftag=1928301774x=1>"}},
	{Name: "params_rr_preset", TopLevel: true,
		Extra: rrOnSend,
		Route: `record_route_preset("10.1.2.3:5090;x=y"); $du = "sip:127.0.0.1:9"; forward();`,
		Want:  []string{"rr=Record-Route: <sip:10.1.2.3:5090;x=y;ftag=1928301774;lr>"}},
	{Name: "params_pv_avp_aliases", TopLevel: true,
		Extra: `modparam("pv", "avp_aliases", "who=i:45;what=s:thing")`,
		Route: `$avp(who) = 3; $avp(what) = "x"; xlog("L_INFO", "who=$avp(i:45) what=$avp(s:thing) $avp(who)\n");`,
		Want:  []string{"who=3 what=x 3"}},
	{Name: "params_rr_preset_apply_changes_refused", TopLevel: true,
		Extra:     `loadmodule "textopsx.so"`,
		Route:     `record_route_preset("10.1.2.3"); $var(r) = msg_apply_changes(); remove_record_route(); $var(s) = msg_apply_changes(); xlog("L_INFO", "r=$var(r) s=$var(s)\n");`,
		Want:      []string{"r=-1 s=-1"},
		WantDiags: []string{"cannot apply msg changes after adding record-route header"}},
	{Name: "params_rr_apply_changes_refused", TopLevel: true,
		Extra:     `loadmodule "textopsx.so"`,
		Route:     `record_route(); $var(r) = msg_apply_changes(); xlog("L_INFO", "r=$var(r)\n");`,
		Want:      []string{"r=-1"},
		WantDiags: []string{"cannot apply msg changes after adding record-route header"}},
}

// rrOnSend prints the Record-Route of what a case forwards.
const rrOnSend = `onsend_route {
	xlog("L_INFO", "rr=$(snd(buf){line.sw,Record-Route})\n");
}`
