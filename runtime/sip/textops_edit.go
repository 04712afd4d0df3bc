package sip

// Offset-based edits and lookups for the text operations of the textops
// module: its functions work on byte ranges of the received message (regex
// matches, header lines) and insert text the script wrote verbatim, which
// may hold several header lines, as Kamailio's lumps do.

// BodyOffset is the offset in Bytes() where the body starts.
func (m *Message) BodyOffset() int {
	if m.bodyOff > len(m.buf) {
		return len(m.buf)
	}
	return m.bodyOff
}

// HeadersEnd is the offset in Bytes() just after the last header's CRLF
// (where the blank line starts): where append_hf inserts.
func (m *Message) HeadersEnd() int { return m.hdrEnd }

// HeadersStart is the offset in Bytes() of the first header, just after
// the start line's CRLF: where insert_hf inserts.
func (m *Message) HeadersStart() int { return m.hdrStart() }

// HeaderLine returns the byte range of header i of Headers(), from its
// name to after its CRLF (folded lines included).
func (m *Message) HeaderLine(i int) (off, end int, ok bool) {
	if i < 0 || i >= len(m.hdrs) {
		return 0, 0, false
	}
	h := &m.hdrs[i]
	return int(h.off), int(h.end), true
}

// HeaderIndexes appends to dst the indexes in Headers() of the header
// fields called name (any case, compact or long form), in message order.
func (m *Message) HeaderIndexes(dst []int, name string) []int {
	t := lookupHeaderString(name)
	for i := range m.hdrs {
		if matchName(&m.hdrs[i], t, name) {
			dst = append(dst, i)
		}
	}
	return dst
}

// ValueOffset returns the offset of header i's value in Bytes().
func (m *Message) ValueOffset(i int) (int, bool) {
	if i < 0 || i >= len(m.hdrs) {
		return 0, false
	}
	return int(m.hdrs[i].voff), true
}

// InsertRaw inserts text at offset off of the received message, as
// written: the caller is responsible for its framing (append_hf's
// "Name: value\r\n"). Insertions at one offset come out in call order.
func (m *Message) InsertRaw(off int, text string) error {
	if err := m.parsed(); err != nil {
		return err
	}
	if off < 0 || off > len(m.buf) {
		return newErr(ErrSyntax, "Offset outside the message", off)
	}
	a0 := len(m.arena)
	m.arena = append(m.arena, text...)
	return m.commit(off, off, a0, false)
}

// ReplaceRange replaces the bytes [off, end) of the received message with
// text; an empty range inserts. A later replacement of the same range
// supersedes an earlier one.
func (m *Message) ReplaceRange(off, end int, text string) error {
	if err := m.parsed(); err != nil {
		return err
	}
	if off < 0 || end < off || end > len(m.buf) {
		return newErr(ErrSyntax, "Range outside the message", off)
	}
	a0 := len(m.arena)
	m.arena = append(m.arena, text...)
	return m.commit(off, end, a0, true)
}

// EditedBodyLen is the length the body will have once the edits are
// applied, counted the way AppendTo splices them: edits starting in the
// body count, edits starting before it (a header removal, a Content-Length
// rewrite) do not.
func (m *Message) EditedBodyLen() int {
	body := m.BodyOffset()
	n := len(m.buf) - body
	pos := 0
	for k := range m.edits {
		e := &m.edits[k]
		off, end := int(e.off), int(e.end)
		if off < pos {
			if end > pos {
				if pos >= body {
					n -= end - pos
				} else if end > body {
					n -= end - body
				}
				pos = end
			}
			continue
		}
		if off >= body {
			n += int(e.a1-e.a0) - (end - off)
		} else if end > body {
			// A range from the headers into the body: the removed body
			// part is gone, the new text counts as headers.
			n -= end - body
		}
		pos = end
	}
	return n
}

// SyncContentLength makes Content-Length match the body the edits leave
// (Kamailio recomputes it when it builds the outgoing message). A message
// without Content-Length and without body edits is left alone.
func (m *Message) SyncContentLength() error {
	if err := m.parsed(); err != nil {
		return err
	}
	n := m.EditedBodyLen()
	if m.cl < 0 && n == len(m.buf)-m.BodyOffset() {
		return nil
	}
	return m.setContentLength(n)
}
