// explain.go holds the decision: Explain, which takes each address of a
// target against the snapshot's sockets and drafts the findings behind it.

package match

import (
	"context"
	"net/netip"
	"slices"

	"github.com/whyrefused/whyrefused/inspect"
	"github.com/whyrefused/whyrefused/target"
)

// CheckFilter is the inspect.Filter that gives Explain what it needs for
// these targets, and no more: every protocol; the listeners on each
// target's candidate ports (CandidatePorts), so that nearby and
// byte-swapped ports show up; and every socket, in any state, on the
// target's port itself, so that TIME_WAIT or CLOSE_WAIT sockets show up.
// Connections on the nearby ports are left out: on a busy host they are
// many, and finding their owners would cost most of the scan.
func CheckFilter(targets []target.Target) inspect.Filter {
	f := inspect.Listeners()
	f.WithReservedPorts = true // Windows' excluded port ranges, for port-reserved
	for _, t := range targets {
		f.Ports = append(f.Ports, CandidatePorts(t.Port)...)
		f.AnyStatePorts = append(f.AnyStatePorts, t.Port)
	}
	slices.Sort(f.Ports)
	f.Ports = slices.Compact(f.Ports)
	slices.Sort(f.AnyStatePorts)
	f.AnyStatePorts = slices.Compact(f.AnyStatePorts)
	return f
}

// Explain says whether a connection to each address of t would be
// accepted by this host's sockets in snap, and why; r resolves host names.
// snap should hold every socket on t's candidate ports (CheckFilter).
func Explain(ctx context.Context, t target.Target, snap *inspect.Snapshot, r target.Resolver) Report {
	return ExplainWith(ctx, t, snap, r, Options{})
}

// ExplainWith is Explain with the check's options. When snap holds the
// packet filter (Filter.WithRules), each address's verdict follows the
// path of a new connection through it too (firewallcheck.go).
func ExplainWith(ctx context.Context, t target.Target, snap *inspect.Snapshot, r target.Resolver, o Options) Report {
	rep := Report{Target: t, Warnings: slices.Clone(snap.Warnings)}
	e := explainer{t: t, snap: snap, rep: &rep, opts: o}
	addrs, err := e.addresses(ctx, r)
	if err != nil {
		e.add(draft{code: CodeUnresolvable, err: err})
	}
	for _, a := range addrs {
		ar := e.unseen(e.address(a))
		e.firewall(&ar)
		rep.Addresses = append(rep.Addresses, ar)
	}
	for i := range rep.Addresses {
		ar := &rep.Addresses[i]
		for j := range e.drafts {
			if d := &e.drafts[j]; d.hasAddr(ar.Addr) && !slices.Contains(ar.Codes, d.code) {
				ar.Codes = append(ar.Codes, d.code)
			}
		}
	}
	e.rows()
	if n := e.hidden(); n > 0 {
		e.add(draft{code: CodeOwnerHidden, count: n})
	}
	rep.Verdict = overall(rep.Addresses)
	slices.SortStableFunc(e.drafts, func(a, b draft) int { return findingRank(a.code) - findingRank(b.code) })
	for _, d := range e.drafts {
		rep.Findings = append(rep.Findings, e.finding(d))
		rep.Guessed = rep.Guessed || d.guessed
	}
	rep.Summary = e.summary()
	return rep
}

// overall combines the verdicts of the addresses.
func overall(as []AddressResult) Verdict {
	var acc, ref int
	for _, a := range as {
		switch a.Verdict {
		case VerdictAccept:
			acc++
		case VerdictRefuse:
			ref++
		}
	}
	switch {
	case len(as) == 0:
		return VerdictUnknown
	case acc == len(as):
		return VerdictAccept
	case acc > 0:
		return VerdictPartial
	case ref > 0:
		return VerdictRefuse
	default:
		return VerdictUnknown
	}
}

// draft is a finding before its words: merged across addresses first.
type draft struct {
	code    Code
	addrs   []netip.Addr
	sockets []inspect.Socket
	guessed bool
	err     error
	count   int
	// via is where another network namespace comes in, for the findings
	// of follow.go; nil for the others.
	via *via
	// fw is set for the firewall findings: what the path met.
	fw     *fwNote
	ranges []inspect.PortRange // the reserved ranges of a port-reserved finding
	// addrSet holds addrs once they are many, so that a name with
	// 100,000 addresses is explained in linear time.
	addrSet map[netip.Addr]bool
}

// hasAddr reports whether d is about address a.
func (d *draft) hasAddr(a netip.Addr) bool {
	if len(d.addrs) < 16 {
		return slices.Contains(d.addrs, a)
	}
	if len(d.addrSet) != len(d.addrs) {
		d.addrSet = make(map[netip.Addr]bool, len(d.addrs))
		for _, x := range d.addrs {
			d.addrSet[x] = true
		}
	}
	return d.addrSet[a]
}

// addAddr adds address a to d unless it holds it.
func (d *draft) addAddr(a netip.Addr) {
	if !d.hasAddr(a) {
		d.addrs = append(d.addrs, a)
		if d.addrSet != nil {
			d.addrSet[a] = true
		}
	}
}

// explainer holds the state of one Explain.
type explainer struct {
	t      target.Target
	snap   *inspect.Snapshot
	rep    *Report
	drafts []draft
	opts   Options
	// fwDrafts indexes the firewall drafts by code and note, so that a
	// name with many addresses merges them in linear time.
	fwDrafts map[string]int
}

// add merges d into an existing draft with the same code and sockets, or
// appends it.
func (e *explainer) add(d draft) {
	if d.fw != nil && len(d.sockets) == 0 {
		k := string(d.code) + "\x00" + d.fw.key()
		if i, ok := e.fwDrafts[k]; ok {
			for _, a := range d.addrs {
				e.drafts[i].addAddr(a)
			}
			return
		}
		if e.fwDrafts == nil {
			e.fwDrafts = map[string]int{}
		}
		e.fwDrafts[k] = len(e.drafts)
		e.drafts = append(e.drafts, d)
		return
	}
	for i := range e.drafts {
		x := &e.drafts[i]
		if x.code == d.code && slices.EqualFunc(x.sockets, d.sockets, SameSocket) && x.fw.key() == d.fw.key() {
			for _, a := range d.addrs {
				x.addAddr(a)
			}
			x.guessed = x.guessed || d.guessed
			return
		}
	}
	e.drafts = append(e.drafts, d)
}

// listeners returns the listening sockets of proto on port.
func (e *explainer) listeners(proto inspect.Protocol, port uint16) []inspect.Socket {
	var out []inspect.Socket
	for _, s := range e.snap.Sockets {
		if s.Protocol == proto && s.Local.Port() == port && s.Listening() {
			out = append(out, s)
		}
	}
	return out
}

// serving returns the listeners of proto on port that accept address a,
// and whether that rests on the OS default for IPV6_V6ONLY.
func (e *explainer) serving(proto inspect.Protocol, port uint16, a netip.Addr) (ss []inspect.Socket, guessed bool) {
	for _, s := range e.listeners(proto, port) {
		if f, g := fitOf(s, a, e.snap.DefaultV6Only); f.accepts() {
			ss = append(ss, s)
			guessed = guessed || g
		}
	}
	return ss, guessed
}

// reserved returns the excluded port ranges that hold the target's port
// for a's family. Only the ranges Windows reserved itself (Hyper-V, WSL2,
// WinNAT, Docker) keep every server off; an administrator's exclusion
// keeps the port out of the dynamic range, and a server may still bind it.
func (e *explainer) reserved(a netip.Addr) []inspect.PortRange {
	fam := 6
	if a.Unmap().Is4() {
		fam = 4
	}
	var out []inspect.PortRange
	for _, r := range e.snap.ReservedPorts {
		if r.Protocol == e.t.Protocol && r.Family == fam && !r.Administered && r.Contains(e.t.Port) {
			out = append(out, r)
		}
	}
	return out
}

// other is the protocol that is not p.
func other(p inspect.Protocol) inspect.Protocol {
	if p == inspect.TCP {
		return inspect.UDP
	}
	return inspect.TCP
}

// address decides one address and records the findings behind it.
func (e *explainer) address(a netip.Addr) AddressResult {
	res := AddressResult{Addr: a, Verdict: VerdictRefuse}
	if !e.local(a) {
		res.Verdict = VerdictUnknown
		e.add(draft{code: CodeNotLocal, addrs: []netip.Addr{a}})
		return res
	}
	p, proto := e.t.Port, e.t.Protocol
	ls := e.listeners(proto, p)
	byFit := map[fit][]inspect.Socket{}
	guessedFit := map[fit]bool{}
	for _, s := range ls {
		f, g := fitOf(s, a, e.snap.DefaultV6Only)
		byFit[f] = append(byFit[f], s)
		guessedFit[f] = guessedFit[f] || g
	}
	var serving []inspect.Socket
	sure := false
	for _, f := range []fit{fitExact, fitWildcard, fitDualStack} {
		serving = append(serving, byFit[f]...)
		sure = sure || (len(byFit[f]) > 0 && !guessedFit[f])
	}
	if len(serving) > 0 {
		res.Verdict, res.Guessed, res.Symptom = VerdictAccept, !sure, SymptomAccepted
		if sym, full := e.acceptQueue(a, byFit); full {
			res.Verdict, res.Symptom = queueVerdict(sym), sym
			if sym == SymptomTimeout {
				return res // it listens, but would not accept
			}
		}
		e.add(draft{code: CodeListening, addrs: []netip.Addr{a}, sockets: serving, guessed: !sure})
		return res
	}
	res.Guessed = guessedFit[fitV6Only]
	one := []netip.Addr{a}
	if len(ls) == 0 && !e.snap.OthersHidden { // else not known: see unseen
		e.add(draft{code: CodeNoListener, addrs: one})
		if rs := e.reserved(a); len(rs) > 0 {
			e.add(draft{code: CodePortReserved, addrs: one, ranges: rs})
		}
	}
	for _, c := range []struct {
		code Code
		fits []fit
	}{
		{CodeLoopbackOnly, []fit{fitLoopback}},
		{CodeOtherAddress, []fit{fitOther}},
		{familyCode(a), []fit{fitV6Only, fitFamily}},
	} {
		var socks []inspect.Socket
		g := false
		for _, f := range c.fits {
			socks = append(socks, byFit[f]...)
			g = g || guessedFit[f]
		}
		if len(socks) > 0 {
			e.add(draft{code: c.code, addrs: one, sockets: socks, guessed: g})
		}
	}
	if os, g := e.serving(other(proto), p, a); len(os) > 0 {
		// Only a socket that would take this address over the other
		// protocol: one on another address serves neither.
		e.add(draft{code: CodeWrongProtocol, addrs: one, sockets: os, guessed: g})
	}
	if len(ls) == 0 && proto == inspect.TCP {
		if left := e.leftovers(); len(left) > 0 {
			e.add(draft{code: CodeRecentlyClosed, addrs: one, sockets: left})
		}
	}
	for _, c := range CandidatePorts(p)[1:] {
		code := CodeNearbyPort
		if c == ByteSwap(p) {
			code = CodeByteSwapped
		}
		if near := e.listeners(proto, c); len(near) > 0 {
			e.add(draft{code: code, addrs: one, sockets: near})
		}
	}
	return res
}

// unseen turns a refusal that rests on sockets the snapshot cannot see
// (another user's, on macOS without root) into unknown, with the finding
// that says so and how to see them.
func (e *explainer) unseen(res AddressResult) AddressResult {
	if !e.snap.OthersHidden || res.Verdict != VerdictRefuse {
		return res
	}
	res.Verdict = VerdictUnknown
	e.add(draft{code: CodeOthersHidden, addrs: []netip.Addr{res.Addr}})
	return res
}

// familyCode is the finding for listeners of the other address family
// than a: ipv6-only when a is IPv4, ipv4-only when a is IPv6.
func familyCode(a netip.Addr) Code {
	if a.Is4() {
		return CodeIPv6Only
	}
	return CodeIPv4Only
}

// leftovers are the TCP sockets on the target port that are not
// listeners: connections left behind by a server that listened there.
func (e *explainer) leftovers() []inspect.Socket {
	var out []inspect.Socket
	for _, s := range e.snap.Sockets {
		if s.Protocol == inspect.TCP && s.Local.Port() == e.t.Port && !s.Listening() {
			out = append(out, s)
		}
	}
	sortSockets(out)
	return out
}
