package ast

import (
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Dump renders a config as indented S-expressions: one line per item and
// statement, expressions inline. Golden tests compare it, and
// `kamgo dump --ast` prints it.
func Dump(cfg *Config) string {
	var b strings.Builder
	p := printer{w: &b}
	if cfg.Mode != "" {
		p.line(0, "(mode %s)", cfg.Mode)
	}
	for _, it := range cfg.Items {
		p.item(it)
	}
	return b.String()
}

// ExprString renders one expression.
func ExprString(e Expr) string { return exprString(e) }

type printer struct {
	w io.Writer
}

func (p printer) line(depth int, format string, args ...any) {
	fmt.Fprintf(p.w, "%s%s\n", strings.Repeat("  ", depth), fmt.Sprintf(format, args...))
}

func (p printer) item(it Item) {
	switch n := it.(type) {
	case *CoreParam:
		vals := make([]string, len(n.Values))
		for i, v := range n.Values {
			vals[i] = valueString(v)
		}
		p.line(0, "(param %s %s)", n.Name, strings.Join(vals, " "))
	case *CfgVar:
		inst := ""
		if n.Instance >= 0 {
			inst = fmt.Sprintf("[%d]", n.Instance)
		}
		desc := ""
		if n.Desc != "" {
			desc = " desc " + strconv.Quote(n.Desc)
		}
		p.line(0, "(cfgvar %s%s.%s %s%s)", n.Group, inst, n.Name, exprString(n.Value), desc)
	case *LoadModule:
		kw := "loadmodule"
		if n.X {
			kw = "loadmodulex"
		}
		p.line(0, "(%s %q name=%s)", kw, n.Path, n.Name)
	case *LoadPath:
		p.line(0, "(loadpath %q)", n.Path)
	case *ModParam:
		kw := "modparam"
		if n.X {
			kw = "modparamx"
		}
		p.line(0, "(%s %q %q %s)", kw, n.Module, n.Param, exprString(n.Value))
	case *Flags:
		kw := "flags"
		if n.AVP {
			kw = "avpflags"
		}
		parts := []string{}
		for _, d := range n.Decls {
			if d.Num >= 0 {
				parts = append(parts, fmt.Sprintf("%s:%d", d.Name, d.Num))
			} else {
				parts = append(parts, d.Name)
			}
		}
		p.line(0, "(%s %s)", kw, strings.Join(parts, " "))
	case *CfgEngine:
		p.line(0, "(cfgengine %q)", n.Name)
	case *Route:
		name := ""
		if n.Name != "" {
			name = "[" + n.Name + "]"
		}
		p.line(0, "(%s%s", n.Kind, name)
		p.stmts(1, n.Body.Stmts)
		p.line(0, ")")
	case *Bad:
		p.line(0, "(bad-item)")
	}
}

func valueString(v *ParamValue) string {
	switch v.Kind {
	case ValInt:
		return strconv.FormatInt(v.Int, 10)
	case ValString:
		return strconv.Quote(v.Str)
	case ValWord:
		return "word:" + v.Str
	}
	s := v.Socket
	var b strings.Builder
	b.WriteString("socket:")
	if s.Proto != "" {
		b.WriteString(s.Proto + ":")
	}
	if len(s.Hosts) > 1 {
		b.WriteString("(" + strings.Join(s.Hosts, ",") + ")")
	} else if s.Bracketed {
		b.WriteString("[" + s.Host + "]")
	} else {
		b.WriteString(s.Host)
	}
	if s.Port != 0 {
		b.WriteString(":" + strconv.Itoa(s.Port))
	}
	if s.AdvHost != "" {
		b.WriteString(" advertise=" + s.AdvHost)
		if s.AdvPort != 0 {
			b.WriteString(":" + strconv.Itoa(s.AdvPort))
		}
	}
	if s.Name != "" {
		b.WriteString(" name=" + strconv.Quote(s.Name))
	}
	if s.Virtual {
		b.WriteString(" virtual")
	}
	return b.String()
}

func (p printer) stmts(depth int, list []Stmt) {
	for _, s := range list {
		p.stmt(depth, s)
	}
}

func (p printer) stmt(depth int, s Stmt) {
	switch n := s.(type) {
	case *Block:
		p.line(depth, "(block")
		p.stmts(depth+1, n.Stmts)
		p.line(depth, ")")
	case *CallStmt:
		p.line(depth, "%s", exprString(n.Call))
	case *Assign:
		p.line(depth, "(= %s %s)", n.LHS.Text, exprString(n.RHS))
	case *If:
		p.line(depth, "(if %s", exprString(n.Cond))
		p.stmt(depth+1, n.Then)
		if n.Else != nil {
			p.line(depth, " else")
			p.stmt(depth+1, n.Else)
		}
		p.line(depth, ")")
	case *While:
		p.line(depth, "(while %s", exprString(n.Cond))
		p.stmt(depth+1, n.Body)
		p.line(depth, ")")
	case *Switch:
		p.line(depth, "(switch %s", exprString(n.Subject))
		for _, c := range n.Cases {
			switch {
			case c.Default:
				p.line(depth+1, "(default")
			case c.Regex:
				p.line(depth+1, "(case-re %s", exprString(c.Value))
			default:
				p.line(depth+1, "(case %s", exprString(c.Value))
			}
			p.stmts(depth+2, c.Body)
			p.line(depth+1, ")")
		}
		p.line(depth, ")")
	case *Return:
		if n.Value != nil {
			p.line(depth, "(%s %s)", n.Kind, exprString(n.Value))
		} else {
			p.line(depth, "(%s)", n.Kind)
		}
	case *Empty:
		p.line(depth, "(empty)")
	case *BadStmt:
		p.line(depth, "(bad-stmt)")
	}
}

func exprString(e Expr) string {
	switch n := e.(type) {
	case nil:
		return "<nil>"
	case *IntLit:
		return strconv.FormatInt(n.Value, 10)
	case *StrLit:
		return strconv.Quote(n.Value)
	case *PVar:
		return n.Text
	case *Binary:
		return "(" + n.Op + " " + exprString(n.L) + " " + exprString(n.R) + ")"
	case *Unary:
		return "(" + n.Op + " " + exprString(n.X) + ")"
	case *Cast:
		return "((" + n.To + ") " + exprString(n.X) + ")"
	case *Defined:
		return "(defined " + exprString(n.X) + ")"
	case *Paren:
		return "(paren " + exprString(n.X) + ")"
	case *Call:
		args := make([]string, len(n.Args))
		for i, a := range n.Args {
			args[i] = exprString(a)
		}
		if !n.Parens {
			if len(args) > 0 { // a SER assignment: (call = %avp value)
				return "(call " + n.Name + " noparens " + strings.Join(args, " ") + ")"
			}
			return "(call " + n.Name + " noparens)"
		}
		if len(args) == 0 {
			return "(call " + n.Name + ")"
		}
		return "(call " + n.Name + " " + strings.Join(args, " ") + ")"
	case *Keyword:
		return "kw:" + n.Name
	case *IPNet:
		if n.Mask != "" {
			return "ip:" + n.IP + "/" + n.Mask
		}
		return "ip:" + n.IP
	case *Word:
		return "word:" + n.Text
	case *Unsupported:
		return "unsupported:" + n.Text
	case *BadExpr:
		return "<bad>"
	}
	return fmt.Sprintf("<%T>", e)
}
