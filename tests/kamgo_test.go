//go:build unix

package tests

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
)

// kamgoDiagnostic is one entry of `kamgo check --format json`.
type kamgoDiagnostic struct {
	File     string `json:"file"`
	Line     int    `json:"line"`
	Column   int    `json:"column"`
	Severity string `json:"severity"`
	Message  string `json:"message"`
}

func (d kamgoDiagnostic) String() string {
	return fmt.Sprintf("%s:%d:%d: %s: %s", filepath.Base(d.File), d.Line, d.Column, d.Severity, d.Message)
}

// runKamgoSyntaxCheck runs `kamgo check --syntax-only --format json
// [-A NAME]... BASE` in the config's folder and returns the error
// diagnostics, with file names made absolute.
func runKamgoSyntaxCheck(cfgPath string, defines []string) ([]kamgoDiagnostic, error) {
	dir := filepath.Dir(cfgPath)
	args := []string{"check", "--syntax-only", "--format", "json"}
	for _, name := range defines {
		args = append(args, "-A", name)
	}
	args = append(args, filepath.Base(cfgPath))
	res, err := runBounded(checkTimeout, dir, kamgoBinary, args...)
	if err != nil {
		return nil, fmt.Errorf("kamgo %s: %w\n%s", strings.Join(args, " "), err, res.stderr)
	}
	if res.exitCode != 0 && res.exitCode != 1 {
		return nil, fmt.Errorf("kamgo %s: exit code %d\n%s", strings.Join(args, " "), res.exitCode, res.stderr)
	}
	var all []kamgoDiagnostic
	if err := json.Unmarshal(res.stdout, &all); err != nil {
		return nil, fmt.Errorf("kamgo %s: decoding the JSON diagnostics: %w\n%s", strings.Join(args, " "), err, res.stdout)
	}
	var errs []kamgoDiagnostic
	for _, d := range all {
		if d.Severity != "error" {
			continue
		}
		if !filepath.IsAbs(d.File) {
			d.File = filepath.Join(dir, d.File)
		}
		d.File = filepath.Clean(d.File)
		errs = append(errs, d)
	}
	if (res.exitCode == 1) != (len(errs) > 0) {
		return nil, fmt.Errorf("kamgo %s: exit code %d does not match its %d error diagnostic(s)\n%s", strings.Join(args, " "), res.exitCode, len(errs), res.stdout)
	}
	return errs, nil
}
