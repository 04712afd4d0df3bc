package compat

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
)

// Case is one semantics test: a script fragment, the messages it runs on and
// the xlog lines Kamailio 5.6.3 printed for them.
type Case struct {
	// Name says which rule the case pins down; unique.
	Name string
	// Route is the body of the case's route (route[cNNNN], called from the
	// request_route), or of request_route itself when TopLevel is set.
	Route string
	// Extra is top-level config put before the routes: helper routes,
	// modparams, flag declarations. "@@" is replaced in Route and Extra by a
	// prefix unique to the case.
	Extra string
	// TopLevel runs the case in a config of its own with Route as the body
	// of request_route: for exit/drop/return at the top and what happens
	// when the request_route ends.
	TopLevel bool
	// Msgs are the message templates (see Expand); none means DefaultInvite.
	Msgs []string
	// Want are the xlog lines of all messages, "---" between messages.
	Want []string
	// WantDiags are substrings that must each appear in some Diags line of
	// the case's messages (core warnings and errors); optional.
	WantDiags []string
}

// BaseModules are the modules every config loads: the ones kamgo ships.
var BaseModules = []string{"pv", "xlog", "textops", "siputils", "kex", "corex", "tm", "tmx", "sl", "maxfwd", "rr", "sanity"}

// DefaultInvite is the message a case runs on unless it says otherwise.
const DefaultInvite = `INVITE sip:bob@biloxi.example.com;transport=udp SIP/2.0
Via: SIP/2.0/UDP 127.0.0.1:{CPORT};branch=z9hG4bK776asdhds;rport
Via: SIP/2.0/TCP 10.0.0.2:5070;branch=z9hG4bK-second
Via: SIP/2.0/UDP 10.0.0.3;branch=z9hG4bK-third
Max-Forwards: 70
To: Bob <sip:bob@biloxi.example.com>
From: "Alice A" <sip:alice@atlanta.example.com>;tag=1928301774
Call-ID: a84b4c76e66710@pc33.atlanta.example.com
CSeq: 314159 INVITE
Contact: <sip:alice@pc33.atlanta.example.com;transport=udp>
User-Agent: kamgo-compat/1.0
Content-Type: application/sdp
Content-Length: {CL}

v=0
o=alice 2890844526 2890844526 IN IP4 pc33.atlanta.example.com
s=-
c=IN IP4 192.0.2.101
t=0 0
m=audio 49172 RTP/AVP 0
a=rtpmap:0 PCMU/8000
`

// DefaultOptions is a minimal OPTIONS request.
const DefaultOptions = `OPTIONS sip:carol@chicago.example.com SIP/2.0
Via: SIP/2.0/UDP 127.0.0.1:{CPORT};branch=z9hG4bKopt1
Max-Forwards: 70
To: <sip:carol@chicago.example.com>
From: Alice <sip:alice@atlanta.example.com>;tag=opt1
Call-ID: opt1@atlanta.example.com
CSeq: 63104 OPTIONS
Content-Length: 0
`

// caseID is the route name and X-Case value of the i-th case (fixed width).
func caseID(i int) string { return fmt.Sprintf("c%04d", i) }

func moduleLoads() string {
	var b strings.Builder
	for _, m := range BaseModules {
		fmt.Fprintf(&b, "loadmodule %q\n", m+".so")
	}
	return b.String()
}

func (c *Case) prefixed(id, s string) string { return strings.ReplaceAll(s, "@@", id+"_") }

// messages returns the case's message templates with the X-Case header.
func (c *Case) messages(id string) []string {
	msgs := c.Msgs
	if len(msgs) == 0 {
		msgs = []string{DefaultInvite}
	}
	out := make([]string, len(msgs))
	for i, m := range msgs {
		first, rest, _ := strings.Cut(m, "\n")
		out[i] = first + "\nX-Case: " + id + "\n" + rest
	}
	return out
}

// group is one config and the cases it runs.
type group struct {
	script string
	ids    []string
	cases  []*Case
	msgs   []string
	counts []int // messages per case
}

// buildGroups puts the batched cases into n configs and every TopLevel case
// into one of its own.
func buildGroups(cases []Case, n int) []*group {
	var batched []*group
	for i := 0; i < n; i++ {
		batched = append(batched, &group{})
	}
	var groups []*group
	k := 0
	for i := range cases {
		c := &cases[i]
		id := caseID(i + 1)
		if c.TopLevel {
			g := &group{}
			g.script = moduleLoads() + "\n" + c.prefixed(id, c.Extra) + "\nrequest_route {\n" + c.prefixed(id, c.Route) + "\n}\n"
			g.add(id, c)
			groups = append(groups, g)
			continue
		}
		batched[k%n].add(id, c)
		k++
	}
	for _, g := range batched {
		if len(g.cases) == 0 {
			continue
		}
		var b strings.Builder
		b.WriteString(moduleLoads())
		for i, c := range g.cases {
			if c.Extra != "" {
				fmt.Fprintf(&b, "\n# %s\n%s\n", c.Name, c.prefixed(g.ids[i], c.Extra))
			}
		}
		b.WriteString("\nrequest_route {\n\tswitch($hdr(X-Case)) {\n")
		for _, id := range g.ids {
			fmt.Fprintf(&b, "\tcase %q: route(%s); exit;\n", id, id)
		}
		b.WriteString("\t}\n\txlog(\"L_ERR\", \"compat: no case $hdr(X-Case)\\n\");\n}\n")
		for i, c := range g.cases {
			fmt.Fprintf(&b, "\n# %s\nroute[%s] {\n%s\n}\n", c.Name, g.ids[i], c.prefixed(g.ids[i], c.Route))
		}
		g.script = b.String()
		groups = append(groups, g)
	}
	// Big groups first, so that the small ones fill the gaps.
	sort.SliceStable(groups, func(i, j int) bool { return len(groups[i].msgs) > len(groups[j].msgs) })
	return groups
}

func (g *group) add(id string, c *Case) {
	g.ids = append(g.ids, id)
	g.cases = append(g.cases, c)
	m := c.messages(id)
	g.msgs = append(g.msgs, m...)
	g.counts = append(g.counts, len(m))
}

// Result is what an engine printed for one case.
type Result struct {
	Case  *Case
	Lines []string // all messages, "---" between them
	Diags []string
	Addrs Addrs
	Err   error // the case's config did not run
}

// WantExpanded returns Want with the ports of the run expanded, to compare
// with Lines.
func (r *Result) WantExpanded() []string {
	if r.Case.Want == nil {
		return nil
	}
	out := make([]string, len(r.Case.Want))
	for i, w := range r.Case.Want {
		out[i] = expandPorts(w, r.Addrs)
	}
	return out
}

// MissingDiags returns the WantDiags that no diagnostic line contains.
func (r *Result) MissingDiags() []string {
	var missing []string
	for _, w := range r.Case.WantDiags {
		found := false
		for _, d := range r.Diags {
			if strings.Contains(d, w) {
				found = true
				break
			}
		}
		if !found {
			missing = append(missing, w)
		}
	}
	return missing
}

// RunCases runs the cases on the engine, batching them into configs and
// running `parallel` configs at a time; results are in the order of cases.
func RunCases(ctx context.Context, e Engine, cases []Case, parallel int) []Result {
	if parallel < 1 {
		parallel = 1
	}
	groups := buildGroups(cases, parallel)
	results := make([]Result, len(cases))
	index := map[*Case]int{}
	for i := range cases {
		index[&cases[i]] = i
	}
	sem := make(chan struct{}, parallel)
	var wg sync.WaitGroup
	for _, g := range groups {
		wg.Add(1)
		sem <- struct{}{}
		go func(g *group) {
			defer wg.Done()
			defer func() { <-sem }()
			run, err := e.Run(ctx, g.script, g.msgs)
			m := 0
			for i, c := range g.cases {
				r := Result{Case: c, Err: err}
				if err == nil {
					r.Addrs = run.Addrs
					for j := 0; j < g.counts[i]; j++ {
						if j > 0 {
							r.Lines = append(r.Lines, "---")
						}
						r.Lines = append(r.Lines, run.Outputs[m].Lines...)
						r.Diags = append(r.Diags, run.Outputs[m].Diags...)
						m++
					}
				}
				results[index[c]] = r
			}
		}(g)
	}
	wg.Wait()
	return results
}
