package compat

import "strings"

// msg2Rich is a request with the headers the less common message
// pseudo-variables read: two Via values in one field, Route and
// Record-Route, several Contacts, Expires, identity headers, Diversion and
// credentials.
const msg2Rich = `INVITE sip:bob@biloxi.example.com SIP/2.0
Via: SIP/2.0/UDP 127.0.0.1:{CPORT};branch=z9hG4bKrich1;rport;i=abc
Via: SIP/2.0/TCP 10.0.0.2:5070;branch=z9hG4bK-r2;received=192.0.2.9, SIP/2.0/TLS 10.0.0.4;branch=z9hG4bK-r3
Max-Forwards: 70
Route: <sip:p1.example.com;lr>, <sip:p2.example.com;lr>
Record-Route: <sip:rr1.example.com;lr>
To: <sip:bob@biloxi.example.com>;tag=totag1
From: sip:alice@atlanta.example.com;tag=ftag
Call-ID: rich-1@atlanta.example.com
CSeq: 7 INVITE
Contact: "A" <sip:alice@10.0.0.1;transport=tcp>;expires=60, <sip:alice@10.0.0.5>;expires=30
Contact: <sip:alice@10.0.0.6>
Expires: 120
P-Asserted-Identity: "Alice PAI" <sip:+15551234@pai.example.com>, <tel:+15551234>
P-Preferred-Identity: "Alice PPI" <sip:ppi-user@ppi.example.com>
Remote-Party-ID: "Alice RPID" <sip:rpid@rpid.example.com>;party=calling
Refer-To: <sip:carol@refer.example.com?Replaces=x>
Diversion: <sip:div@div.example.com>;reason=unconditional;privacy=off;counter=2
Proxy-Authorization: Digest username="alice@realm.example.com", realm="realm.example.com", nonce="n0nce", uri="sip:bob@biloxi.example.com", response="abcdef", algorithm=MD5, opaque="opq"
Content-Length: 0
`

// msg2Multi has two Via values in its first Via field.
const msg2Multi = `OPTIONS sip:carol@chicago.example.com SIP/2.0
Via: SIP/2.0/UDP 127.0.0.1:{CPORT};branch=z9hG4bKm1 , SIP/2.0/TCP 10.0.0.2;branch=z9hG4bKm2
Via: SIP/2.0/UDP 10.0.0.3;branch=z9hG4bKm3
Max-Forwards: 70
To: <sip:carol@chicago.example.com>
From: <sip:alice@atlanta.example.com>;tag=m1
Call-ID: multi-1@atlanta.example.com
CSeq: 1 OPTIONS
Content-Length: 0
`

// msg2Bare has neither Content-Length, Content-Type, Contact nor
// User-Agent, a From URI without user and an Expires header only.
const msg2Bare = `MESSAGE sip:bob@biloxi.example.com SIP/2.0
Via: SIP/2.0/UDP 127.0.0.1:{CPORT};branch=z9hG4bKbare1
Max-Forwards: 70
To: sip:bob@biloxi.example.com
From: <sip:atlanta.example.com>;tag=b1
Call-ID: bare-1@atlanta.example.com
CSeq: 2 MESSAGE
Expires: 300
P-Asserted-Identity: <tel:+15550000>
P-Preferred-Identity: sip:ppi@ppi.example.com
`

// msg2Cases: message and network pseudo-variables beyond msgCases
// (reference §5.1), checked on Kamailio 5.6.3 for kamgo's pv package.
var msg2Cases = []Case{
	// Without port or transport: "5060" and "UDP" (upper case).
	{Name: "msg2_rP_default", Route: `$ru = "sip:bob@x.example"; ` + p("rP=$rP rp=$rp rz=$rz"),
		Want: []string{"rP=UDP rp=5060 rz=sip"}},
	// transport=tls makes the default port 5061; a sips scheme alone does not.
	{Name: "msg2_rp_transport_tls", Route: `$ru = "sip:bob@x.example;transport=tls"; ` + p("rp=$rp rP=$rP"),
		Want: []string{"rp=5061 rP=tls"}},
	{Name: "msg2_rz_sips_tel", Route: `$ru = "sips:bob@x.example"; $var(@@a) = $rz; $ru = "tel:+1234"; ` + p("a=$var(@@a) b=$rz U=$rU d=[$rd]"),
		Want: []string{"a=sips b=tel U=+1234 d=[<null>]"}},
	{Name: "msg2_rmid", Route: p("rmid=$rmid"), Msgs: []string{DefaultInvite, DefaultOptions},
		Want: []string{"rmid=1", "---", "rmid=512"}},
	{Name: "msg2_ou_parts", Route: `$ru = "sips:carol@c.example:5099;transport=tcp"; ` + p("ou=$ou oU=$oU od=$od op=$op oP=$oP ouri=$ouri"),
		Want: []string{"ou=sip:bob@biloxi.example.com;transport=udp oU=bob od=biloxi.example.com op=5060 oP=udp ouri=sip:bob@biloxi.example.com;transport=udp"}},
	// $du = "" leaves no destination.
	{Name: "msg2_du_empty", Route: `$du = ""; ` + p("du=[$du] dd=[$dd]"),
		Want: []string{"du=[<null>] dd=[<null>]"}},
	{Name: "msg2_du_parts_default", Route: `$du = "sip:proxy.example"; ` + p("du=$du dd=$dd dp=$dp dP=$dP duri=$duri"),
		Want: []string{"du=sip:proxy.example dd=proxy.example dp=5060 dP=UDP duri=sip:proxy.example"}},
	// An integer is refused ("str value required to set dst uri"); $du stays unset.
	{Name: "msg2_du_int", Route: `$du = 5; ` + p("du=$du"),
		Want: []string{"du=<null>"}},
	// $ds prints the destination set as a Contact header; the R-URI is part of it
	// only once rewritten (or $du set).
	{Name: "msg2_ds", Route: `append_branch("sip:b1@b.example"); append_branch("sip:b2@b.example", "0.5"); ` + p("ds=$ds"),
		Want: []string{"ds=Contact: <sip:b1@b.example>, <sip:b2@b.example>;q=0.5"}},
	{Name: "msg2_ds_empty", Route: p("ds=$ds"),
		Want: []string{"ds=<null>"}},
	{Name: "msg2_lengths", Route: p("ml=$ml mt=$mt bs=$bs cl=$cl"), Msgs: []string{DefaultOptions},
		Want: []string{"ml=301 mt=1 bs=0 cl=0"}},
	// $cs is a string; comparing with an integer converts it.
	{Name: "msg2_cs_is_string", Route: `if ($cs == "314159") { xlog("L_INFO", "str\n"); } if ($cs == 314159) { xlog("L_INFO", "int\n"); }`,
		Want: []string{"str", "int"}},
	{Name: "msg2_rich_tags", Route: p("fu=$fu fn=$fn ft=$ft tu=$tu tn=$tn tt=$tt ct=$ct"), Msgs: []string{msg2Rich},
		Want: []string{"fu=sip:alice@atlanta.example.com fn=<null> ft=ftag tu=sip:bob@biloxi.example.com tn=<null> tt=totag1 ct=\"A\" <sip:alice@10.0.0.1;transport=tcp>;expires=60, <sip:alice@10.0.0.5>;expires=30"}},
	{Name: "msg2_rich_ids", Route: p("ai=$ai pu=$pu pU=$pU pd=$pd pn=$pn re=$re rt=$rt"), Msgs: []string{msg2Rich},
		Want: []string{"ai=sip:+15551234@pai.example.com pu=sip:ppi-user@ppi.example.com pU=ppi-user pd=ppi.example.com pn=\"Alice PPI\" re=sip:rpid@rpid.example.com rt=sip:carol@refer.example.com?Replaces=x"}},
	// $ai takes an index over all P-Asserted-Identity values.
	{Name: "msg2_rich_ai_index", Route: p("ai0=$(ai[0]) ai1=$(ai[1]) ai2=$(ai[2])"), Msgs: []string{msg2Rich},
		Want: []string{"ai0=sip:+15551234@pai.example.com ai1=tel:+15551234 ai2=<null>"}},
	{Name: "msg2_rich_div", Route: p("di=$di dir=$dir dip=$dip dic=$dic"), Msgs: []string{msg2Rich},
		Want: []string{"di=sip:div@div.example.com dir=unconditional dip=off dic=2"}},
	// Proxy-Authorization credentials: $au/$ad split the username at "@".
	{Name: "msg2_rich_auth", Route: p("au=$au ad=$ad ar=$ar aU=$aU adu=$adu aa=$aa"), Msgs: []string{msg2Rich},
		Want: []string{"au=alice ad=realm.example.com ar=realm.example.com aU=alice@realm.example.com adu=sip:bob@biloxi.example.com aa=MD5"}},
	{Name: "msg2_auth_missing", Route: p("au=$au ar=$ar adu=$adu"),
		Want: []string{"au=<null> ar=<null> adu=<null>"}},
	{Name: "msg2_ids_missing", Route: p("ai=$ai pu=$pu re=$re rt=$rt di=$di"),
		Want: []string{"ai=<null> pu=<null> re=<null> rt=<null> di=<null>"}},
	// $via1 is the second Via value, also when it shares a field with the third;
	// a missing port reads 5060 whatever the transport; an empty rport is null.
	{Name: "msg2_rich_via", Route: p("0=$via0(host)|$via0(port)|$via0(proto)|$via0(protoid)|$via0(branch)|$via0(rport)|$via0(received) 1=$via1(host)|$via1(port)|$via1(proto)|$via1(protoid)|$via1(received) Z=$viaZ(host)|$viaZ(port)|$viaZ(proto)|$viaZ(protoid)|$viaZ(branch)"), Msgs: []string{msg2Rich},
		Want: []string{"0=127.0.0.1|{CPORT}|UDP|1|z9hG4bKrich1|<null>|<null> 1=10.0.0.2|5070|TCP|2|192.0.2.9 Z=10.0.0.4|5060|TLS|3|z9hG4bK-r3"}},
	{Name: "msg2_via_i", Route: p("i=$via0(i)"), Msgs: []string{msg2Rich},
		Want: []string{"i=abc"}},
	// $hfl indexes Via/Route/Contact by value. Quirks of 5.6.3: a Via value
	// followed by another in its field keeps the comma, and [-1] is null.
	{Name: "msg2_rich_hfl", Route: p("v1=$(hfl(Via)[1]) v2=$(hfl(Via)[2]) vl=$(hfl(Via)[-1]) n=$hflc(Via) r=$(hfl(Route)[1]) rn=$hflc(Route) c1=$(hfl(Contact)[1]) cn=$hflc(Contact) all=$(hfl(Via)[*]) x=$hflc(X-Case) xv=$(hfl(X-Case){s.len})"), Msgs: []string{msg2Rich},
		Want: []string{"v1=SIP/2.0/TCP 10.0.0.2:5070;branch=z9hG4bK-r2;received=192.0.2.9, v2=SIP/2.0/TLS 10.0.0.4;branch=z9hG4bK-r3 vl=<null> n=3 r=<sip:p2.example.com;lr> rn=2 c1=\"A\" <sip:alice@10.0.0.1;transport=tcp>;expires=60 cn=3 all=SIP/2.0/UDP 127.0.0.1:{CPORT};branch=z9hG4bKrich1;rport;i=abc,SIP/2.0/TCP 10.0.0.2:5070;branch=z9hG4bK-r2;received=192.0.2.9, SIP/2.0/TLS 10.0.0.4;branch=z9hG4bK-r3 x=1 xv=5"}},
	// A Contact without expires counts the Expires header (120).
	{Name: "msg2_rich_expires", Route: p("min=$expires(min) max=$expires(max)"), Msgs: []string{msg2Rich},
		Want: []string{"min=30 max=120"}},
	{Name: "msg2_expires_none", Route: p("min=$expires(min) max=$expires(max)"),
		Want: []string{"min=<null> max=<null>"}},
	// $msg(hdrs) and $msg(fpart) are trimmed (no final CRLF).
	{Name: "msg2_msg_attrs", Route: p("len=$msg(len) hdrc=$msg(hdrc) body_len=$msg(body_len) hdrs_len=$msg(hdrs_len) fpart=$(msg(fpart){s.len}) hdrs=$(msg(hdrs){s.len}) first=[$(msg(hdrs){s.substr,0,7})] last=[$(msg(fpart){s.substr,-17,0})] body=[$msg(body)]"), Msgs: []string{DefaultOptions},
		Want: []string{"len=301 hdrc=8 body_len=0 hdrs_len=250 fpart=297 hdrs=250 first=[X-Case:] last=[Content-Length: 0] body=[]"}},
	{Name: "msg2_msg_buf", Route: `if ($msg(buf) == $mb) { xlog("L_INFO", "same\n"); }`,
		Want: []string{"same"}},
	{Name: "msg2_nh_ruri", Route: p("u=$nh(u) U=$nh(U) d=$nh(d) p=$nh(p) P=$nh(P)"),
		Want: []string{"u=sip:bob@biloxi.example.com;transport=udp U=bob d=biloxi.example.com p=5060 P=udp"}},
	{Name: "msg2_nh_du", Route: `$du = "sip:10.0.0.9:5080;transport=tcp"; ` + p("u=$nh(u) U=$nh(U) d=$nh(d) p=$nh(p) P=$nh(P)"),
		Want: []string{"u=sip:10.0.0.9:5080;transport=tcp U=<null> d=10.0.0.9 p=5080 P=tcp"}},
	// $nh(i) is the IP version of the next hop host: 0 for a name.
	{Name: "msg2_nh_i", Route: p("i=$nh(i)"),
		Want: []string{"i=0"}},
	// $snd & co. are only set in onsend_route: null in request_route.
	{Name: "msg2_snd", Route: p("$snd(ip)|$snd(af)|$snd(port)|$snd(proto)|$snd(buf)|$snd(len)|$snd(sproto)|$sndto(ip)|$sndfrom(port)"),
		Want: []string{"<null>|<null>|<null>|<null>|<null>|<null>|<null>|<null>|<null>"}},
	{Name: "msg2_socket_uris", Route: p("su=$su sut=$sut Ru=$Ru Rut=$Rut"),
		Want: []string{"su=sip:127.0.0.1:{CPORT} sut=sip:127.0.0.1:{CPORT};transport=udp Ru=sip:127.0.0.1:{SPORT} Rut=sip:127.0.0.1:{SPORT};transport=udp"}},
	{Name: "msg2_socket_adv", Route: p("RAi=$RAi RAp=$RAp Rn=$Rn"),
		Want: []string{"RAi=127.0.0.1 RAp={SPORT} Rn=<null>"}},
	{Name: "msg2_socket_adv_uris", Route: p("RAu=$RAu RAut=$RAut"),
		Want: []string{"RAu=sip:127.0.0.1:{SPORT} RAut=sip:127.0.0.1:{SPORT};transport=udp"}},
	// $rcv is only set in event_route[core:msg-received]: null here.
	{Name: "msg2_rcv_names", Route: p("$rcv(buf)|$rcv(len)|$rcv(proto)|$rcv(srcip)|$rcv(rcvip)|$rcv(srcport)|$rcv(rcvport)|$rcv(sproto)|$rcv(af)"),
		Want: []string{"<null>|<null>|<null>|<null>|<null>|<null>|<null>|<null>|<null>"}},
	{Name: "msg2_nh_i_values", Route: p("i=$nh(i)") + `$du = "sip:10.0.0.9:5080;transport=tcp"; ` + p("i=$nh(i)") + `$du = "sip:[2001:db8::9]:5080;transport=tls"; ` + p("i=$nh(i) d=$nh(d) p=$nh(p) P=$nh(P)"),
		Want: []string{"i=0", "i=4", "i=6 d=[2001:db8::9] p=5080 P=tls"}},
	// $hfl: [-2] is the last value; the Contacts of one field come last first.
	{Name: "msg2_hfl_first", Route: p("v0=$(hfl(Via)[1]) vm2=$(hfl(Via)[-2]) vm3=$(hfl(Via)[-3]) vm4=$(hfl(Via)[-4]) r0=$(hfl(Route)[0]) rm1=$(hfl(Route)[-1]) rm2=$(hfl(Route)[-2]) c0=$(hfl(Contact)[0]) cm1=$(hfl(Contact)[-1]) c2=$(hfl(Contact)[2]) c3=$(hfl(Contact)[3]) rr=$hfl(Record-Route) h=$hfl(CSeq) hm=$(hfl(Via)[9])"), Msgs: []string{msg2Rich},
		Want: []string{"v0=SIP/2.0/TCP 10.0.0.2:5070;branch=z9hG4bK-r2;received=192.0.2.9, vm2=SIP/2.0/TLS 10.0.0.4;branch=z9hG4bK-r3 vm3=SIP/2.0/TCP 10.0.0.2:5070;branch=z9hG4bK-r2;received=192.0.2.9, vm4=SIP/2.0/UDP 127.0.0.1:{CPORT};branch=z9hG4bKrich1;rport;i=abc r0=<sip:p1.example.com;lr> rm1=<null> rm2=<sip:p2.example.com;lr> c0=<sip:alice@10.0.0.5>;expires=30 cm1=<null> c2=<sip:alice@10.0.0.6> c3=<null> rr=<sip:rr1.example.com;lr> h=7 INVITE hm=<null>"}},
	// The comma kept after a Via value comes with the blank before it.
	{Name: "msg2_hfl_multi_first", Route: p("v0=$(hfl(Via)[0]) v1=$(hfl(Via)[1]) n=$hflc(Via)"), Msgs: []string{msg2Multi},
		Want: []string{"v0=SIP/2.0/UDP 127.0.0.1:{CPORT};branch=z9hG4bKm1 , v1=SIP/2.0/TCP 10.0.0.2;branch=z9hG4bKm2 n=3"}},
	{Name: "msg2_ds_ruri", Route: `$ru = "sip:n@n.example"; append_branch("sip:b1@b.example", "0.25"); ` + p("ds=$ds"),
		Want: []string{"ds=Contact: <sip:n@n.example>, <sip:b1@b.example>;q=0.25"}},
	{Name: "msg2_msg_attrs_invite", Route: p("hdrs_len=$msg(hdrs_len) body_len=$msg(body_len)") + `xlog("L_INFO", "[$msg(body)]\n"); xlog("L_INFO", "[$msg(fline)]\n");`,
		Want: []string{"hdrs_len=513 body_len=149", "[v=0\no=alice 2890844526 2890844526 IN IP4 pc33.atlanta.example.com\ns=-\nc=IN IP4 192.0.2.101\nt=0 0\nm=audio 49172 RTP/AVP 0\na=rtpmap:0 PCMU/8000\n]", "[INVITE sip:bob@biloxi.example.com;transport=udp SIP/2.0]"}},
	{Name: "msg2_mbu_unchanged", Route: `if ($mbu == $mb) { xlog("L_INFO", "same\n"); }`,
		Want: []string{"same"}},
	{Name: "msg2_missing_hdrs", Route: p("cl=$cl cT=$cT ct=$ct ua=$ua bs=$bs rb=[$rb] tn=$tn fn=$fn"), Msgs: []string{msg2Bare},
		Want: []string{"cl=<null> cT=<null> ct=<null> ua=<null> bs=0 rb=[] tn=<null> fn=<null>"}},
	{Name: "msg2_uri_shapes", Route: `$ru = "sip:a%20b@[2001:db8::1]:5080;lr"; ` + p("rU=$rU rd=$rd rp=$rp rP=$rP") + `$ru = "sip:host.example"; ` + p("rU=$rU rd=$rd") + `$ru = "SIP:u@h.example"; ` + p("rz=$rz") + `$ru = "sips:u@h.example;transport=TLS"; ` + p("rp=$rp rP=$rP"),
		Want: []string{"rU=a%20b rd=[2001:db8::1] rp=5080 rP=UDP", "rU=<null> rd=host.example", "rz=sip", "rp=5061 rP=TLS"}},
	// $dp follows $rp (5061 for transport=tls), $nh(p) does not; $du takes any text.
	{Name: "msg2_du_tls_ports", Route: `$du = "sips:p.example"; ` + p("dp=$dp dP=$dP") + `$du = "sip:p.example;transport=tls"; ` + p("dp=$dp dP=$dP") + `$du = "sip:p.example;transport=tls"; ` + p("np=$nh(p)") + `$du = "garbage"; ` + p("du=$du dd=$dd"),
		Want: []string{"dp=5060 dP=UDP", "dp=5061 dP=tls", "np=5060", "du=garbage dd=<null>"}},
	{Name: "msg2_from_no_user", Route: p("fU=$fU fd=$fd tU=$tU"), Msgs: []string{msg2Bare},
		Want: []string{"fU=<null> fd=atlanta.example.com tU=bob"}},
	{Name: "msg2_expires_only_header", Route: p("min=$expires(min) max=$expires(max)"), Msgs: []string{msg2Bare},
		Want: []string{"min=300 max=300"}},
	// Edits of From/To parts only show in the message sent ($mbu).
	{Name: "msg2_to_edits", Route: `$tu = "sip:t@t.example"; $tn = $null; $fn = "\"New Name\""; xlog("L_INFO", "$(mbu{line.sw,To})|$(mbu{line.sw,From})\n");`, Msgs: []string{msg2Bare},
		Want: []string{"To: sip:t@t.example|From: \"New Name\" <sip:atlanta.example.com>;tag=b1"}},
	{Name: "msg2_fU_insert", Route: `$fU = "joe"; $tU = "ann"; xlog("L_INFO", "$(mbu{line.sw,To})|$(mbu{line.sw,From})\n");`, Msgs: []string{msg2Bare},
		Want: []string{"To: sip:ann@biloxi.example.com|From: <sip:joe@atlanta.example.com>;tag=b1"}},
	// $rmid: method bits, any case; 2^19 for unknown methods.
	{Name: "msg2_rmid_odd_methods", Route: p("rm=$rm rmid=$rmid"), Msgs: []string{withMethod("FOO"), withMethod("invite"), withMethod("KDMQ"), withMethod("PUBLISH")},
		Want: []string{"rm=FOO rmid=524288", "---", "rm=invite rmid=1", "---", "rm=KDMQ rmid=16384", "---", "rm=PUBLISH rmid=8192"}},
	{Name: "msg2_ai_tel_only", Route: p("ai=$ai pn=$pn pU=$pU"), Msgs: []string{msg2Bare},
		Want: []string{"ai=tel:+15550000 pn=<null> pU=ppi"}},
	{Name: "msg2_sid", Route: p("sid=$sid"),
		Want: []string{"sid=0"}},
	{Name: "msg2_fs_unset", Route: p("fs=$fs fsn=$fsn"),
		Want: []string{"fs=<null> fsn=<null>"}},
	// $fs names a listening socket as proto:ip:port; $fsn its name (none here).
	{Name: "msg2_fs_set", Route: `$fs = "udp:127.0.0.1:" + $Rp; ` + p("fs=$fs fsn=$fsn"),
		Want: []string{"fs=udp:127.0.0.1:{SPORT} fsn=<null>"}},
	// $hdr(*) is the first header (X-Case); $hdrc(*) counts nothing (with errors).
	{Name: "msg2_hdr_star", Route: p("h=$(hdr(*){s.len}) n=$hdrc(*)"),
		Want: []string{"h=5 n=0"}},
	{Name: "msg2_hdr_dynamic_name", Route: `$var(@@h) = "call-id"; ` + p("h=$hdr($var(@@h)) n=$hdrc($var(@@h))"),
		Want: []string{"h=a84b4c76e66710@pc33.atlanta.example.com n=1"}},
	{Name: "msg2_hdr_index_negative_out_of_range", Route: p("h=$(hdr(Via)[-4]) h3=$(hdr(Via)[-3])"),
		Want: []string{"h=<null> h3=SIP/2.0/UDP 127.0.0.1:{CPORT};branch=z9hG4bK776asdhds;rport"}},
	{Name: "msg2_mbu_after_edits", Route: `append_hf("X-Added: 1\r\n"); $fU = "mallory"; $tn = "Robert"; $ru = "sip:carol@c.example"; if ($mbu =~ "X-Added: 1") { xlog("L_INFO", "hf\n"); } if ($mbu =~ "From: \"Alice A\" <sip:mallory@atlanta") { xlog("L_INFO", "fU\n"); } if ($mbu =~ "To: Robert <sip:bob@") { xlog("L_INFO", "tn\n"); } if ($mbu =~ "^INVITE sip:carol@c.example SIP/2.0") { xlog("L_INFO", "ru\n"); }`,
		Want: []string{"hf", "fU", "tn", "ru"}},
	{Name: "msg2_from_edits", Route: `$fu = "sip:eve@e.example"; $fn = "Eve"; if ($mbu =~ "From: Eve <sip:eve@e.example>;tag=1928301774") { xlog("L_INFO", "ok\n"); } else { xlog("L_INFO", "$(mbu{line.sw,From})\n"); }`,
		Want: []string{"ok"}},
	// $fn = $null removes the display name and its blank; $tU = $null the user
	// and its "@".
	{Name: "msg2_fn_null", Route: `$fn = $null; $td = "t.example"; $tU = $null; if ($mbu =~ "From: <sip:alice@atlanta.example.com>;tag") { xlog("L_INFO", "fn\n"); } xlog("L_INFO", "$(mbu{line.sw,To})\n");`,
		Want: []string{"fn", "To: Bob <sip:t.example>"}},
	{Name: "msg2_rU_null_and_rp", Route: `$rU = $null; $rp = 5080; ` + p("ru=$ru") + `$rp = $null; ` + p("ru=$ru") + `$rU = ""; $rp = "5090"; ` + p("ru=$ru"),
		Want: []string{"ru=sip:biloxi.example.com:5080;transport=udp", "ru=sip:biloxi.example.com;transport=udp", "ru=sip:biloxi.example.com:5090;transport=udp"}},
	// $ru and $rd refuse $null and integers ($rp takes an integer).
	{Name: "msg2_ru_null", Route: `$ru = $null; ` + p("ru=$ru"),
		Want: []string{"ru=sip:bob@biloxi.example.com;transport=udp"}},
	{Name: "msg2_rd_null", Route: `$rd = $null; ` + p("ru=$ru"),
		Want: []string{"ru=sip:bob@biloxi.example.com;transport=udp"}},
	{Name: "msg2_ru_int", Route: `$ru = 5; ` + p("ru=$ru"),
		Want: []string{"ru=sip:bob@biloxi.example.com;transport=udp"}},
	{Name: "msg2_rU_int", Route: `$rU = 5; ` + p("ru=$ru"),
		Want: []string{"ru=sip:bob@biloxi.example.com;transport=udp"}},
	// $rm and $rp are strings: + concatenates.
	{Name: "msg2_rm_type", Route: `if ($rm == "INVITE") { xlog("L_INFO", "str\n"); } $var(@@x) = $rm + 1; ` + p("x=$var(@@x)"),
		Want: []string{"str", "x=INVITE1"}},
	{Name: "msg2_rp_type", Route: `$var(@@x) = $rp + 1; ` + p("x=$var(@@x)"),
		Want: []string{"x=50601"}},
}

// withMethod is DefaultOptions with another method, in the request line
// and in CSeq (a mismatch is a 400: RFC 4475 mismatch01).
func withMethod(m string) string {
	s := strings.Replace(DefaultOptions, "OPTIONS sip:", m+" sip:", 1)
	return strings.Replace(s, "CSeq: 63104 OPTIONS", "CSeq: 63104 "+m, 1)
}
