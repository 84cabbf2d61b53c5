// resolve.go holds the resolution as clients do it: the hosts file first,
// then the resolver, each address with its Origin.

package probe

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"time"

	"github.com/whyrefused/whyrefused/target"
)

// Origin says where an address came from.
type Origin string

// The origins of an address, as they appear in JSON ("source").
const (
	// FromLiteral: the target named the address itself.
	FromLiteral Origin = "literal"
	// FromHosts: the hosts file gave it.
	FromHosts Origin = "hosts"
	// FromDNS: the resolver gave it, and the hosts file did not.
	FromDNS Origin = "dns"
)

// Address is one address that the target's host resolved to.
type Address struct {
	Addr   netip.Addr
	Origin Origin
	// HostsLine is the hosts file line of a FromHosts address.
	HostsLine int
	// Overridden is true for a resolver answer that clients do not use
	// because the hosts file answers for the name first.
	Overridden bool
}

// Resolution is how the target's host name became addresses, in the order
// a client tries them.
type Resolution struct {
	// Host is the name or literal resolved; "" stands for this host.
	Host string
	// Addresses in the order a client tries them: the hosts file's entries
	// (which clients use alone when there are any), then the resolver's.
	Addresses []Address
	// HostsPath is the hosts file that was read.
	HostsPath string
	// HostsErr is why the hosts file could not be read, or nil.
	HostsErr error
	// HostsEntries counts the hosts file's entries for the name in the
	// family asked for.
	HostsEntries int
	// Answers are the resolver's answers, as it gave them (without
	// repeats and in the family asked for).
	Answers []netip.Addr
	// ResolverErr is the resolver's failure, or nil. When the hosts file
	// answered, it does not matter to a client.
	ResolverErr error
}

// Family is an address family filter: 0 for both, 4 or 6.
type Family int

// network is the resolver's network name for the family.
func (f Family) network() string {
	switch f {
	case 4:
		return "ip4"
	case 6:
		return "ip6"
	}
	return "ip"
}

// admits reports whether a is of the family.
func (f Family) admits(a netip.Addr) bool {
	a = a.Unmap()
	return f == 0 || f == 4 && a.Is4() || f == 6 && a.Is6()
}

// FamilyError is a literal address of the other family than -4/-6 asks
// for: bad input.
type FamilyError struct {
	Addr   netip.Addr
	Family Family
}

func (e FamilyError) Error() string {
	return fmt.Sprintf("%s is not an IPv%d address, but -%d asks for IPv%d only", e.Addr, e.Family, e.Family, e.Family)
}

// CheckFamily reports a target whose host is an address literal of the
// other family than fam asks for (a FamilyError), so that bad input can be
// refused before any target is probed. Names and "" pass: what they
// resolve to is filtered, not refused.
func CheckFamily(t target.Target, fam Family) error {
	return checkFamily(t.Host, fam)
}

// checkFamily is CheckFamily for a host.
func checkFamily(host string, fam Family) error {
	if a, ok := literal(host); ok && !fam.admits(a) {
		return FamilyError{a, fam}
	}
	return nil
}

// literal parses host as an address literal, with or without brackets.
func literal(host string) (netip.Addr, bool) {
	a, err := netip.ParseAddr(strings.Trim(host, "[]"))
	return a, err == nil
}

// ResolverTimeout is a name lookup that got no answer within the probe's
// timeout. It is the name's failure to resolve, not bad input.
type ResolverTimeout struct {
	After time.Duration
}

func (e ResolverTimeout) Error() string {
	return fmt.Sprintf("no answer within %s", e.After)
}

// Unwrap lets errors.Is find context.DeadlineExceeded.
func (e ResolverTimeout) Unwrap() error { return context.DeadlineExceeded }

// ErrNoAddress is a name with no address in the family asked for.
var ErrNoAddress = errors.New("no address")

// Resolve turns host into the addresses a client would try, step by step:
// an address literal is itself; "" is this host (127.0.0.1 and ::1); a name
// is looked up in the hosts file, then asked of the resolver, which gets
// the probe's timeout to answer. An error is returned only for bad input
// (FamilyError); a name that does not resolve, or whose lookup timed out
// (ResolverTimeout), is a Resolution with ResolverErr set.
func Resolve(ctx context.Context, host string, fam Family, cfg *Config) (Resolution, error) {
	res := Resolution{Host: host}
	if host == "" {
		for _, a := range []netip.Addr{netip.MustParseAddr("127.0.0.1"), netip.IPv6Loopback()} {
			if fam.admits(a) {
				res.Addresses = append(res.Addresses, Address{Addr: a, Origin: FromLiteral})
			}
		}
		return res, nil
	}
	if a, ok := literal(host); ok {
		if err := checkFamily(host, fam); err != nil {
			return res, err
		}
		res.Addresses = []Address{{Addr: a, Origin: FromLiteral}}
		return res, nil
	}

	res.HostsPath = cfg.HostsPath
	var hosts []HostsEntry
	if text, err := cfg.ReadFile(cfg.HostsPath); err != nil {
		res.HostsErr = err
	} else {
		for _, e := range LookupHosts(string(text), host) {
			if fam.admits(e.Addr) {
				hosts = append(hosts, e)
			}
		}
	}
	res.HostsEntries = len(hosts)

	var answers []netip.Addr
	if cfg.Resolver != nil {
		got, err := lookup(ctx, cfg, fam.network(), host)
		res.ResolverErr = err
		seen := make(map[netip.Addr]bool, len(got))
		for _, a := range got {
			a = a.Unmap() // Go hands IPv4 answers over as ::ffff:a.b.c.d
			if fam.admits(a) && !seen[a] {
				seen[a] = true
				answers = append(answers, a)
			}
		}
	}
	res.Answers = answers
	if len(answers) == 0 && len(hosts) == 0 && res.ResolverErr == nil {
		res.ResolverErr = ErrNoAddress
	}

	// The hosts file's entries first, in the resolver's order where it
	// returned them (it sorts them as it hands them to clients), then in
	// file order. Sets, not searches: a name may have 100,000 addresses.
	line := make(map[netip.Addr]int, len(hosts))
	for _, e := range hosts {
		line[e.Addr] = e.Line
	}
	added := make(map[netip.Addr]bool, len(hosts)+len(answers))
	add := func(a Address) {
		if !added[a.Addr] {
			added[a.Addr] = true
			res.Addresses = append(res.Addresses, a)
		}
	}
	for _, a := range answers {
		if n := line[a]; n > 0 {
			add(Address{Addr: a, Origin: FromHosts, HostsLine: n})
		}
	}
	for _, e := range hosts {
		add(Address{Addr: e.Addr, Origin: FromHosts, HostsLine: e.Line})
	}
	for _, a := range answers {
		add(Address{Addr: a, Origin: FromDNS, Overridden: len(hosts) > 0})
	}
	return res, nil
}

// lookup asks the resolver for host's addresses, bounded by the probe's
// timeout so that a resolver that never answers cannot hang the probe.
func lookup(ctx context.Context, cfg *Config, network, host string) ([]netip.Addr, error) {
	lctx, cancel := context.WithTimeout(ctx, cfg.timeout())
	defer cancel()
	got, err := cfg.Resolver.LookupNetIP(lctx, network, host)
	if err != nil && ctx.Err() == nil && errors.Is(lctx.Err(), context.DeadlineExceeded) {
		err = ResolverTimeout{cfg.timeout()}
	}
	return got, err
}

// FromHostsFile reports whether the hosts file answered for the name: then
// clients use its entries and do not ask DNS, and a stale entry sends them
// to an old address.
func (r *Resolution) FromHostsFile() bool { return r.HostsEntries > 0 }

// Overridden lists the resolver's answers that the hosts file hides from
// clients.
func (r *Resolution) Overridden() []netip.Addr {
	var out []netip.Addr
	for _, a := range r.Addresses {
		if a.Overridden {
			out = append(out, a.Addr)
		}
	}
	return out
}
