package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/kamgo/kamgo/runtime/rpc"
)

const rpcUsage = `usage: kamgo rpc [-s SOCKET] [-r RUNDIR] [--json] [-t TIMEOUT] METHOD [ARG]...

Calls METHOD on a running kamgo's control interface (JSON-RPC over a UNIX
socket) and prints the result the way kamcmd does. An ARG that is an integer
is sent as a number, any other as a string; s:ARG sends ARG as a string.
kamgo rpc system.listMethods lists the methods, kamgo rpc system.methodHelp
METHOD describes one. An error reply is printed as "error: CODE - MESSAGE"
and exits 1.

options:
  -s SOCKET    the control socket (default: RUNDIR/kamgo_rpc.sock, else
               /run/kamgo/kamgo_rpc.sock, else $TMPDIR/kamgo-UID/kamgo_rpc.sock)
  -r RUNDIR    the daemon's run directory, where its socket is
  --json       print the result as indented JSON
  -t TIMEOUT   give up after TIMEOUT (default 30s)
`

// runRPC is `kamgo rpc`.
func runRPC(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("kamgo rpc", flag.ContinueOnError)
	fs.SetOutput(io.Discard) // usage errors are reported below, with rpcUsage
	socket := fs.String("s", "", "")
	rundir := fs.String("r", "", "")
	asJSON := fs.Bool("json", false, "")
	timeout := fs.Duration("t", 30*time.Second, "")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stdout, rpcUsage)
			return exitOK
		}
		fmt.Fprintf(stderr, "kamgo rpc: %v\n%s", err, rpcUsage)
		return exitUsage
	}
	if fs.NArg() == 0 {
		fmt.Fprintf(stderr, "kamgo rpc: no method given\n%s", rpcUsage)
		return exitUsage
	}
	if *timeout <= 0 {
		fmt.Fprintf(stderr, "kamgo rpc: -t must be positive, not %v\n", *timeout)
		return exitUsage
	}
	method, params := fs.Arg(0), rpcParams(fs.Args()[1:])
	path := *socket
	if path == "" {
		path = rpc.DefaultSocketPath(*rundir)
	}

	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	result, err := rpc.CallSocket(ctx, path, method, params)
	var rpcErr *rpc.Error
	switch {
	case errors.As(err, &rpcErr):
		fmt.Fprintf(stderr, "error: %d - %s\n", rpcErr.Code, rpcErr.Message)
		return exitError
	case errors.Is(err, rpc.ErrUnreachable):
		fmt.Fprintf(stderr, "kamgo rpc: %v\nIs kamgo running? Name its control socket with -s SOCKET (or its run directory with -r RUNDIR).\n", err)
		return exitError
	case err != nil:
		fmt.Fprintf(stderr, "kamgo rpc: %v\n", err)
		return exitError
	}

	if *asJSON {
		var out bytes.Buffer
		if err := json.Indent(&out, result, "", "  "); err != nil {
			fmt.Fprintf(stderr, "kamgo rpc: the reply is not valid JSON: %v\n", err)
			return exitError
		}
		out.WriteByte('\n')
		if _, err := stdout.Write(out.Bytes()); err != nil {
			fmt.Fprintf(stderr, "kamgo rpc: %v\n", err)
			return exitError
		}
		return exitOK
	}
	if err := rpc.Format(stdout, result); err != nil {
		fmt.Fprintf(stderr, "kamgo rpc: %v\n", err)
		return exitError
	}
	return exitOK
}

// rpcParams types command-line arguments the way kamcmd does: integers are
// numbers, everything else a string, and an s: prefix forces a string.
func rpcParams(args []string) []any {
	params := make([]any, 0, len(args))
	for _, a := range args {
		if s, ok := strings.CutPrefix(a, "s:"); ok {
			params = append(params, s)
			continue
		}
		if n, err := strconv.ParseInt(a, 10, 64); err == nil {
			params = append(params, n)
			continue
		}
		params = append(params, a)
	}
	return params
}
