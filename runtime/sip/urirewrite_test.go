package sip_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kamgo/kamgo/runtime/sip"
)

// The expected URIs of the table are what Kamailio 5.6 made of the same
// rewrites (rewriteuser, rewriteuserpass, rewritehost, rewritehostport,
// rewriteport, rewritehostporttrans on $ru).
func TestRewriteURI(t *testing.T) {
	const full = "sips:alice:pw@h.example.com:5061;transport=tls;lr?Subject=x&X=1"
	tests := []struct {
		name  string
		raw   string
		part  sip.URIPart
		value string
		want  string
	}{
		// PartUser: the user only, keeping the password.
		{"user replaced", "sip:alice@h.example.com", sip.PartUser, "bob", "sip:bob@h.example.com"},
		{"user added", "sip:h.example.com", sip.PartUser, "bob", "sip:bob@h.example.com"},
		{"user with password", "sip:alice:secret@h.example.com", sip.PartUser, "bob", "sip:bob:secret@h.example.com"},
		{"user removed", "sip:alice@h.example.com:5070;lr", sip.PartUser, "", "sip:h.example.com:5070;lr"},
		{"user removed when there is none", "sip:h.example.com", sip.PartUser, "", "sip:h.example.com"},
		{"user of a full URI", full, sip.PartUser, "+4930", "sips:+4930:pw@h.example.com:5061;transport=tls;lr?Subject=x&X=1"},
		{"user with IPv6 host and port", "sip:[2001:db8::1]:5060;transport=udp", sip.PartUser, "bob", "sip:bob@[2001:db8::1]:5060;transport=udp"},
		{"user with headers only", "sip:alice@h.example.com?X=1", sip.PartUser, "bob", "sip:bob@h.example.com?X=1"},
		{"scheme in lower case", "SIP:alice@h.example.com", sip.PartUser, "bob", "sip:bob@h.example.com"},
		{"sips scheme in lower case", "Sips:alice@h.example.com", sip.PartHost, "x", "sips:alice@x"},

		// PartUserPass: the whole userinfo.
		{"userpass replaced", "sips:alice:pw@h.example.com;lr?X=1", sip.PartUserPass, "bob:x", "sips:bob:x@h.example.com;lr?X=1"},
		{"userpass drops the password", "sip:alice:pw@h.example.com", sip.PartUserPass, "bob", "sip:bob@h.example.com"},
		{"userpass added", "sip:h.example.com:5060", sip.PartUserPass, "bob:pw", "sip:bob:pw@h.example.com:5060"},
		{"userpass removed", "sip:123:pw@h.example.com", sip.PartUserPass, "", "sip:h.example.com"},
		{"userpass of a full URI", full, sip.PartUserPass, "u", "sips:u@h.example.com:5061;transport=tls;lr?Subject=x&X=1"},
		{"userpass with IPv6 host", "sip:a:b@[::1]", sip.PartUserPass, "c", "sip:c@[::1]"},

		// PartHost: the host, keeping the port.
		{"host keeps port and the rest", "sips:alice:pw@h.example.com:5061;lr?X=1", sip.PartHost, "x.example.net", "sips:alice:pw@x.example.net:5061;lr?X=1"},
		{"host without user", "sip:h.example.com", sip.PartHost, "x", "sip:x"},
		{"host with params", "sip:alice@h.example.com;transport=tcp", sip.PartHost, "10.0.0.1", "sip:alice@10.0.0.1;transport=tcp"},
		{"host with headers", "sip:h.example.com?X=1", sip.PartHost, "x", "sip:x?X=1"},
		{"IPv6 host replaced", "sip:alice@[2001:db8::1]:5060", sip.PartHost, "[::1]", "sip:alice@[::1]:5060"},
		{"host by an IPv6 reference", "sip:alice@h.example.com;lr", sip.PartHost, "[2001:db8::2]", "sip:alice@[2001:db8::2];lr"},
		{"port text kept as written", "sip:h.example.com:05060;lr", sip.PartHost, "x", "sip:x:05060;lr"},
		{"host of a full URI", full, sip.PartHost, "y", "sips:alice:pw@y:5061;transport=tls;lr?Subject=x&X=1"},

		// PartHostPort: host and port together.
		{"hostport replaced", "sips:alice:pw@h.example.com:5061;lr?X=1", sip.PartHostPort, "x.example.net:5080", "sips:alice:pw@x.example.net:5080;lr?X=1"},
		{"hostport drops the port", "sips:alice:pw@h.example.com:5061;lr?X=1", sip.PartHostPort, "x.example.net", "sips:alice:pw@x.example.net;lr?X=1"},
		{"hostport adds a port", "sip:alice@h.example.com", sip.PartHostPort, "x:5070", "sip:alice@x:5070"},
		{"hostport of IPv6", "sip:[2001:db8::1]:5060?X=1", sip.PartHostPort, "[::1]:7000", "sip:[::1]:7000?X=1"},
		{"hostport of a full URI", full, sip.PartHostPort, "y:1", "sips:alice:pw@y:1;transport=tls;lr?Subject=x&X=1"},

		// PartHostPortTrans: host and port, without the transport parameter.
		{"hostporttrans drops transport", "sip:bob@biloxi.example.com;transport=udp", sip.PartHostPortTrans, "new.example.com:5080", "sip:bob@new.example.com:5080"},
		{"hostporttrans keeps other params and headers", "sip:bob:pw@h.example.com:5060;lr;transport=tcp;foo=bar?X-H=y", sip.PartHostPortTrans, "n:5080", "sip:bob:pw@n:5080;lr;foo=bar?X-H=y"},
		{"hostporttrans transport first", "sip:bob@h.example.com;transport=tcp;lr", sip.PartHostPortTrans, "n:1", "sip:bob@n:1;lr"},
		{"hostporttrans transport in upper case", "sip:h.example.com;TRANSPORT=TCP;lr", sip.PartHostPortTrans, "n:5080", "sip:n:5080;lr"},
		{"hostporttrans drops the port", "sip:bob@h.example.com:5060;lr;transport=tcp;foo=bar", sip.PartHostPortTrans, "n", "sip:bob@n;lr;foo=bar"},
		{"hostporttrans without transport", "sip:bob@h;lr;maddr=1.2.3.4;ttl=5;user=phone;method=INVITE", sip.PartHostPortTrans, "n:5", "sip:bob@n:5;lr;maddr=1.2.3.4;ttl=5;user=phone;method=INVITE"},
		{"hostporttrans of similar names", "sip:bob@h;transportx=1;xtransport=2", sip.PartHostPortTrans, "n", "sip:bob@n;transportx=1;xtransport=2"},
		{"hostporttrans of sips", "sips:bob@h.example.com;transport=tls", sip.PartHostPortTrans, "n:5081", "sips:bob@n:5081"},
		{"hostporttrans of IPv6", "sip:bob@[::1]:5060;transport=udp?X=1", sip.PartHostPortTrans, "[::2]:5", "sip:bob@[::2]:5?X=1"},
		{"hostporttrans of a full URI", full, sip.PartHostPortTrans, "y:1", "sips:alice:pw@y:1;lr?Subject=x&X=1"},

		// PartPort: the port; "" removes it.
		{"port added", "sips:alice:pw@h.example.com;lr?X=1", sip.PartPort, "5080", "sips:alice:pw@h.example.com:5080;lr?X=1"},
		{"port replaced", "sip:h.example.com:5060", sip.PartPort, "5070", "sip:h.example.com:5070"},
		{"port removed", "sip:123@h.example.com:5070;transport=tcp", sip.PartPort, "", "sip:123@h.example.com;transport=tcp"},
		{"no port to remove", "sip:alice@h.example.com?X=1", sip.PartPort, "", "sip:alice@h.example.com?X=1"},
		{"IPv6 port replaced", "sip:[2001:db8::1]:5060;transport=udp", sip.PartPort, "7000", "sip:[2001:db8::1]:7000;transport=udp"},
		{"IPv6 port added", "sip:[2001:db8::1]", sip.PartPort, "7000", "sip:[2001:db8::1]:7000"},
		{"port of a full URI", full, sip.PartPort, "", "sips:alice:pw@h.example.com;transport=tls;lr?Subject=x&X=1"},

		// tel URIs: the number is the user; a host makes a sip URI.
		{"tel host", "tel:+1234", sip.PartHost, "x.example.com", "sip:+1234@x.example.com;user=phone"},
		{"tel host keeps the parameters with the number", "tel:+1-234-567;phone-context=example.com;foo=bar", sip.PartHost, "x.example.com",
			"sip:+1-234-567;phone-context=example.com;foo=bar@x.example.com;user=phone"},
		{"tel host of a local number", "tel:5678;phone-context=+1", sip.PartHost, "x", "sip:5678;phone-context=+1@x;user=phone"},
		{"tel host of an upper-case scheme", "TEL:+1234", sip.PartHost, "x", "sip:+1234@x;user=phone"},
		{"tel host keeps user=phone", "tel:+1234;user=phone", sip.PartHost, "x", "sip:+1234;user=phone@x;user=phone"},
		{"tel hostport", "tel:+1234;foo=bar", sip.PartHostPort, "x.example.com:5", "sip:+1234;foo=bar@x.example.com:5;user=phone"},
		{"tel hostport without a port", "tel:+1234", sip.PartHostPort, "x", "sip:+1234@x;user=phone"},
		{"tel hostporttrans keeps a tel transport", "tel:+1234;transport=udp;foo=bar", sip.PartHostPortTrans, "x:5",
			"sip:+1234;transport=udp;foo=bar@x:5;user=phone"},
		{"tel user", "TEL:+1234;foo=bar", sip.PartUser, "alice", "tel:alice;foo=bar"},
		{"tel user of a bare number", "tel:+1234", sip.PartUser, "+99", "tel:+99"},
		{"tel userpass", "tel:+1234;foo=bar", sip.PartUserPass, "al:pw", "tel:al:pw;foo=bar"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := sip.RewriteURI(nil, []byte(tt.raw), tt.part, tt.value)
			if err != nil {
				t.Fatalf("RewriteURI(%q, %d, %q): %v", tt.raw, tt.part, tt.value, err)
			}
			if diff := cmp.Diff(tt.want, string(got)); diff != "" {
				t.Errorf("RewriteURI(%q, %d, %q) (-want +got):\n%s", tt.raw, tt.part, tt.value, diff)
			}
			if strings.HasPrefix(tt.want, "tel:") {
				// Kamailio puts any user in a tel URI ("tel:alice",
				// "tel:al:pw"); the result need not be a valid number.
				return
			}
			if _, err := sip.ParseURI(got); err != nil {
				t.Errorf("result %q does not parse: %v", got, err)
			}
		})
	}
}

func TestRewriteURIAppends(t *testing.T) {
	dst := []byte("<")
	raw := []byte("sip:alice@h.example.com;lr")
	got, err := sip.RewriteURI(dst, raw, sip.PartUser, "bob")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff("<sip:bob@h.example.com;lr", string(got)); diff != "" {
		t.Errorf("appended (-want +got):\n%s", diff)
	}
	if string(raw) != "sip:alice@h.example.com;lr" {
		t.Errorf("raw changed to %q", raw)
	}

	// The URI may be a view into a larger buffer (the message).
	buf := []byte("INVITE sip:alice@h.example.com:5060 SIP/2.0")
	view := buf[7:35]
	got, err = sip.RewriteURI(nil, view, sip.PartHost, "x")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff("sip:alice@x:5060", string(got)); diff != "" {
		t.Errorf("rewrite of a view (-want +got):\n%s", diff)
	}
}

func TestRewriteURIErrors(t *testing.T) {
	tests := []struct {
		name, raw string
		part      sip.URIPart
		wantMsg   string
	}{
		{"tel port", "tel:+123", sip.PartPort, "port number of a tel: URI cannot be set"},
		{"tel port of a number with parameters", "tel:+123;phone-context=example.com", sip.PartPort, "port number of a tel: URI cannot be set"},
		{"tels is not a tel URI", "tels:+123", sip.PartHost, "Not a SIP or tel URI"},
		{"other scheme", "urn:service:sos", sip.PartHostPort, "Not a SIP or tel URI"},
		{"bad tel URI", "tel:+", sip.PartHost, "Bad tel URI"},
		{"no scheme", "alice@h.example.com", sip.PartUser, "Bad URI scheme"},
		{"empty", "", sip.PartHost, "Bad URI scheme"},
		{"no host", "sip:alice@", sip.PartHost, "Bad URI host"},
		{"bad port", "sip:h.example.com:99999", sip.PartPort, "Bad URI port"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dst := []byte("keep")
			got, err := sip.RewriteURI(dst, []byte(tt.raw), tt.part, "x")
			if err == nil {
				t.Fatalf("RewriteURI(%q) = %q, want an error", tt.raw, got)
			}
			var pe *sip.ParseError
			if !errors.As(err, &pe) || !errors.Is(err, sip.ErrSyntax) {
				t.Errorf("error %v (%T) is not a syntax ParseError", err, err)
			}
			if !strings.Contains(err.Error(), tt.wantMsg) {
				t.Errorf("error %q, want it to contain %q", err, tt.wantMsg)
			}
			if string(got) != "keep" {
				t.Errorf("dst changed to %q on error", got)
			}
		})
	}
}

func TestOriginalRequestURI(t *testing.T) {
	const invite = "INVITE sip:bob@biloxi.example.com;transport=udp SIP/2.0\r\n" +
		"Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK776asdhds\r\n" +
		"Max-Forwards: 70\r\n" +
		"To: <sip:bob@biloxi.example.com>\r\n" +
		"From: <sip:alice@atlanta.example.com>;tag=1928301774\r\n" +
		"Call-ID: a84b4c76e66710\r\n" +
		"CSeq: 314159 INVITE\r\n" +
		"Content-Length: 0\r\n\r\n"
	const orig = "sip:bob@biloxi.example.com;transport=udp"

	type state struct {
		RURI, Orig string
		Rewritten  bool
		StartLine  string
	}
	snap := func(m *sip.Message) state {
		out := m.String()
		line, _, _ := strings.Cut(out, "\r\n")
		return state{string(m.RequestURI()), string(m.OriginalRequestURI()), m.RequestURIRewritten(), line}
	}

	var m sip.Message
	if err := m.Parse([]byte(invite), sip.Datagram); err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		set  string
		want state
	}{
		{"", state{orig, orig, false, "INVITE " + orig + " SIP/2.0"}},
		{"sip:carol@chicago.example.com", state{"sip:carol@chicago.example.com", orig, true, "INVITE sip:carol@chicago.example.com SIP/2.0"}},
		{"sip:dave@192.0.2.9:5080", state{"sip:dave@192.0.2.9:5080", orig, true, "INVITE sip:dave@192.0.2.9:5080 SIP/2.0"}},
		// revert_uri sets the original back
		{orig, state{orig, orig, true, "INVITE " + orig + " SIP/2.0"}},
	}
	for i, s := range steps {
		if s.set != "" {
			if err := m.SetRequestURI(s.set); err != nil {
				t.Fatalf("step %d: SetRequestURI(%q): %v", i, s.set, err)
			}
		}
		if diff := cmp.Diff(s.want, snap(&m)); diff != "" {
			t.Errorf("step %d (-want +got):\n%s", i, diff)
		}
	}

	// A rewrite built from the current R-URI leaves the original alone.
	out, err := sip.RewriteURI(nil, m.RequestURI(), sip.PartUser, "eve")
	if err != nil {
		t.Fatal(err)
	}
	if err := m.SetRequestURI(string(out)); err != nil {
		t.Fatal(err)
	}
	want := state{"sip:eve@biloxi.example.com;transport=udp", orig, true, "INVITE sip:eve@biloxi.example.com;transport=udp SIP/2.0"}
	if diff := cmp.Diff(want, snap(&m)); diff != "" {
		t.Errorf("after RewriteURI (-want +got):\n%s", diff)
	}

	var resp sip.Message
	reply := "SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK776asdhds\r\n" +
		"To: <sip:bob@biloxi.example.com>;tag=a\r\nFrom: <sip:alice@atlanta.example.com>;tag=b\r\n" +
		"Call-ID: x\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n"
	if err := resp.Parse([]byte(reply), sip.Datagram); err != nil {
		t.Fatal(err)
	}
	if got := resp.OriginalRequestURI(); got != nil {
		t.Errorf("reply OriginalRequestURI() = %q, want nil", got)
	}
}
