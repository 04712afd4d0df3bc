package compat

import (
	"testing"

	"github.com/kamgo/kamgo/lang/parser"
	"github.com/kamgo/kamgo/lang/preproc"
)

// TestKamgoParsesEveryScript feeds the configs the runner gives Kamailio to
// kamgo's parser: every one of them loads and runs on Kamailio 5.6.3, so
// kamgo must read each without a single syntax diagnostic. It needs no
// kamailio binary, and it keeps the front end honest on real scripts until
// the VM can run the whole table.
func TestKamgoParsesEveryScript(t *testing.T) {
	k := &KamailioEngine{}
	groups := buildGroups(Cases, 2)
	if len(groups) < 3 {
		t.Fatalf("only %d configs built from %d cases", len(groups), len(Cases))
	}
	for _, g := range groups {
		src := k.globals(5060) + g.script + MarkerReplyRoute
		_, _, d := parser.ParseSource("compat.cfg", []byte(src), preproc.Options{})
		for _, diag := range d {
			t.Errorf("cases %v: %s", g.ids, diag)
		}
	}
}
