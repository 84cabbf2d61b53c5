// firewall_test.go holds the path evaluation's tests on rule sets built
// in the model: hooks and priorities, jumps, sets and maps, NAT, and the
// rules it cannot judge.

package match

import (
	"encoding/binary"
	"net/netip"
	"strings"
	"testing"

	"github.com/whyrefused/whyrefused/inspect"
)

func dportIs(p uint16) inspect.Match {
	return inspect.Match{Fields: []inspect.Field{inspect.FieldDPort}, Op: inspect.OpEq, Value: binary.BigEndian.AppendUint16(nil, p)}
}

func saddrIn(pfx string) inspect.Match {
	p := netip.MustParsePrefix(pfx)
	fam := 4
	if p.Addr().Is6() {
		fam = 6
	}
	return inspect.Match{Fields: []inspect.Field{inspect.FieldSAddr}, Family: fam, Op: inspect.OpEq, Value: p.Addr().AsSlice()[:p.Bits()/8]}
}

func iifname(n string) inspect.Match {
	b := make([]byte, 16)
	copy(b, n)
	return inspect.Match{Fields: []inspect.Field{inspect.FieldIIfName}, Op: inspect.OpEq, Value: b}
}

func rule(v inspect.Verdict, ms ...inspect.Match) inspect.Rule {
	return inspect.Rule{Handle: 1, Matches: ms, Verdict: v}
}

var (
	accept = inspect.Verdict{Kind: inspect.VerdictAccept}
	drop   = inspect.Verdict{Kind: inspect.VerdictDrop}
	reset  = inspect.Verdict{Kind: inspect.VerdictReject, Reject: inspect.RejectTCPReset}
)

func fwHost(tables ...inspect.Table) FirewallHost {
	return FirewallHost{
		Rules: &inspect.Ruleset{Tables: tables, Complete: true},
		Interfaces: []inspect.Interface{{Index: 1, Name: "lo", Addrs: []netip.Addr{netip.MustParseAddr("127.0.0.1"), netip.IPv6Loopback()}},
			{Index: 2, Name: "veth0", Addrs: []netip.Addr{netip.MustParseAddr("198.18.0.1"), netip.MustParseAddr("fd18::1")}}},
	}
}

func inet(chains ...inspect.Chain) inspect.Table {
	return inspect.Table{Backend: "nftables", Family: inspect.FamilyInet, Name: "filter", Chains: chains}
}

func input(policy inspect.VerdictKind, rules ...inspect.Rule) inspect.Chain {
	return inspect.Chain{Name: "input", Hook: inspect.HookInput, Type: "filter", Policy: policy, Rules: rules}
}

func TestFollowPath(t *testing.T) {
	v4 := netip.MustParseAddrPort("198.18.0.1:8080")
	v6 := netip.MustParseAddrPort("[fd18::1]:8080")
	lo := netip.MustParseAddrPort("127.0.0.1:8080")
	remote, local := Client{}, Client{Local: true}
	from := Client{From: netip.MustParseAddr("198.18.0.2")}
	for _, c := range []struct {
		name   string
		h      FirewallHost
		dst    netip.AddrPort
		client Client
		want   Symptom
	}{
		{"no rules", fwHost(), v4, remote, SymptomAccepted},
		{"reject by port", fwHost(inet(input(inspect.VerdictAccept, rule(reset, dportIs(8080))))), v4, remote, SymptomRefused},
		{"other port", fwHost(inet(input(inspect.VerdictAccept, rule(reset, dportIs(9090))))), v4, remote, SymptomAccepted},
		{"policy drop", fwHost(inet(input(inspect.VerdictDrop))), v4, remote, SymptomTimeout},
		{"lo accepted before the drop policy", fwHost(inet(input(inspect.VerdictDrop, rule(accept, iifname("lo"))))), lo, local, SymptomAccepted},
		{"lo accept is not for a remote client", fwHost(inet(input(inspect.VerdictDrop, rule(accept, iifname("lo"))))), v4, remote, SymptomTimeout},
		{"source rule without --from", fwHost(inet(input(inspect.VerdictAccept, rule(reset, saddrIn("198.18.0.0/24"))))), v4, remote, SymptomUnsure},
		{"source rule with --from", fwHost(inet(input(inspect.VerdictAccept, rule(reset, saddrIn("198.18.0.0/24"))))), v4, from, SymptomRefused},
		{"source rule, other --from", fwHost(inet(input(inspect.VerdictAccept, rule(reset, saddrIn("198.19.0.0/16"))))), v4, from, SymptomAccepted},
		{"v4 source rule on a v6 packet", fwHost(inet(input(inspect.VerdictAccept, rule(reset, inspect.Match{Fields: []inspect.Field{inspect.FieldNFProto}, Op: inspect.OpEq, Value: []byte{2}}, saddrIn("198.18.0.0/24"))))), v6, remote, SymptomAccepted},
		{"admin-prohibited over v6", fwHost(inet(input(inspect.VerdictAccept, rule(inspect.Verdict{Kind: inspect.VerdictReject, Reject: inspect.RejectAdminProhibited})))), v6, remote, SymptomAccessDenied},
		{"admin-prohibited over v4", fwHost(inet(input(inspect.VerdictAccept, rule(inspect.Verdict{Kind: inspect.VerdictReject, Reject: inspect.RejectAdminProhibited})))), v4, remote, SymptomHostUnreachable},
		{"jump and return", fwHost(inet(input(inspect.VerdictAccept, rule(inspect.Verdict{Kind: inspect.VerdictJump, Chain: "sub"}), rule(reset)),
			inspect.Chain{Name: "sub", Rules: []inspect.Rule{rule(inspect.Verdict{Kind: inspect.VerdictReturn}), rule(accept)}})), v4, remote, SymptomRefused},
		{"accept in one base chain, drop in the next", fwHost(inet(input(inspect.VerdictAccept, rule(accept)),
			inspect.Chain{Name: "later", Hook: inspect.HookInput, Priority: 10, Policy: inspect.VerdictDrop})), v4, remote, SymptomTimeout},
		{"unknown match that cannot change the answer", fwHost(inet(input(inspect.VerdictAccept, inspect.Rule{Unknown: []string{"limit rate"}, Verdict: inspect.Verdict{Kind: inspect.VerdictContinue}}))), v4, remote, SymptomAccepted},
		{"unknown match on a reject", fwHost(inet(input(inspect.VerdictAccept, inspect.Rule{Unknown: []string{"xt match recent"}, Verdict: reset}))), v4, remote, SymptomUnsure},
		{"output reject for a local client", fwHost(inet(inspect.Chain{Name: "output", Hook: inspect.HookOutput, Policy: inspect.VerdictAccept, Rules: []inspect.Rule{rule(reset, dportIs(8080))}})), lo, local, SymptomRefused},
		{"output reject is not for a remote client", fwHost(inet(inspect.Chain{Name: "output", Hook: inspect.HookOutput, Policy: inspect.VerdictAccept, Rules: []inspect.Rule{rule(reset, dportIs(8080))}})), v4, remote, SymptomAccepted},
		{"vmap", fwHost(inet(input(inspect.VerdictAccept, rule(inspect.Verdict{Kind: inspect.VerdictMap,
			MapKey: &inspect.Match{Fields: []inspect.Field{inspect.FieldDAddr, inspect.FieldL4Proto, inspect.FieldDPort}, Family: 4},
			Map:    &inspect.Set{Elements: []inspect.SetElement{{Key: []byte{198, 18, 0, 1, 6, 0, 0, 0, 0x1f, 0x90, 0, 0}, Verdict: &drop}}}})))), v4, remote, SymptomTimeout},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := FollowPath(c.h, inspect.TCP, c.dst, c.client)
			if got := p.Symptom(); got != c.want {
				t.Errorf("symptom %s, want %s; outcomes %+v", got, c.want, p.Outcomes)
			}
		})
	}
}

func TestFollowPathDNAT(t *testing.T) {
	nat := inspect.Table{Backend: "nftables", Family: inspect.FamilyIP, Name: "nat", Chains: []inspect.Chain{{Name: "pre", Hook: inspect.HookPrerouting, Type: "nat", Priority: -100, Policy: inspect.VerdictAccept,
		Rules: []inspect.Rule{rule(inspect.Verdict{Kind: inspect.VerdictDNAT, NAT: &inspect.NAT{Addr: []byte{198, 18, 5, 2}, Port: 80}}, dportIs(8080))}}}}
	p := FollowPath(fwHost(nat), inspect.TCP, netip.MustParseAddrPort("198.18.0.1:8080"), Client{})
	if !p.Sure() || p.Outcomes[0].Fate != FateForward || p.Outcomes[0].Dest.String() != "198.18.5.2:80" || len(p.Outcomes[0].NAT) != 1 {
		t.Fatalf("got %+v", p.Outcomes)
	}
	redirect := inspect.Table{Backend: "nftables", Family: inspect.FamilyIP, Name: "nat", Chains: []inspect.Chain{{Name: "pre", Hook: inspect.HookPrerouting, Type: "nat", Priority: -100, Policy: inspect.VerdictAccept,
		Rules: []inspect.Rule{rule(inspect.Verdict{Kind: inspect.VerdictRedirect, NAT: &inspect.NAT{Port: 9090}}, dportIs(8080))}}}}
	p = FollowPath(fwHost(redirect), inspect.TCP, netip.MustParseAddrPort("198.18.0.1:8080"), Client{})
	if !p.Sure() || p.Outcomes[0].Fate != FateAccept || p.Outcomes[0].Dest.String() != "198.18.0.1:9090" {
		t.Fatalf("got %+v", p.Outcomes)
	}
}

func TestRuleWordsQuoteControlCharacters(t *testing.T) {
	r := RuleRef{Family: inspect.FamilyInet, Table: "t\x1b[31m", Chain: "input", Rule: &inspect.Rule{Handle: 3, Text: "drop comment \"\x1b[2J\""}}
	if s := ruleWords(&r); strings.ContainsRune(s, 0x1b) {
		t.Errorf("an escape reaches the terminal: %q", s)
	}
}

func TestContainerRuleWriters(t *testing.T) {
	for _, tt := range []struct {
		table, chain   string
		mapped, fixSay string
	}{
		{"nat", "NETAVARK-DN-1D8721804F16F", "(Podman's, written by netavark)", "this is Podman's"},
		{"netavark", "dnat", "(Podman's, written by netavark)", "this is Podman's"},
		{"nat", "CNI-DN-7b3e41c0a8f0a5e1e2f7c", "(a CNI portmap plugin's", "this is a CNI plugin's"},
		{"nat", "DOCKER", "(Docker's)", "this is Docker's"},
		{"nat", "PREROUTING", "in table ip nat", ""},
	} {
		r := RuleRef{Family: inspect.FamilyIP, Table: tt.table, Chain: tt.chain, Rule: &inspect.Rule{Handle: 55}}
		if s := mapRuleWords(r); !strings.HasPrefix(s, r.String()) || !strings.Contains(s, tt.mapped) {
			t.Errorf("mapRuleWords(%s %s) = %q, want %q in it", tt.table, tt.chain, s, tt.mapped)
		}
		fix, ok := writerFix(&fwNote{by: &r}, wording{proto: inspect.TCP, port: 8080})
		if ok != (tt.fixSay != "") || !strings.HasPrefix(fix, tt.fixSay) {
			t.Errorf("writerFix(%s %s) = %q, %v; want %q", tt.table, tt.chain, fix, ok, tt.fixSay)
		}
	}
}
