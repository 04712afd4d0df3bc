package sip

import (
	"crypto/rand"
	"encoding/binary"
	"sync/atomic"
)

// FNV-1a, written out so hashing a message needs no hash.Hash allocation.
const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

func fnvAdd(h uint64, b []byte) uint64 {
	for _, c := range b {
		h ^= uint64(c)
		h *= fnvPrime
	}
	// A separator keeps ("ab","c") and ("a","bc") apart.
	h ^= 0xff
	h *= fnvPrime
	return h
}

func fnvUint(h uint64, n uint64) uint64 {
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], n)
	return fnvAdd(h, b[:])
}

// requestHash identifies a request so that retransmissions, and the CANCEL
// or non-2xx ACK that goes with it, hash alike: it uses the top Via branch
// when that is an RFC 3261 branch, otherwise (RFC 2543 peers) Call-ID, From
// tag, CSeq number, Request-URI and top Via sent-by. It never includes the
// method or the To tag.
func requestHash(m *Message) (uint64, error) {
	v, err := m.TopVia()
	if err != nil {
		return 0, err
	}
	h := uint64(fnvOffset)
	h = fnvAdd(h, v.Host)
	h = fnvUint(h, uint64(v.Port))
	if v.IsRFC3261Branch() {
		return fnvAdd(h, v.Branch), nil
	}
	cs, err := m.CSeq()
	if err != nil {
		return 0, err
	}
	from, err := m.From()
	if err != nil {
		return 0, err
	}
	h = fnvAdd(h, m.CallID())
	h = fnvAdd(h, from.Tag)
	h = fnvUint(h, uint64(cs.Num))
	return fnvAdd(h, m.ruri), nil
}

// AppendStatelessBranch appends a branch for forwarding m statelessly
// (RFC 3261 §16.11): "z9hG4bK" followed by a hash of the request, the same
// for every retransmission and for the matching CANCEL / non-2xx ACK.
func AppendStatelessBranch(dst []byte, m *Message) ([]byte, error) {
	h, err := requestHash(m)
	if err != nil {
		return dst, err
	}
	dst = append(dst, BranchCookie...)
	dst = append(dst, "sl"...)
	return appendHex64(dst, h), nil
}

// AppendStableTag appends a To tag derived from the request, so that a
// stateless reply to a retransmission carries the same tag.
func AppendStableTag(dst []byte, m *Message) ([]byte, error) {
	h, err := requestHash(m)
	if err != nil {
		return dst, err
	}
	return appendHex64(dst, h^0x9e3779b97f4a7c15), nil
}

// IDGen makes identifiers that are unique across space and time: branches
// for stateful forwarding, tags, Call-IDs. Each is a random per-process
// prefix plus a counter passed through a bijective mixer, so values never
// repeat within a process and are not visibly sequential. Safe for
// concurrent use.
type IDGen struct {
	prefix [16]byte // hex
	key    uint64
	n      atomic.Uint64
}

// NewIDGen seeds a generator from crypto/rand.
func NewIDGen() *IDGen {
	var seed [16]byte
	_, _ = rand.Read(seed[:]) // never fails since Go 1.24 (it aborts instead)
	g := &IDGen{key: binary.LittleEndian.Uint64(seed[8:])}
	appendHex64(g.prefix[:0], binary.LittleEndian.Uint64(seed[:8]))
	return g
}

// mix64 is the SplitMix64 finaliser, a bijection on uint64.
func mix64(z uint64) uint64 {
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

func (g *IDGen) appendID(dst []byte) []byte {
	dst = append(dst, g.prefix[:8]...)
	return appendHex64(dst, mix64(g.n.Add(1)^g.key))
}

// AppendBranch appends a fresh "z9hG4bK..." branch.
func (g *IDGen) AppendBranch(dst []byte) []byte {
	return g.appendID(append(dst, BranchCookie...))
}

// AppendTag appends a fresh tag (24 hex digits).
func (g *IDGen) AppendTag(dst []byte) []byte { return g.appendID(dst) }
