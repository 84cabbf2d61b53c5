// reach.go holds Reach: who can connect to a listening socket, by the
// address it is bound to and its IPV6_V6ONLY flag.

package match

import (
	"net/netip"

	"github.com/whyrefused/whyrefused/inspect"
)

// Reach says who can connect to a listener.
type Reach string

// The kinds of reach, as they appear in JSON.
const (
	// ReachLoopback: bound to a loopback address; this host only.
	ReachLoopback Reach = "loopback"
	// ReachIPv4: bound to 0.0.0.0; any IPv4 address of the host.
	ReachIPv4 Reach = "ipv4"
	// ReachIPv6: bound to [::] with IPV6_V6ONLY; any IPv6 address only.
	ReachIPv6 Reach = "ipv6"
	// ReachAny: bound to [::] without IPV6_V6ONLY (dual stack).
	ReachAny Reach = "any"
	// ReachAddress: bound to one specific non-loopback address.
	ReachAddress Reach = "address"
)

// unmap returns a as IPv4 when it is an IPv4-mapped IPv6 address.
func unmap(a netip.Addr) netip.Addr {
	if a.Is4In6() {
		return a.Unmap()
	}
	return a
}

// v6Only tells whether an IPv6 socket is IPv6-only. When the socket does not
// say, the OS default decides and guessed is true; with no default either,
// dual stack is assumed (what Linux and macOS do out of the box).
func v6Only(s inspect.Socket, defaultV6Only *bool) (v6only, guessed bool) {
	if s.IPv6Only != nil {
		return *s.IPv6Only, false
	}
	if defaultV6Only != nil {
		return *defaultV6Only, true
	}
	return false, true
}

// ReachOf classifies who can connect to the listening socket s. guessed is
// true when the answer depends on an IPv6-only flag that the backend could
// not read and the OS default was assumed.
func ReachOf(s inspect.Socket, defaultV6Only *bool) (r Reach, guessed bool) {
	a := unmap(s.Local.Addr())
	switch {
	case a.IsLoopback():
		return ReachLoopback, false
	case a == netip.IPv4Unspecified():
		return ReachIPv4, false
	case a == netip.IPv6Unspecified():
		v6only, guessed := v6Only(s, defaultV6Only)
		if v6only {
			return ReachIPv6, guessed
		}
		return ReachAny, guessed
	default:
		return ReachAddress, false
	}
}
