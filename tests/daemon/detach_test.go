//go:build unix

package daemon

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/kamgo/kamgo/tests/sipclient"
)

// TestDetach runs `kamgo run` without -D, as kamailio is run by init
// scripts: the command returns 0 once the detached server listens, the
// pidfile names the server (not the command), the server answers, and
// SIGTERM ends it and removes the pidfile. A config error makes the command
// itself fail.
func TestDetach(t *testing.T) {
	port := freePort(t)
	rundir := shortTempDir(t)
	cfg := writeFile(t, "kamgo.cfg", config{script: statelessScript}.render(port, rundir))
	pidfile := filepath.Join(rundir, "kamgo.pid")
	code, _, stderr := runKamgo(t, readyTimeout, "run", "-f", cfg, "-P", pidfile)
	if code != 0 {
		t.Fatalf("kamgo run (detached) exit %d:\n%s", code, stderr)
	}
	b, err := os.ReadFile(pidfile)
	if err != nil {
		t.Fatalf("no pidfile after the command returned: %v", err)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil || pid <= 1 {
		t.Fatalf("pidfile %q", b)
	}
	t.Cleanup(func() { _ = syscall.Kill(pid, syscall.SIGKILL) })
	// The detached server has its own session.
	if sid, err := unix.Getsid(pid); err != nil || sid != pid {
		t.Errorf("session of the server = %d, %v; want its own (%d)", sid, err, pid)
	}
	d := &daemon{port: port}
	c, err := sipclient.DialUDP(d.udpAddr())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if resp, err := c.Options(replyTimeout); err != nil || resp.StatusCode != 200 {
		t.Fatalf("detached server: %v %v", resp, err)
	}
	if err := syscall.Kill(pid, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(stopTimeout)
	for syscall.Kill(pid, 0) == nil {
		if time.Now().After(deadline) {
			t.Fatalf("the detached server (pid %d) survived SIGTERM", pid)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if _, err := os.Stat(pidfile); !os.IsNotExist(err) {
		t.Errorf("pidfile left behind: %v", err)
	}

	bad := writeFile(t, "bad.cfg", "request_route { nope(); }\n")
	if code, _, stderr := runKamgo(t, readyTimeout, "run", "-f", bad); code == 0 || !strings.Contains(stderr, "bad.cfg:1:17: error") {
		t.Errorf("a broken config, detached: exit %d\n%s", code, stderr)
	}
}
