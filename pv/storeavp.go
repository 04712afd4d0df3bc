package pv

import (
	"errors"
	"fmt"
	"strings"
)

func addAVPImpls(m map[string]*Impl) {
	m["avp"] = &Impl{
		Fixup: func(c *Compiler, p *PV) error {
			if p.NamePV != nil {
				return nil
			}
			if c != nil && c.AVPAlias != nil {
				if n, ok := c.AVPAlias(p.Name); ok {
					p.Data = &n
					return nil
				}
			}
			n, err := ParseAVPName(p.Name)
			if err != nil {
				return err
			}
			p.Data = &n
			return nil
		},
		Get:        avpGet,
		Set:        avpSet,
		IndexAware: true,
	}
	for _, k := range []xstore{storeXAVP, storeXAVU, storeXAVI} {
		m[k.String()] = &Impl{
			Fixup: func(c *Compiler, p *PV) error {
				r, err := parseXAVPRef(c, k, p.Name)
				if err != nil {
					return err
				}
				p.Data = r
				return nil
			},
			Get: xavpGet,
			Set: xavpSet,
		}
	}
	m["cnt"] = &Impl{
		Fixup: func(_ *Compiler, p *PV) error {
			if p.NamePV == nil || (p.NamePV.Spec.Class != "avp" && p.NamePV.Spec.Class != "xavp") {
				return fmt.Errorf("expected $avp(…) or $xavp(…) instead of %q", p.Name)
			}
			return nil
		},
		Get: cntGet,
	}
}

// avpName resolves the name of an $avp reference: the compiled one, or the
// value of the dynamic one (an integer value names an id, as in Kamailio).
func avpName(st *State, p *PV) (AVPName, bool) {
	if p.NamePV == nil {
		return *p.Data.(*AVPName), true
	}
	v := p.NamePV.Get(st)
	switch v.K {
	case KindInt:
		return AVPName{ID: v.I, IsID: true}, true
	case KindStr:
		return AVPName{Name: v.S}, true
	}
	return AVPName{}, false
}

func avpGet(st *State, p *PV) Value {
	l := st.AVPs
	if l == nil {
		return Null()
	}
	if p.NamePV == nil && !p.HasIndex {
		v, _ := l.Get(*p.Data.(*AVPName), 0)
		return v
	}
	name, ok := avpName(st, p)
	if !ok {
		return Null()
	}
	idx, all, _ := p.Index(st)
	switch {
	case all:
		// Newest first, joined with ", "; always a string.
		start := len(st.Arena)
		n := 0
		l.Each(name, func(v Value) bool {
			if n > 0 {
				st.Arena = append(st.Arena, ", "...)
			}
			st.Arena = v.AppendText(st.Arena)
			n++
			return true
		})
		if n == 0 {
			return Null()
		}
		return Str(st.ArenaString(start))
	case idx < 0:
		// Kamailio counts the values with the same iterator it then reads
		// from, so only the index that reaches back to the newest value
		// finds one.
		if -idx != l.Count(name) {
			return Null()
		}
		idx = 0
	}
	v, _ := l.Get(name, idx)
	return v
}

// avpSet pushes v; whatever the index, except [*], which replaces every
// value. Null deletes the newest value, or all of them with [*].
func avpSet(st *State, p *PV, v Value) error {
	if st.AVPs == nil {
		st.AVPs = &AVPList{}
	}
	l := st.AVPs
	// Only [*] matters here, and it is never dynamic.
	all := p.HasIndex && p.IndexAll
	if p.NamePV == nil && v.K != KindNull && !all {
		l.add(*p.Data.(*AVPName), v)
		return nil
	}
	name, ok := avpName(st, p)
	if !ok {
		return fmt.Errorf("$avp(%s): the name is null", p.Name)
	}
	if v.K == KindNull {
		l.Delete(name, all)
		return nil
	}
	if all {
		l.Delete(name, true)
	}
	if p.NamePV != nil {
		l.Add(name, v)
	} else {
		l.add(name, v)
	}
	return nil
}

// xstore is one of the three XAVP stores.
type xstore uint8

const (
	storeXAVP xstore = iota
	storeXAVU
	storeXAVI
)

func (k xstore) String() string { return [...]string{"xavp", "xavu", "xavi"}[k] }

func (k xstore) list(l *XAVPList) *xavpList {
	switch k {
	case storeXAVU:
		return &l.xavu
	case storeXAVI:
		return &l.xavi
	}
	return &l.xavp
}

// xIndex is an index inside an XAVP name: name[2], name[-1], name[*],
// name[$var(i)].
type xIndex struct {
	set, all bool
	n        int
	pv       *PV
}

func (x *xIndex) eval(st *State) (n int, all bool) {
	switch {
	case !x.set:
		return 0, false
	case x.all:
		return 0, true
	case x.pv != nil:
		v := x.pv.Get(st)
		if v.K == KindInt {
			return int(v.I), false
		}
		i, _ := StrToInt(v.S)
		return int(i), false
	}
	return x.n, false
}

// xavpRef is a parsed $xavp/$xavu/$xavi inner name: root[i]=>key[j].
type xavpRef struct {
	store  xstore
	name   string
	idx    xIndex
	hasKey bool
	key    string
	kidx   xIndex
}

func (r *xavpRef) fold() bool { return r.store == storeXAVI }

// parseXAVPRef parses the inner name the way Kamailio does: a name ends at
// '=', a blank or '['; text after a name and its index that is not "=>"
// is ignored. $xavu takes no index.
func parseXAVPRef(c *Compiler, k xstore, s string) (*xavpRef, error) {
	r := &xavpRef{store: k}
	if k == storeXAVU {
		t := strings.TrimSpace(s)
		i := strings.IndexByte(t, '=')
		if i < 0 {
			r.name = t
		} else {
			if i >= len(t)-2 || t[i+1] != '>' {
				return nil, fmt.Errorf("bad name %q: expected name or name=>key", s)
			}
			r.name, r.key, r.hasKey = t[:i], t[i+2:], true
		}
		if r.name == "" {
			return nil, fmt.Errorf("bad name %q: empty name", s)
		}
		return r, nil
	}
	rest, err := parseXPart(c, s, &r.name, &r.idx)
	if err != nil {
		return nil, err
	}
	if after, ok := strings.CutPrefix(rest, "=>"); ok {
		r.hasKey = true
		if _, err := parseXPart(c, after, &r.key, &r.kidx); err != nil {
			return nil, err
		}
	} else if strings.HasPrefix(rest, "=") {
		return nil, fmt.Errorf("bad name %q: expected => after %q", s, r.name)
	}
	return r, nil
}

// parseXPart reads "name[index]" at the start of s and returns the rest.
func parseXPart(c *Compiler, s string, name *string, idx *xIndex) (string, error) {
	s = strings.TrimLeft(s, " \t\r\n")
	end := strings.IndexAny(s, "= \t\r\n[")
	if end < 0 {
		end = len(s)
	}
	*name = s[:end]
	if *name == "" {
		return "", errors.New("empty XAVP name")
	}
	rest := strings.TrimLeft(s[end:], " \t\r\n")
	if !strings.HasPrefix(rest, "[") {
		return rest, nil
	}
	depth := 0
	close := -1
	for i := 1; i < len(rest) && close < 0; i++ {
		switch rest[i] {
		case '[':
			depth++
		case ']':
			if depth == 0 {
				close = i
			}
			depth--
		}
	}
	if close < 0 {
		return "", fmt.Errorf("missing ] after %q", *name)
	}
	text := strings.TrimSpace(rest[1:close])
	idx.set = true
	switch {
	case text == "":
		return "", fmt.Errorf("empty index after %q", *name)
	case text == "*":
		idx.all = true
	case text[0] == '$':
		spec, err := Parse(text)
		if err != nil {
			return "", fmt.Errorf("bad index %q: %w", text, err)
		}
		if idx.pv, err = storeCompiler(c).Compile(spec); err != nil {
			return "", err
		}
	default:
		n, ok := parseSint(text)
		if !ok {
			return "", fmt.Errorf("bad index %q: expected a number, * or a pseudo-variable", text)
		}
		idx.n = int(n)
	}
	return rest[close+1:], nil
}

// xvalue is what reading an XAVP gives: its value, or for one that holds a
// list a "<<xavp:address>>" text as Kamailio prints.
func xvalue(st *State, it *xavpItem) Value {
	if it.sub == nil {
		return it.val
	}
	start := len(st.Arena)
	st.Arena = fmt.Appendf(st.Arena, "<<xavp:%p>>", it.sub)
	return Str(st.ArenaString(start))
}

func xavpGet(st *State, p *PV) Value {
	r := p.Data.(*xavpRef)
	l := st.XAVPs
	if l == nil {
		return Null()
	}
	roots, fold := r.store.list(l), r.fold()
	if r.store == storeXAVU {
		it := roots.get(r.name, 0, false)
		if it == nil {
			return Null()
		}
		if !r.hasKey {
			return xvalue(st, it)
		}
		if it.sub == nil {
			return Null()
		}
		if f := it.sub.get(r.key, 0, false); f != nil {
			return xvalue(st, f)
		}
		return Null()
	}
	idx, _ := r.idx.eval(st)
	if idx < 0 {
		idx += roots.count(r.name, fold)
	}
	it := roots.get(r.name, idx, fold)
	if it == nil {
		return Null()
	}
	if !r.hasKey {
		return xvalue(st, it)
	}
	sub := it.sub
	if sub == nil {
		return Null()
	}
	kidx, kall := r.kidx.eval(st)
	if kidx < 0 {
		kidx += sub.count(r.key, fold)
	}
	k := sub.pos(r.key, kidx, fold)
	if k < 0 {
		return Null()
	}
	if !kall {
		return xvalue(st, &sub.items[k])
	}
	// [*] on the key: this value and the older ones, joined with ", ".
	start := len(st.Arena)
	for j := k; j >= 0; j-- {
		f := &sub.items[j]
		if !nameEq(f.name, r.key, fold) {
			continue
		}
		if j != k {
			st.Arena = append(st.Arena, ", "...)
		}
		if f.sub != nil {
			st.Arena = fmt.Appendf(st.Arena, "<<xavp:%p>>", f.sub)
		} else if f.val.K != KindNull {
			st.Arena = f.val.AppendText(st.Arena)
		}
	}
	return Str(st.ArenaString(start))
}

// fixSetIndex is Kamailio's index fix-up for writes and deletes, which is
// one more than for reads: [-1] then names no item at all.
func fixSetIndex(idx int, x *xavpList, name string, fold bool) int {
	if idx < 0 {
		idx += x.count(name, fold) + 1
	}
	return idx
}

func xavpSet(st *State, p *PV, v Value) error {
	r := p.Data.(*xavpRef)
	if st.XAVPs == nil {
		st.XAVPs = &XAVPList{}
	}
	l := st.XAVPs
	if r.store == storeXAVU {
		return xavuSet(l, r, v)
	}
	roots, fold := r.store.list(l), r.fold()
	idx, all := r.idx.eval(st)
	kidx, kall := r.kidx.eval(st)
	if v.K == KindNull {
		if !r.hasKey {
			switch {
			case all:
				l.rmAll(roots, r.name, fold)
			default:
				l.rmIndex(roots, r.name, fixSetIndex(idx, roots, r.name, fold), fold)
			}
			return nil
		}
		if all {
			for k := len(roots.items) - 1; k >= 0; k-- {
				if it := &roots.items[k]; nameEq(it.name, r.name, fold) && it.sub != nil {
					xavpDeleteKey(l, it.sub, r, kidx, kall)
				}
			}
			return nil
		}
		if it := roots.get(r.name, fixSetIndex(idx, roots, r.name, fold), fold); it != nil && it.sub != nil {
			xavpDeleteKey(l, it.sub, r, kidx, kall)
		}
		return nil
	}
	if !r.hasKey {
		if !r.idx.set {
			l.add(roots, l.item(r.name, v))
			return nil
		}
		if all {
			return fmt.Errorf("$%s(%s): cannot assign to every item", r.store, p.Name)
		}
		if !l.set(roots, r.name, fixSetIndex(idx, roots, r.name, fold), fold, l.item(r.name, v)) {
			return fmt.Errorf("$%s(%s): no such item", r.store, p.Name)
		}
		return nil
	}
	if !r.idx.set {
		// A new root holding the one field, whatever the key's index.
		sub := l.newSub()
		l.add(sub, l.item(r.key, v))
		root := l.item(r.name, Null())
		root.sub = sub
		l.add(roots, root)
		return nil
	}
	if all {
		return nil // Kamailio ignores it
	}
	it := roots.get(r.name, fixSetIndex(idx, roots, r.name, fold), fold)
	if it == nil {
		return nil
	}
	if it.sub == nil {
		return fmt.Errorf("$%s(%s): the item holds a value, not fields", r.store, p.Name)
	}
	if !r.kidx.set {
		l.add(it.sub, l.item(r.key, v))
		return nil
	}
	if !kall {
		l.set(it.sub, r.key, fixSetIndex(kidx, it.sub, r.key, fold), fold, l.item(r.key, v))
	}
	return nil
}

// xavpDeleteKey deletes fields of one root for $xavp(…=>key) = $null.
func xavpDeleteKey(l *XAVPList, sub *xavpList, r *xavpRef, kidx int, kall bool) {
	fold := r.fold()
	switch {
	case !r.kidx.set:
		l.rmIndex(sub, r.key, 0, fold)
	case kall:
		l.rmAll(sub, r.key, fold)
	default:
		l.rmIndex(sub, r.key, fixSetIndex(kidx, sub, r.key, fold), fold)
	}
}

// xavuSet writes $xavu: one value per name, replaced in place.
func xavuSet(l *XAVPList, r *xavpRef, v Value) error {
	roots := &l.xavu
	if v.K == KindNull {
		if !r.hasKey {
			l.rmAll(roots, r.name, false)
		} else if it := roots.get(r.name, 0, false); it != nil && it.sub != nil {
			l.rmAll(it.sub, r.key, false)
		}
		return nil
	}
	if !r.hasKey {
		xavuPut(l, roots, r.name, v)
		return nil
	}
	if it := roots.get(r.name, 0, false); it != nil && it.sub != nil {
		xavuPut(l, it.sub, r.key, v)
		return nil
	}
	// A new root, or one replacing a root that held a value.
	sub := l.newSub()
	l.add(sub, l.item(r.key, v))
	root := l.item(r.name, Null())
	root.sub = sub
	if !l.set(roots, r.name, 0, false, root) {
		l.add(roots, root)
	}
	return nil
}

func xavuPut(l *XAVPList, x *xavpList, name string, v Value) {
	it := l.item(name, v)
	if !l.set(x, name, 0, false, it) {
		l.add(x, it)
	}
}

func cntGet(st *State, p *PV) Value {
	in := p.NamePV
	if in.Spec.Class == "avp" {
		l := st.AVPs
		name, ok := avpName(st, in)
		if l == nil || !ok {
			return Int(0)
		}
		return Int(int64(l.Count(name)))
	}
	r := in.Data.(*xavpRef)
	l := st.XAVPs
	if l == nil {
		return Int(0)
	}
	return Int(int64(xavpCount(st, &l.xavp, r)))
}

// xavpCount is $cnt($xavp(…)): without an index, or with [*], a name
// counts every item.
func xavpCount(st *State, roots *xavpList, r *xavpRef) int {
	ridx, rall := r.idx.eval(st)
	rall = rall || !r.idx.set
	kidx, kall := r.kidx.eval(st)
	kall = kall || !r.kidx.set
	countIn := func(it *xavpItem) int {
		if it.sub == nil {
			return 0
		}
		if kall {
			return it.sub.count(r.key, false)
		}
		i := kidx
		if i < 0 {
			i += it.sub.count(r.key, false)
		}
		if it.sub.get(r.key, i, false) != nil {
			return 1
		}
		return 0
	}
	if rall {
		if !r.hasKey {
			return roots.count(r.name, false)
		}
		n := 0
		for k := range roots.items {
			if nameEq(roots.items[k].name, r.name, false) {
				n += countIn(&roots.items[k])
			}
		}
		return n
	}
	if ridx < 0 {
		ridx += roots.count(r.name, false)
	}
	it := roots.get(r.name, ridx, false)
	switch {
	case it == nil:
		return 0
	case !r.hasKey:
		return 1
	}
	return countIn(it)
}
