package core

import (
	"math/rand/v2"
	"net/netip"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"testing"
	"time"

	"github.com/kamgo/kamgo/runtime/transport"
)

// TestNoGrowthUnderMixedTraffic is reliability.md's leak check: a million
// mixed messages (the RFC 4475/5118 torture files, valid requests and
// replies, and their truncated or bit-flipped copies) through the whole
// receive path with the everyday modules (fuzzRoute: replies, forwards,
// header and body edits) leave the heap and the goroutines where they
// were after a warm-up. LEAK_DEBUG=1 logs the slowest messages first.
func TestNoGrowthUnderMixedTraffic(t *testing.T) {
	n := 1_000_000
	if testing.Short() {
		n = 50_000
	}
	var corpus [][]byte
	for _, dir := range []string{"../sip/testdata/torture/rfc4475", "../sip/testdata/torture/rfc5118"} {
		files, _ := filepath.Glob(filepath.Join(dir, "*.dat"))
		for _, name := range files {
			if b, err := os.ReadFile(name); err == nil {
				corpus = append(corpus, b)
			}
		}
	}
	if len(corpus) < 50 {
		t.Fatalf("torture corpus: %d files", len(corpus))
	}
	corpus = append(corpus, []byte(benchOptions), []byte("SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 127.0.0.1;branch=z9hG4bKx\r\n"+
		"Via: SIP/2.0/UDP 127.0.0.1:5999;branch=z9hG4bKy\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:c@d>;tag=2\r\n"+
		"Call-ID: x\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n"))
	rng := rand.New(rand.NewPCG(1, 2))
	// Variants built once, so that the loop itself allocates nothing.
	var msgs [][]byte
	for _, b := range corpus {
		msgs = append(msgs, b)
		for range 8 {
			v := append([]byte(nil), b...)
			switch rng.IntN(3) {
			case 0:
				v = v[:rng.IntN(len(v))]
			case 1:
				for range 1 + rng.IntN(4) {
					v[rng.IntN(len(v))] ^= byte(1 << rng.IntN(8))
				}
			default:
				v[rng.IntN(len(v))] = 0
			}
			msgs = append(msgs, v)
		}
	}
	s, w := benchServer(t, fuzzRoute)
	src := netip.MustParseAddrPort(strayAddr)
	p := &transport.Packet{Src: src, Socket: s.Sockets()[0]}
	// Each message is copied into one buffer first, as a socket read
	// does: routes may rewrite the received bytes in place (maxfwd).
	buf := make([]byte, 0, 65536)
	run := func(count int) {
		for i := range count {
			buf = append(buf[:0], msgs[i%len(msgs)]...)
			p.Data = buf
			w.Receive(p)
		}
	}
	measure := func() (uint64, int) {
		var ms runtime.MemStats
		runtime.GC()
		runtime.GC()
		runtime.ReadMemStats(&ms)
		return ms.HeapAlloc, runtime.NumGoroutine()
	}
	if os.Getenv("LEAK_DEBUG") != "" {
		type r struct {
			i int
			d time.Duration
		}
		var rs []r
		for i, m := range msgs {
			p.Data = append([]byte(nil), m...)
			t0 := time.Now()
			w.Receive(p)
			rs = append(rs, r{i, time.Since(t0)})
		}
		sort.Slice(rs, func(a, b int) bool { return rs[a].d > rs[b].d })
		for _, x := range rs[:8] {
			t.Logf("%v %q", x.d, msgs[x.i][:min(len(msgs[x.i]), 300)])
		}
	}
	run(20 * len(msgs))
	heap0, gr0 := measure()
	run(n)
	heap1, gr1 := measure()
	t.Logf("%d messages (%d distinct): heap %d -> %d bytes, goroutines %d -> %d", n, len(msgs), heap0, heap1, gr0, gr1)
	if heap1 > heap0+heap0/10+(1<<20) {
		t.Errorf("heap grew from %d to %d bytes", heap0, heap1)
	}
	if gr1 > gr0+2 {
		t.Errorf("goroutines grew from %d to %d", gr0, gr1)
	}
}
