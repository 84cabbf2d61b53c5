// path.go holds the path of a new connection through this host's packet
// filter: which hooks it passes for a client on another host and for one
// on this host, the routing between them, and what the client sees at
// the end (FollowPath, Path, Outcome).

package match

import (
	"cmp"
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"unicode"

	"github.com/whyrefused/whyrefused/inspect"
)

// Client is who connects, as far as the rules can tell clients apart.
type Client struct {
	// Local is true for a client on this host: its packets leave by the
	// output hook towards lo and come back in on lo.
	Local bool
	// From is the client's address (check --from); invalid when unknown.
	// A client on this host connects from the target address itself.
	From netip.Addr
}

// String names the client in a sentence.
func (c Client) String() string {
	switch {
	case c.Local:
		return "a client on this host"
	case c.From.IsValid():
		return "a client at " + c.From.String()
	}
	return "a client on another host"
}

// FirewallHost is what the path evaluation knows of the host: its rules,
// its interfaces, its addresses.
type FirewallHost struct {
	Rules      *inspect.Ruleset
	Interfaces []inspect.Interface
	Addrs      []netip.Addr
}

// Fate is what becomes of a connection's first packet.
type Fate string

// The fates.
const (
	// FateAccept: the packet reaches this host's sockets, at Dest.
	FateAccept Fate = "accept"
	// FateReject: a rule answers with Reject.
	FateReject Fate = "reject"
	// FateDrop: a rule or a chain's policy drops it; the client times out.
	FateDrop Fate = "drop"
	// FateForward: after a DNAT, Dest is not this host's: the packet is
	// forwarded (to a container, a pod), beyond this evaluation.
	FateForward Fate = "forward"
	// FateUnknown: a rule whose action could not be read (an x_tables
	// target, a queue) took it.
	FateUnknown Fate = "unknown"
)

// RuleRef names a rule, or a base chain's policy (Rule nil).
type RuleRef struct {
	Family inspect.Family
	Table  string
	Chain  string
	Hook   inspect.Hook
	// Backend is the table's: "nftables", "iptables-legacy", ...
	Backend string
	Rule    *inspect.Rule
}

// String names the rule as a sentence part: "rule 7 of chain input in
// table inet filter", or "the policy of chain input in table inet filter".
func (r RuleRef) String() string {
	where := fmt.Sprintf("chain %s in table %s %s", printable(r.Chain), printable(string(r.Family)), printable(r.Table))
	if r.Backend != "" && r.Backend != "nftables" {
		where += " (" + r.Backend + ")"
	}
	if r.Rule == nil {
		return "the policy of " + where
	}
	return fmt.Sprintf("rule %d of %s", r.Rule.Handle, where)
}

// printable is a name from the kernel with anything a terminal would act
// on (escape sequences, control characters) quoted away.
func printable(s string) string {
	for _, r := range s {
		if !unicode.IsPrint(r) || r == ' ' {
			return strconv.Quote(s)
		}
	}
	return s
}

// Maybe is a rule that the evaluation could not judge on the way, and why.
type Maybe struct {
	RuleRef
	Why string
	// Source is true when the rule turns on the client's address or port:
	// --from would decide it.
	Source bool
}

// Rewrite is a DNAT or REDIRECT on the path.
type Rewrite struct {
	RuleRef
	From, To netip.AddrPort
}

// Outcome is one way the connection can go.
type Outcome struct {
	Fate   Fate
	Reject inspect.RejectType // for FateReject
	// By is the rule or policy that decided; nil when the packet passed
	// every chain without a verdict of its own (FateAccept).
	By *RuleRef
	// Dest is where the packet is headed at the end: the target, or what
	// a DNAT made of it.
	Dest netip.AddrPort
	// NAT are the rewrites on the way, in order.
	NAT []Rewrite
	// Maybe are the rules on this outcome's way that could not be judged:
	// the outcome holds only if they went the way taken.
	Maybe []Maybe
	// Via is the comment of the verdict map element that led to the
	// verdict, when one did (kube-proxy's "ns/svc:port").
	Via string
	// Output is true when the verdict fell in this host's output or
	// postrouting hook: for a client on this host, the connection never
	// left it.
	Output bool
	// From is the packet's source address at the end, when known: the
	// client's (--from; this host's own for a client on it), or what a
	// SNAT or masquerade on the way out made of it. What a namespace or
	// host behind a FateForward sees the connection come from.
	From netip.Addr
	// Reply is true when the verdict fell on the server's answer (its
	// SYN-ACK) on the way back through the forward hook, not on the
	// connection itself: the client then times out.
	Reply bool
	// Share is the share of the client's new connections that go this
	// way: 1, unless a draw (nft numgen, iptables -m statistic) spreads
	// them over several ways; DrawnBy is then the rule that drew.
	Share   float64
	DrawnBy *RuleRef
	drawKey string // which ways of the draws (see packet.drawKey)
}

// Path is every way a new connection to a destination can go through
// this host's rules, for one client.
type Path struct {
	Client   Client
	Protocol inspect.Protocol
	Dest     netip.AddrPort
	Outcomes []Outcome
	// TooMany is true when there were too many rules it could not judge
	// to follow every way: Outcomes are then only some.
	TooMany bool
}

// Sure reports whether every outcome gives the client the same symptom
// at the same place: then the answer does not depend on what could not
// be judged.
func (p Path) Sure() bool {
	if p.TooMany || len(p.Outcomes) == 0 {
		return false
	}
	first := p.Outcomes[0]
	for _, o := range p.Outcomes[1:] {
		v4 := p.Dest.Addr().Is4()
		if o.Fate != first.Fate || o.Dest != first.Dest || ProtoRejectSymptom(p.Protocol, v4, o.Reject) != ProtoRejectSymptom(p.Protocol, v4, first.Reject) {
			return false
		}
	}
	return first.Fate != FateUnknown
}

// Symptom is what the client sees as far as the rules decide: accepted
// (the sockets decide next), a reject's error, a timeout, or unsure.
func (p Path) Symptom() Symptom {
	if !p.Sure() {
		return SymptomUnsure
	}
	o := p.Outcomes[0]
	switch o.Fate {
	case FateAccept:
		return SymptomAccepted
	case FateDrop:
		return SymptomTimeout
	case FateReject:
		return ProtoRejectSymptom(p.Protocol, p.Dest.Addr().Is4(), o.Reject)
	}
	return SymptomUnsure
}

// RejectSymptom is the error a TCP client gets from a reject of type t
// over IPv4 (v4) or IPv6, as Linux maps ICMP errors to errno
// (icmp_err_convert, icmpv6_err_convert).
func RejectSymptom(v4 bool, t inspect.RejectType) Symptom {
	switch t {
	case inspect.RejectTCPReset, inspect.RejectPortUnreachable, "":
		return SymptomRefused
	case inspect.RejectHostUnreachable, inspect.RejectAddrUnreachable, inspect.RejectHostProhibited:
		return SymptomHostUnreachable
	case inspect.RejectAdminProhibited:
		if v4 {
			return SymptomHostUnreachable
		}
		return SymptomAccessDenied
	case inspect.RejectNetUnreachable, inspect.RejectNetProhibited, inspect.RejectNoRoute:
		return SymptomNetUnreachable
	}
	return SymptomUnsure
}

// hookStep is one hook on the path.
type hookStep struct {
	hook inspect.Hook
	// nat says whether nat chains run here: for the looped-back packet of
	// a local client, the nat decisions were taken on the way out.
	nat    bool
	output bool
}

// maxOutcomes bounds the ways followed when rules cannot be judged.
const maxOutcomes = 256

// FollowPath follows a new connection (conntrack state new, mark 0, SYN)
// of proto to dst, for client c, through h's rules: for a client on
// another host, prerouting, routing, then input on the interface that
// holds the address; for one on this host, output and postrouting towards
// lo, then prerouting and input on lo. Base chains of every table of the
// address's family (and inet) run in priority order at each hook. When
// routing sends it off this host (a DNAT to a container), a remote
// client's passes the forward and postrouting hooks instead of input, and
// the server's answer must pass the forward hook back (forward.go); a
// local client's leaves by output and postrouting, never forward. It then
// ends FateForward at what is behind.
func FollowPath(h FirewallHost, proto inspect.Protocol, dst netip.AddrPort, c Client) Path {
	dst = netip.AddrPortFrom(unmap(dst.Addr()).WithZone(""), dst.Port())
	p := Path{Client: c, Protocol: proto, Dest: dst}
	ev := &evaluator{h: h}
	pk := ev.newPacket(proto, dst, c)
	var steps []hookStep
	if c.Local {
		steps = []hookStep{{inspect.HookOutput, true, true}, {inspect.HookPostrouting, true, true},
			{inspect.HookPrerouting, false, false}, {inspect.HookInput, false, false}}
	} else {
		steps = []hookStep{{inspect.HookPrerouting, true, false}, {inspect.HookInput, true, false}}
	}
	p.Outcomes = ev.hooks(pk, steps)
	p.TooMany = ev.tooMany
	return p
}

// hooks runs the packet through the remaining hooks.
func (ev *evaluator) hooks(pk packet, steps []hookStep) []Outcome {
	if len(steps) == 0 {
		if pk.forwarded {
			return ev.leave(pk)
		}
		return []Outcome{pk.outcome(FateAccept, "", nil)}
	}
	st := steps[0]
	if st.hook == inspect.HookInput && !pk.local && !ev.isLocal(pk.daddr) {
		// Routing after a DNAT to another host or namespace: forwarded.
		pk.forwarded, pk.client = true, pk.saddr
		steps = forwardSteps
		st = steps[0]
	}
	if st.hook == inspect.HookPostrouting && pk.local && !ev.isLocal(pk.daddr) {
		pk.forwarded = true // it leaves this host, by postrouting
	}
	pk.hook, pk.output = st.hook, st.output
	pk.setInterfaces(ev)
	chains := ev.baseChains(pk.family, st.hook, st.nat)
	return ev.baseFrom(pk, chains, 0, steps)
}

// baseChain is a base chain with its table.
type baseChain struct {
	table *inspect.Table
	chain *inspect.Chain
}

// baseChains are the base chains of family fam's tables (and inet's) at
// hook, in priority order.
func (ev *evaluator) baseChains(fam int, hook inspect.Hook, nat bool) []baseChain {
	var out []baseChain
	if ev.h.Rules == nil {
		return nil
	}
	for ti := range ev.h.Rules.Tables {
		t := &ev.h.Rules.Tables[ti]
		if !familyOf(t.Family, fam) {
			continue
		}
		for ci := range t.Chains {
			ch := &t.Chains[ci]
			if ch.Hook != hook || (!nat && ch.Type == "nat") {
				continue
			}
			out = append(out, baseChain{t, ch})
		}
	}
	slices.SortStableFunc(out, func(a, b baseChain) int { return cmp.Compare(a.chain.Priority, b.chain.Priority) })
	return out
}

// familyOf reports whether a table of family f sees packets of address
// family fam (4 or 6).
func familyOf(f inspect.Family, fam int) bool {
	switch f {
	case inspect.FamilyInet:
		return true
	case inspect.FamilyIP:
		return fam == 4
	case inspect.FamilyIP6:
		return fam == 6
	}
	return false
}

// baseFrom runs the packet through base chains[i:] of the current hook,
// then the following hooks.
func (ev *evaluator) baseFrom(pk packet, chains []baseChain, i int, steps []hookStep) []Outcome {
	if i == len(chains) {
		return ev.hooks(pk, steps[1:])
	}
	bc := chains[i]
	var out []Outcome
	pk.setInterfaces(ev) // a DNAT in an earlier chain of the hook reroutes it
	for _, r := range ev.chain(pk, bc.table, bc.chain, 0, 0) {
		if len(out) >= maxOutcomes {
			ev.tooMany = true
			break
		}
		switch r.kind {
		case resEnd, resReturn:
			// The chain's policy decides.
			if bc.chain.Policy == inspect.VerdictDrop {
				ref := ev.ref(bc.table, bc.chain, nil)
				out = append(out, r.pk.outcome(FateDrop, "", &ref))
				continue
			}
			out = append(out, ev.baseFrom(r.pk, chains, i+1, steps)...)
		case resAccept, resNAT:
			out = append(out, ev.baseFrom(r.pk, chains, i+1, steps)...)
		default:
			out = append(out, r.pk.outcome(r.fate, r.reject, r.by))
		}
	}
	return out
}

// isLocal reports whether a is one of this host's addresses; with none
// known, every address is.
func (ev *evaluator) isLocal(a netip.Addr) bool {
	if a.IsLoopback() || len(ev.h.Addrs) == 0 && len(ev.h.Interfaces) == 0 {
		return true // with no address known, as check takes every address as this host's
	}
	return slices.Contains(ev.h.Addrs, a) || slices.ContainsFunc(ev.h.Interfaces, func(i inspect.Interface) bool { return slices.Contains(i.Addrs, a) })
}
