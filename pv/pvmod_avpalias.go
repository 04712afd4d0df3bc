package pv

import (
	"fmt"
	"strings"
)

// ParseAVPAliases parses a value of modparam("pv", "avp_aliases", …):
// "alias=name;alias2=i:100", where each name is what $avp takes ("name",
// "s:name" or "i:12"). It returns the aliases in the order given.
func ParseAVPAliases(s string) (map[string]AVPName, error) {
	out := map[string]AVPName{}
	for _, item := range strings.Split(s, ";") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		alias, name, ok := strings.Cut(item, "=")
		alias, name = strings.TrimSpace(alias), strings.TrimSpace(name)
		if !ok || alias == "" || name == "" {
			return nil, fmt.Errorf("bad AVP alias %q: expected alias=name", item)
		}
		for i := 0; i < len(alias); i++ {
			if !IsNameChar(alias[i]) {
				return nil, fmt.Errorf("bad AVP alias %q: %q is not a name", item, alias)
			}
		}
		n, err := ParseAVPName(name)
		if err != nil {
			return nil, fmt.Errorf("bad AVP alias %q: %w", item, err)
		}
		if _, dup := out[alias]; dup {
			return nil, fmt.Errorf("AVP alias %q is defined twice", alias)
		}
		out[alias] = n
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no AVP alias in %q", s)
	}
	return out, nil
}
