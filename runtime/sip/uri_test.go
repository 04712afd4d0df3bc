package sip

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestParseURI(t *testing.T) {
	tests := []struct {
		in   string
		want URI
	}{
		{"sip:alice@atlanta.com", URI{Scheme: SchemeSIP, SchemeText: b("sip"), User: b("alice"), Host: b("atlanta.com")}},
		{"SIPS:alice:secretword@atlanta.com:5061;transport=tcp?subject=project%20x&priority=urgent", URI{
			Scheme: SchemeSIPS, SchemeText: b("SIPS"), User: b("alice"), Password: b("secretword"), HasPass: true,
			Host: b("atlanta.com"), Port: 5061, HasPort: true, Params: Params(";transport=tcp"), Transport: b("tcp"),
			Headers: b("subject=project%20x&priority=urgent")}},
		{"sip:+1-212-555-1212:1234@gateway.com;user=phone", URI{Scheme: SchemeSIP, SchemeText: b("sip"),
			User: b("+1-212-555-1212"), Password: b("1234"), HasPass: true, Host: b("gateway.com"),
			Params: Params(";user=phone"), UserParam: b("phone")}},
		{"sip:192.0.2.4;maddr=239.255.255.1;ttl=15;lr;method=INVITE", URI{Scheme: SchemeSIP, SchemeText: b("sip"),
			Host: b("192.0.2.4"), Params: Params(";maddr=239.255.255.1;ttl=15;lr;method=INVITE"),
			Maddr: b("239.255.255.1"), TTL: b("15"), LR: true, MethodPar: b("INVITE")}},
		{"sip:[2001:db8::10]:5070", URI{Scheme: SchemeSIP, SchemeText: b("sip"), Host: b("[2001:db8::10]"), Port: 5070, HasPort: true}},
		{"tel:+358-555-1234567;postd=pp22", URI{Scheme: SchemeTel, SchemeText: b("tel"), User: b("+358-555-1234567"), Params: Params(";postd=pp22")}},
		{"urn:service:sos", URI{Scheme: SchemeOther, SchemeText: b("urn"), Opaque: b("service:sos")}},
	}
	for _, tt := range tests {
		got, err := ParseURI([]byte(tt.in))
		if err != nil {
			t.Errorf("ParseURI(%q): %v", tt.in, err)
			continue
		}
		if d := cmp.Diff(tt.want, got, cmpopts.EquateEmpty()); d != "" {
			t.Errorf("ParseURI(%q) (-want +got):\n%s", tt.in, d)
		}
	}
}

func b(s string) []byte { return []byte(s) }

func TestParseURIErrors(t *testing.T) {
	for _, in := range []string{
		"", "sip", ":x", "<sip:a@b>", "sip:", "sip:@host", "sip:a@", "sip:a@b@c", "sip:a@host:99999",
		"sip:a@host:", "sip:2001:db8::10", "sip:a@[2001:db8::1", "sip:a@[1:2]", "sip:a@1.2.3.999",
		"sip:a@host;;x", "sip:a@host;transport=udp;transport=tcp", "sip:a@host;maddr", "sip:a@host;ttl=300",
		"sip:a%zz@host", "sip:a b@host", "sip:a@host?", "sip:a@host?x", "sip:a@host?x=1&", "tel:", "tel:+",
		"tel:12+3", "sip:a@host x", "sip:a@ho_st..com", "x:a b", "sip:A;pAr;pAr=0", "sip:a@h;p%41r;par",
	} {
		if u, err := ParseURI([]byte(in)); err == nil {
			t.Errorf("ParseURI(%q) accepted: %+v", in, u)
		}
	}
}

// RFC 3261 §19.1.4 examples, plus the escaped-reserved rule.
func TestURIEqual(t *testing.T) {
	tests := []struct {
		a, b string
		eq   bool
	}{
		{"sip:%61lice@atlanta.com;transport=TCP", "sip:alice@AtLanTa.CoM;Transport=tcp", true},
		{"sip:carol@chicago.com", "sip:carol@chicago.com;newparam=5", true},
		{"sip:carol@chicago.com", "sip:carol@chicago.com;security=on", true},
		{"sip:biloxi.com;transport=tcp;method=REGISTER?to=sip:bob%40biloxi.com", "sip:biloxi.com;method=REGISTER;transport=tcp?to=sip:bob%40biloxi.com", true},
		{"sip:alice@atlanta.com?subject=project%20x&priority=urgent", "sip:alice@atlanta.com?priority=urgent&subject=project%20x", true},
		{"SIP:ALICE@AtLanTa.CoM;Transport=udp", "sip:alice@AtLanTa.CoM;Transport=UDP", false},
		{"sip:bob@biloxi.com", "sip:bob@biloxi.com:5060", false},
		{"sip:bob@biloxi.com", "sip:bob@biloxi.com;transport=udp", true},
		{"sip:bob@biloxi.com", "sip:bob@biloxi.com:6000;transport=tcp", false},
		{"sip:carol@chicago.com", "sip:carol@chicago.com?Subject=next%20meeting", false},
		{"sip:bob@phone21.boxesbybob.com", "sip:bob@192.0.2.4", false},
		{"sip:carol@chicago.com;security=on", "sip:carol@chicago.com;security=off", false},
		{"sip:a@b;user=phone", "sip:a@b", false},
		{"sip:a@b;maddr=x.com", "sip:a@b", false},
		{"sip:a@b", "sips:a@b", false},
		{"sip:a%3Bb@h", "sip:a;b@h", false}, // escaped reserved differs
		{"sip:a%62c@h", "sip:abc@h", true},
		{"sip:a:pw@h", "sip:a@h", false},
		{"sip:[2001:db8::1]", "sip:[2001:0db8:0::1]", true},
		{"tel:+1-212-555-1212", "tel:+12125551212", true},
		{"tel:+1212555;x=1", "tel:+1212555", false},
		{"urn:a:b", "URN:a:b", true},
	}
	for _, tt := range tests {
		ua, err1 := ParseURI([]byte(tt.a))
		ub, err2 := ParseURI([]byte(tt.b))
		if err1 != nil || err2 != nil {
			t.Fatalf("%q / %q: %v %v", tt.a, tt.b, err1, err2)
		}
		if got := ua.Equal(&ub); got != tt.eq {
			t.Errorf("Equal(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.eq)
		}
		if got := ub.Equal(&ua); got != tt.eq {
			t.Errorf("Equal(%q, %q) = %v, want %v (symmetry)", tt.b, tt.a, got, tt.eq)
		}
	}
}

func TestAppendUnescaped(t *testing.T) {
	for in, want := range map[string]string{
		"%75se%72": "user", "null-%00-null": "null-\x00-null", "value%2541": "value%41", "100%": "100%", "%4": "%4", "%zz": "%zz",
	} {
		if got := string(AppendUnescaped(nil, []byte(in))); got != want {
			t.Errorf("AppendUnescaped(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestValidIPv6(t *testing.T) {
	for in, want := range map[string]bool{
		"2001:db8::10": true, "::": true, "::1": true, "1::": true, "1:2:3:4:5:6:7:8": true, "::ffff:192.0.2.2": true,
		"2001:db8::192.0.2.1": true, "2001:db8:::192.0.2.1": true, "::192.0.2.1": true, "1:2:3:4:5:6:1.2.3.4": true,
		"1:2:3:4:5:6:7:8:9": false, "1:2": false, "1::2::3": false, ":1::2": false, "1:2:3:4:5:6:7:": false,
		"12345::": false, "g::1": false, "1.2.3.4": false, "::1.2.3": false, ":::": false, "1:::2": false,
	} {
		if got := validIPv6([]byte(in)); got != want {
			t.Errorf("validIPv6(%q) = %v, want %v", in, got, want)
		}
	}
}
