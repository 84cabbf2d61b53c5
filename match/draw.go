// draw.go holds the evaluation of what spreads connections over several
// ways: a match on a draw (nft numgen, iptables -m statistic) that holds
// for a share of new connections, a verdict map keyed by a draw (kube-
// proxy's "numgen random mod N vmap { 0 : goto endpoint-A, ... }"), and
// NAT whose address and port come from a map, keyed by the packet's
// fields or by a draw.

package match

import (
	"bytes"
	"encoding/binary"
	"fmt"

	"github.com/whyrefused/whyrefused/inspect"
)

// maxDrawValues bounds the values of a draw that a map lookup is tried
// with, one by one (kube-proxy draws mod the number of endpoints).
const maxDrawValues = 4096

// drawn is the packet on a way that part of its connections take: way
// k of the draw of rule by.
func (pk packet) drawn(part float64, by *RuleRef, k int) packet {
	pk.share *= part
	if part < 1 {
		if pk.drawnBy == nil {
			pk.drawnBy = by
		}
		pk.drawKey += fmt.Sprintf("%p:%d;", by.Rule, k)
	}
	return pk
}

// isDraw reports whether a lookup key is one draw alone.
func isDraw(m inspect.Match) bool {
	return len(m.Fields) == 1 && m.Fields[0] == inspect.FieldNumgen && m.Draw != nil
}

// drawMatch judges a match on a draw: yes for the share of connections
// whose number passes it.
func drawMatch(m inspect.Match) judgement {
	s, ok := drawShare(m)
	switch {
	case !ok:
		return judgement{t: maybe, why: inspect.MatchText(m, 0) + " cannot be judged"}
	case s <= 0:
		return judgement{t: no}
	case s >= 1:
		return judgement{t: yes}
	}
	return judgement{t: yes, part: s}
}

// drawShare is the share of a draw's numbers for which m holds.
func drawShare(m inspect.Match) (float64, bool) {
	d := m.Draw
	if d == nil || d.Mod == 0 || len(m.Mask) > 0 {
		return 0, false
	}
	first, last := uint64(d.Offset), uint64(d.Offset)+uint64(d.Mod)-1
	total := float64(d.Mod)
	count := func(lo, hi uint64) float64 {
		lo, hi = max(lo, first), min(hi, last)
		if lo > hi {
			return 0
		}
		return float64(hi - lo + 1)
	}
	u32 := func(b []byte) (uint64, bool) {
		if len(b) != 4 {
			return 0, false
		}
		return uint64(binary.NativeEndian.Uint32(b)), true
	}
	const top = 1<<32 - 1
	if m.Op == inspect.OpRange || m.Op == inspect.OpNotRange {
		lo, ok1 := u32(m.From)
		hi, ok2 := u32(m.To)
		if !ok1 || !ok2 {
			return 0, false
		}
		if m.Op == inspect.OpRange {
			return count(lo, hi) / total, true
		}
		return 1 - count(lo, hi)/total, true
	}
	v, ok := u32(m.Value)
	if !ok {
		return 0, false
	}
	switch m.Op {
	case inspect.OpEq:
		return count(v, v) / total, true
	case inspect.OpNeq:
		return 1 - count(v, v)/total, true
	case inspect.OpLt:
		if v == 0 {
			return 0, true
		}
		return count(0, v-1) / total, true
	case inspect.OpLte:
		return count(0, v) / total, true
	case inspect.OpGt:
		return count(v+1, top) / total, true
	case inspect.OpGte:
		return count(v, top) / total, true
	}
	return 0, false
}

// drawGroup is the element of a map that a share of a draw's numbers
// find; e nil: the numbers no element has.
type drawGroup struct {
	e     *inspect.SetElement
	share float64
}

// drawGroups tries every number of key's draw in s: which element each
// finds, and the share of numbers for each. ok is false when the draw is
// too wide to try, or s is an interval map (its host-order keys do not
// compare as bytes).
func drawGroups(key inspect.Match, s *inspect.Set, want func(e *inspect.SetElement) bool) ([]drawGroup, bool) {
	d := key.Draw
	if d == nil || d.Mod == 0 || d.Mod > maxDrawValues || s == nil || s.Interval {
		return nil, false
	}
	var groups []drawGroup
	index := map[*inspect.SetElement]int{}
	for x := uint64(d.Offset); x < uint64(d.Offset)+uint64(d.Mod); x++ {
		k := binary.NativeEndian.AppendUint32(nil, uint32(x))
		var found *inspect.SetElement
		for i := range s.Elements {
			if e := &s.Elements[i]; want(e) && bytes.Equal(prefix(e.Key, 4), k) {
				found = e
				break
			}
		}
		g, seen := index[found]
		if !seen {
			g = len(groups)
			index[found] = g
			groups = append(groups, drawGroup{e: found})
		}
		groups[g].share += 1 / float64(d.Mod)
	}
	return groups, true
}

// drawnVmap carries out a verdict map keyed by a draw: each element's
// verdict for its share of connections; the numbers it has no element
// for go on with the next rule. ok is false when the draw cannot be
// tried number by number.
func (ev *evaluator) drawnVmap(pk packet, t *inspect.Table, c *inspect.Chain, i, depth int, v inspect.Verdict, ref *RuleRef) ([]chainRes, bool) {
	groups, ok := drawGroups(*v.MapKey, v.Map, func(e *inspect.SetElement) bool { return e.Verdict != nil })
	if !ok {
		return nil, false
	}
	var out []chainRes
	for k, g := range groups {
		if ev.results++; ev.results > maxOutcomes {
			ev.tooMany = true
			return out, true
		}
		p := pk.drawn(g.share, ref, k)
		if g.e == nil {
			out = append(out, ev.chain(p, t, c, i+1, depth)...)
			continue
		}
		if g.e.Comment != "" {
			p.via = g.e.Comment
		}
		out = append(out, ev.verdict(p, t, c, i, depth, *g.e.Verdict, ref)...)
	}
	return out, true
}

// natMap carries out a DNAT or REDIRECT whose address or port comes from
// a map: the element the packet's key finds gives them; a key that finds
// none breaks the rule (the chain goes on); a key that cannot be judged,
// or an element that cannot be read, is a "may".
func (ev *evaluator) natMap(pk packet, t *inspect.Table, c *inspect.Chain, i, depth int, v inspect.Verdict, ref *RuleRef) []chainRes {
	n := v.NAT
	unknown := func(pk packet, why string) chainRes {
		pk.maybe = append(pk.maybe, Maybe{RuleRef: *ref, Why: why})
		return chainRes{kind: resFinal, pk: pk, fate: FateUnknown, by: ref}
	}
	if n.MapKey == nil {
		return []chainRes{unknown(pk, "the key of its NAT map could not be read")}
	}
	take := func(pk packet, e *inspect.SetElement) chainRes {
		addr, port, ok := inspect.NATMapTarget(n, *e, pk.family)
		if !ok {
			return unknown(pk, "an element of its NAT map could not be read")
		}
		to := &inspect.NAT{Addr: n.Addr, Port: n.Port, Ranged: n.Ranged}
		if addr != nil {
			to.Addr = addr
		}
		if n.PortIn >= 0 {
			to.Port = port
		}
		if e.Comment != "" {
			pk.via = e.Comment
		}
		return chainRes{kind: resNAT, pk: ev.rewrite(pk, inspect.Verdict{Kind: v.Kind, NAT: to}, *ref), by: ref}
	}
	if isDraw(*n.MapKey) {
		if groups, ok := drawGroups(*n.MapKey, n.Map, func(*inspect.SetElement) bool { return true }); ok {
			var out []chainRes
			for k, g := range groups {
				if ev.results++; ev.results > maxOutcomes {
					ev.tooMany = true
					return out
				}
				p := pk.drawn(g.share, ref, k)
				if g.e == nil {
					out = append(out, ev.chain(p, t, c, i+1, depth)...)
				} else {
					out = append(out, take(p, g.e))
				}
			}
			return out
		}
	}
	parts := pk.key(*n.MapKey)
	var sure *inspect.SetElement
	var maybes []*inspect.SetElement
	for k := range n.Map.Elements {
		e := &n.Map.Elements[k]
		switch elementMatch(parts, *e) {
		case yes:
			if sure == nil {
				sure = e
			}
		case maybe:
			if sure == nil {
				maybes = append(maybes, e)
			}
		}
	}
	if len(maybes) == 0 {
		if sure != nil {
			return []chainRes{take(pk, sure)}
		}
		return ev.chain(pk, t, c, i+1, depth)
	}
	src := false
	for _, p := range parts {
		src = src || p.source
	}
	pk.maybe = append(pk.maybe, Maybe{RuleRef: *ref, Why: "its NAT map lookup cannot be judged for an unknown client", Source: src})
	var out []chainRes
	for _, e := range maybes {
		if ev.results++; ev.results > maxOutcomes {
			ev.tooMany = true
			return out
		}
		out = append(out, take(pk, e))
	}
	if sure != nil {
		return append(out, take(pk, sure))
	}
	return append(out, ev.chain(pk, t, c, i+1, depth)...)
}
