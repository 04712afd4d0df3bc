package sip

import (
	"bytes"
	"net/netip"
)

// Scheme is the URI scheme.
type Scheme uint8

// Schemes this package understands; others are kept opaque.
const (
	SchemeOther Scheme = iota
	SchemeSIP
	SchemeSIPS
	SchemeTel
)

// URI is a parsed URI. Fields are views into the parsed text (escapes are
// not decoded; use AppendUnescaped). For sip/sips every part applies; tel
// fills User with the number and Params; other schemes only Opaque.
type URI struct {
	Scheme     Scheme
	SchemeText []byte // as written
	User       []byte // may contain %HH escapes; nil if absent
	Password   []byte
	HasPass    bool
	Host       []byte // IPv6 references keep their brackets
	Port       uint16
	HasPort    bool
	Params     Params // from the first ';' up to '?', e.g. ";transport=tcp;lr"
	Headers    []byte // after '?', e.g. "Route=%3Csip:x%3E&Subject=hi"
	Opaque     []byte // after "scheme:" for SchemeOther

	// Well-known parameters, pulled out of Params.
	Transport []byte
	Maddr     []byte
	UserParam []byte // user=phone / user=ip
	MethodPar []byte
	TTL       []byte
	LR        bool
}

// ParseURI parses a URI (no surrounding <>, no LWS).
func ParseURI(b []byte) (URI, error) {
	var u URI
	if !uriSchemeOK(b) {
		return u, newErr(ErrSyntax, "Bad URI scheme", 0)
	}
	colon := bytes.IndexByte(b, ':')
	u.SchemeText = b[:colon]
	rest := b[colon+1:]
	switch {
	case equalFold(u.SchemeText, "sip"):
		u.Scheme = SchemeSIP
	case equalFold(u.SchemeText, "sips"):
		u.Scheme = SchemeSIPS
	case equalFold(u.SchemeText, "tel"):
		u.Scheme = SchemeTel
		return u, u.parseTel(rest, colon+1)
	default:
		if len(rest) == 0 {
			return u, newErr(ErrSyntax, "Empty URI", colon+1)
		}
		for i, c := range rest {
			if c <= ' ' || c == 0x7f || c == '<' || c == '>' || c == '"' {
				return u, newErr(ErrSyntax, "Bad URI", colon+1+i)
			}
		}
		u.Opaque = rest
		return u, nil
	}
	return u, u.parseSIP(rest, colon+1)
}

func (u *URI) parseSIP(b []byte, base int) error {
	i := 0
	// '@' cannot appear unescaped anywhere but as the userinfo terminator,
	// so the first one ends userinfo; a second is an error.
	if at := bytes.IndexByte(b, '@'); at >= 0 {
		if bytes.IndexByte(b[at+1:], '@') >= 0 {
			return newErr(ErrSyntax, "Bad URI", base+at)
		}
		ui := b[:at]
		user, pass := ui, []byte(nil)
		if c := bytes.IndexByte(ui, ':'); c >= 0 {
			user, pass = ui[:c], ui[c+1:]
			u.HasPass = true
		}
		if len(user) == 0 || !checkEscapes(user, isUserChar) {
			return newErr(ErrSyntax, "Bad URI user", base)
		}
		if !checkEscapes(pass, isPasswordChar) {
			return newErr(ErrSyntax, "Bad URI password", base)
		}
		u.User, u.Password = user, pass
		i = at + 1
	}
	hs := i
	if i < len(b) && b[i] == '[' {
		e := bytes.IndexByte(b[i:], ']')
		if e < 0 {
			return newErr(ErrSyntax, "Bad URI host", base+i)
		}
		i += e + 1
	} else {
		for i < len(b) && isHostChar(b[i]) {
			i++
		}
	}
	u.Host = b[hs:i]
	if !validHost(u.Host) {
		return newErr(ErrSyntax, "Bad URI host", base+hs)
	}
	if i < len(b) && b[i] == ':' {
		ps := i + 1
		i = ps
		for i < len(b) && isDigit(b[i]) {
			i++
		}
		p, ok := parsePort(b[ps:i])
		if !ok {
			return newErr(ErrSyntax, "Bad URI port", base+ps)
		}
		u.Port, u.HasPort = p, true
	}
	if i < len(b) && b[i] == ';' {
		ps := i
		for i < len(b) && b[i] != '?' {
			i++
		}
		u.Params = b[ps:i]
		if err := u.parseURIParams(base + ps); err != nil {
			return err
		}
	}
	if i < len(b) && b[i] == '?' {
		u.Headers = b[i+1:]
		if !validURIHeaders(u.Headers) {
			return newErr(ErrSyntax, "Bad URI headers", base+i)
		}
		i = len(b)
	}
	if i != len(b) {
		return newErr(ErrSyntax, "Bad URI", base+i)
	}
	return nil
}

// parseURIParams checks ";pname[=pvalue]" items and extracts the ones RFC
// 3261 §19.1.1 defines. A repeated well-known parameter is refused: two
// transports or maddrs leave no safe choice.
func (u *URI) parseURIParams(base int) error {
	p := u.Params
	for i, n := 0, 0; i < len(p); n++ {
		if n == maxURIParts {
			return newErr(ErrTooLarge, "Too many URI parameters", base+i)
		}
		i++ // ';'
		ns := i
		for i < len(p) && p[i] != ';' && p[i] != '=' {
			i++
		}
		name := p[ns:i]
		var val []byte
		eq := false
		if i < len(p) && p[i] == '=' {
			i++
			vs := i
			for i < len(p) && p[i] != ';' {
				i++
			}
			val, eq = p[vs:i], true
			if len(val) == 0 || !checkEscapes(val, isParamChar) {
				return newErr(ErrSyntax, "Bad URI parameter", base+vs)
			}
		}
		if len(name) == 0 || !checkEscapes(name, isParamChar) {
			return newErr(ErrSyntax, "Bad URI parameter", base+ns)
		}
		// A repeated name has no defined meaning and would make §19.1.4
		// comparison ambiguous; n is bounded, so the rescan is cheap.
		for it := Params(p[:ns-1]).Iter(); it.Next(); {
			if escEqual(it.Name, name, true) {
				return newErr(ErrSyntax, "Duplicate URI parameter", base+ns)
			}
		}
		var dst *[]byte
		switch {
		case equalFold(name, "transport"):
			dst = &u.Transport
		case equalFold(name, "maddr"):
			dst = &u.Maddr
			if eq && !validHost(val) {
				return newErr(ErrSyntax, "Bad maddr", base+ns)
			}
		case equalFold(name, "user"):
			dst = &u.UserParam
		case equalFold(name, "method"):
			dst = &u.MethodPar
		case equalFold(name, "ttl"):
			dst = &u.TTL
			if n, ok := parseUint32(val); eq && (!ok || n > 255) {
				return newErr(ErrSyntax, "Bad ttl", base+ns)
			}
		case equalFold(name, "lr"):
			if u.LR {
				return newErr(ErrSyntax, "Duplicate lr", base+ns)
			}
			u.LR = true
			continue
		default:
			continue
		}
		if !eq || *dst != nil {
			return newErr(ErrSyntax, "Bad URI parameter", base+ns)
		}
		*dst = val
	}
	return nil
}

// maxURIParts bounds the parameters and headers of one URI, keeping the
// pairwise comparisons of Equal cheap whatever the input.
const maxURIParts = 64

func validURIHeaders(h []byte) bool {
	if len(h) == 0 {
		return false
	}
	for n := 0; len(h) > 0; n++ {
		if n == maxURIParts {
			return false
		}
		item := h
		if a := bytes.IndexByte(h, '&'); a >= 0 {
			item, h = h[:a], h[a+1:]
			if len(h) == 0 {
				return false
			}
		} else {
			h = nil
		}
		eq := bytes.IndexByte(item, '=')
		if eq <= 0 || !checkEscapes(item[:eq], isHeaderChar) || !checkEscapes(item[eq+1:], isHeaderChar) {
			return false
		}
	}
	return true
}

func isTelChar(c byte) bool {
	return isHex(c) || c == '*' || c == '#' || c == '+' || c == '-' || c == '.' || c == '(' || c == ')'
}

// parseTel parses RFC 3966 "tel:" number *( ";" param ), loosely: the number
// is visual-separator-tolerant and the parameters follow URI param syntax.
func (u *URI) parseTel(b []byte, base int) error {
	i := 0
	for i < len(b) && b[i] != ';' {
		if !isTelChar(b[i]) || (b[i] == '+' && i != 0) {
			return newErr(ErrSyntax, "Bad tel URI", base+i)
		}
		i++
	}
	if i == 0 || (i == 1 && b[0] == '+') {
		return newErr(ErrSyntax, "Bad tel URI", base)
	}
	u.User = b[:i]
	if i < len(b) {
		u.Params = b[i:]
		return u.parseURIParams(base + i)
	}
	return nil
}

// HostPort returns the host and the port, 5061 for sips and 5060 otherwise
// when the URI has none (RFC 3263 would be consulted by the caller for
// names; this is the literal default).
func (u *URI) HostPort() ([]byte, uint16) {
	if u.HasPort {
		return u.Host, u.Port
	}
	if u.Scheme == SchemeSIPS {
		return u.Host, 5061
	}
	return u.Host, 5060
}

// Equal compares two URIs with the rules of RFC 3261 §19.1.4 for sip and
// sips: same scheme; user and password case-sensitive; host, parameter names
// and values case-insensitive; escapes equal to the characters they encode
// except reserved ones; a port, user/ttl/method/maddr parameter or header
// present in one URI only makes them differ; other parameters present in one
// URI only are ignored. tel URIs compare their numbers without visual
// separators and their parameters; other schemes compare the scheme case
// insensitively and the rest exactly.
func (u *URI) Equal(v *URI) bool {
	if u.Scheme != v.Scheme {
		return false
	}
	switch u.Scheme {
	case SchemeOther:
		return equalFold(u.SchemeText, v.SchemeText) && bytes.Equal(u.Opaque, v.Opaque)
	case SchemeTel:
		return telNumberEqual(u.User, v.User) && paramsEqualAll(u.Params, v.Params)
	}
	if !escEqual(u.User, v.User, false) || u.HasPass != v.HasPass || !escEqual(u.Password, v.Password, false) {
		return false
	}
	if !hostEqual(u.Host, v.Host) || u.HasPort != v.HasPort || u.Port != v.Port {
		return false
	}
	if !uriParamsMatch(u.Params, v.Params) || !uriParamsMatch(v.Params, u.Params) {
		return false
	}
	return headersEqual(u.Headers, v.Headers)
}

func hostEqual(a, b []byte) bool {
	if equalFold(a, b) {
		return true
	}
	// IPv6 references may be written differently ("::1" vs "0::1").
	x, ok1 := ipv6Ref(a)
	y, ok2 := ipv6Ref(b)
	return ok1 && ok2 && x == y
}

// ipv6Ref parses "[addr]", reading the ":::" RFC 3261's ABNF lets through
// as "::" (RFC 5118 §4.10).
func ipv6Ref(h []byte) (netip.Addr, bool) {
	if len(h) < 3 || h[0] != '[' || h[len(h)-1] != ']' || len(h) > 64 {
		return netip.Addr{}, false
	}
	var tmp [64]byte
	n := 0
	for i := 1; i < len(h)-1; i++ {
		if h[i] == ':' && n >= 2 && tmp[n-1] == ':' && tmp[n-2] == ':' {
			continue
		}
		tmp[n] = h[i]
		n++
	}
	a, err := netip.ParseAddr(string(tmp[:n]))
	return a, err == nil
}

// escUnit decodes one character at b[i]: its value, whether it was an
// escaped reserved character (which stays distinct from the literal), and
// the width consumed.
func escUnit(b []byte, i int) (c byte, escRes bool, w int) {
	if b[i] == '%' && i+2 < len(b) && isHex(b[i+1]) && isHex(b[i+2]) {
		c = unhex(b[i+1])<<4 | unhex(b[i+2])
		return c, isReserved(c), 3
	}
	return b[i], false, 1
}

// escEqual compares with escapes decoded once; fold makes it
// case-insensitive.
func escEqual(a, b []byte, fold bool) bool {
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		ca, ra, wa := escUnit(a, i)
		cb, rb, wb := escUnit(b, j)
		if fold {
			ca, cb = lower(ca), lower(cb)
		}
		if ca != cb || ra != rb {
			return false
		}
		i += wa
		j += wb
	}
	return i == len(a) && j == len(b)
}

// uriParamsMatch checks every parameter of a against b (call it both ways).
func uriParamsMatch(a, b Params) bool {
	it := a.Iter()
	for it.Next() {
		bv, ok := lookupParamEsc(b, it.Name)
		if !ok {
			switch {
			case equalFold(it.Name, "user"), equalFold(it.Name, "ttl"),
				equalFold(it.Name, "method"), equalFold(it.Name, "maddr"):
				return false
			}
			continue
		}
		if !escEqual(it.Value, bv, true) {
			return false
		}
	}
	return true
}

func lookupParamEsc(p Params, name []byte) ([]byte, bool) {
	it := p.Iter()
	for it.Next() {
		if escEqual(it.Name, name, true) {
			return it.Value, true
		}
	}
	return nil, false
}

// paramsEqualAll requires the same parameter set on both sides.
func paramsEqualAll(a, b Params) bool {
	count := func(p Params) int {
		n := 0
		for it := p.Iter(); it.Next(); {
			n++
		}
		return n
	}
	if count(a) != count(b) {
		return false
	}
	it := a.Iter()
	for it.Next() {
		bv, ok := lookupParamEsc(b, it.Name)
		if !ok || !escEqual(it.Value, bv, true) {
			return false
		}
	}
	return true
}

func headersEqual(a, b []byte) bool {
	if len(a) == 0 || len(b) == 0 {
		return len(a) == len(b)
	}
	return headersSubset(a, b) && headersSubset(b, a)
}

func headersSubset(a, b []byte) bool {
	for len(a) > 0 {
		item := a
		if k := bytes.IndexByte(a, '&'); k >= 0 {
			item, a = a[:k], a[k+1:]
		} else {
			a = nil
		}
		name, val := item, []byte(nil)
		if k := bytes.IndexByte(item, '='); k >= 0 {
			name, val = item[:k], item[k+1:]
		}
		found := false
		rest := b
		for len(rest) > 0 && !found {
			it2 := rest
			if k := bytes.IndexByte(rest, '&'); k >= 0 {
				it2, rest = rest[:k], rest[k+1:]
			} else {
				rest = nil
			}
			n2, v2 := it2, []byte(nil)
			if k := bytes.IndexByte(it2, '='); k >= 0 {
				n2, v2 = it2[:k], it2[k+1:]
			}
			found = escEqual(name, n2, true) && escEqual(val, v2, false)
		}
		if !found {
			return false
		}
	}
	return true
}

func telNumberEqual(a, b []byte) bool {
	i, j := 0, 0
	for {
		for i < len(a) && isVisualSep(a[i]) {
			i++
		}
		for j < len(b) && isVisualSep(b[j]) {
			j++
		}
		if i == len(a) || j == len(b) {
			return i == len(a) && j == len(b)
		}
		if lower(a[i]) != lower(b[j]) {
			return false
		}
		i++
		j++
	}
}

func isVisualSep(c byte) bool { return c == '-' || c == '.' || c == '(' || c == ')' }
