// draw_test.go holds the tests of NAT through maps and of draws, on rule
// sets built in the model: a data map keyed by the packet's fields, one
// it cannot judge or decode, numgen verdict and data maps, iptables'
// statistic, and the symptom of connections spread over destinations.

package match

import (
	"context"
	"encoding/binary"
	"math"
	"net/netip"
	"strings"
	"testing"

	"github.com/whyrefused/whyrefused/inspect"
	"github.com/whyrefused/whyrefused/target"
)

// natTable is an ip nat table with a prerouting and an output chain
// holding rules, and the regular chains given.
func natTable(rules []inspect.Rule, chains ...inspect.Chain) inspect.Table {
	nat := func(name string, hook inspect.Hook) inspect.Chain {
		return inspect.Chain{Name: name, Hook: hook, Type: "nat", Priority: -100, Policy: inspect.VerdictAccept, Rules: rules}
	}
	return inspect.Table{Backend: "nftables", Family: inspect.FamilyIP, Name: "nat",
		Chains: append([]inspect.Chain{nat("pre", inspect.HookPrerouting), nat("out", inspect.HookOutput)}, chains...)}
}

// dnatMap is "dnat ip to KEY map { ... }" whose data is address . port.
func dnatMap(key inspect.Match, els ...inspect.SetElement) inspect.Rule {
	return rule(inspect.Verdict{Kind: inspect.VerdictDNAT, NAT: &inspect.NAT{Map: &inspect.Set{Elements: els}, MapKey: &key, AddrIn: 0, PortIn: 4}})
}

// addrPortData is a map element's data: an IPv4 address, then a port
// padded to 4 bytes.
func addrPortData(ap string) []byte {
	a := netip.MustParseAddrPort(ap)
	return binary.BigEndian.AppendUint16(a.Addr().AsSlice(), a.Port())
}

func el(key []byte, data []byte) inspect.SetElement {
	return inspect.SetElement{Key: key, Data: append(data, 0, 0)}
}

func port(p uint16) []byte { return binary.BigEndian.AppendUint16(nil, p) }

var dportKey = inspect.Match{Fields: []inspect.Field{inspect.FieldDPort}}

func TestNATMapExact(t *testing.T) {
	h := fwHost(natTable([]inspect.Rule{dnatMap(dportKey, el(port(9090), addrPortData("198.18.5.2:80")), el(port(8080), addrPortData("198.18.0.1:8081")))}))
	p := FollowPath(h, inspect.TCP, netip.MustParseAddrPort("198.18.0.1:8080"), Client{})
	if !p.Sure() || p.Outcomes[0].Fate != FateAccept || p.Outcomes[0].Dest.String() != "198.18.0.1:8081" || len(p.Outcomes[0].NAT) != 1 {
		t.Fatalf("got %+v", p.Outcomes)
	}
	// A key the map does not hold: the rule breaks, nothing is rewritten.
	p = FollowPath(h, inspect.TCP, netip.MustParseAddrPort("198.18.0.1:7070"), Client{})
	if !p.Sure() || p.Outcomes[0].Dest.String() != "198.18.0.1:7070" || len(p.Outcomes[0].NAT) != 0 {
		t.Fatalf("a key not in the map: %+v", p.Outcomes)
	}
	// A map keyed on the source is a "may" without --from, exact with it.
	src := inspect.Match{Fields: []inspect.Field{inspect.FieldSAddr}, Family: 4}
	h = fwHost(natTable([]inspect.Rule{dnatMap(src, el([]byte{198, 18, 0, 2}, addrPortData("198.18.5.2:80")))}))
	if p = FollowPath(h, inspect.TCP, netip.MustParseAddrPort("198.18.0.1:8080"), Client{}); p.Sure() {
		t.Fatalf("a source-keyed map without --from is sure: %+v", p.Outcomes)
	}
	p = FollowPath(h, inspect.TCP, netip.MustParseAddrPort("198.18.0.1:8080"), Client{From: netip.MustParseAddr("198.18.0.2")})
	if !p.Sure() || p.Outcomes[0].Fate != FateForward || p.Outcomes[0].Dest.String() != "198.18.5.2:80" {
		t.Fatalf("with --from: %+v", p.Outcomes)
	}
}

func TestNATMapUndecodable(t *testing.T) {
	// An element whose data is too short for an address and a port.
	h := fwHost(natTable([]inspect.Rule{dnatMap(dportKey, inspect.SetElement{Key: port(8080), Data: []byte{198, 18}})}))
	p := FollowPath(h, inspect.TCP, netip.MustParseAddrPort("198.18.0.1:8080"), Client{})
	if p.Sure() || p.Symptom() != SymptomUnsure || len(p.Outcomes[0].Maybe) == 0 {
		t.Fatalf("an element it cannot read gives a confident answer: %+v", p.Outcomes)
	}
	// A map whose key was not read.
	h = fwHost(natTable([]inspect.Rule{rule(inspect.Verdict{Kind: inspect.VerdictDNAT, NAT: &inspect.NAT{Map: &inspect.Set{}}})}))
	if p = FollowPath(h, inspect.TCP, netip.MustParseAddrPort("198.18.0.1:8080"), Client{}); p.Symptom() != SymptomUnsure {
		t.Fatalf("a map without a key: %+v", p.Outcomes)
	}
}

func TestRedirectPortMap(t *testing.T) {
	r := rule(inspect.Verdict{Kind: inspect.VerdictRedirect, NAT: &inspect.NAT{Map: &inspect.Set{Elements: []inspect.SetElement{el(port(8080), port(9090))}}, MapKey: &dportKey, AddrIn: -1, PortIn: 0}})
	p := FollowPath(fwHost(natTable([]inspect.Rule{r})), inspect.TCP, netip.MustParseAddrPort("127.0.0.1:8080"), Client{Local: true})
	if !p.Sure() || p.Outcomes[0].Dest.String() != "127.0.0.1:9090" {
		t.Fatalf("got %+v", p.Outcomes)
	}
}

// numgen is the key "numgen random mod n".
func numgen(n uint32) inspect.Match {
	return inspect.Match{Fields: []inspect.Field{inspect.FieldNumgen}, Draw: &inspect.Draw{Mod: n, Random: true}}
}

func hostKey(v uint32) []byte { return binary.NativeEndian.AppendUint32(nil, v) }

// kubeNft is kube-proxy's nftables layout for a Service with the given
// endpoints: services picks the Service, its chain draws an endpoint.
func kubeNft(endpoints ...string) FirewallHost {
	var vm []inspect.SetElement
	var chains []inspect.Chain
	for i, ep := range endpoints {
		name := "endpoint-" + ep
		a := netip.MustParseAddrPort(ep)
		vm = append(vm, inspect.SetElement{Key: hostKey(uint32(i)), Verdict: &inspect.Verdict{Kind: inspect.VerdictGoto, Chain: name}})
		chains = append(chains, inspect.Chain{Name: name, Rules: []inspect.Rule{rule(inspect.Verdict{Kind: inspect.VerdictDNAT, NAT: &inspect.NAT{Addr: a.Addr().AsSlice(), Port: a.Port()}})}})
	}
	svc := inspect.Chain{Name: "service-web", Rules: []inspect.Rule{rule(inspect.Verdict{Kind: inspect.VerdictMap, MapKey: ptr(numgen(uint32(len(endpoints)))), Map: &inspect.Set{Elements: vm}})}}
	services := rule(inspect.Verdict{Kind: inspect.VerdictMap, MapKey: &dportKey, Map: &inspect.Set{Elements: []inspect.SetElement{
		{Key: port(8080), Comment: "default/web:http", Verdict: &inspect.Verdict{Kind: inspect.VerdictGoto, Chain: "service-web"}}}}})
	return fwHost(natTable([]inspect.Rule{services}, append(chains, svc)...))
}

func TestNumgenVmapShares(t *testing.T) {
	p := FollowPath(kubeNft("198.18.0.1:8081", "198.18.0.1:8083", "198.18.0.1:8083"), inspect.TCP, netip.MustParseAddrPort("198.18.0.1:8080"), Client{})
	if !p.Exact() || p.Sure() || len(p.Outcomes) != 3 {
		t.Fatalf("got %+v", p.Outcomes)
	}
	sum := 0.0
	for _, o := range p.Outcomes {
		sum += o.Share
		if math.Abs(o.Share-1.0/3) > 1e-9 || o.DrawnBy == nil || o.DrawnBy.Chain != "service-web" || o.Via != "default/web:http" {
			t.Errorf("outcome %+v", o)
		}
	}
	if math.Abs(sum-1) > 1e-9 {
		t.Errorf("shares sum to %v", sum)
	}
	// Numbers the map has no element for go on with the next rule.
	key := numgen(4)
	h := fwHost(inet(input(inspect.VerdictAccept, rule(inspect.Verdict{Kind: inspect.VerdictMap, MapKey: &key, Map: &inspect.Set{Elements: []inspect.SetElement{{Key: hostKey(0), Verdict: &drop}}}}))))
	p = FollowPath(h, inspect.TCP, netip.MustParseAddrPort("198.18.0.1:8080"), Client{})
	if len(p.Outcomes) != 2 || p.Outcomes[0].Fate != FateDrop || p.Outcomes[0].Share != 0.25 || p.Outcomes[1].Fate != FateAccept || p.Outcomes[1].Share != 0.75 {
		t.Fatalf("got %+v", p.Outcomes)
	}
}

func TestStatisticShares(t *testing.T) {
	// kube-proxy's iptables mode with three endpoints: 1/3, then 1/2 of
	// the rest, then the rest.
	prob := func(p float64) inspect.Match {
		m, _, _ := inspect.XTStatistic(binary.NativeEndian.AppendUint32([]byte{0, 0, 0, 0}, uint32(math.Round(p*(1<<31)))))
		return m
	}
	sep := func(ap string) inspect.Verdict {
		a := netip.MustParseAddrPort(ap)
		return inspect.Verdict{Kind: inspect.VerdictDNAT, NAT: &inspect.NAT{Addr: a.Addr().AsSlice(), Port: a.Port()}}
	}
	h := fwHost(natTable([]inspect.Rule{rule(sep("198.18.0.1:8081"), prob(1.0/3)), rule(sep("198.18.0.1:8082"), prob(0.5)), rule(sep("198.18.0.1:8083"))}))
	p := FollowPath(h, inspect.TCP, netip.MustParseAddrPort("198.18.0.1:8080"), Client{})
	if len(p.Outcomes) != 3 || !p.Exact() {
		t.Fatalf("got %+v", p.Outcomes)
	}
	for _, o := range p.Outcomes {
		if math.Abs(o.Share-1.0/3) > 1e-6 {
			t.Errorf("%s: share %v, want 1/3", o.Dest, o.Share)
		}
	}
}

func TestNumgenDataMap(t *testing.T) {
	// dnat to numgen inc mod 2 map { 0 : 198.18.0.1 . 8081, 1 : 198.18.0.1 . 8083 }
	h := fwHost(natTable([]inspect.Rule{dnatMap(numgen(2), el(hostKey(0), addrPortData("198.18.0.1:8081")), el(hostKey(1), addrPortData("198.18.0.1:8083")))}))
	p := FollowPath(h, inspect.TCP, netip.MustParseAddrPort("198.18.0.1:8080"), Client{})
	if len(p.Outcomes) != 2 || !p.Exact() || p.Outcomes[0].Dest.Port() != 8081 || p.Outcomes[1].Dest.Port() != 8083 || p.Outcomes[0].Share != 0.5 {
		t.Fatalf("got %+v", p.Outcomes)
	}
}

// TestSpreadSymptom: check's answer for connections spread over two
// endpoints of which one refuses, both serve, or one cannot be judged.
func TestSpreadSymptom(t *testing.T) {
	tg, _ := target.Parse("198.18.0.1:8080", inspect.TCP, nil)
	for _, c := range []struct {
		name      string
		endpoints []string
		listen    []string
		want      Symptom
		verdict   Verdict
		code      Code
	}{
		{"one refuses", []string{"198.18.0.1:8081", "198.18.0.1:8083"}, []string{"0.0.0.0:8081"}, SymptomRefused, VerdictRefuse, CodeEndpointRefuses},
		{"both serve", []string{"198.18.0.1:8081", "198.18.0.1:8082"}, []string{"0.0.0.0:8081", "0.0.0.0:8082"}, SymptomAccepted, VerdictAccept, ""},
		{"both refuse", []string{"198.18.0.1:8081", "198.18.0.1:8082"}, nil, SymptomRefused, VerdictRefuse, CodeEndpointRefuses},
		{"one refuses, one forwarded", []string{"198.18.0.1:8081", "198.18.9.9:80"}, nil, SymptomRefused, VerdictRefuse, CodeEndpointRefuses},
		{"one serves, one forwarded", []string{"198.18.0.1:8081", "198.18.9.9:80"}, []string{"0.0.0.0:8081"}, SymptomUnsure, VerdictUnknown, CodeFirewallUnsure},
	} {
		t.Run(c.name, func(t *testing.T) {
			h := kubeNft(c.endpoints...)
			var socks []inspect.Socket
			for _, l := range c.listen {
				socks = append(socks, sock(inspect.TCP, l, "web"))
			}
			snap := host(socks...)
			snap.Rules, snap.Interfaces = h.Rules, h.Interfaces
			snap.HostAddrs = append(snap.HostAddrs, netip.MustParseAddr("198.18.0.1"))
			rep := Explain(context.Background(), tg, snap, nil)
			ar := rep.Addresses[0]
			if ar.Symptom != c.want || ar.Verdict != c.verdict {
				t.Fatalf("symptom %s verdict %s, want %s %s; findings %+v", ar.Symptom, ar.Verdict, c.want, c.verdict, rep.Findings)
			}
			if c.code == "" {
				return
			}
			var f *Finding
			for i := range rep.Findings {
				if rep.Findings[i].Code == c.code {
					f = &rep.Findings[i]
				}
			}
			if f == nil {
				t.Fatalf("no %s finding: %+v", c.code, rep.Findings)
			}
			if c.code == CodeEndpointRefuses && (!strings.Contains(f.Message, "198.18.0.1:8081") || !strings.Contains(f.Suggestion, "kubectl get endpointslices -n default -l kubernetes.io/service-name=web")) {
				t.Errorf("the finding does not name the endpoints or the Service: %+v", f)
			}
			if len(ar.Clients) == 0 || (c.want != SymptomAccepted && len(ar.Clients[0].Split) == 0) {
				t.Errorf("no split for the client: %+v", ar.Clients)
			}
		})
	}
}

func TestUDPRejectSymptoms(t *testing.T) {
	for _, c := range []struct {
		v4   bool
		rt   inspect.RejectType
		want Symptom
	}{
		{true, inspect.RejectPortUnreachable, SymptomRefused},
		{true, inspect.RejectHostProhibited, SymptomHostUnreachable},
		{true, inspect.RejectHostUnreachable, SymptomTimeout},
		{true, inspect.RejectNetUnreachable, SymptomTimeout},
		{false, inspect.RejectPortUnreachable, SymptomRefused},
		{false, inspect.RejectAdminProhibited, SymptomAccessDenied},
		{false, inspect.RejectNoRoute, SymptomTimeout},
		{true, inspect.RejectTCPReset, SymptomUnsure},
	} {
		if got := ProtoRejectSymptom(inspect.UDP, c.v4, c.rt); got != c.want {
			t.Errorf("udp v4=%v %s: %s, want %s", c.v4, c.rt, got, c.want)
		}
	}
	if got := ProtoRejectSymptom(inspect.TCP, true, inspect.RejectHostUnreachable); got != SymptomHostUnreachable {
		t.Errorf("tcp host-unreachable: %s", got)
	}
}

// TestSpreadWithAMayThatDoesNotMatter: a rule that cannot be judged on
// the way (kube-proxy's mark test) forks each endpoint's way in two that
// agree: the shares stay known.
func TestSpreadWithAMayThatDoesNotMatter(t *testing.T) {
	h := kubeNft("198.18.0.1:8081", "198.18.0.1:8083")
	unknown := inspect.Rule{Handle: 9, Unknown: []string{"xt match recent"}, Verdict: inspect.Verdict{Kind: inspect.VerdictReturn}}
	for i := range h.Rules.Tables[0].Chains {
		if c := &h.Rules.Tables[0].Chains[i]; strings.HasPrefix(c.Name, "endpoint-") {
			c.Rules = append([]inspect.Rule{unknown}, c.Rules...)
		}
	}
	tg, _ := target.Parse("198.18.0.1:8080", inspect.TCP, nil)
	snap := host(sock(inspect.TCP, "0.0.0.0:8081", "web"))
	snap.Rules, snap.Interfaces = h.Rules, h.Interfaces
	snap.HostAddrs = append(snap.HostAddrs, netip.MustParseAddr("198.18.0.1"))
	rep := Explain(context.Background(), tg, snap, nil)
	// A return from a goto chain ends the Service chain: the way may skip
	// the DNAT, then 8080 itself decides (nothing listens): refused both
	// ways for the second endpoint, unsure for the first.
	ar := rep.Addresses[0]
	if ar.Symptom != SymptomRefused || len(ar.Clients[0].Split) != 2 {
		t.Fatalf("symptom %s, clients %+v, findings %+v", ar.Symptom, ar.Clients, rep.Findings)
	}
	if s := ar.Clients[0].Split; s[0].Symptom != SymptomRefused || s[0].Share != 0.5 || s[1].Symptom != SymptomUnsure {
		t.Errorf("split %+v", s)
	}
}

// TestSpreadBehindAMay: a rule that cannot be judged before the draw
// decides whether it is met: no shares, unsure.
func TestSpreadBehindAMay(t *testing.T) {
	h := kubeNft("198.18.0.1:8081", "198.18.0.1:8083")
	pre := &h.Rules.Tables[0].Chains[0]
	pre.Rules = append([]inspect.Rule{{Handle: 3, Unknown: []string{"xt match recent"}, Verdict: accept}}, pre.Rules...)
	tg, _ := target.Parse("198.18.0.1:8080", inspect.TCP, nil)
	snap := host(sock(inspect.TCP, "0.0.0.0:8081", "web"), sock(inspect.TCP, "0.0.0.0:8080", "web"))
	snap.Rules, snap.Interfaces = h.Rules, h.Interfaces
	snap.HostAddrs = append(snap.HostAddrs, netip.MustParseAddr("198.18.0.1"))
	rep := Explain(context.Background(), tg, snap, nil)
	if ar := rep.Addresses[0]; ar.Clients[0].Symptom != SymptomUnsure || ar.Clients[0].Split != nil {
		t.Fatalf("client %+v", ar.Clients[0])
	}
}
