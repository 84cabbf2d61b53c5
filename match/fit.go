// fit.go holds how a listening socket relates to one target address: the
// fit that decides whether it accepts it.

package match

import (
	"net/netip"

	"github.com/whyrefused/whyrefused/inspect"
)

// fit is how a listening socket relates to one target address.
type fit int

const (
	fitExact     fit = iota // bound to the address itself
	fitWildcard             // bound to the unspecified address of its family
	fitDualStack            // [::] not IPv6-only, and the address is IPv4
	fitV6Only               // [::] IPv6-only, and the address is IPv4
	fitFamily               // a specific address of the other family
	fitLoopback             // loopback, and the address is not
	fitOther                // another specific address of the same family
)

func (f fit) accepts() bool { return f <= fitDualStack }

// fitOf says how the listening socket s relates to address a. guessed is
// true when the answer rests on the OS default for IPV6_V6ONLY.
func fitOf(s inspect.Socket, a netip.Addr, defaultV6Only *bool) (f fit, guessed bool) {
	l := unmap(s.Local.Addr()).WithZone("")
	a = unmap(a).WithZone("")
	switch {
	case l == a:
		return fitExact, false
	case l.IsUnspecified() && l.Is4() == a.Is4():
		return fitWildcard, false
	case l == netip.IPv6Unspecified():
		v6only, guessed := v6Only(s, defaultV6Only)
		if v6only {
			return fitV6Only, guessed
		}
		return fitDualStack, guessed
	case l.IsLoopback() && !a.IsLoopback():
		return fitLoopback, false
	case l.Is4() != a.Is4():
		return fitFamily, false
	default:
		return fitOther, false
	}
}
