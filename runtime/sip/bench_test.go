package sip

import (
	"bytes"
	"net/netip"
	"strconv"
	"strings"
	"testing"
)

// Benchmarks recorded in docs/PERFORMANCE.md:
//
//	go test ./runtime/sip -run '^$' -bench . -benchmem -count 5

// BenchmarkParseInvite: parse the typical ~1 KB INVITE into a reused
// Message and read what a transaction layer matches on.
func BenchmarkParseInvite(b *testing.B) {
	buf := []byte(typicalInvite)
	var m Message
	b.SetBytes(int64(len(buf)))
	b.ReportAllocs()
	for b.Loop() {
		if err := m.Parse(buf, Datagram); err != nil {
			b.Fatal(err)
		}
		v, err := m.TopVia()
		if err != nil || len(v.Branch) == 0 {
			b.Fatal(err)
		}
		cs, err := m.CSeq()
		if err != nil || cs.Num != 314159 {
			b.Fatal(err)
		}
		f, err := m.From()
		if err != nil || len(f.Tag) == 0 {
			b.Fatal(err)
		}
		to, err := m.To()
		if err != nil || to.Tag != nil || len(m.CallID()) == 0 {
			b.Fatal(err)
		}
	}
}

// BenchmarkParseValidateInvite adds the full Validate pass (every Via,
// From/To URIs, Contact, Request-URI).
func BenchmarkParseValidateInvite(b *testing.B) {
	buf := []byte(typicalInvite)
	var m Message
	b.SetBytes(int64(len(buf)))
	b.ReportAllocs()
	for b.Loop() {
		if err := m.Parse(buf, Datagram); err != nil {
			b.Fatal(err)
		}
		if err := m.Validate(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkForwardInvite: what a stateless forward costs end to end:
// parse, read the transaction keys, rewrite the R-URI, fix the top Via
// (received/rport), push a Via with a stateless branch and a Record-Route,
// decrement Max-Forwards, serialize into a reused buffer.
func BenchmarkForwardInvite(b *testing.B) {
	buf := []byte(typicalInvite)
	src := netip.MustParseAddrPort("198.51.100.7:5060")
	var m Message
	out := make([]byte, 0, 2048)
	branch := make([]byte, 0, 64)
	via := ViaSpec{Transport: "UDP", Host: "192.0.2.1", Port: 5060}
	b.SetBytes(int64(len(buf)))
	b.ReportAllocs()
	for b.Loop() {
		if err := m.Parse(buf, Datagram); err != nil {
			b.Fatal(err)
		}
		if _, err := m.CSeq(); err != nil {
			b.Fatal(err)
		}
		mf, _, _ := m.MaxForwards()
		var err error
		if branch, err = AppendStatelessBranch(branch[:0], &m); err != nil {
			b.Fatal(err)
		}
		via.Branch = branch
		if err := m.FixTopVia(src, false); err != nil {
			b.Fatal(err)
		}
		if err := m.SetRequestURI("sip:bob@192.0.2.4:5080"); err != nil {
			b.Fatal(err)
		}
		if err := m.PushVia(&via); err != nil {
			b.Fatal(err)
		}
		if err := m.PushRecordRoute("sip:192.0.2.1;lr"); err != nil {
			b.Fatal(err)
		}
		if err := m.SetMaxForwards(mf - 1); err != nil {
			b.Fatal(err)
		}
		out = m.AppendTo(out[:0])
	}
	if len(out) < len(buf) {
		b.Fatal("short output")
	}
}

// BenchmarkReplyInvite: a stateless 404 to the typical INVITE into a reused
// buffer.
func BenchmarkReplyInvite(b *testing.B) {
	var m Message
	if err := m.Parse([]byte(typicalInvite), Datagram); err != nil {
		b.Fatal(err)
	}
	out := make([]byte, 0, 2048)
	opt := &ReplyOptions{Server: "kamgo"}
	b.ReportAllocs()
	for b.Loop() {
		var err error
		if out, err = AppendReply(out[:0], &m, 404, "Not Found", opt); err != nil {
			b.Fatal(err)
		}
	}
}

// worstCases builds the most expensive inputs we could think of, each at
// most 65,535 bytes and each accepted by Parse, so that every byte goes
// through the typed parsers too.
func worstCases() map[string][]byte {
	const max = 65535
	head := "INVITE sip:bob@example.com SIP/2.0\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:c@d>\r\nCall-ID: x@y\r\nCSeq: 1 INVITE\r\n"
	fill := func(prefix, unit, suffix string) []byte {
		var sb strings.Builder
		sb.WriteString(prefix)
		for sb.Len()+len(unit)+len(suffix) <= max {
			sb.WriteString(unit)
		}
		sb.WriteString(suffix)
		return []byte(sb.String())
	}
	out := map[string][]byte{}
	// Thousands of Via values in one header: every one is parsed.
	out["vias"] = fill(head+"v:SIP/2.0/UDP a;branch=z9hG4bK0", ",SIP/2.0/UDP a;branch=z9hG4bK0", "\r\n\r\n")
	// Thousands of folded lines in one header value.
	out["folding"] = fill(head+"Via: SIP/2.0/UDP a", "\r\n ;x", "\r\n\r\n")
	// 512 header lines, the default maximum.
	var sb strings.Builder
	sb.WriteString(head + "Via: SIP/2.0/UDP a;branch=z9hG4bK1\r\n")
	for i := 0; i < DefaultMaxHeaders-7; i++ {
		sb.WriteString("X-H" + strconv.Itoa(i) + ": " + strings.Repeat("v", 100) + "\r\n")
	}
	sb.WriteString("Content-Length: 0\r\n\r\n")
	out["headers"] = []byte(sb.String())
	// One display name made of escaped quotes, 60 KB deep.
	out["quoting"] = fill(head[:len(head)-len("To: <sip:c@d>\r\nCall-ID: x@y\r\nCSeq: 1 INVITE\r\n")]+
		"Call-ID: x@y\r\nCSeq: 1 INVITE\r\nVia: SIP/2.0/UDP a;branch=z9hG4bK1\r\nTo: \"", `\"`, "\" <sip:c@d>\r\n\r\n")
	// Contact list at the 256-value cap, quoted display names full of commas
	// and <>, then a long tail of quoted commas in one more header.
	sb.Reset()
	sb.WriteString(head + "Via: SIP/2.0/UDP a;branch=z9hG4bK1\r\nContact: ")
	for i := 0; i < maxContacts; i++ {
		if i > 0 {
			sb.WriteString(",")
		}
		sb.WriteString(`"a,<b>,\"c" <sip:u@h;x=1>;q=0.5;expires=60`)
	}
	sb.WriteString("\r\nX-Q: \"")
	out["contacts"] = fill(sb.String(), ",<>", "\"\r\n\r\n")
	// Thousands of Via parameters.
	out["params"] = fill(head+"Via: SIP/2.0/UDP a;branch=z9hG4bK1", " ; p = \"q\"", "\r\n\r\n")
	return out
}

func TestWorstCaseInputs(t *testing.T) {
	for name, in := range worstCases() {
		if len(in) > 65535 {
			t.Errorf("%s: %d bytes", name, len(in))
		}
		var m Message
		if err := m.Parse(in, Datagram); err != nil {
			t.Errorf("%s: Parse: %v", name, err)
			continue
		}
		if err := m.Validate(); err != nil {
			t.Errorf("%s: Validate: %v", name, err)
		}
		if string(m.AppendTo(nil)) != string(in) {
			t.Errorf("%s: round trip", name)
		}
	}
	var m Message
	_ = m.Parse(worstCases()["vias"], Datagram)
	if v, _ := m.Vias(); len(v) < 2000 {
		t.Errorf("vias case has only %d Vias", len(v))
	}
}

// BenchmarkWorstCase: Parse + Validate (every typed header parsed) +
// serialization of each worst case; the goal is under 1 ms.
func BenchmarkWorstCase(b *testing.B) {
	for name, in := range worstCases() {
		b.Run(name, func(b *testing.B) {
			var m Message
			out := make([]byte, 0, 70000)
			b.SetBytes(int64(len(in)))
			b.ReportAllocs()
			for b.Loop() {
				if err := m.Parse(in, Datagram); err != nil {
					b.Fatal(err)
				}
				if err := m.Validate(); err != nil {
					b.Fatal(err)
				}
				out = m.AppendTo(out[:0])
			}
		})
	}
}

// BenchmarkFramerByteAtATime: a 64 KB message fed one byte per read.
func BenchmarkFramerByteAtATime(b *testing.B) {
	in := worstCases()["headers"]
	var f Framer
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		f.Reset()
		for i := range in {
			f.Feed(in[i : i+1])
			if _, _, err := f.Next(); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkBaselineLineScan is a machine-speed reference, not a feature:
// the cost of merely finding the line ends of the typical INVITE with
// bytes.IndexByte. On a shared, loaded machine compare the other figures
// with it rather than with absolute goals.
func BenchmarkBaselineLineScan(b *testing.B) {
	buf := []byte(typicalInvite)
	lines := 0
	for b.Loop() {
		for i := 0; i < len(buf); {
			k := bytes.IndexByte(buf[i:], '\n')
			if k < 0 {
				break
			}
			i += k + 1
			lines++
		}
	}
	if lines == 0 {
		b.Fatal("no lines")
	}
}
