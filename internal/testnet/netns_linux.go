// netns_linux.go holds InNetns: a test re-run in a network namespace of its
// own, made with clone(2) and set up with ioctl(2), so that it needs no
// outside tool (no unshare, no ip) on a machine with only Go.

package testnet

import (
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"syscall"
	"testing"

	"golang.org/x/sys/unix"
)

// childEnv marks a test process that runs inside the namespace made for it.
const childEnv = "WHYREFUSED_TEST_NETNS_CHILD"

// InNetns makes the calling test run inside a new network namespace with
// only "lo", up. Call it first in the test; when it returns true, the test
// is running inside the namespace and goes on. When it returns false, the
// test has been run in the namespace by a child process (whose result is
// this test's) or skipped, and the caller must return at once.
//
// Making a namespace needs root (CAP_SYS_ADMIN); without it the test is
// skipped and says why. As root, a namespace that cannot be made fails the
// test (CI runs as root).
func InNetns(t *testing.T) bool {
	t.Helper()
	if os.Getenv(childEnv) == t.Name() {
		if err := loUp(); err != nil {
			t.Fatalf("bringing lo up in the test's own network namespace: %v", err)
		}
		return true
	}
	if os.Geteuid() != 0 {
		t.Skip("needs a network namespace of its own: not running as root")
		return false
	}
	// Re-run only this test, in a new network namespace.
	cmd := exec.Command(os.Args[0],
		"-test.run=^"+strings.ReplaceAll(regexp.QuoteMeta(t.Name()), "/", "$/^")+"$",
		"-test.v", "-test.count=1")
	cmd.Env = append(os.Environ(), childEnv+"="+t.Name())
	cmd.SysProcAttr = &syscall.SysProcAttr{Cloneflags: syscall.CLONE_NEWNET}
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

// loUp sets the loopback interface up, as `ip link set lo up` does.
func loUp() error {
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return err
	}
	defer unix.Close(fd)
	ifr, err := unix.NewIfreq("lo")
	if err != nil {
		return err
	}
	if err := unix.IoctlIfreq(fd, unix.SIOCGIFFLAGS, ifr); err != nil {
		return fmt.Errorf("SIOCGIFFLAGS: %w", err)
	}
	ifr.SetUint16(ifr.Uint16() | unix.IFF_UP)
	if err := unix.IoctlIfreq(fd, unix.SIOCSIFFLAGS, ifr); err != nil {
		return fmt.Errorf("SIOCSIFFLAGS: %w", err)
	}
	return nil
}
