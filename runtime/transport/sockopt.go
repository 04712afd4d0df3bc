package transport

import (
	"errors"
	"net"
	"syscall"

	"golang.org/x/sys/unix"

	"github.com/kamgo/kamgo/runtime/logging"
)

// setsockopts runs the integer socket options opts on rc's descriptor,
// stopping at the first that fails.
func setsockopts(rc syscall.RawConn, opts ...sockopt) error {
	var serr error
	err := rc.Control(func(fd uintptr) {
		for _, o := range opts {
			if o.skip {
				continue
			}
			if serr = unix.SetsockoptInt(int(fd), o.level, o.name, o.value); serr != nil {
				serr = errors.New(o.what + ": " + serr.Error())
				return
			}
		}
	})
	if err != nil {
		return err
	}
	return serr
}

type sockopt struct {
	level, name, value int
	what               string
	skip               bool
}

// listenerControl sets the options of a TCP listening socket before it
// binds: SO_REUSEPORT (tcp_reuse_port) and TCP_DEFER_ACCEPT
// (tcp_defer_accept), plus TCP_LINGER2, which accepted connections
// inherit.
func (t *Transport) listenerControl(_, _ string, rc syscall.RawConn) error {
	o := &t.cfg.TCP
	return t.optional(setsockopts(rc,
		sockopt{unix.SOL_SOCKET, unix.SO_REUSEPORT, 1, "SO_REUSEPORT", !o.ReusePort},
		sockopt{unix.IPPROTO_TCP, unix.TCP_DEFER_ACCEPT, int(o.DeferAccept.Seconds()), "TCP_DEFER_ACCEPT", o.DeferAccept <= 0},
		sockopt{unix.IPPROTO_TCP, unix.TCP_LINGER2, int(o.Linger2.Seconds()), "TCP_LINGER2", o.Linger2 <= 0},
	))
}

// dialControl sets the options of an outgoing TCP socket before it
// connects: TCP_SYNCNT (tcp_syncnt), TCP_LINGER2 (tcp_linger2) and, with
// DelayedAck, TCP_QUICKACK off so that the handshake's last ACK rides on
// the first data (tcp_delayed_ack).
func (t *Transport) dialControl(_, _ string, rc syscall.RawConn) error {
	o := &t.cfg.TCP
	return t.optional(setsockopts(rc,
		sockopt{unix.IPPROTO_TCP, unix.TCP_SYNCNT, o.SynCount, "TCP_SYNCNT", o.SynCount <= 0},
		sockopt{unix.IPPROTO_TCP, unix.TCP_LINGER2, int(o.Linger2.Seconds()), "TCP_LINGER2", o.Linger2 <= 0},
		sockopt{unix.IPPROTO_TCP, unix.TCP_QUICKACK, 0, "TCP_QUICKACK", !o.DelayedAck},
	))
}

// optional logs a socket option the kernel refused and goes on without
// it, as Kamailio does: these options tune, they are not needed to talk.
func (t *Transport) optional(err error) error {
	if err != nil {
		if e := t.log.Event(logging.LWarn); e != nil {
			e.Err(err).Msg("transport: tcp socket option not applied")
		}
	}
	return nil
}

// sourceFor is the local address an outgoing connection to dst starts
// from: tcp_source_ipv4/ipv6 when set for dst's family, else the
// listening socket's address.
func (t *Transport) sourceFor(sock *Socket, dst net.IP) net.IP {
	o := &t.cfg.TCP
	if dst.To4() != nil {
		if o.SourceV4.IsValid() {
			return o.SourceV4.Unmap().AsSlice()
		}
	} else if o.SourceV6.IsValid() {
		return o.SourceV6.AsSlice()
	}
	return sock.Addr.Addr().AsSlice()
}
