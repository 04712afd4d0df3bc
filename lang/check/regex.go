package check

import (
	"errors"
	"regexp"
	"regexp/syntax"
)

// backref matches \1..\9, which POSIX regexes (glibc) accept and Go's do not.
var backref = regexp.MustCompile(`\\[1-9]`)

// compileRegex validates a regular expression as Kamailio would use it. Go's
// syntax is close to POSIX extended; back-references are replaced first so
// that they are not reported.
func compileRegex(re string) error {
	_, err := regexp.Compile(backref.ReplaceAllString(re, "(?:)"))
	return err
}

// regexErrText renders a regexp error without Go's "error parsing regexp:"
// prefix: "missing closing ]: `[1-`".
func regexErrText(err error) string {
	var se *syntax.Error
	if errors.As(err, &se) {
		return se.Code.String() + ": `" + se.Expr + "`"
	}
	return err.Error()
}
