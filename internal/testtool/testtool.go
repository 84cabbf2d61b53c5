// Package testtool lets a test say which outside tool it needs: when the
// tool is not installed the test skips with one standard message that names
// the tool and the Debian package that brings it, so that CI (which installs
// every such package) can fail on any skip that should not have happened.
// It imports nothing of whyrefused.
package testtool

import (
	"os"
	"os/exec"
	"testing"
)

// SkipPrefix starts every skip message of Need: CI's skip check looks for
// it.
const SkipPrefix = "needs the tool "

// Need returns the path of the command cmd, or skips the test with
// "needs the tool CMD (Debian package PKG)" when it is not installed.
func Need(t testing.TB, cmd, pkg string) string {
	t.Helper()
	path, err := exec.LookPath(cmd)
	if err != nil {
		t.Skipf("%s%s (Debian package %s)", SkipPrefix, cmd, pkg)
	}
	return path
}

// NeedFile skips the test with "needs the file PATH (Debian package PKG)"
// when path does not exist, as /etc/services (netbase) does not on a
// minimal Debian.
func NeedFile(t testing.TB, path, pkg string) {
	t.Helper()
	if _, err := os.Stat(path); err != nil {
		t.Skipf("%s%s (Debian package %s)", SkipFilePrefix, path, pkg)
	}
}

// SkipFilePrefix starts every skip message of NeedFile.
const SkipFilePrefix = "needs the file "
