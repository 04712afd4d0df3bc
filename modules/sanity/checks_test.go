package sanity

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kamgo/kamgo/runtime/sip"
)

func req(startLine, from, extra, cseq, tail string) []byte {
	return []byte(strings.ReplaceAll(startLine+"\nVia: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK1\nFrom: "+from+
		"\nTo: <sip:bob@b.example>\nCall-ID: s1@a\nCSeq: "+cseq+"\nMax-Forwards: 70\n"+extra+tail, "\n", "\r\n"))
}

const (
	inv  = "INVITE sip:bob@b.example SIP/2.0"
	from = "<sip:alice@a.example>;tag=ft1"
	cl0  = "Content-Length: 0\n\n"
)

// TestRun checks every verdict against what Kamailio 5.6.3 answered for
// the same message (proxy_require "bar, baz").
func TestRun(t *testing.T) {
	type result struct {
		Code           int
		Reason, Header string
	}
	tests := []struct {
		name         string
		checks, uris int
		msg          []byte
		want         result // zero: passes
	}{
		{"scheme http", CheckRURIScheme, 7, req("INVITE http://b.example/x SIP/2.0", from, "", "1 INVITE", cl0), result{400, "Bad Request URI", ""}},
		{"scheme tel", CheckRURIScheme, 7, req("INVITE tel:+123 SIP/2.0", from, "", "1 INVITE", cl0), result{}},
		{"cseq method", CheckCSeqMethod, 7, req(inv, from, "", "1 BYE", cl0), result{400, "CSeq method does not match request method", ""}},
		{"cseq max", CheckCSeqValue, 7, req(inv, from, "", "4294967296 INVITE", cl0), result{}},
		{"cseq bad", CheckCSeqValue, 7, req(inv, from, "", "12a INVITE", cl0), result{400, "CSeq number is illegal", ""}},
		{"expires bad", CheckExpires, 7, req(inv, from, "Expires: abc\n", "1 INVITE", cl0), result{400, "Expires value is illegal", ""}},
		{"expires max", CheckExpires, 7, req(inv, from, "Expires: 4294967296\n", "1 INVITE", cl0), result{}},
		{"proxy require", CheckProxyRequire, 7, req(inv, from, "Proxy-Require: foo, bar\nProxy-Require: qux\n", "1 INVITE", cl0), result{420, "Bad Proxy Require Extension", "Unsupported: foo"}},
		{"proxy require ok", CheckProxyRequire, 7, req(inv, from, "Proxy-Require: BAR,baz\n", "1 INVITE", cl0), result{}},
		{"proxy require empty", CheckProxyRequire, 7, req(inv, from, "Proxy-Require: \n", "1 INVITE", cl0), result{400, "Bad Proxy Require Header", ""}},
		{"from uri", CheckParseURIs, 7, req(inv, "<sip:alice@>;tag=1", "", "1 INVITE", cl0), result{400, "Invalid From Header", ""}},
		{"from uri not asked", CheckParseURIs, URITo, req(inv, "<sip:alice@>;tag=1", "", "1 INVITE", cl0), result{}},
		{"digest incomplete", CheckDigest, 7, req(inv, from, "Authorization: Digest username=\"a\", realm=\"r\"\n", "1 INVITE", cl0), result{400, "Bad Auth Credentials", ""}},
		{"digest basic", CheckDigest, 7, req(inv, from, "Proxy-Authorization: Basic abc\n", "1 INVITE", cl0), result{400, "Bad Auth Credentials", ""}},
		{"authorization basic", CheckAuthorization, 7, req(inv, from, "Proxy-Authorization: Basic abc\n", "1 INVITE", cl0), result{}},
		{"digest complete", CheckDigest, 7, req(inv, from, "Authorization: Digest username=\"a\", realm=\"r\", nonce=\"n\", uri=\"sip:b\", response=\"0123\"\n", "1 INVITE", cl0), result{}},
		{"from tags", CheckDuplicateTags, 7, req(inv, "<sip:alice@a.example>;tag=1;tag=2", "", "1 INVITE", cl0), result{400, "Many From Tag Params", ""}},
		{"to tags", CheckDuplicateTags, 7, []byte(strings.Replace(string(req(inv, from, "", "1 INVITE", cl0)), "To: <sip:bob@b.example>", "To: <sip:bob@b.example>;tag=1;TAG=2", 1)), result{400, "Many To Tag Params", ""}},
		{"first via", CheckFirstVia, 7, req(inv, from, "", "1 INVITE", cl0), result{}},
		{"defaults", 3047, 7, req(inv, from, "", "1 INVITE", cl0), result{}},
		{"first failure wins", CheckCSeqMethod | CheckExpires, 7, req(inv, from, "Expires: x\n", "1 BYE", cl0), result{400, "CSeq method does not match request method", ""}},
	}
	s := New()
	s.ProxyRequire = []string{"bar", "baz"}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var m sip.Message
			if err := m.Parse(tc.msg, sip.Stream); err != nil {
				t.Fatalf("parse: %v", err)
			}
			f, failed := s.Run(&m, tc.checks, tc.uris)
			got := result{}
			if failed {
				got = result{f.code, f.reason, f.header}
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("verdict (-want +got):\n%s", diff)
			}
		})
	}
}
