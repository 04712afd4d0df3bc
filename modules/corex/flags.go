package corex

import (
	"strings"

	"github.com/kamgo/kamgo/pv"
	"github.com/kamgo/kamgo/runtime/logging"
	"github.com/kamgo/kamgo/runtime/module"
)

type flagOp int

const (
	opSet flagOp = iota
	opReset
	opTest
)

var xflagNames = [...]string{opSet: "setxflag", opReset: "resetxflag", opTest: "isxflagset"}

// maxXFlag is the highest extended flag: Kamailio keeps two 32-bit words.
const maxXFlag = 63

// XFlags returns the extended flags of the message in st (0 when none was
// set).
func XFlags(st *pv.State) uint64 {
	if p, ok := st.Extra[XFlagsKey].(*uint64); ok {
		return *p
	}
	return 0
}

func xflagWord(st *pv.State) *uint64 {
	if p, ok := st.Extra[XFlagsKey].(*uint64); ok {
		return p
	}
	p := new(uint64)
	if st.Extra == nil {
		st.Extra = map[string]any{}
	}
	st.Extra[XFlagsKey] = p
	return p
}

func xflag(op flagOp) module.ExecFunc {
	return func(ctx module.ExecContext, args module.Args) int {
		n, ok := args.Int(0)
		if !ok || n < 0 || n > maxXFlag {
			ctx.Logger().Logf(logging.LErr, "%s: bad flag %q (0..%d)", xflagNames[op], args.Str(0), maxXFlag)
			return -1
		}
		st := ctx.State()
		bit := uint64(1) << uint(n)
		switch op {
		case opSet:
			*xflagWord(st) |= bit
		case opReset:
			if XFlags(st)&bit != 0 {
				*xflagWord(st) &^= bit
			}
		default:
			if XFlags(st)&bit == 0 {
				return -1
			}
		}
		return 1
	}
}

// IFlags returns the internal flags of the message in st: IFlag* bits.
func IFlags(st *pv.State) uint32 {
	v, _ := st.Extra[IFlagsKey].(uint32)
	return v
}

// iflagByName maps msg_iflag_set's names to bits.
func iflagByName(name string) (uint32, bool) {
	switch strings.ToUpper(name) {
	case "USE_UAC_FROM":
		return IFlagUseUACFrom, true
	case "USE_UAC_TO":
		return IFlagUseUACTo, true
	case "UAC_AUTH":
		return IFlagUACAuth, true
	}
	return 0, false
}

var iflagNames = [...]string{opSet: "msg_iflag_set", opReset: "msg_iflag_reset", opTest: "msg_iflag_is_set"}

func iflag(op flagOp) module.ExecFunc {
	return func(ctx module.ExecContext, args module.Args) int {
		name := args.Str(0)
		bit, ok := iflagByName(name)
		if !ok {
			// Kamailio sets and resets nothing for an unknown name and
			// still answers true; only the test reports it.
			if op != opTest {
				return 1
			}
			ctx.Logger().Logf(logging.LErr, "%s: unknown flag %q (USE_UAC_FROM, USE_UAC_TO or UAC_AUTH)", iflagNames[op], name)
			return -1
		}
		st := ctx.State()
		cur := IFlags(st)
		switch op {
		case opSet:
			cur |= bit
		case opReset:
			cur &^= bit
		default:
			// Kamailio answers -2, not -1, for a flag that is not set.
			if cur&bit == 0 {
				return -2
			}
			return 1
		}
		if st.Extra == nil {
			st.Extra = map[string]any{}
		}
		// a uint32 below 256 boxes without allocating
		st.Extra[IFlagsKey] = cur
		return 1
	}
}
