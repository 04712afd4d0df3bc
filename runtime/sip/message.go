package sip

// Message is a parsed SIP request or response. It indexes the received
// bytes without copying them and parses typed header values on first use,
// caching the result. A Message is reusable: Parse (or Reset) clears it but
// keeps its storage, so workers can pool Messages and parse without
// allocating. A Message is not safe for concurrent use.
//
// Accessors return views into the received bytes (read-only, valid until
// the next Parse or Reset). They describe the message as received: edits
// made with the Set/Push/Remove methods only show in AppendTo's output,
// except the Request-URI, which reads back the rewritten value as Kamailio's
// $ru does.
type Message struct {
	// Limits applies to the next Parse; it survives Reset.
	Limits Limits

	buf      []byte
	request  bool
	method   []byte
	methodID Method
	ruri     []byte
	version  []byte
	status   int
	reason   []byte
	hdrs     []Header
	first    [numHeaderTypes]int32 // index+1 of the first header of each type
	hdrEnd   int                   // offset of the blank line's CR
	bodyOff  int
	cl       int // Content-Length, -1 if absent

	c cache

	vias     []Via
	contacts []Contact
	routes   []NameAddr
	rroutes  []NameAddr

	edits   []edit
	arena   []byte // bytes inserted by edits
	nextSeq int32
	hasRURI bool // SetRequestURI was called; the new URI is arena[ruriA0:ruriA1]
	ruriA0  int32
	ruriA1  int32
}

// cache holds lazily parsed values; the done bits say which are valid.
type cache struct {
	done      uint32
	topVia    Via
	topViaErr error
	from, to  NameAddr
	fromErr   error
	toErr     error
	cseq      CSeq
	cseqErr   error
	ruri      URI
	ruriErr   error
	viasErr   error
	contErr   error
	star      bool
	routesErr error
	rrErr     error
}

const (
	doneTopVia = 1 << iota
	doneFrom
	doneTo
	doneCSeq
	doneRURI
	doneVias
	doneContacts
	doneRoutes
	doneRRoutes
)

// Reset clears the message for reuse, keeping allocated storage and Limits.
// The lazily parsed values are not zeroed, only marked stale (done = 0):
// every getter overwrites its value and error before reporting them.
func (m *Message) Reset() {
	m.buf = nil
	m.request = false
	m.method, m.ruri, m.version, m.reason = nil, nil, nil, nil
	m.methodID = MethodOther
	m.status = 0
	m.hdrs = m.hdrs[:0]
	m.first = [numHeaderTypes]int32{}
	m.hdrEnd, m.bodyOff, m.cl = 0, 0, -1
	m.c.done = 0
	m.vias = m.vias[:0]
	m.contacts = m.contacts[:0]
	m.routes = m.routes[:0]
	m.rroutes = m.rroutes[:0]
	m.edits = m.edits[:0]
	m.arena = m.arena[:0]
	m.nextSeq = 0
	m.hasRURI = false
	m.ruriA0, m.ruriA1 = 0, 0
}

// Bytes returns the message as received, start line to end of body. On a
// datagram, bytes after Content-Length's end are not included. ($mb)
func (m *Message) Bytes() []byte { return m.buf }

// Len is len(Bytes()). ($ml)
func (m *Message) Len() int { return len(m.buf) }

// IsRequest reports whether the message is a request.
func (m *Message) IsRequest() bool { return m.request }

// Method returns the request method as written, nil for a response. ($rm)
func (m *Message) Method() []byte { return m.method }

// MethodID returns the request method as a constant.
func (m *Message) MethodID() Method { return m.methodID }

// RequestURI returns the Request-URI: the rewritten one after SetRequestURI,
// otherwise the received one. ($ru)
func (m *Message) RequestURI() []byte {
	if m.hasRURI {
		return m.arena[m.ruriA0:m.ruriA1]
	}
	return m.ruri
}

// Version returns the SIP version text of the start line.
func (m *Message) Version() []byte { return m.version }

// StatusCode returns the status code of a response, 0 for a request. ($rs)
func (m *Message) StatusCode() int { return m.status }

// Reason returns the reason phrase of a response. ($rr)
func (m *Message) Reason() []byte { return m.reason }

// StartLine returns the first line without its CRLF.
func (m *Message) StartLine() []byte {
	if len(m.hdrs) > 0 {
		return m.buf[:m.hdrs[0].off-2]
	}
	if m.hdrEnd >= 2 {
		return m.buf[:m.hdrEnd-2]
	}
	return nil
}

// Headers returns the header index in message order. Read-only.
func (m *Message) Headers() []Header { return m.hdrs }

// First returns the first header of type t, or nil.
func (m *Message) First(t HeaderType) *Header {
	if t == HdrOther || t >= numHeaderTypes || m.first[t] == 0 {
		return nil
	}
	return &m.hdrs[m.first[t]-1]
}

// Count returns how many header fields of type t the message has.
func (m *Message) Count(t HeaderType) int {
	if t == HdrOther || t >= numHeaderTypes || m.first[t] == 0 {
		return 0
	}
	n := 0
	for i := int(m.first[t] - 1); i < len(m.hdrs); i++ {
		if m.hdrs[i].Type == t {
			n++
		}
	}
	return n
}

// matchName reports whether header h answers to name (any case; a compact
// form and its long form are the same header).
func matchName(h *Header, t HeaderType, name string) bool {
	if t != HdrOther {
		return h.Type == t
	}
	return h.Type == HdrOther && equalFold(h.Name, name)
}

// Header returns the value of the i-th header field called name (any case,
// compact or long form); a negative i counts from the end (-1 is the last).
// Each header field is one occurrence, as in Kamailio's $(hdr(Name)[i]);
// comma-separated values inside one field are not split.
func (m *Message) Header(name string, i int) ([]byte, bool) {
	t := lookupHeaderString(name)
	if i < 0 {
		i = m.HeaderCount(name) + i
		if i < 0 {
			return nil, false
		}
	}
	start := 0
	if t != HdrOther {
		if m.first[t] == 0 {
			return nil, false
		}
		start = int(m.first[t] - 1)
	}
	for k := start; k < len(m.hdrs); k++ {
		if matchName(&m.hdrs[k], t, name) {
			if i == 0 {
				return m.hdrs[k].Value, true
			}
			i--
		}
	}
	return nil, false
}

// HeaderCount returns the number of header fields called name. ($hdrc)
func (m *Message) HeaderCount(name string) int {
	t := lookupHeaderString(name)
	if t != HdrOther {
		return m.Count(t)
	}
	n := 0
	for k := range m.hdrs {
		if matchName(&m.hdrs[k], t, name) {
			n++
		}
	}
	return n
}

func lookupHeaderString(name string) HeaderType {
	var b [maxKnownName]byte
	if len(name) == 0 || len(name) > maxKnownName {
		return HdrOther
	}
	n := copy(b[:], name)
	return LookupHeader(b[:n])
}

// Body returns the message body as received. ($rb)
func (m *Message) Body() []byte {
	if m.bodyOff > len(m.buf) {
		return nil
	}
	return m.buf[m.bodyOff:]
}

func (m *Message) value(t HeaderType) []byte {
	if h := m.First(t); h != nil {
		return h.Value
	}
	return nil
}

// CallID returns the Call-ID value. ($ci)
func (m *Message) CallID() []byte { return m.value(HdrCallID) }

// ContentType returns the Content-Type value.
func (m *Message) ContentType() []byte { return m.value(HdrContentType) }

// UserAgent returns the User-Agent value. ($ua)
func (m *Message) UserAgent() []byte { return m.value(HdrUserAgent) }

// ContentLength returns the Content-Length value and whether it was present.
func (m *Message) ContentLength() (int, bool) { return m.cl, m.cl >= 0 }

// MaxForwards returns Max-Forwards (0-255) and whether it was present.
func (m *Message) MaxForwards() (int, bool, error) {
	h := m.First(HdrMaxForwards)
	if h == nil {
		return 0, false, nil
	}
	n, ok := parseUint32(h.Value)
	if !ok || n > 255 {
		return 0, true, newErr(ErrSyntax, "Bad Max-Forwards", int(h.voff))
	}
	return int(n), true, nil
}

// Expires returns the Expires header (delta-seconds, at most 2^32-1) and
// whether it was present.
func (m *Message) Expires() (uint32, bool, error) {
	h := m.First(HdrExpires)
	if h == nil {
		return 0, false, nil
	}
	n, ok := parseUint32(h.Value)
	if !ok {
		return 0, true, newErr(ErrSyntax, "Bad Expires", int(h.voff))
	}
	return n, true, nil
}

// CSeq returns the parsed CSeq header. ($cs is CSeq().Num)
func (m *Message) CSeq() (*CSeq, error) {
	if m.c.done&doneCSeq == 0 {
		m.c.done |= doneCSeq
		m.c.cseqErr = nil
		h := m.First(HdrCSeq)
		if h == nil {
			m.c.cseqErr = newErr(ErrMissing, "Missing CSeq", -1)
		} else if cs, err := ParseCSeq(h.Value); err != nil {
			m.c.cseqErr = wrapErr("Bad CSeq", int(h.voff), err)
		} else {
			m.c.cseq = cs
		}
	}
	if m.c.cseqErr != nil {
		return nil, m.c.cseqErr
	}
	return &m.c.cseq, nil
}

// ParsedRequestURI parses the current Request-URI (see RequestURI). ($rU,
// $rd, $rp are its User, Host, Port.)
func (m *Message) ParsedRequestURI() (*URI, error) {
	if !m.request {
		return nil, newErr(ErrSyntax, "Not a request", -1)
	}
	if m.c.done&doneRURI == 0 {
		m.c.done |= doneRURI
		m.c.ruriErr = nil
		u, err := ParseURI(m.RequestURI())
		if err != nil {
			m.c.ruriErr = wrapErr("Bad Request-URI", -1, err)
		} else {
			m.c.ruri = u
		}
	}
	if m.c.ruriErr != nil {
		return nil, m.c.ruriErr
	}
	return &m.c.ruri, nil
}

// TopVia returns the first Via value, the one a transaction is matched on
// and a response is routed by.
func (m *Message) TopVia() (*Via, error) {
	if m.c.done&doneTopVia == 0 {
		m.c.done |= doneTopVia
		m.c.topViaErr = nil
		it := m.Values(HdrVia)
		v, ok := it.Next()
		if !ok {
			m.c.topViaErr = newErr(ErrMissing, "Missing Via", -1)
		} else if err := parseVia(&m.c.topVia, v); err != nil {
			// m.c.topVia is partly written; it is never returned with
			// an error.
			m.c.topViaErr = wrapErr("Bad Via", m.offsetOf(v), err)
		}
	}
	if m.c.topViaErr != nil {
		return nil, m.c.topViaErr
	}
	return &m.c.topVia, nil
}

// emptyField returns the first header of type t whose value is empty: for
// list headers such as Via, Contact and Route that is an error, but the
// value iterator simply yields nothing for it.
func (m *Message) emptyField(t HeaderType) *Header {
	if m.first[t] == 0 {
		return nil
	}
	for i := int(m.first[t] - 1); i < len(m.hdrs); i++ {
		if h := &m.hdrs[i]; h.Type == t && len(h.Value) == 0 {
			return h
		}
	}
	return nil
}

// Vias parses every Via value, top first. The slice is owned by the Message.
func (m *Message) Vias() ([]Via, error) {
	if m.c.done&doneVias == 0 {
		m.c.done |= doneVias
		m.c.viasErr = nil
		if h := m.emptyField(HdrVia); h != nil {
			m.c.viasErr = newErr(ErrSyntax, "Empty Via", int(h.off))
			return m.vias, m.c.viasErr
		}
		it := m.Values(HdrVia)
		for v, ok := it.Next(); ok; v, ok = it.Next() {
			via, err := ParseVia(v)
			if err != nil {
				m.c.viasErr = wrapErr("Bad Via", m.offsetOf(v), err)
				break
			}
			m.vias = append(m.vias, via)
		}
	}
	return m.vias, m.c.viasErr
}

func (m *Message) nameAddr(t HeaderType, bit uint32, dst *NameAddr, errp *error, reason string) (*NameAddr, error) {
	if m.c.done&bit == 0 {
		m.c.done |= bit
		*errp = nil
		h := m.First(t)
		if h == nil {
			*errp = newErr(ErrMissing, "Missing "+t.String(), -1)
		} else if err := parseNameAddr(dst, h.Value); err != nil {
			// *dst is partly written; it is never returned with an error.
			*errp = wrapErr(reason, int(h.voff), err)
		}
	}
	if *errp != nil {
		return nil, *errp
	}
	return dst, nil
}

// From returns the parsed From header. ($fu is URI, $ft is Tag.)
func (m *Message) From() (*NameAddr, error) {
	return m.nameAddr(HdrFrom, doneFrom, &m.c.from, &m.c.fromErr, "Bad From")
}

// To returns the parsed To header. ($tu is URI, $tt is Tag.)
func (m *Message) To() (*NameAddr, error) {
	return m.nameAddr(HdrTo, doneTo, &m.c.to, &m.c.toErr, "Bad To")
}

// maxContacts mirrors Kamailio's KSR_MAX_CONTACTS.
const maxContacts = 256

// Contacts parses every Contact value. star reports "Contact: *", which
// must then be the only value. The slice is owned by the Message.
func (m *Message) Contacts() (list []Contact, star bool, err error) {
	if m.c.done&doneContacts == 0 {
		m.c.done |= doneContacts
		m.c.contErr, m.c.star = nil, false
		if h := m.emptyField(HdrContact); h != nil {
			m.c.contErr = newErr(ErrSyntax, "Empty Contact", int(h.off))
			return m.contacts, false, m.c.contErr
		}
		it := m.Values(HdrContact)
		for v, ok := it.Next(); ok; v, ok = it.Next() {
			if len(v) == 1 && v[0] == '*' {
				m.c.star = true
				continue
			}
			if len(m.contacts) >= maxContacts {
				m.c.contErr = newErr(ErrTooLarge, "Too many Contacts", m.offsetOf(v))
				break
			}
			c, err := ParseContact(v)
			if err != nil {
				m.c.contErr = wrapErr("Bad Contact", m.offsetOf(v), err)
				break
			}
			m.contacts = append(m.contacts, c)
		}
		if m.c.contErr == nil && m.c.star && (len(m.contacts) > 0 || m.Count(HdrContact) > 1) {
			m.c.contErr = newErr(ErrSyntax, "Bad Contact", -1)
		}
	}
	return m.contacts, m.c.star, m.c.contErr
}

func (m *Message) routeList(t HeaderType, bit uint32, dst *[]NameAddr, errp *error) ([]NameAddr, error) {
	if m.c.done&bit == 0 {
		m.c.done |= bit
		*errp = nil
		if h := m.emptyField(t); h != nil {
			*errp = newErr(ErrSyntax, "Empty "+t.String(), int(h.off))
			return *dst, *errp
		}
		it := m.Values(t)
		for v, ok := it.Next(); ok; v, ok = it.Next() {
			na, err := ParseNameAddr(v)
			if err == nil && !na.Angle {
				err = newErr(ErrSyntax, "route needs <>", 0)
			}
			if err != nil {
				*errp = wrapErr("Bad "+t.String(), m.offsetOf(v), err)
				break
			}
			*dst = append(*dst, na)
		}
	}
	return *dst, *errp
}

// Routes parses every Route value in order. The slice is owned by the
// Message.
func (m *Message) Routes() ([]NameAddr, error) {
	return m.routeList(HdrRoute, doneRoutes, &m.routes, &m.c.routesErr)
}

// RecordRoutes parses every Record-Route value in order.
func (m *Message) RecordRoutes() ([]NameAddr, error) {
	return m.routeList(HdrRecordRoute, doneRRoutes, &m.rroutes, &m.c.rrErr)
}

// AppendTokens appends the option tags / tokens of every header of type t
// (Require, Proxy-Require, Supported, Unsupported, Allow, ...) to dst. An
// element that is not a token is an error.
func (m *Message) AppendTokens(dst [][]byte, t HeaderType) ([][]byte, error) {
	it := m.Values(t)
	for v, ok := it.Next(); ok; v, ok = it.Next() {
		if len(v) == 0 || scanToken(v, 0) != len(v) {
			return dst, newErr(ErrSyntax, "Bad "+t.String(), m.offsetOf(v))
		}
		dst = append(dst, v)
	}
	return dst, nil
}

// Values iterates over the comma-separated values of every header of type t,
// in message order. Commas inside quotes and <> do not split.
func (m *Message) Values(t HeaderType) HeaderValues {
	it := HeaderValues{hdrs: m.hdrs, t: t, cur: ValueIter{done: true}}
	if t == HdrOther || t >= numHeaderTypes || m.first[t] == 0 {
		it.i = len(m.hdrs)
	} else {
		it.i = int(m.first[t] - 1)
	}
	return it
}

// HeaderValues iterates values across header fields; see Message.Values.
type HeaderValues struct {
	hdrs []Header
	t    HeaderType
	i    int
	cur  ValueIter
}

// Next returns the next value, or false at the end.
func (it *HeaderValues) Next() ([]byte, bool) {
	for {
		if v, ok := it.cur.Next(); ok {
			return v, true
		}
		for it.i < len(it.hdrs) && it.hdrs[it.i].Type != it.t {
			it.i++
		}
		if it.i >= len(it.hdrs) {
			return nil, false
		}
		it.cur = SplitValues(it.hdrs[it.i].Value)
		it.i++
	}
}

// offsetOf returns the offset of sub within the message buffer, or -1 if
// sub is not a view into it. Views keep their distance to the end of the
// backing array, so the capacities tell the offset.
func (m *Message) offsetOf(sub []byte) int {
	off := cap(m.buf) - cap(sub)
	if off < 0 || off+len(sub) > len(m.buf) {
		return -1
	}
	if len(sub) > 0 && &m.buf[off] != &sub[0] {
		return -1
	}
	return off
}
