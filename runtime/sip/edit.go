package sip

import (
	"bytes"
	"net/netip"
	"strings"
)

// Edits are recorded like Kamailio's lumps: a range of the received message
// and the bytes that replace it (an empty range inserts). The received
// buffer is never written (but by Overwrite, Kamailio's in-place rewrite
// of Max-Forwards); AppendTo splices the edits in offset order.
//
// When edits overlap, the one that starts first wins and a later one
// starting inside it is dropped (e.g. a value rewrite inside a header that
// was removed). Insertions at the same offset come out in call order, before
// a replacement starting at that offset.
type edit struct {
	off, end int32 // range of m.buf replaced
	a0, a1   int32 // replacement bytes in m.arena
	seq      int32
	repl     bool // a replacement: a later one on the same range supersedes it
}

// maxEdits bounds the edit list so that its insertion-ordered upkeep stays
// cheap whatever a script does.
const maxEdits = 4096

func (m *Message) parsed() error {
	if m.buf == nil || m.hdrEnd == 0 {
		return newErr(ErrSyntax, "Message not parsed", -1)
	}
	return nil
}

// commit records the arena bytes from a0 to the end as replacing [off,end).
func (m *Message) commit(off, end, a0 int, repl bool) error {
	a1 := len(m.arena)
	if repl {
		for k := range m.edits {
			e := &m.edits[k]
			if e.repl && int(e.off) == off && int(e.end) == end {
				e.a0, e.a1 = int32(a0), int32(a1)
				return nil
			}
		}
	}
	if len(m.edits) >= maxEdits {
		m.arena = m.arena[:a0]
		return newErr(ErrTooLarge, "Too many edits", off)
	}
	e := edit{off: int32(off), end: int32(end), a0: int32(a0), a1: int32(a1), seq: m.nextSeq, repl: repl}
	m.nextSeq++
	// Keep edits sorted by (offset, insertion before replacement, seq).
	m.edits = append(m.edits, e)
	k := len(m.edits) - 1
	for k > 0 {
		p := m.edits[k-1]
		if p.off < e.off || (p.off == e.off && (!p.repl || e.repl)) {
			break
		}
		m.edits[k] = p
		k--
	}
	m.edits[k] = e
	return nil
}

// Edited reports whether any edit is recorded.
func (m *Message) Edited() bool { return len(m.edits) > 0 }

func checkHeaderText(name, value string) error {
	if name == "" {
		return newErr(ErrSyntax, "Bad header name", 0)
	}
	for i := 0; i < len(name); i++ {
		if !isToken(name[i]) {
			return newErr(ErrSyntax, "Bad header name", i)
		}
	}
	return checkValueText(value)
}

// checkValueText refuses CR and LF so that an edit cannot smuggle a header.
func checkValueText(value string) error {
	for i := 0; i < len(value); i++ {
		if value[i] == '\r' || value[i] == '\n' {
			return newErr(ErrSyntax, "Bad header value", i)
		}
	}
	return nil
}

func (m *Message) insertHeader(at int, name, value string) error {
	if err := m.parsed(); err != nil {
		return err
	}
	if err := checkHeaderText(name, value); err != nil {
		return err
	}
	a0 := len(m.arena)
	m.arena = append(m.arena, name...)
	m.arena = append(m.arena, ": "...)
	m.arena = append(m.arena, value...)
	m.arena = append(m.arena, "\r\n"...)
	return m.commit(at, at, a0, false)
}

// hdrStart is the offset just after the start line.
func (m *Message) hdrStart() int {
	if len(m.hdrs) > 0 {
		return int(m.hdrs[0].off)
	}
	return m.hdrEnd
}

// AppendHeader adds "name: value" after the last header (append_hf).
func (m *Message) AppendHeader(name, value string) error {
	return m.insertHeader(m.hdrEnd, name, value)
}

// PrependHeader adds "name: value" right after the start line (insert_hf).
func (m *Message) PrependHeader(name, value string) error {
	return m.insertHeader(m.hdrStart(), name, value)
}

// RemoveHeader removes header i of Headers().
func (m *Message) RemoveHeader(i int) error {
	if i < 0 || i >= len(m.hdrs) {
		return newErr(ErrSyntax, "No such header", -1)
	}
	h := &m.hdrs[i]
	return m.commit(int(h.off), int(h.end), len(m.arena), true)
}

// RemoveHeaders removes every header called name (any case, compact or
// long form) and returns how many (remove_hf).
func (m *Message) RemoveHeaders(name string) int {
	t := lookupHeaderString(name)
	n := 0
	for i := range m.hdrs {
		if matchName(&m.hdrs[i], t, name) && m.RemoveHeader(i) == nil {
			n++
		}
	}
	return n
}

// SetHeaderValue replaces the value of header i, keeping its name.
func (m *Message) SetHeaderValue(i int, value string) error {
	if i < 0 || i >= len(m.hdrs) {
		return newErr(ErrSyntax, "No such header", -1)
	}
	if err := checkValueText(value); err != nil {
		return err
	}
	h := &m.hdrs[i]
	a0 := len(m.arena)
	m.arena = append(m.arena, value...)
	return m.commit(int(h.voff), int(h.voff)+len(h.Value), a0, true)
}

// Replace replaces sub, which must be a non-empty view into the received
// message (a header value, a parameter, a URI returned by an accessor),
// with text. It is the general tool behind the specific edits.
func (m *Message) Replace(sub []byte, text string) error {
	off := m.offsetOf(sub)
	if off < 0 || len(sub) == 0 {
		return newErr(ErrSyntax, "Not a view into the message", -1)
	}
	a0 := len(m.arena)
	m.arena = append(m.arena, text...)
	return m.commit(off, off+len(sub), a0, true)
}

// Overwrite writes text over sub, a view into the message, in the
// message's own buffer, as Kamailio's maxfwd rewrites Max-Forwards in its
// receive buffer: the raw message and every later read see the new bytes,
// and no edit is recorded. text must be exactly as long as sub.
func (m *Message) Overwrite(sub []byte, text string) error {
	off := m.offsetOf(sub)
	if off < 0 || len(sub) == 0 || len(text) != len(sub) {
		return newErr(ErrSyntax, "Overwrite needs a view into the message and text of its length", -1)
	}
	copy(m.buf[off:off+len(sub)], text)
	return nil
}

// SetRequestURI rewrites the Request-URI; RequestURI and ParsedRequestURI
// return the new one from now on.
func (m *Message) SetRequestURI(uri string) error {
	if err := m.parsed(); err != nil {
		return err
	}
	if !m.request {
		return newErr(ErrSyntax, "Not a request", -1)
	}
	for i := 0; i < len(uri); i++ {
		c := uri[i]
		if c <= ' ' || c == 0x7f {
			return newErr(ErrSyntax, "Bad Request-URI", i)
		}
	}
	a0 := len(m.arena)
	m.arena = append(m.arena, uri...)
	if !uriSchemeOK(m.arena[a0:]) {
		m.arena = m.arena[:a0]
		return newErr(ErrSyntax, "Bad Request-URI", 0)
	}
	off := len(m.method) + 1
	if err := m.commit(off, off+len(m.ruri), a0, true); err != nil {
		return err
	}
	m.hasRURI = true
	m.ruriA0, m.ruriA1 = int32(a0), int32(len(m.arena))
	m.c.done &^= doneRURI
	m.c.ruriErr = nil
	return nil
}

// SetBody replaces the body and makes Content-Length match (rewriting the
// header, or adding one if the message had none).
func (m *Message) SetBody(body []byte) error {
	if err := m.parsed(); err != nil {
		return err
	}
	a0 := len(m.arena)
	m.arena = append(m.arena, body...)
	if err := m.commit(m.bodyOff, len(m.buf), a0, true); err != nil {
		return err
	}
	return m.setContentLength(len(body))
}

func (m *Message) setContentLength(n int) error {
	a0 := len(m.arena)
	if h := m.First(HdrContentLength); h != nil {
		m.arena = appendUint(m.arena, uint64(n))
		return m.commit(int(h.voff), int(h.voff)+len(h.Value), a0, true)
	}
	m.arena = append(m.arena, "Content-Length: "...)
	m.arena = appendUint(m.arena, uint64(n))
	m.arena = append(m.arena, "\r\n"...)
	return m.commit(m.hdrEnd, m.hdrEnd, a0, true)
}

// EnsureContentLength adds a Content-Length header when the message has
// none (a datagram forwarded onto a stream needs one).
func (m *Message) EnsureContentLength() error {
	if err := m.parsed(); err != nil {
		return err
	}
	if m.cl >= 0 {
		return nil
	}
	for _, e := range m.edits {
		if e.repl && e.off == e.end && int(e.off) == m.hdrEnd {
			return nil // SetBody already added one
		}
	}
	return m.setContentLength(len(m.Body()))
}

// SetMaxForwards rewrites Max-Forwards, or adds it after the start line.
func (m *Message) SetMaxForwards(n int) error {
	if err := m.parsed(); err != nil {
		return err
	}
	if n < 0 || n > 255 {
		return newErr(ErrSyntax, "Bad Max-Forwards", -1)
	}
	a0 := len(m.arena)
	if h := m.First(HdrMaxForwards); h != nil {
		m.arena = appendUint(m.arena, uint64(n))
		return m.commit(int(h.voff), int(h.voff)+len(h.Value), a0, true)
	}
	m.arena = append(m.arena, "Max-Forwards: "...)
	m.arena = appendUint(m.arena, uint64(n))
	m.arena = append(m.arena, "\r\n"...)
	return m.commit(m.hdrStart(), m.hdrStart(), a0, false)
}

// ViaSpec describes the Via a proxy pushes when forwarding.
type ViaSpec struct {
	Transport string // "UDP", "TCP", "TLS", "SCTP", "WS", "WSS"
	Host      string // address or name of the sending socket; IPv6 in brackets
	Port      int    // 0 leaves the port out
	Branch    []byte // the whole branch, "z9hG4bK..." (StatelessBranch or IDGen.AppendBranch)
	RPort     bool   // add an empty rport parameter (RFC 3581)
	// Params are more parameters, ";name=value…", appended as written.
	Params string
}

// PushVia inserts a new topmost Via.
func (m *Message) PushVia(v *ViaSpec) error {
	if err := m.parsed(); err != nil {
		return err
	}
	if v.Transport == "" || v.Port < 0 || v.Port > 65535 || len(v.Branch) == 0 {
		return newErr(ErrSyntax, "Bad Via", -1)
	}
	for i := 0; i < len(v.Transport); i++ {
		if !isToken(v.Transport[i]) {
			return newErr(ErrSyntax, "Bad Via transport", -1)
		}
	}
	if scanToken(v.Branch, 0) != len(v.Branch) {
		return newErr(ErrSyntax, "Bad Via branch", -1)
	}
	a0 := len(m.arena)
	m.arena = append(m.arena, "Via: SIP/2.0/"...)
	m.arena = append(m.arena, v.Transport...)
	m.arena = append(m.arena, ' ')
	hs := len(m.arena)
	m.arena = append(m.arena, v.Host...)
	if !validHost(m.arena[hs:]) {
		m.arena = m.arena[:a0]
		return newErr(ErrSyntax, "Bad Via host", -1)
	}
	if v.Port > 0 {
		m.arena = append(m.arena, ':')
		m.arena = appendUint(m.arena, uint64(v.Port))
	}
	m.arena = append(m.arena, ";branch="...)
	m.arena = append(m.arena, v.Branch...)
	if v.RPort {
		m.arena = append(m.arena, ";rport"...)
	}
	if v.Params != "" {
		if v.Params[0] != ';' || checkValueText(v.Params) != nil || strings.ContainsAny(v.Params, ", \t") {
			m.arena = m.arena[:a0]
			return newErr(ErrSyntax, "Bad Via parameters", -1)
		}
		m.arena = append(m.arena, v.Params...)
	}
	m.arena = append(m.arena, "\r\n"...)
	return m.commit(m.hdrStart(), m.hdrStart(), a0, false)
}

// PushRecordRoute inserts "Record-Route: <uri>" above the existing
// Record-Route headers (or after the start line when there are none). uri
// is written as given, so include ";lr" for loose routing.
func (m *Message) PushRecordRoute(uri string) error {
	if err := m.parsed(); err != nil {
		return err
	}
	if err := checkValueText(uri); err != nil {
		return err
	}
	at := m.hdrStart()
	if h := m.First(HdrRecordRoute); h != nil {
		at = int(h.off)
	}
	a0 := len(m.arena)
	m.arena = append(m.arena, "Record-Route: <"...)
	m.arena = append(m.arena, uri...)
	m.arena = append(m.arena, ">\r\n"...)
	if !validURIText(m.arena[a0+15 : len(m.arena)-3]) {
		m.arena = m.arena[:a0]
		return newErr(ErrSyntax, "Bad Record-Route URI", -1)
	}
	return m.commit(at, at, a0, false)
}

// FixTopVia applies RFC 3261 §18.2.1 and RFC 3581 to a received request
// before it is forwarded: received=<source address> when the top Via's
// sent-by host differs from it, when rport is present or when it already
// has a received; rport filled with the source port when present, or
// added when force is set (the script's force_rport). As Kamailio 5.6
// writes them: existing parameters are rewritten in place, new ones go
// right after the sent-by, rport first (or just before a rewritten
// received).
func (m *Message) FixTopVia(src netip.AddrPort, force bool) error {
	v, err := m.TopVia()
	if err != nil {
		return err
	}
	base := m.offsetOf(v.Raw)
	if base < 0 {
		return newErr(ErrSyntax, "Bad Via", -1)
	}
	var ipb [64]byte
	needRecv, ip := viaNeedsReceived(v, src, ipb[:])
	sentBy := base + len(v.Raw)
	if i := bytes.IndexByte(v.Raw, ';'); i >= 0 {
		sentBy = base + i
	}
	put := func(off, end int, repl bool, name string, value []byte, port int) error {
		a0 := len(m.arena)
		m.arena = append(m.arena, name...)
		if value != nil {
			m.arena = append(m.arena, value...)
		} else {
			m.arena = appendUint(m.arena, uint64(port))
		}
		return m.commit(off, end, a0, repl)
	}
	port := int(src.Port())
	switch {
	case v.HasRPort:
		err = put(base+int(v.rportSpan[0]), base+int(v.rportSpan[1]), true, ";rport=", nil, port)
	case force && v.Received != nil:
		at := base + int(v.recvSpan[0])
		err = put(at, at, false, ";rport=", nil, port)
	case force:
		err = put(sentBy, sentBy, false, ";rport=", nil, port)
	}
	if err != nil || !needRecv {
		return err
	}
	if v.Received != nil {
		return put(base+int(v.recvSpan[0]), base+int(v.recvSpan[1]), true, ";received=", ip, 0)
	}
	return put(sentBy, sentBy, false, ";received=", ip, 0)
}

// RemoveFirstValue removes the first value of the first header of type t:
// the whole header line when it holds one value, otherwise the value and
// the comma after it. A proxy relaying a response removes its own Via this
// way (HdrVia); loose routing removes the first Route (HdrRoute).
func (m *Message) RemoveFirstValue(t HeaderType) error {
	h := m.First(t)
	if h == nil {
		return newErr(ErrMissing, "Missing "+t.String(), -1)
	}
	it := SplitValues(h.Value)
	v, _ := it.Next()
	if _, more := it.Next(); !more {
		return m.commit(int(h.off), int(h.end), len(m.arena), true)
	}
	start := m.offsetOf(h.Value)
	if start < 0 || len(v) == 0 {
		return newErr(ErrSyntax, "Bad "+t.String(), int(h.voff))
	}
	// v starts the value (leading LWS was trimmed off h.Value already);
	// cut through the comma and the LWS after it.
	end := m.offsetOf(v) + len(v)
	end += commaIndex(m.buf[end:int(h.voff)+len(h.Value)]) + 1
	for end < len(m.buf) && isLWSByte(m.buf[end]) {
		end++
	}
	return m.commit(start, end, len(m.arena), true)
}

// EditMark is a point in a message's edit history: Rollback returns to it.
type EditMark struct {
	seq   int32
	arena int
}

// Mark returns the current point of the edit history, so that a sender can
// add the edits of one copy (our Via, received=) and take them back before
// the next copy, as Kamailio's temporary lumps are.
func (m *Message) Mark() EditMark { return EditMark{seq: m.nextSeq, arena: len(m.arena)} }

// Rollback removes every edit recorded since k. Edits made before k stay,
// except a replacement that a later edit superseded on the same range.
func (m *Message) Rollback(k EditMark) {
	if k.arena > len(m.arena) || k.seq > m.nextSeq {
		return
	}
	out := m.edits[:0]
	for _, e := range m.edits {
		if e.seq < k.seq {
			out = append(out, e)
		}
	}
	m.edits = out
	m.nextSeq = k.seq
	if !m.hasRURI || int(m.ruriA1) <= k.arena {
		m.arena = m.arena[:k.arena]
	}
}
