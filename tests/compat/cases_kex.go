package compat

// kexCases pin down the kex module: script and branch flags, the
// destination URI functions, pv_printf, is_myself and setdebug.
var kexCases = []Case{
	{Name: "kex_sflags", Route: `setsflag(3); xlog("L_INFO", "set rc=$rc sf=$sf\n");
	if (issflagset(3)) { xlog("L_INFO", "3 is set\n"); }
	$var(f) = 5; setsflag("$var(f)"); setsflag($var(f)); xlog("L_INFO", "sf=$sf\n");
	resetsflag(3); if (!issflagset(3)) { xlog("L_INFO", "3 is reset sf=$sf\n"); }
	issflagset(4); xlog("L_INFO", "test unset rc=$rc\n");
	setsflag(40); xlog("L_INFO", "range rc=$rc sf=$sf\n");
	$var(f) = "abc"; setsflag("$var(f)"); xlog("L_INFO", "text rc=$rc\n");`,
		Want: []string{"set rc=1 sf=8", "3 is set", "sf=40", "3 is reset sf=32", "test unset rc=-1", "range rc=-1 sf=32", "text rc=-1"}},
	{Name: "kex_bflags_branches", Route: `setbflag(1); xlog("L_INFO", "bf=$bf\n");
	append_branch("sip:b1@b.example"); append_branch("sip:b2@b.example");
	setbflag(4, 1); xlog("L_INFO", "set1 rc=$rc f0=$(branch(flags)[0]) f1=$(branch(flags)[1]) bf=$bf\n");
	setbflag(6, 2); xlog("L_INFO", "set2 rc=$rc f1=$(branch(flags)[1])\n");
	isbflagset(4, 1); xlog("L_INFO", "is41 rc=$rc\n");
	isbflagset(4, 2); xlog("L_INFO", "is42 rc=$rc\n");
	isbflagset(1, 0); xlog("L_INFO", "is10 rc=$rc\n");
	setbflag(2, 3); xlog("L_INFO", "set3 rc=$rc\n");
	isbflagset(2, 3); xlog("L_INFO", "is23 rc=$rc\n");
	resetbflag(4, 1); xlog("L_INFO", "reset rc=$rc f0=$(branch(flags)[0])\n");
	resetbflag(1); xlog("L_INFO", "bf=$bf\n");`,
		Want: []string{"bf=2", "set1 rc=1 f0=18 f1=2 bf=2", "set2 rc=1 f1=66", "is41 rc=1", "is42 rc=-1", "is10 rc=1", "set3 rc=-1", "is23 rc=-1", "reset rc=1 f0=2", "bf=0"}},
	{Name: "kex_dsturi", Route: `isdsturiset(); xlog("L_INFO", "before rc=$rc\n");
	setdsturi("sip:10.0.0.7:5070;transport=tcp"); xlog("L_INFO", "set rc=$rc du=$du\n");
	isdsturiset(); xlog("L_INFO", "after rc=$rc\n");
	resetdsturi(); xlog("L_INFO", "reset rc=$rc du=$du\n");
	isdsturiset(); xlog("L_INFO", "end rc=$rc\n");
	$var(d) = "sip:10.0.0.8"; setdsturi("$var(d)"); xlog("L_INFO", "pv du=$du\n");`,
		Want: []string{"before rc=-1", "set rc=1 du=sip:10.0.0.7:5070;transport=tcp", "after rc=1", "reset rc=1 du=<null>", "end rc=-1", "pv du=sip:10.0.0.8"}},
	{Name: "kex_pv_printf", Route: `pv_printf("$var(@@x)", "u=$rU m=$rm"); xlog("L_INFO", "rc=$rc x=$var(@@x)\n");
	avp_printf("$avp(@@y)", "a-$var(@@x)-$null"); xlog("L_INFO", "y=$avp(@@y)\n");
	pv_printf("$ru", "sip:$fU@$fd"); xlog("L_INFO", "ru=$ru\n");`,
		Want: []string{"rc=1 x=u=bob m=INVITE", "y=a-u=bob m=INVITE-<null>", "ru=sip:alice@atlanta.example.com"}},
	{Name: "kex_is_myself", Route: `is_myself("sip:127.0.0.1"); xlog("L_INFO", "ip rc=$rc\n");
	is_myself("sip:bob@127.0.0.1:$Rp"); xlog("L_INFO", "port rc=$rc\n");
	is_myself("sip:127.0.0.1:1"); xlog("L_INFO", "other port rc=$rc\n");
	is_myself("127.0.0.1"); xlog("L_INFO", "bare rc=$rc\n");
	is_myself("sip:10.9.9.9"); xlog("L_INFO", "foreign rc=$rc\n");
	is_myself("$fu"); xlog("L_INFO", "fu rc=$rc\n");
	is_myself($ru); xlog("L_INFO", "ru rc=$rc\n");`,
		Want: []string{"ip rc=1", "port rc=1", "other port rc=-1", "bare rc=1", "foreign rc=-1", "fu rc=-1", "ru rc=-1"}},
	{Name: "kex_setdebug", Route: `setdebug(1); xlog("L_INFO", "set rc=$rc\n"); resetdebug(); xlog("L_INFO", "reset rc=$rc\n");`,
		Want: []string{"reset rc=1"}},
}
