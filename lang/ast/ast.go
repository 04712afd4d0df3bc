// Package ast declares the syntax tree of a kamailio.cfg config: top-level
// items (core parameters, loadmodule, modparam, flags, route blocks) and the
// statements and expressions inside routes. The parser builds it; the
// checker and the compiler read it. Every node carries the position of its
// first token in the file the user wrote. The struct tags are the participle
// grammar for the parts participle parses; expressions, function calls and
// core-parameter values are parsed by hand (see lang/parser).
package ast

import (
	"github.com/kamgo/kamgo/lang/token"
)

// Node is any syntax tree node.
type Node interface {
	Position() token.Pos
}

// Config is a whole config file after preprocessing.
type Config struct {
	Items []Item
	// Mode is the compatibility header (#!KAMAILIO → "KAMAILIO"), or "".
	Mode string
}

// Item is a top-level item.
type Item interface {
	Node
	item()
}

// ---------------------------------------------------------------- top level

// CoreParam is `name = value …`, a Kamailio core parameter.
type CoreParam struct {
	Pos    token.Pos
	Name   string
	Values []*ParamValue
}

// ValueKind tells what a ParamValue holds.
type ValueKind int

// Kinds of core parameter values.
const (
	ValInt    ValueKind = iota // a number (yes/no/on/off and inet/inet6 included)
	ValString                  // a quoted string
	ValWord                    // a bare word: an identifier, host name, interface or ID like LOG_LOCAL0
	ValSocket                  // a socket spec: [proto:]host[:port] with listen's suffixes
)

// ParamValue is one value of a core parameter.
type ParamValue struct {
	Pos  token.Pos
	Kind ValueKind
	Int  int64
	// Str holds the string, the word, or the socket host.
	Str    string
	Socket *Socket
}

// Socket is a listen/alias style address: [proto:]host[:port], and for
// listen the optional `advertise host[:port]`, `name "n"` and `virtual`.
type Socket struct {
	Pos   token.Pos
	Proto string // udp, tcp, tls, sctp, ws, wss, * or ""
	Host  string // IPv4, IPv6 (without brackets), host name, interface, "*"
	// Hosts holds more than one host for the SCTP multihomed form (a, b).
	Hosts     []string
	Port      int // 0 when absent
	AdvHost   string
	AdvPort   int
	Name      string
	Virtual   bool
	Bracketed bool // the IPv6 host was written in [ ]
}

// CfgVar is a custom runtime config variable: `group.name = value desc "…"`.
type CfgVar struct {
	Pos      token.Pos
	Group    string
	Instance int // group[N].name; -1 when absent
	Name     string
	Value    Expr // *IntLit or *StrLit
	Desc     string
}

// LoadModule is `loadmodule "path"` or `loadmodulex "path"`.
type LoadModule struct {
	Pos  token.Pos
	X    bool
	Path string
	// Name is the module name: the path's file name without ".so".
	Name string
}

// LoadPath is `loadpath "dir"` or `mpath "dir"`, with or without `=`.
type LoadPath struct {
	Pos  token.Pos
	Path string
}

// ModParam is `modparam("module", "param", value)` (or modparamx).
type ModParam struct {
	Pos       token.Pos
	X         bool
	Module    string
	ModulePos token.Pos
	Param     string
	ParamPos  token.Pos
	Value     Expr // *IntLit or *StrLit (modparamx: any expression)
}

// FlagDecl declares a named flag, optionally with its number.
type FlagDecl struct {
	Pos  token.Pos
	Name string
	Num  int // -1 when not given
}

// Flags is `flags A, B:3;` (keyword also `bool`) or `avpflags A, B;`.
type Flags struct {
	Pos   token.Pos
	AVP   bool
	Decls []*FlagDecl
}

// CfgEngine is `cfgengine "name"`, which selects KEMI when not native.
type CfgEngine struct {
	Pos  token.Pos
	Name string
}

// RouteKind is the kind of a route block.
type RouteKind int

// Route kinds. RouteRequest covers request_route, route {} and route[0].
const (
	RouteRequest RouteKind = iota
	RouteNamed             // route[NAME]
	RouteReply             // reply_route, onreply_route without name or [0]: the core reply route
	RouteOnReply           // onreply_route[NAME]: tm reply route
	RouteFailure           // failure_route[NAME]
	RouteBranch            // branch_route[NAME]
	RouteOnSend            // onsend_route
	RouteEvent             // event_route[NAME]
)

var routeKindNames = [...]string{"request_route", "route", "reply_route", "onreply_route", "failure_route", "branch_route", "onsend_route", "event_route"}

func (k RouteKind) String() string {
	if int(k) < len(routeKindNames) {
		return routeKindNames[k]
	}
	return "route?"
}

// Route is a route block.
type Route struct {
	Pos     token.Pos
	Kind    RouteKind
	Keyword string // as written: route, request_route, onreply_route, …
	Name    string // "" for unnamed routes
	NamePos token.Pos
	Body    *Block
}

// Bad marks a top-level region the parser skipped after a syntax error.
type Bad struct {
	Pos token.Pos
}

func (n *CoreParam) Position() token.Pos  { return n.Pos }
func (n *CfgVar) Position() token.Pos     { return n.Pos }
func (n *LoadModule) Position() token.Pos { return n.Pos }
func (n *LoadPath) Position() token.Pos   { return n.Pos }
func (n *ModParam) Position() token.Pos   { return n.Pos }
func (n *Flags) Position() token.Pos      { return n.Pos }
func (n *FlagDecl) Position() token.Pos   { return n.Pos }
func (n *CfgEngine) Position() token.Pos  { return n.Pos }
func (n *Route) Position() token.Pos      { return n.Pos }
func (n *Bad) Position() token.Pos        { return n.Pos }
func (n *ParamValue) Position() token.Pos { return n.Pos }
func (n *Socket) Position() token.Pos     { return n.Pos }

func (*CoreParam) item()  {}
func (*CfgVar) item()     {}
func (*LoadModule) item() {}
func (*LoadPath) item()   {}
func (*ModParam) item()   {}
func (*Flags) item()      {}
func (*CfgEngine) item()  {}
func (*Route) item()      {}
func (*Bad) item()        {}

// ---------------------------------------------------------------- statements

// Stmt is a statement inside a route.
type Stmt interface {
	Node
	stmt()
}

// Block is `{ stmt… }`.
type Block struct {
	Pos    token.Pos
	EndPos token.Pos // position of the closing brace
	Stmts  []Stmt
}

// CallStmt is a function call used as a statement: `f(args);` or, for the
// core commands that allow it, `revert_uri;`.
type CallStmt struct {
	Pos  token.Pos
	Call *Call
}

// Assign is `lhs = expr;`. The left side is a pseudo-variable.
type Assign struct {
	Pos token.Pos
	LHS *PVar
	RHS Expr
}

// If is `if cond stmt [else stmt]`.
type If struct {
	Pos  token.Pos
	Cond Expr
	Then Stmt
	Else Stmt // nil when absent
}

// While is `while cond stmt`.
type While struct {
	Pos  token.Pos
	Cond Expr
	Body Stmt
}

// Switch is `switch expr { case …: … default: … }`. Case bodies fall
// through to the next case until a break, as in C.
type Switch struct {
	Pos     token.Pos
	Subject Expr
	Cases   []*Case
	EndPos  token.Pos
}

// Case is one `case value:`, `case /"regex":` or `default:` with its body.
type Case struct {
	Pos     token.Pos
	Default bool
	Regex   bool
	Value   Expr // *IntLit or *StrLit; nil for default
	Body    []Stmt
}

// ReturnKind is which of return/exit/drop/break a Return is.
type ReturnKind int

// Return kinds.
const (
	KindReturn ReturnKind = iota
	KindExit
	KindDrop
	KindBreak
)

var returnKindNames = [...]string{"return", "exit", "drop", "break"}

func (k ReturnKind) String() string { return returnKindNames[k] }

// Return is `return [expr]`, `exit [expr]`, `drop [expr]` or `break`.
type Return struct {
	Pos   token.Pos
	Kind  ReturnKind
	Value Expr // nil when absent
}

// Empty is a stray `;`.
type Empty struct {
	Pos token.Pos
}

// BadStmt marks statements the parser skipped after a syntax error.
type BadStmt struct {
	Pos token.Pos
}

func (n *Block) Position() token.Pos    { return n.Pos }
func (n *CallStmt) Position() token.Pos { return n.Pos }
func (n *Assign) Position() token.Pos   { return n.Pos }
func (n *If) Position() token.Pos       { return n.Pos }
func (n *While) Position() token.Pos    { return n.Pos }
func (n *Switch) Position() token.Pos   { return n.Pos }
func (n *Case) Position() token.Pos     { return n.Pos }
func (n *Return) Position() token.Pos   { return n.Pos }
func (n *Empty) Position() token.Pos    { return n.Pos }
func (n *BadStmt) Position() token.Pos  { return n.Pos }

func (*Block) stmt()    {}
func (*CallStmt) stmt() {}
func (*Assign) stmt()   {}
func (*If) stmt()       {}
func (*While) stmt()    {}
func (*Switch) stmt()   {}
func (*Return) stmt()   {}
func (*Empty) stmt()    {}
func (*BadStmt) stmt()  {}

// ---------------------------------------------------------------- expressions

// Expr is an expression.
type Expr interface {
	Node
	expr()
}

// IntLit is an integer literal, including yes/no/on/off/true/false and the
// address family names inet/inet6.
type IntLit struct {
	Pos   token.Pos
	Value int64
	Raw   string
}

// StrLit is a string literal, already unescaped.
type StrLit struct {
	Pos   token.Pos
	Value string
}

// PVar is a pseudo-variable as written ($ru, $var(x), $(hdr(Via)[0]{s.len})).
// Package pv parses the text.
type PVar struct {
	Pos  token.Pos
	Text string
}

// Binary is `L op R`. Op is the operator as canonical text: || && | & ^ <<
// >> == != =~ eq ne ieq ine < > <= >= + - * / mod. (`or`/`and` become
// `||`/`&&`.)
type Binary struct {
	Pos   token.Pos // of the operator
	Op    string
	L, R  Expr
	OpPos token.Pos
}

// Unary is `!x`, `-x` or `~x` (`not` becomes `!`).
type Unary struct {
	Pos token.Pos
	Op  string
	X   Expr
}

// Cast is `(int)x` or `(str)x`.
type Cast struct {
	Pos token.Pos
	To  string // "int" or "str"
	X   Expr
}

// Defined is `defined x`.
type Defined struct {
	Pos token.Pos
	X   Expr
}

// Paren is a parenthesised expression, kept so that positions and constant
// warnings can tell `(a)` from `a`.
type Paren struct {
	Pos token.Pos
	X   Expr
}

// Call is a function call: a module function, a core function, or one of
// the expression functions strlen, strempty and selval.
type Call struct {
	Pos     token.Pos
	Name    string
	Args    []Expr
	Parens  bool      // written with ( )
	EndPos  token.Pos // position of the closing parenthesis
	NameEnd token.Pos // position just after the name
}

// Keyword is a core keyword used in a condition: method, uri, status,
// from_uri, to_uri, src_ip, dst_ip, snd_ip, to_ip, src_port, dst_port,
// snd_port, to_port, proto, snd_proto, to_proto, af, snd_af, to_af,
// msg:len, or myself.
type Keyword struct {
	Pos  token.Pos
	Name string
}

// IPNet is an IPv4 or IPv6 address, optionally with /bits or /netmask.
type IPNet struct {
	Pos  token.Pos
	IP   string
	Mask string // "" when absent
}

// Word is a bare word where the core grammar allows one: a route name in
// route(NAME), a flag name, a host name in forward(), a protocol (udp,
// tcp, …), a method name after `method ==`, or a socket spec such as
// udp:10.0.0.1:5060 in force_send_socket().
type Word struct {
	Pos  token.Pos
	Text string
}

// Unsupported is a construct Kamailio parses but kamgo does not implement:
// SER-style `%avp` attributes and `@select.path` selects. The checker
// reports it, naming Feature.
type Unsupported struct {
	Pos     token.Pos
	Feature string // "SER-style AVP" or "SER select"
	Text    string // as written, e.g. @ruri.user
}

// BadExpr stands for an expression that failed to parse.
type BadExpr struct {
	Pos token.Pos
}

func (n *IntLit) Position() token.Pos      { return n.Pos }
func (n *StrLit) Position() token.Pos      { return n.Pos }
func (n *PVar) Position() token.Pos        { return n.Pos }
func (n *Binary) Position() token.Pos      { return n.Pos }
func (n *Unary) Position() token.Pos       { return n.Pos }
func (n *Cast) Position() token.Pos        { return n.Pos }
func (n *Defined) Position() token.Pos     { return n.Pos }
func (n *Paren) Position() token.Pos       { return n.Pos }
func (n *Call) Position() token.Pos        { return n.Pos }
func (n *Keyword) Position() token.Pos     { return n.Pos }
func (n *IPNet) Position() token.Pos       { return n.Pos }
func (n *Word) Position() token.Pos        { return n.Pos }
func (n *BadExpr) Position() token.Pos     { return n.Pos }
func (n *Unsupported) Position() token.Pos { return n.Pos }

func (*IntLit) expr()      {}
func (*StrLit) expr()      {}
func (*PVar) expr()        {}
func (*Binary) expr()      {}
func (*Unary) expr()       {}
func (*Cast) expr()        {}
func (*Defined) expr()     {}
func (*Paren) expr()       {}
func (*Call) expr()        {}
func (*Keyword) expr()     {}
func (*IPNet) expr()       {}
func (*Word) expr()        {}
func (*BadExpr) expr()     {}
func (*Unsupported) expr() {}
