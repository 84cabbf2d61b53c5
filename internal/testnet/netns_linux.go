// netns_linux.go holds InNetns for Linux: the test runs again in a network
// namespace of its own.

package testnet

import (
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
)

// childEnv marks a test process that runs inside the namespace made for it.
const childEnv = "WHYREFUSED_TEST_NETNS_CHILD"

// InNetns makes the calling test run inside a new network namespace with
// only "lo", up. Call it first in the test; when it returns true, the test
// is running inside the namespace and goes on. When it returns false, the
// test has been run in the namespace by a child process (whose result is
// this test's) or skipped, and the caller must return at once.
//
// Making a namespace needs root (CAP_SYS_ADMIN) and unshare(1); where that
// is truly unavailable (not root, no tools) the test is skipped and says
// why. As root, a namespace that cannot be made fails the test.
func InNetns(t *testing.T) bool {
	t.Helper()
	if os.Getenv(childEnv) == t.Name() {
		return true
	}
	if reason := unavailable(); reason != "" {
		t.Skipf("needs a network namespace of its own: %s", reason)
		return false
	}
	// As root with the tools at hand, a namespace must be possible: a
	// failure here is a failure, not a reason to skip (CI runs as root).
	if out, err := exec.Command("unshare", "--net", "--", "true").CombinedOutput(); err != nil {
		t.Fatalf("as root, unshare --net fails: %v\n%s", err, out)
	}
	// Re-run only this test, in a new network namespace, with lo up.
	script := `ip link set lo up && exec "$0" "$@"`
	args := []string{"--net", "--", "sh", "-c", script, os.Args[0],
		"-test.run=^" + strings.ReplaceAll(regexp.QuoteMeta(t.Name()), "/", "$/^") + "$",
		"-test.v", "-test.count=1"}
	cmd := exec.Command("unshare", args...)
	cmd.Env = append(os.Environ(), childEnv+"="+t.Name())
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("the test failed inside its network namespace: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "--- PASS: "+t.Name()) {
		t.Fatalf("the test did not pass inside its network namespace:\n%s", out)
	}
	t.Logf("ran inside a new network namespace:\n%s", out)
	return false
}

// unavailable says why a namespace cannot be made here, or "".
func unavailable() string {
	if os.Geteuid() != 0 {
		return "not running as root"
	}
	for _, tool := range []string{"unshare", "ip"} {
		if _, err := exec.LookPath(tool); err != nil {
			return tool + " is not installed"
		}
	}
	return ""
}
