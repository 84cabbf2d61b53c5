// firewall_bench_test.go holds the benchmark of FollowPath on a
// kube-proxy-sized rule set: 5,000 Services in iptables mode (about 25,000
// rules), and the nftables mode's verdict maps of 5,000 elements.

package match

import (
	"fmt"
	"net/netip"
	"testing"

	"github.com/whyrefused/whyrefused/inspect"
)

// kubeIptablesModel builds kube-proxy's iptables layout for n Services,
// each with two endpoints: KUBE-SERVICES (one rule a Service), KUBE-SVC-*
// (a random pick it cannot judge, then the last endpoint), KUBE-SEP-* (mark
// for masquerade, DNAT).
func kubeIptablesModel(n int) []inspect.Table {
	tcp := inspect.Match{Fields: []inspect.Field{inspect.FieldL4Proto}, Op: inspect.OpEq, Value: []byte{6}}
	daddr := func(a [4]byte) inspect.Match {
		return inspect.Match{Fields: []inspect.Field{inspect.FieldDAddr}, Family: 4, Op: inspect.OpEq, Value: a[:]}
	}
	jump := func(c string) inspect.Verdict { return inspect.Verdict{Kind: inspect.VerdictJump, Chain: c} }
	nat := inspect.Table{Backend: "nftables", Family: inspect.FamilyIP, Name: "nat"}
	svcs := inspect.Chain{Name: "KUBE-SERVICES"}
	var chains []inspect.Chain
	for i := range n {
		ip := [4]byte{198, 19, byte(i >> 8), byte(i)}
		svc := fmt.Sprintf("KUBE-SVC-%d", i)
		svcs.Rules = append(svcs.Rules, inspect.Rule{Handle: uint64(i), Matches: []inspect.Match{daddr(ip), tcp, dportIs(80)}, Verdict: jump(svc)})
		c := inspect.Chain{Name: svc, Rules: []inspect.Rule{
			{Unknown: []string{"xt match statistic"}, Verdict: jump(svc + "-SEP-A")},
			{Verdict: jump(svc + "-SEP-B")},
		}}
		chains = append(chains, c)
		for _, sep := range []string{"-SEP-A", "-SEP-B"} {
			pod := []byte{198, 18, byte(100 + i>>8), byte(i)}
			chains = append(chains, inspect.Chain{Name: svc + sep, Rules: []inspect.Rule{
				{Matches: []inspect.Match{{Fields: []inspect.Field{inspect.FieldSAddr}, Family: 4, Op: inspect.OpEq, Value: pod}}, SetsMark: true, Verdict: jump("KUBE-MARK-MASQ")},
				{Matches: []inspect.Match{tcp}, Verdict: inspect.Verdict{Kind: inspect.VerdictDNAT, NAT: &inspect.NAT{Addr: pod, Port: 8080}}},
			}})
		}
	}
	chains = append(chains, svcs, inspect.Chain{Name: "KUBE-MARK-MASQ", Rules: []inspect.Rule{{SetsMark: true}}},
		inspect.Chain{Name: "PREROUTING", Hook: inspect.HookPrerouting, Type: "nat", Priority: -100, Policy: inspect.VerdictAccept, Rules: []inspect.Rule{{Verdict: jump("KUBE-SERVICES")}}},
		inspect.Chain{Name: "OUTPUT", Hook: inspect.HookOutput, Type: "nat", Priority: -100, Policy: inspect.VerdictAccept, Rules: []inspect.Rule{{Verdict: jump("KUBE-SERVICES")}}})
	nat.Chains = chains
	filter := inspect.Table{Backend: "nftables", Family: inspect.FamilyIP, Name: "filter", Chains: []inspect.Chain{
		{Name: "INPUT", Hook: inspect.HookInput, Policy: inspect.VerdictAccept, Rules: []inspect.Rule{{Verdict: jump("KUBE-SERVICES")}}},
		{Name: "OUTPUT", Hook: inspect.HookOutput, Policy: inspect.VerdictAccept, Rules: []inspect.Rule{{Verdict: jump("KUBE-SERVICES")}}},
		svcs,
	}}
	return []inspect.Table{nat, filter}
}

// kubeNftModel builds kube-proxy's nftables layout: a verdict map of n
// Services without endpoints, looked up by address, protocol and port.
func kubeNftModel(n int) []inspect.Table {
	m := &inspect.Set{Name: "no-endpoint-services"}
	rej := inspect.Verdict{Kind: inspect.VerdictGoto, Chain: "reject-chain"}
	for i := range n {
		key := []byte{198, 19, byte(i >> 8), byte(i), 6, 0, 0, 0, 0, 80, 0, 0}
		m.Elements = append(m.Elements, inspect.SetElement{Key: key, Verdict: &rej, Comment: fmt.Sprintf("ns/svc%d:http", i)})
	}
	key := &inspect.Match{Fields: []inspect.Field{inspect.FieldDAddr, inspect.FieldL4Proto, inspect.FieldDPort}, Family: 4}
	check := inspect.Chain{Name: "service-endpoints-check", Rules: []inspect.Rule{{Verdict: inspect.Verdict{Kind: inspect.VerdictMap, MapKey: key, Map: m}}}}
	jump := inspect.Verdict{Kind: inspect.VerdictJump, Chain: check.Name}
	return []inspect.Table{{Backend: "nftables", Family: inspect.FamilyIP, Name: "kube-proxy", Chains: []inspect.Chain{
		check,
		{Name: "reject-chain", Rules: []inspect.Rule{{Verdict: inspect.Verdict{Kind: inspect.VerdictReject}}}},
		{Name: "filter-input", Hook: inspect.HookInput, Priority: -110, Policy: inspect.VerdictAccept, Rules: []inspect.Rule{{Verdict: jump}}},
		{Name: "filter-output", Hook: inspect.HookOutput, Priority: -110, Policy: inspect.VerdictAccept, Rules: []inspect.Rule{{Verdict: jump}}},
	}}}
}

// BenchmarkEvaluate follows a connection to a node port and to a Service
// address through each rule set, for a client on another host and one on
// this host.
func BenchmarkEvaluate(b *testing.B) {
	node := netip.MustParseAddrPort("198.18.0.1:30080")
	svc := netip.AddrPortFrom(netip.AddrFrom4([4]byte{198, 19, 9, 196}), 80) // Service 2500
	for _, c := range []struct {
		name   string
		tables []inspect.Table
		want   Symptom // for a client on this host to the Service
	}{
		{"iptables-5000-services", kubeIptablesModel(5000), SymptomUnsure},
		{"nftables-5000-elements", kubeNftModel(5000), SymptomRefused},
	} {
		h := fwHost(c.tables...)
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				FollowPath(h, inspect.TCP, node, Client{})
				if got := FollowPath(h, inspect.TCP, svc, Client{Local: true}).Symptom(); got != c.want {
					b.Fatalf("symptom %s, want %s", got, c.want)
				}
			}
		})
	}
}
