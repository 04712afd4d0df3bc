package pv

import (
	"errors"
	"unsafe"

	"github.com/kamgo/kamgo/runtime/sip"
)

// hdrName is a header name prepared by a fixup: its type when the name (in
// any case, long or compact) is one the SIP package knows, the name itself
// otherwise. any is the "*" of $hdr(*), which Kamailio 5.6 reads as the
// first header whatever its name.
type hdrName struct {
	t    sip.HeaderType
	name []byte
	any  bool
}

// maxHeaderName bounds the names looked up by type: longer ones are never
// known ones.
const maxHeaderName = 32

func makeHdrName(name string) hdrName {
	if name == "*" {
		return hdrName{any: true}
	}
	return hdrName{t: lookupHeaderType(name), name: []byte(name)}
}

// lookupHeaderType finds the type of a header name without allocating.
func lookupHeaderType(name string) sip.HeaderType {
	var b [maxHeaderName]byte
	if len(name) == 0 || len(name) > len(b) {
		return sip.HdrOther
	}
	n := copy(b[:], name)
	return sip.LookupHeader(b[:n])
}

// matches reports whether h answers to the name.
func (n *hdrName) matches(h *sip.Header) bool {
	switch {
	case n.any:
		return true
	case n.t != sip.HdrOther:
		return h.Type == n.t
	}
	return h.Type == sip.HdrOther && foldEqual(h.Name, n.name)
}

// foldEqual compares two ASCII strings ignoring case.
func foldEqual(a, b []byte) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if x != y {
			if 'A' <= x && x <= 'Z' {
				x += 'a' - 'A'
			}
			if 'A' <= y && y <= 'Z' {
				y += 'a' - 'A'
			}
			if x != y {
				return false
			}
		}
	}
	return true
}

// fixupHdr prepares the static name of $hdr, $hdrc, $hfl and $hflc; a
// dynamic one ($hdr($var(h))) is looked up on every read.
func fixupHdr(_ *Compiler, p *PV) error {
	if p.NamePV != nil {
		return nil
	}
	if p.Name == "" {
		return errors.New("empty header name")
	}
	n := makeHdrName(p.Name)
	p.Data = &n
	return nil
}

// hdrSel returns the name to match for this read.
func hdrSel(st *State, p *PV, tmp *hdrName) *hdrName {
	if n, ok := p.Data.(*hdrName); ok {
		return n
	}
	name := p.InnerName(st)
	*tmp = hdrName{t: lookupHeaderType(name), name: stringBytes(name), any: name == "*"}
	return tmp
}

// firstIndex is where the headers called n may start.
func firstIndex(m *sip.Message, n *hdrName) int {
	if !n.any && n.t != sip.HdrOther {
		h := m.First(n.t)
		if h == nil {
			return -1
		}
		// First returns an element of Headers(): its index is its
		// distance from the first one.
		hs := m.Headers()
		return int((uintptr(unsafe.Pointer(h)) - uintptr(unsafe.Pointer(&hs[0]))) / unsafe.Sizeof(hs[0]))
	}
	return 0
}

// getHdr is $hdr(name) with its index: the n-th header field of that name
// (counting from the end when negative), or all of them joined with ","
// for [*].
func getHdr(st *State, p *PV) Value {
	m := st.Msg
	if m == nil {
		return Null()
	}
	var tmp hdrName
	n := hdrSel(st, p, &tmp)
	if !p.HasIndex && !n.any && n.t != sip.HdrOther {
		if h := m.First(n.t); h != nil {
			return Bytes(h.Value)
		}
		return Null()
	}
	idx, all, _ := p.Index(st)
	start := firstIndex(m, n)
	if start < 0 {
		return Null()
	}
	hs := m.Headers()
	if all {
		a0 := len(st.Arena)
		b := st.Arena
		found := false
		for i := start; i < len(hs); i++ {
			if n.matches(&hs[i]) {
				if found {
					b = append(b, ',')
				}
				found = true
				b = append(b, hs[i].Value...)
			}
		}
		st.Arena = b
		if !found {
			return Null()
		}
		return Str(st.ArenaString(a0))
	}
	if idx < 0 {
		c := 0
		for i := start; i < len(hs); i++ {
			if n.matches(&hs[i]) {
				c++
			}
		}
		idx += c
		if idx < 0 {
			return Null()
		}
	}
	for i := start; i < len(hs); i++ {
		if n.matches(&hs[i]) {
			if idx == 0 {
				return Bytes(hs[i].Value)
			}
			idx--
		}
	}
	return Null()
}

// getHdrc is $hdrc(name): how many header fields have the name. Kamailio
// counts none for "*".
func getHdrc(st *State, p *PV) Value {
	m := st.Msg
	if m == nil {
		return Int(0)
	}
	var tmp hdrName
	n := hdrSel(st, p, &tmp)
	if n.any {
		return Int(0)
	}
	start := firstIndex(m, n)
	if start < 0 {
		return Int(0)
	}
	c := 0
	hs := m.Headers()
	for i := start; i < len(hs); i++ {
		if n.matches(&hs[i]) {
			c++
		}
	}
	return Int(int64(c))
}

// listHeader reports the headers whose values $hfl and $hflc take one by
// one rather than a field at a time.
func listHeader(t sip.HeaderType) bool {
	switch t {
	case sip.HdrVia, sip.HdrRoute, sip.HdrRecordRoute, sip.HdrContact:
		return true
	}
	return false
}

// getHfl is $hfl(name): like $hdr, except that Via, Route, Record-Route
// and Contact are indexed by value. It keeps three quirks of Kamailio 5.6:
// a Via value followed by another in the same field keeps the separating
// comma; the Contacts of a field come last first; and a negative index
// counts one past the end, so [-1] is null and [-2] the last value.
func getHfl(st *State, p *PV) Value {
	m := st.Msg
	if m == nil {
		return Null()
	}
	var tmp hdrName
	n := hdrSel(st, p, &tmp)
	idx, all, _ := p.Index(st)
	if all || n.any || !listHeader(n.t) {
		return getHdr(st, p)
	}
	total := countValues(m, n.t)
	if total == 0 {
		return Null()
	}
	if idx < 0 {
		idx += total + 1
		if idx < 0 {
			return Null()
		}
	}
	hs := m.Headers()
	for i := range hs {
		h := &hs[i]
		if h.Type != n.t {
			continue
		}
		c := 0
		for it := sip.SplitValues(h.Value); ; c++ {
			if _, ok := it.Next(); !ok {
				break
			}
		}
		if idx >= c {
			idx -= c
			continue
		}
		k := idx
		if n.t == sip.HdrContact {
			k = c - 1 - idx
		}
		it := sip.SplitValues(h.Value)
		v, _ := it.Next()
		for ; k > 0; k-- {
			v, _ = it.Next()
		}
		if n.t == sip.HdrVia {
			v = withComma(h.Value, v)
		}
		return Bytes(v)
	}
	return Null()
}

// withComma extends the value v of the field value fv through the comma
// that follows it, if any, as Kamailio's Via parser spans it.
func withComma(fv, v []byte) []byte {
	off := cap(fv) - cap(v)
	if off < 0 || off+len(v) > len(fv) {
		return v
	}
	for i := off + len(v); i < len(fv); i++ {
		switch fv[i] {
		case ' ', '\t', '\r', '\n':
			continue
		case ',':
			return fv[off : i+1]
		}
		break
	}
	return v
}

// countValues counts the comma-separated values of the fields of type t.
func countValues(m *sip.Message, t sip.HeaderType) int {
	c := 0
	it := m.Values(t)
	for _, ok := it.Next(); ok; _, ok = it.Next() {
		c++
	}
	return c
}

// getHflc is $hflc(name): $hdrc, counting values for the list headers.
func getHflc(st *State, p *PV) Value {
	m := st.Msg
	if m == nil {
		return Int(0)
	}
	var tmp hdrName
	n := hdrSel(st, p, &tmp)
	if !n.any && listHeader(n.t) {
		return Int(int64(countValues(m, n.t)))
	}
	return getHdrc(st, p)
}

// msgAttr is an inner name of $msg.
type msgAttr uint8

const (
	msgLen msgAttr = iota + 1
	msgBuf
	msgBody
	msgHdrs
	msgFline
	msgBodyLen
	msgHdrc
	msgFpart
	msgHdrsLen
)

// viaAttr is an inner name of $via0, $via1 and $viaZ.
type viaAttr uint8

const (
	viaHost viaAttr = iota + 1
	viaPort
	viaProto
	viaProtoID
	viaBranch
	viaRPort
	viaReceived
	viaI
)

// viaPos selects the Via value $via0, $via1 or $viaZ reads.
type viaPos uint8

const (
	viaFirst viaPos = iota
	viaSecond
	viaLast
)

func addHeaderImpls(m map[string]*Impl) {
	m["hdr"] = &Impl{Fixup: fixupHdr, Get: getHdr, IndexAware: true}
	m["hdrc"] = &Impl{Fixup: fixupHdr, Get: getHdrc}
	m["hfl"] = &Impl{Fixup: fixupHdr, Get: getHfl, IndexAware: true}
	m["hflc"] = &Impl{Fixup: fixupHdr, Get: getHflc}

	m["msg"] = &Impl{
		Fixup: fixupChoice("msg", map[string]msgAttr{
			"len": msgLen, "buf": msgBuf, "body": msgBody, "hdrs": msgHdrs, "fline": msgFline,
			"body_len": msgBodyLen, "hdrc": msgHdrc, "fpart": msgFpart, "hdrs_len": msgHdrsLen,
		}),
		Get: getMsgAttr,
	}
	viaNames := map[string]viaAttr{
		"host": viaHost, "port": viaPort, "proto": viaProto, "protoid": viaProtoID,
		"branch": viaBranch, "rport": viaRPort, "received": viaReceived, "i": viaI,
	}
	for class, pos := range map[string]viaPos{"via0": viaFirst, "via1": viaSecond, "viaZ": viaLast} {
		m[class] = &Impl{
			Fixup: fixupChoice(class, viaNames),
			Get:   func(st *State, p *PV) Value { return getVia(st, pos, p.Data.(viaAttr)) },
		}
	}
	m["expires"] = &Impl{
		Fixup: fixupChoice("expires", map[string]bool{"min": false, "max": true}),
		Get:   getExpires,
	}

	value := func(t sip.HeaderType) *Impl {
		return &Impl{Get: func(st *State, _ *PV) Value {
			if st.Msg == nil {
				return Null()
			}
			h := st.Msg.First(t)
			if h == nil {
				return Null()
			}
			return Bytes(h.Value)
		}}
	}
	m["ci"] = value(sip.HdrCallID)
	m["cT"] = value(sip.HdrContentType)
	m["ua"] = value(sip.HdrUserAgent)
	m["csb"] = &Impl{Get: func(st *State, _ *PV) Value {
		if st.Msg == nil {
			return Null()
		}
		if _, err := st.Msg.CSeq(); err != nil {
			return Null()
		}
		return Bytes(st.Msg.First(sip.HdrCSeq).Value)
	}}
	m["cs"] = &Impl{Get: func(st *State, _ *PV) Value {
		if st.Msg == nil {
			return Null()
		}
		if _, err := st.Msg.CSeq(); err != nil {
			return Null()
		}
		v := st.Msg.First(sip.HdrCSeq).Value
		i := 0
		for i < len(v) && v[i] >= '0' && v[i] <= '9' {
			i++
		}
		return Bytes(v[:i])
	}}
	m["ct"] = &Impl{Get: func(st *State, _ *PV) Value {
		if st.Msg == nil {
			return Null()
		}
		if h := st.Msg.First(sip.HdrContact); h != nil {
			return bytesOrNull(h.Value)
		}
		return Null()
	}}
	m["cl"] = &Impl{Get: func(st *State, _ *PV) Value {
		if st.Msg == nil {
			return Null()
		}
		if n, ok := st.Msg.ContentLength(); ok {
			return Int(Wrap32(int64(n)))
		}
		return Null()
	}}
	m["rb"] = &Impl{Get: func(st *State, _ *PV) Value {
		if st.Msg == nil {
			return Null()
		}
		return Bytes(st.Msg.Body())
	}}
	m["bs"] = &Impl{Get: func(st *State, _ *PV) Value {
		if st.Msg == nil {
			return Int(0)
		}
		return Int(int64(len(st.Msg.Body())))
	}}
	m["mb"] = &Impl{Get: func(st *State, _ *PV) Value {
		if st.Msg == nil {
			if st.Raw != nil {
				return Bytes(st.Raw)
			}
			return Null()
		}
		return Bytes(st.Msg.Bytes())
	}}
	m["ml"] = &Impl{Get: func(st *State, _ *PV) Value {
		if st.Msg == nil {
			return Int(0)
		}
		return Int(int64(st.Msg.Len()))
	}}
	m["mbu"] = &Impl{Get: func(st *State, _ *PV) Value {
		if st.Msg == nil {
			return Null()
		}
		start := len(st.Arena)
		st.Arena = st.Msg.AppendTo(st.Arena)
		return Str(st.ArenaString(start))
	}}
}

func getMsgAttr(st *State, p *PV) Value {
	m := st.Msg
	if m == nil {
		return Null()
	}
	switch p.Data.(msgAttr) {
	case msgLen:
		return Int(int64(m.Len()))
	case msgBuf:
		return Bytes(m.Bytes())
	case msgBody:
		return Bytes(m.Body())
	case msgBodyLen:
		return Int(int64(len(m.Body())))
	case msgHdrc:
		return Int(int64(len(m.Headers())))
	case msgFline:
		return Bytes(trimSpace(m.StartLine()))
	case msgHdrs:
		return Bytes(trimSpace(m.HeaderSection()))
	case msgHdrsLen:
		return Int(int64(len(trimSpace(m.HeaderSection()))))
	case msgFpart:
		// The section is a view into the buffer: their capacities tell
		// where it ends.
		hs := m.HeaderSection()
		off := cap(m.Bytes()) - cap(hs) + len(hs)
		if off < 0 || off > len(m.Bytes()) {
			return Null()
		}
		return Bytes(trimSpace(m.Bytes()[:off]))
	}
	return Null()
}

// trimSpace trims blanks and line ends at both ends.
func trimSpace(b []byte) []byte {
	i, j := 0, len(b)
	for i < j && isBlank(b[i]) {
		i++
	}
	for j > i && isBlank(b[j-1]) {
		j--
	}
	return b[i:j]
}

func isBlank(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

// getVia reads a part of the first, second or last Via value.
func getVia(st *State, pos viaPos, a viaAttr) Value {
	m := st.Msg
	if m == nil {
		return Null()
	}
	var v *sip.Via
	if pos == viaFirst {
		var err error
		if v, err = m.TopVia(); err != nil {
			return Null()
		}
	} else {
		// An error leaves the values parsed before the bad one.
		vias, _ := m.Vias()
		switch {
		case pos == viaSecond && len(vias) > 1:
			v = &vias[1]
		case pos == viaLast && len(vias) > 0:
			v = &vias[len(vias)-1]
		default:
			return Null()
		}
	}
	switch a {
	case viaHost:
		return bytesOrNull(v.Host)
	case viaPort:
		if v.HasPort && v.Port != 0 {
			return Int(int64(v.Port))
		}
		return Int(5060)
	case viaProto:
		return Bytes(v.Transport)
	case viaProtoID:
		return Int(int64(viaProtoNumber(v.Transport)))
	case viaBranch:
		return bytesOrNull(v.Branch)
	case viaRPort:
		return bytesOrNull(v.RPort)
	case viaReceived:
		return bytesOrNull(v.Received)
	case viaI:
		i, _ := v.Params.Get("i")
		return bytesOrNull(i)
	}
	return Null()
}

// protoOther is Kamailio's number for a transport it does not know.
const protoOther = 7

// viaProtoNumber maps a Via transport to the Proto numbering ($K(UDP) …).
func viaProtoNumber(t []byte) int {
	switch {
	case asciiEqualFold(t, "udp"):
		return int(ProtoUDP)
	case asciiEqualFold(t, "tcp"):
		return int(ProtoTCP)
	case asciiEqualFold(t, "tls"):
		return int(ProtoTLS)
	case asciiEqualFold(t, "sctp"):
		return int(ProtoSCTP)
	case asciiEqualFold(t, "ws"):
		return int(ProtoWS)
	case asciiEqualFold(t, "wss"):
		return int(ProtoWSS)
	}
	return protoOther
}

// getExpires is $expires(min|max): the smallest or largest expiry among
// the Contacts (a Contact without expires parameter counts the Expires
// header, when there is one) or, without Contacts, the Expires header.
func getExpires(st *State, p *PV) Value {
	m := st.Msg
	if m == nil {
		return Null()
	}
	hdr, hasHdr, err := m.Expires()
	if err != nil {
		return Null()
	}
	contacts, _, err := m.Contacts()
	if err != nil {
		return Null()
	}
	lo, hi := uint32(0xffffffff), uint32(0)
	found := false
	see := func(e uint32) {
		found = true
		lo, hi = min(lo, e), max(hi, e)
	}
	for i := range contacts {
		switch {
		case contacts[i].HasExpires:
			see(contacts[i].Expires)
		case hasHdr:
			see(hdr)
		}
	}
	if !found && hasHdr {
		see(hdr)
	}
	switch {
	case !found:
		return Null()
	case p.Data.(bool):
		return Int(int64(hi))
	}
	return Int(int64(lo))
}
