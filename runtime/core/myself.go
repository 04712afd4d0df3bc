package core

import (
	"net/netip"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/kamgo/kamgo/runtime/transport"
)

// myself answers the `myself` checks (uri == myself, is_myself, the reply
// Via check): a host and port are ours when they name a listen socket,
// its advertised address, or an alias. A port of 0 matches any port, as
// in Kamailio.
type myself struct {
	mu      sync.Mutex // serialises writers; readers use set
	set     atomic.Pointer[selfSet]
	aliases []ListenSpec
	auto    bool
}

// selfSet is an immutable snapshot: host (lower case, no brackets) →
// ports (0 = any).
type selfSet map[string][]int

func newMyself(s *Settings) *myself {
	m := &myself{aliases: s.Aliases, auto: s.AutoAliases}
	set := selfSet{}
	for _, a := range s.Aliases {
		set.add(a.Host, a.Port)
	}
	m.set.Store(&set)
	return m
}

func (ss selfSet) add(host string, port int) {
	host = strings.ToLower(strings.Trim(host, "[]"))
	for _, p := range ss[host] {
		if p == port {
			return
		}
	}
	ss[host] = append(ss[host], port)
}

// addSocket records a bound listen socket (its address, its advertised
// address, and with auto_aliases the names loopback is known by).
func (m *myself) addSocket(sk *transport.Socket) {
	m.mu.Lock()
	defer m.mu.Unlock()
	old := *m.set.Load()
	set := make(selfSet, len(old)+2)
	for h, ps := range old {
		set[h] = append([]int(nil), ps...)
	}
	port := int(sk.Addr.Port())
	set.add(sk.Addr.Addr().Unmap().String(), port)
	if sk.AdvHost != "" {
		ap := sk.AdvPort
		if ap == 0 {
			ap = port
		}
		set.add(sk.AdvHost, ap)
	}
	if m.auto && sk.Addr.Addr().IsLoopback() {
		set.add("localhost", port)
	}
	m.set.Store(&set)
}

// match reports whether host:port is this server.
func (m *myself) match(host string, port int) bool {
	set := *m.set.Load()
	ports, ok := set[host]
	if !ok {
		h := strings.ToLower(strings.Trim(host, "[]"))
		if a, err := netip.ParseAddr(h); err == nil {
			h = a.Unmap().String()
		}
		if ports, ok = set[h]; !ok {
			return false
		}
	}
	if port == 0 {
		return true
	}
	for _, p := range ports {
		if p == 0 || p == port {
			return true
		}
	}
	return false
}
