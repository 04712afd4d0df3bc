//go:build unix

package tests

import (
	"context"
	"errors"
	"fmt"
	"os/exec"
	"sync"
	"syscall"
	"time"
)

// maxCapturedOutput bounds what runBounded keeps of a stream; some shipped
// configs set debug=9 and make Kamailio very chatty.
const maxCapturedOutput = 8 << 20

// processResult is what a finished child process left behind.
type processResult struct {
	exitCode int
	stdout   []byte
	stderr   []byte
}

// runBounded runs name with args in dir, in its own process group, and kills
// the whole group when timeout passes. A non-zero exit is not an error; a
// process that cannot start, is killed by a signal or times out is.
func runBounded(timeout time.Duration, dir, name string, args ...string) (processResult, error) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()

	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	cmd.Env = append(cmd.Environ(), "LC_ALL=C")
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error {
		// A negative pid signals the process group the child leads.
		return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	}
	cmd.WaitDelay = 2 * time.Second
	var stdout, stderr cappedBuffer
	stdout.limit, stderr.limit = maxCapturedOutput, maxCapturedOutput
	cmd.Stdout, cmd.Stderr = &stdout, &stderr

	err := cmd.Run()
	result := processResult{exitCode: -1, stdout: stdout.bytes(), stderr: stderr.bytes()}
	if ctx.Err() != nil {
		return result, fmt.Errorf("%s timed out after %v", name, timeout)
	}
	var exitErr *exec.ExitError
	switch {
	case err == nil:
		result.exitCode = 0
	case errors.As(err, &exitErr) && exitErr.Exited():
		result.exitCode = exitErr.ExitCode()
	default:
		return result, fmt.Errorf("running %s: %w", name, err)
	}
	return result, nil
}

// cappedBuffer keeps the first limit bytes written to it and drops the rest,
// so a runaway child cannot exhaust the test's memory.
type cappedBuffer struct {
	mu    sync.Mutex
	data  []byte
	limit int
}

func (b *cappedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if room := b.limit - len(b.data); room > 0 {
		b.data = append(b.data, p[:min(room, len(p))]...)
	}
	return len(p), nil
}

func (b *cappedBuffer) bytes() []byte {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.data
}
