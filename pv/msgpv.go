package pv

import (
	"errors"
	"fmt"
	"net/netip"
	"strconv"
	"strings"
	"unsafe"

	"github.com/kamgo/kamgo/runtime/sip"
)

// addMsgImpls adds the classes that read and write the message and its
// addresses: the Request-URI and the destination URI, the start line, the
// From and To headers, the addresses the message came from and arrived on.
// Headers, bodies and Via parts are in msghdr.go, identities and
// credentials in msgident.go.
func addMsgImpls(m map[string]*Impl) {
	addURIImpls(m)
	addLineImpls(m)
	addNameAddrImpls(m)
	addNetImpls(m)
	addHeaderImpls(m)
	addIdentImpls(m)
}

// uriAttr is a part of a URI, as $rU, $rd, $rp, $rP and $rz read it.
type uriAttr uint8

const (
	uriUser uriAttr = iota + 1
	uriHost
	uriPort
	uriTransport
	uriScheme
	uriIPVersion // $nh(i)
)

// Values Kamailio returns for absent URI parts.
const (
	defaultPort    = "5060"
	defaultTLSPort = "5061"
	defaultProto   = "UDP"
)

// uriValue returns part a of u as Kamailio's pv module does. tlsPort makes
// the default port 5061 when the URI says transport=tls (as $rp and $dp do,
// but not $nh(p)); a sips URI without transport keeps 5060.
func uriValue(u *sip.URI, a uriAttr, tlsPort bool) Value {
	switch a {
	case uriUser:
		return bytesOrNull(u.User)
	case uriHost:
		return bytesOrNull(u.Host)
	case uriPort:
		if t := u.PortText(); t != nil {
			return Bytes(t)
		}
		if tlsPort && asciiEqualFold(u.Transport, "tls") {
			return Str(defaultTLSPort)
		}
		return Str(defaultPort)
	case uriTransport:
		if u.Transport != nil {
			return Bytes(u.Transport)
		}
		return Str(defaultProto)
	case uriScheme:
		switch u.Scheme {
		case sip.SchemeSIP:
			return Str("sip")
		case sip.SchemeSIPS:
			return Str("sips")
		case sip.SchemeTel:
			return Str("tel")
		}
		// Kamailio parses these two schemes too; any other fails.
		switch {
		case asciiEqualFold(u.SchemeText, "tels"):
			return Str("tels")
		case asciiEqualFold(u.SchemeText, "urn"):
			return Str("urn")
		}
		return Null()
	case uriIPVersion:
		switch {
		case len(u.Host) > 0 && u.Host[0] == '[':
			return Int(6)
		case isIPv4(u.Host):
			return Int(4)
		}
		return Int(0)
	}
	return Null()
}

// kamailioScheme reports URIs Kamailio's parser accepts; for others every
// R-URI variable reads as null.
func kamailioScheme(u *sip.URI) bool { return !uriValue(u, uriScheme, false).IsNull() }

// request returns the message when it is a request.
func request(st *State) *sip.Message {
	if m := st.Msg; m != nil && m.IsRequest() {
		return m
	}
	return nil
}

// parsedRURI returns the current Request-URI parsed, nil when the message
// is not a request or the URI does not parse.
func parsedRURI(st *State) *sip.URI {
	m := request(st)
	if m == nil {
		return nil
	}
	u, err := m.ParsedRequestURI()
	if err != nil || !kamailioScheme(u) {
		return nil
	}
	return u
}

// originalRURI parses the Request-URI as received into u.
func originalRURI(st *State, u *sip.URI) bool {
	m := request(st)
	if m == nil {
		return false
	}
	if !m.RequestURIRewritten() {
		pu, err := m.ParsedRequestURI()
		if err != nil {
			return false
		}
		*u = *pu
	} else {
		var err error
		if *u, err = sip.ParseURI(m.OriginalRequestURI()); err != nil {
			return false
		}
	}
	return kamailioScheme(u)
}

// parseString parses a URI held in a string without copying it.
func parseString(s string, u *sip.URI) bool {
	if s == "" {
		return false
	}
	var err error
	*u, err = sip.ParseURI(stringBytes(s))
	return err == nil && kamailioScheme(u)
}

// stringBytes views s as bytes; the parsers only read them.
func stringBytes(s string) []byte { return unsafe.Slice(unsafe.StringData(s), len(s)) }

func addURIImpls(m map[string]*Impl) {
	ru := &Impl{
		Get: func(st *State, _ *PV) Value {
			if parsedRURI(st) == nil {
				return Null()
			}
			return Bytes(st.Msg.RequestURI())
		},
		Set: setRURI,
	}
	m["ru"], m["ruri"] = ru, ru
	ruAttr := func(a uriAttr, set Setter) *Impl {
		return &Impl{
			Get: func(st *State, _ *PV) Value {
				u := parsedRURI(st)
				if u == nil {
					return Null()
				}
				return uriValue(u, a, true)
			},
			Set: set,
		}
	}
	m["rU"] = ruAttr(uriUser, setRURIPart(sip.PartUser))
	m["rd"] = ruAttr(uriHost, setRURIPart(sip.PartHost))
	m["rp"] = ruAttr(uriPort, setRURIPart(sip.PartPort))
	m["rP"] = ruAttr(uriTransport, nil)
	m["rz"] = ruAttr(uriScheme, nil)

	ou := &Impl{Get: func(st *State, _ *PV) Value {
		var u sip.URI
		if !originalRURI(st, &u) {
			return Null()
		}
		return Bytes(st.Msg.OriginalRequestURI())
	}}
	m["ou"], m["ouri"] = ou, ou
	ouAttr := func(a uriAttr) *Impl {
		return &Impl{Get: func(st *State, _ *PV) Value {
			var u sip.URI
			if !originalRURI(st, &u) {
				return Null()
			}
			return uriValue(&u, a, true)
		}}
	}
	m["oU"] = ouAttr(uriUser)
	m["od"] = ouAttr(uriHost)
	m["op"] = ouAttr(uriPort)
	m["oP"] = ouAttr(uriTransport)

	du := &Impl{
		Get: func(st *State, _ *PV) Value {
			if st.DstURI == "" {
				return Null()
			}
			return Str(st.DstURI)
		},
		Set: func(st *State, _ *PV, v Value) error {
			switch v.K {
			case KindNull:
				st.DstURI = ""
			case KindStr:
				// A copy: tm keeps the destination with the branches it
				// creates, beyond the message's arena.
				st.DstURI = v.Clone().S
			default:
				return errors.New("str value required to set dst uri")
			}
			return nil
		},
	}
	m["du"], m["duri"] = du, du
	duAttr := func(a uriAttr) *Impl {
		return &Impl{Get: func(st *State, _ *PV) Value {
			var u sip.URI
			if !parseString(st.DstURI, &u) {
				return Null()
			}
			return uriValue(&u, a, true)
		}}
	}
	m["dd"] = duAttr(uriHost)
	m["dp"] = duAttr(uriPort)
	m["dP"] = duAttr(uriTransport)

	m["nh"] = &Impl{
		Fixup: fixupChoice("nh", map[string]uriAttr{
			"u": 0, "U": uriUser, "d": uriHost, "p": uriPort, "P": uriTransport, "i": uriIPVersion,
		}),
		Get: func(st *State, p *PV) Value {
			a := p.Data.(uriAttr)
			if m := st.Msg; m != nil && !m.IsRequest() {
				return replyNextHop(st, a)
			}
			m := request(st)
			if m == nil {
				return Null()
			}
			var u sip.URI
			if st.DstURI != "" {
				if a == 0 {
					return Str(st.DstURI)
				}
				if !parseString(st.DstURI, &u) {
					return Null()
				}
				return uriValue(&u, a, false)
			}
			if a == 0 {
				return Bytes(m.RequestURI())
			}
			pu := parsedRURI(st)
			if pu == nil {
				return Null()
			}
			return uriValue(pu, a, false)
		},
	}

	m["ds"] = &Impl{Get: getDestSet}
}

// replyNextHop is $nh of a reply: where it goes, from the second Via (its
// received and rport parameters first).
func replyNextHop(st *State, a uriAttr) Value {
	vias, _ := st.Msg.Vias()
	if len(vias) < 2 {
		return Null()
	}
	v := &vias[1]
	host := v.Host
	if len(v.Received) > 0 {
		host = v.Received
	}
	port := int64(5060)
	if v.HasPort && v.Port != 0 {
		port = int64(v.Port)
	}
	if len(v.RPort) > 0 {
		// The parser checked it is a port number.
		port = 0
		for _, c := range v.RPort {
			port = port*10 + int64(c-'0')
		}
	}
	proto := ProtoUDP
	if n := viaProtoNumber(v.Transport); n != protoOther {
		proto = Proto(n)
	}
	switch a {
	case 0:
		start := len(st.Arena)
		b := append(st.Arena, "sip:"...)
		b = append(b, host...)
		b = append(b, ':')
		b = strconv.AppendInt(b, port, 10)
		b = append(b, ";transport="...)
		b = append(b, uriTransportName(proto)...)
		st.Arena = b
		return Str(st.ArenaString(start))
	case uriHost:
		return bytesOrNull(host)
	case uriPort:
		return Int(port)
	case uriTransport:
		return Str(proto.String())
	case uriIPVersion:
		return uriValue(&sip.URI{Host: host}, uriIPVersion, false)
	}
	return Null()
}

// setRURI is $ru = v: the new Request-URI as given.
func setRURI(st *State, _ *PV, v Value) error {
	m := request(st)
	switch {
	case m == nil:
		return errors.New("no request to set the R-URI of")
	case v.K == KindNull:
		return errors.New("bad parameters: cannot set the R-URI to $null")
	case v.K != KindStr:
		return errors.New("str value required to set R-URI")
	}
	return m.SetRequestURI(v.S)
}

// setRURIPart returns the setter of $rU, $rd or $rp: the Request-URI with
// one part replaced. $rU and $rp accept $null (removing the part), $rp an
// integer.
func setRURIPart(part sip.URIPart) Setter {
	return func(st *State, _ *PV, v Value) error {
		m := request(st)
		if m == nil {
			return errors.New("no request to set the R-URI of")
		}
		var text string
		switch v.K {
		case KindNull:
			if part == sip.PartHost {
				return errors.New("bad parameters: cannot set the R-URI hostname to $null")
			}
		case KindInt:
			switch part {
			case sip.PartUser:
				return errors.New("str value required to set R-URI user")
			case sip.PartHost:
				return errors.New("str value required to set R-URI hostname")
			}
			start := len(st.Arena)
			st.Arena = strconv.AppendInt(st.Arena, v.I, 10)
			text = st.ArenaString(start)
		default:
			text = v.S
		}
		start := len(st.Arena)
		out, err := sip.RewriteURI(st.Arena, m.RequestURI(), part, text)
		if err != nil {
			st.Arena = st.Arena[:start]
			return err
		}
		st.Arena = out
		return m.SetRequestURI(st.ArenaString(start))
	}
}

// getDestSet is $ds: the destination set as a Contact header, the way
// Kamailio prints it for a redirect. The R-URI is part of it once rewritten
// (Kamailio: once marked new, which a rewrite or $du does).
func getDestSet(st *State, _ *PV) Value {
	m := request(st)
	if m == nil {
		return Null()
	}
	withRURI := m.RequestURIRewritten() || st.DstURI != ""
	if !withRURI && len(st.Branches) == 0 {
		return Null()
	}
	start := len(st.Arena)
	b := append(st.Arena, "Contact: "...)
	sep := false
	add := func(uri []byte, uriStr string, q int) {
		if sep {
			b = append(b, ", "...)
		}
		sep = true
		b = append(b, '<')
		b = append(b, uri...)
		b = append(b, uriStr...)
		b = append(b, '>')
		if q >= 0 {
			b = append(b, ";q="...)
			b = appendQ(b, q)
		}
	}
	if withRURI {
		add(m.RequestURI(), "", st.RURIQ)
	}
	for i := range st.Branches {
		add(nil, st.Branches[i].URI, st.Branches[i].Q)
	}
	st.Arena = b
	return Str(st.ArenaString(start))
}

// appendQ appends a q value given in thousandths as Kamailio prints it:
// "1", "0", "0.5", "0.25".
func appendQ(b []byte, q int) []byte {
	switch {
	case q >= 1000:
		return append(b, '1')
	case q <= 0:
		return append(b, '0')
	}
	b = append(b, '0', '.')
	for d := 100; q > 0; d /= 10 {
		b = append(b, byte('0'+q/d))
		q %= d
	}
	return b
}

// fixupChoice returns a fixup that maps the static inner name through
// names into p.Data, refusing other names and dynamic ones.
func fixupChoice[T any](class string, names map[string]T) func(*Compiler, *PV) error {
	return func(_ *Compiler, p *PV) error {
		if p.NamePV != nil {
			return fmt.Errorf("$%s(%s): the name cannot be a pseudo-variable", class, p.Name)
		}
		v, ok := names[p.Name]
		if !ok {
			return fmt.Errorf("unknown $%s name %q", class, p.Name)
		}
		p.Data = v
		return nil
	}
}

func addLineImpls(m map[string]*Impl) {
	m["rm"] = &Impl{Get: func(st *State, _ *PV) Value {
		if m := st.Msg; m != nil && m.IsRequest() {
			return Bytes(m.Method())
		}
		if cs := replyCSeq(st); cs != nil {
			return Bytes(cs.Method)
		}
		return Null()
	}}
	m["rmid"] = &Impl{Get: func(st *State, _ *PV) Value {
		if m := st.Msg; m != nil && m.IsRequest() {
			return Int(methodID(m.Method()))
		}
		if cs := replyCSeq(st); cs != nil {
			return Int(methodID(cs.Method))
		}
		return Null()
	}}
	m["rs"] = &Impl{Get: func(st *State, _ *PV) Value {
		if m := st.Msg; m != nil && !m.IsRequest() {
			return Int(int64(m.StatusCode()))
		}
		return Null()
	}}
	m["rr"] = &Impl{Get: func(st *State, _ *PV) Value {
		if m := st.Msg; m != nil && !m.IsRequest() {
			return Bytes(m.Reason())
		}
		return Null()
	}}
	m["rv"] = &Impl{Get: func(st *State, _ *PV) Value {
		if m := st.Msg; m != nil {
			return Bytes(m.Version())
		}
		return Null()
	}}
	m["mt"] = &Impl{Get: func(st *State, _ *PV) Value {
		switch m := st.Msg; {
		case m == nil:
			return Int(0)
		case m.IsRequest():
			return Int(1)
		}
		return Int(2)
	}}
}

// replyCSeq returns the CSeq of a reply, which names its method.
func replyCSeq(st *State) *sip.CSeq {
	m := st.Msg
	if m == nil || m.IsRequest() {
		return nil
	}
	cs, err := m.CSeq()
	if err != nil {
		return nil
	}
	return cs
}

// methodID returns Kamailio's number of a method ($rmid): a bit per known
// method (any case), 2^19 for the others.
func methodID(b []byte) int64 {
	var low [9]byte
	if len(b) > len(low) {
		return methodOther
	}
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		low[i] = c
	}
	switch string(low[:len(b)]) {
	case "invite":
		return 1
	case "cancel":
		return 2
	case "ack":
		return 4
	case "bye":
		return 8
	case "info":
		return 16
	case "register":
		return 32
	case "subscribe":
		return 64
	case "notify":
		return 128
	case "message":
		return 256
	case "options":
		return 512
	case "prack":
		return 1024
	case "update":
		return 2048
	case "refer":
		return 4096
	case "publish":
		return 8192
	case "kdmq":
		return 16384
	case "get":
		return 32768
	case "post":
		return 65536
	case "put":
		return 131072
	case "delete":
		return 262144
	}
	return methodOther
}

// methodOther is $rmid of a method Kamailio does not know.
const methodOther = 524288

// nameAddrPart is what $fu, $fU, $fd, $fn and $ft (and the To ones) read.
type nameAddrPart uint8

const (
	naURI nameAddrPart = iota + 1
	naUser
	naHost
	naDisplay
	naTag
)

func addNameAddrImpls(m map[string]*Impl) {
	for _, hdr := range []struct {
		t      sip.HeaderType
		prefix string
	}{{sip.HdrFrom, "f"}, {sip.HdrTo, "t"}} {
		t := hdr.t
		impl := func(part nameAddrPart, writable bool) *Impl {
			i := &Impl{Get: func(st *State, _ *PV) Value { return getNameAddr(st, t, part) }}
			if writable {
				i.Set = func(st *State, _ *PV, v Value) error { return setNameAddr(st, t, part, v) }
			}
			return i
		}
		u := impl(naURI, true)
		m[hdr.prefix+"u"] = u
		m[hdr.prefix+"U"] = impl(naUser, true)
		m[hdr.prefix+"d"] = impl(naHost, true)
		m[hdr.prefix+"n"] = impl(naDisplay, true)
		m[hdr.prefix+"t"] = impl(naTag, false)
	}
	m["from"], m["to"] = m["fu"], m["tu"]
}

// nameAddr returns the parsed From or To header.
func nameAddr(m *sip.Message, t sip.HeaderType) *sip.NameAddr {
	var na *sip.NameAddr
	var err error
	if t == sip.HdrFrom {
		na, err = m.From()
	} else {
		na, err = m.To()
	}
	if err != nil {
		return nil
	}
	return na
}

// getNameAddr reads a part of the From or To header as received (edits of
// $fU & co. only show in the message sent, as in Kamailio).
func getNameAddr(st *State, t sip.HeaderType, part nameAddrPart) Value {
	if st.Msg == nil {
		return Null()
	}
	na := nameAddr(st.Msg, t)
	if na == nil {
		return Null()
	}
	return part.of(na)
}

// of returns the part of na: the URI, display name, tag, or the URI's
// user or host (null when the URI does not parse).
func (part nameAddrPart) of(na *sip.NameAddr) Value {
	switch part {
	case naURI:
		return Bytes(na.URI)
	case naDisplay:
		return bytesOrNull(na.Display)
	case naTag:
		return bytesOrNull(na.Tag)
	}
	u, err := sip.ParseURI(na.URI)
	if err != nil {
		return Null()
	}
	if part == naUser {
		return bytesOrNull(u.User)
	}
	return bytesOrNull(u.Host)
}

// setNameAddr edits a part of the From or To header. Like Kamailio, $null
// removes the user or the display name and is ignored for the URI and the
// host.
func setNameAddr(st *State, t sip.HeaderType, part nameAddrPart, v Value) error {
	m := st.Msg
	if m == nil {
		return errors.New("no message")
	}
	na := nameAddr(m, t)
	if na == nil {
		return fmt.Errorf("cannot parse the %s header", t)
	}
	if v.K == KindInt {
		return fmt.Errorf("str value required to set the %s header", t)
	}
	// The value goes into the header line as is: no line break may
	// smuggle another header in.
	if strings.ContainsAny(v.S, "\r\n") {
		return fmt.Errorf("bad value for the %s header: line break", t)
	}
	null := v.K == KindNull
	switch part {
	case naURI:
		if null {
			return nil
		}
		return m.Replace(na.URI, v.S)
	case naDisplay:
		d := na.Display
		if null {
			if len(d) == 0 {
				return nil
			}
			if len(d) < cap(d) && d[:len(d)+1][len(d)] == ' ' {
				d = d[:len(d)+1]
			}
			return m.Replace(d, "")
		}
		if len(d) == 0 {
			return m.InsertBefore(na.Raw, st.ConcatString(v.S, " "))
		}
		return m.Replace(d, v.S)
	}
	u, err := sip.ParseURI(na.URI)
	if err != nil || len(u.Host) == 0 {
		return fmt.Errorf("cannot parse the %s URI", t)
	}
	if part == naHost {
		if null {
			return nil
		}
		return m.Replace(u.Host, v.S)
	}
	user := u.User
	switch {
	case null && len(user) == 0:
		return nil
	case null:
		if len(user) < cap(user) && user[:len(user)+1][len(user)] == '@' {
			user = user[:len(user)+1]
		}
		return m.Replace(user, "")
	case len(user) == 0:
		return m.InsertBefore(u.Host, st.ConcatString(v.S, "@"))
	}
	return m.Replace(user, v.S)
}

func addNetImpls(m map[string]*Impl) {
	src := &Impl{Get: func(st *State, _ *PV) Value { return addrValue(st, st.Recv.Src.Addr()) }}
	m["si"] = src
	m["sp"] = &Impl{Get: func(st *State, _ *PV) Value { return portValue(st.Recv.Src) }}
	m["Ri"] = &Impl{Get: func(st *State, _ *PV) Value { return addrValue(st, st.Recv.Dst.Addr()) }}
	m["Rp"] = &Impl{Get: func(st *State, _ *PV) Value { return portValue(st.Recv.Dst) }}
	m["Rn"] = &Impl{Get: func(st *State, _ *PV) Value { return strOrNull(st.Recv.SocketName) }}
	m["RAi"] = &Impl{Get: func(st *State, _ *PV) Value {
		if st.Recv.AdvHost != "" {
			return Str(st.Recv.AdvHost)
		}
		return addrValue(st, st.Recv.Dst.Addr())
	}}
	m["RAp"] = &Impl{Get: func(st *State, _ *PV) Value {
		if st.Recv.AdvPort > 0 {
			return Int(int64(st.Recv.AdvPort))
		}
		return portValue(st.Recv.Dst)
	}}
	sockURI := func(which sockSide, full bool) *Impl {
		return &Impl{Get: func(st *State, _ *PV) Value { return socketURI(st, which, full) }}
	}
	m["su"], m["sut"] = sockURI(sideSrc, false), sockURI(sideSrc, true)
	m["Ru"], m["Rut"] = sockURI(sideRcv, false), sockURI(sideRcv, true)
	m["RAu"], m["RAut"] = sockURI(sideAdv, false), sockURI(sideAdv, true)
	proto := &Impl{Get: func(st *State, _ *PV) Value { return Str(st.Recv.Proto.String()) }}
	m["pr"], m["proto"] = proto, proto
	m["conid"] = &Impl{Get: func(st *State, _ *PV) Value {
		switch st.Recv.Proto {
		case ProtoTCP, ProtoTLS, ProtoWS, ProtoWSS:
			if st.Recv.ConID > 0 {
				return Int(st.Recv.ConID)
			}
		}
		return Null()
	}}
	m["af"] = &Impl{
		Fixup: fixupChoice("af", map[string]bool{"id": false, "name": true}),
		Get: func(st *State, p *PV) Value {
			a := st.Recv.Dst.Addr()
			if !a.IsValid() {
				a = st.Recv.Src.Addr()
			}
			if !a.IsValid() {
				return Null()
			}
			v6 := a.Is6() && !a.Is4In6()
			if p.Data.(bool) {
				if v6 {
					return Str("IPv6")
				}
				return Str("IPv4")
			}
			if v6 {
				return Int(afInet6)
			}
			return Int(afInet)
		},
	}
	m["sid"] = &Impl{Get: func(*State, *PV) Value { return Int(0) }}

	m["fs"] = &Impl{
		Get: func(st *State, _ *PV) Value { return strOrNull(st.ForceSocket) },
		Set: func(st *State, _ *PV, v Value) error {
			switch {
			case v.K == KindNull:
				st.ForceSocket = ""
			case v.K != KindStr || v.S == "":
				return errors.New("str value required to set the force send sock")
			default:
				st.ForceSocket = v.Clone().S
			}
			return nil
		},
	}
	m["fsn"] = &Impl{
		// Only the socket itself is kept, not its name.
		Get: func(*State, *PV) Value { return Null() },
		Set: func(st *State, _ *PV, v Value) error {
			if v.K == KindNull {
				st.ForceSocket = ""
				return nil
			}
			return errors.New("$fsn: selecting a socket by name is not supported yet")
		},
	}

	// $rcv is only set in event_route[core:msg-received], which kamgo does
	// not run: null everywhere else, as in Kamailio.
	m["rcv"] = &Impl{
		Fixup: fixupChoice("rcv", map[string]bool{
			"buf": true, "len": true, "proto": true, "srcip": true, "rcvip": true,
			"srcport": true, "rcvport": true, "sproto": true, "af": true,
		}),
		Get: func(*State, *PV) Value { return Null() },
	}
	// $snd and $sndto describe where the message being sent goes, $sndfrom
	// the socket it leaves from; null outside onsend_route, as in Kamailio.
	for _, class := range []string{"snd", "sndto", "sndfrom"} {
		from := class == "sndfrom"
		m[class] = &Impl{
			Fixup: fixupChoice(class, map[string]bool{
				"ip": true, "af": true, "port": true, "proto": true, "buf": true, "len": true, "sproto": true,
			}),
			Get: func(st *State, p *PV) Value {
				sd := &st.Send
				if !sd.Dst.IsValid() {
					return Null()
				}
				ap := sd.Dst
				if from {
					ap = sd.Src
				}
				switch p.Name {
				case "ip":
					return addrValue(st, ap.Addr())
				case "port":
					return portValue(ap)
				case "af":
					if ap.Addr().Is6() && !ap.Addr().Is4In6() {
						return Int(afInet6)
					}
					return Int(afInet)
				case "proto":
					return Int(int64(sd.Proto))
				case "sproto":
					return Str(sd.Proto.String())
				case "buf":
					return Bytes(sd.Buf)
				case "len":
					return Int(int64(len(sd.Buf)))
				}
				return Null()
			},
		}
	}
}

// Address families as $af(id) reports them (Linux values).
const (
	afInet  = 2
	afInet6 = 10
)

// addrValue prints an address into the arena: dotted IPv4, or IPv6 in the
// short form without brackets, as Kamailio 5.6 does.
func addrValue(st *State, a netip.Addr) Value {
	if !a.IsValid() {
		return Null()
	}
	start := len(st.Arena)
	st.Arena = a.Unmap().WithZone("").AppendTo(st.Arena)
	return Str(st.ArenaString(start))
}

func portValue(ap netip.AddrPort) Value {
	if !ap.IsValid() {
		return Null()
	}
	return Int(int64(ap.Port()))
}

// sockSide selects the address a socket URI is made of.
type sockSide uint8

const (
	sideSrc sockSide = iota // $su: where the message came from
	sideRcv                 // $Ru: the socket it arrived on
	sideAdv                 // $RAu: that socket's advertised address
)

// socketURI builds "sip:host:port" for $su, $Ru and $RAu, adding
// ";transport=proto" when full is set or the protocol is not UDP.
func socketURI(st *State, side sockSide, full bool) Value {
	ap := st.Recv.Src
	if side != sideSrc {
		ap = st.Recv.Dst
	}
	if !ap.IsValid() {
		return Null()
	}
	start := len(st.Arena)
	b := append(st.Arena, "sip:"...)
	a := ap.Addr().Unmap().WithZone("")
	port := int64(ap.Port())
	switch {
	case side == sideAdv && st.Recv.AdvHost != "":
		b = appendHost(b, st.Recv.AdvHost)
	case a.Is6():
		b = append(b, '[')
		b = a.AppendTo(b)
		b = append(b, ']')
	default:
		b = a.AppendTo(b)
	}
	if side == sideAdv && st.Recv.AdvPort > 0 {
		port = int64(st.Recv.AdvPort)
	}
	b = append(b, ':')
	b = strconv.AppendInt(b, port, 10)
	if p := st.Recv.Proto; full || (p != ProtoUDP && p != ProtoNone) {
		b = append(b, ";transport="...)
		b = append(b, uriTransportName(p)...)
	}
	st.Arena = b
	return Str(st.ArenaString(start))
}

// appendHost appends a host name or address, bracketing a bare IPv6
// address.
func appendHost(b []byte, h string) []byte {
	if len(h) > 0 && h[0] != '[' {
		for i := 0; i < len(h); i++ {
			if h[i] == ':' {
				b = append(b, '[')
				b = append(b, h...)
				return append(b, ']')
			}
		}
	}
	return append(b, h...)
}

// uriTransportName is the transport parameter value of p: WebSocket over
// TLS is still "ws" in a URI.
func uriTransportName(p Proto) string {
	switch p {
	case ProtoNone:
		return "udp"
	case ProtoWSS:
		return "ws"
	}
	return p.String()
}

// bytesOrNull returns b, or null when it is empty (an absent part).
func bytesOrNull(b []byte) Value {
	if len(b) == 0 {
		return Null()
	}
	return Bytes(b)
}

// asciiEqualFold compares b with a lowercase ASCII string, ignoring case.
func asciiEqualFold(b []byte, lower string) bool {
	if len(b) != len(lower) {
		return false
	}
	for i := 0; i < len(b); i++ {
		c := b[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != lower[i] {
			return false
		}
	}
	return true
}

// isIPv4 reports a dotted-quad IPv4 address.
func isIPv4(b []byte) bool {
	dots, digits, n := 0, 0, 0
	for _, c := range b {
		switch {
		case c >= '0' && c <= '9':
			n = n*10 + int(c-'0')
			digits++
			if digits > 3 || n > 255 {
				return false
			}
		case c == '.':
			if digits == 0 {
				return false
			}
			dots++
			digits, n = 0, 0
		default:
			return false
		}
	}
	return dots == 3 && digits > 0
}
