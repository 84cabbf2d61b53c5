// classify.go holds the outcomes of a connect (accepted, refused, timeout,
// unreachable) and how an OS error becomes one.

package probe

import (
	"context"
	"errors"
	"net"
	"syscall"

	"github.com/whyrefused/whyrefused/inspect"
)

// Outcome is how one connection attempt ended.
type Outcome string

// The outcomes, as they appear in JSON.
const (
	// Accepted: the connection was made (TCP), or a reply came back (UDP).
	Accepted Outcome = "accepted"
	// Refused: a reset came back (TCP), or an ICMP port-unreachable (UDP):
	// nothing listens there, or a firewall rejects.
	Refused Outcome = "refused"
	// Timeout: no answer within the time allowed: a firewall drops, or the
	// host is down. For UDP it also means "open, but the service did not
	// answer": UDP cannot tell those apart.
	Timeout Outcome = "timeout"
	// Unreachable: no route to the host or network.
	Unreachable Outcome = "unreachable"
	// Error: anything else, with the OS's words.
	Error Outcome = "error"
)

// Errno is an OS error number with its name as the OS's users know it.
type Errno struct {
	Number  uintptr
	Name    string
	Outcome Outcome
}

// errnoTable finds an OS error number; ok is false when the table does not
// know it.
type errnoTable func(n uintptr) (e Errno, ok bool)

// Classification is what an error means for a connection attempt.
type Classification struct {
	Outcome Outcome
	// Errno is the OS error, zero when the error carried none (such as
	// whyrefused's own timeout).
	Errno Errno
	// Words is the error's text, for Outcome Error; empty otherwise.
	Words string
}

// Classify says what err, returned by a connect (or, for UDP, by a send or
// receive), means on the OS this program runs on. A nil error is Accepted.
func Classify(proto inspect.Protocol, err error) Classification {
	return classify(proto, err, osErrno)
}

// classify is Classify with the OS's error table given, so that every
// table can be tested on every OS.
func classify(proto inspect.Protocol, err error, table errnoTable) Classification {
	if err == nil {
		return Classification{Outcome: Accepted}
	}
	var errno syscall.Errno
	if errors.As(err, &errno) {
		e, ok := table(uintptr(errno))
		if !ok {
			e = Errno{Number: uintptr(errno), Name: errnoName(errno), Outcome: Error}
		}
		// A UDP socket learns of an ICMP port-unreachable as a reset on
		// Windows (WSAECONNRESET) and as a refusal elsewhere.
		if proto == inspect.UDP && e.Name == "WSAECONNRESET" {
			e.Outcome = Refused
		}
		c := Classification{Outcome: e.Outcome, Errno: e}
		if c.Outcome == Error {
			c.Words = errno.Error()
		}
		return c
	}
	var ne net.Error
	if errors.Is(err, context.DeadlineExceeded) || errors.As(err, &ne) && ne.Timeout() {
		return Classification{Outcome: Timeout}
	}
	return Classification{Outcome: Error, Words: errorWords(err)}
}

// errorWords is the innermost words of err: the OS's message without the
// operation and addresses that net.OpError puts in front.
func errorWords(err error) string {
	var op *net.OpError
	if errors.As(err, &op) && op.Err != nil {
		err = op.Err
	}
	return err.Error()
}
