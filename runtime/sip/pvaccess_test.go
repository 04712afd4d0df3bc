package sip

import (
	"strings"
	"testing"
)

func TestPVAccessors(t *testing.T) {
	var m Message
	if m.HeaderSection() != nil {
		t.Errorf("HeaderSection of an empty Message is not nil")
	}
	if err := m.Parse([]byte(typicalInvite), Datagram); err != nil {
		t.Fatal(err)
	}
	hs := string(m.HeaderSection())
	if !strings.HasPrefix(hs, "Via: ") || !strings.HasSuffix(hs, "\r\n") || strings.HasSuffix(hs, "\r\n\r\n") {
		t.Errorf("HeaderSection = %q", hs)
	}
	if m.RequestURIRewritten() {
		t.Errorf("RequestURIRewritten before any rewrite")
	}
	if err := m.SetRequestURI("sip:x@y"); err != nil || !m.RequestURIRewritten() {
		t.Errorf("RequestURIRewritten after SetRequestURI: %v", err)
	}
	from, err := m.From()
	if err != nil {
		t.Fatal(err)
	}
	if err := m.InsertBefore(from.URI, "x"); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(m.String(), "<xsip:alice@") {
		t.Errorf("InsertBefore did not insert before the From URI:\n%s", m.String())
	}
	if err := m.InsertBefore([]byte("sip:alice"), "x"); err == nil {
		t.Errorf("InsertBefore accepted bytes outside the message")
	}
	if err := m.InsertBefore(from.URI, "a\r\nB: c"); err == nil {
		t.Errorf("InsertBefore accepted a line break")
	}
}

func TestPortText(t *testing.T) {
	for uri, want := range map[string]string{
		"sip:h:5060":            "5060",
		"sip:h:05070;lr":        "05070",
		"sip:u@[::1]:0?x=y":     "0",
		"sip:h":                 "",
		"sips:u:pw@h.example:1": "1",
		"tel:+1234":             "",
	} {
		u, err := ParseURI([]byte(uri))
		if err != nil {
			t.Fatalf("ParseURI(%q): %v", uri, err)
		}
		if got := string(u.PortText()); got != want {
			t.Errorf("PortText(%q) = %q, want %q", uri, got, want)
		}
	}
	// A URI that ends with its port, followed in memory by more digits.
	b := []byte("sip:h:5080" + "69")
	u, err := ParseURI(b[:10])
	if err != nil {
		t.Fatal(err)
	}
	if got := string(u.PortText()); got != "5080" {
		t.Errorf("PortText with trailing digits = %q, want 5080", got)
	}
}
