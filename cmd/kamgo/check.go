package main

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/kamgo/kamgo/examples"
	"github.com/kamgo/kamgo/lang/ast"
	"github.com/kamgo/kamgo/lang/bytecode"
	"github.com/kamgo/kamgo/lang/diag"
	"github.com/kamgo/kamgo/lang/parser"
	"github.com/kamgo/kamgo/lang/preproc"
	_ "github.com/kamgo/kamgo/modules/all" // the modules kamgo ships
	"github.com/kamgo/kamgo/runtime/core"
	"github.com/kamgo/kamgo/runtime/module"
)

// checkFlags are the options of `kamgo check`.
type checkFlags struct {
	syntaxOnly bool
	format     string
	defines    []string
	files      []string
	embedded   bool // check the embedded default config
	// kamailioCompat turns into warnings what kamailio -c lets through:
	// t_on_* naming a missing route.
	kamailioCompat bool
}

func parseCheckFlags(args []string, stderr io.Writer) (checkFlags, bool) {
	f := checkFlags{format: "text"}
	for i := 0; i < len(args); i++ {
		a := args[i]
		next := func() (string, bool) {
			if i+1 >= len(args) {
				fmt.Fprintf(stderr, "kamgo check: %s needs a value\n", a)
				return "", false
			}
			i++
			return args[i], true
		}
		switch {
		case a == "--syntax-only":
			f.syntaxOnly = true
		case a == "--default":
			f.embedded = true
		case a == "--kamailio-compat":
			f.kamailioCompat = true
		case a == "--format" || a == "-format":
			v, ok := next()
			if !ok {
				return f, false
			}
			f.format = v
		case strings.HasPrefix(a, "--format="):
			f.format = strings.TrimPrefix(a, "--format=")
		case a == "-A":
			v, ok := next()
			if !ok {
				return f, false
			}
			f.defines = append(f.defines, v)
		case strings.HasPrefix(a, "-A") && len(a) > 2:
			f.defines = append(f.defines, a[2:])
		case a == "--":
			f.files = append(f.files, args[i+1:]...)
			i = len(args)
		case strings.HasPrefix(a, "-") && a != "-":
			fmt.Fprintf(stderr, "kamgo check: unknown option %s\n", a)
			return f, false
		default:
			f.files = append(f.files, a)
		}
	}
	if f.format != "text" && f.format != "json" {
		fmt.Fprintf(stderr, "kamgo check: --format must be text or json, not %q\n", f.format)
		return f, false
	}
	if len(f.files) == 0 && !f.embedded {
		fmt.Fprintln(stderr, "kamgo check: no config file given")
		return f, false
	}
	return f, true
}

func cmdCheck(args []string, stdout, stderr io.Writer) int {
	f, ok := parseCheckFlags(args, stderr)
	if !ok {
		usage(stderr)
		return exitUsage
	}
	return checkFiles(f, stdout, stderr)
}

// checkFiles checks every file and prints all diagnostics at once.
func checkFiles(f checkFlags, stdout, stderr io.Writer) int {
	var all diag.List
	sources := map[string][]byte{}
	check := func(cfg *ast.Config, res *preproc.Result, d diag.List) {
		for name, src := range res.Files {
			sources[name] = src
		}
		if !f.syntaxOnly && !d.HasErrors() {
			d.Append(semanticCheck(cfg, res, f.kamailioCompat))
		}
		d.Sort()
		all = append(all, d...)
	}
	opts := preproc.Options{Defines: f.defines}
	if f.embedded {
		check(parser.ParseSource(examples.DefaultConfigName, []byte(examples.DefaultConfig), opts))
	}
	for _, file := range f.files {
		check(parser.ParseFile(file, opts))
	}
	src := func(name string) ([]byte, bool) { b, ok := sources[name]; return b, ok }
	var err error
	if f.format == "json" {
		err = all.WriteJSON(stdout, src)
	} else {
		err = all.WriteText(stderr, src)
		if err == nil {
			errs, warns := all.Count()
			if errs > 0 || warns > 0 {
				fmt.Fprintf(stderr, "%d error(s), %d warning(s)\n", errs, warns)
			}
		}
	}
	if err != nil {
		fmt.Fprintf(stderr, "kamgo check: %v\n", err)
		return exitError
	}
	if all.HasErrors() {
		return exitError
	}
	return exitOK
}

// kamailioStyle handles Kamailio's command line: `-c -f FILE` checks,
// anything else runs the server.
func kamailioStyle(args []string, stdout, stderr io.Writer) int {
	if !slices.Contains(args, "-c") {
		return cmdRun(args, stdout, stderr) // kamgo -f FILE -DD -E: run it
	}
	f := checkFlags{format: "text"}
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "-c":
		case a == "-f" && i+1 < len(args):
			i++
			f.files = append(f.files, args[i])
		case a == "-A" && i+1 < len(args):
			i++
			f.defines = append(f.defines, args[i])
		case strings.HasPrefix(a, "-A") && len(a) > 2:
			f.defines = append(f.defines, a[2:])
		case a == "-L" && i+1 < len(args):
			i++ // module path: modules are built in
		default:
			fmt.Fprintf(stderr, "kamgo: unsupported option %s (known: -c -f FILE -A DEF -L DIR)\n", a)
			return exitUsage
		}
	}
	if len(f.files) == 0 {
		f.files = []string{"/etc/kamailio/kamailio.cfg"}
	}
	code := checkFiles(f, stdout, stderr)
	if code == exitOK {
		fmt.Fprintln(stderr, "config file ok, exiting...")
	}
	return code
}

func cmdDump(args []string, stdout, stderr io.Writer) int {
	astMode := false
	var defines, files []string
	for i := 0; i < len(args); i++ {
		switch a := args[i]; {
		case a == "--ast":
			astMode = true
		case a == "-A" && i+1 < len(args):
			i++
			defines = append(defines, args[i])
		case strings.HasPrefix(a, "-"):
			fmt.Fprintf(stderr, "kamgo dump: unknown option %s\n", a)
			return exitUsage
		default:
			files = append(files, a)
		}
	}
	if len(files) != 1 {
		fmt.Fprintln(stderr, "kamgo dump: give exactly one config file")
		return exitUsage
	}
	cfg, res, d := parser.ParseFile(files[0], preproc.Options{Defines: defines})
	if astMode {
		fmt.Fprint(stdout, ast.Dump(cfg))
	} else if !d.HasErrors() {
		loaded, ld := core.Load(cfg, res, core.LoadOptions{Registry: module.Default()})
		d = append(d, ld...)
		if loaded != nil {
			if err := bytecode.Dump(stdout, loaded.Prog, res.Source); err != nil {
				fmt.Fprintf(stderr, "kamgo dump: %v\n", err)
				return exitError
			}
		}
	}
	if len(d) > 0 {
		if err := d.WriteText(stderr, res.Source); err != nil {
			return exitError
		}
	}
	if d.HasErrors() {
		return exitError
	}
	return exitOK
}
