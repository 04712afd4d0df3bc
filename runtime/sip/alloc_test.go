package sip

import (
	"net/netip"
	"testing"
)

// TestZeroAlloc pins the allocation-free hot path: a pooled Message parses,
// answers the accessors the script and tm read on every packet, records the
// forwarding edits and serializes into a reused buffer without allocating.
func TestZeroAlloc(t *testing.T) {
	buf := []byte(typicalInvite)
	src := netip.MustParseAddrPort("198.51.100.7:5060")
	var m Message
	out := make([]byte, 0, 4096)
	branch := make([]byte, 0, 64)
	tokens := make([][]byte, 0, 8)
	via := ViaSpec{Transport: "UDP", Host: "192.0.2.1", Port: 5060}
	run := func() {
		if err := m.Parse(buf, Datagram); err != nil {
			t.Fatal(err)
		}
		v, err1 := m.TopVia()
		cs, err2 := m.CSeq()
		f, err3 := m.From()
		to, err4 := m.To()
		u, err5 := m.ParsedRequestURI()
		if err1 != nil || err2 != nil || err3 != nil || err4 != nil || err5 != nil {
			t.Fatal(err1, err2, err3, err4, err5)
		}
		_, _, _, _, _ = v.Branch, cs.Num, f.Tag, to.Tag, u.User
		_ = m.CallID()
		_, _ = m.Header("Via", -1)
		_, _ = m.Header("X-Unknown", 0)
		_ = m.HeaderCount("Record-Route")
		_, _ = m.Routes()
		_, _, _ = m.Contacts()
		tokens, _ = m.AppendTokens(tokens[:0], HdrSupported)
		if err := m.Validate(); err != nil {
			t.Fatal(err)
		}
		branch, _ = AppendStatelessBranch(branch[:0], &m)
		via.Branch = branch
		_ = m.FixTopVia(src, false)
		_ = m.SetRequestURI("sip:bob@192.0.2.4:5080")
		_ = m.PushVia(&via)
		_ = m.PushRecordRoute("sip:192.0.2.1;lr")
		_ = m.SetMaxForwards(69)
		out = m.AppendTo(out[:0])
		out, _ = AppendReply(out[:0], &m, 100, "Trying", nil)
	}
	run() // warm up the Message's reusable storage
	if n := testing.AllocsPerRun(100, run); n != 0 {
		t.Errorf("%v allocations per packet, want 0", n)
	}
}
