package parser_test

import (
	"bufio"
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kamgo/kamgo/lang/ast"
	"github.com/kamgo/kamgo/lang/diag"
	"github.com/kamgo/kamgo/lang/parser"
	"github.com/kamgo/kamgo/lang/preproc"
)

var update = flag.Bool("update", false, "rewrite testdata/golden/*.golden from the current output")

// minGolden is how many golden cases the suite must have; a glob that
// silently matches nothing must not pass.
const minGolden = 150

// goldenOptions reads the test options a case declares in `#@` comment
// lines at its top (Kamailio reads them as comments):
//
//	#@ define NAME[=VALUE]   a -A command line define
//	#@ env NAME=VALUE        an environment variable for #!defenv
func goldenOptions(src []byte) preproc.Options {
	env := map[string]string{}
	var opts preproc.Options
	sc := bufio.NewScanner(bytes.NewReader(src))
	for sc.Scan() {
		line := sc.Text()
		rest, ok := strings.CutPrefix(line, "#@ ")
		if !ok {
			continue
		}
		kind, arg, _ := strings.Cut(rest, " ")
		switch kind {
		case "define":
			opts.Defines = append(opts.Defines, arg)
		case "env":
			k, v, _ := strings.Cut(arg, "=")
			env[k] = v
		}
	}
	opts.Getenv = func(name string) (string, bool) {
		v, ok := env[name]
		return v, ok
	}
	return opts
}

// renderResult is what a .golden file holds: the AST dump, then every
// diagnostic, one per line.
func renderResult(cfg *ast.Config, diags diag.List) string {
	var b strings.Builder
	b.WriteString(ast.Dump(cfg))
	b.WriteString("-- diagnostics --\n")
	for _, d := range diags {
		b.WriteString(d.String())
		b.WriteByte('\n')
	}
	return b.String()
}

// TestGolden parses every testdata/golden/NAME.cfg and compares the AST and
// the diagnostics with NAME.golden. Run with -update to regenerate.
func TestGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/golden/*.cfg")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < minGolden {
		t.Errorf("only %d golden cases, want at least %d", len(files), minGolden)
	}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".cfg")
		t.Run(name, func(t *testing.T) {
			src, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			cfg, _, diags := parser.ParseFile(file, goldenOptions(src))
			got := renderResult(cfg, diags)
			golden := strings.TrimSuffix(file, ".cfg") + ".golden"
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -run TestGolden -update to create it)", err)
			}
			if diff := cmp.Diff(string(want), got); diff != "" {
				t.Errorf("%s: output differs from %s (-want +got):\n%s", file, golden, diff)
			}
		})
	}
}
