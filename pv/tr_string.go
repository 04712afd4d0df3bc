package pv

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// fixupStrTr prepares the {s.*} transformations.
func fixupStrTr(tr *Tr, name string) error {
	var err error
	switch name {
	case "len":
		tr.Fn = trSLen
	case "int":
		tr.Fn = trSInt
	case "tolower":
		tr.Fn = trSToLower
	case "toupper":
		tr.Fn = trSToUpper
	case "numeric":
		tr.Fn = trSNumeric
	case "rmws":
		tr.Fn = trSRmWS
	case "trim":
		tr.Fn = trSTrim
	case "rtrim":
		tr.Fn = trSRTrim
	case "ltrim":
		tr.Fn = trSLTrim
	case "unquote":
		tr.Fn = trSUnquote
	case "unbracket":
		tr.Fn = trSUnbracket
	case "substr":
		if err = trNumArg(tr, 0, false); err == nil {
			err = trNumArg(tr, 1, true)
		}
		tr.Fn = trSSubstr
	case "select":
		var sep byte
		sep, err = trSelectSep(tr.Args[1].Lit)
		tr.Data = sep
		if err == nil {
			err = trNumArg(tr, 0, false)
		}
		tr.Fn = trSSelect
	case "strip":
		err = trNumArg(tr, 0, false)
		tr.Fn = trSStrip
	case "striptail":
		err = trNumArg(tr, 0, false)
		tr.Fn = trSStripTail
	case "stripto":
		err = trStrArg(tr, 0, true)
		tr.Fn = trSStripTo
	case "prefixes":
		err = trNumArg(tr, 0, false)
		tr.Fn = trSPrefixes
	case "prefixes.quoted":
		err = trNumArg(tr, 0, false)
		tr.Fn = trSPrefixesQuoted
	case "replace":
		if err = trStrArg(tr, 0, true); err == nil {
			err = trStrArg(tr, 1, false)
		}
		tr.Fn = trSReplace
	case "ftime":
		err = trStrArg(tr, 0, true)
		tr.Fn = trSFtime
	case "corehash":
		err = trNumArg(tr, 0, false)
		tr.Fn = trSCoreHash
	case "rm":
		if err = trStrArg(tr, 0, true); err == nil && tr.Args[0].PV == nil {
			tr.Args[0].Lit = trUnescapeRm(tr.Args[0].Lit)
		}
		tr.Fn = trSRm
	case "count":
		err = trStrArg(tr, 0, true)
		tr.Fn = trSCount
	case "before":
		err = trStrArg(tr, 0, true)
		tr.Fn = trSBefore
	case "after":
		err = trStrArg(tr, 0, true)
		tr.Fn = trSAfter
	case "rbefore":
		err = trStrArg(tr, 0, true)
		tr.Fn = trSRBefore
	case "rafter":
		err = trStrArg(tr, 0, true)
		tr.Fn = trSRAfter
	case "fmtlines", "fmtlinet":
		if err = trNumArg(tr, 0, true); err == nil {
			err = trNumArg(tr, 1, true)
		}
		tr.Fn = trSFmtLines
		tr.Data = byte(' ')
		if name == "fmtlinet" {
			tr.Data = byte('\t')
		}
	default:
		if fn := trCodecFn(name); fn != nil {
			tr.Fn = fn
			return nil
		}
		return fmt.Errorf("{s.%s} is not supported by kamgo yet", name)
	}
	return err
}

func trSLen(st *State, _ *Tr, v Value) (Value, bool) {
	switch v.K {
	case KindStr:
		return Int(int64(len(v.S))), true
	case KindInt:
		var buf [24]byte
		return Int(int64(len(strconv.AppendInt(buf[:0], v.I, 10)))), true
	}
	return Null(), false
}

// trSInt: an integer stays; a string must be an optional sign and digits.
func trSInt(_ *State, _ *Tr, v Value) (Value, bool) {
	switch v.K {
	case KindInt:
		return v, true
	case KindStr:
		n, ok := trStrToLong(v.S)
		if !ok {
			return Null(), false
		}
		return Int(Wrap32(n)), true
	}
	return Null(), false
}

// trStrToLong parses an optional sign and decimal digits, nothing else, as
// Kamailio's str2slong does ("" and "-" are 0).
func trStrToLong(s string) (int64, bool) {
	i, neg := 0, false
	if s != "" && (s[0] == '+' || s[0] == '-') {
		neg = s[0] == '-'
		i++
	}
	var n uint64
	for ; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + uint64(c-'0')
	}
	if neg {
		return -int64(n), true
	}
	return int64(n), true
}

// trMapASCII returns s with the bytes in [lo, hi] shifted by delta, building
// a copy in the arena only when some byte changes.
func trMapASCII(st *State, s string, lo, hi byte, delta int) Value {
	i := 0
	for i < len(s) && (s[i] < lo || s[i] > hi) {
		i++
	}
	if i == len(s) {
		return Str(s)
	}
	start := len(st.Arena)
	st.Arena = append(st.Arena, s...)
	b := st.Arena[start:]
	for ; i < len(b); i++ {
		if b[i] >= lo && b[i] <= hi {
			b[i] = byte(int(b[i]) + delta)
		}
	}
	return Str(st.ArenaString(start))
}

// trSToLower and trSToUpper map ASCII letters. Like most {s.*}, they make
// an integer a string: Kamailio's integers carry their text too, and
// "$(var(i){s.tolower}) + 1" concatenates.
func trSToLower(st *State, _ *Tr, v Value) (Value, bool) {
	s, ok := trText(st, v)
	return trMapASCII(st, s, 'A', 'Z', 'a'-'A'), ok
}

func trSToUpper(st *State, _ *Tr, v Value) (Value, bool) {
	s, ok := trText(st, v)
	return trMapASCII(st, s, 'a', 'z', 'A'-'a'), ok
}

// trKeep returns s without the bytes drop reports, slicing when none is.
func trKeep(st *State, s string, drop func(c byte) bool) Value {
	i := 0
	for i < len(s) && !drop(s[i]) {
		i++
	}
	if i == len(s) {
		return Str(s)
	}
	start := len(st.Arena)
	st.Arena = append(st.Arena, s[:i]...)
	for ; i < len(s); i++ {
		if !drop(s[i]) {
			st.Arena = append(st.Arena, s[i])
		}
	}
	return Str(st.ArenaString(start))
}

func trNotDigit(c byte) bool { return c < '0' || c > '9' }

func trIsWS(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

func trSNumeric(st *State, _ *Tr, v Value) (Value, bool) {
	s, ok := trText(st, v)
	if !ok {
		return Null(), false
	}
	return trKeep(st, s, trNotDigit), true
}

func trSRmWS(st *State, _ *Tr, v Value) (Value, bool) {
	s, ok := trText(st, v)
	if !ok {
		return Null(), false
	}
	return trKeep(st, s, trIsWS), true
}

const trBlanks = " \t\r\n"

func trSTrim(st *State, _ *Tr, v Value) (Value, bool) {
	s, ok := trText(st, v)
	return Str(strings.Trim(s, trBlanks)), ok
}

func trSRTrim(st *State, _ *Tr, v Value) (Value, bool) {
	s, ok := trText(st, v)
	return Str(strings.TrimRight(s, trBlanks)), ok
}

func trSLTrim(st *State, _ *Tr, v Value) (Value, bool) {
	s, ok := trText(st, v)
	return Str(strings.TrimLeft(s, trBlanks)), ok
}

// trSUnquote removes one pair of surrounding double or single quotes.
func trSUnquote(st *State, _ *Tr, v Value) (Value, bool) {
	s, ok := trText(st, v)
	if len(s) >= 2 && s[0] == s[len(s)-1] && (s[0] == '"' || s[0] == '\'') {
		s = s[1 : len(s)-1]
	}
	return Str(s), ok
}

// trSUnbracket removes one pair of surrounding (), [], {} or <>.
func trSUnbracket(st *State, _ *Tr, v Value) (Value, bool) {
	s, ok := trText(st, v)
	if len(s) >= 2 {
		switch s[0:1] + s[len(s)-1:] {
		case "()", "[]", "{}", "<>":
			s = s[1 : len(s)-1]
		}
	}
	return Str(s), ok
}

// trSSubstr: offset (negative counts from the end) and length (0 means to
// the end; a length running past the end also does). An offset outside the
// string or a negative length fails.
func trSSubstr(st *State, t *Tr, v Value) (Value, bool) {
	s, ok := trText(st, v)
	i, ok1 := trNum(st, &t.Args[0])
	j, ok2 := trNum(st, &t.Args[1])
	if !ok || !ok1 || !ok2 || j < 0 {
		return Null(), false
	}
	n := int64(len(s))
	if i >= 0 {
		if i >= n {
			return Null(), false
		}
		if j == 0 || i+j >= n {
			return Str(s[i:]), true
		}
		return Str(s[i : i+j]), true
	}
	i = -i
	if i > n {
		return Null(), false
	}
	if j == 0 || i < j {
		return Str(s[n-i:]), true
	}
	return Str(s[n-i : n-i+j]), true
}

// trSepWS is the {s.select} separator "\s": any blank.
const trSepWS = 1

// trSelectSep reads the separator of {s.select}: one character, taken as
// written (blanks included), or an escape \\, \n, \r, \t, \s (any blank),
// \w (a space); "\," is kamgo's comma.
func trSelectSep(lit string) (byte, error) {
	switch {
	case len(lit) == 1:
		return lit[0], nil
	case len(lit) == 2 && lit[0] == '\\':
		switch lit[1] {
		case '\\', ',':
			return lit[1], nil
		case 'n':
			return '\n', nil
		case 'r':
			return '\r', nil
		case 't':
			return '\t', nil
		case 's':
			return trSepWS, nil
		case 'w':
			return ' ', nil
		}
		return 0, fmt.Errorf("unknown separator escape %q (use \\\\, \\n, \\r, \\t, \\s or \\w)", lit)
	case lit == "":
		return 0, fmt.Errorf("missing separator: {s.select,index,c} splits at the character c")
	}
	return 0, fmt.Errorf("the separator must be one character, not %q", lit)
}

func trSelIsSep(c, sep byte) bool {
	if sep == trSepWS {
		return trIsWS(c)
	}
	return c == sep
}

// trSSelect returns field i of the string split at the separator; a
// negative i counts from the end; a missing field is "".
func trSSelect(st *State, t *Tr, v Value) (Value, bool) {
	s, ok := trText(st, v)
	i, ok1 := trNum(st, &t.Args[0])
	if !ok || !ok1 {
		return Null(), false
	}
	sep := t.Data.(byte)
	if i >= 0 {
		start, p := 0, 0
		for ; p < len(s); p++ {
			if trSelIsSep(s[p], sep) {
				if i == 0 {
					break
				}
				start = p + 1
				i--
			}
		}
		if i != 0 {
			return Str(""), true
		}
		return Str(s[start:p]), true
	}
	i = -i - 1
	end, p := len(s), len(s)-1
	for ; p >= 0; p-- {
		if trSelIsSep(s[p], sep) {
			if i == 0 {
				break
			}
			end = p
			i--
		}
	}
	if i != 0 {
		return Str(""), true
	}
	return Str(s[p+1 : end]), true
}

func trSStrip(st *State, t *Tr, v Value) (Value, bool) {
	s, ok := trText(st, v)
	n, ok1 := trNum(st, &t.Args[0])
	if !ok || !ok1 {
		return Null(), false
	}
	switch {
	case n <= 0:
		return Str(s), true
	case n >= int64(len(s)):
		return Str(""), true
	}
	return Str(s[n:]), true
}

func trSStripTail(st *State, t *Tr, v Value) (Value, bool) {
	s, ok := trText(st, v)
	n, ok1 := trNum(st, &t.Args[0])
	if !ok || !ok1 {
		return Null(), false
	}
	switch {
	case n <= 0:
		return Str(s), true
	case n >= int64(len(s)):
		return Str(""), true
	}
	return Str(s[:int64(len(s))-n]), true
}

// trTextAndChar returns the input text and the first character of the
// argument, for the transformations that look for one character.
func trTextAndChar(st *State, t *Tr, v Value) (string, byte, bool) {
	s, ok := trText(st, v)
	if !ok {
		return "", 0, false
	}
	c, ok := trStr(st, &t.Args[0])
	if !ok || c == "" {
		return "", 0, false
	}
	return s, c[0], true
}

// trSStripTo keeps the string from the first occurrence of the character
// on, "" when it is absent.
func trSStripTo(st *State, t *Tr, v Value) (Value, bool) {
	s, c, ok := trTextAndChar(st, t, v)
	if !ok {
		return Null(), false
	}
	if i := strings.IndexByte(s, c); i >= 0 {
		return Str(s[i:]), true
	}
	return Str(""), true
}

func trSCount(st *State, t *Tr, v Value) (Value, bool) {
	s, c, ok := trTextAndChar(st, t, v)
	if !ok {
		return Null(), false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			n++
		}
	}
	return Int(int64(n)), true
}

// s.before, s.after, s.rbefore and s.rafter split the text at the first
// (or last) occurrence of a character: before it all of the text when it
// is absent, after it "" when absent. Kamailio 5.6's rbefore and rafter
// are broken (they scan past the string), so they follow the documented
// meaning instead.
var (
	trSBefore  = trSplitAt(false, false)
	trSAfter   = trSplitAt(false, true)
	trSRBefore = trSplitAt(true, false)
	trSRAfter  = trSplitAt(true, true)
)

func trSplitAt(last, after bool) func(*State, *Tr, Value) (Value, bool) {
	return func(st *State, t *Tr, v Value) (Value, bool) {
		s, c, ok := trTextAndChar(st, t, v)
		if !ok {
			return Null(), false
		}
		i := strings.IndexByte(s, c)
		if last {
			i = strings.LastIndexByte(s, c)
		}
		switch {
		case i < 0 && after:
			return Str(""), true
		case i < 0:
			return Str(s), true
		case after:
			return Str(s[i+1:]), true
		}
		return Str(s[:i]), true
	}
}

func trSPrefixes(st *State, t *Tr, v Value) (Value, bool) {
	return trPrefixes(st, t, v, false)
}

func trSPrefixesQuoted(st *State, t *Tr, v Value) (Value, bool) {
	return trPrefixes(st, t, v, true)
}

// trPrefixes lists the prefixes of the string, comma-separated, up to the
// optional maximum length.
func trPrefixes(st *State, t *Tr, v Value, quoted bool) (Value, bool) {
	s, ok := trText(st, v)
	if !ok {
		return Null(), false
	}
	max := len(s)
	if len(t.Args) > 0 {
		n, ok := trNum(st, &t.Args[0])
		if !ok {
			return Null(), false
		}
		if n > 0 && n < int64(max) {
			max = int(n)
		}
	}
	start := len(st.Arena)
	for i := 1; i <= max; i++ {
		if i > 1 {
			st.Arena = append(st.Arena, ',')
		}
		if quoted {
			st.Arena = append(st.Arena, '\'')
		}
		st.Arena = append(st.Arena, s[:i]...)
		if quoted {
			st.Arena = append(st.Arena, '\'')
		}
	}
	return trDone(st, start)
}

// trReplaceAll builds s with every occurrence of match replaced, slicing
// when there is none.
func trReplaceAll(st *State, s, match, repl string) Value {
	i := strings.Index(s, match)
	if i < 0 {
		return Str(s)
	}
	start := len(st.Arena)
	for i >= 0 {
		st.Arena = append(st.Arena, s[:i]...)
		st.Arena = append(st.Arena, repl...)
		s = s[i+len(match):]
		i = strings.Index(s, match)
	}
	st.Arena = append(st.Arena, s...)
	return Str(st.ArenaString(start))
}

func trSReplace(st *State, t *Tr, v Value) (Value, bool) {
	s, ok := trText(st, v)
	match, ok1 := trStr(st, &t.Args[0])
	repl, ok2 := trStr(st, &t.Args[1])
	if !ok || !ok1 || !ok2 || match == "" {
		return Null(), false
	}
	return trReplaceAll(st, s, match, repl), true
}

func trSRm(st *State, t *Tr, v Value) (Value, bool) {
	s, ok := trText(st, v)
	match, ok1 := trStr(st, &t.Args[0])
	if !ok || !ok1 || match == "" {
		return Null(), false
	}
	return trReplaceAll(st, s, match, ""), true
}

// trUnescapeRm decodes the escapes {s.rm} accepts in its constant argument:
// \n, \r, \t, \\, and \c for any other c.
func trUnescapeRm(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '\\' && i+1 < len(s) {
			i++
			c = s[i]
			switch c {
			case 'n':
				c = '\n'
			case 'r':
				c = '\r'
			case 't':
				c = '\t'
			}
		}
		b.WriteByte(c)
	}
	return b.String()
}

// trSFtime formats the epoch time in the value (an integer or a number)
// with strftime in local time.
func trSFtime(st *State, t *Tr, v Value) (Value, bool) {
	var n int64
	switch v.K {
	case KindInt:
		n = v.I
	case KindStr:
		var ok bool
		if n, ok = trStrToLong(v.S); !ok {
			return Null(), false
		}
	default:
		return Null(), false
	}
	format, ok := trStr(st, &t.Args[0])
	if !ok {
		return Null(), false
	}
	start := len(st.Arena)
	st.Arena = trStrftime(st.Arena, format, time.Unix(n, 0))
	return trDone(st, start)
}

// trSCoreHash is Kamailio's core_hash of the string, masked with size-1
// when a size is given; it is printed as an unsigned number, in a string.
func trSCoreHash(st *State, t *Tr, v Value) (Value, bool) {
	s, ok := trText(st, v)
	if !ok {
		return Null(), false
	}
	var size uint32
	if len(t.Args) > 0 {
		n, ok := trNum(st, &t.Args[0])
		if !ok {
			return Null(), false
		}
		size = uint32(n)
	}
	h := trCoreHash(s)
	if size != 0 {
		h &= size - 1
	}
	start := len(st.Arena)
	st.Arena = strconv.AppendUint(st.Arena, uint64(h), 10)
	return trDone(st, start)
}

// trCoreHash is Kamailio's core_hash (hashes.h). Its bytes are C chars,
// signed on the platforms Kamailio runs on, so they are sign-extended.
func trCoreHash(s string) uint32 {
	c := func(i int) uint32 { return uint32(int32(int8(s[i]))) }
	var h, v uint32
	p := 0
	for ; p+4 <= len(s); p += 4 {
		v = c(p)<<24 + c(p+1)<<16 + c(p+2)<<8 + c(p+3)
		h += v ^ (v >> 3)
	}
	v = 0
	for ; p < len(s); p++ {
		v <<= 8
		v += c(p)
	}
	h += v ^ (v >> 3)
	return (h + (h >> 11)) + ((h >> 13) + (h >> 23))
}

// trSFmtLines reproduces Kamailio 5.6's {s.fmtlines,n,m} and
// {s.fmtlinet,n,m}: it means to break the text every n characters, but the
// test it uses (i/n == 0) breaks before each of the characters 1 to n-1
// instead; a break is CRLF and m spaces (tabs for fmtlinet).
func trSFmtLines(st *State, t *Tr, v Value) (Value, bool) {
	s, ok := trText(st, v)
	n, ok1 := trNum(st, &t.Args[0])
	m, ok2 := trNum(st, &t.Args[1])
	if !ok || !ok1 || !ok2 || n <= 0 || m < 0 {
		return Null(), false
	}
	pad := t.Data.(byte)
	start := len(st.Arena)
	for i := 0; i < len(s); i++ {
		if i != 0 && int64(i)/n == 0 {
			st.Arena = append(st.Arena, '\r', '\n')
			for k := int64(0); k < m; k++ {
				st.Arena = append(st.Arena, pad)
			}
		}
		st.Arena = append(st.Arena, s[i])
	}
	return trDone(st, start)
}
