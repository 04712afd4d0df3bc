package sip

import (
	"errors"
	"net/netip"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const typicalSDP = "v=0\r\n" +
	"o=alice 2890844526 2890844526 IN IP4 pc33.atlanta.example.com\r\n" +
	"s=-\r\n" +
	"c=IN IP4 192.0.2.101\r\n" +
	"t=0 0\r\n" +
	"m=audio 49172 RTP/AVP 0 8 101\r\n" +
	"a=rtpmap:0 PCMU/8000\r\n" +
	"a=rtpmap:8 PCMA/8000\r\n" +
	"a=rtpmap:101 telephone-event/8000\r\n" +
	"a=fmtp:101 0-15\r\n" +
	"a=sendrecv\r\n"

// typicalInvite is the ~1 KB INVITE of the benchmarks: 2 Vias, Route,
// Record-Route, SDP.
const typicalInvite = "INVITE sip:bob@biloxi.example.com SIP/2.0\r\n" +
	"Via: SIP/2.0/UDP pc33.atlanta.example.com:5060;branch=z9hG4bK776asdhds;rport\r\n" +
	"Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bKnashds8;received=192.0.2.10\r\n" +
	"Max-Forwards: 70\r\n" +
	"Route: <sip:proxy.example.com;lr>\r\n" +
	"Record-Route: <sip:p1.example.com;lr>\r\n" +
	"To: Bob <sip:bob@biloxi.example.com>\r\n" +
	"From: Alice <sip:alice@atlanta.example.com>;tag=1928301774\r\n" +
	"Call-ID: a84b4c76e66710@pc33.atlanta.example.com\r\n" +
	"CSeq: 314159 INVITE\r\n" +
	"Contact: <sip:alice@pc33.atlanta.example.com>\r\n" +
	"Subject: lunch\r\n" +
	"User-Agent: ExamplePhone/4.2 (build 1234)\r\n" +
	"Allow: INVITE, ACK, CANCEL, OPTIONS, BYE, REFER, NOTIFY, MESSAGE, SUBSCRIBE, INFO\r\n" +
	"Supported: replaces, timer, 100rel\r\n" +
	"Session-Expires: 1800\r\n" +
	"Content-Type: application/sdp\r\n" +
	"Content-Length: 241\r\n" +
	"\r\n" + typicalSDP

func mustParse(t testing.TB, s string) *Message {
	t.Helper()
	m := new(Message)
	if err := m.Parse([]byte(s), Datagram); err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return m
}

// summary is what the round-trip test compares after re-parsing.
type summary struct {
	RURI     string
	Vias     []viaSum
	RR       []string
	MaxFwd   int
	Subject  int
	XAdded   []string
	Body     string
	CL       int
	FirstHdr string
	LastHdr  string
}

func summarize(t *testing.T, m *Message) summary {
	t.Helper()
	s := summary{RURI: string(m.RequestURI()), Vias: viaSums(t, m), Subject: m.HeaderCount("Subject"), Body: string(m.Body())}
	rr, err := m.RecordRoutes()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rr {
		s.RR = append(s.RR, string(r.URI))
	}
	s.MaxFwd, _, _ = m.MaxForwards()
	for i := 0; i < m.HeaderCount("X-Added"); i++ {
		v, _ := m.Header("X-Added", i)
		s.XAdded = append(s.XAdded, string(v))
	}
	s.CL, _ = m.ContentLength()
	h := m.Headers()
	s.FirstHdr, s.LastHdr = string(h[0].Name), string(h[len(h)-1].Name)
	return s
}

func TestEditRoundTrip(t *testing.T) {
	m := mustParse(t, typicalInvite)
	if got := m.String(); got != typicalInvite {
		t.Fatalf("no-edit round trip differs")
	}
	orig := append([]byte(nil), m.Bytes()...)

	if err := m.FixTopVia(netip.MustParseAddrPort("198.51.100.7:6060"), false); err != nil {
		t.Fatal(err)
	}
	if err := m.SetRequestURI("sip:bob@192.0.2.4:5080;transport=udp"); err != nil {
		t.Fatal(err)
	}
	if string(m.RequestURI()) != "sip:bob@192.0.2.4:5080;transport=udp" {
		t.Errorf("$ru after rewrite = %q", m.RequestURI())
	}
	if u, err := m.ParsedRequestURI(); err != nil || u.Port != 5080 {
		t.Errorf("$rp after rewrite: %v", err)
	}
	if err := m.PushVia(&ViaSpec{Transport: "UDP", Host: "192.0.2.1", Port: 5060, Branch: []byte("z9hG4bKproxy1"), RPort: true}); err != nil {
		t.Fatal(err)
	}
	if err := m.PushRecordRoute("sip:192.0.2.1;lr"); err != nil {
		t.Fatal(err)
	}
	if err := m.SetMaxForwards(69); err != nil {
		t.Fatal(err)
	}
	if n := m.RemoveHeaders("subject"); n != 1 {
		t.Errorf("RemoveHeaders = %d", n)
	}
	if err := m.AppendHeader("X-Added", "one"); err != nil {
		t.Fatal(err)
	}
	if err := m.AppendHeader("X-Added", "two"); err != nil {
		t.Fatal(err)
	}
	if err := m.PrependHeader("X-First", "1"); err != nil {
		t.Fatal(err)
	}
	if err := m.SetBody([]byte("hello")); err != nil {
		t.Fatal(err)
	}
	if err := m.SetBody([]byte("hello, world")); err != nil { // the second one wins
		t.Fatal(err)
	}
	out := m.AppendTo(nil)
	if string(m.Bytes()) != string(orig) {
		t.Fatalf("received bytes were modified")
	}
	m2 := mustParse(t, string(out))
	if err := m2.Validate(); err != nil {
		t.Fatalf("edited message does not validate: %v\n%s", err, out)
	}
	want := summary{
		RURI: "sip:bob@192.0.2.4:5080;transport=udp",
		Vias: []viaSum{
			{"UDP", "192.0.2.1", 5060, "z9hG4bKproxy1", ""},
			{"UDP", "pc33.atlanta.example.com", 5060, "z9hG4bK776asdhds", "198.51.100.7"},
			{"UDP", "192.0.2.10", 5060, "z9hG4bKnashds8", "192.0.2.10"},
		},
		RR:     []string{"sip:192.0.2.1;lr", "sip:p1.example.com;lr"},
		MaxFwd: 69, Subject: 0, XAdded: []string{"one", "two"},
		Body: "hello, world", CL: 12, FirstHdr: "Via", LastHdr: "X-Added",
	}
	if d := cmp.Diff(want, summarize(t, m2)); d != "" {
		t.Errorf("after edit + re-parse (-want +got):\n%s\n%s", d, out)
	}
	v, _ := m2.Vias()
	if string(v[1].RPort) != "6060" {
		t.Errorf("rport = %q", v[1].RPort)
	}
	// Insertions at the top come out in call order; the Record-Route goes
	// right above the existing one.
	var names []string
	for _, h := range m2.Headers()[:7] {
		names = append(names, string(h.Name))
	}
	if d := cmp.Diff([]string{"Via", "X-First", "Via", "Via", "Max-Forwards", "Route", "Record-Route"}, names); d != "" {
		t.Errorf("header order:\n%s", d)
	}
}

// TestFixTopVia: the client's Via of a forwarded request as Kamailio
// 5.6.3 writes it (observed): new parameters right after the sent-by,
// rport before received; existing ones rewritten in place.
func TestFixTopVia(t *testing.T) {
	tests := []struct {
		via, src string
		force    bool
		want     string
	}{
		// Same host, no rport: untouched.
		{"SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK1", "192.0.2.1:5060", false, "SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK1"},
		// Different host: received added after the sent-by.
		{"SIP/2.0/UDP host.example;branch=z9hG4bK1", "192.0.2.1:5060", false, "SIP/2.0/UDP host.example;received=192.0.2.1;branch=z9hG4bK1"},
		// rport: always received, rport filled in place.
		{"SIP/2.0/UDP 192.0.2.1;rport;branch=z9hG4bK1", "192.0.2.1:1024", false, "SIP/2.0/UDP 192.0.2.1;received=192.0.2.1;rport=1024;branch=z9hG4bK1"},
		{"SIP/2.0/UDP 10.9.9.9:9;branch=z9hG4bK1;rport", "192.0.2.1:1024", false, "SIP/2.0/UDP 10.9.9.9:9;received=192.0.2.1;branch=z9hG4bK1;rport=1024"},
		{"SIP/2.0/UDP 10.9.9.9:9;rport;branch=z9hG4bK1;received=1.1.1.1", "192.0.2.1:1024", false, "SIP/2.0/UDP 10.9.9.9:9;rport=1024;branch=z9hG4bK1;received=192.0.2.1"},
		// Existing received is rewritten, not duplicated, even when the
		// sent-by is the source (it may have been forged).
		{"SIP/2.0/UDP h;received=10.0.0.1;branch=z9hG4bK1", "192.0.2.9:5060", false, "SIP/2.0/UDP h;received=192.0.2.9;branch=z9hG4bK1"},
		{"SIP/2.0/UDP 192.0.2.9;received=10.0.0.1;branch=z9hG4bK1", "192.0.2.9:5060", false, "SIP/2.0/UDP 192.0.2.9;received=192.0.2.9;branch=z9hG4bK1"},
		{"SIP/2.0/UDP [2001:db8::1];branch=z9hG4bK1", "[2001:db8::2]:5060", false, "SIP/2.0/UDP [2001:db8::1];received=2001:db8::2;branch=z9hG4bK1"},
		{"SIP/2.0/UDP [2001:db8::1];branch=z9hG4bK1", "[2001:DB8::1]:5060", false, "SIP/2.0/UDP [2001:db8::1];branch=z9hG4bK1"},
		// force_rport.
		{"SIP/2.0/UDP 192.0.2.1:9;branch=z9hG4bK1", "192.0.2.1:1024", true, "SIP/2.0/UDP 192.0.2.1:9;rport=1024;branch=z9hG4bK1"},
		{"SIP/2.0/UDP 10.9.9.9:9;branch=z9hG4bK1", "192.0.2.1:1024", true, "SIP/2.0/UDP 10.9.9.9:9;rport=1024;received=192.0.2.1;branch=z9hG4bK1"},
		{"SIP/2.0/UDP 10.9.9.9:9;branch=z9hG4bK1;received=1.1.1.1", "192.0.2.1:1024", true, "SIP/2.0/UDP 10.9.9.9:9;branch=z9hG4bK1;rport=1024;received=192.0.2.1"},
		{"SIP/2.0/UDP 10.9.9.9:9;branch=z9hG4bK1;rport=7", "192.0.2.1:1024", true, "SIP/2.0/UDP 10.9.9.9:9;received=192.0.2.1;branch=z9hG4bK1;rport=1024"},
	}
	for _, tt := range tests {
		m := mustParse(t, "OPTIONS sip:a@b SIP/2.0\r\nVia: "+tt.via+"\r\nVia: SIP/2.0/UDP second\r\n\r\n")
		if err := m.FixTopVia(netip.MustParseAddrPort(tt.src), tt.force); err != nil {
			t.Fatal(err)
		}
		m2 := mustParse(t, m.String())
		if got, _ := m2.Header("Via", 0); string(got) != tt.want {
			t.Errorf("FixTopVia(%q, %s) = %q, want %q", tt.via, tt.src, got, tt.want)
		}
		if _, err := m2.Vias(); err != nil {
			t.Errorf("%v", err)
		}
	}
}

func TestEditOverlaps(t *testing.T) {
	m := mustParse(t, typicalInvite)
	i := 0
	for k, h := range m.Headers() {
		if h.Type == HdrSubject {
			i = k
		}
	}
	if err := m.RemoveHeader(i); err != nil {
		t.Fatal(err)
	}
	// A rewrite inside a removed header is dropped, not resurrected.
	if err := m.SetHeaderValue(i, "dinner"); err != nil {
		t.Fatal(err)
	}
	// Rewriting the same value twice: the last one wins.
	if err := m.SetHeaderValue(0, "SIP/2.0/UDP a;branch=z9hG4bKa"); err != nil {
		t.Fatal(err)
	}
	if err := m.SetHeaderValue(0, "SIP/2.0/UDP b;branch=z9hG4bKb"); err != nil {
		t.Fatal(err)
	}
	// Removing the first header and inserting at its offset keeps the insertion.
	if err := m.PushVia(&ViaSpec{Transport: "TCP", Host: "p.example", Branch: []byte("z9hG4bKp")}); err != nil {
		t.Fatal(err)
	}
	m2 := mustParse(t, m.String())
	if m2.HeaderCount("Subject") != 0 {
		t.Errorf("Subject resurrected")
	}
	v, _ := m2.Vias()
	if len(v) != 3 || string(v[0].Host) != "p.example" || string(v[1].Host) != "b" {
		t.Errorf("vias %+v", viaSums(t, m2))
	}
}

func TestEditRejectsInjection(t *testing.T) {
	m := mustParse(t, typicalInvite)
	for name, err := range map[string]error{
		"CRLF in value":       m.AppendHeader("X-A", "a\r\nVia: evil"),
		"bad name":            m.AppendHeader("X A", "v"),
		"empty name":          m.PrependHeader("", "v"),
		"LF in RR":            m.PushRecordRoute("sip:a\n"),
		"RR not a URI":        m.PushRecordRoute("nope"),
		"space in R-URI":      m.SetRequestURI("sip:a b"),
		"R-URI no scheme":     m.SetRequestURI("bob@host"),
		"Via bad host":        m.PushVia(&ViaSpec{Transport: "UDP", Host: "a b", Branch: []byte("z9hG4bK1")}),
		"Via no branch":       m.PushVia(&ViaSpec{Transport: "UDP", Host: "a"}),
		"Via bad port":        m.PushVia(&ViaSpec{Transport: "UDP", Host: "a", Port: 70000, Branch: []byte("z9hG4bK1")}),
		"Max-Forwards 300":    m.SetMaxForwards(300),
		"remove out of range": m.RemoveHeader(99),
		"replace foreign":     m.Replace([]byte("sip:bob@biloxi.example.com"), "x"),
	} {
		if err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if m.Edited() || m.String() != typicalInvite {
		t.Errorf("refused edits left traces")
	}
	var unparsed Message
	if err := unparsed.AppendHeader("X", "y"); err == nil {
		t.Errorf("edit on an unparsed message accepted")
	}
}

func TestReplaceAndEnsureCL(t *testing.T) {
	m := mustParse(t, "OPTIONS sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nRoute: <sip:p1;lr>, <sip:p2;lr>\r\n\r\nbody")
	// Drop the first Route value together with its comma, as rr would.
	v, _ := m.Header("Route", 0)
	if err := m.Replace(v[:len("<sip:p1;lr>, ")], ""); err != nil {
		t.Fatal(err)
	}
	if err := m.EnsureContentLength(); err != nil {
		t.Fatal(err)
	}
	if err := m.EnsureContentLength(); err != nil {
		t.Fatal(err)
	}
	m2 := new(Message)
	if err := m2.Parse(m.AppendTo(nil), Stream); err != nil {
		t.Fatalf("stream parse after EnsureContentLength: %v\n%s", err, m.String())
	}
	r, err := m2.Routes()
	if err != nil || len(r) != 1 || string(r[0].URI) != "sip:p2;lr" || string(m2.Body()) != "body" {
		t.Errorf("routes %v %v body %q", r, err, m2.Body())
	}
	if !strings.Contains(m.String(), "Content-Length: 4\r\n") {
		t.Errorf("Content-Length missing:\n%s", m.String())
	}
}

func TestEditLimit(t *testing.T) {
	m := mustParse(t, typicalInvite)
	var err error
	for i := 0; i <= maxEdits && err == nil; i++ {
		err = m.AppendHeader("X", "y")
	}
	if !errors.Is(err, ErrTooLarge) {
		t.Errorf("edit limit: %v", err)
	}
}

func TestRemoveFirstValue(t *testing.T) {
	tests := []struct {
		name string
		t    HeaderType
		in   string
		want []string // remaining header lines
	}{
		{"own line", HdrVia, "Via: SIP/2.0/UDP p;branch=z9hG4bK1\r\nVia: SIP/2.0/UDP c;branch=z9hG4bK2\r\n",
			[]string{"Via: SIP/2.0/UDP c;branch=z9hG4bK2"}},
		{"comma list", HdrVia, "Via: SIP/2.0/UDP p;branch=z9hG4bK1 ,\r\n SIP/2.0/UDP c;branch=z9hG4bK2\r\n",
			[]string{"Via: SIP/2.0/UDP c;branch=z9hG4bK2"}},
		{"route with quoted comma", HdrRoute, "Route: \"a,b\" <sip:p1;lr>, <sip:p2;lr>\r\n",
			[]string{"Route: <sip:p2;lr>"}},
	}
	for _, tt := range tests {
		m := mustParse(t, "SIP/2.0 200 OK\r\n"+tt.in+"\r\n")
		if err := m.RemoveFirstValue(tt.t); err != nil {
			t.Fatal(err)
		}
		got := strings.Split(strings.TrimSuffix(m.String(), "\r\n\r\n"), "\r\n")[1:]
		if d := cmp.Diff(tt.want, got); d != "" {
			t.Errorf("%s:\n%s", tt.name, d)
		}
	}
	m := mustParse(t, "SIP/2.0 200 OK\r\nCall-ID: x\r\n\r\n")
	if err := m.RemoveFirstValue(HdrVia); !errors.Is(err, ErrMissing) {
		t.Errorf("no Via: %v", err)
	}
}

func TestSetMaxForwardsAdds(t *testing.T) {
	m := mustParse(t, "OPTIONS sip:a@b SIP/2.0\r\nUser-Agent: x/1\r\n"+hdrs+"\r\n")
	if string(m.UserAgent()) != "x/1" || string(m.Version()) != "SIP/2.0" {
		t.Errorf("UA %q version %q", m.UserAgent(), m.Version())
	}
	if err := m.SetMaxForwards(10); err != nil {
		t.Fatal(err)
	}
	m2 := mustParse(t, m.String())
	if n, ok, err := m2.MaxForwards(); n != 10 || !ok || err != nil {
		t.Errorf("Max-Forwards %d %v %v", n, ok, err)
	}
	if string(m2.Headers()[0].Name) != "Max-Forwards" {
		t.Errorf("added at %s", m2.Headers()[0].Name)
	}
}

// TestOverwrite: an in-place rewrite shows in the raw bytes and in later
// reads, records no edit, and refuses another length or a foreign slice.
func TestOverwrite(t *testing.T) {
	m := mustParse(t, "OPTIONS sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n")
	v, _ := m.Header("Max-Forwards", 0)
	if err := m.Overwrite(v, "69"); err != nil {
		t.Fatal(err)
	}
	if n, _, err := m.MaxForwards(); err != nil || n != 69 {
		t.Errorf("MaxForwards = %d, %v", n, err)
	}
	if !strings.Contains(string(m.Bytes()), "Max-Forwards: 69\r\n") || m.Edited() {
		t.Errorf("raw %q, edited %v", m.Bytes(), m.Edited())
	}
	if err := m.Overwrite(v, "100"); err == nil {
		t.Error("a longer text was accepted")
	}
	if err := m.Overwrite([]byte("70"), "69"); err == nil {
		t.Error("a slice outside the message was accepted")
	}
}
