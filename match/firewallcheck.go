// firewallcheck.go holds the firewall part of the decision: for each
// address, the path of a new connection through the snapshot's packet
// filter for each kind of client, what each will see, and the findings
// drafted from what the paths met.

package match

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/whyrefused/whyrefused/inspect"
)

// Options are a check's choices beyond its target.
type Options struct {
	// From is the client's address (check --from): the rules on the
	// source address are then judged exactly. Invalid when not given.
	From netip.Addr
}

// fwNote is what a firewall finding is about.
type fwNote struct {
	client  Client
	fate    Fate
	reject  inspect.RejectType
	symptom Symptom
	by      *RuleRef
	via     string // the comment of the verdict map element that led there
	output  bool
	reply   bool // the verdict fell on the server's answer (forward.go)
	maybes  []Maybe
	nat     []Rewrite
	dest    netip.AddrPort
	problem string // the rules could not be read
	why     string // for firewall-unsure without rules: what it is about
	shares  []Share
}

// key identifies a note for merging drafts across addresses.
func (n *fwNote) key() string {
	if n == nil {
		return ""
	}
	by := ""
	if n.by != nil {
		by = n.by.String()
	}
	var ms []string
	for _, m := range n.maybes {
		ms = append(ms, m.String()+m.Why)
	}
	return fmt.Sprint(n.client.Local, n.client.From, n.fate, n.reject, n.symptom, by, n.via, n.problem, n.why, ms, n.dest.Port(), n.reply, n.shares)
}

// socketSymptom is what a client sees as far as the sockets decide.
func socketSymptom(v Verdict) Symptom {
	switch v {
	case VerdictAccept:
		return SymptomAccepted
	case VerdictRefuse:
		return SymptomRefused
	}
	return SymptomUnsure
}

// firewall follows the address's paths through the packet filter, when
// the snapshot holds one, and sets the address's symptom and verdict.
func (e *explainer) firewall(ar *AddressResult) {
	if ar.Symptom == "" { // address() sets it when it knows better (a full accept queue)
		ar.Symptom = socketSymptom(ar.Verdict)
	}
	rs := e.snap.Rules
	if rs == nil {
		return
	}
	if !rs.Complete && len(rs.Tables) == 0 {
		e.add(draft{code: CodeFirewallUnsure, fw: &fwNote{problem: strings.Join(rs.Problems, "; ")}})
		if ar.Symptom == SymptomAccepted {
			ar.Symptom = SymptomUnsure
		}
		return
	}
	if !rs.Complete {
		e.add(draft{code: CodeFirewallUnsure, fw: &fwNote{problem: strings.Join(rs.Problems, "; ")}})
	}
	if len(rs.Tables) == 0 {
		return // nothing filters: the sockets decide for every client
	}
	h := FirewallHost{Rules: rs, Interfaces: e.snap.Interfaces, Addrs: e.snap.HostAddrs}
	dst := netip.AddrPortFrom(ar.Addr, e.t.Port)
	clients := []Client{{From: e.opts.From}, {Local: true}}
	if ar.Addr.IsLoopback() {
		clients = clients[1:]
	}
	local := ar.Verdict != VerdictUnknown
	for _, c := range clients {
		p := FollowPath(h, e.t.Protocol, dst, c)
		ar.Paths = append(ar.Paths, p)
		if split, sym, ok := e.spread(ar, p, local); ok {
			ar.Clients = append(ar.Clients, ClientSymptom{Client: c, Symptom: sym, Split: split})
			continue
		}
		sym := e.pathSymptom(ar, p, local)
		ar.Clients = append(ar.Clients, ClientSymptom{Client: c, Symptom: sym})
	}
	ar.Symptom = ar.Clients[0].Symptom
	ar.Verdict = clientsVerdict(ar.Clients, ar.Verdict)
	if rewritten(ar) {
		e.rewrittenVerdict(ar)
	}
}

// clientsVerdict is the address's verdict from its clients' symptoms:
// accept only when every client is accepted; refuse when some client
// surely is not; unknown when it cannot tell. An address that is not
// this host's stays unknown unless its own rules refuse it.
func clientsVerdict(cs []ClientSymptom, sockets Verdict) Verdict {
	acc, sure := 0, 0
	for _, c := range cs {
		switch c.Symptom {
		case SymptomAccepted:
			acc++
		case SymptomUnsure:
		default:
			sure++
		}
	}
	switch {
	case sure > 0:
		return VerdictRefuse
	case acc == len(cs) && sockets == VerdictAccept:
		return VerdictAccept
	case sockets == VerdictRefuse && acc == len(cs):
		return VerdictRefuse
	}
	return VerdictUnknown
}

// pathSymptom is what the path's client sees, and drafts the findings.
func (e *explainer) pathSymptom(ar *AddressResult, p Path, local bool) Symptom {
	one := []netip.Addr{ar.Addr}
	if !local && (!p.Sure() || p.Outcomes[0].Fate != FateReject && p.Outcomes[0].Fate != FateDrop) {
		return SymptomUnsure // not this host's address: only its own rejects and drops tell
	}
	if !p.Sure() {
		var maybes []Maybe
		for _, o := range p.Outcomes {
			for _, m := range o.Maybe {
				if !slices.ContainsFunc(maybes, func(x Maybe) bool { return x.Rule == m.Rule && x.Why == m.Why }) {
					maybes = append(maybes, m)
				}
			}
		}
		why := ""
		if p.TooMany {
			why = "too many rules on the way cannot be judged to follow every way"
		}
		e.add(draft{code: CodeFirewallUnsure, addrs: one, fw: &fwNote{client: p.Client, maybes: maybes, why: why}})
		return SymptomUnsure
	}
	o := p.Outcomes[0]
	note := &fwNote{client: p.Client, fate: o.Fate, reject: o.Reject, by: o.By, via: o.Via, output: o.Output, reply: o.Reply, nat: o.NAT, dest: o.Dest, symptom: p.Symptom()}
	switch o.Fate {
	case FateReject:
		e.add(draft{code: CodeFirewallReject, addrs: one, fw: note})
		return note.symptom
	case FateDrop:
		e.add(draft{code: CodeFirewallDrop, addrs: one, fw: note})
		return SymptomTimeout
	case FateForward:
		note.why = fmt.Sprintf("the connection is forwarded to %s, beyond this host's sockets", o.Dest)
		e.add(draft{code: CodeFirewallUnsure, addrs: one, fw: note})
		return SymptomUnsure
	}
	if o.Dest == p.Dest {
		return ar.Symptom // still the sockets' symptom
	}
	// A DNAT or REDIRECT to another address or port of this host: its
	// sockets decide there.
	return e.socketsAt(ar, o, p)
}

// scanned reports whether the snapshot holds the listeners on port p: the
// target's candidate ports (CheckFilter), and those the rules' NAT sends
// connections to on this host (Snapshot.NATPorts).
func (e *explainer) scanned(p uint16) bool {
	return slices.Contains(CandidatePorts(e.t.Port), p) || slices.Contains(e.snap.NATPorts, p)
}

// socketsAt is what the sockets say of a connection rewritten to o.Dest.
func (e *explainer) socketsAt(ar *AddressResult, o Outcome, p Path) Symptom {
	if !e.scanned(o.Dest.Port()) {
		e.add(draft{code: CodeFirewallUnsure, addrs: []netip.Addr{ar.Addr}, fw: &fwNote{client: p.Client, nat: o.NAT, dest: o.Dest,
			why: fmt.Sprintf("the connection is redirected to %s, whose listeners were not scanned", o.Dest)}})
		return SymptomUnsure
	}
	for _, s := range e.listeners(e.t.Protocol, o.Dest.Port()) {
		if f, _ := fitOf(s, o.Dest.Addr(), e.snap.DefaultV6Only); f.accepts() {
			if why := udpReplyDoubt(e.t.Protocol, s, p.Dest, o.Dest); why != "" {
				e.add(draft{code: CodeFirewallUnsure, addrs: []netip.Addr{ar.Addr}, fw: &fwNote{client: p.Client, nat: o.NAT, dest: o.Dest, why: why}})
				return SymptomUnsure
			}
			return SymptomAccepted
		}
	}
	return SymptomRefused
}
