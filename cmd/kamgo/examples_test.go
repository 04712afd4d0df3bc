package main

import (
	"bytes"
	"path/filepath"
	"testing"
)

// TestExamplesCheck: every config under examples/ passes the full check, so
// that what the README tells users to run does run.
func TestExamplesCheck(t *testing.T) {
	files, err := filepath.Glob("../../examples/*.cfg")
	if err != nil || len(files) < 2 {
		t.Fatalf("examples: %v (%d files)", err, len(files))
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			if code := run([]string{"check", f}, &stdout, &stderr); code != exitOK {
				t.Errorf("kamgo check %s: exit %d\n%s", f, code, stderr.String())
			}
		})
	}
}
