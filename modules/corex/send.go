package corex

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"

	"github.com/kamgo/kamgo/pv"
	"github.com/kamgo/kamgo/runtime/logging"
	"github.com/kamgo/kamgo/runtime/module"
	"github.com/kamgo/kamgo/runtime/transport"
)

// SocketLister is implemented by the running server: the listen sockets,
// which set_send_socket, sendx and is_socket_name look up.
type SocketLister interface {
	Sockets() []*transport.Socket
}

// SocketSpec is a socket as set_send_socket and $fs write it:
// [proto:]host[:port].
type SocketSpec struct {
	Proto pv.Proto // ProtoNone when not given
	Host  string   // without IPv6 brackets
	Port  int      // 0 when not given
}

// ParseSocket parses [proto:]host[:port]; an IPv6 address is written in
// brackets when a port follows.
func ParseSocket(s string) (SocketSpec, error) {
	var sp SocketSpec
	rest := strings.TrimSpace(s)
	if i := strings.IndexByte(rest, ':'); i > 0 && rest[0] != '[' {
		if p, ok := protoByName(rest[:i]); ok {
			sp.Proto = p
			rest = rest[i+1:]
		}
	}
	switch {
	case strings.HasPrefix(rest, "["):
		end := strings.IndexByte(rest, ']')
		if end < 0 {
			return sp, fmt.Errorf("socket %q: missing ]", s)
		}
		sp.Host = rest[1:end]
		if after := rest[end+1:]; after != "" {
			if after[0] != ':' {
				return sp, fmt.Errorf("socket %q: bad text after the address", s)
			}
			n, err := parsePort(after[1:])
			if err != nil {
				return sp, fmt.Errorf("socket %q: %w", s, err)
			}
			sp.Port = n
		}
	case strings.Count(rest, ":") > 1:
		sp.Host = rest // a bare IPv6 address
	default:
		host, port, hasPort := strings.Cut(rest, ":")
		sp.Host = host
		if hasPort {
			n, err := parsePort(port)
			if err != nil {
				return sp, fmt.Errorf("socket %q: %w", s, err)
			}
			sp.Port = n
		}
	}
	if sp.Host == "" {
		return sp, fmt.Errorf("socket %q: no address", s)
	}
	return sp, nil
}

func parsePort(s string) (int, error) {
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 || n > 65535 {
		return 0, fmt.Errorf("bad port %q", s)
	}
	return n, nil
}

func protoByName(s string) (pv.Proto, bool) {
	switch strings.ToLower(s) {
	case "udp":
		return pv.ProtoUDP, true
	case "tcp":
		return pv.ProtoTCP, true
	case "tls":
		return pv.ProtoTLS, true
	case "sctp":
		return pv.ProtoSCTP, true
	case "ws":
		return pv.ProtoWS, true
	case "wss":
		return pv.ProtoWSS, true
	}
	return pv.ProtoNone, false
}

// Match reports whether sk is the socket sp names: same address, and
// the same transport and port when sp gives them.
func (sp SocketSpec) Match(sk *transport.Socket) bool {
	if sp.Proto != pv.ProtoNone && sp.Proto != sk.Proto {
		return false
	}
	if sp.Port != 0 && sp.Port != int(sk.Addr.Port()) {
		return false
	}
	a, err := netip.ParseAddr(sp.Host)
	if err != nil {
		return strings.EqualFold(sp.Host, sk.AdvHost)
	}
	return a.Unmap() == sk.Addr.Addr().Unmap()
}

// SocketText is how $fs and $Rn's socket print a socket: proto:addr:port.
func SocketText(sk *transport.Socket) string {
	return sk.Proto.String() + ":" + sk.Addr.String()
}

// sockets returns the server's listen sockets; ok is false when no server
// runs.
func sockets(ctx module.ExecContext) ([]*transport.Socket, bool) {
	core := ctx.Core()
	if core == nil {
		return nil, false
	}
	l, ok := core.(SocketLister)
	if !ok {
		return nil, false
	}
	return l.Sockets(), true
}

// findSocket looks a socket up by address ([proto:]host[:port]) or, with
// byName, by its name=. rc is the code to return when there is none: -1
// for a bad argument or no server, 1 for a socket that is not ours (which
// Kamailio only warns about, leaving the message unchanged).
func findSocket(ctx module.ExecContext, fn, text string, byName bool) (sk *transport.Socket, rc int) {
	log := ctx.Logger()
	socks, ok := sockets(ctx)
	if !ok {
		log.Logf(logging.LErr, "%s: no server is running", fn)
		return nil, -1
	}
	if byName {
		for _, sk := range socks {
			if sk.Name != "" && sk.Name == text {
				return sk, 1
			}
		}
		log.Logf(logging.LWarn, "%s: no socket named %q", fn, text)
		return nil, 1
	}
	sp, err := ParseSocket(text)
	if err != nil {
		log.Logf(logging.LErr, "%s: %v", fn, err)
		return nil, -1
	}
	for _, sk := range socks {
		if sp.Match(sk) {
			return sk, 1
		}
	}
	log.Logf(logging.LWarn, "%s: no socket found to match %q", fn, text)
	return nil, 1
}

func execSetSendSocket(byName bool) module.ExecFunc {
	fn := "set_send_socket"
	if byName {
		fn = "set_send_socket_name"
	}
	return func(ctx module.ExecContext, args module.Args) int {
		sk, rc := findSocket(ctx, fn, args.Str(0), byName)
		if sk == nil {
			return rc
		}
		ctx.State().ForceSocket = SocketText(sk)
		return 1
	}
}

func execSetRecvSocket(byName bool) module.ExecFunc {
	fn := "set_recv_socket"
	if byName {
		fn = "set_recv_socket_name"
	}
	return func(ctx module.ExecContext, args module.Args) int {
		sk, rc := findSocket(ctx, fn, args.Str(0), byName)
		if sk == nil {
			return rc
		}
		r := &ctx.State().Recv
		r.Dst, r.Proto, r.SocketName = sk.Addr, sk.Proto, sk.Name
		r.AdvHost, r.AdvPort = sk.AdvHost, sk.AdvPort
		return 1
	}
}

// execSetSourceAddress changes $si and $sp (and $proto when given) of the
// message: what replies and the script see as where it came from.
func execSetSourceAddress(ctx module.ExecContext, args module.Args) int {
	text := args.Str(0)
	sp, err := ParseSocket(text)
	if err != nil {
		ctx.Logger().Logf(logging.LErr, "set_source_address: %v", err)
		return -1
	}
	a, err := netip.ParseAddr(sp.Host)
	if err != nil {
		ctx.Logger().Logf(logging.LErr, "set_source_address: %q is not an IP address", sp.Host)
		return -1
	}
	r := &ctx.State().Recv
	port := sp.Port
	if port == 0 {
		port = 5060
	}
	r.Src = netip.AddrPortFrom(a.Unmap(), uint16(port))
	if sp.Proto != pv.ProtoNone {
		r.Proto = sp.Proto
	}
	return 1
}

func execIsSocketName(ctx module.ExecContext, args module.Args) int {
	name := args.Str(0)
	socks, ok := sockets(ctx)
	if !ok {
		// Without a server only the receiving socket's name is known.
		if name != "" && ctx.State().Recv.SocketName == name {
			return 1
		}
		return -1
	}
	for _, sk := range socks {
		if sk.Name != "" && sk.Name == name {
			return 1
		}
	}
	return -1
}

// received returns the message as it came in, which send_udp/send_tcp
// send unchanged.
func received(st *pv.State) []byte {
	if len(st.Raw) > 0 {
		return st.Raw
	}
	if st.Msg != nil {
		return st.Msg.Bytes()
	}
	return nil
}

// execSend sends the received message, without any change (no Via), to
// host[:port] or, without an argument, to $du, else the R-URI.
func execSend(proto pv.Proto) module.ExecFunc {
	fn := "send_" + proto.String()
	return func(ctx module.ExecContext, args module.Args) int {
		log := ctx.Logger()
		core := ctx.Core()
		if core == nil {
			log.Logf(logging.LErr, "%s: no server is running", fn)
			return -1
		}
		st := ctx.State()
		data := received(st)
		if len(data) == 0 {
			log.Logf(logging.LErr, "%s: no message to send", fn)
			return -1
		}
		dst := module.Target{Proto: proto}
		if args.Len() > 0 {
			text := args.Str(0)
			sp, err := ParseSocket(text)
			if err != nil {
				log.Logf(logging.LErr, "%s: bad destination: %v", fn, err)
				return -1
			}
			dst.Host, dst.Port = sp.Host, sp.Port
			if dst.Port == 0 {
				dst.Port = 5060
			}
		}
		if err := core.SendData(st, dst, data); err != nil {
			log.Logf(logging.LErr, "%s: %v", fn, err)
			return -1
		}
		return 1
	}
}

func execSendData(ctx module.ExecContext, args module.Args) int {
	return sendTo(ctx, "send_data", args.Str(0), args.Str(1))
}

// sendTo sends data to the address of a SIP URI.
func sendTo(ctx module.ExecContext, fn, uri, data string) int {
	log := ctx.Logger()
	core := ctx.Core()
	if core == nil {
		log.Logf(logging.LErr, "%s: no server is running", fn)
		return -1
	}
	if uri == "" {
		log.Logf(logging.LErr, "%s: empty URI", fn)
		return -1
	}
	if err := core.SendData(ctx.State(), module.Target{URI: uri}, []byte(data)); err != nil {
		log.Logf(logging.LErr, "%s: %v", fn, err)
		return -1
	}
	return 1
}

// execSendX is send_data from a given local socket.
func execSendX(ctx module.ExecContext, args module.Args) int {
	uri, sock, data := args.Str(0), args.Str(1), args.Str(2)
	// sendx must not send from a socket other than the one asked for.
	sk, _ := findSocket(ctx, "sendx", sock, false)
	if sk == nil {
		return -1
	}
	st := ctx.State()
	saved := st.ForceSocket
	st.ForceSocket = SocketText(sk)
	rc := sendTo(ctx, "sendx", uri, data)
	st.ForceSocket = saved
	return rc
}
