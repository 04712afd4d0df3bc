package module

import (
	"strings"

	"github.com/kamgo/kamgo/lang/ast"
)

// RouteType is a set of route types, as a bitmask. A function declares the
// route types where it may be called; a route block runs as one or more of
// them (an event_route runs as Event and, for placement, as Request too).
type RouteType uint16

// Route types.
const (
	Request       RouteType = 1 << iota // request_route and route[X] reached from it
	Failure                             // failure_route[X], armed by t_on_failure
	OnReply                             // onreply_route[X], tm's reply route armed by t_on_reply
	Branch                              // branch_route[X], armed by t_on_branch
	OnSend                              // onsend_route
	CoreReply                           // reply_route: the core's stateless reply route
	BranchFailure                       // event_route[tm:branch-failure:X], armed by t_on_branch_failure
	Event                               // any event_route
	Local                               // event_route[tm:local-request]: tm's locally generated requests

	// Any is every route type.
	Any = Request | Failure | OnReply | Branch | OnSend | CoreReply | BranchFailure | Event | Local
	// AnyReply is both reply routes (Kamailio's ONREPLY_ROUTE flag covers both).
	AnyReply = OnReply | CoreReply
)

// routeTypeNames is indexed by bit number.
var routeTypeNames = [...]string{
	"request_route", "failure_route", "onreply_route", "branch_route", "onsend_route",
	"reply_route", "event_route[tm:branch-failure]", "event_route", "event_route[tm:local-request]",
}

// Names returns the block names of the route types in t, in a fixed order.
func (t RouteType) Names() []string {
	var out []string
	for i, n := range routeTypeNames {
		if t&(1<<i) != 0 {
			out = append(out, n)
		}
	}
	return out
}

// String renders the set as "request_route|failure_route".
func (t RouteType) String() string {
	if t == 0 {
		return "none"
	}
	if t == Any {
		return "any route"
	}
	return strings.Join(t.Names(), "|")
}

// Allows reports whether a function declared for t may run in a block that
// runs as r: they must share at least one route type.
func (t RouteType) Allows(r RouteType) bool { return t&r != 0 }

// Event route names with a route type of their own.
const (
	branchFailurePrefix = "tm:branch-failure:"
	localRequestRoute   = "tm:local-request"
)

// OfRoute returns the route types a block of kind k named name runs as, for
// placement checks. route[X] returns Request: Kamailio checks its body as a
// request route; the checker refines that by following the call graph.
func OfRoute(k ast.RouteKind, name string) RouteType {
	switch k {
	case ast.RouteRequest, ast.RouteNamed:
		return Request
	case ast.RouteReply:
		return CoreReply
	case ast.RouteOnReply:
		return OnReply
	case ast.RouteFailure:
		return Failure
	case ast.RouteBranch:
		return Branch
	case ast.RouteOnSend:
		return OnSend
	case ast.RouteEvent:
		// Kamailio parses event routes as request routes, so functions
		// flagged for requests are accepted there.
		t := Event | Request
		switch {
		case strings.HasPrefix(name, branchFailurePrefix):
			t |= BranchFailure
		case name == localRequestRoute:
			t |= Local
		}
		return t
	}
	return 0
}

// RouteRef is the kind of route a route-name argument refers to.
type RouteRef int

// Route references.
const (
	RefRequest       RouteRef = iota // route[X], as in route(X)
	RefFailure                       // failure_route[X], as in t_on_failure("X")
	RefOnReply                       // onreply_route[X], as in t_on_reply("X")
	RefBranch                        // branch_route[X], as in t_on_branch("X")
	RefBranchFailure                 // event_route[tm:branch-failure:X], as in t_on_branch_failure("X")
)

// Block returns how the referenced block is written for the name: route[X],
// failure_route[X], event_route[tm:branch-failure:X].
func (r RouteRef) Block(name string) string {
	switch r {
	case RefFailure:
		return "failure_route[" + name + "]"
	case RefOnReply:
		return "onreply_route[" + name + "]"
	case RefBranch:
		return "branch_route[" + name + "]"
	case RefBranchFailure:
		return "event_route[" + branchFailurePrefix + name + "]"
	}
	return "route[" + name + "]"
}

// Kind returns the route kind and the block name a reference to name
// resolves to.
func (r RouteRef) Kind(name string) (ast.RouteKind, string) {
	switch r {
	case RefFailure:
		return ast.RouteFailure, name
	case RefOnReply:
		return ast.RouteOnReply, name
	case RefBranch:
		return ast.RouteBranch, name
	case RefBranchFailure:
		return ast.RouteEvent, branchFailurePrefix + name
	}
	return ast.RouteNamed, name
}
