package kex

import (
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"

	"github.com/kamgo/kamgo/pv"
	"github.com/kamgo/kamgo/runtime/module"
	"github.com/kamgo/kamgo/runtime/rpc"
)

// Statistic and StatisticsSource are the module contract the stats.*
// commands read (runtime/module).
type (
	Statistic        = module.Statistic
	StatisticsSource = module.StatisticsSource
)

// GlobalsHost is the part of the core's host core.ppdefines reads.
type GlobalsHost interface {
	Globals() *pv.Globals
}

// The control commands of Kamailio's kex that kamgo serves here. Those
// that describe the core (core.version, core.uptime, core.ps, core.psx,
// core.tcp_list, core.tcp_info, core.tcp_options, core.sockets_list,
// core.aliases_list, core.info, core.runinfo, core.flags, core.shmmem,
// core.udp4_raw_info, core.kill, and the pkg.* and mod.* memory commands,
// which answer that kamgo has one heap) are served by the core itself.
func rpcs() []module.RPC {
	return []module.RPC{
		{Name: "core.echo", Doc: "Returns back its parameters.", Handler: func(_ module.Host, p []any) (any, error) {
			return nonNil(p), nil
		}},
		{Name: "core.printi", Doc: "Returns the integers given as parameters.", Handler: rpcPrintI},
		{Name: "core.prints", Doc: "Returns the strings given as parameters.", Handler: rpcPrintS},
		{Name: "core.pwd", Doc: "Returns the working directory.", Handler: func(module.Host, []any) (any, error) {
			wd, err := os.Getwd()
			if err != nil {
				return nil, fmt.Errorf("core.pwd: %w", err)
			}
			return []any{wd}, nil
		}},
		{Name: "core.arg", Doc: "Returns the command line arguments.", Handler: func(module.Host, []any) (any, error) {
			out := make([]any, len(os.Args))
			for i, a := range os.Args {
				out[i] = a
			}
			return out, nil
		}},
		{Name: "core.ppdefines", Doc: "Returns the preprocessor defines of the config.", Handler: rpcDefines},
		{Name: "core.modules", Doc: "Returns the loaded modules.", Handler: func(h module.Host, _ []any) (any, error) {
			return nonNil(toAny(loadedModules(h))), nil
		}},
		{Name: "stats.get_statistics", Doc: "Returns statistics as \"group:name = value\" strings; parameters: all, group: or name.", Handler: rpcGetStats},
		{Name: "stats.fetch", Doc: "Returns statistics as an object of group.name to the value as a string.", Handler: rpcFetch(false)},
		{Name: "stats.fetchn", Doc: "Returns statistics as an object of group.name to the value as a number.", Handler: rpcFetch(true)},
		{Name: "stats.reset_statistics", Doc: "Sets statistics to zero; parameters as for stats.get_statistics.", Handler: rpcReset(false)},
		{Name: "stats.clear_statistics", Doc: "Returns statistics and sets them to zero.", Handler: rpcReset(true)},
	}
}

func nonNil(p []any) []any {
	if p == nil {
		return []any{}
	}
	return p
}

func toAny(s []string) []any {
	out := make([]any, len(s))
	for i, v := range s {
		out[i] = v
	}
	return out
}

func rpcPrintI(_ module.Host, p []any) (any, error) {
	out := make([]any, 0, len(p))
	for i, v := range p {
		switch x := v.(type) {
		case int, int64:
			out = append(out, x)
		case float64:
			if x != float64(int64(x)) {
				return nil, &rpc.Error{Code: 400, Message: fmt.Sprintf("parameter %d is not an integer", i+1)}
			}
			out = append(out, int64(x))
		case string:
			n, err := strconv.ParseInt(x, 10, 64)
			if err != nil {
				return nil, &rpc.Error{Code: 400, Message: fmt.Sprintf("parameter %d is not an integer", i+1)}
			}
			out = append(out, n)
		default:
			return nil, &rpc.Error{Code: 400, Message: fmt.Sprintf("parameter %d is not an integer", i+1)}
		}
	}
	return out, nil
}

func rpcPrintS(_ module.Host, p []any) (any, error) {
	out := make([]any, 0, len(p))
	for _, v := range p {
		out = append(out, fmt.Sprint(v))
	}
	return out, nil
}

func rpcDefines(h module.Host, _ []any) (any, error) {
	gh, ok := h.(GlobalsHost)
	if !ok || gh.Globals() == nil {
		return nil, fmt.Errorf("core.ppdefines: the server exposes no defines (internal error)")
	}
	defs := gh.Globals().Defines
	names := make([]string, 0, len(defs))
	for n := range defs {
		names = append(names, n)
	}
	sort.Strings(names)
	out := make([]any, 0, len(names))
	for _, n := range names {
		if v := defs[n]; v != "" {
			out = append(out, n+"="+v)
		} else {
			out = append(out, n)
		}
	}
	return out, nil
}

// loadedModules are the names of the modules the config loads, sorted.
func loadedModules(h module.Host) []string {
	var out []string
	if h == nil {
		return out
	}
	for _, n := range module.Default().Names() {
		if _, ok := h.Module(n); ok {
			out = append(out, n)
		}
	}
	return out
}

// statistics returns every statistic of the loaded modules, with the
// module that holds it.
func statistics(h module.Host) ([]Statistic, map[string]StatisticsSource) {
	var all []Statistic
	bySrc := map[string]StatisticsSource{}
	var sources []StatisticsSource
	if hs, ok := h.(interface {
		StatisticsSources() []module.StatisticsSource
	}); ok {
		sources = hs.StatisticsSources() // the server's own counters too
	} else {
		for _, n := range loadedModules(h) {
			v, _ := h.Module(n)
			if src, ok := v.(StatisticsSource); ok {
				sources = append(sources, src)
			}
		}
	}
	for _, src := range sources {
		for _, s := range src.Statistics() {
			all = append(all, s)
			bySrc[s.Group+":"+s.Name] = src
		}
	}
	sort.SliceStable(all, func(i, j int) bool {
		if all[i].Group != all[j].Group {
			return all[i].Group < all[j].Group
		}
		return all[i].Name < all[j].Name
	})
	return all, bySrc
}

// matchStat reports whether s is selected by one of the ids: "all",
// "group:", "group:name", "group.name" or "name".
func matchStat(s Statistic, ids []string) bool {
	for _, id := range ids {
		switch {
		case id == "all":
			return true
		case strings.HasSuffix(id, ":"):
			if id[:len(id)-1] == s.Group {
				return true
			}
		case strings.ContainsAny(id, ":."):
			i := strings.IndexAny(id, ":.")
			if id[:i] == s.Group && id[i+1:] == s.Name {
				return true
			}
		case id == s.Name:
			return true
		}
	}
	return false
}

func statIDs(p []any) ([]string, error) {
	if len(p) == 0 {
		return nil, &rpc.Error{Code: 400, Message: "statistics identifier(s) expected (all, group: or name)"}
	}
	ids := make([]string, len(p))
	for i, v := range p {
		ids[i] = fmt.Sprint(v)
	}
	return ids, nil
}

func selectStats(h module.Host, p []any) ([]Statistic, map[string]StatisticsSource, error) {
	ids, err := statIDs(p)
	if err != nil {
		return nil, nil, err
	}
	all, src := statistics(h)
	var out []Statistic
	for _, s := range all {
		if matchStat(s, ids) {
			out = append(out, s)
		}
	}
	return out, src, nil
}

func rpcGetStats(h module.Host, p []any) (any, error) {
	sel, _, err := selectStats(h, p)
	if err != nil {
		return nil, err
	}
	out := make([]any, 0, len(sel))
	for _, s := range sel {
		out = append(out, fmt.Sprintf("%s:%s = %d", s.Group, s.Name, s.Value))
	}
	return out, nil
}

func rpcFetch(numbers bool) func(module.Host, []any) (any, error) {
	return func(h module.Host, p []any) (any, error) {
		sel, _, err := selectStats(h, p)
		if err != nil {
			return nil, err
		}
		out := make(rpc.Object, 0, len(sel))
		for _, s := range sel {
			var v any = strconv.FormatUint(s.Value, 10)
			if numbers {
				v = s.Value
			}
			out = append(out, rpc.Member{Name: s.Group + "." + s.Name, Value: v})
		}
		return out, nil
	}
}

func rpcReset(report bool) func(module.Host, []any) (any, error) {
	return func(h module.Host, p []any) (any, error) {
		sel, src, err := selectStats(h, p)
		if err != nil {
			return nil, err
		}
		out := make(rpc.Object, 0, len(sel))
		for _, s := range sel {
			if report {
				out = append(out, rpc.Member{Name: s.Group + "." + s.Name, Value: strconv.FormatUint(s.Value, 10)})
			}
			src[s.Group+":"+s.Name].ResetStatistic(s.Name)
		}
		if report {
			return out, nil
		}
		return nil, nil
	}
}
