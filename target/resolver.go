// resolver.go holds StaticResolver, a Resolver answering from a fixed
// table, and TimeoutResolver, which bounds another's lookups.

package target

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"time"
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

// TimeoutResolver bounds each lookup of R: a resolver that never answers
// (the OS's, reading a hosts file that is a FIFO) cannot hang the caller.
type TimeoutResolver struct {
	R       Resolver
	Timeout time.Duration
}

// LookupNetIP implements Resolver.
func (r TimeoutResolver) LookupNetIP(ctx context.Context, network, host string) ([]netip.Addr, error) {
	lctx, cancel := context.WithTimeout(ctx, r.Timeout)
	defer cancel()
	got, err := r.R.LookupNetIP(lctx, network, host)
	if err != nil && ctx.Err() == nil && errors.Is(lctx.Err(), context.DeadlineExceeded) {
		return nil, fmt.Errorf("no answer from the resolver within %v", r.Timeout)
	}
	return got, err
}
