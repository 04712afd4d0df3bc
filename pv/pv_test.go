package pv

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestParse(t *testing.T) {
	ignoreNested := cmpopts.IgnoreFields(Spec{}, "Nested")
	tests := []struct {
		in   string
		want *Spec
	}{
		{"$ru", &Spec{Text: "$ru", Class: "ru"}},
		{"$?", &Spec{Text: "$?", Class: "?"}},
		{"$T_reply_code", &Spec{Text: "$T_reply_code", Class: "T_reply_code"}},
		{"$err.class", &Spec{Text: "$err.class", Class: "err.class"}},
		{"$var(x)", &Spec{Text: "$var(x)", Class: "var", Inner: "x", HasInner: true}},
		{"$avp(s:name)", &Spec{Text: "$avp(s:name)", Class: "avp", Inner: "s:name", HasInner: true}},
		{"$xavp(a=>b)", &Spec{Text: "$xavp(a=>b)", Class: "xavp", Inner: "a=>b", HasInner: true}},
		{"$(ru)", &Spec{Text: "$(ru)", Class: "ru"}},
		{"$(hdr(Via)[0])", &Spec{Text: "$(hdr(Via)[0])", Class: "hdr", Inner: "Via", HasInner: true, Index: &Index{Offset: 10}}},
		{"$(hdr(Via)[-1])", &Spec{Text: "$(hdr(Via)[-1])", Class: "hdr", Inner: "Via", HasInner: true, Index: &Index{Offset: 10, N: -1}}},
		{"$(avp(x)[*])", &Spec{Text: "$(avp(x)[*])", Class: "avp", Inner: "x", HasInner: true, Index: &Index{Offset: 8, All: true}}},
		{"$(ru{s.len})", &Spec{Text: "$(ru{s.len})", Class: "ru", Transforms: []Transform{{Offset: 4, Class: "s", Name: "len"}}}},
		{"$(hdr(Via)[0]{s.len}{s.int})", &Spec{Text: "$(hdr(Via)[0]{s.len}{s.int})", Class: "hdr", Inner: "Via", HasInner: true,
			Index: &Index{Offset: 10}, Transforms: []Transform{{Offset: 13, Class: "s", Name: "len"}, {Offset: 20, Class: "s", Name: "int"}}}},
		{"$(ru{s.select,1,;})", &Spec{Text: "$(ru{s.select,1,;})", Class: "ru", Transforms: []Transform{{Offset: 4, Class: "s", Name: "select", Args: []string{"1", ";"}}}}},
		{"$(ru{s.encode.hexa})", &Spec{Text: "$(ru{s.encode.hexa})", Class: "ru", Transforms: []Transform{{Offset: 4, Class: "s", Name: "encode.hexa"}}}},
		{"$(ru{param.value,a,\\,})", &Spec{Text: "$(ru{param.value,a,\\,})", Class: "ru", Transforms: []Transform{{Offset: 4, Class: "param", Name: "value", Args: []string{"a", "\\,"}}}}},
	}
	for _, tt := range tests {
		got, err := Parse(tt.in)
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.in, err)
			continue
		}
		if diff := cmp.Diff(tt.want, got, ignoreNested); diff != "" {
			t.Errorf("Parse(%q) (-want +got):\n%s", tt.in, diff)
		}
	}
}

func TestParseNested(t *testing.T) {
	tests := []struct {
		in     string
		nested []string // Text of each nested spec, with its offset
		offs   []int
	}{
		{"$sht(a=>$ci)", []string{"$ci"}, []int{8}},
		{"$cnt($avp(x))", []string{"$avp(x)"}, []int{5}},
		{"$(avp(x)[$var(i)])", []string{"$var(i)"}, []int{9}},
		{"$(ru{s.select,$var(i),;})", []string{"$var(i)"}, []int{14}},
		{"$T_req($(hdr(X){s.len}))", []string{"$(hdr(X){s.len})"}, []int{7}},
	}
	for _, tt := range tests {
		s, err := Parse(tt.in)
		if err != nil {
			t.Fatalf("Parse(%q): %v", tt.in, err)
		}
		var texts []string
		var offs []int
		for _, n := range s.Nested {
			texts = append(texts, n.Text)
			offs = append(offs, n.Offset)
		}
		if diff := cmp.Diff(tt.nested, texts); diff != "" {
			t.Errorf("%q nested (-want +got):\n%s", tt.in, diff)
		}
		if diff := cmp.Diff(tt.offs, offs); diff != "" {
			t.Errorf("%q offsets (-want +got):\n%s", tt.in, diff)
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		in  string
		off int
		msg string
	}{
		{"$", 1, "missing pseudo-variable name after $"},
		{"$ ", 1, "missing pseudo-variable name: ' ' cannot start one"},
		{"$(ru", 4, "missing ) to close $("},
		{"$var(x", 4, "missing ) to close the inner name of $var"},
		{"$(hdr(Via)[x])", 11, "bad index: expected a number, -1, * or a pseudo-variable"},
		{"$(hdr(Via)[1)", 12, "missing ] to close the index"},
		{"$(ru{s.len)", 10, "unexpected ) in transformation"},
		{"$(ru{s.len}", 11, "missing ) to close $("},
		{"$(ru{len})", 4, "bad transformation {len}: expected {class.name[,arg…]}"},
		{"$hdr(Via)[1]", 9, "an index or transformation needs the $( … ) form: write $(hdr(Via)[1])"},
		{"$ru x", 3, `unexpected " x" after $ru`},
		{"$(ru x)", 4, `unexpected ' ' in $( … ): expected [index], {transformation} or )`},
	}
	for _, tt := range tests {
		_, err := Parse(tt.in)
		var pe *Error
		if !errors.As(err, &pe) {
			t.Errorf("Parse(%q) = %v, want a *pv.Error", tt.in, err)
			continue
		}
		if pe.Offset != tt.off || pe.Msg != tt.msg {
			t.Errorf("Parse(%q) = offset %d %q, want offset %d %q", tt.in, pe.Offset, pe.Msg, tt.off, tt.msg)
		}
	}
}

func TestValidateTransform(t *testing.T) {
	tests := []struct {
		tr   Transform
		want string
	}{
		{Transform{Class: "s", Name: "len"}, ""},
		{Transform{Class: "s", Name: "substr", Args: []string{"1", "2"}}, ""},
		{Transform{Class: "s", Name: "prefixes"}, ""},
		{Transform{Class: "s", Name: "prefixes", Args: []string{"3"}}, ""},
		{Transform{Class: "uri", Name: "param", Args: []string{"transport"}}, ""},
		{Transform{Class: "param", Name: "value", Args: []string{"a", ","}}, ""},
		{Transform{Class: "s", Name: "substr", Args: []string{"1"}}, "transformation {s.substr} takes 2 arguments, got 1"},
		{Transform{Class: "s", Name: "len", Args: []string{"1"}}, "transformation {s.len} takes no arguments, got 1"},
		{Transform{Class: "param", Name: "value"}, "transformation {param.value} takes 1 or 2 arguments, got 0"},
		{Transform{Class: "s", Name: "lenn"}, "unknown transformation {s.lenn}; did you mean {s.len}?"},
		{Transform{Class: "uri", Name: "zzzzzz"}, "unknown transformation {uri.zzzzzz}"},
		{Transform{Class: "x", Name: "y"}, `unknown transformation class "x" in {x.y}; known classes: line, nameaddr, param, re, s, tobody, uri, urialias`},
	}
	for _, tt := range tests {
		err := ValidateTransform(tt.tr)
		got := ""
		if err != nil {
			got = err.Error()
		}
		if got != tt.want {
			t.Errorf("ValidateTransform(%v) = %q, want %q", tt.tr, got, tt.want)
		}
	}
}

func TestTableValidate(t *testing.T) {
	tab := NewTable()
	tests := []struct {
		in   string
		want []Problem
	}{
		{"$ru", nil},
		{"$var(x)", nil},
		{"$af(id)", nil},
		{"$(hdr(Via)[0]{s.len})", nil},
		{"$foo", []Problem{{Offset: 0, Msg: "unknown pseudo-variable $foo", Unknown: true, Class: "foo"}}},
		{"$rUU", []Problem{{Offset: 0, Msg: "unknown pseudo-variable $rUU; did you mean $rU?", Unknown: true, Class: "rUU"}}},
		{"$hdr", []Problem{{Offset: 0, Msg: "$hdr needs an inner name: $hdr(name)"}}},
		{"$ci(x)", []Problem{{Offset: 0, Msg: "$ci takes no inner name: write $ci, not $ci(x)"}}},
		{"$af(x)", []Problem{{Offset: 0, Msg: `$af(x): unknown inner name "x"; expected one of id or name`}}},
		{"$(ru{s.foo})", []Problem{{Offset: 4, Msg: "unknown transformation {s.foo}"}}},
		{"$sht(a=>$nope)", []Problem{{Offset: 8, Msg: "unknown pseudo-variable $nope", Unknown: true, Class: "nope"}}},
		{"$rU.", []Problem{{Offset: 0, Msg: `$rU. is read as the unknown pseudo-variable $rU. because "." belongs to names; write $(rU) before the dot`, Warning: true, Unknown: true, Class: "rU."}}},
	}
	for _, tt := range tests {
		s, err := Parse(tt.in)
		if err != nil {
			t.Fatalf("Parse(%q): %v", tt.in, err)
		}
		if diff := cmp.Diff(tt.want, tab.Validate(s)); diff != "" {
			t.Errorf("Validate(%q) (-want +got):\n%s", tt.in, diff)
		}
	}
}

func TestTableAdd(t *testing.T) {
	tab := NewTable()
	if err := tab.Add(Class{Name: "ulc", Module: "registrar", Inner: NeedsInner}); err != nil {
		t.Errorf("re-declaring a class for its own module: %v", err)
	}
	if err := tab.Add(Class{Name: "ru", Module: "other"}); err == nil {
		t.Error("a class of another module replaced $ru")
	}
	if err := tab.Add(Class{Name: "bad name"}); err == nil {
		t.Error("a class with a blank in its name was accepted")
	}
	if err := tab.Add(Class{Name: "mine", Module: "mymod"}); err != nil {
		t.Fatal(err)
	}
	if c, ok := tab.Lookup("mine"); !ok || c.Module != "mymod" {
		t.Errorf("Lookup(mine) = %+v, %v", c, ok)
	}
	if _, ok := NewTable().Lookup("mine"); ok {
		t.Error("Add changed the built-in table")
	}
	for _, name := range []string{"?", "rc", "retcode", "env", "envn", "def", "defn", "null"} {
		if c, ok := tab.Lookup(name); !ok || c.Module != "" {
			t.Errorf("$%s: want a core class, got %+v %v", name, c, ok)
		}
	}
	for name, mod := range map[string]string{"ru": "pv", "var": "pv", "conid": "pv", "T_reply_code": "tmx", "T_req": "tmx", "nosip": "nosip"} {
		if c, ok := tab.Lookup(name); !ok || c.Module != mod {
			t.Errorf("$%s: want module %s, got %+v %v", name, mod, c, ok)
		}
	}
}

func TestParseFormat(t *testing.T) {
	tests := []struct {
		in    string
		parts []Part
		errs  []*Error
	}{
		{"plain", []Part{{Offset: 0, Lit: "plain"}}, nil},
		{"from $fu to $(ru{uri.user})\n", []Part{
			{Offset: 0, Lit: "from "},
			{Offset: 5, Spec: &Spec{Text: "$fu", Offset: 5, Class: "fu"}},
			{Offset: 8, Lit: " to "},
			{Offset: 12, Spec: &Spec{Text: "$(ru{uri.user})", Offset: 12, Class: "ru", Transforms: []Transform{{Offset: 16, Class: "uri", Name: "user"}}}},
			{Offset: 27, Lit: "\n"},
		}, nil},
		// Kamailio refuses a lone $ when the config is loaded; $$ is a dollar
		{"cost 5$ ok $", []Part{{Offset: 0, Lit: "cost 5$ ok $"}}, []*Error{
			{Offset: 6, Msg: "a lone '$' is not a pseudo-variable (Kamailio refuses this format at startup); write '$$' for a dollar sign"},
			{Offset: 11, Msg: "a lone '$' is not a pseudo-variable (Kamailio refuses this format at startup); write '$$' for a dollar sign"},
		}},
		{"cost 5$$ for $rU", []Part{
			{Offset: 0, Lit: "cost 5$"},
			{Offset: 8, Lit: " for "},
			{Offset: 13, Spec: &Spec{Text: "$rU", Offset: 13, Class: "rU"}},
		}, nil},
		{"$var(x)$ci", []Part{
			{Offset: 0, Spec: &Spec{Text: "$var(x)", Class: "var", Inner: "x", HasInner: true}},
			{Offset: 7, Spec: &Spec{Text: "$ci", Offset: 7, Class: "ci"}},
		}, nil},
		{"a $(ru b", []Part{{Offset: 0, Lit: "a $(ru b"}}, []*Error{{Offset: 6, Msg: `unexpected ' ' in $( … ): expected [index], {transformation} or )`}}},
	}
	for _, tt := range tests {
		f, errs := ParseFormat(tt.in)
		if diff := cmp.Diff(tt.parts, f.Parts); diff != "" {
			t.Errorf("ParseFormat(%q) parts (-want +got):\n%s", tt.in, diff)
		}
		if diff := cmp.Diff(tt.errs, errs); diff != "" {
			t.Errorf("ParseFormat(%q) errors (-want +got):\n%s", tt.in, diff)
		}
	}
}
