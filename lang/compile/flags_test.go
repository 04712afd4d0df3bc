package compile_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kamgo/kamgo/lang/compile"
	"github.com/kamgo/kamgo/lang/parser"
	"github.com/kamgo/kamgo/lang/preproc"
)

// TestFlagNumbers checks how named flags get their numbers; the expected
// numbers were observed on Kamailio 5.6.3 (setflag(NAME) then $mf).
func TestFlagNumbers(t *testing.T) {
	tests := []struct {
		name  string
		decls string
		want  map[string]int
	}{
		{
			name:  "unnumbered flags take the lowest free numbers",
			decls: "flags A, B, C;",
			want:  map[string]int{"A": 0, "B": 1, "C": 2},
		},
		{
			name:  "an earlier explicit number is skipped",
			decls: "flags A: 0, B;\nflags C, D: 2;",
			want:  map[string]int{"A": 0, "B": 1, "C": 2, "D": 2},
		},
		{
			name:  "a later explicit number does not move an earlier flag",
			decls: "flags A: 3, B, C: 0;",
			want:  map[string]int{"A": 3, "B": 0, "C": 0},
		},
		{
			name:  "explicit numbers may repeat an allocated one",
			decls: "flags A, B: 0, C, D: 1;",
			want:  map[string]int{"A": 0, "B": 0, "C": 1, "D": 1},
		},
		{
			name:  "numbers follow the order of the declarations",
			decls: "flags A: 1;\nflags B;\nflags C: 0, D;",
			want:  map[string]int{"A": 1, "B": 0, "C": 0, "D": 2},
		},
		{
			name:  "avpflags are not message flags",
			decls: "avpflags X;\nflags A;",
			want:  map[string]int{"A": 0},
		},
		{
			name:  "bool is a synonym of flags",
			decls: "bool A: 2, B;",
			want:  map[string]int{"A": 2, "B": 0},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := tt.decls + "\nrequest_route {\n\texit;\n}\n"
			cfg, _, diags := parser.ParseSource("flags.cfg", []byte(src), preproc.Options{})
			if len(diags) > 0 {
				t.Fatalf("parse diagnostics:\n%s", joinDiags(diags))
			}
			prog, diags := compile.Compile(cfg, compile.Options{})
			if len(diags) > 0 {
				t.Fatalf("compile diagnostics:\n%s", joinDiags(diags))
			}
			if diff := cmp.Diff(tt.want, prog.Flags); diff != "" {
				t.Errorf("flag numbers of %q (-want +got):\n%s", tt.decls, diff)
			}
		})
	}
}
