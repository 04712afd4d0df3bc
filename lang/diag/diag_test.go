package diag

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kamgo/kamgo/lang/token"
)

func pos(file string, line, col int) token.Pos {
	return token.Pos{Filename: file, Line: line, Column: col}
}

func TestSortOrdersAndDropsDuplicates(t *testing.T) {
	var l List
	l.Add(pos("b.cfg", 1, 1), "b")
	l.Add(pos("a.cfg", 3, 5), "second")
	l.Warn(pos("a.cfg", 3, 2), "first")
	l.Add(pos("a.cfg", 3, 5), "second")
	l.Add(pos("a.cfg", 3, 5), "same place, found later")
	l.Sort()
	var got []string
	for _, d := range l {
		got = append(got, d.String())
	}
	want := []string{
		"a.cfg:3:2: warning: first",
		"a.cfg:3:5: error: second",
		"a.cfg:3:5: error: same place, found later",
		"b.cfg:1:1: error: b",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("sorted list (-want +got):\n%s", diff)
	}
	if errs, warns := l.Count(); errs != 3 || warns != 1 {
		t.Errorf("Count() = %d, %d; want 3, 1", errs, warns)
	}
}

func TestErrOnlyForErrors(t *testing.T) {
	var l List
	if l.Err() != nil {
		t.Error("empty list: Err() != nil")
	}
	l.Warn(pos("a.cfg", 1, 1), "just a warning")
	if l.Err() != nil || l.HasErrors() {
		t.Error("warnings only: the list must not be an error")
	}
	l.Add(pos("a.cfg", 2, 1), "boom")
	l.Add(pos("a.cfg", 3, 1), "bang")
	if got, want := l.Err().Error(), "a.cfg:1:1: warning: just a warning (and 2 more)"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}

func TestWriteTextShowsLineAndCaret(t *testing.T) {
	src := map[string][]byte{"m.cfg": []byte("request_route {\n\t$var(x) += 1;\n}\n")}
	read := func(name string) ([]byte, bool) { b, ok := src[name]; return b, ok }
	var l List
	l.Add(pos("m.cfg", 2, 10), "'+=' is not an operator")
	l.Add(pos("gone.cfg", 1, 1), "no source for this one")
	l.Add(token.Pos{}, "no position at all")
	var b bytes.Buffer
	if err := l.WriteText(&b, read); err != nil {
		t.Fatal(err)
	}
	want := "m.cfg:2:10: error: '+=' is not an operator\n" +
		"  \t$var(x) += 1;\n" +
		"  \t        ^\n" +
		"gone.cfg:1:1: error: no source for this one\n" +
		"<input>: error: no position at all\n"
	if diff := cmp.Diff(want, b.String()); diff != "" {
		t.Errorf("text (-want +got):\n%s", diff)
	}
}

func TestWriteJSON(t *testing.T) {
	src := map[string][]byte{"m.cfg": []byte("a\nbad line\n")}
	read := func(name string) ([]byte, bool) { b, ok := src[name]; return b, ok }
	var l List
	l.Warn(pos("m.cfg", 2, 5), "careful")
	var b bytes.Buffer
	if err := l.WriteJSON(&b, read); err != nil {
		t.Fatal(err)
	}
	var got []map[string]any
	if err := json.Unmarshal(b.Bytes(), &got); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, b.String())
	}
	want := []map[string]any{{"file": "m.cfg", "line": 2.0, "column": 5.0, "severity": "warning", "message": "careful", "source": "bad line"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("JSON (-want +got):\n%s", diff)
	}
}

func TestSuggest(t *testing.T) {
	tests := []struct {
		name       string
		candidates []string
		want       string
	}{
		{"fr_timr", []string{"fr_timer", "fr_inv_timer", "wt_timer"}, "fr_timer"},
		{"sl_send_rply", []string{"sl_send_reply", "send_reply"}, "sl_send_reply"},
		{"tn", []string{"tm", "sl"}, "tm"},
		{"xyz", []string{"tm", "sl"}, ""},
		{"abcdefgh", []string{"zzzzzzzz"}, ""},
		{"same", []string{"same"}, ""},
		{"rr", []string{"tm", "rq", "ra"}, "ra"},
	}
	for _, tt := range tests {
		if got := Suggest(tt.name, tt.candidates, 2); got != tt.want {
			t.Errorf("Suggest(%q, %v) = %q, want %q", tt.name, tt.candidates, got, tt.want)
		}
	}
}
