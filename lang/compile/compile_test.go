package compile_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kamgo/kamgo/lang/bytecode"
	"github.com/kamgo/kamgo/lang/diag"
	"github.com/kamgo/kamgo/lang/parser"
	"github.com/kamgo/kamgo/lang/preproc"
	_ "github.com/kamgo/kamgo/modules/all" // register the modules the configs load
	"github.com/kamgo/kamgo/runtime/core"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the current output")

// minGolden is how many golden cases there must be: a glob that silently
// matches nothing must not pass.
const minGolden = 10

// TestGolden compiles every testdata/NAME.cfg and compares the listing of
// its program with testdata/NAME.golden.
func TestGolden(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.cfg"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < minGolden {
		t.Fatalf("found %d golden cases in testdata, want at least %d", len(files), minGolden)
	}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".cfg")
		t.Run(name, func(t *testing.T) {
			src, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			// the base name keeps the listing free of the checkout path
			cfg, res, diags := parser.ParseSource(filepath.Base(file), src, preproc.Options{})
			if len(diags) > 0 {
				t.Fatalf("parse diagnostics:\n%s", joinDiags(diags))
			}
			loaded, diags := core.Load(cfg, res, core.LoadOptions{})
			if len(diags) > 0 {
				t.Fatalf("load diagnostics:\n%s", joinDiags(diags))
			}
			var buf bytes.Buffer
			if err := bytecode.Dump(&buf, loaded.Prog, nil); err != nil {
				t.Fatalf("Dump: %v", err)
			}
			golden := filepath.Join("testdata", name+".golden")
			if *update {
				if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if diff := cmp.Diff(string(want), buf.String()); diff != "" {
				t.Errorf("listing of %s differs from %s (-want +got):\n%s", file, golden, diff)
			}
		})
	}
}

// TestCompileErrors loads configs the checker accepts and the compiler
// refuses, and checks each diagnostic: position and text.
func TestCompileErrors(t *testing.T) {
	const head = "loadmodule \"pv.so\"\nloadmodule \"xlog.so\"\n\nrequest_route {\n"
	tests := []struct {
		name string
		// body is the request_route body, from line 5
		body string
		want []string
	}{
		{
			name: "forward_tls",
			body: "forward_tls(\"1.2.3.4\");\n",
			want: []string{`test.cfg:5:1: error: forward_tls is not supported by kamgo yet`},
		},
		{
			name: "functions without an implementation",
			body: "\tforward_sctp(\"h\", 5060);\n\tudp_mtu_try_proto(TCP);\n",
			want: []string{
				`test.cfg:5:2: error: forward_sctp is not supported by kamgo yet`,
				`test.cfg:6:2: error: udp_mtu_try_proto is not supported by kamgo yet`,
			},
		},
		{
			name: "unsupported call in an assignment",
			body: "\t$var(x) = forward_tls(\"h\");\n",
			want: []string{`test.cfg:5:12: error: forward_tls is not supported by kamgo yet`},
		},
		{
			name: "back-reference in =~",
			body: "\tif ($rU =~ \"a\\\\1\") {\n\t\tdrop;\n\t}\n",
			want: []string{`test.cfg:5:13: error: bad regular expression "a\\1": back-reference \1 is not supported`},
		},
		{
			name: "back-reference in a keyword condition",
			body: "\tif (uri =~ \"^sip:(.)\\\\1\") {\n\t\tdrop;\n\t}\n",
			want: []string{`test.cfg:5:13: error: bad regular expression "^sip:(.)\\1": back-reference \1 is not supported`},
		},
		{
			name: "back-reference in a switch regex case",
			body: "\tswitch ($rU) {\n\t\tcase /\"(a)\\\\1\":\n\t\t\tdrop;\n\t}\n",
			want: []string{`test.cfg:6:9: error: bad regular expression "(a)\\1": back-reference \1 is not supported`},
		},
		{
			name: "collating element Go cannot express",
			body: "\tif (uri =~ \"[[.ab.]]\") {\n\t\tdrop;\n\t}\n",
			want: []string{`test.cfg:5:13: error: bad regular expression "[[.ab.]]": [.ab.] is not supported`},
		},
		{
			name: "every error is reported, in source order",
			body: "\tif ($rU =~ \"\\\\2\") {\n\t\tforward_tls(\"h\");\n\t}\n",
			want: []string{
				`test.cfg:5:13: error: bad regular expression "\\2": back-reference \2 is not supported`,
				`test.cfg:6:3: error: forward_tls is not supported by kamgo yet`,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := head + tt.body + "}\n"
			cfg, res, diags := parser.ParseSource("test.cfg", []byte(src), preproc.Options{})
			if len(diags) > 0 {
				t.Fatalf("parse diagnostics:\n%s", joinDiags(diags))
			}
			loaded, diags := core.Load(cfg, res, core.LoadOptions{})
			if loaded != nil {
				t.Errorf("Load returned a program despite errors")
			}
			var got []string
			for _, d := range diags {
				got = append(got, d.String())
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("diagnostics of\n%s\n(-want +got):\n%s", src, diff)
			}
		})
	}
}

func joinDiags(diags diag.List) string {
	var b strings.Builder
	for _, d := range diags {
		b.WriteString(d.String())
		b.WriteByte('\n')
	}
	return b.String()
}
