package module

import (
	"github.com/kamgo/kamgo/pv"
	"github.com/kamgo/kamgo/runtime/sip"
)

// Core is the running server as exec functions see it: what a function
// needs to send replies and forward messages. runtime/core implements it;
// ExecContext.Core returns nil when no server runs (kamgo check, the
// in-process semantics tests), and functions that need it then fail with -1.
type Core interface {
	// SendReply builds a reply to the request in st and sends it
	// statelessly, per RFC 3261 §18.2.2 and RFC 3581: over the connection
	// the request came in on when it is still open, else to the top Via's
	// received address and rport (or sent-by). opts may be nil; the core
	// adds the Server header (server_signature, server_header) and the
	// headers the script queued for the reply.
	SendReply(st *pv.State, code int, reason string, opts *sip.ReplyOptions) error
	// Forward sends the request in st statelessly to dst, pushing our Via.
	// A zero Target means "where $du, else the R-URI, points".
	Forward(st *pv.State, dst Target) error
	// ForwardReply sends the reply in st to the address of its second Via,
	// after removing the top one (ours).
	ForwardReply(st *pv.State) error
	// SendData sends raw bytes to dst (corex send_data, keepalive pings).
	SendData(st *pv.State, dst Target, data []byte) error
	// RunEvent runs event_route[name] on a message of its own, with recv
	// and raw as the message's origin and bytes (raw may be nil); it
	// reports whether the route exists.
	RunEvent(name string, recv pv.RecvInfo, raw []byte) bool
	// HasRoute reports whether event_route[name] is defined.
	HasRoute(name string) bool
}

// Target is where to send a message: a URI, or a host, port and transport.
type Target struct {
	// URI, when set, is a SIP URI whose host, port and transport parameter
	// give the destination (forward() with $du or the R-URI).
	URI string
	// Host is an IP address or a name; Port 0 means the default (5060, or
	// DNS SRV for a name); Proto ProtoNone means UDP unless the URI says
	// otherwise.
	Host  string
	Port  int
	Proto pv.Proto
}

// NonSIPHandler is implemented by the state of a module that takes the
// packets the core cannot parse as SIP (nosip). AcceptNonSIP reports
// whether the module wants data; the core then runs the module's event
// route with $mb holding the packet.
type NonSIPHandler interface {
	AcceptNonSIP(data []byte) (eventRoute string, ok bool)
}

// RequestHook is implemented by the state of a module that looks at every
// request before request_route (sl absorbs the ACKs to its own replies).
// Returning true consumes the request: request_route does not run.
type RequestHook interface {
	BeforeRequest(ctx ExecContext) bool
}
