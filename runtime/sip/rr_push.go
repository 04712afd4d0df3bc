package sip

// PushRecordRoutesFirst inserts one "Record-Route: <uri>" header per uri,
// in the order given, above the existing Record-Route headers (or after
// the start line when there are none), like PushRecordRoute. Unlike it,
// the new headers go before any other text inserted at the same place
// earlier: the rr module adds its Record-Route when the core forwards,
// after the core pushed its Via, and Kamailio's Record-Route (added when
// the script ran) precedes that Via.
func (m *Message) PushRecordRoutesFirst(uris ...string) error {
	if err := m.parsed(); err != nil {
		return err
	}
	if len(uris) == 0 {
		return nil
	}
	at := m.hdrStart()
	if h := m.First(HdrRecordRoute); h != nil {
		at = int(h.off)
	}
	a0 := len(m.arena)
	for _, uri := range uris {
		if err := checkValueText(uri); err != nil {
			m.arena = m.arena[:a0]
			return err
		}
		u0 := len(m.arena) + len("Record-Route: <")
		m.arena = append(m.arena, "Record-Route: <"...)
		m.arena = append(m.arena, uri...)
		if !validURIText(m.arena[u0:]) {
			m.arena = m.arena[:a0]
			return newErr(ErrSyntax, "Bad Record-Route URI", -1)
		}
		m.arena = append(m.arena, ">\r\n"...)
	}
	if err := m.commit(at, at, a0, false); err != nil {
		return err
	}
	// commit placed the edit after the earlier insertions at this offset;
	// move it before them.
	k := len(m.edits) - 1
	for k >= 0 && m.edits[k].seq != m.nextSeq-1 {
		k--
	}
	for k > 0 {
		p := m.edits[k-1]
		if int(p.off) != at || p.repl || p.end != p.off {
			break
		}
		m.edits[k-1], m.edits[k] = m.edits[k], p
		k--
	}
	return nil
}
