package pv

import (
	"github.com/kamgo/kamgo/runtime/sip"
)

// Identity headers ($ai, $pu …, $re, $rt, $di …) and credentials ($au …).

func addIdentImpls(m map[string]*Impl) {
	m["ai"] = &Impl{Get: identity(sip.HdrPAssertedIdentity, naURI), IndexAware: true}
	m["pu"] = &Impl{Get: identity(sip.HdrPPreferredIdentity, naURI), IndexAware: true}
	m["pU"] = &Impl{Get: identity(sip.HdrPPreferredIdentity, naUser), IndexAware: true}
	m["pd"] = &Impl{Get: identity(sip.HdrPPreferredIdentity, naHost), IndexAware: true}
	m["pn"] = &Impl{Get: identity(sip.HdrPPreferredIdentity, naDisplay), IndexAware: true}

	rpid := makeHdrName("Remote-Party-ID")
	m["re"] = &Impl{Get: func(st *State, _ *PV) Value {
		na, ok := firstNameAddr(st, &rpid)
		if !ok {
			return Null()
		}
		return Bytes(na.URI)
	}}
	referTo := hdrName{t: sip.HdrReferTo}
	m["rt"] = &Impl{Get: func(st *State, _ *PV) Value {
		na, ok := firstNameAddr(st, &referTo)
		if !ok {
			return Null()
		}
		return Bytes(na.URI)
	}}
	diversion := hdrName{t: sip.HdrDiversion}
	div := func(param string) *Impl {
		return &Impl{Get: func(st *State, _ *PV) Value {
			na, ok := firstNameAddr(st, &diversion)
			switch {
			case !ok:
				return Null()
			case param == "":
				return Bytes(na.URI)
			}
			v, found := na.Params.Get(param)
			if !found {
				return Null()
			}
			return Bytes(v)
		}}
	}
	m["di"], m["dir"], m["dip"], m["dic"] = div(""), div("reason"), div("privacy"), div("counter")

	for class, a := range map[string]authAttr{
		"au": authUser, "ad": authDomain, "ar": authRealm, "aU": authUsername, "adu": authURI, "aa": authAlgorithm,
	} {
		m[class] = &Impl{Get: func(st *State, _ *PV) Value { return getAuth(st, a) }}
	}
}

// identity returns the getter of a part of the n-th P-Asserted-Identity
// or P-Preferred-Identity value (n is the index, 0 without one); every
// comma-separated value counts, across fields.
func identity(t sip.HeaderType, part nameAddrPart) Getter {
	return func(st *State, p *PV) Value {
		m := st.Msg
		if m == nil {
			return Null()
		}
		idx, all, _ := p.Index(st)
		if all {
			return Null() // Kamailio: "Unable to return 'all' values"
		}
		it := m.Values(t)
		v, ok := it.Next()
		for ; ok && idx > 0; idx-- {
			v, ok = it.Next()
		}
		if !ok {
			return Null()
		}
		na, err := sip.ParseNameAddr(v)
		if err != nil {
			return Null()
		}
		return part.of(&na)
	}
}

// firstNameAddr parses the first value of the first header called n.
func firstNameAddr(st *State, n *hdrName) (sip.NameAddr, bool) {
	m := st.Msg
	if m == nil {
		return sip.NameAddr{}, false
	}
	hs := m.Headers()
	for i := range hs {
		if n.matches(&hs[i]) {
			it := sip.SplitValues(hs[i].Value)
			v, ok := it.Next()
			if !ok {
				return sip.NameAddr{}, false
			}
			na, err := sip.ParseNameAddr(v)
			return na, err == nil
		}
	}
	return sip.NameAddr{}, false
}

// authAttr is a part of the digest credentials.
type authAttr uint8

const (
	authUser      authAttr = iota + 1 // $au: username before '@'
	authDomain                        // $ad: username after '@'
	authRealm                         // $ar
	authUsername                      // $aU: the whole username
	authURI                           // $adu: the digest uri
	authAlgorithm                     // $aa
)

// getAuth reads the credentials of the first Proxy-Authorization header
// or, without one, of the first Authorization header. ACK and CANCEL carry
// none to read.
func getAuth(st *State, a authAttr) Value {
	m := request(st)
	if m == nil {
		return Null()
	}
	switch m.MethodID() {
	case sip.MethodACK, sip.MethodCANCEL:
		return Null()
	}
	h := m.First(sip.HdrProxyAuthorization)
	if h == nil {
		h = m.First(sip.HdrAuthorization)
	}
	if h == nil {
		return Null()
	}
	var c digestCred
	if !c.parse(h.Value) {
		return Null()
	}
	switch a {
	case authUser:
		return Bytes(c.user)
	case authDomain:
		return Bytes(c.domain)
	case authRealm:
		return Bytes(c.realm)
	case authUsername:
		return Bytes(c.username)
	case authURI:
		return bytesOrNull(c.uri)
	case authAlgorithm:
		return Bytes(c.algorithm)
	}
	return Null()
}

// digestCred holds the parts of Digest credentials the variables read,
// unquoted views into the header value.
type digestCred struct {
	username, user, domain []byte
	realm, uri, algorithm  []byte
}

// parse reads `Digest name=value, name="value", …`; anything but a Digest
// scheme with a username fails, as Kamailio's credentials parser does.
func (c *digestCred) parse(v []byte) bool {
	i := 0
	for i < len(v) && !isBlank(v[i]) {
		i++
	}
	if !asciiEqualFold(v[:i], "digest") {
		return false
	}
	hasUser := false
	for i < len(v) {
		for i < len(v) && (isBlank(v[i]) || v[i] == ',') {
			i++
		}
		ns := i
		for i < len(v) && v[i] != '=' && v[i] != ',' && !isBlank(v[i]) {
			i++
		}
		name := v[ns:i]
		for i < len(v) && isBlank(v[i]) {
			i++
		}
		if i >= len(v) || v[i] != '=' {
			continue
		}
		i++
		for i < len(v) && isBlank(v[i]) {
			i++
		}
		var val []byte
		if i < len(v) && v[i] == '"' {
			vs := i + 1
			i = vs
			for i < len(v) && v[i] != '"' {
				if v[i] == '\\' {
					i++
				}
				i++
			}
			if i >= len(v) {
				return false
			}
			val = v[vs:i]
			i++
		} else {
			vs := i
			for i < len(v) && v[i] != ',' && !isBlank(v[i]) {
				i++
			}
			val = v[vs:i]
		}
		switch {
		case asciiEqualFold(name, "username"):
			hasUser = true
			c.username, c.user, c.domain = val, val, nil
			for k := range val {
				if val[k] == '@' {
					c.user, c.domain = val[:k], val[k+1:]
					break
				}
			}
		case asciiEqualFold(name, "realm"):
			c.realm = val
		case asciiEqualFold(name, "uri"):
			c.uri = val
		case asciiEqualFold(name, "algorithm"):
			c.algorithm = val
		}
	}
	return hasUser
}
