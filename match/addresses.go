// addresses.go holds which addresses a target stands for: a literal, what
// a name resolves to, or this host's own; and whether an address is this
// host's.

package match

import (
	"context"
	"fmt"
	"net/netip"
	"slices"

	"github.com/whyrefused/whyrefused/target"
)

// addresses lists the target's addresses: this host's for Host "" (and,
// of its family, for an unspecified address such as 0.0.0.0), the literal,
// or what the resolver returns; IPv4-mapped ones as IPv4.
func (e *explainer) addresses(ctx context.Context, r target.Resolver) ([]netip.Addr, error) {
	var addrs []netip.Addr
	lit, litErr := netip.ParseAddr(e.t.Host)
	switch {
	case e.t.Host == "":
		addrs = e.hostAddrs(func(netip.Addr) bool { return true })
	case litErr == nil && unmap(lit).IsUnspecified():
		// A server's "listening on 0.0.0.0:8080", pasted as a target.
		v4 := unmap(lit).Is4()
		addrs = e.hostAddrs(func(a netip.Addr) bool { return !v4 || unmap(a).Is4() })
		family := "IPv4 address"
		if !v4 {
			family = "address"
		}
		e.rep.Warnings = append(e.rep.Warnings, fmt.Sprintf("%s is where a server listens, not an address a client connects to: every %s of this host was checked", e.t.Host, family))
	case litErr == nil:
		addrs = []netip.Addr{lit}
	default:
		if r == nil {
			return nil, fmt.Errorf("no resolver to look up %s", e.t.Host)
		}
		got, err := r.LookupNetIP(ctx, "ip", e.t.Host)
		if err != nil {
			return nil, err
		}
		if len(got) == 0 {
			return nil, fmt.Errorf("%s has no address", e.t.Host)
		}
		addrs = got
	}
	var out []netip.Addr
	seen := make(map[netip.Addr]bool, len(addrs)) // a name may have 100,000
	for _, a := range addrs {
		if a = unmap(a); !seen[a] {
			seen[a] = true
			out = append(out, a)
		}
	}
	return out, nil
}

// hostAddrs lists this host's addresses that keep passes, link-local ones
// aside; with none known, 127.0.0.1 and ::1, with a warning.
func (e *explainer) hostAddrs(keep func(netip.Addr) bool) []netip.Addr {
	var addrs []netip.Addr
	for _, a := range e.snap.HostAddrs {
		if !a.IsLinkLocalUnicast() && keep(a) {
			addrs = append(addrs, a)
		}
	}
	if len(addrs) == 0 {
		for _, a := range []netip.Addr{netip.MustParseAddr("127.0.0.1"), netip.IPv6Loopback()} {
			if keep(a) {
				addrs = append(addrs, a)
			}
		}
		e.rep.Warnings = append(e.rep.Warnings, "this host's addresses are unknown: only loopback was checked")
	}
	return addrs
}

// local reports whether a is an address of this host. With no list of the
// host's addresses, every address is taken as local.
func (e *explainer) local(a netip.Addr) bool {
	if a.IsLoopback() || len(e.snap.HostAddrs) == 0 {
		return true
	}
	a = a.WithZone("")
	return slices.ContainsFunc(e.snap.HostAddrs, func(h netip.Addr) bool { return unmap(h).WithZone("") == a })
}
