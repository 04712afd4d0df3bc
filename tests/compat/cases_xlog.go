package compat

// xlogCases: the xlog module itself (levels, forms, formatting).
var xlogCases = []Case{
	{Name: "xlog_levels", Route: `xlog("L_NOTICE", "n\n"); xlog("L_WARN", "w\n"); xlog("L_ERR", "e\n"); xlog("L_CRIT", "c\n"); xlog("L_ALERT", "a\n"); xlog("L_BUG", "b\n");`,
		Want: []string{"NOTICE: n", "WARNING: w", "ERROR: e", "CRITICAL: c", "ALERT: a", "BUG: b"}},
	{Name: "xlog_dbg_hidden_at_debug_2", Route: `xlog("L_DBG", "hidden\n"); xlog("L_INFO", "shown\n");`,
		Want: []string{"shown"}},
	// The one-argument form logs at L_ERR.
	{Name: "xlog_one_arg_is_error_level", Route: `xlog("one arg\n");`,
		Want: []string{"ERROR: one arg"}},
	// xdbg is hidden at debug=2; xbug prints at BUG level.
	{Name: "xlog_short_functions", Route: `xinfo("i\n"); xnotice("n\n"); xwarn("w\n"); xerr("e\n"); xdbg("d\n"); xbug("b\n"); xcrit("c\n"); xalert("a\n");`,
		Want: []string{"i", "NOTICE: n", "WARNING: w", "ERROR: e", "BUG: b", "CRITICAL: c", "ALERT: a"}},
	{Name: "xlog_null_prints_null", Route: `xlog("L_INFO", "v=$null tt=$tt\n");`,
		Want: []string{"v=<null> tt=<null>"}},
	{Name: "xlog_pvs_in_format", Route: `xlog("L_INFO", "$rm $rU@$rd cseq=$cs\n");`,
		Want: []string{"INVITE bob@biloxi.example.com cseq=314159"}},
	{Name: "xlog_escapes", Route: `xlog("L_INFO", "tab[\t] quote[\"] backslash[\\]\n");`,
		Want: []string{"tab[\t] quote[\"] backslash[\\]"}},
	{Name: "xlog_multi_line", Route: `xlog("L_INFO", "first\nsecond\n");`,
		Want: []string{"first\nsecond"}},
	{Name: "xlog_returns_1", Route: `is_method("BYE"); xlog("L_INFO", "x\n"); xlog("L_INFO", "rc=$rc\n");`,
		Want: []string{"x", "rc=1"}},
	{Name: "xlog_int_and_string_vars", Route: `$var(@@i) = -42; $var(@@s) = "str"; xlog("L_INFO", "i=$var(@@i) s=$var(@@s)\n");`,
		Want: []string{"i=-42 s=str"}},
	// Surprise: a level from a variable must be a number; "L_NOTICE" in a
	// $var is rejected at run time and nothing is printed.
	{Name: "xlog_level_from_var", Route: `$var(@@lvl) = "L_NOTICE"; xlog("$var(@@lvl)", "dyn\n");`,
		Want: []string{}, WantDiags: []string{`invalid log level value`}},
	{Name: "xlog_empty_var", Route: `$var(@@e) = ""; xlog("L_INFO", "[$var(@@e)]\n");`,
		Want: []string{"[]"}},
}
