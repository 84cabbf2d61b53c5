// nftables_linux_test.go holds the nf_tables reader's test: a real rule
// set loaded with nft in a network namespace of the test's own, read back
// through netlink and translated.

package inspect

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/whyrefused/whyrefused/internal/testnet"
	"github.com/whyrefused/whyrefused/internal/testtool"
)

// loadRules loads an nft rule set, or iptables-restore input with cmd
// "iptables-restore", in the current (test) namespace.
func loadRules(t *testing.T, cmd string, rules string) {
	t.Helper()
	var c *exec.Cmd
	if cmd == "nft" {
		c = exec.Command("nft", "-f", "-")
	} else {
		c = exec.Command(cmd)
	}
	c.Stdin = strings.NewReader(rules)
	if out, err := c.CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", cmd, err, out)
	}
}

func TestReadNFTablesReal(t *testing.T) {
	testtool.Need(t, "nft", "nftables")
	if !testnet.InNetns(t) {
		return
	}
	loadRules(t, "nft", `
table inet filter {
	set allowed { type ipv4_addr; flags interval; elements = { 198.18.0.0/24, 198.19.1.1 } }
	map svc { type ipv4_addr . inet_proto . inet_service : verdict; elements = { 198.18.0.9 . tcp . 80 : goto rej } }
	chain input {
		type filter hook input priority filter; policy drop;
		ct state established,related accept
		iif "lo" accept
		ip saddr @allowed tcp dport 22 accept
		ip daddr . meta l4proto . th dport vmap @svc
		tcp dport { 80, 443, 8000-8010 } counter accept comment "web"
		ip6 saddr fd18::/64 tcp dport 8080 reject with tcp reset
		meta l4proto tcp fib daddr type local reject with icmpx admin-prohibited
	}
	chain rej { reject with icmp host-prohibited; }
}
table ip nat {
	chain pre { type nat hook prerouting priority dstnat; tcp dport 81 dnat to 198.18.0.2:8081; }
}
`)
	rs := ReadNFTables()
	if !rs.Complete {
		t.Fatalf("not complete: %v", rs.Problems)
	}
	var texts []string
	for _, tab := range rs.Tables {
		for _, ch := range tab.Chains {
			for _, r := range ch.Rules {
				texts = append(texts, string(tab.Family)+" "+tab.Name+" "+ch.Name+": "+r.Text)
				t.Logf("%s %s %s [%d] %s unknown=%v verdict=%+v", tab.Family, tab.Name, ch.Name, r.Handle, r.Text, r.Unknown, r.Verdict)
			}
		}
	}
	all := strings.Join(texts, "\n")
	for _, want := range []string{
		"inet filter input: ct state established,related accept",
		"inet filter input: ip saddr @allowed tcp dport 22 accept",
		"inet filter input: ip daddr . meta l4proto . th dport vmap @svc",
		`inet filter input: tcp dport { 80, 443, 8000-8010 } counter packets 0 bytes 0 accept comment "web"`,
		"inet filter input: ip6 saddr fd18::/64 tcp dport 8080 reject with tcp reset",
		"inet filter rej: reject with icmp host-prohibited",
		"ip nat pre: tcp dport 81 dnat to 198.18.0.2:8081",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("missing %q in\n%s", want, all)
		}
	}
}

func TestReadIptablesNFTReal(t *testing.T) {
	testtool.Need(t, "iptables-nft-restore", "iptables")
	if !testnet.InNetns(t) {
		return
	}
	loadRules(t, "iptables-nft-restore", `*filter
:INPUT ACCEPT [0:0]
-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
-A INPUT -p tcp -m multiport --dports 80,443,9000:9010 -j ACCEPT
-A INPUT -s 198.18.0.0/24 -p tcp --dport 8080 -m comment --comment "ns/svc:http has no endpoints" -j REJECT --reject-with icmp-port-unreachable
-A INPUT -p tcp -m addrtype --dst-type LOCAL --dport 8081 -j REJECT --reject-with tcp-reset
-A INPUT -p tcp --dport 8082 -j REJECT --reject-with icmp-host-prohibited
-A INPUT -p tcp --dport 8083 -j LOG
-A INPUT -i eth+ -p tcp --dport 8084 -j DROP
COMMIT
*nat
:PREROUTING ACCEPT [0:0]
-A PREROUTING -p tcp --dport 81 -j DNAT --to-destination 198.18.0.2:8081
COMMIT
`)
	loadRules(t, "ip6tables-nft-restore", `*filter
:INPUT ACCEPT [0:0]
-A INPUT -p tcp --dport 8080 -j REJECT --reject-with icmp6-adm-prohibited
-A INPUT -p tcp --dport 8081 -j REJECT --reject-with tcp-reset
-A INPUT -p tcp --dport 8082 -j REJECT
COMMIT
`)
	rs := ReadNFTables()
	if !rs.Complete {
		t.Fatalf("not complete: %v", rs.Problems)
	}
	var got []string
	for _, tab := range rs.Tables {
		for _, ch := range tab.Chains {
			for _, r := range ch.Rules {
				got = append(got, fmtRule(tab, ch, r))
				t.Log(fmtRule(tab, ch, r), r.Unknown)
			}
		}
	}
	all := strings.Join(got, "\n")
	for _, want := range []string{
		"ip filter INPUT: ct state established,related counter packets 0 bytes 0 accept|accept|",
		"ip filter INPUT: tcp dport { 80, 443, 9000-9010 } counter packets 0 bytes 0 accept|accept|",
		`ip filter INPUT: meta l4proto tcp ip saddr 198.18.0.0/24 tcp dport 8080 counter packets 0 bytes 0 reject with icmp port-unreachable comment "ns/svc:http has no endpoints"|reject port-unreachable|`,
		"ip filter INPUT: meta l4proto tcp fib daddr type local tcp dport 8081 counter packets 0 bytes 0 reject with tcp reset|reject tcp reset|",
		"reject with icmp host-prohibited|reject host-prohibited|",
		`ip filter INPUT: iifname "eth*" tcp dport 8084 counter packets 0 bytes 0 drop|drop|`,
		"ip nat PREROUTING: tcp dport 81 counter packets 0 bytes 0 dnat to 198.18.0.2:8081|dnat|",
		"ip6 filter INPUT: tcp dport 8080 counter packets 0 bytes 0 reject with icmpv6 admin-prohibited|reject admin-prohibited|",
		"ip6 filter INPUT: tcp dport 8081 counter packets 0 bytes 0 reject with tcp reset|reject tcp reset|",
		"ip6 filter INPUT: tcp dport 8082 counter packets 0 bytes 0 reject with icmpv6 port-unreachable|reject port-unreachable|",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("missing %q in\n%s", want, all)
		}
	}
}

// fmtRule is a rule with where it is and what it does, for the tests.
func fmtRule(tab Table, ch Chain, r Rule) string {
	v := string(r.Verdict.Kind)
	if r.Verdict.Reject != "" {
		v += " " + string(r.Verdict.Reject)
	}
	return string(tab.Family) + " " + tab.Name + " " + ch.Name + ": " + r.Text + "|" + v + "|" + strings.Join(r.Unknown, ",")
}
