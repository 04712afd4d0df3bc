package core

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strings"
	"sync"
	"time"

	"github.com/kamgo/kamgo/pv"
)

// DNS defaults, as Kamailio's.
const (
	defaultDNSTimeout = 5 * time.Second
	defaultDNSNegTTL  = 60 * time.Second
	// maxNegEntries bounds the negative cache: a flood of random names
	// must not grow it without limit.
	maxNegEntries = 4096
)

// DNSSettings are the core parameters of name resolution while routing.
type DNSSettings struct {
	// TryIPv6 looks up AAAA when a name has no A record (dns_try_ipv6;
	// on by default when a socket is IPv6).
	TryIPv6 bool
	// Timeout bounds one lookup (dns_retr_time; 5 s).
	Timeout time.Duration
	// NegativeTTL keeps a failed lookup failing without asking again
	// (dns_cache_negative_ttl, 60 s); 0 disables it, as do
	// use_dns_cache=no and dns_cache_init=no.
	NegativeTTL time.Duration
}

// resolver resolves the names routing needs, remembering failures for
// NegativeTTL so that a stream of requests naming a dead or slow domain
// does not hold every worker for the lookup timeout (Kamailio's DNS cache
// keeps such negative entries too). Successful answers are not cached:
// the Go resolver does not report TTLs.
type resolver struct {
	set DNSSettings
	now func() time.Time

	mu  sync.Mutex
	neg map[string]time.Time // lookup key → when the failure expires
}

func newResolver(set DNSSettings) *resolver {
	if set.Timeout <= 0 {
		set.Timeout = defaultDNSTimeout
	}
	return &resolver{set: set, now: time.Now, neg: map[string]time.Time{}}
}

// errCachedFailure wraps a lookup answered from the negative cache.
var errCachedFailure = errors.New("failed recently (negative DNS cache)")

// failedRecently reports whether key is in the negative cache.
func (r *resolver) failedRecently(key string) bool {
	if r.set.NegativeTTL <= 0 {
		return false
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	exp, ok := r.neg[key]
	if ok && r.now().After(exp) {
		delete(r.neg, key)
		return false
	}
	return ok
}

// remember puts key in the negative cache, making room when it is full
// by dropping expired entries, else any one.
func (r *resolver) remember(key string) {
	if r.set.NegativeTTL <= 0 {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	now := r.now()
	if len(r.neg) >= maxNegEntries {
		for k, exp := range r.neg {
			if now.After(exp) {
				delete(r.neg, k)
			}
		}
		for k := range r.neg {
			if len(r.neg) < maxNegEntries {
				break
			}
			delete(r.neg, k)
		}
	}
	r.neg[key] = now.Add(r.set.NegativeTTL)
}

// addr turns a host into an address: an IP as it is, a name by its A
// record, then (with TryIPv6) its AAAA record.
func (r *resolver) addr(host string) (netip.Addr, error) {
	if a, err := netip.ParseAddr(host); err == nil {
		return a.Unmap(), nil
	}
	key := "ip:" + strings.ToLower(host)
	if r.failedRecently(key) {
		return netip.Addr{}, fmt.Errorf("cannot resolve %q: %w", host, errCachedFailure)
	}
	a, err := r.lookup("ip4", host)
	if err != nil && r.set.TryIPv6 {
		a, err = r.lookup("ip6", host)
	}
	if err != nil {
		r.remember(key)
		return netip.Addr{}, fmt.Errorf("cannot resolve %q: %w", host, err)
	}
	return a, nil
}

func (r *resolver) lookup(network, host string) (netip.Addr, error) {
	ctx, cancel := context.WithTimeout(context.Background(), r.set.Timeout)
	defer cancel()
	addrs, err := net.DefaultResolver.LookupNetIP(ctx, network, host)
	if err != nil {
		return netip.Addr{}, err
	}
	if len(addrs) == 0 {
		return netip.Addr{}, errors.New("no address")
	}
	return addrs[0].Unmap(), nil
}

// srv follows RFC 3263 for a name without a port: the _sip._udp or
// _sip._tcp SRV records, the first by priority (net sorts them).
func (r *resolver) srv(host string, proto pv.Proto) (netip.Addr, int, bool) {
	key := "srv:" + proto.String() + ":" + strings.ToLower(host)
	if r.failedRecently(key) {
		return netip.Addr{}, 0, false
	}
	ctx, cancel := context.WithTimeout(context.Background(), r.set.Timeout)
	defer cancel()
	_, srvs, err := net.DefaultResolver.LookupSRV(ctx, "sip", proto.String(), host)
	if err != nil || len(srvs) == 0 {
		r.remember(key)
		return netip.Addr{}, 0, false
	}
	a, err := r.addr(strings.TrimSuffix(srvs[0].Target, "."))
	if err != nil {
		return netip.Addr{}, 0, false
	}
	return a, int(srvs[0].Port), true
}
