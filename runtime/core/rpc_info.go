package core

import (
	"fmt"
	"net/netip"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/kamgo/kamgo/runtime/rpc"
)

// kamgoFlags is what core.flags and core.info report: the features of
// Kamailio's build flags list that kamgo has.
const kamgoFlags = "USE_TCP, DISABLE_NAGLE, USE_DNS_CACHE"

// registerInfoRPCs adds the informational control commands of Kamailio's
// kex that describe the core: aliases, build, run time, TCP settings and
// state, workers, memory, and core.kill. Memory is Go's single garbage
// collected heap: core.shmmem reports it; the per-process and per-module
// commands of Kamailio's memory managers answer that they do not apply.
func (s *Server) registerInfoRPCs(reg func(name, doc string, h rpc.Handler)) {
	reg("core.aliases_list", "Returns the aliases (alias= and the advertised addresses) myself matches.", s.rpcAliases)
	reg("core.flags", "Returns the build flags.", func([]any) (any, error) { return kamgoFlags, nil })
	reg("core.info", "Returns the version, build and flags.", func([]any) (any, error) {
		return rpc.Object{
			{Name: "version", Value: s.opts.Version}, {Name: "id", Value: buildID()},
			{Name: "compiler", Value: runtime.Version()}, {Name: "compiled", Value: ""},
			{Name: "flags", Value: kamgoFlags},
		}, nil
	})
	reg("core.runinfo", "Returns the name, version and run time.", func([]any) (any, error) {
		now := time.Now()
		up := now.Sub(s.started)
		name, version, _ := strings.Cut(s.opts.Version, " ")
		return rpc.Object{
			{Name: "name", Value: name}, {Name: "version", Value: version}, {Name: "sourceid", Value: buildID()},
			{Name: "compiler", Value: runtime.Version()}, {Name: "compiled", Value: ""},
			{Name: "time_now", Value: now.Format(time.ANSIC)}, {Name: "time_started", Value: s.started.Format(time.ANSIC)},
			{Name: "uptime_secs", Value: int64(up.Seconds())},
			{Name: "utime_days", Value: fmt.Sprintf("%dd %dh %dm %ds", int(up.Hours())/24, int(up.Hours())%24, int(up.Minutes())%60, int(up.Seconds())%60)},
		}, nil
	})
	reg("core.psx", "Returns the description of running workers.", s.rpcPS)
	reg("core.tcp_info", "Returns the TCP readers, connection counts and queued bytes.", func([]any) (any, error) {
		o := s.tr.TCPOptions()
		return rpc.Object{
			{Name: "readers", Value: s.set.TCPChildren}, {Name: "max_connections", Value: o.MaxConnections},
			{Name: "max_tls_connections", Value: 0}, {Name: "opened_connections", Value: s.tr.Conns().Len()},
			{Name: "opened_tls_connections", Value: 0}, {Name: "write_queued_bytes", Value: s.tr.QueuedBytes()},
		}, nil
	})
	reg("core.tcp_options", "Returns the TCP settings in force.", s.rpcTCPOptions)
	reg("core.udp4_raw_info", "Returns the raw UDP socket settings (kamgo has none).", func([]any) (any, error) {
		return rpc.Object{{Name: "udp4_raw", Value: 0}, {Name: "udp4_raw_mtu", Value: 1500}, {Name: "udp4_raw_ttl", Value: 64}}, nil
	})
	reg("core.shmmem", "Returns the memory of the process (Go's heap).", func([]any) (any, error) {
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		return rpc.Object{
			{Name: "total", Value: ms.HeapSys}, {Name: "free", Value: ms.HeapSys - ms.HeapInuse},
			{Name: "used", Value: ms.HeapAlloc}, {Name: "real_used", Value: ms.HeapInuse},
			{Name: "max_used", Value: ms.HeapSys - ms.HeapReleased}, {Name: "fragments", Value: ms.HeapObjects},
		}, nil
	})
	notApplicable := func(name string) {
		reg(name, "Not available: kamgo has one garbage-collected heap; core.shmmem reports it.", func([]any) (any, error) {
			return nil, &rpc.Error{Code: rpc.CodeInternal, Message: name + " is not available: kamgo has one garbage-collected heap, see core.shmmem"}
		})
	}
	for _, name := range []string{"pkg.stats", "pkg.info", "mod.stats", "mod.mem_stats", "mod.mem_statsx"} {
		notApplicable(name)
	}
	reg("core.kill", "Sends the server a signal (SIGTERM by default: a clean stop).", func(params []any) (any, error) {
		sig := syscall.SIGTERM
		if len(params) > 0 {
			n, err := strconv.Atoi(fmt.Sprint(params[0]))
			if err != nil || n <= 0 || n > 64 {
				return nil, &rpc.Error{Code: rpc.CodeInvalidParams, Message: "the signal must be a number"}
			}
			sig = syscall.Signal(n)
		}
		// Shortly after this answer has gone out: a stopping server closes
		// the control connections.
		time.AfterFunc(50*time.Millisecond, func() { _ = syscall.Kill(os.Getpid(), sig) })
		return nil, nil
	})
}

// rpcAliases lists the aliases newest first, as Kamailio does, with "*"
// for a protocol or port that is not set.
func (s *Server) rpcAliases([]any) (any, error) {
	var aliases rpc.Object
	for i := len(s.set.Aliases) - 1; i >= 0; i-- {
		a := s.set.Aliases[i]
		proto, port := any("*"), any("*")
		if a.Proto != "" && a.Proto != "*" {
			proto = strings.ToUpper(a.Proto)
		}
		if a.Port != 0 {
			port = a.Port
		}
		aliases = append(aliases, rpc.Member{Name: "alias", Value: rpc.Object{
			{Name: "proto", Value: proto}, {Name: "address", Value: a.Host}, {Name: "port", Value: port}}})
	}
	if aliases == nil {
		aliases = rpc.Object{}
	}
	return rpc.Object{{Name: "myself_callbacks", Value: "no"}, {Name: "aliases", Value: aliases}}, nil
}

// rpcTCPOptions reports the TCP settings under Kamailio's names (seconds,
// 0/1), then kamgo's own.
func (s *Server) rpcTCPOptions([]any) (any, error) {
	o := s.tr.TCPOptions()
	b := func(v bool) int {
		if v {
			return 1
		}
		return 0
	}
	sec := func(d time.Duration) int64 { return int64(d / time.Second) }
	addr := func(a netip.Addr) string {
		if !a.IsValid() {
			return ""
		}
		return a.String()
	}
	return rpc.Object{
		{Name: "connect_timeout", Value: sec(o.ConnectTimeout)}, {Name: "send_timeout", Value: sec(o.SendTimeout)},
		{Name: "connection_lifetime", Value: sec(o.Lifetime)},
		{Name: "max_connections(soft)", Value: o.MaxConnections}, {Name: "max_tls_connections(soft)", Value: 0},
		{Name: "no_connect", Value: b(o.NoConnect)}, {Name: "fd_cache", Value: 0}, {Name: "async", Value: b(o.Async)},
		{Name: "connect_wait", Value: b(o.Async)}, {Name: "conn_wq_max", Value: o.ConnQueueMax}, {Name: "wq_max", Value: o.QueueMax},
		{Name: "defer_accept", Value: sec(o.DeferAccept)}, {Name: "delayed_ack", Value: b(o.DelayedAck)},
		{Name: "syncnt", Value: o.SynCount}, {Name: "linger2", Value: sec(o.Linger2)},
		{Name: "keepalive", Value: b(o.Keepalive.Enabled)}, {Name: "keepidle", Value: sec(o.Keepalive.Idle)},
		{Name: "keepintvl", Value: sec(o.Keepalive.Interval)}, {Name: "keepcnt", Value: o.Keepalive.Count},
		{Name: "crlf_ping", Value: b(o.CRLFPing)}, {Name: "accept_aliases", Value: 0},
		{Name: "alias_flags", Value: 1}, {Name: "new_conn_alias_flags", Value: 2},
		// kamgo's own, beyond Kamailio 5.6's list.
		{Name: "rd_buf_size", Value: o.MaxStreamMsg}, {Name: "accept_no_cl", Value: b(o.AcceptNoCL)},
		{Name: "reuse_port", Value: b(o.ReusePort)}, {Name: "max_conns_per_ip", Value: o.MaxConnsPerIP},
		{Name: "msg_read_timeout", Value: sec(o.ReadTimeout)},
		{Name: "source_ipv4", Value: addr(o.SourceV4)}, {Name: "source_ipv6", Value: addr(o.SourceV6)},
	}, nil
}

// buildID is the VCS revision the binary was built from, "unknown"
// without one (as Kamailio prints its own id).
func buildID() string {
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, st := range info.Settings {
			if st.Key == "vcs.revision" {
				return st.Value
			}
		}
	}
	return "unknown"
}
