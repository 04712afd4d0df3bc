package sip

import "fmt"

// This file holds what textopsx needs beyond the edit primitives of
// edit.go and textops_edit.go: applying the recorded edits to the message
// (msg_apply_changes), replacing the buffer (msg_set_buffer), locating a
// view (header values, body lines) and the status line of a reply
// (change_reply_status).

// ApplyChanges serializes the message with its edits and parses the result,
// so that every later read (headers, body, $mb, the Request-URI as received)
// sees the edits, as Kamailio's msg_apply_changes does. The new bytes live
// in a fresh buffer: views handed out before stay valid, since the old
// buffer and arena are left untouched. When the result does not parse, the
// message is left as it was and the error is returned.
func (m *Message) ApplyChanges() error {
	if err := m.parsed(); err != nil {
		return err
	}
	if len(m.edits) == 0 {
		return nil
	}
	out := m.AppendTo(make([]byte, 0, len(m.buf)+len(m.arena)))
	return m.replaceWith(out)
}

// SetBuffer replaces the message with b, a complete SIP message of the same
// kind (request or reply), as msg_set_buffer does. b is copied.
func (m *Message) SetBuffer(b []byte) error {
	if err := m.parsed(); err != nil {
		return err
	}
	out := append(make([]byte, 0, len(b)), b...)
	var fresh Message
	fresh.Limits = m.Limits
	if err := fresh.Parse(out, Datagram); err != nil {
		return fmt.Errorf("the new message does not parse: %w", err)
	}
	if fresh.request != m.request {
		return newErr(ErrSyntax, "A request must stay a request and a reply a reply", 0)
	}
	*m = fresh
	return nil
}

// replaceWith parses out (owned by the message from now on) into a fresh
// Message and swaps it in.
func (m *Message) replaceWith(out []byte) error {
	var fresh Message
	fresh.Limits = m.Limits
	if err := fresh.Parse(out, Datagram); err != nil {
		return fmt.Errorf("the edited message does not parse: %w", err)
	}
	*m = fresh
	return nil
}

// ViewOffset returns the offset in Bytes() of sub, a view into the
// received message (a header value, a part of the body), or -1 when it is
// not one.
func (m *Message) ViewOffset(sub []byte) int {
	if len(sub) == 0 {
		return -1
	}
	return m.offsetOf(sub)
}

// SetStatus rewrites the status code and reason phrase of a reply
// (change_reply_status). StatusCode returns the new code from now on, as
// Kamailio's $rs does; Reason keeps returning the received phrase.
func (m *Message) SetStatus(code int, reason string) error {
	if err := m.parsed(); err != nil {
		return err
	}
	if m.request {
		return newErr(ErrSyntax, "Not a reply", -1)
	}
	if code < 100 || code > 699 {
		return newErr(ErrSyntax, "Bad status code", -1)
	}
	if err := checkValueText(reason); err != nil {
		return err
	}
	line := m.StartLine()
	start := len(m.version) + 1
	if start+3 > len(line) {
		return newErr(ErrSyntax, "Bad status line", 0)
	}
	a0 := len(m.arena)
	m.arena = appendUint(m.arena, uint64(code))
	m.arena = append(m.arena, ' ')
	m.arena = append(m.arena, reason...)
	if err := m.commit(start, len(line), a0, true); err != nil {
		return err
	}
	m.status = code
	return nil
}
