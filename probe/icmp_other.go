//go:build !windows

package probe

import "net"

// reportICMPErrors does nothing: outside Windows a connected UDP socket
// reports an ICMP port-unreachable as ECONNREFUSED already.
func reportICMPErrors(net.Conn) error { return nil }
