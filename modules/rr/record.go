package rr

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"

	"github.com/kamgo/kamgo/pv"
	"github.com/kamgo/kamgo/runtime/logging"
	"github.com/kamgo/kamgo/runtime/module"
	"github.com/kamgo/kamgo/runtime/sip"
)

var (
	argFormat = module.Arg{Kind: module.ArgFormat}
	argRegex  = module.Arg{Kind: module.ArgRegex}
	argDir    = module.Arg{Kind: module.ArgString}
)

const recordRoutes = module.Request | module.Failure | module.Branch

func funcs() []module.Func {
	return []module.Func{
		{Name: "loose_route", Routes: module.Request, Exec: execLooseRoute},
		{Name: "loose_route_preloaded", Routes: module.Request, Exec: execLooseRoutePreloaded},
		{Name: "loose_route_mode", ArgCounts: []int{1}, Args: []module.Arg{{Kind: module.ArgAny}}, Routes: module.Request},
		{Name: "record_route", ArgCounts: []int{0, 1}, Args: []module.Arg{argFormat}, Routes: recordRoutes,
			Fixup: fixupState, Exec: execRecordRoute},
		{Name: "remove_record_route", Routes: module.Request | module.Failure, Exec: execRemoveRecordRoute},
		{Name: "record_route_preset", ArgCounts: []int{1, 2}, Args: []module.Arg{argFormat, argFormat}, Routes: recordRoutes,
			Fixup: fixupState, Exec: execRecordRoutePreset},
		{Name: "record_route_advertised_address", ArgCounts: []int{1}, Args: []module.Arg{argFormat}, Routes: recordRoutes,
			Fixup: fixupState, Exec: execRecordRouteAdvertised},
		{Name: "add_rr_param", ArgCounts: []int{1}, Args: []module.Arg{argFormat}, Routes: recordRoutes,
			Fixup: fixupState, Exec: execAddRRParam},
		{Name: "check_route_param", ArgCounts: []int{1}, Args: []module.Arg{argRegex}, Routes: module.Request,
			Fixup: fixupCheckRouteParam, Exec: execCheckRouteParam},
		{Name: "is_direction", ArgCounts: []int{1}, Args: []module.Arg{argDir}, Routes: module.Request,
			Fixup: fixupDirection, Exec: execIsDirection},
		{Name: "rr_next_hop_route", Routes: module.Any, Exec: execNextHopRoute},
	}
}

// fixupState hands the module state to a call through its first argument
// (or records it for a call without arguments, which the VM does not
// fix up: those use runtimeState).
func fixupState(host module.Host, args []module.FixedArg) error {
	s, ok := stateOf(host)
	if !ok {
		s = New()
	}
	if len(args) > 0 {
		args[0].Fixed = s
	}
	return nil
}

// stateArg returns the module state of a call: from its fixup, else from
// the running server.
func stateArg(ctx module.ExecContext, args module.Args) (*State, bool) {
	if len(args.Fixed) > 0 {
		if s, ok := args.Fixed[0].Fixed.(*State); ok && s != nil {
			return s, true
		}
	}
	return runtimeState(ctx)
}

// request returns the message state of a request, or nil.
func request(ctx module.ExecContext) *pv.State {
	st := ctx.State()
	if st == nil || st.Msg == nil || !st.Msg.IsRequest() {
		return nil
	}
	return st
}

// beginRecord starts a Record-Route of kind k; false when one was
// already asked for (Kamailio refuses a second one, even after
// remove_record_route).
func (s *State) beginRecord(ctx module.ExecContext, st *pv.State, k rrKind) (*msgState, bool) {
	ms := msgOf(st, true)
	if ms.recorded {
		ctx.Logger().Log(logging.LErr, "rr: double attempt to record-route")
		return nil, false
	}
	m := st.Msg
	ms.recorded = true
	st.CoreFlags |= pv.FlagRRAdded
	ms.kind = k
	ms.scheme = "sip"
	ru, err := m.ParsedRequestURI()
	if err == nil && ru.Scheme == sip.SchemeSIPS && !s.IgnoreSIPS {
		ms.scheme = "sips"
	}
	ms.user = ""
	if s.AddUsername {
		if s.CustomUser != nil && st.AVPs != nil {
			if v, ok := st.AVPs.Get(*s.CustomUser, 0); ok && !v.IsNull() && v.Text() != "" {
				ms.user = v.Text()
			}
		}
		if ms.user == "" && err == nil {
			ms.user = string(ru.User)
		}
	}
	ms.ftag = ""
	if s.AppendFromTag {
		if from, err := m.From(); err == nil {
			ms.ftag = string(from.Tag)
		}
	}
	return ms, true
}

// validParams checks a parameter string given to record_route or
// add_rr_param: it must not break the header.
func validParams(p string) bool {
	return !strings.ContainsAny(p, "\r\n<>,")
}

func execRecordRoute(ctx module.ExecContext, args module.Args) int {
	s, ok := stateArg(ctx, args)
	st := request(ctx)
	if !ok || st == nil {
		ctx.Logger().Log(logging.LErr, "record_route: not a request or rr not loaded")
		return -1
	}
	params := ""
	if args.Len() > 0 {
		params = args.Str(0)
		if !validParams(params) {
			ctx.Logger().Logf(logging.LErr, "record_route: bad parameters %q", params)
			return -1
		}
	}
	ms, ok := s.beginRecord(ctx, st, rrLocal)
	if !ok {
		return -1
	}
	ms.params = params
	return 1
}

func execRecordRoutePreset(ctx module.ExecContext, args module.Args) int {
	s, ok := stateArg(ctx, args)
	st := request(ctx)
	if !ok || st == nil {
		ctx.Logger().Log(logging.LErr, "record_route_preset: not a request or rr not loaded")
		return -1
	}
	if args.Len() > 1 && s.DoubleRR == 0 {
		ctx.Logger().Log(logging.LErr, "record_route_preset: two Record-Routes asked while enable_double_rr is 0")
		return -1
	}
	var preset [2]string
	for i := 0; i < args.Len() && i < 2; i++ {
		preset[i] = args.Str(i)
		if preset[i] == "" || !validParams(preset[i]) {
			ctx.Logger().Logf(logging.LErr, "record_route_preset: bad address %q", preset[i])
			return -1
		}
	}
	ms, ok := s.beginRecord(ctx, st, rrPreset)
	if !ok {
		return -1
	}
	ms.preset, ms.nPreset = preset, min(args.Len(), 2)
	return 1
}

func execRecordRouteAdvertised(ctx module.ExecContext, args module.Args) int {
	s, ok := stateArg(ctx, args)
	st := request(ctx)
	if !ok || st == nil {
		ctx.Logger().Log(logging.LErr, "record_route_advertised_address: not a request or rr not loaded")
		return -1
	}
	addr := args.Str(0)
	if addr == "" || !validParams(addr) {
		ctx.Logger().Logf(logging.LErr, "record_route_advertised_address: bad address %q", addr)
		return -1
	}
	ms, ok := s.beginRecord(ctx, st, rrAdvertised)
	if !ok {
		return -1
	}
	ms.addr = addr
	return 1
}

func execRemoveRecordRoute(ctx module.ExecContext, _ module.Args) int {
	st := request(ctx)
	if st == nil {
		return -1
	}
	if ms := msgOf(st, false); ms != nil {
		ms.kind = rrNone
	}
	return 1
}

func execAddRRParam(ctx module.ExecContext, args module.Args) int {
	st := request(ctx)
	if st == nil {
		return -1
	}
	p := args.Str(0)
	if !validParams(p) {
		ctx.Logger().Logf(logging.LErr, "add_rr_param: bad parameter %q", p)
		return -1
	}
	ms := msgOf(st, true)
	ms.added += p
	return 1
}

// BeforeSend implements module.OutboundHook: it adds the Record-Route
// headers asked for, now that the outgoing socket is known.
func (s *State) BeforeSend(st *pv.State, out module.Outbound) error {
	if st == nil || st.Msg == nil || !st.Msg.IsRequest() {
		return nil
	}
	ms := msgOf(st, false)
	if ms == nil || ms.kind == rrNone {
		return nil
	}
	var b1, b2 strings.Builder
	uris := s.build(st, ms, out, &b1, &b2)
	if len(uris) == 0 {
		return nil
	}
	if err := st.Msg.PushRecordRoutesFirst(uris...); err != nil {
		return fmt.Errorf("rr: adding Record-Route: %w", err)
	}
	return nil
}

// side is one end of the proxy: an address, a port and a transport.
type side struct {
	host  string
	port  int
	proto pv.Proto
}

// recvSide is the socket the request came in on, as it advertises itself.
func recvSide(st *pv.State) side {
	r := st.Recv
	sd := side{host: r.AdvHost, port: r.AdvPort, proto: r.Proto}
	if sd.host == "" {
		sd.host = hostText(r.Dst.Addr())
	}
	if sd.port == 0 {
		sd.port = int(r.Dst.Port())
	}
	return sd
}

func hostText(a netip.Addr) string {
	if !a.IsValid() {
		return ""
	}
	a = a.Unmap()
	if a.Is6() {
		return "[" + a.String() + "]"
	}
	return a.String()
}

func transportName(p pv.Proto) string {
	return strings.ToLower(p.String())
}

// build returns the Record-Route URIs for the message, top first.
func (s *State) build(st *pv.State, ms *msgState, out module.Outbound, b1, b2 *strings.Builder) []string {
	snd := side{host: out.Host, port: out.Port, proto: out.Proto}
	rcv := recvSide(st)
	// Kamailio's "different realms": another address, port or transport
	// (udp:IP:P and tcp:IP:P are two sockets).
	sameRealm := snd.host == rcv.host && snd.port == rcv.port && snd.proto == rcv.proto
	lr := ";lr"
	if s.FullLR {
		lr = ";lr=on"
	}
	ftag := ""
	if ms.ftag != "" {
		ftag = ";ftag=" + ms.ftag
	}
	start := func(b *strings.Builder, addr string) {
		b.WriteString(ms.scheme)
		b.WriteByte(':')
		if ms.user != "" {
			b.WriteString(ms.user)
			b.WriteByte('@')
		}
		b.WriteString(addr)
	}
	switch ms.kind {
	case rrLocal:
		// Our own address: "host:port[;transport=x][;r2=on];lr;ftag=…params".
		local := func(b *strings.Builder, sd side, r2 bool) string {
			start(b, sd.host+":"+strconv.Itoa(sd.port))
			if sd.proto != pv.ProtoUDP && sd.proto != pv.ProtoNone {
				b.WriteString(";transport=")
				b.WriteString(transportName(sd.proto))
			}
			if r2 {
				b.WriteString(";r2=on")
			}
			b.WriteString(lr)
			b.WriteString(ftag)
			b.WriteString(ms.params)
			b.WriteString(ms.added)
			return b.String()
		}
		switch {
		case s.DoubleRR == 0:
			return []string{local(b1, rcv, false)}
		case s.DoubleRR == 1 && sameRealm:
			return []string{local(b1, snd, false)}
		}
		return []string{local(b1, snd, true), local(b2, rcv, true)}
	case rrAdvertised:
		adv := func(b *strings.Builder, proto pv.Proto, r2 bool) string {
			start(b, ms.addr)
			if proto != pv.ProtoNone {
				b.WriteString(";transport=")
				b.WriteString(transportName(proto))
			}
			if r2 {
				b.WriteString(";r2=on")
			}
			b.WriteString(ftag)
			b.WriteString(lr)
			b.WriteString(ms.params)
			b.WriteString(ms.added)
			return b.String()
		}
		switch {
		case s.DoubleRR == 0:
			return []string{adv(b1, rcv.proto, false)}
		case s.DoubleRR == 1 && sameRealm:
			return []string{adv(b1, pv.ProtoNone, false)}
		}
		return []string{adv(b1, snd.proto, true), adv(b2, rcv.proto, true)}
	case rrPreset:
		preset := func(b *strings.Builder, addr string) string {
			start(b, addr)
			b.WriteString(ftag)
			b.WriteString(lr)
			b.WriteString(ms.params)
			b.WriteString(ms.added)
			return b.String()
		}
		uris := []string{preset(b1, ms.preset[0])}
		if ms.nPreset > 1 {
			uris = append(uris, preset(b2, ms.preset[1]))
		}
		return uris
	}
	return nil
}
