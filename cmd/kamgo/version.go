package main

import (
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "0.1.0-dev"

// kamailioCompat is the Kamailio release whose config language kamgo reads.
const kamailioCompat = "5.6.3"

func cmdVersion(w io.Writer) int {
	commit, modified := "unknown", false
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision":
				commit = s.Value
			case "vcs.modified":
				modified = s.Value == "true"
			}
		}
	}
	if modified {
		commit += "-dirty"
	}
	fmt.Fprintf(w, "kamgo %s (commit %s, %s %s/%s)\nconfig language: Kamailio %s\n",
		version, commit, runtime.Version(), runtime.GOOS, runtime.GOARCH, kamailioCompat)
	return exitOK
}
