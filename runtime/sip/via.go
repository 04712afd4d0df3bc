package sip

import "bytes"

// BranchCookie starts every RFC 3261 branch (§8.1.1.7).
const BranchCookie = "z9hG4bK"

// Via is one parsed via-parm. Byte fields are views into the parsed text.
type Via struct {
	Protocol  []byte // "SIP"
	Version   []byte // "2.0"
	Transport []byte // "UDP", "TCP", "TLS", "SCTP", "WS", ... as written
	Host      []byte // sent-by host; IPv6 references keep their brackets
	Port      uint16
	HasPort   bool
	Branch    []byte
	Received  []byte // as written (RFC 5118: with or without brackets)
	RPort     []byte // value of rport; empty if rport has no value
	HasRPort  bool
	Maddr     []byte
	TTL       int    // -1 when absent
	Params    Params // all parameters, from the first ';'
	Raw       []byte // the whole via-parm

	// Spans of the received and rport parameters within Raw (';' to the
	// end of the value), so FixTopVia can rewrite them in place.
	recvSpan, rportSpan [2]int32
}

// IsRFC3261Branch reports a branch that starts with the magic cookie and has
// something after it; otherwise a transaction layer falls back to RFC 2543
// matching (RFC 4475 badbranch: the cookie alone).
func (v *Via) IsRFC3261Branch() bool {
	return len(v.Branch) > len(BranchCookie) && string(v.Branch[:len(BranchCookie)]) == BranchCookie
}

// SentByPort returns the sent-by port, or the transport default (5061 for
// TLS, 5060 otherwise) when absent.
func (v *Via) SentByPort() uint16 {
	if v.HasPort {
		return v.Port
	}
	if equalFold(v.Transport, "TLS") {
		return 5061
	}
	return 5060
}

// ParseVia parses one via-parm: sent-protocol LWS sent-by *( SEMI via-params ).
// LWS (including folding) is allowed around '/', ':', ';' and '='.
func ParseVia(b []byte) (Via, error) {
	var v Via
	err := parseVia(&v, b)
	return v, err
}

// parseVia is ParseVia into *v (all of *v is overwritten), so that a
// Message parses straight into its cache instead of copying a Via.
func parseVia(v *Via, b []byte) error {
	b = trimLWS(b)
	*v = Via{Raw: b, TTL: -1}
	var ok bool
	i := 0
	if v.Protocol, i, ok = viaToken(b, i); !ok {
		return newErr(ErrSyntax, "Bad Via protocol", i)
	}
	if i, ok = viaSlash(b, i); !ok {
		return newErr(ErrSyntax, "Bad Via protocol", i)
	}
	if v.Version, i, ok = viaToken(b, i); !ok {
		return newErr(ErrSyntax, "Bad Via version", i)
	}
	if i, ok = viaSlash(b, i); !ok {
		return newErr(ErrSyntax, "Bad Via protocol", i)
	}
	if v.Transport, i, ok = viaToken(b, i); !ok {
		return newErr(ErrSyntax, "Bad Via transport", i)
	}
	j := skipLWS(b, i)
	if j == i {
		return newErr(ErrSyntax, "Bad Via sent-by", i)
	}
	i = j
	hs := i
	var hostOK bool
	if i < len(b) && b[i] == '[' {
		e := bytes.IndexByte(b[i:], ']')
		if e < 0 {
			return newErr(ErrSyntax, "Bad Via host", i)
		}
		i += e + 1
		hostOK = validHost(b[hs:i])
	} else {
		// validHost's checks folded into the scan: the bytes are host
		// characters by construction; no empty label; all-numeric means
		// IPv4.
		numeric, emptyLabel := true, false
		prev := byte('.') // a leading '.' is an empty label
		for i < len(b) && isHostChar(b[i]) {
			c := b[i]
			if c == '.' {
				emptyLabel = emptyLabel || prev == '.'
			} else if !isDigit(c) {
				numeric = false
			}
			prev = c
			i++
		}
		hostOK = i > hs && !emptyLabel && (!numeric || validIPv4(b[hs:i]))
	}
	v.Host = b[hs:i]
	if !hostOK {
		return newErr(ErrSyntax, "Bad Via host", hs)
	}
	i = skipLWS(b, i)
	if i < len(b) && b[i] == ':' {
		i = skipLWS(b, i+1)
		ps := i
		for i < len(b) && isDigit(b[i]) {
			i++
		}
		if v.Port, ok = parsePort(b[ps:i]); !ok {
			return newErr(ErrSyntax, "Bad Via port", ps)
		}
		v.HasPort = true
		i = skipLWS(b, i)
	}
	if i < len(b) {
		v.Params = b[i:]
	}
	for i < len(b) {
		if b[i] != ';' {
			return newErr(ErrSyntax, "Bad Via", i)
		}
		at := i
		name, val, eq, next, ok := nextHeaderParam(b, i)
		if !ok {
			return newErr(ErrSyntax, "Bad Via parameter", at)
		}
		i = next
		pend := next
		for pend > at && isLWSByte(b[pend-1]) {
			pend--
		}
		span := [2]int32{int32(at), int32(pend)}
		var dst *[]byte
		switch {
		case foldEq(name, "branch"):
			if !eq || scanToken(val, 0) != len(val) {
				return newErr(ErrSyntax, "Bad Via branch", at)
			}
			dst = &v.Branch
		case foldEq(name, "received"):
			if !eq || !validIP(val) {
				return newErr(ErrSyntax, "Bad Via received", at)
			}
			dst = &v.Received
			v.recvSpan = span
		case foldEq(name, "maddr"):
			if !eq || !validHost(val) {
				return newErr(ErrSyntax, "Bad Via maddr", at)
			}
			dst = &v.Maddr
		case foldEq(name, "rport"):
			if v.HasRPort {
				return newErr(ErrSyntax, "Duplicate rport", at)
			}
			if eq {
				if _, ok := parsePort(val); !ok {
					return newErr(ErrSyntax, "Bad Via rport", at)
				}
			}
			v.HasRPort = true
			v.RPort = val
			v.rportSpan = span
			continue
		case foldEq(name, "ttl"):
			n, ok := parseUint32(val)
			if !eq || !ok || n > 255 || v.TTL >= 0 {
				return newErr(ErrSyntax, "Bad Via ttl", at)
			}
			v.TTL = int(n)
			continue
		default:
			continue
		}
		// A repeated branch/received/maddr would let two parsers disagree
		// on the transaction key or the response address.
		if *dst != nil {
			return newErr(ErrSyntax, "Duplicate Via parameter", at)
		}
		*dst = val
	}
	return nil
}

func viaToken(b []byte, i int) ([]byte, int, bool) {
	i = skipLWS(b, i)
	s := i
	i = scanToken(b, i)
	return b[s:i], i, i > s
}

func viaSlash(b []byte, i int) (int, bool) {
	i = skipLWS(b, i)
	if i >= len(b) || b[i] != '/' {
		return i, false
	}
	return i + 1, true
}
