//go:build unix

// This file holds the Kamailio syntax compatibility test.
//
// TestKamailioSyntaxCompat proves that `kamgo check --syntax-only` gives the
// same verdict as Kamailio 5.6's own parser (`kamailio -c`) on every config
// that Debian's kamailio package ships: the examples under
// /usr/share/doc/kamailio/examples (*.cfg and *.cfg.*) and
// /etc/kamailio/kamailio.cfg, the latter also with each `-A WITH_xxx` define
// it tests for. The configs are read from the installed package, never copied
// into the repository. Per config:
//
//   - Kamailio accepts it (exit 0): kamgo must report no error.
//   - Kamailio rejects it with a syntax, lexer or preprocessor error: kamgo
//     must report an error, and one on the line of Kamailio's first syntax
//     error in each file (within Kamailio's include_file line drift, see
//     kamailioLineDrift). Later syntax errors Kamailio reports in the same
//     file may be cascades of Bison's error recovery, so kamgo missing one
//     is logged for review. An #!ifdef/#!endif imbalance has no line; there
//     rejecting is enough.
//   - Whatever made Kamailio reject it, Kamailio parsed every line of a file
//     before its first syntax error there or, when it reports none in that
//     file, before the last line it reports another error on (a module that
//     is not installed, an unknown function or parameter, a
//     pseudo-variable name it cannot resolve): kamgo must report no error
//     on those lines. What kamgo reports beyond, where Kamailio never
//     looked or gave up, is logged for a human to review.
//
// Without Kamailio the test skips, or fails when $CI is set; `make deps`
// installs it.

package tests

import (
	"cmp"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// minExampleConfigs guards the discovery of the shipped examples: Debian's
// 5.6.3 package ships 69. Fewer means the package layout changed or
// /usr/share/doc is excluded from the image, and the test would prove little.
const minExampleConfigs = 60

// requiredKamailioVersion is the reference parser's version prefix.
const requiredKamailioVersion = "kamailio 5.6."

// compatCase is one run of both parsers.
type compatCase struct {
	name    string   // subtest name: the path relative to the examples folder
	path    string   // absolute path of the config
	defines []string // passed as -A to both parsers
}

func TestKamailioSyntaxCompat(t *testing.T) {
	kamailio, err := findKamailio()
	if err == nil {
		err = checkKamailioVersion(kamailio)
	}
	if err != nil {
		msg := fmt.Sprintf("%v; run `make deps` to install Kamailio 5.6, the reference parser of this test", err)
		if os.Getenv("CI") != "" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}

	cases, err := listCompatCases()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			ref, err := runKamailio(kamailio, c.path, c.defines)
			if err != nil {
				t.Fatal(err)
			}
			got, err := runKamgoSyntaxCheck(c.path, c.defines)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("verdict: kamailio %s; kamgo %s", describeKamailio(ref), describeKamgo(got))
			problems, notes := compareVerdicts(ref, got)
			for _, n := range notes {
				t.Log(n)
			}
			for _, p := range problems {
				t.Error(p)
			}
		})
	}
}

// checkKamailioVersion makes sure the installed Kamailio is the reference
// version; another version parses differently.
func checkKamailioVersion(k kamailioInstall) error {
	res, err := runBounded(checkTimeout, os.TempDir(), k.binary, "-v")
	if err != nil {
		return fmt.Errorf("kamailio -v: %w", err)
	}
	out := string(res.stdout) + string(res.stderr)
	if !strings.Contains(out, requiredKamailioVersion) {
		first, _, _ := strings.Cut(strings.TrimSpace(out), "\n")
		return fmt.Errorf("the installed Kamailio is not 5.6 (%q)", first)
	}
	return nil
}

// withDefineRe finds the WITH_xxx names a config tests for.
var withDefineRe = regexp.MustCompile(`(?m)^\s*#!ifn?def\s+(WITH_\w+)`)

// listCompatCases returns the shipped example configs in path order, then
// /etc/kamailio/kamailio.cfg plain and with each WITH_xxx define it uses.
func listCompatCases() ([]compatCase, error) {
	var cases []compatCase
	err := filepath.WalkDir(kamailioExamplesDir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() && isShippedConfig(d.Name()) {
			rel, err := filepath.Rel(kamailioExamplesDir, path)
			if err != nil {
				return err
			}
			cases = append(cases, compatCase{name: rel, path: path})
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("listing the shipped example configs: %w", err)
	}
	if len(cases) < minExampleConfigs {
		return nil, fmt.Errorf("found %d configs under %s, expected at least %d: is the kamailio package complete and /usr/share/doc not excluded by dpkg?",
			len(cases), kamailioExamplesDir, minExampleConfigs)
	}

	src, err := os.ReadFile(kamailioDefaultCfg)
	if err != nil {
		return nil, fmt.Errorf("reading the default config: %w", err)
	}
	cases = append(cases, compatCase{name: kamailioDefaultCfg, path: kamailioDefaultCfg})
	var defines []string
	for _, m := range withDefineRe.FindAllStringSubmatch(string(src), -1) {
		defines = append(defines, m[1])
	}
	slices.Sort(defines)
	for _, name := range slices.Compact(defines) {
		cases = append(cases, compatCase{
			name:    kamailioDefaultCfg + ":-A_" + name,
			path:    kamailioDefaultCfg,
			defines: []string{name},
		})
	}
	return cases, nil
}

// isShippedConfig reports whether a file name is that of a config: *.cfg or
// *.cfg.* (kamailio.cfg.sample, sip-router.cfg.m4), but not a README.
func isShippedConfig(name string) bool {
	if strings.HasPrefix(name, "README") {
		return false
	}
	return strings.HasSuffix(name, ".cfg") || strings.Contains(name, ".cfg.")
}

// compareVerdicts applies the verdict rules of this file's doc comment. It
// returns the discrepancies, which fail the test, and notes for the log.
func compareVerdicts(ref kamailioVerdict, got []kamgoDiagnostic) (problems, notes []string) {
	if ref.accepted() {
		for _, d := range got {
			problems = append(problems, fmt.Sprintf("Kamailio accepts the config, but kamgo reports %s", d))
		}
		return problems, notes
	}

	syntax := ref.syntaxErrors()
	matched := make([]bool, len(got))
	if len(syntax) > 0 {
		if len(got) == 0 {
			problems = append(problems, fmt.Sprintf("Kamailio rejects the config (%s), but kamgo reports no error", syntax[0]))
			return problems, notes
		}
		// Kamailio's first syntax error in each file needs a kamgo error
		// on its line. A later one needs one too unless it may be a
		// cascade of Bison's error recovery: after a syntax error Bison
		// discards tokens until it can resume, and the statement where it
		// resumes can be reported although it is valid on its own. Those
		// are logged for review. An #!ifdef/#!endif imbalance has no line;
		// there rejecting is enough.
		reported := map[string]bool{} // files with an earlier syntax error
		seen := map[kamailioError]bool{}
		for _, e := range sortedByLine(syntax) {
			at := kamailioError{file: e.file, line: e.line, endLine: e.endLine}
			if e.line == 0 || seen[at] {
				continue
			}
			seen[at] = true
			from := e.line - kamailioLineDrift(e.file, e.line)
			found := false
			for i, d := range got {
				if d.File == e.file && d.Line >= from && d.Line <= e.endLine {
					matched[i], found = true, true
				}
			}
			switch {
			case found:
			case reported[e.file]:
				notes = append(notes, fmt.Sprintf("for review (may be a cascade of Kamailio's error recovery): Kamailio reports a %s, kamgo has no error on %s",
					e, lineSpan(e.file, from, e.endLine)))
			default:
				problems = append(problems, fmt.Sprintf("Kamailio reports a %s, but kamgo has no error on %s; kamgo reports: %s",
					e, lineSpan(e.file, from, e.endLine), joinDiagnostics(got)))
			}
			reported[e.file] = true
		}
	}

	// Kamailio parsed every line of a file before its first syntax error
	// there or, when it reports none in that file, before the last line it
	// reports a non-syntax error on: kamgo must not reject any of them.
	parsedBefore := map[string]int{}
	firstSyntaxLine := map[string]int{}
	for _, e := range ref.errors {
		switch {
		case e.line == 0:
		case e.syntax:
			if first, ok := firstSyntaxLine[e.file]; !ok || e.line < first {
				firstSyntaxLine[e.file] = e.line
			}
		default:
			parsedBefore[e.file] = max(parsedBefore[e.file], e.endLine)
		}
	}
	maps.Copy(parsedBefore, firstSyntaxLine)
	for i, d := range got {
		bound, ok := parsedBefore[d.File]
		if ok && d.Line < bound-kamailioLineDrift(d.File, bound) {
			problems = append(problems, fmt.Sprintf("kamgo reports %s, but Kamailio parsed that line without a syntax error (it parsed %s up to line %d)",
				d, filepath.Base(d.File), bound))
			matched[i] = true
		}
	}
	for i, d := range got {
		if !matched[i] {
			notes = append(notes, fmt.Sprintf("for review (Kamailio reports nothing to compare with): kamgo reports %s", d))
		}
	}
	return problems, notes
}

// sortedByLine returns errs ordered by file and line.
func sortedByLine(errs []kamailioError) []kamailioError {
	sorted := slices.Clone(errs)
	slices.SortStableFunc(sorted, func(a, b kamailioError) int {
		return cmp.Or(strings.Compare(a.file, b.file), cmp.Compare(a.line, b.line))
	})
	return sorted
}

// lineSpan names the lines from..to of file for a message.
func lineSpan(file string, from, to int) string {
	if from == to {
		return fmt.Sprintf("line %d of %s", to, filepath.Base(file))
	}
	return fmt.Sprintf("lines %d-%d of %s", from, to, filepath.Base(file))
}

func joinDiagnostics(ds []kamgoDiagnostic) string {
	if len(ds) == 0 {
		return "nothing"
	}
	parts := make([]string, len(ds))
	for i, d := range ds {
		parts[i] = d.String()
	}
	return strings.Join(parts, "; ")
}

// describeKamailio summarizes Kamailio's verdict for the log.
func describeKamailio(v kamailioVerdict) string {
	switch {
	case v.accepted():
		return "ok"
	case len(v.syntaxErrors()) > 0:
		return "syntax error " + describeLines(v.syntaxErrors())
	default:
		return "non-syntax failure " + describeLines(v.errors)
	}
}

// describeLines lists file:line of each error once, in order.
func describeLines(errs []kamailioError) string {
	var parts []string
	for _, e := range errs {
		p := "(no line)"
		if e.line > 0 {
			p = fmt.Sprintf("%s:%d", filepath.Base(e.file), e.line)
		}
		if !slices.Contains(parts, p) {
			parts = append(parts, p)
		}
	}
	return "[" + strings.Join(parts, " ") + "]"
}

// describeKamgo summarizes kamgo's verdict for the log.
func describeKamgo(ds []kamgoDiagnostic) string {
	if len(ds) == 0 {
		return "ok"
	}
	var parts []string
	for _, d := range ds {
		p := fmt.Sprintf("%s:%d", filepath.Base(d.File), d.Line)
		if !slices.Contains(parts, p) {
			parts = append(parts, p)
		}
	}
	return "errors [" + strings.Join(parts, " ") + "]"
}
