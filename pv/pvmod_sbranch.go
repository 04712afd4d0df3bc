package pv

import "fmt"

// The static branch of the pv module ($sbranch(key), sbranch_set_ruri,
// sbranch_append, sbranch_reset): one branch the script fills field by
// field before using it. Kamailio keeps it per process, across messages;
// kamgo keeps it with the message (State.Extra), so a script must fill it
// in the message that uses it, which is what sbranch_reset-then-set
// scripts do anyway.

// SBranchKey is the State.Extra key of the static branch (a *Branch).
const SBranchKey = "pv.sbranch"

// StaticBranch returns the static branch of st, creating an empty one.
func StaticBranch(st *State) *Branch {
	if b, ok := st.Extra[SBranchKey].(*Branch); ok {
		return b
	}
	b := &Branch{Q: -1}
	if st.Extra == nil {
		st.Extra = map[string]any{}
	}
	st.Extra[SBranchKey] = b
	return b
}

// ResetStaticBranch empties the static branch.
func ResetStaticBranch(st *State) {
	if b, ok := st.Extra[SBranchKey].(*Branch); ok {
		*b = Branch{Q: -1}
	}
}

// SBranchImpl is the run-time implementation of $sbranch(key), which the
// pv module declares with its class.
func SBranchImpl() *Impl {
	return &Impl{
		Fixup: func(_ *Compiler, p *PV) error {
			f, ok := branchField(p.Name)
			if !ok || f == brCount {
				return fmt.Errorf("unknown static branch attribute %q: expected uri, dst_uri, path, q, send_socket, flags, ruid, instance, location_ua or otcpid", p.Name)
			}
			p.Slot = f
			return nil
		},
		Get: sbranchGet,
		Set: sbranchSet,
	}
}

func sbranchGet(st *State, p *PV) Value {
	b, ok := st.Extra[SBranchKey].(*Branch)
	if !ok {
		b = &Branch{Q: -1}
	}
	return branchValue(b, p.Slot)
}

func sbranchSet(st *State, p *PV, v Value) error {
	b := StaticBranch(st)
	var field *string
	switch p.Slot {
	case brQ, brFlags, brOTCPID:
		n := int64(0)
		switch v.K {
		case KindNull:
			if p.Slot == brQ {
				n = -1
			}
		case KindInt:
			n = v.I
		default:
			return fmt.Errorf("$sbranch(%s): an integer value is required", p.Name)
		}
		switch p.Slot {
		case brQ:
			b.Q = int(n)
		case brFlags:
			b.Flags = uint32(n)
		default:
			b.OTCPID = n
		}
		return nil
	case brURI:
		field = &b.URI
	case brDstURI:
		field = &b.DstURI
	case brPath:
		field = &b.Path
	case brSendSocket:
		field = &b.SendSocket
	case brRuid:
		field = &b.Ruid
	case brLocationUA:
		field = &b.LocationUA
	case brInstance:
		field = &b.Instance
	default:
		return fmt.Errorf("$sbranch(%s) cannot be assigned", p.Name)
	}
	switch v.K {
	case KindNull:
		*field = ""
	case KindStr:
		*field = v.Clone().S
	default:
		return fmt.Errorf("$sbranch(%s): a string value is required", p.Name)
	}
	return nil
}
