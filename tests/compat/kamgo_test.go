package compat

import (
	"context"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// minKamgoCases is how many cases of the table kamgo must run (and pass);
// cases that need a module kamgo does not ship yet are listed and skipped.
const minKamgoCases = 200

// kamgoKnownDiffs are the cases where kamgo knowingly differs from
// Kamailio, with the reason; they are reported as skipped.
var kamgoKnownDiffs = map[string]string{
	"tr2_failed_assignment_keeps_var": "a failed transformation reads as \"\" everywhere; Kamailio stores 0 when it is assigned",
	"tr2_s_int_forms":                 "kamgo's integers do not keep the text they were parsed from (\"+5\", \"007\")",
}

// TestKamgoSemantics runs the Kamailio-recorded table on kamgo's VM.
func TestKamgoSemantics(t *testing.T) {
	t.Setenv(EnvName, EnvValue)
	var runnable []Case
	skipped := map[string][]string{}
	for _, c := range selectedCases(t) {
		if err := RunnableOnKamgo(c); err != nil {
			reason := firstLine(err.Error())
			skipped[reason] = append(skipped[reason], c.Name)
			continue
		}
		runnable = append(runnable, c)
	}
	reasons := make([]string, 0, len(skipped))
	for r := range skipped {
		reasons = append(reasons, r)
	}
	sort.Strings(reasons)
	for _, r := range reasons {
		t.Logf("skipped %d cases: %s (%s)", len(skipped[r]), r, strings.Join(skipped[r], ", "))
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	results := RunCases(ctx, KamgoEngine{}, runnable, 2)
	passed := 0
	for i := range results {
		r := &results[i]
		ok := t.Run(r.Case.Name, func(t *testing.T) {
			if reason, known := kamgoKnownDiffs[r.Case.Name]; known {
				t.Skip("known difference: " + reason)
			}
			if r.Err != nil {
				t.Fatalf("%v", r.Err)
			}
			if diff := cmp.Diff(r.WantExpanded(), r.Lines, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("xlog lines (-want +got):\n%s\ngot as Go:\n%s\ndiags:\n%s", diff, goLines(r.Lines), strings.Join(r.Diags, "\n"))
			}
			if missing := r.MissingDiags(); len(missing) > 0 {
				t.Errorf("no diagnostic contains %q; diags:\n%s", missing, strings.Join(r.Diags, "\n"))
			}
		})
		if _, known := kamgoKnownDiffs[r.Case.Name]; ok && !known {
			passed++
		}
	}
	t.Logf("kamgo: %d of %d cases run, %d passed, %d known differences", len(runnable), len(selectedCases(t)), passed, len(kamgoKnownDiffs))
	if len(selectedCases(t)) == len(Cases) && len(runnable) < minKamgoCases {
		t.Errorf("only %d cases run on kamgo, want at least %d", len(runnable), minKamgoCases)
	}
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	// drop the position, keep the message
	if i := strings.Index(s, ": error: "); i >= 0 {
		s = s[i+len(": error: "):]
	}
	return s
}
