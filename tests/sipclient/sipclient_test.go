package sipclient

import (
	"bytes"
	"net"
	"net/netip"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/kamgo/kamgo/runtime/sip"
)

const testTimeout = 5 * time.Second

func TestParse(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		code    int
		method  string
		vias    []string
		callID  string
		body    string
		wantErr bool
	}{
		{
			name:   "response with folded, compact and comma-separated Via",
			in:     "SIP/2.0 200 OK\r\nv: SIP/2.0/UDP a.example;branch=z9hG4bK1,\r\n SIP/2.0/UDP b.example;branch=z9hG4bK2\r\nVIA: SIP/2.0/TCP c.example\r\ni: abc\r\nl: 4\r\n\r\nbodyEXTRA",
			code:   200,
			vias:   []string{"SIP/2.0/UDP a.example;branch=z9hG4bK1", "SIP/2.0/UDP b.example;branch=z9hG4bK2", "SIP/2.0/TCP c.example"},
			callID: "abc",
			body:   "body",
		},
		{
			name:   "request without Content-Length keeps the rest as body",
			in:     "OPTIONS sip:x@y SIP/2.0\r\nCall-ID: q\r\n\r\nrest",
			method: "OPTIONS",
			callID: "q",
			body:   "rest",
		},
		{
			name: "empty reason phrase",
			in:   "SIP/2.0 100 \r\nContent-Length: 0\r\n\r\n",
			code: 100,
			body: "",
		},
		{name: "no end of headers", in: "SIP/2.0 200 OK\r\nCall-ID: x\r\n", wantErr: true},
		{name: "status code too large", in: "SIP/2.0 4294967301 Huge\r\n\r\n", wantErr: true},
		{name: "bad request line", in: "OPTIONS  sip:x SIP/2.0\r\n\r\n", wantErr: true},
		{name: "header without colon", in: "SIP/2.0 200 OK\r\nFoobar roobar\r\n\r\n", wantErr: true},
		{name: "negative Content-Length", in: "SIP/2.0 200 OK\r\nContent-Length: -9\r\n\r\n", wantErr: true},
		{name: "nothing", in: "", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := Parse([]byte(tt.in))
			if tt.wantErr {
				if err == nil {
					t.Fatalf("Parse(%q) = nil error, want one", tt.in)
				}
				return
			}
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if m.StatusCode != tt.code || m.Method != tt.method {
				t.Errorf("code, method = %d, %q; want %d, %q", m.StatusCode, m.Method, tt.code, tt.method)
			}
			if diff := cmp.Diff(tt.vias, m.Vias()); diff != "" {
				t.Errorf("Vias (-want +got):\n%s", diff)
			}
			if m.CallID() != tt.callID || string(m.Body) != tt.body {
				t.Errorf("Call-ID, body = %q, %q; want %q, %q", m.CallID(), m.Body, tt.callID, tt.body)
			}
		})
	}
}

func TestSplitValuesAndParam(t *testing.T) {
	got := SplitValues(`"a, b" <sip:x@y;p=1,2>;q=1, <sip:z>`)
	want := []string{`"a, b" <sip:x@y;p=1,2>;q=1`, `<sip:z>`}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("SplitValues (-want +got):\n%s", diff)
	}
	via := "SIP/2.0/UDP 127.0.0.1:5080;branch=z9hG4bKx;rport=4000;received=10.0.0.1;lr"
	for _, tc := range []struct {
		name, value string
		ok          bool
	}{{"branch", "z9hG4bKx", true}, {"RPORT", "4000", true}, {"lr", "", true}, {"maddr", "", false}} {
		if v, ok := Param(via, tc.name); v != tc.value || ok != tc.ok {
			t.Errorf("Param(%s) = %q, %v; want %q, %v", tc.name, v, ok, tc.value, tc.ok)
		}
	}
	transport, sentBy, err := ViaSentBy(via)
	if err != nil || transport != "UDP" || sentBy != "127.0.0.1:5080" {
		t.Errorf("ViaSentBy = %q, %q, %v", transport, sentBy, err)
	}
	if _, _, err := ViaSentBy("garbage"); err == nil {
		t.Error("ViaSentBy(garbage) succeeded")
	}
}

// TestBuild checks that built requests are fresh, framed right and accepted
// by kamgo's own strict parser.
func TestBuild(t *testing.T) {
	for _, method := range []string{"OPTIONS", "INVITE", "MESSAGE", "BYE"} {
		t.Run(method, func(t *testing.T) {
			f := NewFields(method, "sip:kamgo@127.0.0.1:5060", "UDP", "127.0.0.1:40000")
			if method == "INVITE" {
				f.Body = InviteSDP
				f.Extra = []string{"Content-Type: application/sdp"}
			}
			b, err := Build(RequestTemplate, f)
			if err != nil {
				t.Fatal(err)
			}
			var strict sip.Message
			if err := strict.Parse(b, sip.Datagram); err != nil {
				t.Fatalf("runtime/sip rejects the built request: %v\n%s", err, b)
			}
			if err := strict.Validate(); err != nil {
				t.Fatalf("runtime/sip Validate: %v\n%s", err, b)
			}
			m, err := Parse(b)
			if err != nil {
				t.Fatal(err)
			}
			if m.Method != method || m.CSeqMethod() != method || m.CallID() != f.CallID || string(m.Body) != f.Body {
				t.Errorf("built request does not carry its fields:\n%s", b)
			}
			if branch, _ := Param(m.Vias()[0], "branch"); branch != f.Branch || !strings.HasPrefix(branch, "z9hG4bK") {
				t.Errorf("branch = %q, want %q", branch, f.Branch)
			}
			if m.Header("Content-Length") != strconv.Itoa(len(f.Body)) {
				t.Errorf("Content-Length = %q for a %d-byte body", m.Header("Content-Length"), len(f.Body))
			}
			g := NewFields(method, f.RequestURI, "UDP", f.Local)
			if g.Branch == f.Branch || g.CallID == f.CallID || g.FromTag == f.FromTag {
				t.Error("NewFields repeated an identifier")
			}
		})
	}
	for name, tmpl := range map[string]string{
		"empty line inside":  "OPTIONS sip:x SIP/2.0\n\nVia: x\n",
		"own Content-Length": "OPTIONS sip:x SIP/2.0\nContent-Length: 3\n",
		"unknown field":      "OPTIONS {{.Nope}} SIP/2.0\n",
		"bad template":       "OPTIONS {{.Method SIP/2.0\n",
	} {
		if _, err := Build(tmpl, Fields{}); err == nil {
			t.Errorf("Build(%s) succeeded", name)
		}
	}
}

func TestBuildResponse(t *testing.T) {
	req, err := Parse(mustBuild(t, NewFields("INVITE", "sip:b@127.0.0.1", "UDP", "127.0.0.1:5070")))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := Parse(BuildResponse(req, 486, "Busy Here", "totag1"))
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 486 || resp.Reason != "Busy Here" || resp.CallID() != req.CallID() || resp.CSeqMethod() != "INVITE" {
		t.Errorf("response does not match the request:\n%s", resp.Raw)
	}
	if diff := cmp.Diff(req.Vias(), resp.Vias()); diff != "" {
		t.Errorf("Vias (-req +resp):\n%s", diff)
	}
	if tag, _ := Param(resp.Header("To"), "tag"); tag != "totag1" {
		t.Errorf("To tag = %q", tag)
	}
}

func mustBuild(t *testing.T, f Fields) []byte {
	t.Helper()
	b, err := Build(RequestTemplate, f)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestResponseTarget(t *testing.T) {
	source := netip.MustParseAddrPort("127.0.0.1:4444")
	tests := []struct{ via, want string }{
		{"SIP/2.0/UDP 127.0.0.2:5070;branch=z9hG4bK1", "127.0.0.2:5070"},
		{"SIP/2.0/UDP 127.0.0.2;branch=z9hG4bK1", "127.0.0.2:5060"},
		{"SIP/2.0/UDP host.example;branch=z9hG4bK1", "127.0.0.1:5060"},
		{"SIP/2.0/UDP 192.0.2.1:5070;received=127.0.0.3;branch=z9hG4bK1", "127.0.0.3:5070"},
		{"SIP/2.0/UDP 192.0.2.1:5070;rport=6000;received=127.0.0.3", "127.0.0.3:6000"},
		{"SIP/2.0/UDP 127.0.0.2:5070;rport", "127.0.0.2:4444"},
		{"bad via", "127.0.0.1:4444"},
	}
	for _, tt := range tests {
		m := &Message{Method: "OPTIONS", Fields: []HeaderField{{Name: "Via", Value: tt.via}}}
		if got := ResponseTarget(m, source); got.String() != tt.want {
			t.Errorf("ResponseTarget(%q) = %v, want %s", tt.via, got, tt.want)
		}
	}
	if got := ResponseTarget(&Message{Method: "OPTIONS"}, source); got != source {
		t.Errorf("no Via: %v, want the source", got)
	}
}

// TestUDPClientAndUAS runs a client against the fake UAS: the request
// arrives intact and the response comes back with the client's Via.
func TestUDPClientAndUAS(t *testing.T) {
	uas, err := StartUAS(func(req *Message) (int, string) {
		if req.Method == "BYE" {
			return 0, ""
		}
		return 200, "OK"
	})
	if err != nil {
		t.Fatal(err)
	}
	defer uas.Close()
	c, err := DialUDP(uas.Addr())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()

	f := c.NewRequest("OPTIONS")
	resp, err := c.Request(RequestTemplate, f, testTimeout)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 200 || resp.Vias()[0] != "SIP/2.0/UDP "+c.LocalAddr().String()+";rport;branch="+f.Branch {
		t.Errorf("response:\n%s", resp.Raw)
	}
	got, err := uas.NextRequest(testTimeout)
	if err != nil {
		t.Fatal(err)
	}
	if got.Msg.CallID() != f.CallID || got.From != c.LocalAddr() {
		t.Errorf("UAS got Call-ID %q from %v; want %q from %v", got.Msg.CallID(), got.From, f.CallID, c.LocalAddr())
	}

	// Over TCP the response comes back on the connection.
	tc, err := DialTCP(uas.Addr(), testTimeout)
	if err != nil {
		t.Fatal(err)
	}
	defer tc.Close()
	for range 2 {
		if resp, err := tc.Options(testTimeout); err != nil || resp.StatusCode != 200 {
			t.Fatalf("OPTIONS over TCP: %v %v", resp, err)
		}
	}

	// No answer: the wait ends at its deadline with a timeout error.
	bye := c.NewRequest("BYE")
	_, err = c.Request(RequestTemplate, bye, 200*time.Millisecond)
	if !IsTimeout(err) {
		t.Errorf("unanswered BYE: err = %v, want a timeout", err)
	}

	// Garbage in the socket is skipped by WaitResponse, reported by Read.
	if err := c.SendTo([]byte("not sip at all"), c.LocalAddr()); err != nil {
		t.Fatal(err)
	}
	if _, _, err := c.Read(time.Now().Add(testTimeout)); err == nil || IsTimeout(err) {
		t.Errorf("Read of garbage: err = %v, want a parse error", err)
	}
}

// TestTCPClientFraming feeds the TCP client responses split at odd places,
// two in one segment, CRLFs before them and a keepalive pong.
func TestTCPClientFraming(t *testing.T) {
	ln, err := net.ListenTCP("tcp", net.TCPAddrFromAddrPort(netip.MustParseAddrPort("127.0.0.1:0")))
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	first := "SIP/2.0 200 OK\r\nCall-ID: one\r\nContent-Length: 5\r\n\r\nhello"
	second := "SIP/2.0 180 Ringing\r\nCall-ID: two\r\nl: 0\r\n\r\n"
	third := "SIP/2.0 486 Busy\r\nCall-ID: two\r\nContent-Length: 0\r\n\r\n"
	chunks := []string{"\r\n", first[:7], first[7:40], first[40:] + second + third[:3], third[3:], "\r\n"}
	served := make(chan error, 1)
	go func() {
		conn, err := ln.Accept()
		if err != nil {
			served <- err
			return
		}
		defer conn.Close()
		got := make([]byte, 4)
		if _, err := conn.Read(got); err != nil {
			served <- err
			return
		}
		for _, c := range chunks {
			if _, err := conn.Write([]byte(c)); err != nil {
				served <- err
				return
			}
			time.Sleep(5 * time.Millisecond) // separate segments
		}
		served <- nil
	}()

	c, err := DialTCP(ln.Addr().(*net.TCPAddr).AddrPort(), testTimeout)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Send([]byte("ping")); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(testTimeout)
	m, _, err := c.Read(deadline)
	if err != nil {
		t.Fatal(err)
	}
	if m.StatusCode != 200 || string(m.Body) != "hello" {
		t.Errorf("first message: %q", m.Raw)
	}
	m, err = c.WaitResponse("two", deadline)
	if err != nil {
		t.Fatal(err)
	}
	if m.StatusCode != 486 {
		t.Errorf("WaitResponse skipped to %d, want 486", m.StatusCode)
	}
	pong, err := c.ReadRaw(2, deadline)
	if err != nil || !bytes.Equal(pong, []byte("\r\n")) {
		t.Errorf("ReadRaw = %q, %v", pong, err)
	}
	if err := <-served; err != nil {
		t.Fatal(err)
	}
	// The peer closed: the next read fails without waiting for the deadline.
	if _, _, err := c.Read(time.Now().Add(testTimeout)); err == nil || IsTimeout(err) {
		t.Errorf("read after the peer closed: %v", err)
	}
}

func TestTCPClientRejectsUnframed(t *testing.T) {
	if _, err := streamContentLength([]byte("SIP/2.0 200 OK\r\nCall-ID: x")); err == nil {
		t.Error("no Content-Length accepted on TCP")
	}
	if _, err := streamContentLength([]byte("SIP/2.0 200 OK\r\nContent-Length: five")); err == nil {
		t.Error("Content-Length five accepted")
	}
	c := &Client{}
	if err := c.SendTo(nil, netip.AddrPort{}); err == nil {
		t.Error("SendTo on a TCP client succeeded")
	}
	if _, err := c.ReadRaw(1, time.Now()); err == nil {
		t.Error("ReadRaw on a UDP client succeeded")
	}
	if _, _, err := c.ReadDatagram(time.Now()); err == nil {
		t.Error("ReadDatagram on a TCP client succeeded")
	}
}
