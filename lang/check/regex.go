package check

import (
	"errors"
	"regexp/syntax"
	"strings"

	"github.com/kamgo/kamgo/lang/posixre"
)

// compileRegex validates a regular expression the way the compiler will
// read it: POSIX extended (glibc) translated by lang/posixre, so that check
// and compile never disagree about a pattern.
// Constructs that are valid POSIX but that Go cannot run (back-references)
// are left to the compiler, which reports them as not supported, so that
// they do not hide the compiler's other findings.
func compileRegex(re string) error {
	_, err := posixre.Compile(re, 0)
	if errors.Is(err, posixre.ErrUnsupported) {
		return nil
	}
	return err
}

// regexErrText renders a regexp error without Go's "error parsing regexp:"
// prefix: "missing closing ]: `[1-`".
func regexErrText(err error) string {
	var se *syntax.Error
	if errors.As(err, &se) {
		// posixre compiles with (?s) first; the user did not write it.
		return se.Code.String() + ": `" + strings.TrimPrefix(se.Expr, "(?s)") + "`"
	}
	return err.Error()
}
