package sip

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestFramer(t *testing.T) {
	msgA := "OPTIONS sip:a@b SIP/2.0\r\nl: 2\r\n\r\nhi"
	msgB := "SIP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n"
	tests := []struct {
		name string
		in   string
		want streamOut
	}{
		{"one", msgA, streamOut{Msgs: []string{msgA}}},
		{"pipelined", msgA + msgB + msgA, streamOut{Msgs: []string{msgA, msgB, msgA}}},
		{"keepalive", "\r\n\r\n", streamOut{Keepalives: 1}},
		{"keepalives around", "\r\n\r\n" + msgA + "\r\n\r\n\r\n\r\n" + msgB, streamOut{Msgs: []string{msgA, msgB}, Keepalives: 3}},
		{"lone CRLF skipped", "\r\n" + msgA + "\r\n" + msgB, streamOut{Msgs: []string{msgA, msgB}}},
		{"trailing CRLF waits", msgA + "\r\n", streamOut{Msgs: []string{msgA}, Pending: 2}},
		{"partial header", msgA[:20], streamOut{Pending: 20}},
		{"partial body", msgA[:len(msgA)-1], streamOut{Pending: len(msgA) - 1}},
		{"no Content-Length", "OPTIONS sip:a@b SIP/2.0\r\nVia: x\r\n\r\n", streamOut{ErrKind: ErrFraming}},
		{"duplicate Content-Length", "OPTIONS sip:a@b SIP/2.0\r\nl: 0\r\nl: 0\r\n\r\n", streamOut{ErrKind: ErrFraming}},
		{"non-numeric Content-Length", "OPTIONS sip:a@b SIP/2.0\r\nl: five\r\n\r\n", streamOut{ErrKind: ErrFraming}},
		{"Content-Length 2^32", "OPTIONS sip:a@b SIP/2.0\r\nl: 4294967296\r\n\r\n", streamOut{ErrKind: ErrFraming}},
		{"Content-Length 10^9", "OPTIONS sip:a@b SIP/2.0\r\nl: 1000000000\r\n\r\n", streamOut{ErrKind: ErrTooLarge}},
		{"TLS ClientHello", "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", streamOut{ErrKind: ErrFraming}},
		{"bare CR", "\r\r\n", streamOut{ErrKind: ErrFraming}},
		{"message then garbage", msgA + "\x00", streamOut{Msgs: []string{msgA}, ErrKind: ErrFraming}},
		{"HTTP", "GET / HTTP/1.1\r\nHost: x\r\n\r\n", streamOut{ErrKind: ErrFraming}},
		// Duplicate Call-ID does not break framing: Parse answers 400 later.
		{"dup Call-ID framed", "OPTIONS sip:a@b SIP/2.0\r\ni: 1\r\ni: 2\r\nl: 0\r\n\r\n", streamOut{Msgs: []string{"OPTIONS sip:a@b SIP/2.0\r\ni: 1\r\ni: 2\r\nl: 0\r\n\r\n"}}},
	}
	for _, tt := range tests {
		whole := runStream([]byte(tt.in))
		if d := cmp.Diff(tt.want, whole); d != "" {
			t.Errorf("%s (-want +got):\n%s", tt.name, d)
		}
		cuts := make([]int, 0, len(tt.in))
		for i := 1; i < len(tt.in); i++ {
			cuts = append(cuts, i)
			if got := runStream([]byte(tt.in), i); !cmp.Equal(got, whole) {
				t.Errorf("%s split at %d: %s", tt.name, i, cmp.Diff(whole, got))
			}
		}
		if got := runStream([]byte(tt.in), cuts...); !cmp.Equal(got, whole) {
			t.Errorf("%s byte at a time: %s", tt.name, cmp.Diff(whole, got))
		}
	}
}

func TestFramerLimits(t *testing.T) {
	f := Framer{Limits: Limits{MaxSize: 64}}
	f.Feed([]byte(strings.Repeat("X", 65)))
	if _, _, err := f.Next(); !errors.Is(err, ErrTooLarge) {
		t.Errorf("endless header: %v", err)
	}
	// The error is final and further input is ignored.
	f.Feed([]byte("OPTIONS sip:a@b SIP/2.0\r\nl: 0\r\n\r\n"))
	if _, _, err := f.Next(); !errors.Is(err, ErrTooLarge) {
		t.Errorf("after error: %v", err)
	}
	f.Reset()
	f.Feed([]byte("OPTIONS sip:a@b SIP/2.0\r\nl: 40\r\n\r\n"))
	if _, _, err := f.Next(); !errors.Is(err, ErrTooLarge) {
		t.Errorf("announced body over the limit: %v", err)
	}
	g := Framer{Limits: Limits{MaxHeaders: 3}}
	g.Feed([]byte("OPTIONS sip:a@b SIP/2.0\r\nA: 1\r\nB: 2\r\nC: 3\r\nl: 0\r\n\r\n"))
	if _, _, err := g.Next(); !errors.Is(err, ErrTooLarge) {
		t.Errorf("header count: %v", err)
	}
}

// TestFramerLinear feeds a large header section one byte at a time and
// checks the framer's own bookkeeping: every byte is searched at most a
// bounded number of times (no rescanning from the start on each read).
func TestFramerLinear(t *testing.T) {
	msg := "OPTIONS sip:a@b SIP/2.0\r\n" + strings.Repeat("X-Pad: "+strings.Repeat("0123456789", 15)+"\r\n", 300) + "l: 0\r\n\r\n"
	var f Framer
	searched := 0
	for i := 0; i < len(msg); i++ {
		before := f.scanned
		f.Feed([]byte{msg[i]})
		out, kind, err := f.Next()
		if err != nil {
			t.Fatal(err)
		}
		if kind == FrameMessage {
			if string(out) != msg {
				t.Fatal("wrong message")
			}
			break
		}
		// Each call searches from scanned-3 to the end.
		searched += f.scanned - before + 3
	}
	if searched > 4*len(msg) {
		t.Errorf("searched %d bytes for a %d-byte message", searched, len(msg))
	}
}

// TestFramerAcceptNoCL: with AcceptNoCL a message without Content-Length
// ends with its headers (Kamailio's tcp_accept_no_cl), wherever the reads
// are cut; Parse takes it with StreamNoCL, which refuses a body.
func TestFramerAcceptNoCL(t *testing.T) {
	noCL := "OPTIONS sip:a@b SIP/2.0\r\nVia: x\r\n\r\n"
	withCL := "OPTIONS sip:a@b SIP/2.0\r\nl: 2\r\n\r\nhi"
	in := []byte(noCL + withCL + noCL)
	want := streamOut{Msgs: []string{noCL, withCL, noCL}}
	for cut := 1; cut < len(in); cut++ {
		if got := runStreamLimited(Framer{AcceptNoCL: true}, in, []int{cut}); !cmp.Equal(got, want) {
			t.Fatalf("split at %d (-want +got):\n%s", cut, cmp.Diff(want, got))
		}
	}
	var m Message
	tests := []struct {
		msg  string
		f    Framing
		kind ErrorKind
	}{
		{noCL, StreamNoCL, 0},
		{noCL, Stream, ErrFraming},
		{withCL, StreamNoCL, 0},
		{noCL + "body", StreamNoCL, ErrFraming},
		{withCL + "x", StreamNoCL, ErrFraming},
	}
	for _, tt := range tests {
		err := m.Parse([]byte(tt.msg), tt.f)
		if tt.kind == 0 && err != nil || tt.kind != 0 && !errors.Is(err, tt.kind) {
			t.Errorf("Parse(%q, %d) = %v, want kind %v", tt.msg, tt.f, err, tt.kind)
		}
	}
}
