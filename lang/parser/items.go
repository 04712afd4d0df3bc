package parser

import (
	"github.com/alecthomas/participle/v2"
	"github.com/alecthomas/participle/v2/lexer"

	"github.com/kamgo/kamgo/lang/ast"
	"github.com/kamgo/kamgo/lang/token"
)

// paramKind is the kind of value a core parameter takes.
type paramKind int

const (
	paramAny    paramKind = iota // number, string or word
	paramInt                     // number (yes/no words included)
	paramString                  // string or word
	paramSocket                  // listen / alias socket specs
)

// topKeywords start a top-level item; a core parameter's value never
// extends over one.
var topKeywords = map[string]bool{
	"loadmodule": true, "loadmodulex": true, "loadpath": true, "mpath": true,
	"modparam": true, "modparamx": true, "flags": true, "bool": true, "avpflags": true,
	"cfgengine": true, "route": true, "request_route": true, "reply_route": true,
	"onreply_route": true, "failure_route": true, "branch_route": true,
	"onsend_route": true, "event_route": true,
}

// parseParamItem is participle's hook for ast.Item: a core parameter
// `name = value…` or a custom config variable `group[.N].name = value`.
func parseParamItem(lex *lexer.PeekingLexer) (ast.Item, error) {
	name := *lex.Peek()
	if name.Type != token.Ident || topKeywords[name.Value] {
		return nil, participle.NextMatch
	}
	lex.Next()
	n := lex.Peek()
	if isOp(n, ".") || isOp(n, "[") {
		return parseCfgVar(lex, name)
	}
	if !isOp(n, "=") {
		if isOp(n, "(") {
			return nil, errorf(name.Pos, "function call %s(…) outside a route block", name.Value)
		}
		return nil, errorf(n.Pos, "expected '=' after %s, found %s", name.Value, describe(n))
	}
	eq := *lex.Next()
	kind, known := coreParams[name.Value]
	if !known {
		return nil, errorf(eq.Pos, "unknown core parameter %q (unknown config variable)", name.Value)
	}
	toks := valueTokens(lex)
	if len(toks) == 0 {
		return nil, errorf(lex.Peek().Pos, "%s = needs a value", name.Value)
	}
	p := &ast.CoreParam{Pos: name.Pos, Name: name.Value}
	if kind == paramSocket {
		socks, err := parseSockets(toks)
		if err != nil {
			return nil, err
		}
		for _, s := range socks {
			p.Values = append(p.Values, &ast.ParamValue{Pos: s.Pos, Kind: ast.ValSocket, Str: s.Host, Socket: s})
		}
		return p, nil
	}
	v, err := scalarValue(name.Value, kind, toks)
	if err != nil {
		return nil, err
	}
	p.Values = []*ast.ParamValue{v}
	return p, nil
}

// valueTokens collects the tokens of a core parameter's value: everything
// up to `;`, the end, a top-level keyword, or the start of the next
// `name =` / `group.name =`.
func valueTokens(lex *lexer.PeekingLexer) []lexer.Token {
	var toks []lexer.Token
	for {
		t := lex.Peek()
		if t.EOF() || isOp(t, ";") || isOp(t, "{") || isOp(t, "}") {
			return toks
		}
		if t.Type == token.Ident && (topKeywords[t.Value] || startsAssignment(lex)) {
			return toks
		}
		toks = append(toks, *lex.Next())
	}
}

// startsAssignment reports whether the tokens ahead are `name =`,
// `name.name =` or `name[N].name =`.
func startsAssignment(lex *lexer.PeekingLexer) bool {
	cp := lex.MakeCheckpoint()
	defer lex.LoadCheckpoint(cp)
	lex.Next()
	t := lex.Next()
	if isOp(t, "=") {
		return true
	}
	if isOp(t, "[") {
		if lex.Next().Type != token.Int || !isOp(lex.Next(), "]") {
			return false
		}
		t = lex.Next()
	}
	return isOp(t, ".") && lex.Next().Type == token.Ident && isOp(lex.Next(), "=")
}

func scalarValue(name string, kind paramKind, toks []lexer.Token) (*ast.ParamValue, error) {
	t := toks[0]
	v := &ast.ParamValue{Pos: t.Pos}
	rest := toks[1:]
	switch {
	case isOp(&t, "-") && len(toks) > 1 && toks[1].Type == token.Int:
		lit, err := intLit(&toks[1])
		if err != nil {
			return nil, err
		}
		v.Kind, v.Int = ast.ValInt, -lit.Value
		rest = toks[2:]
	case t.Type == token.Int:
		lit, err := intLit(&t)
		if err != nil {
			return nil, err
		}
		v.Kind, v.Int = ast.ValInt, lit.Value
	case t.Type == token.String:
		v.Kind, v.Str = ast.ValString, t.Value
	case t.Type == token.Ident:
		if n, ok := numberWords[t.Value]; ok {
			v.Kind, v.Int = ast.ValInt, n
			break
		}
		// a word: an identifier such as LOG_LOCAL0, or a dotted host name
		text, n := joinAdjacent(toks)
		v.Kind, v.Str = ast.ValWord, text
		rest = toks[n:]
	case t.Type == token.IPv4 || t.Type == token.IPv6:
		v.Kind, v.Str = ast.ValWord, t.Value
	default:
		return nil, errorf(t.Pos, "bad value for %s: %s", name, describe(&t))
	}
	if len(rest) > 0 {
		return nil, errorf(rest[0].Pos, "%s takes one value; unexpected %s (is a ';' or a newline missing?)", name, describe(&rest[0]))
	}
	switch {
	case kind == paramInt && v.Kind != ast.ValInt:
		return nil, errorf(t.Pos, "%s expects a number, found %s", name, describe(&t))
	case kind == paramString && v.Kind == ast.ValInt && t.Type != token.Ident:
		return nil, errorf(t.Pos, "%s expects a string, found %s", name, describe(&t))
	}
	return v, nil
}

// joinAdjacent joins the leading tokens written without white space between
// them (a host name such as sip.example.com) and says how many it used.
func joinAdjacent(toks []lexer.Token) (string, int) {
	text := toks[0].Value
	i := 1
	for ; i < len(toks) && adjacent(&toks[i-1], &toks[i]); i++ {
		text += toks[i].Value
	}
	return text, i
}

// joinHost is joinAdjacent limited to the tokens a host name is made of
// (identifiers, numbers, addresses, '.' and '-'), so that it stops at the
// ',' and ')' of an SCTP address list written without blanks.
func joinHost(toks []lexer.Token) (string, int) {
	text := toks[0].Value
	i := 1
	for ; i < len(toks) && adjacent(&toks[i-1], &toks[i]); i++ {
		t := &toks[i]
		if t.Type != token.Ident && t.Type != token.Int && t.Type != token.IPv4 && t.Type != token.IPv6 && !isOp(t, ".") && !isOp(t, "-") {
			break
		}
		text += t.Value
	}
	return text, i
}

// listenProtos are the protocols a listen or alias spec may name.
var listenProtos = map[string]bool{
	"udp": true, "tcp": true, "tls": true, "sctp": true,
	"UDP": true, "TCP": true, "TLS": true, "SCTP": true,
}

// parseSockets reads listen/alias specs:
// [proto:]host[:port] [advertise host[:port]] [name "n"] [virtual], where
// host is an IP, [IPv6], a name, "*", a "string" or (a, b) for SCTP.
func parseSockets(toks []lexer.Token) ([]*ast.Socket, error) {
	var out []*ast.Socket
	i := 0
	suffixed := false
	for i < len(toks) {
		if suffixed {
			// Kamailio takes advertise/name/virtual only after the last spec
			return nil, errorf(toks[i].Pos, "unexpected %s after advertise, name or virtual: those must come after the last address", describe(&toks[i]))
		}
		start := i
		s, n, err := parseSocketAt(toks[i:])
		if err != nil {
			return nil, err
		}
		i += n
		for i < len(toks) && toks[i].Type == token.Ident {
			switch toks[i].Value {
			case "advertise", "ADVERTISE":
				if i+1 >= len(toks) {
					return nil, errorf(toks[i].Pos, "advertise needs an address")
				}
				adv, n, err := parseSocketAt(toks[i+1:])
				if err != nil {
					return nil, err
				}
				s.AdvHost, s.AdvPort = adv.Host, adv.Port
				i += 1 + n
				continue
			case "name":
				if i+1 >= len(toks) || toks[i+1].Type != token.String {
					return nil, errorf(toks[i].Pos, "name needs a quoted socket name")
				}
				s.Name = toks[i+1].Value
				i += 2
				continue
			case "virtual":
				s.Virtual = true
				i++
				continue
			}
			break
		}
		suffixed = i > start+n
		out = append(out, s)
	}
	return out, nil
}

func parseSocketAt(toks []lexer.Token) (*ast.Socket, int, error) {
	s := &ast.Socket{Pos: toks[0].Pos}
	i := 0
	at := func(k int) *lexer.Token {
		if k < len(toks) {
			return &toks[k]
		}
		return &lexer.Token{Type: token.EOF}
	}
	// protocol prefix
	if t := at(0); (t.Type == token.Ident && protoWords[t.Value] || isOp(t, "*")) && isOp(at(1), ":") && adjacent(t, at(1)) {
		if !listenProtos[t.Value] && !isOp(t, "*") {
			return nil, 0, errorf(t.Pos, "%s is not a protocol for listen or alias: use udp, tcp, tls, sctp or *", t.Value)
		}
		s.Proto = t.Value
		i = 2
	}
	t := at(i)
	switch {
	case t.Type == token.String:
		s.Host = t.Value
		i++
	case t.Type == token.IPv4 || t.Type == token.IPv6:
		s.Host = t.Value
		i++
	case isOp(t, "["):
		if at(i+1).Type != token.IPv6 && at(i+1).Type != token.IPv4 || !isOp(at(i+2), "]") {
			return nil, 0, errorf(t.Pos, "expected an IPv6 address in [ ]")
		}
		s.Host, s.Bracketed = at(i+1).Value, true
		i += 3
	case isOp(t, "("):
		i++
		for {
			h := at(i)
			if h.Type != token.IPv4 && h.Type != token.IPv6 && h.Type != token.Ident && h.Type != token.String {
				return nil, 0, errorf(h.Pos, "expected an address in the ( ) list, found %s", describe(h))
			}
			text, n := joinHost(toks[i:])
			s.Hosts = append(s.Hosts, text)
			i += n
			if isOp(at(i), ",") {
				i++
				continue
			}
			if !isOp(at(i), ")") {
				return nil, 0, errorf(at(i).Pos, "expected ',' or ')' in the address list")
			}
			i++
			break
		}
		s.Host = s.Hosts[0]
	case t.Type == token.Ident || t.Type == token.Int:
		text, n := joinAdjacent(toks[i:])
		// the join may swallow ":port"; split it back off
		for k := i; k < i+n; k++ {
			if isOp(&toks[k], ":") {
				text, _ = joinAdjacent(toks[i:k])
				n = k - i
				break
			}
		}
		s.Host = text
		i += n
	default:
		return nil, 0, errorf(t.Pos, "expected an address, found %s", describe(t))
	}
	if isOp(at(i), ":") && adjacent(at(i-1), at(i)) {
		p := at(i + 1)
		if p.Type != token.Int {
			return nil, 0, errorf(p.Pos, "expected a port number after ':', found %s", describe(p))
		}
		port, err := ParseInt(p.Value)
		if err != nil || port < 0 || port > 65535 {
			return nil, 0, errorf(p.Pos, "bad port %s", p.Value)
		}
		s.Port = int(port)
		i += 2
	}
	return s, i, nil
}

func parseCfgVar(lex *lexer.PeekingLexer, group lexer.Token) (ast.Item, error) {
	v := &ast.CfgVar{Pos: group.Pos, Group: group.Value, Instance: -1}
	if isOp(lex.Peek(), "[") {
		lex.Next()
		n := lex.Next()
		if n.Type != token.Int || !isOp(lex.Peek(), "]") {
			return nil, errorf(n.Pos, "expected %s[N].name: a group instance number in [ ]", group.Value)
		}
		inst, _ := ParseInt(n.Value)
		v.Instance = int(inst)
		lex.Next()
	}
	if t := lex.Next(); !isOp(t, ".") {
		return nil, errorf(t.Pos, "expected '.' in the config variable %s.name", group.Value)
	}
	name := lex.Next()
	if name.Type != token.Ident {
		return nil, errorf(name.Pos, "expected a variable name after %s.", group.Value)
	}
	v.Name = name.Value
	if t := lex.Next(); !isOp(t, "=") {
		return nil, errorf(t.Pos, "expected '=' after %s.%s", group.Value, name.Value)
	}
	t := lex.Next()
	switch {
	case t.Type == token.String:
		v.Value = &ast.StrLit{Pos: t.Pos, Value: t.Value}
	case t.Type == token.Int:
		lit, err := intLit(t)
		if err != nil {
			return nil, err
		}
		v.Value = lit
	case isOp(t, "-") && lex.Peek().Type == token.Int:
		// Kamailio's grammar reads NUMBER here, not intno
		return nil, errorf(t.Pos, "%s.%s = takes a number or a string; negative numbers are not allowed here", group.Value, name.Value)
	case t.Type == token.Ident && numberWordOK(t.Value):
		v.Value = &ast.IntLit{Pos: t.Pos, Value: numberWords[t.Value], Raw: t.Value}
	default:
		return nil, errorf(t.Pos, "%s.%s = needs a number or a string, found %s", group.Value, name.Value, describe(t))
	}
	if d := lex.Peek(); d.Type == token.Ident && (d.Value == "desc" || d.Value == "descr" || d.Value == "description") {
		lex.Next()
		s := lex.Next()
		if s.Type != token.String {
			return nil, errorf(s.Pos, "%s needs a quoted description", d.Value)
		}
		v.Desc = s.Value
	}
	return v, nil
}

func numberWordOK(w string) bool { _, ok := numberWords[w]; return ok }
