// Package core declares, as data, the functions of the config language that
// live in the core rather than in a module (forward, log, route, setflag,
// rewriteuri, force_rport, …, and the expression functions strlen,
// strempty and selval), with their argument forms and the route types where
// each may be called. drop, exit, return and break are statements the parser
// handles. The checker and the compiler resolve a call against these before
// the loaded modules, as Kamailio's grammar does.
package core

import (
	"github.com/kamgo/kamgo/runtime/module"
)

// Name is the pseudo-module name core functions are reported under.
const Name = "core"

// notOnSend is where most core commands may run: Kamailio refuses them in
// onsend_route ("command not allowed in onsend_route").
const notOnSend = module.Any &^ module.OnSend

var (
	argInt    = module.Arg{Kind: module.ArgInt}
	argStrLit = module.Arg{Kind: module.ArgStringLit}
	argString = module.Arg{Kind: module.ArgString}
	argHost   = module.Arg{Kind: module.ArgHost}
	argAny    = module.Arg{Kind: module.ArgAny, Dynamic: true}
	argExpr   = module.Arg{Kind: module.ArgExpr, Dynamic: true}
	argFlag   = module.Arg{Kind: module.ArgFlag}
	argRoute  = module.Arg{Kind: module.ArgRouteName, Route: module.RefRequest, Dynamic: true}
	argSocket = module.Arg{Kind: module.ArgSocket}
	argProto  = module.Arg{Kind: module.ArgProto}
)

func fn(name string, counts []int, routes module.RouteType, args ...module.Arg) module.Func {
	return module.Func{Name: name, ArgCounts: counts, Args: args, Routes: routes}
}

// aliases declares the same function under several names.
func aliases(counts []int, routes module.RouteType, args []module.Arg, names ...string) []module.Func {
	out := make([]module.Func, len(names))
	for i, n := range names {
		out[i] = fn(n, counts, routes, args...)
	}
	return out
}

// Module returns the core functions as a module named "core". Each call
// returns a fresh value, so callers may not affect each other.
func Module() *module.Module {
	var fs []module.Func
	add := func(f ...module.Func) { fs = append(fs, f...) }
	one := []int{1}
	none := []int{0}

	// Stateless forwarding: forward() uses $du/$ru, forward(host[, port]).
	add(fn("forward", []int{0, 1, 2}, notOnSend, argHost, argInt))
	add(aliases([]int{1, 2}, notOnSend, []module.Arg{argHost, argInt},
		"forward_udp", "forward_tcp", "forward_tls", "forward_sctp")...)

	// Logging: log("msg") or log(level, "msg"); allowed in onsend_route.
	add(module.Func{Name: "log", ArgCounts: []int{1, 2}, Routes: module.Any})
	add(fn("error", []int{2}, notOnSend, argStrLit, argStrLit))
	add(fn("exec", one, notOnSend, argStrLit))

	add(fn("route", one, notOnSend, argRoute))

	// Message flags; allowed in onsend_route.
	add(aliases(one, module.Any, []module.Arg{argFlag}, "setflag", "resetflag", "isflagset")...)
	add(aliases([]int{2}, notOnSend, []module.Arg{argAny, argStrLit}, "setavpflag", "resetavpflag", "isavpflagset")...)

	// R-URI rewriting: string literals only (setport(5070) is refused).
	add(aliases(one, notOnSend, []module.Arg{argStrLit},
		"rewriteuri", "seturi",
		"rewritehost", "sethost", "seth",
		"rewritehostport", "sethostport", "sethp",
		"rewritehostporttrans", "sethostporttrans", "sethpt",
		"rewriteuser", "setuser", "setu",
		"rewriteuserpass", "setuserpass", "setup",
		"rewriteport", "setport", "setp",
		"prefix")...)
	add(fn("strip", one, notOnSend, argInt), fn("strip_tail", one, notOnSend, argInt))
	add(fn("userphone", none, notOnSend), fn("revert_uri", none, notOnSend))

	add(fn("remove_branch", []int{0, 1}, notOnSend, module.Arg{Kind: module.ArgInt, Dynamic: true}))
	add(fn("clear_branches", none, notOnSend))

	add(aliases(none, notOnSend, nil, "force_rport", "add_rport", "add_local_rport")...)
	add(aliases([]int{0, 1}, notOnSend, []module.Arg{argInt}, "force_tcp_alias", "add_tcp_alias")...)
	add(fn("udp_mtu_try_proto", one, notOnSend, argProto))
	add(fn("set_advertised_address", one, notOnSend, argHost))
	add(fn("set_advertised_port", one, notOnSend, argInt))
	add(fn("force_send_socket", one, notOnSend, argSocket))

	// Connection control; allowed in onsend_route.
	add(aliases(none, module.Any, nil, "set_forward_no_connect", "set_reply_no_connect", "set_forward_close", "set_reply_close")...)

	add(fn("cfg_select", []int{2}, notOnSend, argString, argInt), fn("cfg_reset", one, notOnSend, argString))

	// Expression functions.
	for _, f := range []module.Func{
		fn("strlen", one, module.Any, argExpr),
		fn("strempty", one, module.Any, argExpr),
		fn("selval", []int{3}, module.Any, argExpr, argExpr, argExpr),
	} {
		f.InExpr = true
		add(f)
	}
	ex := execs()
	for i := range fs {
		fs[i].Exec = ex[fs[i].Name]
	}
	return &module.Module{Name: Name, Funcs: fs}
}
