package compat

// flagCases: message flags, named flags, $mf, branch and script flags
// (reference §4, §5.1).
var flagCases = []Case{
	{Name: "setflag_then_isflagset", Route: `setflag(3); if (isflagset(3)) { xlog("L_INFO", "set\n"); } else { xlog("L_INFO", "unset\n"); }`,
		Want: []string{"set"}},
	// rc is still the value from before the route (core functions leave $rc).
	{Name: "isflagset_of_unset_flag", Route: `if (isflagset(4)) { xlog("L_INFO", "set\n"); } else { xlog("L_INFO", "unset rc=$rc\n"); }`,
		Want: []string{"unset rc=0"}},
	{Name: "resetflag_clears", Route: `setflag(5); resetflag(5); if (isflagset(5)) { xlog("L_INFO", "set\n"); } else { xlog("L_INFO", "unset\n"); }`,
		Want: []string{"unset"}},
	{Name: "isflagset_raw_codes", Route: `setflag(6); $var(@@a) = isflagset(6); $var(@@b) = isflagset(7); xlog("L_INFO", "a=$var(@@a) b=$var(@@b)\n");`,
		Want: []string{"a=1 b=-1"}},
	{Name: "mf_shows_flag_bits", Route: `setflag(1); setflag(3); xlog("L_INFO", "mf=$mf\n");`,
		Want: []string{"mf=10"}},
	{Name: "mf_write_sets_flags", Route: `$mf = 6; if (isflagset(1) && isflagset(2) && !isflagset(0)) { xlog("L_INFO", "ok mf=$mf\n"); }`,
		Want: []string{"ok mf=6"}},
	// $mF: 8 hex digits.
	{Name: "mF_is_hex", Route: `setflag(4); setflag(0); xlog("L_INFO", "mF=$mF\n");`,
		Want: []string{"mF=00000011"}},
	{Name: "flag_31", Route: `setflag(31); xlog("L_INFO", "mf=$mf\n");`,
		Want: []string{"mf=2147483648"}},
	{Name: "flags_do_not_persist_across_messages", Route: `if (isflagset(9)) { xlog("L_INFO", "set\n"); } else { xlog("L_INFO", "unset\n"); } setflag(9);`,
		Msgs: []string{DefaultInvite, DefaultInvite},
		Want: []string{"unset", "---", "unset"}},
	{Name: "named_flag", Route: `setflag(@@F); if (isflagset(11)) { xlog("L_INFO", "flag 11 set mf=$mf\n"); }`,
		Extra: `flags @@F: 11;`,
		Want:  []string{"flag 11 set mf=2048"}},
	// Surprise: core functions (setflag, isflagset...) leave $rc alone
	// only module functions and routes set it.
	{Name: "setflag_does_not_change_rc", Route: `is_method("BYE"); setflag(2); xlog("L_INFO", "rc=$rc\n");`,
		Want: []string{"rc=-1"}},
	{Name: "branch_flag_kex", Route: `setbflag(2); if (isbflagset(2)) { xlog("L_INFO", "bflag bf=$bf\n"); }`,
		Want: []string{"bflag bf=4"}},
	{Name: "script_flag_kex", Route: `setsflag(3); if (issflagset(3)) { xlog("L_INFO", "sflag sf=$sf\n"); }`,
		Want: []string{"sflag sf=8"}},
}
