package pv

import (
	"strconv"
	"time"
)

// trStrftime appends t formatted like C's strftime in the C locale, in t's
// location. It knows the glibc conversions, including the E and O modifiers
// (ignored) and the - (no padding) flag; an unknown conversion is copied.
func trStrftime(dst []byte, format string, t time.Time) []byte {
	for i := 0; i < len(format); i++ {
		c := format[i]
		if c != '%' || i+1 >= len(format) {
			dst = append(dst, c)
			continue
		}
		j := i + 1
		noPad := false
		for j < len(format) && (format[j] == '-' || format[j] == 'E' || format[j] == 'O') {
			noPad = noPad || format[j] == '-'
			j++
		}
		if j >= len(format) {
			dst = append(dst, format[i:]...)
			break
		}
		dst = trStrftimeConv(dst, format[j], t, noPad, format[i:j+1])
		i = j
	}
	return dst
}

// trNum2 appends n padded to width with pad (none when noPad).
func trNum2(dst []byte, n, width int, pad byte, noPad bool) []byte {
	if !noPad {
		for w, m := 1, n; w < width; w++ {
			if m < 10 {
				dst = append(dst, pad)
			}
			m /= 10
		}
	}
	return strconv.AppendInt(dst, int64(n), 10)
}

func trStrftimeConv(dst []byte, c byte, t time.Time, noPad bool, raw string) []byte {
	hour12 := t.Hour() % 12
	if hour12 == 0 {
		hour12 = 12
	}
	switch c {
	case 'a':
		return append(dst, t.Weekday().String()[:3]...)
	case 'A':
		return append(dst, t.Weekday().String()...)
	case 'b', 'h':
		return append(dst, t.Month().String()[:3]...)
	case 'B':
		return append(dst, t.Month().String()...)
	case 'c':
		return trStrftime(dst, "%a %b %e %H:%M:%S %Y", t)
	case 'C':
		return trNum2(dst, t.Year()/100, 2, '0', noPad)
	case 'd':
		return trNum2(dst, t.Day(), 2, '0', noPad)
	case 'D', 'x':
		return trStrftime(dst, "%m/%d/%y", t)
	case 'e':
		return trNum2(dst, t.Day(), 2, ' ', noPad)
	case 'F':
		return trStrftime(dst, "%Y-%m-%d", t)
	case 'G':
		y, _ := t.ISOWeek()
		return strconv.AppendInt(dst, int64(y), 10)
	case 'g':
		y, _ := t.ISOWeek()
		return trNum2(dst, y%100, 2, '0', noPad)
	case 'H':
		return trNum2(dst, t.Hour(), 2, '0', noPad)
	case 'I':
		return trNum2(dst, hour12, 2, '0', noPad)
	case 'j':
		return trNum2(dst, t.YearDay(), 3, '0', noPad)
	case 'k':
		return trNum2(dst, t.Hour(), 2, ' ', noPad)
	case 'l':
		return trNum2(dst, hour12, 2, ' ', noPad)
	case 'm':
		return trNum2(dst, int(t.Month()), 2, '0', noPad)
	case 'M':
		return trNum2(dst, t.Minute(), 2, '0', noPad)
	case 'n':
		return append(dst, '\n')
	case 'p':
		if t.Hour() < 12 {
			return append(dst, "AM"...)
		}
		return append(dst, "PM"...)
	case 'P':
		if t.Hour() < 12 {
			return append(dst, "am"...)
		}
		return append(dst, "pm"...)
	case 'r':
		return trStrftime(dst, "%I:%M:%S %p", t)
	case 'R':
		return trStrftime(dst, "%H:%M", t)
	case 's':
		return strconv.AppendInt(dst, t.Unix(), 10)
	case 'S':
		return trNum2(dst, t.Second(), 2, '0', noPad)
	case 't':
		return append(dst, '\t')
	case 'T', 'X':
		return trStrftime(dst, "%H:%M:%S", t)
	case 'u':
		wd := int(t.Weekday())
		if wd == 0 {
			wd = 7
		}
		return strconv.AppendInt(dst, int64(wd), 10)
	case 'U':
		return trNum2(dst, (t.YearDay()+6-int(t.Weekday()))/7, 2, '0', noPad)
	case 'V':
		_, w := t.ISOWeek()
		return trNum2(dst, w, 2, '0', noPad)
	case 'w':
		return strconv.AppendInt(dst, int64(t.Weekday()), 10)
	case 'W':
		return trNum2(dst, (t.YearDay()+6-(int(t.Weekday())+6)%7)/7, 2, '0', noPad)
	case 'y':
		return trNum2(dst, t.Year()%100, 2, '0', noPad)
	case 'Y':
		return strconv.AppendInt(dst, int64(t.Year()), 10)
	case 'z':
		_, off := t.Zone()
		sign := byte('+')
		if off < 0 {
			sign, off = '-', -off
		}
		dst = append(dst, sign)
		dst = trNum2(dst, off/3600, 2, '0', false)
		return trNum2(dst, off%3600/60, 2, '0', false)
	case 'Z':
		name, _ := t.Zone()
		return append(dst, name...)
	case '%':
		return append(dst, '%')
	}
	return append(dst, raw...)
}
