package core

import (
	"errors"
	"fmt"
	"net/netip"
	"strconv"
	"strings"

	"github.com/kamgo/kamgo/pv"
	"github.com/kamgo/kamgo/runtime/module"
	"github.com/kamgo/kamgo/runtime/sip"
	"github.com/kamgo/kamgo/runtime/transport"
)

// errNoMessage is returned when a send needs a message and st has none.
var errNoMessage = errors.New("no SIP message")

// SendReply implements module.Core: a stateless reply to the request in
// st, sent where RFC 3261 §18.2.2 and RFC 3581 say.
func (s *Server) SendReply(st *pv.State, code int, reason string, o sip.ReplyOptions) error {
	req := st.Msg
	if req == nil || !req.IsRequest() {
		return fmt.Errorf("reply %d: %w", code, errNoMessage)
	}
	if o.Server == "" {
		o.Server = s.serverHdr
	}
	o.Source = st.Recv.Src
	o.ForceRport = st.CoreFlags&pv.FlagForceRport != 0
	if s.set.SIPWarning {
		o.Trailer = s.warningHeader(st)
	}
	if h, ok := st.Extra[module.ReplyHeadersKey].([]string); ok {
		o.Headers = append(o.Headers[:len(o.Headers):len(o.Headers)], h...)
	}
	if b, ok := st.Extra[module.ReplyBodyKey].(module.ReplyBody); ok && len(o.Body) == 0 {
		o.Body, o.ContentType = b.Body, b.ContentType
	}
	buf := s.scratch(st)
	out, err := sip.AppendReply((*buf)[:0], req, code, reason, &o)
	*buf = out[:0]
	if err != nil {
		return fmt.Errorf("building reply %d: %w", code, err)
	}
	dst, err := s.replyDest(st)
	if err != nil {
		return fmt.Errorf("reply %d: %w", code, err)
	}
	if _, err := s.tr.Send(dst, out); err != nil {
		return fmt.Errorf("sending reply %d to %s: %w", code, dst.Addr, err)
	}
	return nil
}

// warningHeader is sip_warning's header, worded as Kamailio words it (two
// spaces and "via_cnt==" included): the received and the current R-URI
// and the number of Via header lines.
func (s *Server) warningHeader(st *pv.State) string {
	local := st.Recv.Dst
	return fmt.Sprintf("Warning: 392 %s \"Noisy feedback tells:  pid=%d req_src_ip=%s req_src_port=%d in_uri=%s out_uri=%s via_cnt==%d\"",
		local, s.l.Globals.PID, st.Recv.Src.Addr(), st.Recv.Src.Port(), st.Msg.OriginalRequestURI(), st.Msg.RequestURI(),
		st.Msg.Count(sip.HdrVia))
}

// replyDest is where a reply to the request in st goes: back over the
// connection it came on (a new one to the same address if it is gone),
// or for UDP to the source address and the Via's port, the source port
// when the Via has rport (RFC 3581) or the script called force_rport.
func (s *Server) replyDest(st *pv.State) (transport.Dest, error) {
	d := transport.Dest{Proto: st.Recv.Proto, Addr: st.Recv.Src, NoConnect: st.CoreFlags&pv.FlagReplyNoConnect != 0,
		CloseAfter: st.CoreFlags&pv.FlagReplyClose != 0}
	d.From = s.socketOf(st.Recv)
	via, err := st.Msg.TopVia()
	if err != nil {
		return d, fmt.Errorf("no usable Via: %w", err)
	}
	if st.Recv.Proto == pv.ProtoTCP {
		// The connection the request came on; when it is gone, a new one
		// to the source address and the Via's port (RFC 3261 §18.2.2).
		d.ConnID = transport.ConnID(st.Recv.ConID)
		if !via.HasRPort && st.CoreFlags&pv.FlagForceRport == 0 {
			d.Addr = netip.AddrPortFrom(st.Recv.Src.Addr(), via.SentByPort())
		}
		return d, nil
	}
	if via.HasRPort || st.CoreFlags&pv.FlagForceRport != 0 {
		return d, nil
	}
	port := via.SentByPort()
	if s.set.ReplyToVia {
		addr, err := s.dns.addr(string(trimBrackets(via.Host)))
		if err != nil {
			return d, err
		}
		d.Addr = netip.AddrPortFrom(addr, port)
		return d, nil
	}
	d.Addr = netip.AddrPortFrom(st.Recv.Src.Addr(), port)
	return d, nil
}

// socketOf finds the listen socket a message came in on.
func (s *Server) socketOf(ri pv.RecvInfo) *transport.Socket {
	for _, sk := range s.tr.Sockets() {
		if sk.Proto == ri.Proto && sk.Addr == ri.Dst {
			return sk
		}
	}
	return nil
}

// scratch is the send buffer of st: replies and forwarded copies are
// built there, never in a fresh allocation.
func (s *Server) scratch(st *pv.State) *[]byte { return &st.Out }

// Forward implements module.Core: stateless forwarding of the request in
// st to dst (or to $du, else the R-URI), with our Via on top.
func (s *Server) Forward(st *pv.State, dst module.Target) error {
	req := st.Msg
	if req == nil || !req.IsRequest() {
		return fmt.Errorf("forward: %w", errNoMessage)
	}
	d, err := s.targetDest(st, dst)
	if err != nil {
		return fmt.Errorf("forward: %w", err)
	}
	if st.CoreFlags&pv.FlagForwardNoConnect != 0 {
		d.NoConnect = true
	}
	if st.CoreFlags&pv.FlagForwardClose != 0 {
		d.CloseAfter = true
	}
	from := d.From
	if from == nil {
		from = s.pickSocket(d.Proto, d.Addr, st)
		if from == nil {
			return fmt.Errorf("forward to %s:%s: no %s socket of that address family", d.Proto, d.Addr, d.Proto)
		}
		d.From = from
	}
	mark := req.Mark()
	defer req.Rollback(mark)
	if st.Recv.Src.IsValid() {
		if err := req.FixTopVia(st.Recv.Src, st.CoreFlags&pv.FlagForceRport != 0); err != nil {
			return fmt.Errorf("forward: received Via: %w", err)
		}
	}
	if d.Proto == pv.ProtoTCP {
		// A datagram may lack Content-Length; a stream cannot be framed
		// without it.
		if err := req.EnsureContentLength(); err != nil {
			return fmt.Errorf("forward: Content-Length: %w", err)
		}
	}
	var bb [48]byte
	branch, err := sip.AppendStatelessBranch(bb[:0], req)
	if err != nil {
		return fmt.Errorf("forward: branch: %w", err)
	}
	host, port := s.viaAddress(from)
	// Record-Route names the socket (and its listen advertise), not what
	// set_advertised_address/port put in our Via, as in Kamailio.
	sockHost, sockPort := host, port
	if st.AdvHost != "" {
		host = st.AdvHost
		if strings.Count(host, ":") > 1 && !strings.HasPrefix(host, "[") {
			host = "[" + host + "]"
		}
	}
	if st.AdvPort != 0 {
		port = st.AdvPort
	}
	host, port, params := s.viaExtras(st, host, port)
	if st.Recv.Proto == pv.ProtoTCP && st.Recv.ConID > 0 {
		// Kamailio's ;i=<connection id>: the reply finds its way back to
		// this connection even when the client's Via names another port.
		var ib [24]byte
		params = string(appendReverseHex(append(ib[:0], ";i="...), uint64(st.Recv.ConID))) + params
	}
	if err := req.PushVia(&sip.ViaSpec{Transport: transportName(d.Proto), Host: host, Port: port, Branch: branch,
		RPort: st.CoreFlags&pv.FlagLocalRport != 0, Params: params}); err != nil {
		return fmt.Errorf("forward: Via: %w", err)
	}
	for _, h := range s.outbound {
		if err := h.BeforeSend(st, module.Outbound{Proto: d.Proto, Host: sockHost, Port: sockPort}); err != nil {
			return fmt.Errorf("forward: %w", err)
		}
	}
	buf := s.scratch(st)
	out := req.AppendTo((*buf)[:0])
	*buf = out[:0]
	if s.l.Prog.OnSend >= 0 {
		st.Send = pv.SendInfo{Src: from.Addr, Dst: d.Addr, Proto: d.Proto, Buf: out}
		ok := s.runOnSend(st)
		st.Send = pv.SendInfo{}
		if !ok {
			return nil // dropped in onsend_route
		}
	}
	if _, err := s.tr.Send(d, out); err != nil {
		s.stats.inc(statErrRequests)
		return fmt.Errorf("forward to %s:%s: %w", d.Proto, d.Addr, err)
	}
	s.stats.inc(statFwdRequests)
	return nil
}

// runOnSend runs onsend_route before a request leaves; false means it
// dropped the message.
func (s *Server) runOnSend(st *pv.State) bool {
	w := s.events.Get().(*worker)
	defer s.events.Put(w)
	w.ctx.Use(st)
	defer w.ctx.Use(nil)
	res := w.ctx.Run(s.l.Prog.OnSend, module.OnSend)
	return !res.Dropped
}

// ForwardReply implements module.Core: the reply in st loses its top Via
// (which must be ours) and goes to the address of the next one.
func (s *Server) ForwardReply(st *pv.State) error {
	m := st.Msg
	if m == nil || m.IsRequest() {
		return fmt.Errorf("forward reply: %w", errNoMessage)
	}
	vias, err := m.Vias()
	if err != nil {
		return fmt.Errorf("forward reply: %w", err)
	}
	if len(vias) < 2 {
		return fmt.Errorf("forward reply: no second Via")
	}
	top := &vias[0]
	if !s.self.match(string(trimBrackets(top.Host)), int(top.Port)) {
		return fmt.Errorf("forward reply: top Via %s is not ours", top.Host)
	}
	next := &vias[1]
	proto := protoOfVia(next.Transport)
	var addr netip.Addr
	if len(next.Received) > 0 {
		addr, err = netip.ParseAddr(string(trimBrackets(next.Received)))
	} else {
		addr, err = s.dns.addr(string(trimBrackets(next.Host)))
	}
	if err != nil {
		return fmt.Errorf("forward reply: next Via: %w", err)
	}
	if addr.IsMulticast() || addr == netip.AddrFrom4([4]byte{255, 255, 255, 255}) || addr.IsUnspecified() {
		return fmt.Errorf("forward reply: refusing to send to %s", addr)
	}
	port := next.SentByPort()
	if next.HasRPort && len(next.RPort) > 0 {
		if p, err := strconv.Atoi(string(next.RPort)); err == nil && p > 0 && p < 65536 {
			port = uint16(p)
		}
	}
	d := transport.Dest{Proto: proto, Addr: netip.AddrPortFrom(addr.Unmap(), port)}
	if proto == pv.ProtoTCP {
		if i, ok := top.Params.Get("i"); ok {
			// The connection the request came on (Kamailio's ;i=); when it
			// is gone, the address below. Unlike Kamailio, only if it leads
			// to the address the next Via names: a reply cannot be steered
			// into another client's connection.
			if id, ok := parseReverseHex(i); ok {
				if info, ok := s.tr.Conns().Get(transport.ConnID(id)); ok && info.Remote.Addr().Unmap() == addr.Unmap() {
					d.ConnID = info.ID
				}
			}
		}
		if d.ConnID == 0 {
			if id, ok := s.tr.Conns().Find(d.Addr); ok {
				d.ConnID = id
			}
		}
	}
	mark := m.Mark()
	defer m.Rollback(mark)
	if err := m.RemoveFirstValue(sip.HdrVia); err != nil {
		return fmt.Errorf("forward reply: removing our Via: %w", err)
	}
	if proto == pv.ProtoTCP {
		if err := m.EnsureContentLength(); err != nil {
			return fmt.Errorf("forward reply: Content-Length: %w", err)
		}
	}
	buf := s.scratch(st)
	out := m.AppendTo((*buf)[:0])
	*buf = out[:0]
	if _, err := s.tr.Send(d, out); err != nil {
		s.stats.inc(statErrReplies)
		return fmt.Errorf("forward reply to %s:%s: %w", proto, d.Addr, err)
	}
	s.stats.inc(statFwdReplies)
	return nil
}

// SendData implements module.Core: raw bytes to a target.
func (s *Server) SendData(st *pv.State, dst module.Target, data []byte) error {
	d, err := s.targetDest(st, dst)
	if err != nil {
		return fmt.Errorf("send: %w", err)
	}
	if d.From == nil {
		d.From = s.pickSocket(d.Proto, d.Addr, st)
	}
	if _, err := s.tr.Send(d, data); err != nil {
		return fmt.Errorf("send to %s:%s: %w", d.Proto, d.Addr, err)
	}
	return nil
}

// targetDest resolves a target: its URI (or $du, else the R-URI, when the
// target is empty), or its host, port and transport.
func (s *Server) targetDest(st *pv.State, t module.Target) (transport.Dest, error) {
	var d transport.Dest
	host, port, proto := t.Host, t.Port, t.Proto
	uri := t.URI
	if uri == "" && host == "" {
		if st == nil || st.Msg == nil {
			return d, errNoMessage
		}
		uri = st.DstURI
		if uri == "" {
			uri = string(st.Msg.RequestURI())
		}
	}
	if uri != "" {
		u, err := sip.ParseURI([]byte(uri))
		if err != nil {
			return d, fmt.Errorf("bad destination URI %q: %w", uri, err)
		}
		switch u.Scheme {
		case sip.SchemeSIP:
		case sip.SchemeSIPS:
			return d, fmt.Errorf("%q: sips needs TLS, which kamgo does not support yet", uri)
		default:
			return d, fmt.Errorf("%q: cannot forward to a %s URI", uri, u.SchemeText)
		}
		host = string(u.Host)
		if len(u.Maddr) > 0 {
			host = string(u.Maddr)
		}
		if u.HasPort {
			port = int(u.Port)
		}
		if proto == pv.ProtoNone && len(u.Transport) > 0 {
			proto = protoOfVia(u.Transport)
			if proto == pv.ProtoNone {
				return d, fmt.Errorf("%q: transport %s is not supported by kamgo yet", uri, u.Transport)
			}
		}
	}
	if proto == pv.ProtoNone && uri == "" && st != nil && (st.Recv.Proto == pv.ProtoUDP || st.Recv.Proto == pv.ProtoTCP) {
		// forward(host, port) keeps the transport the request came on, as
		// Kamailio does; a URI without transport= means UDP.
		proto = st.Recv.Proto
	}
	if proto == pv.ProtoNone {
		proto = pv.ProtoUDP
	}
	if proto != pv.ProtoUDP && proto != pv.ProtoTCP {
		return d, fmt.Errorf("transport %s is not supported by kamgo yet", proto)
	}
	if len(host) > 1 && host[0] == '[' && host[len(host)-1] == ']' {
		host = host[1 : len(host)-1]
	}
	addr, err := netip.ParseAddr(host)
	if err != nil {
		if port == 0 {
			if a, p, ok := s.dns.srv(host, proto); ok {
				addr, port = a, p
			}
		}
		if !addr.IsValid() {
			addr, err = s.dns.addr(host)
			if err != nil {
				return d, err
			}
		}
	}
	if port == 0 {
		port = 5060
	}
	if port < 0 || port > 65535 {
		return d, fmt.Errorf("bad port %d", port)
	}
	d.Proto = proto
	d.Addr = netip.AddrPortFrom(addr.Unmap(), uint16(port))
	if st != nil && st.ForceSocket != "" {
		d.From = s.findSocket(st.ForceSocket)
	}
	return d, nil
}

// pickSocket chooses the socket to send from: the one the message came
// in on when it fits (same transport and address family), else the first
// of that transport and family.
func (s *Server) pickSocket(proto pv.Proto, to netip.AddrPort, st *pv.State) *transport.Socket {
	want4 := to.Addr().Unmap().Is4()
	if st != nil {
		if sk := s.socketOf(st.Recv); sk != nil && sk.Proto == proto && sk.Addr.Addr().Unmap().Is4() == want4 {
			return sk
		}
	}
	for _, sk := range s.tr.Sockets() {
		if sk.Proto == proto && sk.Addr.Addr().Unmap().Is4() == want4 {
			return sk
		}
	}
	return nil
}

// findSocket finds the listen socket a force_send_socket/$fs value names:
// [proto:]addr[:port].
func (s *Server) findSocket(spec string) *transport.Socket {
	ls, err := ParseListen(spec)
	if err != nil {
		return nil
	}
	for _, sk := range s.tr.Sockets() {
		if ls.Proto != "" && ls.Proto != sk.Proto.String() {
			continue
		}
		if a, err := netip.ParseAddr(ls.Host); err != nil || a.Unmap() != sk.Addr.Addr() {
			continue
		}
		if ls.Port != 0 && ls.Port != int(sk.Addr.Port()) {
			continue
		}
		return sk
	}
	return nil
}

// viaAddress is what a socket puts in Via: its advertised address, or its
// own; computed once per socket.
func (s *Server) viaAddress(sk *transport.Socket) (string, int) {
	if m := s.vias.Load(); m != nil {
		if v, ok := (*m)[sk]; ok {
			return v.host, v.port
		}
	}
	return viaAddressOf(sk)
}

// viaAddr is a socket's Via host and port.
type viaAddr struct {
	host string
	port int
}

func viaAddressOf(sk *transport.Socket) (string, int) {
	host, port := sk.AdvHost, sk.AdvPort
	if host == "" {
		a := sk.Addr.Addr()
		if a.Is6() && !a.Is4In6() {
			host = "[" + a.String() + "]"
		} else {
			host = a.Unmap().String()
		}
	} else if strings.Count(host, ":") > 1 && !strings.HasPrefix(host, "[") {
		host = "[" + host + "]"
	}
	if port == 0 {
		port = int(sk.Addr.Port())
	}
	return host, port
}

func transportName(p pv.Proto) string {
	if p == pv.ProtoTCP {
		return "TCP"
	}
	return "UDP"
}

// protoOfVia reads a Via or URI transport; ProtoNone when unknown.
func protoOfVia(t []byte) pv.Proto {
	switch strings.ToLower(string(t)) {
	case "udp", "":
		return pv.ProtoUDP
	case "tcp":
		return pv.ProtoTCP
	case "tls":
		return pv.ProtoTLS
	case "sctp":
		return pv.ProtoSCTP
	case "ws":
		return pv.ProtoWS
	case "wss":
		return pv.ProtoWSS
	}
	return pv.ProtoNone
}

func trimBrackets(h []byte) []byte {
	if len(h) > 1 && h[0] == '[' && h[len(h)-1] == ']' {
		return h[1 : len(h)-1]
	}
	return h
}

// viaExtras applies corex's Via controls to our Via: ;srvid=server_id
// (via_add_srvid) and the fields of the XAVP named by xavp_via_params (or
// xavp_via_fields, whichever the config sets last, as Kamailio 5.6.3 reads
// them), newest first, as parameters (via_add_xavp_params). Kamailio 5.6.3's
// via_use_xavp_fields changes nothing on a forwarded request; neither does
// kamgo's.
func (s *Server) viaExtras(st *pv.State, host string, port int) (string, int, string) {
	f := st.CoreFlags
	if f&(pv.FlagViaSrvID|pv.FlagViaXAVPParams) == 0 {
		return host, port, ""
	}
	var params strings.Builder
	if f&pv.FlagViaSrvID != 0 && s.set.ServerID != 0 {
		fmt.Fprintf(&params, ";srvid=%d", s.set.ServerID)
	}
	if f&pv.FlagViaXAVPParams != 0 && s.set.XAVPViaParams != "" && st.XAVPs != nil {
		fields := st.XAVPs.XAVPFields(s.set.XAVPViaParams, 0)
		for i := len(fields) - 1; i >= 0; i-- {
			params.WriteString(";" + fields[i].Key)
			if !fields[i].Value.IsNull() {
				params.WriteString("=" + fields[i].Value.Text())
			}
		}
	}
	return host, port, params.String()
}

// appendReverseHex appends n in hexadecimal, least significant digit
// first, as Kamailio writes a connection id in a Via's i= parameter.
func appendReverseHex(dst []byte, n uint64) []byte {
	const digits = "0123456789abcdef"
	for {
		dst = append(dst, digits[n&0xf])
		n >>= 4
		if n == 0 {
			return dst
		}
	}
}

// parseReverseHex reads what appendReverseHex writes.
func parseReverseHex(b []byte) (uint64, bool) {
	if len(b) == 0 || len(b) > 16 {
		return 0, false
	}
	var n uint64
	for i := len(b) - 1; i >= 0; i-- {
		c := b[i] | 0x20
		var d byte
		switch {
		case c >= '0' && c <= '9':
			d = c - '0'
		case c >= 'a' && c <= 'f':
			d = c - 'a' + 10
		default:
			return 0, false
		}
		n = n<<4 | uint64(d)
	}
	return n, true
}
