//go:build unix

package compat

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestMsg2Probe(t *testing.T) {
	k, err := FindKamailio()
	if err != nil {
		t.Skip(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	for _, r := range RunCases(ctx, k, msg2Cases, 2) {
		if r.Err != nil {
			t.Errorf("%s: %v", r.Case.Name, r.Err)
			continue
		}
		if diff := cmp.Diff(r.WantExpanded(), r.Lines, cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("%s: %s", r.Case.Name, diff)
		}
	}
}
