package core

import (
	"os/exec"
	"strconv"
	"strings"

	"github.com/kamgo/kamgo/pv"
	"github.com/kamgo/kamgo/runtime/logging"
	"github.com/kamgo/kamgo/runtime/module"
	"github.com/kamgo/kamgo/runtime/sip"
)

// execs are the implementations of the core functions the VM does not run
// itself (route is an instruction). Those that send (forward, send) go
// through ExecContext.Core; the few without an implementation yet
// (forward_tls, set_advertised_address, …) are reported by the compiler as
// not supported.
func execs() map[string]module.ExecFunc {
	m := map[string]module.ExecFunc{
		"setflag":                setFlag,
		"resetflag":              resetFlag,
		"isflagset":              isFlagSet,
		"log":                    logFunc,
		"error":                  errorFunc,
		"exec":                   execFunc,
		"strip":                  strip,
		"strip_tail":             stripTail,
		"prefix":                 prefix,
		"userphone":              userPhone,
		"revert_uri":             revertURI,
		"remove_branch":          removeBranch,
		"clear_branches":         clearBranches,
		"force_rport":            setMsgFlag(pv.FlagForceRport),
		"add_rport":              setMsgFlag(pv.FlagForceRport),
		"add_local_rport":        setMsgFlag(pv.FlagLocalRport),
		"set_forward_no_connect": setMsgFlag(pv.FlagForwardNoConnect),
		"set_reply_no_connect":   setMsgFlag(pv.FlagReplyNoConnect),
		"set_forward_close":      setMsgFlag(pv.FlagForwardClose),
		"set_reply_close":        setMsgFlag(pv.FlagReplyClose),
	}
	for _, n := range []string{"rewriteuri", "seturi"} {
		m[n] = rewriteURI
	}
	forwardExecs(m)
	for names, part := range map[string]sip.URIPart{
		"rewritehost sethost seth":                     sip.PartHost,
		"rewritehostport sethostport sethp":            sip.PartHostPort,
		"rewriteuser setuser setu":                     sip.PartUser,
		"rewriteuserpass setuserpass setup":            sip.PartUserPass,
		"rewriteport setport setp":                     sip.PartPort,
		"rewritehostporttrans sethostporttrans sethpt": sip.PartHostPortTrans,
	} {
		for _, n := range strings.Fields(names) {
			m[n] = rewritePart(part)
		}
	}
	return m
}

// flagArg returns the flag number of argument 0, or -1 when out of range.
func flagArg(ctx module.ExecContext, args module.Args) int {
	n, ok := args.Int(0)
	if !ok || n < 0 || n > 31 {
		ctx.Logger().Logf(logging.LErr, "bad flag value %s", args.Str(0))
		return -1
	}
	return int(n)
}

func setFlag(ctx module.ExecContext, args module.Args) int {
	f := flagArg(ctx, args)
	if f < 0 {
		return -1
	}
	ctx.State().Flags |= 1 << f
	return 1
}

func resetFlag(ctx module.ExecContext, args module.Args) int {
	f := flagArg(ctx, args)
	if f < 0 {
		return -1
	}
	ctx.State().Flags &^= 1 << f
	return 1
}

func isFlagSet(ctx module.ExecContext, args module.Args) int {
	f := flagArg(ctx, args)
	if f < 0 {
		return -1
	}
	if ctx.State().Flags&(1<<f) != 0 {
		return 1
	}
	return -1
}

func setMsgFlag(bit uint32) module.ExecFunc {
	return func(ctx module.ExecContext, _ module.Args) int {
		ctx.State().CoreFlags |= bit
		return 1
	}
}

// logFunc is log("msg") (at level 4, below L_DBG) or log(level, "msg").
func logFunc(ctx module.ExecContext, args module.Args) int {
	level := logging.LDbg + 1
	msg := 0
	if args.Len() == 2 {
		n, _ := args.Int(0)
		level, msg = int(n), 1
	}
	ctx.Logger().Log(level, args.Str(msg))
	return 1
}

// errorFunc is error("a", "b"), which the core never implemented.
func errorFunc(ctx module.ExecContext, args module.Args) int {
	ctx.Logger().Logf(logging.LNotice, "error(%q, %q) not implemented", args.Str(0), args.Str(1))
	return 1
}

// execFunc runs a shell command, as system(3) does; the script waits.
func execFunc(ctx module.ExecContext, args module.Args) int {
	cmd := exec.Command("/bin/sh", "-c", args.Str(0))
	if err := cmd.Run(); err != nil {
		ctx.Logger().Logf(logging.LErr, "exec(%q): %v", args.Str(0), err)
	}
	return 1
}

// requestURI returns the message's current R-URI, or logs why there is
// none.
func requestURI(ctx module.ExecContext, fn string) ([]byte, bool) {
	msg := ctx.State().Msg
	if msg == nil || !msg.IsRequest() {
		ctx.Logger().Logf(logging.LErr, "%s: not a request", fn)
		return nil, false
	}
	return msg.RequestURI(), true
}

func setRURI(ctx module.ExecContext, fn string, uri []byte) int {
	if err := ctx.State().Msg.SetRequestURI(string(uri)); err != nil {
		ctx.Logger().Logf(logging.LErr, "%s: %v", fn, err)
		return -1
	}
	return 1
}

func rewriteURI(ctx module.ExecContext, args module.Args) int {
	if _, ok := requestURI(ctx, "rewriteuri"); !ok {
		return -1
	}
	return setRURI(ctx, "rewriteuri", []byte(args.Str(0)))
}

func rewritePart(part sip.URIPart) module.ExecFunc {
	return func(ctx module.ExecContext, args module.Args) int {
		raw, ok := requestURI(ctx, "rewrite")
		if !ok {
			return -1
		}
		value := args.Str(0)
		if part == sip.PartPort {
			if _, err := strconv.ParseUint(value, 10, 16); err != nil && value != "" {
				ctx.Logger().Logf(logging.LErr, "bad port %q", value)
				return -1
			}
		}
		out, err := sip.RewriteURI(nil, raw, part, value)
		if err != nil {
			ctx.Logger().Logf(logging.LErr, "cannot rewrite the R-URI: %v", err)
			return -1
		}
		return setRURI(ctx, "rewrite", out)
	}
}

// userPart returns the user of the current R-URI.
func userPart(ctx module.ExecContext, fn string) (raw []byte, user string, ok bool) {
	raw, ok = requestURI(ctx, fn)
	if !ok {
		return nil, "", false
	}
	u, err := sip.ParseURI(raw)
	if err != nil {
		ctx.Logger().Logf(logging.LErr, "%s: bad R-URI: %v", fn, err)
		return nil, "", false
	}
	return raw, string(u.User), true
}

func strip(ctx module.ExecContext, args module.Args) int {
	return stripN(ctx, args, false)
}

func stripTail(ctx module.ExecContext, args module.Args) int {
	return stripN(ctx, args, true)
}

func stripN(ctx module.ExecContext, args module.Args, tail bool) int {
	raw, user, ok := userPart(ctx, "strip")
	if !ok {
		return -1
	}
	n64, _ := args.Int(0)
	n := int(n64)
	if n < 0 {
		return -1
	}
	if n > len(user) {
		what := "strip"
		if tail {
			what = "strip_tail"
		}
		ctx.Logger().Logf(logging.LWarn, "too long %s asked; deleting username: %d of <%s>", what, n, user)
		n = len(user)
	}
	if tail {
		user = user[:len(user)-n]
	} else {
		user = user[n:]
	}
	out, err := sip.RewriteURI(nil, raw, sip.PartUser, user)
	if err != nil {
		return -1
	}
	return setRURI(ctx, "strip", out)
}

func prefix(ctx module.ExecContext, args module.Args) int {
	raw, user, ok := userPart(ctx, "prefix")
	if !ok {
		return -1
	}
	out, err := sip.RewriteURI(nil, raw, sip.PartUser, args.Str(0)+user)
	if err != nil {
		return -1
	}
	return setRURI(ctx, "prefix", out)
}

func userPhone(ctx module.ExecContext, _ module.Args) int {
	raw, ok := requestURI(ctx, "userphone")
	if !ok {
		return -1
	}
	u, err := sip.ParseURI(raw)
	if err != nil {
		return -1
	}
	if strings.EqualFold(string(u.UserParam), "phone") {
		return 1
	}
	// the parameter goes before the headers
	s := string(raw)
	if i := strings.IndexByte(s, '?'); i >= 0 {
		return setRURI(ctx, "userphone", []byte(s[:i]+";user=phone"+s[i:]))
	}
	return setRURI(ctx, "userphone", []byte(s+";user=phone"))
}

func revertURI(ctx module.ExecContext, _ module.Args) int {
	msg := ctx.State().Msg
	if msg == nil || !msg.IsRequest() {
		return -1
	}
	return setRURI(ctx, "revert_uri", msg.OriginalRequestURI())
}

func removeBranch(ctx module.ExecContext, args module.Args) int {
	st := ctx.State()
	i := 0
	if args.Len() == 1 {
		n, ok := args.Int(0)
		if !ok {
			return -1
		}
		i = int(n)
	}
	if i < 0 || i >= len(st.Branches) {
		return -1
	}
	st.Branches = append(st.Branches[:i], st.Branches[i+1:]...)
	return 1
}

func clearBranches(ctx module.ExecContext, _ module.Args) int {
	st := ctx.State()
	st.Branches = st.Branches[:0]
	return 1
}
