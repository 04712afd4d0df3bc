// Package posixre compiles the regular expressions of the config language
// (=~, switch regex cases, textops patterns), which are POSIX extended
// regexes with glibc's extensions, into Go regexps. The translation keeps
// POSIX meanings where Go's syntax differs: "\d" is a literal "d", a
// backslash inside a bracket expression is literal, "\<" and "\>" are word
// boundaries. Back-references have no Go equivalent and are refused.
package posixre

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
)

// Flags select matching options.
type Flags uint8

// Options of Compile.
const (
	ICase   Flags = 1 << iota // case-insensitive (REG_ICASE)
	Newline                   // "." and [^…] do not match a newline (REG_NEWLINE)
)

// ErrUnsupported is wrapped by the errors of valid POSIX constructs Go's
// regexps cannot express (back-references, multi-character collating
// elements); its text completes the message: "back-reference \1 is not
// supported".
var ErrUnsupported = errors.New("is not supported")

// Translate rewrites a POSIX extended regex in Go's syntax.
func Translate(pattern string) (string, error) {
	var b strings.Builder
	b.Grow(len(pattern) + 8)
	for i := 0; i < len(pattern); i++ {
		c := pattern[i]
		switch c {
		case '\\':
			if i+1 >= len(pattern) {
				return "", fmt.Errorf("trailing backslash in %q", pattern)
			}
			i++
			d := pattern[i]
			switch {
			case d >= '1' && d <= '9':
				return "", fmt.Errorf("back-reference \\%c %w", d, ErrUnsupported)
			case d == 'w' || d == 'W' || d == 's' || d == 'S' || d == 'b' || d == 'B':
				b.WriteByte('\\')
				b.WriteByte(d)
			case d == '<' || d == '>':
				b.WriteString(`\b`)
			case d == '`':
				b.WriteString(`\A`)
			case d == '\'':
				b.WriteString(`\z`)
			default:
				b.WriteString(regexp.QuoteMeta(string(d)))
			}
		case '[':
			end, cls, err := bracket(pattern, i)
			if err != nil {
				return "", err
			}
			b.WriteString(cls)
			i = end
		case '{':
			// A "{" not starting an interval is taken literally (glibc
			// refuses it; kamgo is lenient).
			if j := strings.IndexByte(pattern[i:], '}'); j > 1 && isInterval(pattern[i+1:i+j]) && i > 0 {
				b.WriteByte('{')
				if pattern[i+1] == ',' {
					// glibc reads a missing minimum as 0 ("{,3}", "{,}");
					// Go would take the braces literally.
					b.WriteByte('0')
				}
				b.WriteString(pattern[i+1 : i+j+1])
				i += j
			} else {
				b.WriteString(`\{`)
			}
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), nil
}

// isInterval reports whether s, the text between braces, is an interval
// glibc accepts: "n", "n,", "n,m", ",m" or ",".
func isInterval(s string) bool {
	digits, comma := 0, 0
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] >= '0' && s[i] <= '9':
			digits++
		case s[i] == ',' && comma == 0:
			comma++
		default:
			return false
		}
	}
	return digits > 0 || s == ","
}

// bracket translates the bracket expression starting at pattern[i] == '['
// and returns the index of its closing ']'.
func bracket(pattern string, i int) (int, string, error) {
	var b strings.Builder
	b.WriteByte('[')
	j := i + 1
	if j < len(pattern) && pattern[j] == '^' {
		b.WriteByte('^')
		j++
	}
	first := true
	for ; j < len(pattern); j++ {
		c := pattern[j]
		switch {
		case c == ']' && !first:
			b.WriteByte(']')
			return j, b.String(), nil
		case c == '[' && j+1 < len(pattern) && (pattern[j+1] == ':' || pattern[j+1] == '.' || pattern[j+1] == '='):
			kind := pattern[j+1]
			end := strings.Index(pattern[j+2:], string(kind)+"]")
			if end < 0 {
				return 0, "", fmt.Errorf("unterminated [%c in %q", kind, pattern)
			}
			name := pattern[j+2 : j+2+end]
			switch kind {
			case ':':
				b.WriteString("[:" + name + ":]")
			default:
				// a collating element or equivalence class of one character
				if len(name) != 1 {
					return 0, "", fmt.Errorf("[%c%s%c] %w", kind, name, kind, ErrUnsupported)
				}
				// escaped, so that "-" (or "^", "]") stays a literal
				// inside Go's class: [a[.-.]z] is a, '-' and z, not a range.
				if name[0] < 0x80 && !isASCIIAlnum(name[0]) {
					b.WriteByte('\\')
				}
				b.WriteByte(name[0])
			}
			j += 2 + end + 1
		case c == '\\' || c == '[' || (c == ']' && first):
			b.WriteByte('\\')
			b.WriteByte(c)
		default:
			b.WriteByte(c)
		}
		first = false
	}
	return 0, "", fmt.Errorf("missing ] in %q", pattern)
}

// isASCIIAlnum reports whether c is an ASCII letter or digit: the ASCII
// bytes Go's regexp must not see escaped ("\\d" is a class there); every
// other ASCII byte escaped is itself.
func isASCIIAlnum(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// Compile translates and compiles pattern. Matching is leftmost-longest, as
// POSIX requires.
func Compile(pattern string, flags Flags) (*regexp.Regexp, error) {
	t, err := Translate(pattern)
	if err != nil {
		return nil, err
	}
	prefix := "(?s)"
	if flags&Newline != 0 {
		prefix = ""
	}
	if flags&ICase != 0 {
		prefix += "(?i)"
	}
	re, err := regexp.Compile(prefix + t)
	if err != nil {
		return nil, err
	}
	re.Longest()
	return re, nil
}
