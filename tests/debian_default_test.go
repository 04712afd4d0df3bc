//go:build unix

package tests

import (
	"encoding/json"
	"os"
	"regexp"
	"sort"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// debianDefault is the config Debian's kamailio package installs.
const debianDefault = "/etc/kamailio/kamailio.cfg"

// debianUnshipped are the modules of Debian's default config that kamgo
// does not ship yet.
var debianUnshipped = []string{"acc", "cfg_rpc", "counters", "ctl", "jsonrpcs", "registrar", "tm", "tmx", "usrloc"}

// unshippedRE reads the module out of the two errors `kamgo check` gives
// for what it does not ship: the loadmodule, and a call to one of the
// module's functions.
var unshippedRE = regexp.MustCompile(`^module "([a-z_0-9]+)" is not supported by kamgo|is a function of module "([a-z_0-9]+)", which kamgo does not ship yet$`)

// TestDebianDefaultConfig runs the full `kamgo check` on Debian's default
// kamailio.cfg: every error must be about a module kamgo does not ship
// yet, and each of those modules must be named.
func TestDebianDefaultConfig(t *testing.T) {
	if _, err := os.Stat(debianDefault); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s is missing (make test installs kamailio): %v", debianDefault, err)
		}
		t.Skipf("%s: %v", debianDefault, err)
	}
	res, err := runBounded(checkTimeout, "/", kamgoBinary, "check", "--format", "json", debianDefault)
	if err != nil {
		t.Fatal(err)
	}
	var diags []kamgoDiagnostic
	if err := json.Unmarshal(res.stdout, &diags); err != nil {
		t.Fatalf("decoding: %v\n%s", err, res.stdout)
	}
	named := map[string]bool{}
	for _, d := range diags {
		if d.Severity != "error" {
			continue
		}
		m := unshippedRE.FindStringSubmatch(d.Message)
		if m == nil {
			t.Errorf("an error that is not about an unshipped module: %s", d)
			continue
		}
		named[m[1]+m[2]] = true
	}
	var got []string
	for name := range named {
		got = append(got, name)
	}
	sort.Strings(got)
	if diff := cmp.Diff(debianUnshipped, got); diff != "" {
		t.Errorf("unshipped modules named (-want +got):\n%s", diff)
	}
}
