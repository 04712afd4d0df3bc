package pv

import (
	"fmt"
	"sort"

	"github.com/kamgo/kamgo/lang/diag"
)

// InnerRule says whether a class takes an inner name: $var(x).
type InnerRule int

// Inner name rules.
const (
	NoInner       InnerRule = iota // $ru
	OptionalInner                  // both $x and $x(name) are valid (for module classes that need it)
	NeedsInner                     // $hdr(Name): $hdr alone is invalid
)

// Class describes a pseudo-variable class.
type Class struct {
	Name     string
	Inner    InnerRule
	Writable bool
	// Module is the module that provides the class: "" for the core ones
	// ($?, $rc, $env(…), $def(…), $null), "pv" for most.
	Module string
	// InnerNames, when set, lists the only accepted inner names.
	InnerNames []string
	// Impl is the run-time implementation a module supplies with its
	// class; nil for the built-in classes, whose implementation is in
	// this package.
	Impl *Impl
}

// Validate checks a class declaration.
func (c Class) Validate() error {
	if c.Name == "" {
		return fmt.Errorf("pseudo-variable class with an empty name")
	}
	for i := 0; i < len(c.Name); i++ {
		if !IsNameChar(c.Name[i]) {
			return fmt.Errorf("pseudo-variable class %q: bad character %q", c.Name, c.Name[i])
		}
	}
	if c.Inner < NoInner || c.Inner > NeedsInner {
		return fmt.Errorf("pseudo-variable class %q: unknown inner rule %d", c.Name, c.Inner)
	}
	if len(c.InnerNames) > 0 && c.Inner == NoInner {
		return fmt.Errorf("pseudo-variable class %q lists inner names but takes none", c.Name)
	}
	return nil
}

// Table is a set of known classes. Build one with NewTable (the classes
// kamgo knows about) and add the classes of registered modules with Add.
type Table struct {
	classes map[string]Class
}

// NewTable returns a table holding the built-in classes.
func NewTable() *Table {
	t := &Table{classes: make(map[string]Class, len(builtinClasses))}
	for _, c := range builtinClasses {
		t.classes[c.Name] = c
	}
	return t
}

// NewEmptyTable returns a table with no classes.
func NewEmptyTable() *Table { return &Table{classes: map[string]Class{}} }

// Add declares a class. Declaring a class again for the same module
// replaces it (a module may refine a built-in entry); another module's class
// of the same name is an error.
func (t *Table) Add(c Class) error {
	if err := c.Validate(); err != nil {
		return err
	}
	if old, ok := t.classes[c.Name]; ok && old.Module != c.Module {
		return fmt.Errorf("pseudo-variable $%s of module %q is already provided by %q", c.Name, c.Module, moduleLabel(old.Module))
	}
	t.classes[c.Name] = c
	return nil
}

func moduleLabel(m string) string {
	if m == "" {
		return "core"
	}
	return m
}

// Lookup returns the class called name.
func (t *Table) Lookup(name string) (Class, bool) {
	c, ok := t.classes[name]
	return c, ok
}

// Names returns every class name, sorted.
func (t *Table) Names() []string {
	out := make([]string, 0, len(t.classes))
	for n := range t.classes {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// Problem is one thing wrong with a spec, at a byte offset of the text it
// was parsed from.
type Problem struct {
	Offset  int
	Msg     string
	Warning bool
	// Unknown is set when the class itself is unknown; Class names it.
	Unknown bool
	Class   string
}

// Validate checks s and its nested specs against the table and the
// transformation table: known class, inner name as the class wants it,
// known transformations with the right argument counts.
func (t *Table) Validate(s *Spec) []Problem {
	var out []Problem
	s.Walk(func(n *Spec) { out = append(out, t.validateOne(n)...) })
	return out
}

func (t *Table) validateOne(s *Spec) []Problem {
	var out []Problem
	c, ok := t.classes[s.Class]
	if !ok {
		msg := fmt.Sprintf("unknown pseudo-variable $%s", s.Class)
		warn := false
		if trimmed := trimDots(s.Class); trimmed != s.Class {
			if _, known := t.classes[trimmed]; known {
				// "$rU." in a log line: Kamailio reads the dot as part of
				// the name. Only a warning: the intent is clear.
				msg = fmt.Sprintf("$%s is read as the unknown pseudo-variable $%s because \".\" belongs to names; write $(%s) before the dot", s.Class, s.Class, trimmed)
				warn = true
			}
		} else if sugg := t.suggest(s.Class); sugg != "" {
			msg += fmt.Sprintf("; did you mean $%s?", sugg)
		}
		return append(out, Problem{Offset: s.Offset, Msg: msg, Warning: warn, Unknown: true, Class: s.Class})
	}
	switch {
	case c.Inner == NeedsInner && !s.HasInner:
		out = append(out, Problem{Offset: s.Offset, Msg: fmt.Sprintf("$%s needs an inner name: $%s(name)", s.Class, s.Class)})
	case c.Inner == NoInner && s.HasInner:
		out = append(out, Problem{Offset: s.Offset, Msg: fmt.Sprintf("$%s takes no inner name: write $%s, not $%s(%s)", s.Class, s.Class, s.Class, s.Inner)})
	case len(c.InnerNames) > 0 && s.HasInner && !contains(c.InnerNames, s.Inner):
		out = append(out, Problem{Offset: s.Offset, Msg: fmt.Sprintf("$%s(%s): unknown inner name %q; expected one of %s", s.Class, s.Inner, s.Inner, joinOr(c.InnerNames))})
	}
	for _, tr := range s.Transforms {
		if err := ValidateTransform(tr); err != nil {
			out = append(out, Problem{Offset: tr.Offset, Msg: err.Error()})
		}
	}
	return out
}

func trimDots(s string) string {
	for len(s) > 0 && (s[len(s)-1] == '.' || s[len(s)-1] == '?') {
		s = s[:len(s)-1]
	}
	return s
}

func (t *Table) suggest(name string) string {
	names := make([]string, 0, len(t.classes))
	for n := range t.classes {
		names = append(names, n)
	}
	return diag.Suggest(name, names, 2)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func joinOr(list []string) string {
	out := ""
	for i, s := range list {
		switch {
		case i == 0:
		case i == len(list)-1:
			out += " or "
		default:
			out += ", "
		}
		out += s
	}
	return out
}
