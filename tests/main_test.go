// Package tests holds kamgo's end-to-end tests: they run the kamgo binary
// built from this repository, and compare it with the real Kamailio where
// Kamailio is the reference.
package tests

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// kamgoBinary is the kamgo executable that TestMain builds from this
// repository for the tests of this package.
var kamgoBinary string

// buildTimeout bounds `go build ./cmd/kamgo`.
const buildTimeout = 5 * time.Minute

func TestMain(m *testing.M) {
	os.Exit(runTests(m))
}

// runTests builds kamgo into a temporary folder, runs the tests and removes
// the folder again; it returns the exit code for os.Exit.
func runTests(m *testing.M) int {
	root, err := repoRoot()
	if err != nil {
		fmt.Fprintln(os.Stderr, "tests:", err)
		return 1
	}
	binDir, err := os.MkdirTemp("", "kamgo-tests-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "tests:", err)
		return 1
	}
	defer os.RemoveAll(binDir)

	kamgoBinary = filepath.Join(binDir, "kamgo")
	if err := buildKamgo(root, kamgoBinary); err != nil {
		fmt.Fprintln(os.Stderr, "tests:", err)
		return 1
	}
	return m.Run()
}

// repoRoot returns the repository root: the parent of this package's folder,
// which `go test` makes the working directory.
func repoRoot() (string, error) {
	root, err := filepath.Abs("..")
	if err != nil {
		return "", err
	}
	goMod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		return "", fmt.Errorf("finding the repository root: %w", err)
	}
	if !bytes.Contains(goMod, []byte("module github.com/kamgo/kamgo")) {
		return "", fmt.Errorf("%s/go.mod is not the kamgo module", root)
	}
	return root, nil
}

// buildKamgo runs `go build -o out ./cmd/kamgo` in the repository root.
func buildKamgo(root, out string) error {
	ctx, cancel := context.WithTimeout(context.Background(), buildTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "go", "build", "-o", out, "./cmd/kamgo")
	cmd.Dir = root
	output, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("go build ./cmd/kamgo: %w\n%s", err, strings.TrimSpace(string(output)))
	}
	return nil
}
