package transport

import (
	"errors"
	"net"
	"time"

	"github.com/kamgo/kamgo/runtime/logging"
)

// udpLoop is one UDP worker: it reads datagrams from u and hands each
// to rcv inline, like a Kamailio UDP child. The loop allocates nothing
// per datagram: the buffer and the Packet belong to the worker.
func (t *Transport) udpLoop(u *udpSocket, rcv Receiver) {
	defer t.wg.Done()
	buf := make([]byte, maxDatagram)
	pkt := &Packet{Socket: u.sock}
	var errBackoff time.Duration
	for {
		n, src, err := u.conn.ReadFromUDPAddrPort(buf)
		if err != nil {
			if t.isStopping() || errors.Is(err, net.ErrClosed) {
				return
			}
			// A persistent error must not spin a core: back off up to
			// 100 ms, reset on the next good read.
			errBackoff = min(max(2*errBackoff, time.Millisecond), 100*time.Millisecond)
			if e := t.log.Event(logging.LErr); e != nil {
				e.Str("sock", u.sock.Addr.String()).Err(err).Msg("transport: udp read failed")
			}
			time.Sleep(errBackoff)
			continue
		}
		errBackoff = 0
		if n < minUDPPacket {
			continue
		}
		if n > t.cfg.MaxMsgSize {
			if e := t.log.Event(logging.LWarn); e != nil {
				e.Int("size", n).Int("max", t.cfg.MaxMsgSize).Str("src", src.String()).
					Msg("transport: udp datagram too big, dropped")
			}
			continue
		}
		pkt.Data = buf[:n]
		pkt.Src = src
		pkt.Received = time.Now()
		t.safeReceive(rcv, pkt)
		pkt.Data = nil
	}
}
