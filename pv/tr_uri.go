package pv

import (
	"fmt"
	"strconv"
	"strings"
	"unsafe"

	"github.com/kamgo/kamgo/runtime/sip"
)

// trURI is a URI parsed for the {uri.*} transformations, with the parts the
// way Kamailio's parse_uri gives them.
type trURI struct {
	u      sip.URI
	user   string
	params string // the parameters without the leading ';'; "" for tel
}

// trParseURI parses a sip, sips or tel URI into p (in place: the struct is
// large). A trailing ';' is ignored, as Kamailio does.
func trParseURI(p *trURI, s string) bool {
	if len(s) > 4 && s[len(s)-1] == ';' {
		s = s[:len(s)-1]
	}
	var err error
	p.u, err = sip.ParseURI(trBytes(s))
	if err != nil || p.u.Scheme == sip.SchemeOther {
		return false
	}
	u := &p.u
	p.user, p.params = trView(u.User), ""
	if u.Scheme != sip.SchemeTel {
		p.params = strings.TrimPrefix(trView(u.Params), ";")
		// user=phone makes Kamailio read the URI as tel: the user part
		// loses its own ";" parameters.
		if strings.EqualFold(trView(u.UserParam), "phone") {
			if i := strings.IndexByte(p.user, ';'); i >= 0 {
				p.user = p.user[:i]
			}
		}
	}
	return true
}

// trURIParam returns the value of the URI parameter called name (the last
// one when repeated), "" when absent; ok is false when the parameters do not
// parse.
func trURIParam(params, name string) (string, bool) {
	val := ""
	it := trParamIter{rest: params, sep: ';'}
	for it.next() {
		if strings.EqualFold(it.name, name) {
			val = it.body
		}
	}
	return val, !it.bad
}

// trURIPart is a {uri.*} transformation without arguments.
type trURIPart uint8

const (
	trURIUser trURIPart = iota
	trURIHost
	trURIPasswd
	trURIPort
	trURIParams
	trURIHeaders
	trURITransport
	trURITTL
	trURIUParam
	trURIMaddr
	trURIMethod
	trURILR
	trURIR2
	trURIScheme
	trURISAOR
	trURISURI
	trURIDURI
	trURIToSocket
)

func fixupURITr(tr *Tr, name string) error {
	parts := map[string]trURIPart{
		"user": trURIUser, "host": trURIHost, "domain": trURIHost, "passwd": trURIPasswd, "port": trURIPort,
		"params": trURIParams, "headers": trURIHeaders, "transport": trURITransport, "ttl": trURITTL, "uparam": trURIUParam,
		"maddr": trURIMaddr, "method": trURIMethod, "lr": trURILR, "r2": trURIR2, "scheme": trURIScheme,
		"saor": trURISAOR, "suri": trURISURI, "duri": trURIDURI, "tosocket": trURIToSocket,
	}
	switch {
	case name == "param":
		tr.Fn = trURIParamFn
		return trStrArg(tr, 0, true)
	case name == "uparam" && len(tr.Args) > 0:
		return fmt.Errorf("{uri.uparam} (the user parameter) takes no argument; {uri.param,name} reads a parameter")
	default:
		part, ok := parts[name]
		if !ok {
			return fmt.Errorf("{uri.%s} is not supported by kamgo yet", name)
		}
		tr.Data = part
	}
	tr.Fn = trURIPartFn
	return nil
}

func trURIParamFn(st *State, t *Tr, v Value) (Value, bool) {
	s, ok := trTextNonEmpty(st, v)
	if !ok {
		return Null(), false
	}
	u, ok := st.parsedURI(s)
	if !ok {
		return Null(), false
	}
	name, ok := trStr(st, &t.Args[0])
	if !ok {
		return Null(), false
	}
	if u.params == "" {
		return Str(""), true
	}
	val, ok := trURIParam(u.params, name)
	return Str(val), ok
}

// trURIPartFn returns one part of the URI, "" when it is absent; the port
// is an integer. A value that is not a sip, sips or tel URI fails.
func trURIPartFn(st *State, t *Tr, v Value) (Value, bool) {
	s, ok := trTextNonEmpty(st, v)
	if !ok {
		return Null(), false
	}
	p, ok := st.parsedURI(s)
	if !ok {
		return Null(), false
	}
	u := &p.u
	switch t.Data.(trURIPart) {
	case trURIUser:
		return Str(p.user), true
	case trURIHost:
		return Str(trView(u.Host)), true
	case trURIPasswd:
		return Str(trView(u.Password)), true
	case trURIPort:
		if !u.HasPort {
			return Str(""), true
		}
		return Int(int64(u.Port)), true
	case trURIParams:
		return Str(p.params), true
	case trURIHeaders:
		return Str(trView(u.Headers)), true
	case trURITransport:
		return Str(trView(u.Transport)), true
	case trURITTL:
		return Str(trView(u.TTL)), true
	case trURIUParam:
		return Str(trView(u.UserParam)), true
	case trURIMaddr:
		return Str(trView(u.Maddr)), true
	case trURIMethod:
		return Str(trView(u.MethodPar)), true
	case trURILR:
		val, ok := trURIParam(p.params, "lr")
		return Str(val), ok
	case trURIR2:
		val, ok := trURIParam(p.params, "r2")
		return Str(val), ok
	case trURIScheme:
		return Str(trView(u.SchemeText)), true
	case trURISAOR, trURISURI, trURIDURI:
		return trURIRebuild(st, p, t.Data.(trURIPart)), true
	case trURIToSocket:
		return trURIToSocketFn(st, p)
	}
	return Null(), false
}

// trURIRebuild builds the short forms: saor is scheme:user@host, suri adds
// the port and transport, duri is suri without the user.
func trURIRebuild(st *State, p *trURI, part trURIPart) Value {
	u := &p.u
	start := len(st.Arena)
	st.Arena = append(st.Arena, u.SchemeText...)
	st.Arena = append(st.Arena, ':')
	if p.user != "" && part != trURIDURI {
		st.Arena = append(st.Arena, p.user...)
		st.Arena = append(st.Arena, '@')
	}
	st.Arena = append(st.Arena, u.Host...)
	if part != trURISAOR {
		if u.HasPort {
			st.Arena = append(st.Arena, ':')
			st.Arena = strconv.AppendUint(st.Arena, uint64(u.Port), 10)
		}
		if len(u.Transport) > 0 {
			st.Arena = append(st.Arena, ";transport="...)
			st.Arena = append(st.Arena, u.Transport...)
		}
	}
	return Str(st.ArenaString(start))
}

// trTransportProto returns Kamailio's protocol number of a transport
// parameter (PROTO_UDP 1 … PROTO_WSS 6), 0 when there is none, -1 when it
// is unknown.
func trTransportProto(tp []byte) int {
	if len(tp) == 0 {
		return 0
	}
	for i, name := range [...]string{"udp", "tcp", "tls", "sctp", "ws", "wss"} {
		if strings.EqualFold(trView(tp), name) {
			return i + 1
		}
	}
	return -1
}

// trURIToSocketFn renders proto:host:port. Without a (known) transport
// parameter Kamailio warns and fails; the port defaults to 5060 whatever the
// scheme.
func trURIToSocketFn(st *State, p *trURI) (Value, bool) {
	proto := trTransportProto(p.u.Transport)
	if proto <= 0 {
		return Null(), false
	}
	start := len(st.Arena)
	st.Arena = append(st.Arena, Proto(proto).String()...)
	st.Arena = append(st.Arena, ':')
	st.Arena = append(st.Arena, p.u.Host...)
	st.Arena = append(st.Arena, ':')
	port := uint64(5060)
	if p.u.HasPort && p.u.Port != 0 {
		port = uint64(p.u.Port)
	}
	st.Arena = strconv.AppendUint(st.Arena, port, 10)
	return trDone(st, start)
}

// trParamIter walks a parameter list the way Kamailio's parse_params2 does:
// name[=value] items split by sep, blanks allowed around them, a quoted
// value loses its quotes, a ',' or '>' ends the list, and anything else
// makes the whole list bad.
type trParamIter struct {
	rest       string
	sep        byte
	name, body string
	done, bad  bool
}

func trTrimBlanks(s string) string { return strings.TrimLeft(s, trBlanks) }

func (it *trParamIter) next() bool {
	if it.done || it.bad || it.rest == "" {
		return false
	}
	s, sep := it.rest, it.sep
	i := 0
	for i < len(s) && !trIsWS(s[i]) && s[i] != ',' && s[i] != '=' && s[i] != sep {
		i++
	}
	it.name, it.body = s[:i], ""
	s = trTrimBlanks(s[i:])
	if s != "" && s[0] == '=' {
		s = trTrimBlanks(s[1:])
		switch {
		case s == "":
		case s[0] == '"' || s[0] == '\'':
			end := -1
			if len(s) >= 2 {
				end = strings.IndexByte(s[1:], s[0])
			}
			if end < 0 {
				it.bad = true
				return false
			}
			it.body, s = s[1:1+end], s[2+end:]
		default:
			j := 0
			for j < len(s) && !trIsWS(s[j]) && s[j] != ',' && s[j] != sep {
				j++
			}
			if j == 0 {
				it.bad = true
				return false
			}
			it.body, s = s[:j], s[j:]
		}
		s = trTrimBlanks(s)
	}
	switch {
	case s == "", sep != ',' && s[0] == ',', sep != '>' && s[0] == '>':
		it.done = true
		return true
	case s[0] != sep:
		it.bad = true
		return false
	}
	s = trTrimBlanks(s[1:])
	if s == "" {
		it.bad = true
		return false
	}
	it.rest = s
	return true
}

// trParamCfg is the prepared separator of a {param.*} transformation.
type trParamCfg struct {
	sep    byte
	sepArg *TrArg // {param.count,$sep}: the first character of its value
	badSep bool   // a pseudo-variable separator, which Kamailio never accepts there
}

func fixupParamTr(tr *Tr, name string) error {
	cfg := &trParamCfg{sep: ';'}
	tr.Data = cfg
	sepIdx := 1
	switch name {
	case "value", "in":
		if err := trStrArg(tr, 0, true); err != nil {
			return err
		}
		tr.Fn = trParamValue
		if name == "in" {
			tr.Fn = trParamIn
		}
	case "valueat", "name":
		if err := trNumArg(tr, 0, false); err != nil {
			return err
		}
		tr.Fn = trParamValueAt
		if name == "name" {
			tr.Fn = trParamName
		}
	case "count":
		sepIdx = 0
		tr.Fn = trParamCount
	default:
		return fmt.Errorf("{param.%s} is not supported by kamgo yet", name)
	}
	if sepIdx >= len(tr.Args) {
		return nil
	}
	a := &tr.Args[sepIdx]
	if a.PV != nil {
		if name == "count" {
			cfg.sepArg = a
		} else {
			cfg.badSep = true
		}
		return nil
	}
	lit := trUnescapeArg(a.Lit)
	if len(lit) != 1 || trIsWS(lit[0]) {
		return fmt.Errorf("the separator must be one character, not %q", a.Lit)
	}
	cfg.sep = lit[0]
	return nil
}

// trParamList returns an iterator over the value's parameter list, after a
// check that the whole list parses; ok is false when it does not.
func trParamList(st *State, t *Tr, v Value) (trParamIter, bool) {
	s, ok := trTextNonEmpty(st, v)
	cfg := t.Data.(*trParamCfg)
	if !ok || cfg.badSep {
		return trParamIter{}, false
	}
	sep := cfg.sep
	if cfg.sepArg != nil {
		ss, ok := trStr(st, cfg.sepArg)
		if !ok {
			return trParamIter{}, false
		}
		sep = ss[0]
	}
	if len(s) > 1 && s[len(s)-1] == sep {
		s = s[:len(s)-1]
	}
	check := trParamIter{rest: s, sep: sep}
	for check.next() {
	}
	return trParamIter{rest: s, sep: sep}, !check.bad
}

// trParamFind returns the body of the parameter called name: the last one
// when repeated, as Kamailio's reversed list gives it.
func trParamFind(st *State, t *Tr, v Value) (body string, found, ok bool) {
	it, ok := trParamList(st, t, v)
	if !ok {
		return "", false, false
	}
	name, ok := trStr(st, &t.Args[0])
	if !ok {
		return "", false, false
	}
	for it.next() {
		if strings.EqualFold(it.name, name) {
			body, found = it.body, true
		}
	}
	return body, found, true
}

func trParamValue(st *State, t *Tr, v Value) (Value, bool) {
	body, _, ok := trParamFind(st, t, v)
	return Str(body), ok
}

func trParamIn(st *State, t *Tr, v Value) (Value, bool) {
	_, found, ok := trParamFind(st, t, v)
	return Bool(found), ok
}

// trParamAt returns the parameter at index n (negative counts from the
// end); ok is false when the list is bad, found when the index exists.
func trParamAt(st *State, t *Tr, v Value) (p trParamIter, found, ok bool) {
	it, ok := trParamList(st, t, v)
	if !ok {
		return p, false, false
	}
	n, ok := trNum(st, &t.Args[0])
	if !ok {
		return p, false, false
	}
	if n < 0 {
		count := it
		total := int64(0)
		for count.next() {
			total++
		}
		n += total
	}
	for i := int64(0); it.next(); i++ {
		if i == n {
			return it, true, true
		}
	}
	return p, false, true
}

func trParamValueAt(st *State, t *Tr, v Value) (Value, bool) {
	p, _, ok := trParamAt(st, t, v)
	return Str(p.body), ok
}

func trParamName(st *State, t *Tr, v Value) (Value, bool) {
	p, _, ok := trParamAt(st, t, v)
	return Str(p.name), ok
}

func trParamCount(st *State, t *Tr, v Value) (Value, bool) {
	it, ok := trParamList(st, t, v)
	if !ok {
		return Null(), false
	}
	n := int64(0)
	for it.next() {
		n++
	}
	return Int(n), true
}

// trNameAddr splits a name-addr the way Kamailio's parse_nameaddr does: the
// name is everything before the first '<' outside quotes (blanks and quotes
// kept), the URI runs to the next '>', and len ends after it. Without '<'
// the whole value is the URI.
func trNameAddr(s string) (name, uri string, n int, ok bool) {
	lt := trFindNotQuoted(s, '<')
	if lt < 0 {
		return "", s, len(s), true
	}
	gt := trFindNotQuoted(s[lt+1:], '>')
	if gt < 0 {
		return "", "", 0, false
	}
	return s[:lt], s[lt+1 : lt+1+gt], lt + gt + 2, true
}

// trFindNotQuoted finds c outside double quotes (a backslash escapes a
// quote inside them).
func trFindNotQuoted(s string, c byte) int {
	quoted := false
	for i := 0; i < len(s); i++ {
		switch {
		case !quoted && s[i] == '"':
			quoted = true
		case !quoted && s[i] == c:
			return i
		case quoted && s[i] == '"' && s[i-1] != '\\':
			quoted = false
		}
	}
	return -1
}

func fixupNameAddrTr(tr *Tr, name string) error {
	switch name {
	case "name":
		tr.Fn = trNameAddrName
	case "uri":
		tr.Fn = trNameAddrURI
	case "len":
		tr.Fn = trNameAddrLen
	default:
		return fmt.Errorf("{nameaddr.%s} is not supported by kamgo yet", name)
	}
	return nil
}

func trNameAddrName(st *State, _ *Tr, v Value) (Value, bool) {
	s, ok := trTextNonEmpty(st, v)
	if !ok {
		return Null(), false
	}
	name, _, _, ok := trNameAddr(s)
	return Str(name), ok
}

func trNameAddrURI(st *State, _ *Tr, v Value) (Value, bool) {
	s, ok := trTextNonEmpty(st, v)
	if !ok {
		return Null(), false
	}
	_, uri, _, ok := trNameAddr(s)
	return Str(uri), ok
}

func trNameAddrLen(st *State, _ *Tr, v Value) (Value, bool) {
	s, ok := trTextNonEmpty(st, v)
	if !ok {
		return Null(), false
	}
	_, _, n, ok := trNameAddr(s)
	return Int(int64(n)), ok
}

// trToBodyPart is a {tobody.*} transformation.
type trToBodyPart uint8

const (
	trToBodyURI trToBodyPart = iota
	trToBodyTag
	trToBodyUser
	trToBodyHost
	trToBodyParams
	trToBodyDisplay
)

func fixupToBodyTr(tr *Tr, name string) error {
	parts := map[string]trToBodyPart{
		"uri": trToBodyURI, "tag": trToBodyTag, "user": trToBodyUser, "host": trToBodyHost,
		"params": trToBodyParams, "display": trToBodyDisplay,
	}
	part, ok := parts[name]
	if !ok {
		return fmt.Errorf("{tobody.%s} is not supported by kamgo yet", name)
	}
	tr.Data = part
	tr.Fn = trToBodyFn
	return nil
}

// trToBodyFn parses a To/From body (display name, URI, parameters); the
// body and its URI must parse. The display name keeps its quotes, and
// params runs from the first parameter to the end.
func trToBodyFn(st *State, t *Tr, v Value) (Value, bool) {
	s, ok := trTextNonEmpty(st, v)
	if !ok {
		return Null(), false
	}
	na, err := sip.ParseNameAddr(trBytes(s))
	if err != nil {
		return Null(), false
	}
	var u trURI
	if !trParseURI(&u, trView(na.URI)) {
		return Null(), false
	}
	switch t.Data.(trToBodyPart) {
	case trToBodyURI:
		return Str(trView(na.URI)), true
	case trToBodyTag:
		return Str(trView(na.Tag)), true
	case trToBodyUser:
		return Str(u.user), true
	case trToBodyHost:
		return Str(trView(u.u.Host)), true
	case trToBodyParams:
		return Str(strings.TrimLeft(trView(na.Params), trBlanks+";")), true
	case trToBodyDisplay:
		return Str(trView(na.Display)), true
	}
	return Null(), false
}

func fixupLineTr(tr *Tr, name string) error {
	switch name {
	case "count":
		tr.Fn = trLineCount
	case "at":
		tr.Fn = trLineAt
		return trNumArg(tr, 0, false)
	case "sw":
		tr.Fn = trLineSW
		return trStrArg(tr, 0, true)
	default:
		return fmt.Errorf("{line.%s} is not supported by kamgo yet", name)
	}
	return nil
}

// trLineResult drops the '\r' of a CRLF line end.
func trLineResult(s string) (Value, bool) {
	return Str(strings.TrimSuffix(s, "\r")), true
}

// trLineCount counts the lines, a last one without '\n' included. Kamailio
// returns the number as a string.
func trLineCount(st *State, _ *Tr, v Value) (Value, bool) {
	s, ok := trTextNonEmpty(st, v)
	if !ok {
		return Null(), false
	}
	n := strings.Count(s, "\n")
	if s[len(s)-1] != '\n' {
		n++
	}
	start := len(st.Arena)
	st.Arena = strconv.AppendInt(st.Arena, int64(n), 10)
	return trDone(st, start)
}

// trLineAt returns line n (0 is the first, -1 the last), "" when there is
// none.
func trLineAt(st *State, t *Tr, v Value) (Value, bool) {
	s, ok := trTextNonEmpty(st, v)
	n, ok1 := trNum(st, &t.Args[0])
	if !ok || !ok1 {
		return Null(), false
	}
	if n < 0 {
		body := strings.TrimSuffix(s, "\n")
		for ; n < -1; n++ {
			i := strings.LastIndexByte(body, '\n')
			if i < 0 {
				return Str(""), true
			}
			body = body[:i]
		}
		return trLineResult(body[strings.LastIndexByte(body, '\n')+1:])
	}
	for ; n > 0; n-- {
		i := strings.IndexByte(s, '\n')
		if i < 0 {
			return Str(""), true
		}
		s = s[i+1:]
	}
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	return trLineResult(s)
}

// trLineSW returns the first line starting with the prefix, "" when none
// does.
func trLineSW(st *State, t *Tr, v Value) (Value, bool) {
	s, ok := trTextNonEmpty(st, v)
	prefix, ok1 := trStr(st, &t.Args[0])
	if !ok || !ok1 {
		return Null(), false
	}
	for {
		if strings.HasPrefix(s, prefix) {
			if i := strings.IndexByte(s, '\n'); i >= 0 {
				s = s[:i]
			}
			return trLineResult(s)
		}
		i := strings.IndexByte(s, '\n')
		if i < 0 {
			return Str(""), true
		}
		s = s[i+1:]
	}
}

func fixupURIAliasTr(tr *Tr, name string) error {
	switch name {
	case "encode":
		tr.Fn = trURIAliasEncode
	case "decode":
		tr.Fn = trURIAliasDecode
	default:
		return fmt.Errorf("{urialias.%s} is not supported by kamgo yet", name)
	}
	return nil
}

// trURIAliasEncode turns a URI into the alias parameter form
// host~port~proto: port 5060 when absent (even for sips), proto udp (1)
// when the transport is absent or unknown. Kamailio warns and gives "" for
// a value it cannot convert.
func trURIAliasEncode(st *State, _ *Tr, v Value) (Value, bool) {
	s, ok := trTextNonEmpty(st, v)
	if !ok {
		return Null(), false
	}
	var p trURI
	if !trParseURI(&p, s) || p.u.Scheme == sip.SchemeTel {
		return Str(""), true
	}
	proto := trTransportProto(p.u.Transport)
	if proto <= 0 {
		proto = int(ProtoUDP)
	}
	port := uint64(5060)
	if p.u.HasPort {
		port = uint64(p.u.Port)
	}
	start := len(st.Arena)
	st.Arena = append(st.Arena, p.u.Host...)
	st.Arena = append(st.Arena, '~')
	st.Arena = strconv.AppendUint(st.Arena, port, 10)
	st.Arena = append(st.Arena, '~')
	st.Arena = strconv.AppendInt(st.Arena, int64(proto), 10)
	return trDone(st, start)
}

// trURIAliasDecode turns host~port~proto back into
// sip:host:port;transport=proto, where ws and wss are both "ws" (RFC 7118);
// a malformed alias gives "".
func trURIAliasDecode(st *State, _ *Tr, v Value) (Value, bool) {
	s, ok := trTextNonEmpty(st, v)
	if !ok {
		return Null(), false
	}
	host, rest, ok1 := strings.Cut(s, "~")
	port, proto, ok2 := strings.Cut(rest, "~")
	pn, err1 := strconv.ParseUint(port, 10, 16)
	prn, err2 := strconv.Atoi(proto)
	if !ok1 || !ok2 || host == "" || err1 != nil || err2 != nil || prn < int(ProtoUDP) || prn > int(ProtoWSS) {
		return Str(""), true
	}
	start := len(st.Arena)
	st.Arena = append(st.Arena, "sip:"...)
	st.Arena = append(st.Arena, host...)
	st.Arena = append(st.Arena, ':')
	st.Arena = strconv.AppendUint(st.Arena, pn, 10)
	st.Arena = append(st.Arena, ";transport="...)
	if Proto(prn) == ProtoWSS {
		prn = int(ProtoWS)
	}
	st.Arena = append(st.Arena, Proto(prn).String()...)
	return trDone(st, start)
}

// uriCache remembers the last URIs the transformations parsed: scripts
// apply several {uri.*} to the same $ru or $fu. An entry is keyed by the
// string's address and length, which within one message always hold the
// same bytes (message bytes, the arena and $var memory are never
// overwritten while a message runs); State.Reset empties it.
type uriCache struct {
	entries [2]uriCacheEntry
	next    int
}

type uriCacheEntry struct {
	ptr *byte
	n   int
	ok  bool
	u   trURI
}

func (c *uriCache) reset() {
	for i := range c.entries {
		c.entries[i].ptr = nil
	}
}

// parsedURI returns s parsed, from the cache when it was parsed before.
func (st *State) parsedURI(s string) (*trURI, bool) {
	ptr := unsafe.StringData(s)
	c := &st.uris
	for i := range c.entries {
		if e := &c.entries[i]; e.ptr == ptr && e.n == len(s) {
			return &e.u, e.ok
		}
	}
	e := &c.entries[c.next]
	c.next = (c.next + 1) % len(c.entries)
	e.ptr, e.n = ptr, len(s)
	e.ok = trParseURI(&e.u, s)
	return &e.u, e.ok
}
