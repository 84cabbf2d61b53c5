// errno_windows.go holds the Windows errno table: Winsock's (winsock.go).

package probe

import "syscall"

// osErrno names a Windows socket error (WSAECONNREFUSED) and says what it
// means.
func osErrno(n uintptr) (Errno, bool) { return winsockErrno(n) }

// errnoName is "" for the Windows errors the table does not know: their
// number and the OS's words say it all.
func errnoName(syscall.Errno) string { return "" }
