package compat

// sanityReq builds a request from its start line, extra headers, CSeq and
// the Content-Length line with its body.
func sanityReq(startLine, from, extra, cseq, tail string) string {
	return startLine + `
Via: SIP/2.0/UDP 127.0.0.1:{CPORT};branch=z9hG4bKsan1;rport
From: ` + from + `
To: <sip:bob@b.example>
Call-ID: san-1@a.example
CSeq: ` + cseq + `
Max-Forwards: 70
` + extra + tail
}

const (
	sanInvite = "INVITE sip:bob@b.example SIP/2.0"
	sanFrom   = "<sip:alice@a.example>;tag=ft1"
	sanCL0    = "Content-Length: 0\n"
)

// sanityShow runs the checks given in $hdr(X-S) (and URI checks in
// X-U) with autodrop off, so that the return code shows.
const sanityShow = `$var(@@r) = sanity_check("$(hdr(X-S){s.int})", "$(hdr(X-U){s.int})"); xlog("L_INFO", "san=$var(@@r)\n");`

const sanityExtra = `modparam("sanity", "autodrop", 0)
modparam("sanity", "proxy_require", "bar, baz")
`

func sanityMsg(checks, uris, startLine, from, extra, cseq, tail string) string {
	return sanityReq(startLine, from, "X-S: "+checks+"\nX-U: "+uris+"\n"+extra, cseq, tail)
}

// Messages that kamgo's core refuses with 400 before any route runs (CSeq
// method or number, Expires, From URI, duplicate tags: runtime/sip's
// Validate) or frames differently (a datagram's bytes past Content-Length)
// are not in the table: modules/sanity's Go tests check those verdicts.

// sanityVerdict is one message for sanity_check and what Kamailio returned.
type sanityVerdict struct {
	name, checks, startLine, from, extra, cseq, tail, want string
}

var sanityVerdicts = []sanityVerdict{
	{"scheme_http", "2", "INVITE http://b.example/x SIP/2.0", sanFrom, "", "1 INVITE", sanCL0, "san=-1"},
	{"scheme_tel", "2", "INVITE tel:+123 SIP/2.0", sanFrom, "", "1 INVITE", sanCL0, "san=1"},
	{"proxy_require_unsupported", "512", sanInvite, sanFrom, "Proxy-Require: foo, bar\n", "1 INVITE", sanCL0, "san=-1"},
	{"proxy_require_supported", "512", sanInvite, sanFrom, "Proxy-Require: bar,baz\n", "1 INVITE", sanCL0, "san=1"},
	{"digest_incomplete", "2048", sanInvite, sanFrom, "Authorization: Digest username=\"a\", realm=\"r\"\n", "1 INVITE", sanCL0, "san=-1"},
	{"digest_basic", "2048", sanInvite, sanFrom, "Proxy-Authorization: Basic abc\n", "1 INVITE", sanCL0, "san=-1"},
	{"authorization_basic", "8192", sanInvite, sanFrom, "Proxy-Authorization: Basic abc\n", "1 INVITE", sanCL0, "san=1"},
	{"digest_complete", "2048", sanInvite, sanFrom, "Authorization: Digest username=\"a\", realm=\"r\", nonce=\"n\", uri=\"sip:b\", response=\"0123\"\n", "1 INVITE", sanCL0, "san=1"},
	{"first_via", "16384", sanInvite, sanFrom, "", "1 INVITE", sanCL0, "san=1"},
	{"defaults_pass", "3047", sanInvite, sanFrom, "", "1 INVITE", sanCL0, "san=1"},
}

// sanityCases: sanity_check's verdicts, checked on Kamailio 5.6.3 (the
// replies it sends are checked in modules/sanity's Go tests).
var sanityCases = func() []Case {
	var out []Case
	for _, v := range sanityVerdicts {
		out = append(out, Case{Name: "sanity_" + v.name, TopLevel: true, Extra: sanityExtra, Route: sanityShow,
			Msgs: []string{sanityMsg(v.checks, "7", v.startLine, v.from, v.extra, v.cseq, v.tail)},
			Want: []string{v.want}})
	}
	return append(out,
		// With autodrop (the default) a failed check stops the script.
		Case{Name: "sanity_autodrop", Route: `sanity_check("2"); xlog("L_INFO", "after\n");`,
			Msgs: []string{sanityReq("INVITE http://b.example/x SIP/2.0", sanFrom, "", "1 INVITE", sanCL0), sanityReq(sanInvite, sanFrom, "", "1 INVITE", sanCL0)},
			Want: []string{"---", "after"}},
		Case{Name: "sanity_default", Route: `if (sanity_check()) { xlog("L_INFO", "ok\n"); }`,
			Want: []string{"ok"}},
	)
}()
