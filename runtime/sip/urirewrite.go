package sip

import "bytes"

// URIPart names the part of a SIP URI that RewriteURI replaces.
type URIPart int

// Parts of a URI, as the core's rewrite functions and writable PVs ($rU,
// $rd, $rp) address them.
const (
	PartUser          URIPart = iota // user, keeping the password
	PartUserPass                     // "user:password" (the whole userinfo)
	PartHost                         // host, keeping the port
	PartHostPort                     // "host:port"
	PartPort                         // port; "" removes it
	PartHostPortTrans                // "host:port", dropping the transport parameter
)

// RewriteURI appends to dst the URI raw with one part replaced by value,
// the way Kamailio's rewrite functions rebuild it: the scheme comes out in
// lower case, and an empty user removes the userinfo and its "@".
//
// A tel URI keeps its scheme when its number (PartUser, PartUserPass) is
// replaced; giving it a host makes it "sip:NUMBER;TELPARAMS@HOST;user=phone";
// it has no port to set.
func RewriteURI(dst, raw []byte, part URIPart, value string) ([]byte, error) {
	u, err := ParseURI(raw)
	if err != nil {
		return dst, err
	}
	switch u.Scheme {
	case SchemeSIP, SchemeSIPS:
		return rewriteSIPURI(dst, raw, &u, part, value)
	case SchemeTel:
		return rewriteTelURI(dst, &u, part, value)
	}
	return dst, newErr(ErrSyntax, "Not a SIP or tel URI", 0)
}

func rewriteSIPURI(dst, raw []byte, u *URI, part URIPart, value string) ([]byte, error) {
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
	if u.Scheme == SchemeSIPS {
		dst = append(dst, "sips:"...)
	} else {
		dst = append(dst, "sip:"...)
	}
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
	case PartHostPort, PartHostPortTrans:
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
	rest := raw[hpEnd:]
	if part == PartHostPortTrans {
		// The params run from hpEnd up to the headers ('?').
		if len(u.Params) > len(rest) {
			return dst, newErr(ErrSyntax, "Bad URI parameters", hpEnd)
		}
		params := rest[:len(u.Params)]
		dst = appendWithoutTransport(dst, params)
		rest = rest[len(u.Params):]
	}
	return append(dst, rest...), nil
}

// appendWithoutTransport appends the URI parameters params (";a;b=c") less
// the transport parameter. Only a transport with a value is one: Kamailio
// keeps a bare ";transport" or ";transport=" like any unknown parameter.
func appendWithoutTransport(dst, params []byte) []byte {
	for len(params) > 0 {
		end := bytes.IndexByte(params[1:], ';') + 1
		if end == 0 {
			end = len(params)
		}
		seg := params[:end] // ";name[=value]"
		params = params[end:]
		name, val, hasVal := bytes.Cut(seg[1:], []byte{'='})
		if hasVal && len(val) > 0 && equalFold(name, "transport") {
			continue
		}
		dst = append(dst, seg...)
	}
	return dst
}

// rewriteTelURI rewrites a tel URI, whose User is the number and Params its
// parameters (";phone-context=..."), as written.
func rewriteTelURI(dst []byte, u *URI, part URIPart, value string) ([]byte, error) {
	switch part {
	case PartUser, PartUserPass:
		dst = append(dst, "tel:"...)
		dst = append(dst, value...)
		return append(dst, u.Params...), nil
	case PartHost, PartHostPort, PartHostPortTrans:
		// The tel parameters go with the number into the user part; the
		// transport of sethostporttrans is left there too (Kamailio).
		dst = append(dst, "sip:"...)
		dst = append(dst, u.User...)
		dst = append(dst, u.Params...)
		dst = append(dst, '@')
		dst = append(dst, value...)
		return append(dst, ";user=phone"...), nil
	}
	return dst, newErr(ErrSyntax, "port number of a tel: URI cannot be set", 0)
}

// OriginalRequestURI returns the Request-URI as received, before any
// SetRequestURI ($ou, revert_uri).
func (m *Message) OriginalRequestURI() []byte { return m.ruri }
