//go:build unix

package daemon

import (
	"testing"
	"time"

	"github.com/kamgo/kamgo/tests/sipclient/sipp"
)

// TestSIPpStatelessLoad sends 10,000 OPTIONS at 2,000/s from SIPp over one
// UDP socket to a daemon that answers 200 statelessly; every one must get
// its 200 (SIPp exits 0 only when every call succeeded). About 5 s.
func TestSIPpStatelessLoad(t *testing.T) {
	binary, err := sipp.Lookup()
	if err != nil {
		t.Skip(err) // `make test` installs sipp; a bare `go test` may not have it
	}
	d := startDaemon(t, config{noTCP: true, script: statelessScript})
	const calls = 10000
	res, err := sipp.Run(t.Context(), sipp.Load{
		Binary:  binary,
		Server:  d.udpAddr(),
		Calls:   calls,
		Rate:    2000,
		Timeout: 15 * time.Second,
		Dir:     t.TempDir(),
	})
	if err != nil {
		t.Fatalf("%v\ndaemon output:\n%s", err, tail(d.output(), 4096))
	}
	if res.ExitCode != 0 || res.Successful != calls || res.Failed != 0 {
		t.Errorf("SIPp: exit %d, %d created, %d successful, %d failed, %d retransmissions; want all %d successful\nerrors:\n%s\nscreen:\n%s\ndaemon output:\n%s",
			res.ExitCode, res.Created, res.Successful, res.Failed, res.Retransmissions, calls, res.Errors, res.Output, tail(d.output(), 4096))
	}
	t.Logf("%d OPTIONS in %v, %d retransmissions", res.Successful, res.Elapsed.Round(time.Millisecond), res.Retransmissions)
	d.alive(t)
	d.stop(t)
}

// tail returns the last n bytes of s.
func tail(s string, n int) string {
	if len(s) > n {
		return "…" + s[len(s)-n:]
	}
	return s
}
