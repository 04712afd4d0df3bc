package pv

import (
	"fmt"
	"strconv"
	"time"
)

// msgTime is the time of the message, fixed on first use as Kamailio's
// msg_set_time does, so that every time class agrees within one message.
func msgTime(st *State) time.Time {
	if st.Received.IsZero() {
		st.Received = time.Now()
	}
	return st.Received
}

// Parts of $time(name).
const (
	tmSec = iota
	tmMin
	tmHour
	tmMday
	tmMon
	tmYear
	tmWday
	tmYday
	tmIsDST
)

func timePart(name string) (int, bool) {
	switch name {
	case "sec":
		return tmSec, true
	case "min":
		return tmMin, true
	case "hour":
		return tmHour, true
	case "mday":
		return tmMday, true
	case "mon":
		return tmMon, true
	case "year":
		return tmYear, true
	case "wday":
		return tmWday, true
	case "yday":
		return tmYday, true
	case "isdst":
		return tmIsDST, true
	}
	return 0, false
}

// Parts of $TV(name).
const (
	tvS = iota
	tvU
	tvSn
	tvUn
	tvSnStr
	tvFn
)

func tvPart(name string) (int, bool) {
	switch name {
	case "s":
		return tvS, true
	case "u":
		return tvU, true
	case "sn":
		return tvSn, true
	case "un":
		return tvUn, true
	case "Sn":
		return tvSnStr, true
	case "Fn":
		return tvFn, true
	}
	return 0, false
}

// ctimeLayout is C's ctime() without its newline.
const ctimeLayout = "Mon Jan _2 15:04:05 2006"

func addTimeImpls(m map[string]*Impl) {
	for _, utc := range []bool{false, true} {
		zone := func(t time.Time) time.Time {
			if utc {
				return t.UTC()
			}
			return t.Local()
		}
		name, fname := "time", "timef"
		if utc {
			name, fname = "utime", "utimef"
		}
		m[name] = &Impl{
			Fixup: func(_ *Compiler, p *PV) error {
				part, ok := timePart(p.Name)
				if !ok {
					return fmt.Errorf("unknown time part %q: expected sec, min, hour, mday, mon, year, wday, yday or isdst", p.Name)
				}
				p.Slot = part
				return nil
			},
			Get: func(st *State, p *PV) Value {
				t := zone(msgTime(st))
				switch p.Slot {
				case tmMin:
					return Int(int64(t.Minute()))
				case tmHour:
					return Int(int64(t.Hour()))
				case tmMday:
					return Int(int64(t.Day()))
				case tmMon:
					return Int(int64(t.Month()))
				case tmYear:
					return Int(int64(t.Year()))
				case tmWday:
					return Int(int64(t.Weekday()) + 1)
				case tmYday:
					return Int(int64(t.YearDay()))
				case tmIsDST:
					return Bool(t.IsDST())
				}
				return Int(int64(t.Second()))
			},
		}
		m[fname] = &Impl{
			Get: func(st *State, p *PV) Value {
				start := len(st.Arena)
				st.Arena = trStrftime(st.Arena, p.Name, zone(msgTime(st)))
				// Kamailio formats into 64 bytes; what does not fit, or an
				// empty result, reads as null.
				if n := len(st.Arena) - start; n == 0 || n > 63 {
					st.Arena = st.Arena[:start]
					return Null()
				}
				return Str(st.ArenaString(start))
			},
		}
	}
	m["Ts"] = &Impl{Get: func(st *State, _ *PV) Value { return Int(msgTime(st).Unix()) }}
	m["Tf"] = &Impl{Get: func(st *State, _ *PV) Value { return ctime(st, msgTime(st)) }}
	m["TS"] = &Impl{Get: func(*State, *PV) Value { return Int(time.Now().Unix()) }}
	m["TF"] = &Impl{Get: func(st *State, _ *PV) Value { return ctime(st, time.Now()) }}
	m["Tb"] = &Impl{Get: func(st *State, _ *PV) Value {
		if g := st.Globals; g != nil && !g.Start.IsZero() {
			return Int(g.Start.Unix())
		}
		return Int(0)
	}}
	m["TV"] = &Impl{
		Fixup: func(_ *Compiler, p *PV) error {
			part, ok := tvPart(p.Name)
			if !ok {
				return fmt.Errorf("unknown part %q: expected s, u, sn, un, Sn or Fn", p.Name)
			}
			p.Slot = part
			return nil
		},
		Get: func(st *State, p *PV) Value {
			switch p.Slot {
			case tvS:
				return Int(msgTime(st).Unix())
			case tvU:
				return Int(int64(msgTime(st).Nanosecond() / 1000))
			case tvSn:
				return Int(time.Now().Unix())
			case tvUn:
				// Kamailio gives the microseconds of the last $TV(sn);
				// kamgo keeps no such state and reads the clock again.
				return Int(int64(time.Now().Nanosecond() / 1000))
			case tvSnStr:
				now := time.Now()
				start := len(st.Arena)
				st.Arena = strconv.AppendInt(st.Arena, now.Unix(), 10)
				st.Arena = append(st.Arena, '.')
				st.Arena = appendPadded(st.Arena, now.Nanosecond()/1000, 6, '0')
				return Str(st.ArenaString(start))
			}
			start := len(st.Arena)
			st.Arena = time.Now().Local().AppendFormat(st.Arena, "2006-01-02 15:04:05.000000")
			return Str(st.ArenaString(start))
		},
	}
}

// ctime renders t as C's ctime() does, without the newline. The value is a
// string: $Tf + 1 concatenates.
func ctime(st *State, t time.Time) Value {
	start := len(st.Arena)
	st.Arena = t.Local().AppendFormat(st.Arena, ctimeLayout)
	return Str(st.ArenaString(start))
}

// appendPadded appends n with at least width digits, padded with pad.
func appendPadded(dst []byte, n, width int, pad byte) []byte {
	var buf [20]byte
	b := strconv.AppendInt(buf[:0], int64(n), 10)
	for i := len(b); i < width; i++ {
		dst = append(dst, pad)
	}
	return append(dst, b...)
}
