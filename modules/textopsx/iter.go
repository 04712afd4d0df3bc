package textopsx

import (
	"bytes"

	"github.com/kamgo/kamgo/pv"
	"github.com/kamgo/kamgo/runtime/logging"
	"github.com/kamgo/kamgo/runtime/module"
)

// maxIterators is how many header (and, separately, body line) iterators
// a message may have at once, as in Kamailio.
const maxIterators = 4

// maxIterName bounds an iterator's name, as Kamailio does.
const maxIterName = 32

// hfIter is a header iterator: cur indexes Headers(), -1 before the first.
type hfIter struct {
	name string
	cur  int
}

// blIter is a body line iterator over [off,end) of the body, in message
// offsets; started is false before the first line.
type blIter struct {
	name     string
	started  bool
	off, end int
}

// iterState is the per-message state of the iterators, kept in
// pv.State.Extra so that it ends with the message.
type iterState struct {
	hf []hfIter
	bl []blIter
}

func iterators(st *pv.State, create bool) *iterState {
	if st == nil {
		return nil
	}
	if s, ok := st.Extra[Name].(*iterState); ok {
		return s
	}
	if !create {
		return nil
	}
	if st.Extra == nil {
		st.Extra = map[string]any{}
	}
	s := &iterState{}
	st.Extra[Name] = s
	return s
}

func (s *iterState) findHF(name string) *hfIter {
	if s == nil {
		return nil
	}
	for i := range s.hf {
		if s.hf[i].name == name {
			return &s.hf[i]
		}
	}
	return nil
}

func (s *iterState) findBL(name string) *blIter {
	if s == nil {
		return nil
	}
	for i := range s.bl {
		if s.bl[i].name == name {
			return &s.bl[i]
		}
	}
	return nil
}

func iteratorFuncs() []module.Func {
	one := []int{1}
	two := []int{2}
	args := []module.Arg{argFormat, argFormat}
	return []module.Func{
		{Name: "hf_iterator_start", ArgCounts: one, Args: args[:1], Routes: routesAny, Exec: execHFStart},
		{Name: "hf_iterator_end", ArgCounts: one, Args: args[:1], Routes: routesAny, Exec: execHFEnd},
		{Name: "hf_iterator_next", ArgCounts: one, Args: args[:1], Routes: routesAny, Exec: execHFNext},
		{Name: "hf_iterator_prev", ArgCounts: one, Args: args[:1], Routes: routesAny, Exec: execHFPrev},
		{Name: "hf_iterator_rm", ArgCounts: one, Args: args[:1], Routes: routesAny, Exec: execHFRemove},
		{Name: "hf_iterator_append", ArgCounts: two, Args: args, Routes: routesAny, Exec: execHFAppend},
		{Name: "hf_iterator_insert", ArgCounts: two, Args: args, Routes: routesAny, Exec: execHFInsert},
		{Name: "bl_iterator_start", ArgCounts: one, Args: args[:1], Routes: routesAny, Exec: execBLStart},
		{Name: "bl_iterator_end", ArgCounts: one, Args: args[:1], Routes: routesAny, Exec: execBLEnd},
		{Name: "bl_iterator_next", ArgCounts: one, Args: args[:1], Routes: routesAny, Exec: execBLNext},
		{Name: "bl_iterator_rm", ArgCounts: one, Args: args[:1], Routes: routesAny, Exec: execBLRemove},
		{Name: "bl_iterator_append", ArgCounts: two, Args: args, Routes: routesAny, Exec: execBLAppend},
		{Name: "bl_iterator_insert", ArgCounts: two, Args: args, Routes: routesAny, Exec: execBLInsert},
	}
}

// iterName returns the iterator name of a call, or logs why it is unusable.
func iterName(ctx module.ExecContext, args module.Args) (string, bool) {
	name := args.Str(0)
	if name == "" || len(name) > maxIterName {
		ctx.Logger().Logf(logging.LErr, "textopsx: invalid iterator name %q (1 to %d characters)", name, maxIterName)
		return "", false
	}
	return name, true
}

func execHFStart(ctx module.ExecContext, args module.Args) int {
	name, ok := iterName(ctx, args)
	if !ok || message(ctx) == nil {
		return -1
	}
	s := iterators(ctx.State(), true)
	if it := s.findHF(name); it != nil {
		it.cur = -1
		return 1
	}
	if len(s.hf) >= maxIterators {
		ctx.Logger().Logf(logging.LErr, "textopsx: no iterator available - max number is %d", maxIterators)
		return -1
	}
	s.hf = append(s.hf, hfIter{name: name, cur: -1})
	return 1
}

func execHFEnd(ctx module.ExecContext, args module.Args) int {
	name, ok := iterName(ctx, args)
	if !ok {
		return -1
	}
	if it := iterators(ctx.State(), false).findHF(name); it != nil {
		it.cur = -1
	}
	return 1
}

// hfIterOf returns the started iterator a call names.
func hfIterOf(ctx module.ExecContext, args module.Args) *hfIter {
	name, ok := iterName(ctx, args)
	if !ok || message(ctx) == nil {
		return nil
	}
	it := iterators(ctx.State(), false).findHF(name)
	if it == nil {
		ctx.Logger().Logf(logging.LErr, "textopsx: iterator not available [%s]", name)
	}
	return it
}

func execHFNext(ctx module.ExecContext, args module.Args) int {
	it := hfIterOf(ctx, args)
	if it == nil {
		return -1
	}
	n := len(message(ctx).Headers())
	if it.cur+1 >= n {
		it.cur = n // past the end: the PVs are null
		return -1
	}
	it.cur++
	return 1
}

// execHFPrev moves back one header; from the first header (or before it)
// the iterator is reset, and the next hf_iterator_next starts over.
func execHFPrev(ctx module.ExecContext, args module.Args) int {
	it := hfIterOf(ctx, args)
	if it == nil {
		return -1
	}
	if it.cur <= 0 {
		it.cur = -1
		return 1
	}
	it.cur--
	return 1
}

// current returns the index of the iterator's header, false when it is on
// none.
func (it *hfIter) current(ctx module.ExecContext) (int, bool) {
	m := message(ctx)
	if it == nil || m == nil || it.cur < 0 || it.cur >= len(m.Headers()) {
		return 0, false
	}
	return it.cur, true
}

func execHFRemove(ctx module.ExecContext, args module.Args) int {
	i, ok := hfIterOf(ctx, args).current(ctx)
	if !ok {
		return -1
	}
	if err := message(ctx).RemoveHeader(i); err != nil {
		ctx.Logger().Logf(logging.LErr, "textopsx: hf_iterator_rm: %v", err)
		return -1
	}
	return 1
}

func hfInsert(ctx module.ExecContext, args module.Args, after bool) int {
	i, ok := hfIterOf(ctx, args).current(ctx)
	if !ok {
		return -1
	}
	text := args.Str(1)
	if text == "" {
		return -1
	}
	m := message(ctx)
	off, end, _ := m.HeaderLine(i)
	at := off
	if after {
		at = end
	}
	if err := m.InsertRaw(at, text); err != nil {
		ctx.Logger().Logf(logging.LErr, "textopsx: hf_iterator: %v", err)
		return -1
	}
	return 1
}

func execHFAppend(ctx module.ExecContext, args module.Args) int { return hfInsert(ctx, args, true) }
func execHFInsert(ctx module.ExecContext, args module.Args) int { return hfInsert(ctx, args, false) }

// hfItHeader returns the header the iterator named by p's inner name is on.
func hfItHeader(st *pv.State, p *pv.PV) (name, value []byte, ok bool) {
	if st == nil || st.Msg == nil {
		return nil, nil, false
	}
	it := iterators(st, false).findHF(p.InnerName(st))
	hdrs := st.Msg.Headers()
	if it == nil || it.cur < 0 || it.cur >= len(hdrs) {
		return nil, nil, false
	}
	return hdrs[it.cur].Name, hdrs[it.cur].Value, true
}

// getHFItName is $hfitname(name): the name of the iterator's header.
func getHFItName(st *pv.State, p *pv.PV) pv.Value {
	if n, _, ok := hfItHeader(st, p); ok {
		return pv.Bytes(n)
	}
	return pv.Null()
}

// getHFItBody is $hfitbody(name): the value of the iterator's header.
func getHFItBody(st *pv.State, p *pv.PV) pv.Value {
	if _, v, ok := hfItHeader(st, p); ok {
		return pv.Bytes(v)
	}
	return pv.Null()
}

func execBLStart(ctx module.ExecContext, args module.Args) int {
	name, ok := iterName(ctx, args)
	m := message(ctx)
	if !ok || m == nil {
		return -1
	}
	s := iterators(ctx.State(), true)
	if it := s.findBL(name); it != nil {
		*it = blIter{name: name}
		return 1
	}
	if len(s.bl) >= maxIterators {
		ctx.Logger().Logf(logging.LErr, "textopsx: no iterator available - max number is %d", maxIterators)
		return -1
	}
	s.bl = append(s.bl, blIter{name: name})
	return 1
}

func execBLEnd(ctx module.ExecContext, args module.Args) int {
	name, ok := iterName(ctx, args)
	if !ok {
		return -1
	}
	if it := iterators(ctx.State(), false).findBL(name); it != nil {
		*it = blIter{name: name}
	}
	return 1
}

func blIterOf(ctx module.ExecContext, args module.Args) *blIter {
	name, ok := iterName(ctx, args)
	if !ok || message(ctx) == nil {
		return nil
	}
	it := iterators(ctx.State(), false).findBL(name)
	if it == nil {
		ctx.Logger().Logf(logging.LErr, "textopsx: iterator not available [%s]", name)
	}
	return it
}

// execBLNext moves to the next body line, its end of line included.
func execBLNext(ctx module.ExecContext, args module.Args) int {
	it := blIterOf(ctx, args)
	if it == nil {
		return -1
	}
	m := message(ctx)
	bodyOff, bodyEnd := m.BodyOffset(), m.Len()
	pos := bodyOff
	if it.started {
		pos = it.end
	}
	if pos < bodyOff || pos >= bodyEnd {
		it.started, it.off, it.end = true, bodyEnd, bodyEnd
		return -1
	}
	end := bodyEnd
	if nl := bytes.IndexByte(m.Bytes()[pos:bodyEnd], '\n'); nl >= 0 {
		end = pos + nl + 1
	}
	it.started, it.off, it.end = true, pos, end
	return 1
}

// line returns the iterator's current line range, false when there is none.
func (it *blIter) line(m interface{ Len() int }) (int, int, bool) {
	if it == nil || !it.started || it.off >= it.end || it.end > m.Len() {
		return 0, 0, false
	}
	return it.off, it.end, true
}

func execBLRemove(ctx module.ExecContext, args module.Args) int {
	m := message(ctx)
	it := blIterOf(ctx, args)
	if m == nil {
		return -1
	}
	off, end, ok := it.line(m)
	if !ok {
		return -1
	}
	if err := m.ReplaceRange(off, end, ""); err != nil {
		ctx.Logger().Logf(logging.LErr, "textopsx: bl_iterator_rm: %v", err)
		return -1
	}
	if err := m.SyncContentLength(); err != nil {
		ctx.Logger().Logf(logging.LErr, "textopsx: bl_iterator_rm: %v", err)
		return -1
	}
	return 1
}

func blInsert(ctx module.ExecContext, args module.Args, after bool) int {
	m := message(ctx)
	it := blIterOf(ctx, args)
	if m == nil {
		return -1
	}
	off, end, ok := it.line(m)
	text := args.Str(1)
	if !ok || text == "" {
		return -1
	}
	at := off
	if after {
		at = end
	}
	if err := m.InsertRaw(at, text); err != nil {
		ctx.Logger().Logf(logging.LErr, "textopsx: bl_iterator: %v", err)
		return -1
	}
	if err := m.SyncContentLength(); err != nil {
		ctx.Logger().Logf(logging.LErr, "textopsx: bl_iterator: %v", err)
		return -1
	}
	return 1
}

func execBLAppend(ctx module.ExecContext, args module.Args) int { return blInsert(ctx, args, true) }
func execBLInsert(ctx module.ExecContext, args module.Args) int { return blInsert(ctx, args, false) }

// getBLItVal is $blitval(name): the iterator's body line, end of line
// included.
func getBLItVal(st *pv.State, p *pv.PV) pv.Value {
	if st == nil || st.Msg == nil {
		return pv.Null()
	}
	off, end, ok := iterators(st, false).findBL(p.InnerName(st)).line(st.Msg)
	if !ok {
		return pv.Null()
	}
	return pv.Bytes(st.Msg.Bytes()[off:end])
}
