package sip

import (
	"bytes"
	"errors"
	"net/netip"
	"os"
	"path/filepath"
	"testing"
)

// Fuzz targets. A plain `go test` runs only their seeds (the torture files
// and the regression inputs under testdata/fuzz). Run one with e.g.
//
//	go test ./runtime/sip -run '^$' -fuzz '^FuzzParseMessage$' -fuzztime 10m -parallel 1

func tortureSeeds(f *testing.F) [][]byte {
	var out [][]byte
	for _, dir := range tortureDirs {
		files, err := filepath.Glob(filepath.Join(dir, "*.dat"))
		if err != nil {
			f.Fatal(err)
		}
		for _, file := range files {
			b, err := os.ReadFile(file)
			if err != nil {
				f.Fatal(err)
			}
			out = append(out, b)
		}
	}
	return out
}

// FuzzParseMessage: no panic on any input; an accepted message serializes
// back byte for byte, re-parses to the same index, is framed identically by
// the stream Framer, and survives the forwarding edits.
func FuzzParseMessage(f *testing.F) {
	for _, s := range tortureSeeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var m Message
		err := m.Parse(data, Datagram)
		exerciseAccessors(&m)
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) || pe.Kind == 0 || pe.Code == 0 {
				t.Fatalf("untyped error %v", err)
			}
			if errors.Is(err, ErrDuplicate) {
				// The index is complete: a 400 can be built.
				_, _ = AppendReply(nil, &m, 400, "Bad Request", nil)
			}
			return
		}
		out := m.AppendTo(nil)
		if !bytes.Equal(out, m.Bytes()) || !bytes.Equal(m.Bytes(), data[:len(m.Bytes())]) {
			t.Fatalf("round trip differs")
		}
		var m2 Message
		if err := m2.Parse(out, Datagram); err != nil {
			t.Fatalf("re-parse: %v", err)
		}
		if len(m2.Headers()) != len(m.Headers()) || !bytes.Equal(m2.Body(), m.Body()) {
			t.Fatalf("re-parse differs")
		}
		if _, ok := m.ContentLength(); ok {
			// Framer and parser must agree on where the message ends.
			var fr Framer
			fr.Feed(data)
			msg, kind, ferr := fr.Next()
			if ferr != nil || kind != FrameMessage || !bytes.Equal(msg, m.Bytes()) {
				t.Fatalf("framer disagrees: %v %v %d vs %d", ferr, kind, len(msg), m.Len())
			}
		}
		if vias, err := m.Vias(); err == nil && len(vias) > 0 {
			// Relaying a response: the top Via goes, the others stay.
			var r Message
			if err := r.Parse(data, Datagram); err != nil {
				t.Fatal(err)
			}
			if err := r.RemoveFirstValue(HdrVia); err != nil {
				t.Fatalf("RemoveFirstValue: %v", err)
			}
			var r2 Message
			if err := r2.Parse(r.AppendTo(nil), Datagram); err != nil {
				t.Fatalf("after RemoveFirstValue: %v", err)
			}
			rest, err := r2.Vias()
			if err != nil || len(rest) != len(vias)-1 {
				t.Fatalf("after RemoveFirstValue: %d vias of %d, %v", len(rest), len(vias), err)
			}
			for i := range rest {
				if !bytes.Equal(rest[i].Raw, vias[i+1].Raw) {
					t.Fatalf("Via %d changed: %q vs %q", i, rest[i].Raw, vias[i+1].Raw)
				}
			}
		}
		if m.Validate() != nil || !m.IsRequest() {
			return
		}
		if _, err := AppendReply(nil, &m, 200, "OK", &ReplyOptions{Server: "kamgo", Source: netip.MustParseAddrPort("192.0.2.98:5071"), ForceRport: len(data)%3 == 1}); err != nil {
			t.Fatalf("reply to a valid request: %v", err)
		}
		if m.MethodID() != MethodACK && m.MethodID() != MethodCANCEL {
			if _, err := AppendCANCEL(nil, &m); err != nil {
				t.Fatalf("CANCEL: %v", err)
			}
		}
		br, err := AppendStatelessBranch(nil, &m)
		if err != nil {
			t.Fatalf("branch: %v", err)
		}
		if err := m.FixTopVia(netip.MustParseAddrPort("192.0.2.99:5070"), len(data)%2 == 1); err != nil {
			t.Fatalf("FixTopVia: %v", err)
		}
		if err := m.SetRequestURI("sip:fuzz@example.org"); err != nil {
			t.Fatal(err)
		}
		if err := m.PushVia(&ViaSpec{Transport: "UDP", Host: "192.0.2.1", Port: 5060, Branch: br}); err != nil {
			t.Fatal(err)
		}
		if err := m.PushRecordRoute("sip:192.0.2.1;lr"); err != nil {
			t.Fatal(err)
		}
		var m3 Message
		if err := m3.Parse(m.AppendTo(nil), Datagram); err != nil {
			t.Fatalf("edited message does not parse: %v", err)
		}
		v, err := m3.TopVia()
		if err != nil || !bytes.Equal(v.Branch, br) || string(m3.RequestURI()) != "sip:fuzz@example.org" {
			t.Fatalf("edits lost: %v", err)
		}
		if err := m3.Validate(); err != nil {
			t.Fatalf("edited message does not validate: %v", err)
		}
	})
}

// exerciseAccessors calls every read accessor; only panics matter.
func exerciseAccessors(m *Message) {
	_ = m.StartLine()
	_, _ = m.TopVia()
	_, _ = m.Vias()
	_, _ = m.From()
	_, _ = m.To()
	_, _ = m.CSeq()
	_, _, _ = m.MaxForwards()
	_, _, _ = m.Expires()
	_, _, _ = m.Contacts()
	_, _ = m.Routes()
	_, _ = m.RecordRoutes()
	_, _ = m.AppendTokens(nil, HdrSupported)
	_, _ = m.ParsedRequestURI()
	_, _ = m.Header("Via", -1)
	_ = m.HeaderCount("X-Unknown")
	_ = m.Body()
	_ = m.Validate()
}

// FuzzURI: ParseURI never panics; an accepted URI equals itself and parses
// the same way twice.
func FuzzURI(f *testing.F) {
	for _, s := range []string{
		"sip:user@example.com", "sips:user:pw@[2001:db8::1]:5061;transport=tcp;lr?Subject=hi&X=%20",
		"tel:+1-212-555-1212;phone-context=example.com", "sip:%75se%72@example.com;maddr=192.0.2.1;ttl=5",
		"sip:[2001:db8:::192.0.2.1]", "nobodyKnowsThisScheme:totallyopaquecontent", "sip:a@b@c",
	} {
		f.Add([]byte(s))
	}
	for _, s := range tortureSeeds(f) {
		var m Message
		if m.Parse(s, Datagram) == nil && m.IsRequest() {
			f.Add(append([]byte(nil), m.RequestURI()...))
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		u, err := ParseURI(data)
		if err != nil {
			return
		}
		if !u.Equal(&u) {
			t.Fatalf("URI %q not equal to itself", data)
		}
		u2, err := ParseURI(data)
		if err != nil || !u.Equal(&u2) {
			t.Fatalf("second parse differs")
		}
		_, _ = u.HostPort()
		_ = AppendUnescaped(nil, u.User)
		for it := u.Params.Iter(); it.Next(); {
			_ = it.Value
		}
	})
}

// FuzzVia: ParseVia never panics; an accepted Via re-parses from its Raw
// text to the same fields.
func FuzzVia(f *testing.F) {
	for _, s := range []string{
		"SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK1;rport", "SIP / 2.0 / TCP host ; branch = x ; received=[2001:db8::1]",
		"SIP/2.0/UDP [2001:db8::9:1];received=2001:db8::9:255;branch=z9hG4bKas3;ttl=3;maddr=224.2.0.1",
		"SIP/2.0/UDP 192.0.2.15;;,;,,",
	} {
		f.Add([]byte(s))
	}
	for _, s := range tortureSeeds(f) {
		var m Message
		if m.Parse(s, Datagram) == nil {
			it := m.Values(HdrVia)
			for v, ok := it.Next(); ok; v, ok = it.Next() {
				f.Add(append([]byte(nil), v...))
			}
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		v, err := ParseVia(data)
		if err != nil {
			return
		}
		v2, err := ParseVia(v.Raw)
		if err != nil || !bytes.Equal(v.Branch, v2.Branch) || !bytes.Equal(v.Host, v2.Host) || v.Port != v2.Port || v.HasRPort != v2.HasRPort {
			t.Fatalf("re-parse differs: %v", err)
		}
		if b, ok := v.Params.Get("branch"); v.Branch != nil && (!ok || !bytes.Equal(b, v.Branch)) {
			t.Fatalf("Params.Get(branch) = %q, Branch %q", b, v.Branch)
		}
		_ = v.IsRFC3261Branch()
		_ = v.SentByPort()
	})
}

// FuzzNameAddr: ParseNameAddr / ParseContact never panic; Tag agrees with
// the parameter list.
func FuzzNameAddr(f *testing.F) {
	for _, s := range []string{
		`"J Rosenberg \\\""       <sip:jdrosen@example.com>  ;  tag = 98asjd8`, "caller<sip:caller@example.com>;tag=323",
		"sip:+19725552222@gw1.example.net;unknownparam", `"Quoted string \"\"" <sip:jdrosen@example.com> ; newparam = newvalue ; q = 0.33`,
		"<sip:a@b;lr>;expires=3600;q=1.0", "Bell, Alexander <sip:a.g.bell@example.com>;tag=43",
	} {
		f.Add([]byte(s))
	}
	for _, s := range tortureSeeds(f) {
		var m Message
		if m.Parse(s, Datagram) == nil {
			for _, t := range []HeaderType{HdrFrom, HdrTo, HdrContact, HdrRoute, HdrRecordRoute} {
				it := m.Values(t)
				for v, ok := it.Next(); ok; v, ok = it.Next() {
					f.Add(append([]byte(nil), v...))
				}
			}
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if a, b := commaIndex(data), commaIndexSlow(data); a != b {
			t.Fatalf("commaIndex fast path %d, slow %d", a, b)
		}
		n, err := ParseNameAddr(data)
		if err == nil {
			tag, ok := n.Params.Get("tag")
			if ok != (n.Tag != nil) || !bytes.Equal(tag, n.Tag) {
				t.Fatalf("Tag %q vs Params %q %v", n.Tag, tag, ok)
			}
			_ = n.AppendDisplayName(nil)
			_, _ = n.ParsedURI()
		}
		if c, err := ParseContact(data); err == nil && (c.Q > 1000 || c.Q < -1) {
			t.Fatalf("q out of range: %d", c.Q)
		}
	})
}

// FuzzFramer: the Framer never returns more bytes than it was given, its
// output does not depend on how the stream was chunked, and every message
// it cuts parses as a stream message without a framing error.
func FuzzFramer(f *testing.F) {
	seeds := tortureSeeds(f)
	for i, s := range seeds {
		f.Add(s, []byte{byte(i), 7, 1, 200})
	}
	if len(seeds) > 2 {
		two := append(append([]byte("\r\n\r\n\r\n"), seeds[0]...), seeds[1]...)
		f.Add(two, []byte{3, 1, 4, 1, 5, 9, 2, 6})
	}
	f.Fuzz(func(t *testing.T, data []byte, chunks []byte) {
		// The first chunk byte's low bit turns on tcp_accept_no_cl.
		noCL := len(chunks) > 0 && chunks[0]&1 == 1
		framing := Stream
		if noCL {
			framing = StreamNoCL
		}
		fr := Framer{Limits: Limits{MaxSize: 4096, MaxHeaders: 64}, AcceptNoCL: noCL}
		whole := runStreamLimited(fr, data, nil)
		var cuts []int
		pos := 0
		for _, c := range chunks {
			pos += int(c) + 1
			if pos >= len(data) {
				break
			}
			cuts = append(cuts, pos)
		}
		chunked := runStreamLimited(fr, data, cuts)
		if !equalStreamOut(whole, chunked) {
			t.Fatalf("chunking changes the result: %+v vs %+v", whole, chunked)
		}
		total := whole.Pending + 4*whole.Keepalives
		for _, msg := range whole.Msgs {
			total += len(msg)
			var m Message
			err := m.Parse([]byte(msg), framing)
			if errors.Is(err, ErrFraming) || errors.Is(err, ErrTooLarge) {
				t.Fatalf("framed message fails framing in Parse: %v", err)
			}
		}
		if total > len(data) {
			t.Fatalf("framer returned %d bytes of %d", total, len(data))
		}
	})
}

func runStreamLimited(fr Framer, data []byte, cuts []int) streamOut {
	var out streamOut
	prev := 0
	for _, c := range append(cuts, len(data)) {
		fr.Feed(data[prev:c])
		prev = c
		for out.ErrKind == 0 {
			msg, kind, err := fr.Next()
			if err != nil {
				out.ErrKind = kindOf(err)
			} else if kind == FrameNone {
				break
			} else if kind == FrameKeepalive {
				out.Keepalives++
			} else {
				out.Msgs = append(out.Msgs, string(msg))
			}
		}
	}
	if out.ErrKind == 0 {
		out.Pending = fr.Buffered()
	}
	return out
}

func equalStreamOut(a, b streamOut) bool {
	if len(a.Msgs) != len(b.Msgs) || a.Keepalives != b.Keepalives || a.ErrKind != b.ErrKind || a.Pending != b.Pending {
		return false
	}
	for i := range a.Msgs {
		if a.Msgs[i] != b.Msgs[i] {
			return false
		}
	}
	return true
}
