package textopsx

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"

	"github.com/kamgo/kamgo/runtime/logging"
	"github.com/kamgo/kamgo/runtime/module"
	"github.com/kamgo/kamgo/runtime/sip"
)

// hfSpec is a parsed "NAME[IDX].PARAM" header reference.
type hfSpec struct {
	name  string
	idx   int  // 1-based, negative from the end, 0 when not given
	all   bool // [*]
	param string
}

// parseHFSpec parses "NAME", "NAME[IDX]", "NAME[*]" with an optional
// ".PARAM".
func parseHFSpec(s string) (hfSpec, error) {
	var sp hfSpec
	s = strings.TrimSpace(s)
	n := 0
	for n < len(s) && s[n] != '[' && s[n] != '.' {
		n++
	}
	sp.name = s[:n]
	if sp.name == "" {
		return sp, fmt.Errorf("missing header name in %q", s)
	}
	for i := 0; i < len(sp.name); i++ {
		if c := sp.name[i]; c <= ' ' || c == ':' || c >= 0x7f {
			return sp, fmt.Errorf("invalid header name %q", sp.name)
		}
	}
	rest := s[n:]
	if strings.HasPrefix(rest, "[") {
		end := strings.IndexByte(rest, ']')
		if end < 0 {
			return sp, fmt.Errorf("missing ']' in %q", s)
		}
		in := strings.TrimSpace(rest[1:end])
		if in == "*" {
			sp.all = true
		} else {
			k, err := strconv.Atoi(in)
			if err != nil || k == 0 {
				return sp, fmt.Errorf("invalid index %q in %q (1 is the first value, -1 the last, * all)", in, s)
			}
			sp.idx = k
		}
		rest = rest[end+1:]
	}
	if rest != "" {
		if rest[0] != '.' || len(rest) == 1 {
			return sp, fmt.Errorf("unexpected %q after the header in %q", rest, s)
		}
		sp.param = rest[1:]
	}
	return sp, nil
}

// Kinds of header value operations.
const (
	opAppend = iota
	opInsert
	opRemove
	opRemove2
	opAssign
	opAssign2
	opInclude
	opExclude
	opExists
)

// valueCall is the fixed-up call of a header value function.
type valueCall struct {
	op   int
	spec hfSpec
}

func valueFuncs() []module.Func {
	f := func(name string, op, nargs int) module.Func {
		args := []module.Arg{argConst, argFormat}
		return module.Func{Name: name, ArgCounts: []int{nargs}, Args: args[:nargs], Routes: routesValue,
			Fixup: func(_ module.Host, a []module.FixedArg) error { return fixupValue(op, a) },
			Exec:  execValue}
	}
	return []module.Func{
		f("append_hf_value", opAppend, 2),
		f("insert_hf_value", opInsert, 2),
		f("remove_hf_value", opRemove, 1),
		f("remove_hf_value2", opRemove2, 1),
		f("assign_hf_value", opAssign, 2),
		f("assign_hf_value2", opAssign2, 2),
		f("include_hf_value", opInclude, 2),
		f("exclude_hf_value", opExclude, 2),
		f("hf_value_exists", opExists, 2),
	}
}

func fixupValue(op int, args []module.FixedArg) error {
	a := &args[0]
	if !a.Const {
		return fmt.Errorf("the header must be a constant")
	}
	sp, err := parseHFSpec(a.Str)
	if err != nil {
		return err
	}
	switch op {
	case opAppend, opInsert:
		if sp.all || sp.param != "" {
			return fmt.Errorf("%q: neither [*] nor a parameter may be given here", a.Str)
		}
	case opAssign, opAssign2:
		if sp.all && sp.param == "" {
			return fmt.Errorf("%q: [*] is only supported with a parameter", a.Str)
		}
	case opInclude, opExclude, opExists:
		if sp.all || sp.idx != 0 || sp.param != "" {
			return fmt.Errorf("%q: only a header name may be given here", a.Str)
		}
	}
	a.Fixed = &valueCall{op: op, spec: sp}
	return nil
}

// hval is one value of a header: its byte range in the message, the
// header it is in, and its position there.
type hval struct {
	hdr        int // index in Headers()
	off, end   int // the value, LWS trimmed
	first      bool
	last       bool
	commaAfter int // offset of the comma after the value (when !last)
}

// headerIndexes returns the indexes of the headers called name.
func headerIndexes(m *sip.Message, name string) []int {
	return m.HeaderIndexes(nil, name)
}

// splitValues returns the comma-separated values of header i; with
// whole set, the header value is one value (Authorization-style headers).
func splitValues(m *sip.Message, i int, whole bool, dst []hval) []hval {
	h := &m.Headers()[i]
	voff, ok := m.ValueOffset(i)
	if !ok {
		return dst
	}
	v := h.Value
	if whole {
		return append(dst, hval{hdr: i, off: voff, end: voff + len(v), first: true, last: true})
	}
	start := len(dst)
	for _, r := range splitOn(v, ',') {
		dst = append(dst, hval{hdr: i, off: voff + r[0], end: voff + r[1], commaAfter: voff + r[2]})
	}
	if len(dst) == start {
		return dst
	}
	dst[start].first = true
	dst[len(dst)-1].last = true
	return dst
}

// splitOn splits v on sep outside quoted strings and <...>, returning for
// each element its LWS-trimmed range and the offset of the separator after
// it (len(v) for the last one).
func splitOn(v []byte, sep byte) [][3]int {
	var out [][3]int
	start := 0
	inQuote, inAngle := false, false
	for i := 0; i <= len(v); i++ {
		if i < len(v) {
			c := v[i]
			switch {
			case inQuote:
				if c == '\\' {
					i++
				} else if c == '"' {
					inQuote = false
				}
				continue
			case c == '"':
				inQuote = true
				continue
			case c == '<':
				inAngle = true
				continue
			case c == '>':
				inAngle = false
				continue
			case c != sep || inAngle:
				continue
			}
		}
		a, b := start, i
		for a < b && isLWS(v[a]) {
			a++
		}
		for b > a && isLWS(v[b-1]) {
			b--
		}
		if i == len(v) && a == b && len(out) == 0 && start == 0 {
			break // empty header value: no element
		}
		out = append(out, [3]int{a, b, min(i, len(v))})
		start = i + 1
	}
	return out
}

func isLWS(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

// allValues returns every value of the headers called name, in order.
func allValues(m *sip.Message, name string, whole bool) []hval {
	var out []hval
	for _, i := range headerIndexes(m, name) {
		out = splitValues(m, i, whole, out)
	}
	return out
}

// pick returns the values an index selects: idx 1-based, negative from the
// end, 0 meaning def.
func pick(vals []hval, sp hfSpec, def int) []hval {
	if sp.all {
		return vals
	}
	k := sp.idx
	if k == 0 {
		k = def
	}
	if k < 0 {
		k = len(vals) + k + 1
	}
	if k < 1 || k > len(vals) {
		return nil
	}
	return vals[k-1 : k]
}

// hparam is one parameter of a value: from its separator (or its first
// byte for the first element of a comma-separated list) to its end.
type hparam struct {
	off, end int // the whole parameter, its ';' included for ';' lists
	nameOff  int // where the name starts
	name     []byte
	prevEnd  int // end of the element before (',' lists), -1 if none
	nextOff  int // start of the element after (',' lists), -1 if none
}

// semicolonParams returns the ';'-separated parameters of the value at [off,end).
func semicolonParams(b []byte, off, end int) []hparam {
	v := b[off:end]
	var out []hparam
	els := splitOn(v, ';')
	for k, r := range els {
		if k == 0 {
			continue // the value itself
		}
		semi := els[k-1][2]
		el := v[r[0]:r[1]]
		name := el
		if eq := bytes.IndexByte(el, '='); eq >= 0 {
			name = bytes.TrimRight(el[:eq], " \t")
		}
		// The parameter runs from its ';' to the end of its text.
		out = append(out, hparam{off: off + semi, end: off + r[1], nameOff: off + r[0], name: name, prevEnd: -1, nextOff: -1})
	}
	return out
}

// commaParams returns the ','-separated parameters of an
// Authorization-style value at [off,end): 'Digest a="1", b=2'.
func commaParams(b []byte, off, end int) []hparam {
	v := b[off:end]
	els := splitOn(v, ',')
	out := make([]hparam, 0, len(els))
	for k, r := range els {
		a := r[0]
		el := v[a:r[1]]
		eq := bytes.IndexByte(el, '=')
		key := el
		if eq >= 0 {
			key = el[:eq]
		}
		// The first element may start with the scheme: "Digest username".
		if sp := bytes.LastIndexAny(bytes.TrimRight(key, " \t"), " \t"); sp >= 0 {
			a += sp + 1
			el = v[a:r[1]]
			eq = bytes.IndexByte(el, '=')
		}
		name := el
		if eq >= 0 {
			name = bytes.TrimRight(el[:eq], " \t")
		}
		p := hparam{off: off + a, end: off + r[1], nameOff: off + a, name: name, prevEnd: -1, nextOff: -1}
		if k > 0 {
			p.prevEnd = off + els[k-1][1]
		}
		if k+1 < len(els) {
			p.nextOff = off + els[k+1][0]
		}
		out = append(out, p)
	}
	return out
}

func findParam(ps []hparam, name string) (hparam, bool) {
	for _, p := range ps {
		if bytes.EqualFold(p.name, []byte(name)) {
			return p, true
		}
	}
	return hparam{}, false
}

// execValue runs every header value function.
func execValue(ctx module.ExecContext, args module.Args) int {
	c, ok := args.Fixed[0].Fixed.(*valueCall)
	m := message(ctx)
	if !ok || m == nil {
		return -1
	}
	text := ""
	if args.Len() > 1 {
		text = args.Str(1)
		if strings.ContainsAny(text, "\r\n") {
			ctx.Logger().Logf(logging.LErr, "textopsx: the value %q is not a single line", text)
			return -1
		}
	}
	rc, err := runValue(m, c, text)
	if err != nil {
		ctx.Logger().Logf(logging.LErr, "textopsx: %s: %v", c.spec.name, err)
		return -1
	}
	return rc
}

// runValue applies one header value operation to m.
func runValue(m *sip.Message, c *valueCall, text string) (int, error) {
	sp := c.spec
	switch c.op {
	case opAppend:
		if sp.idx != 0 {
			if v := pick(allValues(m, sp.name, false), sp, 0); len(v) == 1 {
				return 1, m.InsertRaw(v[0].end, ","+text)
			}
		}
		return 1, m.AppendHeader(sp.name, text)
	case opInsert:
		vals := allValues(m, sp.name, false)
		if sp.idx == 0 {
			if idx := headerIndexes(m, sp.name); len(idx) > 0 {
				off, _, _ := m.HeaderLine(idx[0])
				return 1, m.InsertRaw(off, sp.name+": "+text+"\r\n")
			}
			return 1, m.AppendHeader(sp.name, text)
		}
		v := pick(vals, sp, 0)
		if len(v) == 0 {
			return 1, m.AppendHeader(sp.name, text)
		}
		if v[0].first {
			return 1, m.InsertRaw(v[0].off, text+",")
		}
		prev := prevValue(vals, v[0])
		return 1, m.InsertRaw(prev.end, ","+text)
	case opRemove, opRemove2:
		whole := c.op == opRemove2
		vals := allValues(m, sp.name, whole)
		sel := pick(vals, sp, 1)
		if len(sel) == 0 {
			return -1, nil
		}
		if sp.param == "" {
			return 1, removeValues(m, vals, sel)
		}
		for _, v := range sel {
			if err := removeParam(m, v, sp.param, whole); err != nil {
				return -1, err
			}
		}
		return 1, nil
	case opAssign, opAssign2:
		whole := c.op == opAssign2
		sel := pick(allValues(m, sp.name, whole), sp, 1)
		if len(sel) == 0 {
			return -1, nil
		}
		for _, v := range sel {
			var err error
			if sp.param == "" {
				err = m.ReplaceRange(v.off, v.end, text)
			} else {
				err = assignParam(m, v, sp.param, text, whole)
			}
			if err != nil {
				return -1, err
			}
		}
		return 1, nil
	case opInclude:
		vals := allValues(m, sp.name, false)
		if len(matching(m, vals, text)) > 0 {
			return 1, nil
		}
		for _, v := range vals {
			if v.last {
				// The end of the first header of that name.
				return 1, m.InsertRaw(v.end, ","+text)
			}
		}
		return 1, m.AppendHeader(sp.name, text)
	case opExclude:
		vals := allValues(m, sp.name, false)
		if sel := matching(m, vals, text); len(sel) > 0 {
			return 1, removeValues(m, vals, sel)
		}
		return 1, nil
	case opExists:
		if len(matching(m, allValues(m, sp.name, false), text)) > 0 {
			return 1, nil
		}
		return -1, nil
	}
	return -1, fmt.Errorf("unknown operation %d", c.op)
}

// matching returns the values equal to text, in any case.
func matching(m *sip.Message, vals []hval, text string) []hval {
	var out []hval
	b := m.Bytes()
	t := strings.TrimSpace(text)
	for _, v := range vals {
		if strings.EqualFold(string(b[v.off:v.end]), t) {
			out = append(out, v)
		}
	}
	return out
}

func prevValue(vals []hval, v hval) hval {
	for k := range vals {
		if vals[k].off == v.off && k > 0 {
			return vals[k-1]
		}
	}
	return v
}

// removeValues removes the selected values (a subset of vals, in order):
// a header left without values goes whole; otherwise each run of
// consecutive selected values goes with one separating comma, the way
// Kamailio cuts them ("a, b" without a keeps " b", without b keeps "a").
func removeValues(m *sip.Message, vals, sel []hval) error {
	selected := make(map[int]bool, len(sel))
	for _, v := range sel {
		selected[v.off] = true
	}
	for k := 0; k < len(vals); {
		v := vals[k]
		if !selected[v.off] {
			k++
			continue
		}
		j := k
		for j+1 < len(vals) && vals[j+1].hdr == v.hdr && selected[vals[j+1].off] {
			j++
		}
		switch {
		case v.first && vals[j].last:
			if err := m.RemoveHeader(v.hdr); err != nil {
				return err
			}
		case v.first:
			if err := m.ReplaceRange(v.off, vals[j].commaAfter+1, ""); err != nil {
				return err
			}
		default:
			if err := m.ReplaceRange(vals[k-1].end, vals[j].end, ""); err != nil {
				return err
			}
		}
		k = j + 1
	}
	return nil
}

func valueParams(m *sip.Message, v hval, whole bool) []hparam {
	if whole {
		return commaParams(m.Bytes(), v.off, v.end)
	}
	return semicolonParams(m.Bytes(), v.off, v.end)
}

// removeParam removes parameter name from value v; a missing parameter is
// not an error.
func removeParam(m *sip.Message, v hval, name string, whole bool) error {
	p, ok := findParam(valueParams(m, v, whole), name)
	if !ok {
		return nil
	}
	switch {
	case !whole:
		return m.ReplaceRange(p.off, p.end, "")
	case p.nextOff >= 0:
		return m.ReplaceRange(p.off, p.nextOff, "")
	case p.prevEnd >= 0:
		return m.ReplaceRange(p.prevEnd, p.end, "")
	default:
		return m.ReplaceRange(p.off, p.end, "")
	}
}

// assignParam sets parameter name of value v to text ("name" alone when
// text is empty), adding it at the end of the value when it is missing.
func assignParam(m *sip.Message, v hval, name, text string, whole bool) error {
	kv := name
	if text != "" {
		kv = name + "=" + text
	}
	p, ok := findParam(valueParams(m, v, whole), name)
	switch {
	case ok && whole:
		return m.ReplaceRange(p.nameOff, p.end, kv)
	case ok:
		return m.ReplaceRange(p.off, p.end, ";"+kv)
	case whole:
		return m.InsertRaw(v.end, ","+kv)
	default:
		return m.InsertRaw(v.end, ";"+kv)
	}
}
