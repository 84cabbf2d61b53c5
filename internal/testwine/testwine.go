// testwine.go holds what a test asks about Wine: whether it runs under it,
// its version, a skip that names what Wine lacks.

package testwine

import (
	"os"
	"strings"
	"testing"
)

// What Wine lacks, for Skip's reason.
const (
	// OwnerPID: Wine reports owner PID 0 for every listening socket.
	OwnerPID = "Wine reports owner PID 0 for every listening socket"
	// UDP: Wine cannot open UDP sockets for Go programs.
	UDP = `Wine fails net.ListenPacket("udp", ...) with WSAEOPNOTSUPP (10045)`
)

// Running reports whether this process runs under Wine.
func Running() bool {
	_, ok := detect()
	return ok
}

// Version is Wine's version ("8.0"), or "" when not under Wine.
func Version() string {
	v, _ := detect()
	return v
}

// Skip skips t when it runs under Wine, naming what Wine lacks (OwnerPID,
// UDP, or another reason).
func Skip(t testing.TB, lacks string) {
	t.Helper()
	if v, ok := detect(); ok {
		t.Skipf("skipped under Wine %s: %s", v, lacks)
	}
}

// EtcFile is where Windows (and a Wine prefix) keeps the file name of
// %SystemRoot%\System32\drivers\etc: hosts, services. It fails t when
// SystemRoot is not set, as every Windows process has it.
func EtcFile(t testing.TB, name string) string {
	t.Helper()
	root := os.Getenv("SystemRoot")
	if root == "" {
		t.Fatal("SystemRoot is not set: every Windows process has it")
	}
	return strings.TrimRight(root, `\`) + `\System32\drivers\etc\` + name
}

// TempDir is t.TempDir, but under Wine a directory that is removed
// best-effort: Wine 8 fails to unlink some files ("Invalid function"),
// which would fail t.TempDir's cleanup of a test that passed.
func TempDir(t testing.TB) string {
	t.Helper()
	if !Running() {
		return t.TempDir()
	}
	dir, err := os.MkdirTemp("", "whyrefused-test")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}
