// errno_other.go holds the errno table of the OSes that are neither Unix
// nor Windows: none.

//go:build !unix && !windows

package probe

import "syscall"

// osErrno knows no error numbers on this OS: the OS's words are shown.
func osErrno(uintptr) (Errno, bool) { return Errno{}, false }

// errnoName is always "" on this OS.
func errnoName(syscall.Errno) string { return "" }
