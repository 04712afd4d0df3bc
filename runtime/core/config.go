package core

import (
	"fmt"
	"net"
	"net/netip"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/kamgo/kamgo/lang/ast"
	"github.com/kamgo/kamgo/lang/diag"
	"github.com/kamgo/kamgo/lang/token"
	"github.com/kamgo/kamgo/pv"
	"github.com/kamgo/kamgo/runtime/logging"
	"github.com/kamgo/kamgo/runtime/transport"
)

// ListenSpec is one listen= (or -l) entry before it is resolved to
// addresses: [proto:]host[:port] with listen's suffixes.
type ListenSpec struct {
	Proto   string // udp, tcp, "" (both), tls, sctp, ws, wss, "*"
	Host    string
	Port    int
	AdvHost string
	AdvPort int
	Name    string
	Pos     token.Pos
}

// Settings are the core parameters a proxy honours, read from a config
// and the command line, in kamgo's units.
type Settings struct {
	Children, TCPChildren int
	Listen                []ListenSpec
	Port                  int // default port (port=)
	Aliases               []ListenSpec
	AutoAliases           bool
	AdvAddress            string
	AdvPort               int
	DisableTCP            bool
	MaxBranches           int
	ServerSignature       bool
	ServerHeader          string // the whole header line, "Server: …"
	UserAgentHeader       string
	SIPWarning            bool
	ReplyToVia            bool
	RunDir                string
	UDPRecvBuffer         int
	TCP                   transport.TCPOptions
	// Log settings: LogStderr (log_stderror / -E), LogFacility, LogName,
	// LogPrefix (a constant prefix; PV formats are expanded per message
	// by the script's xlog, not here).
	LogStderr   bool
	LogFacility string
	LogName     string
	LogPrefix   string
	Fork        bool
	// ServerID is server_id (corex via_add_srvid); XAVPViaParams names
	// the XAVP whose fields corex's via_add_xavp_params adds to our Via.
	ServerID      int
	XAVPViaParams string
	// ForceRport is force_rport=yes (add_rport): every request is treated
	// as if the script had called force_rport().
	ForceRport bool
	// DNS is how names met while routing are resolved.
	DNS DNSSettings
}

// proxyParams are the core parameters Settings reads (or Load applies);
// every other known parameter is accepted and logged at debug level as
// having no effect in kamgo.
var proxyParams = map[string]bool{
	"children": true, "tcp_children": true, "listen": true, "socket": true, "port": true, "alias": true,
	"auto_aliases": true, "advertised_address": true, "advertised_port": true, "debug": true,
	"log_stderror": true, "log_facility": true, "log_prefix": true, "log_name": true, "fork": true,
	"max_while_loops": true, "max_recursive_level": true, "max_branches": true, "server_signature": true,
	"server_header": true, "user_agent_header": true, "sip_warning": true, "reply_to_via": true,
	"rundir": true, "run_dir": true, "disable_tcp": true, "maxbuffer": true,
	"tcp_connection_lifetime": true, "tcp_connect_timeout": true, "tcp_send_timeout": true,
	"tcp_max_connections": true, "tcp_keepalive": true, "tcp_keepidle": true, "tcp_keepintvl": true,
	"tcp_keepcnt": true, "tcp_crlf_ping": true, "tcp_async": true, "tcp_buf_write": true,
	"tcp_no_connect": true, "server_id": true, "xavp_via_params": true, "xavp_via_fields": true,
	"force_rport": true, "add_rport": true,
	"dns_try_ipv6": true, "dns_retr_time": true, "dns_cache_negative_ttl": true, "use_dns_cache": true, "dns_cache_init": true,
	"tcp_rd_buf_size": true, "tcp_accept_no_cl": true, "tcp_conn_wq_max": true, "tcp_wq_max": true,
	"tcp_defer_accept": true, "tcp_reuse_port": true, "tcp_syncnt": true, "tcp_linger2": true,
	"tcp_delayed_ack": true, "tcp_source_ipv4": true, "tcp_source_ipv6": true,
}

// ReadSettings reads the core parameters of a loaded config. Problems
// (a bad value) come back as diagnostics at the parameter's position.
func ReadSettings(l *Loaded, log *logging.Logger) (*Settings, diag.List) {
	s := &Settings{
		Children: 8, Port: 5060, AutoAliases: true, MaxBranches: 12, ServerSignature: true,
		LogFacility: "LOG_DAEMON", LogName: "kamgo", RunDir: "", Fork: true,
		TCP: transport.DefaultTCPOptions(),
	}
	var errs diag.List
	bad := func(v *ast.ParamValue, format string, args ...any) {
		errs.Add(v.Pos, format, args...)
	}
	intOf := func(name string) (int64, *ast.ParamValue, bool) {
		vs := l.Params[name]
		if len(vs) == 0 {
			return 0, nil, false
		}
		v := vs[0]
		if v.Kind == ast.ValInt {
			return v.Int, v, true
		}
		if n, err := strconv.ParseInt(v.Str, 10, 64); err == nil {
			return n, v, true
		}
		bad(v, "%s takes a number, not %q", name, v.Str)
		return 0, v, false
	}
	strOf := func(name string) (string, bool) { return l.StrParam(name) }
	secs := func(name string, d *time.Duration) {
		if n, v, ok := intOf(name); ok {
			if n < 0 {
				if name == "tcp_connection_lifetime" {
					return // negative is "the default" in Kamailio
				}
				bad(v, "%s must not be negative", name)
				return
			}
			*d = time.Duration(n) * time.Second
		}
	}
	// ranged reads an integer parameter that must lie in [lo, hi].
	ranged := func(name string, lo, hi int64, dst *int) {
		if n, v, ok := intOf(name); ok {
			if n < lo || n > hi {
				bad(v, "%s must be between %d and %d", name, lo, hi)
			} else {
				*dst = int(n)
			}
		}
	}
	ranged("children", 1, 1024, &s.Children)
	s.TCPChildren = s.Children
	ranged("tcp_children", 1, 1024, &s.TCPChildren)
	ranged("port", 1, 65535, &s.Port)
	for _, name := range []string{"listen", "socket"} {
		for _, v := range l.allParams(name) {
			if v.Socket == nil {
				bad(v, "%s needs an address", name)
				continue
			}
			s.Listen = append(s.Listen, specOf(v.Socket))
		}
	}
	for _, v := range l.allParams("alias") {
		if v.Socket != nil {
			s.Aliases = append(s.Aliases, specOf(v.Socket))
		} else if v.Str != "" {
			s.Aliases = append(s.Aliases, ListenSpec{Host: v.Str, Pos: v.Pos})
		}
	}
	if n, _, ok := intOf("auto_aliases"); ok {
		s.AutoAliases = n != 0
	}
	if a, ok := strOf("advertised_address"); ok {
		s.AdvAddress = a
	}
	if n, _, ok := intOf("advertised_port"); ok {
		s.AdvPort = int(n)
	}
	if n, _, ok := intOf("disable_tcp"); ok {
		s.DisableTCP = n != 0
	}
	ranged("max_branches", 1, 32, &s.MaxBranches)
	if n, _, ok := intOf("server_signature"); ok {
		s.ServerSignature = n != 0
	}
	if h, ok := strOf("server_header"); ok {
		s.ServerHeader = h
	}
	if h, ok := strOf("user_agent_header"); ok {
		s.UserAgentHeader = h
	}
	if n, _, ok := intOf("sip_warning"); ok {
		s.SIPWarning = n != 0
	}
	if n, _, ok := intOf("reply_to_via"); ok {
		s.ReplyToVia = n != 0
	}
	for _, name := range []string{"rundir", "run_dir"} {
		if d, ok := strOf(name); ok {
			s.RunDir = d
		}
	}
	if n, _, ok := intOf("maxbuffer"); ok && n > 0 {
		s.UDPRecvBuffer = int(n)
	}
	if n, _, ok := intOf("log_stderror"); ok {
		s.LogStderr = n != 0
	}
	if f, ok := strOf("log_facility"); ok {
		s.LogFacility = f
	}
	if f, ok := strOf("log_name"); ok {
		s.LogName = f
	}
	if f, ok := strOf("log_prefix"); ok {
		s.LogPrefix = f
	}
	s.DNS = DNSSettings{Timeout: defaultDNSTimeout, NegativeTTL: defaultDNSNegTTL}
	if n, _, ok := intOf("dns_try_ipv6"); ok {
		s.DNS.TryIPv6 = n != 0
	}
	// -1 (Kamailio's default) keeps the resolver's own timeout.
	if n, _, ok := intOf("dns_retr_time"); ok && n > 0 {
		s.DNS.Timeout = time.Duration(n) * time.Second
	}
	if n, _, ok := intOf("dns_cache_negative_ttl"); ok && n >= 0 {
		s.DNS.NegativeTTL = time.Duration(n) * time.Second
	}
	for _, name := range []string{"use_dns_cache", "dns_cache_init"} {
		if n, _, ok := intOf(name); ok && n == 0 {
			s.DNS.NegativeTTL = 0
		}
	}
	for _, name := range []string{"force_rport", "add_rport"} {
		if n, _, ok := intOf(name); ok {
			s.ForceRport = n != 0
		}
	}
	if n, _, ok := intOf("server_id"); ok {
		s.ServerID = int(n)
	}
	// Kamailio 5.6.3 stores xavp_via_params and xavp_via_fields in one
	// place: the one written last names the XAVP whose fields
	// via_add_xavp_params adds, and via_use_xavp_fields changes nothing
	// (observed on the real thing).
	var viaPos token.Pos
	for _, name := range []string{"xavp_via_params", "xavp_via_fields"} {
		for _, v := range l.allParams(name) {
			if v.Kind != ast.ValInt && (viaPos.Line == 0 || v.Pos.Line > viaPos.Line ||
				(v.Pos.Line == viaPos.Line && v.Pos.Column > viaPos.Column)) {
				s.XAVPViaParams, viaPos = v.Str, v.Pos
			}
		}
	}
	if n, _, ok := intOf("fork"); ok {
		s.Fork = n != 0
	}
	secs("tcp_connection_lifetime", &s.TCP.Lifetime)
	secs("tcp_connect_timeout", &s.TCP.ConnectTimeout)
	secs("tcp_send_timeout", &s.TCP.SendTimeout)
	if n, v, ok := intOf("tcp_max_connections"); ok {
		if n < 0 {
			bad(v, "tcp_max_connections must not be negative")
		} else {
			s.TCP.MaxConnections = int(n)
		}
	}
	if n, _, ok := intOf("tcp_keepalive"); ok {
		s.TCP.Keepalive.Enabled = n != 0
	}
	secs("tcp_keepidle", &s.TCP.Keepalive.Idle)
	secs("tcp_keepintvl", &s.TCP.Keepalive.Interval)
	if n, _, ok := intOf("tcp_keepcnt"); ok && n > 0 {
		s.TCP.Keepalive.Count = int(n)
	}
	if n, _, ok := intOf("tcp_crlf_ping"); ok {
		s.TCP.CRLFPing = n != 0
	}
	for _, name := range []string{"tcp_async", "tcp_buf_write"} {
		if n, _, ok := intOf(name); ok {
			s.TCP.Async = n != 0
		}
	}
	if n, _, ok := intOf("tcp_no_connect"); ok {
		s.TCP.NoConnect = n != 0
	}
	readTCPExtras(s, l, &errs, intOf, secs)
	if !s.Fork {
		// fork=no: Kamailio runs one process on the first socket.
		s.Children, s.TCPChildren = 1, 1
	}
	var ignored []string
	for name := range l.Params {
		if !proxyParams[name] {
			ignored = append(ignored, name)
		}
	}
	sort.Strings(ignored)
	for _, name := range ignored {
		log.Logf(logging.LDbg, "core parameter %s has no effect in kamgo; accepted", name)
	}
	return s, errs
}

// allParams returns every value of a repeatable parameter (listen=, alias=)
// in config order.
func (l *Loaded) allParams(name string) []*ast.ParamValue {
	return l.paramsAll[name]
}

func specOf(s *ast.Socket) ListenSpec {
	return ListenSpec{Proto: strings.ToLower(s.Proto), Host: s.Host, Port: s.Port, AdvHost: s.AdvHost, AdvPort: s.AdvPort, Name: s.Name, Pos: s.Pos}
}

// ParseListen reads the -l form: [proto:]addr[:port][/advaddr[:advport]].
func ParseListen(text string) (ListenSpec, error) {
	var ls ListenSpec
	if i := strings.IndexByte(text, '/'); i >= 0 {
		adv := text[i+1:]
		text = text[:i]
		h, p, err := splitHostPort(adv)
		if err != nil {
			return ls, fmt.Errorf("-l %s: advertised address: %w", text, err)
		}
		ls.AdvHost, ls.AdvPort = h, p
	}
	for _, proto := range []string{"udp", "tcp", "tls", "sctp", "ws", "wss", "*"} {
		if strings.HasPrefix(strings.ToLower(text), proto+":") {
			ls.Proto = proto
			text = text[len(proto)+1:]
			break
		}
	}
	h, p, err := splitHostPort(text)
	if err != nil {
		return ls, fmt.Errorf("-l %s: %w", text, err)
	}
	ls.Host, ls.Port = h, p
	return ls, nil
}

// splitHostPort splits host[:port], with IPv6 in brackets.
func splitHostPort(s string) (string, int, error) {
	if s == "" {
		return "", 0, fmt.Errorf("empty address")
	}
	if s[0] == '[' {
		end := strings.IndexByte(s, ']')
		if end < 0 {
			return "", 0, fmt.Errorf("unclosed [ in %q", s)
		}
		host, rest := s[1:end], s[end+1:]
		if rest == "" {
			return host, 0, nil
		}
		if rest[0] != ':' {
			return "", 0, fmt.Errorf("bad address %q", s)
		}
		p, err := parsePort(rest[1:])
		return host, p, err
	}
	if strings.Count(s, ":") > 1 { // bare IPv6, no port
		return s, 0, nil
	}
	if i := strings.LastIndexByte(s, ':'); i >= 0 {
		p, err := parsePort(s[i+1:])
		return s[:i], p, err
	}
	return s, 0, nil
}

func parsePort(s string) (int, error) {
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 || n > 65535 {
		return 0, fmt.Errorf("bad port %q", s)
	}
	return n, nil
}

// ResolveListen turns the listen specs into sockets: every protocol a
// spec names (udp and tcp when it names none), every address its host
// stands for (an IP, an interface, a name, * or no listen= at all: every
// local address), the default port when it has none.
func ResolveListen(s *Settings) ([]transport.Socket, diag.List) {
	var d diag.List
	var out []transport.Socket
	specs := s.Listen
	if len(specs) == 0 {
		specs = []ListenSpec{{Host: "*"}}
	}
	for _, sp := range specs {
		socks, err := resolveSpec(s, sp)
		if err != nil {
			d.Add(sp.Pos, "%v", err)
			continue
		}
		for _, sk := range socks {
			dup := false
			for _, o := range out {
				dup = dup || (o.Proto == sk.Proto && o.Addr == sk.Addr)
			}
			if !dup {
				out = append(out, sk)
			}
		}
	}
	return out, d
}

// resolveSpec resolves one listen spec.
func resolveSpec(s *Settings, sp ListenSpec) ([]transport.Socket, error) {
	var out []transport.Socket
	var protos []pv.Proto
	switch sp.Proto {
	case "", "*":
		protos = []pv.Proto{pv.ProtoUDP}
		if !s.DisableTCP {
			protos = append(protos, pv.ProtoTCP)
		}
	case "udp":
		protos = []pv.Proto{pv.ProtoUDP}
	case "tcp":
		if s.DisableTCP {
			return nil, fmt.Errorf("listen on tcp while disable_tcp=yes")
		}
		protos = []pv.Proto{pv.ProtoTCP}
	default:
		return nil, fmt.Errorf("listen on %s is not supported by kamgo yet (udp and tcp are)", sp.Proto)
	}
	addrs, err := hostAddrs(sp.Host)
	if err != nil {
		return nil, fmt.Errorf("listen %s: %w", sp.Host, err)
	}
	port := sp.Port
	if port == 0 {
		port = s.Port
	}
	adv, advPort := sp.AdvHost, sp.AdvPort
	if adv == "" && s.AdvAddress != "" {
		adv = s.AdvAddress
	}
	if advPort == 0 && s.AdvPort != 0 {
		advPort = s.AdvPort
	}
	for _, a := range addrs {
		for _, p := range protos {
			out = append(out, transport.Socket{Proto: p, Addr: netip.AddrPortFrom(a, uint16(port)), AdvHost: adv, AdvPort: advPort, Name: sp.Name})
		}
	}
	return out, nil
}

// hostAddrs resolves a listen host: an address, "*" (every local address),
// an interface name, or a host name.
func hostAddrs(host string) ([]netip.Addr, error) {
	if a, err := netip.ParseAddr(host); err == nil {
		return []netip.Addr{a.Unmap()}, nil
	}
	if host == "*" || host == "" {
		return localAddrs(nil)
	}
	if ifi, err := net.InterfaceByName(host); err == nil {
		return localAddrs(ifi)
	}
	ips, err := net.LookupIP(host)
	if err != nil {
		return nil, fmt.Errorf("cannot resolve: %w", err)
	}
	var out []netip.Addr
	for _, ip := range ips {
		if a, ok := netip.AddrFromSlice(ip); ok {
			out = append(out, a.Unmap())
		}
	}
	return out, nil
}

// localAddrs lists the addresses of one interface, or of all: IPv4 and
// global IPv6 (link-local addresses need a zone and are skipped, as
// Kamailio does).
func localAddrs(ifi *net.Interface) ([]netip.Addr, error) {
	var addrs []net.Addr
	var err error
	if ifi != nil {
		addrs, err = ifi.Addrs()
	} else {
		addrs, err = net.InterfaceAddrs()
	}
	if err != nil {
		return nil, fmt.Errorf("listing local addresses: %w", err)
	}
	var out []netip.Addr
	for _, a := range addrs {
		pfx, err := netip.ParsePrefix(a.String())
		if err != nil {
			continue
		}
		ip := pfx.Addr().Unmap()
		if ip.IsLinkLocalUnicast() {
			continue
		}
		out = append(out, ip)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no usable local address")
	}
	return out, nil
}
