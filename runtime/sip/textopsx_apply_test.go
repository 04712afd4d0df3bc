package sip

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const applyReq = "INVITE sip:bob@b.example.com SIP/2.0\r\n" +
	"Via: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK1\r\n" +
	"To: <sip:bob@b.example.com>\r\n" +
	"From: <sip:alice@a.example.com>;tag=1\r\n" +
	"Call-ID: c1\r\n" +
	"CSeq: 1 INVITE\r\n" +
	"X-A: 1\r\n" +
	"Content-Length: 4\r\n\r\nbody"

func parseText(t *testing.T, s string) *Message {
	t.Helper()
	m := &Message{}
	if err := m.Parse([]byte(s), Datagram); err != nil {
		t.Fatal(err)
	}
	return m
}

func TestApplyChanges(t *testing.T) {
	m := parseText(t, applyReq)
	oldBuf := m.Bytes()
	oldX, _ := m.Header("X-A", 0)
	if err := m.AppendHeader("X-B", "2"); err != nil {
		t.Fatal(err)
	}
	if m.RemoveHeaders("X-A") != 1 {
		t.Fatal("X-A not removed")
	}
	if err := m.SetRequestURI("sip:carol@c.example.com"); err != nil {
		t.Fatal(err)
	}
	oldRURI := m.RequestURI()
	if err := m.SetBody([]byte("new body")); err != nil {
		t.Fatal(err)
	}
	want := m.String()
	if err := m.ApplyChanges(); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, string(m.Bytes())); diff != "" {
		t.Errorf("applied (-want +got):\n%s", diff)
	}
	if m.Edited() || m.HeaderCount("X-A") != 0 || string(m.Body()) != "new body" {
		t.Errorf("reads do not see the edits: edited %v, X-A %d, body %q", m.Edited(), m.HeaderCount("X-A"), m.Body())
	}
	if got := string(m.OriginalRequestURI()); got != "sip:carol@c.example.com" {
		t.Errorf("original R-URI %q", got)
	}
	// Old views still read what they did.
	if string(oldBuf) != applyReq || string(oldX) != "1" || string(oldRURI) != "sip:carol@c.example.com" {
		t.Error("a view handed out before changed")
	}
	// Edits after an apply work on the new buffer.
	if err := m.PrependHeader("X-C", "3"); err != nil {
		t.Fatal(err)
	}
	if err := m.ApplyChanges(); err != nil {
		t.Fatal(err)
	}
	if v, ok := m.Header("X-C", 0); !ok || string(v) != "3" {
		t.Errorf("X-C %q %v", v, ok)
	}
}

func TestApplyChangesBroken(t *testing.T) {
	m := parseText(t, applyReq)
	// A raw insertion that breaks the header section.
	if err := m.InsertRaw(m.HeadersEnd(), "no colon here\r\n"); err != nil {
		t.Fatal(err)
	}
	if err := m.ApplyChanges(); err == nil {
		t.Fatal("a broken message was applied")
	}
	if string(m.Bytes()) != applyReq {
		t.Error("the message changed after a failed apply")
	}
	var un Message
	if err := un.ApplyChanges(); err == nil {
		t.Error("an unparsed message was applied")
	}
}

func TestSetBuffer(t *testing.T) {
	m := parseText(t, applyReq)
	repl := strings.Replace(applyReq, "bob@b", "dave@d", 1)
	if err := m.SetBuffer([]byte(repl)); err != nil {
		t.Fatal(err)
	}
	if got := string(m.RequestURI()); got != "sip:dave@d.example.com" {
		t.Errorf("R-URI %q", got)
	}
	reply := "SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK1\r\nTo: <sip:a@b>;tag=2\r\nFrom: <sip:a@b>;tag=1\r\nCall-ID: c1\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n"
	for _, bad := range []string{reply, "junk"} {
		if err := m.SetBuffer([]byte(bad)); err == nil {
			t.Errorf("SetBuffer(%.10q) accepted", bad)
		}
	}
	if got := string(m.RequestURI()); got != "sip:dave@d.example.com" {
		t.Errorf("R-URI after refused buffers %q", got)
	}
}

func TestSetStatus(t *testing.T) {
	reply := "SIP/2.0 486 Busy Here\r\nVia: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK1\r\nTo: <sip:a@b>;tag=2\r\nFrom: <sip:a@b>;tag=1\r\nCall-ID: c1\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n"
	m := parseText(t, reply)
	if err := m.SetStatus(404, "Not Found"); err != nil {
		t.Fatal(err)
	}
	if m.StatusCode() != 404 || string(m.Reason()) != "Busy Here" {
		t.Errorf("code %d reason %q", m.StatusCode(), m.Reason())
	}
	if got := m.String(); got != strings.Replace(reply, "486 Busy Here", "404 Not Found", 1) {
		t.Errorf("serialized:\n%s", got)
	}
	for _, bad := range []struct {
		code   int
		reason string
	}{{99, "x"}, {700, "x"}, {404, "a\r\nX: y"}} {
		if err := m.SetStatus(bad.code, bad.reason); err == nil {
			t.Errorf("SetStatus(%d, %q) accepted", bad.code, bad.reason)
		}
	}
	req := parseText(t, applyReq)
	if err := req.SetStatus(404, "x"); !errors.Is(err, ErrSyntax) {
		t.Errorf("on a request: %v", err)
	}
}

func TestViewOffset(t *testing.T) {
	m := parseText(t, applyReq)
	v, _ := m.Header("X-A", 0)
	if off := m.ViewOffset(v); off != strings.Index(applyReq, "X-A: 1")+5 {
		t.Errorf("offset %d", off)
	}
	if m.ViewOffset([]byte("1")) != -1 || m.ViewOffset(nil) != -1 {
		t.Error("a foreign slice has an offset")
	}
}
