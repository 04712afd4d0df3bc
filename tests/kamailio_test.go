//go:build unix

package tests

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Where Debian's kamailio package puts things.
const (
	kamailioExamplesDir = "/usr/share/doc/kamailio/examples"
	kamailioDefaultCfg  = "/etc/kamailio/kamailio.cfg"
	// kamailioModulesGlob finds the module folder whatever the architecture.
	kamailioModulesGlob = "/usr/lib/*/kamailio/modules"
)

// checkTimeout bounds one run of `kamailio -c` or `kamgo check`.
const checkTimeout = 20 * time.Second

// kamailioInstall is an installed Kamailio: its binary and module folder.
type kamailioInstall struct {
	binary     string
	modulesDir string
}

// findKamailio locates the installed Kamailio, or says what is missing.
func findKamailio() (kamailioInstall, error) {
	binary, err := exec.LookPath("kamailio")
	if err != nil {
		// /usr/sbin is often not on a normal user's PATH.
		if _, statErr := os.Stat("/usr/sbin/kamailio"); statErr != nil {
			return kamailioInstall{}, fmt.Errorf("kamailio is not installed")
		}
		binary = "/usr/sbin/kamailio"
	}
	dirs, _ := filepath.Glob(kamailioModulesGlob)
	for _, dir := range dirs {
		if _, err := os.Stat(filepath.Join(dir, "tm.so")); err == nil {
			return kamailioInstall{binary: binary, modulesDir: dir}, nil
		}
	}
	return kamailioInstall{}, fmt.Errorf("kamailio is installed at %s but no module folder matches %s", binary, kamailioModulesGlob)
}

// kamailioError is one error Kamailio printed while checking a config.
type kamailioError struct {
	// file is the absolute path of the file the error is in; "" when
	// Kamailio does not say.
	file string
	// line and endLine delimit where Kamailio places the error (equal for a
	// one-line span); 0 when it gives no position.
	line, endLine int
	message       string
	// syntax marks a syntax, lexer or preprocessor error, as opposed to a
	// failure to load a module, set a parameter, find a function or parse a
	// pseudo-variable name.
	syntax bool
}

func (e kamailioError) String() string {
	kind := "non-syntax"
	if e.syntax {
		kind = "syntax"
	}
	switch {
	case e.line == 0:
		return fmt.Sprintf("%s error without position: %s", kind, e.message)
	case e.endLine != e.line:
		return fmt.Sprintf("%s error at %s:%d-%d: %s", kind, filepath.Base(e.file), e.line, e.endLine, e.message)
	default:
		return fmt.Sprintf("%s error at %s:%d: %s", kind, filepath.Base(e.file), e.line, e.message)
	}
}

// kamailioVerdict is the outcome of `kamailio -c` on one config.
type kamailioVerdict struct {
	exitCode int // 0: config ok, 255: bad config
	errors   []kamailioError
}

// accepted reports whether Kamailio accepted the config.
func (v kamailioVerdict) accepted() bool { return v.exitCode == 0 }

// syntaxErrors returns the syntax, lexer and preprocessor errors.
func (v kamailioVerdict) syntaxErrors() []kamailioError {
	var out []kamailioError
	for _, e := range v.errors {
		if e.syntax {
			out = append(out, e)
		}
	}
	return out
}

// The lines of Kamailio's stderr that the test reads. Everything else
// (debug output, warnings, the log prefix) is ignored.
var (
	// yyerror_at(): parse error in config file F, line L, column C[-C2]: MSG
	// yyerror_at(): parse error in config file F, from line L, column C to line L2, column C2: MSG
	parseErrorRe = regexp.MustCompile(`parse error in config file (.+?), (?:line (\d+), column [\d-]+|from line (\d+), column \d+ to line (\d+), column \d+): ?(.*)$`)
	// yylex(): error at cfg line 19 | yylex(): error at /path/f.cfg line 414
	lexerErrorRe = regexp.MustCompile(`yylex\(\): error at (.+) line (\d+)\s*$`)
	// pp_endif(): invalid position for preprocessor directive 'endif' - at cfg line 122
	misplacedEndifRe = regexp.MustCompile(`invalid position for preprocessor directive 'endif' - at (.+) line (\d+)`)
)

// Messages that reject the config without a position.
const (
	ifdefBalanceMsg = "pp_ifdef_level_error(): different number of preprocessor directives"
	includeOpenMsg  = "cannot open included file"
	// A listen= host that does not resolve: the config parsed, but
	// Kamailio cannot set up the socket.
	unresolvedHostMsg = "fix_hostname(): could not resolve"
)

// runKamailio runs `kamailio -c -f BASE -L MODULES [-A NAME]...` in the
// config's folder and parses what it prints.
func runKamailio(k kamailioInstall, cfgPath string, defines []string) (kamailioVerdict, error) {
	dir := filepath.Dir(cfgPath)
	args := []string{"-c", "-f", filepath.Base(cfgPath), "-L", k.modulesDir}
	for _, name := range defines {
		args = append(args, "-A", name)
	}
	res, err := runBounded(checkTimeout, dir, k.binary, args...)
	if err != nil {
		return kamailioVerdict{}, fmt.Errorf("kamailio %s: %w\n%s", strings.Join(args, " "), err, res.stderr)
	}
	if res.exitCode != 0 && res.exitCode != 255 {
		return kamailioVerdict{}, fmt.Errorf("kamailio %s: unexpected exit code %d\n%s", strings.Join(args, " "), res.exitCode, res.stderr)
	}
	v := kamailioVerdict{exitCode: res.exitCode, errors: parseKamailioErrors(res.stderr, cfgPath)}
	if !v.accepted() && len(v.errors) == 0 {
		return v, fmt.Errorf("kamailio %s: rejected the config without an error the test understands\n%s", strings.Join(args, " "), res.stderr)
	}
	return v, nil
}

// parseKamailioErrors extracts the errors from Kamailio's stderr. Relative
// file names are taken relative to the config's folder; Kamailio writes "cfg"
// instead of a file name in lexer and preprocessor messages, which the test
// attributes to the main config.
func parseKamailioErrors(stderr []byte, cfgPath string) []kamailioError {
	dir := filepath.Dir(cfgPath)
	resolve := func(name string) string {
		switch {
		case name == "cfg":
			return cfgPath
		case filepath.IsAbs(name):
			return filepath.Clean(name)
		default:
			return filepath.Join(dir, name)
		}
	}
	var errs []kamailioError
	sc := bufio.NewScanner(bytes.NewReader(stderr))
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for sc.Scan() {
		text := sc.Text()
		if m := parseErrorRe.FindStringSubmatch(text); m != nil {
			e := kamailioError{file: resolve(m[1]), message: strings.TrimSpace(m[5])}
			if m[2] != "" {
				e.line = atoi(m[2])
				e.endLine = e.line
			} else {
				e.line, e.endLine = atoi(m[3]), atoi(m[4])
			}
			e.syntax = e.message == "syntax error"
			errs = append(errs, e)
			continue
		}
		if m := lexerErrorRe.FindStringSubmatch(text); m != nil {
			line := atoi(m[2])
			errs = append(errs, kamailioError{file: resolve(m[1]), line: line, endLine: line, message: "lexer error", syntax: true})
			continue
		}
		if m := misplacedEndifRe.FindStringSubmatch(text); m != nil {
			// Kamailio counts the directive's own newline before it
			// reports, so the #!endif is on the line before the one named.
			line := atoi(m[2]) - 1
			errs = append(errs, kamailioError{file: resolve(m[1]), line: line, endLine: line, message: "#!endif without #!if[n]def", syntax: true})
			continue
		}
		if i := strings.Index(text, ifdefBalanceMsg); i >= 0 {
			errs = append(errs, kamailioError{message: strings.TrimSpace(text[i:]), syntax: true})
			continue
		}
		if i := strings.Index(text, includeOpenMsg); i >= 0 {
			errs = append(errs, kamailioError{message: strings.TrimSpace(text[i:]), syntax: true})
			continue
		}
		if i := strings.Index(text, unresolvedHostMsg); i >= 0 {
			errs = append(errs, kamailioError{message: strings.TrimSpace(text[i:])})
		}
	}
	return errs
}

func atoi(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		panic(fmt.Sprintf("atoi(%q): regexp admitted a non-number", s))
	}
	return n
}

// includeDirectiveRe matches include_file and import_file, with or without
// the #! or !! prefix.
var includeDirectiveRe = regexp.MustCompile(`^\s*(?:#!|!!)?(?:include_file|import_file)\s+["']([^"']+)["']`)

// kamailioLineDrift returns how many lines Kamailio may overstate a position
// on line reportedLine of file by.
//
// Kamailio 5.6.3 miscounts lines after an include_file or import_file: when
// the parser needs a look-ahead token at the end of the included file, the
// newlines that trail the included file's last token are added to the
// including file's line counter. One trailing newline gives the well-known
// "+1"; an included file that ends in blank or comment lines shifts every
// later position by more. The drift is the sum, over the include directives
// above reportedLine, of the included file's trailing newlines — an upper
// bound, as not every include triggers the look-ahead. Files that cannot be
// read add nothing, as Kamailio does not count them either.
func kamailioLineDrift(file string, reportedLine int) int {
	src, err := os.ReadFile(file)
	if err != nil {
		return 0
	}
	drift := 0
	for i, line := range strings.Split(string(src), "\n") {
		if i+1 >= reportedLine {
			break
		}
		m := includeDirectiveRe.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		included := m[1]
		if !filepath.IsAbs(included) {
			included = filepath.Join(filepath.Dir(file), included)
		}
		if body, err := os.ReadFile(included); err == nil {
			drift += trailingNewlines(body)
		}
	}
	return drift
}

// trailingNewlines counts the newlines after the last line of body that holds
// a token: the newline ending that line plus every blank or comment line
// after it.
func trailingNewlines(body []byte) int {
	lines := strings.Split(string(body), "\n")
	n := 0
	for i := len(lines) - 1; i >= 0; i-- {
		text := strings.TrimSpace(lines[i])
		isLast := i == len(lines)-1
		if isLast {
			// The text after the final newline: a newline ends it only if
			// it is empty, which Split reports as "".
			if text != "" && !isComment(text) {
				return 0
			}
			continue
		}
		n++
		if text != "" && !isComment(text) {
			break
		}
	}
	return n
}

// isComment reports whether a trimmed line is a comment (not a #! directive).
func isComment(text string) bool {
	return strings.HasPrefix(text, "#") && !strings.HasPrefix(text, "#!") ||
		strings.HasPrefix(text, "//")
}
