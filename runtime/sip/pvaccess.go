package sip

// Accessors for the script's pseudo-variables ($ou, $msg(hdrs), $rp …) and
// the edits behind the writable ones ($fU, $fn …).

// RequestURIRewritten reports whether SetRequestURI was called since Parse.
func (m *Message) RequestURIRewritten() bool { return m.hasRURI }

// HeaderSection returns the header fields as received: from the first one
// to the CRLF that ends the last one, included. ($msg(hdrs))
func (m *Message) HeaderSection() []byte {
	if m.buf == nil || m.hdrEnd == 0 {
		return nil
	}
	return m.buf[m.hdrStart():m.hdrEnd]
}

// InsertBefore inserts text before sub, which must be a non-empty view into
// the received message. Like every edit it only shows in AppendTo's output.
func (m *Message) InsertBefore(sub []byte, text string) error {
	off := m.offsetOf(sub)
	if off < 0 || len(sub) == 0 {
		return newErr(ErrSyntax, "Not a view into the message", -1)
	}
	if err := checkValueText(text); err != nil {
		return err
	}
	a0 := len(m.arena)
	m.arena = append(m.arena, text...)
	return m.commit(off, off, a0, false)
}

// PortText returns the port of a sip or sips URI as written ("05060"
// stays so), nil when the URI has none.
func (u *URI) PortText() []byte {
	if !u.HasPort {
		return nil
	}
	// The port follows the host and its ':' in the parsed text; Host is a
	// view into it, so the bytes after Host (up to its capacity) are the
	// rest of that text. The text may continue with unrelated bytes when
	// the URI ends with its port, so the digits are read up to the value
	// the parser found (at most five digits) rather than up to the first
	// non-digit.
	rest := u.Host[len(u.Host):cap(u.Host)]
	if len(rest) < 2 || rest[0] != ':' {
		return nil
	}
	var n uint32
	for i := 1; i < len(rest) && i <= 5 && isDigit(rest[i]); i++ {
		n = n*10 + uint32(rest[i]-'0')
		if n == uint32(u.Port) {
			// Leading zeros only precede a non-zero port: "0" ends at once.
			return rest[1 : i+1]
		}
	}
	return nil
}
