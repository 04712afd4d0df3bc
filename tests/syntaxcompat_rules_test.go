//go:build unix

package tests

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// These tests pin down how TestKamailioSyntaxCompat reads Kamailio and judges
// kamgo, on Kamailio 5.6.3 output captured verbatim; they need no Kamailio.

func TestParseKamailioErrors(t *testing.T) {
	const cfg = "/ex/mixed/a.cfg"
	stderr := strings.Join([]string{
		` 0(1) DEBUG: <core> [core/cfg.lex:1997]: pp_define(): defining id: MOD_sl`,
		` 0(1) ERROR: <core> [core/sr_module.c:510]: ksr_locate_module(): could not find module <db_mysql> in </usr/lib/x86_64-linux-gnu/kamailio/modules>`,
		` 0(1) CRITICAL: <core> [core/cfg.y:3790]: yyerror_at(): parse error in config file /ex/mixed/a.cfg, line 84, column 12-24: failed to load module`,
		` 0(1) CRITICAL: <core> [core/cfg.y:3787]: yyerror_at(): parse error in config file /ex/mixed/a.cfg, line 29, column 14-20: syntax error`,
		` 0(1) CRITICAL: <core> [core/cfg.y:3787]: yyerror_at(): parse error in config file /ex/mixed/a.cfg, line 29, column 14-20: '('')' expected (function call)`,
		` 0(1) CRITICAL: <core> [core/cfg.y:3790]: yyerror_at(): parse error in config file inc.cfg, from line 3, column 1 to line 5, column 2: syntax error`,
		` 0(1) CRITICAL: <core> [core/cfg.y:3790]: yyerror_at(): parse error in config file /ex/mixed/a.cfg, line 11, column 10-15: `,
		` 0(1) ERROR: <core> [core/cfg.lex:1953]: sr_push_yy_state(): cannot open included file: icscf.cfg (/ex/mixed/icscf.cfg)`,
		` 0(1) CRITICAL: <core> [core/cfg.lex:2060]: yylex(): error at cfg line 19`,
		` 0(1) CRITICAL: <core> [core/cfg.lex:2060]: yylex(): error at /ex/mixed/b.cfg line 414`,
		` 0(1) ERROR: <core> [core/ppcfg.c:230]: pp_endif(): invalid position for preprocessor directive 'endif' - at cfg line 122`,
		` 0(1) ERROR: <core> [core/ppcfg.c:275]: pp_ifdef_level_error(): different number of preprocessor directives: 1 more #!endif as #!if[n]def`,
		` 0(1) WARNING: <core> [core/socket_info.c:1581]: fix_hostname(): could not rev. resolve 192.0.2.2`,
		` 0(1) ERROR: <core> [core/socket_info.c:1566]: fix_hostname(): could not resolve a.b.c.d`,
		`ERROR: bad config file (2 errors) (parsing code: 0)`,
	}, "\n")
	want := []kamailioError{
		{file: cfg, line: 84, endLine: 84, message: "failed to load module"},
		{file: cfg, line: 29, endLine: 29, message: "syntax error", syntax: true},
		{file: cfg, line: 29, endLine: 29, message: "'('')' expected (function call)"},
		{file: "/ex/mixed/inc.cfg", line: 3, endLine: 5, message: "syntax error", syntax: true},
		{file: cfg, line: 11, endLine: 11, message: ""},
		{message: "cannot open included file: icscf.cfg (/ex/mixed/icscf.cfg)", syntax: true},
		{file: cfg, line: 19, endLine: 19, message: "lexer error", syntax: true},
		{file: "/ex/mixed/b.cfg", line: 414, endLine: 414, message: "lexer error", syntax: true},
		{file: cfg, line: 121, endLine: 121, message: "#!endif without #!if[n]def", syntax: true},
		{message: "pp_ifdef_level_error(): different number of preprocessor directives: 1 more #!endif as #!if[n]def", syntax: true},
		{message: "fix_hostname(): could not resolve a.b.c.d"},
	}
	got := parseKamailioErrors([]byte(stderr), cfg)
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(kamailioError{})); diff != "" {
		t.Errorf("parseKamailioErrors (-want +got):\n%s", diff)
	}
}

func TestCompareVerdicts(t *testing.T) {
	const cfg = "/ex/a.cfg" // does not exist: no include drift
	kamgoErr := func(line int) kamgoDiagnostic {
		return kamgoDiagnostic{File: cfg, Line: line, Column: 1, Severity: "error", Message: "m"}
	}
	syntaxAt := func(line int) kamailioError {
		return kamailioError{file: cfg, line: line, endLine: line, message: "syntax error", syntax: true}
	}
	otherAt := func(line int) kamailioError {
		return kamailioError{file: cfg, line: line, endLine: line, message: "failed to load module"}
	}
	rejected := func(errs ...kamailioError) kamailioVerdict { return kamailioVerdict{exitCode: 255, errors: errs} }
	ifdefBalance := kamailioError{message: ifdefBalanceMsg, syntax: true}

	tests := []struct {
		name         string
		ref          kamailioVerdict
		kamgo        []kamgoDiagnostic
		wantProblems int
	}{
		{"both accept", kamailioVerdict{}, nil, 0},
		{"only kamailio accepts", kamailioVerdict{}, []kamgoDiagnostic{kamgoErr(3)}, 1},
		{"same syntax line", rejected(syntaxAt(29), syntaxAt(29)), []kamgoDiagnostic{kamgoErr(29)}, 0},
		{"kamgo accepts a syntax error", rejected(syntaxAt(29)), nil, 1},
		{"kamgo on another line", rejected(syntaxAt(29)), []kamgoDiagnostic{kamgoErr(28)}, 2},
		{"kamgo misses a later line, maybe a recovery cascade", rejected(syntaxAt(40), syntaxAt(29)), []kamgoDiagnostic{kamgoErr(29)}, 0},
		{"kamgo misses the first line", rejected(syntaxAt(29), syntaxAt(40)), []kamgoDiagnostic{kamgoErr(40)}, 1},
		{"kamgo adds a later line", rejected(syntaxAt(29)), []kamgoDiagnostic{kamgoErr(29), kamgoErr(50)}, 0},
		{"ifdef balance needs only a rejection", rejected(ifdefBalance), []kamgoDiagnostic{kamgoErr(7)}, 0},
		{"ifdef balance accepted by kamgo", rejected(ifdefBalance), nil, 1},
		{"ifdef balance, kamgo rejects a line Kamailio parsed", rejected(otherAt(80), ifdefBalance), []kamgoDiagnostic{kamgoErr(30), kamgoErr(120)}, 1},
		{"non-syntax errors before the first syntax error", rejected(otherAt(10), syntaxAt(29), otherAt(80)), []kamgoDiagnostic{kamgoErr(29), kamgoErr(50)}, 0},
		{"non-syntax failure, kamgo silent", rejected(otherAt(10), otherAt(80)), nil, 0},
		{"non-syntax failure, kamgo error before the last line", rejected(otherAt(10), otherAt(80)), []kamgoDiagnostic{kamgoErr(79)}, 1},
		{"non-syntax failure, kamgo error after the last line", rejected(otherAt(10), otherAt(80)), []kamgoDiagnostic{kamgoErr(80), kamgoErr(90)}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			problems, _ := compareVerdicts(tt.ref, tt.kamgo)
			if len(problems) != tt.wantProblems {
				t.Errorf("got %d problem(s), want %d: %q", len(problems), tt.wantProblems, problems)
			}
		})
	}
}

func TestKamailioLineDrift(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	// Observed with Kamailio 5.6.3: after including two.inc, an error on
	// line 5 is reported on line 6; after four.inc, on line 9.
	write("two.inc", "loadmodule \"sl.so\"\nloadmodule \"xlog.so\"\n")
	write("four.inc", "loadmodule \"sl.so\"\nloadmodule \"xlog.so\"\n\n\n\n")
	write("none.inc", "loadmodule \"sl.so\"\nloadmodule \"xlog.so\"")
	body := "#!KAMAILIO\ninclude_file \"%s\"\nrequest_route {\n\txlog(\"x\")\n\tsl_send_reply(\"200\",\"OK\");\n}\n"
	tests := []struct {
		include      string
		reportedLine int
		want         int
	}{
		{"two.inc", 6, 1},
		{"four.inc", 9, 4},
		{"none.inc", 5, 0},
		{"missing.inc", 5, 0},
		{"two.inc", 2, 0}, // the include directive is not above line 2
	}
	for _, tt := range tests {
		cfg := write("main.cfg", strings.Replace(body, "%s", tt.include, 1))
		if got := kamailioLineDrift(cfg, tt.reportedLine); got != tt.want {
			t.Errorf("kamailioLineDrift(include %s, line %d) = %d, want %d", tt.include, tt.reportedLine, got, tt.want)
		}
	}
}
