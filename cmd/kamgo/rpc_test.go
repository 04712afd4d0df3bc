package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/kamgo/kamgo/runtime/rpc"
)

// startRPCServer serves a few methods on a socket in a short temporary
// directory (UNIX socket paths are limited to 108 bytes) and returns the
// socket's path and its run directory.
func startRPCServer(t *testing.T) (path, rundir string) {
	t.Helper()
	rundir, err := os.MkdirTemp("", "kamgorpc")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(rundir) })
	s := rpc.NewServer(nil)
	methods := map[string]rpc.Handler{
		// test.types says how each parameter arrived.
		"test.types": func(params []any) (any, error) {
			out := make([]string, len(params))
			for i, p := range params {
				out[i] = fmt.Sprintf("%T %v", p, p)
			}
			return out, nil
		},
		"test.stats": func([]any) (any, error) {
			return rpc.Object{{Name: "current", Value: 0}, {Name: "total", Value: 12}}, nil
		},
		"test.version": func([]any) (any, error) { return "kamgo test", nil },
		"test.get": func(params []any) (any, error) {
			uri, err := rpc.StringParam(params, 0)
			if err != nil {
				return nil, err
			}
			return nil, &rpc.Error{Code: 404, Message: "Destination not found: " + uri}
		},
	}
	for name, h := range methods {
		if err := s.Register(name, "test method "+name, h); err != nil {
			t.Fatal(err)
		}
	}
	path = filepath.Join(rundir, "kamgo_rpc.sock")
	if err := s.Listen(path); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return path, rundir
}

func TestRunRPC(t *testing.T) {
	path, rundir := startRPCServer(t)
	missing := filepath.Join(rundir, "nope.sock")
	tests := []struct {
		name       string
		args       []string
		wantCode   int
		wantStdout string
		wantStderr []string // substrings
	}{
		{
			name:       "args typed like kamcmd",
			args:       []string{"-s", path, "test.types", "42", "-7", "abc", "s:123", "1.5", "s:", ""},
			wantStdout: "json.Number 42\njson.Number -7\nstring abc\nstring 123\nstring 1.5\nstring \nstring \n",
		},
		{
			name:       "struct result",
			args:       []string{"-s", path, "test.stats"},
			wantStdout: "{\n\tcurrent: 0\n\ttotal: 12\n}\n",
		},
		{
			name:       "json output",
			args:       []string{"-s", path, "--json", "test.stats"},
			wantStdout: "{\n  \"current\": 0,\n  \"total\": 12\n}\n",
		},
		{
			name:       "socket found through the run directory",
			args:       []string{"-r", rundir, "test.version"},
			wantStdout: "kamgo test\n",
		},
		{
			name:       "method help",
			args:       []string{"-s", path, "system.methodHelp", "test.version"},
			wantStdout: "test method test.version\n",
		},
		{
			name:     "error reply",
			args:     []string{"-s", path, "test.get", "sip:a@b"},
			wantCode: exitError, wantStderr: []string{"error: 404 - Destination not found: sip:a@b\n"},
		},
		{
			name:     "unknown method",
			args:     []string{"-s", path, "keepalive.nope"},
			wantCode: exitError, wantStderr: []string{"error: 500 - Method Not Found\n"},
		},
		{
			name:     "unreachable socket",
			args:     []string{"-s", missing, "core.version"},
			wantCode: exitError, wantStderr: []string{missing, "-s SOCKET"},
		},
		{name: "help", args: []string{"-h"}, wantStdout: rpcUsage},
		{name: "no method", args: []string{"-s", path}, wantCode: exitUsage, wantStderr: []string{"no method given", "usage:"}},
		{name: "unknown option", args: []string{"--frob", "x.y"}, wantCode: exitUsage, wantStderr: []string{"-frob", "usage:"}},
		{name: "bad timeout", args: []string{"-t", "0s", "x.y"}, wantCode: exitUsage, wantStderr: []string{"-t must be positive"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := runRPC(tt.args, &stdout, &stderr)
			if code != tt.wantCode {
				t.Errorf("exit code %d, want %d; stderr:\n%s", code, tt.wantCode, stderr.String())
			}
			if diff := cmp.Diff(tt.wantStdout, stdout.String()); diff != "" {
				t.Errorf("stdout (-want +got):\n%s", diff)
			}
			for _, want := range tt.wantStderr {
				if !strings.Contains(stderr.String(), want) {
					t.Errorf("stderr lacks %q:\n%s", want, stderr.String())
				}
			}
			if tt.wantStderr == nil && stderr.Len() > 0 {
				t.Errorf("unexpected stderr:\n%s", stderr.String())
			}
		})
	}
}

func TestRPCParams(t *testing.T) {
	got := rpcParams([]string{"1", "s:1", "x", "99999999999999999999", "0x10", "s:s:2"})
	want := []any{int64(1), "1", "x", "99999999999999999999", "0x10", "s:2"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	// What goes on the wire.
	b, err := json.Marshal(got)
	if err != nil {
		t.Fatal(err)
	}
	if want := `[1,"1","x","99999999999999999999","0x10","s:2"]`; string(b) != want {
		t.Errorf("encoded %s, want %s", b, want)
	}
}
