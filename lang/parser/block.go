package parser

import (
	"errors"

	"github.com/alecthomas/participle/v2"
	"github.com/alecthomas/participle/v2/lexer"

	"github.com/kamgo/kamgo/lang/ast"
	"github.com/kamgo/kamgo/lang/diag"
	"github.com/kamgo/kamgo/lang/token"
)

// gBlock is `{ statements }`. It parses its statements one at a time and
// recovers from a syntax error by skipping to the end of the bad statement,
// so that one run reports every error. The errors stay in the block and
// are collected when the tree is converted.
type gBlock struct {
	pos, end lexer.Position
	stmts    []*gStmt
	bad      []lexer.Position // where skipped statements started
	diags    diag.List
}

// Parse implements participle.Parseable.
func (b *gBlock) Parse(lex *lexer.PeekingLexer) error {
	open := lex.Peek()
	if !isOp(open, "{") {
		return participle.NextMatch
	}
	b.pos = lex.Next().Pos
	for {
		t := lex.Peek()
		if isOp(t, "}") {
			b.end = lex.Next().Pos
			if len(b.stmts) == 0 && len(b.bad) == 0 {
				// Kamailio's grammar has no empty action list
				b.diags.Add(b.end, "empty block: Kamailio needs at least one statement between { and } (a lone ';' will do)")
			}
			return nil
		}
		if isOp(t, "{") {
			// a block is only the body of if, else or while
			b.diags.Add(t.Pos, "a block { … } cannot stand on its own here: it must be the body of if, else or while")
			b.bad = append(b.bad, t.Pos)
			skipStatement(lex)
			continue
		}
		if t.EOF() {
			b.end = t.Pos
			b.diags.Add(t.Pos, "unexpected end of file: missing '}' to close the block opened at %d:%d", b.pos.Line, b.pos.Column)
			return nil
		}
		start := lex.MakeCheckpoint()
		startTok := *t
		st, err := parseStmt(lex, startTok)
		if err == nil {
			b.stmts = append(b.stmts, st)
			continue
		}
		b.diags = append(b.diags, toDiag(err, startTok))
		lex.LoadCheckpoint(start)
		b.bad = append(b.bad, startTok.Pos)
		skipStatement(lex)
	}
}

// parseStmt parses one statement of a list. Simple statements (calls,
// assignments, return/exit/drop/break, `;`) go straight to their hand-written
// parser, which is what participle's union would pick for them anyway; this
// saves participle's reflection on the most common statements. Compound
// statements go through the participle grammar.
func parseStmt(lex *lexer.PeekingLexer, first lexer.Token) (*gStmt, error) {
	switch {
	case isOp(&first, ";"):
		lex.Next()
		return &gStmt{Pos: first.Pos, Semi: true}, nil
	case isIdent(&first, "if"):
		return parseIf(lex, first)
	case first.Type == token.PV,
		first.Type == token.Ident && !compoundKeywords[first.Value]:
		st, err := parseSimpleStmt(lex)
		if err != nil {
			return nil, err
		}
		return &gStmt{Pos: first.Pos, Simple: st}, nil
	}
	return stmtParser.ParseFromLexer(lex, participle.AllowTrailing(true))
}

// parseIf parses `if cond body [else body]`, the statement configs are made
// of, directly; it builds the same gIf node as the participle grammar, which
// still parses an if that starts a case body.
func parseIf(lex *lexer.PeekingLexer, kw lexer.Token) (*gStmt, error) {
	lex.Next()
	if t := lex.Peek(); t.EOF() || isOp(t, "{") || isOp(t, ";") {
		return nil, errorf(t.Pos, "expected a condition after if, found %s", describe(t))
	}
	cond, err := parseExpr(lex)
	if err != nil {
		return nil, err
	}
	g := &gIf{Pos: kw.Pos, Cond: cond}
	if g.Then, err = parseBodyStmt(lex); err != nil {
		return nil, err
	}
	if isIdent(lex.Peek(), "else") {
		lex.Next()
		if g.Else, err = parseBodyStmt(lex); err != nil {
			return nil, err
		}
	}
	return &gStmt{Pos: kw.Pos, If: g}, nil
}

// parseBodyStmt is participle's hook for bodyStmt.
func parseBodyStmt(lex *lexer.PeekingLexer) (bodyStmt, error) {
	t := *lex.Peek()
	if isOp(&t, "{") {
		b := &gBlock{}
		if err := b.Parse(lex); err != nil {
			return nil, err
		}
		return &gStmt{Pos: t.Pos, Block: b}, nil
	}
	if t.EOF() || isOp(&t, "}") {
		return nil, errorf(t.Pos, "expected a statement, found %s", describe(&t))
	}
	return parseStmt(lex, t)
}

// compoundKeywords start statements that the participle grammar parses.
var compoundKeywords = map[string]bool{"if": true, "while": true, "switch": true, "case": true, "default": true}

// toDiag turns a participle error into a diagnostic.
func toDiag(err error, at lexer.Token) diag.Diagnostic {
	var perr participle.Error
	if errors.As(err, &perr) {
		pos := perr.Position()
		if pos.Line == 0 {
			pos = at.Pos
		}
		return diag.Diagnostic{Pos: pos, Severity: diag.Error, Msg: friendlyMessage(perr.Message())}
	}
	return diag.Diagnostic{Pos: at.Pos, Severity: diag.Error, Msg: err.Error()}
}

// skipStatement skips the tokens of one bad statement: up to and including
// the next `;` outside braces, or a whole `{ … }` group, stopping before a
// `}` that closes the enclosing block. It always consumes at least one token.
func skipStatement(lex *lexer.PeekingLexer) {
	depth := 0
	first := true
	for {
		t := lex.Peek()
		if t.EOF() {
			return
		}
		switch {
		case isOp(t, "}"):
			if depth == 0 {
				if first {
					lex.Next()
				}
				return
			}
			depth--
			lex.Next()
			if depth == 0 {
				// a compound statement ends here unless `else` follows
				if n := lex.Peek(); !isIdent(n, "else") {
					return
				}
			}
		case isOp(t, "{"):
			depth++
			lex.Next()
		case isOp(t, ";") && depth == 0:
			lex.Next()
			return
		default:
			lex.Next()
		}
		first = false
	}
}

// parenlessCommands are the core commands Kamailio accepts without ().
var parenlessCommands = map[string]bool{
	"revert_uri": true, "force_rport": true, "add_rport": true, "add_local_rport": true,
	"force_tcp_alias": true, "add_tcp_alias": true, "set_forward_no_connect": true,
	"set_reply_no_connect": true, "set_forward_close": true, "set_reply_close": true,
}

var returnKinds = map[string]ast.ReturnKind{"return": ast.KindReturn, "exit": ast.KindExit, "drop": ast.KindDrop, "break": ast.KindBreak}

// parseSimpleStmt is participle's hook for ast.Stmt: return/exit/drop/
// break, assignments and function calls, each ending in `;`.
func parseSimpleStmt(lex *lexer.PeekingLexer) (ast.Stmt, error) {
	t := *lex.Peek()
	var st ast.Stmt
	var err error
	switch {
	case t.Type == token.Ident:
		if kind, ok := returnKinds[t.Value]; ok {
			st, err = parseReturn(lex, kind)
			break
		}
		switch t.Value {
		case "case", "default":
			return nil, participle.NextMatch
		case "else":
			return nil, errorf(t.Pos, "else without a matching if (is there a ';' or '}' too many before it?)")
		}
		if reserved[t.Value] {
			return nil, participle.NextMatch
		}
		st, err = parseCallStmt(lex)
	case t.Type == token.PV:
		st, err = parseAssign(lex)
	case isOp(&t, "%") || isOp(&t, "@"):
		x, perr := parseSerForm(lex)
		if perr != nil {
			return nil, perr
		}
		if n := lex.Peek(); !isOp(n, "=") {
			return nil, errorf(n.Pos, "expected '=' after %s", x.(*ast.Unsupported).Text)
		}
		lex.Next()
		rhs, rerr := parseExpr(lex)
		if rerr != nil {
			return nil, rerr
		}
		st = &ast.CallStmt{Pos: t.Pos, Call: &ast.Call{Pos: t.Pos, Name: "=", Args: []ast.Expr{x, rhs}}}
	default:
		return nil, participle.NextMatch
	}
	if err != nil {
		return nil, err
	}
	if n := lex.Peek(); !isOp(n, ";") {
		return nil, errorf(n.Pos, "missing ';' before %s", describe(n))
	}
	lex.Next()
	return st, nil
}

func parseReturn(lex *lexer.PeekingLexer, kind ast.ReturnKind) (ast.Stmt, error) {
	kw := *lex.Next()
	r := &ast.Return{Pos: kw.Pos, Kind: kind}
	n := lex.Peek()
	if isOp(n, ";") {
		return r, nil
	}
	if isOp(n, "}") || n.EOF() || n.Type == token.Ident && reserved[n.Value] {
		return nil, errorf(n.Pos, "missing ';' after %s", kw.Value)
	}
	if kind == ast.KindBreak {
		return nil, errorf(n.Pos, "break takes no value; missing ';' before %s", describe(n))
	}
	if isOp(n, "(") {
		cp := lex.MakeCheckpoint()
		lex.Next()
		if isOp(lex.Peek(), ")") {
			lex.Next()
			return r, nil
		}
		lex.LoadCheckpoint(cp)
	}
	v, err := parseExpr(lex)
	if err != nil {
		return nil, err
	}
	r.Value = v
	return r, nil
}

func parseAssign(lex *lexer.PeekingLexer) (ast.Stmt, error) {
	pv := *lex.Next()
	op := lex.Peek()
	switch {
	case isOp(op, "="):
	case isOp(op, "+="):
		return nil, errorf(op.Pos, "'+=' is not an operator of Kamailio's config language: write %s = %s + …", pv.Value, pv.Value)
	case isOp(op, ":"):
		return nil, errorf(op.Pos, "':=' is not an operator of Kamailio's config language: write %s = …", pv.Value)
	default:
		return nil, errorf(op.Pos, "expected '=' after %s, found %s (a pseudo-variable alone is not a statement)", pv.Value, describe(op))
	}
	lex.Next()
	rhs, err := parseExpr(lex)
	if err != nil {
		return nil, err
	}
	return &ast.Assign{Pos: pv.Pos, LHS: &ast.PVar{Pos: pv.Pos, Text: pv.Value}, RHS: rhs}, nil
}

func parseCallStmt(lex *lexer.PeekingLexer) (ast.Stmt, error) {
	name := *lex.Next()
	n := lex.Peek()
	if isOp(n, "(") {
		call, err := parseCallArgs(lex, name)
		if err != nil {
			return nil, err
		}
		return &ast.CallStmt{Pos: name.Pos, Call: call}, nil
	}
	if parenlessCommands[name.Value] {
		return &ast.CallStmt{Pos: name.Pos, Call: &ast.Call{Pos: name.Pos, Name: name.Value, NameEnd: n.Pos, EndPos: n.Pos}}, nil
	}
	if isOp(n, "=") {
		return nil, errorf(name.Pos, "%s = …: only pseudo-variables can be assigned in a route (did you mean $var(%s)?)", name.Value, name.Value)
	}
	return nil, errorf(n.Pos, "expected '(' after %s: function calls need parentheses", name.Value)
}
