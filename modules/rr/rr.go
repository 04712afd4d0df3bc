// Package rr is Kamailio's rr module: record routing (record_route and its
// preset and advertised-address forms, add_rr_param, remove_record_route)
// and the routing of requests that carry a route set (loose_route and
// loose_route_preloaded, RFC 3261 §16.4 and §16.12, with the strict-router
// translations), plus what a script asks afterwards: check_route_param,
// is_direction, rr_next_hop_route and $route_uri.
//
// Record-Route headers are built when the core forwards the request
// (module.OutboundHook), because what they hold depends on the socket the
// request leaves from: Kamailio adds a second Record-Route, each marked
// ";r2=on", when the outgoing socket's address differs from the one the
// request came in on, and names the outgoing transport when it is not UDP.
package rr

import (
	"fmt"
	"strings"

	"github.com/kamgo/kamgo/pv"
	"github.com/kamgo/kamgo/runtime/module"
)

// Name is the module name.
const Name = "rr"

// extraKey is where the per-message state lives in pv.State.Extra.
const extraKey = Name

// State is the module's state in one server: its parameters.
type State struct {
	// FullLR writes ";lr=on" instead of ";lr" (enable_full_lr).
	FullLR bool
	// AppendFromTag adds ";ftag=" with the From tag (append_fromtag).
	AppendFromTag bool
	// DoubleRR is enable_double_rr: 0 never, 1 when the outgoing socket's
	// address differs from the incoming one, 2 always.
	DoubleRR int
	// AddUsername puts the R-URI user (or CustomUser) in the
	// Record-Route URI (add_username).
	AddUsername bool
	// CustomUser is the AVP whose value replaces the R-URI user
	// (custom_user_avp); nil when unset.
	CustomUser *pv.AVPName
	// ForceSendSocket makes loose_route force the socket of our Route
	// even for a single Record-Route (force_send_socket).
	ForceSendSocket bool
	// IgnoreSIPS builds sip: Record-Routes for sips: R-URIs (ignore_sips).
	IgnoreSIPS bool
	// SocketMismatchWarning is enable_socket_mismatch_warning.
	SocketMismatchWarning bool
}

// New returns the state with Kamailio's defaults.
func New() *State {
	return &State{AppendFromTag: true, DoubleRR: 1, SocketMismatchWarning: true}
}

// msgState is what rr knows about one message: the Record-Route asked for
// and what loose_route found.
type msgState struct {
	// Record-Route.
	recorded bool   // a record_route* function ran (even if removed since)
	kind     rrKind // what BeforeSend builds; rrNone after remove_record_route
	scheme   string // "sip" or "sips"
	user     string
	ftag     string
	params   string // record_route's argument
	added    string // add_rr_param's, in call order
	addr     string // record_route_advertised_address's
	preset   [2]string
	nPreset  int

	// Loose routing.
	routed       bool   // loose_route found our Route (or our R-URI)
	routeParams  string // the parameters of our Route URI, from its first ';'
	nextHopRoute bool   // the next hop came from a Route header
}

type rrKind uint8

const (
	rrNone rrKind = iota
	rrLocal
	rrAdvertised
	rrPreset
)

func stateOf(host module.Host) (*State, bool) { return module.HostState[*State](host, Name) }

// runtimeState finds the state for a function without arguments.
func runtimeState(ctx module.ExecContext) (*State, bool) { return module.RunState[*State](ctx, Name) }

// msgOf returns the message's rr state, creating it when create is set.
func msgOf(st *pv.State, create bool) *msgState {
	if ms, ok := st.Extra[extraKey].(*msgState); ok {
		return ms
	}
	if !create {
		return nil
	}
	if st.Extra == nil {
		st.Extra = make(map[string]any)
	}
	ms := &msgState{}
	st.Extra[extraKey] = ms
	return ms
}

func init() {
	module.MustRegister(&module.Module{
		Name: Name,
		New:  func() any { return New() },
		Params: []module.Param{
			boolParam("enable_full_lr", 0, func(s *State, v bool) { s.FullLR = v }),
			boolParam("append_fromtag", 1, func(s *State, v bool) { s.AppendFromTag = v }),
			{Name: "enable_double_rr", Kind: module.ParamInt, Default: module.ParamValue{IsInt: true, Int: 1},
				Apply: func(host module.Host, v module.ParamValue) error {
					s, err := paramState(host)
					if err != nil {
						return err
					}
					if !v.IsInt || v.Int < 0 || v.Int > 2 {
						return fmt.Errorf("enable_double_rr must be 0, 1 or 2, got %q", v.Str)
					}
					s.DoubleRR = int(v.Int)
					return nil
				}},
			boolParam("add_username", 0, func(s *State, v bool) { s.AddUsername = v }),
			boolParam("enable_socket_mismatch_warning", 1, func(s *State, v bool) { s.SocketMismatchWarning = v }),
			{Name: "custom_user_avp", Kind: module.ParamString,
				Apply: func(host module.Host, v module.ParamValue) error {
					s, err := paramState(host)
					if err != nil {
						return err
					}
					name, err := parseAVPSpec(v.Str)
					if err != nil {
						return fmt.Errorf("custom_user_avp: %w", err)
					}
					s.CustomUser = &name
					return nil
				}},
			boolParam("force_send_socket", 0, func(s *State, v bool) { s.ForceSendSocket = v }),
			boolParam("ignore_sips", 0, func(s *State, v bool) { s.IgnoreSIPS = v }),
			{Name: "sockname_mode", Kind: module.ParamInt,
				Unsupported: "socket names in Record-Route (sockname_mode) are not supported by kamgo yet"},
		},
		Funcs: funcs(),
		PVs:   []pv.Class{{Name: "route_uri", Impl: &pv.Impl{Get: getRouteURI}}},
	})
}

// parseAVPSpec reads "$avp(name)" (or a bare AVP name).
func parseAVPSpec(text string) (pv.AVPName, error) {
	inner := strings.TrimSpace(text)
	if strings.HasPrefix(inner, "$") {
		spec, err := pv.Parse(inner)
		if err != nil {
			return pv.AVPName{}, fmt.Errorf("%q: %w", text, err)
		}
		if spec.Class != "avp" || !spec.HasInner || len(spec.Nested) > 0 || spec.Index != nil || len(spec.Transforms) > 0 {
			return pv.AVPName{}, fmt.Errorf("%q is not an AVP with a constant name", text)
		}
		inner = spec.Inner
	}
	name, err := pv.ParseAVPName(inner)
	if err != nil {
		return pv.AVPName{}, fmt.Errorf("%q: %w", text, err)
	}
	return name, nil
}

func paramState(host module.Host) (*State, error) { return module.ParamState[*State](host, Name) }

func boolParam(name string, def int64, set func(*State, bool)) module.Param {
	return module.Param{Name: name, Kind: module.ParamInt, Default: module.ParamValue{IsInt: true, Int: def},
		Apply: func(host module.Host, v module.ParamValue) error {
			s, err := paramState(host)
			if err != nil {
				return err
			}
			if !v.IsInt {
				return fmt.Errorf("%s takes an integer, got %q", name, v.Str)
			}
			set(s, v.Int != 0)
			return nil
		}}
}

// getRouteURI is $route_uri: the URI of the first Route header as
// received, "" when there is none.
func getRouteURI(st *pv.State, _ *pv.PV) pv.Value {
	if st == nil || st.Msg == nil {
		return pv.Null()
	}
	routes, err := st.Msg.Routes()
	if err != nil || len(routes) == 0 {
		return pv.Str("")
	}
	return pv.Bytes(routes[0].URI)
}
