package pv

import (
	"fmt"
	"slices"
)

// Fields of $branch(name).
const (
	brURI = iota
	brDstURI
	brPath
	brQ
	brSendSocket
	brCount
	brFlags
	brRuid
	brLocationUA
	brOTCPID
	brInstance
)

func branchField(name string) (int, bool) {
	switch name {
	case "uri":
		return brURI, true
	case "dst_uri":
		return brDstURI, true
	case "path":
		return brPath, true
	case "q", "Q":
		return brQ, true
	case "send_socket":
		return brSendSocket, true
	case "count":
		return brCount, true
	case "flags":
		return brFlags, true
	case "ruid":
		return brRuid, true
	case "location_ua":
		return brLocationUA, true
	case "otcpid":
		return brOTCPID, true
	case "instance":
		return brInstance, true
	}
	return 0, false
}

func addBranchImpls(m map[string]*Impl) {
	m["branch"] = &Impl{
		Fixup: func(_ *Compiler, p *PV) error {
			f, ok := branchField(p.Name)
			if !ok {
				return fmt.Errorf("unknown branch attribute %q: expected uri, dst_uri, path, q, send_socket, count, flags, ruid, instance, location_ua or otcpid", p.Name)
			}
			p.Slot = f
			return nil
		},
		Get:        branchGet,
		Set:        branchSet,
		IndexAware: true,
	}
}

// branchAt returns branch i of State.Branches (the branches beyond the
// R-URI), counting from the end when i is negative; [*] reads branch 0.
func branchAt(st *State, i int) *Branch {
	n := len(st.Branches)
	if i < 0 {
		i += n
	}
	if i < 0 || i >= n {
		return nil
	}
	return &st.Branches[i]
}

func branchGet(st *State, p *PV) Value {
	idx, _, _ := p.Index(st)
	br := branchAt(st, idx)
	// Even $branch(count) is null when there is no branch to look at.
	if br == nil || (br.URI == "" && p.Slot != brCount) {
		return Null()
	}
	if p.Slot == brCount {
		return Int(int64(len(st.Branches)))
	}
	return branchValue(br, p.Slot)
}

// branchValue reads one field of a branch ($branch, $sbranch); an
// unknown slot reads the URI.
func branchValue(b *Branch, slot int) Value {
	switch slot {
	case brDstURI:
		return strOrNull(b.DstURI)
	case brPath:
		return strOrNull(b.Path)
	case brQ:
		if b.Q < 0 {
			return Null()
		}
		return Int(int64(b.Q))
	case brSendSocket:
		return strOrNull(b.SendSocket)
	case brFlags:
		return Int(int64(b.Flags))
	case brRuid:
		return strOrNull(b.Ruid)
	case brLocationUA:
		return strOrNull(b.LocationUA)
	case brOTCPID:
		return Int(b.OTCPID)
	case brInstance:
		return strOrNull(b.Instance)
	}
	return strOrNull(b.URI)
}

// branchSet writes a branch attribute as Kamailio allows: count, ruid,
// instance and location_ua ignore writes; a null or empty uri drops the
// branch. The send socket is stored as given: kamgo checks it when the
// branch is sent.
func branchSet(st *State, p *PV, v Value) error {
	idx, _, _ := p.Index(st)
	br := branchAt(st, idx)
	if br == nil {
		return fmt.Errorf("$branch(%s): no branch %d", p.Name, idx)
	}
	needStr := func() error {
		if v.K != KindStr {
			return fmt.Errorf("$branch(%s): a string value is required", p.Name)
		}
		return nil
	}
	needInt := func() error {
		if v.K != KindInt {
			return fmt.Errorf("$branch(%s): an integer value is required", p.Name)
		}
		return nil
	}
	var field *string
	switch p.Slot {
	case brCount, brRuid, brLocationUA, brInstance:
		return nil
	case brQ:
		if v.K == KindNull {
			br.Q = -1
			return nil
		}
		if err := needInt(); err != nil {
			return err
		}
		br.Q = int(v.I)
		return nil
	case brFlags:
		if v.K == KindNull {
			br.Flags = 0
			return nil
		}
		if err := needInt(); err != nil {
			return err
		}
		br.Flags = uint32(v.I)
		return nil
	case brOTCPID:
		if v.K == KindNull {
			br.OTCPID = 0
			return nil
		}
		if err := needInt(); err != nil {
			return err
		}
		br.OTCPID = v.I
		return nil
	case brURI:
		if v.K == KindNull || (v.K == KindStr && v.S == "") {
			i := idx
			if i < 0 {
				i += len(st.Branches)
			}
			st.Branches = slices.Delete(st.Branches, i, i+1)
			return nil
		}
		field = &br.URI
	case brDstURI:
		field = &br.DstURI
	case brPath:
		field = &br.Path
	case brSendSocket:
		field = &br.SendSocket
	}
	if v.K == KindNull {
		*field = ""
		return nil
	}
	if err := needStr(); err != nil {
		return err
	}
	*field = v.Clone().S
	return nil
}
