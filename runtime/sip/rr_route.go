package sip

// RemoveRouteValues removes count Route values starting at value first,
// counting values across every Route header in message order, as loose
// routing does with the entries of its route set: a header whose values
// all go is removed whole; otherwise only the values and the commas that
// separate them are cut. The range must exist.
func (m *Message) RemoveRouteValues(first, count int) error {
	if err := m.parsed(); err != nil {
		return err
	}
	if first < 0 || count <= 0 {
		return newErr(ErrSyntax, "Bad Route range", -1)
	}
	last := first + count // exclusive
	idx := 0
	for hi := range m.hdrs {
		h := &m.hdrs[hi]
		if h.Type != HdrRoute {
			continue
		}
		// The header's values: their index range and views.
		var vals [16][]byte
		n := 0
		it := SplitValues(h.Value)
		for v, ok := it.Next(); ok; v, ok = it.Next() {
			if n == len(vals) {
				return newErr(ErrTooLarge, "Too many Route values in one header", int(h.voff))
			}
			vals[n] = v
			n++
		}
		lo, hiIdx := idx, idx+n // this header holds values [lo, hiIdx)
		idx = hiIdx
		if hiIdx <= first || lo >= last {
			continue
		}
		a, b := max(first, lo)-lo, min(last, hiIdx)-lo // local range [a, b)
		if a == 0 && b == n {
			if err := m.commit(int(h.off), int(h.end), len(m.arena), true); err != nil {
				return err
			}
			continue
		}
		var start, end int
		if a == 0 {
			// From the first removed value to the first kept one.
			start = m.offsetOf(vals[0])
			end = m.offsetOf(vals[b])
		} else {
			// From the end of the last kept value before the range (its
			// comma goes) to the end of the last removed value.
			start = m.offsetOf(vals[a-1]) + len(vals[a-1])
			end = m.offsetOf(vals[b-1]) + len(vals[b-1])
		}
		if start < 0 || end <= start {
			return newErr(ErrSyntax, "Bad Route", int(h.voff))
		}
		if err := m.commit(start, end, len(m.arena), true); err != nil {
			return err
		}
	}
	if idx < last {
		return newErr(ErrMissing, "Missing Route", -1)
	}
	return nil
}
