package ast_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kamgo/kamgo/lang/ast"
)

func TestExprString(t *testing.T) {
	cases := []struct {
		e    ast.Expr
		want string
	}{
		{&ast.IntLit{Value: -3, Raw: "-3"}, "-3"},
		{&ast.StrLit{Value: "a\"b\n"}, `"a\"b\n"`},
		{&ast.Binary{Op: "<<", L: &ast.IntLit{Value: 1}, R: &ast.Binary{Op: "==", L: &ast.IntLit{Value: 2}, R: &ast.IntLit{Value: 2}}}, "(<< 1 (== 2 2))"},
		{&ast.Cast{To: "int", X: &ast.PVar{Text: "$var(x)"}}, "((int) $var(x))"},
		{&ast.Call{Name: "f", Parens: true}, "(call f)"},
		{&ast.Call{Name: "revert_uri"}, "(call revert_uri noparens)"},
		{&ast.Call{Name: "=", Args: []ast.Expr{&ast.Unsupported{Text: "%a"}, &ast.IntLit{Value: 2}}}, "(call = noparens unsupported:%a 2)"},
		{&ast.IPNet{IP: "10.0.0.0", Mask: "8"}, "ip:10.0.0.0/8"},
		{&ast.Keyword{Name: "myself"}, "kw:myself"},
		{&ast.Word{Text: "udp:1.2.3.4:5060"}, "word:udp:1.2.3.4:5060"},
		{nil, "<nil>"},
	}
	for _, c := range cases {
		if diff := cmp.Diff(c.want, ast.ExprString(c.e)); diff != "" {
			t.Errorf("ExprString (-want +got):\n%s", diff)
		}
	}
}

func TestDumpSocket(t *testing.T) {
	cfg := &ast.Config{Mode: "KAMAILIO", Items: []ast.Item{&ast.CoreParam{Name: "listen", Values: []*ast.ParamValue{{
		Kind: ast.ValSocket, Socket: &ast.Socket{Proto: "udp", Host: "::1", Bracketed: true, Port: 5060, AdvHost: "1.2.3.4", AdvPort: 5080, Name: "n", Virtual: true},
	}}}}}
	want := "(mode KAMAILIO)\n(param listen socket:udp:[::1]:5060 advertise=1.2.3.4:5080 name=\"n\" virtual)\n"
	if diff := cmp.Diff(want, ast.Dump(cfg)); diff != "" {
		t.Errorf("Dump (-want +got):\n%s", diff)
	}
}
