// Package nosip is Kamailio's nosip module: it hands the packets the core
// cannot parse as SIP to event_route[nosip:msg], where $mb and $nosip hold
// the packet and $si/$sp its source. The msg_skip and msg_match regular
// expressions (POSIX extended, case-sensitive) filter which packets do.
package nosip

import (
	"fmt"
	"regexp"

	"github.com/kamgo/kamgo/lang/posixre"
	"github.com/kamgo/kamgo/pv"
	"github.com/kamgo/kamgo/runtime/module"
)

// Name is the module name.
const Name = "nosip"

// EventRoute is the route the module runs for each accepted packet.
const EventRoute = "nosip:msg"

// MinPacket is the smallest packet nosip handles: shorter ones are NAT
// keepalives, which the transport drops before any module sees them.
const MinPacket = 32

// State is the module's state in one server: the compiled filters.
type State struct {
	// Match, when set, must match a packet for the event route to run;
	// Skip, when set and matching, keeps it from running.
	Match, Skip *regexp.Regexp
}

// AcceptNonSIP implements module.NonSIPHandler: it reports whether data
// goes to event_route[nosip:msg].
func (s *State) AcceptNonSIP(data []byte) (string, bool) {
	if len(data) < MinPacket {
		return "", false
	}
	if s.Skip != nil && s.Skip.Match(data) {
		return "", false
	}
	if s.Match != nil && !s.Match.Match(data) {
		return "", false
	}
	return EventRoute, true
}

func stateOf(host module.Host) (*State, error) { return module.ParamState[*State](host, Name) }

// regexParam declares a regex parameter stored by set; an empty value
// leaves the filter unset, as Kamailio does.
func regexParam(name string, set func(*State, *regexp.Regexp)) module.Param {
	return module.Param{Name: name, Kind: module.ParamRegex, Apply: func(host module.Host, v module.ParamValue) error {
		s, err := stateOf(host)
		if err != nil {
			return err
		}
		if v.IsInt {
			return fmt.Errorf("%s takes a regular expression, got the integer %d", name, v.Int)
		}
		if v.Str == "" {
			set(s, nil)
			return nil
		}
		re, err := posixre.Compile(v.Str, 0)
		if err != nil {
			return fmt.Errorf("%s: invalid regular expression %q: %w", name, v.Str, err)
		}
		set(s, re)
		return nil
	}}
}

// getNosip is $nosip: the packet as received, null when there is none.
func getNosip(st *pv.State, _ *pv.PV) pv.Value {
	if st.Raw == nil {
		return pv.Null()
	}
	return pv.Bytes(st.Raw)
}

func init() {
	module.MustRegister(&module.Module{
		Name: Name,
		New:  func() any { return &State{} },
		Params: []module.Param{
			regexParam("msg_match", func(s *State, re *regexp.Regexp) { s.Match = re }),
			regexParam("msg_skip", func(s *State, re *regexp.Regexp) { s.Skip = re }),
		},
		PVs:         []pv.Class{{Name: "nosip", Impl: &pv.Impl{Get: getNosip}}},
		EventRoutes: []string{EventRoute},
		Init: func(host module.Host) error {
			if _, err := stateOf(host); err != nil {
				return err
			}
			if !host.HasEventRoute(EventRoute) {
				// Kamailio refuses to start too: the module would take
				// packets and have nowhere to run them.
				return fmt.Errorf("nosip needs event_route[%s]: define it or remove loadmodule \"nosip.so\"", EventRoute)
			}
			return nil
		},
	})
}
