package compat

// Cases is the table of semantics cases; the areas are in cases_*.go.
var Cases = concat(truthCases, flowCases, exprCases, varCases, msgCases, flagCases, trCases, xlogCases, store2Cases, tr2Cases, msg2Cases,
	kexCases, corexCases, pvfuncsCases, rrCases, maxfwdCases, sanityCases, textopsxCases, siputilsCases, textopsCases, gapsCases, paramsCases)

func concat(lists ...[]Case) []Case {
	var out []Case
	for _, l := range lists {
		out = append(out, l...)
	}
	return out
}
