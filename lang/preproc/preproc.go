// Package preproc is kamailio.cfg's preprocessor. It runs the scanner over
// the main file and every included file and acts on the directives the
// scanner reports: #!define and its variants, #!ifdef/#!ifndef/#!else/
// #!endif, #!subst/#!substdef/#!substdefs, #!defenv and its variants, and
// include_file/import_file. It expands defined identifiers by re-scanning
// their values, as Kamailio does, and defines MOD_<name> after each
// loadmodule. Its output is the token stream the parser reads; every token
// keeps the position of the text the user wrote (the use site for tokens that
// come from a define), so diagnostics point into the right file and line.
package preproc

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/kamgo/kamgo/lang/diag"
	"github.com/kamgo/kamgo/lang/scanner"
	"github.com/kamgo/kamgo/lang/token"
)

// Limits, as in Kamailio 5.6.
const (
	MaxIncludeDepth = 10
	MaxIfdefDepth   = 512
	MaxDefines      = 512
	// maxExpansionDepth stops a define that expands to itself.
	maxExpansionDepth = 64
	// maxExpansionTokens bounds the tokens one use of a define may produce,
	// so that `#!define A A A` (which doubles at every level) stops quickly;
	// Kamailio fails there with "flex scanner push-back overflow".
	maxExpansionTokens = 100000
)

// Version is the Kamailio version whose predefined names kamgo provides.
var versionDefines = []string{"KAMAILIO", "KAMAILIO_5", "KAMAILIO_5_6", "KAMAILIO_5_6_3", "KAMGO"}

// Define is one preprocessor name and its value.
type Define struct {
	Name     string
	Value    string // raw text, re-scanned where the name is used
	HasValue bool
	Pos      token.Pos // where it was defined; zero for predefined and -A
}

// Options configure a run.
type Options struct {
	// Defines holds -A arguments: NAME, NAME=VALUE.
	Defines []string
	// ReadFile reads an included file; nil reads from disk.
	ReadFile func(path string) ([]byte, error)
	// Getenv reads the environment for #!defenv; nil uses os.LookupEnv.
	Getenv func(name string) (string, bool)
}

// Result is the preprocessed config.
type Result struct {
	// Tokens ends with an EOF token. Pos.Filename, Line and Column point into
	// the file the user wrote (the use site for tokens out of a define).
	// Pos.Offset is a position in the expanded stream, numbered so that
	// b.Offset == a.Offset+len(a.Value) exactly when b followed a with no
	// white space between them, which host names such as sip.example.com
	// and socket specs such as udp:10.0.0.1:5060 rely on.
	Tokens []token.Token
	// Mode is the compatibility header: "" (none), KAMAILIO, SER or MAXCOMPAT.
	Mode    string
	Defines map[string]Define
	// Files holds the text of every file read, for source excerpts.
	Files map[string][]byte
	Diag  diag.List
}

// Source returns the text of a file read during preprocessing.
func (r *Result) Source(name string) ([]byte, bool) {
	b, ok := r.Files[name]
	return b, ok
}

type substRule struct {
	re   *regexp.Regexp
	repl string
	all  bool
}

type ifdefFrame struct {
	pos       token.Pos
	name      string
	active    bool // the branch being read is taken
	parentOn  bool // the enclosing region is active
	seenElse  bool
	directive string
}

type state struct {
	opts    Options
	res     *Result
	defines map[string]Define
	substs  []substRule
	ifdefs  []ifdefFrame
	// includeStack holds the absolute paths of the files being read, to
	// detect cycles.
	includeStack []string
	// includeNames holds the same files as they were named (relative paths
	// stay relative), for messages.
	includeNames []string
	out          []token.Token
	// vpos numbers output tokens so that two tokens written without white
	// space between them have consecutive offsets (see Result.Tokens).
	vpos int
	// expandLeft is how many more tokens the define use being expanded may
	// produce; expandFailed stops the expansion once that was exceeded.
	expandLeft   int
	expandFailed bool
}

// File preprocesses the file at path.
func File(path string, opts Options) *Result {
	st := newState(opts)
	data, err := st.readFile(path)
	if err != nil {
		st.res.Diag.Add(token.Pos{Filename: path}, "cannot read config file: %v", err)
		st.out = append(st.out, token.Token{Type: token.EOF, Pos: token.Pos{Filename: path, Line: 1, Column: 1}})
		return st.finish()
	}
	return st.run(path, data)
}

// Source preprocesses src as if it were the file named filename.
func Source(filename string, src []byte, opts Options) *Result {
	return newState(opts).run(filename, src)
}

func newState(opts Options) *state {
	st := &state{
		opts:    opts,
		res:     &Result{Files: map[string][]byte{}},
		defines: map[string]Define{},
	}
	for _, n := range versionDefines {
		st.defines[n] = Define{Name: n}
	}
	for _, a := range opts.Defines {
		name, val, hasVal := strings.Cut(a, "=")
		st.defines[name] = Define{Name: name, Value: val, HasValue: hasVal && val != ""}
	}
	return st
}

func (st *state) run(filename string, src []byte) *Result {
	st.res.Files[filename] = src
	// about one token per 5 bytes of a typical config; growing the slice
	// token by token was a fifth of the preprocessing time
	st.out = make([]token.Token, 0, len(src)/5+16)
	abs, _ := filepath.Abs(filename)
	st.includeStack = append(st.includeStack, abs)
	st.includeNames = append(st.includeNames, filename)
	end := st.file(scanner.New(filename, src), filename)
	for i := len(st.ifdefs) - 1; i >= 0; i-- {
		f := st.ifdefs[i]
		st.res.Diag.Add(f.pos, "#!%s %s is not closed by #!endif", f.directive, f.name)
	}
	// EOF sits at the end of the main file, so that "missing '}'" points
	// there and not at the last token
	end.Offset = st.vpos + 1
	st.out = append(st.out, token.Token{Type: token.EOF, Pos: end})
	return st.finish()
}

func (st *state) finish() *Result {
	st.res.Tokens = st.out
	st.res.Defines = st.defines
	return st.res
}

func (st *state) readFile(path string) ([]byte, error) {
	if st.opts.ReadFile != nil {
		return st.opts.ReadFile(path)
	}
	return os.ReadFile(path)
}

func (st *state) active() bool {
	return len(st.ifdefs) == 0 || st.ifdefs[len(st.ifdefs)-1].active
}

// file reads every token of one file and returns where the file ends.
func (st *state) file(sc *scanner.Scanner, filename string) token.Pos {
	defer func() { st.res.Diag.Append(sc.Diag) }()
	for {
		var t token.Token
		if st.active() {
			t = sc.Next()
		} else {
			t = sc.SkipInactive()
		}
		switch t.Type {
		case token.EOF:
			return t.Pos
		case token.Directive:
			st.directive(sc, filename, sc.Directive())
			continue
		}
		st.emit(t, sc.SpaceBefore(), 0)
	}
}

// emit outputs a token, expanding defines and applying subst rules. space
// tells whether white space separated it from the token before.
func (st *state) emit(t token.Token, space bool, depth int) {
	switch t.Type {
	case token.Ident:
		if d, ok := st.defines[t.Value]; ok {
			if depth == 0 {
				st.expandLeft, st.expandFailed = maxExpansionTokens, false
			}
			st.expand(d, t, space, depth)
			return
		}
	case token.String, token.PV:
		t.Value = st.subst(t.Value)
	}
	if space {
		st.vpos++
	}
	t.Pos.Offset = st.vpos
	st.vpos += len(t.Value)
	st.out = append(st.out, t)
	st.noteLoadmodule()
}

// expand re-scans a define's value; the tokens take the use-site position.
func (st *state) expand(d Define, name token.Token, space bool, depth int) {
	use := name.Pos
	if !d.HasValue {
		return
	}
	if depth >= maxExpansionDepth {
		st.expandFailed = true
		st.res.Diag.Add(use, "define %s expands into itself (more than %d nested expansions)", d.Name, maxExpansionDepth)
		return
	}
	sc := scanner.NewAt(use.Filename, d.Value, use)
	first := true
	for !st.expandFailed {
		t := sc.Next()
		if t.Type == token.EOF {
			break
		}
		if st.expandLeft--; st.expandLeft < 0 {
			st.expandFailed = true
			st.res.Diag.Add(use, "define %s expands to more than %d tokens", d.Name, maxExpansionTokens)
			return
		}
		if t.Type == token.Directive {
			st.res.Diag.Add(use, "the value of define %s contains a preprocessor directive", d.Name)
			continue
		}
		t.Pos = use
		// the first token is separated from what came before as the name
		// was; the others as they are in the value
		if !first {
			space = sc.SpaceBefore()
		}
		first = false
		st.emit(t, space, depth+1)
	}
	for _, e := range sc.Diag {
		st.res.Diag.Add(use, "in the value of define %s: %s", d.Name, e.Msg)
	}
}

// noteLoadmodule defines MOD_<name> once `loadmodule "name"` is complete.
func (st *state) noteLoadmodule() {
	n := len(st.out)
	if n < 2 || st.out[n-1].Type != token.String {
		return
	}
	kw := st.out[n-2]
	if kw.Type == token.Op && kw.Value == "(" && n >= 3 {
		kw = st.out[n-3]
	}
	if kw.Type != token.Ident || (kw.Value != "loadmodule" && kw.Value != "loadmodulex") {
		return
	}
	name := ModuleName(st.out[n-1].Value)
	if name == "" {
		return
	}
	key := "MOD_" + name
	if _, ok := st.defines[key]; !ok {
		st.defines[key] = Define{Name: key}
	}
}

// ModuleName is the module a loadmodule argument names: the file name
// without directory and ".so".
func ModuleName(arg string) string {
	base := arg
	if i := strings.LastIndexByte(base, '/'); i >= 0 {
		base = base[i+1:]
	}
	return strings.TrimSuffix(base, ".so")
}

func (st *state) subst(s string) string {
	for _, r := range st.substs {
		if r.all {
			s = r.re.ReplaceAllString(s, r.repl)
			continue
		}
		if loc := r.re.FindStringSubmatchIndex(s); loc != nil {
			var dst []byte
			dst = r.re.ExpandString(dst, r.repl, s, loc)
			s = s[:loc[0]] + string(dst) + s[loc[1]:]
		}
	}
	return s
}

func (st *state) directive(sc *scanner.Scanner, filename string, d scanner.Directive) {
	switch d.Name {
	case "compat":
		st.res.Mode = d.Arg
	case "define", "trydef", "redef":
		if d.Arg == "" {
			return
		}
		st.define(d.Name, Define{Name: d.Arg, Value: d.Value, HasValue: d.HasValue, Pos: d.Pos}, d.ArgPos)
	case "defenv", "defenvs", "trydefenv", "trydefenvs":
		st.defenv(d)
	case "ifdef", "ifndef":
		st.ifdef(d)
	case "else":
		st.elseDirective(d)
	case "endif":
		if len(st.ifdefs) == 0 {
			st.res.Diag.Add(d.Pos, "#!endif without #!ifdef or #!ifndef")
			return
		}
		st.ifdefs = st.ifdefs[:len(st.ifdefs)-1]
	case "subst", "substdef", "substdefs":
		arg := sc.Next()
		if arg.Type != token.String {
			st.res.Diag.Add(arg.Pos, "#!%s needs a string argument such as \"/regex/replacement/flags\"", d.Name)
			return
		}
		st.substDirective(d, arg)
	case "include_file", "import_file":
		arg := sc.Next()
		if arg.Type != token.String {
			st.res.Diag.Add(arg.Pos, "%s: the included file name must be between quotes", d.Name)
			return
		}
		st.include(filename, d, st.subst(arg.Value), arg.Pos)
	}
}

func (st *state) define(kind string, d Define, pos token.Pos) {
	old, exists := st.defines[d.Name]
	switch kind {
	case "define":
		if exists {
			where := ""
			if old.Pos.Line > 0 {
				where = fmt.Sprintf(" (first defined at %s)", diag.FormatPos(old.Pos))
			}
			st.res.Diag.Add(pos, "%s is already defined%s; use #!redefine to change it", d.Name, where)
			return
		}
	case "trydef":
		if exists {
			return
		}
	}
	if !exists && len(st.defines) >= MaxDefines+len(versionDefines) {
		st.res.Diag.Add(pos, "too many defines (at most %d)", MaxDefines)
		return
	}
	st.defines[d.Name] = d
}

func (st *state) defenv(d scanner.Directive) {
	envName := d.Arg
	if d.HasValue {
		envName = d.Value
	}
	getenv := st.opts.Getenv
	if getenv == nil {
		getenv = os.LookupEnv
	}
	v, ok := getenv(envName)
	if !ok {
		if strings.HasPrefix(d.Name, "try") {
			return
		}
		st.res.Diag.Add(d.ArgPos, "#!%s %s: environment variable %s is not set", d.Name, d.Arg, envName)
		return
	}
	if strings.HasSuffix(d.Name, "s") {
		v = strconv.Quote(v)
	}
	kind := "define"
	if strings.HasPrefix(d.Name, "try") {
		kind = "trydef"
	}
	st.define(kind, Define{Name: d.Arg, Value: v, HasValue: v != "", Pos: d.Pos}, d.ArgPos)
}

func (st *state) ifdef(d scanner.Directive) {
	if len(st.ifdefs) >= MaxIfdefDepth {
		st.res.Diag.Add(d.Pos, "#!%s nested too deeply (at most %d levels)", d.Name, MaxIfdefDepth)
		return
	}
	parentOn := st.active()
	_, defined := st.defines[d.Arg]
	cond := defined
	if d.Name == "ifndef" {
		cond = !defined
	}
	st.ifdefs = append(st.ifdefs, ifdefFrame{pos: d.Pos, name: d.Arg, directive: d.Name, parentOn: parentOn, active: parentOn && cond})
}

func (st *state) elseDirective(d scanner.Directive) {
	if len(st.ifdefs) == 0 {
		// only a warning in Kamailio too; the text after it stays active
		st.res.Diag.Warn(d.Pos, "#!else without #!ifdef or #!ifndef (ignored)")
		return
	}
	f := &st.ifdefs[len(st.ifdefs)-1]
	if f.seenElse {
		st.res.Diag.Add(d.Pos, "second #!else for #!%s %s (at %s)", f.directive, f.name, diag.FormatPos(f.pos))
		return
	}
	f.seenElse = true
	_, defined := st.defines[f.name]
	cond := defined
	if f.directive == "ifndef" {
		cond = !defined
	}
	f.active = f.parentOn && !cond
}

// substDirective parses "/re/repl/flags" (any separator) and records the rule.
func (st *state) substDirective(d scanner.Directive, arg token.Token) {
	re, repl, flags, err := splitSubst(arg.Value)
	if err != nil {
		st.res.Diag.Add(arg.Pos, "#!%s: %v", d.Name, err)
		return
	}
	expr := re
	if strings.Contains(flags, "i") {
		expr = "(?i)" + expr
	}
	rx, err := regexp.Compile(expr)
	if err != nil {
		st.res.Diag.Add(arg.Pos, "#!%s: bad regular expression %q: %v", d.Name, re, err)
		return
	}
	st.substs = append(st.substs, substRule{re: rx, repl: sedReplacement(repl), all: strings.Contains(flags, "g")})
	if d.Name == "subst" {
		return
	}
	val := repl
	if d.Name == "substdefs" {
		val = strconv.Quote(repl)
	}
	st.define("define", Define{Name: re, Value: val, HasValue: val != "", Pos: d.Pos}, arg.Pos)
}

func splitSubst(s string) (re, repl, flags string, err error) {
	if len(s) < 3 {
		return "", "", "", fmt.Errorf("%q is not of the form /regex/replacement/flags", s)
	}
	sep := s[0]
	parts := make([]string, 0, 3)
	var cur strings.Builder
	for i := 1; i < len(s); i++ {
		c := s[i]
		if c == '\\' && i+1 < len(s) && s[i+1] == sep {
			cur.WriteByte(sep)
			i++
			continue
		}
		if c == sep && len(parts) < 2 {
			parts = append(parts, cur.String())
			cur.Reset()
			continue
		}
		cur.WriteByte(c)
	}
	if len(parts) != 2 {
		return "", "", "", fmt.Errorf("%q is not of the form /regex/replacement/flags", s)
	}
	return parts[0], parts[1], cur.String(), nil
}

// sedReplacement turns sed back-references (\1, &) into Go's ${1}.
func sedReplacement(r string) string {
	var b strings.Builder
	for i := 0; i < len(r); i++ {
		c := r[i]
		switch {
		case c == '\\' && i+1 < len(r) && r[i+1] >= '0' && r[i+1] <= '9':
			b.WriteString("${" + string(r[i+1]) + "}")
			i++
		case c == '\\' && i+1 < len(r):
			b.WriteByte(r[i+1])
			i++
		case c == '$':
			b.WriteString("$$")
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

func (st *state) include(from string, d scanner.Directive, name string, pos token.Pos) {
	if len(st.includeStack) > MaxIncludeDepth {
		st.res.Diag.Add(pos, "%s %q: includes nested too deeply (at most %d levels)", d.Name, name, MaxIncludeDepth)
		return
	}
	// as in Kamailio: the path as given (relative to the working directory),
	// then relative to the directory of the including file
	candidates := []string{name}
	if !filepath.IsAbs(name) {
		candidates = append(candidates, filepath.Join(filepath.Dir(from), name))
	}
	var data []byte
	var path string
	var firstErr error
	for _, c := range candidates {
		b, err := st.readFile(c)
		if err == nil {
			data, path = b, c
			break
		}
		if firstErr == nil {
			firstErr = err
		}
	}
	if path == "" {
		if d.Name == "import_file" {
			return
		}
		st.res.Diag.Add(pos, "cannot open included file %q: %v", name, firstErr)
		return
	}
	abs, _ := filepath.Abs(path)
	for _, p := range st.includeStack {
		if p == abs {
			cycle := append(append([]string(nil), st.includeNames...), path)
			st.res.Diag.Add(pos, "%s %q includes itself (include cycle: %s)", d.Name, name, strings.Join(cycle, " -> "))
			return
		}
	}
	st.res.Files[path] = data
	st.includeStack = append(st.includeStack, abs)
	st.includeNames = append(st.includeNames, path)
	st.file(scanner.New(path, data), path)
	st.includeStack = st.includeStack[:len(st.includeStack)-1]
	st.includeNames = st.includeNames[:len(st.includeNames)-1]
}

// DefineNames lists the defined names, sorted; for `kamgo dump` and tests.
func (r *Result) DefineNames() []string {
	names := make([]string, 0, len(r.Defines))
	for n := range r.Defines {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}
