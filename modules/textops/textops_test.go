package textops_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/kamgo/kamgo/runtime/module"
	"github.com/kamgo/kamgo/runtime/sip"
)

// msg is the request the tests run on (LF line ends; see sipText).
const msg = `INVITE sip:bob@biloxi.example.com;transport=udp SIP/2.0
Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bKto1;rport
Via: SIP/2.0/TCP 10.0.0.2:5070;branch=z9hG4bK-to2
Max-Forwards: 70
To: Bob <sip:bob@biloxi.example.com>
f: "Alice A" <sip:alice@atlanta.example.com>;tag=to1
Call-ID: to1@atlanta.example.com
CSeq: 10 INVITE
X-A: one
Privacy: id; header
User-Agent: kamgo-test/1.0
X-A: two
P-Keep-Me: k
P-Drop-Me: d
Content-Type: application/sdp
Content-Length: {CL}

v=0
o=alice 1 1 IN IP4 pc33.atlanta.example.com
c=IN IP4 192.0.2.101
m=audio 49172 RTP/AVP 0
`

const options = `OPTIONS sip:carol@chicago.example.com SIP/2.0
Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bKopt1
Max-Forwards: 70
To: <sip:carol@chicago.example.com>
From: Alice <sip:alice@atlanta.example.com>;tag=opt1
Call-ID: opt1@atlanta.example.com
CSeq: 63104 OPTIONS
Content-Length: 0

`

const reply = `SIP/2.0 200 OK
Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bKopt1
To: <sip:carol@chicago.example.com>;tag=x
From: Alice <sip:alice@atlanta.example.com>;tag=opt1
Call-ID: opt1@atlanta.example.com
CSeq: 63104 BYE
Content-Length: 0

`

const multipart = `MESSAGE sip:bob@biloxi.example.com SIP/2.0
Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bKmp1
Max-Forwards: 70
To: <sip:bob@biloxi.example.com>
From: <sip:alice@atlanta.example.com>;tag=mp1
Call-ID: mp1@atlanta.example.com
CSeq: 1 MESSAGE
Content-Type: multipart/mixed;boundary=b1
Content-Length: {CL}

--b1
Content-Type: application/sdp

v=0
--b1
Content-Type: text/plain
X-H: y

hello
--b1--
`

// TestReturnCodes checks the return codes of the functions that only
// read, and of the editing ones, on msg (and options or a reply).
func TestReturnCodes(t *testing.T) {
	tests := []struct {
		name  string
		msg   string
		calls []string
		want  []int
	}{
		{"search", msg, []string{`search("^invite sip:BOB")`, `search("nomatch")`, `search("^Max-Forwards: 70$")`,
			`search("^Max-Forwards: 70.$")`, `search("X-A: one.*X-A")`}, []int{1, -1, -1, 1, -1}},
		{"search_body", msg, []string{`search_body("M=AUDIO")`, `search_body("INVITE")`}, []int{1, -1}},
		{"search_body_none", options, []string{`search_body(".*")`}, []int{-1}},
		{"search_str", msg, []string{`$var(re) = "TRANSPORT=udp$"`, `search_str("$ru", "transport=UDP")`,
			`search_str("abc", "^A")`, `search_str("$ru", "$var(re)")`, `search_str("", "x")`}, []int{1, 1, 1, -2}},
		{"search_hf", msg, []string{`search_hf("From", "ALICE@", "a")`, `search_hf("Via", "10.0.0.2", "f")`,
			`search_hf("Via", "10.0.0.2", "l")`, `search_hf("X-A", "^two$", "a")`, `search_hf("X-A", "^two$", "f")`,
			`search_hf("X-None", ".", "a")`}, []int{1, -1, 1, 1, -1, -1}},
		{"is_present_hf", msg, []string{`$var(h) = "user-agent"`, `is_present_hf("From")`, `is_present_hf("f")`,
			`is_present_hf("X-None")`, `is_present_hf_pv("$var(h)")`, `is_present_hf_pv("X-$var(h)")`,
			`is_present_hf_re("^user-")`, `is_present_hf_re("^X-Z")`, `is_present_hf_re_pv("^p-keep")`},
			[]int{1, 1, -1, 1, -1, 1, -1, 1}},
		{"is_method_invite", msg, []string{`is_method("INVITE")`, `is_method("invite")`, `is_method("BYE|INVITE")`,
			`is_method("OPTIONS|BYE")`, `is_method("FOO")`}, []int{1, 1, 1, -1, -1}},
		{"is_method_reply_cseq", reply, []string{`is_method("BYE")`, `is_method("OPTIONS")`}, []int{1, -1}},
		{"has_body", msg, []string{`has_body()`, `has_body("application/sdp")`, `has_body("text/plain")`}, []int{1, 1, -1}},
		{"has_body_none", options, []string{`has_body()`, `has_body("application/sdp")`}, []int{-1, -1}},
		{"has_body_multipart", multipart, []string{`has_body("multipart/mixed")`, `has_body("text/plain")`}, []int{1, -1}},
		{"cmp_str", msg, []string{`cmp_str("Kamailio", "Kamailio")`, `cmp_str("Kamailio", "kamailio")`, `cmp_str("b", "a")`,
			`cmp_str("a", "b")`, `cmp_istr("Kamailio", "KAMAILIO")`, `cmp_istr("b", "A")`, `cmp_istr("A", "b")`},
			[]int{1, -2, -1, -2, 1, -1, -2}},
		{"starts_ends", msg, []string{`starts_with("+358401234", "+358")`, `starts_with("+358401234", "358")`,
			`ends_with("+358401234", "1234")`, `ends_with("ab", "xab")`}, []int{1, -2, 1, -1}},
		{"str_find", msg, []string{`str_find("abcdef", "cd")`, `str_find("abcdef", "CD")`, `str_ifind("abcdef", "CD")`,
			`str_find("abc", "abcd")`, `str_ifind("xxABC", "abc")`}, []int{3, -1, 3, -1, 3}},
		{"in_list", msg, []string{`in_list("fi", "dk,fi,no,se", ",")`, `in_list("f", "dk,fi,no,se", ",")`,
			`in_list("se", "dk,fi,no,se", ",")`, `in_list_prefix("final", "dk,fi,no,se", ",")`,
			`in_list_prefix("fa", "dk,fi,no,se", ",")`, `in_list("b", "a;b", ";")`}, []int{1, -1, 1, 1, -1, 1}},
		{"is_privacy", msg, []string{`is_privacy("id")`, `is_privacy("header")`, `is_privacy("user")`}, []int{1, 1, -1}},
		{"is_privacy_none", options, []string{`is_privacy("id")`}, []int{-1}},
		{"headers_rc", msg, []string{`append_hf("X-B: 1\r\n", "X-None")`, `insert_hf("X-B: 1\r\n", "X-None")`,
			`append_hf("X-B: 1\r\n", "X-A")`, `remove_hf("X-None")`, `remove_hf("user-agent")`, `remove_hf_re("^x-a$")`,
			`remove_hf_re("^X-None")`, `remove_hf_exp("^P-", "^P-Keep")`, `remove_hf_idx("Via", "-1")`,
			`remove_hf_idx("Via", 5)`, `remove_hf_match("Max-Forwards", "eq", "70")`,
			`remove_hf_match("To", "ne", "x")`, `remove_hf_match("Call-ID", "re", "^TO1@")`, `remove_hf_match("CSeq", "in", "VITE")`},
			[]int{1, 1, 1, -1, 1, 1, -1, 1, 1, 2, 1, 1, 1, 1}},
		{"replace_rc", msg, []string{`replace("BOB@", "carol@")`, `replace("zzz", "y")`, `replace_body("zzz", "y")`,
			`replace_all("atlanta", "x")`, `replace_str("alice", "x", "a")`, `replace_hdrs_str("nothere", "x", "a")`,
			`search_append("CSeq: 10", " X")`, `search_append_body("zzz", "x")`}, []int{1, -1, -1, 1, 1, 1, 1, -1}},
		{"subst_rc", msg, []string{`subst("/bob/carol/g")`, `subst("/^zzz(.*)$/x/")`, `subst_body("/IP4 ([0-9.]+)/IP4 \1/")`,
			`subst_hf("X-A", "/o/0/g", "a")`, `subst_hf("X-None", "/o/0/", "a")`}, []int{1, -1, 1, 1, -1}},
		{"body_rc", msg, []string{`append_body_part("p", "text/x-new")`, `remove_body_part("text/x-none")`,
			`filter_body("text/x-none")`, `set_body("hello", "text/plain")`}, []int{-1, -1, -1, 1}},
		{"audio_on_hold_no", msg, []string{`is_audio_on_hold()`}, []int{-1}},
		{"audio_on_hold_sendonly", strings.Replace(msg, "m=audio 49172 RTP/AVP 0\n", "m=audio 49172 RTP/AVP 0\na=sendonly\n", 1),
			[]string{`is_audio_on_hold()`}, []int{2}},
		{"audio_on_hold_null", strings.Replace(msg, "c=IN IP4 192.0.2.101", "c=IN IP4 0.0.0.0", 1),
			[]string{`is_audio_on_hold()`}, []int{1}},
		{"audio_on_hold_video_only", strings.Replace(msg, "m=audio 49172 RTP/AVP 0\n", "m=video 49172 RTP/AVP 0\na=inactive\n", 1),
			[]string{`is_audio_on_hold()`}, []int{-1}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			// Assignments are not calls: they print nothing.
			var calls []string
			var route strings.Builder
			for _, c := range tc.calls {
				if strings.HasPrefix(c, "$") {
					route.WriteString(c + ";\n")
					continue
				}
				calls = append(calls, c)
			}
			route.WriteString(rcs(calls...))
			got := run(t, route.String(), tc.msg)
			if diff := cmp.Diff(rcLines(tc.want...), got.lines); diff != "" {
				t.Errorf("(-want +got):\n%s\nerrors: %q", diff, got.errs)
			}
		})
	}
}

// TestValues checks the functions that store a value.
func TestValues(t *testing.T) {
	tests := []struct {
		name  string
		msg   string
		route string
		want  []string
	}{
		{"regex_substring", msg, `
			regex_substring("___ abc123def ___ ghi456 ___", "([a-z]*)([0-9]+)([a-z]*)", 1, 3, "$var(r)");
			xlog("L_INFO", "$rc $var(r)\n");
			regex_substring("___ abc123def ___", "([a-z]*)([0-9]+)([a-z]*)", 0, 4, "$var(r)");
			xlog("L_INFO", "$rc $var(r)\n");
			$var(i) = 2;
			regex_substring("x 42 y", "([a-z]) ([0-9]+)", "$var(i)", 3, "$var(r)");
			xlog("L_INFO", "$rc $var(r)\n");
			regex_substring("ABC", "b", 0, 1, "$var(r)");
			xlog("L_INFO", "$rc\n");
			regex_substring("xyz", "[0-9]+", 0, 1, "$var(r)");
			xlog("L_INFO", "$rc\n");
			regex_substring("xyz", "y", 2, 1, "$var(r)");
			xlog("L_INFO", "$rc\n");`,
			[]string{"1 abc", "1 abc123def", "1 42", "-2", "-2", "-1"}},
		{"get_body_part", multipart, `
			get_body_part("application/sdp", "$var(p)"); xlog("L_INFO", "$rc [$var(p)]\n");
			get_body_part("TEXT/plain", "$var(p)"); xlog("L_INFO", "$rc [$var(p)]\n");
			get_body_part_raw("text/plain", "$var(p)"); xlog("L_INFO", "$rc [$var(p)]\n");
			get_body_part("text/html", "$var(q)"); xlog("L_INFO", "$rc [$var(q)]\n");`,
			[]string{"1 [\r\nv=0\r\n]", "1 [X-H: y\r\n\r\nhello\r\n]", "1 [Content-Type: text/plain\r\nX-H: y\r\n\r\nhello\r\n--b1--\r\n]", "-1 [0]"}},
		{"get_body_part_not_multipart", msg, `get_body_part("text/html", "$var(p)"); xlog("L_INFO", "$rc $(var(p){s.len})\n");`,
			[]string{"1 97"}},
		{"get_body_part_no_body", options, `get_body_part("text/html", "$var(p)"); xlog("L_INFO", "$rc\n");`,
			[]string{"-1"}},
		{"remove_hf_match_none", msg, `remove_hf_match("X-A", "eq", "three"); xlog("L_INFO", "$rc\n");`, []string{"-2"}},
		{"subst_uri", msg, `
			subst_uri("/^SIP:([a-z]+)@(.*)$/sip:\1x@\2;o=\1/i"); xlog("L_INFO", "$rc $ru\n");
			subst_user("/b(o)b/c\1\1/"); xlog("L_INFO", "$rc $ru $rU\n");
			subst_user("/zz/y/"); xlog("L_INFO", "$rc $ru\n");`,
			[]string{
				"1 sip:bobx@biloxi.example.com;transport=udp;o=bob",
				"1 sip:coox@biloxi.example.com;transport=udp;o=bob coox",
				"-1 sip:coox@biloxi.example.com;transport=udp;o=bob"}},
		{"edits_invisible", msg, `
			append_hf("X-New: 1\r\n"); remove_hf("User-Agent"); replace_body("audio", "video");
			xlog("L_INFO", "ua=$ua new=$hdr(X-New)\n");
			if (search_body("video")) { xlog("L_INFO", "seen\n"); }`,
			[]string{"ua=kamgo-test/1.0 new=<null>"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := run(t, tc.route, tc.msg)
			if diff := cmp.Diff(tc.want, got.lines, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("(-want +got):\n%s\nerrors: %q", diff, got.errs)
			}
		})
	}
}

// edited returns msg with the changes: each pair replaces old by new.
func edited(m string, pairs ...string) string {
	for i := 0; i+1 < len(pairs); i += 2 {
		if !strings.Contains(m, pairs[i]) {
			panic("edited: " + pairs[i] + " not in the message")
		}
		m = strings.Replace(m, pairs[i], pairs[i+1], 1)
	}
	return sipText(m)
}

// TestEdits checks what the editing functions leave in the message that
// is forwarded; the expected bytes are what Kamailio 5.6.3 produced for the
// same operations (msg_apply_changes and $mb).
func TestEdits(t *testing.T) {
	tests := []struct {
		name  string
		msg   string
		route string
		want  string
	}{
		{"append_insert_hf", msg,
			`append_hf("X-New: 1\r\n", "X-A"); insert_hf("X-Ins: 1\r\n", "X-A"); append_hf("X-End: e\r\n"); insert_hf("X-Top: t\r\n");`,
			edited(msg, "SIP/2.0\nVia", "SIP/2.0\nX-Top: t\nVia", "X-A: one", "X-Ins: 1\nX-A: one",
				"X-A: two\n", "X-A: two\nX-New: 1\n", "Content-Length: {CL}\n", "Content-Length: {CL}\nX-End: e\n")},
		{"anchor_missing", msg, `append_hf("X-B: 1\r\n", "X-None"); insert_hf("X-C: 1\r\n", "X-None");`,
			edited(msg, "SIP/2.0\nVia", "SIP/2.0\nX-C: 1\nVia", "Content-Length: {CL}\n", "Content-Length: {CL}\nX-B: 1\n")},
		{"remove_hf", msg, `remove_hf("User-Agent"); remove_hf_exp("^P-", "^P-Keep"); remove_hf_idx("Via", -1); remove_hf("from");`,
			edited(msg, "User-Agent: kamgo-test/1.0\n", "", "P-Drop-Me: d\n", "", "Via: SIP/2.0/TCP 10.0.0.2:5070;branch=z9hG4bK-to2\n", "",
				"f: \"Alice A\" <sip:alice@atlanta.example.com>;tag=to1\n", "")},
		{"remove_hf_re_pv", msg, `$var(p) = "x-"; remove_hf_re_pv("^$var(p)a");`,
			edited(msg, "X-A: one\n", "", "X-A: two\n", "")},
		{"replace", msg, `replace("INVITE sip:BOB@|BOB@", "carol@"); replace_all("atlanta", "ATL"); replace_body("audio", "video");`,
			edited(msg, "<sip:bob@biloxi", "<sip:carol@biloxi", "alice@atlanta", "alice@ATL", "to1@atlanta", "to1@ATL",
				"pc33.atlanta", "pc33.ATL", "m=audio", "m=video")},
		{"replace_hdrs", msg, `replace_hdrs("^INVITE|bob", "X");`, edited(msg, "To: Bob <sip:bob", "To: X <sip:bob")},
		{"replace_body_all_lines", msg, `replace_body_all("^(.)=", "X=");`,
			edited(msg, "v=0", "X=0", "o=alice", "X=alice", "c=IN", "X=IN", "m=audio", "X=audio")},
		{"replace_body_atonce_anchor", msg, `replace_body_atonce("^.", "Z");`, edited(msg, "\n\nv=0", "\n\nZ=0")},
		{"replace_body_atonce", msg, `replace_body_atonce("[0-9]", "#");`,
			edited(msg, "v=0\no=alice 1 1 IN IP4 pc33.atlanta.example.com\nc=IN IP4 192.0.2.101\nm=audio 49172 RTP/AVP 0",
				"v=#\no=alice # # IN IP# pc##.atlanta.example.com\nc=IN IP# ###.#.#.###\nm=audio ##### RTP/AVP #")},
		{"replace_str", msg, `replace_str("alice", "ALICE", "a"); replace_hdrs_str("X-A", "X-B", "f"); replace_body_str("0", "9", "f");`,
			edited(msg, "sip:alice@", "sip:ALICE@", "X-A: one", "X-B: one", "v=0", "v=9", "o=alice", "o=ALICE")},
		{"search_append", msg, `search_append("CSeq: 10", " INVITE-x"); search_append_body("^v=0", "1");`,
			edited(msg, "CSeq: 10", "CSeq: 10 INVITE-x", "v=0", "v=01")},
		{"subst", msg, `subst("/^(To|f): ([^\r]*)/\1: [\2]/g"); subst_body("/IP4 ([0-9.]+)/IP6 \1/g"); subst_hf("X-A", "/o/0/g", "l");`,
			edited(msg, "To: Bob <sip:bob@biloxi.example.com>\n", "To: [Bob <sip:bob@biloxi.example.com>]\n",
				"f: \"Alice A\" <sip:alice@atlanta.example.com>;tag=to1\n", "f: [\"Alice A\" <sip:alice@atlanta.example.com>;tag=to1]\n",
				"X-A: two", "X-A: tw0", "IN IP4 192", "IN IP6 192")},
		{"subst_newline_flag", msg, `subst_body("/0\r\no=alice/0 o=ALICE/s");`,
			edited(msg, "v=0\no=alice", "v=0 o=ALICE")},
		{"set_body", msg, `set_body("hello world", "text/plain");`,
			sipText(strings.Replace(strings.Split(msg, "\n\n")[0], "Content-Type: application/sdp\nContent-Length: {CL}",
				"Content-Length: 11\nContent-Type: text/plain", 1) + "\n\nhello world")},
		{"set_body_multipart", msg, `set_body_multipart();`,
			sipText(strings.Replace(strings.Split(msg, "\n\n")[0], "Content-Type: application/sdp\nContent-Length: {CL}",
				"Content-Length: {CL}\nContent-Type: multipart/mixed;boundary=\"unique-boundary-1\"\nMime-Version: 1.0", 1) +
				"\n\n--unique-boundary-1\nContent-Type: application/sdp\n\n" + strings.Split(msg, "\n\n")[1] + "\n--unique-boundary-1\n")},
		{"set_body_multipart_text", options, `set_body_multipart("hi", "text/plain", "delim");`,
			sipText(strings.Replace(options, "Content-Length: 0\n", "Content-Length: {CL}\nContent-Type: multipart/mixed;boundary=\"delim\"\nMime-Version: 1.0\n", 1) +
				"--delim\nContent-Type: text/plain\n\nhi\n--delim\n")},
		{"append_body_part", multipart, `append_body_part("part2", "text/x-two", "render");`,
			edited(multipart, "hello\n--b1--\n", "hello\n--b1\nContent-Type: text/x-two\nContent-Disposition: render\n\npart2\n--b1--\n")},
		{"append_body_part_hex", multipart, `append_body_part_hex("6b 61 6d", "text/x-hex");`,
			edited(multipart, "hello\n--b1--\n", "hello\n--b1\nContent-Type: text/x-hex\n\nkam\n--b1--\n")},
		{"remove_body_part", multipart, `remove_body_part("application/sdp");`,
			edited(multipart, "--b1\nContent-Type: application/sdp\n\nv=0\n--b1\n", "--b1\n")},
		{"remove_last_body_part", multipart, `remove_body_part("text/plain");`,
			edited(multipart, "--b1\nContent-Type: text/plain\nX-H: y\n\nhello\n--b1--\n", "--b1--\n")},
		{"filter_body", multipart, `filter_body("text/plain");`,
			edited(multipart, "--b1\nContent-Type: application/sdp\n\nv=0\n--b1\nContent-Type: text/plain\nX-H: y\n\nhello\n--b1--\n", "X-H: y\n\nhello")},
		{"append_urihf_time", msg, `subst_uri("/bob/carol/"); append_urihf("X-U: <", ">\r\n"); append_time_to_request();`,
			edited(msg, "INVITE sip:bob@", "INVITE sip:carol@", "Content-Length: {CL}\n",
				"Content-Length: {CL}\nX-U: <sip:carol@biloxi.example.com;transport=udp>\nDate: Tue, 05 Mar 2024 07:08:09 GMT\n")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := run(t, tc.route, tc.msg)
			if len(got.errs) > 0 {
				t.Errorf("errors: %q", got.errs)
			}
			if diff := cmp.Diff(tc.want, got.msg); diff != "" {
				t.Errorf("message (-want +got):\n%s", diff)
			}
		})
	}
}

// TestReply checks what append_to_reply, append_time and set_reply_body
// hand to the core's reply.
func TestReply(t *testing.T) {
	// The reply is asked for through a core-only function of no module:
	// the test calls SendReply itself after the route ran.
	route := `append_to_reply("X-R: 1\r\nX-S: $rm\r\n"); append_time(); set_reply_body("body $fU", "text/x-r");`
	res, errText := tryRunReply(route, msg)
	if errText != "" {
		t.Fatal(errText)
	}
	// set_reply_body's Content-Type joins the reply headers in call order.
	want := sentReplyView{code: 404, headers: []string{"X-R: 1", "X-S: INVITE", "Date: Tue, 05 Mar 2024 07:08:09 GMT", "Content-Type: text/x-r"},
		body: "body alice"}
	if diff := cmp.Diff(want, res, cmp.AllowUnexported(sentReplyView{})); diff != "" {
		t.Errorf("reply (-want +got):\n%s", diff)
	}
}

type sentReplyView struct {
	code    int
	headers []string
	ctype   string
	body    string
}

func tryRunReply(route, m string) (sentReplyView, string) {
	var v sentReplyView
	res, err := tryRunWith(route, m, func(fc *fakeCore, st stateView) error {
		return fc.SendReply(st.st, 404, "Not Here", sip.ReplyOptions{})
	})
	if err != "" {
		return v, err
	}
	if len(res.replies) != 1 {
		return v, "no reply"
	}
	r := res.replies[0]
	v = sentReplyView{code: r.code, headers: r.headers, ctype: r.body.ContentType, body: string(r.body.Body)}
	// The reply the core builds from them carries them.
	if !strings.Contains(r.raw, "\r\nX-S: INVITE\r\n") || !strings.HasSuffix(r.raw, "\r\n\r\nbody alice") ||
		!strings.Contains(r.raw, "Content-Type: text/x-r\r\n") {
		return v, "reply built without the queued headers or body:\n" + r.raw
	}
	return v, ""
}

// TestFixupErrors checks the arguments refused when the config loads.
func TestFixupErrors(t *testing.T) {
	tests := []struct {
		name, route, want string
	}{
		{"bad_regex", `search("(");`, "regular expression"},
		{"subst_syntax", `subst("/a/b");`, "replacement is not closed"},
		{"subst_flag", `subst("/a/b/x");`, "unknown flag"},
		{"subst_backref", `subst("/a/\2/");`, "back reference"},
		{"search_hf_flag", `search_hf("From", "x", "z");`, "unknown header flag"},
		{"in_list_sep", `in_list("a", "a,b", ",;");`, "one character"},
		{"privacy", `is_privacy("foo");`, "unknown privacy type"},
		{"replace_str_mode", `replace_str("a", "b", "z");`, "unknown replace mode"},
		{"remove_hf_match_op", `remove_hf_match("X", "zz", "y");`, "unknown operator"},
		{"has_body_mime", `has_body("sdp");`, "not a content type"},
		{"regex_substring_int", `regex_substring("a", "b", "x", 1, "$var(r)");`, "must be an integer"},
		{"header_name", `remove_hf("Bad Name");`, "not a header name"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := loadErr(tc.route)
			if !strings.Contains(got, tc.want) {
				t.Errorf("load error %q does not mention %q", got, tc.want)
			}
		})
	}
}

// TestRouteMasks checks the route types of a few functions against
// Kamailio's declarations.
func TestRouteMasks(t *testing.T) {
	reg := module.Default()
	tests := []struct {
		name string
		want module.RouteType
	}{
		{"search", module.Any},
		{"subst_uri", module.Request | module.Failure | module.AnyReply | module.Branch},
		{"append_to_reply", module.Request | module.Failure | module.Branch},
		{"set_reply_body", module.Request | module.Failure | module.Branch},
		{"regex_substring", module.Request | module.Failure | module.AnyReply | module.Branch},
	}
	for _, tc := range tests {
		refs := reg.Funcs(tc.name)
		if len(refs) == 0 {
			t.Errorf("%s: not registered", tc.name)
			continue
		}
		for _, r := range refs {
			if r.Module.Name == "textops" && r.Func.Routes != tc.want {
				t.Errorf("%s: routes %v, want %v", tc.name, r.Func.Routes, tc.want)
			}
		}
	}
}
