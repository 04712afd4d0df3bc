// Package sipclient is a small SIP user agent for kamgo's end-to-end tests:
// it builds requests from text templates (fresh branch, Call-ID, tag and
// Content-Length each time), sends them over UDP or TCP, reads what comes
// back with a deadline, parses it just enough for assertions, and plays a
// fake UAS that answers forwarded requests.
//
// The parser here is deliberately independent of runtime/sip: a test that
// checked the daemon with the daemon's own parser could not notice when
// that parser is wrong. It is tolerant (it only needs the start line, the
// header fields and the body) and never panics on bad input.
package sipclient

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// HeaderField is one header line as received, folding undone.
type HeaderField struct {
	Name  string // as written
	Value string // leading and trailing whitespace trimmed
}

// Message is a parsed SIP request or response.
type Message struct {
	Raw        []byte // the whole message as received
	StatusCode int    // 0 for a request
	Reason     string
	Method     string // "" for a response
	RequestURI string
	Fields     []HeaderField
	Body       []byte
}

// ErrIncomplete says a buffer holds the start of a message but not all of
// it yet (stream reading only).
var ErrIncomplete = errors.New("sipclient: incomplete message")

// compactNames maps the compact header forms (RFC 3261 §7.3.3 and later
// RFCs) to their long names.
var compactNames = map[string]string{
	"v": "via", "i": "call-id", "f": "from", "t": "to", "m": "contact",
	"l": "content-length", "c": "content-type", "k": "supported", "s": "subject",
	"e": "content-encoding", "o": "event", "u": "allow-events", "r": "refer-to",
	"b": "referred-by", "x": "session-expires", "y": "identity",
}

// canonicalName returns the lower-case long form of a header name.
func canonicalName(name string) string {
	lower := strings.ToLower(strings.TrimSpace(name))
	if long, ok := compactNames[lower]; ok {
		return long
	}
	return lower
}

// Parse parses one SIP message held completely in b (a datagram, or a frame
// cut by a stream reader). The body is what follows the header section, cut
// to Content-Length when that header is present and not larger than what is
// there.
func Parse(b []byte) (*Message, error) {
	headerEnd := bytes.Index(b, []byte("\r\n\r\n"))
	if headerEnd < 0 {
		return nil, fmt.Errorf("sipclient: parsing %d bytes: no end of header section", len(b))
	}
	m := &Message{Raw: b}
	lines := unfold(string(b[:headerEnd]))
	if len(lines) == 0 || lines[0] == "" {
		return nil, errors.New("sipclient: empty start line")
	}
	if err := m.parseStartLine(lines[0]); err != nil {
		return nil, err
	}
	for _, line := range lines[1:] {
		name, value, ok := strings.Cut(line, ":")
		if !ok || strings.TrimSpace(name) == "" {
			return nil, fmt.Errorf("sipclient: header line without a name: %q", line)
		}
		m.Fields = append(m.Fields, HeaderField{Name: strings.TrimSpace(name), Value: strings.TrimSpace(value)})
	}
	body := b[headerEnd+4:]
	if cl := m.Header("Content-Length"); cl != "" {
		n, err := strconv.Atoi(cl)
		if err != nil || n < 0 {
			return nil, fmt.Errorf("sipclient: bad Content-Length %q", cl)
		}
		if n < len(body) {
			body = body[:n]
		}
	}
	m.Body = body
	return m, nil
}

// unfold splits a header section into lines and joins folded continuation
// lines (starting with SP or HT) to the line before them.
func unfold(section string) []string {
	var lines []string
	for _, line := range strings.Split(section, "\r\n") {
		if len(lines) > 1 && line != "" && (line[0] == ' ' || line[0] == '\t') {
			lines[len(lines)-1] += " " + strings.TrimLeft(line, " \t")
			continue
		}
		lines = append(lines, line)
	}
	return lines
}

func (m *Message) parseStartLine(line string) error {
	if rest, ok := strings.CutPrefix(line, "SIP/2.0 "); ok {
		code, reason, _ := strings.Cut(rest, " ")
		n, err := strconv.Atoi(code)
		if err != nil || len(code) != 3 || n < 100 {
			return fmt.Errorf("sipclient: bad status line %q", line)
		}
		m.StatusCode, m.Reason = n, reason
		return nil
	}
	parts := strings.Split(line, " ")
	if len(parts) != 3 || parts[0] == "" || parts[1] == "" || parts[2] != "SIP/2.0" {
		return fmt.Errorf("sipclient: bad request line %q", line)
	}
	m.Method, m.RequestURI = parts[0], parts[1]
	return nil
}

// IsRequest reports whether m is a request.
func (m *Message) IsRequest() bool { return m.Method != "" }

// Header returns the value of the first header field called name (any
// case, compact forms included), or "".
func (m *Message) Header(name string) string {
	want := canonicalName(name)
	for _, f := range m.Fields {
		if canonicalName(f.Name) == want {
			return f.Value
		}
	}
	return ""
}

// Values returns every value of the header called name, in order, with
// comma-separated values split apart (commas inside quotes or <> kept).
func (m *Message) Values(name string) []string {
	want := canonicalName(name)
	var values []string
	for _, f := range m.Fields {
		if canonicalName(f.Name) == want {
			values = append(values, SplitValues(f.Value)...)
		}
	}
	return values
}

// Vias returns the Via values, topmost first.
func (m *Message) Vias() []string { return m.Values("Via") }

// CallID returns the Call-ID.
func (m *Message) CallID() string { return m.Header("Call-ID") }

// CSeqMethod returns the method of the CSeq header.
func (m *Message) CSeqMethod() string {
	_, method, _ := strings.Cut(m.Header("CSeq"), " ")
	return strings.TrimSpace(method)
}

// SplitValues splits a header value at the commas that separate values,
// skipping commas inside quoted strings and <...>.
func SplitValues(v string) []string {
	var values []string
	start, inQuote, inAngle := 0, false, false
	for i := 0; i < len(v); i++ {
		switch c := v[i]; {
		case inQuote && c == '\\':
			i++ // the escaped character cannot end the quote
		case c == '"':
			inQuote = !inQuote
		case inQuote:
		case c == '<':
			inAngle = true
		case c == '>':
			inAngle = false
		case c == ',' && !inAngle:
			if s := strings.TrimSpace(v[start:i]); s != "" {
				values = append(values, s)
			}
			start = i + 1
		}
	}
	if s := strings.TrimSpace(v[start:]); s != "" {
		values = append(values, s)
	}
	return values
}

// Param returns the value of parameter name (case-insensitive) in a header
// value such as a Via or a To, and whether it is present; a parameter
// without "=" has the value "".
func Param(value, name string) (string, bool) {
	parts := strings.Split(value, ";")
	for _, p := range parts[1:] {
		key, val, _ := strings.Cut(p, "=")
		if strings.EqualFold(strings.TrimSpace(key), name) {
			return strings.Trim(strings.TrimSpace(val), `"`), true
		}
	}
	return "", false
}

// ViaSentBy returns the transport and the sent-by (host[:port]) of a Via
// value such as "SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK1".
func ViaSentBy(via string) (transport, sentBy string, err error) {
	head, _, _ := strings.Cut(via, ";")
	proto, sentBy, ok := strings.Cut(strings.TrimSpace(head), " ")
	fields := strings.Split(proto, "/")
	if !ok || len(fields) != 3 {
		return "", "", fmt.Errorf("sipclient: bad Via %q", via)
	}
	return strings.TrimSpace(fields[2]), strings.TrimSpace(sentBy), nil
}
