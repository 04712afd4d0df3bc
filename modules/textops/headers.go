package textops

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/kamgo/kamgo/lang/posixre"
	"github.com/kamgo/kamgo/pv"
	"github.com/kamgo/kamgo/runtime/module"
	"github.com/kamgo/kamgo/runtime/sip"
)

// compileWith compiles a POSIX extended regex. With posixre.Newline it
// behaves as REG_NEWLINE: "." and [^...] stop at a newline, and "^" and
// "$" also match after and before one.
func compileWith(s string, flags posixre.Flags) (*regexp.Regexp, error) {
	t, err := posixre.Translate(s)
	if err != nil {
		return nil, fmt.Errorf("bad regular expression %q: %w", s, err)
	}
	prefix := "(?s)"
	if flags&posixre.Newline != 0 {
		prefix = "(?m)"
	}
	if flags&posixre.ICase != 0 {
		prefix += "(?i)"
	}
	re, err := regexp.Compile(prefix + t)
	if err != nil {
		return nil, fmt.Errorf("bad regular expression %q: %w", s, err)
	}
	re.Longest()
	return re, nil
}

// execAddHF is append_hf (after the last header, or after the last one
// called hdr) and insert_hf (before the first header, or before the first
// one called hdr); when no header is called hdr, where it would go without
// it. The text is inserted as written: the script ends it with "\r\n".
func execAddHF(appendMode bool) module.ExecFunc {
	return func(ctx module.ExecContext, args module.Args) int {
		_, m := message(ctx)
		if m == nil {
			return -1
		}
		at := m.HeadersStart()
		if appendMode {
			at = m.HeadersEnd()
		}
		if args.Len() > 1 {
			var buf [8]int
			idx := m.HeaderIndexes(buf[:0], args.Str(1))
			switch {
			case len(idx) == 0:
			case appendMode:
				_, at, _ = m.HeaderLine(idx[len(idx)-1])
			default:
				at, _, _ = m.HeaderLine(idx[0])
			}
		}
		if err := m.InsertRaw(at, args.Str(0)); err != nil {
			errorf(ctx, "cannot add a header: %v", err)
			return -1
		}
		return 1
	}
}

// execAppendURIHF appends prefix + Request-URI + suffix after the last
// header.
func execAppendURIHF(ctx module.ExecContext, args module.Args) int {
	_, m := message(ctx)
	if m == nil || !m.IsRequest() {
		return -1
	}
	text := args.Str(0) + string(m.RequestURI()) + args.Str(1)
	if err := m.InsertRaw(m.HeadersEnd(), text); err != nil {
		errorf(ctx, "append_urihf: %v", err)
		return -1
	}
	return 1
}

// dateHeader is the Date header of append_time (RFC 3261 §20.17).
func dateHeader(st *pv.State) string {
	return "Date: " + st.Now().UTC().Format("Mon, 02 Jan 2006 15:04:05 GMT")
}

func execAppendTime(ctx module.ExecContext, _ module.Args) int {
	st, m := message(ctx)
	if m == nil {
		return -1
	}
	queueReplyHeaders(st, dateHeader(st)+"\r\n")
	return 1
}

func execAppendTimeToRequest(ctx module.ExecContext, _ module.Args) int {
	st, m := message(ctx)
	if m == nil {
		return -1
	}
	if err := m.InsertRaw(m.HeadersEnd(), dateHeader(st)+"\r\n"); err != nil {
		errorf(ctx, "append_time_to_request: %v", err)
		return -1
	}
	return 1
}

// queueReplyHeaders adds the header lines of text (CRLF or LF separated)
// to those the core puts in the next local reply.
func queueReplyHeaders(st *pv.State, text string) int {
	if st.Extra == nil {
		st.Extra = map[string]any{}
	}
	lines, _ := st.Extra[module.ReplyHeadersKey].([]string)
	n := 0
	for text != "" {
		line, rest, _ := strings.Cut(text, "\n")
		text = rest
		line = strings.TrimRight(line, "\r")
		if line == "" {
			continue
		}
		lines = append(lines, line)
		n++
	}
	st.Extra[module.ReplyHeadersKey] = lines
	return n
}

func execAppendToReply(ctx module.ExecContext, args module.Args) int {
	st := ctx.State()
	if st == nil {
		return -1
	}
	text := args.Str(0)
	if text == "" {
		errorf(ctx, "append_to_reply: empty header")
		return -1
	}
	queueReplyHeaders(st, text)
	return 1
}

func execIsPresentHF(ctx module.ExecContext, args module.Args) int {
	_, m := message(ctx)
	if m == nil {
		return -1
	}
	name := strings.TrimSpace(args.Str(0))
	if name == "" {
		return -1
	}
	return boolRC(m.HeaderCount(name) > 0)
}

func execIsPresentHFRe(ctx module.ExecContext, args module.Args) int {
	_, m := message(ctx)
	re := regexArg(ctx, args, 0)
	if m == nil || re == nil {
		return -1
	}
	hs := m.Headers()
	for i := range hs {
		if re.Match(hs[i].Name) {
			return 1
		}
	}
	return -1
}

func execRemoveHF(ctx module.ExecContext, args module.Args) int {
	_, m := message(ctx)
	if m == nil {
		return -1
	}
	name := strings.TrimSpace(args.Str(0))
	if name == "" {
		return -1
	}
	return boolRC(m.RemoveHeaders(name) > 0)
}

// execRemoveHFExp removes the headers whose name matches the first regex
// and not the second one (remove_hf_re, remove_hf_exp and their _pv
// forms).
func execRemoveHFExp(ctx module.ExecContext, args module.Args) int {
	_, m := message(ctx)
	match := regexArg(ctx, args, 0)
	if m == nil || match == nil {
		return -1
	}
	var skip *regexp.Regexp
	if args.Len() > 1 {
		if skip = regexArg(ctx, args, 1); skip == nil {
			return -1
		}
	}
	n := 0
	hs := m.Headers()
	for i := range hs {
		if !match.Match(hs[i].Name) || skip != nil && skip.Match(hs[i].Name) {
			continue
		}
		if m.RemoveHeader(i) == nil {
			n++
		}
	}
	return boolRC(n > 0)
}

func execRemoveHFIdx(ctx module.ExecContext, args module.Args) int {
	_, m := message(ctx)
	if m == nil {
		return -1
	}
	name := strings.TrimSpace(args.Str(0))
	idx, ok := args.Int(1)
	if name == "" || !ok {
		errorf(ctx, "remove_hf_idx: bad header name %q or index %q", name, args.Str(1))
		return -1
	}
	var buf [8]int
	list := m.HeaderIndexes(buf[:0], name)
	if idx < 0 {
		idx += int64(len(list))
	}
	if idx < 0 || idx >= int64(len(list)) {
		return 2 // Kamailio's code for "no such header"
	}
	if err := m.RemoveHeader(list[idx]); err != nil {
		errorf(ctx, "remove_hf_idx: %v", err)
		return -1
	}
	return 1
}

// matchOp is remove_hf_match's operator.
type matchOp int

const (
	opEq matchOp = iota // the value equals expr
	opNe                // the value differs from expr
	opIn                // the value contains expr
	opRe                // the value matches the regex expr
)

func parseMatchOp(s string) (matchOp, error) {
	switch s {
	case "eq":
		return opEq, nil
	case "ne":
		return opNe, nil
	case "in":
		return opIn, nil
	case "re":
		return opRe, nil
	}
	return 0, fmt.Errorf("unknown operator %q (use eq, ne, in or re)", s)
}

func fixupRemoveHFMatch(_ module.Host, args []module.FixedArg) error {
	if a := &args[1]; a.Const {
		if _, err := parseMatchOp(a.Str); err != nil {
			return err
		}
	}
	if args[1].Const && args[1].Str == "re" && args[2].Const {
		return setDynRegex(&args[2], reFlags)
	}
	return nil
}

func execRemoveHFMatch(ctx module.ExecContext, args module.Args) int {
	_, m := message(ctx)
	if m == nil {
		return -1
	}
	op, err := parseMatchOp(args.Str(1))
	if err != nil {
		errorf(ctx, "remove_hf_match: %v", err)
		return -1
	}
	expr := args.Str(2)
	var re *regexp.Regexp
	if op == opRe {
		if re = regexArg(ctx, args, 2); re == nil {
			return -1
		}
	}
	var buf [8]int
	hs := m.Headers()
	n := 0
	for _, i := range m.HeaderIndexes(buf[:0], strings.TrimSpace(args.Str(0))) {
		v := hs[i].Value
		var hit bool
		switch op {
		case opEq:
			hit = string(v) == expr
		case opNe:
			hit = string(v) != expr
		case opIn:
			hit = strings.Contains(string(v), expr)
		case opRe:
			hit = re.Match(v)
		}
		if hit && m.RemoveHeader(i) == nil {
			n++
		}
	}
	if n == 0 {
		return -2
	}
	return 1
}

// ---- is_method ----

// methodName is one entry of is_method's list.
type methodName struct {
	id   sip.Method
	name string
}

func fixupIsMethod(_ module.Host, args []module.FixedArg) error {
	a := &args[0]
	if !a.Const {
		return fmt.Errorf("is_method takes a constant method name or list (\"INVITE|BYE\")")
	}
	var list []methodName
	for _, name := range strings.Split(a.Str, "|") {
		name = strings.TrimSpace(name)
		if name == "" {
			return fmt.Errorf("empty method name in %q", a.Str)
		}
		list = append(list, methodName{id: methodID(name), name: name})
	}
	a.Fixed = list
	return nil
}

// methodID maps a method name, in any case, to its constant.
func methodID(name string) sip.Method {
	var b [16]byte
	if len(name) > len(b) {
		return sip.MethodOther
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if c >= 'a' && c <= 'z' {
			c -= 'a' - 'A'
		}
		b[i] = c
	}
	return sip.LookupMethod(b[:len(name)])
}

func execIsMethod(ctx module.ExecContext, args module.Args) int {
	_, m := message(ctx)
	list, _ := args.Fixed[0].Fixed.([]methodName)
	if m == nil || list == nil {
		return -1
	}
	var text []byte
	if m.IsRequest() {
		text = m.Method()
	} else {
		cs, err := m.CSeq()
		if err != nil {
			return -1
		}
		text = cs.Method
	}
	id := methodID(string(text))
	for _, e := range list {
		if e.id != sip.MethodOther {
			if e.id == id {
				return 1
			}
			continue
		}
		if strings.EqualFold(e.name, string(text)) {
			return 1
		}
	}
	return -1
}

// ---- is_privacy ----

// privacyValues are the priv-values of RFC 3323 and RFC 3325.
var privacyValues = []string{"header", "session", "user", "none", "critical", "id", "history"}

func fixupPrivacy(_ module.Host, args []module.FixedArg) error {
	a := &args[0]
	if !a.Const {
		return fmt.Errorf("is_privacy takes a constant privacy type")
	}
	v := strings.ToLower(strings.TrimSpace(a.Str))
	for _, p := range privacyValues {
		if v == p {
			a.Str = v
			return nil
		}
	}
	return fmt.Errorf("unknown privacy type %q (use %s)", a.Str, strings.Join(privacyValues, ", "))
}

func execIsPrivacy(ctx module.ExecContext, args module.Args) int {
	_, m := message(ctx)
	if m == nil {
		return -1
	}
	want := args.Str(0)
	hs := m.Headers()
	var buf [4]int
	for _, i := range m.HeaderIndexes(buf[:0], "Privacy") {
		for _, v := range strings.FieldsFunc(string(hs[i].Value), func(r rune) bool { return r == ';' || r == ',' }) {
			if strings.EqualFold(strings.TrimSpace(v), want) {
				return 1
			}
		}
	}
	return -1
}
