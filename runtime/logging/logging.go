// Package logging is kamgo's log facility: Kamailio's numeric levels and
// its debug= threshold (changed at run time by setdebug or RPC) on top of a
// zerolog logger, which encodes and writes the events.
package logging

import (
	"io"
	"strings"
	"sync/atomic"

	"github.com/rs/zerolog"
)

// Kamailio's log levels (a message is printed when level <= debug).
const (
	LAlert  = -5
	LBug    = -4
	LCrit2  = -3
	LCrit   = -2
	LErr    = -1
	LWarn   = 0
	LNotice = 1
	LInfo   = 2
	LDbg    = 3
)

// LevelByName maps "L_INFO"-style names (and the bare "INFO" form) to levels.
func LevelByName(name string) (int, bool) {
	switch strings.TrimPrefix(strings.ToUpper(name), "L_") {
	case "ALERT":
		return LAlert, true
	case "BUG":
		return LBug, true
	case "CRIT2":
		return LCrit2, true
	case "CRIT":
		return LCrit, true
	case "ERR", "ERROR":
		return LErr, true
	case "WARN", "WARNING":
		return LWarn, true
	case "NOTICE":
		return LNotice, true
	case "INFO":
		return LInfo, true
	case "DBG", "DEBUG":
		return LDbg, true
	}
	return 0, false
}

// LevelName is the name Kamailio prints for a level: ERROR, WARNING, ….
func LevelName(level int) string {
	switch {
	case level <= LAlert:
		return "ALERT"
	case level == LBug:
		return "BUG"
	case level == LCrit2, level == LCrit:
		return "CRITICAL"
	case level == LErr:
		return "ERROR"
	case level == LWarn:
		return "WARNING"
	case level == LNotice:
		return "NOTICE"
	case level == LInfo:
		return "INFO"
	}
	return "DEBUG"
}

// KLevelField is the event field that carries the Kamailio level name when
// zerolog's own level cannot say it (NOTICE, CRITICAL, BUG, ALERT).
const KLevelField = "klevel"

// Logger writes script and core messages with Kamailio's levels. It is
// safe for concurrent use; the threshold may change at any time.
type Logger struct {
	Z     zerolog.Logger
	debug *atomic.Int32
	// prefix is the per-message log_prefix of a worker's logger (Child);
	// empty on the shared one.
	prefix string
}

// New returns a logger writing to z with the debug threshold debug.
func New(z zerolog.Logger, debug int) *Logger {
	l := &Logger{Z: z, debug: new(atomic.Int32)}
	l.debug.Store(int32(debug))
	return l
}

// Child returns a logger writing where l writes and sharing its threshold
// (SetDebug on either changes both), with a prefix of its own: one worker
// owns it and sets the prefix per message (log_prefix with
// pseudo-variables). It is not safe for concurrent SetPrefix.
func (l *Logger) Child() *Logger { return &Logger{Z: l.Z, debug: l.debug} }

// SetPrefix sets the text every event of this logger carries in the
// "prefix" field; "" removes it.
func (l *Logger) SetPrefix(p string) { l.prefix = p }

// Discard returns a logger that writes nothing.
func Discard() *Logger { return New(zerolog.New(io.Discard), LErr) }

// Debug returns the threshold.
func (l *Logger) Debug() int { return int(l.debug.Load()) }

// SetDebug changes the threshold.
func (l *Logger) SetDebug(level int) { l.debug.Store(int32(level)) }

// Enabled reports whether a message at level would be written.
func (l *Logger) Enabled(level int) bool { return level <= int(l.debug.Load()) }

// Event starts an event at a Kamailio level, or returns nil when the
// threshold hides it (zerolog's nil *Event methods do nothing).
func (l *Logger) Event(level int) *zerolog.Event {
	if !l.Enabled(level) {
		return nil
	}
	var e *zerolog.Event
	switch {
	case level >= LDbg:
		e = l.Z.Debug()
	case level == LInfo:
		e = l.Z.Info()
	case level == LNotice:
		e = l.Z.Info().Str(KLevelField, "NOTICE")
	case level == LWarn:
		e = l.Z.Warn()
	case level == LErr:
		e = l.Z.Error()
	case level == LCrit, level == LCrit2:
		e = l.Z.WithLevel(zerolog.FatalLevel).Str(KLevelField, "CRITICAL")
	case level == LBug:
		e = l.Z.WithLevel(zerolog.PanicLevel).Str(KLevelField, "BUG")
	default:
		e = l.Z.WithLevel(zerolog.PanicLevel).Str(KLevelField, "ALERT")
	}
	if l.prefix != "" {
		e = e.Str("prefix", l.prefix)
	}
	return e
}

// Log writes msg at level.
func (l *Logger) Log(level int, msg string) {
	if e := l.Event(level); e != nil {
		e.Msg(msg)
	}
}

// Logf writes a formatted message at level; for the rare paths (errors),
// never per packet at normal levels.
func (l *Logger) Logf(level int, format string, args ...any) {
	if e := l.Event(level); e != nil {
		e.Msgf(format, args...)
	}
}
