package corex

import (
	"strings"

	"github.com/kamgo/kamgo/pv"
	"github.com/kamgo/kamgo/runtime/logging"
	"github.com/kamgo/kamgo/runtime/module"
)

// ParseQ reads a q value as Contact's q parameter writes it ("0.5", "1",
// "1.000", ".25") into thousandths, ignoring digits past the third
// decimal as Kamailio does; ok is false for anything else, values above 1
// included.
func ParseQ(s string) (int, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, false
	}
	intPart, frac, hasDot := strings.Cut(s, ".")
	if len(intPart) > 1 || (!hasDot && intPart == "") {
		return 0, false
	}
	q := 0
	switch intPart {
	case "", "0":
	case "1":
		q = 1000
	default:
		return 0, false
	}
	mult := 100
	for i := 0; i < len(frac); i++ {
		c := frac[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		if i < 3 {
			q += int(c-'0') * mult
			mult /= 10
		}
	}
	if q > 1000 {
		return 0, false
	}
	return q, true
}

// execAppendBranch adds a branch to the destination set: the given URI, or
// the current R-URI, with the message's $du, branch flags and forced
// socket, and the given q (else the R-URI's q when the R-URI itself is
// appended).
func execAppendBranch(ctx module.ExecContext, args module.Args) int {
	st := ctx.State()
	log := ctx.Logger()
	limit := defaultMaxBranches
	if st.Globals != nil && st.Globals.MaxBranches > 0 {
		limit = st.Globals.MaxBranches
	}
	// max_branches counts the R-URI's branch too.
	if len(st.Branches)+1 >= limit {
		log.Logf(logging.LErr, "append_branch: max_branches (%d) reached", limit)
		return -1
	}
	var uri string
	if args.Len() > 0 {
		uri = args.Str(0)
	}
	q := -1
	if args.Len() > 1 {
		text := args.Str(1)
		n, ok := ParseQ(text)
		if !ok {
			log.Logf(logging.LErr, "append_branch: bad q value %q", text)
			return -1
		}
		q = n
	}
	ruri := uri == ""
	if ruri {
		if st.Msg == nil || !st.Msg.IsRequest() {
			log.Log(logging.LErr, "append_branch: no request URI to append")
			return -1
		}
		uri = string(st.Msg.RequestURI())
		if q == -1 {
			q = st.RURIQ
		}
	} else {
		uri = strings.Clone(uri)
	}
	st.Branches = append(st.Branches, pv.Branch{
		URI:        uri,
		DstURI:     st.DstURI,
		Q:          q,
		Flags:      st.BranchFlags,
		SendSocket: st.ForceSocket,
	})
	if ruri && args.Len() < 2 {
		if st.Extra == nil {
			st.Extra = map[string]any{}
		}
		st.Extra[RURIConsumedKey] = true
	}
	return 1
}
