package inspect

import (
	"context"
	"os"
	"os/exec"
	"runtime"
	"testing"
)

// TestOwnerVanished: a process that exits before its details are read is
// dropped, not an error, and the answer is remembered.
func TestOwnerVanished(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("uses a Unix command as the short-lived process")
	}
	cmd := exec.Command("true")
	if err := cmd.Run(); err != nil {
		t.Fatalf("starting a short-lived child process: %v", err)
	}
	pid := int32(cmd.Process.Pid) // exited and reaped
	c := newOwnerCache(false)
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
	o, ok := newOwnerCache(false).lookup(ctx, int32(os.Getpid()))
	if !ok || o.PID != int32(os.Getpid()) || o.Name == "" || o.User == "" {
		t.Fatalf("own process: %+v, %v", o, ok)
	}
	if o.Cmdline != nil {
		t.Errorf("command line read though not asked: %q", o.Cmdline)
	}
	o, _ = newOwnerCache(true).lookup(ctx, int32(os.Getpid()))
	if len(o.Cmdline) == 0 {
		t.Errorf("command line not read when asked")
	}
}
