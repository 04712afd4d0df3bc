package core

import (
	"net/netip"
	"time"

	"github.com/kamgo/kamgo/lang/ast"
	"github.com/kamgo/kamgo/lang/diag"
)

// Bounds of tcp_rd_buf_size, as Kamailio clamps it.
const (
	minTCPReadBuf = 512
	maxTCPReadBuf = 16 << 20
)

// readTCPExtras reads the TCP core parameters beyond timeouts and
// keepalive: the stream message limit, the write queue limits, socket
// options and the source addresses of outgoing connections.
func readTCPExtras(s *Settings, l *Loaded, errs *diag.List,
	intOf func(string) (int64, *ast.ParamValue, bool),
	secs func(string, *time.Duration)) {
	bad := func(v *ast.ParamValue, format string, args ...any) { errs.Add(v.Pos, format, args...) }
	if n, v, ok := intOf("tcp_rd_buf_size"); ok {
		// Kamailio's read buffer bounds a TCP message; it clamps the
		// value into its range.
		s.TCP.MaxStreamMsg = int(min(max(n, minTCPReadBuf), maxTCPReadBuf))
		if int64(s.TCP.MaxStreamMsg) != n {
			errs.Warn(v.Pos, "tcp_rd_buf_size %d is outside %d..%d; using %d", n, minTCPReadBuf, maxTCPReadBuf, s.TCP.MaxStreamMsg)
		}
	}
	flag := func(name string, dst *bool) {
		if n, _, ok := intOf(name); ok {
			*dst = n != 0
		}
	}
	flag("tcp_accept_no_cl", &s.TCP.AcceptNoCL)
	flag("tcp_reuse_port", &s.TCP.ReusePort)
	flag("tcp_delayed_ack", &s.TCP.DelayedAck)
	positive := func(name string, dst *int) {
		if n, v, ok := intOf(name); ok {
			if n <= 0 {
				bad(v, "%s must be a positive number of bytes", name)
				return
			}
			*dst = int(n)
		}
	}
	positive("tcp_conn_wq_max", &s.TCP.ConnQueueMax)
	positive("tcp_wq_max", &s.TCP.QueueMax)
	secs("tcp_defer_accept", &s.TCP.DeferAccept)
	secs("tcp_linger2", &s.TCP.Linger2)
	if n, v, ok := intOf("tcp_syncnt"); ok {
		// Linux accepts 1..127 SYN retries; 0 keeps its default.
		if n < 0 || n > 127 {
			bad(v, "tcp_syncnt must be between 0 and 127")
		} else {
			s.TCP.SynCount = int(n)
		}
	}
	source := func(name string, v6 bool, dst *netip.Addr) {
		vs := l.Params[name]
		if len(vs) == 0 {
			return
		}
		v := vs[0]
		fam := "IPv4"
		if v6 {
			fam = "IPv6"
		}
		if v.Kind == ast.ValString {
			bad(v, "%s takes an %s address without quotes, as Kamailio requires", name, fam)
			return
		}
		host := v.Str
		if v.Socket != nil {
			host = v.Socket.Host
		}
		a, err := netip.ParseAddr(host)
		if err != nil || a.Is4() == v6 || a.Is4In6() {
			bad(v, "%s takes an %s address, not %q", name, fam, host)
			return
		}
		*dst = a
	}
	source("tcp_source_ipv4", false, &s.TCP.SourceV4)
	source("tcp_source_ipv6", true, &s.TCP.SourceV6)
}
