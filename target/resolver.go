// resolver.go holds StaticResolver, a Resolver answering from a fixed table.

package target

import (
	"context"
	"net"
	"net/netip"
)

// StaticResolver is a Resolver that answers from a fixed table, like a
// hosts file: for tests, and for callers that already know the addresses.
// A name it does not hold is "no such host".
type StaticResolver map[string][]netip.Addr

// LookupNetIP implements Resolver.
func (r StaticResolver) LookupNetIP(_ context.Context, _, host string) ([]netip.Addr, error) {
	if a, ok := r[host]; ok {
		return a, nil
	}
	return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
}
