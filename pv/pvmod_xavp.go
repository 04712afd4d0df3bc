package pv

// Removal of XAVPs for the pv module's xavp_rm, xavi_rm, xavp_child_rm and
// xavi_child_rm.

// RemoveXAVP removes the i-th newest root called name from $xavp, or from
// $xavi (names compared without case) when xavi is set; every root of
// that name when all is set.
func (l *XAVPList) RemoveXAVP(xavi bool, name string, i int, all bool) {
	roots := &l.xavp
	if xavi {
		roots = &l.xavi
	}
	if all {
		l.rmAll(roots, name, xavi)
		return
	}
	l.rmIndex(roots, name, i, xavi)
}

// RemoveXAVPChild removes the j-th newest field key of the i-th newest
// root called name (every field key when all is set), from $xavp or, when
// xavi is set, from $xavi. It reports whether the root exists.
func (l *XAVPList) RemoveXAVPChild(xavi bool, name string, i int, key string, j int, all bool) bool {
	roots := &l.xavp
	if xavi {
		roots = &l.xavi
	}
	root := roots.get(name, i, xavi)
	if root == nil || root.sub == nil {
		return false
	}
	if all {
		l.rmAll(root.sub, key, xavi)
	} else {
		l.rmIndex(root.sub, key, j, xavi)
	}
	return true
}
