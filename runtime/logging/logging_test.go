package logging_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/rs/zerolog"

	"github.com/kamgo/kamgo/runtime/logging"
)

func TestLevelByName(t *testing.T) {
	tests := []struct {
		name   string
		want   int
		wantOK bool
	}{
		{"L_ALERT", logging.LAlert, true},
		{"L_BUG", logging.LBug, true},
		{"L_CRIT2", logging.LCrit2, true},
		{"L_CRIT", logging.LCrit, true},
		{"L_ERR", logging.LErr, true},
		{"L_WARN", logging.LWarn, true},
		{"L_NOTICE", logging.LNotice, true},
		{"L_INFO", logging.LInfo, true},
		{"L_DBG", logging.LDbg, true},
		{"INFO", logging.LInfo, true},
		{"ERROR", logging.LErr, true},
		{"WARNING", logging.LWarn, true},
		{"DEBUG", logging.LDbg, true},
		{"l_dbg", logging.LDbg, true},
		{"L_Info", logging.LInfo, true},
		{"L_FOO", 0, false},
		{"L_", 0, false},
		{"", 0, false},
		{"3", 0, false},
		{"L_INFO ", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := logging.LevelByName(tt.name)
			if got != tt.want || ok != tt.wantOK {
				t.Errorf("LevelByName(%q) = %d, %v; want %d, %v", tt.name, got, ok, tt.want, tt.wantOK)
			}
		})
	}
}

func TestLevelName(t *testing.T) {
	tests := []struct {
		level int
		want  string
	}{
		{-10, "ALERT"},
		{logging.LAlert, "ALERT"},
		{logging.LBug, "BUG"},
		{logging.LCrit2, "CRITICAL"},
		{logging.LCrit, "CRITICAL"},
		{logging.LErr, "ERROR"},
		{logging.LWarn, "WARNING"},
		{logging.LNotice, "NOTICE"},
		{logging.LInfo, "INFO"},
		{logging.LDbg, "DEBUG"},
		{4, "DEBUG"},
		{100, "DEBUG"},
	}
	for _, tt := range tests {
		if got := logging.LevelName(tt.level); got != tt.want {
			t.Errorf("LevelName(%d) = %q, want %q", tt.level, got, tt.want)
		}
	}
}

func TestThreshold(t *testing.T) {
	levels := []int{logging.LAlert, logging.LBug, logging.LCrit2, logging.LCrit, logging.LErr,
		logging.LWarn, logging.LNotice, logging.LInfo, logging.LDbg, logging.LDbg + 1}
	tests := []struct {
		debug int
		// want is Enabled for each of levels
		want []bool
	}{
		{logging.LAlert - 1, []bool{false, false, false, false, false, false, false, false, false, false}},
		{logging.LAlert, []bool{true, false, false, false, false, false, false, false, false, false}},
		{logging.LErr, []bool{true, true, true, true, true, false, false, false, false, false}},
		{logging.LWarn, []bool{true, true, true, true, true, true, false, false, false, false}},
		{logging.LInfo, []bool{true, true, true, true, true, true, true, true, false, false}},
		{logging.LDbg, []bool{true, true, true, true, true, true, true, true, true, false}},
		{logging.LDbg + 1, []bool{true, true, true, true, true, true, true, true, true, true}},
	}
	for _, tt := range tests {
		var buf bytes.Buffer
		// New and SetDebug must agree: the same threshold either way.
		fresh := logging.New(zerolog.New(&buf), tt.debug)
		changed := logging.New(zerolog.New(&buf), logging.LInfo)
		changed.SetDebug(tt.debug)
		for _, l := range []*logging.Logger{fresh, changed} {
			if got := l.Debug(); got != tt.debug {
				t.Errorf("Debug() = %d, want %d", got, tt.debug)
			}
			got := make([]bool, len(levels))
			for i, lv := range levels {
				got[i] = l.Enabled(lv)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("debug=%d: Enabled for %v (-want +got):\n%s", tt.debug, levels, diff)
			}
		}
		// Events under the threshold write nothing.
		for _, lv := range levels {
			if e := fresh.Event(lv); (e != nil) != fresh.Enabled(lv) {
				t.Errorf("debug=%d: Event(%d) = %v, want non-nil only when enabled", tt.debug, lv, e)
			}
			fresh.Log(lv, "hidden?")
			fresh.Logf(lv, "hidden %d?", lv)
		}
		wantLines := 0
		for _, e := range tt.want {
			if e {
				wantLines += 2
			}
		}
		if got := len(decodeLines(t, &buf)); got != wantLines {
			t.Errorf("debug=%d: %d lines written, want %d", tt.debug, got, wantLines)
		}
	}
}

func TestSetDebugTakesEffectAtOnce(t *testing.T) {
	var buf bytes.Buffer
	l := logging.New(zerolog.New(&buf), logging.LWarn)
	l.Log(logging.LInfo, "before")
	l.SetDebug(logging.LInfo)
	l.Log(logging.LInfo, "after")
	l.SetDebug(logging.LErr)
	l.Log(logging.LWarn, "lowered")
	var got []string
	for _, ev := range decodeLines(t, &buf) {
		got = append(got, ev["message"].(string))
	}
	if diff := cmp.Diff([]string{"after"}, got); diff != "" {
		t.Errorf("messages (-want +got):\n%s", diff)
	}
}

func TestEvent(t *testing.T) {
	tests := []struct {
		level int
		want  map[string]any
	}{
		{logging.LDbg + 2, map[string]any{"level": "debug", "message": "m"}},
		{logging.LDbg, map[string]any{"level": "debug", "message": "m"}},
		{logging.LInfo, map[string]any{"level": "info", "message": "m"}},
		{logging.LNotice, map[string]any{"level": "info", "klevel": "NOTICE", "message": "m"}},
		{logging.LWarn, map[string]any{"level": "warn", "message": "m"}},
		{logging.LErr, map[string]any{"level": "error", "message": "m"}},
		{logging.LCrit, map[string]any{"level": "fatal", "klevel": "CRITICAL", "message": "m"}},
		{logging.LCrit2, map[string]any{"level": "fatal", "klevel": "CRITICAL", "message": "m"}},
		{logging.LBug, map[string]any{"level": "panic", "klevel": "BUG", "message": "m"}},
		{logging.LAlert, map[string]any{"level": "panic", "klevel": "ALERT", "message": "m"}},
		{logging.LAlert - 3, map[string]any{"level": "panic", "klevel": "ALERT", "message": "m"}},
	}
	for _, tt := range tests {
		t.Run(logging.LevelName(tt.level), func(t *testing.T) {
			var buf bytes.Buffer
			// a threshold that lets every level through
			l := logging.New(zerolog.New(&buf), 100)
			// Fatal and panic levels are written with WithLevel: neither
			// exits nor panics.
			l.Event(tt.level).Msg("m")
			got := decodeLines(t, &buf)
			if diff := cmp.Diff([]map[string]any{tt.want}, got); diff != "" {
				t.Errorf("Event(%d) wrote (-want +got):\n%s", tt.level, diff)
			}
		})
	}
}

func TestLogAndLogf(t *testing.T) {
	var buf bytes.Buffer
	l := logging.New(zerolog.New(&buf).With().Str("proc", "w1").Logger(), logging.LDbg)
	l.Log(logging.LInfo, "plain %d")
	l.Logf(logging.LErr, "bad flag value %s (%d)", "x", 42)
	l.Logf(logging.LNotice, "%q", "n")
	want := []map[string]any{
		{"level": "info", "proc": "w1", "message": "plain %d"},
		{"level": "error", "proc": "w1", "message": "bad flag value x (42)"},
		{"level": "info", "proc": "w1", "klevel": "NOTICE", "message": `"n"`},
	}
	if diff := cmp.Diff(want, decodeLines(t, &buf)); diff != "" {
		t.Errorf("output (-want +got):\n%s", diff)
	}
}

func TestDiscard(t *testing.T) {
	l := logging.Discard()
	if got := l.Debug(); got != logging.LErr {
		t.Errorf("Discard().Debug() = %d, want %d", got, logging.LErr)
	}
	if l.Enabled(logging.LWarn) || !l.Enabled(logging.LErr) {
		t.Errorf("Discard() threshold: Enabled(LWarn)=%v Enabled(LErr)=%v, want false, true",
			l.Enabled(logging.LWarn), l.Enabled(logging.LErr))
	}
	l.Log(logging.LAlert, "goes nowhere") // must not panic
}

// decodeLines parses the JSON objects buf holds, one a line.
func decodeLines(t *testing.T, buf *bytes.Buffer) []map[string]any {
	t.Helper()
	var out []map[string]any
	sc := bufio.NewScanner(buf)
	for sc.Scan() {
		var ev map[string]any
		if err := json.Unmarshal(sc.Bytes(), &ev); err != nil {
			t.Fatalf("line %q is not JSON: %v", sc.Text(), err)
		}
		out = append(out, ev)
	}
	return out
}
