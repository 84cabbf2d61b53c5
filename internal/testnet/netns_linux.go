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
	return inNamespaces(t, syscall.CLONE_NEWNET)
}

// InNetnsAlone is InNetns in a mount namespace of the test's own as well,
// with /run/netns and /run/docker/netns empty: whyrefused run there does
// not see the named network namespaces of the tests that run beside it
// (nor their sockets, held by threads that entered them). For tests whose
// output must not depend on what else runs on the host. The PID namespace
// stays the host's, so that owners and notes are as on a host.
func InNetnsAlone(t *testing.T) bool {
	t.Helper()
	return inNamespaces(t, syscall.CLONE_NEWNET|syscall.CLONE_NEWNS)
}

// inNamespaces re-runs the test in the namespaces of flags, or, in that
// child, sets them up and returns true.
func inNamespaces(t *testing.T, flags uintptr) bool {
	t.Helper()
	if os.Getenv(childEnv) == t.Name() {
		if err := loUp(); err != nil {
			t.Fatalf("bringing lo up in the test's own network namespace: %v", err)
		}
		if os.Getenv(aloneEnv) != "" {
			if err := alone(); err != nil {
				t.Fatalf("setting up the test's own mount namespace: %v", err)
			}
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
	if flags&syscall.CLONE_NEWNS != 0 {
		cmd.Env = append(cmd.Env, aloneEnv+"=1")
	}
	cmd.SysProcAttr = &syscall.SysProcAttr{Cloneflags: flags}
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

// aloneEnv tells the child of InNetnsAlone to set up its mount namespace.
const aloneEnv = "WHYREFUSED_TEST_NETNS_ALONE"

// alone makes the mounts of the child's own mount namespace private and
// hides the host's named network namespaces under empty tmpfs mounts. None
// of it reaches the host.
func alone() error {
	if err := unix.Mount("", "/", "", unix.MS_REC|unix.MS_PRIVATE, ""); err != nil {
		return fmt.Errorf("making / private: %w", err)
	}
	for _, dir := range []string{"/run/netns", "/run/docker/netns"} {
		if st, err := os.Stat(dir); err != nil || !st.IsDir() {
			continue
		}
		if err := unix.Mount("tmpfs", dir, "tmpfs", 0, "size=1m"); err != nil {
			return fmt.Errorf("hiding %s: %w", dir, err)
		}
	}
	return nil
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
