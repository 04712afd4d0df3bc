package compat

// toMsg is the request most textops cases run on: repeated headers, a
// compact From, Privacy, an SDP body.
const toMsg = `INVITE sip:bob@biloxi.example.com;transport=udp SIP/2.0
Via: SIP/2.0/UDP 127.0.0.1:{CPORT};branch=z9hG4bKto1;rport
Via: SIP/2.0/TCP 10.0.0.2:5070;branch=z9hG4bK-to2
Max-Forwards: 70
To: Bob <sip:bob@biloxi.example.com>
f: "Alice A" <sip:alice@atlanta.example.com>;tag=to1
Call-ID: to1@atlanta.example.com
CSeq: 10 INVITE
X-A: one
Privacy: id; header
User-Agent: kamgo-compat/1.0
X-A: two
P-Keep-Me: k
P-Drop-Me: d
Content-Type: application/sdp
Content-Length: {CL}

v=0
o=alice 2890844526 2890844526 IN IP4 pc33.atlanta.example.com
s=-
c=IN IP4 192.0.2.101
t=0 0
m=audio 49172 RTP/AVP 0
a=rtpmap:0 PCMU/8000
`

// toMultipart has a multipart/mixed body with two parts, the second with
// a header after its Content-Type.
const toMultipart = `MESSAGE sip:bob@biloxi.example.com SIP/2.0
Via: SIP/2.0/UDP 127.0.0.1:{CPORT};branch=z9hG4bKmp1
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
o=x 1 1 IN IP4 1.2.3.4
--b1
Content-Type: text/plain
X-H: y

hello
--b1--
`

// toHold is an INVITE whose audio stream is sendonly, toNullHold one whose
// connection address is 0.0.0.0.
const toHold = `INVITE sip:bob@biloxi.example.com SIP/2.0
Via: SIP/2.0/UDP 127.0.0.1:{CPORT};branch=z9hG4bKh1
Max-Forwards: 70
To: <sip:bob@biloxi.example.com>
From: <sip:alice@atlanta.example.com>;tag=h1
Call-ID: h1@atlanta.example.com
CSeq: 1 INVITE
Content-Type: application/sdp
Content-Length: {CL}

v=0
o=x 1 1 IN IP4 1.2.3.4
s=-
c=IN IP4 1.2.3.4
t=0 0
m=audio 4000 RTP/AVP 0
a=sendonly
`

const toNullHold = `INVITE sip:bob@biloxi.example.com SIP/2.0
Via: SIP/2.0/UDP 127.0.0.1:{CPORT};branch=z9hG4bKh2
Max-Forwards: 70
To: <sip:bob@biloxi.example.com>
From: <sip:alice@atlanta.example.com>;tag=h2
Call-ID: h2@atlanta.example.com
CSeq: 1 INVITE
Content-Type: application/sdp
Content-Length: {CL}

v=0
o=x 1 1 IN IP4 1.2.3.4
s=-
c=IN IP4 0.0.0.0
t=0 0
m=audio 4000 RTP/AVP 0
`

// trc runs a call as a statement and prints its return code.
func trc(label, call string) string { return call + "; " + p(label+"=$rc") }

// trcs runs each call and prints its return code under its index.
func trcs(calls ...string) string {
	out := ""
	for i, c := range calls {
		out += trc(string(rune('a'+i)), c) + "\n"
	}
	return out
}

// toLoadX loads textopsx for msg_apply_changes, which makes the edits
// visible in $mb.
const toLoadX = `loadmodule "textopsx.so"`

// toShow applies the edits and prints the message with the case id
// masked.
const toShow = `
	if (!msg_apply_changes()) { xlog("apply failed\n"); }
	xlog("[$(mb{re.subst,/c[0-9]{4}/cNNNN/g})]\n");
`

// toEdit is a case that edits toMsg (or msgs) and prints the result.
func toEdit(name, ops string, msgs ...string) Case {
	if len(msgs) == 0 {
		msgs = []string{toMsg}
	}
	return Case{Name: name, TopLevel: true, Extra: toLoadX, Route: ops + "\n" + toShow, Msgs: msgs}
}

// textopsCases: the textops module (README.textops), checked on Kamailio
// 5.6.3.
var textopsCases = withWants(textopsCaseList, textopsWants)

// textopsCaseList are the cases, without their Want (textopsWants).
var textopsCaseList = []Case{
	// search: case-insensitive, line by line ("." stops at LF, not CR).
	{Name: "textops_search", Msgs: []string{toMsg},
		Route: trcs(`search("^invite sip:BOB")`, `search("nomatch")`, `search("^Max-Forwards: 70$")`,
			`search("^Max-Forwards: 70.$")`, `search("X-A: one.*X-A")`, `search("rtpmap")`)},
	{Name: "textops_search_body", Msgs: []string{toMsg, DefaultOptions},
		Route: trcs(`search_body("M=AUDIO")`, `search_body("INVITE")`, `search_body(".*")`)},
	{Name: "textops_search_str", Msgs: []string{toMsg},
		Route: `$var(@@re) = "TRANSPORT=udp$";` + trcs(`search_str("$ru", "transport=UDP")`, `search_str("abc", "^B")`,
			`search_str("$ru", "$var(@@re)")`, `search_str("", "x")`, `search_str("abc", "B")`)},
	{Name: "textops_search_hf", Msgs: []string{toMsg},
		Route: trcs(`search_hf("From", "ALICE@", "a")`, `search_hf("Via", "10.0.0.2", "f")`, `search_hf("Via", "10.0.0.2", "l")`,
			`search_hf("X-A", "^two$", "a")`, `search_hf("X-A", "^two$", "f")`, `search_hf("X-None", ".", "a")`, `search_hf("f", "tag=", "a")`)},
	{Name: "textops_is_present_hf", Msgs: []string{toMsg},
		Route: `$var(@@h) = "user-agent";` + trcs(`is_present_hf("From")`, `is_present_hf("f")`, `is_present_hf("X-None")`,
			`is_present_hf("user-agent")`, `is_present_hf_pv("$var(@@h)")`, `is_present_hf_pv("X-$var(@@h)")`,
			`is_present_hf_re("^user-")`, `is_present_hf_re("^X-Z")`, `is_present_hf_re_pv("^P-.*-$var(@@h)")`, `is_present_hf_re_pv("^p-keep")`)},
	{Name: "textops_is_method", Msgs: []string{toMsg, DefaultOptions},
		Route: trcs(`is_method("INVITE")`, `is_method("invite")`, `is_method("BYE|INVITE")`, `is_method("OPTIONS|BYE")`,
			`is_method("FOO")`, `is_method("options")`)},
	{Name: "textops_has_body", Msgs: []string{toMsg, DefaultOptions, toMultipart},
		Route: trcs(`has_body()`, `has_body("application/sdp")`, `has_body("text/plain")`, `has_body("multipart/mixed")`)},
	{Name: "textops_cmp", Route: `$var(@@a) = "Kamailio";` + trcs(`cmp_str("$var(@@a)", "Kamailio")`, `cmp_str("$var(@@a)", "kamailio")`,
		`cmp_str("b", "a")`, `cmp_str("a", "b")`, `cmp_istr("$var(@@a)", "KAMAILIO")`, `cmp_istr("b", "A")`, `cmp_istr("A", "b")`,
		`cmp_str("", "")`, `cmp_str("ab", "abc")`)},
	{Name: "textops_starts_ends", Route: `$var(@@u) = "+358401234";` + trcs(`starts_with("$var(@@u)", "+358")`, `starts_with("$var(@@u)", "358")`,
		`ends_with("$var(@@u)", "1234")`, `ends_with("$var(@@u)", "+358")`, `starts_with("$var(@@u)", "")`, `ends_with("ab", "xab")`)},
	{Name: "textops_str_find", Route: trcs(`str_find("abcdef", "cd")`, `str_find("abcdef", "CD")`, `str_ifind("abcdef", "CD")`,
		`str_find("abcdef", "a")`, `str_find("abc", "abcd")`, `str_find("abc", "x")`, `str_ifind("xxABC", "abc")`)},
	{Name: "textops_in_list", Route: `$var(@@l) = "dk,fi,no,se";` + trcs(`in_list("fi", "$var(@@l)", ",")`, `in_list("f", "$var(@@l)", ",")`,
		`in_list("se", "$var(@@l)", ",")`, `in_list("dk", "dk", ",")`, `in_list_prefix("final", "$var(@@l)", ",")`,
		`in_list_prefix("fa", "$var(@@l)", ",")`, `in_list("b", "a;b", ";")`, `in_list("x", "", ",")`)},
	{Name: "textops_regex_substring", Route: trcs(
		`regex_substring("___ abc123def ___ ghi456 ___", "([a-z]*)([0-9]+)([a-z]*)", 1, 3, "$var(@@r)")`) + p("r=$var(@@r)") +
		trcs(`regex_substring("___ abc123def ___", "([a-z]*)([0-9]+)([a-z]*)", 0, 4, "$var(@@r)")`) + p("r=$var(@@r)") +
		trcs(`regex_substring("___ abc123def ___", "([a-z]*)([0-9]+)([a-z]*)", 3, 4, "$var(@@r)")`) + p("r=$var(@@r)") +
		trcs(`regex_substring("ABC", "b", 0, 1, "$var(@@r)")`) + p("r=$var(@@r)") +
		trcs(`regex_substring("xyz", "[0-9]+", 0, 1, "$var(@@r)")`) + p("r=$var(@@r)")},
	{Name: "textops_body_part", Msgs: []string{toMultipart, toMsg},
		Route: trcs(`get_body_part("application/sdp", "$var(@@p)")`) + p("p=[$var(@@p)]") +
			trcs(`get_body_part("text/plain", "$var(@@p)")`) + p("p=[$var(@@p)]") +
			trcs(`get_body_part_raw("text/plain", "$var(@@p)")`) + p("p=[$var(@@p)]") +
			trcs(`get_body_part("text/html", "$var(@@q)")`) + p("q=[$var(@@q)]")},
	{Name: "textops_is_privacy", Msgs: []string{toMsg, DefaultOptions},
		Route: trcs(`is_privacy("id")`, `is_privacy("header")`, `is_privacy("user")`)},
	{Name: "textops_audio_on_hold", Msgs: []string{toMsg, toHold, toNullHold, DefaultOptions},
		Route: trcs(`is_audio_on_hold()`)},
	// Edits do not show in what the script reads.
	{Name: "textops_edits_invisible", Msgs: []string{toMsg},
		Route: trcs(`append_hf("X-New: 1\r\n")`, `remove_hf("User-Agent")`, `replace_body("audio", "video")`) +
			p("ua=$ua new=$hdr(X-New) c=$hdrc(X-A)") + trcs(`is_present_hf("X-New")`, `search_body("video")`, `is_present_hf("User-Agent")`)},
	{Name: "textops_rc_headers", Msgs: []string{toMsg},
		Route: trcs(`append_hf("X-B: 1\r\n", "X-None")`, `insert_hf("X-B: 1\r\n", "X-None")`, `append_hf("X-B: 1\r\n", "X-A")`,
			`remove_hf("X-None")`, `remove_hf("user-agent")`, `remove_hf_re("^x-a$")`, `remove_hf_re("^X-None")`,
			`remove_hf_exp("^P-", "^P-Keep")`, `remove_hf_idx("Via", "-1")`, `remove_hf_idx("Via", 5)`,
			`remove_hf_match("Max-Forwards", "eq", "70")`, `remove_hf_match("Max-Forwards", "ne", "70")`,
			`remove_hf_match("X-None", "eq", "70")`, `remove_hf_idx("X-None", 0)`, `starts_with("ab", "abc")`,
			`append_urihf("X-U: ", "\r\n")`, `append_time_to_request()`)},
	{Name: "textops_rc_replace", Msgs: []string{toMsg},
		Route: trcs(`replace("BOB@", "carol@")`, `replace("zzz", "y")`, `replace_body("zzz", "y")`, `replace_all("atlanta", "x")`,
			`replace_hdrs("^INVITE", "x")`, `replace_str("alice", "x", "a")`, `replace_body_str("IP4", "IP6", "f")`,
			`replace_hdrs_str("nothere", "x", "a")`, `search_append("CSeq: 10", " X")`, `search_append_body("zzz", "x")`)},
	{Name: "textops_rc_subst", Msgs: []string{toMsg},
		Route: trcs(`subst("/bob/carol/g")`, `subst("/^zzz(.*)$/x/")`, `subst_body("/IP4 ([0-9.]+)/IP4 \1/")`,
			`subst_hf("X-A", "/o/0/g", "a")`, `subst_hf("X-None", "/o/0/", "a")`)},
	{Name: "textops_subst_uri", Msgs: []string{toMsg},
		Route: trc("a", `subst_uri("/^SIP:([a-z]+)@(.*)$/sip:\1x@\2;o=\1/i")`) + p("ru=$ru") +
			trc("b", `subst_user("/b(o)b/c\1\1/")`) + p("ru=$ru rU=$rU") +
			trc("c", `subst_user("/zz/y/")`) + p("ru=$ru")},
	// A pseudo-variable in the replacement is expanded per message.
	{Name: "textops_subst_user_pv", Msgs: []string{toMsg},
		Route: `$var(@@p) = "pre"; ` + trc("a", `subst_user("/^(.*)$/$var(@@p)-\1/")`) + p("rU=$rU")},
	{Name: "textops_rc_body", Msgs: []string{toMsg, toMultipart},
		Route: trcs(`set_reply_body("x", "text/plain")`, `append_to_reply("X-R: 1\r\n")`, `append_time()`,
			`append_body_part("p", "text/x-new")`, `remove_body_part("text/x-none")`, `filter_body("text/x-none")`)},
	{Name: "textops_rc_set_body", Msgs: []string{toMsg},
		Route: trcs(`set_body("hello", "text/plain")`, `set_body_multipart()`)},

	// What is forwarded: the edits, applied with msg_apply_changes.
	toEdit("textops_edit_hf", `append_hf("X-New: 1\r\n", "X-A"); insert_hf("X-Ins: 1\r\n", "X-A"); append_hf("X-End: e\r\n");
	insert_hf("X-Top: t\r\n"); remove_hf("User-Agent"); remove_hf_exp("^P-", "^P-Keep"); remove_hf_idx("Via", -1);`),
	toEdit("textops_edit_replace", `replace("BOB@", "carol@"); replace_all("^X-a", "X-Q"); search_append("^X-Case: ", "x-");
	replace_body("audio", "video");`),
	toEdit("textops_edit_replace_lines", `replace_body_all("^(.)=", "X=");`),
	toEdit("textops_edit_atonce", `replace_body_atonce("^.", "Z");`),
	toEdit("textops_edit_subst", `subst("/^(X-A|P-[a-z]+-me): ([a-z]*)(.)$/\1: <\2>\3/gi"); subst_body("/IP4 ([0-9.]+)/IP6 \1/g");`),
	toEdit("textops_edit_subst_hf", `subst_hf("X-A", "/o/0/g", "l"); subst_hf("Via", "/^SIP/sip/i", "a");`),
	toEdit("textops_edit_body", `set_body("hello world", "text/plain");`),
	toEdit("textops_edit_multipart", `set_body_multipart();`),
	toEdit("textops_edit_multipart_text", `set_body_multipart("hi", "text/plain", "delim");`),
	toEdit("textops_edit_append_part", `append_body_part("part2", "text/x-two", "render");`, toMultipart),
	toEdit("textops_edit_remove_part", `remove_body_part("application/sdp");`, toMultipart),
	toEdit("textops_edit_remove_last_part", `remove_body_part("text/plain");`, toMultipart),
	toEdit("textops_edit_filter", `filter_body("text/plain");`, toMultipart),
	toEdit("textops_edit_str", `replace_str("alice", "ALICE", "a"); replace_hdrs_str("X-A", "X-B", "f");`),
	toEdit("textops_edit_body_str", `replace_body_str("0", "9", "f"); replace_body_str("IN", "OUT", "a");`),
	toEdit("textops_edit_start_line", `subst("/^INVITE sip/FOO sip/"); search_append("^INVITE", "X"); replace_all("INVITE", "Y");`),
}

// textopsWants are what Kamailio 5.6.3 printed for textopsCaseList, by case
// name (the messages' source port is {CPORT}).
var textopsWants = map[string][]string{
	"textops_subst_user_pv": {"a=1", "rU=pre-bob"},
	"textops_audio_on_hold": {
		"a=-1",
		"---",
		"a=2",
		"---",
		"a=1",
		"---",
		"a=-1",
	},
	"textops_body_part": {
		"a=1",
		"p=[\nv=0\no=x 1 1 IN IP4 1.2.3.4\n]",
		"a=1",
		"p=[X-H: y\n\nhello\n]",
		"a=1",
		"p=[Content-Type: text/plain\nX-H: y\n\nhello\n--b1--\n]",
		"a=-1",
		"q=[0]",
		"---",
		"a=1",
		"p=[v=0\no=alice 2890844526 2890844526 IN IP4 pc33.atlanta.example.com\ns=-\nc=IN IP4 192.0.2.101\nt=0 0\nm=audio 49172 RTP/AVP 0\na=rtpmap:0 PCMU/8000\n]",
		"a=1",
		"p=[v=0\no=alice 2890844526 2890844526 IN IP4 pc33.atlanta.example.com\ns=-\nc=IN IP4 192.0.2.101\nt=0 0\nm=audio 49172 RTP/AVP 0\na=rtpmap:0 PCMU/8000\n]",
		"a=1",
		"p=[v=0\no=alice 2890844526 2890844526 IN IP4 pc33.atlanta.example.com\ns=-\nc=IN IP4 192.0.2.101\nt=0 0\nm=audio 49172 RTP/AVP 0\na=rtpmap:0 PCMU/8000\n]",
		"a=1",
		"q=[v=0\no=alice 2890844526 2890844526 IN IP4 pc33.atlanta.example.com\ns=-\nc=IN IP4 192.0.2.101\nt=0 0\nm=audio 49172 RTP/AVP 0\na=rtpmap:0 PCMU/8000\n]",
	},
	"textops_cmp": {
		"a=1",
		"b=-2",
		"c=-1",
		"d=-2",
		"e=1",
		"f=-1",
		"g=-2",
		"h=1",
		"i=-2",
	},
	"textops_edit_append_part": {
		"ERROR: [MESSAGE sip:bob@biloxi.example.com SIP/2.0\nX-Case: cNNNN\nVia: SIP/2.0/UDP 127.0.0.1:{CPORT};branch=z9hG4bKmp1\nMax-Forwards: 70\nTo: <sip:bob@biloxi.example.com>\nFrom: <sip:alice@atlanta.example.com>;tag=mp1\nCall-ID: mp1@atlanta.example.com\nCSeq: 1 MESSAGE\nContent-Type: multipart/mixed;boundary=b1\nContent-Length: 195\n\n--b1\nContent-Type: application/sdp\n\nv=0\no=x 1 1 IN IP4 1.2.3.4\n--b1\nContent-Type: text/plain\nX-H: y\n\nhello\n--b1\nContent-Type: text/x-two\nContent-Disposition: render\n\npart2\n--b1--\n]",
	},
	"textops_edit_atonce": {
		"ERROR: [INVITE sip:bob@biloxi.example.com;transport=udp SIP/2.0\nX-Case: cNNNN\nVia: SIP/2.0/UDP 127.0.0.1:{CPORT};branch=z9hG4bKto1;rport\nVia: SIP/2.0/TCP 10.0.0.2:5070;branch=z9hG4bK-to2\nMax-Forwards: 70\nTo: Bob <sip:bob@biloxi.example.com>\nf: \"Alice A\" <sip:alice@atlanta.example.com>;tag=to1\nCall-ID: to1@atlanta.example.com\nCSeq: 10 INVITE\nX-A: one\nPrivacy: id; header\nUser-Agent: kamgo-compat/1.0\nX-A: two\nP-Keep-Me: k\nP-Drop-Me: d\nContent-Type: application/sdp\nContent-Length: 149\n\nZ=0\no=alice 2890844526 2890844526 IN IP4 pc33.atlanta.example.com\ns=-\nc=IN IP4 192.0.2.101\nt=0 0\nm=audio 49172 RTP/AVP 0\na=rtpmap:0 PCMU/8000\n]",
	},
	"textops_edit_body": {
		"ERROR: [INVITE sip:bob@biloxi.example.com;transport=udp SIP/2.0\nX-Case: cNNNN\nVia: SIP/2.0/UDP 127.0.0.1:{CPORT};branch=z9hG4bKto1;rport\nVia: SIP/2.0/TCP 10.0.0.2:5070;branch=z9hG4bK-to2\nMax-Forwards: 70\nTo: Bob <sip:bob@biloxi.example.com>\nf: \"Alice A\" <sip:alice@atlanta.example.com>;tag=to1\nCall-ID: to1@atlanta.example.com\nCSeq: 10 INVITE\nX-A: one\nPrivacy: id; header\nUser-Agent: kamgo-compat/1.0\nX-A: two\nP-Keep-Me: k\nP-Drop-Me: d\nContent-Length: 11\nContent-Type: text/plain\n\nhello world]",
	},
	"textops_edit_body_str": {
		"ERROR: [INVITE sip:bob@biloxi.example.com;transport=udp SIP/2.0\nX-Case: cNNNN\nVia: SIP/2.0/UDP 127.0.0.1:{CPORT};branch=z9hG4bKto1;rport\nVia: SIP/2.0/TCP 10.0.0.2:5070;branch=z9hG4bK-to2\nMax-Forwards: 70\nTo: Bob <sip:bob@biloxi.example.com>\nf: \"Alice A\" <sip:alice@atlanta.example.com>;tag=to1\nCall-ID: to1@atlanta.example.com\nCSeq: 10 INVITE\nX-A: one\nPrivacy: id; header\nUser-Agent: kamgo-compat/1.0\nX-A: two\nP-Keep-Me: k\nP-Drop-Me: d\nContent-Type: application/sdp\nContent-Length: 151\n\nv=9\no=alice 2890844526 2890844526 OUT IP4 pc33.atlanta.example.com\ns=-\nc=OUT IP4 192.0.2.101\nt=0 0\nm=audio 49172 RTP/AVP 0\na=rtpmap:0 PCMU/8000\n]",
	},
	"textops_edit_filter": {
		"ERROR: [MESSAGE sip:bob@biloxi.example.com SIP/2.0\nX-Case: cNNNN\nVia: SIP/2.0/UDP 127.0.0.1:{CPORT};branch=z9hG4bKmp1\nMax-Forwards: 70\nTo: <sip:bob@biloxi.example.com>\nFrom: <sip:alice@atlanta.example.com>;tag=mp1\nCall-ID: mp1@atlanta.example.com\nCSeq: 1 MESSAGE\nContent-Type: multipart/mixed;boundary=b1\nContent-Length: 15\n\nX-H: y\n\nhello]",
	},
	"textops_edit_hf": {
		"ERROR: [INVITE sip:bob@biloxi.example.com;transport=udp SIP/2.0\nX-Top: t\nX-Case: cNNNN\nVia: SIP/2.0/UDP 127.0.0.1:{CPORT};branch=z9hG4bKto1;rport\nMax-Forwards: 70\nTo: Bob <sip:bob@biloxi.example.com>\nf: \"Alice A\" <sip:alice@atlanta.example.com>;tag=to1\nCall-ID: to1@atlanta.example.com\nCSeq: 10 INVITE\nX-Ins: 1\nX-A: one\nPrivacy: id; header\nX-A: two\nX-New: 1\nP-Keep-Me: k\nContent-Type: application/sdp\nContent-Length: 149\nX-End: e\n\nv=0\no=alice 2890844526 2890844526 IN IP4 pc33.atlanta.example.com\ns=-\nc=IN IP4 192.0.2.101\nt=0 0\nm=audio 49172 RTP/AVP 0\na=rtpmap:0 PCMU/8000\n]",
	},
	"textops_edit_multipart": {
		"ERROR: [INVITE sip:bob@biloxi.example.com;transport=udp SIP/2.0\nX-Case: cNNNN\nVia: SIP/2.0/UDP 127.0.0.1:{CPORT};branch=z9hG4bKto1;rport\nVia: SIP/2.0/TCP 10.0.0.2:5070;branch=z9hG4bK-to2\nMax-Forwards: 70\nTo: Bob <sip:bob@biloxi.example.com>\nf: \"Alice A\" <sip:alice@atlanta.example.com>;tag=to1\nCall-ID: to1@atlanta.example.com\nCSeq: 10 INVITE\nX-A: one\nPrivacy: id; header\nUser-Agent: kamgo-compat/1.0\nX-A: two\nP-Keep-Me: k\nP-Drop-Me: d\nContent-Length: 226\nContent-Type: multipart/mixed;boundary=\"unique-boundary-1\"\nMime-Version: 1.0\n\n--unique-boundary-1\nContent-Type: application/sdp\n\nv=0\no=alice 2890844526 2890844526 IN IP4 pc33.atlanta.example.com\ns=-\nc=IN IP4 192.0.2.101\nt=0 0\nm=audio 49172 RTP/AVP 0\na=rtpmap:0 PCMU/8000\n\n--unique-boundary-1\n]",
	},
	"textops_edit_multipart_text": {
		"ERROR: [INVITE sip:bob@biloxi.example.com;transport=udp SIP/2.0\nX-Case: cNNNN\nVia: SIP/2.0/UDP 127.0.0.1:{CPORT};branch=z9hG4bKto1;rport\nVia: SIP/2.0/TCP 10.0.0.2:5070;branch=z9hG4bK-to2\nMax-Forwards: 70\nTo: Bob <sip:bob@biloxi.example.com>\nf: \"Alice A\" <sip:alice@atlanta.example.com>;tag=to1\nCall-ID: to1@atlanta.example.com\nCSeq: 10 INVITE\nX-A: one\nPrivacy: id; header\nUser-Agent: kamgo-compat/1.0\nX-A: two\nP-Keep-Me: k\nP-Drop-Me: d\nContent-Length: 50\nContent-Type: multipart/mixed;boundary=\"delim\"\nMime-Version: 1.0\n\n--delim\nContent-Type: text/plain\n\nhi\n--delim\n]",
	},
	"textops_edit_remove_last_part": {
		"ERROR: [MESSAGE sip:bob@biloxi.example.com SIP/2.0\nX-Case: cNNNN\nVia: SIP/2.0/UDP 127.0.0.1:{CPORT};branch=z9hG4bKmp1\nMax-Forwards: 70\nTo: <sip:bob@biloxi.example.com>\nFrom: <sip:alice@atlanta.example.com>;tag=mp1\nCall-ID: mp1@atlanta.example.com\nCSeq: 1 MESSAGE\nContent-Type: multipart/mixed;boundary=b1\nContent-Length: 76\n\n--b1\nContent-Type: application/sdp\n\nv=0\no=x 1 1 IN IP4 1.2.3.4\n--b1--\n]",
	},
	"textops_edit_remove_part": {
		"ERROR: [MESSAGE sip:bob@biloxi.example.com SIP/2.0\nX-Case: cNNNN\nVia: SIP/2.0/UDP 127.0.0.1:{CPORT};branch=z9hG4bKmp1\nMax-Forwards: 70\nTo: <sip:bob@biloxi.example.com>\nFrom: <sip:alice@atlanta.example.com>;tag=mp1\nCall-ID: mp1@atlanta.example.com\nCSeq: 1 MESSAGE\nContent-Type: multipart/mixed;boundary=b1\nContent-Length: 57\n\n--b1\nContent-Type: text/plain\nX-H: y\n\nhello\n--b1--\n]",
	},
	"textops_edit_replace": {
		"ERROR: [INVITE sip:bob@biloxi.example.com;transport=udp SIP/2.0\nX-Case: x-cNNNN\nVia: SIP/2.0/UDP 127.0.0.1:{CPORT};branch=z9hG4bKto1;rport\nVia: SIP/2.0/TCP 10.0.0.2:5070;branch=z9hG4bK-to2\nMax-Forwards: 70\nTo: Bob <sip:carol@biloxi.example.com>\nf: \"Alice A\" <sip:alice@atlanta.example.com>;tag=to1\nCall-ID: to1@atlanta.example.com\nCSeq: 10 INVITE\nX-Q: one\nPrivacy: id; header\nUser-Agent: kamgo-compat/1.0\nX-Q: two\nP-Keep-Me: k\nP-Drop-Me: d\nContent-Type: application/sdp\nContent-Length: 149\n\nv=0\no=alice 2890844526 2890844526 IN IP4 pc33.atlanta.example.com\ns=-\nc=IN IP4 192.0.2.101\nt=0 0\nm=video 49172 RTP/AVP 0\na=rtpmap:0 PCMU/8000\n]",
	},
	"textops_edit_replace_lines": {
		"ERROR: [INVITE sip:bob@biloxi.example.com;transport=udp SIP/2.0\nX-Case: cNNNN\nVia: SIP/2.0/UDP 127.0.0.1:{CPORT};branch=z9hG4bKto1;rport\nVia: SIP/2.0/TCP 10.0.0.2:5070;branch=z9hG4bK-to2\nMax-Forwards: 70\nTo: Bob <sip:bob@biloxi.example.com>\nf: \"Alice A\" <sip:alice@atlanta.example.com>;tag=to1\nCall-ID: to1@atlanta.example.com\nCSeq: 10 INVITE\nX-A: one\nPrivacy: id; header\nUser-Agent: kamgo-compat/1.0\nX-A: two\nP-Keep-Me: k\nP-Drop-Me: d\nContent-Type: application/sdp\nContent-Length: 149\n\nX=0\nX=alice 2890844526 2890844526 IN IP4 pc33.atlanta.example.com\nX=-\nX=IN IP4 192.0.2.101\nX=0 0\nX=audio 49172 RTP/AVP 0\nX=rtpmap:0 PCMU/8000\n]",
	},
	"textops_edit_start_line": {
		"ERROR: [INVITE sip:bob@biloxi.example.com;transport=udp SIP/2.0\nX-Case: cNNNN\nVia: SIP/2.0/UDP 127.0.0.1:{CPORT};branch=z9hG4bKto1;rport\nVia: SIP/2.0/TCP 10.0.0.2:5070;branch=z9hG4bK-to2\nMax-Forwards: 70\nTo: Bob <sip:bob@biloxi.example.com>\nf: \"Alice A\" <sip:alice@atlanta.example.com>;tag=to1\nCall-ID: to1@atlanta.example.com\nCSeq: 10 Y\nX-A: one\nPrivacy: id; header\nUser-Agent: kamgo-compat/1.0\nX-A: two\nP-Keep-Me: k\nP-Drop-Me: d\nContent-Type: application/sdp\nContent-Length: 149\n\nv=0\no=alice 2890844526 2890844526 IN IP4 pc33.atlanta.example.com\ns=-\nc=IN IP4 192.0.2.101\nt=0 0\nm=audio 49172 RTP/AVP 0\na=rtpmap:0 PCMU/8000\n]",
	},
	"textops_edit_str": {
		"ERROR: [INVITE sip:bob@biloxi.example.com;transport=udp SIP/2.0\nX-Case: cNNNN\nVia: SIP/2.0/UDP 127.0.0.1:{CPORT};branch=z9hG4bKto1;rport\nVia: SIP/2.0/TCP 10.0.0.2:5070;branch=z9hG4bK-to2\nMax-Forwards: 70\nTo: Bob <sip:bob@biloxi.example.com>\nf: \"Alice A\" <sip:ALICE@atlanta.example.com>;tag=to1\nCall-ID: to1@atlanta.example.com\nCSeq: 10 INVITE\nX-B: one\nPrivacy: id; header\nUser-Agent: kamgo-compat/1.0\nX-A: two\nP-Keep-Me: k\nP-Drop-Me: d\nContent-Type: application/sdp\nContent-Length: 149\n\nv=0\no=ALICE 2890844526 2890844526 IN IP4 pc33.atlanta.example.com\ns=-\nc=IN IP4 192.0.2.101\nt=0 0\nm=audio 49172 RTP/AVP 0\na=rtpmap:0 PCMU/8000\n]",
	},
	"textops_edit_subst": {
		"ERROR: [INVITE sip:bob@biloxi.example.com;transport=udp SIP/2.0\nX-Case: cNNNN\nVia: SIP/2.0/UDP 127.0.0.1:{CPORT};branch=z9hG4bKto1;rport\nVia: SIP/2.0/TCP 10.0.0.2:5070;branch=z9hG4bK-to2\nMax-Forwards: 70\nTo: Bob <sip:bob@biloxi.example.com>\nf: \"Alice A\" <sip:alice@atlanta.example.com>;tag=to1\nCall-ID: to1@atlanta.example.com\nCSeq: 10 INVITE\nX-A: <one>\nPrivacy: id; header\nUser-Agent: kamgo-compat/1.0\nX-A: <two>\nP-Keep-Me: <k>\nP-Drop-Me: <d>\nContent-Type: application/sdp\nContent-Length: 149\n\nv=0\no=alice 2890844526 2890844526 IN IP4 pc33.atlanta.example.com\ns=-\nc=IN IP6 192.0.2.101\nt=0 0\nm=audio 49172 RTP/AVP 0\na=rtpmap:0 PCMU/8000\n]",
	},
	"textops_edit_subst_hf": {
		"ERROR: [INVITE sip:bob@biloxi.example.com;transport=udp SIP/2.0\nX-Case: cNNNN\nVia: sip/2.0/UDP 127.0.0.1:{CPORT};branch=z9hG4bKto1;rport\nVia: sip/2.0/TCP 10.0.0.2:5070;branch=z9hG4bK-to2\nMax-Forwards: 70\nTo: Bob <sip:bob@biloxi.example.com>\nf: \"Alice A\" <sip:alice@atlanta.example.com>;tag=to1\nCall-ID: to1@atlanta.example.com\nCSeq: 10 INVITE\nX-A: one\nPrivacy: id; header\nUser-Agent: kamgo-compat/1.0\nX-A: tw0\nP-Keep-Me: k\nP-Drop-Me: d\nContent-Type: application/sdp\nContent-Length: 149\n\nv=0\no=alice 2890844526 2890844526 IN IP4 pc33.atlanta.example.com\ns=-\nc=IN IP4 192.0.2.101\nt=0 0\nm=audio 49172 RTP/AVP 0\na=rtpmap:0 PCMU/8000\n]",
	},
	"textops_edits_invisible": {
		"a=1",
		"b=1",
		"c=1",
		"ua=kamgo-compat/1.0 new=<null> c=2",
		"a=-1",
		"b=-1",
		"c=1",
	},
	"textops_has_body": {
		"a=1",
		"b=1",
		"c=-1",
		"d=-1",
		"---",
		"a=-1",
		"b=-1",
		"c=-1",
		"d=-1",
		"---",
		"a=1",
		"b=-1",
		"c=-1",
		"d=1",
	},
	"textops_in_list": {
		"a=1",
		"b=-1",
		"c=1",
		"d=1",
		"e=1",
		"f=-1",
		"g=1",
		"h=-1",
	},
	"textops_is_method": {
		"a=1",
		"b=1",
		"c=1",
		"d=-1",
		"e=-1",
		"f=-1",
		"---",
		"a=-1",
		"b=-1",
		"c=-1",
		"d=1",
		"e=-1",
		"f=1",
	},
	"textops_is_present_hf": {
		"a=1",
		"b=1",
		"c=-1",
		"d=1",
		"e=1",
		"f=-1",
		"g=1",
		"h=-1",
		"i=-1",
		"j=1",
	},
	"textops_is_privacy": {
		"a=1",
		"b=1",
		"c=-1",
		"---",
		"a=-1",
		"b=-1",
		"c=-1",
	},
	"textops_rc_body": {
		"a=1",
		"b=1",
		"c=1",
		"d=-1",
		"e=-1",
		"f=-1",
		"---",
		"a=1",
		"b=1",
		"c=1",
		"d=1",
		"e=-1",
		"f=-1",
	},
	"textops_rc_headers": {
		"a=1",
		"b=1",
		"c=1",
		"d=-1",
		"e=1",
		"f=1",
		"g=-1",
		"h=1",
		"i=1",
		"j=2",
		"k=1",
		"l=-2",
		"m=-2",
		"n=2",
		"o=-1",
		"p=1",
		"q=1",
	},
	"textops_rc_replace": {
		"a=1",
		"b=-1",
		"c=-1",
		"d=1",
		"e=-1",
		"f=1",
		"g=1",
		"h=1",
		"i=1",
		"j=-1",
	},
	"textops_rc_set_body": {
		"a=1",
		"b=1",
	},
	"textops_rc_subst": {
		"a=1",
		"b=-1",
		"c=1",
		"d=1",
		"e=-1",
	},
	"textops_regex_substring": {
		"a=1",
		"r=abc",
		"a=1",
		"r=abc123def",
		"a=1",
		"r=def",
		"a=-2",
		"r=def",
		"a=-2",
		"r=def",
	},
	"textops_search": {
		"a=1",
		"b=-1",
		"c=-1",
		"d=1",
		"e=-1",
		"f=1",
	},
	"textops_search_body": {
		"a=1",
		"b=-1",
		"c=1",
		"---",
		"a=-1",
		"b=-1",
		"c=-1",
	},
	"textops_search_hf": {
		"a=1",
		"b=-1",
		"c=1",
		"d=1",
		"e=-1",
		"f=-1",
		"g=1",
	},
	"textops_search_str": {
		"a=1",
		"b=-1",
		"c=1",
		"d=-2",
		"e=1",
	},
	"textops_starts_ends": {
		"a=1",
		"b=-2",
		"c=1",
		"d=-1",
		"e=1",
		"f=-1",
	},
	"textops_str_find": {
		"a=3",
		"b=-1",
		"c=3",
		"d=1",
		"e=-1",
		"f=-1",
		"g=3",
	},
	"textops_subst_uri": {
		"a=1",
		"ru=sip:bobx@biloxi.example.com;transport=udp;o=bob",
		"b=1",
		"ru=sip:coox@biloxi.example.com;transport=udp;o=bob rU=coox",
		"c=-1",
		"ru=sip:coox@biloxi.example.com;transport=udp;o=bob",
	},
}

// withWants returns the cases with their Want filled in from wants.
func withWants(cases []Case, wants map[string][]string) []Case {
	out := make([]Case, len(cases))
	for i, c := range cases {
		c.Want = wants[c.Name]
		out[i] = c
	}
	return out
}
