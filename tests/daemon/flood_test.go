//go:build unix

package daemon

import (
	"math/rand/v2"
	"net"
	"testing"
	"time"
)

// TestMixedFlood is reliability.md's abuse mix in small: while 20,000
// random or mutilated datagrams and 200 idle TCP connections hit the
// daemon, a client's OPTIONS are still answered, and afterwards the daemon
// runs on. Bounded to a few seconds.
func TestMixedFlood(t *testing.T) {
	d := startDaemon(t, config{script: statelessScript})
	// Idle TCP connections (slowloris without the bytes).
	var conns []net.Conn
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	for range 200 {
		c, err := net.DialTimeout("tcp", d.tcpAddr().String(), time.Second)
		if err != nil {
			t.Fatalf("idle connection: %v", err)
		}
		conns = append(conns, c)
	}
	flood, err := net.DialUDP("udp", nil, net.UDPAddrFromAddrPort(d.udpAddr()))
	if err != nil {
		t.Fatal(err)
	}
	defer flood.Close()
	rng := rand.New(rand.NewPCG(1, 2))
	valid := []byte("OPTIONS sip:x@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:9;branch=z9hG4bKf\r\n" +
		"From: <sip:a@b>;tag=1\r\nTo: <sip:x@127.0.0.1>\r\nCall-ID: f\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n")
	c := d.udpClient(t)
	done := make(chan struct{})
	go func() {
		defer close(done)
		buf := make([]byte, 1500)
		for i := range 20000 {
			var pkt []byte
			if i%2 == 0 {
				n := 1 + rng.IntN(len(buf))
				for j := range n {
					buf[j] = byte(rng.Uint32())
				}
				pkt = buf[:n]
			} else {
				// A valid request with a few bytes flipped: parses or not.
				pkt = append(buf[:0], valid...)
				for range 3 {
					pkt[rng.IntN(len(pkt))] = byte(rng.Uint32())
				}
			}
			_, _ = flood.Write(pkt)
		}
	}()
	answered := 0
	for range 20 {
		resp, err := c.Options(time.Second)
		if err == nil && resp.StatusCode == 200 {
			answered++
		}
	}
	<-done
	// UDP may lose a few under the flood (the kernel drops what the socket
	// buffers cannot hold); most must get through.
	if answered < 15 {
		t.Errorf("%d of 20 OPTIONS answered during the flood", answered)
	}
	// Afterwards the daemon answers again; a datagram may still be lost
	// while the last of the flood drains, so up to three tries.
	for try := 1; ; try++ {
		resp, err := d.udpClient(t).Options(time.Second)
		if err == nil && resp.StatusCode == 200 {
			break
		}
		if try == 3 {
			t.Fatalf("no answer after the flood: %v %v", resp, err)
		}
	}
	d.stop(t)
}
