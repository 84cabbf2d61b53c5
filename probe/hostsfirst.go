// hostsfirst.go holds HostsFirst, a Resolver that reads the hosts file as
// whyrefused does (bounded, broken lines skipped) before asking another.

package probe

import (
	"context"
	"net/netip"

	"github.com/whyrefused/whyrefused/target"
)

// HostsFirst answers a name from the hosts file, as the C library's
// "files" source does before DNS, and asks Next for a name the file does
// not hold or when it cannot be read. Its reading is whyrefused's own: a
// FIFO or /dev/zero is not read, and a line over any buffer is skipped with
// the entries after it still found (Go's resolver stops at a NUL run).
type HostsFirst struct {
	Path     string
	ReadFile func(string) ([]byte, error)
	Next     target.Resolver
}

// LookupNetIP implements target.Resolver.
func (h HostsFirst) LookupNetIP(ctx context.Context, network, host string) ([]netip.Addr, error) {
	if text, err := h.ReadFile(h.Path); err == nil {
		var out []netip.Addr
		for _, e := range LookupHosts(string(text), host) {
			if network == "ip" || network == "ip4" && e.Addr.Is4() || network == "ip6" && e.Addr.Is6() {
				out = append(out, e.Addr)
			}
		}
		if len(out) > 0 {
			return out, nil
		}
	}
	return h.Next.LookupNetIP(ctx, network, host)
}
