// Package sl is Kamailio's sl module: stateless replies to requests
// (sl_send_reply, sl_reply, sl_reply_error), replies that go through tm
// when a transaction exists (send_reply, send_reply_mode), the stateless
// forwarding of a received reply (sl_forward_reply), the absorption of the
// ACKs sent to its own non-2xx replies, its reply statistics and the
// sl.stats control command.
//
// Replies carry a To tag made of a per-server random prefix, ".", and a
// hash of the request, so that retransmissions get the same tag and an ACK
// to one of our replies is recognised by the prefix alone.
package sl

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"

	"github.com/kamgo/kamgo/pv"
	"github.com/kamgo/kamgo/runtime/logging"
	"github.com/kamgo/kamgo/runtime/module"
	"github.com/kamgo/kamgo/runtime/sip"
)

// Name is the module name.
const Name = "sl"

// Event routes the module runs.
const (
	// EventFilteredACK runs on an ACK to one of sl's replies, which sl
	// then absorbs.
	EventFilteredACK = "sl:filtered-ack"
	// EventLocalResponse runs after sl sent a stateless reply, on the
	// reply.
	EventLocalResponse = "sl:local-response"
)

// Reply modes of send_reply_mode, as bits.
const (
	ModeNoConnect = 1 // do not open a connection to send the reply
	ModeClose     = 2 // close the connection once the reply is written
)

// errorReason is what sl_reply_error sends: kamgo records no internal error
// code, and Kamailio sends this reason when none was recorded.
const (
	errorCode   = 500
	errorReason = "I'm terribly sorry, server error occurred (1/SL)"
)

// TransactionReplier is implemented by the state of the tm module: send_reply
// and send_reply_mode ask it first, and it answers with handled=true and
// its return code when the request has a transaction (the reply is then
// sent statefully), or handled=false when there is none and sl replies
// statelessly. sl binds it at Init when bind_tm is not 0.
type TransactionReplier interface {
	ReplyInTransaction(ctx module.ExecContext, code int, reason string) (handled bool, rc int)
}

// State is the module's state in one server: its parameters, the To tag
// prefix, the bound tm and the statistics.
type State struct {
	DefaultCode   int
	DefaultReason string
	BindTM        bool
	// RichRedirect adds branch details to the Contacts of 3xx replies:
	// 1 the branch flags, 2 the path as a Route header of the URI.
	RichRedirect int

	tagPrefix string
	tm        TransactionReplier
	stats     stats
}

// New returns the state with the default parameters and a fresh random
// tag prefix.
func New() *State {
	var b [8]byte
	_, _ = rand.Read(b[:]) // never fails since Go 1.24 (it aborts instead)
	return &State{
		DefaultCode:   500,
		DefaultReason: "Internal Server Error",
		BindTM:        true,
		tagPrefix:     hex.EncodeToString(b[:]),
	}
}

// TagPrefix is the prefix of the To tags of sl's replies.
func (s *State) TagPrefix() string { return s.tagPrefix }

// tagHashLen is the length of the hash part of a tag (AppendStableTag's hex
// of 64 bits).
const tagHashLen = 16

// isOurTag reports whether a To tag is one sl put in a reply.
func (s *State) isOurTag(tag []byte) bool {
	p := s.tagPrefix
	return len(tag) == len(p)+1+tagHashLen && string(tag[:len(p)]) == p && tag[len(p)] == '.'
}

// appendToTag appends the To tag of a reply to m.
func (s *State) appendToTag(dst []byte, m *sip.Message) ([]byte, error) {
	dst = append(dst, s.tagPrefix...)
	dst = append(dst, '.')
	return sip.AppendStableTag(dst, m)
}

// stateOf returns the sl state a host holds.
func stateOf(host module.Host) (*State, bool) { return module.HostState[*State](host, Name) }

// fixupState is the state a call's fixup binds: the server's, or a fresh
// one when no server is being loaded (kamgo check compiles with no host).
func fixupState(host module.Host) *State {
	if s, ok := stateOf(host); ok {
		return s
	}
	return New()
}

func init() {
	module.MustRegister(&module.Module{
		Name: Name,
		New:  func() any { return New() },
		Params: []module.Param{
			intParam("default_code", 500, func(s *State, v int64) error {
				if v < 100 || v > 699 {
					return fmt.Errorf("default_code must be a status code between 100 and 699, got %d", v)
				}
				s.DefaultCode = int(v)
				return nil
			}),
			{Name: "default_reason", Kind: module.ParamString, Default: module.ParamValue{Str: "Internal Server Error"},
				Apply: func(host module.Host, v module.ParamValue) error {
					s, err := paramState(host)
					if err != nil {
						return err
					}
					if strings.ContainsAny(v.Str, "\r\n\x00") {
						return fmt.Errorf("default_reason must be a single line")
					}
					s.DefaultReason = v.Str
					return nil
				}},
			intParam("bind_tm", 1, func(s *State, v int64) error { s.BindTM = v != 0; return nil }),
			intParam("rich_redirect", 0, func(s *State, v int64) error {
				if v < 0 || v > 3 {
					return fmt.Errorf("rich_redirect must be 0..3 (1 branch flags, 2 path, 3 both), got %d", v)
				}
				s.RichRedirect = int(v)
				return nil
			}),
			{Name: "event_callback_fl_ack", Kind: module.ParamString,
				Unsupported: "KEMI callbacks are not available in kamgo; use event_route[sl:filtered-ack] instead"},
			{Name: "event_callback_lres_sent", Kind: module.ParamString,
				Unsupported: "KEMI callbacks are not available in kamgo; use event_route[sl:local-response] instead"},
		},
		Funcs:       funcs(),
		EventRoutes: []string{EventFilteredACK, EventLocalResponse},
		RPC: []module.RPC{{Name: "sl.stats", Doc: "Print the number of replies sent by sl, by status code.",
			Handler: func(host module.Host, _ []any) (any, error) {
				s, ok := stateOf(host)
				if !ok {
					return nil, fmt.Errorf("sl.stats: module sl is not loaded")
				}
				return s.RPCStats(), nil
			}}},
		Init: func(host module.Host) error {
			s, ok := stateOf(host)
			if !ok {
				return fmt.Errorf("sl: no module state (internal error)")
			}
			if !s.BindTM {
				return nil
			}
			if t, ok := host.Module("tm"); ok {
				if r, ok := t.(TransactionReplier); ok {
					s.tm = r
				}
			}
			return nil
		},
	})
}

func paramState(host module.Host) (*State, error) { return module.ParamState[*State](host, Name) }

func intParam(name string, def int64, set func(*State, int64) error) module.Param {
	return module.Param{Name: name, Kind: module.ParamInt, Default: module.ParamValue{IsInt: true, Int: def},
		Apply: func(host module.Host, v module.ParamValue) error {
			s, err := paramState(host)
			if err != nil {
				return err
			}
			if !v.IsInt {
				return fmt.Errorf("%s takes an integer, got %q", name, v.Str)
			}
			return set(s, v.Int)
		}}
}

// BeforeRequest implements module.RequestHook: an ACK whose To tag is one
// of ours acknowledges a non-2xx reply sl sent; it is counted, shown to
// event_route[sl:filtered-ack] and absorbed.
func (s *State) BeforeRequest(ctx module.ExecContext) bool {
	st := ctx.State()
	if st == nil || st.Msg == nil || !st.Msg.IsRequest() || st.Msg.MethodID() != sip.MethodACK {
		return false
	}
	to, err := st.Msg.To()
	if err != nil || !s.isOurTag(to.Tag) {
		return false
	}
	s.stats.n[statACKs].Add(1)
	if core := ctx.Core(); core != nil && core.HasRoute(EventFilteredACK) {
		raw := st.Raw
		if raw == nil {
			raw = st.Msg.Bytes()
		}
		core.RunEvent(EventFilteredACK, st.Recv, raw)
	}
	return true
}

// reply sends a stateless reply to the request in ctx and does what goes
// with it: the To tag, the Contacts of a 3xx, the statistics and
// event_route[sl:local-response]. It returns the script code.
func (s *State) reply(ctx module.ExecContext, code int, reason string) int {
	log := ctx.Logger()
	core := ctx.Core()
	if core == nil {
		log.Logf(logging.LErr, "sl: cannot send %d %s: no server is running", code, reason)
		return -1
	}
	st := ctx.State()
	if st == nil || st.Msg == nil || !st.Msg.IsRequest() {
		s.stats.n[statFailures].Add(1)
		log.Logf(logging.LErr, "sl: cannot send %d %s: the message is not a request", code, reason)
		return -1
	}
	if st.Msg.MethodID() == sip.MethodACK {
		s.stats.n[statFailures].Add(1)
		log.Log(logging.LWarn, "sl: not replying to an ACK")
		return -1
	}
	start := len(st.Arena)
	var err error
	if st.Arena, err = s.appendToTag(st.Arena, st.Msg); err != nil {
		st.Arena = st.Arena[:start]
		s.stats.n[statFailures].Add(1)
		log.Logf(logging.LErr, "sl: cannot send %d %s: %v", code, reason, err)
		return -1
	}
	opts := sip.ReplyOptions{ToTag: st.ArenaString(start)}
	if code >= 300 && code < 400 {
		if c := s.contactValue(st); c != "" {
			opts.Headers = []string{"Contact: " + c}
		}
	}
	if err := core.SendReply(st, code, reason, opts); err != nil {
		s.stats.n[statFailures].Add(1)
		log.Logf(logging.LErr, "sl: sending %d %s: %v", code, reason, err)
		return -1
	}
	s.stats.count(code)
	if core.HasRoute(EventLocalResponse) {
		// The route sees the reply as sl built it; the headers the core
		// adds while sending (Server, append_to_reply) are not in it.
		if raw, err := sip.AppendReply(nil, st.Msg, code, reason, &opts); err == nil {
			core.RunEvent(EventLocalResponse, st.Recv, raw)
		}
	}
	return 1
}

// replyMaybeStateful is send_reply: tm answers when the request has a
// transaction, sl otherwise.
func (s *State) replyMaybeStateful(ctx module.ExecContext, code int, reason string) int {
	if s.tm != nil {
		if handled, rc := s.tm.ReplyInTransaction(ctx, code, reason); handled {
			return rc
		}
	}
	return s.reply(ctx, code, reason)
}

// intArg is a fixed-up integer argument: a constant or a pseudo-variable.
type intArg struct {
	n  int64
	pv *pv.PV
	// strict requires the pseudo-variable to hold an integer, as
	// Kamailio's int fparam does ($var(c) = "404" does not convert).
	strict bool
}

// fixIntArg prepares an integer argument given as a number, a string
// holding one, or a string that is a lone pseudo-variable ("$var(code)").
func fixIntArg(a *module.FixedArg, what string, strict bool) (intArg, error) {
	switch {
	case a.Const && a.IsInt:
		return intArg{n: a.Int}, nil
	case a.Const:
		n, err := strconv.ParseInt(strings.TrimSpace(a.Str), 10, 64)
		if err != nil {
			return intArg{}, fmt.Errorf("%s must be an integer or a pseudo-variable, got %q", what, a.Str)
		}
		return intArg{n: n}, nil
	case a.PV != nil:
		return intArg{pv: a.PV, strict: strict}, nil
	case a.Format != nil:
		if len(a.Format.Parts) == 1 && a.Format.Parts[0].PV != nil {
			return intArg{pv: a.Format.Parts[0].PV, strict: strict}, nil
		}
		return intArg{}, fmt.Errorf("%s must be an integer or a single pseudo-variable, not a string mixing text and variables", what)
	}
	return intArg{}, fmt.Errorf("%s must be an integer or a pseudo-variable", what)
}

// value evaluates the argument; ok is false when the pseudo-variable does
// not hold an integer.
func (a intArg) value(st *pv.State) (int64, bool) {
	if a.pv == nil {
		return a.n, true
	}
	v := a.pv.Get(st)
	switch v.K {
	case pv.KindInt:
		return v.I, true
	case pv.KindStr:
		if a.strict {
			return 0, false
		}
		return pv.StrToInt(v.S)
	}
	return 0, false
}

func validCode(n int64) bool { return n >= 100 && n <= 699 }

// replyCall is what the fixup of a reply function prepares.
type replyCall struct {
	sl   *State
	code intArg
	// mode is send_reply_mode's third argument.
	mode    intArg
	hasMode bool
}

var (
	argCode   = module.Arg{Kind: module.ArgAny}
	argReason = module.Arg{Kind: module.ArgFormat}
	argMode   = module.Arg{Kind: module.ArgAny}
	argText   = module.Arg{Kind: module.ArgFormat}
)

func funcs() []module.Func {
	return []module.Func{
		{Name: "sl_send_reply", ArgCounts: []int{2}, Args: []module.Arg{argCode, argReason}, Routes: module.Request,
			Fixup: fixupReply, Exec: execSLReply},
		{Name: "sl_reply", ArgCounts: []int{2}, Args: []module.Arg{argCode, argReason}, Routes: module.Request,
			Fixup: fixupReply, Exec: execSLReply},
		{Name: "send_reply", ArgCounts: []int{2}, Args: []module.Arg{argCode, argReason},
			Routes: module.Request | module.AnyReply | module.Failure, Fixup: fixupReply, Exec: execSendReply},
		{Name: "send_reply_mode", ArgCounts: []int{3}, Args: []module.Arg{argCode, argReason, argMode},
			Routes: module.Request | module.AnyReply | module.Failure, Fixup: fixupReply, Exec: execSendReply},
		{Name: "sl_reply_error", Routes: module.Request, Exec: execReplyError},
		{Name: "sl_forward_reply", ArgCounts: []int{0, 1, 2}, Args: []module.Arg{argText, argText},
			Routes: module.AnyReply, Fixup: fixupForward, Exec: execForwardReply},
	}
}

func fixupReply(host module.Host, args []module.FixedArg) error {
	if len(args) < 2 {
		return fmt.Errorf("a reply needs a code and a reason")
	}
	c := &replyCall{sl: fixupState(host)}
	var err error
	if c.code, err = fixIntArg(&args[0], "the reply code", true); err != nil {
		return err
	}
	if c.code.pv == nil && !validCode(c.code.n) {
		return fmt.Errorf("reply code %d is not a SIP status code (100..699)", c.code.n)
	}
	if len(args) > 2 {
		if c.mode, err = fixIntArg(&args[2], "the reply mode", false); err != nil {
			return err
		}
		if c.mode.pv == nil && (c.mode.n < 0 || c.mode.n > ModeNoConnect|ModeClose) {
			return fmt.Errorf("reply mode %d is not a combination of 1 (no connect) and 2 (close)", c.mode.n)
		}
		c.hasMode = true
	}
	args[0].Fixed = c
	return nil
}

// codeAndReason evaluates the code and reason of a reply call, falling
// back to default_code and default_reason when they cannot be used, as
// Kamailio does.
func (c *replyCall) codeAndReason(ctx module.ExecContext, args module.Args) (int, string, bool) {
	st := ctx.State()
	log := ctx.Logger()
	code := c.sl.DefaultCode
	if n, ok := c.code.value(st); !ok {
		log.Logf(logging.LErr, "sl: the reply code is not an integer; sending %d", code)
	} else if !validCode(n) {
		log.Logf(logging.LErr, "sl: reply code %d is not a SIP status code (100..699)", n)
		return 0, "", false
	} else {
		code = int(n)
	}
	reason := args.Str(1)
	if strings.ContainsAny(reason, "\r\n\x00") {
		log.Logf(logging.LErr, "sl: the reply reason %q is not a single line; sending %q", reason, c.sl.DefaultReason)
		reason = c.sl.DefaultReason
	}
	return code, reason, true
}

func callOf(args module.Args) *replyCall {
	if len(args.Fixed) == 0 {
		return nil
	}
	c, _ := args.Fixed[0].Fixed.(*replyCall)
	return c
}

func execSLReply(ctx module.ExecContext, args module.Args) int {
	c := callOf(args)
	if c == nil {
		return -1
	}
	code, reason, ok := c.codeAndReason(ctx, args)
	if !ok {
		c.sl.stats.n[statFailures].Add(1)
		return -1
	}
	return c.sl.reply(ctx, code, reason)
}

func execSendReply(ctx module.ExecContext, args module.Args) int {
	c := callOf(args)
	if c == nil {
		return -1
	}
	code, reason, ok := c.codeAndReason(ctx, args)
	if !ok {
		c.sl.stats.n[statFailures].Add(1)
		return -1
	}
	if c.hasMode {
		st := ctx.State()
		mode, ok := c.mode.value(st)
		if !ok || mode < 0 || mode > ModeNoConnect|ModeClose {
			ctx.Logger().Logf(logging.LErr, "sl: invalid reply mode %q", args.Str(2))
			return -1
		}
		// As set_reply_no_connect() and set_reply_close() do: the flags
		// stay on the message.
		if mode&ModeNoConnect != 0 {
			st.CoreFlags |= pv.FlagReplyNoConnect
		}
		if mode&ModeClose != 0 {
			st.CoreFlags |= pv.FlagReplyClose
		}
	}
	return c.sl.replyMaybeStateful(ctx, code, reason)
}

// runtimeState finds sl's state for a function without arguments, whose
// fixup cannot carry it: through the running server.
func runtimeState(ctx module.ExecContext) (*State, bool) { return module.RunState[*State](ctx, Name) }

func execReplyError(ctx module.ExecContext, _ module.Args) int {
	s, ok := runtimeState(ctx)
	if !ok {
		ctx.Logger().Log(logging.LErr, "sl_reply_error: the sl module's state is not reachable (the server does not expose its modules)")
		return -1
	}
	ctx.Logger().Logf(logging.LErr, "sl: stateless error reply used: %s", errorReason)
	rc := s.reply(ctx, errorCode, errorReason)
	if rc > 0 {
		s.stats.n[statErrReplies].Add(1)
	}
	return rc
}

// forwardCall is what sl_forward_reply's fixup prepares: a constant code,
// checked at compile time, or 0 when it is computed.
type forwardCall struct {
	code int
}

func fixupForward(_ module.Host, args []module.FixedArg) error {
	if len(args) == 0 {
		return nil
	}
	c := &forwardCall{}
	if a := &args[0]; a.Const {
		n, err := strconv.ParseInt(strings.TrimSpace(a.Str), 10, 64)
		if a.IsInt {
			n, err = a.Int, nil
		}
		if err != nil || !validCode(n) {
			return fmt.Errorf("reply code %q is not a SIP status code (100..699)", a.Str)
		}
		c.code = int(n)
	}
	args[0].Fixed = c
	return nil
}

func execForwardReply(ctx module.ExecContext, args module.Args) int {
	log := ctx.Logger()
	core := ctx.Core()
	if core == nil {
		log.Log(logging.LErr, "sl_forward_reply: no server is running")
		return -1
	}
	st := ctx.State()
	if st == nil || st.Msg == nil || st.Msg.IsRequest() {
		log.Log(logging.LErr, "sl_forward_reply: the message is not a reply")
		return -1
	}
	m := st.Msg
	if args.Len() > 0 {
		code := 0
		if c, _ := args.Fixed[0].Fixed.(*forwardCall); c != nil && c.code != 0 {
			code = c.code
		} else {
			text := strings.TrimSpace(args.Str(0))
			n, err := strconv.Atoi(text)
			if err != nil || !validCode(int64(n)) {
				log.Logf(logging.LErr, "sl_forward_reply: %q is not a SIP status code", text)
				return -1
			}
			code = n
		}
		old := m.StatusCode()
		if code/100 != old/100 {
			log.Logf(logging.LErr, "sl_forward_reply: new code %d is not in the class of the received %d", code, old)
			return -1
		}
		reason := string(m.Reason())
		if args.Len() > 1 {
			reason = args.Str(1)
		}
		if strings.ContainsAny(reason, "\r\n\x00") {
			log.Logf(logging.LErr, "sl_forward_reply: reason %q is not a single line", reason)
			return -1
		}
		version := string(m.Version())
		if version == "" {
			version = "SIP/2.0"
		}
		// The new status line is for this copy only; the message keeps
		// the one it was received with.
		mark := m.Mark()
		defer m.Rollback(mark)
		if err := m.Replace(m.StartLine(), version+" "+strconv.Itoa(code)+" "+reason); err != nil {
			log.Logf(logging.LErr, "sl_forward_reply: rewriting the status line: %v", err)
			return -1
		}
	}
	if err := core.ForwardReply(st); err != nil {
		log.Logf(logging.LErr, "sl_forward_reply: %v", err)
		return -1
	}
	return 1
}
