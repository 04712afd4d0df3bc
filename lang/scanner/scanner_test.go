package scanner_test

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kamgo/kamgo/lang/scanner"
	"github.com/kamgo/kamgo/lang/token"
)

// scan renders every token as KIND:value@line:col, and the diagnostics.
func scan(src string) (toks, diags []string) {
	s := scanner.New("t.cfg", []byte(src))
	for {
		t := s.Next()
		if t.Type == token.EOF {
			break
		}
		v := t.Value
		if t.Type == token.Directive {
			d := s.Directive()
			v = fmt.Sprintf("%s(%s=%q)", d.Name, d.Arg, d.Value)
		}
		toks = append(toks, fmt.Sprintf("%s:%s@%d:%d", token.KindName(t.Type), v, t.Pos.Line, t.Pos.Column))
	}
	for _, d := range s.Diag {
		diags = append(diags, d.String())
	}
	return toks, diags
}

func TestScanner(t *testing.T) {
	cases := []struct {
		name, src string
		toks      []string
		diags     []string
	}{
		{"numbers", "0 7 0x1F 010 101b 12ab 0XFF", []string{"number:0@1:1", "number:7@1:3", "number:0x1F@1:5", "number:010@1:10", "number:101b@1:14", "identifier:12ab@1:19", "identifier:0XFF@1:24"}, nil},
		{"ips", "10.0.0.1 ::1 2001:db8::5 fe80::", []string{"IPv4 address:10.0.0.1@1:1", "IPv6 address:::1@1:10", "IPv6 address:2001:db8::5@1:14", "IPv6 address:fe80::@1:26"}, nil},
		{"strings", "\"a\\tb\" \"c\"\n \"d\" 'e\\n'", []string{"string:a\tbcd@1:1", "string:e\\n@2:6"}, nil},
		{"escapes", `"\x41\101\q\\"`, []string{`string:AA\q\@1:1`}, nil},
		{"comments", "a /* x /* y */ z */ b // c\n# d\nc", []string{"identifier:a@1:1", "identifier:b@1:21", "identifier:c@3:1"}, nil},
		{"pvs", "$ru $var(x) $(hdr(Via)[0]{s.len}) $? $f.x", []string{"pseudo-variable:$ru@1:1", "pseudo-variable:$var(x)@1:5", "pseudo-variable:$(hdr(Via)[0]{s.len})@1:13", "pseudo-variable:$?@1:35", "pseudo-variable:$f.x@1:38"}, nil},
		{"operators", "== != =~ && || << >> <= >= += => ! ~ (int) (str)", []string{"operator:==@1:1", "operator:!=@1:4", "operator:=~@1:7", "operator:&&@1:10", "operator:||@1:13", "operator:<<@1:16", "operator:>>@1:19", "operator:<=@1:22", "operator:>=@1:25", "operator:+=@1:28", "operator:=>@1:31", "operator:!@1:34", "operator:~@1:36", "operator:(int)@1:38", "operator:(str)@1:44"}, nil},
		{"keywords with colon", "msg:len uri:host", []string{"identifier:msg:len@1:1", "identifier:uri:host@1:9"}, nil},
		{"event route name", "event_route[tm:branch-failure:x]", []string{"identifier:event_route@1:1", "operator:[@1:12", "identifier:tm:branch-failure:x@1:13", "operator:]@1:32"}, nil},
		{"directives", "#!define A 1 + \\\n 2\n!!ifdef A\n#!endif\n#!trydef B\ninclude_file \"x\"", []string{`preprocessor directive:define(A="1 +  2")@1:1`, `preprocessor directive:ifdef(A="")@3:1`, `preprocessor directive:endif(="")@4:1`, `preprocessor directive:trydef(B="")@5:1`, `preprocessor directive:include_file(="")@6:1`, "string:x@6:14"}, nil},
		{"unknown directive is a comment", "#!undef X\n#!foo\na", []string{"identifier:a@3:1"}, nil},
		{"compat header", "#!KAMAILIO\n", []string{`preprocessor directive:compat(KAMAILIO="")@1:1`}, nil},
		{"line continuation", "a \\\nb", []string{"identifier:a@1:1", "identifier:b@2:1"}, nil},
		{"unterminated string", `"abc`, []string{"string:abc@1:1"}, []string{`t.cfg:1:1: error: unterminated string: missing closing "`}},
		{"unterminated comment", "a /* b", []string{"identifier:a@1:1"}, []string{"t.cfg:1:3: error: unterminated comment: 1 /* still open at end of file"}},
		{"unterminated pv", "$var(x", []string{"pseudo-variable:$var(x@1:1"}, []string{"t.cfg:1:1: error: unterminated pseudo-variable: 1 '(' not closed"}},
		{"define dash", "#!define A-B 1\nx", []string{`preprocessor directive:define(A="")@1:1`, "identifier:x@2:1"}, []string{"t.cfg:1:11: error: '-' not allowed in the name of #!define A"}},
		{"invalid character", "a ` b", []string{"identifier:a@1:1", "identifier:b@1:5"}, []string{"t.cfg:1:3: error: invalid character '`'"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			toks, diags := scan(c.src)
			if diff := cmp.Diff(c.toks, toks); diff != "" {
				t.Errorf("tokens (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(c.diags, diags); diff != "" {
				t.Errorf("diagnostics (-want +got):\n%s", diff)
			}
		})
	}
}
