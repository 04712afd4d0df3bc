package core

import (
	"errors"

	"github.com/kamgo/kamgo/pv"
	"github.com/kamgo/kamgo/runtime/logging"
	"github.com/kamgo/kamgo/runtime/module"
	"github.com/kamgo/kamgo/runtime/sip"
	"github.com/kamgo/kamgo/runtime/transport"
	"github.com/kamgo/kamgo/runtime/vm"
)

// worker is the receiver of one transport worker: it parses what arrives
// and runs the routes on its own VM context, like one Kamailio process.
type worker struct {
	s    *Server
	name string
	ctx  *vm.Ctx
	msg  sip.Message
	// log is the worker's own logger when log_prefix holds
	// pseudo-variables: its prefix is expanded for every message.
	log *logging.Logger
}

// Receive implements transport.Receiver: the dispatch of one message.
func (w *worker) Receive(p *transport.Packet) {
	st := w.ctx.State()
	if w.log != nil {
		w.log.SetPrefix("") // its text lives in the arena Reset recycles
	}
	st.Reset()
	st.Recv = recvOf(p.Socket, p.Src, p.ConnID)
	st.Raw = p.Data
	st.Received = p.Received
	if w.s.set.ForceRport {
		st.CoreFlags |= pv.FlagForceRport
	}
	framing := sip.Datagram
	if p.ConnID != 0 {
		framing = sip.Stream
		if w.s.set.TCP.AcceptNoCL {
			framing = sip.StreamNoCL
		}
	}
	if err := w.msg.Parse(p.Data, framing); err != nil {
		w.s.stats.inc(statBadMsgHdr)
		w.notSIP(p, err)
		return
	}
	st.Msg = &w.msg
	if w.log != nil {
		w.log.SetPrefix(w.s.l.Prog.LogPrefix.String(st))
	}
	if w.msg.IsRequest() {
		w.s.stats.inc(statRcvRequests)
		w.request()
		return
	}
	w.s.stats.inc(statRcvReplies)
	w.reply()
}

// notSIP handles a packet that does not parse: nosip takes it when loaded,
// a request whose head could be read gets a 400, the rest is dropped.
func (w *worker) notSIP(p *transport.Packet, perr error) {
	s := w.s
	var pe *sip.ParseError
	if errors.As(perr, &pe) && pe.Kind != sip.ErrSyntax && p.ConnID == 0 && w.msg.IsRequest() {
		// The head parsed (a SIP request with a duplicated header, a bad
		// Content-Length, a wrong version): it gets its 4xx/5xx.
		w.ctx.State().Msg = &w.msg
		w.badRequest(perr)
		return
	}
	if s.nonSIP != nil {
		if route, ok := s.nonSIP.AcceptNonSIP(p.Data); ok {
			if idx, ok := s.l.Prog.Event[route]; ok {
				st := w.ctx.State()
				st.Msg = nil
				w.ctx.Run(idx, module.Event|module.Request)
				return
			}
		}
	}
	if s.log.Enabled(logging.LDbg) {
		s.log.Logf(logging.LDbg, "dropping a message from %s:%s that is not valid SIP: %v", p.Socket.Proto, p.Src, perr)
	}
}

// request runs request_route on a request that parsed.
func (w *worker) request() {
	s := w.s
	if err := w.msg.Validate(); err != nil {
		w.badRequest(err)
		return
	}
	for _, h := range s.hooks {
		if h.BeforeRequest(w.ctx) {
			return
		}
	}
	if s.l.Prog.Request < 0 {
		return
	}
	if res := w.ctx.Run(s.l.Prog.Request, module.Request); res.Dropped {
		s.stats.inc(statDropRequests)
	}
}

// badRequest answers a request that parsed but breaks the rules
// (missing or duplicated mandatory headers, CSeq mismatch) with the status
// its error suggests, as RFC 3261 §8.2 and reliability.md ask; an ACK is
// never answered.
func (w *worker) badRequest(err error) {
	s := w.s
	code, reason := 400, "Bad Request"
	var pe *sip.ParseError
	if errors.As(err, &pe) && pe.Code >= 400 {
		code = pe.Code
		if pe.Reason != "" {
			reason = pe.Reason
		}
	}
	if s.log.Enabled(logging.LDbg) {
		s.log.Logf(logging.LDbg, "bad request from %s: %v", w.ctx.State().Recv.Src, err)
	}
	if w.msg.MethodID() == sip.MethodACK {
		return
	}
	if rerr := s.SendReply(w.ctx.State(), code, reason, sip.ReplyOptions{}); rerr != nil && s.log.Enabled(logging.LDbg) {
		s.log.Logf(logging.LDbg, "cannot answer a bad request: %v", rerr)
	}
}

// reply runs reply_route on a received reply and forwards it by its
// second Via unless the route dropped it or a module (tm) took it.
func (w *worker) reply() {
	s := w.s
	if s.l.Prog.Reply >= 0 {
		res := w.ctx.Run(s.l.Prog.Reply, module.CoreReply)
		if res.Dropped {
			s.stats.inc(statDropReplies)
			return
		}
		if res.Code < 0 {
			// As Kamailio: a reply_route that ends with a negative code
			// (return -1, or a failed function as its last action) is an
			// error, and the reply is not forwarded.
			w.ctx.Logger().Log(logging.LWarn, "receive_msg(): error while trying onreply script")
			s.stats.inc(statDropReplies)
			return
		}
	}
	for _, t := range s.takers {
		if t.TakeReply(w.ctx) {
			return
		}
	}
	if err := s.ForwardReply(w.ctx.State()); err != nil && s.log.Enabled(logging.LDbg) {
		s.log.Logf(logging.LDbg, "reply from %s not forwarded: %v", w.ctx.State().Recv.Src, err)
	}
}

// ConnClosed implements transport.Receiver: a connection's end runs
// event_route[tcp:closed|tcp:reset|tcp:timeout] when the config has it.
func (w *worker) ConnClosed(ev *transport.ConnEvent) {
	route := connEventRoute(ev.Reason)
	if route == "" {
		return
	}
	idx, ok := w.s.l.Prog.Event[route]
	if !ok {
		return
	}
	st := w.ctx.State()
	st.Reset()
	st.Recv = recvOf(ev.Conn.Socket, ev.Conn.Remote, ev.Conn.ID)
	if ev.Conn.Local.IsValid() {
		st.Recv.Dst = ev.Conn.Local
	}
	st.Recv.Proto = pv.ProtoTCP
	w.ctx.Run(idx, module.Event|module.Request)
}
