// errno_unix.go holds the Unix errno table: which errors are refusals,
// timeouts and unreachable networks.

//go:build unix

package probe

import (
	"syscall"

	"golang.org/x/sys/unix"
)

// unixOutcomes are the errors of a connect that are not plain failures.
var unixOutcomes = map[syscall.Errno]Outcome{
	syscall.ECONNREFUSED: Refused,
	syscall.ETIMEDOUT:    Timeout,
	syscall.EHOSTUNREACH: Unreachable,
	syscall.ENETUNREACH:  Unreachable,
	syscall.EHOSTDOWN:    Unreachable,
	syscall.ENETDOWN:     Unreachable,
}

// osErrno names a Unix errno (ECONNREFUSED) and says what it means.
func osErrno(n uintptr) (Errno, bool) {
	e := syscall.Errno(n)
	name := errnoName(e)
	if name == "" {
		return Errno{}, false
	}
	out, ok := unixOutcomes[e]
	if !ok {
		out = Error
	}
	return Errno{Number: n, Name: name, Outcome: out}, true
}

// errnoName is the errno's C name, such as ECONNREFUSED, or "".
func errnoName(e syscall.Errno) string { return unix.ErrnoName(e) }
