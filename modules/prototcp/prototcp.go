// Package prototcp is the proto_tcp module of OpenSIPS as kamgo offers it:
// its modparams tune the TCP transport in OpenSIPS' terms and units
// (milliseconds, messages, chunks) on top of Kamailio's tcp_* core
// parameters. Only the parameters a config sets override the core's
// values; the core reads them through ApplyTCP and TCPPort when the module
// is loaded. The module has no script functions.
package prototcp

import (
	"fmt"
	"time"

	"github.com/kamgo/kamgo/runtime/module"
	"github.com/kamgo/kamgo/runtime/transport"
)

// Name is the module name.
const Name = "proto_tcp"

// Defaults of the parameters (OpenSIPS 3.x).
const (
	DefaultPort                = 5060
	DefaultSendTimeout         = 100 * time.Millisecond
	DefaultMaxMsgChunks        = 4
	DefaultMaxPostponedChunks  = 32
	DefaultLocalConnectTimeout = 100 * time.Millisecond
	DefaultLocalWriteTimeout   = 10 * time.Millisecond
)

const tracingUnsupported = "TCP tracing (HEP) comes in a later kamgo release"

// setting is one parameter a config may set, by bit.
type setting uint16

const (
	setPort setting = 1 << iota
	setSendTimeout
	setMaxMsgChunks
	setCRLFPingPong
	setCRLFDrop
	setAsync
	setMaxPostponed
	setLocalConnectTimeout
	setLocalWriteTimeout
	setParallel
)

// State holds the parameter values and which of them the config set.
type State struct {
	Port                int
	SendTimeout         time.Duration
	MaxMsgChunks        int
	CRLFPingPong        bool
	CRLFDrop            bool
	Async               bool
	MaxPostponedChunks  int
	LocalConnectTimeout time.Duration
	LocalWriteTimeout   time.Duration
	ParallelHandling    bool

	set setting
}

// New returns the state with OpenSIPS' defaults, none of them set.
func New() *State {
	return &State{
		Port:                DefaultPort,
		SendTimeout:         DefaultSendTimeout,
		MaxMsgChunks:        DefaultMaxMsgChunks,
		CRLFPingPong:        true,
		Async:               true,
		MaxPostponedChunks:  DefaultMaxPostponedChunks,
		LocalConnectTimeout: DefaultLocalConnectTimeout,
		LocalWriteTimeout:   DefaultLocalWriteTimeout,
	}
}

// ApplyTCP overrides in o the settings the config gave proto_tcp
// parameters for, leaving the others as the core parameters made them.
func (s *State) ApplyTCP(o *transport.TCPOptions) {
	if s.set&setSendTimeout != 0 {
		o.SendTimeout = s.SendTimeout
	}
	if s.set&setMaxMsgChunks != 0 {
		o.MaxMsgChunks = s.MaxMsgChunks
	}
	if s.set&setCRLFPingPong != 0 {
		o.CRLFPing = s.CRLFPingPong
	}
	if s.set&setCRLFDrop != 0 {
		o.CRLFDrop = s.CRLFDrop
	}
	if s.set&setAsync != 0 {
		o.Async = s.Async
	}
	if s.set&setMaxPostponed != 0 {
		o.MaxQueued = s.MaxPostponedChunks
	}
	if s.set&setLocalConnectTimeout != 0 {
		o.LocalConnectTimeout = s.LocalConnectTimeout
	}
	if s.set&setLocalWriteTimeout != 0 {
		o.LocalWriteTimeout = s.LocalWriteTimeout
	}
	if s.set&setParallel != 0 {
		o.ParallelHandling = s.ParallelHandling
	}
}

// TCPPort returns tcp_port, the default port of TCP listeners and of TCP
// destinations without one; set is false when the config left it alone.
func (s *State) TCPPort() (port int, set bool) {
	return s.Port, s.set&setPort != 0
}

func stateOf(host module.Host) (*State, error) { return module.ParamState[*State](host, Name) }

// intParam declares an integer parameter: min is its smallest valid value,
// store records it.
func intParam(name string, def, min, max int64, bit setting, store func(*State, int64)) module.Param {
	return module.Param{Name: name, Kind: module.ParamInt, Default: module.ParamValue{IsInt: true, Int: def},
		Apply: func(host module.Host, v module.ParamValue) error {
			s, err := stateOf(host)
			if err != nil {
				return err
			}
			if !v.IsInt {
				return fmt.Errorf("%s takes an integer, got %q", name, v.Str)
			}
			if v.Int < min || v.Int > max {
				return fmt.Errorf("%s must be between %d and %d, got %d", name, min, max, v.Int)
			}
			store(s, v.Int)
			s.set |= bit
			return nil
		}}
}

// maxMillis keeps a millisecond value within what time.Duration holds, with
// room to spare: a day.
const maxMillis = 24 * 60 * 60 * 1000

func ms(v int64) time.Duration { return time.Duration(v) * time.Millisecond }

func init() {
	module.MustRegister(&module.Module{
		Name: Name,
		New:  func() any { return New() },
		Params: []module.Param{
			intParam("tcp_port", DefaultPort, 1, 65535, setPort, func(s *State, v int64) { s.Port = int(v) }),
			// Timeouts of 0 are refused: the transport would read 0 as
			// "use the default" and silently ignore the setting.
			intParam("tcp_send_timeout", DefaultSendTimeout.Milliseconds(), 1, maxMillis, setSendTimeout,
				func(s *State, v int64) { s.SendTimeout = ms(v) }),
			// 0 turns the fragmentation limit off.
			intParam("tcp_max_msg_chunks", DefaultMaxMsgChunks, 0, 1<<20, setMaxMsgChunks,
				func(s *State, v int64) { s.MaxMsgChunks = int(v) }),
			intParam("tcp_crlf_pingpong", 1, 0, 1<<31-1, setCRLFPingPong, func(s *State, v int64) { s.CRLFPingPong = v != 0 }),
			intParam("tcp_crlf_drop", 0, 0, 1<<31-1, setCRLFDrop, func(s *State, v int64) { s.CRLFDrop = v != 0 }),
			intParam("tcp_async", 1, 0, 1<<31-1, setAsync, func(s *State, v int64) { s.Async = v != 0 }),
			intParam("tcp_async_max_postponed_chunks", DefaultMaxPostponedChunks, 1, 1<<20, setMaxPostponed,
				func(s *State, v int64) { s.MaxPostponedChunks = int(v) }),
			intParam("tcp_async_local_connect_timeout", DefaultLocalConnectTimeout.Milliseconds(), 1, maxMillis, setLocalConnectTimeout,
				func(s *State, v int64) { s.LocalConnectTimeout = ms(v) }),
			intParam("tcp_async_local_write_timeout", DefaultLocalWriteTimeout.Milliseconds(), 1, maxMillis, setLocalWriteTimeout,
				func(s *State, v int64) { s.LocalWriteTimeout = ms(v) }),
			intParam("tcp_parallel_handling", 0, 0, 1<<31-1, setParallel, func(s *State, v int64) { s.ParallelHandling = v != 0 }),
			{Name: "trace_destination", Kind: module.ParamString, Unsupported: tracingUnsupported},
			{Name: "trace_on", Kind: module.ParamInt, Unsupported: tracingUnsupported},
			{Name: "trace_filter_route", Kind: module.ParamString, Unsupported: tracingUnsupported},
		},
	})
}
