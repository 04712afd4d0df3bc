package rpc

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"time"

	"github.com/kamgo/kamgo/runtime/logging"
)

// errTooLarge stops the decoder when a request outgrows MaxRequestBytes.
var errTooLarge = errors.New("request too large")

// limitedReader lets the decoder read at most limit bytes in total; the
// connection loop moves the limit forward request by request.
type limitedReader struct {
	r     io.Reader
	read  int64
	limit int64
}

func (l *limitedReader) Read(p []byte) (int, error) {
	room := l.limit - l.read
	if room <= 0 {
		return 0, errTooLarge
	}
	if int64(len(p)) > room {
		p = p[:room]
	}
	n, err := l.r.Read(p)
	l.read += int64(n)
	return n, err
}

// serveConn answers the requests of one connection, one after another, until
// the client closes it, stays idle too long or sends something that cannot be
// resynchronised (malformed JSON, an oversized request).
func (s *Server) serveConn(c net.Conn) {
	defer s.untrack(c)
	lr := &limitedReader{r: c}
	dec := json.NewDecoder(lr)
	for {
		// The limit counts from the start of this request, which is where
		// the decoder stopped; bytes it already buffered count against it.
		lr.limit = dec.InputOffset() + s.MaxRequestBytes
		if err := c.SetReadDeadline(time.Now().Add(s.IdleTimeout)); err != nil {
			return
		}
		var raw json.RawMessage
		err := dec.Decode(&raw)
		if err != nil {
			s.connError(c, err)
			return
		}
		reply := s.HandleJSON(raw)
		if reply == nil {
			continue
		}
		if err := c.SetWriteDeadline(time.Now().Add(s.WriteTimeout)); err != nil {
			return
		}
		if _, err := c.Write(reply); err != nil {
			if s.log.Enabled(logging.LDbg) {
				s.log.Logf(logging.LDbg, "rpc: writing reply: %v", err)
			}
			return
		}
	}
}

// connError answers what can be answered about a failed read before the
// connection is closed.
func (s *Server) connError(c net.Conn, err error) {
	var syntaxErr *json.SyntaxError
	var reply []byte
	switch {
	case errors.Is(err, io.EOF), s.isClosed():
		return
	case errors.Is(err, errTooLarge):
		reply = errorReply(nil, CodeInvalidRequest, fmt.Sprintf("Request Too Large (limit %d bytes)", s.MaxRequestBytes))
	case errors.As(err, &syntaxErr), errors.Is(err, io.ErrUnexpectedEOF):
		reply = errorReply(nil, CodeParseError, "Parse error")
	default:
		// Idle timeout, reset by peer: nobody to answer.
		if s.log.Enabled(logging.LDbg) {
			s.log.Logf(logging.LDbg, "rpc: connection closed: %v", err)
		}
		return
	}
	if s.log.Enabled(logging.LDbg) {
		s.log.Logf(logging.LDbg, "rpc: bad request: %v", err)
	}
	_ = c.SetWriteDeadline(time.Now().Add(s.WriteTimeout))
	_, _ = c.Write(reply)
}

// HandleJSON answers one JSON-RPC message (a request, a notification or a
// batch) and returns the reply followed by a newline, or nil when there is
// nothing to answer (notifications). It is the socket's request handler,
// usable by any other transport.
func (s *Server) HandleJSON(msg []byte) []byte {
	msg = bytes.TrimSpace(msg)
	if !json.Valid(msg) {
		return errorReply(nil, CodeParseError, "Parse error")
	}
	if len(msg) > 0 && msg[0] == '[' {
		return s.handleBatch(msg)
	}
	reply := s.handleOne(msg)
	if reply == nil {
		return nil
	}
	return append(reply, '\n')
}

func (s *Server) handleBatch(msg []byte) []byte {
	var items []json.RawMessage
	if err := json.Unmarshal(msg, &items); err != nil || len(items) == 0 {
		return errorReply(nil, CodeInvalidRequest, "Invalid Request")
	}
	var out bytes.Buffer
	out.WriteByte('[')
	n := 0
	for _, item := range items {
		reply := s.handleOne(item)
		if reply == nil {
			continue
		}
		if n > 0 {
			out.WriteByte(',')
		}
		out.Write(reply)
		n++
	}
	if n == 0 {
		return nil
	}
	out.WriteString("]\n")
	return out.Bytes()
}

// response is a JSON-RPC reply; exactly one of Result and Error is set.
type response struct {
	JSONRPC string          `json:"jsonrpc"`
	Result  json.RawMessage `json:"result,omitempty"`
	Error   *Error          `json:"error,omitempty"`
	ID      json.RawMessage `json:"id"`
}

var jsonNull = json.RawMessage("null")

// errorReply encodes an error reply followed by a newline; a nil id is null.
func errorReply(id json.RawMessage, code int, message string) []byte {
	b, err := encodeReply(response{Error: &Error{Code: code, Message: message}, ID: id})
	if err != nil {
		// Only the id could fail to encode, and ids are checked before.
		b, _ = encodeReply(response{Error: &Error{Code: code, Message: message}})
	}
	return append(b, '\n')
}

func encodeReply(r response) ([]byte, error) {
	r.JSONRPC = "2.0"
	if r.ID == nil {
		r.ID = jsonNull
	}
	return json.Marshal(r)
}

// handleOne answers one request object, without the trailing newline; nil
// for a notification.
func (s *Server) handleOne(msg json.RawMessage) []byte {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(msg, &fields); err != nil || fields == nil {
		return trimNL(errorReply(nil, CodeInvalidRequest, "Invalid Request"))
	}
	id, hasID := fields["id"]
	if hasID && !validID(id) {
		return trimNL(errorReply(nil, CodeInvalidRequest, "Invalid Request: bad id"))
	}
	// Kamailio's jsonrpcs accepts requests without "jsonrpc"; a wrong
	// version is refused.
	if v, ok := fields["jsonrpc"]; ok && !bytes.Equal(bytes.TrimSpace(v), []byte(`"2.0"`)) {
		return trimNL(errorReply(id, CodeInvalidRequest, `Invalid Request: jsonrpc must be "2.0"`))
	}
	var name string
	if err := json.Unmarshal(fields["method"], &name); err != nil || name == "" {
		return trimNL(errorReply(id, CodeInvalidRequest, "Invalid Request: method must be a non-empty string"))
	}
	params, err := decodeParams(fields["params"])
	if err != nil {
		return trimNL(errorReply(id, CodeInvalidParams, "Invalid Parameters: "+err.Error()))
	}
	if s.log.Enabled(logging.LDbg) {
		s.log.Logf(logging.LDbg, "rpc: call %s with %d parameter(s)", name, len(params))
	}
	result, callErr := s.Call(name, params)
	if !hasID {
		return nil
	}
	if callErr != nil {
		var rpcErr *Error
		if !errors.As(callErr, &rpcErr) {
			rpcErr = &Error{Code: CodeInternal, Message: callErr.Error()}
		}
		return trimNL(errorReply(id, rpcErr.Code, rpcErr.Message))
	}
	encoded, err := json.Marshal(result)
	if err != nil {
		s.log.Logf(logging.LErr, "rpc: method %s returned a result that cannot be encoded: %v", name, err)
		return trimNL(errorReply(id, CodeInternal, fmt.Sprintf("cannot encode the result of %s", name)))
	}
	b, err := encodeReply(response{Result: encoded, ID: id})
	if err != nil {
		return trimNL(errorReply(nil, CodeInternal, "cannot encode reply"))
	}
	return b
}

func trimNL(b []byte) []byte { return bytes.TrimSuffix(b, []byte("\n")) }

// validID reports whether id is what JSON-RPC allows: a string, a number or
// null.
func validID(id json.RawMessage) bool {
	id = bytes.TrimSpace(id)
	if len(id) == 0 {
		return false
	}
	switch c := id[0]; {
	case c == '"', c == '-', c >= '0' && c <= '9':
		return true
	}
	return bytes.Equal(id, jsonNull)
}

// decodeParams turns "params" into positional values: an array as it is, an
// object's member values in order (names are ignored, as Kamailio does),
// nothing for an absent or null member.
func decodeParams(raw json.RawMessage) ([]any, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || bytes.Equal(raw, jsonNull) {
		return []any{}, nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	delim, ok := tok.(json.Delim)
	if !ok || (delim != '[' && delim != '{') {
		return nil, errors.New("params must be an array or an object")
	}
	params := []any{}
	for dec.More() {
		if delim == '{' {
			if _, err := dec.Token(); err != nil { // the member name
				return nil, err
			}
		}
		var v any
		if err := dec.Decode(&v); err != nil {
			return nil, err
		}
		params = append(params, v)
	}
	return params, nil
}
