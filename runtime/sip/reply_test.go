package sip

import (
	"bytes"
	"errors"
	"net/netip"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestAppendReply(t *testing.T) {
	req := mustParse(t, typicalInvite)
	out, err := AppendReply(nil, req, 486, "Busy Here", &ReplyOptions{
		ToTag: "t0", Server: "kamgo", Headers: []string{"Retry-After: 60"},
	})
	if err != nil {
		t.Fatal(err)
	}
	// The copied headers keep the request's order (To before From here),
	// as Kamailio writes them.
	want := "SIP/2.0 486 Busy Here\r\n" +
		"Via: SIP/2.0/UDP pc33.atlanta.example.com:5060;branch=z9hG4bK776asdhds;rport\r\n" +
		"Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bKnashds8;received=192.0.2.10\r\n" +
		"To: Bob <sip:bob@biloxi.example.com>;tag=t0\r\n" +
		"From: Alice <sip:alice@atlanta.example.com>;tag=1928301774\r\n" +
		"Call-ID: a84b4c76e66710@pc33.atlanta.example.com\r\n" +
		"CSeq: 314159 INVITE\r\n" +
		"Retry-After: 60\r\n" +
		"Server: kamgo\r\n" +
		"Content-Length: 0\r\n\r\n"
	if d := cmp.Diff(want, string(out)); d != "" {
		t.Errorf("reply (-want +got):\n%s", d)
	}
	resp := mustParse(t, string(out))
	if err := resp.Validate(); err != nil || resp.StatusCode() != 486 {
		t.Errorf("reply does not validate: %v", err)
	}

	// Stable tag: the same request gives the same tag; 100 gets none.
	r1, _ := AppendReply(nil, req, 404, "Not Found", nil)
	r2, _ := AppendReply(nil, mustParse(t, typicalInvite), 404, "Not Found", nil)
	if !bytes.Equal(r1, r2) || !bytes.Contains(r1, []byte(">;tag=")) {
		t.Errorf("stable tag differs or missing:\n%s", r1)
	}
	trying, _ := AppendReply(nil, req, 100, "Trying", nil)
	if bytes.Contains(trying, []byte(";tag=")) && !bytes.Contains(trying, []byte("tag=1928301774")) {
		t.Errorf("100 Trying got a To tag")
	}
	body, err := AppendReply(nil, req, 200, "OK", &ReplyOptions{ContentType: "application/sdp", Body: []byte(typicalSDP)})
	if err != nil {
		t.Fatal(err)
	}
	ok := mustParse(t, string(body))
	if string(ok.Body()) != typicalSDP || string(ok.ContentType()) != "application/sdp" {
		t.Errorf("reply body wrong")
	}
	// An existing To tag is kept.
	inDialog := mustParse(t, strings.Replace(typicalInvite, "To: Bob <sip:bob@biloxi.example.com>", "To: <sip:bob@b>;tag=abc", 1))
	r3, _ := AppendReply(nil, inDialog, 200, "OK", nil)
	if !bytes.Contains(r3, []byte("To: <sip:bob@b>;tag=abc\r\n")) {
		t.Errorf("existing tag changed:\n%s", r3)
	}
}

func TestAppendReplyErrors(t *testing.T) {
	req := mustParse(t, typicalInvite)
	resp := mustParse(t, "SIP/2.0 200 OK\r\n"+hdrs+"\r\n")
	noVia := mustParse(t, "OPTIONS sip:a@b SIP/2.0\r\nFrom: <sip:a@b>\r\nTo: <sip:c@d>\r\nCall-ID: 1\r\nCSeq: 1 OPTIONS\r\n\r\n")
	cases := map[string]error{}
	_, cases["response"] = AppendReply(nil, resp, 200, "OK", nil)
	_, cases["code 99"] = AppendReply(nil, req, 99, "x", nil)
	_, cases["CRLF reason"] = AppendReply(nil, req, 200, "OK\r\nX: y", nil)
	_, cases["CRLF header"] = AppendReply(nil, req, 200, "OK", &ReplyOptions{Headers: []string{"A: b\r\nC: d"}})
	_, cases["no Via"] = AppendReply(nil, noVia, 400, "Bad", nil)
	for name, err := range cases {
		if err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if !errors.Is(cases["no Via"], ErrMissing) {
		t.Errorf("no Via: %v", cases["no Via"])
	}
	// A 400 can still be built for a request refused for duplicates.
	dup := new(Message)
	err := dup.Parse([]byte(typicalInvite[:len(typicalInvite)-len(typicalSDP)-2]+"Call-ID: second\r\n\r\n"+typicalSDP), Datagram)
	if !errors.Is(err, ErrDuplicate) {
		t.Fatalf("dup: %v", err)
	}
	r, err := AppendReply(nil, dup, 400, "Duplicate Call-ID", nil)
	if err != nil || !bytes.Contains(r, []byte("Call-ID: a84b4c76e66710@pc33.atlanta.example.com\r\n")) {
		t.Errorf("400 for duplicates: %v\n%s", err, r)
	}
}

func TestAppendACKAndCANCEL(t *testing.T) {
	req := mustParse(t, typicalInvite)
	resp := mustParse(t, "SIP/2.0 486 Busy Here\r\n"+
		"Via: SIP/2.0/UDP pc33.atlanta.example.com:5060;branch=z9hG4bK776asdhds;rport\r\n"+
		"From: Alice <sip:alice@atlanta.example.com>;tag=1928301774\r\n"+
		"To: Bob <sip:bob@biloxi.example.com>;tag=314\r\n"+
		"Call-ID: a84b4c76e66710@pc33.atlanta.example.com\r\nCSeq: 314159 INVITE\r\nContent-Length: 0\r\n\r\n")
	ack, err := AppendACK(nil, req, resp)
	if err != nil {
		t.Fatal(err)
	}
	wantACK := "ACK sip:bob@biloxi.example.com SIP/2.0\r\n" +
		"Via: SIP/2.0/UDP pc33.atlanta.example.com:5060;branch=z9hG4bK776asdhds;rport\r\n" +
		"Route: <sip:proxy.example.com;lr>\r\n" +
		"Max-Forwards: 70\r\n" +
		"From: Alice <sip:alice@atlanta.example.com>;tag=1928301774\r\n" +
		"To: Bob <sip:bob@biloxi.example.com>;tag=314\r\n" +
		"Call-ID: a84b4c76e66710@pc33.atlanta.example.com\r\n" +
		"CSeq: 314159 ACK\r\n" +
		"Content-Length: 0\r\n\r\n"
	if d := cmp.Diff(wantACK, string(ack)); d != "" {
		t.Errorf("ACK (-want +got):\n%s", d)
	}
	cancel, err := AppendCANCEL(nil, req)
	if err != nil {
		t.Fatal(err)
	}
	wantCANCEL := strings.NewReplacer("ACK sip:", "CANCEL sip:", ";tag=314", "", "314159 ACK", "314159 CANCEL").Replace(wantACK)
	if d := cmp.Diff(wantCANCEL, string(cancel)); d != "" {
		t.Errorf("CANCEL (-want +got):\n%s", d)
	}
	for _, b := range [][]byte{ack, cancel} {
		m := mustParse(t, string(b))
		if err := m.Validate(); err != nil {
			t.Errorf("%s does not validate: %v", m.Method(), err)
		}
	}
	// The CANCEL and ACK reuse the request's branch, so a stateless proxy
	// computes the same downstream branch for them as for the INVITE.
	bi, _ := AppendStatelessBranch(nil, req)
	bc, _ := AppendStatelessBranch(nil, mustParse(t, string(cancel)))
	ba, _ := AppendStatelessBranch(nil, mustParse(t, string(ack)))
	if !bytes.Equal(bi, bc) || !bytes.Equal(bi, ba) || !bytes.HasPrefix(bi, []byte(BranchCookie)) {
		t.Errorf("stateless branches differ: %s %s %s", bi, bc, ba)
	}
	ok := mustParse(t, strings.Replace(string(resp.Bytes()), "486 Busy Here", "200 OK", 1))
	if _, err := AppendACK(nil, req, ok); err == nil {
		t.Errorf("ACK for 2xx built hop-by-hop")
	}
	if _, err := AppendCANCEL(nil, mustParse(t, string(ack))); err == nil {
		t.Errorf("CANCEL of an ACK")
	}
	if _, err := AppendACK(nil, mustParse(t, string(cancel)), resp); err == nil {
		t.Errorf("ACK for a CANCEL")
	}
}

func TestBranches(t *testing.T) {
	a := mustParse(t, typicalInvite)
	b2 := mustParse(t, strings.Replace(typicalInvite, "z9hG4bK776asdhds", "z9hG4bK776asdhdt", 1))
	ba, _ := AppendStatelessBranch(nil, a)
	bb, _ := AppendStatelessBranch(nil, b2)
	if bytes.Equal(ba, bb) {
		t.Errorf("different requests, same stateless branch")
	}
	// RFC 2543 requests hash Call-ID, From tag, CSeq number, R-URI.
	old := "INVITE sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP h\r\nFrom: <sip:x@y>;tag=1\r\nTo: <sip:a@b>\r\nCall-ID: c\r\nCSeq: 1 INVITE\r\n\r\n"
	o1, _ := AppendStatelessBranch(nil, mustParse(t, old))
	o2, _ := AppendStatelessBranch(nil, mustParse(t, strings.Replace(old, "CSeq: 1 INVITE", "CSeq: 2 INVITE", 1)))
	o3, _ := AppendStatelessBranch(nil, mustParse(t, strings.Replace(strings.Replace(old, "INVITE sip", "ACK sip", 1), "1 INVITE", "1 ACK", 1)))
	if bytes.Equal(o1, o2) || !bytes.Equal(o1, o3) {
		t.Errorf("2543 branches: %s %s %s", o1, o2, o3)
	}
	g := NewIDGen()
	seen := map[string]bool{}
	for i := 0; i < 1000; i++ {
		br := g.AppendBranch(nil)
		tag := g.AppendTag(nil)
		if !bytes.HasPrefix(br, []byte(BranchCookie)) || len(br) != 7+24 || len(tag) != 24 || seen[string(br[7:])] || seen[string(tag)] {
			t.Fatalf("IDGen: %s %s", br, tag)
		}
		seen[string(br[7:])], seen[string(tag)] = true, true
	}
	if v, err := ParseVia([]byte("SIP/2.0/UDP h;branch=" + string(g.AppendBranch(nil)))); err != nil || !v.IsRFC3261Branch() {
		t.Errorf("IDGen branch is not a valid token: %v", err)
	}
}

// TestAppendReplyReceivedVia: the top Via of a local reply as Kamailio
// 5.6.3's sl writes it (observed): rport filled in place, received at the
// end, and with force_rport a missing rport appended before it. Where
// Kamailio appends a second received after an existing one, kamgo
// rewrites the existing one.
func TestAppendReplyReceivedVia(t *testing.T) {
	src := netip.MustParseAddrPort("192.0.2.7:40000")
	tests := []struct {
		via   string
		force bool
		want  string
	}{
		{"SIP/2.0/UDP 192.0.2.7:5060;branch=z9hG4bK1", false, "SIP/2.0/UDP 192.0.2.7:5060;branch=z9hG4bK1"},
		{"SIP/2.0/UDP host.example:5060;branch=z9hG4bK1", false, "SIP/2.0/UDP host.example:5060;branch=z9hG4bK1;received=192.0.2.7"},
		{"SIP/2.0/UDP 192.0.2.7:5060;rport;branch=z9hG4bK1", false, "SIP/2.0/UDP 192.0.2.7:5060;rport=40000;branch=z9hG4bK1;received=192.0.2.7"},
		{"SIP/2.0/UDP 10.9.9.9:9;rport;x=1;branch=z9hG4bK1", false, "SIP/2.0/UDP 10.9.9.9:9;rport=40000;x=1;branch=z9hG4bK1;received=192.0.2.7"},
		{"SIP/2.0/UDP h;branch=z9hG4bK1;received=10.0.0.1;rport=1", false, "SIP/2.0/UDP h;branch=z9hG4bK1;received=192.0.2.7;rport=40000"},
		{"SIP/2.0/UDP h;rport=1;received=10.0.0.1", false, "SIP/2.0/UDP h;rport=40000;received=192.0.2.7"},
		{"SIP/2.0/UDP h;branch=z9hG4bK1, SIP/2.0/UDP other;branch=z9hG4bK2", false, "SIP/2.0/UDP h;branch=z9hG4bK1;received=192.0.2.7, SIP/2.0/UDP other;branch=z9hG4bK2"},
		// A received that matches the source is still rewritten (it may
		// have been forged).
		{"SIP/2.0/UDP 192.0.2.7;received=10.0.0.1;branch=z9hG4bK1", false, "SIP/2.0/UDP 192.0.2.7;received=192.0.2.7;branch=z9hG4bK1"},
		// force_rport.
		{"SIP/2.0/UDP 192.0.2.7:9;branch=z9hG4bK1", true, "SIP/2.0/UDP 192.0.2.7:9;branch=z9hG4bK1;rport=40000"},
		{"SIP/2.0/UDP 10.9.9.9:9;branch=z9hG4bK1", true, "SIP/2.0/UDP 10.9.9.9:9;branch=z9hG4bK1;rport=40000;received=192.0.2.7"},
		{"SIP/2.0/UDP 10.9.9.9:9;branch=z9hG4bK1;rport", true, "SIP/2.0/UDP 10.9.9.9:9;branch=z9hG4bK1;rport=40000;received=192.0.2.7"},
		{"SIP/2.0/UDP 10.9.9.9:9;received=1.1.1.1;branch=z9hG4bK1", true, "SIP/2.0/UDP 10.9.9.9:9;received=192.0.2.7;branch=z9hG4bK1;rport=40000"},
	}
	for _, tt := range tests {
		req := "OPTIONS sip:x@y SIP/2.0\r\nVia: " + tt.via + "\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:x@y>\r\nCall-ID: c\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n"
		var m Message
		if err := m.Parse([]byte(req), Datagram); err != nil {
			t.Fatalf("%q: %v", tt.via, err)
		}
		out, err := AppendReply(nil, &m, 200, "OK", &ReplyOptions{Source: src, ToTag: "t", ForceRport: tt.force})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(out), "\r\nVia: "+tt.want+"\r\n") {
			t.Errorf("Via %q:\ngot  %q\nwant Via: %q", tt.via, out, tt.want)
		}
	}
}
