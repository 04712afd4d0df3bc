package pv

import (
	"fmt"
	"strconv"
	"strings"
	"unsafe"
)

// trFunc is the run-time body of a transformation (Tr.Fn).
type trFunc = func(st *State, t *Tr, v Value) (Value, bool)

// fixupTransform finds the function of tr and checks and prepares its
// constant arguments. Argument counts were checked by ValidateTransform.
// Kamailio matches class and name case-insensitively.
func fixupTransform(tr *Tr) error {
	name := strings.ToLower(tr.T.Name)
	switch strings.ToLower(tr.T.Class) {
	case "s":
		return fixupStrTr(tr, name)
	case "uri":
		return fixupURITr(tr, name)
	case "param":
		return fixupParamTr(tr, name)
	case "nameaddr":
		return fixupNameAddrTr(tr, name)
	case "tobody":
		return fixupToBodyTr(tr, name)
	case "line":
		return fixupLineTr(tr, name)
	case "urialias":
		return fixupURIAliasTr(tr, name)
	case "re":
		if name == "subst" {
			return fixupReSubst(tr)
		}
	}
	return fmt.Errorf("{%s.%s} is not supported by kamgo yet", tr.T.Class, tr.T.Name)
}

// trNumArg checks that argument i is a number or a pseudo-variable, as
// Kamailio's parser requires of numeric arguments. nonNeg refuses a negative
// constant.
func trNumArg(tr *Tr, i int, nonNeg bool) error {
	if i >= len(tr.Args) {
		return nil
	}
	a := &tr.Args[i]
	if a.PV != nil {
		return nil
	}
	if !a.IsInt || strings.ContainsAny(a.Lit, "xX") {
		return fmt.Errorf("argument %d must be a number or a pseudo-variable, not %q", i+1, a.Lit)
	}
	if nonNeg && a.Int < 0 {
		return fmt.Errorf("argument %d must not be negative", i+1)
	}
	return nil
}

// trStrArg prepares the constant string argument i the way Kamailio reads
// it: leading blanks are skipped, and "\," (kamgo's way to put a comma in an
// argument) stands for a comma. needChar refuses an argument left empty.
func trStrArg(tr *Tr, i int, needChar bool) error {
	if i >= len(tr.Args) {
		return nil
	}
	a := &tr.Args[i]
	if a.PV != nil {
		return nil
	}
	a.Lit = trUnescapeArg(strings.TrimLeft(a.Lit, " \t\n"))
	if needChar && a.Lit == "" {
		return fmt.Errorf("argument %d must not be empty", i+1)
	}
	return nil
}

// trUnescapeArg turns "\," into ",": the spec parser keeps the backslash
// that lets an argument hold a comma. Other escapes are the
// transformation's business.
func trUnescapeArg(s string) string {
	if !strings.Contains(s, `\,`) {
		return s
	}
	return strings.ReplaceAll(s, `\,`, ",")
}

// trNum returns the value of numeric argument a. A pseudo-variable must hold
// an integer: Kamailio fails the transformation otherwise.
func trNum(st *State, a *TrArg) (int64, bool) {
	if a.PV == nil {
		return a.Int, true
	}
	v := a.PV.Get(st)
	if v.K != KindInt {
		return 0, false
	}
	return v.I, true
}

// trStr returns the value of string argument a: the prepared constant, or
// the pseudo-variable's text, which must not be empty.
func trStr(st *State, a *TrArg) (string, bool) {
	if a.PV == nil {
		return a.Lit, true
	}
	s, ok := trText(st, a.PV.Get(st))
	if !ok || s == "" {
		return "", false
	}
	return s, true
}

// trText returns v as text: an integer is printed into the arena. Null has
// no text: Kamailio's transformations fail on it.
func trText(st *State, v Value) (string, bool) {
	switch v.K {
	case KindStr:
		return v.S, true
	case KindInt:
		start := len(st.Arena)
		st.Arena = strconv.AppendInt(st.Arena, v.I, 10)
		return st.ArenaString(start), true
	}
	return "", false
}

// trTextNonEmpty is trText for the classes (uri, param, nameaddr, tobody,
// line, urialias) that also fail on an empty string.
func trTextNonEmpty(st *State, v Value) (string, bool) {
	s, ok := trText(st, v)
	return s, ok && s != ""
}

// trView returns b, a slice of a string's bytes, as a string without
// copying.
func trView(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(unsafe.SliceData(b), len(b))
}

// trBytes returns the bytes of s without copying; they must not be written.
func trBytes(s string) []byte { return unsafe.Slice(unsafe.StringData(s), len(s)) }

// trDone returns the arena bytes appended since start as a string value.
func trDone(st *State, start int) (Value, bool) {
	return Str(st.ArenaString(start)), true
}
