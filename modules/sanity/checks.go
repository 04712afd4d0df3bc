package sanity

import (
	"bytes"
	"strings"

	"github.com/kamgo/kamgo/runtime/sip"
)

// Run applies the checks in msgChecks (and, for CheckParseURIs, the URIs
// in uriChecks) to the request m, in Kamailio's order, and returns the
// first failure.
func (s *State) Run(m *sip.Message, msgChecks, uriChecks int) (failure, bool) {
	type check struct {
		bit int
		fn  func(*sip.Message) (failure, bool)
	}
	checks := [...]check{
		{CheckRURIVersion, checkRURIVersion},
		{CheckRURIScheme, checkRURIScheme},
		{CheckRequiredHdrs, checkRequiredHeaders},
		{CheckCSeqMethod, checkCSeqMethod},
		{CheckCSeqValue, checkCSeqValue},
		{CheckContentLength, checkContentLength},
		{CheckExpires, checkExpires},
		{CheckProxyRequire, s.checkProxyRequire},
		{CheckParseURIs, func(m *sip.Message) (failure, bool) { return checkURIs(m, uriChecks) }},
		{CheckDigest, func(m *sip.Message) (failure, bool) { return checkDigest(m, false) }},
		{CheckDuplicateTags, checkDuplicateTags},
		{CheckAuthorization, func(m *sip.Message) (failure, bool) { return checkDigest(m, true) }},
		{CheckFirstVia, checkFirstVia},
	}
	for _, c := range checks {
		if msgChecks&c.bit == 0 {
			continue
		}
		if f, failed := c.fn(m); failed {
			return f, true
		}
	}
	return failure{}, false
}

func fail(code int, reason string) (failure, bool) {
	return failure{code: code, reason: reason}, true
}

var ok = failure{}

func checkRURIVersion(m *sip.Message) (failure, bool) {
	if !bytes.EqualFold(m.Version(), []byte("SIP/2.0")) {
		return fail(505, "Version Not Supported (R-URI)")
	}
	return ok, false
}

func checkRURIScheme(m *sip.Message) (failure, bool) {
	u, err := m.ParsedRequestURI()
	if err != nil {
		return fail(400, "Bad Request URI")
	}
	switch u.Scheme {
	case sip.SchemeSIP, sip.SchemeSIPS, sip.SchemeTel:
		return ok, false
	}
	// tels: is not a scheme of its own in runtime/sip.
	if bytes.EqualFold(u.SchemeText, []byte("tels")) {
		return ok, false
	}
	return fail(400, "Bad Request URI")
}

func checkRequiredHeaders(m *sip.Message) (failure, bool) {
	for _, t := range [...]sip.HeaderType{sip.HdrTo, sip.HdrFrom, sip.HdrCSeq, sip.HdrCallID, sip.HdrVia} {
		if m.First(t) == nil {
			return fail(400, "Missing Required Header in Request")
		}
	}
	return ok, false
}

func checkCSeqMethod(m *sip.Message) (failure, bool) {
	h := m.First(sip.HdrCSeq)
	if h == nil {
		return fail(400, "Missing CSeq Header")
	}
	f := bytes.Fields(h.Value)
	if len(f) != 2 || !bytes.Equal(f[1], m.Method()) {
		return fail(400, "CSeq method does not match request method")
	}
	return ok, false
}

// validUint32 is Kamailio's test of a number that must fit an unsigned
// 32-bit value: digits only, and at most as large as 2^32 (the limit
// itself passes, as it does in Kamailio).
func validUint32(b []byte) bool {
	if len(b) == 0 || len(b) > 10 {
		return false
	}
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return len(b) < 10 || string(b) <= "4294967296"
}

func checkCSeqValue(m *sip.Message) (failure, bool) {
	h := m.First(sip.HdrCSeq)
	if h == nil {
		return fail(400, "Missing CSeq Header")
	}
	f := bytes.Fields(h.Value)
	if len(f) == 0 || !validUint32(f[0]) {
		return fail(400, "CSeq number is illegal")
	}
	return ok, false
}

func checkContentLength(m *sip.Message) (failure, bool) {
	n, present := m.ContentLength()
	if !present {
		return ok, false
	}
	if n != len(m.Body()) {
		return fail(400, "Content-Length mis-match")
	}
	return ok, false
}

func checkExpires(m *sip.Message) (failure, bool) {
	h := m.First(sip.HdrExpires)
	if h == nil {
		return ok, false
	}
	if !validUint32(h.Value) {
		return fail(400, "Expires value is illegal")
	}
	return ok, false
}

func (s *State) checkProxyRequire(m *sip.Message) (failure, bool) {
	if m.First(sip.HdrProxyRequire) == nil {
		return ok, false
	}
	for _, h := range m.Headers() {
		if h.Type != sip.HdrProxyRequire {
			continue
		}
		it := sip.SplitValues(h.Value)
		n := 0
		for tok, more := it.Next(); more; tok, more = it.Next() {
			n++
			if len(tok) == 0 || !isToken(tok) {
				return fail(400, "Bad Proxy Require Header")
			}
			if !s.supported(tok) {
				return failure{code: 420, reason: "Bad Proxy Require Extension", header: "Unsupported: " + string(tok)}, true
			}
		}
		if n == 0 {
			return fail(400, "Bad Proxy Require Header")
		}
	}
	return ok, false
}

func (s *State) supported(tok []byte) bool {
	for _, ext := range s.ProxyRequire {
		if strings.EqualFold(ext, string(tok)) {
			return true
		}
	}
	return false
}

func isToken(b []byte) bool {
	for _, c := range b {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		case strings.IndexByte("-.!%*_+`'~", c) >= 0:
		default:
			return false
		}
	}
	return true
}

func checkURIs(m *sip.Message, which int) (failure, bool) {
	if which&URIRequest != 0 {
		if _, err := m.ParsedRequestURI(); err != nil {
			return fail(400, "Bad Request URI")
		}
	}
	if which&URIFrom != 0 {
		from, err := m.From()
		if err != nil {
			return fail(400, "Invalid From Header")
		}
		if _, err := from.ParsedURI(); err != nil {
			return fail(400, "Invalid From Header")
		}
	}
	if which&URITo != 0 {
		to, err := m.To()
		if err != nil {
			return fail(400, "Invalid To Header")
		}
		if _, err := to.ParsedURI(); err != nil {
			return fail(400, "Invalid To Header")
		}
	}
	if which&URIContact != 0 && m.First(sip.HdrContact) != nil {
		list, star, err := m.Contacts()
		if err != nil {
			return fail(400, "Bad Contact Header")
		}
		if !star {
			for i := range list {
				if _, err := sip.ParseURI(list[i].URI); err != nil {
					return fail(400, "Bad Contact Header")
				}
			}
		}
	}
	return ok, false
}

// checkDigest checks the credentials of Authorization and
// Proxy-Authorization (authOnly: Authorization only, and a scheme other
// than Digest passes): Digest with username, realm, nonce, uri and
// response, each with a value.
func checkDigest(m *sip.Message, authOnly bool) (failure, bool) {
	for _, h := range m.Headers() {
		if h.Type != sip.HdrAuthorization && (authOnly || h.Type != sip.HdrProxyAuthorization) {
			continue
		}
		scheme, rest, _ := bytes.Cut(bytes.TrimSpace(h.Value), []byte{' '})
		if !bytes.EqualFold(scheme, []byte("Digest")) {
			if authOnly {
				continue
			}
			return fail(400, "Bad Auth Credentials")
		}
		if !digestComplete(rest) {
			return fail(400, "Bad Auth Credentials")
		}
	}
	return ok, false
}

// digestComplete reports whether digest parameters hold the mandatory
// ones with non-empty values.
func digestComplete(params []byte) bool {
	var have uint8
	names := [...]string{"username", "realm", "nonce", "uri", "response"}
	it := sip.SplitValues(params)
	for p, more := it.Next(); more; p, more = it.Next() {
		name, value, found := bytes.Cut(p, []byte{'='})
		if !found {
			return false
		}
		name = bytes.TrimSpace(name)
		value = bytes.Trim(bytes.TrimSpace(value), `"`)
		for i, n := range names {
			if bytes.EqualFold(name, []byte(n)) && len(value) > 0 {
				have |= 1 << i
			}
		}
	}
	return have == 1<<len(names)-1
}

func checkDuplicateTags(m *sip.Message) (failure, bool) {
	if h := m.First(sip.HdrFrom); h != nil && countTags(h.Value) > 1 {
		return fail(400, "Many From Tag Params")
	}
	if h := m.First(sip.HdrTo); h != nil && countTags(h.Value) > 1 {
		return fail(400, "Many To Tag Params")
	}
	return ok, false
}

// countTags counts the tag parameters of a From or To value. It reads the
// raw text: the typed parser refuses a repeated tag, which is exactly what
// this check wants to report.
func countTags(v []byte) int {
	rest := v
	if i := bytes.LastIndexByte(v, '>'); i >= 0 {
		rest = v[i+1:]
	} else if i := bytes.IndexByte(v, ';'); i >= 0 {
		rest = v[i:]
	} else {
		return 0
	}
	n := 0
	for _, p := range bytes.Split(rest, []byte{';'}) {
		name, _, _ := bytes.Cut(p, []byte{'='})
		if bytes.EqualFold(bytes.TrimSpace(name), []byte("tag")) {
			n++
		}
	}
	return n
}

func checkFirstVia(m *sip.Message) (failure, bool) {
	v, err := m.TopVia()
	if err != nil || len(v.Host) == 0 {
		return fail(400, "Invalid Via Header")
	}
	return ok, false
}
