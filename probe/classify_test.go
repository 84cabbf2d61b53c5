// classify_test.go holds the tests of the classification of connect errors,
// Winsock's table included.

package probe

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"syscall"
	"testing"

	"github.com/whyrefused/whyrefused/inspect"
)

// opError wraps an errno the way the net package returns it.
func opError(op string, n uintptr) error {
	return &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError(op, syscall.Errno(n))}
}

// TestWinsockErrors checks the Windows names and numbers on every OS: the
// ones users search for, and what each means.
func TestWinsockErrors(t *testing.T) {
	cases := []struct {
		proto inspect.Protocol
		n     uintptr
		name  string
		want  Outcome
	}{
		{inspect.TCP, 10061, "WSAECONNREFUSED", Refused},
		{inspect.TCP, 10060, "WSAETIMEDOUT", Timeout},
		{inspect.TCP, 10065, "WSAEHOSTUNREACH", Unreachable},
		{inspect.TCP, 10051, "WSAENETUNREACH", Unreachable},
		{inspect.TCP, 10050, "WSAENETDOWN", Unreachable},
		{inspect.TCP, 10064, "WSAEHOSTDOWN", Unreachable},
		{inspect.TCP, 10049, "WSAEADDRNOTAVAIL", Error},
		{inspect.TCP, 10013, "WSAEACCES", Error},
		{inspect.TCP, 10054, "WSAECONNRESET", Error},
		// An ICMP port-unreachable reaches a UDP socket as a reset.
		{inspect.UDP, 10054, "WSAECONNRESET", Refused},
		{inspect.TCP, 1225, "ERROR_CONNECTION_REFUSED", Refused},
		{inspect.UDP, 1234, "ERROR_PORT_UNREACHABLE", Refused},
	}
	for _, c := range cases {
		got := classify(c.proto, opError("connectex", c.n), winsockErrno)
		if got.Outcome != c.want || got.Errno.Name != c.name || got.Errno.Number != c.n {
			t.Errorf("%s %d: got %s %s %d, want %s %s %d", c.proto, c.n,
				got.Outcome, got.Errno.Name, got.Errno.Number, c.want, c.name, c.n)
		}
		if code := got.ErrorCode(); code != fmt.Sprintf("%s %d", c.name, c.n) {
			t.Errorf("ErrorCode() = %q", code)
		}
	}
	// An unknown number is an error, shown by number with the OS's words.
	got := classify(inspect.TCP, opError("connectex", 10040), winsockErrno)
	if got.Outcome != Error || got.Errno.Number != 10040 || got.Words == "" {
		t.Errorf("unknown Winsock error: %+v", got)
	}
	// The table has each number and name once.
	seen := map[string]bool{}
	for _, e := range winsockErrors {
		k1, k2 := fmt.Sprint(e.Number), e.Name
		if seen[k1] || seen[k2] {
			t.Errorf("duplicate entry %d %s", e.Number, e.Name)
		}
		seen[k1], seen[k2] = true, true
	}
}

// TestClassifyWithoutErrno: errors that carry no OS error number.
func TestClassifyWithoutErrno(t *testing.T) {
	none := func(uintptr) (Errno, bool) { return Errno{}, false }
	cases := []struct {
		err  error
		want Outcome
	}{
		{nil, Accepted},
		{context.DeadlineExceeded, Timeout},
		{&net.OpError{Op: "dial", Net: "tcp", Err: os.ErrDeadlineExceeded}, Timeout},
		{&net.OpError{Op: "read", Net: "udp", Err: os.ErrDeadlineExceeded}, Timeout},
		{errors.New("something odd"), Error},
	}
	for _, c := range cases {
		got := classify(inspect.TCP, c.err, none)
		if got.Outcome != c.want {
			t.Errorf("classify(%v) = %s, want %s", c.err, got.Outcome, c.want)
		}
		if got.Outcome == Error && got.Words != "something odd" {
			t.Errorf("classify(%v) words %q", c.err, got.Words)
		}
	}
}
