package sip

// AppendTo appends the message with all edits applied to dst and returns
// the extended slice. Without edits the output is exactly Bytes(). With a
// reused dst of sufficient capacity it does not allocate, which keeps the
// forwarding path allocation-free.
func (m *Message) AppendTo(dst []byte) []byte {
	pos := 0
	for k := range m.edits {
		e := &m.edits[k]
		off, end := int(e.off), int(e.end)
		if off < pos {
			// Starts inside a range already replaced: dropped (see edit).
			if end > pos {
				pos = end
			}
			continue
		}
		dst = append(dst, m.buf[pos:off]...)
		dst = append(dst, m.arena[e.a0:e.a1]...)
		pos = end
	}
	return append(dst, m.buf[pos:]...)
}

// String returns the serialized message (allocates; for logs and tests).
func (m *Message) String() string { return string(m.AppendTo(nil)) }
