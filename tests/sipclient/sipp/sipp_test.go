//go:build unix

package sipp

import (
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kamgo/kamgo/tests/sipclient"
)

func TestParseStats(t *testing.T) {
	csv := "StartTime;CurrentTime;TotalCallCreated;SuccessfulCall(C);FailedCall(C);Retransmissions(C);\n" +
		"2026-11-22\t18:54:51.3;2026-11-22\t18:54:52.3;2000;1990;0;3;\n" +
		"2026-11-22\t18:54:51.3;2026-11-22\t18:54:56.3;10000;10000;0;7;\n"
	stats, err := ParseStats([]byte(csv))
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{"TotalCallCreated": "10000", "SuccessfulCall(C)": "10000", "Retransmissions(C)": "7", "CurrentTime": "2026-11-22\t18:54:56.3"} {
		if stats[name] != want {
			t.Errorf("%s = %q, want %q", name, stats[name], want)
		}
	}
	for name, bad := range map[string]string{
		"header only":    "A;B;\n",
		"empty":          "",
		"short last row": "A;B;C;\n1;2;3;\n1;2;\n",
	} {
		if _, err := ParseStats([]byte(bad)); err == nil {
			t.Errorf("ParseStats(%s) succeeded", name)
		}
	}
}

func TestArgs(t *testing.T) {
	l := Load{Server: netip.MustParseAddrPort("127.0.0.1:5070"), Calls: 10000, Rate: 2000, Timeout: 14500 * time.Millisecond, Dir: "/d"}
	args := l.Args()
	joined := strings.Join(args, " ")
	for _, want := range []string{"127.0.0.1:5070 ", "-sf /d/options.xml", "-t u1", "-r 2000", "-m 10000", "-timeout 15s -timeout_error", "-stf /d/stat.csv"} {
		if !strings.Contains(joined, want) {
			t.Errorf("args %q lack %q", joined, want)
		}
	}
	if !slices.Contains(args, "-nostdin") {
		t.Error("SIPp would read the terminal")
	}
}

func TestRunRejectsIncompleteLoad(t *testing.T) {
	if _, err := Run(t.Context(), Load{Calls: 1, Rate: 1}); err == nil {
		t.Error("Run without server, timeout or folder succeeded")
	}
}

// TestRunAgainstFakeUAS runs the scenario against sipclient's fake UAS:
// every OPTIONS answered means every call successful; a UAS that answers
// 404 makes every call fail.
func TestRunAgainstFakeUAS(t *testing.T) {
	binary, err := Lookup()
	if err != nil {
		t.Skip(err)
	}
	for _, tc := range []struct {
		code           int
		wantExit       int
		wantSuccessful int
	}{{200, 0, 200}, {404, 1, 0}} {
		uas, err := sipclient.StartUAS(func(*sipclient.Message) (int, string) { return tc.code, "Answer" })
		if err != nil {
			t.Fatal(err)
		}
		res, err := Run(t.Context(), Load{Binary: binary, Server: uas.Addr(), Calls: 200, Rate: 400, Timeout: 10 * time.Second, Dir: t.TempDir()})
		uas.Close()
		if err != nil {
			t.Fatal(err)
		}
		if res.ExitCode != tc.wantExit || res.Successful != tc.wantSuccessful || res.Created != 200 || res.Successful+res.Failed != 200 {
			t.Errorf("UAS answering %d: exit %d, created %d, successful %d, failed %d; want exit %d, %d successful\n%s",
				tc.code, res.ExitCode, res.Created, res.Successful, res.Failed, tc.wantExit, tc.wantSuccessful, res.Output)
		}
	}
}
