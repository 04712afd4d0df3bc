package sip

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const hdrs = "Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:c@d>\r\nCall-ID: x@y\r\nCSeq: 1 OPTIONS\r\n"

func TestParseStartLine(t *testing.T) {
	tests := []struct {
		line    string
		req     bool
		method  string
		ruri    string
		code    int
		reason  string
		errKind ErrorKind
	}{
		{line: "OPTIONS sip:a@b SIP/2.0", req: true, method: "OPTIONS", ruri: "sip:a@b"},
		{line: "SIP/2.0 200 OK", code: 200, reason: "OK"},
		{line: "SIP/2.0 100 ", code: 100},
		{line: "SIP/2.0 180", code: 180},
		{line: "sip/2.0 486 Busy Here", code: 486, reason: "Busy Here"},
		{line: "SIP/2.0 099 Low", errKind: ErrSyntax},
		{line: "SIP/2.0 700 High", errKind: ErrSyntax},
		{line: "SIP/2.0 4294967301 x", errKind: ErrSyntax},
		{line: "SIP/2.0 20 x", errKind: ErrSyntax},
		{line: "SIP/3.0 200 OK", errKind: ErrVersion},
		{line: "OPTIONS sip:a@b SIP/7.0", errKind: ErrVersion},
		{line: "OPTIONS sip:a@b HTTP/1.1", errKind: ErrSyntax},
		{line: "OPTIONS sip:a@b SIP/2.0 ", errKind: ErrSyntax},
		{line: "OPTIONS  sip:a@b SIP/2.0", errKind: ErrSyntax},
		{line: "OPTIONS sip:a@b  SIP/2.0", errKind: ErrSyntax},
		{line: "OPTIONS <sip:a@b> SIP/2.0", errKind: ErrSyntax},
		{line: "OPT\x00IONS sip:a@b SIP/2.0", errKind: ErrSyntax},
		{line: "OPTIONS sip:a\x00@b SIP/2.0", errKind: ErrSyntax},
		{line: "OPTIONS sip:a@b", errKind: ErrSyntax},
		{line: " OPTIONS sip:a@b SIP/2.0", errKind: ErrSyntax},
		{line: "SIP/2.0 200 O\x01K", errKind: ErrSyntax},
		{line: "OPTIONS sip:a@b SIP/2.0\rX", errKind: ErrSyntax},
	}
	for _, tt := range tests {
		var m Message
		err := m.Parse([]byte(tt.line+"\r\n"+hdrs+"\r\n"), Datagram)
		if tt.errKind != 0 {
			if !errors.Is(err, tt.errKind) {
				t.Errorf("%q: err %v, want %v", tt.line, err, tt.errKind)
			}
			continue
		}
		if err != nil {
			t.Errorf("%q: %v", tt.line, err)
			continue
		}
		got := []any{m.IsRequest(), string(m.Method()), string(m.RequestURI()), m.StatusCode(), string(m.Reason()), string(m.StartLine())}
		want := []any{tt.req, tt.method, tt.ruri, tt.code, tt.reason, tt.line}
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("%q:\n%s", tt.line, d)
		}
	}
}

func TestParseHeaders(t *testing.T) {
	msg := "INVITE sip:a@b SIP/2.0\r\n" +
		"v: SIP/2.0/UDP h1;branch=z9hG4bK1\r\n" +
		"VIA : SIP/2.0/UDP h2;branch=z9hG4bK2, SIP/2.0/UDP h3\r\n" +
		"f: <sip:a@b>;tag=1\r\nt:<sip:c@d>\r\ni:   x@y   \r\nCSEQ: 1 INVITE\r\n" +
		"X-Custom: one\r\nx-custom: two\r\nSubject:\r\n" +
		"X-Folded: a\r\n\tb\r\n  c\r\n" +
		"l: 4\r\n\r\nbody"
	var m Message
	if err := m.Parse([]byte(msg), Datagram); err != nil {
		t.Fatal(err)
	}
	type hv struct {
		T         HeaderType
		Name, Val string
	}
	var got []hv
	for _, h := range m.Headers() {
		got = append(got, hv{h.Type, string(h.Name), string(h.Value)})
	}
	want := []hv{
		{HdrVia, "v", "SIP/2.0/UDP h1;branch=z9hG4bK1"},
		{HdrVia, "VIA", "SIP/2.0/UDP h2;branch=z9hG4bK2, SIP/2.0/UDP h3"},
		{HdrFrom, "f", "<sip:a@b>;tag=1"}, {HdrTo, "t", "<sip:c@d>"}, {HdrCallID, "i", "x@y"},
		{HdrCSeq, "CSEQ", "1 INVITE"}, {HdrOther, "X-Custom", "one"}, {HdrOther, "x-custom", "two"},
		{HdrSubject, "Subject", ""}, {HdrOther, "X-Folded", "a\r\n\tb\r\n  c"}, {HdrContentLength, "l", "4"},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Fatalf("index (-want +got):\n%s", d)
	}
	lookups := []struct {
		name string
		i    int
		want string
		ok   bool
	}{
		{"Via", 0, "SIP/2.0/UDP h1;branch=z9hG4bK1", true}, {"v", 1, "SIP/2.0/UDP h2;branch=z9hG4bK2, SIP/2.0/UDP h3", true},
		{"via", -1, "SIP/2.0/UDP h2;branch=z9hG4bK2, SIP/2.0/UDP h3", true}, {"via", 2, "", false}, {"Via", -3, "", false},
		{"X-CUSTOM", 1, "two", true}, {"x-custom", -2, "one", true}, {"s", 0, "", true}, {"Call-Id", 0, "x@y", true},
		{"X-Missing", 0, "", false},
	}
	for _, l := range lookups {
		v, ok := m.Header(l.name, l.i)
		if string(v) != l.want || ok != l.ok {
			t.Errorf("Header(%q, %d) = %q %v", l.name, l.i, v, ok)
		}
	}
	counts := map[string]int{"Via": 2, "V": 2, "x-custom": 2, "Contact": 0, "Subject": 1, "Nope": 0}
	for n, c := range counts {
		if got := m.HeaderCount(n); got != c {
			t.Errorf("HeaderCount(%q) = %d, want %d", n, got, c)
		}
	}
	vias, err := m.Vias()
	if err != nil || len(vias) != 3 || string(vias[2].Host) != "h3" {
		t.Errorf("Vias: %v %d", err, len(vias))
	}
	if string(m.Body()) != "body" || string(m.CallID()) != "x@y" {
		t.Errorf("body %q call-id %q", m.Body(), m.CallID())
	}
}

func TestParseRejects(t *testing.T) {
	start := "OPTIONS sip:a@b SIP/2.0\r\n"
	tests := []struct {
		name, msg string
		kind      ErrorKind
	}{
		{"control char in name", start + "To\x01: <sip:c@d>\r\n" + hdrs + "\r\n", ErrSyntax},
		{"space in name", start + "X Bypass: 1\r\n" + hdrs + "\r\n", ErrSyntax},
		{"no colon", start + "Foobar roobar\r\n" + hdrs + "\r\n", ErrSyntax},
		{"fold after start line", start + " folded\r\n" + hdrs + "\r\n", ErrSyntax},
		{"bare LF", start + "X-A: 1\n" + hdrs + "\r\n", ErrSyntax},
		{"bare CR", start + "X-A: 1\r2\r\n" + hdrs + "\r\n", ErrSyntax},
		{"no end of headers", start + hdrs, ErrFraming},
		{"no CRLF at all", "OPTIONS sip:a@b SIP/2.0", ErrFraming},
		{"duplicate Call-ID", start + hdrs + "Call-ID: z@y\r\n\r\n", ErrDuplicate},
		{"duplicate From compact", start + hdrs + "f: <sip:x@y>\r\n\r\n", ErrDuplicate},
		{"duplicate Max-Forwards", start + hdrs + "Max-Forwards: 1\r\nMax-Forwards: 2\r\n\r\n", ErrDuplicate},
		{"duplicate Content-Length", start + hdrs + "l: 0\r\nContent-Length: 0\r\n\r\n", ErrFraming},
		{"negative Content-Length", start + hdrs + "Content-Length: -1\r\n\r\n", ErrFraming},
		{"Content-Length 2^32", start + hdrs + "Content-Length: 4294967296\r\n\r\n", ErrFraming},
		{"Content-Length 2^31", start + hdrs + "Content-Length: 2147483648\r\n\r\n", ErrTooLarge},
		{"Content-Length five", start + hdrs + "Content-Length: five\r\n\r\n", ErrFraming},
		{"body too short", start + hdrs + "Content-Length: 10\r\n\r\nabc", ErrFraming},
	}
	for _, tt := range tests {
		var m Message
		if err := m.Parse([]byte(tt.msg), Datagram); !errors.Is(err, tt.kind) {
			t.Errorf("%s: err %v, want %v", tt.name, err, tt.kind)
		}
	}
}

func TestParseFraming(t *testing.T) {
	base := "OPTIONS sip:a@b SIP/2.0\r\n" + hdrs
	var m Message
	// Datagram: trailing octets after Content-Length are discarded.
	if err := m.Parse([]byte(base+"Content-Length: 3\r\n\r\nabcTRAILING"), Datagram); err != nil {
		t.Fatal(err)
	}
	if string(m.Body()) != "abc" || !strings.HasSuffix(string(m.Bytes()), "\r\n\r\nabc") {
		t.Errorf("body %q", m.Body())
	}
	// Datagram without Content-Length: the body is the rest.
	if err := m.Parse([]byte(base+"\r\nrest of datagram"), Datagram); err != nil || string(m.Body()) != "rest of datagram" {
		t.Errorf("no CL: %v %q", err, m.Body())
	}
	if _, ok := m.ContentLength(); ok {
		t.Errorf("ContentLength present")
	}
	// Stream: Content-Length required and exact.
	for msg, kind := range map[string]ErrorKind{
		base + "\r\nbody":                      ErrFraming,
		base + "Content-Length: 3\r\n\r\nabcd": ErrFraming,
		base + "Content-Length: 3\r\n\r\nab":   ErrFraming,
		base + "Content-Length: 3\r\n\r\nabc":  0,
	} {
		err := m.Parse([]byte(msg), Stream)
		if kind == 0 && err != nil || kind != 0 && !errors.Is(err, kind) {
			t.Errorf("stream %q: %v", msg[len(base):], err)
		}
	}
}

func TestParseLimits(t *testing.T) {
	var sb strings.Builder
	sb.WriteString("OPTIONS sip:a@b SIP/2.0\r\n" + hdrs)
	for i := 0; i < 20; i++ {
		sb.WriteString("X-H: v\r\n")
	}
	sb.WriteString("\r\n")
	m := Message{Limits: Limits{MaxHeaders: 10}}
	if err := m.Parse([]byte(sb.String()), Datagram); !errors.Is(err, ErrTooLarge) {
		t.Errorf("header limit: %v", err)
	}
	m.Limits = Limits{MaxSize: 100}
	if err := m.Parse([]byte(sb.String()), Datagram); !errors.Is(err, ErrTooLarge) {
		t.Errorf("size limit: %v", err)
	}
	var pe *ParseError
	if err := m.Parse([]byte(sb.String()), Datagram); !errors.As(err, &pe) || pe.Code != 513 {
		t.Errorf("code: %v", err)
	}
	m.Limits = Limits{}
	if err := m.Parse([]byte(sb.String()), Datagram); err != nil {
		t.Errorf("defaults: %v", err)
	}
}

func TestValidate(t *testing.T) {
	start := "INVITE sip:a@b SIP/2.0\r\n"
	ok := "Via: SIP/2.0/UDP h;branch=z9hG4bK1\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:c@d>\r\nCall-ID: x@y\r\nCSeq: 1 INVITE\r\n"
	tests := []struct {
		name, msg string
		kind      ErrorKind
	}{
		{"ok", start + ok + "\r\n", 0},
		{"missing To", start + strings.Replace(ok, "To: <sip:c@d>\r\n", "", 1) + "\r\n", ErrMissing},
		{"empty Via", start + ok + "Via:\r\n\r\n", ErrSyntax},
		{"bad second Via", start + ok + "Via: SIP/2.0/UDP ;;\r\n\r\n", ErrSyntax},
		{"Max-Forwards 256", start + ok + "Max-Forwards: 256\r\n\r\n", ErrSyntax},
		{"Expires overflow", start + ok + "Expires: 4294967296\r\n\r\n", ErrSyntax},
		{"bad Call-ID", start + strings.Replace(ok, "x@y", "x@y@z", 1) + "\r\n", ErrSyntax},
		{"method mismatch", "OPTIONS sip:a@b SIP/2.0\r\n" + ok + "\r\n", ErrSyntax},
		{"R-URI headers", "INVITE sip:a@b?Route=x SIP/2.0\r\n" + ok + "\r\n", ErrSyntax},
		{"bad From URI", start + strings.Replace(ok, "<sip:a@b>", "<sip:a@>", 1) + "\r\n", ErrSyntax},
		{"star with other contacts", start + ok + "Contact: *\r\nContact: <sip:x@y>\r\n\r\n", ErrSyntax},
		{"unknown R-URI scheme is the router's 416", "INVITE xyz:opaque SIP/2.0\r\n" + ok + "\r\n", 0},
		{"Max-Forwards 0 is the router's 483", start + ok + "Max-Forwards: 0\r\n\r\n", 0},
	}
	for _, tt := range tests {
		var m Message
		if err := m.Parse([]byte(tt.msg), Datagram); err != nil {
			t.Fatalf("%s: Parse: %v", tt.name, err)
		}
		err := m.Validate()
		if tt.kind == 0 && err != nil || tt.kind != 0 && !errors.Is(err, tt.kind) {
			t.Errorf("%s: %v, want %v", tt.name, err, tt.kind)
		}
	}
}

func TestErrorKinds(t *testing.T) {
	err := error(wrapErr("Bad Via", 7, newErr(ErrSyntax, "Bad Via host", 3)))
	var pe *ParseError
	if !errors.As(err, &pe) || pe.Code != 400 || pe.Offset != 7 || !errors.Is(err, ErrSyntax) || errors.Is(err, ErrVersion) {
		t.Errorf("wrapping: %v", err)
	}
	if !strings.Contains(err.Error(), "Bad Via host") {
		t.Errorf("message %q hides the cause", err)
	}
	codes := map[ErrorKind]int{ErrSyntax: 400, ErrVersion: 505, ErrMissing: 400, ErrDuplicate: 400, ErrFraming: 400, ErrTooLarge: 513}
	for k, c := range codes {
		if k.Code() != c || k.Error() == "" {
			t.Errorf("%v: code %d", k, k.Code())
		}
	}
}

func TestLookupHeader(t *testing.T) {
	for name, want := range map[string]HeaderType{
		"Via": HdrVia, "v": HdrVia, "V": HdrVia, "vIa": HdrVia, "call-id": HdrCallID, "i": HdrCallID, "l": HdrContentLength,
		"m": HdrContact, "k": HdrSupported, "WWW-Authenticate": HdrWWWAuthenticate, "X-Foo": HdrOther, "": HdrOther,
		"Content-Lengthxxxxxxxxxxxxxxxxxxxxxx": HdrOther, "Record-Route": HdrRecordRoute, "Proxy-Require": HdrProxyRequire,
	} {
		if got := LookupHeader([]byte(name)); got != want {
			t.Errorf("LookupHeader(%q) = %v, want %v", name, got, want)
		}
	}
	for t2 := HdrVia; t2 < numHeaderTypes; t2++ {
		if LookupHeader([]byte(t2.String())) != t2 {
			t.Errorf("%v does not round-trip through its name", t2)
		}
	}
	for m := MethodINVITE; m <= MethodREFER; m++ {
		if LookupMethod([]byte(m.String())) != m {
			t.Errorf("method %v", m)
		}
	}
	if LookupMethod([]byte("invite")) != MethodOther {
		t.Errorf("methods are case-sensitive")
	}
}

// TestReuse: a Message parses one buffer after another without keeping
// anything from the previous one.
func TestReuse(t *testing.T) {
	var m Message
	a := "INVITE sip:a@b SIP/2.0\r\n" + strings.Replace(hdrs, "OPTIONS", "INVITE", 1) + "Contact: <sip:x@y>\r\n\r\n"
	b2 := "SIP/2.0 200 OK\r\n" + hdrs + "\r\n"
	if err := m.Parse([]byte(a), Datagram); err != nil {
		t.Fatal(err)
	}
	if c, _, err := m.Contacts(); err != nil || len(c) != 1 {
		t.Fatal(err)
	}
	if err := m.SetRequestURI("sip:new@host"); err != nil {
		t.Fatal(err)
	}
	if err := m.Parse([]byte(b2), Datagram); err != nil {
		t.Fatal(err)
	}
	c, _, err := m.Contacts()
	if err != nil || len(c) != 0 || m.IsRequest() || m.Edited() || m.RequestURI() != nil || m.StatusCode() != 200 {
		t.Errorf("state leaked: contacts=%d edited=%v ruri=%q", len(c), m.Edited(), m.RequestURI())
	}
	cs, err := m.CSeq()
	if err != nil || string(cs.Method) != "OPTIONS" {
		t.Errorf("CSeq %v %v", cs, err)
	}
}
