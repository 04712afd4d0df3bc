package pv

import (
	"fmt"
	"sort"
	"strings"

	"github.com/kamgo/kamgo/lang/diag"
)

// transformArgs maps class → name → accepted argument counts (Kamailio 5.6,
// pv module). It is never modified.
var transformArgs = map[string]map[string][]int{
	"s": mergeCounts(
		names([]int{0}, "len", "int", "md5", "sha256", "sha384", "sha512", "tolower", "toupper", "numeric",
			"rmws", "trim", "rtrim", "ltrim", "unquote", "unbracket", "encode.hexa", "decode.hexa", "encode.7bit",
			"decode.7bit", "encode.base58", "decode.base58", "encode.base64", "decode.base64", "encode.base64t",
			"decode.base64t", "encode.base64url", "decode.base64url", "encode.base64urlt", "decode.base64urlt",
			"escape.common", "unescape.common", "escape.user", "unescape.user", "escape.param", "unescape.param",
			"escape.csv", "urlencode.param", "urldecode.param"),
		names([]int{0, 1}, "prefixes", "prefixes.quoted"),
		names([]int{1}, "strip", "striptail", "stripto", "ftime", "corehash", "rm", "count", "before", "after",
			"rbefore", "rafter"),
		names([]int{2}, "substr", "select", "replace", "fmtlines", "fmtlinet"),
	),
	"uri": mergeCounts(
		names([]int{0}, "user", "host", "domain", "passwd", "port", "params", "headers", "transport", "ttl",
			"maddr", "method", "lr", "r2", "scheme", "saor", "suri", "duri", "tosocket"),
		names([]int{0, 1}, "uparam"),
		names([]int{1}, "param"),
	),
	"param": mergeCounts(
		names([]int{1, 2}, "value", "in", "valueat", "name"),
		names([]int{0, 1}, "count"),
	),
	"nameaddr": names([]int{0}, "name", "uri", "len"),
	"tobody":   names([]int{0}, "uri", "tag", "user", "host", "params", "display"),
	"line": mergeCounts(
		names([]int{0}, "count"),
		names([]int{1}, "at", "sw"),
	),
	"urialias": names([]int{0}, "encode", "decode"),
	"re":       names([]int{1}, "subst"),
}

func names(counts []int, list ...string) map[string][]int {
	m := make(map[string][]int, len(list))
	for _, n := range list {
		m[n] = counts
	}
	return m
}

func mergeCounts(ms ...map[string][]int) map[string][]int {
	out := map[string][]int{}
	for _, m := range ms {
		for k, v := range m {
			out[k] = v
		}
	}
	return out
}

// TransformArgCounts returns the accepted argument counts of class.name.
func TransformArgCounts(class, name string) ([]int, bool) {
	c, ok := transformArgs[class][name]
	return c, ok
}

// ValidateTransform checks that t is a known transformation with an
// accepted number of arguments.
func ValidateTransform(t Transform) error {
	byName, ok := transformArgs[t.Class]
	if !ok {
		return fmt.Errorf("unknown transformation class %q in {%s.%s}; known classes: %s", t.Class, t.Class, t.Name, strings.Join(sortedKeys(transformArgs), ", "))
	}
	counts, ok := byName[t.Name]
	if !ok {
		msg := fmt.Sprintf("unknown transformation {%s.%s}", t.Class, t.Name)
		if best := diag.Suggest(t.Name, sortedKeys(byName), 2); best != "" {
			msg += fmt.Sprintf("; did you mean {%s.%s}?", t.Class, best)
		}
		return fmt.Errorf("%s", msg)
	}
	for _, c := range counts {
		if c == len(t.Args) {
			return nil
		}
	}
	return fmt.Errorf("transformation {%s.%s} takes %s, got %d", t.Class, t.Name, CountText(counts), len(t.Args))
}

// CountText renders accepted argument counts: "no arguments", "1 argument",
// "1 or 2 arguments", "2 or more arguments" (-1 means "or more").
func CountText(counts []int) string {
	var parts []string
	more := false
	for _, c := range counts {
		if c < 0 {
			more = true
			continue
		}
		parts = append(parts, fmt.Sprint(c))
	}
	if more {
		if len(parts) == 0 {
			return "any number of arguments"
		}
		return parts[len(parts)-1] + " or more arguments"
	}
	if len(parts) == 1 {
		switch parts[0] {
		case "0":
			return "no arguments"
		case "1":
			return "1 argument"
		}
		return parts[0] + " arguments"
	}
	return joinOr(parts) + " arguments"
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
