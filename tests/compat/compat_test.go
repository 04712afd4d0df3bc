//go:build unix

package compat

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// selectedCases returns the table, or the cases whose name matches
// $COMPAT_ONLY (a regexp) when it is set.
func selectedCases(t *testing.T) []Case {
	only := os.Getenv("COMPAT_ONLY")
	if only == "" {
		return Cases
	}
	re, err := regexp.Compile(only)
	if err != nil {
		t.Fatalf("COMPAT_ONLY: %v", err)
	}
	var out []Case
	for _, c := range Cases {
		if re.MatchString(c.Name) {
			out = append(out, c)
		}
	}
	return out
}

// TestKamailioSemantics runs the table on Kamailio. With COMPAT_RECORD=FILE
// it writes what every case printed to FILE (JSON) instead of comparing, to
// help write new cases; COMPAT_ONLY=REGEXP runs the matching cases only;
// COMPAT_KEEP=DIR keeps a copy of the configs.
func TestKamailioSemantics(t *testing.T) {
	k := requireKamailio(t)
	k.KeepDir = os.Getenv("COMPAT_KEEP")
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	start := time.Now()
	results := RunCases(ctx, k, selectedCases(t), 2)
	t.Logf("%d cases in %v", len(results), time.Since(start).Round(time.Millisecond))
	if path := os.Getenv("COMPAT_RECORD"); path != "" {
		type rec struct {
			Lines, Diags []string
			Addrs        Addrs
			Err          string `json:",omitempty"`
		}
		out := map[string]rec{}
		for _, r := range results {
			x := rec{Lines: r.Lines, Diags: r.Diags, Addrs: r.Addrs}
			if r.Err != nil {
				x.Err = r.Err.Error()
			}
			out[r.Case.Name] = x
		}
		b, _ := json.MarshalIndent(out, "", " ")
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	for i := range results {
		r := &results[i]
		t.Run(r.Case.Name, func(t *testing.T) {
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
	}
}

// requireKamailio finds the installed Kamailio; without it the test is
// skipped, or fails under CI (where `make test` installs it).
func requireKamailio(t *testing.T) *KamailioEngine {
	t.Helper()
	k, err := FindKamailio()
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%v: run `make deps`", err)
		}
		t.Skipf("%v (run `make deps`)", err)
	}
	return k
}

// goLines formats lines as a Go []string literal body.
func goLines(lines []string) string {
	var b strings.Builder
	for _, l := range lines {
		fmt.Fprintf(&b, "\t%q,\n", l)
	}
	return b.String()
}

// TestTable checks the table itself.
func TestTable(t *testing.T) {
	if len(Cases) < 200 {
		t.Errorf("%d cases, want at least 200", len(Cases))
	}
	seen := map[string]bool{}
	for _, c := range Cases {
		if c.Name == "" || seen[c.Name] {
			t.Errorf("case name %q empty or repeated", c.Name)
		}
		seen[c.Name] = true
		if c.Want == nil {
			t.Errorf("%s: no Want", c.Name)
		}
	}
}
