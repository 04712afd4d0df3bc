// Package bytecode defines the compiled form of a config: an immutable
// Program holding the code of every route, its constants, prepared
// pseudo-variables, fixed-up call sites, regexes and switch tables, and a
// line table back to the source. lang/compile builds it, runtime/vm runs
// it, and Dump prints it for `kamgo dump`.
//
// The machine is a stack machine: expression instructions push and pop
// pv.Values; statements leave the stack as they found it.
package bytecode

import (
	"net/netip"
	"regexp"

	"github.com/kamgo/kamgo/lang/ast"
	"github.com/kamgo/kamgo/lang/token"
	"github.com/kamgo/kamgo/pv"
	"github.com/kamgo/kamgo/runtime/module"
)

// Op is an instruction code.
type Op uint8

// Instructions. A and B are the operands; "pop x" and "push x" describe the
// stack effect.
const (
	Nop Op = iota

	// Values.
	Const   // push Consts[A]
	LoadPV  // push PVs[A].Get
	IsDefPV // push 1 if PVs[A] is defined (not null), else 0
	Null    // push null
	Pop     // drop the top

	// Arithmetic and bit operations on ints (string operands converted).
	Add // int add if the left is int, else string concatenation
	Sub
	Mul
	Div // division by zero: runtime error, the statement is abandoned
	Mod
	BitAnd
	BitOr
	BitXor
	Shl
	Shr
	Neg
	BitNot
	Not // C logical not: push 1 if the top is 0

	// Comparisons: push 1 or 0.
	Eq    // typed by the left operand (string or int); null converts to the right's type
	Ne    //
	Lt    // int
	Gt    //
	Le    //
	Ge    //
	StrEq // eq: forced string comparison
	StrNe // ne
	IntEq // ieq: forced int comparison
	IntNe // ine
	Match // =~ with a regex computed at run time (cached per call)
	// MatchConst matches the top against Regexes[A].
	MatchConst
	// EqFold compares strings case-insensitively (method == X); B=1 negates.
	EqFold
	// MatchIP compares the top (an IP text) with Nets[A]; B=1 negates.
	// With B&MatchSrc or B&MatchDst it compares the message's source or
	// local address instead and pops nothing.
	MatchIP
	// Myself pushes 1 if the top (a URI, host or IP) is a local address;
	// B=1 negates.
	Myself

	// Expression functions and casts.
	Defined  // push 1 if the top is not null
	StrLen   // push the length of the top as text
	StrEmpty // push 1 if the top is "" or null
	ToInt    // (int)
	ToStr    // (str)
	Truth    // push 1 if the top is non-zero, else 0 (&&, ||, ! operands)

	// Keyword pushes the value of a condition keyword (Keywords[A]).
	Keyword

	// Jumps; A is the target pc.
	Jmp
	JmpIfNot         // pop; jump unless the value is > 0 (if)
	JmpIfZero        // pop; jump if the value is 0 (while)
	JmpIfZeroKeep    // jump if the top is 0, keeping it (&&)
	JmpIfNonZeroKeep // jump if the top is non-zero, keeping it (||)

	// Calls. Call pops the dynamic arguments of Calls[A], runs the
	// function, sets $rc and pushes the raw code; a 0 code stops the
	// script. CallRoute runs Routes[A] the same way; CallRouteDyn pops a route
	// name.
	Call
	CallRoute
	CallRouteDyn
	// ExprResult turns the raw code on top into 1 (> 0) or 0, as a call
	// inside an expression is seen.
	ExprResult
	// SetResult pops the top into the action result (what a route that
	// ends without return returns).
	SetResult
	// Result sets the action result to A.
	Result

	// Assign pops a value into PVs[A]. Assignments do not change $rc.
	Assign

	// Flow.
	Return   // pop the code; end the route (0 stops the script)
	ReturnA  // end the route with code A
	Exit     // pop the code; stop the script
	Drop     // stop the script and mark the message dropped
	BreakOut // break outside a loop or switch: end the route with 0
	// Switch pops the subject and jumps through Switches[A].
	Switch
	// LoopInit zeroes loop counter A; LoopCheck counts one iteration of
	// loop counter A and jumps to B after max_while_loops iterations.
	LoopInit
	LoopCheck
	// Block enters a nested block at static depth A; past
	// max_recursive_level it logs an error and jumps to B.
	Block
	// End ends the route normally with the current action result.
	End
)

var opNames = [...]string{
	Nop: "nop", Const: "const", LoadPV: "pv", IsDefPV: "isdefpv", Null: "null", Pop: "pop",
	Add: "add", Sub: "sub", Mul: "mul", Div: "div", Mod: "mod", BitAnd: "band", BitOr: "bor", BitXor: "bxor",
	Shl: "shl", Shr: "shr", Neg: "neg", BitNot: "bnot", Not: "not",
	Eq: "eq", Ne: "ne", Lt: "lt", Gt: "gt", Le: "le", Ge: "ge", StrEq: "streq", StrNe: "strne",
	IntEq: "inteq", IntNe: "intne", Match: "match", MatchConst: "matchk", EqFold: "eqfold",
	MatchIP: "matchip", Myself: "myself",
	Defined: "defined", StrLen: "strlen", StrEmpty: "strempty", ToInt: "toint", ToStr: "tostr", Truth: "truth",
	Keyword: "keyword",
	Jmp:     "jmp", JmpIfNot: "jmpifnot", JmpIfZero: "jmpifzero", JmpIfZeroKeep: "jzkeep", JmpIfNonZeroKeep: "jnzkeep",
	Call: "call", CallRoute: "route", CallRouteDyn: "routedyn", ExprResult: "exprresult", SetResult: "setresult", Result: "result",
	Assign: "assign",
	Return: "return", ReturnA: "returna", Exit: "exit", Drop: "drop", BreakOut: "breakout", Switch: "switch",
	LoopInit: "loopinit", LoopCheck: "loopcheck", Block: "block", End: "end",
}

// String returns the mnemonic.
func (o Op) String() string {
	if int(o) < len(opNames) && opNames[o] != "" {
		return opNames[o]
	}
	return "op?"
}

// Insn is one instruction.
type Insn struct {
	Op   Op
	A, B int32
}

// Flags of MatchIP's B operand.
const (
	MatchNegate = 1
	MatchSrc    = 2
	MatchDst    = 4
)

// KeywordID names a condition keyword.
type KeywordID int32

// Condition keywords (reference §2.5).
const (
	KwMethod KeywordID = iota
	KwURI
	KwFromURI
	KwToURI
	KwSrcIP
	KwDstIP
	KwSrcPort
	KwDstPort
	KwProto
	KwAF
	KwMsgLen
	KwStatus
	// The onsend_route keywords: the local socket a message leaves from
	// (snd_*) and where it goes (to_*).
	KwSndIP
	KwSndPort
	KwSndProto
	KwSndAF
	KwToIP
	KwToPort
	KwToProto
	KwToAF
)

var keywordNames = [...]string{"method", "uri", "from_uri", "to_uri", "src_ip", "dst_ip", "src_port", "dst_port", "proto", "af", "msg:len", "status",
	"snd_ip", "snd_port", "snd_proto", "snd_af", "to_ip", "to_port", "to_proto", "to_af"}

// String returns the keyword as written.
func (k KeywordID) String() string {
	if int(k) < len(keywordNames) {
		return keywordNames[k]
	}
	return "keyword?"
}

// KeywordByName returns the keyword written name.
func KeywordByName(name string) (KeywordID, bool) {
	for i, n := range keywordNames {
		if n == name {
			return KeywordID(i), true
		}
	}
	return 0, false
}

// CallSite is one fixed-up function call.
type CallSite struct {
	Name   string
	Module string // "core" for core functions
	Func   *module.Func
	Args   []module.FixedArg
	// NDyn is the number of Dynamic arguments the VM pops before the call.
	NDyn int
	// Core identifies a core function the VM runs itself (route, drop-like
	// ones); CoreNone for module functions.
	Core CoreFunc
	Pos  token.Pos
}

// CoreFunc identifies a core function implemented by the VM.
type CoreFunc int32

// Kinds of call site.
const (
	CoreNone     CoreFunc = iota // a module function: its code goes to $rc
	CoreFunction                 // a core function: $rc is left alone
)

// SwitchCase is one case label.
type SwitchCase struct {
	IsInt  bool
	Int    int64
	Str    string
	Regex  *regexp.Regexp
	Target int32
}

// SwitchTable is the jump table of one switch.
type SwitchTable struct {
	Cases []SwitchCase
	// Default is the pc of the default label, End the pc after the switch.
	Default, End int32
}

// Route is the code of one route.
type Route struct {
	Kind ast.RouteKind
	Name string
	Code []Insn
	// Lines gives the source position of every instruction.
	Lines []token.Pos
	// Loops is the number of loop counters the route uses.
	Loops int
	Pos   token.Pos
}

// Program is a compiled config. It is immutable once built and shared by
// every worker.
type Program struct {
	Routes []*Route
	// LogPrefix is log_prefix when it holds pseudo-variables: expanded
	// for every message, it prefixes what the routes log; nil otherwise.
	LogPrefix *pv.CompiledFormat
	// Request, Reply and OnSend index the top-level routes; -1 when absent.
	Request, Reply, OnSend int
	// ByName index the named routes of each kind.
	Named, OnReply, Failure, Branch, Event map[string]int

	Consts  []pv.Value
	PVs     []*pv.PV
	Calls   []CallSite
	Regexes []*regexp.Regexp
	// Literals are the literal fast paths of Regexes, by the same index
	// (Kind LitNone where the regex engine must run).
	Literals []LiteralMatch
	Switches []SwitchTable
	Nets     []Net

	// VarNames are the $var names by slot (the size of a worker's store).
	VarNames []string
	// Flags maps the names of the flags declaration to flag numbers.
	Flags map[string]int
	// Modules are the loaded modules, in load order.
	Modules []*module.Module
	// Config is the parsed config the program was compiled from (core
	// parameters and modparams are applied by runtime/core from it).
	Config *ast.Config
}

// Net is an address or network from a src_ip/dst_ip condition.
type Net struct {
	Text string
	// Bits is the prefix length; -1 for a single address, -2 for a host
	// name compared as text.
	Bits int
	// Prefix is the parsed network (a single address has all bits).
	Prefix netip.Prefix
}

// RouteIndex returns the index of the route of kind k called name.
func (p *Program) RouteIndex(k ast.RouteKind, name string) (int, bool) {
	var m map[string]int
	switch k {
	case ast.RouteRequest:
		return p.Request, p.Request >= 0
	case ast.RouteReply:
		return p.Reply, p.Reply >= 0
	case ast.RouteOnSend:
		return p.OnSend, p.OnSend >= 0
	case ast.RouteNamed:
		m = p.Named
	case ast.RouteOnReply:
		m = p.OnReply
	case ast.RouteFailure:
		m = p.Failure
	case ast.RouteBranch:
		m = p.Branch
	case ast.RouteEvent:
		m = p.Event
	}
	i, ok := m[name]
	return i, ok
}
