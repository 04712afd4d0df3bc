package compat

// mfReq is a request with the given Max-Forwards header line ("" for none).
func mfReq(hdr string) string {
	return `OPTIONS sip:carol@chicago.example.com SIP/2.0
Via: SIP/2.0/UDP 127.0.0.1:{CPORT};branch=z9hG4bKmf1
` + hdr + `To: <sip:carol@chicago.example.com>
From: <sip:alice@atlanta.example.com>;tag=mf1
Call-ID: mf1@atlanta.example.com
CSeq: 1 OPTIONS
Content-Length: 0
`
}

// mfShow compares before processing, processes, and compares again.
const mfShow = `$var(@@a) = is_maxfwd_lt("5"); $var(@@r) = mf_process_maxfwd_header("10"); ` +
	`$var(@@b) = is_maxfwd_lt("5"); $var(@@c) = maxfwd_at_least("5"); $var(@@d) = mf_lowlimit("5"); ` +
	`xlog("L_INFO", "mf=$var(@@r) a=$var(@@a) b=$var(@@b) c=$var(@@c) d=$var(@@d)\n");`

// maxfwdCases: the maxfwd module's return codes, checked on Kamailio
// 5.6.3. (Both rewrite Max-Forwards in the received buffer, so $hdr and
// $mb show the new value; a value that is not a number, which kamgo's
// core refuses with 400 before the script, is checked in modules/maxfwd's
// Go tests.)
var maxfwdCases = []Case{
	{Name: "maxfwd_codes", Route: mfShow,
		Msgs: []string{mfReq(""), mfReq("Max-Forwards: 70\n"), mfReq("Max-Forwards: 0\n"), mfReq("Max-Forwards: 1\n"),
			mfReq("Max-Forwards: 4\n"), mfReq("Max-Forwards: 6\n"), mfReq("Max-Forwards:  5 \n")},
		Want: []string{
			"mf=2 a=-2 b=-2 c=-2 d=-2", "---",
			"mf=1 a=-1 b=-1 c=-1 d=-1", "---",
			"mf=-1 a=1 b=1 c=1 d=1", "---",
			"mf=1 a=1 b=1 c=1 d=1", "---",
			"mf=1 a=1 b=1 c=1 d=1", "---",
			"mf=1 a=-1 b=-1 c=-1 d=-1", "---",
			"mf=1 a=-1 b=1 c=1 d=1"}},
	{Name: "maxfwd_aliases", Route: `$var(@@x) = maxfwd_process("3"); $var(@@y) = process_maxfwd("3"); xlog("L_INFO", "x=$var(@@x) y=$var(@@y)\n");`,
		Msgs: []string{mfReq("Max-Forwards: 2\n")},
		Want: []string{"x=1 y=1"}},
	{Name: "maxfwd_rewritten_in_place", Route: `$var(@@r) = mf_process_maxfwd_header("10"); xlog("L_INFO", "r=$var(@@r) hdr=[$hdr(Max-Forwards)] mb=[$(mb{line.sw,Max-Forwards})]\n");`,
		Msgs: []string{mfReq("Max-Forwards: 70\n"), mfReq("Max-Forwards: 0100\n"), mfReq("")},
		Want: []string{"r=1 hdr=[69] mb=[Max-Forwards: 69]", "---", "r=1 hdr=[  70] mb=[Max-Forwards:   70]", "---", "r=2 hdr=[<null>] mb=[]"}},
	{Name: "maxfwd_pv_arg", Route: `$var(@@m) = 7; $var(@@r) = mf_process_maxfwd_header("$var(@@m)"); $var(@@l) = is_maxfwd_lt("$var(@@m)"); xlog("L_INFO", "r=$var(@@r) l=$var(@@l)\n");`,
		Msgs: []string{mfReq("Max-Forwards: 9\n")},
		Want: []string{"r=1 l=-1"}},
}
