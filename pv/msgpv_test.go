package pv

import (
	"net/netip"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kamgo/kamgo/runtime/sip"
)

// The messages of tests/compat (runner.go DefaultInvite and DefaultOptions,
// cases_msg2.go msg2Rich, msg2Multi, msg2Bare), whose values were recorded
// from Kamailio 5.6.3; the runner adds "X-Case: c0001" after the start line.
const (
	msgTestInvite = `INVITE sip:bob@biloxi.example.com;transport=udp SIP/2.0
Via: SIP/2.0/UDP 127.0.0.1:{CPORT};branch=z9hG4bK776asdhds;rport
Via: SIP/2.0/TCP 10.0.0.2:5070;branch=z9hG4bK-second
Via: SIP/2.0/UDP 10.0.0.3;branch=z9hG4bK-third
Max-Forwards: 70
To: Bob <sip:bob@biloxi.example.com>
From: "Alice A" <sip:alice@atlanta.example.com>;tag=1928301774
Call-ID: a84b4c76e66710@pc33.atlanta.example.com
CSeq: 314159 INVITE
Contact: <sip:alice@pc33.atlanta.example.com;transport=udp>
User-Agent: kamgo-compat/1.0
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
	msgTestOptions = `OPTIONS sip:carol@chicago.example.com SIP/2.0
Via: SIP/2.0/UDP 127.0.0.1:{CPORT};branch=z9hG4bKopt1
Max-Forwards: 70
To: <sip:carol@chicago.example.com>
From: Alice <sip:alice@atlanta.example.com>;tag=opt1
Call-ID: opt1@atlanta.example.com
CSeq: 63104 OPTIONS
Content-Length: 0
`
	msgTestRich = `INVITE sip:bob@biloxi.example.com SIP/2.0
Via: SIP/2.0/UDP 127.0.0.1:{CPORT};branch=z9hG4bKrich1;rport;i=abc
Via: SIP/2.0/TCP 10.0.0.2:5070;branch=z9hG4bK-r2;received=192.0.2.9, SIP/2.0/TLS 10.0.0.4;branch=z9hG4bK-r3
Max-Forwards: 70
Route: <sip:p1.example.com;lr>, <sip:p2.example.com;lr>
Record-Route: <sip:rr1.example.com;lr>
To: <sip:bob@biloxi.example.com>;tag=totag1
From: sip:alice@atlanta.example.com;tag=ftag
Call-ID: rich-1@atlanta.example.com
CSeq: 7 INVITE
Contact: "A" <sip:alice@10.0.0.1;transport=tcp>;expires=60, <sip:alice@10.0.0.5>;expires=30
Contact: <sip:alice@10.0.0.6>
Expires: 120
P-Asserted-Identity: "Alice PAI" <sip:+15551234@pai.example.com>, <tel:+15551234>
P-Preferred-Identity: "Alice PPI" <sip:ppi-user@ppi.example.com>
Remote-Party-ID: "Alice RPID" <sip:rpid@rpid.example.com>;party=calling
Refer-To: <sip:carol@refer.example.com?Replaces=x>
Diversion: <sip:div@div.example.com>;reason=unconditional;privacy=off;counter=2
Proxy-Authorization: Digest username="alice@realm.example.com", realm="realm.example.com", nonce="n0nce", uri="sip:bob@biloxi.example.com", response="abcdef", algorithm=MD5, opaque="opq"
Content-Length: 0
`
	msgTestMulti = `OPTIONS sip:carol@chicago.example.com SIP/2.0
Via: SIP/2.0/UDP 127.0.0.1:{CPORT};branch=z9hG4bKm1 , SIP/2.0/TCP 10.0.0.2;branch=z9hG4bKm2
Via: SIP/2.0/UDP 10.0.0.3;branch=z9hG4bKm3
Max-Forwards: 70
To: <sip:carol@chicago.example.com>
From: <sip:alice@atlanta.example.com>;tag=m1
Call-ID: multi-1@atlanta.example.com
CSeq: 1 OPTIONS
Content-Length: 0
`
	msgTestBare = `MESSAGE sip:bob@biloxi.example.com SIP/2.0
Via: SIP/2.0/UDP 127.0.0.1:{CPORT};branch=z9hG4bKbare1
Max-Forwards: 70
To: sip:bob@biloxi.example.com
From: <sip:atlanta.example.com>;tag=b1
Call-ID: bare-1@atlanta.example.com
CSeq: 2 MESSAGE
Expires: 300
P-Asserted-Identity: <tel:+15550000>
P-Preferred-Identity: sip:ppi@ppi.example.com
`
)

// The ports of the test runs: the client's and the server's.
const (
	msgTestCPort = 40123
	msgTestSPort = 5060
)

// msgExpand turns a template into a message as the compat runner sends it:
// ports filled in, the X-Case header added, CRLF line ends and the
// Content-Length of the body.
func msgExpand(tmpl string) []byte {
	s := strings.ReplaceAll(tmpl, "{CPORT}", strconv.Itoa(msgTestCPort))
	first, rest, _ := strings.Cut(s, "\n")
	s = first + "\nX-Case: c0001\n" + rest
	head, body, found := strings.Cut(s, "\n\n")
	if !found {
		head, body = strings.TrimRight(s, "\n"), ""
	}
	body = strings.ReplaceAll(body, "\n", "\r\n")
	head = strings.ReplaceAll(head, "{CL}", strconv.Itoa(len(body)))
	head = strings.ReplaceAll(head, "\n", "\r\n")
	return []byte(head + "\r\n\r\n" + body)
}

// msgEnv is a parsed message in a State, received over UDP on
// 127.0.0.1:5060 from 127.0.0.1:40123.
type msgEnv struct {
	t  testing.TB
	c  *Compiler
	st *State
}

func newMsgEnv(t testing.TB, tmpl string) *msgEnv {
	t.Helper()
	m := &sip.Message{}
	if err := m.Parse(msgExpand(tmpl), sip.Datagram); err != nil {
		t.Fatalf("parse: %v", err)
	}
	st := &State{Msg: m, RURIQ: -1, Recv: RecvInfo{
		Src:   netip.MustParseAddrPort("127.0.0.1:" + strconv.Itoa(msgTestCPort)),
		Dst:   netip.MustParseAddrPort("127.0.0.1:" + strconv.Itoa(msgTestSPort)),
		Proto: ProtoUDP,
	}}
	return &msgEnv{t: t, c: NewCompiler(NewTable()), st: st}
}

func (e *msgEnv) pv(spec string) *PV {
	e.t.Helper()
	s, err := Parse(spec)
	if err != nil {
		e.t.Fatalf("Parse(%q): %v", spec, err)
	}
	p, err := e.c.Compile(s)
	if err != nil {
		e.t.Fatalf("Compile(%q): %v", spec, err)
	}
	return p
}

func (e *msgEnv) get(spec string) Value { return e.pv(spec).Get(e.st) }

// text evaluates a format string, null values printing as "<null>".
func (e *msgEnv) text(format string) string {
	e.t.Helper()
	f, err := e.c.CompileFormat(format)
	if err != nil {
		e.t.Fatalf("CompileFormat(%q): %v", format, err)
	}
	return f.String(e.st)
}

func (e *msgEnv) set(spec string, v Value) error { return e.pv(spec).Set(e.st, v) }

// mustSet assigns and fails the test on an error.
func (e *msgEnv) mustSet(spec string, v Value) {
	e.t.Helper()
	if err := e.set(spec, v); err != nil {
		e.t.Fatalf("%s = %v: %v", spec, v, err)
	}
}

// line returns the first line of the message as it would be sent that
// starts with prefix ($(mbu{line.sw,prefix})).
func (e *msgEnv) line(prefix string) string {
	for _, l := range strings.Split(e.st.Msg.String(), "\r\n") {
		if strings.HasPrefix(l, prefix) {
			return l
		}
	}
	return ""
}

// msgGetCase is one read: a format string and what Kamailio printed.
type msgGetCase struct {
	format, want string
}

func runMsgGets(t *testing.T, tmpl string, cases []msgGetCase) {
	t.Helper()
	for _, tc := range cases {
		e := newMsgEnv(t, tmpl)
		if got := e.text(tc.format); got != tc.want {
			t.Errorf("%s:\n got %q\nwant %q", tc.format, got, tc.want)
		}
	}
}

// cport is the client port as text.
var cport = strconv.Itoa(msgTestCPort)

func TestMsgInvite(t *testing.T) {
	runMsgGets(t, msgTestInvite, []msgGetCase{
		{"ru=$ru", "ru=sip:bob@biloxi.example.com;transport=udp"},
		{"ruri=$ruri", "ruri=sip:bob@biloxi.example.com;transport=udp"},
		{"rU=$rU", "rU=bob"},
		{"rd=$rd", "rd=biloxi.example.com"},
		{"rp=$rp", "rp=5060"},
		{"rz=$rz", "rz=sip"},
		{"rP=$rP", "rP=udp"},
		{"rm=$rm", "rm=INVITE"},
		{"rmid=$rmid", "rmid=1"},
		{"rv=$rv", "rv=SIP/2.0"},
		{"ci=$ci", "ci=a84b4c76e66710@pc33.atlanta.example.com"},
		{"cs=$cs", "cs=314159"},
		{"csb=$csb", "csb=314159 INVITE"},
		{"fu=$fu from=$from", "fu=sip:alice@atlanta.example.com from=sip:alice@atlanta.example.com"},
		{"fU=$fU", "fU=alice"},
		{"fd=$fd", "fd=atlanta.example.com"},
		{"fn=$fn", `fn="Alice A"`},
		{"ft=$ft", "ft=1928301774"},
		{"tu=$tu to=$to", "tu=sip:bob@biloxi.example.com to=sip:bob@biloxi.example.com"},
		{"tU=$tU", "tU=bob"},
		{"td=$td", "td=biloxi.example.com"},
		{"tn=$tn", "tn=Bob"},
		{"tt=$tt", "tt=<null>"},
		{"ua=$ua", "ua=kamgo-compat/1.0"},
		{"ct=$ct", "ct=<sip:alice@pc33.atlanta.example.com;transport=udp>"},
		{"cT=$cT", "cT=application/sdp"},
		{"cl=$cl", "cl=149"},
		{"bs=$bs", "bs=149"},
		{"rb=$rb", "rb=v=0\r\no=alice 2890844526 2890844526 IN IP4 pc33.atlanta.example.com\r\ns=-\r\nc=IN IP4 192.0.2.101\r\nt=0 0\r\nm=audio 49172 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n"},
		{"ml=$ml", "ml=723"},
		{"mt=$mt", "mt=1"},
		{"rs=$rs rr=$rr", "rs=<null> rr=<null>"},
		{"via=$hdr(Via)", "via=SIP/2.0/UDP 127.0.0.1:" + cport + ";branch=z9hG4bK776asdhds;rport"},
		{"via1=$(hdr(Via)[1])", "via1=SIP/2.0/TCP 10.0.0.2:5070;branch=z9hG4bK-second"},
		{"vialast=$(hdr(Via)[-1])", "vialast=SIP/2.0/UDP 10.0.0.3;branch=z9hG4bK-third"},
		{"vias=$(hdr(Via)[*])", "vias=SIP/2.0/UDP 127.0.0.1:" + cport + ";branch=z9hG4bK776asdhds;rport,SIP/2.0/TCP 10.0.0.2:5070;branch=z9hG4bK-second,SIP/2.0/UDP 10.0.0.3;branch=z9hG4bK-third"},
		{"via9=$(hdr(Via)[9])", "via9=<null>"},
		{"h=$(hdr(Via)[-4]) h3=$(hdr(Via)[-3])", "h=<null> h3=SIP/2.0/UDP 127.0.0.1:" + cport + ";branch=z9hG4bK776asdhds;rport"},
		{"n=$hdrc(Via)", "n=3"},
		{"n=$hdrc(X-Nope)", "n=0"},
		{"v=$hdr(v) f=$hdr(f) i=$hdr(i)", "v=SIP/2.0/UDP 127.0.0.1:" + cport + ";branch=z9hG4bK776asdhds;rport f=\"Alice A\" <sip:alice@atlanta.example.com>;tag=1928301774 i=a84b4c76e66710@pc33.atlanta.example.com"},
		{"cid=$hdr(call-id) mf=$hdr(MAX-FORWARDS)", "cid=a84b4c76e66710@pc33.atlanta.example.com mf=70"},
		{"x=$hdr(x-case) n=$hdrc(X-CASE)", "x=c0001 n=1"},
		// Kamailio 5.6: "*" is the first header for $hdr, none for $hdrc.
		{"h=$hdr(*) n=$hdrc(*)", "h=c0001 n=0"},
		{"si=$si sp=$sp", "si=127.0.0.1 sp=" + cport},
		{"Ri=$Ri Rp=$Rp", "Ri=127.0.0.1 Rp=5060"},
		{"RAi=$RAi RAp=$RAp Rn=$Rn", "RAi=127.0.0.1 RAp=5060 Rn=<null>"},
		{"su=$su sut=$sut Ru=$Ru Rut=$Rut", "su=sip:127.0.0.1:" + cport + " sut=sip:127.0.0.1:" + cport + ";transport=udp Ru=sip:127.0.0.1:5060 Rut=sip:127.0.0.1:5060;transport=udp"},
		{"RAu=$RAu RAut=$RAut", "RAu=sip:127.0.0.1:5060 RAut=sip:127.0.0.1:5060;transport=udp"},
		{"proto=$proto pr=$pr", "proto=udp pr=udp"},
		{"conid=$conid sid=$sid", "conid=<null> sid=0"},
		{"af=$af(id) name=$af(name)", "af=2 name=IPv4"},
		{"host=$via0(host) port=$via0(port) branch=$via0(branch) proto=$via0(proto)", "host=127.0.0.1 port=" + cport + " branch=z9hG4bK776asdhds proto=UDP"},
		{"fline=$msg(fline)", "fline=INVITE sip:bob@biloxi.example.com;transport=udp SIP/2.0"},
		{"hdrs_len=$msg(hdrs_len) body_len=$msg(body_len)", "hdrs_len=513 body_len=149"},
		{"du=$du", "du=<null>"},
		{"u=$nh(u) U=$nh(U) d=$nh(d) p=$nh(p) P=$nh(P) i=$nh(i)", "u=sip:bob@biloxi.example.com;transport=udp U=bob d=biloxi.example.com p=5060 P=udp i=0"},
		{"ou=$ou oU=$oU od=$od op=$op oP=$oP ouri=$ouri", "ou=sip:bob@biloxi.example.com;transport=udp oU=bob od=biloxi.example.com op=5060 oP=udp ouri=sip:bob@biloxi.example.com;transport=udp"},
		{"au=$au ar=$ar adu=$adu", "au=<null> ar=<null> adu=<null>"},
		{"ai=$ai pu=$pu re=$re rt=$rt di=$di", "ai=<null> pu=<null> re=<null> rt=<null> di=<null>"},
		{"min=$expires(min) max=$expires(max)", "min=<null> max=<null>"},
		{"fs=$fs fsn=$fsn", "fs=<null> fsn=<null>"},
		{"ds=$ds", "ds=<null>"},
		{"$rcv(buf)|$rcv(srcip)|$rcv(af)", "<null>|<null>|<null>"},
		{"$snd(ip)|$sndto(port)|$sndfrom(sproto)", "<null>|<null>|<null>"},
	})
}

func TestMsgOptions(t *testing.T) {
	runMsgGets(t, msgTestOptions, []msgGetCase{
		{"rm=$rm rmid=$rmid", "rm=OPTIONS rmid=512"},
		{"ua=$ua", "ua=<null>"},
		{"rb=[$rb]", "rb=[]"},
		{"ml=$ml mt=$mt bs=$bs cl=$cl", "ml=301 mt=1 bs=0 cl=0"},
		{"len=$msg(len) hdrc=$msg(hdrc) body_len=$msg(body_len) hdrs_len=$msg(hdrs_len) body=[$msg(body)]", "len=301 hdrc=8 body_len=0 hdrs_len=250 body=[]"},
		{"[$msg(fpart)]", "[OPTIONS sip:carol@chicago.example.com SIP/2.0\r\nX-Case: c0001\r\nVia: SIP/2.0/UDP 127.0.0.1:" + cport + ";branch=z9hG4bKopt1\r\nMax-Forwards: 70\r\nTo: <sip:carol@chicago.example.com>\r\nFrom: Alice <sip:alice@atlanta.example.com>;tag=opt1\r\nCall-ID: opt1@atlanta.example.com\r\nCSeq: 63104 OPTIONS\r\nContent-Length: 0]"},
		{"[$msg(hdrs)]", "[X-Case: c0001\r\nVia: SIP/2.0/UDP 127.0.0.1:" + cport + ";branch=z9hG4bKopt1\r\nMax-Forwards: 70\r\nTo: <sip:carol@chicago.example.com>\r\nFrom: Alice <sip:alice@atlanta.example.com>;tag=opt1\r\nCall-ID: opt1@atlanta.example.com\r\nCSeq: 63104 OPTIONS\r\nContent-Length: 0]"},
	})
}

func TestMsgRich(t *testing.T) {
	runMsgGets(t, msgTestRich, []msgGetCase{
		{"fu=$fu fn=$fn ft=$ft tu=$tu tn=$tn tt=$tt", "fu=sip:alice@atlanta.example.com fn=<null> ft=ftag tu=sip:bob@biloxi.example.com tn=<null> tt=totag1"},
		{"ct=$ct", `ct="A" <sip:alice@10.0.0.1;transport=tcp>;expires=60, <sip:alice@10.0.0.5>;expires=30`},
		{"ai=$ai pu=$pu pU=$pU pd=$pd pn=$pn re=$re rt=$rt", `ai=sip:+15551234@pai.example.com pu=sip:ppi-user@ppi.example.com pU=ppi-user pd=ppi.example.com pn="Alice PPI" re=sip:rpid@rpid.example.com rt=sip:carol@refer.example.com?Replaces=x`},
		{"ai0=$(ai[0]) ai1=$(ai[1]) ai2=$(ai[2])", "ai0=sip:+15551234@pai.example.com ai1=tel:+15551234 ai2=<null>"},
		{"di=$di dir=$dir dip=$dip dic=$dic", "di=sip:div@div.example.com dir=unconditional dip=off dic=2"},
		{"au=$au ad=$ad ar=$ar aU=$aU adu=$adu aa=$aa", "au=alice ad=realm.example.com ar=realm.example.com aU=alice@realm.example.com adu=sip:bob@biloxi.example.com aa=MD5"},
		{"0=$via0(host)|$via0(port)|$via0(proto)|$via0(protoid)|$via0(branch)|$via0(rport)|$via0(received) 1=$via1(host)|$via1(port)|$via1(proto)|$via1(protoid)|$via1(received) Z=$viaZ(host)|$viaZ(port)|$viaZ(proto)|$viaZ(protoid)|$viaZ(branch)",
			"0=127.0.0.1|" + cport + "|UDP|1|z9hG4bKrich1|<null>|<null> 1=10.0.0.2|5070|TCP|2|192.0.2.9 Z=10.0.0.4|5060|TLS|3|z9hG4bK-r3"},
		{"i=$via0(i)", "i=abc"},
		{"v1=$(hfl(Via)[1]) v2=$(hfl(Via)[2]) vl=$(hfl(Via)[-1]) n=$hflc(Via) r=$(hfl(Route)[1]) rn=$hflc(Route) c1=$(hfl(Contact)[1]) cn=$hflc(Contact) x=$hflc(X-Case) xv=$hfl(X-Case)",
			`v1=SIP/2.0/TCP 10.0.0.2:5070;branch=z9hG4bK-r2;received=192.0.2.9, v2=SIP/2.0/TLS 10.0.0.4;branch=z9hG4bK-r3 vl=<null> n=3 r=<sip:p2.example.com;lr> rn=2 c1="A" <sip:alice@10.0.0.1;transport=tcp>;expires=60 cn=3 x=1 xv=c0001`},
		{"all=$(hfl(Via)[*])", "all=SIP/2.0/UDP 127.0.0.1:" + cport + ";branch=z9hG4bKrich1;rport;i=abc,SIP/2.0/TCP 10.0.0.2:5070;branch=z9hG4bK-r2;received=192.0.2.9, SIP/2.0/TLS 10.0.0.4;branch=z9hG4bK-r3"},
		{"vm2=$(hfl(Via)[-2]) vm3=$(hfl(Via)[-3]) vm4=$(hfl(Via)[-4])",
			"vm2=SIP/2.0/TLS 10.0.0.4;branch=z9hG4bK-r3 vm3=SIP/2.0/TCP 10.0.0.2:5070;branch=z9hG4bK-r2;received=192.0.2.9, vm4=SIP/2.0/UDP 127.0.0.1:" + cport + ";branch=z9hG4bKrich1;rport;i=abc"},
		{"r0=$(hfl(Route)[0]) rm1=$(hfl(Route)[-1]) rm2=$(hfl(Route)[-2])", "r0=<sip:p1.example.com;lr> rm1=<null> rm2=<sip:p2.example.com;lr>"},
		{"c0=$(hfl(Contact)[0]) cm1=$(hfl(Contact)[-1]) c2=$(hfl(Contact)[2]) c3=$(hfl(Contact)[3])", "c0=<sip:alice@10.0.0.5>;expires=30 cm1=<null> c2=<sip:alice@10.0.0.6> c3=<null>"},
		{"rr=$hfl(Record-Route) h=$hfl(CSeq) hm=$(hfl(Via)[9])", "rr=<sip:rr1.example.com;lr> h=7 INVITE hm=<null>"},
		{"min=$expires(min) max=$expires(max)", "min=30 max=120"},
	})
}

func TestMsgMultiVia(t *testing.T) {
	runMsgGets(t, msgTestMulti, []msgGetCase{
		{"v0=$(hfl(Via)[0]) v1=$(hfl(Via)[1]) n=$hflc(Via)", "v0=SIP/2.0/UDP 127.0.0.1:" + cport + ";branch=z9hG4bKm1 , v1=SIP/2.0/TCP 10.0.0.2;branch=z9hG4bKm2 n=3"},
	})
}

func TestMsgBare(t *testing.T) {
	runMsgGets(t, msgTestBare, []msgGetCase{
		{"cl=$cl cT=$cT ct=$ct ua=$ua bs=$bs rb=[$rb] tn=$tn fn=$fn", "cl=<null> cT=<null> ct=<null> ua=<null> bs=0 rb=[] tn=<null> fn=<null>"},
		{"fU=$fU fd=$fd tU=$tU", "fU=<null> fd=atlanta.example.com tU=bob"},
		{"min=$expires(min) max=$expires(max)", "min=300 max=300"},
		{"ai=$ai pn=$pn pU=$pU", "ai=tel:+15550000 pn=<null> pU=ppi"},
	})
}

// msgStep is an assignment (spec = v) or, with spec empty, a read of
// format expecting want; wantErr marks an assignment Kamailio refuses.
type msgStep struct {
	spec    string
	v       Value
	wantErr bool
	format  string
	want    string
}

func assign(spec string, v Value) msgStep    { return msgStep{spec: spec, v: v} }
func assignErr(spec string, v Value) msgStep { return msgStep{spec: spec, v: v, wantErr: true} }
func expect(format, want string) msgStep     { return msgStep{format: format, want: want} }

// sent checks a line of the message as it would be sent.
func sent(prefix, want string) msgStep { return msgStep{format: "\x00" + prefix, want: want} }

func TestMsgWrites(t *testing.T) {
	tests := []struct {
		name  string
		tmpl  string
		steps []msgStep
	}{
		{"du_set_and_parts", msgTestInvite, []msgStep{
			assign("$du", Str("sip:10.0.0.9:5080;transport=tcp")),
			expect("du=$du dd=$dd dp=$dp dP=$dP", "du=sip:10.0.0.9:5080;transport=tcp dd=10.0.0.9 dp=5080 dP=tcp"),
			expect("u=$nh(u) U=$nh(U) d=$nh(d) p=$nh(p) P=$nh(P) i=$nh(i)", "u=sip:10.0.0.9:5080;transport=tcp U=<null> d=10.0.0.9 p=5080 P=tcp i=4"),
		}},
		{"du_set_null_resets", msgTestInvite, []msgStep{
			assign("$du", Str("sip:10.0.0.9:5080")), assign("$du", Null()), expect("du=$du", "du=<null>"),
		}},
		{"du_empty_and_int", msgTestInvite, []msgStep{
			assign("$du", Str("")), expect("du=[$du] dd=[$dd]", "du=[<null>] dd=[<null>]"),
			assignErr("$du", Int(5)), expect("du=$du", "du=<null>"),
		}},
		{"du_defaults", msgTestInvite, []msgStep{
			assign("$duri", Str("sip:proxy.example")),
			expect("du=$du dd=$dd dp=$dp dP=$dP duri=$duri", "du=sip:proxy.example dd=proxy.example dp=5060 dP=UDP duri=sip:proxy.example"),
			assign("$du", Str("sips:p.example")), expect("dp=$dp dP=$dP", "dp=5060 dP=UDP"),
			assign("$du", Str("sip:p.example;transport=tls")), expect("dp=$dp dP=$dP np=$nh(p)", "dp=5061 dP=tls np=5060"),
			assign("$du", Str("sip:[2001:db8::9]:5080;transport=tls")), expect("i=$nh(i) d=$nh(d) p=$nh(p) P=$nh(P)", "i=6 d=[2001:db8::9] p=5080 P=tls"),
			assign("$du", Str("garbage")), expect("du=$du dd=$dd", "du=garbage dd=<null>"),
		}},
		{"ru_assign_updates_parts", msgTestInvite, []msgStep{
			assign("$ru", Str("sip:carol@chicago.example.com:5070")),
			expect("ru=$ru rU=$rU rd=$rd rp=$rp", "ru=sip:carol@chicago.example.com:5070 rU=carol rd=chicago.example.com rp=5070"),
			expect("ou=$ou", "ou=sip:bob@biloxi.example.com;transport=udp"),
		}},
		{"rp_sips_defaults_to_5060", msgTestInvite, []msgStep{
			assign("$ru", Str("sips:bob@biloxi.example.com")), expect("rp=$rp", "rp=5060"),
		}},
		{"rp_defaults", msgTestInvite, []msgStep{
			assign("$ru", Str("sip:bob@x.example")), expect("rP=$rP rp=$rp rz=$rz", "rP=UDP rp=5060 rz=sip"),
			assign("$ru", Str("sip:bob@x.example;transport=tls")), expect("rp=$rp rP=$rP", "rp=5061 rP=tls"),
			assign("$ru", Str("sips:u@h.example;transport=TLS")), expect("rp=$rp rP=$rP", "rp=5061 rP=TLS"),
		}},
		{"rz_sips_tel", msgTestInvite, []msgStep{
			assign("$ru", Str("sips:bob@x.example")), expect("a=$rz", "a=sips"),
			assign("$ru", Str("tel:+1234")), expect("b=$rz U=$rU d=[$rd]", "b=tel U=+1234 d=[<null>]"),
			assign("$ru", Str("SIP:u@h.example")), expect("rz=$rz", "rz=sip"),
		}},
		{"uri_shapes", msgTestInvite, []msgStep{
			assign("$ru", Str("sip:a%20b@[2001:db8::1]:5080;lr")), expect("rU=$rU rd=$rd rp=$rp rP=$rP", "rU=a%20b rd=[2001:db8::1] rp=5080 rP=UDP"),
			assign("$ru", Str("sip:host.example")), expect("rU=$rU rd=$rd", "rU=<null> rd=host.example"),
			assign("$ru", Str("sip:h.example:05070")), expect("rp=$rp", "rp=05070"),
		}},
		{"ou_parts", msgTestInvite, []msgStep{
			assign("$ru", Str("sips:carol@c.example:5099;transport=tcp")),
			expect("ou=$ou oU=$oU od=$od op=$op oP=$oP", "ou=sip:bob@biloxi.example.com;transport=udp oU=bob od=biloxi.example.com op=5060 oP=udp"),
		}},
		{"rU_assign", msgTestInvite, []msgStep{
			assign("$rU", Str("carol")), expect("ru=$ru", "ru=sip:carol@biloxi.example.com;transport=udp"),
		}},
		{"rd_assign", msgTestInvite, []msgStep{
			assign("$rd", Str("chicago.example.com")), expect("ru=$ru", "ru=sip:bob@chicago.example.com;transport=udp"),
		}},
		{"rU_null_and_rp", msgTestInvite, []msgStep{
			assign("$rU", Null()), assign("$rp", Int(5080)), expect("ru=$ru", "ru=sip:biloxi.example.com:5080;transport=udp"),
			assign("$rp", Null()), expect("ru=$ru", "ru=sip:biloxi.example.com;transport=udp"),
			assign("$rU", Str("")), assign("$rp", Str("5090")), expect("ru=$ru", "ru=sip:biloxi.example.com:5090;transport=udp"),
		}},
		{"ru_refused", msgTestInvite, []msgStep{
			assignErr("$ru", Null()), assignErr("$rd", Null()), assignErr("$ru", Int(5)), assignErr("$rU", Int(5)),
			expect("ru=$ru", "ru=sip:bob@biloxi.example.com;transport=udp"),
		}},
		{"ds", msgTestInvite, []msgStep{
			expect("ds=$ds", "ds=<null>"),
		}},
		{"fU_assign_not_visible_immediately", msgTestInvite, []msgStep{
			assign("$fU", Str("mallory")), expect("fU=$fU", "fU=alice"),
			sent("From:", `From: "Alice A" <sip:mallory@atlanta.example.com>;tag=1928301774`),
		}},
		{"mbu_after_edits", msgTestInvite, []msgStep{
			assign("$tn", Str("Robert")), assign("$ru", Str("sip:carol@c.example")),
			sent("To:", "To: Robert <sip:bob@biloxi.example.com>"),
			sent("INVITE", "INVITE sip:carol@c.example SIP/2.0"),
		}},
		{"from_edits", msgTestInvite, []msgStep{
			assign("$fu", Str("sip:eve@e.example")), assign("$fn", Str("Eve")),
			sent("From:", "From: Eve <sip:eve@e.example>;tag=1928301774"),
		}},
		{"fn_null", msgTestInvite, []msgStep{
			assign("$fn", Null()), assign("$td", Str("t.example")), assign("$tU", Null()),
			sent("From:", "From: <sip:alice@atlanta.example.com>;tag=1928301774"),
			sent("To:", "To: Bob <sip:t.example>"),
		}},
		{"to_edits", msgTestBare, []msgStep{
			assign("$tu", Str("sip:t@t.example")), assign("$tn", Null()), assign("$fn", Str(`"New Name"`)),
			sent("To:", "To: sip:t@t.example"),
			sent("From:", `From: "New Name" <sip:atlanta.example.com>;tag=b1`),
		}},
		{"fU_insert", msgTestBare, []msgStep{
			assign("$fU", Str("joe")), assign("$tU", Str("ann")),
			sent("To:", "To: sip:ann@biloxi.example.com"),
			sent("From:", "From: <sip:joe@atlanta.example.com>;tag=b1"),
		}},
		{"fs", msgTestInvite, []msgStep{
			assign("$fs", Str("udp:127.0.0.1:5060")), expect("fs=$fs", "fs=udp:127.0.0.1:5060"),
			assign("$fs", Null()), expect("fs=$fs", "fs=<null>"),
			assignErr("$fs", Int(1)),
		}},
		{"read_only", msgTestInvite, []msgStep{
			assignErr("$ft", Str("x")), assignErr("$si", Str("x")), assignErr("$hdr(Via)", Str("x")),
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newMsgEnv(t, tt.tmpl)
			for i, s := range tt.steps {
				switch {
				case s.spec != "":
					err := e.set(s.spec, s.v)
					if (err != nil) != s.wantErr {
						t.Errorf("step %d: %s = %v: error %v, want error %v", i, s.spec, s.v, err, s.wantErr)
					}
				case strings.HasPrefix(s.format, "\x00"):
					if got := e.line(s.format[1:]); got != s.want {
						t.Errorf("step %d: sent %q\n got %q\nwant %q", i, s.format[1:], got, s.want)
					}
				default:
					if got := e.text(s.format); got != s.want {
						t.Errorf("step %d: %s\n got %q\nwant %q", i, s.format, got, s.want)
					}
				}
			}
		})
	}
}

// msgTestReply is a reply to msgTestInvite as a proxy receives it.
const msgTestReply = `SIP/2.0 180 Ringing
Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKproxy
Via: SIP/2.0/TCP 10.0.0.2:5070;branch=z9hG4bK-second;received=198.51.100.4;rport=6000
To: Bob <sip:bob@biloxi.example.com>;tag=b1
From: "Alice A" <sip:alice@atlanta.example.com>;tag=1928301774
Call-ID: a84b4c76e66710@pc33.atlanta.example.com
CSeq: 314159 INVITE
Content-Length: 0
`

// TestMsgReply reads a reply. The compat runner cannot send replies to a
// case, so these values follow Kamailio's code rather than a recording
// ($nh of a reply is where the reply goes: the second Via).
func TestMsgReply(t *testing.T) {
	runMsgGets(t, msgTestReply, []msgGetCase{
		{"rs=$rs rr=$rr mt=$mt", "rs=180 rr=Ringing mt=2"},
		{"rm=$rm rmid=$rmid", "rm=INVITE rmid=1"},
		{"ru=$ru rU=$rU ou=$ou", "ru=<null> rU=<null> ou=<null>"},
		{"u=$nh(u) d=$nh(d) p=$nh(p) P=$nh(P) i=$nh(i) U=$nh(U)", "u=sip:198.51.100.4:6000;transport=tcp d=198.51.100.4 p=6000 P=tcp i=4 U=<null>"},
		{"tt=$tt ft=$ft", "tt=b1 ft=1928301774"},
	})
	e := newMsgEnv(t, msgTestReply)
	if got := e.get("$rs"); got != Int(180) {
		t.Errorf("$rs = %#v, want Int(180)", got)
	}
	if err := e.set("$ru", Str("sip:x@y")); err == nil {
		t.Errorf("$ru = … on a reply: no error")
	}
}

func TestMsgRefusesLineBreaks(t *testing.T) {
	e := newMsgEnv(t, msgTestInvite)
	for _, spec := range []string{"$fn", "$tu", "$fU", "$td"} {
		if err := e.set(spec, Str("x\r\nEvil: 1")); err == nil {
			t.Errorf("%s accepted a line break", spec)
		}
	}
	if e.st.Msg.Edited() {
		t.Errorf("refused values edited the message")
	}
}

func TestMsgMbu(t *testing.T) {
	e := newMsgEnv(t, msgTestInvite)
	if mb, mbu := e.get("$mb"), e.get("$mbu"); mb != mbu {
		t.Errorf("$mbu of an unchanged message differs from $mb")
	}
	e.mustSet("$fU", Str("mallory"))
	if !strings.Contains(e.get("$mbu").S, "From: \"Alice A\" <sip:mallory@atlanta") {
		t.Errorf("$mbu does not show the $fU edit:\n%s", e.get("$mbu").S)
	}
	if e.get("$msg(buf)") != e.get("$mb") {
		t.Errorf("$msg(buf) != $mb")
	}
}

func TestMsgDestSet(t *testing.T) {
	e := newMsgEnv(t, msgTestInvite)
	e.st.Branches = append(e.st.Branches, Branch{URI: "sip:b1@b.example", Q: -1}, Branch{URI: "sip:b2@b.example", Q: 500})
	if got, want := e.text("ds=$ds"), "ds=Contact: <sip:b1@b.example>, <sip:b2@b.example>;q=0.5"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	e = newMsgEnv(t, msgTestInvite)
	e.mustSet("$ru", Str("sip:n@n.example"))
	e.st.Branches = append(e.st.Branches, Branch{URI: "sip:b1@b.example", Q: 250})
	if got, want := e.text("ds=$ds"), "ds=Contact: <sip:n@n.example>, <sip:b1@b.example>;q=0.25"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	for q, want := range map[int]string{0: "0", 1000: "1", 500: "0.5", 125: "0.125", 50: "0.05"} {
		if got := string(appendQ(nil, q)); got != want {
			t.Errorf("appendQ(%d) = %q, want %q", q, got, want)
		}
	}
}

// TestMsgKinds pins which variables are integers: Kamailio's string-typed
// ones ($rp, $rm) concatenate, the integer ones add.
func TestMsgKinds(t *testing.T) {
	e := newMsgEnv(t, msgTestInvite)
	for spec, want := range map[string]Value{
		"$rp":            Str("5060"),
		"$rm":            Str("INVITE"),
		"$cs":            Str("314159"),
		"$sp":            Int(msgTestCPort),
		"$Rp":            Int(msgTestSPort),
		"$cl":            Int(149),
		"$bs":            Int(149),
		"$ml":            Int(723),
		"$mt":            Int(1),
		"$rmid":          Int(1),
		"$af(id)":        Int(2),
		"$hdrc(Via)":     Int(3),
		"$via0(port)":    Int(msgTestCPort),
		"$via0(protoid)": Int(1),
		"$msg(len)":      Int(723),
		"$rs":            Null(),
	} {
		if got := e.get(spec); got != want {
			t.Errorf("%s = %#v, want %#v", spec, got, want)
		}
	}
}

func TestMsgRecvInfo(t *testing.T) {
	e := newMsgEnv(t, msgTestInvite)
	e.st.Recv = RecvInfo{
		Src:        netip.MustParseAddrPort("[fd00::2]:46031"),
		Dst:        netip.MustParseAddrPort("[::1]:5061"),
		Proto:      ProtoTLS,
		ConID:      7,
		SocketName: "tls1",
		AdvHost:    "203.0.113.5",
		AdvPort:    5071,
	}
	// IPv6 forms recorded from Kamailio 5.6.3 listening on [::1] and
	// [fd00::2] (see the report of the pv session): short form, brackets
	// only in URIs.
	for format, want := range map[string]string{
		"si=$si sp=$sp":              "si=fd00::2 sp=46031",
		"Ri=$Ri Rp=$Rp Rn=$Rn":       "Ri=::1 Rp=5061 Rn=tls1",
		"su=$su":                     "su=sip:[fd00::2]:46031;transport=tls",
		"Ru=$Ru":                     "Ru=sip:[::1]:5061;transport=tls",
		"RAi=$RAi RAp=$RAp RAu=$RAu": "RAi=203.0.113.5 RAp=5071 RAu=sip:203.0.113.5:5071;transport=tls",
		"af=$af(id)/$af(name)":       "af=10/IPv6",
		"pr=$pr conid=$conid":        "pr=tls conid=7",
	} {
		if got := e.text(format); got != want {
			t.Errorf("%s: got %q, want %q", format, got, want)
		}
	}
}

func TestMsgDynamicHeaderName(t *testing.T) {
	e := newMsgEnv(t, msgTestInvite)
	name := e.pv("$hdr($env(KAMGO_TEST_HDR))")
	t.Setenv("KAMGO_TEST_HDR", "call-id")
	if got := name.Get(e.st); got.S != "a84b4c76e66710@pc33.atlanta.example.com" {
		t.Errorf("$hdr(dynamic call-id) = %#v", got)
	}
	t.Setenv("KAMGO_TEST_HDR", "x-case")
	if got := e.get("$hdrc($env(KAMGO_TEST_HDR))"); got != Int(1) {
		t.Errorf("$hdrc(dynamic x-case) = %#v", got)
	}
	if got := name.Get(e.st); got.S != "c0001" {
		t.Errorf("$hdr(dynamic x-case) = %#v", got)
	}
}

func TestMsgNoMessage(t *testing.T) {
	e := newMsgEnv(t, msgTestInvite)
	e.st.Msg = nil
	for _, spec := range []string{"$ru", "$rU", "$ou", "$fu", "$fU", "$tn", "$hdr(Via)", "$(hdr(Via)[*])", "$hfl(Via)", "$via0(host)", "$msg(hdrs)", "$ci", "$cs", "$rb", "$mb", "$mbu", "$ai", "$au", "$nh(u)", "$ds", "$expires(min)", "$di", "$rm"} {
		if got := e.get(spec); !got.IsNull() {
			t.Errorf("%s without a message = %#v, want null", spec, got)
		}
	}
	for _, spec := range []string{"$hdrc(Via)", "$hflc(Via)", "$bs", "$ml"} {
		if got := e.get(spec); got != Int(0) {
			t.Errorf("%s without a message = %#v, want 0", spec, got)
		}
	}
	if err := e.set("$ru", Str("sip:x@y")); err == nil {
		t.Errorf("$ru = … without a message: no error")
	}
}

func TestMsgFixupErrors(t *testing.T) {
	c := NewCompiler(NewTable())
	for _, spec := range []string{"$via0(nope)", "$msg(nope)", "$nh(x)", "$expires(avg)", "$rcv(ip)", "$snd(nope)", "$sndto(rport)", "$via1($var(x))", "$af(x)"} {
		s, err := Parse(spec)
		if err != nil {
			t.Fatalf("Parse(%q): %v", spec, err)
		}
		if _, err := c.Compile(s); err == nil {
			t.Errorf("Compile(%q): no error", spec)
		}
	}
}

func TestMsgCompareWithCmp(t *testing.T) {
	e := newMsgEnv(t, msgTestRich)
	got := []Value{e.get("$(ai[1])"), e.get("$(pu[1])"), e.get("$(ai[*])")}
	want := []Value{Str("tel:+15551234"), Null(), Null()}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// TestMsgGetAllocs pins the allocation-free reads.
func TestMsgGetAllocs(t *testing.T) {
	for _, tmpl := range []string{msgTestInvite, msgTestRich} {
		e := newMsgEnv(t, tmpl)
		e.mustSet("$ru", Str("sip:carol@chicago.example.com:5070"))
		e.mustSet("$du", Str("sip:10.0.0.9:5080;transport=tcp"))
		e.st.Arena = make([]byte, 0, 1<<16)
		for _, spec := range []string{
			"$ru", "$rU", "$rd", "$rp", "$rP", "$rz", "$ou", "$oU", "$op", "$du", "$dd", "$dp", "$nh(d)", "$nh(u)",
			"$hdr(Call-ID)", "$(hdr(Via)[-1])", "$(hdr(Via)[*])", "$hdr(X-Case)", "$hdrc(Via)", "$hdrc(X-Case)",
			"$fu", "$fU", "$fd", "$fn", "$ft", "$tu", "$tt", "$si", "$sp", "$Ri", "$su", "$Rut", "$af(name)",
			"$ci", "$cs", "$csb", "$cl", "$ct", "$ua", "$rm", "$rmid", "$mb", "$ml", "$rb", "$bs",
			"$via0(branch)", "$via1(host)", "$viaZ(port)", "$(hfl(Via)[1])", "$(hfl(Contact)[0])", "$hflc(Via)",
			"$msg(hdrs)", "$msg(fpart)", "$au", "$ar", "$ai", "$(ai[1])", "$pU", "$re", "$di", "$dir",
			"$expires(max)", "$mbu", "$ds",
		} {
			p := e.pv(spec)
			p.Get(e.st) // warm the message's caches
			if n := testing.AllocsPerRun(100, func() {
				e.st.Arena = e.st.Arena[:0]
				p.Get(e.st)
			}); n != 0 {
				t.Errorf("%s: %v allocations per read", spec, n)
			}
		}
	}
}

func benchMsgGet(b *testing.B, spec string) {
	e := newMsgEnv(b, msgTestInvite)
	e.st.Arena = make([]byte, 0, 4096)
	p := e.pv(spec)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		e.st.Arena = e.st.Arena[:0]
		p.Get(e.st)
	}
}

func BenchmarkMsgGetRU(b *testing.B)     { benchMsgGet(b, "$ru") }
func BenchmarkMsgGetCallID(b *testing.B) { benchMsgGet(b, "$hdr(Call-ID)") }
func BenchmarkMsgGetFU(b *testing.B)     { benchMsgGet(b, "$fu") }
func BenchmarkMsgGetSI(b *testing.B)     { benchMsgGet(b, "$si") }
func BenchmarkMsgGetRU2(b *testing.B)    { benchMsgGet(b, "$rU") }
