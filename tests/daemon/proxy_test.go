//go:build unix

package daemon

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kamgo/kamgo/tests/sipclient/sipp"
)

// proxyScript is a stateless loose-routing proxy as users write it with
// the everyday modules: maxfwd and sanity first, in-dialog requests follow
// their Route set, new INVITEs are record-routed and sent to the UAS. The
// BYEs that loose_route let through are logged, so the test can tell that
// they followed the Record-Route.
const proxyScript = `
loadmodule "pv.so"
loadmodule "xlog.so"
loadmodule "sl.so"
loadmodule "maxfwd.so"
loadmodule "sanity.so"
loadmodule "rr.so"
loadmodule "textops.so"
loadmodule "siputils.so"

request_route {
	if (!mf_process_maxfwd_header("10")) {
		sl_send_reply("483", "Too Many Hops");
		exit;
	}
	if (!sanity_check("17895", "7")) {
		exit;
	}
	if (has_totag()) {
		if (loose_route()) {
			if (is_method("BYE")) {
				xlog("L_INFO", "routed BYE $ci to $du$ru\n");
			}
			forward();
			exit;
		}
		if (is_method("ACK")) {
			exit;
		}
		sl_send_reply("404", "Not here");
		exit;
	}
	if (is_method("INVITE")) {
		record_route();
	}
	rewritehostport("127.0.0.1:UASPORT");
	forward();
}
`

// uasScenario answers INVITE with 180 and 200 (echoing the Record-Route
// set, with its own Contact), takes the ACK and answers the BYE.
const uasScenario = `<?xml version="1.0" encoding="ISO-8859-1" ?>
<!DOCTYPE scenario SYSTEM "sipp.dtd">
<scenario name="kamgo proxy test UAS">
  <recv request="INVITE" crlf="true"/>
  <send>
    <![CDATA[

      SIP/2.0 180 Ringing
      [last_Via:]
      [last_From:]
      [last_To:];tag=[pid]SIPpTag01[call_number]
      [last_Call-ID:]
      [last_CSeq:]
      [last_Record-Route:]
      Contact: <sip:uas@[local_ip]:[local_port];transport=[transport]>
      Content-Length: 0

    ]]>
  </send>
  <send retrans="500">
    <![CDATA[

      SIP/2.0 200 OK
      [last_Via:]
      [last_From:]
      [last_To:];tag=[pid]SIPpTag01[call_number]
      [last_Call-ID:]
      [last_CSeq:]
      [last_Record-Route:]
      Contact: <sip:uas@[local_ip]:[local_port];transport=[transport]>
      Content-Length: 0

    ]]>
  </send>
  <recv request="ACK" crlf="true"/>
  <recv request="BYE"/>
  <send>
    <![CDATA[

      SIP/2.0 200 OK
      [last_Via:]
      [last_From:]
      [last_To:]
      [last_Call-ID:]
      [last_CSeq:]
      Content-Length: 0

    ]]>
  </send>
</scenario>
`

// uacScenario sends INVITE to the proxy, learns the route set from the
// 200 (rrs) and sends ACK and BYE to the UAS's Contact with the Route
// header: through the proxy only if the proxy honours the Record-Route.
const uacScenario = `<?xml version="1.0" encoding="ISO-8859-1" ?>
<!DOCTYPE scenario SYSTEM "sipp.dtd">
<scenario name="kamgo proxy test UAC">
  <send retrans="500">
    <![CDATA[

      INVITE sip:[service]@[remote_ip]:[remote_port] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      From: sipp <sip:sipp@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
      To: <sip:[service]@[remote_ip]:[remote_port]>
      Call-ID: [call_id]
      CSeq: 1 INVITE
      Contact: <sip:sipp@[local_ip]:[local_port]>
      Max-Forwards: 70
      Content-Length: 0

    ]]>
  </send>
  <recv response="100" optional="true"/>
  <recv response="180" optional="true"/>
  <recv response="200" rrs="true"/>
  <send>
    <![CDATA[

      ACK [next_url] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      [routes]
      From: sipp <sip:sipp@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
      To: <sip:[service]@[remote_ip]:[remote_port]>[peer_tag_param]
      Call-ID: [call_id]
      CSeq: 1 ACK
      Max-Forwards: 70
      Content-Length: 0

    ]]>
  </send>
  <send retrans="500">
    <![CDATA[

      BYE [next_url] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      [routes]
      From: sipp <sip:sipp@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
      To: <sip:[service]@[remote_ip]:[remote_port]>[peer_tag_param]
      Call-ID: [call_id]
      CSeq: 2 BYE
      Max-Forwards: 70
      Content-Length: 0

    ]]>
  </send>
  <recv response="200"/>
</scenario>
`

// TestSIPpLooseRoutingProxy carries 1,000 SIPp calls (INVITE, 180, 200,
// ACK, BYE, 200) through a stateless record-routing proxy: no call may
// fail, and every BYE must have reached the UAS through the proxy's
// loose_route (the UAC sends it with the Route header it learned).
func TestSIPpLooseRoutingProxy(t *testing.T) {
	binary, err := sipp.Lookup()
	if err != nil {
		t.Skip(err)
	}
	uasPort := freePort(t)
	// One UDP worker: with several, a stateless proxy may relay the 180
	// after the 200 (each reply goes its own way), which SIPp's scenario
	// counts as a failed call.
	d := startDaemon(t, config{noTCP: true, children: 1, script: strings.ReplaceAll(proxyScript, "UASPORT", fmt.Sprint(uasPort))})
	dir := t.TempDir()
	for name, text := range map[string]string{"uas.xml": uasScenario, "uac.xml": uacScenario} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
	defer cancel()
	const calls = 1000
	uas := exec.CommandContext(ctx, binary, "-sf", filepath.Join(dir, "uas.xml"), "-i", "127.0.0.1", "-p", fmt.Sprint(uasPort),
		"-t", "u1", "-nostdin", "-trace_err", "-error_file", filepath.Join(dir, "uas_err.log"))
	uas.Dir = dir
	var uasOut strings.Builder
	uas.Stdout, uas.Stderr = &uasOut, &uasOut
	if err := uas.Start(); err != nil {
		t.Fatalf("sipp UAS: %v", err)
	}
	t.Cleanup(func() {
		_ = uas.Process.Kill()
		_ = uas.Wait()
	})
	// The UAS listens once its port can no longer be bound.
	for start := time.Now(); ; time.Sleep(20 * time.Millisecond) {
		c, err := net.ListenPacket("udp", fmt.Sprintf("127.0.0.1:%d", uasPort))
		if err != nil {
			break
		}
		c.Close()
		if time.Since(start) > 5*time.Second {
			t.Fatalf("sipp UAS did not start:\n%s", uasOut.String())
		}
	}
	uacPort := freePort(t) // not SIPp's default 5060, where stray replies of other tests land
	uac := exec.CommandContext(ctx, binary, d.udpAddr().String(), "-sf", filepath.Join(dir, "uac.xml"), "-i", "127.0.0.1", "-p", fmt.Sprint(uacPort),
		"-t", "u1", "-nostdin", "-m", fmt.Sprint(calls), "-r", "200", "-timeout", "45s", "-timeout_error",
		"-trace_stat", "-stf", filepath.Join(dir, "uac_stat.csv"), "-trace_err", "-error_file", filepath.Join(dir, "uac_err.log"))
	uac.Dir = dir
	out, err := uac.CombinedOutput()
	stat, _ := os.ReadFile(filepath.Join(dir, "uac_stat.csv"))
	stats, _ := sipp.ParseStats(stat)
	errs, _ := os.ReadFile(filepath.Join(dir, "uac_err.log"))
	if err != nil || stats["SuccessfulCall(C)"] != fmt.Sprint(calls) || stats["FailedCall(C)"] != "0" {
		t.Fatalf("SIPp UAC: %v; successful %s, failed %s\nerrors:\n%s\nscreen:\n%s\ndaemon:\n%s",
			err, stats["SuccessfulCall(C)"], stats["FailedCall(C)"], tail(string(errs), 4096), tail(string(out), 4096), tail(d.output(), 4096))
	}
	// Every BYE passed loose_route in the proxy.
	deadline := time.Now().Add(5 * time.Second)
	for {
		n := strings.Count(d.output(), "routed BYE ")
		if n == calls {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d BYEs went through loose_route, want %d", n, calls)
		}
		time.Sleep(50 * time.Millisecond)
	}
	d.stop(t) // (an OPTIONS would be proxied to the finished UAS: stop checks the exit instead)
}
