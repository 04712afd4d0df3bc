package compat

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestGapsTmp(t *testing.T) {
	t.Setenv(EnvName, EnvValue)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var engines []Engine
	if k, err := FindKamailio(); err == nil {
		engines = append(engines, k)
	}
	engines = append(engines, KamgoEngine{})
	for _, e := range engines {
		for _, r := range RunCases(ctx, e, gapsProbe, 2) {
			fmt.Printf("== %s %s err=%v\n", e.Name(), r.Case.Name, r.Err)
			for _, l := range r.Lines {
				fmt.Printf("   %q\n", l)
			}
			if len(r.Diags) > 0 {
				fmt.Printf("   diags: %s\n", strings.Join(r.Diags, " | "))
			}
			if len(r.Case.Want) > 0 && strings.Join(r.Case.Want, "\n") != strings.Join(r.WantExpanded(), "\n") {
				t.Log("x")
			}
		}
	}
}
