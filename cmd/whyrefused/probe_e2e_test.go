package main

import (
	"errors"
	"net"
	"os/exec"
	"strings"
	"testing"
)

// TestBinaryProbe runs the real binary against loopback: exit status 0 for
// an open port, 1 for a closed one, 2 with one line for bad input.
func TestBinaryProbe(t *testing.T) {
	bin := binary(t)
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	closedLn, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := closedLn.Addr().String()
	closedLn.Close()
	for _, c := range []struct {
		args   []string
		status int
		out    string // in stdout, or in stderr for status 2
	}{
		{[]string{"probe", ln.Addr().String()}, exitOK, "accepted"},
		{[]string{"probe", "--json", closed}, exitRefused, `ECONNREFUSED"`}, // WSAECONNREFUSED on Windows,
		{[]string{"probe", "-6", "127.0.0.1:80"}, exitUsage, "-6"},
	} {
		cmd := exec.Command(bin, c.args...)
		var stdout, stderr strings.Builder
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		status := 0
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			status = exit.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		got := stdout.String()
		if c.status == exitUsage {
			got = stderr.String()
			if strings.Count(got, "\n") != 1 {
				t.Errorf("%v: stderr is not one line: %q", c.args, got)
			}
		}
		if status != c.status || !strings.Contains(got, c.out) {
			t.Errorf("%v: status %d, want %d; output lacks %q:\n%s%s", c.args, status, c.status, c.out, stdout.String(), stderr.String())
		}
	}
}
