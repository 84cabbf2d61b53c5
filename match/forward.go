// forward.go holds the part of a connection's path that leaves this host
// or namespace: routing by the connected networks of its interfaces, the
// forward and postrouting hooks a forwarded connection passes, the
// server's answer back through the forward hook, and the source address
// that a SNAT or masquerade gives it on the way out.

package match

import (
	"encoding/binary"
	"net/netip"

	"github.com/whyrefused/whyrefused/inspect"
)

// forwardSteps are the hooks a remote client's packet passes once
// routing sends it off this host: forward, then postrouting with its nat
// chains (a masquerade).
var forwardSteps = []hookStep{{inspect.HookForward, false, false}, {inspect.HookPostrouting, true, false}}

// route is the interface that routing sends a packet to a out by: the one
// whose connected network holds a, the longest prefix first; nil when
// none does (a route by a gateway, which is not read).
func (ev *evaluator) route(a netip.Addr) *inspect.Interface {
	var best *inspect.Interface
	bits := -1
	for i := range ev.h.Interfaces {
		ifc := &ev.h.Interfaces[i]
		if ifc.Name == "lo" {
			continue
		}
		for _, p := range ifc.Prefixes {
			if p = netip.PrefixFrom(unmap(p.Addr()), p.Bits()); p.Contains(a) && p.Bits() > bits {
				best, bits = ifc, p.Bits()
			}
		}
	}
	return best
}

// routeOut is the output interface towards a, and whether it is known.
func (ev *evaluator) routeOut(a netip.Addr) (*inspect.Interface, bool) {
	if i := ev.route(a); i != nil {
		return i, true
	}
	return &inspect.Interface{}, false
}

// routeSource is the address the kernel gives a connection this host
// makes to a non-local a: its own address in the connected network that
// holds a; invalid when none does.
func (ev *evaluator) routeSource(a netip.Addr) netip.Addr {
	i := ev.route(a)
	if i == nil {
		return netip.Addr{}
	}
	for _, p := range i.Prefixes {
		if p = netip.PrefixFrom(unmap(p.Addr()), p.Bits()); p.Contains(a) {
			return p.Addr()
		}
	}
	return netip.Addr{}
}

// forwardInterfaces sets a forwarded packet's interfaces: in where the
// client came in (the interface that holds the address it asked for),
// out where routing sends it; the server's answer the other way round.
// Postrouting has no input interface.
func (ev *evaluator) forwardInterfaces(pk *packet) {
	in, inKnown := pk.arrival, pk.arrival != nil && pk.arrival.Name != "lo"
	if in == nil {
		in = &inspect.Interface{}
	}
	server := pk.daddr
	if pk.reply {
		server = pk.saddr
	}
	out, outKnown := ev.routeOut(server)
	if pk.reply {
		in, inKnown, out, outKnown = out, outKnown, in, inKnown
	}
	pk.in, pk.inKnown, pk.out, pk.outKnown = in, inKnown, out, outKnown
	if pk.hook == inspect.HookPostrouting {
		pk.in, pk.inKnown = nil, false
	}
}

// leave ends the path of a packet that leaves this host. A remote
// client's connection is let through only if the server's answer comes
// back through the forward hook too: a forward chain that drops by
// policy and accepts the port but not established connections lets the
// SYN pass and drops the SYN-ACK.
func (ev *evaluator) leave(pk packet) []Outcome {
	if pk.local || pk.reply {
		return []Outcome{pk.outcome(FateForward, "", nil)}
	}
	rp := pk
	rp.reply, rp.forwarded = true, true
	rp.saddr, rp.daddr = pk.daddr, pk.client
	rp.sport, rp.dport = pk.dport, 0
	rp.hook, rp.output = inspect.HookForward, false
	rp.client = pk.saddr // kept for the outcome: the source the server sees
	chains := ev.baseChains(rp.family, inspect.HookForward, false)
	return ev.baseFrom(rp, chains, 0, []hookStep{{inspect.HookForward, false, false}})
}

// replyOutcome is how the server's answer ends: let back through (the
// connection goes on as forwarded), or dropped or rejected, after which
// the client hears nothing and times out.
func (pk packet) replyOutcome(f Fate, by *RuleRef) Outcome {
	o := Outcome{Fate: f, By: by, Dest: netip.AddrPortFrom(pk.saddr, pk.sport), From: pk.client,
		NAT: pk.nat, Maybe: pk.maybe, Via: pk.via, Share: pk.share, DrawnBy: pk.drawnBy, drawKey: pk.drawKey}
	switch f {
	case FateAccept:
		o.Fate = FateForward
	case FateReject, FateDrop:
		o.Fate, o.Reply = FateDrop, true
	}
	return o
}

// snatSource is the source a SNAT or masquerade gives a packet leaving
// by pk.out: for a masquerade the address of the out interface in the
// network of the destination; for a SNAT its address when the rule's
// reading kept it; invalid when not known.
func (ev *evaluator) snatSource(pk packet, v inspect.Verdict) netip.Addr {
	if v.Kind == inspect.VerdictSNAT {
		if v.NAT != nil {
			if a, ok := netip.AddrFromSlice(v.NAT.Addr); ok {
				return unmap(a)
			}
		}
		return netip.Addr{}
	}
	if !pk.outKnown || pk.out == nil {
		return netip.Addr{}
	}
	return ev.routeSource(pk.daddr)
}

// ephemeralBounds are the compares that every port above 1023 fails
// (no) or passes (yes) when the constant is at most max.
var ephemeralBounds = map[inspect.Op]struct {
	max uint16
	t   tri
}{
	inspect.OpEq: {1023, no}, inspect.OpLte: {1023, no}, inspect.OpLt: {1024, no},
	inspect.OpNeq: {1023, yes}, inspect.OpGt: {1023, yes}, inspect.OpGte: {1024, yes},
}

// ephemeralMatch judges a match on a client's own port, which its OS
// picked above 1023: a compare with a privileged port, or a range or set
// of them, surely fails (or, negated, holds); anything else may.
func ephemeralMatch(m inspect.Match) tri {
	low := func(b []byte) bool { return len(b) == 2 && binary.BigEndian.Uint16(b) < 1024 }
	if len(m.Mask) > 0 || len(m.Fields) != 1 {
		return maybe
	}
	if b, ok := ephemeralBounds[m.Op]; ok {
		if len(m.Value) == 2 && binary.BigEndian.Uint16(m.Value) <= b.max {
			return b.t
		}
		return maybe
	}
	switch m.Op {
	case inspect.OpRange, inspect.OpNotRange:
		if low(m.To) {
			return boolTri(m.Op == inspect.OpNotRange)
		}
	case inspect.OpInSet, inspect.OpNotInSet:
		if m.Set == nil {
			return maybe
		}
		for _, e := range m.Set.Elements {
			end := e.KeyEnd
			if end == nil {
				end = e.Key
			}
			if !low(end) {
				return maybe
			}
		}
		return boolTri(m.Op == inspect.OpNotInSet)
	}
	return maybe
}
