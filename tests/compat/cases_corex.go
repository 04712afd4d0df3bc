package compat

// corexCases pin down the corex module: append_branch in its three forms,
// the extended and internal flags, the sockets, file_read/file_write.
var corexCases = []Case{
	{Name: "corex_append_branch_forms", Route: `append_branch(); xlog("L_INFO", "0 rc=$rc n=$branch(count) u=$(branch(uri)[0]) q=$(branch(q)[0])\n");
	$ru = "sip:new@n.example"; append_branch(); xlog("L_INFO", "ru u=$(branch(uri)[1])\n");
	append_branch("sip:b@b.example"); xlog("L_INFO", "1 rc=$rc u=$(branch(uri)[2]) q=$(branch(q)[2])\n");
	append_branch("sip:c@b.example", "0.5"); xlog("L_INFO", "2 rc=$rc u=$(branch(uri)[3]) q=$(branch(q)[3])\n");
	$var(u) = "sip:d@b.example"; append_branch("$var(u)", "1"); xlog("L_INFO", "pv u=$(branch(uri)[4]) q=$(branch(q)[4])\n");
	append_branch($var(u), ".25"); xlog("L_INFO", "q=$(branch(q)[5]) ds=$ds\n");`,
		Want: []string{"0 rc=1 n=1 u=sip:bob@biloxi.example.com;transport=udp q=<null>", "ru u=sip:new@n.example", "1 rc=1 u=sip:b@b.example q=<null>", "2 rc=1 u=sip:c@b.example q=500", "pv u=sip:d@b.example q=1000", "q=250 ds=Contact: <sip:new@n.example>, <sip:bob@biloxi.example.com;transport=udp>, <sip:new@n.example>, <sip:b@b.example>, <sip:c@b.example>;q=0.5, <sip:d@b.example>;q=1, <sip:d@b.example>;q=0.25"}},
	{Name: "corex_append_branch_copies", Route: `$du = "sip:10.0.0.1:5080"; setbflag(3); $fs = "udp:127.0.0.1:" + $Rp;
	append_branch("sip:b@b.example"); xlog("L_INFO", "du=$(branch(dst_uri)[0]) fl=$(branch(flags)[0]) sock=$(branch(send_socket)[0])\n");
	append_branch(); xlog("L_INFO", "du=$(branch(dst_uri)[1]) fl=$(branch(flags)[1])\n");`,
		Want: []string{"du=sip:10.0.0.1:5080 fl=8 sock=udp:127.0.0.1:{SPORT}", "du=sip:10.0.0.1:5080 fl=8"}},
	{Name: "corex_append_branch_bad_q", Route: `append_branch("sip:b@b.example", "abc"); xlog("L_INFO", "abc rc=$rc n=$branch(count)\n");
	append_branch("sip:b@b.example", "2"); xlog("L_INFO", "2 rc=$rc\n");
	append_branch("sip:b@b.example", "0.1234"); xlog("L_INFO", "long rc=$rc\n");
	append_branch("sip:b@b.example", "1.0"); xlog("L_INFO", "1.0 rc=$rc q=$(branch(q)[-1])\n");`,
		Want: []string{"abc rc=-1 n=<null>", "2 rc=-1", "long rc=1", "1.0 rc=1 q=1000"}},
	{Name: "corex_append_branch_max", Route: `$var(@@i) = 0;
	while ($var(@@i) < 13) { append_branch("sip:b$var(@@i)@b.example"); $var(@@r) = $rc; $var(@@i) = $var(@@i) + 1; }
	xlog("L_INFO", "n=$branch(count) last=$var(@@r)\n");`,
		Want: []string{"n=11 last=-1"}},
	{Name: "corex_xflags", Route: `setxflag(40); xlog("L_INFO", "set rc=$rc\n");
	isxflagset(40); xlog("L_INFO", "is rc=$rc\n");
	isxflagset("41"); xlog("L_INFO", "other rc=$rc\n");
	$var(x) = 2; setxflag("$var(x)"); isxflagset($var(x)); xlog("L_INFO", "pv rc=$rc\n");
	resetxflag(40); isxflagset(40); xlog("L_INFO", "reset rc=$rc\n");
	setxflag(64); xlog("L_INFO", "range rc=$rc\n");`,
		Want: []string{"set rc=1", "is rc=1", "other rc=-1", "pv rc=1", "reset rc=-1", "range rc=-1"}},
	{Name: "corex_iflags", Route: `msg_iflag_is_set("UAC_AUTH"); xlog("L_INFO", "before rc=$rc\n");
	msg_iflag_set("UAC_AUTH"); xlog("L_INFO", "set rc=$rc\n");
	msg_iflag_is_set("UAC_AUTH"); xlog("L_INFO", "is rc=$rc\n");
	msg_iflag_is_set("USE_UAC_FROM"); xlog("L_INFO", "other rc=$rc\n");
	msg_iflag_reset("UAC_AUTH"); msg_iflag_is_set("UAC_AUTH"); xlog("L_INFO", "reset rc=$rc\n");
	msg_iflag_set("NO_SUCH"); xlog("L_INFO", "unknown rc=$rc\n");
	msg_iflag_is_set("NO_SUCH"); xlog("L_INFO", "unknown is rc=$rc\n");
	msg_iflag_set("use_uac_to"); xlog("L_INFO", "lower rc=$rc\n");
	msg_iflag_is_set("USE_UAC_TO"); xlog("L_INFO", "lower is rc=$rc\n");
	$var(@@f) = "USE_UAC_FROM"; msg_iflag_set("$var(@@f)"); msg_iflag_is_set($var(@@f)); xlog("L_INFO", "pv is rc=$rc\n");`,
		Want: []string{"before rc=-2", "set rc=1", "is rc=1", "other rc=-2", "reset rc=-2", "unknown rc=1", "unknown is rc=-1", "lower rc=1", "lower is rc=1", "pv is rc=1"}},
	{Name: "corex_file", Route: `file_write("/tmp/kamgo_corex_data_$pp", "from $fU\nline2"); xlog("L_INFO", "write rc=$rc\n");
	file_read("/tmp/kamgo_corex_data_$pp", "$var(@@c)"); xlog("L_INFO", "read rc=$rc c=[$var(@@c)]\n");
	file_read("/nonexistent/kamgo/file", "$var(@@d)"); xlog("L_INFO", "missing rc=$rc\n");`,
		Want: []string{"write rc=1", "read rc=1 c=[from alice\nline2]", "missing rc=-1"}},
	{Name: "corex_is_faked_msg", Route: `is_faked_msg(); xlog("L_INFO", "rc=$rc\n");`,
		Want: []string{"rc=-1"}},
	{Name: "corex_sockets", Route: `set_send_socket("udp:127.0.0.1:$Rp"); xlog("L_INFO", "send rc=$rc fs=$fs\n");
	set_send_socket("udp:10.9.9.9:5060"); xlog("L_INFO", "foreign rc=$rc fs=$fs\n");
	set_recv_socket("udp:127.0.0.1:$Rp"); xlog("L_INFO", "recv rc=$rc Ri=$Ri Rp=$Rp\n");
	set_recv_socket("udp:10.9.9.9:5060"); xlog("L_INFO", "recv foreign rc=$rc\n");
	is_socket_name("nosuch"); xlog("L_INFO", "name rc=$rc\n");`,
		Want: []string{"send rc=1 fs=udp:127.0.0.1:{SPORT}", "foreign rc=1 fs=udp:127.0.0.1:{SPORT}", "recv rc=1 Ri=127.0.0.1 Rp={SPORT}", "recv foreign rc=1", "name rc=-1"}},
	{Name: "corex_set_source_address", Route: `set_source_address("udp:10.1.2.3:5080"); xlog("L_INFO", "rc=$rc si=$si sp=$sp\n");`,
		Want: []string{"rc=1 si=10.1.2.3 sp=5080"}},
}
