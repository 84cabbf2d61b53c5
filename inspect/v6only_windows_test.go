// v6only_windows_test.go holds the Windows helper that makes an IPv6 socket
// with IPV6_V6ONLY set as asked.

package inspect

import "golang.org/x/sys/windows"

// newSocketV6Only opens an IPv6 TCP socket, unbound, and reads its
// IPV6_V6ONLY flag: the OS default.
func newSocketV6Only() (bool, error) {
	var data windows.WSAData
	if err := windows.WSAStartup(uint32(0x202), &data); err != nil {
		return false, err
	}
	defer windows.WSACleanup()
	fd, err := windows.Socket(windows.AF_INET6, windows.SOCK_STREAM, windows.IPPROTO_TCP)
	if err != nil {
		return false, err
	}
	defer windows.Closesocket(fd)
	v, err := windows.GetsockoptInt(fd, windows.IPPROTO_IPV6, windows.IPV6_V6ONLY)
	return v != 0, err
}
