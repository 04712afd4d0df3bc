package rr

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/kamgo/kamgo/lang/posixre"
	"github.com/kamgo/kamgo/pv"
	"github.com/kamgo/kamgo/runtime/logging"
	"github.com/kamgo/kamgo/runtime/module"
	"github.com/kamgo/kamgo/runtime/sip"
)

// Return codes of loose_route.
const (
	lrRouted    = 1
	lrNoRoute   = -1
	lrPreloaded = -3 // an initial request whose only Route was ours
)

func execLooseRoute(ctx module.ExecContext, args module.Args) int {
	s, ok := stateArg(ctx, args)
	if !ok {
		ctx.Logger().Log(logging.LErr, "loose_route: the rr module's state is not reachable")
		return -1
	}
	return s.looseRoute(ctx)
}

// execLooseRoutePreloaded is loose_route_preloaded: true only when
// loose_route finds a preloaded Route set that ends with us.
func execLooseRoutePreloaded(ctx module.ExecContext, args module.Args) int {
	s, ok := stateArg(ctx, args)
	if !ok {
		ctx.Logger().Log(logging.LErr, "loose_route_preloaded: the rr module's state is not reachable")
		return -1
	}
	if s.looseRoute(ctx) == lrPreloaded {
		return 1
	}
	return -1
}

// myself reports whether a SIP URI names this server (its port, or the
// scheme's default).
func myself(core module.Core, u *sip.URI) bool {
	if u.Scheme != sip.SchemeSIP && u.Scheme != sip.SchemeSIPS {
		return false
	}
	host, port := u.HostPort()
	h := string(host)
	if len(h) > 1 && h[0] == '[' && h[len(h)-1] == ']' {
		h = h[1 : len(h)-1]
	}
	return core.Myself(h, int(port))
}

// looseRoute routes a request by its Route set (RFC 3261 §16.4, §16.12).
func (s *State) looseRoute(ctx module.ExecContext) int {
	log := ctx.Logger()
	st := request(ctx)
	if st == nil {
		return -1
	}
	core := ctx.Core()
	if core == nil {
		log.Log(logging.LErr, "loose_route: no server is running (cannot tell which addresses are ours)")
		return -1
	}
	m := st.Msg
	routes, err := m.Routes()
	if err != nil {
		log.Logf(logging.LErr, "loose_route: bad Route header: %v", err)
		return -1
	}
	if len(routes) == 0 {
		return lrNoRoute
	}
	ms := msgOf(st, true)
	ru, err := m.ParsedRequestURI()
	if err == nil && myself(core, ru) {
		return s.afterStrict(ctx, st, ms, routes, ru)
	}
	return s.afterLoose(ctx, st, ms, routes)
}

// afterStrict handles a request whose R-URI is ours: the previous hop was
// a strict router, which put our Record-Route URI in the R-URI and the
// remote target in the last Route.
func (s *State) afterStrict(ctx module.ExecContext, st *pv.State, ms *msgState, routes []sip.NameAddr, ru *sip.URI) int {
	log := ctx.Logger()
	m := st.Msg
	ms.routed = true
	ms.routeParams = string(ru.Params)
	first, err := routes[0].ParsedURI()
	if err != nil {
		log.Logf(logging.LErr, "loose_route: bad Route URI %q: %v", routes[0].URI, err)
		return -1
	}
	if first.LR {
		// The next hop is a loose router: the remote target goes back to
		// the R-URI and the request goes to the first Route.
		last := routes[len(routes)-1].URI
		target := st.AppendString(last)
		if err := m.RemoveRouteValues(len(routes)-1, 1); err != nil {
			log.Logf(logging.LErr, "loose_route: removing the last Route: %v", err)
			return -1
		}
		if err := m.SetRequestURI(target); err != nil {
			log.Logf(logging.LErr, "loose_route: setting the R-URI: %v", err)
			return -1
		}
		st.DstURI = st.AppendString(routes[0].URI)
		return lrRouted
	}
	next := st.AppendString(routes[0].URI)
	if err := m.RemoveRouteValues(0, 1); err != nil {
		log.Logf(logging.LErr, "loose_route: removing the first Route: %v", err)
		return -1
	}
	if err := m.SetRequestURI(next); err != nil {
		log.Logf(logging.LErr, "loose_route: setting the R-URI: %v", err)
		return -1
	}
	return lrRouted
}

// afterLoose handles the usual case: the R-URI is the remote target and
// the first Route is ours (removed) or the next hop's.
func (s *State) afterLoose(ctx module.ExecContext, st *pv.State, ms *msgState, routes []sip.NameAddr) int {
	log := ctx.Logger()
	m := st.Msg
	core := ctx.Core()
	first, err := routes[0].ParsedURI()
	if err != nil {
		log.Logf(logging.LErr, "loose_route: bad Route URI %q: %v", routes[0].URI, err)
		return -1
	}
	n := 0 // Route values that are ours
	if myself(core, &first) {
		ms.routed = true
		ms.routeParams = string(first.Params)
		n = 1
		if _, r2 := first.Params.Get("r2"); r2 && len(routes) > 1 {
			// Double Record-Route: the second entry is ours too, the
			// address on the side of the next hop.
			if second, err := routes[1].ParsedURI(); err == nil {
				s.forceSocket(ctx, st, &second)
			}
			n = 2
		} else if s.ForceSendSocket {
			s.forceSocket(ctx, st, &first)
		}
		if len(routes) == n {
			if err := m.RemoveRouteValues(0, n); err != nil {
				log.Logf(logging.LErr, "loose_route: removing our Route: %v", err)
				return -1
			}
			if preloaded(m) {
				return lrPreloaded
			}
			return lrRouted
		}
		ms.nextHopRoute = true
	}
	next := &routes[n]
	nu := first
	if n > 0 {
		if nu, err = next.ParsedURI(); err != nil {
			log.Logf(logging.LErr, "loose_route: bad Route URI %q: %v", next.URI, err)
			return -1
		}
	}
	if nu.LR {
		if n > 0 {
			if err := m.RemoveRouteValues(0, n); err != nil {
				log.Logf(logging.LErr, "loose_route: removing our Route: %v", err)
				return -1
			}
		}
		st.DstURI = st.AppendString(next.URI)
		return lrRouted
	}
	// The next hop is a strict router: it gets the request with its URI
	// as the R-URI, and the R-URI goes to the end of the Route set.
	old := string(m.RequestURI())
	target := st.AppendString(next.URI)
	if len(nu.Maddr) > 0 {
		target = "sip:" + string(nu.Maddr)
		if nu.HasPort {
			target += ":" + strconv.Itoa(int(nu.Port))
		}
	}
	// Ours and the strict router's go in one edit: removals of
	// neighbouring values of one header must not overlap.
	if err := m.RemoveRouteValues(0, n+1); err != nil {
		log.Logf(logging.LErr, "loose_route: removing the strict router's Route: %v", err)
		return -1
	}
	if err := m.AppendHeader("Route", "<"+old+">"); err != nil {
		log.Logf(logging.LErr, "loose_route: appending the R-URI as a Route: %v", err)
		return -1
	}
	if err := m.SetRequestURI(target); err != nil {
		log.Logf(logging.LErr, "loose_route: setting the R-URI: %v", err)
		return -1
	}
	return lrRouted
}

// preloaded reports whether a request is outside a dialog (no To tag):
// its Route set was preloaded by the UA.
func preloaded(m *sip.Message) bool {
	to, err := m.To()
	return err != nil || len(to.Tag) == 0
}

// forceSocket sends the request from the socket a Route URI of ours
// names, when that socket exists.
func (s *State) forceSocket(ctx module.ExecContext, st *pv.State, u *sip.URI) {
	host, port := u.HostPort()
	h := string(host)
	if len(h) > 1 && h[0] == '[' {
		h = h[1 : len(h)-1]
	}
	proto := "udp"
	if len(u.Transport) > 0 {
		proto = strings.ToLower(string(u.Transport))
	}
	if !ctx.Core().Myself(h, int(port)) {
		ctx.Logger().Logf(logging.LWarn, "rr: no socket found to match the Route %s", u.Host)
		return
	}
	st.ForceSocket = st.AppendString([]byte(proto + ":" + string(host) + ":" + strconv.Itoa(int(port))))
}

// routeParams returns the parameters of the local Route URI (";lr;ftag=…"):
// the one loose_route found, else those of the first Route, which is
// what Kamailio looks at when loose_route did not run.
func routeParams(st *pv.State) (string, bool) {
	if ms := msgOf(st, false); ms != nil && ms.routed {
		return ms.routeParams, true
	}
	routes, err := st.Msg.Routes()
	if err != nil || len(routes) == 0 {
		return "", false
	}
	u, err := routes[0].ParsedURI()
	if err != nil {
		return "", false
	}
	return string(u.Params), true
}

// routeCall is check_route_param's fixed-up regex.
type routeCall struct {
	re *regexp.Regexp
}

func fixupCheckRouteParam(_ module.Host, args []module.FixedArg) error {
	a := &args[0]
	if !a.Const {
		return fmt.Errorf("check_route_param takes a constant regular expression")
	}
	re, err := posixre.Compile(a.Str, posixre.ICase)
	if err != nil {
		return fmt.Errorf("check_route_param: bad regular expression %q: %w", a.Str, err)
	}
	a.Fixed = &routeCall{re: re}
	return nil
}

func execCheckRouteParam(ctx module.ExecContext, args module.Args) int {
	st := request(ctx)
	c, _ := args.Fixed[0].Fixed.(*routeCall)
	if st == nil || c == nil {
		return -1
	}
	params, ok := routeParams(st)
	if !ok {
		return -1
	}
	if c.re.MatchString(params) {
		return 1
	}
	return -1
}

// Flow directions of is_direction.
const (
	dirDownstream = 1
	dirUpstream   = 2
)

func fixupDirection(_ module.Host, args []module.FixedArg) error {
	a := &args[0]
	if !a.Const {
		return fmt.Errorf("is_direction takes \"downstream\" or \"upstream\"")
	}
	switch strings.ToLower(a.Str) {
	case "downstream":
		a.Fixed = dirDownstream
	case "upstream":
		a.Fixed = dirUpstream
	default:
		return fmt.Errorf("is_direction: unknown direction %q (downstream or upstream)", a.Str)
	}
	return nil
}

func execIsDirection(ctx module.ExecContext, args module.Args) int {
	st := request(ctx)
	want, _ := args.Fixed[0].Fixed.(int)
	if st == nil || want == 0 {
		return -1
	}
	dir := dirDownstream
	if p, ok := routeParams(st); ok {
		if ftag, ok := sip.Params(p).Get("ftag"); ok && len(ftag) > 0 {
			from, err := st.Msg.From()
			if err != nil || string(from.Tag) != string(ftag) {
				dir = dirUpstream
			}
		}
	}
	if dir == want {
		return 1
	}
	return -1
}

func execNextHopRoute(ctx module.ExecContext, _ module.Args) int {
	st := ctx.State()
	if st == nil {
		return -1
	}
	if ms := msgOf(st, false); ms != nil && ms.nextHopRoute {
		return 1
	}
	return -1
}
