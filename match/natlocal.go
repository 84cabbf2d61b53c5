// natlocal.go holds the answer for an address whose connections the
// rules send elsewhere on this host (a REDIRECT, a DNAT to another local
// address or port, endpoints drawn by kube-proxy): the sockets on the
// target's own port then do not decide, the destinations' do.

package match

import (
	"fmt"
	"net/netip"
	"slices"
)

// socketCodes are the findings on the target port's own sockets, which
// a rewrite of every connection makes beside the point.
var socketCodes = []Code{CodeNoListener, CodeListening, CodeLoopbackOnly, CodeOtherAddress, CodeIPv6Only, CodeIPv4Only,
	CodeWrongProtocol, CodeNearbyPort, CodeByteSwapped, CodeRecentlyClosed}

// rewritten reports whether every client's connections to ar are sent to
// other destinations of this host, whose sockets gave their symptoms.
func rewritten(ar *AddressResult) bool {
	if len(ar.Paths) == 0 || len(ar.Paths) != len(ar.Clients) {
		return false
	}
	for i, p := range ar.Paths {
		if ar.Clients[i].Split != nil {
			if slices.ContainsFunc(p.Outcomes, func(o Outcome) bool { return o.Dest == p.Dest }) {
				return false
			}
			continue
		}
		if !p.Sure() || p.Outcomes[0].Fate != FateAccept || p.Outcomes[0].Dest == p.Dest {
			return false
		}
	}
	return true
}

// rewrittenVerdict sets ar's verdict from its clients' symptoms at the
// destinations, drops the findings on the target port's own sockets,
// and says where a single rewrite sends the connection.
func (e *explainer) rewrittenVerdict(ar *AddressResult) {
	acc, failed := 0, 0
	for _, c := range ar.Clients {
		switch c.Symptom {
		case SymptomAccepted:
			acc++
		case SymptomUnsure:
		default:
			failed++
		}
	}
	switch {
	case failed > 0:
		ar.Verdict = VerdictRefuse
	case acc == len(ar.Clients):
		ar.Verdict = VerdictAccept
	default:
		ar.Verdict = VerdictUnknown
	}
	e.forget(ar.Addr, socketCodes)
	for i, p := range ar.Paths {
		if split := ar.Clients[i].Split; split != nil {
			if len(split) == 1 && split[0].Symptom == SymptomAccepted && p.Outcomes[0].DrawnBy != nil {
				how := fmt.Sprintf("%s, which spreads connections over %d destinations that all take them", ruleWords(p.Outcomes[0].DrawnBy), len(split[0].Dests))
				e.add(draft{code: CodeNATMapped, addrs: []netip.Addr{ar.Addr}, via: &via{from: p.Dest, to: split[0].Dests[0], how: how, verb: "is mapped to"}})
			}
			continue
		}
		o := p.Outcomes[0]
		rw := o.NAT[len(o.NAT)-1]
		how := ruleWords(&rw.RuleRef)
		if ar.Clients[i].Symptom == SymptomRefused {
			how += ", and nothing there takes it"
		}
		e.add(draft{code: CodeNATMapped, addrs: []netip.Addr{ar.Addr}, via: &via{from: p.Dest, to: o.Dest, how: how, verb: "is mapped to"}})
	}
}

// forget takes address a out of the drafts with these codes, and drops
// the drafts left with no address.
func (e *explainer) forget(a netip.Addr, codes []Code) {
	kept := e.drafts[:0]
	for _, d := range e.drafts {
		if slices.Contains(codes, d.code) && d.hasAddr(a) {
			d.addrs = slices.DeleteFunc(d.addrs, func(x netip.Addr) bool { return x == a })
			if d.addrSet != nil {
				delete(d.addrSet, a)
			}
			if len(d.addrs) == 0 {
				continue
			}
		}
		kept = append(kept, d)
	}
	e.drafts = kept
	clear(e.fwDrafts)
	for i, d := range e.drafts {
		if d.fw != nil && len(d.sockets) == 0 {
			e.fwDrafts[string(d.code)+"\x00"+d.fw.key()] = i
		}
	}
}
