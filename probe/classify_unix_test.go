//go:build unix

// classify_unix_test.go holds the tests of the classification of Unix errnos.

package probe

import (
	"fmt"
	"syscall"
	"testing"

	"github.com/whyrefused/whyrefused/inspect"
)

// TestUnixErrors: the errno names of the OS this runs on.
func TestUnixErrors(t *testing.T) {
	cases := []struct {
		errno syscall.Errno
		name  string
		want  Outcome
	}{
		{syscall.ECONNREFUSED, "ECONNREFUSED", Refused},
		{syscall.ETIMEDOUT, "ETIMEDOUT", Timeout},
		{syscall.EHOSTUNREACH, "EHOSTUNREACH", Unreachable},
		{syscall.ENETUNREACH, "ENETUNREACH", Unreachable},
		{syscall.EPERM, "EPERM", Error},
		{syscall.EADDRNOTAVAIL, "EADDRNOTAVAIL", Error},
	}
	for _, c := range cases {
		got := Classify(inspect.TCP, opError("connect", uintptr(c.errno)))
		if got.Outcome != c.want || got.Errno.Name != c.name {
			t.Errorf("%v: got %s %s, want %s %s", c.errno, got.Outcome, got.Errno.Name, c.want, c.name)
		}
		if code := got.ErrorCode(); code != fmt.Sprintf("%s %d", c.name, int(c.errno)) {
			t.Errorf("ErrorCode() = %q", code)
		}
		if got.Outcome == Error && got.Words != c.errno.Error() {
			t.Errorf("%v: words %q, want the OS's %q", c.errno, got.Words, c.errno.Error())
		}
	}
}
