// Package xlog is Kamailio's xlog module: xlog, xlogm and the
// one-level shortcuts (xdbg, xinfo, xnotice, xwarn, xerr, xbug, xcrit,
// xalert), printing format strings with pseudo-variables through the
// server's logger at Kamailio's levels, filtered by the debug= threshold.
package xlog

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/kamgo/kamgo/pv"
	"github.com/kamgo/kamgo/runtime/logging"
	"github.com/kamgo/kamgo/runtime/module"
)

// Name is the module name.
const Name = "xlog"

// Config holds the module's parameters.
type Config struct {
	BufSize       int
	Prefix        string
	PrefixMode    int
	LongFormat    int
	ForceColor    int
	Facility      string
	Colors        []string
	MethodsFilter int
}

func newConfig() any { return &Config{BufSize: 4096, Prefix: "<script>: "} }

func config(host module.Host) *Config {
	if host != nil {
		if s, ok := host.Module(Name); ok {
			if c, ok := s.(*Config); ok {
				return c
			}
		}
	}
	return newConfig().(*Config)
}

// call is what a call's fixup prepares: the level when it is constant,
// and the module's configuration.
type call struct {
	cfg   *Config
	level int
	// dynLevel is set when the level is computed at run time.
	dynLevel bool
	// method filtering for xlogm
	filter bool
}

func init() {
	module.MustRegister(&module.Module{
		Name: Name,
		New:  newConfig,
		Params: []module.Param{
			intParam("buf_size", 4096, func(c *Config, v int) error {
				if v < 64 {
					return fmt.Errorf("buf_size must be at least 64")
				}
				c.BufSize = v
				return nil
			}),
			intParam("force_color", 0, func(c *Config, v int) error { c.ForceColor = v; return nil }),
			intParam("long_format", 0, func(c *Config, v int) error { c.LongFormat = v; return nil }),
			intParam("prefix_mode", 0, func(c *Config, v int) error { c.PrefixMode = v; return nil }),
			intParam("methods_filter", 0, func(c *Config, v int) error { c.MethodsFilter = v; return nil }),
			strParam("prefix", "<script>: ", false, func(c *Config, v string) error { c.Prefix = v; return nil }),
			strParam("log_facility", "", false, func(c *Config, v string) error { c.Facility = v; return nil }),
			strParam("log_colors", "", true, func(c *Config, v string) error { c.Colors = append(c.Colors, v); return nil }),
		},
		Funcs: funcs(),
	})
}

func intParam(name string, def int64, set func(*Config, int) error) module.Param {
	return module.Param{Name: name, Kind: module.ParamInt, Default: module.ParamValue{IsInt: true, Int: def},
		Apply: func(host module.Host, v module.ParamValue) error { return set(config(host), int(v.Int)) }}
}

func strParam(name, def string, multi bool, set func(*Config, string) error) module.Param {
	return module.Param{Name: name, Kind: module.ParamString, Default: module.ParamValue{Str: def}, Multi: multi,
		Apply: func(host module.Host, v module.ParamValue) error { return set(config(host), v.Str) }}
}

var (
	argLevel  = module.Arg{Kind: module.ArgAny, Dynamic: true}
	argFormat = module.Arg{Kind: module.ArgFormat}
)

func funcs() []module.Func {
	var fs []module.Func
	// xlog(format) logs at L_ERR; xlog(level, format); xlog(facility,
	// level, format).
	// xlogl and xdbgl (which add the config line) are not offered yet:
	// a fixup does not know where its call is.
	for _, name := range []string{"xlog"} {
		fs = append(fs,
			module.Func{Name: name, ArgCounts: []int{1}, Args: []module.Arg{argFormat}, Routes: module.Any,
				Fixup: fixup(name, logging.LErr, -1, 0), Exec: exec},
			module.Func{Name: name, ArgCounts: []int{2}, Args: []module.Arg{argLevel, argFormat}, Routes: module.Any,
				Fixup: fixup(name, 0, 0, 1), Exec: exec},
			module.Func{Name: name, ArgCounts: []int{3}, Args: []module.Arg{{Kind: module.ArgString}, argLevel, argFormat}, Routes: module.Any,
				Fixup: fixup(name, 0, 1, 2), Exec: exec},
		)
	}
	fs = append(fs, module.Func{Name: "xlogm", ArgCounts: []int{2}, Args: []module.Arg{argLevel, argFormat}, Routes: module.Any,
		Fixup: fixup("xlogm", 0, 0, 1), Exec: exec})
	for name, level := range map[string]int{
		"xdbg": logging.LDbg, "xinfo": logging.LInfo, "xnotice": logging.LNotice,
		"xwarn": logging.LWarn, "xerr": logging.LErr, "xbug": logging.LBug, "xcrit": logging.LCrit,
		"xalert": logging.LAlert,
	} {
		fs = append(fs, module.Func{Name: name, ArgCounts: []int{1}, Args: []module.Arg{argFormat}, Routes: module.Any,
			Fixup: fixup(name, level, -1, 0), Exec: exec})
	}
	return fs
}

// fixup prepares a call: levelArg is the index of the level argument (-1
// when the level is fixed) and fmtArg the index of the format.
func fixup(name string, level, levelArg, fmtArg int) module.FixupFunc {
	return func(host module.Host, args []module.FixedArg) error {
		c := &call{cfg: config(host), level: level, filter: name == "xlogm"}
		if levelArg >= 0 {
			a := &args[levelArg]
			switch {
			case a.Const && a.IsInt:
				c.level = int(a.Int)
			case a.Const:
				l, ok := logging.LevelByName(a.Str)
				if !ok {
					return fmt.Errorf("unknown log level %q: use L_ALERT, L_BUG, L_CRIT, L_ERR, L_WARN, L_NOTICE, L_INFO or L_DBG", a.Str)
				}
				c.level = l
			default:
				c.dynLevel = true
			}
			a.Fixed = c
		}
		f := &args[fmtArg]
		f.Fixed = c
		return nil
	}
}

// exec prints the format argument (the last one) at the call's level.
func exec(ctx module.ExecContext, args module.Args) int {
	last := args.Len() - 1
	c, _ := args.Fixed[last].Fixed.(*call)
	if c == nil {
		return -1
	}
	level := c.level
	if c.dynLevel {
		v := args.Value(last - 1)
		switch v.K {
		case pv.KindInt:
			level = int(v.I)
		case pv.KindStr:
			// a run-time level is a number, as Kamailio reads it
			n, err := strconv.Atoi(v.S)
			if err != nil {
				ctx.Logger().Logf(logging.LErr, "invalid log level value %q", v.S)
				return -1
			}
			level = n
		default:
			ctx.Logger().Log(logging.LErr, "invalid log level value <null>")
			return -1
		}
	}
	log := ctx.Logger()
	if !log.Enabled(level) {
		return 1
	}
	st := ctx.State()
	if c.filter && c.cfg.MethodsFilter != 0 && st.Msg != nil && st.Msg.IsRequest() {
		if int(st.Msg.MethodID())&c.cfg.MethodsFilter != 0 {
			return 1
		}
	}
	var body string
	if f := &args.Fixed[last]; f.Format != nil {
		body = f.Format.String(st)
	} else {
		body = args.Str(last)
	}
	start := len(st.Arena)
	st.Arena = append(st.Arena, c.cfg.Prefix...)
	st.Arena = append(st.Arena, body...)
	if n := len(st.Arena) - start; n > c.cfg.BufSize-1 {
		st.Arena = st.Arena[:start+c.cfg.BufSize-1]
	}
	text := strings.TrimSuffix(st.ArenaString(start), "\n")
	log.Log(level, text)
	return 1
}
