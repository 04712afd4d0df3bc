package module

// Statistic is one counter a module (or the core) exports, named
// group:name as Kamailio's statistics are ("sl:200_replies",
// "core:rcv_requests").
type Statistic struct {
	Group, Name string
	Value       uint64
}

// StatisticsSource is implemented by the state of a module that keeps
// statistics, and by the core: kex's stats.* commands and $stat read them.
type StatisticsSource interface {
	Statistics() []Statistic
	// ResetStatistic sets the counter called name to zero; false when the
	// source has no counter of that name.
	ResetStatistic(name string) bool
}
