package sip

import "net/netip"

// ReplyOptions tunes AppendReply. The zero value gives a minimal reply.
type ReplyOptions struct {
	// ToTag is added to To when the request has no tag, from 180 on (as
	// Kamailio: 100-179 get none).
	// Empty means a tag derived from the request (AppendStableTag), so that
	// retransmissions get the same reply.
	ToTag string
	// Server, when not empty, is sent as the Server header.
	Server string
	// Headers are extra header lines, "Name: value", without CRLF.
	Headers []string
	// ContentType is sent with a non-empty Body.
	ContentType string
	Body        []byte
	// Source, when valid, is where the request came from: the top Via of
	// the reply then carries received= and rport= as RFC 3261 §18.2.1 and
	// RFC 3581 ask (what FixTopVia does to a forwarded request).
	Source netip.AddrPort
	// ForceRport (the script's force_rport) adds rport=<source port> to
	// that Via even when the request's Via had no rport.
	ForceRport bool
	// Trailer, when not empty, is a header line ("Name: value") written
	// after Content-Length, where Kamailio puts its Warning (sip_warning).
	Trailer string
}

func appendHeaderLine(dst []byte, name string, value []byte) []byte {
	dst = append(dst, name...)
	dst = append(dst, ": "...)
	dst = append(dst, value...)
	return append(dst, "\r\n"...)
}

func appendHeaderLineS(dst []byte, name, value string) []byte {
	dst = append(dst, name...)
	dst = append(dst, ": "...)
	dst = append(dst, value...)
	return append(dst, "\r\n"...)
}

// AppendReply appends a response to req (RFC 3261 §8.2.6): every Via
// header copied in order, From, To (with a tag added when missing, except
// for 100), Call-ID and CSeq copied, then the optional Server, extra headers
// and body, and a correct Content-Length. It works on a request whose Parse
// failed with ErrDuplicate (so a 400 can be sent): the first occurrence of
// each header is used.
func AppendReply(dst []byte, req *Message, code int, reason string, opt *ReplyOptions) ([]byte, error) {
	if opt == nil {
		opt = &ReplyOptions{}
	}
	if !req.request {
		return dst, newErr(ErrSyntax, "Not a request", -1)
	}
	if code < 100 || code > 699 {
		return dst, newErr(ErrSyntax, "Bad status code", -1)
	}
	if err := checkValueText(reason); err != nil {
		return dst, err
	}
	for _, t := range [...]HeaderType{HdrVia, HdrFrom, HdrTo, HdrCallID, HdrCSeq} {
		if req.First(t) == nil {
			return dst, newErr(ErrMissing, "Missing "+t.String(), -1)
		}
	}
	if err := checkValueText(opt.Server); err != nil {
		return dst, err
	}
	if err := checkValueText(opt.ToTag); err != nil {
		return dst, err
	}
	for _, h := range opt.Headers {
		if err := checkValueText(h); err != nil {
			return dst, err
		}
	}
	if err := checkValueText(opt.ContentType); err != nil {
		return dst, err
	}
	if err := checkValueText(opt.Trailer); err != nil {
		return dst, err
	}
	// A To tag from 180 on (Kamailio: none for 100-179).
	addTag := false
	if code >= 180 {
		to, err := req.To()
		if err != nil {
			return dst, err
		}
		addTag = len(to.Tag) == 0
	}
	dst = append(dst, "SIP/2.0 "...)
	dst = appendUint(dst, uint64(code))
	dst = append(dst, ' ')
	dst = append(dst, reason...)
	dst = append(dst, "\r\n"...)
	// The headers a reply copies, in the order the request has them, as
	// Kamailio writes them: every Via (the top one with received/rport),
	// From, To (with our tag), Call-ID, CSeq, and for 180-299 the
	// Record-Routes (RFC 3261 §12.1.1).
	firstVia := true
	var seen [numHeaderTypes]bool
	for i := range req.hdrs {
		h := &req.hdrs[i]
		switch h.Type {
		case HdrVia:
			if firstVia && opt.Source.IsValid() {
				dst = appendTopViaReceived(dst, req, h.Value, opt.Source, opt.ForceRport)
			} else {
				dst = appendHeaderLine(dst, "Via", h.Value)
			}
			firstVia = false
		case HdrRecordRoute:
			if code >= 180 && code < 300 {
				dst = appendHeaderLine(dst, "Record-Route", h.Value)
			}
		case HdrFrom, HdrTo, HdrCallID, HdrCSeq:
			if seen[h.Type] {
				continue
			}
			seen[h.Type] = true
			switch h.Type {
			case HdrFrom:
				dst = appendHeaderLine(dst, "From", h.Value)
			case HdrTo:
				dst = append(dst, "To: "...)
				dst = append(dst, h.Value...)
				if addTag {
					dst = append(dst, ";tag="...)
					if opt.ToTag != "" {
						dst = append(dst, opt.ToTag...)
					} else {
						var err error
						if dst, err = AppendStableTag(dst, req); err != nil {
							return dst, err
						}
					}
				}
				dst = append(dst, "\r\n"...)
			case HdrCallID:
				dst = appendHeaderLine(dst, "Call-ID", h.Value)
			case HdrCSeq:
				dst = appendHeaderLine(dst, "CSeq", h.Value)
			}
		}
	}
	// Then the script's headers, the body's type and Server, in
	// Kamailio's order.
	for _, h := range opt.Headers {
		dst = append(dst, h...)
		dst = append(dst, "\r\n"...)
	}
	if len(opt.Body) > 0 && opt.ContentType != "" {
		dst = appendHeaderLineS(dst, "Content-Type", opt.ContentType)
	}
	if opt.Server != "" {
		dst = appendHeaderLineS(dst, "Server", opt.Server)
	}
	dst = append(dst, "Content-Length: "...)
	dst = appendUint(dst, uint64(len(opt.Body)))
	dst = append(dst, "\r\n"...)
	if opt.Trailer != "" {
		dst = append(dst, opt.Trailer...)
		dst = append(dst, "\r\n"...)
	}
	dst = append(dst, "\r\n"...)
	return append(dst, opt.Body...), nil
}

// appendLocalRequest writes the parts ACK and CANCEL share (RFC 3261 §9.1,
// §17.1.1.3): same Request-URI, the top Via only, the Route set, From,
// Call-ID and CSeq number; To comes from toSrc.
func appendLocalRequest(dst []byte, method string, req *Message, to []byte) ([]byte, error) {
	if !req.request {
		return dst, newErr(ErrSyntax, "Not a request", -1)
	}
	v, err := req.TopVia()
	if err != nil {
		return dst, err
	}
	cs, err := req.CSeq()
	if err != nil {
		return dst, err
	}
	from, callID := req.First(HdrFrom), req.First(HdrCallID)
	if from == nil || callID == nil {
		return dst, newErr(ErrMissing, "Missing From or Call-ID", -1)
	}
	dst = append(dst, method...)
	dst = append(dst, ' ')
	dst = append(dst, req.RequestURI()...)
	dst = append(dst, " SIP/2.0\r\n"...)
	dst = appendHeaderLine(dst, "Via", v.Raw)
	for i := range req.hdrs {
		if h := &req.hdrs[i]; h.Type == HdrRoute {
			dst = appendHeaderLine(dst, "Route", h.Value)
		}
	}
	dst = append(dst, "Max-Forwards: 70\r\n"...)
	dst = appendHeaderLine(dst, "From", from.Value)
	dst = appendHeaderLine(dst, "To", to)
	dst = appendHeaderLine(dst, "Call-ID", callID.Value)
	dst = append(dst, "CSeq: "...)
	dst = appendUint(dst, uint64(cs.Num))
	dst = append(dst, ' ')
	dst = append(dst, method...)
	dst = append(dst, "\r\nContent-Length: 0\r\n\r\n"...)
	return dst, nil
}

// AppendACK appends the ACK for a non-2xx final response resp to the INVITE
// req (RFC 3261 §17.1.1.3): req must be the INVITE as it was sent (its top
// Via is the one the ACK reuses), and To is taken from the response so that
// it carries the response's tag.
func AppendACK(dst []byte, req, resp *Message) ([]byte, error) {
	if req.methodID != MethodINVITE {
		return dst, newErr(ErrSyntax, "ACK needs an INVITE", -1)
	}
	if resp.request || resp.status < 300 {
		return dst, newErr(ErrSyntax, "ACK needs a non-2xx final response", -1)
	}
	to := resp.First(HdrTo)
	if to == nil {
		return dst, newErr(ErrMissing, "Missing To", -1)
	}
	return appendLocalRequest(dst, "ACK", req, to.Value)
}

// AppendCANCEL appends the CANCEL for req (RFC 3261 §9.1): req must be the
// request as it was sent; To is copied without adding a tag.
func AppendCANCEL(dst []byte, req *Message) ([]byte, error) {
	if req.methodID == MethodACK || req.methodID == MethodCANCEL {
		return dst, newErr(ErrSyntax, "Cannot cancel ACK or CANCEL", -1)
	}
	to := req.First(HdrTo)
	if to == nil {
		return dst, newErr(ErrMissing, "Missing To", -1)
	}
	return appendLocalRequest(dst, "CANCEL", req, to.Value)
}

// appendTopViaReceived appends the Via header line value whose first
// via-parm gets received= and a filled rport, by appendViaReceived's rules.
func appendTopViaReceived(dst []byte, req *Message, value []byte, src netip.AddrPort, force bool) []byte {
	v, err := req.TopVia()
	if err != nil {
		return appendHeaderLine(dst, "Via", value)
	}
	base, vo := req.offsetOf(v.Raw), req.offsetOf(value)
	if base < 0 || vo < 0 || base < vo || base+len(v.Raw) > vo+len(value) {
		return appendHeaderLine(dst, "Via", value)
	}
	dst = append(dst, "Via: "...)
	dst = append(dst, value[:base-vo]...)
	dst = appendViaReceived(dst, v, src, force)
	dst = append(dst, value[base-vo+len(v.Raw):]...)
	return append(dst, "\r\n"...)
}

// viaNeedsReceived reports whether via-parm v must carry received=src
// (RFC 3261 §18.2.1, RFC 3581): its sent-by host is not the source
// address, it has rport, or it already has a received (which is then
// rewritten, so a stale or forged one never survives). It also returns
// the source address as text.
func viaNeedsReceived(v *Via, src netip.AddrPort, ipb []byte) (bool, []byte) {
	ip := src.Addr().Unmap().AppendTo(ipb[:0])
	host := v.Host
	if len(host) > 2 && host[0] == '[' {
		host = host[1 : len(host)-1]
	}
	return v.HasRPort || v.Received != nil || !equalFold(host, ip), ip
}

// appendViaReceived appends via-parm v as a local reply carries it, as
// Kamailio 5.6 writes it: an existing rport and received are filled in
// place; a missing rport (with force, the script's force_rport) and a
// needed received are appended at the end, rport first.
func appendViaReceived(dst []byte, v *Via, src netip.AddrPort, force bool) []byte {
	raw := v.Raw
	var ipb [64]byte
	needRecv, ip := viaNeedsReceived(v, src, ipb[:])
	recv := func(dst []byte) []byte {
		dst = append(dst, ";received="...)
		return append(dst, ip...)
	}
	rport := func(dst []byte) []byte {
		dst = append(dst, ";rport="...)
		return appendUint(dst, uint64(src.Port()))
	}
	// In-place replacements in offset order, then the appended ones.
	type span struct {
		a, b int32
		put  func([]byte) []byte
	}
	var spans [2]span
	n := 0
	if needRecv && v.Received != nil {
		spans[n] = span{v.recvSpan[0], v.recvSpan[1], recv}
		n++
	}
	if v.HasRPort {
		spans[n] = span{v.rportSpan[0], v.rportSpan[1], rport}
		n++
	}
	if n == 2 && spans[1].a < spans[0].a {
		spans[0], spans[1] = spans[1], spans[0]
	}
	pos := 0
	for _, sp := range spans[:n] {
		dst = append(dst, raw[pos:sp.a]...)
		dst = sp.put(dst)
		pos = int(sp.b)
	}
	dst = append(dst, raw[pos:]...)
	if force && !v.HasRPort {
		dst = rport(dst)
	}
	if needRecv && v.Received == nil {
		dst = recv(dst)
	}
	return dst
}
