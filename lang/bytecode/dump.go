package bytecode

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/kamgo/kamgo/lang/ast"
	"github.com/kamgo/kamgo/pv"
)

// SourceFunc returns the text of a file, for the source lines of a dump;
// it may be nil.
type SourceFunc func(file string) ([]byte, bool)

// Dump writes a readable listing of the program: every route with its
// instructions, their operands resolved (constants, PVs, calls, routes,
// jump targets) and the source line each group of instructions came from.
func Dump(w io.Writer, p *Program, src SourceFunc) error {
	bw := bufio.NewWriter(w)
	lines := map[string][]string{}
	sourceLine := func(file string, n int) string {
		if src == nil {
			return ""
		}
		ls, ok := lines[file]
		if !ok {
			if b, found := src(file); found {
				ls = strings.Split(string(b), "\n")
			}
			lines[file] = ls
		}
		if n >= 1 && n <= len(ls) {
			return strings.TrimSpace(ls[n-1])
		}
		return ""
	}
	fmt.Fprintf(bw, "; %d routes, %d constants, %d pseudo-variables, %d calls, %d $var slots\n",
		len(p.Routes), len(p.Consts), len(p.PVs), len(p.Calls), len(p.VarNames))
	for i, r := range p.Routes {
		fmt.Fprintf(bw, "\n%s  ; #%d %s:%d\n", routeLabel(r), i, r.Pos.Filename, r.Pos.Line)
		lastFile, lastLine := "", 0
		for pc, in := range r.Code {
			pos := r.Lines[pc]
			if pos.Filename != lastFile || pos.Line != lastLine {
				lastFile, lastLine = pos.Filename, pos.Line
				if text := sourceLine(pos.Filename, pos.Line); text != "" {
					fmt.Fprintf(bw, "    ; %d: %s\n", pos.Line, text)
				}
			}
			fmt.Fprintf(bw, "  %04d  %-10s %s\n", pc, in.Op, p.operands(in))
		}
	}
	if len(p.Flags) > 0 {
		names := make([]string, 0, len(p.Flags))
		for n := range p.Flags {
			names = append(names, n)
		}
		sort.Strings(names)
		fmt.Fprintf(bw, "\nflags:")
		for _, n := range names {
			fmt.Fprintf(bw, " %s=%d", n, p.Flags[n])
		}
		fmt.Fprintln(bw)
	}
	return bw.Flush()
}

func routeLabel(r *Route) string {
	switch r.Kind {
	case ast.RouteRequest, ast.RouteReply, ast.RouteOnSend:
		return r.Kind.String()
	}
	if r.Kind == ast.RouteOnReply && r.Name == "" {
		return "onreply_route"
	}
	return r.Kind.String() + "[" + r.Name + "]"
}

func valueText(v pv.Value) string {
	switch v.K {
	case pv.KindInt:
		return fmt.Sprint(v.I)
	case pv.KindStr:
		return fmt.Sprintf("%q", v.S)
	}
	return "$null"
}

// operands renders the operands of in.
func (p *Program) operands(in Insn) string {
	switch in.Op {
	case Const:
		return valueText(p.Consts[in.A])
	case LoadPV, IsDefPV, Assign:
		return p.PVs[in.A].Spec.Text
	case MatchConst:
		return fmt.Sprintf("/%s/i", p.Regexes[in.A].String())
	case MatchIP:
		n := p.Nets[in.A]
		s := n.Text
		if n.Bits >= 0 {
			s += fmt.Sprintf("/%d", n.Bits)
		}
		switch {
		case in.B&MatchSrc != 0:
			s = "src_ip in " + s
		case in.B&MatchDst != 0:
			s = "dst_ip in " + s
		}
		return s + negText(in.B&MatchNegate)
	case EqFold, Myself:
		return strings.TrimSpace(negText(in.B))
	case Keyword:
		return KeywordID(in.A).String()
	case Jmp, JmpIfNot, JmpIfZero, JmpIfZeroKeep, JmpIfNonZeroKeep:
		return fmt.Sprintf("-> %04d", in.A)
	case Call:
		c := &p.Calls[in.A]
		var args []string
		for _, a := range c.Args {
			switch {
			case a.Dynamic:
				args = append(args, fmt.Sprintf("<stack %d>", a.DynIndex))
			case a.PV != nil:
				args = append(args, a.PV.Spec.Text)
			case a.Format != nil:
				args = append(args, "format "+formatText(a.Format))
			case a.IsInt:
				args = append(args, fmt.Sprint(a.Int))
			default:
				args = append(args, fmt.Sprintf("%q", a.Str))
			}
		}
		return fmt.Sprintf("%s.%s(%s)", c.Module, c.Name, strings.Join(args, ", "))
	case CallRoute:
		return routeLabel(p.Routes[in.A]) + fmt.Sprintf("  depth %d", in.B)
	case CallRouteDyn:
		return fmt.Sprintf("depth %d", in.B)
	case Result, ReturnA:
		return fmt.Sprint(in.A)
	case Switch:
		t := &p.Switches[in.A]
		var parts []string
		for _, k := range t.Cases {
			switch {
			case k.Regex != nil:
				parts = append(parts, fmt.Sprintf("/%s/->%04d", k.Str, k.Target))
			case k.IsInt:
				parts = append(parts, fmt.Sprintf("%d->%04d", k.Int, k.Target))
			default:
				parts = append(parts, fmt.Sprintf("%q->%04d", k.Str, k.Target))
			}
		}
		def := "end"
		if t.Default >= 0 {
			def = fmt.Sprintf("%04d", t.Default)
		}
		return fmt.Sprintf("{%s} default->%s end->%04d", strings.Join(parts, " "), def, t.End)
	case LoopInit:
		return fmt.Sprintf("loop %d", in.A)
	case LoopCheck:
		return fmt.Sprintf("loop %d, exit -> %04d", in.A, in.B)
	case Block:
		return fmt.Sprintf("depth %d, skip -> %04d", in.A, in.B)
	}
	return ""
}

func negText(b int32) string {
	if b == 1 {
		return " (negated)"
	}
	return ""
}

func formatText(f *pv.CompiledFormat) string {
	var b bytes.Buffer
	b.WriteByte('"')
	for _, part := range f.Parts {
		if part.PV != nil {
			b.WriteString(part.PV.Spec.Text)
		} else {
			b.WriteString(strings.Trim(fmt.Sprintf("%q", part.Lit), `"`))
		}
	}
	b.WriteByte('"')
	return b.String()
}
