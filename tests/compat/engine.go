// Package compat is the differential runner for kamgo's script semantics.
//
// A Case is a small piece of kamailio.cfg script plus the SIP messages to
// feed it; its Want is what the script printed with xlog, recorded by running
// Kamailio 5.6.3 (the Debian package). The table (Cases) is engine-agnostic:
// RunCases builds the configs, hands them to an Engine, and the test compares
// what the engine's xlog printed with Want.
//
// KamailioEngine runs the real Kamailio; KamgoEngine runs a kamgo server in
// this process. Both start a server on the given script, send the messages
// over UDP and follow the probe protocol below, so the same table runs
// against both unchanged.
//
// # Conventions
//
//   - The runner owns the modules (BaseModules) and, for batched cases, the
//     request_route: it dispatches on the X-Case header to route[cNNNN], whose
//     body is Case.Route. A TopLevel case is the request_route body itself and
//     runs in a config of its own. The dispatch is
//     `switch($hdr(X-Case)) { case "cNNNN": route(cNNNN); exit; ... }`, so a
//     case route starts with $rc 0 and its return value goes nowhere.
//   - In Case.Route and Case.Extra, "@@" is replaced by a prefix unique to the
//     case ("c0042_"), so that helper routes, flags and variables of cases in
//     one config do not collide: write route[@@R] and route(@@R).
//   - Cases of one batch share the worker, so $var and $shv values leak from
//     case to case: a case must not rely on the initial value of a $var that
//     another case sets (use $var(@@name) when in doubt).
//   - Messages are templates (see Expand): "\n" line ends become CRLF,
//     "{CPORT}" is the client's UDP port, "{SPORT}" the server's, and
//     "Content-Length: {CL}" gets the body length. The runner inserts the
//     header "X-Case: cNNNN" after the start line of every message (fixed
//     width, so $ml does not depend on the case number).
//   - End of a message: after each message the engine sends a probe, a SIP
//     reply carrying "X-Seq: N"; the engine's config answers it in
//     reply_route with xlog("L_INFO", "@@END@@ N") (MarkerReplyRoute). The
//     worker handles datagrams in order, so once the marker N is printed,
//     everything the message caused has been printed — even if the script
//     stopped with exit, drop or return 0.
//   - Output lines: an xlog line at L_INFO is its text; at any other level it
//     is "LEVEL: text" (NOTICE, WARNING, ERROR, CRITICAL, ALERT, BUG). A
//     message with embedded newlines stays one line with "\n" inside (a "\r"
//     before a newline is dropped); a missing final newline is not visible.
//     Other log lines the message caused (core warnings and errors) are
//     Diags; a case may require substrings of them (WantDiags).
//   - Run with `go test ./tests/compat/`; COMPAT_ONLY=REGEXP runs some cases,
//     COMPAT_RECORD=FILE writes what they printed (to write new cases: run,
//     check the output makes sense, then copy it into Want), COMPAT_KEEP=DIR
//     keeps the configs.
//   - Want holds the lines of all messages of the case, with a "---" line
//     between messages; "{CPORT}" and "{SPORT}" in Want are expanded too.
package compat

import (
	"context"
	"fmt"
	"strconv"
	"strings"
)

// Engine runs a routing script on a SIP server and reports what its xlog
// calls printed for each message.
type Engine interface {
	// Name is "kamailio" or "kamgo".
	Name() string
	// Run starts a server on the script (module loads, modparams and routes,
	// with no listen or log settings: the engine adds its own, plus
	// MarkerReplyRoute), sends every message template (after Expand) from
	// one UDP socket on 127.0.0.1, one at a time, each followed by a probe,
	// and returns one Output per message. It stops the server before
	// returning. The server's environment has EnvName=EnvValue.
	Run(ctx context.Context, script string, msgs []string) (*Run, error)
}

// Addrs are the UDP endpoints of one run.
type Addrs struct {
	ServerPort int // the port the server listens on (127.0.0.1)
	ClientPort int // the port the messages are sent from (127.0.0.1)
}

// Run is the result of Engine.Run.
type Run struct {
	Addrs   Addrs
	Outputs []Output // one per message
}

// Output is what one message caused.
type Output struct {
	// Lines are the xlog lines in order (see the package doc for the form).
	Lines []string
	// Diags are the other log lines (core or module warnings and errors),
	// "LEVEL: <core> [file:line]: func(): text" for Kamailio.
	Diags []string
}

// EnvName=EnvValue is set in the server's environment (for $env cases).
const (
	EnvName  = "KAMGO_COMPAT_ENV"
	EnvValue = "compat-env-value"
)

// MarkerReplyRoute is the reply_route every engine config ends with: it
// prints the end-of-message marker for a probe reply and drops it.
const MarkerReplyRoute = `reply_route {
	xlog("L_INFO", "@@END@@ $hdr(X-Seq)\n");
	drop;
}
`

// markerPrefix starts the xlog line MarkerReplyRoute prints.
const markerPrefix = "@@END@@ "

// parseMarker returns the sequence number of a marker line.
func parseMarker(text string) (int, bool) {
	rest, ok := strings.CutPrefix(text, markerPrefix)
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(strings.TrimSpace(rest))
	if err != nil {
		return 0, false
	}
	return n, true
}

// Probe is the SIP reply sent after each message; seq comes back in the
// marker line.
func Probe(a Addrs, seq int) []byte {
	return []byte(fmt.Sprintf("SIP/2.0 200 OK\r\n"+
		"Via: SIP/2.0/UDP 127.0.0.1:%d;branch=z9hG4bK-probe-%d\r\n"+
		"From: <sip:probe@127.0.0.1>;tag=p%d\r\n"+
		"To: <sip:probe@127.0.0.1>;tag=q%d\r\n"+
		"Call-ID: probe-%d@compat\r\n"+
		"CSeq: %d OPTIONS\r\n"+
		"X-Seq: %d\r\n"+
		"Content-Length: 0\r\n\r\n", a.ServerPort, seq, seq, seq, seq, seq+1, seq))
}

// Expand turns a message template into the bytes to send: ports are filled
// in, line ends become CRLF and "Content-Length: {CL}" gets the body length.
func Expand(tmpl string, a Addrs) []byte {
	s := expandPorts(tmpl, a)
	s = strings.ReplaceAll(s, "\r\n", "\n")
	head, body, found := strings.Cut(s, "\n\n")
	if !found {
		head, body = strings.TrimRight(s, "\n"), ""
	}
	body = strings.ReplaceAll(body, "\n", "\r\n")
	head = strings.ReplaceAll(head, "{CL}", strconv.Itoa(len(body)))
	head = strings.ReplaceAll(head, "\n", "\r\n")
	return []byte(head + "\r\n\r\n" + body)
}

func expandPorts(s string, a Addrs) string {
	s = strings.ReplaceAll(s, "{CPORT}", strconv.Itoa(a.ClientPort))
	return strings.ReplaceAll(s, "{SPORT}", strconv.Itoa(a.ServerPort))
}
