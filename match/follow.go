// follow.go holds how check follows a connection beyond the caller's
// network namespace: a port that a container engine publishes (a DNAT
// mapping, or a userland proxy), a container's own address, a server
// that runs in another namespace, a stopped container.

package match

import (
	"context"
	"fmt"
	"net/netip"
	"slices"

	"github.com/whyrefused/whyrefused/inspect"
	"github.com/whyrefused/whyrefused/target"
)

// proxyNames are the userland proxies that hold a published port on the
// host and pass connections on to the container (docker-proxy, and
// rootless Podman's rootlessport or rootlesskit), and the placeholders.
var proxyNames = map[string]string{
	"docker-proxy": "docker-proxy",
	"rootlesskit":  "rootlesskit",
	"rootlessport": "rootlessport",
	"dockerd":      "dockerd's placeholder",
	"conmon":       "conmon's placeholder",
}

// rootlessProxies hold the published port for every address and have no
// DNAT rule beside them: rootless Podman's, which connect on to the
// container's address (slirp4netns's tap, as Podman 4.3 does it).
var rootlessProxies = map[string]bool{"rootlesskit": true, "rootlessport": true}

// placeholders are the holders of a published port that never accept on
// it, only keep others from taking it, and what to say of them: dockerd
// with userland-proxy=false, and conmon, which holds each port that
// rootful Podman publishes (its DNAT rules take the connections,
// loopback's too).
var placeholders = map[string]string{
	"dockerd's placeholder": "dockerd's own socket on the port is a placeholder that never serves (userland-proxy=false)",
	"conmon's placeholder":  "conmon's socket on the port is Podman's reservation of it, which never serves",
}

// proxyOf names the proxy that holds s, or "".
func proxyOf(s inspect.Socket) string {
	for _, o := range s.Owners {
		if p, ok := proxyNames[o.Name]; ok {
			return p
		}
	}
	return ""
}

// via is what a finding of another namespace names: the namespace, the
// container, the mapping and what makes it.
type via struct {
	ns       *inspect.Netns
	c        *inspect.Container
	from, to netip.AddrPort
	how      string
	verb     string // "is mapped to", or "is passed on to" by a proxy
	where    string // the namespaces, in words
}

// words puts a draft of this file into words, as Explain does its own.
func words(rep *Report, t target.Target, snap *inspect.Snapshot, d draft) Finding {
	e := &explainer{t: t, snap: snap, rep: rep}
	return e.finding(d)
}

// mapping is a published port: the container and where on it the host's
// port goes.
type mapping struct {
	c  *inspect.Container
	ns *inspect.Netns // nil when the container is not running
	to netip.AddrPort
	// hostIP is the one host address mapped; zero: every address.
	hostIP netip.Addr
}

// NeedsNetns reports whether rep, a check in the caller's namespace,
// would gain from the other namespaces: it is not a plain acceptance, or
// a proxy serves it.
func NeedsNetns(rep Report) bool {
	if rep.Verdict != VerdictAccept {
		return true
	}
	for _, ar := range rep.Addresses {
		for _, p := range ar.Paths {
			if len(p.Outcomes) > 0 && p.Outcomes[0].Fate == FateForward {
				return true
			}
		}
	}
	for _, f := range rep.Findings {
		if f.Code == CodeListening && slices.ContainsFunc(f.Sockets, func(s inspect.Socket) bool { return proxyOf(s) != "" }) {
			return true
		}
	}
	return false
}

// FollowNetns completes rep, the check of t on the caller's namespace,
// with all, a snapshot of every namespace (inspect.Filter.AllNetns): a
// port a running container publishes is followed into the container and
// judged by its sockets; an address of another namespace is checked in
// it; a server on the port in another namespace, and a stopped container
// that publishes it, are said.
func FollowNetns(ctx context.Context, rep *Report, t target.Target, all *inspect.Snapshot, r target.Resolver) {
	self := all.SelfNetns()
	if self == nil {
		return
	}
	maps := mappings(all, t)
	ix := newNetnsIndex(rep, all)
	changed := false
	for i := range rep.Addresses {
		ar := &rep.Addresses[i]
		local := ar.Addr.IsLoopback() || slices.Contains(all.HostAddrs, ar.Addr)
		if n := ix.owner(ar.Addr); n != nil && !local {
			follow(ctx, rep, ar, t, all.View(n), n, netip.AddrPortFrom(ar.Addr, t.Port), "", "", r)
			changed = true
			continue
		}
		if rw, n, ok := ix.dnatInto(ar, t); ok {
			// The rule itself says where: it beats the engine's word.
			proxy := ""
			if ps := ix.proxies[ar.Addr]; len(ps) > 0 {
				proxy = proxyOf(ps[0])
			}
			how := mapRuleWords(rw.RuleRef)
			if note, ok := placeholders[proxy]; ok {
				how += "; " + note
			}
			follow(ctx, rep, ar, t, all.View(n), n, rw.To, how, proxy, r)
			forwardNote(rep, all)
			changed = true
			continue
		}
		if !local {
			continue // not this host's: what it publishes does not apply
		}
		m := mappingFor(maps, ar.Addr)
		if m == nil {
			if to, n := ix.proxyInto(ar.Addr); n != nil {
				// Neither the rules nor the engine said: the proxy's
				// own arguments do.
				follow(ctx, rep, ar, t, all.View(n), n, to, "docker-proxy (its arguments name the address)", proxyNames["docker-proxy"], r)
				changed = true
			} else if ps := ix.proxies[ar.Addr]; len(ps) > 0 && rootlessProxies[proxyOf(ps[0])] {
				w := fmt.Sprintf("%s is rootless Podman's port forwarder: it accepts, and then connects on into a container that only the user's Podman API socket names (run with CONTAINER_HOST=unix:///run/user/UID/podman/podman.sock), so what serves behind it was not checked", proxyOf(ps[0]))
				if !slices.Contains(rep.Warnings, w) {
					rep.Warnings = append(rep.Warnings, w)
				}
			}
			continue
		}
		if m.ns == nil && m.c.State == "running" {
			// Running, but none of its processes was seen (rootless
			// Podman's, when conmon's arguments could not be read).
			w := fmt.Sprintf("container %s publishes %s port %d, but its network namespace was not found, so the connection was not followed into it", m.c.Label(), t.Protocol, t.Port)
			if !slices.Contains(rep.Warnings, w) {
				rep.Warnings = append(rep.Warnings, w)
			}
			continue
		}
		if m.ns == nil {
			add(rep, ar, words(rep, t, all, draft{code: CodeContainerStopped, addrs: []netip.Addr{ar.Addr}, via: &via{c: m.c, to: m.to}}))
			continue
		}
		proxy, how := "", fmt.Sprintf("the container engine (it publishes port %d of container %s; its DNAT rule was not read)", m.to.Port(), m.c.Label())
		if ps := ix.proxies[ar.Addr]; len(ps) > 0 {
			proxy = proxyOf(ps[0])
		}
		if note, ok := placeholders[proxy]; ok {
			how += "; " + note
		}
		follow(ctx, rep, ar, t, all.View(m.ns), m.ns, m.to, how, proxy, r)
		changed = true
	}
	if !changed {
		otherNamespaces(rep, t, all, self)
	}
	if changed {
		rep.Verdict = overall(rep.Addresses)
		resummarise(rep)
	}
}

// follow judges ar by the sockets of namespace n at to, the address and
// port a connection to ar reaches there. how names what maps it there
// ("" for an address of n itself); proxy names the userland proxy that
// holds the port on the host, if one does.
func follow(ctx context.Context, rep *Report, ar *AddressResult, t target.Target, view *inspect.Snapshot, n *inspect.Netns, to netip.AddrPort, how, proxy string, r target.Resolver) {
	inner := t
	inner.Host, inner.Port, inner.Service = to.Addr().String(), to.Port(), ""
	sub := Explain(ctx, inner, view, r)
	where := netnsText(n)
	// The caller's view of this address is replaced by the inside's.
	drop := []Code{CodeNoListener, CodeNotLocal, CodeListening, CodeLoopbackOnly, CodeOtherAddress, CodeIPv6Only, CodeIPv4Only, CodeWrongProtocol, CodeNearbyPort, CodeByteSwapped, CodeRecentlyClosed}
	// proxyTakes: the proxy itself accepts the connection. Docker's DNAT
	// rules skip 127.0.0.0/8 when a userland proxy runs, leaving loopback
	// to it (a placeholder never accepts; with it, loopback is mapped
	// too); rootless Podman's proxy takes every address.
	_, placeholder := placeholders[proxy]
	proxyTakes := how != "" && proxy != "" && !placeholder && (ar.Addr.IsLoopback() || rootlessProxies[proxy])
	removeFor(rep, ar, drop)
	rep.Findings = slices.DeleteFunc(rep.Findings, func(f Finding) bool {
		return f.Code == CodeFirewallUnsure && slices.Equal(f.Addrs, []netip.Addr{ar.Addr}) && f.forwardedTo == to
	})
	if !slices.ContainsFunc(rep.Findings, func(f Finding) bool { return f.Code == CodeFirewallUnsure && slices.Contains(f.Addrs, ar.Addr) }) {
		ar.Codes = slices.DeleteFunc(ar.Codes, func(c Code) bool { return c == CodeFirewallUnsure })
	}
	if how != "" {
		verb := "is mapped to"
		switch {
		case proxyTakes && rootlessProxies[proxy]:
			verb, how = "is passed on to", proxy+" (rootless Podman's port forwarder, which holds the port and connects on)"
		case proxyTakes:
			verb, how = "is passed on to", proxy+" (the engine's DNAT rules leave loopback to it)"
		}
		add(rep, ar, words(rep, t, view, draft{code: CodeNATMapped, addrs: []netip.Addr{ar.Addr},
			via: &via{ns: n, from: netip.AddrPortFrom(ar.Addr, t.Port), to: to, how: how, verb: verb}}))
	} else {
		rep.Warnings = append(rep.Warnings, fmt.Sprintf("%s is an address of %s, not of this namespace: it was checked there", ar.Addr, where))
	}
	ar.Verdict, ar.Guessed = sub.Verdict, sub.Guessed
	if proxyTakes && sub.Verdict != VerdictAccept {
		// On loopback the proxy itself accepts, then finds nothing
		// behind it and closes: the client gets an empty reply.
		ar.Verdict = VerdictAccept
	}
	ar.Symptom = socketSymptom(ar.Verdict)
	for i := range ar.Clients {
		ar.Clients[i].Symptom = ar.Symptom
	}
	for _, f := range sub.Findings {
		if f.Code == CodeOwnerHidden || f.Code == CodeNotLocal {
			continue
		}
		f.Message = "in " + where + ": " + f.Message
		switch {
		case how != "" && slices.Contains(refusing, f.Code):
			f.Message += ", so the mapping reaches nothing"
			f.Suggestion = insideHint(f.Suggestion)
			switch {
			case proxyTakes && rootlessProxies[proxy]:
				f.Message += ": " + proxy + " accepts, then closes the connection at once (an empty reply)"
			case proxyTakes:
				f.Message += ": " + proxy + " accepts on loopback, then closes the connection at once (an empty reply)"
			}
		case f.Code != CodeListening:
			f.Suggestion = insideHint(f.Suggestion)
		}
		f.Addrs = []netip.Addr{ar.Addr}
		add(rep, ar, f)
	}
}

// refusing are the codes that say why nothing takes a connection.
var refusing = []Code{CodeNoListener, CodeLoopbackOnly, CodeOtherAddress, CodeIPv6Only, CodeIPv4Only, CodeWrongProtocol}

// proxyInto is where a proxy serving address a passes connections on,
// when that is an address of another local namespace.
func (ix *netnsIndex) proxyInto(a netip.Addr) (netip.AddrPort, *inspect.Netns) {
	for _, s := range ix.proxies[a] {
		for _, o := range s.Owners {
			if o.ProxyTo.IsValid() {
				if n := ix.owner(o.ProxyTo.Addr()); n != nil {
					return o.ProxyTo, n
				}
			}
		}
	}
	return netip.AddrPort{}, nil
}

// dnatInto finds the DNAT on the path of a connection to ar that sends
// it into another local namespace: from the paths Explain followed, or
// followed here through the caller's rules when it did not. For a
// loopback address the client is on this host; otherwise on another.
func (ix *netnsIndex) dnatInto(ar *AddressResult, t target.Target) (Rewrite, *inspect.Netns, bool) {
	all := ix.all
	paths := ar.Paths
	if len(paths) == 0 && ix.nat {
		h := FirewallHost{Rules: all.Rules, Interfaces: all.Interfaces, Addrs: all.HostAddrs}
		c := Client{Local: ar.Addr.IsLoopback()}
		paths = []Path{FollowPath(h, t.Protocol, netip.AddrPortFrom(ar.Addr, t.Port), c)}
	}
	for _, p := range paths {
		if !p.Sure() {
			continue
		}
		o := p.Outcomes[0]
		if o.Fate != FateForward || len(o.NAT) == 0 {
			continue
		}
		if n := ix.owner(o.Dest.Addr()); n != nil {
			rw := o.NAT[len(o.NAT)-1]
			rw.To = o.Dest
			return rw, n, true
		}
	}
	return Rewrite{}, nil, false
}

// forwardNote warns, once, that the forward hook was not followed: a
// mapped connection passes it on its way into the namespace.
func forwardNote(rep *Report, all *inspect.Snapshot) {
	if all.Rules == nil {
		return
	}
	for _, tb := range all.Rules.Tables {
		for _, c := range tb.Chains {
			if c.Hook == inspect.HookForward && (len(c.Rules) > 0 || c.Policy == inspect.VerdictDrop) {
				w := fmt.Sprintf("the mapped connection also passes chain %s of table %s %s (forward hook), which was not followed: it may still drop or reject it", c.Name, tb.Family, tb.Name)
				if !slices.Contains(rep.Warnings, w) {
					rep.Warnings = append(rep.Warnings, w)
				}
				return
			}
		}
	}
}

// insideHint says that a fix is to be made inside the container.
func insideHint(s string) string {
	if s == "" {
		return s
	}
	return s + " (inside the container or namespace)"
}

// otherNamespaces adds other-namespace for the refused addresses when a
// socket listens on the port in another namespace.
func otherNamespaces(rep *Report, t target.Target, all *inspect.Snapshot, self *inspect.Netns) {
	var socks []inspect.Socket
	for _, s := range all.Sockets {
		if s.Netns != self && s.Netns != nil && s.Protocol == t.Protocol && s.Local.Port() == t.Port && s.Listening() {
			socks = append(socks, s)
		}
	}
	if len(socks) == 0 {
		return
	}
	var where []string
	for _, s := range socks {
		if w := netnsText(s.Netns); !slices.Contains(where, w) {
			where = append(where, w)
		}
	}
	for i := range rep.Addresses {
		ar := &rep.Addresses[i]
		if ar.Verdict != VerdictRefuse {
			continue
		}
		add(rep, ar, words(rep, t, all, draft{code: CodeOtherNamespace, addrs: []netip.Addr{ar.Addr}, sockets: socks,
			via: &via{ns: socks[0].Netns, where: joinAnd(where)}}))
	}
	resummarise(rep)
}

// netnsText names a namespace in a sentence: "container web (4f2a9c1e0b7d)",
// "pod shop/cart-0", "network namespace blue".
func netnsText(n *inspect.Netns) string {
	switch {
	case n.Pod != nil:
		return "pod " + n.Pod.Namespace + "/" + n.Pod.Name
	case n.Container != nil && n.Container.Name != "":
		return "container " + n.Container.Name + " (" + n.Container.ShortID() + ")"
	case n.Container != nil:
		return "container " + n.Container.ShortID()
	case n.Host:
		return "the host's network namespace"
	}
	return "network namespace " + n.Name
}

// engineCLI is the command that manages container c: podman for
// Podman's, docker otherwise.
func engineCLI(c *inspect.Container) string {
	if c.Runtime == "podman" {
		return "podman"
	}
	return "docker"
}

// mappings are the ports that the engine publishes on t's port, for
// running containers (with their namespace) and stopped ones.
func mappings(all *inspect.Snapshot, t target.Target) []mapping {
	var out []mapping
	for i := range all.Containers {
		c := &all.Containers[i]
		for _, p := range c.Ports {
			if p.Protocol != t.Protocol || p.HostPort != t.Port {
				continue
			}
			m := mapping{c: c}
			var to netip.Addr
			for _, n := range all.Namespaces {
				if n.Container != nil && n.Container.ID == c.ID && c.State == "running" {
					m.ns = n
				}
			}
			for _, a := range c.Addrs {
				if a.Is4() {
					to = a
					break
				}
			}
			if !to.IsValid() && len(c.Addrs) > 0 {
				to = c.Addrs[0]
			}
			if m.ns != nil && !to.IsValid() {
				to = soleAddr(m.ns) // slirp4netns's tap, of rootless Podman
			}
			if m.ns != nil && !to.IsValid() {
				continue // no address on the engine's networks: not mapped
			}
			m.to, m.hostIP = netip.AddrPortFrom(to, p.Port), p.HostIP
			out = append(out, m)
		}
	}
	return out
}

// soleAddr is the one IPv4 address of namespace n that is not loopback
// or link-local (else the one such IPv6 address), or the zero Addr when
// it has none or several.
func soleAddr(n *inspect.Netns) netip.Addr {
	var v4, v6 []netip.Addr
	for _, a := range n.Addrs {
		switch a = unmap(a); {
		case a.IsLoopback() || a.IsLinkLocalUnicast():
		case a.Is4():
			v4 = append(v4, a)
		default:
			v6 = append(v6, a)
		}
	}
	switch {
	case len(v4) == 1:
		return v4[0]
	case len(v4) == 0 && len(v6) == 1:
		return v6[0]
	}
	return netip.Addr{}
}

// mappingFor picks the mapping that reaches host address a.
func mappingFor(ms []mapping, a netip.Addr) *mapping {
	for i := range ms {
		if m := &ms[i]; !m.hostIP.IsValid() || unmap(m.hostIP) == a {
			return m
		}
	}
	return nil
}

// netnsIndex is what FollowNetns looks up for every address, made once:
// a target may stand for 100,000 addresses.
type netnsIndex struct {
	all *inspect.Snapshot
	// owners maps an address of another namespace to it; nil when
	// several have it (namespaces apart may use the same addresses: the
	// routes would decide which one a packet reaches, and they are not
	// read).
	owners map[netip.Addr]*inspect.Netns
	// proxies are the proxy sockets that serve each address.
	proxies map[netip.Addr][]inspect.Socket
	// nat is true when the caller's rules hold a DNAT or REDIRECT.
	nat bool
}

func newNetnsIndex(rep *Report, all *inspect.Snapshot) *netnsIndex {
	ix := &netnsIndex{all: all, owners: map[netip.Addr]*inspect.Netns{}, proxies: map[netip.Addr][]inspect.Socket{}}
	for _, n := range all.Namespaces {
		if n.Self {
			continue
		}
		for _, a := range n.Addrs {
			a = unmap(a).WithZone("")
			if m, seen := ix.owners[a]; seen && m != n {
				ix.owners[a] = nil
			} else if !seen {
				ix.owners[a] = n
			}
		}
	}
	for _, f := range rep.Findings {
		if f.Code != CodeListening {
			continue
		}
		for _, s := range f.Sockets {
			if proxyOf(s) != "" {
				for _, a := range f.Addrs {
					ix.proxies[a] = append(ix.proxies[a], s)
				}
			}
		}
	}
	if all.Rules != nil {
		for _, tb := range all.Rules.Tables {
			for _, c := range tb.Chains {
				for _, r := range c.Rules {
					k := r.Verdict.Kind
					ix.nat = ix.nat || k == inspect.VerdictDNAT || k == inspect.VerdictRedirect
				}
			}
		}
	}
	return ix
}

// owner is the one other namespace that has address a, or nil.
func (ix *netnsIndex) owner(a netip.Addr) *inspect.Netns {
	if a.IsLoopback() {
		return nil
	}
	return ix.owners[a]
}

// add adds f for address ar, merged with an equal finding of another
// address.
func add(rep *Report, ar *AddressResult, f Finding) {
	if !slices.Contains(f.Addrs, ar.Addr) {
		f.Addrs = append(f.Addrs, ar.Addr)
	}
	if !slices.Contains(ar.Codes, f.Code) {
		ar.Codes = append(ar.Codes, f.Code)
	}
	for i := range rep.Findings {
		x := &rep.Findings[i]
		if x.Code == f.Code && x.Message == f.Message {
			for _, a := range f.Addrs {
				if !slices.Contains(x.Addrs, a) {
					x.Addrs = append(x.Addrs, a)
				}
			}
			return
		}
	}
	rep.Findings = append(rep.Findings, f)
}

// removeFor drops address ar from the findings with these codes, and the
// findings left with no address.
func removeFor(rep *Report, ar *AddressResult, codes []Code) {
	ar.Codes = slices.DeleteFunc(ar.Codes, func(c Code) bool { return slices.Contains(codes, c) })
	rep.Findings = slices.DeleteFunc(rep.Findings, func(f Finding) bool {
		if !slices.Contains(codes, f.Code) || !slices.Contains(f.Addrs, ar.Addr) {
			return false
		}
		f.Addrs = slices.DeleteFunc(f.Addrs, func(a netip.Addr) bool { return a == ar.Addr })
		return len(f.Addrs) == 0
	})
	for i := range rep.Findings {
		f := &rep.Findings[i]
		if slices.Contains(codes, f.Code) {
			f.Addrs = slices.DeleteFunc(f.Addrs, func(a netip.Addr) bool { return a == ar.Addr })
		}
	}
}

// resummarise orders the findings and says the verdict again in one
// sentence: the first finding that explains it.
func resummarise(rep *Report) {
	slices.SortStableFunc(rep.Findings, func(a, b Finding) int { return findingRank(a.Code) - findingRank(b.Code) })
	for _, f := range rep.Findings {
		if f.Code == CodeNATMapped || f.Code == CodeOwnerHidden {
			continue
		}
		accepting := f.Code == CodeListening
		if accepting == (rep.Verdict == VerdictAccept) || rep.Verdict == VerdictPartial {
			rep.Summary = f.Message
			return
		}
	}
}

// orWord is s, or word when s is empty.
func orWord(s, word string) string {
	if s == "" {
		return word
	}
	return s
}
