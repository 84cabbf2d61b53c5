// firewall.go holds the evaluation of one packet against the packet
// filter model: the fields of a new connection's first packet, each Match
// judged yes, no or "may", the walk of a chain with its jumps, gotos,
// returns, verdict maps and NAT, forking where a rule cannot be judged.

package match

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"net/netip"
	"strings"

	"github.com/whyrefused/whyrefused/inspect"
)

// evaluator holds the state of one FollowPath.
type evaluator struct {
	h       FirewallHost
	tooMany bool
	results int
}

// packet is the first packet of a new connection at one point of its path.
type packet struct {
	family int
	proto  uint8
	saddr  netip.Addr // invalid: unknown
	daddr  netip.Addr
	dport  uint16
	orig   netip.AddrPort
	local  bool // the client is on this host
	hook   inspect.Hook
	output bool
	// in and out are the input and output interfaces; nil when the hook
	// has none (then a match on them does not hold); inKnown and outKnown
	// say whether they are known when there is one.
	in, out           *inspect.Interface
	inKnown, outKnown bool
	// arrival is the interface that holds the original address: where a
	// remote client's packets come in.
	arrival     *inspect.Interface
	via         string
	markUnknown bool
	dnat        bool
	nat         []Rewrite
	maybe       []Maybe
	// forwarded is true once routing sends the packet off this host (to a
	// container, another namespace, another host): a remote client's then
	// passes the forward and postrouting hooks, not input (forward.go).
	forwarded bool
	// reply is true for the server's answer (its SYN-ACK) on the way back
	// through the forward hook: conntrack state established, addresses
	// and ports the other way round; sport is then the server's port.
	reply bool
	sport uint16
	// client is the client's address as the forward hook saw it, before
	// a SNAT or masquerade: where the server's answer goes back to.
	client netip.Addr
	// share is the share of the client's new connections on this way: 1
	// unless a draw (numgen, statistic) split them; drawnBy is the rule
	// of the first draw.
	share   float64
	drawnBy *RuleRef
	// drawKey names the ways taken at each draw: outcomes with the same
	// key are the same connections, alternatives where a rule could not
	// be judged.
	drawKey string
}

// loLink is the loopback interface as the kernel numbers it.
var loLink = inspect.Interface{Index: 1, Name: "lo"}

// newPacket is the SYN of a new connection of proto to dst from c.
func (ev *evaluator) newPacket(proto inspect.Protocol, dst netip.AddrPort, c Client) packet {
	pk := packet{family: 6, proto: 6, daddr: dst.Addr(), dport: dst.Port(), orig: dst, local: c.Local, share: 1}
	if dst.Addr().Is4() {
		pk.family = 4
	}
	if proto == inspect.UDP {
		pk.proto = 17
	}
	switch {
	case c.Local && ev.isLocal(dst.Addr()):
		pk.saddr = dst.Addr() // the kernel picks the destination itself as the source
	case c.Local:
		pk.saddr = ev.routeSource(dst.Addr()) // its own address towards it, when a connected network holds it
	case c.From.IsValid() && unmap(c.From).Is4() == dst.Addr().Is4():
		pk.saddr = unmap(c.From) // an address of the other family says nothing of this client
	}
	for i := range ev.h.Interfaces {
		for _, a := range ev.h.Interfaces[i].Addrs {
			if unmap(a).WithZone("") == dst.Addr() {
				pk.arrival = &ev.h.Interfaces[i]
			}
		}
	}
	if pk.arrival == nil && dst.Addr().IsLoopback() {
		pk.arrival = &loLink
	}
	return pk
}

// setInterfaces sets the packet's interfaces for its hook.
func (pk *packet) setInterfaces(ev *evaluator) {
	pk.in, pk.out, pk.inKnown, pk.outKnown = nil, nil, false, false
	switch {
	case pk.forwarded && !pk.local:
		ev.forwardInterfaces(pk)
	case pk.local && (pk.hook == inspect.HookOutput || pk.hook == inspect.HookPostrouting):
		pk.out, pk.outKnown = &loLink, true
		if !ev.isLocal(pk.daddr) {
			pk.out, pk.outKnown = ev.routeOut(pk.daddr) // routed out by the interface whose network holds it, when known
		}
	case pk.local:
		pk.in, pk.inKnown = &loLink, true
	default:
		// A remote client's packets come in where the address is, unless
		// that is lo (an address put on lo): then by some other interface.
		pk.in, pk.inKnown = pk.arrival, pk.arrival != nil && pk.arrival.Name != "lo"
		if pk.in == nil {
			pk.in = &inspect.Interface{}
		}
	}
}

// outcome ends the packet's path.
func (pk packet) outcome(f Fate, rt inspect.RejectType, by *RuleRef) Outcome {
	if pk.reply {
		return pk.replyOutcome(f, by)
	}
	return Outcome{Fate: f, Reject: rt, By: by, Dest: netip.AddrPortFrom(pk.daddr, pk.dport), From: pk.saddr,
		NAT: pk.nat, Maybe: pk.maybe, Via: pk.via, Output: pk.output && f != FateAccept && f != FateForward,
		Share: pk.share, DrawnBy: pk.drawnBy, drawKey: pk.drawKey}
}

// tri is a judgement: a match holds, does not, or may.
type tri int

const (
	no tri = iota
	yes
	maybe
)

// loaded is a field's value in the packet, and how well it is known.
type loaded struct {
	v []byte
	// state: known, unknown (any value), absent (the load breaks the
	// rule: no interface at this hook), nonzero (known not to be 0).
	state  int
	source bool // unknown because the client's address or port is
}

const (
	known = iota
	unknownValue
	absent
	nonzero
	// ephemeral: a client's own port, not known but one the client's OS
	// picked from its ephemeral range, never below 1024 (Linux 32768 and
	// up, Windows and macOS 49152 and up, all OSes' ranges above 1023).
	ephemeral
)

// load is field f of the packet; fam is the Match's address family.
func (pk *packet) load(f inspect.Field, fam int) loaded {
	u32 := func(v uint32) loaded { return loaded{v: binary.NativeEndian.AppendUint32(nil, v)} }
	iface := func(i *inspect.Interface, ok bool, name bool) loaded {
		switch {
		case i == nil:
			return loaded{state: absent}
		case !ok:
			return loaded{state: unknownValue}
		case name:
			b := make([]byte, 16)
			copy(b, i.Name)
			return loaded{v: b}
		}
		return u32(uint32(i.Index))
	}
	switch f {
	case inspect.FieldNFProto:
		if pk.family == 4 {
			return loaded{v: []byte{2}}
		}
		return loaded{v: []byte{10}}
	case inspect.FieldL4Proto:
		return loaded{v: []byte{pk.proto}}
	case inspect.FieldSAddr, inspect.FieldDAddr:
		if fam != 0 && fam != pk.family {
			return loaded{state: unknownValue}
		}
		a := pk.daddr
		if f == inspect.FieldSAddr {
			a = pk.saddr
		}
		if !a.IsValid() {
			// The client's, not known; or where a DNAT map sends it.
			return loaded{state: unknownValue, source: f == inspect.FieldSAddr || pk.reply}
		}
		return loaded{v: a.AsSlice()}
	case inspect.FieldSPort:
		if pk.reply {
			return loaded{v: binary.BigEndian.AppendUint16(nil, pk.sport)}
		}
		return loaded{state: unknownValue, source: true}
	case inspect.FieldDPort:
		if pk.reply {
			return loaded{state: ephemeral, source: true} // the client's port
		}
		return loaded{v: binary.BigEndian.AppendUint16(nil, pk.dport)}
	case inspect.FieldIIfName:
		return iface(pk.in, pk.inKnown, true)
	case inspect.FieldOIfName:
		return iface(pk.out, pk.outKnown, true)
	case inspect.FieldIIf:
		return iface(pk.in, pk.inKnown, false)
	case inspect.FieldOIf:
		return iface(pk.out, pk.outKnown, false)
	case inspect.FieldIIfType:
		if pk.in != nil && pk.inKnown && pk.in.Name == "lo" {
			return loaded{v: binary.NativeEndian.AppendUint16(nil, 772)} // ARPHRD_LOOPBACK
		}
		return loaded{state: unknownValue}
	case inspect.FieldCTState:
		if pk.reply {
			return u32(inspect.CTStateEstablished)
		}
		return u32(inspect.CTStateNew)
	case inspect.FieldCTStatus:
		if pk.dnat {
			return u32(0x20) // IPS_DST_NAT
		}
		return u32(0)
	case inspect.FieldMark:
		if pk.markUnknown {
			return loaded{state: unknownValue}
		}
		return u32(0)
	case inspect.FieldFibDAddrType:
		if pk.forwarded {
			if !pk.daddr.IsValid() {
				return loaded{state: unknownValue, source: true}
			}
			return u32(addrType(pk.daddr, false)) // routed off this host: not one of its addresses
		}
		return u32(addrType(pk.daddr, true))
	case inspect.FieldFibSAddrType:
		if !pk.saddr.IsValid() {
			return loaded{state: unknownValue, source: true}
		}
		return u32(addrType(pk.saddr, pk.local))
	case inspect.FieldFibSAddrOIF:
		return loaded{state: nonzero}
	case inspect.FieldExtHdr:
		return loaded{state: absent} // a client's SYN has no extension headers
	case inspect.FieldFragOff:
		return loaded{v: []byte{0, 0}} // a first packet is not a later fragment
	case inspect.FieldTCPFlags:
		if pk.proto == 6 && pk.reply {
			return loaded{v: []byte{0x12}} // SYN, ACK
		}
		if pk.proto == 6 {
			return loaded{v: []byte{0x02}} // SYN
		}
		return loaded{state: absent}
	}
	return loaded{state: unknownValue}
}

// addrType is the route type of a (RTN_*): local for this host's
// addresses (local says a is one).
func addrType(a netip.Addr, local bool) uint32 {
	switch {
	case local || a.IsLoopback():
		return inspect.RTNLocal
	case a.IsMulticast():
		return inspect.RTNMulticast
	case a.Is4() && a == netip.AddrFrom4([4]byte{255, 255, 255, 255}):
		return inspect.RTNBroadcast
	}
	return inspect.RTNUnicast
}

// fieldLen is how many bytes field f loads.
func fieldLen(f inspect.Field, fam int) int {
	switch f {
	case inspect.FieldSAddr, inspect.FieldDAddr:
		if fam == 6 {
			return 16
		}
		return 4
	case inspect.FieldSPort, inspect.FieldDPort, inspect.FieldIIfType, inspect.FieldFragOff:
		return 2
	case inspect.FieldNFProto, inspect.FieldL4Proto, inspect.FieldTCPFlags:
		return 1
	case inspect.FieldIIfName, inspect.FieldOIfName:
		return 16
	}
	return 4
}

// judgement is a match's judgement with why it may hold.
type judgement struct {
	t      tri
	why    string
	source bool
	// part, when not 0, is the share of new connections for which a
	// match on a draw holds (t is yes).
	part float64
}

// match judges one Match on the packet.
func (pk *packet) match(m inspect.Match) judgement {
	if m.Fields[0] == inspect.FieldNumgen && len(m.Fields) == 1 && m.Op != inspect.OpInSet && m.Op != inspect.OpNotInSet {
		return drawMatch(m)
	}
	if m.Op == inspect.OpInSet || m.Op == inspect.OpNotInSet {
		if len(m.Fields) == 1 && pk.load(m.Fields[0], m.Family).state == ephemeral {
			if t := ephemeralMatch(m); t != maybe {
				return judgement{t: t}
			}
		}
		j := pk.inSet(m, m.Set)
		if m.Op == inspect.OpNotInSet {
			j.t = not(j.t)
		}
		return j
	}
	l := pk.load(m.Fields[0], m.Family)
	switch l.state {
	case absent:
		return judgement{t: no}
	case nonzero:
		if isZeroBytes(m.Value) && len(m.Mask) == 0 {
			switch m.Op {
			case inspect.OpEq:
				return judgement{t: no}
			case inspect.OpNeq:
				return judgement{t: yes}
			}
		}
		return judgement{t: maybe, why: inspect.MatchText(m, pk.proto) + " cannot be judged"}
	case ephemeral:
		if t := ephemeralMatch(m); t != maybe {
			return judgement{t: t}
		}
		return judgement{t: maybe, why: unknownWhy(m, pk, l), source: l.source}
	case unknownValue:
		return judgement{t: maybe, why: unknownWhy(m, pk, l), source: l.source}
	}
	return judgement{t: compare(m, l.v)}
}

// unknownWhy says why a match on an unknown value cannot be judged.
func unknownWhy(m inspect.Match, pk *packet, l loaded) string {
	text := inspect.MatchText(m, pk.proto)
	if m.Fields[0] == inspect.FieldUnknown {
		text = "a match it cannot read"
	}
	if l.source && pk.reply {
		return text + ", on the server's answer back to the client, depends on the client's address or port"
	}
	if l.source {
		return text + " depends on the client's address or port (give it with --from)"
	}
	return text + " cannot be judged"
}

// not inverts a judgement.
func not(t tri) tri {
	switch t {
	case yes:
		return no
	case no:
		return yes
	}
	return maybe
}

// compare applies m's op to the loaded bytes v.
func compare(m inspect.Match, v []byte) tri {
	v = masked(v, m.Mask)
	switch m.Op {
	case inspect.OpRange, inspect.OpNotRange:
		in := bytes.Compare(prefix(v, len(m.From)), m.From) >= 0 && bytes.Compare(prefix(v, len(m.To)), m.To) <= 0
		if m.Op == inspect.OpNotRange {
			in = !in
		}
		return boolTri(in)
	}
	c := bytes.Compare(prefix(v, len(m.Value)), m.Value)
	switch m.Op {
	case inspect.OpEq:
		return boolTri(c == 0)
	case inspect.OpNeq:
		return boolTri(c != 0)
	case inspect.OpLt:
		return boolTri(c < 0)
	case inspect.OpLte:
		return boolTri(c <= 0)
	case inspect.OpGt:
		return boolTri(c > 0)
	case inspect.OpGte:
		return boolTri(c >= 0)
	}
	return maybe
}

// masked is v ANDed with mask, over mask's length.
func masked(v, mask []byte) []byte {
	if len(mask) == 0 {
		return v
	}
	out := bytes.Clone(v)
	for i := range out {
		if i < len(mask) {
			out[i] &= mask[i]
		}
	}
	return out
}

// prefix is v's first n bytes (all of v when shorter).
func prefix(v []byte, n int) []byte {
	if n < len(v) {
		return v[:n]
	}
	return v
}

func boolTri(b bool) tri {
	if b {
		return yes
	}
	return no
}

func isZeroBytes(b []byte) bool { return len(bytes.Trim(b, "\x00")) == 0 }

// keyPart is one field of a lookup key: its bytes, or unknown.
type keyPart struct {
	v      []byte
	known  bool
	absent bool
	source bool
	n      int // the field's length, before padding to 4
}

// key loads the parts of a lookup key.
func (pk *packet) key(m inspect.Match) []keyPart {
	parts := make([]keyPart, len(m.Fields))
	for i, f := range m.Fields {
		l := pk.load(f, m.Family)
		parts[i] = keyPart{v: l.v, known: l.state == known, absent: l.state == absent, source: l.source, n: fieldLen(f, m.Family)}
	}
	return parts
}

// elementMatch judges whether the key's parts fall in element e.
func elementMatch(parts []keyPart, e inspect.SetElement) tri {
	off := 0
	t := yes
	for _, p := range parts {
		w := (p.n + 3) / 4 * 4
		if len(parts) == 1 {
			w = p.n
		}
		if off+p.n > len(e.Key) {
			return maybe
		}
		lo := e.Key[off : off+p.n]
		hi := lo
		if e.KeyEnd != nil && off+p.n <= len(e.KeyEnd) {
			hi = e.KeyEnd[off : off+p.n]
		}
		off += w
		if p.absent {
			return no
		}
		if !p.known {
			t = maybe
			continue
		}
		v := p.v
		if len(v) > p.n {
			v = v[:p.n]
		}
		if bytes.Compare(v, lo) < 0 || bytes.Compare(v, hi) > 0 {
			return no
		}
	}
	return t
}

// inSet judges whether the packet's key is in set s.
func (pk *packet) inSet(m inspect.Match, s *inspect.Set) judgement {
	if s == nil {
		return judgement{t: maybe, why: "a set it could not read"}
	}
	parts := pk.key(m)
	res := no
	for _, e := range s.Elements {
		switch elementMatch(parts, e) {
		case yes:
			return judgement{t: yes}
		case maybe:
			res = maybe
		}
	}
	if res == maybe {
		src := false
		for _, p := range parts {
			src = src || p.source
		}
		return judgement{t: maybe, why: inspect.MatchText(m, pk.proto) + " cannot be judged for an unknown client", source: src}
	}
	return judgement{t: no}
}

// ruleMatches judges every match of rule r: no when one surely fails.
func (pk *packet) ruleMatches(r *inspect.Rule) judgement {
	out := judgement{t: yes, part: 1}
	var whys []string
	for _, m := range r.Matches {
		j := pk.match(m)
		if j.part > 0 {
			out.part *= j.part // draws are independent
		}
		switch j.t {
		case no:
			return judgement{t: no}
		case maybe:
			out.t = maybe
			out.source = out.source || j.source
			whys = append(whys, j.why)
		}
	}
	if len(r.Unknown) > 0 {
		out.t = maybe
		whys = append(whys, "it holds what whyrefused cannot read ("+strings.Join(r.Unknown, ", ")+")")
	}
	out.why = strings.Join(whys, "; ")
	return out
}

// resKind is how a chain's walk ended.
type resKind int

const (
	resEnd    resKind = iota // the last rule passed: policy, or back to the caller
	resReturn                // a return verdict
	resAccept                // accept: this base chain is done
	resNAT                   // a DNAT or REDIRECT: this base chain is done
	resFinal                 // drop, reject, unknown: the path ends
)

// chainRes is one way a chain's walk can end.
type chainRes struct {
	kind   resKind
	pk     packet
	fate   Fate
	reject inspect.RejectType
	by     *RuleRef
}

// maxDepth bounds jumps (the kernel allows 16 levels).
const maxDepth = 32

// ref names a rule of a chain.
func (ev *evaluator) ref(t *inspect.Table, c *inspect.Chain, r *inspect.Rule) RuleRef {
	return RuleRef{Family: t.Family, Table: t.Name, Chain: c.Name, Hook: c.Hook, Backend: t.Backend, Rule: r}
}

// chain walks chain c of table t from rule i.
func (ev *evaluator) chain(pk packet, t *inspect.Table, c *inspect.Chain, i, depth int) []chainRes {
	if depth > maxDepth {
		ref := ev.ref(t, c, nil)
		pk.maybe = append(pk.maybe, Maybe{RuleRef: ref, Why: "jumps nest deeper than the kernel allows"})
		return []chainRes{{kind: resFinal, pk: pk, fate: FateUnknown, by: &ref}}
	}
	for ; i < len(c.Rules); i++ {
		r := &c.Rules[i]
		j := pk.ruleMatches(r)
		if j.t == no {
			continue
		}
		if j.part < 1 {
			// A draw: a share of the connections take the rule, the
			// rest go on.
			ev.results++
			if ev.results > maxOutcomes {
				ev.tooMany = true
				return nil
			}
			ref := ev.ref(t, c, r)
			taken, rest := pk.drawn(j.part, &ref, 0), pk.drawn(1-j.part, &ref, 1)
			if j.t == maybe {
				m := Maybe{RuleRef: ref, Why: j.why, Source: j.source}
				taken.maybe = append(taken.maybe, m)
				rest.maybe = append(rest.maybe, m)
			}
			return append(ev.apply(taken, t, c, i, depth, r), ev.chain(rest, t, c, i+1, depth)...)
		}
		if j.t == maybe {
			ev.results++
			if ev.results > maxOutcomes {
				ev.tooMany = true
				return nil
			}
			ref := ev.ref(t, c, r)
			pk.maybe = append(pk.maybe, Maybe{RuleRef: ref, Why: j.why, Source: j.source})
			taken := ev.apply(pk, t, c, i, depth, r)
			return append(taken, ev.chain(pk, t, c, i+1, depth)...)
		}
		return ev.apply(pk, t, c, i, depth, r)
	}
	return []chainRes{{kind: resEnd, pk: pk}}
}

// apply applies rule i's verdict (it matched, or may have).
func (ev *evaluator) apply(pk packet, t *inspect.Table, c *inspect.Chain, i, depth int, r *inspect.Rule) []chainRes {
	ref := ev.ref(t, c, r)
	if r.UnknownVerdict {
		return []chainRes{{kind: resFinal, pk: pk, fate: FateUnknown, by: &ref}}
	}
	if r.SetsMark {
		pk.markUnknown = true
	}
	return ev.verdict(pk, t, c, i, depth, r.Verdict, &ref)
}

// verdict carries out v, given by rule i of c.
func (ev *evaluator) verdict(pk packet, t *inspect.Table, c *inspect.Chain, i, depth int, v inspect.Verdict, ref *RuleRef) []chainRes {
	switch v.Kind {
	case inspect.VerdictContinue, "":
		return ev.chain(pk, t, c, i+1, depth)
	case inspect.VerdictSNAT, inspect.VerdictMasquerade:
		if pk.forwarded {
			pk.saddr = ev.snatSource(pk, v) // what the server behind sees
		}
		return []chainRes{{kind: resAccept, pk: pk, by: ref}}
	case inspect.VerdictAccept:
		return []chainRes{{kind: resAccept, pk: pk, by: ref}}
	case inspect.VerdictDrop:
		return []chainRes{{kind: resFinal, pk: pk, fate: FateDrop, by: ref}}
	case inspect.VerdictReject:
		return []chainRes{{kind: resFinal, pk: pk, fate: FateReject, reject: v.Reject, by: ref}}
	case inspect.VerdictReturn:
		return []chainRes{{kind: resReturn, pk: pk}}
	case inspect.VerdictJump, inspect.VerdictGoto:
		target := chainNamed(t, v.Chain)
		if target == nil {
			return []chainRes{{kind: resFinal, pk: pk, fate: FateUnknown, by: ref}}
		}
		var out []chainRes
		for _, r := range ev.chain(pk, t, target, 0, depth+1) {
			switch {
			case r.kind != resEnd && r.kind != resReturn:
				out = append(out, r)
			case v.Kind == inspect.VerdictGoto:
				r.kind = resReturn // the goto's chain returns for the caller's
				out = append(out, r)
			default:
				out = append(out, ev.chain(r.pk, t, c, i+1, depth)...)
			}
		}
		return out
	case inspect.VerdictMap:
		return ev.vmap(pk, t, c, i, depth, v, ref)
	case inspect.VerdictDNAT, inspect.VerdictRedirect:
		if v.NAT != nil && v.NAT.Map != nil {
			return ev.natMap(pk, t, c, i, depth, v, ref)
		}
		return []chainRes{{kind: resNAT, pk: ev.rewrite(pk, v, *ref), by: ref}}
	}
	return []chainRes{{kind: resFinal, pk: pk, fate: FateUnknown, by: ref}}
}

// vmap looks the key up in a verdict map and carries out what it finds.
func (ev *evaluator) vmap(pk packet, t *inspect.Table, c *inspect.Chain, i, depth int, v inspect.Verdict, ref *RuleRef) []chainRes {
	if v.MapKey == nil || v.Map == nil {
		return []chainRes{{kind: resFinal, pk: pk, fate: FateUnknown, by: ref}}
	}
	if isDraw(*v.MapKey) {
		if out, ok := ev.drawnVmap(pk, t, c, i, depth, v, ref); ok {
			return out
		}
	}
	parts := pk.key(*v.MapKey)
	var sure *inspect.SetElement
	var maybes []*inspect.SetElement
	for i := range v.Map.Elements {
		e := &v.Map.Elements[i]
		if e.Verdict == nil {
			continue
		}
		if t := elementMatch(parts, *e); t == yes && sure == nil {
			sure = e
		} else if t == maybe {
			maybes = append(maybes, e)
		}
	}
	take := func(pk packet, e *inspect.SetElement) []chainRes {
		if e.Comment != "" {
			pk.via = e.Comment
		}
		return ev.verdict(pk, t, c, i, depth, *e.Verdict, ref)
	}
	if len(maybes) == 0 {
		if sure != nil {
			return take(pk, sure)
		}
		return ev.chain(pk, t, c, i+1, depth)
	}
	src := false
	for _, p := range parts {
		src = src || p.source
	}
	pk.maybe = append(pk.maybe, Maybe{RuleRef: *ref, Why: "its map lookup cannot be judged for an unknown client", Source: src})
	var out []chainRes
	for _, e := range maybes {
		ev.results++
		if ev.results > maxOutcomes {
			ev.tooMany = true
			return out
		}
		out = append(out, take(pk, e)...)
	}
	if sure != nil {
		return append(out, take(pk, sure)...)
	}
	return append(out, ev.chain(pk, t, c, i+1, depth)...)
}

// chainNamed finds a chain of t by name.
func chainNamed(t *inspect.Table, name string) *inspect.Chain {
	for i := range t.Chains {
		if t.Chains[i].Name == name {
			return &t.Chains[i]
		}
	}
	return nil
}

// rewrite applies a DNAT or REDIRECT to the packet.
func (ev *evaluator) rewrite(pk packet, v inspect.Verdict, ref RuleRef) packet {
	from := netip.AddrPortFrom(pk.daddr, pk.dport)
	n := v.NAT
	if n == nil {
		n = &inspect.NAT{}
	}
	addr, port := pk.daddr, pk.dport
	switch {
	case n.Addr != nil:
		if a, ok := netip.AddrFromSlice(n.Addr); ok {
			addr = unmap(a)
		}
	case v.Kind == inspect.VerdictRedirect:
		addr = redirectAddr(pk)
	}
	if n.Port != 0 {
		port = n.Port
	}
	if n.Ranged {
		pk.maybe = append(pk.maybe, Maybe{RuleRef: ref, Why: fmt.Sprintf("it maps to a range: only its first destination %s was followed", netip.AddrPortFrom(addr, port))})
	}
	pk.daddr, pk.dport, pk.dnat = addr, port, true
	pk.nat = append(append([]Rewrite(nil), pk.nat...), Rewrite{RuleRef: ref, From: from, To: netip.AddrPortFrom(addr, port)})
	return pk
}

// redirectAddr is where a REDIRECT sends the packet: loopback for a
// local client, else the first address of its family on the interface it
// came in on.
func redirectAddr(pk packet) netip.Addr {
	if pk.local || pk.arrival == nil {
		if pk.family == 4 {
			return netip.AddrFrom4([4]byte{127, 0, 0, 1})
		}
		return netip.IPv6Loopback()
	}
	for _, a := range pk.arrival.Addrs {
		if a = unmap(a); a.Is4() == (pk.family == 4) && !a.IsLinkLocalUnicast() {
			return a
		}
	}
	return pk.daddr
}
