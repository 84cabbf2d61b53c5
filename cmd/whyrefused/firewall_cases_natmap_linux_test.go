// firewall_cases_natmap_linux_test.go holds the truth matrix's cases of
// NAT through maps (rows of firewallCases: a data map DNAT to a listener
// and to nothing, a named map keyed by address and port, a REDIRECT
// through a port map), and the truth test of connections a rule spreads
// over several destinations (TestFirewallSpreadTruth): kube-proxy's
// nftables mode (numgen random over endpoint chains), its iptables mode
// (-m statistic --mode random) and an nft numgen data map, with
// endpoints that serve or refuse. A spread's client does many real
// connects: what they got, taken together, must be what check predicts
// for the shares.

package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/whyrefused/whyrefused/internal/testtool"
)

func init() { firewallCases = append(firewallCases, natMapCases...) }

// natIn is an ip nat table whose prerouting and output chains hold rule
// (output only for this host's address, as Docker and kube-proxy do),
// before maps.
func natIn(maps, rule string) []fwLoad {
	return []fwLoad{{tool: "nft", input: "table ip wrmap {\n" + maps +
		" chain pre { type nat hook prerouting priority dstnat; policy accept; " + rule + "; }\n" +
		" chain out { type nat hook output priority -100; policy accept; ip daddr " + serverAddr + " " + rule + "; }\n}\n"}}
}

var natMapClients = []fwClient{remote4, local4}

var natMapCases = []fwCase{
	{name: "nft dnat through an anonymous map to a listener", load: natIn("", "dnat ip to tcp dport map { 8080 : "+serverAddr+" . 8081 }"),
		listen: "[::]:8081", clients: natMapClients, needs: needNft},
	{name: "nft dnat through an anonymous map to nothing", load: natIn("", "dnat ip to tcp dport map { 8080 : "+serverAddr+" . 8083 }"),
		listen: "[::]:8081", clients: natMapClients, needs: needNft},
	{name: "nft dnat through a named map on daddr . dport", load: natIn(
		" map m { type ipv4_addr . inet_service : ipv4_addr . inet_service; elements = { "+serverAddr+" . 8080 : "+serverAddr+" . 8081 } }\n",
		"dnat ip to ip daddr . tcp dport map @m"), listen: "[::]:8081", clients: natMapClients, needs: needNft},
	{name: "nft dnat map without the key goes on", load: natIn("", "dnat ip to tcp dport map { 9999 : "+serverAddr+" . 8083 }"),
		clients: natMapClients, needs: needNft},
	{name: "nft redirect through a port map", load: natIn("", "meta l4proto tcp redirect to :tcp dport map { 8080 : 8081 }"),
		listen: "[::]:8081", clients: append([]fwClient{localLo}, natMapClients...), needs: needNft},
	// Ports far from the target's: check reads their listeners because
	// the rules send connections there (Snapshot.NATPorts).
	{name: "nft redirect to a transparent proxy's far port", load: natIn("", "tcp dport 8080 redirect to :15001"),
		listen: "[::]:15001", clients: natMapClients, needs: needNft},
	{name: "nft redirect to a far port where nothing listens", load: natIn("", "tcp dport 8080 redirect to :15001"),
		listen: "[::]:8080", clients: natMapClients, needs: needNft},
	{name: "nft dnat through a map to a far port", load: natIn("", "dnat ip to tcp dport map { 8080 : "+serverAddr+" . 9443 }"),
		listen: "[::]:9443", clients: natMapClients, needs: needNft},
	{name: "iptables-nft redirect to a far port", load: []fwLoad{{tool: "iptables-nft-restore", input: "*nat\n:PREROUTING ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n" +
		"-A PREROUTING -p tcp --dport 8080 -j REDIRECT --to-ports 15006\n" +
		"-A OUTPUT -d " + serverAddr + "/32 -p tcp --dport 8080 -j REDIRECT --to-ports 15006\nCOMMIT\n"}},
		listen: "[::]:15006", clients: natMapClients, needs: needIptables},
}

// kubeProxyNftEndpoints is kube-proxy's nftables mode for the Service
// default/web:http with NodePort 8080 on this host and the endpoints
// given (host-network endpoints, on this host's address), in the layout
// its proxier writes: the service-nodeports map, an external chain, the
// service chain's numgen vmap over one chain per endpoint, each with its
// DNAT.
func kubeProxyNftEndpoints(endpoints ...string) []fwLoad {
	const svc = "service-ULMVA6XW-default/web/tcp/http"
	var vmap, chains []string
	for i, ep := range endpoints {
		name := "endpoint-" + fmt.Sprintf("%08X", i+1) + "-default/web/tcp/http__" + strings.Replace(ep, ":", "/", 1)
		vmap = append(vmap, fmt.Sprintf("%d : goto %s", i, name))
		chains = append(chains, fmt.Sprintf("\tchain %s {\n\t\tip saddr %s jump mark-for-masquerade\n\t\tmeta l4proto tcp dnat to %s\n\t}\n", name, strings.Split(ep, ":")[0], ep))
	}
	return []fwLoad{{tool: "nft", input: `table ip kube-proxy {
	comment "rules for kube-proxy"
	set nodeport-ips { type ipv4_addr; comment "IPs that accept NodePort traffic"; elements = { ` + serverAddr + ` } }
	map service-ips { type ipv4_addr . inet_proto . inet_service : verdict; comment "ClusterIP, ExternalIP and LoadBalancer IP traffic"; }
	map service-nodeports {
		type inet_proto . inet_service : verdict
		comment "NodePort traffic"
		elements = { tcp . 8080 comment "default/web:http" : goto external-42NFTM6N-default/web/tcp/http }
	}
	chain nat-prerouting { type nat hook prerouting priority dstnat; policy accept; jump services; }
	chain nat-output { type nat hook output priority -100; policy accept; jump services; }
	chain nat-postrouting { type nat hook postrouting priority srcnat; policy accept; jump masquerading; }
	chain mark-for-masquerade { meta mark set meta mark or 0x4000; }
	chain masquerading { meta mark & 0x00004000 == 0 return; meta mark set meta mark xor 0x4000; masquerade fully-random; }
	chain services {
		ip daddr . meta l4proto . th dport vmap @service-ips
		ip daddr @nodeport-ips meta l4proto . th dport vmap @service-nodeports
	}
	chain external-42NFTM6N-default/web/tcp/http { jump mark-for-masquerade; goto ` + svc + `; }
	chain ` + svc + ` {
		numgen random mod ` + strconv.Itoa(len(endpoints)) + ` vmap { ` + strings.Join(vmap, ", ") + ` }
	}
` + strings.Join(chains, "") + "}\n"}}
}

// kubeProxyIptablesEndpoints is kube-proxy's iptables mode for the same
// Service with two endpoints, as iptables-save prints it: KUBE-SVC picks
// the first with -m statistic --mode random --probability 0.5.
func kubeProxyIptablesEndpoints(a, b string) []fwLoad {
	sep := func(name, ep string) string {
		return fmt.Sprintf("-A %s -s %s/32 -m comment --comment \"default/web:http\" -j KUBE-MARK-MASQ\n-A %s -p tcp -m comment --comment \"default/web:http\" -m tcp -j DNAT --to-destination %s\n",
			name, strings.Split(ep, ":")[0], name, ep)
	}
	return []fwLoad{{tool: "iptables-nft-restore", input: `*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
:KUBE-EXT-ULMVA6XWXKQBUJBN - [0:0]
:KUBE-MARK-MASQ - [0:0]
:KUBE-NODEPORTS - [0:0]
:KUBE-SEP-5OJB2KTYDKD3SNMF - [0:0]
:KUBE-SEP-C6EBXVWJJZMIWKLZ - [0:0]
:KUBE-SERVICES - [0:0]
:KUBE-SVC-ULMVA6XWXKQBUJBN - [0:0]
-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-A OUTPUT -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-A KUBE-EXT-ULMVA6XWXKQBUJBN -m comment --comment "masquerade traffic for default/web:http external destinations" -j KUBE-MARK-MASQ
-A KUBE-EXT-ULMVA6XWXKQBUJBN -j KUBE-SVC-ULMVA6XWXKQBUJBN
-A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000
-A KUBE-NODEPORTS -p tcp -m comment --comment "default/web:http" -m tcp --dport 8080 -j KUBE-EXT-ULMVA6XWXKQBUJBN
` + sep("KUBE-SEP-5OJB2KTYDKD3SNMF", a) + sep("KUBE-SEP-C6EBXVWJJZMIWKLZ", b) +
		`-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS
-A KUBE-SVC-ULMVA6XWXKQBUJBN -m comment --comment "default/web:http -> ` + a + `" -m statistic --mode random --probability 0.50000000000 -j KUBE-SEP-5OJB2KTYDKD3SNMF
-A KUBE-SVC-ULMVA6XWXKQBUJBN -m comment --comment "default/web:http -> ` + b + `" -j KUBE-SEP-C6EBXVWJJZMIWKLZ
COMMIT
`}}
}

// spreadCase is a rule set that spreads connections to serverAddr:8080
// over destinations, with the ports that listen.
type spreadCase struct {
	name   string
	load   []fwLoad
	listen []int
	needs  [][2]string
}

// spreadConnects is how many connects each client makes: with two
// destinations drawn at random, the chance that one is never met is
// 2^-23.
const spreadConnects = 24

var spreadCases = []spreadCase{
	{name: "kube-proxy nftables, one endpoint of two refuses", load: kubeProxyNftEndpoints(serverAddr+":8081", serverAddr+":8083"), listen: []int{8081}, needs: needNft},
	{name: "kube-proxy nftables, both endpoints serve", load: kubeProxyNftEndpoints(serverAddr+":8081", serverAddr+":8082"), listen: []int{8081, 8082}, needs: needNft},
	{name: "kube-proxy nftables, three endpoints, two refuse", load: kubeProxyNftEndpoints(serverAddr+":8081", serverAddr+":8082", serverAddr+":8083"), listen: []int{8082}, needs: needNft},
	{name: "kube-proxy iptables, one endpoint of two refuses", load: kubeProxyIptablesEndpoints(serverAddr+":8081", serverAddr+":8083"), listen: []int{8081}, needs: needIptables},
	{name: "nft numgen inc data map, one destination refuses", load: natIn("", "tcp dport 8080 dnat ip to numgen inc mod 2 map { 0 : "+serverAddr+" . 8081, 1 : "+serverAddr+" . 8083 }"), listen: []int{8081}, needs: needNft},
}

func TestFirewallSpreadTruth(t *testing.T) {
	bin := binary(t)
	for _, c := range spreadCases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			for _, n := range c.needs {
				testtool.Need(t, n[0], n[1])
			}
			p := newNetnsPair(t)
			for _, l := range c.load {
				loadInNetns(t, p.server, l)
			}
			for _, port := range c.listen {
				listenTCPIn(t, p.server, "[::]:"+strconv.Itoa(port))
			}
			target := net.JoinHostPort(serverAddr, "8080")
			out, err := exec.Command("ip", "netns", "exec", p.server, bin, "check", "--json", target).Output()
			var exit *exec.ExitError
			if err != nil && !errors.As(err, &exit) {
				t.Fatalf("whyrefused check: %v", err)
			}
			validate(t, schemas(t)["check"], "check --json "+target, out) // clients[].split, as docs/schema says
			rep := spreadReport(t, out)
			for _, cl := range []struct {
				name, ns string
			}{{"remote", p.client}, {"local", p.server}} {
				seen := map[string]int{}
				inNetns(t, cl.ns, func() {
					for range spreadConnects {
						seen[realSymptom(target)]++
					}
				})
				var real []string
				for s := range seen {
					real = append(real, s)
				}
				slices.Sort(real)
				predicted, symptom := rep.shares(cl.name)
				if !slices.Equal(real, predicted) {
					t.Errorf("%s client: the real connects got %v, check predicts the shares %v\n%s", cl.name, seen, predicted, out)
					continue
				}
				want := "accepted"
				for _, s := range real {
					if s != "accepted" {
						want = s
					}
				}
				if symptom != want || (want == "accepted") != (rep.Verdict == "accept") {
					t.Errorf("%s client: symptom %s, verdict %s; the real connects got %v\n%s", cl.name, symptom, rep.Verdict, seen, out)
					continue
				}
				t.Logf("%s client: %v, predicted %v (%s)", cl.name, seen, predicted, symptom)
			}
			if rep.Verdict != "accept" && !slices.Contains(rep.codes(), "endpoint-refuses") {
				t.Errorf("no endpoint-refuses finding: %v\n%s", rep.codes(), out)
			}
		})
	}
}

// spreadJSON is what the spread test reads of check's JSON.
type spreadJSON struct {
	Verdict   string
	Addresses []struct {
		Clients []struct {
			Client, Symptom string
			Split           []struct {
				Symptom string
				Share   float64
				To      []string
			}
		}
	}
	Findings []struct{ Code, Message string }
}

func spreadReport(t *testing.T, out []byte) spreadJSON {
	t.Helper()
	var rep spreadJSON
	if err := json.Unmarshal(out, &rep); err != nil || len(rep.Addresses) != 1 {
		t.Fatalf("check: %v\n%s", err, out)
	}
	return rep
}

// shares are the symptoms check predicts for client name's shares,
// sorted, and its symptom.
func (r spreadJSON) shares(name string) ([]string, string) {
	for _, c := range r.Addresses[0].Clients {
		if c.Client != name {
			continue
		}
		if len(c.Split) == 0 {
			return []string{c.Symptom}, c.Symptom
		}
		var out []string
		for _, s := range c.Split {
			out = append(out, s.Symptom)
		}
		slices.Sort(out)
		return slices.Compact(out), c.Symptom
	}
	return nil, ""
}

func (r spreadJSON) codes() []string {
	var out []string
	for _, f := range r.Findings {
		out = append(out, f.Code)
	}
	return out
}
