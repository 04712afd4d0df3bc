//go:build unix

package daemon

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kamgo/kamgo/tests/sipclient"
)

// tortureDir holds the RFC 4475 and RFC 5118 messages with their INDEX.tsv.
const tortureDir = "../../runtime/sip/testdata/torture"

// tortureScript answers every request 200 from the script. force_rport()
// sends the reply back to the source address and port whatever the Via
// says: most torture messages carry a sent-by such as 192.0.2.15 or
// host.example.com, which the reply would otherwise go to (RFC 3261
// §18.2.2). The xlog lines tell which route ran for each message.
const tortureScript = `
loadmodule "pv.so"
loadmodule "sl.so"
loadmodule "xlog.so"

request_route {
	xlog("L_INFO", "torture request_route [$rm] [$ci]\n");
	force_rport();
	if (method=="ACK") {
		exit;
	}
	sl_send_reply("200", "OK");
}

reply_route {
	xlog("L_INFO", "torture reply_route [$rs]\n");
}
`

// tortureOutcome is what a torture message must lead to.
type tortureOutcome int

const (
	// answered: the request reaches request_route once and its 200 comes
	// back (valid and valid-but-tricky requests).
	answered tortureOutcome = iota
	// answeredOr400: as answered, or refused with a 4xx before the script
	// (valid-but-tricky requests INDEX.tsv lets a server refuse).
	answeredOr400
	// refused: an invalid request gets an error reply (400-699) or none.
	refused
	// refusedOrLiberal: an invalid request INDEX.tsv lets a liberal server
	// accept: an error reply, none, or the script's 200.
	refusedOrLiberal
	// responseRouted: a well-formed response: nothing comes back (a
	// response is never answered) and reply_route runs.
	responseRouted
	// responseDropped: a response too broken to parse: nothing comes back
	// and no route runs.
	responseDropped
	// responseIgnored: an invalid response that parses: nothing comes back;
	// reply_route may run (Kamailio runs it), so the log is not checked.
	responseIgnored
)

func (o tortureOutcome) String() string {
	return [...]string{"answered", "answered or 400", "refused", "refused (200 tolerated)",
		"reply_route runs, nothing back", "dropped", "nothing back"}[o]
}

// tortureOverride returns the outcome of the files whose outcome is not
// the default for their INDEX.tsv class, quoting the INDEX.tsv text that
// allows it.
func tortureOverride(file string) (tortureOutcome, bool) {
	switch file {
	case "badbranch.dat": // "either reply 400 statelessly or fall back to RFC 2543 matching"
		return answeredOr400, true
	case "ipv6-bug-abnf-3-colons.dat": // "strict stacks reply 400 instead"
		return answeredOr400, true
	case "quotbal.dat", // "inferring the closing quote is allowed but risky"
		"ltgtruri.dat", // "liberal: strip brackets"
		"lwsstart.dat", // "or accept liberally"
		"trws.dat",     // "or accept liberally"
		"escruri.dat",  // "or ignore the URI headers"
		"baddate.dat",  // "accept and ignore Date"
		"regbadct.dat", // "liberal: infer <>"
		"badaspec.dat", // "liberal: ignore the spaces"
		"baddn.dat":    // "if liberal, never forward the broken form"
		return refusedOrLiberal, true
	case "scalarlg.dat": // a response whose CSeq overflows parses up to that header
		return responseIgnored, true
	}
	return 0, false
}

type tortureCase struct {
	set, file string
	class     string // INDEX.tsv "expected": valid, invalid, valid-but-tricky
	outcome   tortureOutcome
	data      []byte
}

// loadTorture reads INDEX.tsv of a torture set and every file it lists.
func loadTorture(t *testing.T, set string) []tortureCase {
	t.Helper()
	index, err := os.ReadFile(filepath.Join(tortureDir, set, "INDEX.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	var cases []tortureCase
	for i, line := range strings.Split(strings.TrimSpace(string(index)), "\n")[1:] {
		cols := strings.Split(line, "\t")
		if len(cols) < 3 {
			t.Fatalf("%s/INDEX.tsv line %d: %d columns", set, i+2, len(cols))
		}
		c := tortureCase{set: set, file: cols[0], class: cols[2]}
		if c.data, err = os.ReadFile(filepath.Join(tortureDir, set, c.file)); err != nil {
			t.Fatal(err)
		}
		response := bytes.HasPrefix(c.data, []byte("SIP/2.0 "))
		switch {
		case response && c.class == "invalid":
			c.outcome = responseDropped
		case response:
			c.outcome = responseRouted
		case c.class == "invalid":
			c.outcome = refused
		case c.class == "valid" || c.class == "valid-but-tricky":
			c.outcome = answered
		default:
			t.Fatalf("%s/INDEX.tsv: %s has class %q", set, c.file, c.class)
		}
		if o, ok := tortureOverride(c.file); ok {
			c.outcome = o
		}
		cases = append(cases, c)
	}
	return cases
}

// TestTortureUDP sends every RFC 4475 and RFC 5118 message as one datagram
// to a daemon whose script answers 200 to every request, and checks the
// outcome INDEX.tsv and shared/reference/reliability.md give (see
// tortureOutcome). After each message a marker OPTIONS goes out; with one
// worker reading the socket in order, every reply before the marker's and
// every log line before the marker's belongs to the message. At the end the
// daemon must still answer and exit 0 on SIGTERM.
func TestTortureUDP(t *testing.T) {
	cases := append(loadTorture(t, "rfc4475"), loadTorture(t, "rfc5118")...)
	if len(cases) != 62 {
		t.Fatalf("%d torture files, want 50 + 12", len(cases))
	}
	d := startDaemon(t, config{children: 1, noTCP: true, script: tortureScript})
	c := d.udpClient(t)
	for n, tc := range cases {
		replies, log, err := sendTorture(d, c, tc.data, n)
		if err != nil {
			t.Fatalf("%s/%s: %v; daemon output:\n%s", tc.set, tc.file, err, d.output())
		}
		t.Logf("%s/%s (%s): replies %v, request_route ran %d, reply_route ran %d", tc.set, tc.file, tc.class,
			statusCodes(replies), strings.Count(log, "torture request_route ["), strings.Count(log, "torture reply_route ["))
		if problem := judgeTorture(tc, replies, log); problem != "" {
			t.Errorf("%s/%s (%s, want %s): %s\nreplies: %q\nlog:\n%s", tc.set, tc.file, tc.class, tc.outcome, problem, replies, log)
		}
	}
	d.alive(t)
	d.stop(t)
}

// sendTorture sends one torture message and the marker OPTIONS number n
// after it, and returns the datagrams that came back before the marker's
// reply and the daemon's output up to the marker's log line.
func sendTorture(d *daemon, c *sipclient.Client, data []byte, n int) (replies [][]byte, log string, err error) {
	before := len(d.output())
	marker := c.NewRequest("OPTIONS")
	marker.CallID = fmt.Sprintf("torture-marker-%d-%s", n, marker.CallID)
	markerReq, err := sipclient.Build(sipclient.RequestTemplate, marker)
	if err != nil {
		return nil, "", err
	}
	if err := c.Send(data); err != nil {
		return nil, "", err
	}
	if err := c.Send(markerReq); err != nil {
		return nil, "", err
	}
	deadline := time.Now().Add(replyTimeout)
	for {
		datagram, _, err := c.ReadDatagram(deadline)
		if err != nil {
			return replies, "", fmt.Errorf("no reply to the marker OPTIONS after the message: %w", err)
		}
		if m, err := sipclient.Parse(datagram); err == nil && m.CallID() == marker.CallID {
			break
		}
		replies = append(replies, datagram)
	}
	markerLine := "torture request_route [OPTIONS] [" + marker.CallID + "]"
	if _, err := d.waitLogErr(markerLine, replyTimeout); err != nil {
		return replies, "", err
	}
	out := d.output()[before:]
	return replies, out[:strings.Index(out, markerLine)], nil
}

// judgeTorture returns what is wrong with the replies and log a torture
// message produced, or "".
func judgeTorture(tc tortureCase, replies [][]byte, log string) string {
	codes := statusCodes(replies)
	requestRuns := strings.Count(log, "torture request_route [")
	replyRuns := strings.Count(log, "torture reply_route [")
	switch tc.outcome {
	case answered, answeredOr400:
		if len(codes) == 1 && codes[0] == 200 && requestRuns == 1 {
			return ""
		}
		if tc.outcome == answeredOr400 && len(codes) == 1 && codes[0] >= 400 && codes[0] < 500 && requestRuns == 0 {
			return ""
		}
		return fmt.Sprintf("got replies %v with request_route run %d times, want one 200 from the script", codes, requestRuns)
	case refused, refusedOrLiberal:
		switch {
		case len(codes) == 0:
			return ""
		case len(codes) > 1:
			return fmt.Sprintf("got %d replies %v, want at most one", len(codes), codes)
		case codes[0] >= 400 && codes[0] < 700:
			if requestRuns != 0 {
				return fmt.Sprintf("refused with %d but request_route ran too", codes[0])
			}
			return ""
		case codes[0] == 200 && tc.outcome == refusedOrLiberal && requestRuns == 1:
			return ""
		}
		return fmt.Sprintf("got reply %d (request_route ran %d times), want an error reply or none", codes[0], requestRuns)
	case responseRouted, responseDropped, responseIgnored:
		if len(codes) != 0 {
			return fmt.Sprintf("a response was answered with %v", codes)
		}
		if requestRuns != 0 {
			return "a response ran request_route"
		}
		if tc.outcome == responseRouted && replyRuns != 1 {
			return fmt.Sprintf("reply_route ran %d times, want once", replyRuns)
		}
		if tc.outcome == responseDropped && replyRuns != 0 {
			return "an unparsable response ran reply_route"
		}
		return ""
	}
	return "unknown outcome"
}

func statusCodes(replies [][]byte) []int {
	codes := make([]int, len(replies))
	for i, r := range replies {
		codes[i] = statusCode(r)
	}
	return codes
}

// statusCode returns the status code of a response datagram, or -1 when it
// is not a response.
func statusCode(datagram []byte) int {
	rest, ok := bytes.CutPrefix(datagram, []byte("SIP/2.0 "))
	if !ok || len(rest) < 3 {
		return -1
	}
	n, err := strconv.Atoi(string(rest[:3]))
	if err != nil {
		return -1
	}
	return n
}

// TestTortureTCP sends every valid torture request over its own TCP
// connection, followed by a marker OPTIONS: the request's 200 must come
// back on the connection before the marker's. inv2543.dat has no
// Content-Length, which a stream cannot frame (RFC 3261 §18.3): the
// connection must be closed without a reply. On a stream dblreq.dat's
// trailing INVITE is a message of its own (answered too), and the 5 bytes
// its Content-Length leaves over cannot start a message, so the connection
// may close after the two replies.
func TestTortureTCP(t *testing.T) {
	cases := append(loadTorture(t, "rfc4475"), loadTorture(t, "rfc5118")...)
	d := startDaemon(t, config{script: tortureScript})
	for _, tc := range cases {
		if tc.outcome != answered && tc.outcome != answeredOr400 {
			continue
		}
		c, err := sipclient.DialTCP(d.tcpAddr(), replyTimeout)
		if err != nil {
			t.Fatal(err)
		}
		marker := c.NewRequest("OPTIONS")
		markerReq, err := sipclient.Build(sipclient.RequestTemplate, marker)
		if err != nil {
			t.Fatal(err)
		}
		if err := c.Send(append(append([]byte(nil), tc.data...), markerReq...)); err != nil {
			t.Fatal(err)
		}
		var codes []int
		var readErr error
		deadline := time.Now().Add(replyTimeout)
		for {
			m, _, err := c.Read(deadline)
			if err != nil {
				readErr = err
				break
			}
			if m.CallID() == marker.CallID {
				break
			}
			codes = append(codes, m.StatusCode)
		}
		c.Close()
		t.Logf("%s/%s over TCP: replies %v, end %v", tc.set, tc.file, codes, readErr)
		switch {
		case tc.file == "inv2543.dat":
			if len(codes) != 0 || readErr == nil || sipclient.IsTimeout(readErr) {
				t.Errorf("%s without Content-Length over TCP: replies %v, end of reading %v; want the connection closed, no reply", tc.file, codes, readErr)
			}
		case tc.file == "dblreq.dat":
			if len(codes) == 0 || codes[0] != 200 {
				t.Errorf("%s over TCP: replies %v, want the REGISTER's 200 first", tc.file, codes)
			}
		case readErr != nil:
			t.Errorf("%s/%s over TCP: the marker was not answered: %v (replies before: %v)", tc.set, tc.file, readErr, codes)
		case len(codes) == 0 || codes[0] != 200 && !(tc.outcome == answeredOr400 && codes[0] >= 400 && codes[0] < 500):
			t.Errorf("%s/%s over TCP: replies %v, want its 200 first", tc.set, tc.file, codes)
		case len(codes) > 1:
			t.Errorf("%s/%s over TCP: %d replies %v, want one", tc.set, tc.file, len(codes), codes)
		}
	}
	d.alive(t)
	d.stop(t)
}
