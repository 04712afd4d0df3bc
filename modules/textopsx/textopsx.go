// Package textopsx is Kamailio's textopsx module: applying the recorded
// edits to the message (msg_apply_changes) or replacing it
// (msg_set_buffer), rewriting a reply's status line, removing the body,
// keeping only some headers, shell-style matching (fnmatch), editing the
// comma-separated values and the parameters of headers (append_hf_value,
// assign_hf_value2, include_hf_value, …) and iterating over the headers and
// the body lines of the message ($hfitname, $hfitbody, $blitval).
//
// Edits are recorded on the message like Kamailio's lumps: later reads see
// the message as received until msg_apply_changes runs.
package textopsx

import (
	"fmt"
	"regexp"
	"strconv"

	"github.com/kamgo/kamgo/lang/posixre"
	"github.com/kamgo/kamgo/pv"
	"github.com/kamgo/kamgo/runtime/logging"
	"github.com/kamgo/kamgo/runtime/module"
	"github.com/kamgo/kamgo/runtime/sip"
)

// Name is the module name.
const Name = "textopsx"

// Route masks, as Kamailio 5.6.3 declares them.
const (
	routesApply = module.Request | module.AnyReply | module.Event
	routesValue = module.Request | module.Failure | module.AnyReply | module.Branch | module.Event | module.Local
	routesAny   = module.Any
)

var (
	argFormat = module.Arg{Kind: module.ArgFormat}
	argConst  = module.Arg{Kind: module.ArgString}
)

func init() {
	module.MustRegister(&module.Module{
		Name: Name,
		Funcs: append([]module.Func{
			{Name: "msg_apply_changes", Routes: routesApply, Exec: execApplyChanges},
			{Name: "msg_set_buffer", ArgCounts: []int{1}, Args: []module.Arg{argFormat}, Routes: routesApply, Exec: execSetBuffer},
			{Name: "change_reply_status", ArgCounts: []int{2}, Args: []module.Arg{argFormat, argFormat},
				Routes: module.AnyReply, Fixup: fixupStatus, Exec: execChangeStatus},
			{Name: "change_reply_status_code", ArgCounts: []int{1}, Args: []module.Arg{argFormat},
				Routes: module.AnyReply, Fixup: fixupStatus, Exec: execChangeStatus},
			{Name: "remove_body", Routes: routesAny, Exec: execRemoveBody},
			{Name: "keep_hf", ArgCounts: []int{0, 1}, Args: []module.Arg{argConst}, Routes: routesAny,
				Fixup: fixupKeepHF, Exec: execKeepHF},
			{Name: "fnmatch", ArgCounts: []int{2, 3}, Args: []module.Arg{argFormat, argFormat, argFormat},
				Routes: routesAny, Exec: execFnmatch},
		}, append(valueFuncs(), iteratorFuncs()...)...),
		PVs: []pv.Class{
			{Name: "hfitname", Inner: pv.NeedsInner, Impl: &pv.Impl{Get: getHFItName}},
			{Name: "hfitbody", Inner: pv.NeedsInner, Impl: &pv.Impl{Get: getHFItBody}},
			{Name: "blitval", Inner: pv.NeedsInner, Impl: &pv.Impl{Get: getBLItVal}},
		},
	})
}

// message returns the SIP message of the call, nil when there is none
// (a non-SIP packet in event_route[nosip:msg]).
func message(ctx module.ExecContext) *sip.Message {
	st := ctx.State()
	if st == nil {
		return nil
	}
	return st.Msg
}

// execApplyChanges is msg_apply_changes(): 1 when the message was rebuilt
// (or had nothing to apply), -1 when it could not be built. A rebuilt
// message that does not parse stops the script (0), as in Kamailio, where
// the message is no longer usable.
func execApplyChanges(ctx module.ExecContext, _ module.Args) int {
	m := message(ctx)
	if m == nil {
		return -1
	}
	if m.IsRequest() && ctx.State().CoreFlags&pv.FlagRRAdded != 0 {
		ctx.Logger().Log(logging.LErr, "textopsx: msg_apply_changes: cannot apply msg changes after adding record-route header: the Record-Route depends on the outgoing socket")
		return -1
	}
	if err := m.ApplyChanges(); err != nil {
		ctx.Logger().Logf(logging.LErr, "textopsx: msg_apply_changes: %v", err)
		return 0
	}
	return 1
}

// execSetBuffer is msg_set_buffer(data).
func execSetBuffer(ctx module.ExecContext, args module.Args) int {
	m := message(ctx)
	if m == nil {
		return -1
	}
	data := args.Str(0)
	if data == "" {
		ctx.Logger().Log(logging.LErr, "textopsx: msg_set_buffer: the new message is empty")
		return -1
	}
	if err := m.SetBuffer([]byte(data)); err != nil {
		ctx.Logger().Logf(logging.LErr, "textopsx: msg_set_buffer: %v", err)
		return -1
	}
	return 1
}

// statusCall is what fixupStatus prepares: the constant code, if any.
type statusCall struct {
	code int // 0 when the code is a format string
}

func fixupStatus(_ module.Host, args []module.FixedArg) error {
	c := &statusCall{}
	if a := &args[0]; a.Const {
		n, err := strconv.Atoi(a.Str)
		if a.IsInt {
			n, err = int(a.Int), nil
		}
		if err != nil || n < 100 || n > 699 {
			return fmt.Errorf("the status code %q is not a number between 100 and 699", a.Str)
		}
		c.code = n
	}
	args[0].Fixed = c
	return nil
}

// execChangeStatus is change_reply_status(code, reason) and
// change_reply_status_code(code); the latter keeps the reason phrase.
func execChangeStatus(ctx module.ExecContext, args module.Args) int {
	m := message(ctx)
	if m == nil || m.IsRequest() {
		ctx.Logger().Log(logging.LErr, "textopsx: change_reply_status: the message is not a reply")
		return -1
	}
	code := 0
	if c, ok := args.Fixed[0].Fixed.(*statusCall); ok {
		code = c.code
	}
	if code == 0 {
		n, ok := args.Int(0)
		if !ok || n < 100 || n > 699 {
			ctx.Logger().Logf(logging.LErr, "textopsx: change_reply_status: invalid status code %q", args.Str(0))
			return -1
		}
		code = int(n)
	}
	reason := string(m.Reason())
	if args.Len() > 1 {
		reason = args.Str(1)
	}
	// Provisional and positive final replies keep their class: turning a
	// 2xx into a 4xx (or a 1xx into a final reply) would break the
	// transaction's state on both sides.
	if old := m.StatusCode(); (old < 300 || code < 300) && old/100 != code/100 {
		ctx.Logger().Logf(logging.LErr, "textopsx: change_reply_status: the class of provisional or positive final replies cannot be changed (%d to %d)", old, code)
		return -1
	}
	if err := m.SetStatus(code, reason); err != nil {
		ctx.Logger().Logf(logging.LErr, "textopsx: change_reply_status: %v", err)
		return -1
	}
	return 1
}

// execRemoveBody is remove_body(): the body goes, Content-Length becomes 0.
func execRemoveBody(ctx module.ExecContext, _ module.Args) int {
	m := message(ctx)
	if m == nil {
		return -1
	}
	if len(m.Body()) == 0 {
		return 1
	}
	if err := m.SetBody(nil); err != nil {
		ctx.Logger().Logf(logging.LErr, "textopsx: remove_body: %v", err)
		return -1
	}
	return 1
}

// keptHeaders are the headers keep_hf never removes.
var keptHeaders = [...]sip.HeaderType{
	sip.HdrVia, sip.HdrFrom, sip.HdrTo, sip.HdrCallID, sip.HdrCSeq, sip.HdrContentLength,
	sip.HdrContentType, sip.HdrMaxForwards, sip.HdrContact, sip.HdrRoute, sip.HdrRecordRoute,
}

func fixupKeepHF(_ module.Host, args []module.FixedArg) error {
	if len(args) == 0 {
		return nil
	}
	a := &args[0]
	if !a.Const {
		return fmt.Errorf("the regular expression must be a constant")
	}
	// Header names match in any case.
	re, err := posixre.Compile(a.Str, posixre.ICase)
	if err != nil {
		return fmt.Errorf("invalid regular expression %q: %w", a.Str, err)
	}
	a.Fixed = re
	return nil
}

// execKeepHF is keep_hf([regexp]): every header whose name does not match
// is removed, except the ones a SIP message cannot do without. Kamailio
// 5.6.3 returns -1 after doing the work, and so does kamgo, so that a
// script testing the result behaves the same.
func execKeepHF(ctx module.ExecContext, args module.Args) int {
	m := message(ctx)
	if m == nil {
		return -1
	}
	var re *regexp.Regexp
	if args.Len() > 0 {
		re, _ = args.Fixed[0].Fixed.(*regexp.Regexp)
	}
	hdrs := m.Headers()
next:
	for i := range hdrs {
		h := &hdrs[i]
		for _, t := range keptHeaders {
			if h.Type == t {
				continue next
			}
		}
		if re != nil && re.Match(h.Name) {
			continue
		}
		if err := m.RemoveHeader(i); err != nil {
			ctx.Logger().Logf(logging.LErr, "textopsx: keep_hf: %v", err)
			return -1
		}
	}
	return -1
}

// execFnmatch is fnmatch(value, pattern[, flags]). Kamailio 5.6.3 accepts
// the "i" flag but matches case-sensitively all the same; kamgo does what
// it does, so that scripts behave the same on both.
func execFnmatch(ctx module.ExecContext, args module.Args) int {
	if fnmatch(args.Str(1), args.Str(0)) {
		return 1
	}
	return -1
}

// fnmatch reports whether name matches the shell pattern (fnmatch(3)
// without flags: '*' and '?' match '/' and a leading '.' too; '\' quotes
// the next character; "[...]" with '!' or '^' negation and ranges).
func fnmatch(pattern, name string) bool {
	// Iterative matching with one backtrack point for the last '*': linear
	// in practice, never exponential.
	p, n := 0, 0
	starP, starN := -1, 0
	for n < len(name) {
		if p < len(pattern) {
			switch c := pattern[p]; c {
			case '*':
				starP, starN = p, n
				p++
				continue
			case '?':
				p++
				n++
				continue
			case '[':
				if ok, width, valid := matchClass(pattern[p:], name[n]); valid {
					if ok {
						p += width
						n++
						continue
					}
				} else if name[n] == '[' {
					p++
					n++
					continue
				}
			case '\\':
				if p+1 < len(pattern) && pattern[p+1] == name[n] {
					p += 2
					n++
					continue
				}
				if p+1 == len(pattern) && name[n] == '\\' {
					p++
					n++
					continue
				}
			default:
				if c == name[n] {
					p++
					n++
					continue
				}
			}
		}
		if starP < 0 {
			return false
		}
		starN++
		p, n = starP+1, starN
	}
	for p < len(pattern) && pattern[p] == '*' {
		p++
	}
	return p == len(pattern)
}

// matchClass matches c against the bracket expression at the start of
// pat; width is the expression's length, valid false when it is not
// closed (the '[' is then an ordinary character).
func matchClass(pat string, c byte) (ok bool, width int, valid bool) {
	i := 1
	negate := false
	if i < len(pat) && (pat[i] == '!' || pat[i] == '^') {
		negate = true
		i++
	}
	first := true
	for i < len(pat) {
		if pat[i] == ']' && !first {
			return ok != negate, i + 1, true
		}
		first = false
		lo := pat[i]
		if lo == '\\' && i+1 < len(pat) {
			i++
			lo = pat[i]
		}
		hi := lo
		if i+2 < len(pat) && pat[i+1] == '-' && pat[i+2] != ']' {
			hi = pat[i+2]
			if hi == '\\' && i+3 < len(pat) {
				i++
				hi = pat[i+2]
			}
			i += 2
		}
		if lo <= c && c <= hi {
			ok = true
		}
		i++
	}
	return false, 0, false
}
