// Package corex is Kamailio's corex module: append_branch with dynamic
// arguments, sending the received message or raw data (send_udp, send_tcp,
// send_data, sendx), the extended and internal message flags, choosing
// the sending and receiving sockets and the source address, file_read and
// file_write, and is_faked_msg / is_socket_name.
//
// has_ruri_user, has_user_agent and forward_uac are KEMI-only in Kamailio
// 5.6 and native config functions from 5.7 on; kamgo offers them to the
// native config, so that scripts written for newer Kamailio load.
package corex

import (
	"fmt"
	"os"

	"github.com/kamgo/kamgo/pv"
	"github.com/kamgo/kamgo/runtime/logging"
	"github.com/kamgo/kamgo/runtime/module"
)

// Name is the module name.
const Name = "corex"

// Keys of pv.State.Extra holding corex's per-message state.
const (
	// XFlagsKey holds a *uint64: the extended flags (setxflag).
	XFlagsKey = "corex.xflags"
	// IFlagsKey holds a uint32: the internal flags (msg_iflag_set), the
	// IFlag* bits, which uac reads.
	IFlagsKey = "corex.iflags"
	// RURIConsumedKey holds true once append_branch() made a branch of
	// the R-URI itself (no arguments): tm then does not send to the R-URI
	// again, as Kamailio's ruri_mark_consumed does.
	RURIConsumedKey = "core.ruri_consumed"
)

// Internal message flags, as msg_iflag_set names them.
const (
	IFlagUseUACFrom uint32 = 1 << iota // USE_UAC_FROM
	IFlagUseUACTo                      // USE_UAC_TO
	IFlagUACAuth                       // UAC_AUTH
)

// defaultMaxBranches is Kamailio's max_branches when the core did not say.
const defaultMaxBranches = 12

// Params holds the module parameters.
type Params struct {
	// AliasSubdomains are the proto:domain:port values of
	// alias_subdomains, kept so that the core can add them to "myself".
	AliasSubdomains []string
	NIOIntercept    int64
	NIOMinMsgLen    int64
	NIOMsgAVP       string
}

func paramsOf(host module.Host) (*Params, error) {
	if host != nil {
		if v, ok := host.Module(Name); ok {
			if p, ok := v.(*Params); ok && p != nil {
				return p, nil
			}
		}
	}
	return nil, fmt.Errorf("corex: no module state (internal error)")
}

var (
	argDyn    = module.Arg{Kind: module.ArgAny, Dynamic: true}
	argPVName = module.Arg{Kind: module.ArgPVName}
)

func init() {
	module.MustRegister(&module.Module{
		Name: Name,
		New:  func() any { return &Params{} },
		Params: []module.Param{
			{Name: "alias_subdomains", Kind: module.ParamString, Multi: true,
				Unsupported: "kamgo's myself matching does not take sub-domain aliases yet; list each name with the core's alias="},
			{Name: "dns_cache", Kind: module.ParamString, Multi: true,
				Unsupported: "kamgo has no internal DNS cache to preload"},
			{Name: "evcb_reply_out", Kind: module.ParamString,
				Unsupported: "KEMI callbacks are not available in kamgo"},
			{Name: "nio_intercept", Kind: module.ParamInt, Default: module.ParamValue{IsInt: true},
				Apply: func(host module.Host, v module.ParamValue) error {
					p, err := paramsOf(host)
					if err != nil {
						return err
					}
					if v.Int != 0 {
						return fmt.Errorf("nio_intercept: event_route[network:msg] is not supported by kamgo yet")
					}
					p.NIOIntercept = v.Int
					return nil
				}},
			{Name: "nio_min_msg_len", Kind: module.ParamInt, Default: module.ParamValue{IsInt: true},
				Apply: func(host module.Host, v module.ParamValue) error {
					p, err := paramsOf(host)
					if err != nil {
						return err
					}
					p.NIOMinMsgLen = v.Int
					return nil
				}},
			{Name: "nio_msg_avp", Kind: module.ParamString,
				Apply: func(host module.Host, v module.ParamValue) error {
					p, err := paramsOf(host)
					if err != nil {
						return err
					}
					p.NIOMsgAVP = v.Str
					return nil
				}},
		},
		Funcs:       funcs(),
		EventRoutes: []string{"network:msg", "corex:reply-out"},
	})
}

func funcs() []module.Func {
	one := []int{1}
	reqFail := module.Request | module.Failure
	fs := []module.Func{
		{Name: "append_branch", ArgCounts: []int{0, 1, 2}, Args: []module.Arg{argDyn, argDyn}, Routes: reqFail, Exec: execAppendBranch},
		{Name: "send_udp", ArgCounts: []int{0, 1}, Args: []module.Arg{argDyn}, Routes: reqFail, Exec: execSend(pv.ProtoUDP)},
		{Name: "send_tcp", ArgCounts: []int{0, 1}, Args: []module.Arg{argDyn}, Routes: reqFail, Exec: execSend(pv.ProtoTCP)},
		{Name: "send_data", ArgCounts: []int{2}, Args: []module.Arg{argDyn, argDyn}, Routes: module.Any, Exec: execSendData},
		{Name: "sendx", ArgCounts: []int{3}, Args: []module.Arg{argDyn, argDyn, argDyn}, Routes: module.Any, Exec: execSendX},
		// is_incoming belongs to event_route[network:msg] (nio_intercept).
		{Name: "is_incoming", Routes: module.Any},
		{Name: "msg_iflag_set", ArgCounts: one, Args: []module.Arg{argDyn}, Routes: module.Any, Exec: iflag(opSet)},
		{Name: "msg_iflag_reset", ArgCounts: one, Args: []module.Arg{argDyn}, Routes: module.Any, Exec: iflag(opReset)},
		{Name: "msg_iflag_is_set", ArgCounts: one, Args: []module.Arg{argDyn}, Routes: module.Any, Exec: iflag(opTest)},
		{Name: "file_read", ArgCounts: []int{2}, Args: []module.Arg{argDyn, argPVName}, Routes: module.Any, Fixup: fixupWritable(1), Exec: execFileRead},
		{Name: "file_write", ArgCounts: []int{2}, Args: []module.Arg{argDyn, argDyn}, Routes: module.Any, Exec: execFileWrite},
		{Name: "setxflag", ArgCounts: one, Args: []module.Arg{argDyn}, Routes: module.Any, Fixup: fixupIntOrPV, Exec: xflag(opSet)},
		{Name: "resetxflag", ArgCounts: one, Args: []module.Arg{argDyn}, Routes: module.Any, Fixup: fixupIntOrPV, Exec: xflag(opReset)},
		{Name: "isxflagset", ArgCounts: one, Args: []module.Arg{argDyn}, Routes: module.Any, Fixup: fixupIntOrPV, Exec: xflag(opTest)},
		{Name: "set_send_socket", ArgCounts: one, Args: []module.Arg{argDyn}, Routes: module.Any, Exec: execSetSendSocket(false)},
		{Name: "set_send_socket_name", ArgCounts: one, Args: []module.Arg{argDyn}, Routes: module.Any, Exec: execSetSendSocket(true)},
		{Name: "set_recv_socket", ArgCounts: one, Args: []module.Arg{argDyn}, Routes: module.Any, Exec: execSetRecvSocket(false)},
		{Name: "set_recv_socket_name", ArgCounts: one, Args: []module.Arg{argDyn}, Routes: module.Any, Exec: execSetRecvSocket(true)},
		{Name: "set_source_address", ArgCounts: one, Args: []module.Arg{argDyn}, Routes: module.Any, Exec: execSetSourceAddress},
		{Name: "via_add_srvid", ArgCounts: one, Args: []module.Arg{argDyn}, Routes: module.Any, Exec: viaControl(pv.FlagViaSrvID)},
		{Name: "via_add_xavp_params", ArgCounts: one, Args: []module.Arg{argDyn}, Routes: module.Any, Exec: viaControl(pv.FlagViaXAVPParams)},
		{Name: "via_use_xavp_fields", ArgCounts: one, Args: []module.Arg{argDyn}, Routes: module.Any, Exec: viaControl(pv.FlagViaXAVPFields)},
		{Name: "is_faked_msg", Routes: module.Any, Exec: execIsFaked},
		{Name: "is_socket_name", ArgCounts: one, Args: []module.Arg{argDyn}, Routes: module.Any, Exec: execIsSocketName},
		{Name: "forward_reply", Routes: module.CoreReply, Exec: execForwardReply},
		{Name: "has_ruri_user", Routes: module.Any, Exec: execHasRURIUser},
		{Name: "has_user_agent", Routes: module.Any, Exec: execHasUserAgent},
		{Name: "forward_uac", Routes: reqFail, Exec: execForwardUAC},
	}
	return fs
}

func fixupWritable(i int) module.FixupFunc {
	return func(_ module.Host, args []module.FixedArg) error {
		if args[i].PV == nil || !args[i].PV.Writable() {
			return fmt.Errorf("argument %d must be a writable pseudo-variable, got %q", i+1, args[i].Str)
		}
		return nil
	}
}

func execIsFaked(ctx module.ExecContext, _ module.Args) int {
	// A message the core made up for an event route has no received bytes.
	if len(ctx.State().Raw) == 0 {
		return 1
	}
	return -1
}

// viaControl makes via_add_srvid, via_add_xavp_params and
// via_use_xavp_fields: 1 turns the core's Via option on for this message,
// 0 off.
func viaControl(flag uint32) module.ExecFunc {
	return func(ctx module.ExecContext, args module.Args) int {
		n, ok := args.Int(0)
		if !ok {
			ctx.Logger().Logf(logging.LErr, "corex: bad flag value %q", args.Str(0))
			return -1
		}
		st := ctx.State()
		if n != 0 {
			st.CoreFlags |= flag
		} else {
			st.CoreFlags &^= flag
		}
		return 1
	}
}

// execHasRURIUser: 1 when the R-URI (as rewritten) has a user part.
func execHasRURIUser(ctx module.ExecContext, _ module.Args) int {
	m := ctx.State().Msg
	if m == nil || !m.IsRequest() {
		return -1
	}
	u, err := m.ParsedRequestURI()
	if err != nil || len(u.User) == 0 {
		return -1
	}
	return 1
}

// execHasUserAgent: 1 when the message has a User-Agent header.
func execHasUserAgent(ctx module.ExecContext, _ module.Args) int {
	m := ctx.State().Msg
	if m == nil || m.HeaderCount("User-Agent") == 0 {
		return -1
	}
	return 1
}

// execForwardUAC forwards the request statelessly as if kamgo had made
// it: the received Via headers are left out and only ours is sent (a
// REGISTER relayed on behalf of a client, for example).
func execForwardUAC(ctx module.ExecContext, _ module.Args) int {
	core := ctx.Core()
	st := ctx.State()
	if core == nil || st.Msg == nil || !st.Msg.IsRequest() {
		ctx.Logger().Log(logging.LErr, "forward_uac: no request or no server running")
		return -1
	}
	mark := st.Msg.Mark()
	defer st.Msg.Rollback(mark)
	if st.Msg.RemoveHeaders("Via") == 0 {
		return -1
	}
	if err := core.Forward(st, module.Target{}); err != nil {
		ctx.Logger().Logf(logging.LErr, "forward_uac: %v", err)
		return -1
	}
	return 1
}

func execForwardReply(ctx module.ExecContext, _ module.Args) int {
	core := ctx.Core()
	if core == nil {
		ctx.Logger().Log(logging.LErr, "forward_reply: no server is running")
		return -1
	}
	if err := core.ForwardReply(ctx.State()); err != nil {
		ctx.Logger().Logf(logging.LErr, "forward_reply: %v", err)
		return -1
	}
	return 1
}

func execFileRead(ctx module.ExecContext, args module.Args) int {
	path := args.Str(0)
	data, err := os.ReadFile(path)
	if err != nil {
		ctx.Logger().Logf(logging.LErr, "file_read: %v", err)
		return -1
	}
	st := ctx.State()
	if err := args.Fixed[1].PV.Set(st, pv.Str(st.AppendString(data))); err != nil {
		ctx.Logger().Logf(logging.LErr, "file_read: %v", err)
		return -1
	}
	return 1
}

func execFileWrite(ctx module.ExecContext, args module.Args) int {
	path := args.Str(0)
	if err := os.WriteFile(path, []byte(args.Str(1)), 0o644); err != nil {
		ctx.Logger().Logf(logging.LErr, "file_write: %v", err)
		return -1
	}
	return 1
}

// fixupIntOrPV refuses a constant argument that is not an integer, as
// Kamailio's int-or-variable fixup does when the config loads; variables
// are read when the function runs.
func fixupIntOrPV(_ module.Host, args []module.FixedArg) error {
	for i := range args {
		a := &args[i]
		if a.Const && !a.IsInt {
			if _, ok := pv.StrToInt(a.Str); !ok {
				return fmt.Errorf("argument %d must be an integer or a variable, got %q", i+1, a.Str)
			}
		}
	}
	return nil
}
