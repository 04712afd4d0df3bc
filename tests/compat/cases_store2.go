package compat

// store2Cases: $var/$vz/$vn, $avp, $xavp/$xavu/$xavi, $shv, flags,
// $branch, time and misc classes (reference §2.6, §5.1).
var store2Cases = []Case{
	// $vz shares $var's storage; $vn has its own.
	{Name: "store2_var_vz_share", Route: `$var(@@x) = 5; xlog("L_INFO", "vz=$vz(@@x) vn=$vn(@@x)\n"); $vz(@@y) = "s"; xlog("L_INFO", "var=$var(@@y)\n");`,
		Want: []string{"vz=5 vn=<null>", "var=s"}},
	{Name: "store2_vn_set_null", Route: `$vn(@@x) = 3; $vn(@@x) = $null; xlog("L_INFO", "vn=$vn(@@x)\n"); $vz(@@z) = "a"; $vz(@@z) = $null; xlog("L_INFO", "vz=$vz(@@z)\n");`,
		Want: []string{"vn=<null>", "vz=0"}},
	{Name: "store2_vn_persists", Route: `xlog("L_INFO", "vn=$vn(@@p)\n"); $vn(@@p) = "kept";`, Msgs: []string{DefaultInvite, DefaultInvite},
		Want: []string{"vn=<null>", "---", "vn=kept"}},
	{Name: "store2_var_int_then_str", Route: `$var(@@x) = 7; $var(@@x) = "seven"; $var(@@r) = $var(@@x) + 1; xlog("L_INFO", "x=$var(@@x) r=$var(@@r)\n");`,
		Want: []string{"x=seven r=seven1"}},
	// Surprise: a negative AVP index finds a value only when it reaches back
	// exactly to the newest one ([-n] of n values).
	{Name: "store2_avp_negative_indexes", Route: `$avp(@@a) = 1; $avp(@@a) = 2; $avp(@@a) = 3; xlog("L_INFO", "m1=$(avp(@@a)[-1]) m2=$(avp(@@a)[-2]) m3=$(avp(@@a)[-3]) m4=$(avp(@@a)[-4])\n");`,
		Want: []string{"m1=<null> m2=<null> m3=3 m4=<null>"}},
	// An index does not pick what $null deletes: it is always the newest.
	{Name: "store2_avp_index_null_deletes", Route: `$avp(@@a) = 1; $avp(@@a) = 2; $avp(@@a) = 3; $(avp(@@a)[2]) = $null; xlog("L_INFO", "all=$(avp(@@a)[*])\n");`,
		Want: []string{"all=2, 1"}},
	// i:743 and 743 are different AVPs.
	{Name: "store2_avp_int_name_vs_str", Route: `$avp(i:743) = "num"; xlog("L_INFO", "a=$avp(743) b=$avp(s:743)\n"); $avp(744) = "str"; xlog("L_INFO", "c=$avp(i:744)\n");`,
		Want: []string{"a=<null> b=<null>", "c=<null>"}},
	{Name: "store2_avp_name_case", Route: `$avp(@@Abc) = 1; xlog("L_INFO", "low=$avp(@@abc) same=$avp(@@Abc)\n");`,
		Want: []string{"low=<null> same=1"}},
	{Name: "store2_avp_dynamic_name", Route: `$var(@@n) = "@@dyn"; $avp($var(@@n)) = "v1"; xlog("L_INFO", "a=$avp(@@dyn) b=$avp($var(@@n))\n");`,
		Want: []string{"a=v1 b=v1"}},
	// [*] reads a string, even of integers.
	{Name: "store2_avp_star_ints", Route: `$avp(@@a) = 1; $avp(@@a) = 2; $var(@@r) = $(avp(@@a)[*]) + 1; xlog("L_INFO", "r=$var(@@r)\n");`,
		Want: []string{"r=2, 11"}},
	{Name: "store2_avp_star_of_unset", Route: `xlog("L_INFO", "all=$(avp(@@nope)[*])\n");`,
		Want: []string{"all=<null>"}},
	{Name: "store2_avp_star_assign_empty", Route: `$(avp(@@a)[*]) = "x"; xlog("L_INFO", "all=$(avp(@@a)[*]) cnt=$cnt($avp(@@a))\n");`,
		Want: []string{"all=x cnt=1"}},
	{Name: "store2_avp_index_var", Route: `$avp(@@a) = "p"; $avp(@@a) = "q"; $var(@@i) = 1; xlog("L_INFO", "v=$(avp(@@a)[$var(@@i)])\n");`,
		Want: []string{"v=p"}},
	{Name: "store2_avp_string_persistence", Route: `$var(@@s) = "abc"; $avp(@@a) = $var(@@s); $var(@@s) = "zzz"; xlog("L_INFO", "a=$avp(@@a)\n");`,
		Want: []string{"a=abc"}},
	{Name: "store2_xavp_sub_add", Route: `$xavp(@@r=>a) = 1; $xavp(@@r[0]=>a) = 5; xlog("L_INFO", "a=$xavp(@@r=>a) all=$xavp(@@r=>a[*]) c=$cnt($xavp(@@r=>a)) cr=$cnt($xavp(@@r))\n");`,
		Want: []string{"a=5 all=5, 1 c=2 cr=1"}},
	{Name: "store2_xavp_sub_set_index", Route: `$xavp(@@r=>a) = 1; $xavp(@@r[0]=>a) = 5; $xavp(@@r[0]=>a[1]) = 9; xlog("L_INFO", "all=$xavp(@@r=>a[*])\n");`,
		Want: []string{"all=5, 9"}},
	{Name: "store2_xavp_root_value", Route: `$xavp(@@r) = "root"; $xavp(@@r) = 2; xlog("L_INFO", "r=$xavp(@@r) r1=$xavp(@@r[1]) c=$cnt($xavp(@@r)) sub=$xavp(@@r=>a)\n");`,
		Want: []string{"r=2 r1=root c=2 sub=<null>"}},
	{Name: "store2_xavp_negative", Route: `$xavp(@@r=>a) = 1; $xavp(@@r=>a) = 2; $xavp(@@r=>a) = 3; $xavp(@@r[0]=>b) = "x"; $xavp(@@r[0]=>b) = "y";
xlog("L_INFO", "last=$xavp(@@r[-1]=>a) m2=$xavp(@@r[-2]=>a) bl=$xavp(@@r=>b[-1]) b0=$xavp(@@r=>b[0])\n");`,
		Want: []string{"last=1 m2=2 bl=x b0=y"}},
	{Name: "store2_xavp_del_index", Route: `$xavp(@@r=>a) = 1; $xavp(@@r=>a) = 2; $xavp(@@r=>a) = 3; $xavp(@@r[1]) = $null; xlog("L_INFO", "r0=$xavp(@@r[0]=>a) r1=$xavp(@@r[1]=>a) c=$cnt($xavp(@@r))\n");`,
		Want: []string{"r0=3 r1=1 c=2"}},
	{Name: "store2_xavp_del_top", Route: `$xavp(@@r=>a) = 1; $xavp(@@r=>a) = 2; $xavp(@@r) = $null; xlog("L_INFO", "r0=$xavp(@@r[0]=>a) c=$cnt($xavp(@@r))\n");`,
		Want: []string{"r0=1 c=1"}},
	{Name: "store2_xavp_del_all", Route: `$xavp(@@r=>a) = 1; $xavp(@@r=>a) = 2; $xavp(@@r[*]) = $null; xlog("L_INFO", "c=$cnt($xavp(@@r))\n");`,
		Want: []string{"c=0"}},
	{Name: "store2_xavp_del_sub", Route: `$xavp(@@r=>a) = 1; $xavp(@@r[0]=>a) = 2; $xavp(@@r[0]=>b) = 3; $xavp(@@r=>a) = $null; xlog("L_INFO", "a=$xavp(@@r=>a) b=$xavp(@@r=>b) ca=$cnt($xavp(@@r=>a))\n");`,
		Want: []string{"a=1 b=3 ca=1"}},
	// Surprise: writes and deletes fix a negative index one too high, so
	// [-1] names no item and nothing happens.
	{Name: "store2_xavp_neg_del", Route: `$xavp(@@r=>a) = 1; $xavp(@@r=>a) = 2; $xavp(@@r=>a) = 3; $xavp(@@r[-1]) = $null; xlog("L_INFO", "c=$cnt($xavp(@@r)) last=$xavp(@@r[-1]=>a)\n");`,
		Want: []string{"c=3 last=1"}},
	{Name: "store2_xavp_neg_set", Route: `$xavp(@@r=>a) = 1; $xavp(@@r=>a) = 2; $xavp(@@r[-1]=>b) = "nb"; xlog("L_INFO", "b0=$xavp(@@r[0]=>b) b1=$xavp(@@r[1]=>b)\n");`,
		Want: []string{"b0=<null> b1=<null>"}},
	{Name: "store2_xavp_index_no_root", Route: `$xavp(@@r[0]=>a) = 1; xlog("L_INFO", "a=$xavp(@@r=>a) c=$cnt($xavp(@@r))\n");`,
		Want: []string{"a=<null> c=0"}},
	{Name: "store2_xavp_root_index_set", Route: `$xavp(@@r) = 1; $xavp(@@r) = 2; $xavp(@@r[1]) = 7; xlog("L_INFO", "r0=$xavp(@@r[0]) r1=$xavp(@@r[1]) c=$cnt($xavp(@@r))\n");`,
		Want: []string{"r0=2 r1=7 c=2"}},
	{Name: "store2_xavp_cnt_forms", Route: `$xavp(@@r=>a) = 1; $xavp(@@r[0]=>a) = 2; $xavp(@@r=>a) = 3;
xlog("L_INFO", "all=$cnt($xavp(@@r=>a)) r0=$cnt($xavp(@@r[0]=>a)) r1=$cnt($xavp(@@r[1]=>a)) r5=$cnt($xavp(@@r[5])) r1x=$cnt($xavp(@@r[1])) sub1=$cnt($xavp(@@r[*]=>a[1]))\n");`,
		Want: []string{"all=3 r0=1 r1=2 r5=0 r1x=1 sub1=1"}},
	{Name: "store2_xavp_sub_star_index_var", Route: `$xavp(@@r=>a) = "x"; $xavp(@@r=>a) = "y"; $var(@@i) = 1; xlog("L_INFO", "v=$xavp(@@r[$var(@@i)]=>a)\n");`,
		Want: []string{"v=x"}},
	{Name: "store2_xavp_key_case", Route: `$xavp(@@r=>Key) = 1; xlog("L_INFO", "k=$xavp(@@r=>key) K=$xavp(@@r=>Key)\n");`,
		Want: []string{"k=<null> K=1"}},
	{Name: "store2_xavu_single", Route: `$xavu(@@u=>a) = 1; $xavu(@@u=>a) = 2; $xavu(@@u=>b) = 3; xlog("L_INFO", "a=$xavu(@@u=>a) b=$xavu(@@u=>b) xavp=$xavp(@@u=>a)\n");`,
		Want: []string{"a=2 b=3 xavp=<null>"}},
	{Name: "store2_xavu_root", Route: `$xavu(@@u) = "one"; $xavu(@@u) = "two"; xlog("L_INFO", "u=$xavu(@@u)\n"); $xavu(@@u) = $null; xlog("L_INFO", "u=$xavu(@@u)\n");`,
		Want: []string{"u=two", "u=<null>"}},
	{Name: "store2_xavu_sub_null", Route: `$xavu(@@u=>a) = 1; $xavu(@@u=>b) = 2; $xavu(@@u=>a) = $null; xlog("L_INFO", "a=$xavu(@@u=>a) b=$xavu(@@u=>b)\n");`,
		Want: []string{"a=<null> b=2"}},
	{Name: "store2_xavi_case", Route: `$xavi(@@I=>Key) = 1; $xavi(@@i=>KEY) = 2; xlog("L_INFO", "k=$xavi(@@i=>key) k1=$xavi(@@I[1]=>kEy) xavp=$xavp(@@I=>Key)\n");`,
		Want: []string{"k=2 k1=1 xavp=<null>"}},
	// $shv(x) = $null stores the empty string.
	{Name: "store2_shv_set_null", Route: `$shv(@@s) = "abc"; $shv(@@s) = $null; xlog("L_INFO", "s=$shv(@@s)\n");`,
		Want: []string{"s="}},
	{Name: "store2_shv_string", Route: `$shv(@@s) = "abc"; xlog("L_INFO", "s=$shv(@@s)\n");`,
		Want: []string{"s=abc"}},
	{Name: "store2_shv_init_neg", Route: `xlog("L_INFO", "s=$shv(@@s)\n");`, Extra: `modparam("pv", "shvset", "@@s=I:-7")`,
		Want: []string{"s=-7"}},
	{Name: "store2_varset_init", Route: `xlog("L_INFO", "v=$var(@@v) w=$var(@@w)\n");`, Extra: `modparam("pv", "varset", "@@v=s:abc")
modparam("pv", "varset", "@@w=i:12")`,
		Want: []string{"v=abc w=12"}},
	{Name: "store2_mF_hex_letters", Route: `setflag(0); setflag(1); setflag(2); setflag(3); setflag(5); xlog("L_INFO", "mF=$mF mf=$mf\n");`,
		Want: []string{"mF=0000002f mf=47"}},
	{Name: "store2_Mf_read_write", Route: `setflag(3); xlog("L_INFO", "m3=$Mf(3) m4=$Mf(4)\n"); $Mf(4) = 1; $Mf(3) = 0; xlog("L_INFO", "mf=$mf\n");`,
		Want: []string{"m3=1 m4=0", "mf=16"}},
	// Surprise: $Mf(i) = $null clears every message flag.
	{Name: "store2_Mf_null_clears_all", Route: `setflag(3); setflag(4); $Mf(4) = $null; xlog("L_INFO", "mf=$mf\n");`,
		Want: []string{"mf=0"}},
	{Name: "store2_mf_null", Route: `setflag(3); $mf = $null; xlog("L_INFO", "mf=$mf\n");`,
		Want: []string{"mf=0"}},
	// Flags take integers only: a string is an error and changes nothing.
	{Name: "store2_mf_string", Route: `setflag(3); $mf = "12"; xlog("L_INFO", "mf=$mf\n");`,
		Want: []string{"mf=8"}},
	// $mF is a string: + concatenates.
	{Name: "store2_mF_arith", Route: `setflag(4); $var(@@r) = $mF + 1; xlog("L_INFO", "r=$var(@@r)\n");`,
		Want: []string{"r=000000101"}},
	{Name: "store2_bf_sf", Route: `$bf = 5; $sf = 6; xlog("L_INFO", "bf=$bf bF=$bF sf=$sf sF=$sF B0=$Bf(0) B1=$Bf(1) S1=$Sf(1) S0=$Sf(0)\n"); $Bf(1) = 1; $Sf(0) = 1; xlog("L_INFO", "bf=$bf sf=$sf\n");`,
		Want: []string{"bf=5 bF=00000005 sf=6 sF=00000006 B0=1 B1=0 S1=1 S0=0", "bf=7 sf=7"}},
	{Name: "store2_sf_persist", Route: `xlog("L_INFO", "sf=$sf bf=$bf\n"); $sf = 3; $bf = 3;`, Msgs: []string{DefaultInvite, DefaultInvite},
		Want: []string{"sf=0 bf=0", "---", "sf=0 bf=0"}},
	// $branch(count) is null, not 0, without branches.
	{Name: "store2_branch_none", Route: `xlog("L_INFO", "count=$branch(count) uri=$branch(uri)\n");`,
		Want: []string{"count=<null> uri=<null>"}},
	{Name: "store2_branch_append", Route: `append_branch("sip:b1@example.com"); append_branch("sip:b2@example.com", "0.5");
xlog("L_INFO", "count=$branch(count) uri=$branch(uri) u1=$(branch(uri)[1]) q=$branch(q) q1=$(branch(q)[1]) um1=$(branch(uri)[-1]) flags=$branch(flags) du=$branch(dst_uri) ss=$branch(send_socket) ruid=$branch(ruid) otcpid=$branch(otcpid) path=$branch(path)\n");`,
		Want: []string{"count=2 uri=sip:b1@example.com u1=sip:b2@example.com q=<null> q1=500 um1=sip:b2@example.com flags=0 du=<null> ss=<null> ruid=<null> otcpid=0 path=<null>"}},
	{Name: "store2_branch_set", Route: `append_branch("sip:b1@example.com"); $branch(dst_uri) = "sip:10.0.0.1"; $branch(q) = 300; $branch(flags) = 4; $branch(path) = "<sip:p@x>";
xlog("L_INFO", "du=$branch(dst_uri) q=$branch(q) flags=$branch(flags) path=$branch(path)\n"); $branch(uri) = "sip:new@example.com"; xlog("L_INFO", "uri=$branch(uri)\n"); $branch(uri) = $null; xlog("L_INFO", "count=$branch(count)\n");`,
		Want: []string{"du=sip:10.0.0.1 q=300 flags=4 path=<sip:p@x>", "uri=sip:new@example.com", "count=<null>"}},
	{Name: "store2_branch_q_str", Route: `append_branch("sip:b1@example.com"); $branch(q) = "500"; xlog("L_INFO", "q=$branch(q)\n");`,
		Want: []string{"q=<null>"}},
	{Name: "store2_K", Route: `xlog("L_INFO", "$K(UDP) $K(TCP) $K(TLS) $K(SCTP) $K(WS) $K(WSS) $K(IPv4) $K(IPv6) $K(INET) $K(INET6)\n");`,
		Want: []string{"1 2 3 4 5 6 2 10 2 10"}},
	{Name: "store2_version", Route: `xlog("L_INFO", "num=$version(num)\n");`,
		Want: []string{"num=5.6.3"}},
	{Name: "store2_true_false", Route: `$var(@@r) = $true + 1; xlog("L_INFO", "t=$true r=$var(@@r)\n");`,
		Want: []string{"t=1 r=2"}},
	{Name: "store2__s", Route: `$var(@@x) = "a"; $var(@@r) = $_s(v=$var(@@x)); xlog("L_INFO", "r=$var(@@r) $_s($var(@@x)-$var(@@x))\n");`,
		Want: []string{"r=v=a a-a"}},
	// $Ts is when the message arrived, $TV(s) now: a second boundary may
	// pass between the two. Kamailio's $TS is time(), the coarse clock,
	// which can lag $Ts (gettimeofday) by a few milliseconds, so across
	// a second boundary $TS may be one less than $Ts (seen in CI).
	{Name: "store2_time_consistency", Route: `if ($time(year) > 2020 && $utime(year) > 2020 && $time(mon) >= 1 && $time(mon) <= 12 && $time(wday) >= 1 && $time(wday) <= 7 && $time(yday) >= 1) { xlog("L_INFO", "ok\n"); }
if ($TV(s) >= $Ts && $TV(s) - $Ts <= 1 && $TS + 1 >= $Ts && $Tb <= $Ts) { xlog("L_INFO", "ts ok\n"); } else { xlog("L_INFO", "ts bad: Ts=$Ts TV(s)=$TV(s) TS=$TS Tb=$Tb\n"); }
if ($timef(%Y) == $time(year)) { xlog("L_INFO", "timef eq\n"); }
xlog("L_INFO", "types: $(time(year){s.len}) $(Ts{s.len}) $(Tf{s.len}) $(TF{s.len}) $(TV(Sn){s.len}) $(TV(Fn){s.len}) $(timef(%Y-%m-%d){s.len}) isdst=$utime(isdst)\n");`,
		Want: []string{"ok", "ts ok", "timef eq", "types: 4 10 24 24 17 26 10 isdst=0"}},
	// $timef output of 64 bytes or more is null.
	{Name: "store2_timef_long", Route: `xlog("L_INFO", "x=$timef(%Y%Y%Y%Y%Y%Y%Y%Y%Y%Y%Y%Y%Y%Y%Y%Y) y=$timef(abc) z=$timef(%%)\n");`,
		Want: []string{"x=<null> y=abc z=%"}},
	{Name: "store2_pp", Route: `if ($pp > 1) { xlog("L_INFO", "pp ok\n"); }`,
		Want: []string{"pp ok"}},
	{Name: "store2_Tf_arith", Route: `$var(@@r) = $Tf + 1; $var(@@q) = $Ts + 0; if ($var(@@q) > 1000) { xlog("L_INFO", "ok r=$(var(@@r){s.len})\n"); }`,
		Want: []string{"ok r=25"}},
	{Name: "store2_avp_star_single_is_string", Route: `$avp(@@a) = 1; $var(@@r) = $(avp(@@a)[*]) + 1; xlog("L_INFO", "r=$var(@@r)\n");`,
		Want: []string{"r=11"}},
	{Name: "store2_avp_dynamic_int_name", Route: `$var(@@n) = 745; $avp($var(@@n)) = "x"; xlog("L_INFO", "i=$avp(i:745) s=$avp(745)\n");`,
		Want: []string{"i=x s=<null>"}},
	{Name: "store2_shv_dynamic_name", Route: `$shv(@@d) = "dv"; $var(@@n) = "@@d"; xlog("L_INFO", "d=$shv($var(@@n))\n");`,
		Want: []string{"d=0"}},
	// A root holding fields reads as <<xavp:ADDRESS>>.
	{Name: "store2_xavp_root_star_read", Route: `$xavp(@@r=>a) = 1; $xavp(@@r=>a) = 2; xlog("L_INFO", "s=$xavp(@@r[*]=>a) l=$(xavp(@@r){s.substr,0,7})\n");`,
		Want: []string{"s=2 l=<<xavp:"}},
	// r[*]=>a = v is ignored; r=>a[*] = v adds a new root like r=>a = v.
	{Name: "store2_xavp_star_assign_ignored", Route: `$xavp(@@r=>a) = 1; $xavp(@@r[*]=>a) = 5; $xavp(@@r=>a[*]) = 6; xlog("L_INFO", "all=$xavp(@@r=>a[*]) c=$cnt($xavp(@@r))\n");`,
		Want: []string{"all=6 c=2"}},
	{Name: "store2_bf_string", Route: `$bf = 2; $bf = "5"; $sf = "3"; xlog("L_INFO", "bf=$bf sf=$sf\n");`,
		Want: []string{"bf=2 sf=0"}},
	{Name: "store2_branch_index_set", Route: `append_branch("sip:b1@example.com"); append_branch("sip:b2@example.com"); $(branch(uri)[1]) = "sip:x@example.com"; $(branch(uri)[5]) = "sip:y@example.com"; $branch(count) = 9;
xlog("L_INFO", "u0=$(branch(uri)[0]) u1=$(branch(uri)[1]) count=$branch(count) all=$(branch(uri)[*])\n"); $(branch(uri)[0]) = $null; xlog("L_INFO", "u0=$branch(uri) count=$branch(count)\n");`,
		Want: []string{"u0=sip:b1@example.com u1=sip:x@example.com count=2 all=sip:b1@example.com", "u0=sip:x@example.com count=1"}},
	{Name: "store2_utimef", Route: `if ($utimef(%Y) == $utime(year) && $(utimef(%H:%M){s.len}) == 5) { xlog("L_INFO", "ok\n"); }`,
		Want: []string{"ok"}},
	// $var and $shv names are literal: no dynamic names.
	{Name: "store2_var_dollar_name", Route: `$var(@@n) = "z"; $var($var(@@n)) = 4; xlog("L_INFO", "a=$var($var(@@n)) z=$var(z)\n");`,
		Want: []string{"a=4 z=0"}},
	// $xavu(u=>a) replaces a root u that held a value.
	{Name: "store2_xavu_child_of_scalar", Route: `$xavu(@@u) = "s"; $xavu(@@u=>a) = 1; xlog("L_INFO", "u=$(xavu(@@u){s.substr,0,7}) a=$xavu(@@u=>a)\n"); $xavu(@@v=>a) = 1; $xavu(@@v) = 2; xlog("L_INFO", "v=$xavu(@@v) a=$xavu(@@v=>a)\n");`,
		Want: []string{"u=<<xavp: a=1", "v=2 a=<null>"}},
	{Name: "store2_xavp_cnt_negative", Route: `$xavp(@@r=>a) = 1; $xavp(@@r[0]=>a) = 2; $xavp(@@r=>a) = 3; xlog("L_INFO", "c=$cnt($xavp(@@r[-1]=>a)) d=$cnt($xavp(@@r[-1]=>a[-2])) e=$cnt($xavp(@@r[0]=>a[-2]))\n");`,
		Want: []string{"c=2 d=1 e=0"}},
	{Name: "store2_Mf_nonzero_sets", Route: `$Mf(3) = 5; $Sf(2) = -1; xlog("L_INFO", "mf=$mf sf=$sf\n");`,
		Want: []string{"mf=8 sf=4"}},
	{Name: "store2_xavp_scalar_root_sub", Route: `$xavp(@@r) = "s"; $xavp(@@r[0]=>a) = 1; xlog("L_INFO", "r=$xavp(@@r) a=$xavp(@@r=>a) c=$cnt($xavp(@@r=>a))\n");`,
		Want: []string{"r=s a=<null> c=0"}},
}
