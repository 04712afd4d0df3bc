package core

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"testing"
	"time"

	"github.com/kamgo/kamgo/lang/parser"
	"github.com/kamgo/kamgo/lang/preproc"
	_ "github.com/kamgo/kamgo/modules/pv"
	_ "github.com/kamgo/kamgo/modules/sl"
	"github.com/kamgo/kamgo/runtime/logging"
	"github.com/kamgo/kamgo/runtime/transport"
)

// benchServer starts a server whose request_route is route, listening on
// a free UDP port of loopback, and returns one of its workers.
func benchServer(tb testing.TB, route string) (*Server, *worker) {
	tb.Helper()
	u, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	port := u.LocalAddr().(*net.UDPAddr).Port
	u.Close()
	text := fmt.Sprintf("children=1\ndns_retr_time=1\nlisten=udp:127.0.0.1:%d\nloadmodule \"pv.so\"\nloadmodule \"sl.so\"\nloadmodule \"maxfwd.so\"\nloadmodule \"sanity.so\"\nloadmodule \"textops.so\"\nloadmodule \"siputils.so\"\nloadmodule \"rr.so\"\nloadmodule \"corex.so\"\nrequest_route {\n%s\n}\n", port, route)
	cfg, res, d := parser.ParseSource("bench.cfg", []byte(text), preproc.Options{})
	if d.HasErrors() {
		tb.Fatal(d)
	}
	l, ld := Load(cfg, res, LoadOptions{Log: logging.Discard()})
	if l == nil {
		tb.Fatal(ld)
	}
	set, sd := ReadSettings(l, logging.Discard())
	if sd.HasErrors() {
		tb.Fatal(sd)
	}
	s, err := New(l, set, Options{NoRPC: true})
	if err != nil {
		tb.Fatal(err)
	}
	if err := s.Start(); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = s.Shutdown(ctx)
	})
	return s, s.newWorker("bench")
}

const benchOptions = "OPTIONS sip:bob@127.0.0.1 SIP/2.0\r\n" +
	"Via: SIP/2.0/UDP 127.0.0.1:5999;branch=z9hG4bK-bench-1;rport\r\n" +
	"From: <sip:alice@example.com>;tag=a1\r\nTo: <sip:bob@127.0.0.1>\r\n" +
	"Call-ID: bench-1@test\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\n" +
	"User-Agent: bench\r\nContent-Length: 0\r\n\r\n"

// BenchmarkDispatch is the receive path without sending: parse, checks,
// request_route.
func BenchmarkDispatch(b *testing.B) {
	s, w := benchServer(b, `if (method == "OPTIONS" && $rU == "bob") { drop; }`)
	p := &transport.Packet{Data: []byte(benchOptions), Src: netip.MustParseAddrPort("127.0.0.1:5999"), Socket: s.Sockets()[0]}
	b.ReportAllocs()
	for b.Loop() {
		w.Receive(p)
	}
}

// BenchmarkForward is the receive path plus a stateless forward (our Via,
// received/rport) to a UDP peer.
func BenchmarkForward(b *testing.B) {
	sink, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	defer sink.Close()
	go func() {
		buf := make([]byte, 65535)
		for {
			if _, _, err := sink.ReadFrom(buf); err != nil {
				return
			}
		}
	}()
	s, w := benchServer(b, fmt.Sprintf(`forward("127.0.0.1", %d);`, sink.LocalAddr().(*net.UDPAddr).Port))
	p := &transport.Packet{Data: []byte(benchOptions), Src: netip.MustParseAddrPort("127.0.0.1:5999"), Socket: s.Sockets()[0]}
	b.ReportAllocs()
	for b.Loop() {
		w.Receive(p)
	}
}

// BenchmarkReply is the receive path plus a stateless 200 (sl_send_reply)
// sent back over UDP.
func BenchmarkReply(b *testing.B) {
	s, w := benchServer(b, `sl_send_reply("200", "OK");`)
	sink, err := net.ListenPacket("udp", "127.0.0.1:5999")
	if err != nil {
		b.Skip("port 5999 busy")
	}
	defer sink.Close()
	go func() {
		buf := make([]byte, 65535)
		for {
			if _, _, err := sink.ReadFrom(buf); err != nil {
				return
			}
		}
	}()
	p := &transport.Packet{Data: []byte(benchOptions), Src: netip.MustParseAddrPort("127.0.0.1:5999"), Socket: s.Sockets()[0]}
	b.ReportAllocs()
	for b.Loop() {
		w.Receive(p)
	}
}
