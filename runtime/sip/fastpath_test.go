package sip

import (
	"math/rand"
	"testing"
)

// The word-at-a-time helpers must agree exactly with the byte-wise
// definitions they replace.

func refFoldEq(name []byte, low string) bool {
	if len(name) != len(low) {
		return false
	}
	for i := 0; i < len(low); i++ {
		if lower(name[i]) != low[i] {
			return false
		}
	}
	return true
}

func TestFoldEqMatchesBytewise(t *testing.T) {
	var cands []string
	for ht := HdrVia; ht < numHeaderTypes; ht++ {
		s := []byte(ht.String())
		for i := range s {
			s[i] = lower(s[i])
		}
		cands = append(cands, string(s))
	}
	cands = append(cands, "branch", "received", "maddr", "rport", "ttl", "tag")
	r := rand.New(rand.NewSource(1))
	for _, c := range cands {
		for p := 0; p < len(c); p++ {
			for v := 0; v < 256; v++ {
				b := []byte(c)
				b[p] = byte(v)
				if refFoldEq(b, c) != foldEq(b, c) {
					t.Fatalf("foldEq(%q, %q)", b, c)
				}
			}
		}
		for it := 0; it < 2000; it++ {
			b := []byte(c)
			for k := r.Intn(3); k >= 0; k-- {
				p := r.Intn(len(b))
				switch r.Intn(3) {
				case 0:
					b[p] = byte(r.Intn(256))
				case 1:
					b[p] ^= 0x20
				default:
					b[p] -= 32
				}
			}
			if refFoldEq(b, c) != foldEq(b, c) {
				t.Fatalf("foldEq(%q, %q)", b, c)
			}
		}
	}
}

func refURIText(u []byte) bool {
	for _, c := range u {
		if c <= ' ' || c == 0x7f || c == '<' || c == '>' || c == '"' {
			return false
		}
	}
	return true
}

func TestURITextOKMatchesBytewise(t *testing.T) {
	for v := 0; v < 256; v++ {
		for n := 1; n < 20; n++ {
			for p := 0; p < n; p++ {
				b := make([]byte, n)
				for i := range b {
					b[i] = 'a'
				}
				b[p] = byte(v)
				if refURIText(b) != uriTextOK(b) {
					t.Fatalf("uriTextOK(%q)", b)
				}
			}
		}
	}
	r := rand.New(rand.NewSource(2))
	good := []byte("sip:alice@atlanta.example.com;transport=tcp?x=%20y\x80\xff!~")
	for it := 0; it < 100000; it++ {
		n := r.Intn(40)
		b := make([]byte, n)
		for i := range b {
			b[i] = good[r.Intn(len(good))]
		}
		for k := r.Intn(3); k > 0 && n > 0; k-- {
			b[r.Intn(n)] = byte(r.Intn(256))
		}
		if refURIText(b) != uriTextOK(b) {
			t.Fatalf("uriTextOK(%q)", b)
		}
	}
}

// TestViaHostScanMatchesValidHost: the sent-by host checks folded into
// ParseVia's scan accept exactly what validHost accepts.
func TestViaHostScanMatchesValidHost(t *testing.T) {
	r := rand.New(rand.NewSource(3))
	alpha := []byte("a.1.9.0.-_.Z.:..255.256.")
	const prefix = "SIP/2.0/UDP "
	for it := 0; it < 200000; it++ {
		h := make([]byte, r.Intn(20))
		for i := range h {
			h[i] = alpha[r.Intn(len(alpha))]
		}
		in := append([]byte(prefix), h...)
		in = append(in, ";branch=z9hG4bK1"...)
		i := len(prefix)
		for i < len(in) && isHostChar(in[i]) {
			i++
		}
		want := validHost(in[len(prefix):i])
		_, err := ParseVia(in)
		pe, _ := err.(*ParseError)
		gotBad := pe != nil && pe.Reason == "Bad Via host"
		if want == gotBad {
			t.Fatalf("ParseVia(%q): validHost %v, err %v", in, want, err)
		}
	}
}
