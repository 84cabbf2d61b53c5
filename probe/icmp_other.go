// icmp_other.go holds reportICMPErrors off Windows, where a UDP socket
// reports ICMP errors already.

//go:build !windows

package probe

import "net"

// reportICMPErrors does nothing: outside Windows a connected UDP socket
// reports an ICMP port-unreachable as ECONNREFUSED already.
func reportICMPErrors(net.Conn) error { return nil }
