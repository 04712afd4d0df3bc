package textops

import (
	"bytes"
	"fmt"
	"regexp"

	"github.com/kamgo/kamgo/runtime/module"
	"github.com/kamgo/kamgo/runtime/sip"
)

// region is the part of the message a function works on.
type region int

const (
	whole          region = iota // start line, headers and body
	body                         // the body
	headers                      // the header fields
	headersAndBody               // everything but the start line
)

// span returns the region's bytes and their offset in m.Bytes().
func (r region) span(m *sip.Message) ([]byte, int) {
	b := m.Bytes()
	start, end := 0, len(b)
	switch r {
	case body:
		start = m.BodyOffset()
	case headers:
		start, end = m.HeadersStart(), m.HeadersEnd()
	case headersAndBody:
		start = m.HeadersStart()
	}
	if start > end || end > len(b) {
		return nil, 0
	}
	return b[start:end], start
}

// edited keeps Content-Length right after edits that may reach the body.
func edited(ctx module.ExecContext, m *sip.Message, lastEnd int) {
	if lastEnd > m.BodyOffset() || lastEnd == m.BodyOffset() && lastEnd == len(m.Bytes()) {
		if err := m.SyncContentLength(); err != nil {
			errorf(ctx, "cannot update Content-Length: %v", err)
		}
	}
}

func execSearch(r region) module.ExecFunc {
	return func(ctx module.ExecContext, args module.Args) int {
		_, m := message(ctx)
		re := compiled(args, 0)
		if m == nil || re == nil {
			return -1
		}
		text, _ := r.span(m)
		if r == body && len(text) == 0 {
			return -1
		}
		return boolRC(re.Match(text))
	}
}

// execSearchStr is search_str: an empty text is an error (-2).
func execSearchStr(ctx module.ExecContext, args module.Args) int {
	re := regexArg(ctx, args, 1)
	text := args.Str(0)
	if re == nil || text == "" {
		return -2
	}
	return boolRC(re.MatchString(text))
}

func execSearchAppend(r region) module.ExecFunc {
	return func(ctx module.ExecContext, args module.Args) int {
		_, m := message(ctx)
		re := compiled(args, 0)
		if m == nil || re == nil {
			return -1
		}
		text, off := r.span(m)
		loc := re.FindIndex(text)
		if loc == nil {
			return -1
		}
		at := off + loc[1]
		if err := m.InsertRaw(at, args.Str(1)); err != nil {
			errorf(ctx, "search_append: %v", err)
			return -1
		}
		edited(ctx, m, at+1)
		return 1
	}
}

// replace modes.
type replaceMode int

const (
	replaceFirst replaceMode = iota // the first match
	replaceLines                    // every match
)

// matches returns the ranges of text that re matches in mode.
func matches(re *regexp.Regexp, text []byte, mode replaceMode) [][]int {
	switch mode {
	case replaceFirst:
		if loc := re.FindIndex(text); loc != nil {
			return [][]int{loc}
		}
		return nil
	}
	return re.FindAllIndex(text, -1)
}

func execReplace(r region, mode replaceMode) module.ExecFunc {
	return func(ctx module.ExecContext, args module.Args) int {
		_, m := message(ctx)
		re := compiled(args, 0)
		if m == nil || re == nil {
			return -1
		}
		text, off := r.span(m)
		if len(text) == 0 {
			return -1
		}
		locs := matches(re, text, mode)
		if len(locs) == 0 {
			return -1
		}
		repl := args.Str(1)
		for _, loc := range locs {
			if err := m.ReplaceRange(off+loc[0], off+loc[1], repl); err != nil {
				errorf(ctx, "replace: %v", err)
				return -1
			}
		}
		edited(ctx, m, off+locs[len(locs)-1][1])
		return 1
	}
}

// fixupReplaceStr checks replace_str's mode when it is constant.
func fixupReplaceStr(_ module.Host, args []module.FixedArg) error {
	if a := &args[2]; a.Const {
		if _, err := replaceAll(a.Str); err != nil {
			return err
		}
	}
	return nil
}

// replaceAll reads a replace_str mode: "f" first match, "a" all.
func replaceAll(mode string) (bool, error) {
	switch mode {
	case "a", "A":
		return true, nil
	case "f", "F":
		return false, nil
	}
	return false, fmt.Errorf("unknown replace mode %q (use f or a)", mode)
}

func execReplaceStr(r region) module.ExecFunc {
	return func(ctx module.ExecContext, args module.Args) int {
		_, m := message(ctx)
		if m == nil {
			return -1
		}
		needle, repl := args.Str(0), args.Str(1)
		all, err := replaceAll(args.Str(2))
		if err != nil {
			errorf(ctx, "%v", err)
			return -1
		}
		if needle == "" {
			return -1
		}
		text, off := r.span(m)
		n, last := 0, 0
		for pos := 0; pos < len(text); {
			k := bytes.Index(text[pos:], []byte(needle))
			if k < 0 {
				break
			}
			at := off + pos + k
			if err := m.ReplaceRange(at, at+len(needle), repl); err != nil {
				errorf(ctx, "replace_str: %v", err)
				return -1
			}
			n++
			last = at + len(needle)
			pos += k + len(needle)
			if !all {
				break
			}
		}
		// Kamailio returns true whether or not the text was found.
		if n > 0 {
			edited(ctx, m, last)
		}
		return 1
	}
}

// ---- subst ----

// fixupSubst parses the substitution expression at position i.
func fixupSubst(i int) module.FixupFunc {
	return func(host module.Host, args []module.FixedArg) error {
		a := &args[i]
		if !a.Const {
			return fmt.Errorf("the substitution must be a constant string")
		}
		pvc, _ := host.(formatCompiler)
		s, err := parseSubst(a.Str, pvc)
		if err != nil {
			return err
		}
		a.Fixed = s
		return nil
	}
}

func substOf(args module.Args, i int) *substExpr {
	if i >= len(args.Fixed) {
		return nil
	}
	s, _ := args.Fixed[i].Fixed.(*substExpr)
	return s
}

func execSubst(r region) module.ExecFunc {
	return func(ctx module.ExecContext, args module.Args) int {
		st, m := message(ctx)
		s := substOf(args, 0)
		if m == nil || s == nil {
			return -1
		}
		text, off := r.span(m)
		ms := s.run(text, st, nil)
		if len(ms) == 0 {
			return -1
		}
		for _, x := range ms {
			if err := m.ReplaceRange(off+x.off, off+x.end, x.text); err != nil {
				errorf(ctx, "subst: %v", err)
				return -1
			}
		}
		edited(ctx, m, off+ms[len(ms)-1].end)
		return 1
	}
}

// execSubstURI runs the substitution on the Request-URI (subst_uri) or on
// its user part (subst_user) and rewrites the Request-URI with the result.
func execSubstURI(user bool) module.ExecFunc {
	return func(ctx module.ExecContext, args module.Args) int {
		st, m := message(ctx)
		s := substOf(args, 0)
		if m == nil || s == nil || !m.IsRequest() {
			return -1
		}
		ruri := m.RequestURI()
		in := ruri
		if user {
			u, err := m.ParsedRequestURI()
			if err != nil {
				errorf(ctx, "subst_user: cannot parse the Request-URI: %v", err)
				return -1
			}
			in = u.User
		}
		out, n := s.apply(in, st)
		if n == 0 {
			return -1
		}
		newURI := out
		if user {
			b, err := sip.RewriteURI(nil, ruri, sip.PartUser, out)
			if err != nil {
				errorf(ctx, "subst_user: %v", err)
				return -1
			}
			newURI = string(b)
		}
		if err := m.SetRequestURI(newURI); err != nil {
			errorf(ctx, "cannot set the Request-URI to %q: %v", newURI, err)
			return -1
		}
		return 1
	}
}

// hfFlag says which of the header fields called a name search_hf and
// subst_hf look at.
type hfFlag byte

const (
	hfAll   hfFlag = 'a'
	hfFirst hfFlag = 'f'
	hfLast  hfFlag = 'l'
)

func parseHFFlag(s string) (hfFlag, error) {
	switch s {
	case "", "a":
		return hfAll, nil
	case "f":
		return hfFirst, nil
	case "l":
		return hfLast, nil
	}
	return 0, fmt.Errorf("unknown header flag %q (use a, f or l)", s)
}

// hfCall is what search_hf and subst_hf prepare.
type hfCall struct {
	name  string
	flag  hfFlag
	re    *regexp.Regexp
	subst *substExpr
}

func fixupHF(host module.Host, args []module.FixedArg, subst bool) error {
	if err := fixupHeaderName(0)(host, args); err != nil {
		return err
	}
	if !args[1].Const || !args[2].Const {
		return fmt.Errorf("parameters must be constant strings")
	}
	c := &hfCall{name: args[0].Str}
	var err error
	if c.flag, err = parseHFFlag(args[2].Str); err != nil {
		return err
	}
	if subst {
		pvc, _ := host.(formatCompiler)
		if c.subst, err = parseSubst(args[1].Str, pvc); err != nil {
			return err
		}
	} else if c.re, err = compileRE(args[1].Str); err != nil {
		return err
	}
	args[0].Fixed = c
	return nil
}

func compileRE(s string) (*regexp.Regexp, error) {
	return compileWith(s, reFlags)
}

func fixupSearchHF(host module.Host, args []module.FixedArg) error { return fixupHF(host, args, false) }
func fixupSubstHF(host module.Host, args []module.FixedArg) error  { return fixupHF(host, args, true) }

func hfCallOf(args module.Args) *hfCall {
	c, _ := args.Fixed[0].Fixed.(*hfCall)
	return c
}

// selectHF picks the header indexes the flag asks for.
func selectHF(idx []int, flag hfFlag) []int {
	if len(idx) == 0 {
		return idx
	}
	switch flag {
	case hfFirst:
		return idx[:1]
	case hfLast:
		return idx[len(idx)-1:]
	}
	return idx
}

func execSearchHF(ctx module.ExecContext, args module.Args) int {
	_, m := message(ctx)
	c := hfCallOf(args)
	if m == nil || c == nil {
		return -1
	}
	var buf [8]int
	hs := m.Headers()
	for _, i := range selectHF(m.HeaderIndexes(buf[:0], c.name), c.flag) {
		if c.re.Match(hs[i].Value) {
			return 1
		}
	}
	return -1
}

func execSubstHF(ctx module.ExecContext, args module.Args) int {
	st, m := message(ctx)
	c := hfCallOf(args)
	if m == nil || c == nil {
		return -1
	}
	var buf [8]int
	hs := m.Headers()
	done := 0
	for _, i := range selectHF(m.HeaderIndexes(buf[:0], c.name), c.flag) {
		off, _ := m.ValueOffset(i)
		for _, x := range c.subst.run(hs[i].Value, st, nil) {
			if err := m.ReplaceRange(off+x.off, off+x.end, x.text); err != nil {
				errorf(ctx, "subst_hf: %v", err)
				return -1
			}
			done++
		}
	}
	return boolRC(done > 0)
}
