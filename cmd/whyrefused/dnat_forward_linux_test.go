// dnat_forward_linux_test.go holds the truth test of the filters on the
// way of a DNAT mapping into another network namespace: the host's
// forward hook (a policy drop, with and without accepts, rejects of each
// type, iptables-nft's FORWARD chain, forwarding switched off) and the
// destination namespace's own input chain. In the lab of dnat_linux_test.go, with a server on port 80
// behind the mapping, check's predicted symptom for a remote client and
// for one on the host must equal what a real connect from each gets.

package main

import (
	"os/exec"
	"strings"
	"sync"
	"testing"

	"github.com/whyrefused/whyrefused/internal/testtool"
)

// dnatMapping maps 8080 on the host's address to the container's 80, for
// remote clients (prerouting) and for the host's own (output).
const dnatMapping = `nft -f - <<'EOF'
table ip wrnat {
	chain pre { type nat hook prerouting priority dstnat; tcp dport 8080 dnat to ` + labCtrAddr + `:80; }
	chain out { type nat hook output priority -100; ip daddr ` + labHostAddr + ` tcp dport 8080 dnat to ` + labCtrAddr + `:80; }
}
EOF
`

// forwardCase is one filter on the way: a script run in the host's
// namespace after the mapping, one run in the container's, and the code
// of the finding that must name the rule ("" when nothing refuses).
type forwardCase struct {
	name, tool, pkg string
	host, ctr       string
	code            string
	// where is the namespace whose rule it is: "host" or "ctr".
	where string
}

var forwardCases = []forwardCase{
	{name: "accepted", tool: "nft", pkg: "nftables"},
	{name: "forward policy drop", tool: "nft", pkg: "nftables", code: "firewall-drop", where: "host",
		host: `nft add table ip f; nft add chain ip f fw '{ type filter hook forward priority 0; policy drop; }'`},
	{name: "forward policy drop, accepts the port and established", tool: "nft", pkg: "nftables",
		host: `nft add table ip f; nft add chain ip f fw '{ type filter hook forward priority 0; policy drop; }'
nft add rule ip f fw ct state established,related accept
nft add rule ip f fw ip daddr ` + labCtrAddr + ` tcp dport 80 accept`},
	// The SYN passes; the server's SYN-ACK meets the policy.
	{name: "forward policy drop, accepts the port only", tool: "nft", pkg: "nftables", code: "firewall-drop", where: "host",
		host: `nft add table ip f; nft add chain ip f fw '{ type filter hook forward priority 0; policy drop; }'
nft add rule ip f fw tcp dport 80 accept`},
	{name: "forward reject", tool: "nft", pkg: "nftables", code: "firewall-reject", where: "host",
		host: `nft add table ip f; nft add chain ip f fw '{ type filter hook forward priority 0; }'
nft add rule ip f fw ip daddr ` + labCtrAddr + ` reject`},
	{name: "forward reject host-prohibited", tool: "nft", pkg: "nftables", code: "firewall-reject", where: "host",
		host: `nft add table ip f; nft add chain ip f fw '{ type filter hook forward priority 0; }'
nft add rule ip f fw ip daddr ` + labCtrAddr + ` reject with icmp type host-prohibited`},
	{name: "iptables-nft FORWARD DROP", tool: "iptables-nft", pkg: "iptables", code: "firewall-drop", where: "host",
		host: `iptables-nft -A FORWARD -j DROP`},
	{name: "iptables-nft FORWARD REJECT", tool: "iptables-nft", pkg: "iptables", code: "firewall-reject", where: "host",
		host: `iptables-nft -A FORWARD -j REJECT`},
	{name: "iptables-nft FORWARD policy DROP, established and port accepted", tool: "iptables-nft", pkg: "iptables",
		host: `iptables-nft -P FORWARD DROP
iptables-nft -A FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
iptables-nft -A FORWARD -d ` + labCtrAddr + ` -p tcp --dport 80 -j ACCEPT`},
	// Forwarding off: the kernel drops the mapped connection at routing.
	{name: "forwarding off", tool: "nft", pkg: "nftables", code: "not-forwarded",
		host: `sysctl -qw net.ipv4.ip_forward=0`},
	{name: "container input reject", tool: "nft", pkg: "nftables", code: "firewall-reject", where: "ctr",
		ctr: `nft add table inet c; nft add chain inet c in '{ type filter hook input priority 0; }'
nft add rule inet c in tcp dport 80 reject with tcp reset`},
	{name: "container input drop", tool: "nft", pkg: "nftables", code: "firewall-drop", where: "ctr",
		ctr: `nft add table inet c; nft add chain inet c in '{ type filter hook input priority 0; policy drop; }'
nft add rule inet c in iifname lo accept`},
	{name: "container iptables-nft INPUT REJECT", tool: "iptables-nft", pkg: "iptables", code: "firewall-reject", where: "ctr",
		ctr: `iptables-nft -A INPUT -p tcp --dport 80 -j REJECT --reject-with icmp-host-prohibited`},
}

func TestDNATThroughFirewalls(t *testing.T) {
	testtool.Need(t, "nft", "nftables")
	for _, c := range forwardCases {
		t.Run(c.name, func(t *testing.T) {
			testtool.Need(t, c.tool, c.pkg)
			l := newDNATLab(t)
			for ns, script := range map[string]string{l.host: dnatMapping + c.host, l.ctr: c.ctr} {
				if script == "" {
					continue
				}
				if out, err := exec.Command("ip", "netns", "exec", ns, "sh", "-ec", script).CombinedOutput(); err != nil {
					t.Fatalf("rules in %s: %v\n%s\n%s", ns, err, out, script)
				}
			}
			startIn(t, l.ctr, "0.0.0.0:80")
			target := labHostAddr + ":8080"
			real := map[bool]string{}
			var mu sync.Mutex
			var wg sync.WaitGroup
			for ns, local := range map[string]bool{l.remote: false, l.host: true} {
				wg.Add(1)
				go func() {
					defer wg.Done()
					var got string
					inNetns(t, ns, func() { got = realSymptom(target) })
					mu.Lock()
					real[local] = got
					mu.Unlock()
				}()
			}
			wg.Wait()
			cmd := exec.Command("ip", "netns", "exec", l.host, binary(t), "check", "--json", target)
			cmd.Env = append(cmd.Environ(), "NO_COLOR=1")
			out, _ := cmd.Output()
			for _, local := range []bool{false, true} {
				cl := fwClient{addr: labHostAddr, local: local}
				got, _, codes := predictedSymptom(t, out, cl)
				t.Logf("client local=%v: predicted %s, real %s, findings %v", local, got, real[local], codes)
				if got != real[local] {
					t.Errorf("client local=%v: check predicts %s, a real connect got %s:\n%s", local, got, real[local], out)
				}
				if c.code != "" && !strings.Contains(strings.Join(codes, " "), c.code) {
					t.Errorf("no %s finding: %v\n%s", c.code, codes, out)
				}
			}
			name := map[string]string{"host": "network namespace " + l.host, "ctr": "network namespace " + l.ctr}[c.where]
			if c.where != "" && !strings.Contains(string(out), "in "+name+": ") {
				t.Errorf("the finding does not name %s:\n%s", name, out)
			}
			if strings.Contains(string(out), "was not followed") || strings.Contains(string(out), "were not read") {
				t.Errorf("everything was followed, yet check warns that something was not:\n%s", out)
			}
		})
	}
}
