package core

import (
	"errors"
	"fmt"
	"net/netip"
	"testing"
	"time"

	"github.com/kamgo/kamgo/pv"
)

// TestResolverNegativeCache: a name that failed is answered from the
// negative cache until its TTL passes, not at all with TTL 0, and the
// cache stays bounded.
func TestResolverNegativeCache(t *testing.T) {
	now := time.Unix(1000, 0)
	r := newResolver(DNSSettings{NegativeTTL: time.Minute, Timeout: 2 * time.Second})
	r.now = func() time.Time { return now }
	const name = "no-such-host.invalid" // RFC 6761: never resolves
	if _, err := r.addr(name); err == nil || errors.Is(err, errCachedFailure) {
		t.Fatalf("first lookup: %v", err)
	}
	if _, err := r.addr("NO-SUCH-HOST.invalid"); !errors.Is(err, errCachedFailure) {
		t.Fatalf("second lookup not from the cache: %v", err)
	}
	now = now.Add(61 * time.Second)
	if _, err := r.addr(name); err == nil || errors.Is(err, errCachedFailure) {
		t.Fatalf("after the TTL: %v", err)
	}
	if _, _, ok := r.srv(name, pv.ProtoUDP); ok {
		t.Fatal("SRV of a name that does not exist")
	}
	if !r.failedRecently("srv:" + pv.ProtoUDP.String() + ":" + name) {
		t.Error("the failed SRV lookup is not cached")
	}

	off := newResolver(DNSSettings{})
	if _, err := off.addr(name); err == nil {
		t.Fatal("resolved")
	}
	if _, err := off.addr(name); errors.Is(err, errCachedFailure) {
		t.Error("cached with NegativeTTL 0")
	}

	for i := range maxNegEntries + 100 {
		r.remember(fmt.Sprintf("ip:h%d.invalid", i))
	}
	if n := len(r.neg); n > maxNegEntries {
		t.Errorf("negative cache holds %d entries, limit %d", n, maxNegEntries)
	}

	if a, err := r.addr("192.0.2.1"); err != nil || a != netip.MustParseAddr("192.0.2.1") {
		t.Errorf("literal address: %v %v", a, err)
	}
	if a, err := r.addr("::ffff:192.0.2.1"); err != nil || a != netip.MustParseAddr("192.0.2.1") {
		t.Errorf("mapped address: %v %v", a, err)
	}
}
