// Package maxfwd is Kamailio's maxfwd module: it adds the Max-Forwards
// header to a request that has none, decrements the one it has (capped by
// max_limit), and compares its value with a limit (is_maxfwd_lt and its
// aliases), so that a script can stop loops with 483 Too Many Hops.
//
// Kamailio rewrites the digits in place, right-aligned in the width they
// had ("300" becomes " 70" with max_limit 70), in the received buffer
// itself, so $hdr(Max-Forwards), $mb and send_udp() see the new value;
// kamgo does the same (sip.Message.Overwrite).
package maxfwd

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/kamgo/kamgo/pv"
	"github.com/kamgo/kamgo/runtime/logging"
	"github.com/kamgo/kamgo/runtime/module"
	"github.com/kamgo/kamgo/runtime/sip"
)

// Name is the module name.
const Name = "maxfwd"

// extraKey is the key of the message's current value in pv.State.Extra.
const extraKey = Name

// Return codes of the processing functions.
const (
	rcAdded       = 2  // no header: one was added
	rcDecremented = 1  // the value was decremented
	rcZero        = -1 // the value is 0
	rcError       = -2 // the header cannot be read or written
)

// Return codes of the comparisons, besides 1 and -1.
const (
	rcLtAbsent = -2 // no header in the received message
	rcLtError  = -3 // the header cannot be parsed
)

// maxValue is the largest Max-Forwards value RFC 3261 allows a proxy to add.
const maxValue = 255

// State is the module's state in one server.
type State struct {
	// MaxLimit caps the decremented value (max_limit).
	MaxLimit int
}

// New returns the state with Kamailio's default max_limit of 70.
func New() *State { return &State{MaxLimit: 70} }

// current is what the processing recorded for one message: the value the
// header now holds (decremented), or added when the header was added.
type current struct {
	value int
	added bool
}

func init() {
	module.MustRegister(&module.Module{
		Name: Name,
		New:  func() any { return New() },
		Params: []module.Param{{Name: "max_limit", Kind: module.ParamInt, Default: module.ParamValue{IsInt: true, Int: 70},
			Apply: func(host module.Host, v module.ParamValue) error {
				s, ok := stateOf(host)
				if !ok {
					return fmt.Errorf("maxfwd: no module state (internal error)")
				}
				if !v.IsInt {
					return fmt.Errorf("max_limit takes an integer, got %q", v.Str)
				}
				if v.Int < 1 || v.Int > 256 {
					return fmt.Errorf("max_limit must be between 1 and 256, got %d", v.Int)
				}
				s.MaxLimit = int(v.Int)
				return nil
			}}},
		Funcs: []module.Func{
			processFunc("maxfwd_process"),
			processFunc("mf_process_maxfwd_header"),
			processFunc("process_maxfwd"),
			lessFunc("is_maxfwd_lt"),
			lessFunc("maxfwd_at_least"),
			lessFunc("mf_lowlimit"),
		},
	})
}

func stateOf(host module.Host) (*State, bool) { return module.HostState[*State](host, Name) }

var argValue = module.Arg{Kind: module.ArgAny}

func processFunc(name string) module.Func {
	return module.Func{Name: name, ArgCounts: []int{1}, Args: []module.Arg{argValue}, Routes: module.Request,
		Fixup: fixup, Exec: execProcess}
}

func lessFunc(name string) module.Func {
	return module.Func{Name: name, ArgCounts: []int{1}, Args: []module.Arg{argValue},
		Routes: module.Request | module.Failure | module.Branch, Fixup: fixup, Exec: execLess}
}

// call is what the fixup prepares: the module state and the value.
type call struct {
	s     *State
	value intArg
}

func fixup(host module.Host, args []module.FixedArg) error {
	if len(args) != 1 {
		return fmt.Errorf("one argument expected")
	}
	s, ok := stateOf(host)
	if !ok {
		s = New() // kamgo check compiles without a server
	}
	v, err := fixIntArg(&args[0])
	if err != nil {
		return err
	}
	if v.pv == nil && (v.n < 0 || v.n > maxValue) {
		return fmt.Errorf("the value must be between 0 and %d, got %d", maxValue, v.n)
	}
	args[0].Fixed = &call{s: s, value: v}
	return nil
}

func callOf(args module.Args) *call {
	if len(args.Fixed) == 0 {
		return nil
	}
	c, _ := args.Fixed[0].Fixed.(*call)
	return c
}

// digits returns the Max-Forwards value of the received message and the
// view of its digits; present is false without the header, err is set when
// the value is not a number.
func digits(m *sip.Message) (span []byte, n int, present bool, err error) {
	h := m.First(sip.HdrMaxForwards)
	if h == nil {
		return nil, 0, false, nil
	}
	v := h.Value
	if len(v) == 0 || len(v) > 9 {
		return nil, 0, true, fmt.Errorf("bad Max-Forwards value %q", v)
	}
	for _, c := range v {
		if c < '0' || c > '9' {
			return nil, 0, true, fmt.Errorf("bad Max-Forwards value %q", v)
		}
		n = n*10 + int(c-'0')
	}
	return v, n, true, nil
}

func execProcess(ctx module.ExecContext, args module.Args) int {
	c := callOf(args)
	st := ctx.State()
	log := ctx.Logger()
	if c == nil || st == nil || st.Msg == nil || !st.Msg.IsRequest() {
		return rcError
	}
	m := st.Msg
	span, n, present, err := digits(m)
	if err != nil {
		log.Logf(logging.LErr, "maxfwd: %v", err)
		return rcError
	}
	cur, _ := st.Extra[extraKey].(current)
	if !present {
		if cur.added {
			// Already added by an earlier call: Kamailio would add a
			// second header; one is enough and stays as it is.
			return rcAdded
		}
		v, ok := c.value.value(st)
		if !ok || v < 0 || v > maxValue {
			log.Logf(logging.LErr, "maxfwd: invalid value %q", args.Str(0))
			return rcError
		}
		if err := m.PrependHeader("Max-Forwards", strconv.Itoa(int(v))); err != nil {
			log.Logf(logging.LErr, "maxfwd: adding the header: %v", err)
			return rcError
		}
		setCurrent(st, current{value: int(v), added: true})
		return rcAdded
	}
	if _, seen := st.Extra[extraKey]; seen {
		n = cur.value
	}
	if n == 0 {
		return rcZero
	}
	n--
	if n > c.s.MaxLimit {
		n = c.s.MaxLimit
	}
	if err := m.Overwrite(span, padded(n, len(span))); err != nil {
		log.Logf(logging.LErr, "maxfwd: rewriting the header: %v", err)
		return rcError
	}
	setCurrent(st, current{value: n})
	return rcDecremented
}

func setCurrent(st *pv.State, c current) {
	if st.Extra == nil {
		st.Extra = make(map[string]any)
	}
	st.Extra[extraKey] = c
}

// padded writes n right-aligned in width characters, blanks on the left,
// as Kamailio rewrites the number in place.
func padded(n, width int) string {
	s := strconv.Itoa(n)
	if len(s) >= width {
		return s
	}
	return strings.Repeat(" ", width-len(s)) + s
}

func execLess(ctx module.ExecContext, args module.Args) int {
	c := callOf(args)
	st := ctx.State()
	if c == nil || st == nil || st.Msg == nil {
		return rcLtError
	}
	_, n, present, err := digits(st.Msg)
	if err != nil {
		ctx.Logger().Logf(logging.LErr, "maxfwd: %v", err)
		return rcLtError
	}
	if !present {
		// A header this module added is not looked at, as in Kamailio.
		return rcLtAbsent
	}
	if cur, ok := st.Extra[extraKey].(current); ok && !cur.added {
		n = cur.value
	}
	limit, ok := c.value.value(st)
	if !ok {
		ctx.Logger().Logf(logging.LErr, "maxfwd: invalid limit %q", args.Str(0))
		return rcLtError
	}
	if int64(n) < limit {
		return 1
	}
	return -1
}

// intArg is an integer argument: a constant or a pseudo-variable.
type intArg struct {
	n  int64
	pv *pv.PV
}

func fixIntArg(a *module.FixedArg) (intArg, error) {
	switch {
	case a.Const && a.IsInt:
		return intArg{n: a.Int}, nil
	case a.Const:
		n, err := strconv.ParseInt(strings.TrimSpace(a.Str), 10, 64)
		if err != nil {
			return intArg{}, fmt.Errorf("the argument must be an integer or a pseudo-variable, got %q", a.Str)
		}
		return intArg{n: n}, nil
	case a.PV != nil:
		return intArg{pv: a.PV}, nil
	case a.Format != nil && len(a.Format.Parts) == 1 && a.Format.Parts[0].PV != nil:
		return intArg{pv: a.Format.Parts[0].PV}, nil
	}
	return intArg{}, fmt.Errorf("the argument must be an integer or a single pseudo-variable")
}

func (a intArg) value(st *pv.State) (int64, bool) {
	if a.pv == nil {
		return a.n, true
	}
	v := a.pv.Get(st)
	switch v.K {
	case pv.KindInt:
		return v.I, true
	case pv.KindStr:
		return pv.StrToInt(v.S)
	}
	return 0, false
}
