// followfw.go holds the firewalls on the way of a connection that check
// follows into another network namespace: what each client meets after
// this host's own path (its forward hook included, path.go and
// forward.go), in the namespace's own prerouting and input chains, and
// the findings that name that namespace's rule.

package match

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/whyrefused/whyrefused/inspect"
	"github.com/whyrefused/whyrefused/target"
)

// insideFirewall sets what each client of ar sees of a connection that
// reaches namespace n at to: this host's path decides first (a reject or
// drop in its forward hook), then n's own rules (view.Rules, when they
// were read), then sockets, the verdict of n's sockets. A remote client's
// connection is forwarded only where hostIfs, this namespace's
// interfaces, forward IPv4 (notForwarding). It sets the address's
// verdict and symptoms, and adds the findings on n's rules.
func insideFirewall(rep *Report, ar *AddressResult, t target.Target, hostIfs []inspect.Interface, view *inspect.Snapshot, n *inspect.Netns, to netip.AddrPort, sockets Verdict) {
	sym := socketSymptom(sockets)
	ar.Verdict, ar.Symptom = sockets, sym
	paths := ar.Paths
	if len(ar.Clients) == 0 {
		if view.Rules == nil || len(view.Rules.Tables) == 0 && view.Rules.Complete {
			return // nothing filters on the way: the sockets decide
		}
		// This host's rules hold nothing: the connection reaches n as it
		// was sent, from a client elsewhere or from this host.
		for _, c := range defaultClients(ar.Addr) {
			ar.Clients = append(ar.Clients, ClientSymptom{Client: c})
			paths = append(paths, Path{Client: c, Dest: to, Outcomes: []Outcome{{Fate: FateForward, Dest: to}}})
		}
	}
	e := &explainer{t: t, snap: view, rep: rep}
	for i := range ar.Clients {
		c := &ar.Clients[i]
		c.Symptom = sym
		if i >= len(paths) {
			continue
		}
		p := paths[i]
		if !p.Sure() {
			c.Symptom = SymptomUnsure // this host's rules could not be judged: their finding says which
			continue
		}
		switch o := p.Outcomes[0]; o.Fate {
		case FateReject, FateDrop:
			c.Symptom = p.Symptom() // this host's own rule decided: its finding names it
		case FateForward:
			if off := notForwarding(hostIfs, ar.Addr, o.Dest.Addr()); off != "" && !c.Client.Local {
				c.Symptom = SymptomTimeout
				add(rep, ar, words(rep, t, view, draft{code: CodeNotForwarded, addrs: []netip.Addr{ar.Addr},
					via: &via{from: netip.AddrPortFrom(ar.Addr, t.Port), to: o.Dest, iface: off}}))
				continue
			}
			c.Symptom = e.inside(ar.Addr, c.Client, o, sym)
		}
	}
	where := netnsText(n)
	for _, d := range e.drafts {
		f := e.finding(d)
		f.Message = "in " + where + ": " + f.Message
		f.Suggestion = insideHint(f.Suggestion)
		f.Addrs = []netip.Addr{ar.Addr}
		add(rep, ar, f)
	}
	ar.Symptom = ar.Clients[0].Symptom
	ar.Verdict = clientsVerdict(ar.Clients, sockets)
}

// defaultClients are the clients a check tells apart for address a: one
// elsewhere and one on this host, or only this host's for loopback.
func defaultClients(a netip.Addr) []Client {
	if a.IsLoopback() {
		return []Client{{Local: true}}
	}
	return []Client{{}, {Local: true}}
}

// inside is what client c sees when its connection o, forwarded from
// this host, meets the namespace's own rules (e.snap is its view): it
// comes in by the interface that holds o.Dest, from o.From. sym is what
// the namespace's sockets give.
func (e *explainer) inside(addr netip.Addr, c Client, o Outcome, sym Symptom) Symptom {
	rs := e.snap.Rules
	if rs == nil {
		return sym // not read: FollowNetns warns
	}
	if !rs.Complete {
		e.add(draft{code: CodeFirewallUnsure, addrs: []netip.Addr{addr}, fw: &fwNote{client: c, problem: strings.Join(rs.Problems, "; ")}})
		if len(rs.Tables) == 0 {
			return SymptomUnsure
		}
	}
	if len(rs.Tables) == 0 {
		return sym
	}
	h := FirewallHost{Rules: rs, Interfaces: e.snap.Interfaces, Addrs: e.snap.HostAddrs}
	p := FollowPath(h, e.t.Protocol, o.Dest, Client{From: o.From})
	p.Client = c
	for i := range p.Outcomes {
		p.Outcomes[i].NAT = append(slices.Clone(o.NAT), p.Outcomes[i].NAT...)
	}
	got := e.pathSymptom(&AddressResult{Addr: addr, Symptom: sym}, p, true)
	if !rs.Complete && got == SymptomAccepted {
		return SymptomUnsure
	}
	return got
}

// loadNetns reads namespace n's rules with load, once, before check
// follows a connection into it, and warns when they could not be read:
// then its rules may still refuse what its sockets accept.
func loadNetns(rep *Report, n *inspect.Netns, load func(*inspect.Netns) error) {
	if n.Rules != nil || load == nil {
		return
	}
	if err := load(n); err != nil {
		w := fmt.Sprintf("the firewall of %s could not be read (%v): it may still drop or reject the connection", netnsText(n), err)
		if !slices.Contains(rep.Warnings, w) {
			rep.Warnings = append(rep.Warnings, w)
		}
	}
}

// notForwarding names the interface of ifs that keeps an IPv4 connection
// from a to dest from being forwarded, or "": the one that holds a, where
// the client's packets come in, or the one whose network holds dest,
// where the server's answers come back. An interface whose switch is not
// known forwards, as far as this check can tell.
func notForwarding(ifs []inspect.Interface, a, dest netip.Addr) string {
	if !a.Is4() || !dest.Is4() {
		return ""
	}
	for i := range ifs {
		ifc := &ifs[i]
		if ifc.Forwarding == nil || *ifc.Forwarding || ifc.Name == "lo" {
			continue
		}
		holds := slices.ContainsFunc(ifc.Prefixes, func(p netip.Prefix) bool { return p.Addr() == a || p.Masked().Contains(dest) })
		if holds || slices.Contains(ifc.Addrs, a) {
			return ifc.Name
		}
	}
	return ""
}
