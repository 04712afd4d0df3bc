package rpc

import (
	"bytes"
	"encoding/json"
	"errors"
	"testing"
)

// FuzzServeRequest feeds arbitrary bytes to the server's request handler as
// one message: it must never panic, and whatever it answers must be a
// well-formed JSON-RPC reply (or batch of replies) ending in a newline.
func FuzzServeRequest(f *testing.F) {
	seeds := []string{
		`{"jsonrpc":"2.0","method":"test.add","params":[1,2],"id":1}`,
		`{"jsonrpc":"2.0","method":"test.echo","params":{"a":"x","b":[1,{"c":null}]},"id":"s"}`,
		`{"jsonrpc":"2.0","method":"test.add","params":["1",2.5]}`,
		`[{"jsonrpc":"2.0","method":"system.listMethods","id":1},{"method":"test.panic","id":2}]`,
		`{"jsonrpc":"2.0","method":"system.methodHelp","params":["test.add"],"id":null}`,
		`{"jsonrpc":"2.0","method":"test.stats","id":-1e400}`,
		`{"jsonrpc":"2.0",,}`, `[]`, `null`, `"x"`, ``, `{"id":{}}`,
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	s := NewServer(nil)
	for name, h := range map[string]Handler{
		"test.add": func(p []any) (any, error) {
			a, err := IntParam(p, 0)
			if err != nil {
				return nil, err
			}
			b, err := StringParam(p, 1)
			return a + len(b), err
		},
		"test.echo":  func(p []any) (any, error) { return p, nil },
		"test.stats": func([]any) (any, error) { return Object{{"a", 1}, {"b", "x"}}, nil },
		"test.panic": func([]any) (any, error) { panic("boom") },
		"test.fail":  func([]any) (any, error) { return nil, errors.New("failed") },
	} {
		if err := s.Register(name, "", h); err != nil {
			f.Fatal(err)
		}
	}
	f.Fuzz(func(t *testing.T, msg []byte) {
		reply := s.HandleJSON(msg)
		if reply == nil {
			return
		}
		if !bytes.HasSuffix(reply, []byte("\n")) {
			t.Fatalf("reply without a newline: %q", reply)
		}
		var batch []json.RawMessage
		if err := json.Unmarshal(reply, &batch); err == nil {
			if len(batch) == 0 {
				t.Fatalf("empty batch reply to %q", msg)
			}
			for _, r := range batch {
				checkReply(t, msg, r)
			}
			return
		}
		checkReply(t, msg, reply)
	})
}

// checkReply fails unless reply is one JSON-RPC 2.0 reply object: version,
// id, and exactly one of result and error (with a message).
func checkReply(t *testing.T, msg, reply []byte) {
	t.Helper()
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(reply, &fields); err != nil {
		t.Fatalf("reply %q to %q is not a JSON object: %v", reply, msg, err)
	}
	_, hasResult := fields["result"]
	rawErr, hasError := fields["error"]
	_, hasID := fields["id"]
	if string(fields["jsonrpc"]) != `"2.0"` || !hasID || hasResult == hasError {
		t.Fatalf("malformed reply %q to %q", reply, msg)
	}
	if hasError {
		var e Error
		if err := json.Unmarshal(rawErr, &e); err != nil || e.Message == "" {
			t.Fatalf("malformed error %q in reply to %q", rawErr, msg)
		}
	}
}
