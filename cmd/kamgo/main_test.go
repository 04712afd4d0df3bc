package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestExitCodesAndOutput(t *testing.T) {
	tests := []struct {
		name       string
		args       []string
		wantCode   int
		wantStderr []string // substrings, in order
		wantStdout []string
	}{
		{name: "no args", args: nil, wantCode: exitUsage, wantStderr: []string{"usage:"}},
		{name: "unknown command", args: []string{"frobnicate"}, wantCode: exitUsage, wantStderr: []string{`unknown command "frobnicate"`}},
		{name: "check clean", args: []string{"check", "--syntax-only", "testdata/ok.cfg"}, wantCode: exitOK},
		{name: "check without files", args: []string{"check"}, wantCode: exitUsage, wantStderr: []string{"no config file given"}},
		{name: "check bad format", args: []string{"check", "--format", "xml", "testdata/ok.cfg"}, wantCode: exitUsage, wantStderr: []string{"--format must be text or json"}},
		{name: "check unknown option", args: []string{"check", "--frob", "testdata/ok.cfg"}, wantCode: exitUsage, wantStderr: []string{"unknown option --frob"}},
		{
			name: "check broken reports every error", args: []string{"check", "--syntax-only", "testdata/broken.cfg"}, wantCode: exitError,
			wantStderr: []string{
				"testdata/broken.cfg:2:10: error: '+=' is not an operator",
				"\t$var(x) += 1;\n  \t        ^",
				"testdata/broken.cfg:4:1: error: missing ';' after exit",
				"2 error(s), 0 warning(s)",
			},
		},
		{name: "define off", args: []string{"check", "--syntax-only", "testdata/needs_define.cfg"}, wantCode: exitOK},
		{
			name: "define from -A", args: []string{"check", "--syntax-only", "-A", "WITH_FOO", "testdata/needs_define.cfg"}, wantCode: exitError,
			wantStderr: []string{"testdata/needs_define.cfg:5:2: error: missing ';' after exit"},
		},
		{
			name: "full check finds semantic errors", args: []string{"check", "testdata/semantic.cfg"}, wantCode: exitError,
			wantStderr: []string{
				"testdata/semantic.cfg:3:2: error: unknown function foo_bar",
				"testdata/semantic.cfg:4:8: error: route(MISSING) names route[MISSING], which is not defined",
				"testdata/semantic.cfg:5:10: error: flag 40 is out of range in setflag(); flags are 0..31",
				"3 error(s), 0 warning(s)",
			},
		},
		{name: "syntax-only ignores semantics", args: []string{"check", "--syntax-only", "testdata/semantic.cfg"}, wantCode: exitOK},
		{
			name: "kamailio-compat keeps what Kamailio rejects", args: []string{"check", "--kamailio-compat", "testdata/semantic.cfg"}, wantCode: exitError,
			wantStderr: []string{"error: unknown function foo_bar", "error: route(MISSING)", "error: flag 40"},
		},
		{name: "kamailio form ok", args: []string{"-c", "-f", "testdata/ok.cfg"}, wantCode: exitOK, wantStderr: []string{"config file ok, exiting..."}},
		{name: "kamailio form broken", args: []string{"-c", "-f", "testdata/broken.cfg"}, wantCode: exitError, wantStderr: []string{"broken.cfg:2:10"}},
		{name: "kamailio form without -c runs, refusing a broken config", args: []string{"-f", "testdata/semantic.cfg", "-DD", "-E"}, wantCode: exitError,
			wantStderr: []string{"testdata/semantic.cfg:3:2: error: unknown function foo_bar", "3 error(s)"}},
		{name: "kamailio form with an unknown option", args: []string{"-f", "testdata/ok.cfg", "-Z"}, wantCode: exitUsage, wantStderr: []string{"unknown option -Z"}},
		{name: "missing file", args: []string{"check", "testdata/nope.cfg"}, wantCode: exitError, wantStderr: []string{"testdata/nope.cfg: error: cannot read config file"}},
		{name: "embedded default", args: []string{"check", "--default"}, wantCode: exitOK},
		{name: "version", args: []string{"version"}, wantCode: exitOK, wantStdout: []string{"kamgo ", "config language: Kamailio 5.6.3"}},
		{name: "dump ast", args: []string{"dump", "--ast", "testdata/ok.cfg"}, wantCode: exitOK, wantStdout: []string{"(mode KAMAILIO)", "(param listen socket:udp:127.0.0.1:5060)", "(request_route"}},
		{name: "dump bytecode", args: []string{"dump", "testdata/ok.cfg"}, wantCode: exitOK, wantStdout: []string{"request_route", "end"}},
		{name: "run refuses a broken config", args: []string{"run", "-D", "-f", "testdata/broken.cfg"}, wantCode: exitError, wantStderr: []string{"broken.cfg:2:10"}},
		{name: "run usage", args: []string{"run", "-h"}, wantCode: exitUsage, wantStderr: []string{"usage: kamgo run"}},
		{name: "run bad children", args: []string{"run", "-n", "x"}, wantCode: exitUsage, wantStderr: []string{"-n needs a number"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(tt.args, &stdout, &stderr)
			if code != tt.wantCode {
				t.Errorf("exit code = %d, want %d\nstderr:\n%s", code, tt.wantCode, stderr.String())
			}
			assertInOrder(t, "stderr", stderr.String(), tt.wantStderr)
			assertInOrder(t, "stdout", stdout.String(), tt.wantStdout)
		})
	}
}

func assertInOrder(t *testing.T, stream, got string, want []string) {
	t.Helper()
	rest := got
	for _, w := range want {
		i := strings.Index(rest, w)
		if i < 0 {
			t.Errorf("%s does not contain %q (in order)\n%s", stream, w, got)
			return
		}
		rest = rest[i+len(w):]
	}
}

func TestCheckJSON(t *testing.T) {
	var stdout, stderr bytes.Buffer
	code := run([]string{"check", "--syntax-only", "--format", "json", "testdata/broken.cfg"}, &stdout, &stderr)
	if code != exitError {
		t.Fatalf("exit code = %d, want %d", code, exitError)
	}
	type jsonDiag struct {
		File, Severity, Message, Source string
		Line, Column                    int
	}
	var got []jsonDiag
	if err := json.Unmarshal(stdout.Bytes(), &got); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, stdout.String())
	}
	want := []jsonDiag{
		{File: "testdata/broken.cfg", Line: 2, Column: 10, Severity: "error", Message: "'+=' is not an operator of Kamailio's config language: write $var(x) = $var(x) + …", Source: "\t$var(x) += 1;"},
		{File: "testdata/broken.cfg", Line: 4, Column: 1, Severity: "error", Message: "missing ';' after exit", Source: "}"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("JSON diagnostics (-want +got):\n%s", diff)
	}
}
