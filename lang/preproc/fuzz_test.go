package preproc_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/kamgo/kamgo/lang/preproc"
	"github.com/kamgo/kamgo/lang/token"
)

// fuzzFiles is the in-memory file system the fuzz targets include from, so
// that fuzzing never touches the disk.
var fuzzFiles = map[string]string{
	"inc.cfg":  "#!define INC_DEF 1\nroute[INC] { xlog(\"inc\"); }\n",
	"self.cfg": "include_file \"self.cfg\"\n",
	"a.cfg":    "include_file \"b.cfg\"\n",
	"b.cfg":    "#!ifdef X\ninclude_file \"a.cfg\"\n#!endif\n$x = \"b\";\n",
}

// FuzzOptions returns options reading from fuzzFiles and a fixed environment.
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
			switch name {
			case "HOME":
				return "/home/fuzz", true
			case "PORT":
				return "5060", true
			}
			return "", false
		},
	}
}

// addSeeds adds the golden inputs of the parser and a few real configs.
func addSeeds(f *testing.F) {
	for _, pat := range []string{"../parser/testdata/golden/*.cfg", "../parser/testdata/seeds/*.cfg", "testdata/*.cfg", "/etc/kamailio/kamailio.cfg"} {
		files, _ := filepath.Glob(pat)
		for _, p := range files {
			if b, err := os.ReadFile(p); err == nil {
				f.Add(b)
			}
		}
	}
	f.Add([]byte("#!define A 1\n#!ifdef A\nx=A\n#!else\ny\n#!endif\n"))
	f.Add([]byte("#!subst \"/a/b/g\"\n#!substdef \"/N/v/\"\n#!substdefs \"/S/v/\"\n\"a\"\n"))
	f.Add([]byte("#!defenv HOME\n#!defenvs P=PORT\n#!trydefenv NOPE\ninclude_file \"inc.cfg\"\nimport_file \"nope.cfg\"\n"))
	f.Add([]byte("include_file \"self.cfg\"\n#!define D \\\n  2 + 3 # c\nD D\n"))
}

func FuzzPreprocess(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, src []byte) {
		done := make(chan *preproc.Result, 1)
		go func() { done <- preproc.Source("fuzz.cfg", src, fuzzOptions()) }()
		var res *preproc.Result
		select {
		case res = <-done:
		case <-time.After(10 * time.Second):
			t.Fatalf("preprocessing did not finish in 10s")
		}
		checkResult(t, res)
	})
}

// checkResult checks the invariants of a preprocessor result.
func checkResult(t *testing.T, res *preproc.Result) {
	t.Helper()
	n := len(res.Tokens)
	if n == 0 || res.Tokens[n-1].Type != token.EOF {
		t.Fatalf("token stream does not end with EOF")
	}
	for _, tk := range res.Tokens {
		if _, ok := res.Files[tk.Pos.Filename]; !ok {
			t.Fatalf("token %v in unknown file %q", tk, tk.Pos.Filename)
		}
		if tk.Pos.Line < 1 || tk.Pos.Column < 1 {
			t.Fatalf("token %v has no position", tk)
		}
		if tk.Type == token.Directive {
			t.Fatalf("directive token %v leaked out of the preprocessor", tk)
		}
	}
	for _, d := range res.Diag {
		if _, ok := res.Files[d.Pos.Filename]; !ok {
			t.Fatalf("diagnostic in unknown file: %s", d)
		}
		if d.Pos.Line < 1 || d.Pos.Column < 1 {
			t.Fatalf("diagnostic without line: %s", d)
		}
	}
}
