package parser_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kamgo/kamgo/lang/parser"
	"github.com/kamgo/kamgo/lang/preproc"
)

// seedModules are the module docs in shared/seeds; every example config
// snippet of each is a file testdata/seeds/MODULE_NNN.cfg, wrapped in a
// minimal config (modparam lines at the top level, statements inside the
// route type they belong to).
var seedModules = []string{"tm", "tcpops", "keepalive", "nosip", "proto_tcp"}

func TestSeedSnippets(t *testing.T) {
	total := 0
	for _, mod := range seedModules {
		t.Run(mod, func(t *testing.T) {
			files, err := filepath.Glob("testdata/seeds/" + mod + "_[0-9][0-9][0-9].cfg")
			if err != nil {
				t.Fatal(err)
			}
			if len(files) == 0 {
				t.Fatalf("no snippets for %s", mod)
			}
			total += len(files)
			for _, f := range files {
				t.Run(strings.TrimSuffix(filepath.Base(f), ".cfg"), func(t *testing.T) {
					if _, err := os.Stat(f); err != nil {
						t.Fatal(err)
					}
					_, _, diags := parser.ParseFile(f, preproc.Options{})
					for _, d := range diags {
						t.Errorf("%s", d)
					}
				})
			}
		})
	}
	t.Logf("%d seed snippets", total)
}
