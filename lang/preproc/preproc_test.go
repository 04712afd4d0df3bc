package preproc_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kamgo/kamgo/lang/preproc"
	"github.com/kamgo/kamgo/lang/token"
)

// TestDefinesAndTokens checks the Result API: defines (predefined, -A,
// MOD_ after loadmodule, defenv), the mode, and the token stream.
func TestDefinesAndTokens(t *testing.T) {
	src := "#!KAMAILIO\n#!define A 1\n#!defenvs E=HOME\nloadmodule \"tm.so\"\nloadmodule \"/x/sl.so\"\nx = A\n"
	res := preproc.Source("m.cfg", []byte(src), preproc.Options{
		Defines: []string{"CMD", "VAL=2"},
		Getenv:  func(n string) (string, bool) { return "/home/k", n == "HOME" },
	})
	if len(res.Diag) != 0 {
		t.Fatalf("unexpected diagnostics: %v", res.Diag)
	}
	if res.Mode != "KAMAILIO" {
		t.Errorf("mode %q, want KAMAILIO", res.Mode)
	}
	want := []string{"A", "CMD", "E", "KAMAILIO", "KAMAILIO_5", "KAMAILIO_5_6", "KAMAILIO_5_6_3", "KAMGO", "MOD_sl", "MOD_tm", "VAL"}
	if diff := cmp.Diff(want, res.DefineNames()); diff != "" {
		t.Errorf("defines (-want +got):\n%s", diff)
	}
	if v := res.Defines["E"].Value; v != `"/home/k"` {
		t.Errorf("E = %s, want a quoted /home/k", v)
	}
	var got []string
	for _, tk := range res.Tokens {
		got = append(got, tk.Value)
	}
	if diff := cmp.Diff([]string{"loadmodule", "tm.so", "loadmodule", "/x/sl.so", "x", "=", "1", ""}, got); diff != "" {
		t.Errorf("tokens (-want +got):\n%s", diff)
	}
	if last := res.Tokens[len(res.Tokens)-1]; last.Type != token.EOF || last.Pos.Line != 7 {
		t.Errorf("EOF token %+v, want EOF at the end of the file (line 7)", last)
	}
	if _, ok := res.Source("m.cfg"); !ok {
		t.Errorf("Source(m.cfg) not kept")
	}
}
