//go:build unix

package compat

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseLog(t *testing.T) {
	log := strings.Join([]string{
		` 0(100) INFO: <core> [main.c:1]: main(): start-up noise`,
		"continuation of noise",
		` 1(101) INFO: {KG} <script>: plain`,
		` 1(101) NOTICE: {KG} <script>: two`,
		`lines`,
		` 1(101) WARNING: {KG} <core> [core/rvalue.c:1]: f(): conversion failed`,
		` 1(101) INFO: {KG} <script>: no newline 1(101) INFO: {KG} <script>: @@END@@ 7`,
		` 1(101) INFO: {KG} <script>: after`,
	}, "\n") + "\n"
	entries := make(chan logEntry, 100)
	parseLog(strings.NewReader(log), entries, func(string) {})
	close(entries)
	var got []logEntry
	for e := range entries {
		got = append(got, e)
	}
	want := []logEntry{
		{level: "INFO", script: true, text: "plain"},
		{level: "NOTICE", script: true, text: "two\nlines"},
		{level: "WARNING", text: "<core> [core/rvalue.c:1]: f(): conversion failed"},
		{level: "INFO", script: true, text: "no newline"},
		{level: "INFO", script: true, text: "@@END@@ 7"},
		{level: "INFO", script: true, text: "after"},
	}
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(logEntry{})); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if n, ok := parseMarker("@@END@@ 7"); !ok || n != 7 {
		t.Errorf("parseMarker = %d, %v", n, ok)
	}
}

func TestExpand(t *testing.T) {
	got := string(Expand("M sip:a@b SIP/2.0\nVia: x:{CPORT}\nContent-Length: {CL}\n\nab\ncd", Addrs{ServerPort: 1, ClientPort: 2}))
	want := "M sip:a@b SIP/2.0\r\nVia: x:2\r\nContent-Length: 6\r\n\r\nab\r\ncd"
	if got != want {
		t.Errorf("Expand = %q, want %q", got, want)
	}
}
