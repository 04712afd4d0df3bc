package pv

import (
	"fmt"
	"strconv"
	"strings"
	"unsafe"
)

// strStore copies strings that must outlive the per-message arena (AVP
// and XAVP values, dynamic names) into chunks it owns, so that storing a
// string allocates only when a chunk is full. A full chunk is never
// reallocated: the strings already handed out keep viewing it, and a new
// chunk is started instead. reset reuses the newest chunk, which is why the
// strings are only valid until the owning list is reset.
type strStore struct {
	buf []byte
}

// minChunk is the size of the first chunk; later ones double.
const minChunk = 256

func (s *strStore) copy(v string) string {
	if len(v) == 0 {
		return ""
	}
	if cap(s.buf)-len(s.buf) < len(v) {
		n := max(2*cap(s.buf), minChunk, len(v))
		s.buf = make([]byte, 0, n)
	}
	start := len(s.buf)
	s.buf = append(s.buf, v...)
	return unsafe.String(&s.buf[start], len(v))
}

func (s *strStore) value(v Value) Value {
	if v.K == KindStr {
		v.S = s.copy(v.S)
	} else {
		v.S = ""
	}
	return v
}

func (s *strStore) reset() { s.buf = s.buf[:0] }

// AVPName names an AVP: a string name ($avp(x), $avp(s:x)) or an integer
// id ($avp(i:12)). As in Kamailio, string names are case-sensitive and the
// id 12 is not the string name "12".
type AVPName struct {
	Name string
	ID   int64
	IsID bool
}

// ParseAVPName parses the inner name of $avp: "name", "s:name" or "i:12".
func ParseAVPName(s string) (AVPName, error) {
	switch {
	case s == "":
		return AVPName{}, fmt.Errorf("empty AVP name")
	case strings.HasPrefix(s, "s:") || strings.HasPrefix(s, "S:"):
		if len(s) == 2 {
			return AVPName{}, fmt.Errorf("empty AVP name in %q", s)
		}
		return AVPName{Name: s[2:]}, nil
	case strings.HasPrefix(s, "i:") || strings.HasPrefix(s, "I:"):
		id, err := strconv.ParseInt(s[2:], 10, 32)
		if err != nil {
			return AVPName{}, fmt.Errorf("bad AVP id in %q: expected i:number", s)
		}
		return AVPName{ID: id, IsID: true}, nil
	}
	return AVPName{Name: s}, nil
}

// String renders the name as $avp takes it.
func (n AVPName) String() string {
	if n.IsID {
		return "i:" + strconv.FormatInt(n.ID, 10)
	}
	return n.Name
}

func (n AVPName) is(o AVPName) bool {
	if n.IsID {
		return o.IsID && n.ID == o.ID
	}
	return !o.IsID && n.Name == o.Name
}

type avpEntry struct {
	name AVPName
	val  Value
}

// AVPList is the AVP store of a message or transaction. Every name holds a
// stack of values: Add pushes, and reading index 0 gives the newest. The
// zero value is ready to use. Strings given to it are copied; the strings it
// returns stay valid until Reset.
type AVPList struct {
	entries []avpEntry // oldest first
	strs    strStore
}

// Reset removes every AVP, keeping the storage.
func (l *AVPList) Reset() {
	clear(l.entries)
	l.entries = l.entries[:0]
	l.strs.reset()
}

// Len is the number of values of all names.
func (l *AVPList) Len() int { return len(l.entries) }

// Add pushes v (not null) on the stack of name.
func (l *AVPList) Add(name AVPName, v Value) {
	name.Name = l.strs.copy(name.Name)
	l.add(name, v)
}

// add is Add for a name that outlives the list (a compiled inner name).
func (l *AVPList) add(name AVPName, v Value) {
	l.entries = append(l.entries, avpEntry{name: name, val: l.strs.value(v)})
}

// Get returns the i-th newest value of name (0 is the newest).
func (l *AVPList) Get(name AVPName, i int) (Value, bool) {
	if i < 0 {
		return Null(), false
	}
	for k := len(l.entries) - 1; k >= 0; k-- {
		if l.entries[k].name.is(name) {
			if i == 0 {
				return l.entries[k].val, true
			}
			i--
		}
	}
	return Null(), false
}

// Count is the number of values of name.
func (l *AVPList) Count(name AVPName) int {
	n := 0
	for k := range l.entries {
		if l.entries[k].name.is(name) {
			n++
		}
	}
	return n
}

// Each calls fn with the values of name, newest first, until fn returns
// false.
func (l *AVPList) Each(name AVPName, fn func(Value) bool) {
	for k := len(l.entries) - 1; k >= 0; k-- {
		if l.entries[k].name.is(name) && !fn(l.entries[k].val) {
			return
		}
	}
}

// Delete removes the newest value of name, or all of them.
func (l *AVPList) Delete(name AVPName, all bool) {
	if !all {
		for k := len(l.entries) - 1; k >= 0; k-- {
			if l.entries[k].name.is(name) {
				copy(l.entries[k:], l.entries[k+1:])
				l.entries[len(l.entries)-1] = avpEntry{}
				l.entries = l.entries[:len(l.entries)-1]
				return
			}
		}
		return
	}
	kept := l.entries[:0]
	for _, e := range l.entries {
		if !e.name.is(name) {
			kept = append(kept, e)
		}
	}
	clear(l.entries[len(kept):])
	l.entries = kept
}

// xavpList is one level of an XAVP tree: the roots of a store, or the
// fields of one root. Items are kept oldest first; index 0 of a name is its
// newest item, as in Kamailio, where items are prepended.
type xavpList struct {
	items []xavpItem
}

// xavpItem is one XAVP: a value, or a list of fields when sub is set.
type xavpItem struct {
	name string
	val  Value
	sub  *xavpList
}

func nameEq(a, b string, fold bool) bool {
	if fold {
		return strings.EqualFold(a, b)
	}
	return a == b
}

// pos returns the slice position of the i-th newest item called name, or
// -1.
func (x *xavpList) pos(name string, i int, fold bool) int {
	if i < 0 {
		return -1
	}
	for k := len(x.items) - 1; k >= 0; k-- {
		if nameEq(x.items[k].name, name, fold) {
			if i == 0 {
				return k
			}
			i--
		}
	}
	return -1
}

func (x *xavpList) get(name string, i int, fold bool) *xavpItem {
	if k := x.pos(name, i, fold); k >= 0 {
		return &x.items[k]
	}
	return nil
}

func (x *xavpList) count(name string, fold bool) int {
	n := 0
	for k := range x.items {
		if nameEq(x.items[k].name, name, fold) {
			n++
		}
	}
	return n
}

// XAVPList holds the three XAVP stores of a message or transaction: $xavp,
// $xavu (one value per name) and $xavi (names compared without case). They
// are separate, as in Kamailio. The zero value is ready to use; strings are
// copied in and stay valid until Reset.
type XAVPList struct {
	xavp, xavu, xavi xavpList
	strs             strStore
	free             []*xavpList // field lists to reuse
}

// Reset removes every XAVP, keeping the storage.
func (l *XAVPList) Reset() {
	for _, x := range []*xavpList{&l.xavp, &l.xavu, &l.xavi} {
		l.release(x)
	}
	l.strs.reset()
}

// release empties x, handing its field lists back for reuse.
func (l *XAVPList) release(x *xavpList) {
	for k := range x.items {
		if s := x.items[k].sub; s != nil {
			l.release(s)
			l.free = append(l.free, s)
		}
	}
	clear(x.items)
	x.items = x.items[:0]
}

func (l *XAVPList) newSub() *xavpList {
	if n := len(l.free); n > 0 {
		s := l.free[n-1]
		l.free = l.free[:n-1]
		return s
	}
	return &xavpList{}
}

// item builds an item owning copies of name and v.
func (l *XAVPList) item(name string, v Value) xavpItem {
	return xavpItem{name: l.strs.copy(name), val: l.strs.value(v)}
}

// add makes a new newest item in x.
func (l *XAVPList) add(x *xavpList, it xavpItem) { x.items = append(x.items, it) }

// set replaces the i-th newest item called name; false when there is none.
func (l *XAVPList) set(x *xavpList, name string, i int, fold bool, it xavpItem) bool {
	k := x.pos(name, i, fold)
	if k < 0 {
		return false
	}
	l.drop(&x.items[k])
	x.items[k] = it
	return true
}

// drop releases the field list of an item about to be removed.
func (l *XAVPList) drop(it *xavpItem) {
	if it.sub != nil {
		l.release(it.sub)
		l.free = append(l.free, it.sub)
		it.sub = nil
	}
}

func (l *XAVPList) removeAt(x *xavpList, k int) {
	l.drop(&x.items[k])
	copy(x.items[k:], x.items[k+1:])
	x.items[len(x.items)-1] = xavpItem{}
	x.items = x.items[:len(x.items)-1]
}

// rmIndex removes the i-th newest item called name, if any.
func (l *XAVPList) rmIndex(x *xavpList, name string, i int, fold bool) {
	if k := x.pos(name, i, fold); k >= 0 {
		l.removeAt(x, k)
	}
}

// rmAll removes every item called name.
func (l *XAVPList) rmAll(x *xavpList, name string, fold bool) {
	kept := x.items[:0]
	for k := range x.items {
		if nameEq(x.items[k].name, name, fold) {
			l.drop(&x.items[k])
			continue
		}
		kept = append(kept, x.items[k])
	}
	clear(x.items[len(kept):])
	x.items = kept
}

// AddXAVP adds a new $xavp root called name holding the given fields, as
// the script's $xavp(name=>key) = v does for one field. Fields are given as
// key, value pairs; later pairs become the newer fields.
func (l *XAVPList) AddXAVP(name string, fields ...XAVPField) {
	sub := l.newSub()
	for _, f := range fields {
		l.add(sub, l.item(f.Key, f.Value))
	}
	it := l.item(name, Null())
	it.sub = sub
	l.add(&l.xavp, it)
}

// XAVPField is one key and value of an XAVP root.
type XAVPField struct {
	Key   string
	Value Value
}

// XAVP returns $xavp(name[i]=>key[j]): the j-th newest field key of the
// i-th newest root called name.
func (l *XAVPList) XAVP(name string, i int, key string, j int) (Value, bool) {
	r := l.xavp.get(name, i, false)
	if r == nil || r.sub == nil {
		return Null(), false
	}
	f := r.sub.get(key, j, false)
	if f == nil || f.sub != nil {
		return Null(), false
	}
	return f.val, true
}

// CountXAVP is the number of $xavp roots called name.
func (l *XAVPList) CountXAVP(name string) int { return l.xavp.count(name, false) }
