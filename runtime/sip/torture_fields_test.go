package sip

import (
	"bytes"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Field-level assertions for every accepted torture message: the tricky
// part each file tests, not just "no error".

func eq(t *testing.T, what string, got, want any) {
	t.Helper()
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("%s (-want +got):\n%s", what, d)
	}
}

type viaSum struct {
	Transport, Host string
	Port            uint16
	Branch          string
	Received        string
}

func viaSums(t *testing.T, m *Message) []viaSum {
	t.Helper()
	vias, err := m.Vias()
	if err != nil {
		t.Fatalf("Vias: %v", err)
	}
	out := make([]viaSum, len(vias))
	for i, v := range vias {
		out[i] = viaSum{string(v.Transport), string(v.Host), v.Port, string(v.Branch), string(v.Received)}
	}
	return out
}

func mustFrom(t *testing.T, m *Message) *NameAddr {
	t.Helper()
	n, err := m.From()
	if err != nil {
		t.Fatalf("From: %v", err)
	}
	return n
}

func mustTo(t *testing.T, m *Message) *NameAddr {
	t.Helper()
	n, err := m.To()
	if err != nil {
		t.Fatalf("To: %v", err)
	}
	return n
}

func mustCSeq(t *testing.T, m *Message) CSeq {
	t.Helper()
	c, err := m.CSeq()
	if err != nil {
		t.Fatalf("CSeq: %v", err)
	}
	return *c
}

func mustRURI(t *testing.T, m *Message) *URI {
	t.Helper()
	u, err := m.ParsedRequestURI()
	if err != nil {
		t.Fatalf("Request-URI: %v", err)
	}
	return u
}

func mustURI(t *testing.T, b []byte) URI {
	t.Helper()
	u, err := ParseURI(b)
	if err != nil {
		t.Fatalf("ParseURI(%q): %v", b, err)
	}
	return u
}

func mustContacts(t *testing.T, m *Message) []Contact {
	t.Helper()
	c, star, err := m.Contacts()
	if err != nil || star {
		t.Fatalf("Contacts: %v star=%v", err, star)
	}
	return c
}

func hdr(m *Message, name string, i int) string {
	v, ok := m.Header(name, i)
	if !ok {
		return "<absent>"
	}
	return string(v)
}

func unesc(b []byte) string { return string(AppendUnescaped(nil, b)) }

func maxFwd(t *testing.T, m *Message) int {
	t.Helper()
	n, ok, err := m.MaxForwards()
	if err != nil || !ok {
		t.Fatalf("Max-Forwards: %d %v %v", n, ok, err)
	}
	return n
}

// tortureChecks maps each accepted file to its assertions. They run on the
// datagram parse and again on the stream parse of the same bytes.
var tortureChecks = map[string]func(*testing.T, *Message){
	"wsinv.dat": func(t *testing.T, m *Message) {
		eq(t, "method", m.MethodID(), MethodINVITE)
		eq(t, "R-URI", string(m.RequestURI()), "sip:vivekg@chair-dnrc.example.com;unknownparam")
		eq(t, "R-URI unknownparam", mustRURI(t, m).Params.Has("unknownparam"), true)
		// "TO :\r\n sip:..." folded right after the colon.
		to := mustTo(t, m)
		eq(t, "To", []string{string(to.URI), string(to.Tag)}, []string{"sip:vivekg@chair-dnrc.example.com", "1918181833n"})
		from := mustFrom(t, m)
		eq(t, "From display", string(from.AppendDisplayName(nil)), `J Rosenberg \"`)
		eq(t, "From", []string{string(from.URI), string(from.Tag)}, []string{"sip:jdrosen@example.com", "98asjd8"})
		eq(t, "Max-Forwards 0068", maxFwd(t, m), 68)
		eq(t, "CSeq folded", mustCSeq(t, m).Num, uint32(9))
		eq(t, "CSeq method", string(mustCSeq(t, m).Method), "INVITE")
		eq(t, "Call-ID", string(m.CallID()), "wsinv.ndaksdj@192.0.2.1")
		// Via sent-protocol split across folded lines, LWS around '/', ';', '='.
		eq(t, "Vias", viaSums(t, m), []viaSum{
			{"UDP", "192.0.2.2", 0, "390skdjuw", ""},
			{"TCP", "spindle.example.com", 0, "z9hG4bK9ikj8", ""},
			{"UDP", "192.168.255.111", 0, "z9hG4bK30239", ""},
		})
		eq(t, "empty Subject", hdr(m, "Subject", 0), "")
		eq(t, "folded unknown header", hdr(m, "newfangledheader", 0), "newfangled value\r\n continued newfangled value")
		eq(t, "unusual value passes untouched", hdr(m, "UnknownHeaderWithUnusualValue", 0), ";;,,;;,;")
		routes, err := m.Routes()
		if err != nil || len(routes) != 1 {
			t.Fatalf("Routes: %v %d", err, len(routes))
		}
		ru := mustURI(t, routes[0].URI)
		eq(t, "Route", []any{string(ru.Host), ru.LR, ru.Params.Has("unknown-no-value")}, []any{"services.example.com", true, true})
		c := mustContacts(t, m)
		if len(c) != 1 {
			t.Fatalf("%d contacts", len(c))
		}
		nv, _ := c[0].Params.Get("newparam")
		eq(t, "Contact", []any{string(c[0].Display), string(c[0].URI), string(nv), c[0].Params.Has("secondparam"), c[0].Q},
			[]any{`"Quoted string \"\""`, "sip:jdrosen@example.com", "newvalue", true, 330})
		eq(t, "body", len(m.Body()), 150)
	},
	"intmeth.dat": func(t *testing.T, m *Message) {
		const meth = "!interesting-Method0123456789_*+`.%indeed'~"
		eq(t, "method", string(m.Method()), meth)
		eq(t, "method id", m.MethodID(), MethodOther)
		u := mustRURI(t, m)
		eq(t, "R-URI", []string{string(u.User), string(u.Password), string(u.Host)},
			[]string{"1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*", "&it+has=1,weird!*pas$wo~d_too.(doesn't-it)", "example.com"})
		v, _ := m.TopVia()
		eq(t, "branch", string(v.Branch), "z9hG4bK-.!%66*_+`'~")
		eq(t, "To display with BEL NUL DEL", string(mustTo(t, m).Display), "\"BEL:\\\x07 NUL:\\\x00 DEL:\\\x7f\"")
		from := mustFrom(t, m)
		eq(t, "From display", string(from.Display), "token1~` token2'+_ token3*%!.-")
		eq(t, "From tag", string(from.Tag), "_token~1'+`*%!-.")
		fp, _ := from.Params.Get("fromParam''~+*_!.-%")
		eq(t, "From UTF-8 param", string(fp), "\"\xd1\x80\xd0\xb0\xd0\xb1\xd0\xbe\xd1\x82\xd0\xb0\xd1\x8e\xd1\x89\xd0\xb8\xd0\xb9\"")
		eq(t, "Call-ID", string(m.CallID()), `intmeth.word%ZK-!.*_+'@word`+"`"+`~)(><:\/"][?}{`)
		eq(t, "CSeq", mustCSeq(t, m), CSeq{Num: 139122385, Method: []byte(meth)})
		eq(t, "Max-Forwards", maxFwd(t, m), 255)
		eq(t, "UTF-8 extension header", hdr(m, "extensionHeader-!.%*+_`'~", 0), "\xef\xbb\xbf\xe5\xa4\xa7\xe5\x81\x9c\xe9\x9b\xbb")
	},
	"esc01.dat": func(t *testing.T, m *Message) {
		u := mustRURI(t, m)
		eq(t, "R-URI user", []string{string(u.User), unesc(u.User), string(u.Host)},
			[]string{"sips%3Auser%40example.com", "sips:user@example.com", "example.net"})
		to := mustURI(t, mustTo(t, m).URI)
		plain := mustURI(t, []byte("sip:user@example.com"))
		eq(t, "To %75se%72 == user", to.Equal(&plain), true)
		eq(t, "From user", unesc(mustURI(t, mustFrom(t, m).URI).User), "I have spaces")
		c := mustContacts(t, m)
		cu := mustURI(t, c[0].URI)
		eq(t, "Contact user", unesc(cu.User), "caller")
		// Escapes are decoded once: value%2541 -> value%41, never valueA.
		var val []byte
		for it := cu.Params.Iter(); it.Next(); {
			if unesc(it.Name) == "name" {
				val = it.Value
			}
		}
		eq(t, "param decoded once", unesc(val), "value%41")
		same := mustURI(t, []byte("sip:caller@host5.example.net;lr;name=value%2541"))
		other := mustURI(t, []byte("sip:caller@host5.example.net;lr;name=valueA"))
		eq(t, "URI equal", []bool{cu.Equal(&same), cu.Equal(&other)}, []bool{true, false})
	},
	"escnull.dat": func(t *testing.T, m *Message) {
		eq(t, "To user", unesc(mustURI(t, mustTo(t, m).URI).User), "null-\x00-null")
		eq(t, "From user", unesc(mustURI(t, mustFrom(t, m).URI).User), "null-\x00-null")
		c := mustContacts(t, m)
		if len(c) != 2 {
			t.Fatalf("%d contacts, want 2", len(c))
		}
		a, b := mustURI(t, c[0].URI), mustURI(t, c[1].URI)
		eq(t, "users", []string{unesc(a.User), unesc(b.User)}, []string{"\x00", "\x00\x00"})
		eq(t, "distinct bindings", a.Equal(&b), false)
	},
	"esc02.dat": func(t *testing.T, m *Message) {
		eq(t, "method", string(m.Method()), "RE%47IST%45R")
		eq(t, "not REGISTER", m.MethodID(), MethodOther)
		eq(t, "CSeq method", string(mustCSeq(t, m).Method), "RE%47IST%45R")
		eq(t, "To display", string(mustTo(t, m).Display), `"%Z%45"`)
		eq(t, "branch", string(mustVia0(t, m).Branch), "z9hG4bK209%fzsnel234")
		c := mustContacts(t, m)
		eq(t, "2 Contacts", []string{string(c[0].URI), string(c[1].URI)}, []string{"sip:alias1@host1.example.com", "sip:alias3@host3.example.com"})
		eq(t, "C%6Fntact is another header", []int{m.HeaderCount("Contact"), m.HeaderCount("m"), m.HeaderCount("C%6Fntact")}, []int{2, 2, 1})
	},
	"lwsdisp.dat": func(t *testing.T, m *Message) {
		f := mustFrom(t, m)
		eq(t, "From", []string{string(f.Display), string(f.URI), string(f.Tag)}, []string{"caller", "sip:caller@example.com", "323"})
	},
	"longreq.dat": func(t *testing.T, m *Message) {
		vias := viaSums(t, m)
		eq(t, "Via count", len(vias), 34)
		eq(t, "Via header fields (all spellings)", m.HeaderCount("via"), 34)
		eq(t, "top Via", vias[0].Host, "sip33.example.com")
		eq(t, "last Via received", vias[33].Received, "192.0.2.5")
		eq(t, "long branch", len(vias[33].Branch), 215)
		to := mustTo(t, m)
		eq(t, "To display", len(to.Display), 105)
		tu := mustURI(t, to.URI)
		eq(t, "To URI port", tu.Port, uint16(6000))
		eq(t, "From tag", len(mustFrom(t, m).Tag), 155)
		eq(t, "Call-ID", len(m.CallID()), 141)
		v, ok := m.Header("Unknown-LongLongLongLongLongLongLongLongLongLongLongLongLongLongLongLongLongLongLongLong-Name", 0)
		eq(t, "long unknown header", []any{ok, bytes.HasPrefix(v, []byte("unknown-longlong"))}, []any{true, true})
		eq(t, "body", len(m.Body()), 150)
	},
	"dblreq.dat": func(t *testing.T, m *Message) {
		eq(t, "REGISTER only", m.MethodID(), MethodREGISTER)
		eq(t, "length", m.Len(), 300)
		eq(t, "body", len(m.Body()), 0)
		eq(t, "compact Call-ID", string(m.CallID()), "dblreq.0ha0isndaksdj99sdfafnl3lk233412")
		eq(t, "ends with empty line", bytes.HasSuffix(m.Bytes(), []byte("Content-Length: 0\r\n\r\n")), true)
	},
	"semiuri.dat": func(t *testing.T, m *Message) {
		u := mustRURI(t, m)
		eq(t, "user", []string{string(u.User), unesc(u.User), string(u.Host), string(u.Params)},
			[]string{"user;par=u%40example.net", "user;par=u@example.net", "example.com", ""})
		var acc []string
		it := m.Values(HdrAccept)
		for v, ok := it.Next(); ok; v, ok = it.Next() {
			acc = append(acc, string(v))
		}
		eq(t, "folded Accept", acc, []string{"application/sdp", "application/pkcs7-mime", "multipart/mixed", "multipart/signed", "message/sip", "message/sipfrag"})
	},
	"transports.dat": func(t *testing.T, m *Message) {
		var tr []string
		for _, v := range viaSums(t, m) {
			tr = append(tr, v.Transport)
		}
		eq(t, "transports", tr, []string{"UDP", "SCTP", "TLS", "UNKNOWN", "TCP"})
		eq(t, "Call-ID", string(m.CallID()), "transports.kijh4akdnaqjkwendsasfdj")
	},
	"mpart01.dat": func(t *testing.T, m *Message) {
		eq(t, "method", m.MethodID(), MethodMESSAGE)
		cl, _ := m.ContentLength()
		eq(t, "body framed by Content-Length", len(m.Body()), cl)
		eq(t, "binary body", bytes.IndexByte(m.Body(), 0) >= 0, true)
		eq(t, "Content-Type", string(m.ContentType()), "multipart/mixed;boundary=7a9cbec02ceef655")
	},
	"unreason.dat": func(t *testing.T, m *Message) {
		eq(t, "status", m.StatusCode(), 200)
		eq(t, "reason", bytes.HasPrefix(m.Reason(), []byte("= 2**3 * 5**2 \xd0\xbd\xd0\xbe")), true)
		eq(t, "reason length", len(m.Reason()), 74)
	},
	"noreason.dat": func(t *testing.T, m *Message) {
		eq(t, "status", []any{m.StatusCode(), string(m.Reason()), m.IsRequest()}, []any{100, "", false})
	},
	"badbranch.dat": func(t *testing.T, m *Message) {
		v := mustVia0(t, m)
		eq(t, "branch", []any{string(v.Branch), v.IsRFC3261Branch()}, []any{"z9hG4bK", false})
	},
	"unkscm.dat": func(t *testing.T, m *Message) {
		u := mustRURI(t, m)
		eq(t, "opaque R-URI", []any{u.Scheme, string(u.SchemeText), string(u.Opaque)}, []any{SchemeOther, "nobodyKnowsThisScheme", "totallyopaquecontent"})
	},
	"novelsc.dat": func(t *testing.T, m *Message) {
		u := mustRURI(t, m)
		eq(t, "opaque R-URI", []any{u.Scheme, string(u.SchemeText), string(u.Opaque)}, []any{SchemeOther, "soap.beep", "//192.0.2.103:3002"})
	},
	"unksm2.dat": func(t *testing.T, m *Message) {
		eq(t, "To", string(mustTo(t, m).URI), "isbn:2983792873")
		f := mustFrom(t, m)
		eq(t, "From", []string{string(f.URI), string(f.Tag)}, []string{"http://www.example.com", "3234233"})
		c := mustContacts(t, m)
		eq(t, "Contact", string(c[0].URI), "name:John_Smith")
		eq(t, "schemes", []Scheme{mustURI(t, f.URI).Scheme, mustURI(t, c[0].URI).Scheme}, []Scheme{SchemeOther, SchemeOther})
	},
	"bext01.dat": func(t *testing.T, m *Message) {
		req, err1 := m.AppendTokens(nil, HdrRequire)
		preq, err2 := m.AppendTokens(nil, HdrProxyRequire)
		if err1 != nil || err2 != nil {
			t.Fatal(err1, err2)
		}
		eq(t, "Require", req, [][]byte{[]byte("nothingSupportsThis"), []byte("nothingSupportsThisEither")})
		eq(t, "Proxy-Require", preq, [][]byte{[]byte("noProxiesSupportThis"), []byte("norDoAnyProxiesSupportThis")})
	},
	"invut.dat": func(t *testing.T, m *Message) {
		eq(t, "Content-Type", string(m.ContentType()), "application/unknownformat")
		eq(t, "body", string(m.Body()), "<audio>\r\n <pcmu port=\"443\"/>\r\n</audio>\r\n")
	},
	"regaut01.dat": func(t *testing.T, m *Message) {
		eq(t, "opaque Authorization", hdr(m, "Authorization", 0), "NoOneKnowsThisScheme opaque-data=here")
		cl, ok := m.ContentLength()
		eq(t, "Content-Length:0", []any{cl, ok}, []any{0, true})
	},
	"bcast.dat": func(t *testing.T, m *Message) {
		v := viaSums(t, m)
		eq(t, "broadcast sent-by is reported, not acted on", []string{v[0].Host, v[1].Host}, []string{"192.0.2.198", "255.255.255.255"})
	},
	"zeromf.dat": func(t *testing.T, m *Message) {
		eq(t, "Max-Forwards", maxFwd(t, m), 0)
	},
	"cparam01.dat": func(t *testing.T, m *Message) {
		c := mustContacts(t, m)[0]
		u := mustURI(t, c.URI)
		eq(t, "header param, not URI param", []any{c.Angle, string(c.URI), c.Params.Has("unknownparam"), u.Params.Has("unknownparam")},
			[]any{false, "sip:+19725552222@gw1.example.net", true, false})
	},
	"cparam02.dat": func(t *testing.T, m *Message) {
		c := mustContacts(t, m)[0]
		u := mustURI(t, c.URI)
		eq(t, "URI param, not header param", []any{c.Angle, c.Params.Has("unknownparam"), u.Params.Has("unknownparam"), string(u.User)},
			[]any{true, false, true, "+19725552222"})
	},
	"regescrt.dat": func(t *testing.T, m *Message) {
		c := mustContacts(t, m)
		u := mustURI(t, c[0].URI)
		eq(t, "escaped Route kept in the URI", string(u.Headers), "Route=%3Csip:sip.example.com%3E")
		eq(t, "L:0", m.cl, 0)
	},
	"sdp01.dat": func(t *testing.T, m *Message) {
		eq(t, "Accept", hdr(m, "Accept", 0), "text/nobodyKnowsThis")
		eq(t, "body", len(m.Body()), 150)
	},
	"inv2543.dat": func(t *testing.T, m *Message) {
		_, hasCL := m.ContentLength()
		_, hasMF, _ := m.MaxForwards()
		v := mustVia0(t, m)
		eq(t, "RFC 2543 shape", []any{hasCL, hasMF, v.Branch == nil, v.IsRFC3261Branch(), mustFrom(t, m).Tag == nil},
			[]any{false, false, true, false, true})
		eq(t, "body is the rest of the datagram", bytes.HasSuffix(m.Body(), []byte("m=audio 49217 RTP/AVP 0\r\n")), true)
		eq(t, "body", len(m.Body()), 105)
	},
	"baddate.dat": func(t *testing.T, m *Message) {
		eq(t, "Date kept opaque", hdr(m, "Date", 0), "Fri, 01 Jan 2010 16:00:00 EST")
	},

	// RFC 5118
	"ipv6-good.dat": func(t *testing.T, m *Message) {
		u := mustRURI(t, m)
		eq(t, "R-URI", []any{string(u.Host), u.HasPort}, []any{"[2001:db8::10]", false})
		eq(t, "Via", viaSums(t, m)[0].Host, "[2001:db8::9:1]")
		eq(t, "Contact host", string(mustURI(t, mustContacts(t, m)[0].URI).Host), "[2001:db8::1]")
	},
	"port-ambiguous.dat": func(t *testing.T, m *Message) {
		u := mustRURI(t, m)
		h, p := u.HostPort()
		eq(t, "5070 is inside the brackets", []any{string(u.Host), u.HasPort, p, string(h)}, []any{"[2001:db8::10:5070]", false, uint16(5060), "[2001:db8::10:5070]"})
	},
	"port-unambiguous.dat": func(t *testing.T, m *Message) {
		u := mustRURI(t, m)
		eq(t, "port after the bracket", []any{string(u.Host), u.HasPort, u.Port}, []any{"[2001:db8::10]", true, uint16(5070)})
	},
	"via-received-param-with-delim.dat": func(t *testing.T, m *Message) {
		eq(t, "received with brackets", viaSums(t, m)[0], viaSum{"UDP", "[2001:db8::9:1]", 0, "z9hG4bKas3-111", "[2001:db8::9:255]"})
	},
	"via-received-param-no-delim.dat": func(t *testing.T, m *Message) {
		eq(t, "received bare", viaSums(t, m)[0], viaSum{"UDP", "[2001:db8::9:1]", 0, "z9hG4bKas3", "2001:db8::9:255"})
	},
	"ipv6-in-sdp.dat": func(t *testing.T, m *Message) {
		eq(t, "body", len(m.Body()), 251)
		eq(t, "SDP IPv6", bytes.Contains(m.Body(), []byte("c=IN IP6 2001:db8::20")), true)
		eq(t, "R-URI host", string(mustRURI(t, m).Host), "[2001:db8::10]")
	},
	"mult-ip-in-header.dat": func(t *testing.T, m *Message) {
		eq(t, "Vias", viaSums(t, m), []viaSum{
			{"UDP", "[2001:db8::9:1]", 6050, "z9hG4bKas3-111", ""},
			{"UDP", "192.0.2.1", 0, "z9hG4bKjhja8781hjuaij65144", ""},
			{"TCP", "[2001:db8::9:255]", 0, "z9hG4bK451jj", "192.0.2.200"},
		})
	},
	"mult-ip-in-sdp.dat": func(t *testing.T, m *Message) {
		eq(t, "body", len(m.Body()), 189)
		eq(t, "both families", bytes.Contains(m.Body(), []byte("c=IN IP4 ")) && bytes.Contains(m.Body(), []byte("c=IN IP6 ")), true)
	},
	"ipv4-mapped-ipv6.dat": func(t *testing.T, m *Message) {
		v := viaSums(t, m)
		eq(t, "Vias", []viaSum{v[0], v[1]}, []viaSum{
			{"UDP", "[::ffff:192.0.2.10]", 19823, "z9hG4bKbh19", ""},
			{"UDP", "[::ffff:192.0.2.2]", 0, "z9hG4bKas3-111", ""},
		})
		eq(t, "Contact host", string(mustURI(t, mustContacts(t, m)[0].URI).Host), "[::ffff:192.0.2.2]")
		eq(t, "body", len(m.Body()), 245)
	},
	"ipv6-bug-abnf-3-colons.dat": func(t *testing.T, m *Message) {
		u := mustRURI(t, m)
		eq(t, "host", string(u.Host), "[2001:db8:::192.0.2.1]")
		// Read as 2001:db8::192.0.2.1 (RFC 5118 robustness).
		two := mustURI(t, []byte("sip:user@[2001:db8::192.0.2.1]"))
		eq(t, "equals the two-colon form", u.Equal(&two), true)
	},
	"ipv6-correct-abnf-2-colons.dat": func(t *testing.T, m *Message) {
		eq(t, "host", string(mustRURI(t, m).Host), "[2001:db8::192.0.2.1]")
		eq(t, "To host", string(mustURI(t, mustTo(t, m).URI).Host), "[2001:db8::192.0.2.1]")
	},
}

func mustVia0(t *testing.T, m *Message) *Via {
	t.Helper()
	v, err := m.TopVia()
	if err != nil {
		t.Fatalf("TopVia: %v", err)
	}
	return v
}
