package parser

import (
	"strconv"
	"strings"

	"github.com/alecthomas/participle/v2"
	"github.com/alecthomas/participle/v2/lexer"

	"github.com/kamgo/kamgo/lang/ast"
	"github.com/kamgo/kamgo/lang/token"
)

// Operator precedence, lowest first, as Kamailio's cfg.y declares it (not
// C's: shifts bind looser than comparisons, ^ tighter than &, >> tighter
// than <<, and < > tighter than ==).
var binaryPrec = map[string]int{
	"||": 1, "or": 1,
	"&&": 2, "and": 2,
	"|":  3,
	"&":  4,
	"^":  5,
	"<<": 6,
	">>": 7,
	"==": 8, "!=": 8, "=~": 8, "eq": 8, "ne": 8, "ieq": 8, "ine": 8,
	"<": 9, ">": 9, "<=": 9, ">=": 9,
	"+": 10, "-": 10,
	"*": 11, "/": 11, "mod": 11,
}

const comparePrec = 8

var canonicalOp = map[string]string{"or": "||", "and": "&&"}

// condKeywords may start a comparison in a condition.
var condKeywords = map[string]bool{
	"method": true, "uri": true, "status": true, "from_uri": true, "to_uri": true,
	"src_ip": true, "dst_ip": true, "snd_ip": true, "to_ip": true,
	"src_port": true, "dst_port": true, "snd_port": true, "to_port": true,
	"proto": true, "snd_proto": true, "to_proto": true,
	"af": true, "snd_af": true, "to_af": true, "msg:len": true,
}

// wordRHS are the keywords that may be compared with a bare word: a method
// name, a host name, or a protocol.
var wordRHS = map[string]bool{
	"method": true, "src_ip": true, "dst_ip": true, "snd_ip": true, "to_ip": true,
	"proto": true, "snd_proto": true, "to_proto": true,
}

// numberWords are identifiers the lexer of Kamailio reads as numbers.
var numberWords = map[string]int64{
	"yes": 1, "true": 1, "on": 1, "enable": 1,
	"no": 0, "false": 0, "off": 0, "disable": 0,
	"inet": 2, "INET": 2, "inet6": 10, "INET6": 10,
}

var protoWords = map[string]bool{
	"udp": true, "tcp": true, "tls": true, "sctp": true, "ws": true, "wss": true,
	"UDP": true, "TCP": true, "TLS": true, "SCTP": true, "WS": true, "WSS": true,
}

// reserved words cannot be function names or values.
var reserved = map[string]bool{
	"if": true, "else": true, "while": true, "switch": true, "case": true, "default": true,
	"return": true, "exit": true, "drop": true, "break": true,
}

func isOp(t *lexer.Token, v string) bool    { return t.Type == token.Op && t.Value == v }
func isIdent(t *lexer.Token, v string) bool { return t.Type == token.Ident && t.Value == v }

func errorf(pos lexer.Position, format string, args ...any) error {
	return participle.Errorf(pos, format, args...)
}

func describe(t *lexer.Token) string { return token.Describe(*t) }

// parseExprNode is participle's hook for ast.Expr fields.
func parseExprNode(lex *lexer.PeekingLexer) (ast.Expr, error) {
	t := lex.Peek()
	if t.EOF() || isOp(t, ";") || isOp(t, "{") || isOp(t, "}") || isIdent(t, "case") || isIdent(t, "default") {
		return nil, participle.NextMatch
	}
	return parseExpr(lex)
}

// parseExpr parses a whole expression.
func parseExpr(lex *lexer.PeekingLexer) (ast.Expr, error) {
	return parseBinary(lex, 1)
}

// binaryOp returns the operator at t and its precedence, or 0.
func binaryOp(t *lexer.Token) (string, int) {
	switch t.Type {
	case token.Op:
		if p, ok := binaryPrec[t.Value]; ok {
			return t.Value, p
		}
	case token.Ident:
		switch t.Value {
		case "or", "and", "eq", "ne", "ieq", "ine", "mod":
			return t.Value, binaryPrec[t.Value]
		}
	}
	return "", 0
}

// parseBinary is precedence climbing: it parses operators of precedence
// minPrec and above, all left-associative.
func parseBinary(lex *lexer.PeekingLexer, minPrec int) (ast.Expr, error) {
	left, err := parseUnary(lex)
	if err != nil {
		return nil, err
	}
	for {
		t := lex.Peek()
		op, prec := binaryOp(t)
		if prec == 0 || prec < minPrec {
			return left, nil
		}
		opTok := *lex.Next()
		right, err := parseBinary(lex, prec+1)
		if err != nil {
			return nil, err
		}
		if c, ok := canonicalOp[op]; ok {
			op = c
		}
		left = &ast.Binary{Pos: left.Position(), Op: op, L: left, R: right, OpPos: opTok.Pos}
	}
}

func parseUnary(lex *lexer.PeekingLexer) (ast.Expr, error) {
	t := lex.Peek()
	switch {
	case isOp(t, "!") || isIdent(t, "not") || isOp(t, "~") || isOp(t, "-"):
		op := *lex.Next()
		// `!method == "X"` negates the whole comparison, as in Kamailio
		x, err := parseUnary(lex)
		if err != nil {
			return nil, err
		}
		name := op.Value
		if name == "not" {
			name = "!"
		}
		// a negative literal stays a literal, as Kamailio's intno does
		if lit, ok := x.(*ast.IntLit); ok && name == "-" {
			return &ast.IntLit{Pos: op.Pos, Value: -lit.Value, Raw: "-" + lit.Raw}, nil
		}
		return &ast.Unary{Pos: op.Pos, Op: name, X: x}, nil
	case isIdent(t, "defined"):
		d := *lex.Next()
		x, err := parseUnary(lex)
		if err != nil {
			return nil, err
		}
		return &ast.Defined{Pos: d.Pos, X: x}, nil
	case isOp(t, "(int)") || isOp(t, "(str)"):
		c := *lex.Next()
		x, err := parseUnary(lex)
		if err != nil {
			return nil, err
		}
		return &ast.Cast{Pos: c.Pos, To: c.Value[1:4], X: x}, nil
	}
	return parsePrimary(lex)
}

// ParseInt converts a Kamailio integer literal: decimal, 0x hex, leading-zero
// octal or 101b binary.
func ParseInt(raw string) (int64, error) {
	switch {
	case len(raw) > 2 && raw[:2] == "0x":
		return strconv.ParseInt(raw[2:], 16, 64)
	case len(raw) > 1 && raw[len(raw)-1] == 'b':
		return strconv.ParseInt(raw[:len(raw)-1], 2, 64)
	case len(raw) > 1 && raw[0] == '0':
		return strconv.ParseInt(raw[1:], 8, 64)
	}
	return strconv.ParseInt(raw, 10, 64)
}

func intLit(t *lexer.Token) (*ast.IntLit, error) {
	v, err := ParseInt(t.Value)
	if err != nil {
		return nil, errorf(t.Pos, "bad number %s: %v", t.Value, err)
	}
	return &ast.IntLit{Pos: t.Pos, Value: v, Raw: t.Value}, nil
}

func parsePrimary(lex *lexer.PeekingLexer) (ast.Expr, error) {
	t := lex.Peek()
	switch t.Type {
	case token.Int:
		lex.Next()
		return intLit(t)
	case token.String:
		lex.Next()
		return &ast.StrLit{Pos: t.Pos, Value: t.Value}, nil
	case token.PV:
		lex.Next()
		return &ast.PVar{Pos: t.Pos, Text: t.Value}, nil
	case token.IPv4, token.IPv6:
		return nil, errorf(t.Pos, "IP address %s is only allowed after src_ip, dst_ip, snd_ip or to_ip; quote it to use it as a string", t.Value)
	case token.EOF:
		return nil, errorf(t.Pos, "unexpected end of file in expression")
	case token.Op:
		switch t.Value {
		case "(":
			open := *lex.Next()
			x, err := parseExpr(lex)
			if err != nil {
				return nil, err
			}
			if c := lex.Peek(); !isOp(c, ")") {
				return nil, errorf(c.Pos, "expected ')' to close the '(' at %d:%d, found %s", open.Pos.Line, open.Pos.Column, describe(c))
			}
			lex.Next()
			return &ast.Paren{Pos: open.Pos, X: x}, nil
		case "%", "@":
			return parseSerForm(lex)
		}
		return nil, errorf(t.Pos, "expected an expression, found %s", describe(t))
	case token.Ident:
		return parseIdentExpr(lex)
	}
	return nil, errorf(t.Pos, "expected an expression, found %s", describe(t))
}

// parseSerForm reads a SER-style %avp or @select reference. Kamailio 5.6
// still parses them; kamgo keeps them in the tree so that the checker can
// name the unsupported feature.
func parseSerForm(lex *lexer.PeekingLexer) (ast.Expr, error) {
	mark := *lex.Next()
	text := readSerRef(lex, mark)
	feature := "SER-style AVP"
	if mark.Value == "@" {
		feature = "SER select"
	}
	if text == mark.Value {
		return nil, errorf(mark.Pos, "%s: a name must follow %s", feature, mark.Value)
	}
	return &ast.Unsupported{Pos: mark.Pos, Feature: feature, Text: text}, nil
}

// readSerRef reads the name of a SER reference written without white
// space: @hf_value["contact"], @via[1].host, %f.avp[2].
func readSerRef(lex *lexer.PeekingLexer, mark lexer.Token) string {
	return readAdjacent(lex, mark, func(prev, t *lexer.Token) (string, bool) {
		switch {
		case t.Type == token.Ident || t.Type == token.Int:
		case t.Type == token.Op && strings.Contains(".[]-*:", t.Value):
		case t.Type == token.String && isOp(prev, "["):
			return strconv.Quote(t.Value), true
		default:
			return "", false
		}
		return t.Value, true
	})
}

func parseIdentExpr(lex *lexer.PeekingLexer) (ast.Expr, error) {
	t := *lex.Peek()
	if v, ok := numberWords[t.Value]; ok {
		lex.Next()
		return &ast.IntLit{Pos: t.Pos, Value: v, Raw: t.Value}, nil
	}
	if condKeywords[t.Value] {
		lex.Next()
		return parseKeywordCond(lex, t)
	}
	if t.Value == "myself" {
		lex.Next()
		op := lex.Peek()
		if !isOp(op, "==") && !isOp(op, "!=") {
			return nil, errorf(op.Pos, "myself must be compared: myself == uri (or from_uri, to_uri, src_ip, dst_ip)")
		}
		opTok := *lex.Next()
		r := lex.Peek()
		if r.Type != token.Ident || !condKeywords[r.Value] {
			return nil, errorf(r.Pos, "myself %s needs uri, from_uri, to_uri, src_ip or dst_ip on the right, found %s", opTok.Value, describe(r))
		}
		lex.Next()
		return &ast.Binary{Pos: t.Pos, Op: opTok.Value, OpPos: opTok.Pos,
			L: &ast.Keyword{Pos: t.Pos, Name: "myself"}, R: &ast.Keyword{Pos: r.Pos, Name: r.Value}}, nil
	}
	if protoWords[t.Value] {
		lex.Next()
		return &ast.Word{Pos: t.Pos, Text: t.Value}, nil
	}
	if reserved[t.Value] {
		return nil, errorf(t.Pos, "unexpected %q in an expression", t.Value)
	}
	lex.Next()
	if n := lex.Peek(); isOp(n, "(") {
		return parseCallArgs(lex, t)
	}
	n := lex.Peek()
	return nil, errorf(n.Pos, "expected '(' after %s: a bare word is not a value here (call a function with (), quote a string, or #!define the name)", t.Value)
}

// parseKeywordCond parses `keyword op value` after the keyword. The value
// binds tighter than the comparison, as in Kamailio where these rules have
// the precedence of ==.
func parseKeywordCond(lex *lexer.PeekingLexer, kw lexer.Token) (ast.Expr, error) {
	opTok := *lex.Peek()
	op, prec := binaryOp(&opTok)
	if prec != comparePrec && prec != comparePrec+1 {
		return nil, errorf(opTok.Pos, "%s must be compared with ==, !=, =~ (or <, > for numbers), found %s", kw.Value, describe(&opTok))
	}
	lex.Next()
	left := &ast.Keyword{Pos: kw.Pos, Name: kw.Value}
	r := lex.Peek()
	var right ast.Expr
	switch {
	case r.Type == token.IPv4 || r.Type == token.IPv6:
		right = parseIPNet(lex)
	case isOp(r, "[") && isBracketedIP(lex):
		// [IPv6] as in listen specs
		lex.Next()
		right = parseIPNet(lex)
		if c := lex.Peek(); isOp(c, "]") {
			lex.Next()
		}
	case isIdent(r, "myself"):
		lex.Next()
		right = &ast.Keyword{Pos: r.Pos, Name: "myself"}
	case r.Type == token.Ident && wordRHS[kw.Value] && !condKeywords[r.Value] && !reserved[r.Value] && !isCallAhead(lex):
		if _, isNum := numberWords[r.Value]; isNum {
			break
		}
		first := *lex.Next()
		right = &ast.Word{Pos: first.Pos, Text: readWord(lex, first, false)}
	}
	if right == nil {
		var err error
		right, err = parseBinary(lex, comparePrec+1)
		if err != nil {
			return nil, err
		}
	}
	return &ast.Binary{Pos: kw.Pos, Op: op, OpPos: opTok.Pos, L: left, R: right}, nil
}

// isBracketedIP reports whether the next tokens are `[ IP ]`.
func isBracketedIP(lex *lexer.PeekingLexer) bool {
	cp := lex.MakeCheckpoint()
	defer lex.LoadCheckpoint(cp)
	lex.Next()
	ip := lex.Next()
	return (ip.Type == token.IPv6 || ip.Type == token.IPv4) && isOp(lex.Peek(), "]")
}

// isCallAhead reports whether the next tokens are `name (`.
func isCallAhead(lex *lexer.PeekingLexer) bool {
	cp := lex.MakeCheckpoint()
	defer lex.LoadCheckpoint(cp)
	lex.Next()
	return isOp(lex.Peek(), "(")
}

func parseIPNet(lex *lexer.PeekingLexer) ast.Expr {
	ip := *lex.Next()
	n := &ast.IPNet{Pos: ip.Pos, IP: ip.Value}
	if s := lex.Peek(); isOp(s, "/") {
		cp := lex.MakeCheckpoint()
		lex.Next()
		if m := lex.Peek(); m.Type == token.Int || m.Type == token.IPv4 {
			n.Mask = m.Value
			lex.Next()
		} else {
			lex.LoadCheckpoint(cp)
		}
	}
	return n
}

// adjacent reports whether b follows a with no white space between them.
// The preprocessor numbers token offsets so that this holds across define
// expansions too (see preproc.Result.Tokens).
func adjacent(a, b *lexer.Token) bool {
	return b.Pos.Offset == a.Pos.Offset+len(a.Value)
}

// readWord extends first with the tokens that follow it without white space
// and can be part of a host name or socket spec: identifiers, numbers, IP
// addresses, and . - : [ ] *. With sockets set it also takes brackets.
func readWord(lex *lexer.PeekingLexer, first lexer.Token, sockets bool) string {
	return readAdjacent(lex, first, func(_, t *lexer.Token) (string, bool) {
		switch t.Type {
		case token.Ident, token.Int, token.IPv4, token.IPv6:
			return t.Value, true
		case token.Op:
			switch t.Value {
			case ".", "-", ":", "*":
				return t.Value, true
			case "[", "]":
				return t.Value, sockets
			}
		}
		return "", false
	})
}

// readAdjacent joins first with the tokens that follow it without white
// space for as long as take accepts them; take returns the text a token
// adds.
func readAdjacent(lex *lexer.PeekingLexer, first lexer.Token, take func(prev, t *lexer.Token) (string, bool)) string {
	var b strings.Builder
	b.WriteString(first.Value)
	prev := first
	for {
		t := lex.Peek()
		if !adjacent(&prev, t) {
			return b.String()
		}
		text, ok := take(&prev, t)
		if !ok {
			return b.String()
		}
		b.WriteString(text)
		prev = *lex.Next()
	}
}

// wordArgs are the core functions whose arguments may be bare words (route
// names, flag names, host names, socket specs, protocols).
var wordArgs = map[string]bool{
	"route": true, "setflag": true, "resetflag": true, "isflagset": true,
	"setavpflag": true, "resetavpflag": true, "isavpflagset": true,
	"forward": true, "forward_udp": true, "forward_tcp": true, "forward_tls": true, "forward_sctp": true,
	"force_send_socket": true, "udp_mtu_try_proto": true, "set_advertised_address": true,
}

// parseCallArgs parses `( args )` after the function name.
func parseCallArgs(lex *lexer.PeekingLexer, name lexer.Token) (*ast.Call, error) {
	open := *lex.Next() // (
	call := &ast.Call{Pos: name.Pos, Name: name.Value, Parens: true, NameEnd: open.Pos}
	if c := lex.Peek(); isOp(c, ")") {
		call.EndPos = lex.Next().Pos
		return call, nil
	}
	for {
		arg, err := parseArg(lex, call.Name)
		if err != nil {
			return nil, err
		}
		call.Args = append(call.Args, arg)
		t := lex.Peek()
		if isOp(t, ",") {
			lex.Next()
			continue
		}
		if isOp(t, ")") {
			call.EndPos = lex.Next().Pos
			return call, nil
		}
		return nil, errorf(t.Pos, "expected ',' or ')' in the arguments of %s, found %s", call.Name, describe(t))
	}
}

func parseArg(lex *lexer.PeekingLexer, fn string) (ast.Expr, error) {
	if wordArgs[fn] {
		t := lex.Peek()
		switch {
		case t.Type == token.IPv4 || t.Type == token.IPv6 || isOp(t, "[") || isOp(t, "*"):
			first := *lex.Next()
			return &ast.Word{Pos: first.Pos, Text: readWord(lex, first, true)}, nil
		case t.Type == token.Ident && !isCallAhead(lex):
			if _, isNum := numberWords[t.Value]; !isNum {
				first := *lex.Next()
				return &ast.Word{Pos: first.Pos, Text: readWord(lex, first, true)}, nil
			}
		}
	}
	return parseExpr(lex)
}
