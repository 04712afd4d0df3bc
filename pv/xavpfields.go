package pv

// XAVPFields returns the fields of the i-th newest $xavp root called name,
// oldest first (what the core adds to its Via for corex's
// via_add_xavp_params / via_use_xavp_fields); nil when there is none.
// Nested fields are left out.
func (l *XAVPList) XAVPFields(name string, i int) []XAVPField {
	r := l.xavp.get(name, i, false)
	if r == nil || r.sub == nil {
		return nil
	}
	var out []XAVPField
	for _, it := range r.sub.items {
		if it.sub == nil {
			out = append(out, XAVPField{Key: it.name, Value: it.val})
		}
	}
	return out
}
