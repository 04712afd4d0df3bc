package sip

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestParseVia(t *testing.T) {
	tests := []struct {
		in   string
		want Via
	}{
		{"SIP/2.0/UDP 10.0.0.1:5060 ; branch=z9hG4bK1", Via{Protocol: b("SIP"), Version: b("2.0"), Transport: b("UDP"),
			Host: b("10.0.0.1"), Port: 5060, HasPort: true, Branch: b("z9hG4bK1"), TTL: -1, Params: Params("; branch=z9hG4bK1")}},
		{"SIP / 2.0 / UDP first.example.com: 4000;ttl=16;maddr=224.2.0.1 ;branch=z9hG4bKa7c6a8dlze.1", Via{
			Protocol: b("SIP"), Version: b("2.0"), Transport: b("UDP"), Host: b("first.example.com"), Port: 4000, HasPort: true,
			TTL: 16, Maddr: b("224.2.0.1"), Branch: b("z9hG4bKa7c6a8dlze.1"), Params: Params(";ttl=16;maddr=224.2.0.1 ;branch=z9hG4bKa7c6a8dlze.1")}},
		{"SIP/2.0/TCP client.biloxi.example.com:5060;branch=z9hG4bK74b43;rport", Via{Protocol: b("SIP"), Version: b("2.0"),
			Transport: b("TCP"), Host: b("client.biloxi.example.com"), Port: 5060, HasPort: true, Branch: b("z9hG4bK74b43"),
			HasRPort: true, TTL: -1, Params: Params(";branch=z9hG4bK74b43;rport")}},
		{"SIP/2.0/UDP [2001:db8::1];rport=5070;received=192.0.2.1;x=\"a;b\"", Via{Protocol: b("SIP"), Version: b("2.0"),
			Transport: b("UDP"), Host: b("[2001:db8::1]"), HasRPort: true, RPort: b("5070"), Received: b("192.0.2.1"), TTL: -1,
			Params: Params(";rport=5070;received=192.0.2.1;x=\"a;b\"")}},
	}
	for _, tt := range tests {
		got, err := ParseVia([]byte(tt.in))
		if err != nil {
			t.Errorf("ParseVia(%q): %v", tt.in, err)
			continue
		}
		tt.want.Raw = b(tt.in)
		if d := cmp.Diff(tt.want, got, cmpopts.EquateEmpty(), cmpopts.IgnoreUnexported(Via{})); d != "" {
			t.Errorf("ParseVia(%q) (-want +got):\n%s", tt.in, d)
		}
	}
	v, _ := ParseVia(b("SIP/2.0/UDP h;x=\"a;b\";branch=z9hG4bKx"))
	if got, _ := v.Params.Get("x"); string(got) != `"a;b"` {
		t.Errorf("quoted param = %q", got)
	}
}

func TestParseViaErrors(t *testing.T) {
	for _, in := range []string{
		"", "SIP/2.0/UDP", "SIP/2.0 UDP host", "SIP/2.0/UDPhost", "SIP/2.0/UDP 192.0.2.15;;", "SIP/2.0/UDP host;",
		"SIP/2.0/UDP host;branch", "SIP/2.0/UDP host;branch=a;branch=b", "SIP/2.0/UDP host:0x10", "SIP/2.0/UDP host:70000",
		"SIP/2.0/UDP host;received=example.com", "SIP/2.0/UDP host;rport=abc", "SIP/2.0/UDP host;rport;rport",
		"SIP/2.0/UDP host;ttl=256", "SIP/2.0/UDP [::1", "SIP/2.0/UDP host junk", "SIP/2.0/UDP host;x=\"open",
		"SIP/2.0/UDP 256.1.1.1", "SIP/2.0/UDP ho\x00st",
	} {
		if v, err := ParseVia([]byte(in)); err == nil {
			t.Errorf("ParseVia(%q) accepted: %+v", in, v)
		}
	}
}

func TestViaHelpers(t *testing.T) {
	for _, tt := range []struct {
		in     string
		rfc    bool
		sbPort uint16
	}{
		{"SIP/2.0/UDP h;branch=z9hG4bK", false, 5060},
		{"SIP/2.0/TLS h;branch=z9hG4bKx", true, 5061},
		{"SIP/2.0/TCP h:7000;branch=1234", false, 7000},
	} {
		v, err := ParseVia([]byte(tt.in))
		if err != nil {
			t.Fatal(err)
		}
		if v.IsRFC3261Branch() != tt.rfc || v.SentByPort() != tt.sbPort {
			t.Errorf("%q: rfc3261=%v port=%d", tt.in, v.IsRFC3261Branch(), v.SentByPort())
		}
	}
}
