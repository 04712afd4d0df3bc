// Package scanner turns the text of one kamailio.cfg file into tokens,
// following Kamailio's lexical rules: nested block comments, `#` and `//`
// line comments, double-quoted strings with Kamailio's escapes and adjacent
// string concatenation, raw single-quoted strings, pseudo-variables with
// balanced parentheses, integers in four bases, IPv4 and IPv6 addresses, and
// preprocessor directives (`#!define`, `!!ifdef`, `include_file`, …), which
// it hands to the preprocessor as Directive tokens without acting on them.
package scanner

import (
	"regexp"
	"strings"

	"github.com/kamgo/kamgo/lang/diag"
	"github.com/kamgo/kamgo/lang/token"
)

// Directive is a preprocessor directive found by the scanner.
type Directive struct {
	// Name is the canonical directive: define, trydef, redef, ifdef, ifndef,
	// else, endif, subst, substdef, substdefs, defenv, defenvs, trydefenv,
	// trydefenvs, include_file, import_file, or compat (a #!KAMAILIO-style
	// header, with the mode in Arg).
	Name string
	// Arg is the identifier a define or ifdef names, or NAME[=VAR] for defenv.
	Arg string
	// Value is the raw text of a define's value (continuation lines joined);
	// HasValue tells an empty value from none.
	Value    string
	HasValue bool
	Pos      token.Pos
	ArgPos   token.Pos
}

// Scanner reads tokens from one source text.
type Scanner struct {
	src  string
	file string
	off  int
	line int
	col  int // 1-based column of src[off]

	// prev and prev2 are the last two tokens returned, used to recognise an
	// event route name after `event_route [`.
	prev, prev2 token.Token

	dir  Directive
	Diag diag.List

	// prevEnd is where the previous token ended; spaceBefore tells whether
	// white space or a comment separated the last token from it.
	prevEnd     int
	spaceBefore bool
}

// SpaceBefore reports whether anything (white space, comments) came between
// the last token returned and the one before it.
func (s *Scanner) SpaceBefore() bool { return s.spaceBefore }

// New returns a scanner over src, reporting positions in filename.
func New(filename string, src []byte) *Scanner {
	return NewAt(filename, string(src), token.Pos{Filename: filename, Line: 1, Column: 1})
}

// NewAt returns a scanner over src whose first byte is at pos. The
// preprocessor uses it to re-scan define values.
func NewAt(filename string, src string, pos token.Pos) *Scanner {
	if pos.Line == 0 {
		pos.Line, pos.Column = 1, 1
	}
	return &Scanner{src: src, file: filename, line: pos.Line, col: pos.Column, prevEnd: -1}
}

// Directive returns the directive of the last Directive token.
func (s *Scanner) Directive() Directive { return s.dir }

func (s *Scanner) pos() token.Pos {
	return token.Pos{Filename: s.file, Offset: s.off, Line: s.line, Column: s.col}
}

// advance moves n bytes forward, tracking lines and columns.
func (s *Scanner) advance(n int) {
	end := s.off + n
	if end > len(s.src) {
		end = len(s.src)
	}
	for ; s.off < end; s.off++ {
		if s.src[s.off] == '\n' {
			s.line++
			s.col = 1
		} else {
			s.col++
		}
	}
}

func (s *Scanner) peekByte(i int) byte {
	if s.off+i < len(s.src) {
		return s.src[s.off+i]
	}
	return 0
}

func (s *Scanner) rest() string { return s.src[s.off:] }

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' }
func isDigit(c byte) bool  { return c >= '0' && c <= '9' }
func isAlnum(c byte) bool  { return isLetter(c) || isDigit(c) }
func isBlank(c byte) bool  { return c == ' ' || c == '\t' || c == '\r' || c == '\b' }

// Next returns the next token. Comments and white space are skipped. At the
// end it returns an EOF token, again and again.
func (s *Scanner) Next() token.Token {
	t := s.next()
	s.spaceBefore = t.Pos.Offset != s.prevEnd
	s.prevEnd = s.off
	s.prev2, s.prev = s.prev, t
	return t
}

func (s *Scanner) next() token.Token {
	for {
		if s.off >= len(s.src) {
			return token.Token{Type: token.EOF, Pos: s.pos()}
		}
		c := s.src[s.off]
		switch {
		case isBlank(c) || c == '\n':
			s.advance(1)
			continue
		case c == '\\' && (s.peekByte(1) == '\n' || s.peekByte(1) == '\r' && s.peekByte(2) == '\n'):
			// an escaped newline outside strings is eaten
			if s.peekByte(1) == '\r' {
				s.advance(3)
			} else {
				s.advance(2)
			}
			continue
		case c == '/' && s.peekByte(1) == '*':
			s.blockComment()
			continue
		case c == '#' || c == '/' && s.peekByte(1) == '/':
			if t, ok := s.hashOrSlashLine(); ok {
				return t
			}
			continue
		case c == '!' && s.peekByte(1) == '!':
			if t, ok := s.directive(2); ok {
				return t
			}
		}
		return s.token()
	}
}

func (s *Scanner) blockComment() {
	start := s.pos()
	depth := 0
	for s.off < len(s.src) {
		if strings.HasPrefix(s.rest(), "/*") {
			depth++
			s.advance(2)
			continue
		}
		if strings.HasPrefix(s.rest(), "*/") {
			depth--
			s.advance(2)
			if depth == 0 {
				return
			}
			continue
		}
		s.advance(1)
	}
	s.Diag.Add(start, "unterminated comment: %d /* still open at end of file", depth)
}

func (s *Scanner) skipLine() {
	i := strings.IndexByte(s.rest(), '\n')
	if i < 0 {
		s.advance(len(s.rest()))
		return
	}
	s.advance(i + 1)
}

// compat headers are recognised only when the line holds nothing else.
var compatModes = map[string]string{"KAMAILIO": "KAMAILIO", "OPENSER": "KAMAILIO", "SER": "SER", "MAXCOMPAT": "MAXCOMPAT", "ALL": "MAXCOMPAT"}

// hashOrSlashLine handles a line starting with # or //: a directive, a
// compatibility header, or a comment.
func (s *Scanner) hashOrSlashLine() (token.Token, bool) {
	prefix := 1
	if s.src[s.off] == '/' {
		prefix = 2
	}
	if s.peekByte(prefix) == '!' {
		word := s.rest()[prefix+1:]
		end := 0
		for end < len(word) && isAlnum(word[end]) {
			end++
		}
		after := word[end:]
		if mode, ok := compatModes[word[:end]]; ok && (strings.HasPrefix(after, "\n") || strings.HasPrefix(after, "\r\n") || after == "") {
			pos := s.pos()
			s.skipLine()
			s.dir = Directive{Name: "compat", Arg: mode, Pos: pos}
			return token.Token{Type: token.Directive, Value: "compat", Pos: pos}, true
		}
		if prefix == 1 {
			if t, ok := s.directive(2); ok {
				return t, true
			}
		}
	}
	s.skipLine()
	return token.Token{}, false
}

var directiveNames = []struct{ word, name string }{
	// longest spellings first so that "trydefine" is not read as "trydef"+"ine"
	{"trydefenvs", "trydefenvs"}, {"trydefenv", "trydefenv"}, {"trydefine", "trydef"}, {"trydef", "trydef"},
	{"redefine", "redef"}, {"redef", "redef"}, {"defenvs", "defenvs"}, {"defenv", "defenv"},
	{"define", "define"}, {"def", "define"},
	{"ifndef", "ifndef"}, {"ifdef", "ifdef"}, {"else", "else"}, {"endif", "endif"},
	{"substdefs", "substdefs"}, {"substdef", "substdef"}, {"subst", "subst"},
	{"include_file", "include_file"}, {"import_file", "import_file"},
}

// directive recognises a `#!` or `!!` directive whose keyword starts at
// s.off+skip. It reports false (consuming nothing) when the text is no
// directive, so that `#!foo` becomes a comment and `!!x` two operators.
func (s *Scanner) directive(skip int) (token.Token, bool) {
	rest := s.rest()[skip:]
	for _, d := range directiveNames {
		if !strings.HasPrefix(rest, d.word) {
			continue
		}
		after := rest[len(d.word):]
		if after != "" && isAlnum(after[0]) {
			continue
		}
		pos := s.pos()
		switch d.name {
		case "define", "trydef", "redef", "ifdef", "ifndef", "defenv", "defenvs", "trydefenv", "trydefenvs":
			if after == "" || !isBlank(after[0]) {
				// Kamailio requires a blank after the keyword; otherwise the
				// line is an ordinary comment.
				return token.Token{}, false
			}
			s.advance(skip + len(d.word))
			s.dirWithName(d.name, pos)
		case "else", "endif":
			s.advance(skip + len(d.word))
			s.dir = Directive{Name: d.name, Pos: pos}
			s.expectEOL(d.name)
		default: // subst*, include_file, import_file: an argument token follows
			s.advance(skip + len(d.word))
			s.dir = Directive{Name: d.name, Pos: pos}
		}
		return token.Token{Type: token.Directive, Value: d.name, Pos: pos}, true
	}
	return token.Token{}, false
}

func (s *Scanner) skipBlanks() {
	for s.off < len(s.src) && isBlank(s.src[s.off]) {
		s.advance(1)
	}
}

// expectEOL consumes blanks and the newline that must end a directive line.
func (s *Scanner) expectEOL(name string) {
	s.skipBlanks()
	if s.off >= len(s.src) {
		return
	}
	if s.src[s.off] != '\n' {
		s.Diag.Add(s.pos(), "unexpected text after #!%s: a directive must be alone on its line", name)
	}
	s.skipLine()
}

func (s *Scanner) dirWithName(name string, pos token.Pos) {
	s.skipBlanks()
	s.dir = Directive{Name: name, Pos: pos, ArgPos: s.pos()}
	start := s.off
	if s.off < len(s.src) && isLetter(s.src[s.off]) {
		for s.off < len(s.src) && isAlnum(s.src[s.off]) {
			s.advance(1)
		}
	}
	s.dir.Arg = s.src[start:s.off]
	if s.dir.Arg == "" {
		s.Diag.Add(s.dir.ArgPos, "#!%s needs a name ([A-Za-z_][A-Za-z0-9_]*)", name)
		s.skipLine()
		return
	}
	if s.off < len(s.src) && s.src[s.off] == '-' {
		s.Diag.Add(s.pos(), "'-' not allowed in the name of #!%s %s", name, s.dir.Arg)
		s.skipLine()
		return
	}
	switch name {
	case "ifdef", "ifndef":
		s.expectEOL(name + " " + s.dir.Arg)
		return
	case "defenv", "defenvs", "trydefenv", "trydefenvs":
		if s.off < len(s.src) && s.src[s.off] == '=' {
			s.advance(1)
			vstart := s.off
			for s.off < len(s.src) && isAlnum(s.src[s.off]) {
				s.advance(1)
			}
			s.dir.Value, s.dir.HasValue = s.src[vstart:s.off], true
		}
		s.expectEOL(name + " " + s.dir.Arg)
		return
	}
	// define value: the rest of the line, backslash-newline continues it
	s.skipBlanks()
	var b strings.Builder
	for s.off < len(s.src) {
		c := s.src[s.off]
		if c == '\\' && s.peekByte(1) == '\n' {
			s.advance(2)
			continue
		}
		if c == '\\' && s.peekByte(1) == '\r' && s.peekByte(2) == '\n' {
			s.advance(3)
			continue
		}
		if c == '\n' {
			s.advance(1)
			break
		}
		b.WriteByte(c)
		s.advance(1)
	}
	v := strings.TrimRight(b.String(), " \t\r")
	s.dir.Value, s.dir.HasValue = v, v != ""
}

// SkipInactive skips the text of an inactive #!ifdef branch up to the next
// #!ifdef, #!ifndef, #!else or #!endif, which it returns as a Directive
// token. Nothing else in the skipped text is interpreted, as in Kamailio.
func (s *Scanner) SkipInactive() token.Token {
	for s.off < len(s.src) {
		c := s.src[s.off]
		if (c == '#' && s.peekByte(1) == '!') || (c == '!' && s.peekByte(1) == '!') {
			rest := s.rest()[2:]
			for _, w := range []string{"ifdef", "ifndef", "else", "endif"} {
				if strings.HasPrefix(rest, w) && (len(rest) == len(w) || !isAlnum(rest[len(w)])) {
					if t, ok := s.directive(2); ok {
						return t
					}
				}
			}
		}
		s.advance(1)
	}
	return token.Token{Type: token.EOF, Pos: s.pos()}
}

var (
	ipv6RE = regexp.MustCompile(`^(?:(?:[0-9a-fA-F]{1,4}:){7}[0-9a-fA-F]{1,4}|(?:[0-9a-fA-F]{1,4}:){1,7}(?::[0-9a-fA-F]{1,4}){1,7}|:(?::[0-9a-fA-F]{1,4}){1,7}|(?:[0-9a-fA-F]{1,4}:){1,7}:|::)`)
	ipv4RE = regexp.MustCompile(`^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+`)
	// evNameRE is the syntax of an event_route name.
	evNameRE = regexp.MustCompile(`^[a-zA-Z][0-9a-zA-Z-]*(?::[a-zA-Z][0-9a-zA-Z_-]*)+`)
)

// twoCharOps are matched before single characters.
var twoCharOps = []string{"==", "!=", "=~", ">=", "<=", "&&", "||", "<<", ">>", "+=", "=>"}

const singleOps = "=<>!~&|^+-*/%(){}[];,.:@?"

func (s *Scanner) tok(kind token.Kind, pos token.Pos, n int) token.Token {
	v := s.src[s.off : s.off+n]
	s.advance(n)
	return token.Token{Type: kind, Value: v, Pos: pos}
}

func (s *Scanner) token() token.Token {
	pos := s.pos()
	rest := s.rest()
	c := rest[0]

	// an event route name right after `event_route [`
	if s.prev.Type == token.Op && s.prev.Value == "[" && s.prev2.Type == token.Ident && s.prev2.Value == "event_route" {
		if m := evNameRE.FindString(rest); m != "" && (len(m) == len(rest) || !isAlnum(rest[len(m)]) && rest[len(m)] != '-') {
			return s.tok(token.Ident, pos, len(m))
		}
	}

	switch {
	case c == '"':
		return s.doubleQuoted(pos)
	case c == '\'':
		return s.singleQuoted(pos)
	case c == '$':
		return s.pvar(pos)
	case c == '(' && (strings.HasPrefix(rest, "(int)") || strings.HasPrefix(rest, "(str)")):
		return s.tok(token.Op, pos, 5)
	}

	if isAlnum(c) || c == ':' {
		// IPv6 competes with numbers and identifiers: the longest match wins,
		// as in flex.
		v6 := 0
		if maybeIPv6(rest) {
			if m := ipv6RE.FindStringIndex(rest); m != nil {
				v6 = m[1]
			}
		}
		word := 0
		for word < len(rest) && isAlnum(rest[word]) {
			word++
		}
		if v6 > word && v6 >= 2 {
			return s.tok(token.IPv6, pos, v6)
		}
		if isDigit(c) {
			if m := ipv4RE.FindStringIndex(rest); m != nil && (m[1] == len(rest) || !isAlnum(rest[m[1]])) {
				return s.tok(token.IPv4, pos, m[1])
			}
			if n := numberLen(rest[:word]); n == word {
				return s.tok(token.Int, pos, n)
			}
			// digits followed by letters: an identifier-like word (NUM_ID)
			return s.tok(token.Ident, pos, word)
		}
		if isLetter(c) {
			for _, kw := range []string{"msg:len", "uri:host", "uri:port"} {
				if strings.HasPrefix(rest, kw) && (len(rest) == len(kw) || !isAlnum(rest[len(kw)])) {
					return s.tok(token.Ident, pos, len(kw))
				}
			}
			if w := rest[:word]; w == "include_file" || w == "import_file" {
				// also a directive without the #! prefix
				s.advance(word)
				s.dir = Directive{Name: w, Pos: pos}
				return token.Token{Type: token.Directive, Value: w, Pos: pos}
			}
			return s.tok(token.Ident, pos, word)
		}
	}
	for _, op := range twoCharOps {
		if strings.HasPrefix(rest, op) {
			return s.tok(token.Op, pos, 2)
		}
	}
	if strings.IndexByte(singleOps, c) >= 0 {
		return s.tok(token.Op, pos, 1)
	}
	s.Diag.Add(pos, "invalid character %q", rune(c))
	s.advance(1)
	return s.next()
}

// maybeIPv6 is a cheap test that rest might start with an IPv6 address: at
// most four hex digits and then a ':'. It spares the regular expression for
// the identifiers and numbers that make up most of a config.
func maybeIPv6(rest string) bool {
	for i := 0; i < len(rest) && i <= 4; i++ {
		if rest[i] == ':' {
			return true
		}
		if !isHex(rest[i]) {
			return false
		}
	}
	return false
}

// numberLen returns len(w) when w is a whole integer literal in one of
// Kamailio's forms (decimal, 0x hex, leading-zero octal, 101b binary).
func numberLen(w string) int {
	switch {
	case len(w) > 2 && w[:2] == "0x": // only lower-case 0x, as in Kamailio
		for _, c := range []byte(w[2:]) {
			if !isHex(c) {
				return 0
			}
		}
		return len(w)
	case len(w) > 1 && w[len(w)-1] == 'b':
		for _, c := range []byte(w[:len(w)-1]) {
			if c != '0' && c != '1' {
				return 0
			}
		}
		return len(w)
	}
	for _, c := range []byte(w) {
		if !isDigit(c) {
			return 0
		}
	}
	return len(w)
}

func isHex(c byte) bool { return isDigit(c) || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' }

// doubleQuoted scans "..." and any "..." that follows it after white space,
// decoding Kamailio's escapes, and returns one String token.
func (s *Scanner) doubleQuoted(pos token.Pos) token.Token {
	var b strings.Builder
	for {
		s.advance(1) // opening quote
		closed := false
		for s.off < len(s.src) {
			c := s.src[s.off]
			if c == '"' {
				s.advance(1)
				closed = true
				break
			}
			if c != '\\' {
				b.WriteByte(c)
				s.advance(1)
				continue
			}
			n := s.peekByte(1)
			switch {
			case n == 'n':
				b.WriteByte('\n')
				s.advance(2)
			case n == 'r':
				b.WriteByte('\r')
				s.advance(2)
			case n == 'a':
				b.WriteByte('\a')
				s.advance(2)
			case n == 't':
				b.WriteByte('\t')
				s.advance(2)
			case n == '"':
				b.WriteByte('"')
				s.advance(2)
			case n == '\\':
				b.WriteByte('\\')
				s.advance(2)
			case n == '\n':
				s.advance(2)
			case n == '\r' && s.peekByte(2) == '\n':
				s.advance(3)
			case n == 'x' && isHex(s.peekByte(2)):
				l := 1
				if isHex(s.peekByte(3)) {
					l = 2
				}
				b.WriteByte(byte(hexVal(s.src[s.off+2 : s.off+2+l])))
				s.advance(2 + l)
			case isOctal(n) && isOctal(s.peekByte(2)):
				l := 2
				if isOctal(s.peekByte(3)) {
					l = 3
				}
				v := 0
				for _, d := range []byte(s.src[s.off+1 : s.off+1+l]) {
					v = v*8 + int(d-'0')
				}
				b.WriteByte(byte(v))
				s.advance(1 + l)
			default:
				// unknown escapes keep their backslash: regexes rely on it
				b.WriteByte('\\')
				s.advance(1)
			}
		}
		if !closed {
			s.Diag.Add(pos, "unterminated string: missing closing \"")
			return token.Token{Type: token.String, Value: b.String(), Pos: pos}
		}
		// adjacent double-quoted strings are one string
		save := *s
		for s.off < len(s.src) && (isBlank(s.src[s.off]) || s.src[s.off] == '\n') {
			s.advance(1)
		}
		if s.off < len(s.src) && s.src[s.off] == '"' {
			continue
		}
		*s = save
		return token.Token{Type: token.String, Value: b.String(), Pos: pos}
	}
}

func isOctal(c byte) bool { return c >= '0' && c <= '7' }

func hexVal(h string) int {
	v := 0
	for _, c := range []byte(h) {
		switch {
		case isDigit(c):
			v = v*16 + int(c-'0')
		case c >= 'a' && c <= 'f':
			v = v*16 + int(c-'a'+10)
		default:
			v = v*16 + int(c-'A'+10)
		}
	}
	return v
}

func (s *Scanner) singleQuoted(pos token.Pos) token.Token {
	end := strings.IndexByte(s.rest()[1:], '\'')
	if end < 0 {
		v := s.rest()[1:]
		s.advance(len(s.rest()))
		s.Diag.Add(pos, "unterminated string: missing closing '")
		return token.Token{Type: token.String, Value: v, Pos: pos}
	}
	v := s.rest()[1 : 1+end]
	s.advance(end + 2)
	return token.Token{Type: token.String, Value: v, Pos: pos}
}

// pvar scans a pseudo-variable: $name, $name(...), $(...) or $?. Parentheses
// are counted without regard to quotes, as Kamailio does.
func (s *Scanner) pvar(pos token.Pos) token.Token {
	rest := s.rest()
	n := 1
	if len(rest) > 1 && rest[1] == '?' {
		return s.tok(token.PV, pos, 2)
	}
	// Kamailio's lexer reads $rc and $retcode as tokens of their own, by
	// longest match, even when more name characters follow: $rcv(proto) is
	// $rc followed by v(proto) there. Do the same, so that such configs are
	// judged alike.
	for _, rc := range []string{"$retcode", "$rc"} {
		if strings.HasPrefix(rest, rc) {
			return s.tok(token.PV, pos, len(rc))
		}
	}
	if len(rest) > 1 && isLetter(rest[1]) {
		for n < len(rest) && (isAlnum(rest[n]) || rest[n] == '.') {
			n++
		}
	}
	if n < len(rest) && rest[n] == '(' {
		depth := 0
		for ; n < len(rest); n++ {
			if rest[n] == '(' {
				depth++
			} else if rest[n] == ')' {
				depth--
				if depth == 0 {
					n++
					break
				}
			}
		}
		if depth != 0 {
			s.Diag.Add(pos, "unterminated pseudo-variable: %d '(' not closed", depth)
			return s.tok(token.PV, pos, n)
		}
	}
	if n == 1 {
		s.Diag.Add(pos, "'$' must be followed by a pseudo-variable name")
	}
	return s.tok(token.PV, pos, n)
}
