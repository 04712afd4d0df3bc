package sip

import "bytes"

// NameAddr is a parsed From / To / Contact / Route / Record-Route value:
// an optional display name, a URI, and header parameters.
type NameAddr struct {
	Display []byte // as written: a quoted string with its quotes, or the tokens; nil if none
	URI     []byte // without the <>
	Angle   bool   // the URI was enclosed in <>
	Params  Params // header parameters (not URI parameters), from the first ';'
	Tag     []byte // value of the tag parameter
	Raw     []byte
}

// ParsedURI parses n.URI.
func (n *NameAddr) ParsedURI() (URI, error) { return ParseURI(n.URI) }

// AppendDisplayName appends the display name with quotes and quoted-pairs
// removed.
func (n *NameAddr) AppendDisplayName(dst []byte) []byte {
	d := n.Display
	if len(d) >= 2 && d[0] == '"' && d[len(d)-1] == '"' {
		d = d[1 : len(d)-1]
		for i := 0; i < len(d); i++ {
			if d[i] == '\\' && i+1 < len(d) {
				i++
			}
			dst = append(dst, d[i])
		}
		return dst
	}
	return append(dst, d...)
}

// validURIText is the shape check done before a full ParseURI: a scheme and
// no blanks, quotes or angle brackets (RFC 4475 badaspec puts blanks inside
// <>).
func validURIText(u []byte) bool {
	if !uriSchemeOK(u) {
		return false
	}
	return uriTextOK(u)
}

// ParseNameAddr parses ( name-addr / addr-spec ) *( SEMI generic-param ).
// Without <>, the URI ends at the first ';' or blank and must not contain
// '?' or ',' (RFC 3261 §20: such URIs must be enclosed; RFC 4475 regbadct).
// A display name without <> around the URI, or an unquoted display name
// with non-token characters (RFC 4475 baddn), is refused; a missing blank
// between display name and '<' is tolerated (RFC 4475 lwsdisp).
func ParseNameAddr(b []byte) (NameAddr, error) {
	var n NameAddr
	err := parseNameAddr(&n, b)
	return n, err
}

// parseNameAddr is ParseNameAddr into *n (all of *n is overwritten), so
// that a Message parses straight into its cache.
func parseNameAddr(n *NameAddr, b []byte) error {
	b = trimLWS(b)
	*n = NameAddr{Raw: b}
	if len(b) == 0 {
		return newErr(ErrSyntax, "Empty name-addr", 0)
	}
	i := 0
	if b[0] == '"' {
		e := scanQuoted(b, 0)
		if e < 0 {
			return newErr(ErrSyntax, "Unterminated quoted string", 0)
		}
		n.Display = b[:e]
		i = skipLWS(b, e)
		if i >= len(b) || b[i] != '<' {
			return newErr(ErrSyntax, "Missing <", i)
		}
	} else if lt := bytes.IndexByte(b, '<'); lt >= 0 {
		d := trimLWS(b[:lt])
		for k, c := range d {
			if !isToken(c) && !isLWSByte(c) {
				return newErr(ErrSyntax, "Bad display name", k)
			}
		}
		if len(d) > 0 {
			n.Display = d
		}
		i = lt
	}
	if i < len(b) && b[i] == '<' {
		e := bytes.IndexByte(b[i:], '>')
		if e < 0 {
			return newErr(ErrSyntax, "Missing >", i)
		}
		u := b[i+1 : i+e]
		if !validURIText(u) {
			return newErr(ErrSyntax, "Bad URI", i+1)
		}
		n.URI, n.Angle = u, true
		i = skipLWS(b, i+e+1)
	} else {
		s := i
		for i < len(b) && b[i] != ';' && !isLWSByte(b[i]) {
			i++
		}
		u := b[s:i]
		if !validURIText(u) || bytes.IndexByte(u, '?') >= 0 || bytes.IndexByte(u, ',') >= 0 {
			return newErr(ErrSyntax, "Bad URI", s)
		}
		n.URI = u
		i = skipLWS(b, i)
	}
	if i < len(b) {
		n.Params = b[i:]
	}
	for i < len(b) {
		if b[i] != ';' {
			return newErr(ErrSyntax, "Bad parameters", i)
		}
		at := i
		name, val, eq, next, ok := nextHeaderParam(b, i)
		if !ok {
			return newErr(ErrSyntax, "Bad parameter", at)
		}
		if foldEq(name, "tag") {
			if !eq || n.Tag != nil || scanToken(val, 0) != len(val) {
				return newErr(ErrSyntax, "Bad tag", at)
			}
			n.Tag = val
		}
		i = next
	}
	return nil
}

// Contact is a parsed Contact value.
type Contact struct {
	NameAddr
	Expires    uint32 // the expires parameter, if HasExpires
	HasExpires bool
	Q          int // q parameter in thousandths (0..1000); -1 when absent
}

// ParseContact parses one Contact value (not "*").
func ParseContact(b []byte) (Contact, error) {
	na, err := ParseNameAddr(b)
	c := Contact{NameAddr: na, Q: -1}
	if err != nil {
		return c, err
	}
	it := na.Params.Iter()
	for it.Next() {
		switch {
		case equalFold(it.Name, "expires"):
			n, ok := parseUint32(it.Value)
			if !ok || c.HasExpires {
				return c, newErr(ErrSyntax, "Bad Contact expires", 0)
			}
			c.Expires, c.HasExpires = n, true
		case equalFold(it.Name, "q"):
			q, ok := parseQ(it.Value)
			if !ok || c.Q >= 0 {
				return c, newErr(ErrSyntax, "Bad Contact q", 0)
			}
			c.Q = q
		}
	}
	return c, nil
}

// parseQ parses qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] ).
func parseQ(b []byte) (int, bool) {
	if len(b) == 0 || len(b) > 5 || (b[0] != '0' && b[0] != '1') {
		return 0, false
	}
	q := int(b[0]-'0') * 1000
	if len(b) == 1 {
		return q, true
	}
	if b[1] != '.' {
		return 0, false
	}
	scale := 100
	for _, c := range b[2:] {
		if !isDigit(c) {
			return 0, false
		}
		q += int(c-'0') * scale
		scale /= 10
	}
	return q, q <= 1000
}
