package sl

import (
	"sync/atomic"

	"github.com/kamgo/kamgo/runtime/module"
)

// Statistics, by index into stats.n.
const (
	stat1xx = iota
	stat200
	stat202
	stat2xx
	stat300
	stat301
	stat302
	stat3xx
	stat400
	stat401
	stat403
	stat404
	stat407
	stat408
	stat483
	stat4xx
	stat500
	stat5xx
	stat6xx
	statXxx
	statErrReplies
	statFailures
	statACKs
	numStats
)

// statNames are the statistics' names as Kamailio exports them ("sl:" is
// the group).
var statNames = [numStats]string{
	"1xx_replies", "200_replies", "202_replies", "2xx_replies",
	"300_replies", "301_replies", "302_replies", "3xx_replies",
	"400_replies", "401_replies", "403_replies", "404_replies", "407_replies", "408_replies", "483_replies", "4xx_replies",
	"500_replies", "5xx_replies", "6xx_replies", "xxx_replies",
	"sent_err_replies", "failures", "received_ACKs",
}

// rpcOrder lists the counters sl.stats prints, keyed as Kamailio's sl.stats
// keys them (it leaves out 1xx and the totals).
var rpcOrder = []struct {
	key string
	idx int
}{
	{"200", stat200}, {"202", stat202}, {"2xx", stat2xx},
	{"300", stat300}, {"301", stat301}, {"302", stat302}, {"3xx", stat3xx},
	{"400", stat400}, {"401", stat401}, {"403", stat403}, {"404", stat404}, {"407", stat407}, {"408", stat408},
	{"483", stat483}, {"4xx", stat4xx},
	{"500", stat500}, {"5xx", stat5xx}, {"6xx", stat6xx}, {"xxx", statXxx},
}

// stats are sl's counters, updated by every worker.
type stats struct {
	n [numStats]atomic.Uint64
}

// count records one reply sent with code.
func (s *stats) count(code int) {
	s.n[codeStat(code)].Add(1)
}

// codeStat is the counter a status code goes to: its own when it has one,
// else its class's; codes outside 100..699 go to xxx.
func codeStat(code int) int {
	switch code {
	case 200:
		return stat200
	case 202:
		return stat202
	case 300:
		return stat300
	case 301:
		return stat301
	case 302:
		return stat302
	case 400:
		return stat400
	case 401:
		return stat401
	case 403:
		return stat403
	case 404:
		return stat404
	case 407:
		return stat407
	case 408:
		return stat408
	case 483:
		return stat483
	case 500:
		return stat500
	}
	switch code / 100 {
	case 1:
		return stat1xx
	case 2:
		return stat2xx
	case 3:
		return stat3xx
	case 4:
		return stat4xx
	case 5:
		return stat5xx
	case 6:
		return stat6xx
	}
	return statXxx
}

// sentReplies is the total of the per-code counters.
func (s *stats) sentReplies() uint64 {
	var t uint64
	for i := stat1xx; i <= statXxx; i++ {
		t += s.n[i].Load()
	}
	return t
}

// Stats returns every statistic by its Kamailio name (without the "sl:"
// group): the per-code counters, sent_replies, sent_err_replies (the
// replies sl_reply_error sent), failures (replies that could not be built
// or sent) and received_ACKs (ACKs to sl's replies, absorbed).
func (s *State) Stats() map[string]uint64 {
	out := make(map[string]uint64, numStats+1)
	for i := range s.stats.n {
		out[statNames[i]] = s.stats.n[i].Load()
	}
	out["sent_replies"] = s.stats.sentReplies()
	return out
}

// RPCStats is the result of sl.stats: one struct keyed by status code or
// class, as Kamailio prints it ({200: 0, 202: 0, 2xx: 0, … xxx: 0}).
func (s *State) RPCStats() map[string]uint64 {
	out := make(map[string]uint64, len(rpcOrder))
	for _, e := range rpcOrder {
		out[e.key] = s.stats.n[e.idx].Load()
	}
	return out
}

// Statistics implements module.StatisticsSource: sl's counters under the
// group "sl", sent_replies included.
func (s *State) Statistics() []module.Statistic {
	out := make([]module.Statistic, 0, numStats+1)
	for i := range s.stats.n {
		out = append(out, module.Statistic{Group: Name, Name: statNames[i], Value: s.stats.n[i].Load()})
	}
	return append(out, module.Statistic{Group: Name, Name: "sent_replies", Value: s.stats.sentReplies()})
}

// ResetStatistic implements module.StatisticsSource.
func (s *State) ResetStatistic(name string) bool {
	for i, n := range statNames {
		if n == name {
			s.stats.n[i].Store(0)
			return true
		}
	}
	return false
}
