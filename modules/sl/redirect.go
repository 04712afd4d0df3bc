package sl

import (
	"strconv"
	"strings"

	"github.com/kamgo/kamgo/pv"
)

// contactValue renders the destination set of st as the value of the
// Contact header of a 3xx reply: the R-URI when the script rewrote it, then
// every added branch, each with its q value and, as rich_redirect asks,
// its branch flags and its path (as a Route header of the URI). It returns
// "" for an empty destination set.
func (s *State) contactValue(st *pv.State) string {
	var b strings.Builder
	add := func(uri string, q int, flags uint32, path string) {
		if uri == "" {
			return
		}
		if b.Len() > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('<')
		b.WriteString(uri)
		if s.RichRedirect&2 != 0 && path != "" {
			if strings.IndexByte(uri, '?') >= 0 {
				b.WriteByte('&')
			} else {
				b.WriteByte('?')
			}
			b.WriteString("Route=")
			escapeHeaderValue(&b, path)
		}
		b.WriteByte('>')
		if q >= 0 {
			b.WriteString(";q=")
			b.WriteString(formatQ(q))
		}
		if s.RichRedirect&1 != 0 {
			b.WriteString(";flags=")
			b.WriteString(strconv.FormatUint(uint64(flags), 10))
		}
	}
	if st.Msg != nil && st.Msg.RequestURIRewritten() {
		// kamgo keeps no path for the R-URI branch: only added branches
		// carry one.
		add(string(st.Msg.RequestURI()), st.RURIQ, st.BranchFlags, "")
	}
	for i := range st.Branches {
		br := &st.Branches[i]
		add(br.URI, br.Q, br.Flags, br.Path)
	}
	return b.String()
}

// formatQ renders a q value kept in thousandths: 1000 is "1", 500 "0.5",
// 125 "0.125", 0 "0".
func formatQ(q int) string {
	switch {
	case q >= 1000:
		return "1"
	case q <= 0:
		return "0"
	}
	frac := strconv.Itoa(1000 + q)[1:] // three digits
	return "0." + strings.TrimRight(frac, "0")
}

// escapeHeaderValue writes v escaped as an hvalue of a SIP URI's headers
// (RFC 3261 §25.1): unreserved characters and the hnv-unreserved ones stay,
// everything else becomes %xx.
func escapeHeaderValue(b *strings.Builder, v string) {
	const hex = "0123456789abcdef"
	for i := 0; i < len(v); i++ {
		c := v[i]
		if isHValueChar(c) {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
}

func isHValueChar(c byte) bool {
	switch {
	case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		return true
	}
	switch c {
	case '-', '_', '.', '!', '~', '*', '\'', '(', ')', // mark
		'[', ']', '/', '?', ':', '+', '$': // hnv-unreserved
		return true
	}
	return false
}
