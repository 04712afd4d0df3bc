package parser_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/kamgo/kamgo/lang/ast"
	"github.com/kamgo/kamgo/lang/diag"
	"github.com/kamgo/kamgo/lang/parser"
	"github.com/kamgo/kamgo/lang/preproc"
)

// fuzzFiles is the in-memory file system FuzzParse includes from.
var fuzzFiles = map[string]string{
	"inc.cfg":  "#!define INC_DEF 1\nroute[INC] { xlog(\"inc\"); }\n",
	"self.cfg": "include_file \"self.cfg\"\n",
	"bad.cfg":  "route[X] { if ( }\n",
}

func fuzzOptions() preproc.Options {
	return preproc.Options{
		Defines: []string{"WITH_FUZZ", "FUZZ_VAL=5"},
		ReadFile: func(path string) ([]byte, error) {
			if s, ok := fuzzFiles[filepath.Base(path)]; ok && filepath.Dir(path) == "." {
				return []byte(s), nil
			}
			return nil, &fs.PathError{Op: "open", Path: path, Err: fs.ErrNotExist}
		},
		Getenv: func(name string) (string, bool) {
			if name == "PORT" {
				return "5060", true
			}
			return "", false
		},
	}
}

func FuzzParse(f *testing.F) {
	for _, pat := range []string{"testdata/golden/*.cfg", "testdata/seeds/*.cfg", "testdata/corpus/*.cfg", "/etc/kamailio/kamailio.cfg"} {
		files, _ := filepath.Glob(pat)
		for _, p := range files {
			if b, err := os.ReadFile(p); err == nil {
				f.Add(b)
			}
		}
	}
	f.Add([]byte("request_route { if (a) { b(); } else if ($x == 1) c(); else { d(); } }"))
	f.Add([]byte("route[X] { switch ($rU) { case \"a\": x(); case /\"^b\": break; default: exit; } }"))
	f.Fuzz(func(t *testing.T, src []byte) {
		type out struct {
			cfg   *ast.Config
			res   *preproc.Result
			diags diag.List
		}
		done := make(chan out, 1)
		go func() {
			cfg, res, d := parser.ParseSource("fuzz.cfg", src, fuzzOptions())
			done <- out{cfg, res, d}
		}()
		var o out
		select {
		case o = <-done:
		case <-time.After(10 * time.Second):
			t.Fatalf("parsing did not finish in 10s")
		}
		if o.cfg == nil {
			t.Fatalf("nil config")
		}
		_ = ast.Dump(o.cfg)
		for _, d := range o.diags {
			if _, ok := o.res.Files[d.Pos.Filename]; !ok {
				t.Fatalf("diagnostic in unknown file: %s", d)
			}
			if d.Pos.Line < 1 || d.Pos.Column < 1 {
				t.Fatalf("diagnostic without line: %s", d)
			}
		}
	})
}
