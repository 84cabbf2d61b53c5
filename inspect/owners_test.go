// owners_test.go tests the owner cache on this process.

package inspect

import (
	"context"
	"os"
	"os/exec"
	"runtime"
	"testing"

	"github.com/whyrefused/whyrefused/internal/testtool"
)

// TestOwnerVanished: a process that exits before its details are read is
// dropped, not an error, and the answer is remembered.
func TestOwnerVanished(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("uses a Unix command as the short-lived process")
	}
	cmd := exec.Command(testtool.Need(t, "true", "coreutils"))
	if err := cmd.Run(); err != nil {
		t.Fatalf("starting a short-lived child process: %v", err)
	}
	pid := int32(cmd.Process.Pid) // exited and reaped
	c := newOwnerCache(Filter{})
	if o, ok := c.lookup(context.Background(), pid); ok {
		t.Fatalf("a process that exited was reported as an owner: %+v", o)
	}
	if _, seen := c.procs[pid]; !seen {
		t.Errorf("the vanished process was not remembered")
	}
}

// TestOwnerSelf: this process's own details are read, without its
// arguments unless asked.
func TestOwnerSelf(t *testing.T) {
	ctx := context.Background()
	o, ok := newOwnerCache(Filter{}).lookup(ctx, int32(os.Getpid()))
	if !ok || o.PID != int32(os.Getpid()) || o.Name == "" || o.User == "" {
		t.Fatalf("own process: %+v, %v", o, ok)
	}
	if o.Cmdline != nil {
		t.Errorf("command line read though not asked: %q", o.Cmdline)
	}
	if runtime.GOOS != "windows" && (o.Exe == "" || o.Started.IsZero()) {
		t.Errorf("executable or start time missing: %+v", o)
	}
	o, _ = newOwnerCache(Filter{WithCmdline: true}).lookup(ctx, int32(os.Getpid()))
	if len(o.Cmdline) == 0 {
		t.Errorf("command line not read when asked")
	}
	// SkipExeAndStart: the same name and user, and neither executable nor start time.
	b, _ := newOwnerCache(Filter{SkipExeAndStart: true}).lookup(ctx, int32(os.Getpid()))
	if b.Name != o.Name || b.User != o.User || b.Exe != "" || !b.Started.IsZero() {
		t.Errorf("brief: %+v, want name %q, user %q and no exe or start time", b, o.Name, o.User)
	}
}
