package sip

import "bytes"

// validHost accepts hostname / IPv4address / IPv6reference. Underscores are
// tolerated in names (seen in the wild); an all-numeric name must be a valid
// dotted quad.
func validHost(h []byte) bool {
	if len(h) == 0 {
		return false
	}
	if h[0] == '[' {
		return len(h) > 2 && h[len(h)-1] == ']' && validIPv6(h[1:len(h)-1])
	}
	numeric := true
	for i, c := range h {
		if !isHostChar(c) {
			return false
		}
		if c == '.' && (i == 0 || h[i-1] == '.') {
			return false // empty label
		}
		if !isDigit(c) && c != '.' {
			numeric = false
		}
	}
	if numeric {
		return validIPv4(h)
	}
	return true
}

func validIPv4(s []byte) bool {
	parts, n, digits := 0, 0, 0
	for i := 0; i <= len(s); i++ {
		if i == len(s) || s[i] == '.' {
			if digits == 0 || n > 255 {
				return false
			}
			parts++
			n, digits = 0, 0
			continue
		}
		if !isDigit(s[i]) || digits == 3 {
			return false
		}
		n = n*10 + int(s[i]-'0')
		digits++
	}
	return parts == 4
}

// validIPv6 checks an IPv6 address (without brackets) against RFC 3261's
// IPv6address ABNF, which also admits ":::" before an embedded IPv4 address
// (RFC 5118 §4.10; accepted for robustness and read as "::").
func validIPv6(s []byte) bool {
	if len(s) < 2 || len(s) > 47 {
		return false
	}
	h := s
	tail4 := false
	groups := 0
	if lc := bytes.LastIndexByte(s, ':'); lc >= 0 && bytes.IndexByte(s[lc+1:], '.') >= 0 {
		if !validIPv4(s[lc+1:]) {
			return false
		}
		tail4 = true
		groups = 2
		h = s[:lc]
	}
	dbl := false
	for i := 0; i < len(h); {
		if h[i] == ':' {
			j := i
			for j < len(h) && h[j] == ':' {
				j++
			}
			switch run := j - i; {
			case run == 1 && i == 0:
				// "::1.2.3.4": the last colon was cut off above.
				if !tail4 || len(h) != 1 || dbl {
					return false
				}
				dbl = true
			case run == 1 && j == len(h):
				// "x::1.2.3.4": first colon of the "::".
				if !tail4 || dbl {
					return false
				}
				dbl = true
			case run == 1:
			case run == 2:
				if dbl {
					return false
				}
				dbl = true
			default:
				return false
			}
			i = j
			continue
		}
		j := i
		for j < len(h) && isHex(h[j]) {
			j++
		}
		if j == i || j-i > 4 {
			return false
		}
		groups++
		i = j
	}
	if !tail4 && len(h) > 0 && h[len(h)-1] == ':' && !dbl {
		return false
	}
	if dbl {
		return groups <= 7
	}
	return groups == 8
}

// validIP accepts IPv4, bare IPv6 or bracketed IPv6 (via-received, RFC 5118
// §4.5 robustness).
func validIP(s []byte) bool {
	if len(s) > 2 && s[0] == '[' && s[len(s)-1] == ']' {
		return validIPv6(s[1 : len(s)-1])
	}
	if bytes.IndexByte(s, ':') >= 0 {
		return validIPv6(s)
	}
	return validIPv4(s)
}

// parsePort parses 1*DIGIT up to 65535.
func parsePort(b []byte) (uint16, bool) {
	if len(b) == 0 || len(b) > 5 {
		return 0, false
	}
	n, ok := parseUint32(b)
	if !ok || n > 65535 {
		return 0, false
	}
	return uint16(n), true
}
