package core

import (
	"sync/atomic"

	"github.com/kamgo/kamgo/runtime/module"
)

// Core statistics, by index into coreStats.n; named as Kamailio's core
// group names them.
const (
	statRcvRequests = iota
	statRcvReplies
	statFwdRequests
	statFwdReplies
	statDropRequests
	statDropReplies
	statErrRequests
	statErrReplies
	statBadMsgHdr
	numCoreStats
)

var coreStatNames = [numCoreStats]string{
	"rcv_requests", "rcv_replies", "fwd_requests", "fwd_replies",
	"drop_requests", "drop_replies", "err_requests", "err_replies", "bad_msg_hdr",
}

// coreStats are the server's counters, updated by every worker.
type coreStats struct {
	n [numCoreStats]atomic.Uint64
}

func (c *coreStats) inc(i int) { c.n[i].Add(1) }

// Statistics implements module.StatisticsSource: the "core" group.
func (s *Server) Statistics() []module.Statistic {
	out := make([]module.Statistic, numCoreStats)
	for i := range s.stats.n {
		out[i] = module.Statistic{Group: "core", Name: coreStatNames[i], Value: s.stats.n[i].Load()}
	}
	return out
}

// ResetStatistic implements module.StatisticsSource.
func (s *Server) ResetStatistic(name string) bool {
	for i, n := range coreStatNames {
		if n == name {
			s.stats.n[i].Store(0)
			return true
		}
	}
	return false
}
