// wait_e2e_test.go runs the real binary's --wait: a listener that starts
// after a second is waited for (status 0), one that never starts gets the
// full explanation at the deadline (status 1), and a run that is not on a
// terminal prints plain status lines.

package main

import (
	"net"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"
)

// listenLater listens on addr after d, until the test ends.
func listenLater(t *testing.T, addr string, d time.Duration) {
	t.Helper()
	done := make(chan struct{})
	timer := time.AfterFunc(d, func() {
		defer close(done)
		ln, err := net.Listen("tcp4", addr)
		if err != nil {
			t.Errorf("listening on %s after %s: %v", addr, d, err)
			return
		}
		t.Cleanup(func() { ln.Close() })
	})
	t.Cleanup(func() {
		if timer.Stop() {
			close(done)
		}
		<-done
	})
}

// TestWaitForLateListener: check --wait and probe --wait wait for a
// listener that starts after 1 s, and say how long it took. Their stderr
// is not a terminal: the status is plain lines, each ending in a newline,
// with no carriage return or terminal control.
func TestWaitForLateListener(t *testing.T) {
	bin := binary(t)
	for _, cmd := range []string{"check", "probe"} {
		t.Run(cmd, func(t *testing.T) {
			addr := closedLoopback(t)
			listenLater(t, addr, time.Second)
			start := time.Now()
			stdout, stderr, status := runBinary(t, bin, cmd, "--wait", "20s", addr)
			took := time.Since(start)
			if status != exitOK {
				t.Fatalf("status %d, want 0:\n%s%s", status, stdout, stderr)
			}
			// It says how long it took, from its own start: a little after
			// the listener's timer was set, and before the test saw it end.
			m := regexp.MustCompile(`^ACCEPTED after (\S+): `).FindStringSubmatch(stdout)
			if m == nil {
				t.Fatalf("stdout does not say how long it took:\n%s", stdout)
			}
			if said, err := time.ParseDuration(m[1]); err != nil || said <= 0 || said > took {
				t.Errorf("it says %s (%v); the test saw it take %s", m[1], err, took)
			}
			if took < time.Second || took > 10*time.Second {
				t.Errorf("took %s: want a little over 1s", took)
			}
			// Not root, check's codes go on with firewall-unsure: the
			// rules could not be read.
			want := map[string]string{"check": addr + " refused (no-listener", "probe": addr + " refused"}[cmd]
			if runtime.GOOS == "windows" && stderr == "" {
				// Windows tries a refused connect again for 2 s, and under
				// Wine the binary takes about a second to start: the first
				// try may come when the listener is already there.
				t.Logf("%s accepted on its first try: %s", cmd, stdout)
			} else if !strings.HasPrefix(stderr, "whyrefused: waiting (") || !strings.Contains(stderr, want) {
				t.Errorf("stderr lacks the plain status line with %q:\n%s", want, stderr)
			}
			if strings.ContainsAny(stderr, "\r\x1b") {
				t.Errorf("stderr is not a terminal, but has a carriage return or an escape: %q", stderr)
			}
		})
	}
}

// TestWaitGivesUpAtTheDeadline: a listener that never starts gives, at
// the deadline and not before, the full explanation and status 1.
func TestWaitGivesUpAtTheDeadline(t *testing.T) {
	bin := binary(t)
	addr := closedLoopback(t)
	start := time.Now()
	stdout, stderr, status := runBinary(t, bin, "check", "--wait", "1500ms", addr)
	took := time.Since(start)
	if status != exitRefused {
		t.Fatalf("status %d, want 1:\n%s%s", status, stdout, stderr)
	}
	// Not before the deadline; after it, one poll more at most (a poll
	// takes seconds under Wine).
	if took < 1500*time.Millisecond || took > 30*time.Second {
		t.Errorf("took %s: want a little over 1.5s", took)
	}
	m := regexp.MustCompile(`Still not ready after (\S+) \(\d+ tries\)`).FindStringSubmatch(stdout)
	if m == nil {
		t.Fatalf("it does not say how long it waited:\n%s", stdout)
	}
	if said, err := time.ParseDuration(m[1]); err != nil || said < 1500*time.Millisecond || said > took {
		t.Errorf("it does not say it waited 1.5s or more, and no longer than the test saw (%s):\n%s", took, stdout)
	}
	for _, want := range []string{"REFUSED: nothing listens on tcp port", "[no-listener]", "-> start the server"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("the explanation lacks %q:\n%s", want, stdout)
		}
	}
	// At the deadline, probe shows what each address met, with its meaning.
	stdout, stderr, status = runBinary(t, bin, "probe", "--wait", "500ms", addr)
	if status != exitRefused || !strings.Contains(stdout, "Still not ready after") || !strings.Contains(stdout, "refused") {
		t.Errorf("probe: status %d, want 1 with the results:\n%s%s", status, stdout, stderr)
	}
}
