// Package sanity is Kamailio's sanity module: sanity_check runs a chosen
// set of checks on a request (SIP version, R-URI scheme, required headers,
// CSeq, Content-Length, Expires, Proxy-Require, URI syntax, credentials,
// duplicate tags, the first Via) and answers the first failure with the
// reply Kamailio sends, unless noreply is set (sanity_reply sends it
// later then).
package sanity

import (
	"fmt"
	"strings"

	"github.com/kamgo/kamgo/pv"
	"github.com/kamgo/kamgo/runtime/logging"
	"github.com/kamgo/kamgo/runtime/module"
	"github.com/kamgo/kamgo/runtime/sip"
)

// Name is the module name.
const Name = "sanity"

// extraKey holds the failure of the last sanity_check for sanity_reply.
const extraKey = Name

// Check bits of sanity_check and default_checks.
const (
	CheckRURIVersion   = 1
	CheckRURIScheme    = 2
	CheckRequiredHdrs  = 4
	CheckViaVersion    = 8  // disabled in Kamailio: accepted, does nothing
	CheckViaProtocol   = 16 // disabled in Kamailio: accepted, does nothing
	CheckCSeqMethod    = 32
	CheckCSeqValue     = 64
	CheckContentLength = 128
	CheckExpires       = 256
	CheckProxyRequire  = 512
	CheckParseURIs     = 1024
	CheckDigest        = 2048
	CheckDuplicateTags = 4096
	CheckAuthorization = 8192
	CheckFirstVia      = 16384
	allChecks          = 32767
)

// URI bits of uri_checks.
const (
	URIRequest = 1
	URIFrom    = 2
	URITo      = 4
	URIContact = 8
)

// State is the module's state in one server: its parameters.
type State struct {
	DefaultChecks int
	URIChecks     int
	// ProxyRequire lists the extensions we support (proxy_require).
	ProxyRequire []string
	AutoDrop     bool
	NoReply      bool
}

// New returns the state with Kamailio's defaults.
func New() *State {
	return &State{DefaultChecks: 3047, URIChecks: 7, AutoDrop: true}
}

// failure is a failed check: the reply it calls for.
type failure struct {
	code   int
	reason string
	header string // an extra reply header ("Unsupported: foo"), or ""
}

func init() {
	module.MustRegister(&module.Module{
		Name: Name,
		New:  func() any { return New() },
		Deps: []string{"sl"},
		Params: []module.Param{
			intParam("default_checks", 3047, func(s *State, v int64) error {
				if v < 0 || v > allChecks {
					return fmt.Errorf("default_checks must be a sum of check bits (0..%d), got %d", allChecks, v)
				}
				s.DefaultChecks = int(v)
				return nil
			}),
			intParam("uri_checks", 7, func(s *State, v int64) error {
				if v < 0 || v > 15 {
					return fmt.Errorf("uri_checks must be a sum of 1, 2, 4 and 8, got %d", v)
				}
				s.URIChecks = int(v)
				return nil
			}),
			{Name: "proxy_require", Kind: module.ParamString, Apply: func(host module.Host, v module.ParamValue) error {
				s, err := paramState(host)
				if err != nil {
					return err
				}
				s.ProxyRequire = s.ProxyRequire[:0]
				for _, tok := range strings.Split(v.Str, ",") {
					if tok = strings.TrimSpace(tok); tok != "" {
						s.ProxyRequire = append(s.ProxyRequire, tok)
					}
				}
				return nil
			}},
			intParam("autodrop", 1, func(s *State, v int64) error { s.AutoDrop = v != 0; return nil }),
			intParam("noreply", 0, func(s *State, v int64) error { s.NoReply = v != 0; return nil }),
		},
		Funcs: []module.Func{
			{Name: "sanity_check", ArgCounts: []int{0, 1, 2}, Args: []module.Arg{{Kind: module.ArgAny}, {Kind: module.ArgAny}},
				Routes: module.Request | module.AnyReply, Fixup: fixupCheck, Exec: execCheck},
			{Name: "sanity_reply", Routes: module.Request | module.AnyReply, Exec: execReply},
		},
	})
}

func stateOf(host module.Host) (*State, bool) { return module.HostState[*State](host, Name) }

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

// checkCall is what sanity_check's fixup prepares.
type checkCall struct {
	s         *State
	msgChecks intArg
	uriChecks intArg
	nArgs     int
}

func fixupCheck(host module.Host, args []module.FixedArg) error {
	s, ok := stateOf(host)
	if !ok {
		s = New()
	}
	c := &checkCall{s: s, nArgs: len(args)}
	var err error
	if len(args) > 0 {
		if c.msgChecks, err = fixIntArg(&args[0], "the message checks"); err != nil {
			return err
		}
	}
	if len(args) > 1 {
		if c.uriChecks, err = fixIntArg(&args[1], "the URI checks"); err != nil {
			return err
		}
	}
	if len(args) > 0 {
		args[0].Fixed = c
	}
	return nil
}

func execCheck(ctx module.ExecContext, args module.Args) int {
	log := ctx.Logger()
	var s *State
	msgChecks, uriChecks := -1, -1
	if len(args.Fixed) > 0 {
		c, _ := args.Fixed[0].Fixed.(*checkCall)
		if c == nil {
			return -1
		}
		s = c.s
		st := ctx.State()
		v, ok := c.msgChecks.value(st)
		if !ok {
			log.Log(logging.LErr, "sanity_check: the message checks are not an integer")
			return -1
		}
		msgChecks = int(v)
		if c.nArgs > 1 {
			v, ok := c.uriChecks.value(st)
			if !ok {
				log.Log(logging.LErr, "sanity_check: the URI checks are not an integer")
				return -1
			}
			uriChecks = int(v)
		}
	} else {
		var ok bool
		if s, ok = runtimeState(ctx); !ok {
			log.Log(logging.LErr, "sanity_check: the sanity module's state is not reachable")
			return -1
		}
	}
	if msgChecks < 0 {
		msgChecks = s.DefaultChecks
	}
	if uriChecks < 0 {
		uriChecks = s.URIChecks
	}
	st := ctx.State()
	if st == nil || st.Msg == nil {
		return -1
	}
	if !st.Msg.IsRequest() {
		// Kamailio checks requests only; a reply passes.
		return 1
	}
	f, failed := s.Run(st.Msg, msgChecks, uriChecks)
	if !failed {
		return 1
	}
	log.Logf(logging.LWarn, "sanity: check failed: %d %s", f.code, f.reason)
	if st.Extra == nil {
		st.Extra = make(map[string]any)
	}
	st.Extra[extraKey] = f
	if !s.NoReply && st.Msg.MethodID() != sip.MethodACK {
		sendReply(ctx, f)
	}
	if s.AutoDrop {
		return 0
	}
	return -1
}

// execReply is sanity_reply: the reply of the last failed check, when
// noreply kept sanity_check from sending it.
func execReply(ctx module.ExecContext, _ module.Args) int {
	s, ok := runtimeState(ctx)
	st := ctx.State()
	if !ok || st == nil || st.Msg == nil || !st.Msg.IsRequest() {
		return -1
	}
	f, ok := st.Extra[extraKey].(failure)
	if !ok || !s.NoReply {
		return 1
	}
	if st.Msg.MethodID() == sip.MethodACK {
		return 1
	}
	if !sendReply(ctx, f) {
		return -1
	}
	return 1
}

func sendReply(ctx module.ExecContext, f failure) bool {
	core := ctx.Core()
	if core == nil {
		ctx.Logger().Logf(logging.LErr, "sanity: cannot send %d %s: no server is running", f.code, f.reason)
		return false
	}
	var opts sip.ReplyOptions
	if f.header != "" {
		opts.Headers = []string{f.header}
	}
	if err := core.SendReply(ctx.State(), f.code, f.reason, opts); err != nil {
		ctx.Logger().Logf(logging.LErr, "sanity: sending %d %s: %v", f.code, f.reason, err)
		return false
	}
	return true
}

func runtimeState(ctx module.ExecContext) (*State, bool) { return module.RunState[*State](ctx, Name) }

// intArg is an integer argument: a constant or a pseudo-variable, which
// must hold an integer (Kamailio does not convert a string).
type intArg struct {
	n  int64
	pv *pv.PV
}

func fixIntArg(a *module.FixedArg, what string) (intArg, error) {
	var n int64
	switch {
	case a.Const && a.IsInt:
		n = a.Int
	case a.Const:
		var err error
		if n, err = parseInt(strings.TrimSpace(a.Str)); err != nil {
			return intArg{}, fmt.Errorf("%s must be an integer, got %q", what, a.Str)
		}
	case a.PV != nil:
		return intArg{pv: a.PV}, nil
	case a.Format != nil && len(a.Format.Parts) == 1 && a.Format.Parts[0].PV != nil:
		return intArg{pv: a.Format.Parts[0].PV}, nil
	default:
		return intArg{}, fmt.Errorf("%s must be an integer or a single pseudo-variable", what)
	}
	if n < 0 || n > allChecks {
		return intArg{}, fmt.Errorf("%s %d is not a sum of check bits", what, n)
	}
	return intArg{n: n}, nil
}

func parseInt(s string) (int64, error) {
	if s == "" {
		return 0, fmt.Errorf("empty")
	}
	var n int64
	for _, c := range []byte(s) {
		if c < '0' || c > '9' || n > 1<<40 {
			return 0, fmt.Errorf("not a number")
		}
		n = n*10 + int64(c-'0')
	}
	return n, nil
}

func (a intArg) value(st *pv.State) (int64, bool) {
	if a.pv == nil {
		return a.n, true
	}
	v := a.pv.Get(st)
	if v.K != pv.KindInt || v.I < 0 {
		return 0, false
	}
	return v.I, true
}
