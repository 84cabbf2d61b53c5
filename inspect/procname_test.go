// procname_test.go holds the tests of the naming rule, on every OS.

package inspect

import "testing"

func TestNameOf(t *testing.T) {
	for _, c := range []struct{ comm, exe, want string }{
		{"sshd", "/usr/sbin/sshd", "sshd"},
		{"short", "", "short"},
		{"mylongservicena", "/opt/svc/mylongservicename", "mylongservicename"},
		{"mylongservicena", "/opt/svc/mylongservicename (deleted)", "mylongservicename"},
		{"mylongservicena", "", "mylongservicena"},                 // no exe to read
		{"mylongservicena", "/usr/bin/python3", "mylongservicena"}, // a script: comm is the kernel's
		{"exactly15bytes!", "/bin/exactly15bytes!", "exactly15bytes!"},
	} {
		if got := nameOf(c.comm, c.exe, commLen); got != c.want {
			t.Errorf("nameOf(%q, %q) = %q, want %q", c.comm, c.exe, got, c.want)
		}
	}
}
