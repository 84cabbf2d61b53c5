//go:build linux || darwin

// v6only_unix_test.go holds the Unix helper that makes an IPv6 socket with
// IPV6_V6ONLY set as asked.

package inspect

import "golang.org/x/sys/unix"

// newSocketV6Only opens an IPv6 TCP socket, unbound, and reads its
// IPV6_V6ONLY flag: the OS default.
func newSocketV6Only() (bool, error) {
	fd, err := unix.Socket(unix.AF_INET6, unix.SOCK_STREAM, 0)
	if err != nil {
		return false, err
	}
	defer unix.Close(fd)
	v, err := unix.GetsockoptInt(fd, unix.IPPROTO_IPV6, unix.IPV6_V6ONLY)
	return v != 0, err
}
