package compat

// pvfuncsCases pin down the pv module's functions: pv_isset, pv_unset,
// is_int, typeof, not_empty, the XAVP helpers and the static branch.
var pvfuncsCases = []Case{
	{Name: "pvfuncs_isset_unset", Route: `pv_isset("$avp(@@a)"); xlog("L_INFO", "unset rc=$rc\n");
	$avp(@@a) = 1; $avp(@@a) = "two"; pv_isset("$avp(@@a)"); xlog("L_INFO", "set rc=$rc\n");
	pv_unset("$avp(@@a)"); xlog("L_INFO", "unset rc=$rc a=$avp(@@a)\n");
	pv_isset("$ru"); xlog("L_INFO", "ru rc=$rc\n");
	pv_isset("$hdr(X-None)"); xlog("L_INFO", "hdr rc=$rc\n");
	$du = "sip:1.2.3.4"; pv_unset("$du"); xlog("L_INFO", "du=$du\n");`,
		Want: []string{"unset rc=-1", "set rc=1", "unset rc=1 a=1", "ru rc=1", "hdr rc=-1", "du=<null>"}},
	{Name: "pvfuncs_types", Route: `$var(@@i) = 5; $var(@@s) = "5"; $var(@@e) = "";
	is_int("$var(@@i)"); xlog("L_INFO", "is_int i rc=$rc\n");
	is_int("$var(@@s)"); xlog("L_INFO", "is_int s rc=$rc\n");
	is_int("$avp(@@none)"); xlog("L_INFO", "is_int null rc=$rc\n");
	typeof("$var(@@i)", "int"); xlog("L_INFO", "i int rc=$rc\n");
	typeof("$var(@@i)", "str"); xlog("L_INFO", "i str rc=$rc\n");
	typeof("$var(@@s)", "str"); xlog("L_INFO", "s str rc=$rc\n");
	typeof("$var(@@s)", "int"); xlog("L_INFO", "s int rc=$rc\n");
	typeof("$avp(@@none)", "null"); xlog("L_INFO", "null null rc=$rc\n");
	typeof("$avp(@@none)", "str"); xlog("L_INFO", "null str rc=$rc\n");
	typeof("$var(@@s)", "string"); xlog("L_INFO", "s string rc=$rc\n");
	typeof("$var(@@s)", "x"); xlog("L_INFO", "s x rc=$rc\n");
	typeof("$rU", "str"); xlog("L_INFO", "rU str rc=$rc\n");
	not_empty("$var(@@s)"); xlog("L_INFO", "ne s rc=$rc\n");
	not_empty("$var(@@e)"); xlog("L_INFO", "ne e rc=$rc\n");
	not_empty("$var(@@i)"); xlog("L_INFO", "ne i rc=$rc\n");
	not_empty("$avp(@@none)"); xlog("L_INFO", "ne null rc=$rc\n");`,
		Want: []string{"is_int i rc=1", "is_int s rc=-1", "is_int null rc=-1", "i int rc=1", "i str rc=-1", "s str rc=1", "s int rc=-1", "null null rc=1", "null str rc=-1", "s string rc=1", "s x rc=-1", "rU str rc=1", "ne s rc=1", "ne e rc=-1", "ne i rc=-1", "ne null rc=-1"}},
	{Name: "pvfuncs_params_explode", Route: `xavp_params_explode("a=b;c=d;e", "@@x"); xlog("L_INFO", "rc=$rc a=$xavp(@@x=>a) c=$xavp(@@x=>c) e=[$xavp(@@x=>e)]\n");
	xavp_params_explode("k=1;k=2", "@@x"); xlog("L_INFO", "k0=$xavp(@@x=>k) k1=$xavp(@@x=>k[1]) old=$xavp(@@x[1]=>a)\n");
	xavp_params_explode("q=\"a;b\";r=2", "@@y"); xlog("L_INFO", "q=$xavp(@@y=>q) r=$xavp(@@y=>r)\n");`,
		Want: []string{"rc=1 a=b c=d e=[]", "k0=1 k1=2 old=b", "q=a;b r=2"}},
	{Name: "pvfuncs_xavp_rm", Route: `$xavp(@@r=>a) = 1; $xavp(@@r=>a) = 2; $xavp(@@r[0]=>b) = 3; $xavp(@@r[0]=>b) = 4;
	xavp_child_rm("@@r", "b"); xlog("L_INFO", "child rc=$rc b=$xavp(@@r=>b) b1=$xavp(@@r=>b[1])\n");
	xavp_child_rm("@@none", "b"); xlog("L_INFO", "child none rc=$rc\n");
	xavp_rm("@@r"); xlog("L_INFO", "rm rc=$rc a=$xavp(@@r=>a) a1=$xavp(@@r[1]=>a)\n");
	xavp_rm("@@none"); xlog("L_INFO", "rm none rc=$rc\n");`,
		Want: []string{"child rc=1 b=3 b1=<null>", "child none rc=1", "rm rc=1 a=1 a1=<null>", "rm none rc=1"}},
	{Name: "pvfuncs_sbranch", Route: `sbranch_reset(); $sbranch(uri) = "sip:s1@s.example"; $sbranch(dst_uri) = "sip:10.0.0.9:5090"; $sbranch(q) = 300; $sbranch(flags) = 4;
	xlog("L_INFO", "sb uri=$sbranch(uri) du=$sbranch(dst_uri) q=$sbranch(q) path=$sbranch(path)\n");
	sbranch_append(); xlog("L_INFO", "append rc=$rc u=$(branch(uri)[0]) du=$(branch(dst_uri)[0]) q=$(branch(q)[0]) f=$(branch(flags)[0])\n");
	sbranch_set_ruri(); xlog("L_INFO", "set rc=$rc ru=$ru du=$du bf=$bf\n");
	sbranch_reset(); xlog("L_INFO", "reset uri=$sbranch(uri) q=$sbranch(q)\n");
	sbranch_append(); xlog("L_INFO", "empty rc=$rc n=$branch(count)\n");`,
		Want: []string{"sb uri=sip:s1@s.example du=sip:10.0.0.9:5090 q=300 path=<null>", "append rc=1 u=sip:s1@s.example du=sip:10.0.0.9:5090 q=300 f=4", "set rc=1 ru=sip:s1@s.example du=sip:10.0.0.9:5090 bf=4", "reset uri=<null> q=<null>", "empty rc=-1 n=1"}},
}
