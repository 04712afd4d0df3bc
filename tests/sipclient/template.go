package sipclient

import (
	"bytes"
	"crypto/rand"
	"fmt"
	"strings"
	"text/template"
)

// Fields are the values a request template may use. NewFields fills the
// ones that must be fresh for each request.
type Fields struct {
	Method     string // "OPTIONS", "INVITE", ...
	RequestURI string // "sip:kamgo@127.0.0.1:5060"
	Transport  string // "UDP" or "TCP", for the Via
	Local      string // the client's host:port, for Via sent-by and Contact
	Branch     string // the Via branch, with the z9hG4bK cookie
	CallID     string
	FromTag    string
	CSeq       int
	Body       string // the body; Content-Length is added to match it
	// Extra holds additional header lines ("Name: value"), added before
	// Content-Length.
	Extra []string
}

// NewFields returns fields for a new request: fresh branch, Call-ID and
// From tag, CSeq 1.
func NewFields(method, requestURI, transport, local string) Fields {
	return Fields{
		Method:     method,
		RequestURI: requestURI,
		Transport:  transport,
		Local:      local,
		Branch:     "z9hG4bK-" + randomToken(),
		CallID:     randomToken() + "@sipclient.test",
		FromTag:    randomToken(),
		CSeq:       1,
	}
}

// randomToken returns 16 random lower-case characters (token-safe).
func randomToken() string {
	return strings.ToLower(rand.Text()[:16])
}

// RequestTemplate is a plain request any method can use: Via with rport,
// Max-Forwards, To, From, Call-ID, CSeq, Contact.
const RequestTemplate = `{{.Method}} {{.RequestURI}} SIP/2.0
Via: SIP/2.0/{{.Transport}} {{.Local}};rport;branch={{.Branch}}
Max-Forwards: 70
To: <{{.RequestURI}}>
From: "sipclient" <sip:sipclient@{{.Local}}>;tag={{.FromTag}}
Call-ID: {{.CallID}}
CSeq: {{.CSeq}} {{.Method}}
Contact: <sip:sipclient@{{.Local}};transport={{lower .Transport}}>
User-Agent: kamgo-sipclient
`

// InviteSDP is a minimal SDP offer for INVITE templates.
const InviteSDP = "v=0\r\n" +
	"o=sipclient 1 1 IN IP4 127.0.0.1\r\n" +
	"s=-\r\n" +
	"c=IN IP4 127.0.0.1\r\n" +
	"t=0 0\r\n" +
	"m=audio 49170 RTP/AVP 0\r\n" +
	"a=rtpmap:0 PCMU/8000\r\n"

var templateFuncs = template.FuncMap{"lower": strings.ToLower}

// Build renders tmpl, a request (or response) written with "\n" line ends
// and no Content-Length, into wire form: CRLF line ends, the Extra header
// lines, Content-Length matching Body, the empty line and the body.
func Build(tmpl string, f Fields) ([]byte, error) {
	t, err := template.New("sip").Funcs(templateFuncs).Option("missingkey=error").Parse(tmpl)
	if err != nil {
		return nil, fmt.Errorf("sipclient: parsing template: %w", err)
	}
	var text bytes.Buffer
	if err := t.Execute(&text, f); err != nil {
		return nil, fmt.Errorf("sipclient: rendering template: %w", err)
	}
	var out bytes.Buffer
	for _, line := range strings.Split(strings.TrimRight(text.String(), "\r\n"), "\n") {
		line = strings.TrimSuffix(line, "\r")
		if line == "" {
			return nil, fmt.Errorf("sipclient: template has an empty line inside the header section")
		}
		if strings.HasPrefix(strings.ToLower(line), "content-length") {
			return nil, fmt.Errorf("sipclient: template sets Content-Length; Build adds it")
		}
		out.WriteString(line)
		out.WriteString("\r\n")
	}
	for _, h := range f.Extra {
		out.WriteString(h)
		out.WriteString("\r\n")
	}
	fmt.Fprintf(&out, "Content-Length: %d\r\n\r\n", len(f.Body))
	out.WriteString(f.Body)
	return out.Bytes(), nil
}

// BuildResponse builds a response to req with the given code and reason:
// every Via, From, To (with toTag added when To has no tag and toTag is
// not empty), Call-ID and CSeq copied, no body.
func BuildResponse(req *Message, code int, reason, toTag string) []byte {
	var out bytes.Buffer
	fmt.Fprintf(&out, "SIP/2.0 %d %s\r\n", code, reason)
	for _, f := range req.Fields {
		switch canonicalName(f.Name) {
		case "via", "from", "call-id", "cseq":
			fmt.Fprintf(&out, "%s: %s\r\n", f.Name, f.Value)
		case "to":
			value := f.Value
			if _, tagged := Param(value, "tag"); !tagged && toTag != "" {
				value += ";tag=" + toTag
			}
			fmt.Fprintf(&out, "%s: %s\r\n", f.Name, value)
		}
	}
	out.WriteString("Server: kamgo-sipclient-uas\r\nContent-Length: 0\r\n\r\n")
	return out.Bytes()
}
