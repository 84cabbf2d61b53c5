// natports.go holds the ports that a rule set's DNAT and REDIRECT rules
// send connections to on this host. A check reads their listeners too,
// beside the target's own and nearby ports, so that a connection the
// rules redirect (a transparent proxy's `redirect to :15001`, a DNAT to
// 127.0.0.1:9000) is judged by the sockets it reaches.

package inspect

import (
	"encoding/binary"
	"net/netip"
	"slices"
)

// maxNATPorts bounds the ports added for NAT rules: past it a check stays
// as cheap as without them, and a connection sent elsewhere is said to be
// unsure ("its listeners were not scanned"), never guessed.
const maxNATPorts = 256

// LocalNATPorts are the ports that the DNAT and REDIRECT rules of r send
// connections to at an address of this host (local says which are): a
// REDIRECT's port, a DNAT's to a local address, and those that their maps'
// elements give. Ascending, at most maxNATPorts.
func (r *Ruleset) LocalNATPorts(local func(netip.Addr) bool) []uint16 {
	if r == nil {
		return nil
	}
	var out []uint16
	add := func(p uint16) {
		if p != 0 && len(out) < maxNATPorts && !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	for _, tb := range r.Tables {
		for _, c := range tb.Chains {
			for _, rl := range c.Rules {
				n := rl.Verdict.NAT
				if n == nil || (rl.Verdict.Kind != VerdictDNAT && rl.Verdict.Kind != VerdictRedirect) {
					continue
				}
				// A REDIRECT, or a DNAT of the port alone, stays on an
				// address of this host.
				here := rl.Verdict.Kind == VerdictRedirect || len(n.Addr) == 0
				if !here {
					a, ok := netip.AddrFromSlice(n.Addr)
					here = ok && local(a.Unmap())
				}
				if n.Map == nil {
					if here {
						add(n.Port)
					}
					continue
				}
				for _, e := range n.Map.Elements {
					if n.PortIn < 0 || len(e.Data) < n.PortIn+2 {
						continue
					}
					to := here
					if n.AddrIn >= 0 && rl.Verdict.Kind == VerdictDNAT {
						to = false
						for _, size := range []int{4, 16} {
							if len(e.Data) >= n.AddrIn+size {
								if a, ok := netip.AddrFromSlice(e.Data[n.AddrIn : n.AddrIn+size]); ok && local(a.Unmap()) {
									to = true
									break
								}
							}
						}
					}
					if to {
						add(binary.BigEndian.Uint16(e.Data[n.PortIn:]))
					}
				}
			}
		}
	}
	slices.Sort(out)
	return out
}

// withNATPorts is f with the ports that rs's NAT rules send connections
// to at addrs (or loopback) among its Ports, when f asks for some ports
// only, and the ports it added.
func withNATPorts(f Filter, rs *Ruleset, addrs []netip.Addr) (Filter, []uint16) {
	if len(f.Ports) == 0 || rs == nil {
		return f, nil
	}
	var added []uint16
	for _, p := range rs.LocalNATPorts(func(a netip.Addr) bool { return a.IsLoopback() || slices.Contains(addrs, a) }) {
		if !slices.Contains(f.Ports, p) {
			added = append(added, p)
		}
	}
	if len(added) == 0 {
		return f, nil
	}
	f.Ports = slices.Concat(f.Ports, added)
	slices.Sort(f.Ports)
	return f, added
}
