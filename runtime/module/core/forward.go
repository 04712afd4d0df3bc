package core

import (
	"github.com/kamgo/kamgo/pv"
	"github.com/kamgo/kamgo/runtime/logging"
	"github.com/kamgo/kamgo/runtime/module"
)

// forwardExecs are the core's stateless sending functions. They need a
// running server (ExecContext.Core); without one they fail with -1.
func forwardExecs(m map[string]module.ExecFunc) {
	m["forward"] = forwardFunc(pv.ProtoNone)
	m["forward_udp"] = forwardFunc(pv.ProtoUDP)
	m["forward_tcp"] = forwardFunc(pv.ProtoTCP)
	m["force_send_socket"] = forceSendSocket
	m["set_advertised_address"] = setAdvertisedAddress
	m["set_advertised_port"] = setAdvertisedPort
}

// setAdvertisedAddress makes this message advertise host (in our Via and
// Record-Route) instead of the socket's address.
func setAdvertisedAddress(ctx module.ExecContext, args module.Args) int {
	ctx.State().AdvHost = args.Str(0)
	return 1
}

// setAdvertisedPort is setAdvertisedAddress for the port.
func setAdvertisedPort(ctx module.ExecContext, args module.Args) int {
	p, ok := args.Int(0)
	if !ok || p < 1 || p > 65535 {
		ctx.Logger().Logf(logging.LErr, "set_advertised_port: bad port %s", args.Str(0))
		return -1
	}
	ctx.State().AdvPort = int(p)
	return 1
}

// forwardFunc makes forward*(): no argument sends where $du (else the
// R-URI) points; forward(host[, port]) to that address. (send and send_tcp,
// which send the message as it is, come from corex in Kamailio 5.6.)
func forwardFunc(proto pv.Proto) module.ExecFunc {
	return func(ctx module.ExecContext, args module.Args) int {
		core := ctx.Core()
		st := ctx.State()
		if core == nil {
			ctx.Logger().Log(logging.LErr, "forward: no server is running")
			return -1
		}
		t := module.Target{Proto: proto}
		if args.Len() > 0 {
			t.Host = args.Str(0)
		}
		if args.Len() > 1 {
			p, ok := args.Int(1)
			if !ok || p < 0 || p > 65535 {
				ctx.Logger().Logf(logging.LErr, "forward: bad port %s", args.Str(1))
				return -1
			}
			t.Port = int(p)
		}
		if err := core.Forward(st, t); err != nil {
			ctx.Logger().Logf(logging.LErr, "%v", err)
			return -1
		}
		return 1
	}
}

// forceSendSocket makes later sends of this message leave from the named
// listen socket ($fs).
func forceSendSocket(ctx module.ExecContext, args module.Args) int {
	ctx.State().ForceSocket = args.Str(0)
	return 1
}
