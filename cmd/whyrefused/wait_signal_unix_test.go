//go:build unix

// wait_signal_unix_test.go sends signals to the real binary while it
// waits: SIGINT (Ctrl-C) ends it with status 130, SIGTERM with 143, each
// saying what it still waited for.

package main

import (
	"bufio"
	"errors"
	"io"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestWaitStoppedBySignal(t *testing.T) {
	bin := binary(t)
	for _, c := range []struct {
		sig    syscall.Signal
		status int
	}{
		{syscall.SIGINT, exitInterrupted},
		{syscall.SIGTERM, exitTerminated},
	} {
		t.Run(c.sig.String(), func(t *testing.T) {
			addr := closedLoopback(t)
			cmd := exec.Command(bin, "check", "--wait", "60s", addr)
			cmd.Env = append(os.Environ(), "NO_COLOR=1")
			stderr, err := cmd.StderrPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			// The first status line says it waits: the signal comes
			// while it does.
			r := bufio.NewReader(stderr)
			first, err := r.ReadString('\n')
			if err != nil || !strings.Contains(first, "waiting") {
				cmd.Process.Kill()
				cmd.Wait()
				t.Fatalf("first stderr line %q (%v), want the status", first, err)
			}
			start := time.Now()
			if err := cmd.Process.Signal(c.sig); err != nil {
				t.Fatal(err)
			}
			rest, _ := io.ReadAll(r)
			err = cmd.Wait()
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.ExitCode() != c.status {
				t.Fatalf("ended with %v, want status %d\n%s%s", err, c.status, first, rest)
			}
			if took := time.Since(start); took > 5*time.Second {
				t.Errorf("took %s to stop", took)
			}
			if want := "stopped after"; !strings.Contains(string(rest), want) || !strings.Contains(string(rest), addr+" refused") {
				t.Errorf("stderr lacks %q and what it waited for:\n%s", want, rest)
			}
		})
	}
}
