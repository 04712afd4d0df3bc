package compat

import "strings"

// txMsg is the request the textopsx cases edit: repeated headers with
// several comma-separated values and parameters, an Authorization header
// (whose commas separate parameters) and a two-line text body. {OP} is the
// operation the case's route runs on it (X-Op).
const txMsg = `OPTIONS sip:carol@chicago.example.com SIP/2.0
Via: SIP/2.0/UDP 127.0.0.1:{CPORT};branch=z9hG4bKtx1
Max-Forwards: 70
To: <sip:carol@chicago.example.com>
From: Alice <sip:alice@atlanta.example.com>;tag=tx1
Call-ID: tx1@atlanta.example.com
CSeq: 1 OPTIONS
X-Op: {OP}
Supported: path, 100rel
X-Foo: a;p=1, b;q=2
Supported: timer
X-Foo: c
Authorization: Digest username="alice", realm="r", nonce="n"
Content-Type: text/plain
Content-Length: {CL}

line1
line2
`

// txOps returns one txMsg per operation name.
func txOps(ops ...string) []string {
	out := make([]string, len(ops))
	for i, op := range ops {
		out[i] = strings.Replace(txMsg, "{OP}", op, 1)
	}
	return out
}

// txLoad loads textopsx, which the runner's base modules do not include.
const txLoad = `loadmodule "textopsx.so"`

// txShow applies the edits and prints the return code of the operation and
// the whole message.
const txShow = `
	$var(rc) = $rc;
	if (!msg_apply_changes()) { xlog("apply failed\n"); }
	xlog("$hdr(X-Op) rc=$var(rc) [$(mb{re.subst,/c[0-9]{4}/cNNNN/g})]\n");
`

// textopsxCases: the textopsx module (reference: README.textopsx), checked on
// Kamailio 5.6.3. Edits are made visible with msg_apply_changes.
var textopsxCases = []Case{
	{
		Name: "textopsx_hf_prev",
		Want: []string{
			"ERROR: np => n1:X-Case p1: ",
			"---",
			"ERROR: nnp => n1:X-Case n1:Via p1:X-Case ",
			"---",
			"ERROR: nnnp => n1:X-Case n1:Via n1:Max-Forwards p1:Via ",
			"---",
			"ERROR: nnpn => n1:X-Case n1:Via p1:X-Case n1:Via ",
			"---",
			"ERROR: p => p1: ",
			"---",
			"ERROR: pn => p1: n1:X-Case ",
			"---",
			"ERROR: pp => p1: p1: ",
			"---",
			"ERROR: nnnnnpnp => n1:X-Case n1:Via n1:Max-Forwards n1:To n1:From p1:To n1:From p1:To ",
		},
		TopLevel: true,
		Extra: txLoad + `
route[@@SEQ] {
	hf_iterator_start("p");
	$var(i) = 0;
	$var(s) = $hdr(X-Op);
	$var(out) = "";
	while ($var(i) < $(var(s){s.len})) {
		$var(c) = $(var(s){s.substr,$var(i),1});
		if ($var(c) == "n") { hf_iterator_next("p"); } else { hf_iterator_prev("p"); }
		$var(out) = $var(out) + $var(c) + $rc + ":" + $hfitname(p) + " ";
		$var(i) = $var(i) + 1;
	}
	xlog("$var(s) => $var(out)\n");
}`,
		Route: `route(@@SEQ);`,
		Msgs:  txOps("np", "nnp", "nnnp", "nnpn", "p", "pn", "pp", "nnnnnpnp"),
	},
	{
		Name: "textopsx_hf_value",
		Want: []string{
			"ERROR: a1 rc=1 [OPTIONS sip:carol@chicago.example.com SIP/2.0\nX-Case: cNNNN\nVia: SIP/2.0/UDP 127.0.0.1:{CPORT};branch=z9hG4bKtx1\nMax-Forwards: 70\nTo: <sip:carol@chicago.example.com>\nFrom: Alice <sip:alice@atlanta.example.com>;tag=tx1\nCall-ID: tx1@atlanta.example.com\nCSeq: 1 OPTIONS\nX-Op: a1\nSupported: path, 100rel\nX-Foo: a;p=1, b;q=2\nSupported: timer\nX-Foo: c\nAuthorization: Digest username=\"alice\", realm=\"r\", nonce=\"n\"\nContent-Type: text/plain\nContent-Length: 14\nX-Foo: new\n\nline1\nline2\n]",
			"---",
			"ERROR: a2 rc=1 [OPTIONS sip:carol@chicago.example.com SIP/2.0\nX-Case: cNNNN\nVia: SIP/2.0/UDP 127.0.0.1:{CPORT};branch=z9hG4bKtx1\nMax-Forwards: 70\nTo: <sip:carol@chicago.example.com>\nFrom: Alice <sip:alice@atlanta.example.com>;tag=tx1\nCall-ID: tx1@atlanta.example.com\nCSeq: 1 OPTIONS\nX-Op: a2\nSupported: path, 100rel\nX-Foo: a;p=1,new, b;q=2\nSupported: timer\nX-Foo: c\nAuthorization: Digest username=\"alice\", realm=\"r\", nonce=\"n\"\nContent-Type: text/plain\nContent-Length: 14\n\nline1\nline2\n]",
			"---",
			"ERROR: a3 rc=1 [OPTIONS sip:carol@chicago.example.com SIP/2.0\nX-Case: cNNNN\nVia: SIP/2.0/UDP 127.0.0.1:{CPORT};branch=z9hG4bKtx1\nMax-Forwards: 70\nTo: <sip:carol@chicago.example.com>\nFrom: Alice <sip:alice@atlanta.example.com>;tag=tx1\nCall-ID: tx1@atlanta.example.com\nCSeq: 1 OPTIONS\nX-Op: a3\nSupported: path, 100rel\nX-Foo: a;p=1, b;q=2\nSupported: timer\nX-Foo: c,new\nAuthorization: Digest username=\"alice\", realm=\"r\", nonce=\"n\"\nContent-Type: text/plain\nContent-Length: 14\n\nline1\nline2\n]",
			"---",
			"ERROR: a4 rc=1 [OPTIONS sip:carol@chicago.example.com SIP/2.0\nX-Case: cNNNN\nVia: SIP/2.0/UDP 127.0.0.1:{CPORT};branch=z9hG4bKtx1\nMax-Forwards: 70\nTo: <sip:carol@chicago.example.com>\nFrom: Alice <sip:alice@atlanta.example.com>;tag=tx1\nCall-ID: tx1@atlanta.example.com\nCSeq: 1 OPTIONS\nX-Op: a4\nSupported: path, 100rel\nX-Foo: a;p=1, b;q=2\nSupported: timer\nX-Foo: c\nAuthorization: Digest username=\"alice\", realm=\"r\", nonce=\"n\"\nContent-Type: text/plain\nContent-Length: 14\nX-Bar: new\n\nline1\nline2\n]",
			"---",
			"ERROR: a5 rc=1 [OPTIONS sip:carol@chicago.example.com SIP/2.0\nX-Case: cNNNN\nVia: SIP/2.0/UDP 127.0.0.1:{CPORT};branch=z9hG4bKtx1\nMax-Forwards: 70\nTo: <sip:carol@chicago.example.com>\nFrom: Alice <sip:alice@atlanta.example.com>;tag=tx1\nCall-ID: tx1@atlanta.example.com\nCSeq: 1 OPTIONS\nX-Op: a5\nSupported: path, 100rel\nX-Foo: a;p=1, b;q=2,v;m=OPTIONS\nSupported: timer\nX-Foo: c\nAuthorization: Digest username=\"alice\", realm=\"r\", nonce=\"n\"\nContent-Type: text/plain\nContent-Length: 14\n\nline1\nline2\n]",
			"---",
			"ERROR: a6 rc=1 [OPTIONS sip:carol@chicago.example.com SIP/2.0\nX-Case: cNNNN\nVia: SIP/2.0/UDP 127.0.0.1:{CPORT};branch=z9hG4bKtx1\nMax-Forwards: 70\nTo: <sip:carol@chicago.example.com>\nFrom: Alice <sip:alice@atlanta.example.com>;tag=tx1\nCall-ID: tx1@atlanta.example.com\nCSeq: 1 OPTIONS\nX-Op: a6\nSupported: path, 100rel\nX-Foo: a;p=1, b;q=2\nSupported: timer\nX-Foo: c\nAuthorization: Digest username=\"alice\", realm=\"r\", nonce=\"n\"\nContent-Type: text/plain\nContent-Length: 14\nX-Foo: new\n\nline1\nline2\n]",
			"---",
			"ERROR: i1 rc=1 [OPTIONS sip:carol@chicago.example.com SIP/2.0\nX-Case: cNNNN\nVia: SIP/2.0/UDP 127.0.0.1:{CPORT};branch=z9hG4bKtx1\nMax-Forwards: 70\nTo: <sip:carol@chicago.example.com>\nFrom: Alice <sip:alice@atlanta.example.com>;tag=tx1\nCall-ID: tx1@atlanta.example.com\nCSeq: 1 OPTIONS\nX-Op: i1\nSupported: path, 100rel\nX-Foo: new\nX-Foo: a;p=1, b;q=2\nSupported: timer\nX-Foo: c\nAuthorization: Digest username=\"alice\", realm=\"r\", nonce=\"n\"\nContent-Type: text/plain\nContent-Length: 14\n\nline1\nline2\n]",
			"---",
			"ERROR: i2 rc=1 [OPTIONS sip:carol@chicago.example.com SIP/2.0\nX-Case: cNNNN\nVia: SIP/2.0/UDP 127.0.0.1:{CPORT};branch=z9hG4bKtx1\nMax-Forwards: 70\nTo: <sip:carol@chicago.example.com>\nFrom: Alice <sip:alice@atlanta.example.com>;tag=tx1\nCall-ID: tx1@atlanta.example.com\nCSeq: 1 OPTIONS\nX-Op: i2\nSupported: path, 100rel\nX-Foo: a;p=1,new, b;q=2\nSupported: timer\nX-Foo: c\nAuthorization: Digest username=\"alice\", realm=\"r\", nonce=\"n\"\nContent-Type: text/plain\nContent-Length: 14\n\nline1\nline2\n]",
			"---",
			"ERROR: i3 rc=1 [OPTIONS sip:carol@chicago.example.com SIP/2.0\nX-Case: cNNNN\nVia: SIP/2.0/UDP 127.0.0.1:{CPORT};branch=z9hG4bKtx1\nMax-Forwards: 70\nTo: <sip:carol@chicago.example.com>\nFrom: Alice <sip:alice@atlanta.example.com>;tag=tx1\nCall-ID: tx1@atlanta.example.com\nCSeq: 1 OPTIONS\nX-Op: i3\nSupported: path, 100rel\nX-Foo: a;p=1, b;q=2\nSupported: timer\nX-Foo: c\nAuthorization: Digest username=\"alice\", realm=\"r\", nonce=\"n\"\nContent-Type: text/plain\nContent-Length: 14\nX-Bar: new\n\nline1\nline2\n]",
			"---",
			"ERROR: i4 rc=1 [OPTIONS sip:carol@chicago.example.com SIP/2.0\nX-Case: cNNNN\nVia: SIP/2.0/UDP 127.0.0.1:{CPORT};branch=z9hG4bKtx1\nMax-Forwards: 70\nTo: <sip:carol@chicago.example.com>\nFrom: Alice <sip:alice@atlanta.example.com>;tag=tx1\nCall-ID: tx1@atlanta.example.com\nCSeq: 1 OPTIONS\nX-Op: i4\nSupported: path, 100rel\nX-Foo: a;p=1, b;q=2\nSupported: timer\nX-Foo: new,c\nAuthorization: Digest username=\"alice\", realm=\"r\", nonce=\"n\"\nContent-Type: text/plain\nContent-Length: 14\n\nline1\nline2\n]",
			"---",
			"ERROR: r1 rc=1 [OPTIONS sip:carol@chicago.example.com SIP/2.0\nX-Case: cNNNN\nVia: SIP/2.0/UDP 127.0.0.1:{CPORT};branch=z9hG4bKtx1\nMax-Forwards: 70\nTo: <sip:carol@chicago.example.com>\nFrom: Alice <sip:alice@atlanta.example.com>;tag=tx1\nCall-ID: tx1@atlanta.example.com\nCSeq: 1 OPTIONS\nX-Op: r1\nSupported: path, 100rel\nX-Foo:  b;q=2\nSupported: timer\nX-Foo: c\nAuthorization: Digest username=\"alice\", realm=\"r\", nonce=\"n\"\nContent-Type: text/plain\nContent-Length: 14\n\nline1\nline2\n]",
			"---",
			"ERROR: r2 rc=1 [OPTIONS sip:carol@chicago.example.com SIP/2.0\nX-Case: cNNNN\nVia: SIP/2.0/UDP 127.0.0.1:{CPORT};branch=z9hG4bKtx1\nMax-Forwards: 70\nTo: <sip:carol@chicago.example.com>\nFrom: Alice <sip:alice@atlanta.example.com>;tag=tx1\nCall-ID: tx1@atlanta.example.com\nCSeq: 1 OPTIONS\nX-Op: r2\nSupported: path, 100rel\nSupported: timer\nAuthorization: Digest username=\"alice\", realm=\"r\", nonce=\"n\"\nContent-Type: text/plain\nContent-Length: 14\n\nline1\nline2\n]",
			"---",
			"ERROR: r3 rc=1 [OPTIONS sip:carol@chicago.example.com SIP/2.0\nX-Case: cNNNN\nVia: SIP/2.0/UDP 127.0.0.1:{CPORT};branch=z9hG4bKtx1\nMax-Forwards: 70\nTo: <sip:carol@chicago.example.com>\nFrom: Alice <sip:alice@atlanta.example.com>;tag=tx1\nCall-ID: tx1@atlanta.example.com\nCSeq: 1 OPTIONS\nX-Op: r3\nSupported: path, 100rel\nX-Foo: a;p=1, b;q=2\nSupported: timer\nAuthorization: Digest username=\"alice\", realm=\"r\", nonce=\"n\"\nContent-Type: text/plain\nContent-Length: 14\n\nline1\nline2\n]",
			"---",
			"ERROR: r4 rc=1 [OPTIONS sip:carol@chicago.example.com SIP/2.0\nX-Case: cNNNN\nVia: SIP/2.0/UDP 127.0.0.1:{CPORT};branch=z9hG4bKtx1\nMax-Forwards: 70\nTo: <sip:carol@chicago.example.com>\nFrom: Alice <sip:alice@atlanta.example.com>;tag=tx1\nCall-ID: tx1@atlanta.example.com\nCSeq: 1 OPTIONS\nX-Op: r4\nSupported: path, 100rel\nX-Foo: a, b;q=2\nSupported: timer\nX-Foo: c\nAuthorization: Digest username=\"alice\", realm=\"r\", nonce=\"n\"\nContent-Type: text/plain\nContent-Length: 14\n\nline1\nline2\n]",
			"---",
			"ERROR: r5 rc=1 [OPTIONS sip:carol@chicago.example.com SIP/2.0\nX-Case: cNNNN\nVia: SIP/2.0/UDP 127.0.0.1:{CPORT};branch=z9hG4bKtx1\nMax-Forwards: 70\nTo: <sip:carol@chicago.example.com>\nFrom: Alice <sip:alice@atlanta.example.com>;tag=tx1\nCall-ID: tx1@atlanta.example.com\nCSeq: 1 OPTIONS\nX-Op: r5\nSupported: path, 100rel\nX-Foo: a;p=1, b\nSupported: timer\nX-Foo: c\nAuthorization: Digest username=\"alice\", realm=\"r\", nonce=\"n\"\nContent-Type: text/plain\nContent-Length: 14\n\nline1\nline2\n]",
			"---",
			"ERROR: r6 rc=1 [OPTIONS sip:carol@chicago.example.com SIP/2.0\nX-Case: cNNNN\nVia: SIP/2.0/UDP 127.0.0.1:{CPORT};branch=z9hG4bKtx1\nMax-Forwards: 70\nTo: <sip:carol@chicago.example.com>\nFrom: Alice <sip:alice@atlanta.example.com>;tag=tx1\nCall-ID: tx1@atlanta.example.com\nCSeq: 1 OPTIONS\nX-Op: r6\nSupported: path, 100rel\nX-Foo: a;p=1\nSupported: timer\nX-Foo: c\nAuthorization: Digest username=\"alice\", realm=\"r\", nonce=\"n\"\nContent-Type: text/plain\nContent-Length: 14\n\nline1\nline2\n]",
			"---",
			"ERROR: r7 rc=1 [OPTIONS sip:carol@chicago.example.com SIP/2.0\nX-Case: cNNNN\nVia: SIP/2.0/UDP 127.0.0.1:{CPORT};branch=z9hG4bKtx1\nMax-Forwards: 70\nTo: <sip:carol@chicago.example.com>\nFrom: Alice <sip:alice@atlanta.example.com>;tag=tx1\nCall-ID: tx1@atlanta.example.com\nCSeq: 1 OPTIONS\nX-Op: r7\nSupported: path, 100rel\nSupported: timer\nX-Foo: c\nAuthorization: Digest username=\"alice\", realm=\"r\", nonce=\"n\"\nContent-Type: text/plain\nContent-Length: 14\n\nline1\nline2\n]",
			"---",
			"ERROR: r8 rc=1 [OPTIONS sip:carol@chicago.example.com SIP/2.0\nX-Case: cNNNN\nVia: SIP/2.0/UDP 127.0.0.1:{CPORT};branch=z9hG4bKtx1\nMax-Forwards: 70\nTo: <sip:carol@chicago.example.com>\nFrom: Alice <sip:alice@atlanta.example.com>;tag=tx1\nCall-ID: tx1@atlanta.example.com\nCSeq: 1 OPTIONS\nX-Op: r8\nSupported: path, 100rel\nX-Foo: a;p=1, b;q=2\nSupported: timer\nX-Foo: c\nAuthorization: Digest username=\"alice\", nonce=\"n\"\nContent-Type: text/plain\nContent-Length: 14\n\nline1\nline2\n]",
			"---",
			"ERROR: r9 rc=1 [OPTIONS sip:carol@chicago.example.com SIP/2.0\nX-Case: cNNNN\nVia: SIP/2.0/UDP 127.0.0.1:{CPORT};branch=z9hG4bKtx1\nMax-Forwards: 70\nTo: <sip:carol@chicago.example.com>\nFrom: Alice <sip:alice@atlanta.example.com>;tag=tx1\nCall-ID: tx1@atlanta.example.com\nCSeq: 1 OPTIONS\nX-Op: r9\nSupported: path, 100rel\nSupported: timer\nAuthorization: Digest username=\"alice\", realm=\"r\", nonce=\"n\"\nContent-Type: text/plain\nContent-Length: 14\n\nline1\nline2\n]",
			"---",
			"ERROR: r10 rc=-1 [OPTIONS sip:carol@chicago.example.com SIP/2.0\nX-Case: cNNNN\nVia: SIP/2.0/UDP 127.0.0.1:{CPORT};branch=z9hG4bKtx1\nMax-Forwards: 70\nTo: <sip:carol@chicago.example.com>\nFrom: Alice <sip:alice@atlanta.example.com>;tag=tx1\nCall-ID: tx1@atlanta.example.com\nCSeq: 1 OPTIONS\nX-Op: r10\nSupported: path, 100rel\nX-Foo: a;p=1, b;q=2\nSupported: timer\nX-Foo: c\nAuthorization: Digest username=\"alice\", realm=\"r\", nonce=\"n\"\nContent-Type: text/plain\nContent-Length: 14\n\nline1\nline2\n]",
			"---",
			"ERROR: r11 rc=1 [OPTIONS sip:carol@chicago.example.com SIP/2.0\nX-Case: cNNNN\nVia: SIP/2.0/UDP 127.0.0.1:{CPORT};branch=z9hG4bKtx1\nMax-Forwards: 70\nTo: <sip:carol@chicago.example.com>\nFrom: Alice <sip:alice@atlanta.example.com>;tag=tx1\nCall-ID: tx1@atlanta.example.com\nCSeq: 1 OPTIONS\nX-Op: r11\nSupported: path, 100rel\nX-Foo: a;p=1, b;q=2\nSupported: timer\nAuthorization: Digest username=\"alice\", realm=\"r\", nonce=\"n\"\nContent-Type: text/plain\nContent-Length: 14\n\nline1\nline2\n]",
			"---",
			"ERROR: s1 rc=1 [OPTIONS sip:carol@chicago.example.com SIP/2.0\nX-Case: cNNNN\nVia: SIP/2.0/UDP 127.0.0.1:{CPORT};branch=z9hG4bKtx1\nMax-Forwards: 70\nTo: <sip:carol@chicago.example.com>\nFrom: Alice <sip:alice@atlanta.example.com>;tag=tx1\nCall-ID: tx1@atlanta.example.com\nCSeq: 1 OPTIONS\nX-Op: s1\nSupported: path, 100rel\nX-Foo: new, b;q=2\nSupported: timer\nX-Foo: c\nAuthorization: Digest username=\"alice\", realm=\"r\", nonce=\"n\"\nContent-Type: text/plain\nContent-Length: 14\n\nline1\nline2\n]",
			"---",
			"ERROR: s2 rc=1 [OPTIONS sip:carol@chicago.example.com SIP/2.0\nX-Case: cNNNN\nVia: SIP/2.0/UDP 127.0.0.1:{CPORT};branch=z9hG4bKtx1\nMax-Forwards: 70\nTo: <sip:carol@chicago.example.com>\nFrom: Alice <sip:alice@atlanta.example.com>;tag=tx1\nCall-ID: tx1@atlanta.example.com\nCSeq: 1 OPTIONS\nX-Op: s2\nSupported: path, 100rel\nX-Foo: a;p=1, b;q=2\nSupported: timer\nX-Foo: new\nAuthorization: Digest username=\"alice\", realm=\"r\", nonce=\"n\"\nContent-Type: text/plain\nContent-Length: 14\n\nline1\nline2\n]",
			"---",
			"ERROR: s3 rc=1 [OPTIONS sip:carol@chicago.example.com SIP/2.0\nX-Case: cNNNN\nVia: SIP/2.0/UDP 127.0.0.1:{CPORT};branch=z9hG4bKtx1\nMax-Forwards: 70\nTo: <sip:carol@chicago.example.com>\nFrom: Alice <sip:alice@atlanta.example.com>;tag=tx1\nCall-ID: tx1@atlanta.example.com\nCSeq: 1 OPTIONS\nX-Op: s3\nSupported: path, 100rel\nX-Foo: a;p=9, b;q=2\nSupported: timer\nX-Foo: c\nAuthorization: Digest username=\"alice\", realm=\"r\", nonce=\"n\"\nContent-Type: text/plain\nContent-Length: 14\n\nline1\nline2\n]",
			"---",
			"ERROR: s4 rc=1 [OPTIONS sip:carol@chicago.example.com SIP/2.0\nX-Case: cNNNN\nVia: SIP/2.0/UDP 127.0.0.1:{CPORT};branch=z9hG4bKtx1\nMax-Forwards: 70\nTo: <sip:carol@chicago.example.com>\nFrom: Alice <sip:alice@atlanta.example.com>;tag=tx1\nCall-ID: tx1@atlanta.example.com\nCSeq: 1 OPTIONS\nX-Op: s4\nSupported: path, 100rel\nX-Foo: a;p=1;z=9, b;q=2\nSupported: timer\nX-Foo: c\nAuthorization: Digest username=\"alice\", realm=\"r\", nonce=\"n\"\nContent-Type: text/plain\nContent-Length: 14\n\nline1\nline2\n]",
			"---",
			"ERROR: s6 rc=1 [OPTIONS sip:carol@chicago.example.com SIP/2.0\nX-Case: cNNNN\nVia: SIP/2.0/UDP 127.0.0.1:{CPORT};branch=z9hG4bKtx1\nMax-Forwards: 70\nTo: <sip:carol@chicago.example.com>\nFrom: Alice <sip:alice@atlanta.example.com>;tag=tx1\nCall-ID: tx1@atlanta.example.com\nCSeq: 1 OPTIONS\nX-Op: s6\nSupported: path, 100rel\nX-Foo: a;p=1;q, b;q\nSupported: timer\nX-Foo: c;q\nAuthorization: Digest username=\"alice\", realm=\"r\", nonce=\"n\"\nContent-Type: text/plain\nContent-Length: 14\n\nline1\nline2\n]",
			"---",
			"ERROR: s7 rc=1 [OPTIONS sip:carol@chicago.example.com SIP/2.0\nX-Case: cNNNN\nVia: SIP/2.0/UDP 127.0.0.1:{CPORT};branch=z9hG4bKtx1\nMax-Forwards: 70\nTo: <sip:carol@chicago.example.com>\nFrom: Alice <sip:alice@atlanta.example.com>;tag=tx1\nCall-ID: tx1@atlanta.example.com\nCSeq: 1 OPTIONS\nX-Op: s7\nSupported: path, 100rel\nX-Foo: a;p=1, b;q=2\nSupported: timer\nX-Foo: c\nAuthorization: Digest username=\"alice\", realm=\"x\", nonce=\"n\"\nContent-Type: text/plain\nContent-Length: 14\n\nline1\nline2\n]",
			"---",
			"ERROR: s8 rc=1 [OPTIONS sip:carol@chicago.example.com SIP/2.0\nX-Case: cNNNN\nVia: SIP/2.0/UDP 127.0.0.1:{CPORT};branch=z9hG4bKtx1\nMax-Forwards: 70\nTo: <sip:carol@chicago.example.com>\nFrom: Alice <sip:alice@atlanta.example.com>;tag=tx1\nCall-ID: tx1@atlanta.example.com\nCSeq: 1 OPTIONS\nX-Op: s8\nSupported: path, 100rel\nX-Foo: a;p=1, b;q=2\nSupported: timer\nX-Foo: gogo\nAuthorization: Digest username=\"alice\", realm=\"r\", nonce=\"n\"\nContent-Type: text/plain\nContent-Length: 14\n\nline1\nline2\n]",
			"---",
			"ERROR: s9 rc=-1 [OPTIONS sip:carol@chicago.example.com SIP/2.0\nX-Case: cNNNN\nVia: SIP/2.0/UDP 127.0.0.1:{CPORT};branch=z9hG4bKtx1\nMax-Forwards: 70\nTo: <sip:carol@chicago.example.com>\nFrom: Alice <sip:alice@atlanta.example.com>;tag=tx1\nCall-ID: tx1@atlanta.example.com\nCSeq: 1 OPTIONS\nX-Op: s9\nSupported: path, 100rel\nX-Foo: a;p=1, b;q=2\nSupported: timer\nX-Foo: c\nAuthorization: Digest username=\"alice\", realm=\"r\", nonce=\"n\"\nContent-Type: text/plain\nContent-Length: 14\n\nline1\nline2\n]",
			"---",
			"ERROR: s10 rc=1 [OPTIONS sip:carol@chicago.example.com SIP/2.0\nX-Case: cNNNN\nVia: SIP/2.0/UDP 127.0.0.1:{CPORT};branch=z9hG4bKtx1\nMax-Forwards: 70\nTo: <sip:carol@chicago.example.com>\nFrom: Alice <sip:alice@atlanta.example.com>;tag=tx1\nCall-ID: tx1@atlanta.example.com\nCSeq: 1 OPTIONS\nX-Op: s10\nSupported: path, 100rel\nX-Foo: a;p=1, b;q=2\nSupported: timer\nX-Foo: c\nAuthorization: Digest username=\"alice\", realm=\"r\", nonce=\"n\",opaque=o\nContent-Type: text/plain\nContent-Length: 14\n\nline1\nline2\n]",
			"---",
			"ERROR: s11 rc=1 [OPTIONS sip:carol@chicago.example.com SIP/2.0\nX-Case: cNNNN\nVia: SIP/2.0/UDP 127.0.0.1:{CPORT};branch=z9hG4bKtx1\nMax-Forwards: 70\nTo: <sip:carol@chicago.example.com>\nFrom: Alice <sip:alice@atlanta.example.com>;tag=tx1\nCall-ID: tx1@atlanta.example.com\nCSeq: 1 OPTIONS\nX-Op: s11\nSupported: path, 100rel\nX-Foo: a;p=1, b;q=2;p=7\nSupported: timer\nX-Foo: c\nAuthorization: Digest username=\"alice\", realm=\"r\", nonce=\"n\"\nContent-Type: text/plain\nContent-Length: 14\n\nline1\nline2\n]",
			"---",
			"ERROR: n1 rc=1 [OPTIONS sip:carol@chicago.example.com SIP/2.0\nX-Case: cNNNN\nVia: SIP/2.0/UDP 127.0.0.1:{CPORT};branch=z9hG4bKtx1\nMax-Forwards: 70\nTo: <sip:carol@chicago.example.com>\nFrom: Alice <sip:alice@atlanta.example.com>;tag=tx1\nCall-ID: tx1@atlanta.example.com\nCSeq: 1 OPTIONS\nX-Op: n1\nSupported: path, 100rel\nX-Foo: a;p=1, b;q=2\nSupported: timer\nX-Foo: c\nAuthorization: Digest username=\"alice\", realm=\"r\", nonce=\"n\"\nContent-Type: text/plain\nContent-Length: 14\n\nline1\nline2\n]",
			"---",
			"ERROR: n2 rc=1 [OPTIONS sip:carol@chicago.example.com SIP/2.0\nX-Case: cNNNN\nVia: SIP/2.0/UDP 127.0.0.1:{CPORT};branch=z9hG4bKtx1\nMax-Forwards: 70\nTo: <sip:carol@chicago.example.com>\nFrom: Alice <sip:alice@atlanta.example.com>;tag=tx1\nCall-ID: tx1@atlanta.example.com\nCSeq: 1 OPTIONS\nX-Op: n2\nSupported: path, 100rel,gruu\nX-Foo: a;p=1, b;q=2\nSupported: timer\nX-Foo: c\nAuthorization: Digest username=\"alice\", realm=\"r\", nonce=\"n\"\nContent-Type: text/plain\nContent-Length: 14\n\nline1\nline2\n]",
			"---",
			"ERROR: n3 rc=1 [OPTIONS sip:carol@chicago.example.com SIP/2.0\nX-Case: cNNNN\nVia: SIP/2.0/UDP 127.0.0.1:{CPORT};branch=z9hG4bKtx1\nMax-Forwards: 70\nTo: <sip:carol@chicago.example.com>\nFrom: Alice <sip:alice@atlanta.example.com>;tag=tx1\nCall-ID: tx1@atlanta.example.com\nCSeq: 1 OPTIONS\nX-Op: n3\nSupported: path, 100rel\nX-Foo: a;p=1, b;q=2\nSupported: timer\nX-Foo: c\nAuthorization: Digest username=\"alice\", realm=\"r\", nonce=\"n\"\nContent-Type: text/plain\nContent-Length: 14\nX-Bar: v\n\nline1\nline2\n]",
			"---",
			"ERROR: e1 rc=1 [OPTIONS sip:carol@chicago.example.com SIP/2.0\nX-Case: cNNNN\nVia: SIP/2.0/UDP 127.0.0.1:{CPORT};branch=z9hG4bKtx1\nMax-Forwards: 70\nTo: <sip:carol@chicago.example.com>\nFrom: Alice <sip:alice@atlanta.example.com>;tag=tx1\nCall-ID: tx1@atlanta.example.com\nCSeq: 1 OPTIONS\nX-Op: e1\nSupported: path\nX-Foo: a;p=1, b;q=2\nSupported: timer\nX-Foo: c\nAuthorization: Digest username=\"alice\", realm=\"r\", nonce=\"n\"\nContent-Type: text/plain\nContent-Length: 14\n\nline1\nline2\n]",
			"---",
			"ERROR: e2 rc=1 [OPTIONS sip:carol@chicago.example.com SIP/2.0\nX-Case: cNNNN\nVia: SIP/2.0/UDP 127.0.0.1:{CPORT};branch=z9hG4bKtx1\nMax-Forwards: 70\nTo: <sip:carol@chicago.example.com>\nFrom: Alice <sip:alice@atlanta.example.com>;tag=tx1\nCall-ID: tx1@atlanta.example.com\nCSeq: 1 OPTIONS\nX-Op: e2\nSupported: path, 100rel\nX-Foo: a;p=1, b;q=2\nX-Foo: c\nAuthorization: Digest username=\"alice\", realm=\"r\", nonce=\"n\"\nContent-Type: text/plain\nContent-Length: 14\n\nline1\nline2\n]",
			"---",
			"ERROR: e3 rc=1 [OPTIONS sip:carol@chicago.example.com SIP/2.0\nX-Case: cNNNN\nVia: SIP/2.0/UDP 127.0.0.1:{CPORT};branch=z9hG4bKtx1\nMax-Forwards: 70\nTo: <sip:carol@chicago.example.com>\nFrom: Alice <sip:alice@atlanta.example.com>;tag=tx1\nCall-ID: tx1@atlanta.example.com\nCSeq: 1 OPTIONS\nX-Op: e3\nSupported: path, 100rel\nX-Foo: a;p=1, b;q=2\nSupported: timer\nX-Foo: c\nAuthorization: Digest username=\"alice\", realm=\"r\", nonce=\"n\"\nContent-Type: text/plain\nContent-Length: 14\n\nline1\nline2\n]",
			"---",
			"ERROR: e4 rc=1 [OPTIONS sip:carol@chicago.example.com SIP/2.0\nX-Case: cNNNN\nVia: SIP/2.0/UDP 127.0.0.1:{CPORT};branch=z9hG4bKtx1\nMax-Forwards: 70\nTo: <sip:carol@chicago.example.com>\nFrom: Alice <sip:alice@atlanta.example.com>;tag=tx1\nCall-ID: tx1@atlanta.example.com\nCSeq: 1 OPTIONS\nX-Op: e4\nSupported:  100rel\nX-Foo: a;p=1, b;q=2\nSupported: timer\nX-Foo: c\nAuthorization: Digest username=\"alice\", realm=\"r\", nonce=\"n\"\nContent-Type: text/plain\nContent-Length: 14\n\nline1\nline2\n]",
			"---",
			"ERROR: x1 rc=1 [OPTIONS sip:carol@chicago.example.com SIP/2.0\nX-Case: cNNNN\nVia: SIP/2.0/UDP 127.0.0.1:{CPORT};branch=z9hG4bKtx1\nMax-Forwards: 70\nTo: <sip:carol@chicago.example.com>\nFrom: Alice <sip:alice@atlanta.example.com>;tag=tx1\nCall-ID: tx1@atlanta.example.com\nCSeq: 1 OPTIONS\nX-Op: x1\nSupported: path, 100rel\nX-Foo: a;p=1, b;q=2\nSupported: timer\nX-Foo: c\nAuthorization: Digest username=\"alice\", realm=\"r\", nonce=\"n\"\nContent-Type: text/plain\nContent-Length: 14\n\nline1\nline2\n]",
			"---",
			"ERROR: x2 rc=1 [OPTIONS sip:carol@chicago.example.com SIP/2.0\nX-Case: cNNNN\nVia: SIP/2.0/UDP 127.0.0.1:{CPORT};branch=z9hG4bKtx1\nMax-Forwards: 70\nTo: <sip:carol@chicago.example.com>\nFrom: Alice <sip:alice@atlanta.example.com>;tag=tx1\nCall-ID: tx1@atlanta.example.com\nCSeq: 1 OPTIONS\nX-Op: x2\nSupported: path, 100rel\nX-Foo: a;p=1, b;q=2\nSupported: timer\nX-Foo: c\nAuthorization: Digest username=\"alice\", realm=\"r\", nonce=\"n\"\nContent-Type: text/plain\nContent-Length: 14\n\nline1\nline2\n]",
			"---",
			"ERROR: x3 rc=-1 [OPTIONS sip:carol@chicago.example.com SIP/2.0\nX-Case: cNNNN\nVia: SIP/2.0/UDP 127.0.0.1:{CPORT};branch=z9hG4bKtx1\nMax-Forwards: 70\nTo: <sip:carol@chicago.example.com>\nFrom: Alice <sip:alice@atlanta.example.com>;tag=tx1\nCall-ID: tx1@atlanta.example.com\nCSeq: 1 OPTIONS\nX-Op: x3\nSupported: path, 100rel\nX-Foo: a;p=1, b;q=2\nSupported: timer\nX-Foo: c\nAuthorization: Digest username=\"alice\", realm=\"r\", nonce=\"n\"\nContent-Type: text/plain\nContent-Length: 14\n\nline1\nline2\n]",
			"---",
			"ERROR: x4 rc=-1 [OPTIONS sip:carol@chicago.example.com SIP/2.0\nX-Case: cNNNN\nVia: SIP/2.0/UDP 127.0.0.1:{CPORT};branch=z9hG4bKtx1\nMax-Forwards: 70\nTo: <sip:carol@chicago.example.com>\nFrom: Alice <sip:alice@atlanta.example.com>;tag=tx1\nCall-ID: tx1@atlanta.example.com\nCSeq: 1 OPTIONS\nX-Op: x4\nSupported: path, 100rel\nX-Foo: a;p=1, b;q=2\nSupported: timer\nX-Foo: c\nAuthorization: Digest username=\"alice\", realm=\"r\", nonce=\"n\"\nContent-Type: text/plain\nContent-Length: 14\n\nline1\nline2\n]",
			"---",
			"ERROR: x5 rc=1 [OPTIONS sip:carol@chicago.example.com SIP/2.0\nX-Case: cNNNN\nVia: SIP/2.0/UDP 127.0.0.1:{CPORT};branch=z9hG4bKtx1\nMax-Forwards: 70\nTo: <sip:carol@chicago.example.com>\nFrom: Alice <sip:alice@atlanta.example.com>;tag=tx1\nCall-ID: tx1@atlanta.example.com\nCSeq: 1 OPTIONS\nX-Op: x5\nSupported: path, 100rel\nX-Foo: a;p=1, b;q=2\nSupported: timer\nX-Foo: c\nAuthorization: Digest username=\"alice\", realm=\"r\", nonce=\"n\"\nContent-Type: text/plain\nContent-Length: 14\n\nline1\nline2\n]",
			"---",
			"ERROR: x6 rc=-1 [OPTIONS sip:carol@chicago.example.com SIP/2.0\nX-Case: cNNNN\nVia: SIP/2.0/UDP 127.0.0.1:{CPORT};branch=z9hG4bKtx1\nMax-Forwards: 70\nTo: <sip:carol@chicago.example.com>\nFrom: Alice <sip:alice@atlanta.example.com>;tag=tx1\nCall-ID: tx1@atlanta.example.com\nCSeq: 1 OPTIONS\nX-Op: x6\nSupported: path, 100rel\nX-Foo: a;p=1, b;q=2\nSupported: timer\nX-Foo: c\nAuthorization: Digest username=\"alice\", realm=\"r\", nonce=\"n\"\nContent-Type: text/plain\nContent-Length: 14\n\nline1\nline2\n]",
		},
		TopLevel: true,
		Extra:    txLoad,
		Route: `
	switch($hdr(X-Op)) {
	case "a1": append_hf_value("X-Foo", "new"); break;
	case "a2": append_hf_value("X-Foo[1]", "new"); break;
	case "a3": append_hf_value("X-Foo[-1]", "new"); break;
	case "a4": append_hf_value("X-Bar[-1]", "new"); break;
	case "a5": append_hf_value("X-Foo[2]", "v;m=$rm"); break;
	case "a6": append_hf_value("X-Foo[9]", "new"); break;
	case "i1": insert_hf_value("X-Foo", "new"); break;
	case "i2": insert_hf_value("X-Foo[2]", "new"); break;
	case "i3": insert_hf_value("X-Bar[1]", "new"); break;
	case "i4": insert_hf_value("X-Foo[-1]", "new"); break;
	case "r1": remove_hf_value("X-Foo"); break;
	case "r2": remove_hf_value("X-Foo[*]"); break;
	case "r3": remove_hf_value("X-Foo[-1]"); break;
	case "r4": remove_hf_value("X-Foo.p"); break;
	case "r5": remove_hf_value("X-Foo[*].q"); break;
	case "r6": remove_hf_value("X-Foo[2]"); break;
	case "r7": remove_hf_value2("X-Foo"); break;
	case "r8": remove_hf_value2("Authorization.realm"); break;
	case "r9": remove_hf_value2("X-Foo[*]"); break;
	case "r10": remove_hf_value("X-Bar"); break;
	case "r11": remove_hf_value2("X-Foo[-1]"); break;
	case "s1": assign_hf_value("X-Foo", "new"); break;
	case "s2": assign_hf_value("X-Foo[-1]", "new"); break;
	case "s3": assign_hf_value("X-Foo.p", "9"); break;
	case "s4": assign_hf_value("X-Foo.z", "9"); break;
	case "s6": assign_hf_value("X-Foo[*].q", ""); break;
	case "s7": assign_hf_value2("Authorization.realm", "\"x\""); break;
	case "s8": assign_hf_value2("X-Foo[-1]", "gogo"); break;
	case "s9": assign_hf_value("X-Bar", "x"); break;
	case "s10": assign_hf_value2("Authorization.opaque", "o"); break;
	case "s11": assign_hf_value("X-Foo[2].p", "7"); break;
	case "n1": include_hf_value("Supported", "path"); break;
	case "n2": include_hf_value("Supported", "gruu"); break;
	case "n3": include_hf_value("X-Bar", "v"); break;
	case "e1": exclude_hf_value("Supported", "100rel"); break;
	case "e2": exclude_hf_value("Supported", "timer"); break;
	case "e3": exclude_hf_value("Supported", "nope"); break;
	case "e4": exclude_hf_value("Supported", "path"); break;
	case "x1": hf_value_exists("Supported", "timer"); break;
	case "x2": hf_value_exists("supported", "PATH"); break;
	case "x3": hf_value_exists("Supported", "nope"); break;
	case "x4": hf_value_exists("X-Bar", "a"); break;
	case "x5": hf_value_exists("X-Foo", "a;p=1"); break;
	case "x6": hf_value_exists("X_Foo", "c"); break;
	}` + txShow,
		Msgs: txOps("a1", "a2", "a3", "a4", "a5", "a6", "i1", "i2", "i3", "i4",
			"r1", "r2", "r3", "r4", "r5", "r6", "r7", "r8", "r9", "r10", "r11",
			"s1", "s2", "s3", "s4", "s6", "s7", "s8", "s9", "s10", "s11",
			"n1", "n2", "n3", "e1", "e2", "e3", "e4", "x1", "x2", "x3", "x4", "x5", "x6"),
	},
	{
		Name: "textopsx_misc",
		Want: []string{
			"ERROR: <null> rc=-1 [OPTIONS sip:carol@chicago.example.com SIP/2.0\nVia: SIP/2.0/UDP 127.0.0.1:{CPORT};branch=z9hG4bKtx1\nMax-Forwards: 70\nTo: <sip:carol@chicago.example.com>\nFrom: Alice <sip:alice@atlanta.example.com>;tag=tx1\nCall-ID: tx1@atlanta.example.com\nCSeq: 1 OPTIONS\nX-Foo: a;p=1, b;q=2\nX-Foo: c\nContent-Type: text/plain\nContent-Length: 14\n\nline1\nline2\n]",
			"---",
			"ERROR: <null> rc=-1 [OPTIONS sip:carol@chicago.example.com SIP/2.0\nVia: SIP/2.0/UDP 127.0.0.1:{CPORT};branch=z9hG4bKtx1\nMax-Forwards: 70\nTo: <sip:carol@chicago.example.com>\nFrom: Alice <sip:alice@atlanta.example.com>;tag=tx1\nCall-ID: tx1@atlanta.example.com\nCSeq: 1 OPTIONS\nSupported: path, 100rel\nSupported: timer\nContent-Type: text/plain\nContent-Length: 14\n\nline1\nline2\n]",
			"---",
			"ERROR: b1 rc=1 [OPTIONS sip:carol@chicago.example.com SIP/2.0\nX-Case: cNNNN\nVia: SIP/2.0/UDP 127.0.0.1:{CPORT};branch=z9hG4bKtx1\nMax-Forwards: 70\nTo: <sip:carol@chicago.example.com>\nFrom: Alice <sip:alice@atlanta.example.com>;tag=tx1\nCall-ID: tx1@atlanta.example.com\nCSeq: 1 OPTIONS\nX-Op: b1\nSupported: path, 100rel\nX-Foo: a;p=1, b;q=2\nSupported: timer\nX-Foo: c\nAuthorization: Digest username=\"alice\", realm=\"r\", nonce=\"n\"\nContent-Type: text/plain\nContent-Length: 0\n\n]",
			"---",
			"ERROR: m1 rc=-1 [OPTIONS sip:carol@chicago.example.com SIP/2.0\nX-Case: cNNNN\nVia: SIP/2.0/UDP 127.0.0.1:{CPORT};branch=z9hG4bKtx1\nMax-Forwards: 70\nTo: <sip:carol@chicago.example.com>\nFrom: Alice <sip:alice@atlanta.example.com>;tag=tx1\nCall-ID: tx1@atlanta.example.com\nCSeq: 1 OPTIONS\nX-Op: m1\nSupported: path, 100rel\nX-Foo: a;p=1, b;q=2\nSupported: timer\nX-Foo: c\nAuthorization: Digest username=\"alice\", realm=\"r\", nonce=\"n\"\nContent-Type: text/plain\nContent-Length: 14\nX-New: 1\n\nline1\nline2\n]",
			"---",
			"ERROR: ru=sip:dave@d.example.com ou=sip:dave@d.example.com rU=dave",
			"ERROR: m2 rc=1 [OPTIONS sip:dave@d.example.com SIP/2.0\nX-Case: cNNNN\nVia: SIP/2.0/UDP 127.0.0.1:{CPORT};branch=z9hG4bKtx1\nMax-Forwards: 70\nTo: <sip:carol@chicago.example.com>\nFrom: Alice <sip:alice@atlanta.example.com>;tag=tx1\nCall-ID: tx1@atlanta.example.com\nCSeq: 1 OPTIONS\nX-Op: m2\nSupported: path, 100rel\nX-Foo: a;p=1, b;q=2\nSupported: timer\nX-Foo: c\nAuthorization: Digest username=\"alice\", realm=\"r\", nonce=\"n\"\nContent-Type: text/plain\nContent-Length: 14\n\nline1\nline2\n]",
			"---",
			"ERROR: cnt=0 new=2 ml=460",
			"ERROR: m3 rc=1 [OPTIONS sip:carol@chicago.example.com SIP/2.0\nX-Case: cNNNN\nVia: SIP/2.0/UDP 127.0.0.1:{CPORT};branch=z9hG4bKtx1\nMax-Forwards: 70\nTo: <sip:carol@chicago.example.com>\nFrom: Alice <sip:alice@atlanta.example.com>;tag=tx1\nCall-ID: tx1@atlanta.example.com\nCSeq: 1 OPTIONS\nX-Op: m3\nSupported: path, 100rel\nSupported: timer\nAuthorization: Digest username=\"alice\", realm=\"r\", nonce=\"n\"\nContent-Type: text/plain\nContent-Length: 14\nX-New: 2\n\nline1\nline2\n]",
			"---",
			"ERROR: f1 yes",
			"ERROR: f4 yes",
			"ERROR: f6 yes",
			"ERROR: f7 yes",
			"ERROR: f9 yes",
			"ERROR: f10 yes",
			"ERROR: f11 yes",
			"ERROR: f13 yes",
			"ERROR: f1 rc=-1 [OPTIONS sip:carol@chicago.example.com SIP/2.0\nX-Case: cNNNN\nVia: SIP/2.0/UDP 127.0.0.1:{CPORT};branch=z9hG4bKtx1\nMax-Forwards: 70\nTo: <sip:carol@chicago.example.com>\nFrom: Alice <sip:alice@atlanta.example.com>;tag=tx1\nCall-ID: tx1@atlanta.example.com\nCSeq: 1 OPTIONS\nX-Op: f1\nSupported: path, 100rel\nX-Foo: a;p=1, b;q=2\nSupported: timer\nX-Foo: c\nAuthorization: Digest username=\"alice\", realm=\"r\", nonce=\"n\"\nContent-Type: text/plain\nContent-Length: 14\n\nline1\nline2\n]",
		},
		TopLevel: true,
		Extra:    txLoad,
		Route: `
	switch($hdr(X-Op)) {
	case "k2": keep_hf("X-F.*"); break;
	case "k3": keep_hf("^sup"); break;
	case "b1": remove_body(); break;
	case "m1":
		append_hf("X-New: 1\r\n");
		if (is_present_hf("X-New")) { xlog("before: present\n"); }
		break;
	case "m2":
		$ru = "sip:dave@d.example.com";
		msg_apply_changes();
		xlog("ru=$ru ou=$ou rU=$rU\n");
		break;
	case "m3":
		remove_hf("X-Foo");
		append_hf("X-New: 2\r\n");
		msg_apply_changes();
		xlog("cnt=$hdrc(X-Foo) new=$hdr(X-New) ml=$ml\n");
		break;
	case "f1":
		if (fnmatch("$rU", "car*")) { xlog("f1 yes\n"); }
		if (fnmatch("CAROL", "car*")) { xlog("f2 yes\n"); }
		if (fnmatch("CAROL", "car*", "i")) { xlog("f3 yes\n"); }
		if (fnmatch("abc", "a?c")) { xlog("f4 yes\n"); }
		if (fnmatch("abc", "[!a]bc")) { xlog("f5 yes\n"); }
		if (fnmatch("xbc", "[!a]bc")) { xlog("f6 yes\n"); }
		if (fnmatch("a*c", "a\\*c")) { xlog("f7 yes\n"); }
		if (fnmatch("abc", "a\\*c")) { xlog("f8 yes\n"); }
		if (fnmatch("a/b", "a*")) { xlog("f9 yes\n"); }
		if (fnmatch("", "*")) { xlog("f10 yes\n"); }
		if (fnmatch("b", "[a-c]")) { xlog("f11 yes\n"); }
		if (fnmatch("carol", "CAR*", "i")) { xlog("f12 yes\n"); }
		if (fnmatch("carol", "car*", "i")) { xlog("f13 yes\n"); }
		if (fnmatch("CAROL", "car*", "I")) { xlog("f14 yes\n"); }
		if (fnmatch("CAROL", "car*", "x")) { xlog("f15 yes\n"); }
		break;
	}` + txShow,
		Msgs: txOps("k2", "k3", "b1", "m1", "m2", "m3", "f1"),
	},
	{
		Name: "textopsx_iterators",
		Want: []string{
			"ERROR: hdr[Via] is: [SIP/2.0/UDP 127.0.0.1:{CPORT};branch=z9hG4bKtx1]",
			"ERROR: hdr[Max-Forwards] is: [70]",
			"ERROR: hdr[To] is: [<sip:carol@chicago.example.com>]",
			"ERROR: hdr[From] is: [Alice <sip:alice@atlanta.example.com>;tag=tx1]",
			"ERROR: hdr[Call-ID] is: [tx1@atlanta.example.com]",
			"ERROR: hdr[CSeq] is: [1 OPTIONS]",
			"ERROR: hdr[X-Op] is: [h1]",
			"ERROR: hdr[Supported] is: [path, 100rel]",
			"ERROR: hdr[X-Foo] is: [a;p=1, b;q=2]",
			"ERROR: hdr[Supported] is: [timer]",
			"ERROR: hdr[X-Foo] is: [c]",
			"ERROR: hdr[Authorization] is: [Digest username=\"alice\", realm=\"r\", nonce=\"n\"]",
			"ERROR: hdr[Content-Type] is: [text/plain]",
			"ERROR: hdr[Content-Length] is: [14]",
			"ERROR: after end: [<null>]",
			"ERROR: h1 rc=1 [OPTIONS sip:carol@chicago.example.com SIP/2.0\nX-Case: cNNNN\nVia: SIP/2.0/UDP 127.0.0.1:{CPORT};branch=z9hG4bKtx1\nMax-Forwards: 70\nTo: <sip:carol@chicago.example.com>\nFrom: Alice <sip:alice@atlanta.example.com>;tag=tx1\nCall-ID: tx1@atlanta.example.com\nCSeq: 1 OPTIONS\nX-Op: h1\nSupported: path, 100rel\nX-Foo: a;p=1, b;q=2\nSupported: timer\nX-Foo: c\nAuthorization: Digest username=\"alice\", realm=\"r\", nonce=\"n\"\nContent-Type: text/plain\nContent-Length: 14\n\nline1\nline2\n]",
			"---",
			"ERROR: fourth: To",
			"ERROR: prev: Max-Forwards",
			"ERROR: next: To",
			"ERROR: prev at start: <null>",
			"ERROR: prev of first: [<null>]",
			"ERROR: h2 rc=1 [OPTIONS sip:carol@chicago.example.com SIP/2.0\nX-Case: cNNNN\nVia: SIP/2.0/UDP 127.0.0.1:{CPORT};branch=z9hG4bKtx1\nMax-Forwards: 70\nTo: <sip:carol@chicago.example.com>\nFrom: Alice <sip:alice@atlanta.example.com>;tag=tx1\nCall-ID: tx1@atlanta.example.com\nCSeq: 1 OPTIONS\nX-Op: h2\nSupported: path, 100rel\nX-Foo: a;p=1, b;q=2\nSupported: timer\nX-Foo: c\nAuthorization: Digest username=\"alice\", realm=\"r\", nonce=\"n\"\nContent-Type: text/plain\nContent-Length: 14\n\nline1\nline2\n]",
			"---",
			"ERROR: h3 rc=1 [OPTIONS sip:carol@chicago.example.com SIP/2.0\nX-Case: cNNNN\nVia: SIP/2.0/UDP 127.0.0.1:{CPORT};branch=z9hG4bKtx1\nMax-Forwards: 70\nTo: <sip:carol@chicago.example.com>\nFrom: Alice <sip:alice@atlanta.example.com>;tag=tx1\nCall-ID: tx1@atlanta.example.com\nX-Before: 1\nCSeq: 1 OPTIONS\nX-Op: h3\nSupported: path, 100rel\nX-After: path, 100rel\nSupported: timer\nX-After: timer\nAuthorization: Digest username=\"alice\", realm=\"r\", nonce=\"n\"\nContent-Type: text/plain\nContent-Length: 14\n\nline1\nline2\n]",
			"---",
			"ERROR: next failed rc=-1",
			"ERROR: a=Via b=X-Case n=<null>",
			"ERROR: h4 rc=1 [OPTIONS sip:carol@chicago.example.com SIP/2.0\nX-Case: cNNNN\nVia: SIP/2.0/UDP 127.0.0.1:{CPORT};branch=z9hG4bKtx1\nMax-Forwards: 70\nTo: <sip:carol@chicago.example.com>\nFrom: Alice <sip:alice@atlanta.example.com>;tag=tx1\nCall-ID: tx1@atlanta.example.com\nCSeq: 1 OPTIONS\nX-Op: h4\nSupported: path, 100rel\nX-Foo: a;p=1, b;q=2\nSupported: timer\nX-Foo: c\nAuthorization: Digest username=\"alice\", realm=\"r\", nonce=\"n\"\nContent-Type: text/plain\nContent-Length: 14\n\nline1\nline2\n]",
			"---",
			"ERROR: line: [line1\n]",
			"ERROR: line: [line2\n]",
			"ERROR: l1 rc=1 [OPTIONS sip:carol@chicago.example.com SIP/2.0\nX-Case: cNNNN\nVia: SIP/2.0/UDP 127.0.0.1:{CPORT};branch=z9hG4bKtx1\nMax-Forwards: 70\nTo: <sip:carol@chicago.example.com>\nFrom: Alice <sip:alice@atlanta.example.com>;tag=tx1\nCall-ID: tx1@atlanta.example.com\nCSeq: 1 OPTIONS\nX-Op: l1\nSupported: path, 100rel\nX-Foo: a;p=1, b;q=2\nSupported: timer\nX-Foo: c\nAuthorization: Digest username=\"alice\", realm=\"r\", nonce=\"n\"\nContent-Type: text/plain\nContent-Length: 14\n\nline1\nline2\n]",
			"---",
			"ERROR: l2 rc=1 [OPTIONS sip:carol@chicago.example.com SIP/2.0\nX-Case: cNNNN\nVia: SIP/2.0/UDP 127.0.0.1:{CPORT};branch=z9hG4bKtx1\nMax-Forwards: 70\nTo: <sip:carol@chicago.example.com>\nFrom: Alice <sip:alice@atlanta.example.com>;tag=tx1\nCall-ID: tx1@atlanta.example.com\nCSeq: 1 OPTIONS\nX-Op: l2\nSupported: path, 100rel\nX-Foo: a;p=1, b;q=2\nSupported: timer\nX-Foo: c\nAuthorization: Digest username=\"alice\", realm=\"r\", nonce=\"n\"\nContent-Type: text/plain\nContent-Length: 24\n\nbefore1\nline1\nafter1\n]",
		},
		TopLevel: true,
		Extra:    txLoad,
		Route: `
	switch($hdr(X-Op)) {
	case "h1":
		hf_iterator_start("i1");
		while (hf_iterator_next("i1")) {
			if ($hfitname(i1) != "X-Case") { xlog("hdr[$hfitname(i1)] is: [$hfitbody(i1)]\n"); }
		}
		hf_iterator_end("i1");
		xlog("after end: [$hfitname(i1)]\n");
		break;
	case "h2":
		hf_iterator_start("i1");
		hf_iterator_next("i1");
		hf_iterator_next("i1");
		hf_iterator_next("i1");
		hf_iterator_next("i1");
		xlog("fourth: $hfitname(i1)\n");
		if (hf_iterator_prev("i1")) { xlog("prev: $hfitname(i1)\n"); }
		if (hf_iterator_next("i1")) { xlog("next: $hfitname(i1)\n"); }
		hf_iterator_start("i2");
		if (hf_iterator_prev("i2")) { xlog("prev at start: $hfitname(i2)\n"); } else { xlog("no prev at start\n"); }
		hf_iterator_next("i2");
		if (hf_iterator_prev("i2")) { xlog("prev of first: [$hfitname(i2)]\n"); } else { xlog("no prev of first\n"); }
		break;
	case "h3":
		hf_iterator_start("i1");
		while (hf_iterator_next("i1")) {
			if ($hfitname(i1) == "X-Foo") { hf_iterator_rm("i1"); }
			if ($hfitname(i1) == "Supported") { hf_iterator_append("i1", "X-After: $hfitbody(i1)\r\n"); }
			if ($hfitname(i1) == "CSeq") { hf_iterator_insert("i1", "X-Before: 1\r\n"); }
		}
		hf_iterator_end("i1");
		break;
	case "h4":
		if (hf_iterator_next("nope")) { xlog("next on unstarted\n"); } else { xlog("next failed rc=$rc\n"); }
		hf_iterator_start("a"); hf_iterator_start("b");
		hf_iterator_next("a"); hf_iterator_next("a"); hf_iterator_next("b");
		xlog("a=$hfitname(a) b=$hfitname(b) n=$hfitname(nope)\n");
		break;
	case "l1":
		bl_iterator_start("b1");
		while (bl_iterator_next("b1")) {
			xlog("line: [$blitval(b1)]\n");
		}
		bl_iterator_end("b1");
		break;
	case "l2":
		bl_iterator_start("b1");
		while (bl_iterator_next("b1")) {
			if ($blitval(b1) =~ "^line1") { bl_iterator_append("b1", "after1\r\n"); bl_iterator_insert("b1", "before1\r\n"); }
			if ($blitval(b1) =~ "^line2") { bl_iterator_rm("b1"); }
		}
		bl_iterator_end("b1");
		break;
	}` + txShow,
		Msgs: txOps("h1", "h2", "h3", "h4", "l1", "l2"),
	},
}
