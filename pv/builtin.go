package pv

// Constructors that keep the table below readable.
func ro(mod string, names ...string) []Class {
	out := make([]Class, len(names))
	for i, n := range names {
		out[i] = Class{Name: n, Module: mod}
	}
	return out
}

func rw(mod string, names ...string) []Class {
	out := ro(mod, names...)
	for i := range out {
		out[i].Writable = true
	}
	return out
}

func withInner(cs []Class, rule InnerRule) []Class {
	for i := range cs {
		cs[i].Inner = rule
	}
	return cs
}

func join(parts ...[]Class) []Class {
	var out []Class
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// builtinClasses are the classes of Kamailio 5.6 that kamgo knows: the core
// ones, the pv module's, tmx's, nosip's, and those of the modules scripts
// commonly load (xlog's $C, htable's $sht, …), so that a config using them
// gets "needs loadmodule" rather than "unknown". It is never modified.
var builtinClasses = join(
	// Core: no module needed.
	ro("", "?", "rc", "retcode", "null"),
	withInner(ro("", "env", "envn", "def", "defn"), NeedsInner),

	// pv: message, URIs, addresses (read-only). Checked against kamailio -c
	// 5.6.3: $err.* and $from.domain-style names are syntax errors there,
	// and $rb is read-only.
	ro("pv",
		"rz", "rP", "ou", "ouri", "oU", "od", "op", "oP", "dd", "dp", "dP", "ds", "rm", "rmid", "rs", "rr", "rv",
		"si", "sp", "Ri", "Rp", "Rn", "RAi", "RAp", "Ru", "RAu", "Rut", "RAut", "pr", "proto", "conid",
		"mb", "mbu", "ml", "mt", "bs", "ci", "cs", "csb", "cl", "cT", "ct", "ft", "tt", "ua",
		"ai", "pu", "pU", "pd", "pn", "re", "rt", "di", "dip", "dir", "dic", "au", "ad", "ar", "aU", "adu", "aa",
		"Au", "AU", "Tb", "Tf", "TF", "Ts", "TS", "pp", "true", "false", "sid", "su", "sut", "ltt", "rb"),
	// pv: writable.
	rw("pv",
		"ru", "ruri", "rU", "rd", "rp", "du", "duri", "fs", "fu", "from", "fU", "fd", "fn", "tu", "to", "tU", "td",
		"tn", "bf", "bF", "mf", "mF", "sf", "sF", "fsn"),
	withInner(rw("pv", "var", "vz", "vn", "avp", "xavp", "xavu", "xavi", "shv", "branch", "sbranch", "Bf", "Mf", "Sf"), NeedsInner),
	withInner(ro("pv",
		"hdr", "hdrc", "hfl", "hflc", "cnt", "_s", "K", "msg", "nh", "rcv", "sel", "snd", "sndto", "sndfrom",
		"time", "utime", "timef", "utimef", "TV", "via0", "via1", "viaZ", "version", "expires", "cfg"), NeedsInner),
	[]Class{{Name: "af", Module: "pv", Inner: NeedsInner, InnerNames: []string{"id", "name"}}},

	// tmx.
	ro("tmx", "T_branch_idx", "T_reply_code", "T_reply_reason", "T_reply_last", "T_reply_ruid"),
	withInner(ro("tmx", "T_req", "T_rpl", "T_inv", "T_branch", "T"), NeedsInner),

	// nosip.
	ro("nosip", "nosip"),

	// Other common modules.
	withInner(ro("xlog", "C"), NeedsInner),
	withInner(rw("htable", "sht"), NeedsInner),
	withInner(ro("htable", "shtex", "shtcn", "shtcv", "shtinc", "shtdec", "shtitkey", "shtitval", "shtrecord"), NeedsInner),
	withInner(ro("kex", "stat"), NeedsInner),
	withInner(ro("registrar", "ulc"), NeedsInner),
	withInner(ro("jsonrpcs", "jsonrpl"), NeedsInner),
	ro("xhttp", "hu"),
	withInner(ro("dialog", "dlg", "dlg_ctx"), NeedsInner),
	withInner(rw("dialog", "dlg_var"), NeedsInner),
	withInner(ro("sqlops", "dbr", "sqlrows"), NeedsInner),
	withInner(ro("ipops", "dns", "srvquery", "naptrquery", "HN"), NeedsInner),
	withInner(ro("mqueue", "mqk", "mqv", "mq_size"), NeedsInner),
	withInner(rw("uac", "uac_req"), NeedsInner),
)
