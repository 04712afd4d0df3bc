// Package textops is Kamailio's textops module: text operations on the
// SIP message a route handles. It searches the message, its body or its
// headers with POSIX regexes; replaces and substitutes text (sed-like
// "/re/repl/flags" with back references); adds, inserts and removes
// header fields; sets the body of the message or of the next local reply;
// handles multipart bodies; and compares strings (cmp_str, in_list,
// str_find, regex_substring...).
//
// Edits go through the sip.Message edit list, as Kamailio's lumps do: they
// show in the message that is forwarded, not in what the script reads
// ($hdr, $mb and the search functions see the message as received).
package textops

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/kamgo/kamgo/lang/posixre"
	"github.com/kamgo/kamgo/pv"
	"github.com/kamgo/kamgo/runtime/logging"
	"github.com/kamgo/kamgo/runtime/module"
	"github.com/kamgo/kamgo/runtime/sip"
)

// Name is the module name.
const Name = "textops"

// Route masks, as Kamailio 5.6 declares them.
const (
	// routesMsg: the functions that edit the request URI or the body, or
	// read the body into a variable.
	routesMsg = module.Request | module.Failure | module.AnyReply | module.Branch
	// routesReq: the functions about the local reply or a request body
	// that only a request route may build.
	routesReq = module.Request | module.Failure | module.Branch
)

// Regex flags: Kamailio compiles the regex parameters of textops with
// REG_EXTENDED|REG_ICASE|REG_NEWLINE.
const reFlags = posixre.ICase | posixre.Newline

var (
	argRegex = module.Arg{Kind: module.ArgRegex}
	argLit   = module.Arg{Kind: module.ArgStringLit}
	argFmt   = module.Arg{Kind: module.ArgFormat}
	argAny   = module.Arg{Kind: module.ArgAny}
	argPV    = module.Arg{Kind: module.ArgPVName}
)

func init() {
	module.MustRegister(&module.Module{Name: Name, Funcs: funcs()})
}

func fn(name string, counts []int, args []module.Arg, routes module.RouteType, fixup module.FixupFunc, exec module.ExecFunc) module.Func {
	return module.Func{Name: name, ArgCounts: counts, Args: args, Routes: routes, Fixup: fixup, Exec: exec}
}

func funcs() []module.Func {
	one, two, three := []int{1}, []int{2}, []int{3}
	re1 := []module.Arg{argRegex}
	reTxt := []module.Arg{argRegex, argLit}
	fmt2 := []module.Arg{argFmt, argFmt}
	fmt3 := []module.Arg{argFmt, argFmt, argFmt}
	return []module.Func{
		// Searching: search covers the whole message; replace, replace_all,
		// search_append and subst start after the start line.
		fn("search", one, re1, module.Any, fixupRegexes(0), execSearch(whole)),
		fn("search_body", one, re1, module.Any, fixupRegexes(0), execSearch(body)),
		fn("search_str", two, fmt2, module.Any, fixupDynRegex(1, reFlags), execSearchStr),
		fn("search_hf", three, []module.Arg{argLit, argRegex, argLit}, module.Any, fixupSearchHF, execSearchHF),
		fn("search_append", two, reTxt, module.Any, fixupRegexes(0), execSearchAppend(headersAndBody)),
		fn("search_append_body", two, reTxt, module.Any, fixupRegexes(0), execSearchAppend(body)),
		// Replacing.
		fn("replace", two, reTxt, module.Any, fixupRegexes(0), execReplace(headersAndBody, replaceFirst)),
		fn("replace_body", two, reTxt, module.Any, fixupRegexes(0), execReplace(body, replaceFirst)),
		fn("replace_hdrs", two, reTxt, module.Any, fixupRegexes(0), execReplace(headers, replaceFirst)),
		fn("replace_all", two, reTxt, module.Any, fixupRegexes(0), execReplace(headersAndBody, replaceLines)),
		fn("replace_body_all", two, reTxt, module.Any, fixupRegexes(0), execReplace(body, replaceLines)),
		// replace_body_atonce matches over the whole body: "^" and "$" are
		// its ends and "." crosses lines.
		fn("replace_body_atonce", two, reTxt, module.Any, fixupRegexesFlags(posixre.ICase, 0), execReplace(body, replaceLines)),
		fn("replace_str", three, fmt3, module.Any, fixupReplaceStr, execReplaceStr(headersAndBody)),
		fn("replace_body_str", three, fmt3, module.Any, fixupReplaceStr, execReplaceStr(body)),
		fn("replace_hdrs_str", three, fmt3, module.Any, fixupReplaceStr, execReplaceStr(headers)),
		// Substitutions.
		fn("subst", one, []module.Arg{argLit}, module.Any, fixupSubst(0), execSubst(headersAndBody)),
		fn("subst_uri", one, []module.Arg{argLit}, routesMsg, fixupSubst(0), execSubstURI(false)),
		fn("subst_user", one, []module.Arg{argLit}, routesMsg, fixupSubst(0), execSubstURI(true)),
		fn("subst_body", one, []module.Arg{argLit}, module.Any, fixupSubst(0), execSubst(body)),
		fn("subst_hf", three, []module.Arg{argLit, argLit, argLit}, module.Any, fixupSubstHF, execSubstHF),
		// Bodies.
		fn("set_body", two, fmt2, routesMsg, nil, execSetBody),
		fn("set_reply_body", two, fmt2, routesReq, nil, execSetReplyBody),
		fn("filter_body", one, []module.Arg{argLit}, module.Any, fixupMime(0, false), execFilterBody),
		fn("has_body", []int{0, 1}, []module.Arg{argLit}, module.Any, fixupMime(0, true), execHasBody),
		fn("is_audio_on_hold", nil, nil, module.Any, nil, execIsAudioOnHold),
		fn("set_body_multipart", []int{0, 1, 2, 3}, fmt3, routesReq, nil, execSetBodyMultipart),
		fn("append_body_part", []int{2, 3}, fmt3, routesReq, nil, execAppendBodyPart(false)),
		fn("append_body_part_hex", []int{2, 3}, fmt3, routesReq, nil, execAppendBodyPart(true)),
		fn("get_body_part", two, []module.Arg{argFmt, argPV}, routesMsg, fixupGetBodyPart, execGetBodyPart(false)),
		fn("get_body_part_raw", two, []module.Arg{argFmt, argPV}, routesMsg, fixupGetBodyPart, execGetBodyPart(true)),
		fn("remove_body_part", one, []module.Arg{argFmt}, routesReq, nil, execRemoveBodyPart),
		// Header fields.
		fn("append_to_reply", one, []module.Arg{argFmt}, routesReq, nil, execAppendToReply),
		fn("append_hf", []int{1, 2}, []module.Arg{argFmt, argLit}, module.Any, fixupHeaderName(1), execAddHF(true)),
		fn("insert_hf", []int{1, 2}, []module.Arg{argFmt, argLit}, module.Any, fixupHeaderName(1), execAddHF(false)),
		fn("append_urihf", two, []module.Arg{argLit, argLit}, routesReq, fixupConstants, execAppendURIHF),
		fn("append_time", nil, nil, routesReq, nil, execAppendTime),
		fn("append_time_to_request", nil, nil, module.Any, nil, execAppendTimeToRequest),
		fn("is_present_hf", one, []module.Arg{argLit}, module.Any, fixupHeaderName(0), execIsPresentHF),
		fn("is_present_hf_pv", one, []module.Arg{argFmt}, module.Any, nil, execIsPresentHF),
		fn("is_present_hf_re", one, re1, module.Any, fixupRegexes(0), execIsPresentHFRe),
		fn("is_present_hf_re_pv", one, []module.Arg{argFmt}, module.Any, fixupDynRegex(0, reFlags), execIsPresentHFRe),
		fn("remove_hf", one, []module.Arg{argLit}, module.Any, fixupHeaderName(0), execRemoveHF),
		fn("remove_hf_pv", one, []module.Arg{argFmt}, module.Any, nil, execRemoveHF),
		fn("remove_hf_re", one, re1, module.Any, fixupRegexes(0), execRemoveHFExp),
		fn("remove_hf_re_pv", one, []module.Arg{argFmt}, module.Any, fixupDynRegex(0, reFlags), execRemoveHFExp),
		fn("remove_hf_exp", two, []module.Arg{argRegex, argRegex}, module.Any, fixupRegexes(0, 1), execRemoveHFExp),
		fn("remove_hf_exp_pv", two, fmt2, module.Any, fixupDynRegex(0, reFlags, 1), execRemoveHFExp),
		fn("remove_hf_idx", two, []module.Arg{argFmt, argAny}, module.Any, nil, execRemoveHFIdx),
		fn("remove_hf_match", three, fmt3, module.Any, fixupRemoveHFMatch, execRemoveHFMatch),
		fn("is_method", one, []module.Arg{argLit}, module.Any, fixupIsMethod, execIsMethod),
		fn("is_privacy", one, []module.Arg{argLit}, module.Any, fixupPrivacy, execIsPrivacy),
		// Strings.
		fn("in_list", three, []module.Arg{argFmt, argFmt, argLit}, module.Any, fixupInList, execInList(false)),
		fn("in_list_prefix", three, []module.Arg{argFmt, argFmt, argLit}, module.Any, fixupInList, execInList(true)),
		fn("cmp_str", two, fmt2, module.Any, nil, execCmpStr(false)),
		fn("cmp_istr", two, fmt2, module.Any, nil, execCmpStr(true)),
		fn("starts_with", two, fmt2, module.Any, nil, execStartsWith),
		fn("ends_with", two, fmt2, module.Any, nil, execEndsWith),
		fn("str_find", two, fmt2, module.Any, nil, execStrFind(false)),
		fn("str_ifind", two, fmt2, module.Any, nil, execStrFind(true)),
		fn("regex_substring", []int{5}, []module.Arg{argFmt, argFmt, argAny, argAny, argPV}, routesMsg,
			fixupRegexSubstring, execRegexSubstring),
	}
}

// message returns the SIP message of the route, nil when there is none
// (a non-SIP packet in event_route[nosip]).
func message(ctx module.ExecContext) (*pv.State, *sip.Message) {
	st := ctx.State()
	if st == nil || st.Msg == nil {
		return st, nil
	}
	return st, st.Msg
}

// errorf logs a failed call at L_ERR, as Kamailio's LM_ERR does.
func errorf(ctx module.ExecContext, format string, a ...any) {
	if l := ctx.Logger(); l != nil && l.Enabled(logging.LErr) {
		l.Logf(logging.LErr, "textops: "+format, a...)
	}
}

// ---- regex arguments ----

// compiled returns the regex a fixup stored for argument i.
func compiled(args module.Args, i int) *regexp.Regexp {
	if i >= len(args.Fixed) {
		return nil
	}
	re, _ := args.Fixed[i].Fixed.(*regexp.Regexp)
	return re
}

// fixupRegexes compiles the constant regex arguments at the given
// positions with textops' flags.
func fixupRegexes(pos ...int) module.FixupFunc { return fixupRegexesFlags(reFlags, pos...) }

// fixupRegexesFlags is fixupRegexes with other regex flags.
func fixupRegexesFlags(flags posixre.Flags, pos ...int) module.FixupFunc {
	return func(_ module.Host, args []module.FixedArg) error {
		for _, i := range pos {
			if i >= len(args) {
				continue
			}
			a := &args[i]
			if !a.Const || a.IsInt {
				return fmt.Errorf("parameter %d must be a constant regular expression", i+1)
			}
			re, err := compileWith(a.Str, flags)
			if err != nil {
				return err
			}
			a.Fixed = re
		}
		return nil
	}
}

// dynRegex is a regex argument that may hold pseudo-variables: compiled
// at fixup when constant, at every call otherwise.
type dynRegex struct {
	re    *regexp.Regexp
	flags posixre.Flags
}

// fixupDynRegex prepares the regex arguments at the given positions.
func fixupDynRegex(i int, flags posixre.Flags, more ...int) module.FixupFunc {
	return func(_ module.Host, args []module.FixedArg) error {
		for _, k := range append([]int{i}, more...) {
			if k >= len(args) {
				continue
			}
			if err := setDynRegex(&args[k], flags); err != nil {
				return err
			}
		}
		return nil
	}
}

func setDynRegex(a *module.FixedArg, flags posixre.Flags) error {
	d := &dynRegex{flags: flags}
	if a.Const {
		re, err := compileWith(a.Str, flags)
		if err != nil {
			return err
		}
		d.re = re
	}
	a.Fixed = d
	return nil
}

// regexArg returns the regex of argument i: the one compiled at fixup,
// or the argument's value compiled now.
func regexArg(ctx module.ExecContext, args module.Args, i int) *regexp.Regexp {
	if re := compiled(args, i); re != nil {
		return re
	}
	d, _ := args.Fixed[i].Fixed.(*dynRegex)
	if d == nil {
		d = &dynRegex{flags: reFlags}
	}
	if d.re != nil {
		return d.re
	}
	text := args.Str(i)
	re, err := compileWith(text, d.flags)
	if err != nil {
		errorf(ctx, "%v", err)
		return nil
	}
	return re
}

// ---- constant arguments ----

// fixupConstants refuses pseudo-variables in arguments that Kamailio
// takes as plain strings.
func fixupConstants(_ module.Host, args []module.FixedArg) error {
	for i := range args {
		if !args[i].Const {
			return fmt.Errorf("parameter %d must be a constant string", i+1)
		}
	}
	return nil
}

// fixupHeaderName checks the constant header name at position i.
func fixupHeaderName(i int) module.FixupFunc {
	return func(_ module.Host, args []module.FixedArg) error {
		if i >= len(args) {
			return nil
		}
		a := &args[i]
		if !a.Const {
			return fmt.Errorf("the header name must be a constant string")
		}
		name := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(a.Str), ":"))
		if name == "" || !isToken(name) {
			return fmt.Errorf("%q is not a header name", a.Str)
		}
		a.Str = name
		return nil
	}
}

func isToken(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		case strings.IndexByte("-.!%*_+`'~", c) >= 0:
		default:
			return false
		}
	}
	return true
}

// boolRC is Kamailio's true/false return code.
func boolRC(b bool) int {
	if b {
		return 1
	}
	return -1
}
