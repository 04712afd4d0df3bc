package sip

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestParseNameAddr(t *testing.T) {
	tests := []struct {
		in   string
		want NameAddr
	}{
		{`"A. G. Bell" <sip:agb@bell-telephone.com> ;tag=a48s`, NameAddr{Display: b(`"A. G. Bell"`),
			URI: b("sip:agb@bell-telephone.com"), Angle: true, Params: Params(";tag=a48s"), Tag: b("a48s")}},
		{"sip:+12125551212@server.phone2net.com;tag=887s", NameAddr{URI: b("sip:+12125551212@server.phone2net.com"),
			Params: Params(";tag=887s"), Tag: b("887s")}},
		{"Anonymous <sip:c8oqz84zk7z@privacy.org>;tag=hyh8", NameAddr{Display: b("Anonymous"),
			URI: b("sip:c8oqz84zk7z@privacy.org"), Angle: true, Params: Params(";tag=hyh8"), Tag: b("hyh8")}},
		{"<sip:a@b;lr>", NameAddr{URI: b("sip:a@b;lr"), Angle: true}},
		{"Mr  Watson <tel:+1234>", NameAddr{Display: b("Mr  Watson"), URI: b("tel:+1234"), Angle: true}},
	}
	for _, tt := range tests {
		got, err := ParseNameAddr([]byte(tt.in))
		if err != nil {
			t.Errorf("ParseNameAddr(%q): %v", tt.in, err)
			continue
		}
		tt.want.Raw = b(tt.in)
		if d := cmp.Diff(tt.want, got, cmpopts.EquateEmpty()); d != "" {
			t.Errorf("ParseNameAddr(%q) (-want +got):\n%s", tt.in, d)
		}
	}
}

func TestParseNameAddrErrors(t *testing.T) {
	for _, in := range []string{
		"", `"open <sip:a@b>`, "< sip:a@b >", "<sip:a@b", "Bell, Alexander <sip:a@b>", `"x" sip:a@b`,
		"sip:a@b?x=y", "<sip:a@b>;tag", "<sip:a@b>;tag=1;tag=2", "<sip:a@b>;;", "<sip:a@b> junk", "<>",
		"<not a uri>", "sip:a@b;tag=\"q\"",
	} {
		if n, err := ParseNameAddr([]byte(in)); err == nil {
			t.Errorf("ParseNameAddr(%q) accepted: %+v", in, n)
		}
	}
}

func TestParseContact(t *testing.T) {
	c, err := ParseContact(b(`"Mr. Watson" <sip:watson@worcester.bell-telephone.com>;q=0.7; expires=3600`))
	if err != nil {
		t.Fatal(err)
	}
	if c.Q != 700 || !c.HasExpires || c.Expires != 3600 {
		t.Errorf("q=%d expires=%d/%v", c.Q, c.Expires, c.HasExpires)
	}
	for _, in := range []string{"<sip:a@b>;q=1.5", "<sip:a@b>;q=0.1234", "<sip:a@b>;expires=4294967296", "<sip:a@b>;q=x", "<sip:a@b>;expires=1;expires=2"} {
		if _, err := ParseContact(b(in)); err == nil {
			t.Errorf("ParseContact(%q) accepted", in)
		}
	}
	for in, want := range map[string]int{"0": 0, "1": 1000, "0.5": 500, "1.000": 1000, "0.001": 1} {
		if q, ok := parseQ(b(in)); !ok || q != want {
			t.Errorf("parseQ(%q) = %d %v", in, q, ok)
		}
	}
}

func TestDisplayName(t *testing.T) {
	for in, want := range map[string]string{
		`"J Rosenberg \\\"" <sip:a@b>`: `J Rosenberg \"`, "Bob <sip:a@b>": "Bob", "<sip:a@b>": "",
	} {
		n, err := ParseNameAddr(b(in))
		if err != nil {
			t.Fatal(err)
		}
		if got := string(n.AppendDisplayName(nil)); got != want {
			t.Errorf("%q: display %q, want %q", in, got, want)
		}
	}
}

func TestSplitValues(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"a", []string{"a"}},
		{"a , b,c", []string{"a", "b", "c"}},
		{`"x, y" <sip:a@b;p=1,2>, <sip:c@d>`, []string{`"x, y" <sip:a@b;p=1,2>`, "<sip:c@d>"}},
		{`"a\",b" <sip:x@y>,z`, []string{`"a\",b" <sip:x@y>`, "z"}},
		{";;,;,,", []string{";;", ";", "", ""}},
		{"a,\r\n b", []string{"a", "b"}},
	}
	for _, tt := range tests {
		var got []string
		it := SplitValues(b(tt.in))
		for v, ok := it.Next(); ok; v, ok = it.Next() {
			got = append(got, string(v))
		}
		if d := cmp.Diff(tt.want, got); d != "" {
			t.Errorf("SplitValues(%q):\n%s", tt.in, d)
		}
	}
}

func TestParams(t *testing.T) {
	p := Params(" ; tag = 12 ;lr; Q=\"a;b\"")
	var names []string
	for it := p.Iter(); it.Next(); {
		names = append(names, string(it.Name)+"="+string(it.Value))
	}
	if d := cmp.Diff([]string{"tag=12", "lr=", `Q="a;b"`}, names); d != "" {
		t.Error(d)
	}
	if v, ok := p.Get("q"); !ok || string(v) != `"a;b"` {
		t.Errorf("Get(q) = %q %v", v, ok)
	}
	if _, ok := p.Get("x"); ok || !p.Has("LR") {
		t.Errorf("Get(x) / Has(LR) wrong")
	}
}
