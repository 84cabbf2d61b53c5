// firewall_cases_legacy_linux_test.go holds the truth matrix's cases of
// legacy x_tables (iptables-legacy, ip6tables-legacy, alone and beside
// nf_tables) and of full accept queues: rows of firewallCases, appended
// here.

package main

import (
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

func init() { firewallCases = append(firewallCases, legacyCases...) }

var needLegacy = [][2]string{{"iptables-legacy-restore", "iptables"}, {"ip6tables-legacy-restore", "iptables"}}

// legacyFilter is a filter table for iptables-legacy-restore (either
// family) with an INPUT policy and rules.
func legacyFilter(policy string, rules ...string) string {
	return "*filter\n:INPUT " + policy + " [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n" +
		strings.Join(rules, "\n") + "\nCOMMIT\n"
}

// legacy loads rules for IPv4 and, when rules6 is not "", IPv6.
func legacy(rules4, rules6 string) []fwLoad {
	l := []fwLoad{{tool: "iptables-legacy-restore", input: rules4}}
	if rules6 != "" {
		l = append(l, fwLoad{tool: "ip6tables-legacy-restore", input: rules6})
	}
	return l
}

// legacyReject rejects port 8080 with a --reject-with ("" for the
// default).
func legacyReject(with string) string {
	if with != "" {
		with = " --reject-with " + with
	}
	return legacyFilter("ACCEPT", "-A INPUT -p tcp -m tcp --dport 8080 -j REJECT"+with)
}

// legacyDefaultDrop is the classic host firewall: drop, but accept
// established connections, lo, ICMPv6 and the rules given.
func legacyDefaultDrop(rules ...string) string {
	return legacyFilter("DROP", append([]string{"-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT",
		"-A INPUT -i lo -j ACCEPT", "-A INPUT -p ipv6-icmp -j ACCEPT"}, rules...)...)
}

// queueFull is a case whose server listens with a backlog of 1, never
// accepts, and has two clients waiting: with tcp_abort_on_overflow set
// as given, in the server's namespace only.
func queueFull(abort string) fwCase {
	return fwCase{name: "full accept queue, tcp_abort_on_overflow=" + abort, listen: "none",
		load: []fwLoad{{tool: "sh", input: "sysctl -qw net.ipv4.tcp_abort_on_overflow=" + abort}},
		setup: func(t *testing.T, p netnsPair) {
			inNetns(t, p.server, func() { stuckListener(t, 8080) })
		}}
}

var legacyCases = []fwCase{
	{name: "iptables-legacy REJECT", needs: needLegacy, load: legacy(legacyReject(""), legacyReject(""))},
	{name: "iptables-legacy tcp-reset", needs: needLegacy, load: legacy(legacyReject("tcp-reset"), legacyReject("tcp-reset")),
		clients: append(fourClients, localLo)},
	{name: "iptables-legacy host-prohibited, ip6 adm-prohibited", needs: needLegacy,
		load: legacy(legacyReject("icmp-host-prohibited"), legacyReject("icmp6-adm-prohibited"))},
	{name: "iptables-legacy admin-prohibited, ip6 addr-unreachable", needs: needLegacy,
		load: legacy(legacyReject("icmp-admin-prohibited"), legacyReject("icmp6-addr-unreachable"))},
	{name: "iptables-legacy net-unreachable, ip6 no-route", needs: needLegacy,
		load: legacy(legacyReject("icmp-net-unreachable"), legacyReject("icmp6-no-route"))},
	{name: "iptables-legacy host-unreachable, no ip6 rules", needs: needLegacy, load: legacy(legacyReject("icmp-host-unreachable"), "")},
	{name: "iptables-legacy net-prohibited, ip6 port-unreachable", needs: needLegacy,
		load: legacy(legacyReject("icmp-net-prohibited"), legacyReject("icmp6-port-unreachable"))},
	{name: "iptables-legacy DROP", needs: needLegacy, load: legacy(
		legacyFilter("ACCEPT", "-A INPUT -p tcp -m tcp --dport 8080 -j DROP"), legacyFilter("ACCEPT", "-A INPUT -p tcp -m tcp --dport 8080 -j DROP"))},
	{name: "iptables-legacy default drop with conntrack and lo", needs: needLegacy, clients: append(fourClients, localLo),
		load: legacy(legacyDefaultDrop("-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT"), legacyDefaultDrop())},
	{name: "iptables-legacy default drop with the port open", needs: needLegacy,
		load: legacy(legacyDefaultDrop("-A INPUT -p tcp -m multiport --dports 22,8080 -j ACCEPT"),
			legacyDefaultDrop("-A INPUT -p tcp -m tcp --dport 8080 -m conntrack --ctstate NEW -j ACCEPT"))},
	{name: "iptables-legacy source rule with --from", needs: needLegacy, from: true, clients: []fwClient{remote4, local4},
		load: legacy(legacyFilter("ACCEPT", "-A INPUT -s 198.18.0.0/24 ! -i lo -p tcp -m tcp --dport 8080 -j REJECT"), "")},
	{name: "iptables-legacy source rule without --from", needs: needLegacy, clients: []fwClient{remote4, local4},
		load:   legacy(legacyFilter("ACCEPT", "-A INPUT -s 198.18.0.2/32 -p tcp -m tcp --dport 8080 -j REJECT --reject-with tcp-reset"), ""),
		unsure: "the rule rejects one source address, and check is not told the client's"},
	{name: "iptables-legacy ip6 source rule with --from, not matching", needs: needLegacy, from: true, clients: []fwClient{remote6, local6},
		load: legacy(legacyFilter("ACCEPT"), legacyFilter("ACCEPT", "-A INPUT -s fd18::3/128 -p tcp -j REJECT"))},
	{name: "iptables-legacy iprange with --from", needs: needLegacy, from: true, clients: []fwClient{remote4, local4, localLo},
		load: legacy(legacyFilter("ACCEPT", "-A INPUT -p tcp -m iprange --src-range 198.18.0.1-198.18.0.5 -m tcp --dport 8080 -j REJECT --reject-with tcp-reset"), "")},
	{name: "iptables-legacy fragment drop before a reject", needs: needLegacy,
		load: legacy(legacyFilter("ACCEPT", "-A INPUT -f -j DROP", "-A INPUT -p tcp -m tcp --dport 8080 -j REJECT --reject-with tcp-reset"), "")},
	{name: "iptables-legacy user chain with return", needs: needLegacy, load: legacy(
		"*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:svc - [0:0]\n-A INPUT -p tcp -j svc\n"+
			"-A svc -i lo -j RETURN\n-A svc -p tcp -m tcp --dport 8080 -j REJECT --reject-with tcp-reset\nCOMMIT\n", "")},
	{name: "iptables-legacy goto", needs: needLegacy, load: legacy(
		"*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:web - [0:0]\n-A INPUT -p tcp -m tcp --dport 8080 -g web\n"+
			"-A INPUT -p tcp -j REJECT\n-A web -p tcp -m addrtype --dst-type LOCAL -j DROP\nCOMMIT\n", "")},
	{name: "iptables-legacy ufw-style comment and ctstate", needs: needLegacy, load: legacy(
		legacyFilter("ACCEPT", `-A INPUT -p tcp -m tcp --dport 8080 -m conntrack --ctstate NEW -m comment --comment "deny 8080" -j REJECT --reject-with icmp-port-unreachable`), "")},
	{name: "iptables-legacy output reject to lo", needs: needLegacy, clients: []fwClient{remote4, local4, localLo}, load: legacy(
		"*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n-A OUTPUT -o lo -p tcp -m tcp --dport 8080 -j REJECT --reject-with tcp-reset\nCOMMIT\n", "")},
	{name: "iptables-legacy rate limit on the reject", needs: needLegacy, clients: []fwClient{remote4},
		load:   legacy(legacyFilter("ACCEPT", "-A INPUT -p tcp -m tcp --dport 8080 -m limit --limit 3/min -j REJECT"), ""),
		unsure: "the reject holds only under a rate limit, which depends on the traffic"},
	{name: "iptables-legacy redirect 8081 to 8080", needs: needLegacy, port: 8081, clients: []fwClient{remote4, remote6, local4},
		load: legacy("*nat\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n"+
			"-A PREROUTING -p tcp -m tcp --dport 8081 -j REDIRECT --to-ports 8080\nCOMMIT\n", "")},
	{name: "kube-proxy iptables-legacy, Service without endpoints", needs: needLegacy,
		clients: []fwClient{remote4, local4, {local: true, addr: "198.18.2.10", port: 80}},
		load:    legacy(kubeProxyIptables, "")},
	{name: "iptables-legacy reject beside an nft accept", needs: append(needLegacy, needNft...),
		load: append(legacy(legacyReject("tcp-reset"), legacyReject("tcp-reset")), nftIn("accept", "tcp dport 8080 accept")...)},
	{name: "iptables-legacy accept beside an nft drop", needs: append(needLegacy, needNft...),
		load: append(legacy(legacyFilter("ACCEPT", "-A INPUT -p tcp -j ACCEPT"), ""), nftIn("accept", "tcp dport 8080 drop")...)},
	{name: "nft reject beside an empty legacy table", needs: append(needLegacy, needNft...),
		load: append(legacy(legacyFilter("ACCEPT"), legacyFilter("ACCEPT")), nftIn("accept", "tcp dport 8080 reject with tcp reset")...)},
	queueFull("0"),
	queueFull("1"),
}

// stuckListener listens on [::]:port, dual stack, with a backlog of 1,
// never accepts, and has two real clients waiting in its accept queue
// (the kernel queues one more than the backlog): a new client finds it
// full. Call it inside the server's namespace.
func stuckListener(t *testing.T, port int) {
	t.Helper()
	fd, err := unix.Socket(unix.AF_INET6, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { unix.Close(fd) })
	if err := unix.SetsockoptInt(fd, unix.IPPROTO_IPV6, unix.IPV6_V6ONLY, 0); err != nil {
		t.Fatal(err)
	}
	if err := unix.Bind(fd, &unix.SockaddrInet6{Port: port}); err != nil {
		t.Fatal(err)
	}
	if err := unix.Listen(fd, 1); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		conn, err := net.DialTimeout("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)), time.Second)
		if err != nil {
			t.Fatalf("a client to fill the accept queue: %v", err)
		}
		t.Cleanup(func() { conn.Close() })
	}
}
