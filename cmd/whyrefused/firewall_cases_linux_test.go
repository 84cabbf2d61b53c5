// firewall_cases_linux_test.go holds the cases of the firewall truth
// matrix: real rule sets as each tool writes them, and the clients that
// try each. A new case is a row here (the iptables-legacy and accept-queue
// cases, and firewalld's, are added the same way).

package main

// nftTool and friends are the tools the cases load rules with.
var (
	needNft      = [][2]string{{"nft", "nftables"}}
	needIptables = [][2]string{{"iptables-nft-restore", "iptables"}, {"ip6tables-nft-restore", "iptables"}}
	needUfw      = [][2]string{{"ufw", "ufw"}, {"iptables-nft-restore", "iptables"}}
)

// nftIn is an inet table with one input chain holding rules.
func nftIn(policy, rules string) []fwLoad {
	return []fwLoad{{tool: "nft", input: "table inet t {\n chain input {\n  type filter hook input priority 0; policy " + policy + ";\n" + rules + "\n }\n}\n"}}
}

// kubeProxyIptables is a kube-proxy (iptables mode) dump, as
// iptables-save prints it, for the Service default/web (ClusterIP
// 198.18.2.10:80, NodePort 8080) without endpoints: its filter table
// rejects both.
const kubeProxyIptables = `*filter
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:KUBE-EXTERNAL-SERVICES - [0:0]
:KUBE-FIREWALL - [0:0]
:KUBE-FORWARD - [0:0]
:KUBE-KUBELET-CANARY - [0:0]
:KUBE-NODEPORTS - [0:0]
:KUBE-PROXY-CANARY - [0:0]
:KUBE-PROXY-FIREWALL - [0:0]
:KUBE-SERVICES - [0:0]
-A INPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes load balancer firewall" -j KUBE-PROXY-FIREWALL
-A INPUT -m comment --comment "kubernetes health check service ports" -j KUBE-NODEPORTS
-A INPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes externally-visible service portals" -j KUBE-EXTERNAL-SERVICES
-A INPUT -j KUBE-FIREWALL
-A FORWARD -m conntrack --ctstate NEW -m comment --comment "kubernetes load balancer firewall" -j KUBE-PROXY-FIREWALL
-A FORWARD -m comment --comment "kubernetes forwarding rules" -j KUBE-FORWARD
-A FORWARD -m conntrack --ctstate NEW -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-A FORWARD -m conntrack --ctstate NEW -m comment --comment "kubernetes externally-visible service portals" -j KUBE-EXTERNAL-SERVICES
-A OUTPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes load balancer firewall" -j KUBE-PROXY-FIREWALL
-A OUTPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-A OUTPUT -j KUBE-FIREWALL
-A KUBE-EXTERNAL-SERVICES -m addrtype --dst-type LOCAL -p tcp -m comment --comment "default/web:http has no endpoints" -m tcp --dport 8080 -j REJECT --reject-with icmp-port-unreachable
-A KUBE-FIREWALL ! -s 127.0.0.0/8 -d 127.0.0.0/8 -m comment --comment "block incoming localnet connections" -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP
-A KUBE-FORWARD -m conntrack --ctstate INVALID -j DROP
-A KUBE-FORWARD -m comment --comment "kubernetes forwarding rules" -m mark --mark 0x4000/0x4000 -j ACCEPT
-A KUBE-FORWARD -m comment --comment "kubernetes forwarding conntrack rule" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
-A KUBE-SERVICES -d 198.18.2.10/32 -p tcp -m comment --comment "default/web:http has no endpoints" -m tcp --dport 80 -j REJECT --reject-with icmp-port-unreachable
COMMIT
*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
:KUBE-MARK-MASQ - [0:0]
:KUBE-NODEPORTS - [0:0]
:KUBE-POSTROUTING - [0:0]
:KUBE-SERVICES - [0:0]
-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-A OUTPUT -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-A POSTROUTING -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING
-A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000
-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN
-A KUBE-POSTROUTING -j MARK --set-xmark 0x4000/0x0
-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully
-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS
COMMIT
`

// kubeProxyNft is kube-proxy's nftables mode for the same Service, in
// the layout its proxier writes (table ip kube-proxy, the
// no-endpoint-services and no-endpoint-nodeports verdict maps).
const kubeProxyNft = `table ip kube-proxy {
	comment "rules for kube-proxy"
	set cluster-ips { type ipv4_addr; comment "Active ClusterIPs"; elements = { 198.18.2.10 } }
	set nodeport-ips { type ipv4_addr; comment "IPs that accept NodePort traffic"; elements = { 198.18.0.1 } }
	map no-endpoint-services {
		type ipv4_addr . inet_proto . inet_service : verdict
		comment "vmap to drop or reject packets to services with no endpoints"
		elements = { 198.18.2.10 . tcp . 80 comment "default/web:http" : goto reject-chain }
	}
	map no-endpoint-nodeports {
		type inet_proto . inet_service : verdict
		comment "vmap to drop or reject packets to service nodeports with no endpoints"
		elements = { tcp . 8080 comment "default/web:http" : goto reject-chain }
	}
	map service-ips { type ipv4_addr . inet_proto . inet_service : verdict; comment "ClusterIP, ExternalIP and LoadBalancer IP traffic"; }
	map service-nodeports { type inet_proto . inet_service : verdict; comment "NodePort traffic"; }
	chain filter-prerouting { type filter hook prerouting priority -110; policy accept; ct state new jump firewall-check; }
	chain filter-input { type filter hook input priority -110; policy accept; ct state new jump nodeport-endpoints-check; ct state new jump service-endpoints-check; }
	chain filter-forward { type filter hook forward priority -110; policy accept; ct state new jump service-endpoints-check; ct state new jump cluster-ips-check; }
	chain filter-output { type filter hook output priority -110; policy accept; ct state new jump service-endpoints-check; ct state new jump firewall-check; }
	chain filter-output-post-dnat { type filter hook output priority -90; policy accept; ct state new jump cluster-ips-check; }
	chain firewall-check { }
	chain nodeport-endpoints-check { ip daddr @nodeport-ips meta l4proto . th dport vmap @no-endpoint-nodeports; }
	chain service-endpoints-check { ip daddr . meta l4proto . th dport vmap @no-endpoint-services; }
	chain cluster-ips-check {
		ip daddr @cluster-ips reject comment "Reject traffic to invalid ports of ClusterIPs"
		ip daddr 198.18.2.0/24 drop comment "Drop traffic to unallocated ClusterIPs"
	}
	chain reject-chain { comment "helper for @no-endpoint-services / @no-endpoint-nodeports"; reject; }
	chain nat-prerouting { type nat hook prerouting priority dstnat; policy accept; jump services; }
	chain nat-output { type nat hook output priority -100; policy accept; jump services; }
	chain nat-postrouting { type nat hook postrouting priority srcnat; policy accept; jump masquerading; }
	chain masquerading { meta mark & 0x00004000 == 0 return; meta mark set meta mark ^ 0x00004000; masquerade fully-random; }
	chain services {
		ip daddr . meta l4proto . th dport vmap @service-ips
		ip daddr @nodeport-ips meta l4proto . th dport vmap @service-nodeports
	}
}
`

// firewallCases are the matrix's rule sets.
var firewallCases = []fwCase{
	{name: "no rules", clients: append(fourClients, localLo)},
	{name: "no rules, no listener", listen: "none"},
	{name: "nft inet tcp reset", load: nftIn("accept", "tcp dport 8080 reject with tcp reset"), needs: needNft, clients: append(fourClients, localLo)},
	{name: "nft inet reject", load: nftIn("accept", "tcp dport 8080 reject"), needs: needNft},
	{name: "nft inet icmpx admin-prohibited", load: nftIn("accept", "tcp dport 8080 reject with icmpx admin-prohibited"), needs: needNft},
	{name: "nft inet icmpx host-unreachable", load: nftIn("accept", "tcp dport 8080 reject with icmpx host-unreachable"), needs: needNft},
	{name: "nft ip host-prohibited", needs: needNft, load: []fwLoad{{tool: "nft", input: "table ip t {\n chain input {\n  type filter hook input priority 0;\n  tcp dport 8080 reject with icmp host-prohibited\n }\n}\n"}}},
	{name: "nft ip6 admin-prohibited", needs: needNft, load: []fwLoad{{tool: "nft", input: "table ip6 t {\n chain input {\n  type filter hook input priority 0;\n  tcp dport 8080 reject with icmpv6 admin-prohibited\n }\n}\n"}}},
	{name: "nft inet drop", load: nftIn("accept", "tcp dport 8080 drop"), needs: needNft},
	{name: "nft default drop with established and lo accepts", needs: needNft, clients: append(fourClients, localLo),
		load: nftIn("drop", "ct state established,related accept\n iif \"lo\" accept\n meta l4proto ipv6-icmp accept")},
	{name: "nft default drop with the port open", needs: needNft,
		load: nftIn("drop", "ct state established,related accept\n iifname \"lo\" accept\n meta l4proto ipv6-icmp accept\n tcp dport { 22, 8080 } accept")},
	{name: "nft output chain reject", needs: needNft, clients: append(fourClients, localLo), load: []fwLoad{{tool: "nft", input: "table inet t {\n chain output {\n  type filter hook output priority 0;\n  oifname \"lo\" tcp dport 8080 reject with tcp reset\n }\n}\n"}}},
	{name: "nft source rule without --from", needs: needNft, clients: []fwClient{remote4, local4},
		load:   nftIn("accept", "ip saddr 198.18.0.2 tcp dport 8080 reject with tcp reset"),
		unsure: "the rule rejects one source address, and check is not told the client's"},
	{name: "nft source rule with --from", needs: needNft, from: true, clients: []fwClient{remote4, local4},
		load: nftIn("accept", "ip saddr 198.18.0.2 tcp dport 8080 reject with tcp reset")},
	{name: "nft source set with --from, not matching", needs: needNft, from: true,
		load: nftIn("accept", "ip saddr { 198.19.0.0/16 } tcp dport 8080 reject\n ip6 saddr fd18::3 tcp dport 8080 reject")},
	{name: "nft ip6 source prefix with --from", needs: needNft, from: true, clients: []fwClient{remote6, local6},
		load: nftIn("accept", "ip6 saddr fd18::/64 iifname != \"lo\" tcp dport 8080 reject with icmpv6 admin-prohibited")},
	{name: "nft inet accepts, ip drops", needs: needNft, load: []fwLoad{{tool: "nft", input: "table inet a {\n chain input {\n  type filter hook input priority 0;\n  tcp dport 8080 accept\n }\n}\ntable ip b {\n chain input {\n  type filter hook input priority 10;\n  tcp dport 8080 drop\n }\n}\n"}}},
	{name: "nft jump and return", needs: needNft,
		load: []fwLoad{{tool: "nft", input: "table inet t {\n chain c {\n  iifname \"lo\" return\n  reject with tcp reset\n }\n chain input {\n  type filter hook input priority 0;\n  tcp dport 8080 jump c\n }\n}\n"}}},
	{name: "nft prerouting drop not from lo", needs: needNft,
		load: []fwLoad{{tool: "nft", input: "table inet t {\n chain pre {\n  type filter hook prerouting priority -150;\n  iifname != \"lo\" tcp dport 8080 drop\n }\n}\n"}}},
	{name: "nft vmap", needs: needNft, load: nftIn("accept", "tcp dport vmap { 22 : accept, 8080 : drop }")},
	{name: "nft redirect 8081 to 8080", needs: needNft, port: 8081,
		load:    []fwLoad{{tool: "nft", input: "table ip nat {\n chain pre {\n  type nat hook prerouting priority dstnat;\n  tcp dport 8081 redirect to :8080\n }\n}\n"}},
		clients: []fwClient{remote4, remote6, local4}},
	{name: "nft rate limit on the accept", needs: needNft, clients: []fwClient{remote4, local4},
		load:   nftIn("drop", "iif \"lo\" accept\n tcp dport 8080 limit rate 10/second accept"),
		unsure: "the accept holds only under a rate limit, which depends on the traffic"},
	{name: "iptables-nft REJECT", needs: needIptables, load: []fwLoad{{tool: "iptables-nft-restore", input: "*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -p tcp --dport 8080 -j REJECT\nCOMMIT\n"}}},
	{name: "iptables-nft tcp-reset and ip6tables adm-prohibited", needs: needIptables, load: []fwLoad{
		{tool: "iptables-nft-restore", input: "*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -p tcp --dport 8080 -m comment --comment \"no web\" -j REJECT --reject-with tcp-reset\nCOMMIT\n"},
		{tool: "ip6tables-nft-restore", input: "*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -p tcp --dport 8080 -j REJECT --reject-with icmp6-adm-prohibited\nCOMMIT\n"}}},
	{name: "iptables-nft host-prohibited and ip6tables port-unreachable", needs: needIptables, load: []fwLoad{
		{tool: "iptables-nft-restore", input: "*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -p tcp --dport 8080 -j REJECT --reject-with icmp-host-prohibited\nCOMMIT\n"},
		{tool: "ip6tables-nft-restore", input: "*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -p tcp --dport 8080 -j REJECT --reject-with icmp6-port-unreachable\nCOMMIT\n"}}},
	{name: "iptables-nft default drop with conntrack and lo", needs: needIptables, clients: append(fourClients, localLo), load: []fwLoad{
		{tool: "iptables-nft-restore", input: "*filter\n:INPUT DROP [0:0]\n-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\n-A INPUT -i lo -j ACCEPT\nCOMMIT\n"},
		{tool: "ip6tables-nft-restore", input: "*filter\n:INPUT DROP [0:0]\n-A INPUT -m state --state RELATED,ESTABLISHED -j ACCEPT\n-A INPUT -i lo -j ACCEPT\n-A INPUT -p ipv6-icmp -j ACCEPT\nCOMMIT\n"}}},
	{name: "iptables-nft multiport", needs: needIptables, load: []fwLoad{{tool: "iptables-nft-restore", input: "*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -p tcp -m multiport --dports 80,8000:8090 -j REJECT --reject-with tcp-reset\nCOMMIT\n"}}},
	{name: "iptables-nft source rule with --from", needs: needIptables, from: true, clients: []fwClient{remote4, local4}, load: []fwLoad{
		{tool: "iptables-nft-restore", input: "*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -s 198.18.0.0/24 ! -i lo -p tcp --dport 8080 -j REJECT\nCOMMIT\n"}}},
	{name: "iptables-nft output drop", needs: needIptables, clients: []fwClient{remote4, local4}, load: []fwLoad{
		{tool: "iptables-nft-restore", input: "*filter\n:OUTPUT ACCEPT [0:0]\n-A OUTPUT -o lo -p tcp --dport 8080 -j REJECT --reject-with tcp-reset\nCOMMIT\n"}}},
	{name: "kube-proxy iptables, Service without endpoints", needs: needIptables,
		clients: []fwClient{remote4, local4, {local: true, addr: "198.18.2.10", port: 80}},
		load:    []fwLoad{{tool: "iptables-nft-restore", input: kubeProxyIptables}}},
	{name: "kube-proxy nftables, Service without endpoints", needs: needNft,
		clients: []fwClient{remote4, remote6, local4, {local: true, addr: "198.18.2.10", port: 80}},
		load:    []fwLoad{{tool: "nft", input: kubeProxyNft}}},
	{name: "ufw default deny", needs: needUfw, load: []fwLoad{{tool: "ufw", input: "--force enable"}}},
	{name: "ufw allow", needs: needUfw, load: []fwLoad{{tool: "ufw", input: "--force enable\nallow 8080/tcp"}}},
	{name: "ufw reject", needs: needUfw, load: []fwLoad{{tool: "ufw", input: "--force enable\nreject 8080/tcp"}}},
}
