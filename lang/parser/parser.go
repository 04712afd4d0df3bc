// Package parser turns the preprocessed token stream of a kamailio.cfg
// config into an ast.Config. It knows syntax only — any function name, any
// pseudo-variable, any module — and reports every syntax error in one run:
// after an error it resynchronises at the next statement inside a block, or
// at the next top-level item.
//
// The grammar of top-level items and compound statements is a participle
// grammar (grammar.go); expressions use a precedence-climbing parser with
// Kamailio's operator table (expr.go).
package parser

import (
	"regexp"
	"strings"

	"github.com/alecthomas/participle/v2"
	"github.com/alecthomas/participle/v2/lexer"

	"github.com/kamgo/kamgo/lang/ast"
	"github.com/kamgo/kamgo/lang/diag"
	"github.com/kamgo/kamgo/lang/preproc"
	"github.com/kamgo/kamgo/lang/token"
)

// ParseFile preprocesses and parses the config at path. The diagnostics
// hold the preprocessor's and the parser's errors, sorted.
func ParseFile(path string, opts preproc.Options) (*ast.Config, *preproc.Result, diag.List) {
	res := preproc.File(path, opts)
	cfg, d := Parse(res)
	return cfg, res, d
}

// ParseSource is ParseFile on text that is not read from disk.
func ParseSource(name string, src []byte, opts preproc.Options) (*ast.Config, *preproc.Result, diag.List) {
	res := preproc.Source(name, src, opts)
	cfg, d := Parse(res)
	return cfg, res, d
}

// Parse parses a preprocessed token stream.
func Parse(res *preproc.Result) (*ast.Config, diag.List) {
	d := append(diag.List(nil), res.Diag...)
	lex, err := lexer.Upgrade(&sliceLexer{toks: res.Tokens})
	if err != nil {
		d.Add(token.Pos{}, "internal error: %v", err)
		return &ast.Config{Mode: res.Mode}, d
	}
	cfg := &ast.Config{Mode: res.Mode}
	for !lex.Peek().EOF() {
		start := lex.MakeCheckpoint()
		startTok := *lex.Peek()
		it, err := itemParser.ParseFromLexer(lex, participle.AllowTrailing(true))
		if err != nil {
			d = append(d, toDiag(err, startTok))
			lex.LoadCheckpoint(start)
			skipItem(lex)
			cfg.Items = append(cfg.Items, &ast.Bad{Pos: startTok.Pos})
			continue
		}
		if item := convertItem(it, &d); item != nil {
			cfg.Items = append(cfg.Items, item)
		}
	}
	d.Sort()
	return cfg, d
}

// skipItem skips a bad top-level item: to the end of a `{ … }` group that
// follows, or to the next token that starts an item.
func skipItem(lex *lexer.PeekingLexer) {
	depth := 0
	first := true
	var prev lexer.Token
	for {
		t := lex.Peek()
		if t.EOF() {
			return
		}
		// `group.name =` continues the bad item: do not restart at `name =`
		if !first && depth == 0 && t.Type == token.Ident && !isOp(&prev, ".") && (topKeywords[t.Value] || startsAssignment(lex)) {
			return
		}
		prev = *lex.Next()
		first = false
		switch {
		case isOp(t, "{"):
			depth++
		case isOp(t, "}"):
			if depth > 0 {
				depth--
				if depth == 0 {
					return
				}
			}
		case isOp(t, ";") && depth == 0:
			return
		}
	}
}

// sliceLexer feeds preprocessed tokens to participle.
type sliceLexer struct {
	toks []token.Token
	i    int
}

func (l *sliceLexer) Next() (lexer.Token, error) {
	if l.i >= len(l.toks) {
		if len(l.toks) > 0 {
			return lexer.Token{Type: lexer.EOF, Pos: l.toks[len(l.toks)-1].Pos}, nil
		}
		return lexer.Token{Type: lexer.EOF}, nil
	}
	t := l.toks[l.i]
	l.i++
	return t, nil
}

// grammarWords names grammar productions in participle's messages.
// Longer names come first so that "GStmt" is not read as "G" + "Stmt".
var grammarWords = [][2]string{
	{"GParamVal", "value"}, {"GFlagDecl", "flag name"}, {"GBlock", "'{'"}, {"GStmt", "statement"},
	{"GSwitch", "switch"}, {"GWhile", "while"}, {"GCase", "case"}, {"GIf", "if"},
	{"Expr", "expression"}, {"Stmt", "statement"}, {"Item", "item"},
}

var quotedToken = regexp.MustCompile(`"([^"]*)":(Ident|Op)`)

// friendlyMessage rewrites participle's grammar-speak into plain words.
func friendlyMessage(m string) string {
	m = quotedToken.ReplaceAllString(m, `"$1"`)
	m = strings.ReplaceAll(m, "<ident>", "identifier")
	m = strings.ReplaceAll(m, "<string>", "string")
	m = strings.ReplaceAll(m, "<int>", "number")
	m = strings.ReplaceAll(m, "expected gBlock", `expected "{"`)
	m = strings.ReplaceAll(m, "<pv>", "pseudo-variable")
	for _, gw := range grammarWords {
		m = strings.ReplaceAll(m, gw[0], gw[1])
	}
	if strings.HasPrefix(m, "unexpected token") {
		m = "syntax error: " + m
	}
	return m
}

// ---------------------------------------------------------------- conversion

func convertItem(it *gItem, d *diag.List) ast.Item {
	switch {
	case it.LoadModule != nil:
		lm := it.LoadModule
		return &ast.LoadModule{Pos: lm.Pos, X: lm.Keyword == "loadmodulex", Path: lm.Path, Name: preproc.ModuleName(lm.Path)}
	case it.LoadPath != nil:
		return &ast.LoadPath{Pos: it.LoadPath.Pos, Path: it.LoadPath.Path}
	case it.ModParam != nil:
		return convertModParam(it.ModParam, d)
	case it.Flags != nil:
		f := &ast.Flags{Pos: it.Flags.Pos, AVP: it.Flags.Keyword == "avpflags"}
		for _, g := range it.Flags.Decls {
			fd := &ast.FlagDecl{Pos: g.Pos, Name: g.Name, Num: -1}
			if g.Num != nil {
				n, err := ParseInt(*g.Num)
				if err != nil {
					d.Add(g.Pos, "bad flag number %s", *g.Num)
				}
				fd.Num = int(n)
			}
			f.Decls = append(f.Decls, fd)
		}
		return f
	case it.CfgEngine != nil:
		return &ast.CfgEngine{Pos: it.CfgEngine.Pos, Name: it.CfgEngine.Name}
	case it.Route != nil:
		return convertRoute(it.Route, d)
	case it.Param != nil:
		return it.Param
	}
	return nil // a stray ';'
}

func convertModParam(g *gModParam, d *diag.List) ast.Item {
	// participle sets only Pos: the module and parameter strings are the
	// third and fifth tokens of modparam ( "module" , "param"
	if len(g.Tokens) >= 5 {
		g.ModulePos, g.ParamPos = g.Tokens[2].Pos, g.Tokens[4].Pos
	}
	mp := &ast.ModParam{Pos: g.Pos, X: g.Keyword == "modparamx", Module: g.Module, ModulePos: g.ModulePos, Param: g.Param, ParamPos: g.ParamPos}
	v := g.Value
	switch {
	case v.Str != nil:
		mp.Value = &ast.StrLit{Pos: v.Pos, Value: *v.Str}
	case v.Int != nil:
		n, err := ParseInt(*v.Int)
		if err != nil {
			d.Add(v.Pos, "bad number %s", *v.Int)
		}
		if v.Neg {
			n = -n
		}
		mp.Value = &ast.IntLit{Pos: v.Pos, Value: n, Raw: *v.Int}
	case v.Word != nil:
		n, ok := numberWords[*v.Word]
		if !ok {
			d.Add(v.Pos, "modparam value %s must be a number or a quoted string", *v.Word)
		}
		mp.Value = &ast.IntLit{Pos: v.Pos, Value: n, Raw: *v.Word}
	case v.PV != nil:
		if !mp.X {
			d.Add(v.Pos, "modparam values must be constants; use modparamx to pass %s", *v.PV)
		}
		mp.Value = &ast.PVar{Pos: v.Pos, Text: *v.PV}
	}
	return mp
}

var routeKinds = map[string]ast.RouteKind{
	"request_route": ast.RouteRequest, "route": ast.RouteNamed, "reply_route": ast.RouteReply,
	"onreply_route": ast.RouteOnReply, "failure_route": ast.RouteFailure, "branch_route": ast.RouteBranch,
	"onsend_route": ast.RouteOnSend, "event_route": ast.RouteEvent,
}

var eventNameRE = regexp.MustCompile(`^[a-zA-Z][0-9a-zA-Z-]*(:[a-zA-Z][0-9a-zA-Z_-]*)+$`)

func convertRoute(g *gRoute, d *diag.List) ast.Item {
	// participle sets only Pos: the name is the third token of kw [ NAME ]
	if g.Name != nil && len(g.Tokens) >= 3 {
		g.NamePos = g.Tokens[2].Pos
	}
	r := &ast.Route{Pos: g.Pos, Keyword: g.Keyword, Kind: routeKinds[g.Keyword], NamePos: g.NamePos}
	if g.Name != nil {
		r.Name = *g.Name
	}
	switch r.Kind {
	case ast.RouteRequest:
		if r.Name != "" {
			d.Add(r.NamePos, "request_route takes no name")
		}
	case ast.RouteNamed:
		if r.Name == "" || r.Name == "0" {
			r.Kind, r.Name = ast.RouteRequest, ""
		}
	case ast.RouteOnReply:
		if r.Name == "" || r.Name == "0" {
			r.Kind, r.Name = ast.RouteReply, ""
		}
	case ast.RouteReply:
		if r.Name != "" {
			d.Add(r.NamePos, "reply_route takes no name; use onreply_route[%s] for a tm reply route", r.Name)
		}
	case ast.RouteBranch:
		if r.Name == "" {
			d.Add(r.Pos, "branch_route needs a name: branch_route[NAME]")
		}
	case ast.RouteEvent:
		if !eventNameRE.MatchString(r.Name) {
			if r.NamePos.Line == 0 {
				r.NamePos = r.Pos // event_route without [name]
			}
			d.Add(r.NamePos, "event_route needs a name of the form module:event, such as tm:local-request; %q is not one", r.Name)
		}
	}
	r.Body = convertBlock(g.Body, d)
	return r
}

func convertBlock(b *gBlock, d *diag.List) *ast.Block {
	if b == nil {
		return &ast.Block{}
	}
	d.Append(b.diags)
	out := &ast.Block{Pos: b.pos, EndPos: b.end}
	bad := b.bad
	for _, s := range b.stmts {
		// keep skipped statements in source order, as BadStmt markers
		for len(bad) > 0 && before(bad[0], s.Pos) {
			out.Stmts = append(out.Stmts, &ast.BadStmt{Pos: bad[0]})
			bad = bad[1:]
		}
		if st := convertStmt(s, d); st != nil {
			out.Stmts = append(out.Stmts, st)
		}
	}
	for _, p := range bad {
		out.Stmts = append(out.Stmts, &ast.BadStmt{Pos: p})
	}
	return out
}

func before(a, b lexer.Position) bool {
	return a.Line < b.Line || a.Line == b.Line && a.Column < b.Column
}

func convertBody(b bodyStmt, d *diag.List) ast.Stmt {
	s, ok := b.(*gStmt)
	if !ok || s == nil {
		return &ast.BadStmt{}
	}
	return convertStmt(s, d)
}

func convertStmt(s *gStmt, d *diag.List) ast.Stmt {
	switch {
	case s.If != nil:
		st := &ast.If{Pos: s.If.Pos, Cond: s.If.Cond, Then: convertBody(s.If.Then, d)}
		if s.If.Else != nil {
			st.Else = convertBody(s.If.Else, d)
		}
		return st
	case s.While != nil:
		return &ast.While{Pos: s.While.Pos, Cond: s.While.Cond, Body: convertBody(s.While.Body, d)}
	case s.Switch != nil:
		sw := &ast.Switch{Pos: s.Switch.Pos, Subject: s.Switch.Subject, EndPos: s.Switch.EndPos}
		for _, c := range s.Switch.Cases {
			cs := &ast.Case{Pos: c.Pos, Default: c.Default, Regex: c.Regex, Value: c.Value}
			for _, b := range c.Body {
				if b.Block != nil {
					d.Add(b.Block.pos, "a block { … } cannot be a case body: write the statements after the ':' without braces")
				}
				if st := convertStmt(b, d); st != nil {
					cs.Body = append(cs.Body, st)
				}
			}
			sw.Cases = append(sw.Cases, cs)
		}
		return sw
	case s.Block != nil:
		return convertBlock(s.Block, d)
	case s.Simple != nil:
		return s.Simple
	case s.Semi:
		return &ast.Empty{Pos: s.Pos}
	}
	return &ast.BadStmt{Pos: s.Pos}
}
