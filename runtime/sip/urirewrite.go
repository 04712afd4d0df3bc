package sip

import "bytes"

// URIPart names the part of a SIP URI that RewriteURI replaces.
type URIPart int

// Parts of a URI, as the core's rewrite functions and writable PVs ($rU,
// $rd, $rp) address them.
const (
	PartUser     URIPart = iota // user, keeping the password
	PartUserPass                // "user:password" (the whole userinfo)
	PartHost                    // host, keeping the port
	PartHostPort                // "host:port"
	PartPort                    // port; "" removes it
)

// RewriteURI appends to dst the URI raw with one part replaced by value.
// An empty user removes the userinfo and its "@".
func RewriteURI(dst, raw []byte, part URIPart, value string) ([]byte, error) {
	u, err := ParseURI(raw)
	if err != nil {
		return dst, err
	}
	if u.Scheme != SchemeSIP && u.Scheme != SchemeSIPS {
		return dst, newErr(ErrSyntax, "Not a SIP URI", 0)
	}
	colon := bytes.IndexByte(raw, ':')
	hostStart := cap(raw) - cap(u.Host)
	if len(u.Host) == 0 || hostStart < colon+1 || hostStart > len(raw) {
		return dst, newErr(ErrSyntax, "Bad URI host", 0)
	}
	hpEnd := hostStart + len(u.Host)
	if u.HasPort {
		for hpEnd < len(raw) && raw[hpEnd] != ';' && raw[hpEnd] != '?' {
			hpEnd++
		}
	}
	userinfo := raw[colon+1 : hostStart]
	hostport := raw[hostStart:hpEnd]
	port := []byte(nil)
	if i := bytes.LastIndexByte(hostport, ':'); u.HasPort && i >= 0 {
		port = hostport[i+1:]
	}
	dst = append(dst, raw[:colon+1]...)
	switch part {
	case PartUser:
		// the password goes with the user: no user, no userinfo
		if value != "" {
			dst = append(dst, value...)
			if u.HasPass {
				dst = append(dst, ':')
				dst = append(dst, u.Password...)
			}
			dst = append(dst, '@')
		}
		dst = append(dst, hostport...)
	case PartUserPass:
		if value != "" {
			dst = append(dst, value...)
			dst = append(dst, '@')
		}
		dst = append(dst, hostport...)
	case PartHost:
		dst = append(dst, userinfo...)
		dst = append(dst, value...)
		if port != nil {
			dst = append(dst, ':')
			dst = append(dst, port...)
		}
	case PartHostPort:
		dst = append(dst, userinfo...)
		dst = append(dst, value...)
	case PartPort:
		dst = append(dst, userinfo...)
		dst = append(dst, u.Host...)
		if value != "" {
			dst = append(dst, ':')
			dst = append(dst, value...)
		}
	}
	return append(dst, raw[hpEnd:]...), nil
}

// OriginalRequestURI returns the Request-URI as received, before any
// SetRequestURI ($ou, revert_uri).
func (m *Message) OriginalRequestURI() []byte { return m.ruri }
