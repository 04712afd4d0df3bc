package parser_test

import (
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kamgo/kamgo/lang/parser"
	"github.com/kamgo/kamgo/lang/preproc"
)

// brokenCase is a config with syntax or preprocessor errors.
type brokenCase struct {
	name string
	// src is the text of main.cfg; files are the other files it includes.
	src   string
	files map[string]string
	// defines are -A command line defines.
	defines []string
	// kamailio is "rejects" when Kamailio 5.6.3's `kamailio -c` fails on
	// the same text, or "accepts: why kamgo differs".
	kamailio string
	note     string
	// want is every diagnostic, in order, as d.String() renders it.
	want []string
}

// memFiles serves the case's files (main.cfg included) from memory.
func (c brokenCase) options() preproc.Options {
	files := map[string]string{"main.cfg": c.src}
	for k, v := range c.files {
		files[k] = v
	}
	return preproc.Options{
		Defines: c.defines,
		ReadFile: func(path string) ([]byte, error) {
			if s, ok := files[filepath.Clean(path)]; ok {
				return []byte(s), nil
			}
			return nil, &fs.PathError{Op: "open", Path: path, Err: fs.ErrNotExist}
		},
		Getenv: func(string) (string, bool) { return "", false },
	}
}

func TestBrokenInputs(t *testing.T) {
	if len(brokenCases) < 60 {
		t.Errorf("only %d broken cases, want at least 60", len(brokenCases))
	}
	seen := map[string]bool{}
	for _, c := range brokenCases {
		if seen[c.name] {
			t.Errorf("duplicate case name %s", c.name)
		}
		seen[c.name] = true
		t.Run(c.name, func(t *testing.T) {
			_, _, diags := parser.ParseFile("main.cfg", c.options())
			var got []string
			for _, d := range diags {
				got = append(got, d.String())
			}
			if len(c.want) == 0 {
				t.Errorf("case has no expected diagnostics")
			}
			if diff := cmp.Diff(c.want, got); diff != "" {
				t.Errorf("diagnostics differ (-want +got):\n%s", diff)
			}
		})
	}
}

// TestBrokenInputsKamailio runs the real Kamailio on every case marked
// "rejects" and checks that it fails too. It needs KAMGO_ORACLE=1 and
// kamailio in PATH; pv, xlog, tm and sl are loaded first so that only
// syntax decides.
func TestBrokenInputsKamailio(t *testing.T) {
	if os.Getenv("KAMGO_ORACLE") == "" {
		t.Skip("set KAMGO_ORACLE=1 to compare with kamailio -c")
	}
	bin, err := exec.LookPath("kamailio")
	if err != nil {
		t.Skip("kamailio not installed")
	}
	mods := "/usr/lib/x86_64-linux-gnu/kamailio/modules"
	for _, c := range brokenCases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			pre := "loadmodule \"pv.so\"\nloadmodule \"xlog.so\"\nloadmodule \"tm.so\"\nloadmodule \"sl.so\"\n"
			if err := os.WriteFile(filepath.Join(dir, "main.cfg"), []byte(pre+c.src), 0o644); err != nil {
				t.Fatal(err)
			}
			for k, v := range c.files {
				if err := os.WriteFile(filepath.Join(dir, k), []byte(v), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			args := []string{"-c", "-f", "main.cfg", "-L", mods}
			for _, d := range c.defines {
				args = append(args, "-A", d)
			}
			cmd := exec.Command("timeout", append([]string{"5", bin}, args...)...)
			cmd.Dir = dir
			out, err := cmd.CombinedOutput()
			rejects := err != nil
			if strings.HasPrefix(c.kamailio, "rejects") && !rejects {
				t.Errorf("kamailio accepts this case:\n%s", out)
			}
			if strings.HasPrefix(c.kamailio, "accepts") && rejects {
				t.Logf("kamailio rejects a case marked accepts:\n%s", out)
			}
		})
	}
}
