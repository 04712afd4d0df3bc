// Package siputils is Kamailio's siputils module: checks on the message
// (has_totag, is_request, is_reply, is_first_hop, is_supported, is_gruu),
// on R-URI parameters (uri_param, add_uri_param, get_uri_param,
// uri_param_rm), on strings (is_e164, is_tel_number, is_numeric,
// is_alphanum, is_alphanumex, is_uri) and URIs (cmp_uri, cmp_aor,
// is_uri_user_e164, tel2sip, set_uri_user, set_uri_host), header names
// (cmp_hdr_name), the answer to OPTIONS sent to the server itself
// (options_reply) and the Base64URL encoding of Contact URIs into a
// parameter (contact_param_encode / decode / decode_ruri / rm).
package siputils

import (
	"fmt"

	"github.com/kamgo/kamgo/runtime/module"
)

// Name is the module name.
const Name = "siputils"

// State holds the module parameters of one server.
type State struct {
	OptionsAccept         string
	OptionsAcceptEncoding string
	OptionsAcceptLanguage string
	OptionsSupport        string
	ContactSeparator      byte
	RPIDPrefix            string
	RPIDSuffix            string
	RPIDAVP               string
}

// New returns the state with Kamailio's defaults.
func New() *State {
	return &State{
		OptionsAccept:         "*/*",
		OptionsAcceptLanguage: "en",
		ContactSeparator:      '*',
		RPIDSuffix:            ";party=calling;id-type=subscriber;screen=yes",
		RPIDAVP:               "$avp(s:rpid)",
	}
}

func stateOf(v any, ok bool) (*State, bool) {
	if !ok {
		return nil, false
	}
	s, ok := v.(*State)
	return s, ok && s != nil
}

// strParam declares a string parameter stored by set.
func strParam(name, def string, set func(*State, string) error) module.Param {
	return module.Param{Name: name, Kind: module.ParamString, Default: module.ParamValue{Str: def},
		Apply: func(host module.Host, v module.ParamValue) error {
			if host == nil {
				return fmt.Errorf("siputils: no module state (internal error)")
			}
			s, ok := stateOf(host.Module(Name))
			if !ok {
				return fmt.Errorf("siputils: no module state (internal error)")
			}
			if v.IsInt {
				return fmt.Errorf("%s takes a string, got the integer %d", name, v.Int)
			}
			return set(s, v.Str)
		}}
}

// headerText refuses values that would break the header they go into.
func headerText(name string, dst *string) func(*State, string) error {
	return func(_ *State, v string) error {
		for i := 0; i < len(v); i++ {
			if v[i] == '\r' || v[i] == '\n' || v[i] == 0 {
				return fmt.Errorf("%s must be a single line", name)
			}
		}
		*dst = v
		return nil
	}
}

func init() {
	module.MustRegister(&module.Module{
		Name: Name,
		New:  func() any { return New() },
		Deps: []string{"sl"},
		Params: []module.Param{
			strParam("options_accept", "*/*", func(s *State, v string) error {
				return headerText("options_accept", &s.OptionsAccept)(s, v)
			}),
			strParam("options_accept_encoding", "", func(s *State, v string) error {
				return headerText("options_accept_encoding", &s.OptionsAcceptEncoding)(s, v)
			}),
			strParam("options_accept_language", "en", func(s *State, v string) error {
				return headerText("options_accept_language", &s.OptionsAcceptLanguage)(s, v)
			}),
			strParam("options_support", "", func(s *State, v string) error {
				return headerText("options_support", &s.OptionsSupport)(s, v)
			}),
			strParam("contact_flds_separator", "*", func(s *State, v string) error {
				if v == "" {
					return fmt.Errorf("contact_flds_separator must not be empty")
				}
				s.ContactSeparator = v[0]
				return nil
			}),
			strParam("rpid_prefix", "", func(s *State, v string) error { s.RPIDPrefix = v; return nil }),
			strParam("rpid_suffix", ";party=calling;id-type=subscriber;screen=yes", func(s *State, v string) error {
				s.RPIDSuffix = v
				return nil
			}),
			strParam("rpid_avp", "$avp(s:rpid)", func(s *State, v string) error { s.RPIDAVP = v; return nil }),
		},
		Funcs: funcs(),
	})
}
