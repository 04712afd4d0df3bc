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
	// received address and rport (or sent-by). opts is taken by value (no
	// allocation per reply) and may be the zero value; the core
	// adds the Server header (server_signature, server_header) and the
	// headers the script queued for the reply.
	SendReply(st *pv.State, code int, reason string, opts sip.ReplyOptions) error
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
	// Myself reports whether host (and port; 0 = any) names this server:
	// a listen socket, an advertised address or an alias (uri == myself,
	// is_myself, loose_route).
	Myself(host string, port int) bool
	// Module returns the state of a loaded module (for functions without
	// arguments, which no fixup hands their module's state).
	Module(name string) (any, bool)
}

// Keys of pv.State.Extra that the core reads when it builds a stateless
// reply (tm reads them for its local replies too).
const (
	// ReplyHeadersKey holds []string: header lines ("Name: value", no
	// CRLF) queued by append_to_reply.
	ReplyHeadersKey = "core.reply_headers"
	// ReplyBodyKey holds a ReplyBody set by set_reply_body.
	ReplyBodyKey = "core.reply_body"
)

// ReplyBody is the body of the next local reply.
type ReplyBody struct {
	ContentType string
	Body        []byte
}

// Outbound describes the socket a request is about to leave from.
type Outbound struct {
	Proto pv.Proto
	// Host and Port are what the socket advertises (its address when it
	// has no advertise): what goes into Record-Route. (Our Via may differ:
	// set_advertised_address/port change only the Via, as in Kamailio.)
	Host string
	Port int
}

// OutboundHook is implemented by the state of a module that must edit a
// request once its outgoing socket is known: rr adds the second
// Record-Route when the transport changes. The core calls it from Forward
// (tm for every branch) after choosing the socket and before serializing;
// its edits are taken back after the send, like the core's own Via.
type OutboundHook interface {
	BeforeSend(st *pv.State, out Outbound) error
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
