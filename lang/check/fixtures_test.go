package check_test

import (
	"github.com/kamgo/kamgo/runtime/module"
)

// Route-type shorthands, as in the reference tables.
const (
	rREQ   = module.Request
	rFAIL  = module.Failure
	rTMRPL = module.OnReply
	rONRPL = module.AnyReply
	rBR    = module.Branch
	rEV    = module.Event
	rANY   = module.Any
)

var (
	aStr    = module.Arg{Kind: module.ArgString}
	aFmt    = module.Arg{Kind: module.ArgFormat}
	aInt    = module.Arg{Kind: module.ArgInt}
	aIntDyn = module.Arg{Kind: module.ArgInt, Dynamic: true}
	aRegex  = module.Arg{Kind: module.ArgRegex}
	aPVName = module.Arg{Kind: module.ArgPVName}
	aFlag   = module.Arg{Kind: module.ArgFlag, Dynamic: true}
	aAny    = module.Arg{Kind: module.ArgAny}
)

func route(r module.RouteRef) module.Arg { return module.Arg{Kind: module.ArgRouteName, Route: r} }

func f(name string, counts []int, routes module.RouteType, args ...module.Arg) module.Func {
	return module.Func{Name: name, ArgCounts: counts, Routes: routes, Args: args}
}

func pInt(name string) module.Param { return module.Param{Name: name, Kind: module.ParamInt} }
func pStr(name string) module.Param { return module.Param{Name: name, Kind: module.ParamString} }

var (
	n0   = []int{0}
	n1   = []int{1}
	n2   = []int{2}
	n02  = []int{0, 2}
	n01  = []int{0, 1}
	n12  = []int{1, 2}
	n123 = []int{1, 2, 3}
)

// testModules are fake declarations modelled on Kamailio 5.6's export
// tables (reference §6 and the module READMEs): enough for the checker to
// resolve what real configs use. They are test fixtures, not modules.
func testModules() []*module.Module {
	return []*module.Module{
		{Name: "tm",
			Params: []module.Param{pInt("fr_timer"), pInt("fr_inv_timer"), pInt("failure_reply_mode"), pStr("auto_inv_100_reason"),
				pStr("on_sl_reply"), pStr("contacts_avp"), pInt("restart_fr_on_each_reply")},
			Funcs: []module.Func{
				f("t_relay", n02, rREQ|rFAIL, aStr, aInt),
				f("t_newtran", n0, rREQ),
				f("t_reply", n2, rREQ|rONRPL|rFAIL, aStr, aFmt),
				f("t_send_reply", n2, rREQ|rONRPL|rFAIL, aStr, aFmt),
				f("t_check_trans", n0, rREQ|rONRPL|rBR),
				f("t_lookup_request", n0, rREQ),
				f("t_on_failure", n1, rREQ|rFAIL|rTMRPL|rBR, route(module.RefFailure)),
				f("t_on_reply", n1, rREQ|rFAIL|rTMRPL|rBR, route(module.RefOnReply)),
				f("t_on_branch_failure", n1, rREQ|rFAIL|rTMRPL|rBR, route(module.RefBranchFailure)),
				f("t_on_branch", n1, rREQ|rFAIL, route(module.RefBranch)),
				f("t_check_status", n1, rREQ|rFAIL|rONRPL, aRegex),
				f("t_set_fr", n12, rREQ|rTMRPL|rFAIL|rBR, aIntDyn, aIntDyn),
				f("t_branch_timeout", n0, rFAIL|rEV),
				f("t_is_canceled", n0, rREQ|rTMRPL|rFAIL|rBR),
				f("t_is_set", n1, rANY, aStr),
				f("t_drop_replies", n01, rFAIL, aStr),
				f("t_load_contacts", n01, rREQ|rFAIL, aInt),
				f("t_next_contacts", n0, rREQ|rFAIL),
			},
			EventRoutes: []string{"tm:local-request", "tm:local-response", "tm:branch-failure"},
		},
		{Name: "tmx", Deps: []string{"tm"},
			Params: []module.Param{pInt("precheck_trans")},
			Funcs: []module.Func{
				f("t_precheck_trans", n0, rREQ),
				f("t_reuse_branch", n0, rEV),
				f("t_suspend", n0, rANY),
				f("t_continue", []int{3}, rANY, aStr, aStr, module.Arg{Kind: module.ArgRouteName, Route: module.RefRequest}),
				f("t_cancel_branches", n1, rONRPL, aStr),
			},
		},
		{Name: "sl",
			Params: []module.Param{pInt("default_code"), pStr("default_reason"), pInt("bind_tm")},
			Funcs: []module.Func{
				f("sl_send_reply", n2, rREQ, aStr, aFmt),
				f("sl_reply", n2, rREQ, aStr, aFmt),
				f("send_reply", n2, rREQ|rONRPL|rFAIL, aStr, aFmt),
				f("sl_reply_error", n0, rREQ),
				f("sl_forward_reply", []int{0, 1, 2}, rONRPL, aStr, aStr),
			},
			EventRoutes: []string{"sl:filtered-ack", "sl:local-response"},
		},
		{Name: "xlog",
			Params: []module.Param{pStr("log_facility"), pStr("prefix"), pInt("force_color"), pInt("buf_size")},
			Funcs: []module.Func{
				f("xlog", n1, rANY, aFmt), f("xlog", n2, rANY, aStr, aFmt),
				f("xdbg", n1, rANY, aFmt), f("xinfo", n1, rANY, aFmt), f("xnotice", n1, rANY, aFmt),
				f("xwarn", n1, rANY, aFmt), f("xerr", n1, rANY, aFmt),
			},
		},
		{Name: "pv",
			Params: []module.Param{{Name: "shvset", Kind: module.ParamString, Multi: true}, {Name: "varset", Kind: module.ParamString, Multi: true}},
			Funcs: []module.Func{
				f("pv_isset", n1, rANY, aAny), f("pv_unset", n1, rANY, aPVName), f("is_int", n1, rANY, aAny),
			},
		},
		{Name: "textops",
			Funcs: []module.Func{
				f("is_method", n1, rANY, aStr), f("append_hf", n12, rANY, aFmt, aStr), f("remove_hf", n1, rANY, aStr),
				f("search", n1, rANY, aRegex), f("has_body", n01, rANY, aStr), f("is_present_hf", n1, rANY, aStr),
			},
		},
		{Name: "textopsx", Funcs: []module.Func{f("msg_apply_changes", n0, rREQ|rONRPL), f("remove_hf_value", n1, rANY, aStr)}},
		{Name: "rr",
			Params: []module.Param{pInt("enable_full_lr"), pInt("append_fromtag")},
			Funcs:  []module.Func{f("loose_route", n0, rREQ), f("record_route", n01, rREQ|rBR|rFAIL, aFmt), f("is_direction", n1, rREQ, aStr)},
		},
		{Name: "maxfwd", Params: []module.Param{pInt("max_limit")},
			Funcs: []module.Func{f("mf_process_maxfwd_header", n1, rREQ, aIntDyn)}},
		{Name: "siputils", Funcs: []module.Func{f("has_totag", n0, rANY), f("is_uri_host_local", n0, rREQ|rFAIL|rBR)}},
		{Name: "sanity", Params: []module.Param{pInt("autodrop")},
			Funcs: []module.Func{f("sanity_check", []int{0, 1, 2}, rREQ|rONRPL, aIntDyn, aIntDyn)}},
		{Name: "kex", Funcs: []module.Func{
			f("setbflag", n12, rANY, aFlag, aIntDyn), f("isbflagset", n12, rANY, aFlag, aIntDyn),
			f("resetbflag", n12, rANY, aFlag, aIntDyn), f("setdsturi", n1, rANY, aFmt),
		}},
		{Name: "corex", Funcs: []module.Func{f("append_branch", []int{0, 1, 2}, rREQ|rFAIL, aFmt, aStr)}},
		{Name: "usrloc", Params: []module.Param{pInt("timer_interval"), pInt("timer_procs"), pInt("use_domain"), pInt("db_mode"), pStr("db_url")}},
		{Name: "registrar", Deps: []string{"usrloc"},
			Params: []module.Param{pInt("method_filtering"), pInt("max_expires"), pInt("gruu_enabled"), pInt("use_path"), pInt("path_mode")},
			Funcs: []module.Func{
				f("save", n123, rREQ|rONRPL, aStr, aStr, aStr),
				f("lookup", n123, rREQ|rFAIL, aStr, aStr, aStr),
				f("registered", n123, rANY, aStr, aStr, aStr),
			},
		},
		{Name: "jsonrpcs", Params: []module.Param{pInt("pretty_format"), pInt("transport"), pStr("fifo_name")},
			Funcs: []module.Func{f("jsonrpc_dispatch", n0, rANY)}},
		{Name: "ctl", Params: []module.Param{{Name: "binrpc", Kind: module.ParamString, Multi: true}}},
		{Name: "cfg_rpc"},
		{Name: "counters"},
		{Name: "acc",
			Params: []module.Param{pInt("early_media"), pInt("report_ack"), pInt("report_cancels"), pInt("detect_direction"),
				pInt("log_flag"), pInt("log_missed_flag"), pStr("log_extra"), pInt("failed_transaction_flag")}},
		{Name: "tcpops", Params: []module.Param{pInt("closed_event")},
			Funcs: []module.Func{
				f("tcp_conid_alive", n1, rANY, aIntDyn),
				f("tcp_keepalive_enable", []int{4}, rANY, aIntDyn, aIntDyn, aIntDyn, aIntDyn),
				f("tcp_keepalive_enable", []int{3}, rREQ|rONRPL, aIntDyn, aIntDyn, aIntDyn),
				f("tcp_get_conid", n2, rANY, aStr, aPVName),
				f("tcp_close_connection", n01, rANY, aIntDyn),
			},
			EventRoutes: []string{"tcp:closed", "tcp:timeout", "tcp:reset"},
		},
		{Name: "keepalive", Deps: []string{"tm"},
			Params: []module.Param{pInt("ping_interval"), {Name: "destination", Kind: module.ParamString, Multi: true}, pInt("delete_counter"), pStr("ping_from")},
			Funcs:  []module.Func{f("ka_is_alive", n1, rANY, aStr), f("ka_add_destination", n2, rREQ|rBR|rONRPL, aStr, aStr)},
		},
		{Name: "nosip",
			Params:      []module.Param{{Name: "msg_match", Kind: module.ParamRegex}, {Name: "msg_skip", Kind: module.ParamRegex}},
			EventRoutes: []string{"nosip:msg"},
		},
	}
}

// testRegistry registers testModules in a private registry.
func testRegistry() *module.Registry {
	r := module.NewRegistry()
	for _, m := range testModules() {
		r.MustRegister(m)
	}
	return r
}
