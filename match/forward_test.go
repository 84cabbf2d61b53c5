// forward_test.go holds the tests of a connection that leaves this host
// (forward.go): a DNAT to a container behind a bridge passes the forward
// hook (policy, rejects, interfaces, the server's answer back) for a
// remote client and not for a local one, and the container's own rules
// are judged after it (followfw.go).

package match

import (
	"encoding/binary"
	"net/netip"
	"slices"
	"strings"
	"testing"

	"github.com/whyrefused/whyrefused/inspect"
)

// bridgeHost is a host with 198.18.0.1 on veth0 and a bridge br0 whose
// network 198.18.5.0/24 holds a container at 198.18.5.2; its nat rules
// map 8080 to the container's 80, and tables are added to them.
func bridgeHost(tables ...inspect.Table) FirewallHost {
	dnat := rule(inspect.Verdict{Kind: inspect.VerdictDNAT, NAT: &inspect.NAT{Addr: []byte{198, 18, 5, 2}, Port: 80}}, dportIs(8080))
	nat := inspect.Table{Backend: "nftables", Family: inspect.FamilyIP, Name: "nat", Chains: []inspect.Chain{
		{Name: "pre", Hook: inspect.HookPrerouting, Type: "nat", Priority: -100, Policy: inspect.VerdictAccept, Rules: []inspect.Rule{dnat}},
		{Name: "out", Hook: inspect.HookOutput, Type: "nat", Priority: -100, Policy: inspect.VerdictAccept, Rules: []inspect.Rule{dnat}},
	}}
	pfx := func(s string) []netip.Prefix { return []netip.Prefix{netip.MustParsePrefix(s)} }
	return FirewallHost{
		Rules: &inspect.Ruleset{Tables: append([]inspect.Table{nat}, tables...), Complete: true},
		Interfaces: []inspect.Interface{
			{Index: 1, Name: "lo", Addrs: []netip.Addr{netip.MustParseAddr("127.0.0.1")}, Prefixes: pfx("127.0.0.1/8")},
			{Index: 2, Name: "veth0", Addrs: []netip.Addr{netip.MustParseAddr("198.18.0.1")}, Prefixes: pfx("198.18.0.1/24")},
			{Index: 3, Name: "br0", Addrs: []netip.Addr{netip.MustParseAddr("198.18.5.1")}, Prefixes: pfx("198.18.5.1/24")},
		},
	}
}

func forward(policy inspect.VerdictKind, rules ...inspect.Rule) inspect.Table {
	return inet(inspect.Chain{Name: "forward", Hook: inspect.HookForward, Type: "filter", Policy: policy, Rules: rules})
}

func oifname(n string) inspect.Match {
	m := iifname(n)
	m.Fields = []inspect.Field{inspect.FieldOIfName}
	return m
}

func ctState(bits uint32) inspect.Match {
	return inspect.Match{Fields: []inspect.Field{inspect.FieldCTState}, Op: inspect.OpNeq, Mask: binary.NativeEndian.AppendUint32(nil, bits), Value: []byte{0, 0, 0, 0}}
}

func TestFollowPathForward(t *testing.T) {
	dst := netip.MustParseAddrPort("198.18.0.1:8080")
	remote, local := Client{}, Client{Local: true}
	established := rule(accept, ctState(inspect.CTStateEstablished|inspect.CTStateRelated))
	masq := inspect.Table{Backend: "nftables", Family: inspect.FamilyIP, Name: "snat", Chains: []inspect.Chain{{Name: "post", Hook: inspect.HookPostrouting, Type: "nat", Priority: 100, Policy: inspect.VerdictAccept,
		Rules: []inspect.Rule{rule(inspect.Verdict{Kind: inspect.VerdictMasquerade}, oifname("br0"))}}}}
	for _, c := range []struct {
		name   string
		h      FirewallHost
		client Client
		fate   Fate
		reply  bool
		from   string
	}{
		{"no forward chain", bridgeHost(), remote, FateForward, false, ""},
		{"policy drop", bridgeHost(forward(inspect.VerdictDrop)), remote, FateDrop, false, ""},
		{"policy drop, the port accepted, its answer not", bridgeHost(forward(inspect.VerdictDrop, rule(accept, dportIs(80)))), remote, FateDrop, true, ""},
		{"policy drop, the port and established accepted", bridgeHost(forward(inspect.VerdictDrop, established, rule(accept, dportIs(80)))), remote, FateForward, false, ""},
		{"the mapped port, not the published one, is what forward sees", bridgeHost(forward(inspect.VerdictDrop, established, rule(accept, dportIs(8080)))), remote, FateDrop, false, ""},
		{"reject on the bridge", bridgeHost(forward(inspect.VerdictAccept, rule(reset, oifname("br0")))), remote, FateReject, false, ""},
		{"reject on another interface", bridgeHost(forward(inspect.VerdictAccept, rule(reset, oifname("eth9")))), remote, FateForward, false, ""},
		{"reject from where the client comes in", bridgeHost(forward(inspect.VerdictAccept, rule(reset, iifname("veth0")))), remote, FateReject, false, ""},
		{"a local client does not pass forward", bridgeHost(forward(inspect.VerdictDrop)), local, FateForward, false, "198.18.0.1"},
		{"a local client's masquerade", bridgeHost(masq), local, FateForward, false, "198.18.5.1"},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := FollowPath(c.h, inspect.TCP, dst, c.client)
			if !p.Sure() {
				t.Fatalf("not sure: %+v", p.Outcomes)
			}
			o := p.Outcomes[0]
			if o.Fate != c.fate || o.Reply != c.reply || o.Dest.String() != "198.18.5.2:80" {
				t.Errorf("fate %s reply %v dest %s, want %s reply %v to 198.18.5.2:80", o.Fate, o.Reply, o.Dest, c.fate, c.reply)
			}
			if c.from != "" && o.From.String() != c.from {
				t.Errorf("from %s, want %s", o.From, c.from)
			}
		})
	}
}

func TestEphemeralMatch(t *testing.T) {
	set := func(ports ...uint16) *inspect.Set {
		s := &inspect.Set{}
		for _, p := range ports {
			s.Elements = append(s.Elements, inspect.SetElement{Key: binary.BigEndian.AppendUint16(nil, p)})
		}
		return s
	}
	port := func(p uint16) []byte { return binary.BigEndian.AppendUint16(nil, p) }
	dp := []inspect.Field{inspect.FieldDPort}
	for _, c := range []struct {
		m    inspect.Match
		want tri
	}{
		{inspect.Match{Fields: dp, Op: inspect.OpEq, Value: port(80)}, no},
		{inspect.Match{Fields: dp, Op: inspect.OpEq, Value: port(40000)}, maybe},
		{inspect.Match{Fields: dp, Op: inspect.OpNeq, Value: port(22)}, yes},
		{inspect.Match{Fields: dp, Op: inspect.OpLt, Value: port(1024)}, no},
		{inspect.Match{Fields: dp, Op: inspect.OpRange, From: port(1), To: port(1023)}, no},
		{inspect.Match{Fields: dp, Op: inspect.OpRange, From: port(1), To: port(2000)}, maybe},
		{inspect.Match{Fields: dp, Op: inspect.OpInSet, Set: set(22, 80, 443)}, no},
		{inspect.Match{Fields: dp, Op: inspect.OpNotInSet, Set: set(22, 80, 443)}, yes},
		{inspect.Match{Fields: dp, Op: inspect.OpInSet, Set: set(80, 8080)}, maybe},
	} {
		if got := ephemeralMatch(c.m); got != c.want {
			t.Errorf("%s %s: %v, want %v", c.m.Op, inspect.MatchText(c.m, 6), got, c.want)
		}
	}
}

// TestFollowIntoNamespaceFirewall: a published port followed into
// container web meets the host's forward hook, then web's own input
// chain; each refusal is named with its namespace, and the warning that
// something was not followed goes when nothing was left out.
func TestFollowIntoNamespaceFirewall(t *testing.T) {
	app := sock(inspect.TCP, "0.0.0.0:80", "httpd")
	webInput := func(v inspect.Verdict) *inspect.Ruleset {
		return &inspect.Ruleset{Complete: true, Tables: []inspect.Table{inet(input(inspect.VerdictAccept, rule(v, dportIs(80))))}}
	}
	for _, c := range []struct {
		name          string
		hostTables    []inspect.Table
		web           *inspect.Ruleset
		remote, local Symptom
		code          Code
		where         string
	}{
		{"nothing filters", nil, &inspect.Ruleset{Complete: true}, SymptomAccepted, SymptomAccepted, "", ""},
		{"forward reject", []inspect.Table{forward(inspect.VerdictAccept, rule(reset, oifname("br0")))}, &inspect.Ruleset{Complete: true}, SymptomRefused, SymptomAccepted, CodeFirewallReject, "in the host's network namespace: "},
		{"the container rejects", nil, webInput(reset), SymptomRefused, SymptomRefused, CodeFirewallReject, "in container web ("},
		{"the container drops", nil, webInput(drop), SymptomTimeout, SymptomTimeout, CodeFirewallDrop, "in container web ("},
		{"the container's rules not read", nil, nil, SymptomAccepted, SymptomAccepted, "", ""},
		{"forwarding off", nil, &inspect.Ruleset{Complete: true}, SymptomTimeout, SymptomAccepted, CodeNotForwarded, "198.18.0.1:8080 is mapped to 198.18.5.2:80, but this network namespace does not forward IPv4 that comes in on veth0"},
		// A remote client's address is not known without --from; the
		// host's own connects from the address it asked for.
		{"the container rejects a source", nil, &inspect.Ruleset{Complete: true, Tables: []inspect.Table{inet(input(inspect.VerdictAccept, rule(reset, saddrIn("198.18.0.0/24"))))}},
			SymptomUnsure, SymptomRefused, CodeFirewallUnsure, "in container web ("},
	} {
		t.Run(c.name, func(t *testing.T) {
			hv, all := dockerHost(true, nil, []inspect.Socket{app})
			h := bridgeHost(c.hostTables...)
			off := false
			if c.code == CodeNotForwarded {
				h.Interfaces[1].Forwarding = &off
			}
			for _, s := range []*inspect.Snapshot{hv, all} {
				s.Rules, s.Interfaces = h.Rules, h.Interfaces
			}
			web := all.Namespaces[1]
			web.Addrs = []netip.Addr{netip.MustParseAddr("127.0.0.1"), netip.MustParseAddr("198.18.5.2")}
			web.Rules = c.web
			web.Interfaces = []inspect.Interface{{Index: 1, Name: "lo"}, {Index: 2, Name: "eth0", Addrs: []netip.Addr{netip.MustParseAddr("198.18.5.2")}}}
			rep := followed(t, hv, all, "198.18.0.1:8080")
			if len(rep.Addresses) != 1 || len(rep.Addresses[0].Clients) != 2 {
				t.Fatalf("addresses %+v", rep.Addresses)
			}
			for _, cs := range rep.Addresses[0].Clients {
				want := c.remote
				if cs.Client.Local {
					want = c.local
				}
				if cs.Symptom != want {
					t.Errorf("%s sees %s, want %s; findings %v", cs.Client, cs.Symptom, want, codes(rep))
				}
			}
			if c.code != "" {
				i := slices.IndexFunc(rep.Findings, func(f Finding) bool { return f.Code == c.code })
				if i < 0 || !strings.HasPrefix(rep.Findings[i].Message, c.where) {
					t.Errorf("want %s naming %q: %+v", c.code, c.where, rep.Findings)
				}
			}
			notRead := slices.ContainsFunc(rep.Warnings, func(w string) bool { return strings.Contains(w, "whose rules were not read") })
			if notRead != (c.web == nil) {
				t.Errorf("warnings %q", rep.Warnings)
			}
		})
	}
}
