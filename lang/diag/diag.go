// Package diag holds the diagnostics that every stage of the config front end
// reports (preprocessor, parser, checker): a position in the file the user
// wrote, a severity and a message. A List collects them so that one run
// reports every problem, and renders them as `file:line:col: severity: message`
// with the source line and a caret, or as JSON.
package diag

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/kamgo/kamgo/lang/token"
)

// Severity orders diagnostics by how bad they are.
type Severity int

// Severities.
const (
	Error Severity = iota
	Warning
)

func (s Severity) String() string {
	if s == Warning {
		return "warning"
	}
	return "error"
}

// Diagnostic is one finding.
type Diagnostic struct {
	Pos      token.Pos
	Severity Severity
	Msg      string
}

func (d Diagnostic) String() string {
	return fmt.Sprintf("%s: %s: %s", FormatPos(d.Pos), d.Severity, d.Msg)
}

// Error makes a Diagnostic usable as an error value.
func (d Diagnostic) Error() string { return d.String() }

// FormatPos renders file:line:col, leaving out what is unknown.
func FormatPos(p token.Pos) string {
	name := p.Filename
	if name == "" {
		name = "<input>"
	}
	if p.Line == 0 {
		return name
	}
	return fmt.Sprintf("%s:%d:%d", name, p.Line, p.Column)
}

// List is a list of diagnostics. The zero value is ready to use.
type List []Diagnostic

// Add appends an error.
func (l *List) Add(pos token.Pos, format string, args ...any) {
	*l = append(*l, Diagnostic{Pos: pos, Severity: Error, Msg: fmt.Sprintf(format, args...)})
}

// Warn appends a warning.
func (l *List) Warn(pos token.Pos, format string, args ...any) {
	*l = append(*l, Diagnostic{Pos: pos, Severity: Warning, Msg: fmt.Sprintf(format, args...)})
}

// Append adds other diagnostics.
func (l *List) Append(other List) { *l = append(*l, other...) }

// HasErrors reports whether any diagnostic is an error.
func (l List) HasErrors() bool {
	for _, d := range l {
		if d.Severity == Error {
			return true
		}
	}
	return false
}

// Count returns the number of errors and warnings.
func (l List) Count() (errors, warnings int) {
	for _, d := range l {
		if d.Severity == Error {
			errors++
		} else {
			warnings++
		}
	}
	return errors, warnings
}

// Sort orders diagnostics by file, line and column, keeping the order in
// which they were found for equal positions, and drops exact duplicates.
func (l *List) Sort() {
	s := *l
	sort.SliceStable(s, func(i, j int) bool {
		a, b := s[i].Pos, s[j].Pos
		if a.Filename != b.Filename {
			return a.Filename < b.Filename
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Column < b.Column
	})
	out := s[:0]
	for i, d := range s {
		if i > 0 && d == out[len(out)-1] {
			continue
		}
		out = append(out, d)
	}
	*l = out
}

// Err returns the list as an error when it holds errors, else nil.
func (l List) Err() error {
	if !l.HasErrors() {
		return nil
	}
	return l
}

// Error implements error: the first diagnostic and how many more follow.
func (l List) Error() string {
	switch len(l) {
	case 0:
		return "no errors"
	case 1:
		return l[0].String()
	}
	return fmt.Sprintf("%s (and %d more)", l[0], len(l)-1)
}

// SourceReader returns the text of a file for excerpts; nil means "read it
// from disk".
type SourceReader func(filename string) ([]byte, bool)

// WriteText prints each diagnostic as `file:line:col: severity: message`
// followed by the source line and a caret under the column.
func (l List) WriteText(w io.Writer, src SourceReader) error {
	cache := map[string][]string{}
	for _, d := range l {
		if _, err := fmt.Fprintln(w, d.String()); err != nil {
			return fmt.Errorf("writing diagnostics: %w", err)
		}
		line, ok := sourceLine(cache, src, d.Pos)
		if !ok {
			continue
		}
		caret := caretLine(line, d.Pos.Column)
		if _, err := fmt.Fprintf(w, "  %s\n  %s\n", strings.TrimRight(line, "\r"), caret); err != nil {
			return fmt.Errorf("writing diagnostics: %w", err)
		}
	}
	return nil
}

type jsonDiag struct {
	File     string `json:"file"`
	Line     int    `json:"line"`
	Column   int    `json:"column"`
	Severity string `json:"severity"`
	Message  string `json:"message"`
	Source   string `json:"source,omitempty"`
}

// WriteJSON prints the diagnostics as one JSON array.
func (l List) WriteJSON(w io.Writer, src SourceReader) error {
	cache := map[string][]string{}
	out := make([]jsonDiag, 0, len(l))
	for _, d := range l {
		line, _ := sourceLine(cache, src, d.Pos)
		out = append(out, jsonDiag{
			File: d.Pos.Filename, Line: d.Pos.Line, Column: d.Pos.Column,
			Severity: d.Severity.String(), Message: d.Msg, Source: strings.TrimRight(line, "\r"),
		})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		return fmt.Errorf("writing diagnostics: %w", err)
	}
	return nil
}

func sourceLine(cache map[string][]string, src SourceReader, p token.Pos) (string, bool) {
	if p.Filename == "" || p.Line <= 0 {
		return "", false
	}
	lines, ok := cache[p.Filename]
	if !ok {
		var data []byte
		found := false
		if src != nil {
			data, found = src(p.Filename)
		}
		if !found {
			b, err := os.ReadFile(p.Filename)
			if err == nil {
				data, found = b, true
			}
		}
		if found {
			lines = strings.Split(string(data), "\n")
		}
		cache[p.Filename] = lines
	}
	if p.Line > len(lines) {
		return "", false
	}
	return lines[p.Line-1], true
}

// caretLine puts a caret under byte column col, keeping tabs so that the
// caret lines up in a terminal.
func caretLine(line string, col int) string {
	var b strings.Builder
	for i := 0; i < col-1 && i < len(line); i++ {
		if line[i] == '\t' {
			b.WriteByte('\t')
		} else {
			b.WriteByte(' ')
		}
	}
	b.WriteByte('^')
	return b.String()
}
