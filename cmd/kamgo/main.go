// Command kamgo is the kamgo SIP server and its tools: `kamgo check` lints a
// kamailio.cfg-style config, `kamgo dump` shows what the front end made of
// it, `kamgo version` says what this binary is. It also understands
// Kamailio's own `-c -f FILE` so that scripts written around kamailio keep
// working.
package main

import (
	"fmt"
	"io"
	"os"
)

// Exit codes of every subcommand.
const (
	exitOK    = 0
	exitError = 1 // the config has errors, or the command failed
	exitUsage = 2
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stderr)
		return exitUsage
	}
	switch args[0] {
	case "check":
		return cmdCheck(args[1:], stdout, stderr)
	case "dump":
		return cmdDump(args[1:], stdout, stderr)
	case "version", "-v", "-V", "--version":
		return cmdVersion(stdout)
	case "run":
		return cmdRun(args[1:], stdout, stderr)
	case "rpc":
		return runRPC(args[1:], stdout, stderr)
	case "help", "-h", "--help":
		usage(stdout)
		return exitOK
	}
	if len(args[0]) > 0 && args[0][0] == '-' {
		return kamailioStyle(args, stdout, stderr)
	}
	fmt.Fprintf(stderr, "kamgo: unknown command %q\n", args[0])
	usage(stderr)
	return exitUsage
}

func usage(w io.Writer) {
	fmt.Fprint(w, `usage:
  kamgo run [-f FILE] [-E] [-D] [-P PIDFILE] [-n N] [-l ADDR]... [-A DEF]...   (kamgo run -h for all)
  kamgo rpc [-s SOCKET] [-r RUNDIR] [--json] [-t TIMEOUT] METHOD [ARG]...   (the daemon's control interface)
  kamgo check [--syntax-only] [--kamailio-compat] [--format text|json] [-A NAME[=VALUE]]... FILE...
  kamgo check --default                    (the embedded default config)
  kamgo dump [--ast] [-A NAME[=VALUE]]... FILE   (bytecode, or the syntax tree)
  kamgo version
  kamgo -c -f FILE [-A NAME[=VALUE]]...   (Kamailio's form of check)
  kamgo -f FILE [-DD] [-E] ...             (Kamailio's form of run)
`)
}
