// natports_test.go holds the tests of the ports that NAT rules send
// connections to on this host (natports.go).

package inspect

import (
	"net/netip"
	"slices"
	"testing"
)

func TestLocalNATPorts(t *testing.T) {
	host := netip.MustParseAddr("198.18.0.1")
	local := func(a netip.Addr) bool { return a.IsLoopback() || a == host }
	nat := func(kind VerdictKind, n NAT) Rule { return Rule{Verdict: Verdict{Kind: kind, NAT: &n}} }
	portMap := &Set{Elements: []SetElement{{Key: []byte{0x1f, 0x90}, Data: []byte{0x24, 0x01, 0, 0}}}} // 8080 : 9217
	addrMap := &Set{Elements: []SetElement{
		{Key: []byte{0x1f, 0x90}, Data: []byte{198, 18, 0, 1, 0x23, 0x28, 0, 0}}, // to this host, port 9000
		{Key: []byte{0x1f, 0x91}, Data: []byte{198, 18, 9, 9, 0x23, 0x29, 0, 0}}, // elsewhere, port 9001
		{Key: []byte{0x1f, 0x92}, Data: []byte{127, 0, 0, 1, 0x23, 0x2a, 0, 0}},  // loopback, port 9002
		{Key: []byte{0x1f, 0x93}, Data: []byte{198, 18, 0, 1}},                   // too short for a port
	}}
	rs := &Ruleset{Tables: []Table{{Name: "nat", Chains: []Chain{{Name: "pre", Rules: []Rule{
		nat(VerdictRedirect, NAT{Port: 15001}),
		nat(VerdictDNAT, NAT{Addr: []byte{127, 0, 0, 1}, Port: 9443}),
		nat(VerdictDNAT, NAT{Addr: []byte{198, 18, 100, 2}, Port: 80}), // a container's: not this host's
		nat(VerdictDNAT, NAT{Port: 8443}),                              // the port alone
		nat(VerdictRedirect, NAT{Map: portMap, AddrIn: -1, PortIn: 0}),
		nat(VerdictDNAT, NAT{Map: addrMap, AddrIn: 0, PortIn: 4}),
		nat(VerdictSNAT, NAT{Addr: []byte{198, 18, 0, 1}, Port: 7777}), // a source rewrite leads nowhere
		nat(VerdictRedirect, NAT{Port: 15001}),                         // once only
		{Verdict: Verdict{Kind: VerdictAccept}},
	}}}}}}
	got := rs.LocalNATPorts(local)
	want := []uint16{8443, 9000, 9002, 9217, 9443, 15001}
	if !slices.Equal(got, want) {
		t.Errorf("LocalNATPorts = %v, want %v", got, want)
	}
	if (*Ruleset)(nil).LocalNATPorts(local) != nil {
		t.Error("a nil rule set has NAT ports")
	}

	f := Filter{Ports: []uint16{8080, 9443}}
	g, added := withNATPorts(f, rs, []netip.Addr{host})
	if !slices.Equal(added, []uint16{8443, 9000, 9002, 9217, 15001}) || !slices.Equal(g.Ports, []uint16{8080, 8443, 9000, 9002, 9217, 9443, 15001}) {
		t.Errorf("withNATPorts added %v, ports %v", added, g.Ports)
	}
	if !slices.Equal(f.Ports, []uint16{8080, 9443}) {
		t.Errorf("withNATPorts changed the caller's ports: %v", f.Ports)
	}
	if g, added := withNATPorts(Filter{}, rs, nil); g.Ports != nil || added != nil {
		t.Errorf("a filter of every port gained ports %v (added %v)", g.Ports, added)
	}
}

func TestLocalNATPortsBounded(t *testing.T) {
	var rules []Rule
	for p := 1; p <= 2*maxNATPorts; p++ {
		rules = append(rules, Rule{Verdict: Verdict{Kind: VerdictRedirect, NAT: &NAT{Port: uint16(p)}}})
	}
	rs := &Ruleset{Tables: []Table{{Chains: []Chain{{Rules: rules}}}}}
	if got := rs.LocalNATPorts(func(netip.Addr) bool { return true }); len(got) != maxNATPorts {
		t.Errorf("%d ports, want at most %d", len(got), maxNATPorts)
	}
}
