// icmp_windows.go holds reportICMPErrors on Windows: it turns back on the
// ICMP port-unreachable reports that Go turns off on UDP sockets.

package probe

import (
	"net"
	"unsafe"

	"golang.org/x/sys/windows"
)

// reportICMPErrors turns back on what Go turns off on Windows UDP sockets:
// reporting an ICMP port-unreachable as WSAECONNRESET on the next receive.
// Without it a closed UDP port cannot be told from a silent one.
func reportICMPErrors(c net.Conn) error {
	uc, ok := c.(*net.UDPConn)
	if !ok {
		return nil
	}
	rc, err := uc.SyscallConn()
	if err != nil {
		return err
	}
	var ioctlErr error
	err = rc.Control(func(fd uintptr) {
		flag, ret := uint32(1), uint32(0)
		ioctlErr = windows.WSAIoctl(windows.Handle(fd), windows.SIO_UDP_CONNRESET,
			(*byte)(unsafe.Pointer(&flag)), uint32(unsafe.Sizeof(flag)), nil, 0, &ret, nil, 0)
	})
	if err != nil {
		return err
	}
	return ioctlErr
}
