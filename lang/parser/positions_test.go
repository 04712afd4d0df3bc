package parser_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kamgo/kamgo/lang/ast"
	"github.com/kamgo/kamgo/lang/diag"
	"github.com/kamgo/kamgo/lang/parser"
	"github.com/kamgo/kamgo/lang/preproc"
	"github.com/kamgo/kamgo/lang/token"
)

// TestPositions checks the positions the dump does not show: the name of
// a route, the module and parameter of a modparam, and tokens that come
// out of a define (the use site) or follow an include (exact lines).
func TestPositions(t *testing.T) {
	files := map[string]string{
		"main.cfg": "#!define V 7\n" + // 1
			"include_file \"inc.cfg\"\n" + // 2
			"modparam(\"tm\",  \"fr_timer\", 1)\n" + // 3
			"event_route[tm:local-request] {\n" + // 4
			"\t$var(x) = V;\n" + // 5
			"}\n" + // 6
			"route[V] { exit; }\n", // 7
		"inc.cfg": "children = 1\n\ndebug = 2\n",
	}
	opts := preproc.Options{ReadFile: func(p string) ([]byte, error) { return []byte(files[p]), nil }}
	cfg, _, diags := parser.ParseFile("main.cfg", opts)
	for _, d := range diags {
		t.Errorf("unexpected %s", d)
	}
	type pos struct {
		What string
		At   string
	}
	var got []pos
	add := func(what string, p token.Pos) { got = append(got, pos{what, diag.FormatPos(p)}) }
	for _, it := range cfg.Items {
		switch n := it.(type) {
		case *ast.CoreParam:
			add("param "+n.Name, n.Pos)
		case *ast.ModParam:
			add("modparam", n.Pos)
			add("modparam module", n.ModulePos)
			add("modparam param", n.ParamPos)
			add("modparam value", n.Value.Position())
		case *ast.Route:
			add("route "+n.Keyword, n.Pos)
			add("route name", n.NamePos)
			for _, s := range n.Body.Stmts {
				if a, ok := s.(*ast.Assign); ok {
					add("assign rhs from define", a.RHS.Position())
				}
			}
		}
	}
	want := []pos{
		{"param children", "inc.cfg:1:1"},
		{"param debug", "inc.cfg:3:1"},
		{"modparam", "main.cfg:3:1"},
		{"modparam module", "main.cfg:3:10"},
		{"modparam param", "main.cfg:3:17"},
		{"modparam value", "main.cfg:3:29"},
		{"route event_route", "main.cfg:4:1"},
		{"route name", "main.cfg:4:13"},
		{"assign rhs from define", "main.cfg:5:12"},
		{"route route", "main.cfg:7:1"},
		{"route name", "main.cfg:7:7"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("positions differ (-want +got):\n%s", diff)
	}
}
