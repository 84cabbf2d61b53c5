// winsock.go holds Winsock's error table, compiled and tested on every OS.

package probe

// winsockErrors are the Windows socket errors a connect or a UDP receive
// can return, with the names Windows users know them by. The table is
// compiled on every OS so that it is tested on every OS; on Windows it is
// the error table.
var winsockErrors = []Errno{
	{10013, "WSAEACCES", Error},
	{10048, "WSAEADDRINUSE", Error},
	{10049, "WSAEADDRNOTAVAIL", Error},
	{10050, "WSAENETDOWN", Unreachable},
	{10051, "WSAENETUNREACH", Unreachable},
	{10052, "WSAENETRESET", Error},
	{10053, "WSAECONNABORTED", Error},
	{10054, "WSAECONNRESET", Error}, // Refused for UDP: see classify
	{10055, "WSAENOBUFS", Error},
	{10060, "WSAETIMEDOUT", Timeout},
	{10061, "WSAECONNREFUSED", Refused},
	{10064, "WSAEHOSTDOWN", Unreachable},
	{10065, "WSAEHOSTUNREACH", Unreachable},
	// Win32 errors that some Windows calls return for the same events.
	{1225, "ERROR_CONNECTION_REFUSED", Refused},
	{1231, "ERROR_NETWORK_UNREACHABLE", Unreachable},
	{1232, "ERROR_HOST_UNREACHABLE", Unreachable},
	{1234, "ERROR_PORT_UNREACHABLE", Refused},
}

// winsockErrno looks up a Windows error number.
func winsockErrno(n uintptr) (Errno, bool) {
	for _, e := range winsockErrors {
		if e.Number == n {
			return e, true
		}
	}
	return Errno{}, false
}
