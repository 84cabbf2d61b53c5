// host.go holds what is known of the host itself: its interface addresses
// and its socket backends.

package inspect

import (
	"fmt"
	"net"
	"net/netip"
)

// HostAddrs lists the addresses on this host's interfaces.
func HostAddrs() ([]netip.Addr, error) {
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		return nil, err
	}
	out := make([]netip.Addr, 0, len(addrs))
	for _, a := range addrs {
		if p, err := netip.ParsePrefix(a.String()); err == nil {
			out = append(out, p.Addr())
		}
	}
	return out, nil
}

// hostAddrs is HostAddrs for a snapshot: a failure is a warning, as the
// snapshot is still useful without them.
func hostAddrs(warnings []string) ([]netip.Addr, []string) {
	addrs, err := HostAddrs()
	if err != nil {
		return nil, append(warnings, fmt.Sprintf("cannot list this host's addresses: %v", err))
	}
	return addrs, warnings
}

// Default returns the best Source for this OS.
func Default() Source { return defaultSource() }

// Available lists every Source that works on this OS, the default first.
// Tests run each of them against the same listeners.
func Available() []Source { return availableSources() }

// Interface is one network interface of the host, as the packet filter
// sees it: its index (meta iif), its name (meta iifname) and addresses.
type Interface struct {
	Index int
	Name  string
	Addrs []netip.Addr
	// Prefixes are its addresses with their prefix lengths: the connected
	// networks that routing sends out by this interface (a bridge's or a
	// veth's towards a container). Nil where the backend does not read
	// them.
	Prefixes []netip.Prefix
	// Forwarding is its IPv4 forwarding switch (net.ipv4.conf.NAME.forwarding,
	// which net.ipv4.ip_forward sets on every interface): whether the
	// kernel forwards what comes in on it. Nil when unknown (other OSes).
	Forwarding *bool
}

// HostInterfaces lists this host's interfaces with their addresses.
func HostInterfaces() ([]Interface, error) {
	ifs, err := net.Interfaces()
	if err != nil {
		return nil, err
	}
	out := make([]Interface, 0, len(ifs))
	for _, i := range ifs {
		x := Interface{Index: i.Index, Name: i.Name, Forwarding: forwarding4(i.Name)}
		addrs, err := i.Addrs()
		if err == nil {
			for _, a := range addrs {
				if p, err := netip.ParsePrefix(a.String()); err == nil {
					x.Addrs = append(x.Addrs, p.Addr())
					x.Prefixes = append(x.Prefixes, p)
				}
			}
		}
		out = append(out, x)
	}
	return out, nil
}
