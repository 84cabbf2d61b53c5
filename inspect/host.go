package inspect

import (
	"fmt"
	"net"
	"net/netip"
)

// hostAddrs lists the addresses on this host's interfaces. A failure is a
// warning: the snapshot is still useful without them.
func hostAddrs(warnings []string) ([]netip.Addr, []string) {
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		return nil, append(warnings, fmt.Sprintf("cannot list this host's addresses: %v", err))
	}
	out := make([]netip.Addr, 0, len(addrs))
	for _, a := range addrs {
		if p, err := netip.ParsePrefix(a.String()); err == nil {
			out = append(out, p.Addr())
		}
	}
	return out, warnings
}

// Default returns the best Source for this OS.
func Default() Source { return defaultSource() }

// Available lists every Source that works on this OS, the default first.
// Tests run each of them against the same listeners.
func Available() []Source { return availableSources() }
