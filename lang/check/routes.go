package check

import (
	"fmt"
	"strings"

	"github.com/kamgo/kamgo/lang/ast"
	"github.com/kamgo/kamgo/lang/diag"
	"github.com/kamgo/kamgo/lang/token"
	"github.com/kamgo/kamgo/runtime/module"
)

type routeKey struct {
	kind ast.RouteKind
	name string
}

// routeInfo is one route (for request_route: all its blocks together).
type routeInfo struct {
	key    routeKey
	blocks []*ast.Route
	// calls are the static route(X) calls in the route's body.
	calls []routeCall
	// uses are the function calls whose placement depends on the route
	// type, checked once the call graph is known.
	uses []funcUse
	// reach lists how the route is reached: for a top-level route its own
	// type, for route[X] one entry per route type it is called from.
	reach []reach
	// referenced is set once a route(), t_on_* or string names it.
	referenced bool
}

type routeCall struct {
	target string
	pos    token.Pos
}

// reach is one route type a route runs as, and the chain of route(X) calls
// that leads there from a top-level route (empty for the route itself).
type reach struct {
	types module.RouteType
	root  *routeInfo
	chain *hop // the last call of the chain; nil for the route itself
}

// hop is "route[X] is called from <from> at pos", linked to the hop that
// reached <from>, so that chains share their prefixes.
type hop struct {
	from *routeInfo
	pos  token.Pos
	prev *hop
}

type funcUse struct {
	call  *ast.Call
	cands []*module.Func
	core  bool
}

// ref is a route reference found in a function argument.
type ref struct {
	kind    module.RouteRef
	name    string
	written string // the argument as written: X or "X"
	pos     token.Pos
	fn      string
}

// label renders the route as written: request_route, route[X],
// event_route[tm:branch-failure:X].
func (r *routeInfo) label() string {
	switch r.key.kind {
	case ast.RouteRequest, ast.RouteReply, ast.RouteOnSend:
		return r.key.kind.String()
	}
	return fmt.Sprintf("%s[%s]", r.key.kind, r.key.name)
}

func (r *routeInfo) pos() token.Pos {
	b := r.blocks[0]
	if b.NamePos.Line > 0 {
		return b.NamePos
	}
	return b.Pos
}

func (c *checker) routeBlocks(items []ast.Item) {
	for _, it := range items {
		r, ok := it.(*ast.Route)
		if !ok {
			continue
		}
		key := routeKey{kind: r.Kind, name: r.Name}
		switch r.Kind {
		case ast.RouteRequest, ast.RouteReply, ast.RouteOnSend:
			// Blocks of the main routes are concatenated in file order.
			key.name = ""
		}
		if ri, dup := c.routes[key]; dup {
			if key.name == "" {
				ri.blocks = append(ri.blocks, r)
				continue
			}
			pos := r.NamePos
			if pos.Line == 0 {
				pos = r.Pos
			}
			c.diags.Add(pos, "duplicate %s: %s is already defined at %s; rename one", ri.label(), ri.label(), diag.FormatPos(ri.pos()))
			continue
		}
		ri := &routeInfo{key: key, blocks: []*ast.Route{r}}
		c.routes[key] = ri
		c.blocks = append(c.blocks, ri)
	}
}

// walkRoutes checks every route body and collects calls and references.
func (c *checker) walkRoutes() {
	for _, ri := range c.blocks {
		for _, b := range ri.blocks {
			w := &walker{c: c, route: ri, kind: b.Kind}
			if b.Body != nil {
				w.block(b.Body.Stmts)
			}
		}
	}
}

// lookupRef returns the route a reference names.
func (c *checker) lookupRef(kind module.RouteRef, name string) (*routeInfo, bool) {
	k, n := kind.Kind(name)
	if kind == module.RefRequest && (name == "0" || name == "") {
		ri, ok := c.routes[routeKey{kind: ast.RouteRequest}]
		return ri, ok
	}
	ri, ok := c.routes[routeKey{kind: k, name: n}]
	return ri, ok
}

// addRef resolves one reference from a function argument.
func (c *checker) addRef(from *routeInfo, rf ref) {
	target, ok := c.lookupRef(rf.kind, rf.name)
	if ok {
		target.referenced = true
		if rf.kind == module.RefRequest && target.key.kind == ast.RouteNamed {
			from.calls = append(from.calls, routeCall{target: rf.name, pos: rf.pos})
		}
		return
	}
	msg := fmt.Sprintf("%s(%s) names %s, which is not defined", rf.fn, rf.written, rf.kind.Block(rf.name))
	if other := c.otherKinds(rf.name, rf.kind); other != "" {
		msg += fmt.Sprintf(" (there is a %s, but %s needs %s)", other, rf.fn, rf.kind.Block(rf.name))
	} else {
		msg += fmt.Sprintf("; add %s { … }", rf.kind.Block(rf.name))
	}
	if rf.kind == module.RefRequest {
		c.diags.Add(rf.pos, "%s", msg)
		return
	}
	// tm only warns at startup about a missing armed route.
	c.softError(rf.pos, "%s", msg)
}

func (c *checker) otherKinds(name string, want module.RouteRef) string {
	for _, k := range []module.RouteRef{module.RefRequest, module.RefFailure, module.RefOnReply, module.RefBranch, module.RefBranchFailure} {
		if k == want {
			continue
		}
		if _, ok := c.lookupRef(k, name); ok && name != "" && name != "0" {
			return k.Block(name)
		}
	}
	return ""
}

// resolveRefs computes, for every route, the route types it runs as.
func (c *checker) resolveRefs() {
	for _, ri := range c.blocks {
		if ri.key.kind == ast.RouteNamed {
			continue
		}
		ri.reach = []reach{{types: module.OfRoute(ri.key.kind, ri.key.name), root: ri}}
		// Breadth first through route(X) calls; one chain per (route,
		// type) is enough to explain a misplaced call.
		type item struct {
			ri    *routeInfo
			chain *hop
		}
		rt := module.OfRoute(ri.key.kind, ri.key.name)
		seen := map[*routeInfo]bool{ri: true}
		queue := []item{{ri: ri}}
		for len(queue) > 0 {
			it := queue[0]
			queue = queue[1:]
			for _, call := range it.ri.calls {
				target := c.routes[routeKey{kind: ast.RouteNamed, name: call.target}]
				if target == nil || seen[target] {
					continue
				}
				seen[target] = true
				chain := &hop{from: it.ri, pos: call.pos, prev: it.chain}
				if !hasReach(target.reach, rt) {
					target.reach = append(target.reach, reach{types: rt, root: ri, chain: chain})
				}
				queue = append(queue, item{ri: target, chain: chain})
			}
		}
	}
	for _, ri := range c.blocks {
		if len(ri.reach) == 0 {
			// Not reached from anywhere: Kamailio checks it as a request route.
			ri.reach = []reach{{types: module.Request, root: ri}}
		}
	}
}

func hasReach(rs []reach, t module.RouteType) bool {
	for _, r := range rs {
		if r.types == t {
			return true
		}
	}
	return false
}

// placement reports functions used where their route types forbid.
func (c *checker) placement() {
	for _, ri := range c.blocks {
		for _, u := range ri.uses {
			for _, r := range ri.reach {
				if allowed(u.cands, r.types) {
					continue
				}
				c.misplaced(u, ri, r)
				break
			}
		}
	}
}

func allowed(cands []*module.Func, t module.RouteType) bool {
	for _, f := range cands {
		if f.Routes.Allows(t) {
			return true
		}
	}
	return false
}

func (c *checker) misplaced(u funcUse, ri *routeInfo, r reach) {
	var mask module.RouteType
	for _, f := range u.cands {
		mask |= f.Routes
	}
	name := u.call.Name
	where := placeName(r)
	if r.chain == nil {
		msg := fmt.Sprintf("%s cannot be used in %s", name, r.root.label())
		if u.core && r.root.key.kind == ast.RouteOnSend {
			msg += "; the core functions allowed there are log, setflag, resetflag, isflagset, set_forward_no_connect, set_reply_no_connect, set_forward_close and set_reply_close"
		} else {
			msg += "; it may be used in " + joinAnd(mask.Names())
		}
		c.diags.Add(u.call.Pos, "%s", msg)
		return
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s cannot be used in %s: ", name, where)
	cur := ri
	for h := r.chain; h != nil; h = h.prev {
		if h == r.chain {
			fmt.Fprintf(&b, "%s is called from %s at %s", cur.label(), h.from.label(), diag.FormatPos(h.pos))
		} else {
			fmt.Fprintf(&b, ", which is called from %s at %s", h.from.label(), diag.FormatPos(h.pos))
		}
		cur = h.from
	}
	// A warning, not an error: the check does not follow conditions, and
	// real configs guard such calls (Debian's route[NATMANAGE] calls
	// add_rr_param only under is_request(), yet onreply_route reaches it).
	// Kamailio checks direct uses only.
	c.diags.Warn(u.call.Pos, "%s", b.String())
}

func placeName(r reach) string {
	switch r.root.key.kind {
	case ast.RouteEvent:
		return r.root.label()
	}
	return r.root.key.kind.String()
}

func joinAnd(list []string) string {
	switch len(list) {
	case 0:
		return "no route"
	case 1:
		return list[0]
	}
	return strings.Join(list[:len(list)-1], ", ") + " and " + list[len(list)-1]
}

// unusedRoutes warns about named routes nothing refers to.
func (c *checker) unusedRoutes() {
	for _, ri := range c.blocks {
		if ri.referenced || c.dynamic[ri.key.kind] || c.strLits[ri.key.name] || c.namedInParams(ri.key.name) {
			continue
		}
		var how string
		switch ri.key.kind {
		case ast.RouteNamed:
			how = fmt.Sprintf("no route(%s) calls it", ri.key.name)
		case ast.RouteFailure:
			how = fmt.Sprintf("no t_on_failure(\"%s\") arms it", ri.key.name)
		case ast.RouteBranch:
			how = fmt.Sprintf("no t_on_branch(\"%s\") arms it", ri.key.name)
		case ast.RouteOnReply:
			how = fmt.Sprintf("no t_on_reply(\"%s\") arms it", ri.key.name)
		default:
			continue
		}
		c.diags.Warn(ri.pos(), "%s is never used: %s", ri.label(), how)
	}
}

func (c *checker) namedInParams(name string) bool {
	for _, s := range c.paramStrs {
		if strings.Contains(s, name) {
			return true
		}
	}
	return false
}
