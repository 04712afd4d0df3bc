package parser

import (
	"io"

	"github.com/alecthomas/participle/v2"
	"github.com/alecthomas/participle/v2/lexer"

	"github.com/kamgo/kamgo/lang/ast"
	"github.com/kamgo/kamgo/lang/token"
)

// The participle grammar. Top-level items and compound statements are
// grammar structs; expressions, function calls, core-parameter values and
// the statement lists inside braces are parsed by hand (expr.go, items.go,
// block.go) because they need Kamailio's precedence table, its special
// argument forms and error recovery. Literal keywords carry their token
// kind (`"if":Ident`) so that a string "if" never matches one.

// gItem is one top-level item.
type gItem struct {
	Pos        lexer.Position
	LoadModule *gLoadModule `parser:"  @@"`
	LoadPath   *gLoadPath   `parser:"| @@"`
	ModParam   *gModParam   `parser:"| @@"`
	Flags      *gFlags      `parser:"| @@"`
	CfgEngine  *gCfgEngine  `parser:"| @@"`
	Route      *gRoute      `parser:"| @@"`
	Param      ast.Item     `parser:"| @@"`
	Semi       bool         `parser:"| @';':Op"`
}

type gLoadModule struct {
	Pos     lexer.Position
	Keyword string `parser:"@('loadmodule':Ident | 'loadmodulex':Ident)"`
	Path    string `parser:"( '(':Op @String ')':Op | @String )"`
}

type gLoadPath struct {
	Pos  lexer.Position
	Path string `parser:"('loadpath':Ident | 'mpath':Ident) '=':Op? @String"`
}

type gModParam struct {
	Pos       lexer.Position
	Keyword   string `parser:"@('modparam':Ident | 'modparamx':Ident) '(':Op"`
	ModulePos lexer.Position
	Module    string `parser:"@String ',':Op"`
	ParamPos  lexer.Position
	Param     string     `parser:"@String ',':Op"`
	Value     *gParamVal `parser:"@@ ')':Op"`
	// Tokens are the matched tokens; participle fills only Pos, so
	// ModulePos and ParamPos are taken from here (see convertModParam).
	Tokens []lexer.Token
}

// gParamVal is a modparam value: a string, a possibly negative integer, a
// yes/no style word, or (modparamx) a pseudo-variable.
type gParamVal struct {
	Pos  lexer.Position
	Str  *string `parser:"  @String"`
	Neg  bool    `parser:"| ( @'-':Op?"`
	Int  *string `parser:"    @Int )"`
	Word *string `parser:"| @Ident"`
	PV   *string `parser:"| @PV"`
}

type gFlags struct {
	Pos     lexer.Position
	Keyword string       `parser:"@('flags':Ident | 'bool':Ident | 'avpflags':Ident)"`
	Decls   []*gFlagDecl `parser:"@@ (',':Op @@)* ';':Op"`
}

type gFlagDecl struct {
	Pos  lexer.Position
	Name string  `parser:"@Ident"`
	Num  *string `parser:"(':':Op @Int)?"`
}

type gCfgEngine struct {
	Pos  lexer.Position
	Name string `parser:"'cfgengine':Ident @String"`
}

type gRoute struct {
	Pos     lexer.Position
	Keyword string `parser:"@('request_route':Ident | 'route':Ident | 'reply_route':Ident | 'onreply_route':Ident | 'failure_route':Ident | 'branch_route':Ident | 'onsend_route':Ident | 'event_route':Ident)"`
	NamePos lexer.Position
	Name    *string `parser:"('[':Op @(Ident | Int | String) ']':Op)?"`
	Body    *gBlock `parser:"@@"`
	// Tokens are the matched tokens; NamePos is taken from here (see
	// convertRoute).
	Tokens []lexer.Token
}

// gStmt is one statement.
type gStmt struct {
	Pos    lexer.Position
	If     *gIf     `parser:"  @@"`
	While  *gWhile  `parser:"| @@"`
	Switch *gSwitch `parser:"| @@"`
	Block  *gBlock  `parser:"| @@"`
	Simple ast.Stmt `parser:"| @@"`
	Semi   bool     `parser:"| @';':Op"`
}

type gIf struct {
	Pos  lexer.Position
	Cond ast.Expr `parser:"'if':Ident @@"`
	Then bodyStmt `parser:"@@"`
	Else bodyStmt `parser:"('else':Ident @@)?"`
}

type gWhile struct {
	Pos  lexer.Position
	Cond ast.Expr `parser:"'while':Ident @@"`
	Body bodyStmt `parser:"@@"`
}

type gSwitch struct {
	Pos     lexer.Position
	Subject ast.Expr `parser:"'switch':Ident @@ '{':Op"`
	Cases   []*gCase `parser:"@@*"`
	EndPos  lexer.Position
	End     string `parser:"@'}':Op"`
}

type gCase struct {
	Pos     lexer.Position
	Default bool     `parser:"( @'default':Ident ':':Op"`
	Regex   bool     `parser:"| 'case':Ident ( @'/':Op"`
	Value   ast.Expr `parser:"  )? @@ ':':Op )"`
	Body    []*gStmt `parser:"@@*"`
}

// bodyStmt is the statement after if, else or while. It is parsed by
// parseBodyStmt, which takes the same fast path as statement lists, so that
// participle does not try every statement alternative for every body.
type bodyStmt interface{ isBodyStmt() }

func (*gStmt) isBodyStmt() {}

func buildParser[G any]() *participle.Parser[G] {
	return participle.MustBuild[G](
		participle.Lexer(lexerDef{}),
		participle.ParseTypeWith[ast.Expr](parseExprNode),
		participle.ParseTypeWith[ast.Stmt](parseSimpleStmt),
		participle.ParseTypeWith[ast.Item](parseParamItem),
		participle.ParseTypeWith[bodyStmt](parseBodyStmt),
		participle.UseLookahead(2),
	)
}

// The parsers are built once, at package initialisation, and never change
// afterwards. (They are assigned in init because the statement hooks refer
// back to stmtParser, which a variable initialiser cannot express.)
var (
	itemParser *participle.Parser[gItem]
	stmtParser *participle.Parser[gStmt]
)

func init() {
	itemParser = buildParser[gItem]()
	stmtParser = buildParser[gStmt]()
}

// lexerDef satisfies participle's lexer.Definition. Tokens never come from
// it: the preprocessor produces them and the parser feeds them to participle
// through a PeekingLexer.
type lexerDef struct{}

func (lexerDef) Symbols() map[string]lexer.TokenType { return token.Symbols() }

func (lexerDef) Lex(filename string, _ io.Reader) (lexer.Lexer, error) {
	return nil, participle.Errorf(lexer.Position{Filename: filename}, "kamgo: use lang/parser, not participle's Lex")
}
