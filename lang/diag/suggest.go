package diag

// Suggest returns the candidate nearest to name, for "did you mean …?"
// hints: at most maxDist edits away, and only one edit away for names of
// four bytes or fewer, which are all close to each other. Ties go to the
// alphabetically first candidate so that messages are stable. It returns ""
// when nothing is close.
func Suggest(name string, candidates []string, maxDist int) string {
	best, bestD := "", maxDist+1
	for _, cand := range candidates {
		if cand == name {
			continue
		}
		if d := editDistance(name, cand); d < bestD || d == bestD && cand < best {
			best, bestD = cand, d
		}
	}
	if len(name) <= 4 && bestD > 1 {
		return ""
	}
	return best
}

// editDistance is the Levenshtein distance between a and b.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
