package sip

// Params holds the raw parameter text of a header value or URI, starting at
// its first ';' (";branch=z9hG4bK1;rport"). It is a view into the message.
// The typed parsers have already checked its syntax; Get and Iter only split
// it, tolerating the LWS header parameters may contain.
type Params []byte

// Get returns the raw value of the first parameter called name (ASCII case
// insensitive) and whether it is present. A quoted value keeps its quotes; a
// parameter without "=" gives an empty value and true.
func (p Params) Get(name string) ([]byte, bool) {
	it := p.Iter()
	for it.Next() {
		if equalFold(it.Name, name) {
			return it.Value, true
		}
	}
	return nil, false
}

// Has reports whether parameter name is present.
func (p Params) Has(name string) bool {
	_, ok := p.Get(name)
	return ok
}

// Iter returns an iterator over the parameters.
func (p Params) Iter() ParamIter { return ParamIter{rest: p} }

// ParamIter walks Params; after Next returns true, Name, Value and HasValue
// describe the current parameter.
type ParamIter struct {
	rest     []byte
	Name     []byte
	Value    []byte
	HasValue bool
}

// Next advances to the next parameter.
func (it *ParamIter) Next() bool {
	b := it.rest
	i := skipLWS(b, 0)
	if i >= len(b) || b[i] != ';' {
		it.rest = nil
		return false
	}
	i++
	// Find the end of this parameter: the next ';' outside a quoted string.
	end := i
	for end < len(b) && b[end] != ';' {
		if b[end] == '"' {
			if e := scanQuoted(b, end); e > 0 {
				end = e
				continue
			}
			end = len(b)
			break
		}
		end++
	}
	seg := b[i:end]
	it.rest = b[end:]
	it.HasValue = false
	it.Value = nil
	eq := -1
	for k, c := range seg {
		if c == '=' {
			eq = k
			break
		}
		if c == '"' {
			break
		}
	}
	if eq >= 0 {
		it.Name = trimLWS(seg[:eq])
		it.Value = trimLWS(seg[eq+1:])
		it.HasValue = true
	} else {
		it.Name = trimLWS(seg)
	}
	return true
}

// isGenValueChar: gen-value = token / host / quoted-string; host adds ':'
// and brackets for IPv6 references (received=[2001:db8::9:255], RFC 5118).
func isGenValueChar(c byte) bool {
	return isToken(c) || c == ':' || c == '[' || c == ']'
}

// nextHeaderParam parses one "SEMI generic-param" at b[i] == ';' with the
// LWS RFC 3261 allows around ';' and '='. next is after trailing LWS.
func nextHeaderParam(b []byte, i int) (name, val []byte, eq bool, next int, ok bool) {
	i = skipLWS(b, i+1)
	ns := i
	i = scanToken(b, i)
	if i == ns {
		// ";;" or ";=x": an empty parameter name (RFC 4475 badinv01).
		return nil, nil, false, 0, false
	}
	name = b[ns:i]
	j := skipLWS(b, i)
	if j < len(b) && b[j] == '=' {
		j = skipLWS(b, j+1)
		if j < len(b) && b[j] == '"' {
			e := scanQuoted(b, j)
			if e < 0 {
				return nil, nil, false, 0, false
			}
			val, i = b[j:e], e
		} else {
			vs := j
			for j < len(b) && isGenValueChar(b[j]) {
				j++
			}
			if j == vs {
				return nil, nil, false, 0, false
			}
			val, i = b[vs:j], j
		}
		eq = true
	}
	return name, val, eq, skipLWS(b, i), true
}
