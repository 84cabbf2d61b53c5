// probe_e2e_test.go holds the end-to-end test of the built binary's probe.

package main

import (
	"strings"
	"testing"
)

// TestBinaryProbe runs the real binary against loopback: exit status 0 for
// an open port, 1 for a closed one, 2 with one line for bad input.
func TestBinaryProbe(t *testing.T) {
	bin := binary(t)
	open, closed := listenLoopback(t), closedLoopback(t)
	for _, c := range []struct {
		args   []string
		status int
		out    string // in stdout, or in stderr for status 2
	}{
		{[]string{"probe", open}, exitOK, "accepted"},
		{[]string{"probe", "--json", closed}, exitRefused, `ECONNREFUSED"`}, // WSAECONNREFUSED on Windows,
		{[]string{"probe", "-6", "127.0.0.1:80"}, exitUsage, "-6"},
	} {
		stdout, stderr, status := runBinary(t, bin, c.args...)
		got := stdout
		if c.status == exitUsage {
			got = stderr
			if strings.Count(got, "\n") != 1 {
				t.Errorf("%v: stderr is not one line: %q", c.args, got)
			}
		}
		if status != c.status || !strings.Contains(got, c.out) {
			t.Errorf("%v: status %d, want %d; output lacks %q:\n%s%s", c.args, status, c.status, c.out, stdout, stderr)
		}
	}
}
