// firewall_cases_firewalld_linux_test.go holds the firewalld cases of the
// firewall truth matrix: the real firewalld, started once per test run in
// its sandbox (firewalld_lab_linux_test.go) and configured with the real
// firewall-cmd, one configuration after another; after each, the
// namespace's `nft list ruleset` is kept, and each case loads that dump
// with nft -f in its own server namespace.

package main

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
)

// firewalldStep is one configuration: the firewall-cmd calls (each one
// command line's arguments: firewall-cmd takes several additions, or
// several removals, in one) that make it from the one before.
type firewalldStep struct {
	name string
	cmds [][]string
}

// firewalldSteps are the configurations, in the order they are made: the
// runtime changes first (a --reload drops them), then the permanent ones.
var firewalldSteps = []firewalldStep{
	// Debian's default: zone public, ssh and dhcpv6-client allowed.
	{name: "public"},
	{name: "port", cmds: [][]string{{"--add-port=8080/tcp"}}},
	// The service jenkins is 8080/tcp.
	{name: "service", cmds: [][]string{{"--remove-port=8080/tcp"}, {"--add-service=jenkins"}}},
	// The port open, and rich rules on the source: the remote client's
	// IPv4 address rejected (firewalld's rich reject is icmp
	// port-unreachable), its IPv6 prefix dropped, another range reset.
	{name: "rich", cmds: [][]string{{"--remove-service=jenkins"}, {"--add-port=8080/tcp"}, {
		`--add-rich-rule=rule family="ipv4" source address="198.19.0.0/16" reject type="tcp-reset"`,
		`--add-rich-rule=rule family="ipv4" source address="198.18.0.2" port port="8080" protocol="tcp" reject`,
		`--add-rich-rule=rule family="ipv6" source address="fd18::/64" drop`}}},
	{name: "target REJECT", cmds: [][]string{{"--permanent", "--zone=public", "--set-target=REJECT"}, {"--reload"}}},
	{name: "target DROP", cmds: [][]string{{"--permanent", "--zone=public", "--set-target=DROP"}, {"--reload"}}},
	{name: "drop zone", cmds: [][]string{{"--set-default-zone=drop"}}},
	{name: "drop zone with the port", cmds: [][]string{{"--zone=drop", "--add-port=8080/tcp"}}},
	// The drop zone again, and the remote client's IPv4 address bound to
	// zone trusted, which accepts everything: the zone is chosen by the
	// source (filter_INPUT_ZONES: ip saddr 198.18.0.2 goto
	// filter_IN_trusted).
	{name: "drop zone, the client's source trusted", cmds: [][]string{{"--zone=drop", "--remove-port=8080/tcp"}, {"--zone=trusted", "--add-source=198.18.0.2"}}},
	// A policy from every zone to this host, target REJECT: its chain
	// (filter_IN_policy_lockdown) comes before any zone's, so it rejects
	// the trusted source too.
	{name: "policy REJECT to the host", cmds: [][]string{{"--permanent", "--zone=trusted", "--add-source=198.18.0.2"}, {"--permanent", "--new-policy=lockdown"},
		{"--permanent", "--policy=lockdown", "--add-ingress-zone=ANY"}, {"--permanent", "--policy=lockdown", "--add-egress-zone=HOST"},
		{"--permanent", "--policy=lockdown", "--set-target=REJECT"}, {"--reload"}}},
}

// firewalldDumps holds the dumps, made on first use.
var firewalldDumps struct {
	once  sync.Once
	dumps map[string]string
	err   error
}

// firewalldDump is the rule set firewalld wrote for the named step.
func firewalldDump(t *testing.T, name string) string {
	t.Helper()
	firewalldDumps.once.Do(func() {
		firewalldDumps.dumps, firewalldDumps.err = makeFirewalldDumps(t)
	})
	if firewalldDumps.err != nil {
		t.Fatalf("the real firewalld's rule sets: %v", firewalldDumps.err)
	}
	d, ok := firewalldDumps.dumps[name]
	if !ok {
		t.Fatalf("no firewalld configuration %q", name)
	}
	return d
}

// makeFirewalldDumps starts firewalld in a network namespace of its own,
// makes each configuration and keeps its rule set, then stops it and
// removes the namespace.
func makeFirewalldDumps(t *testing.T) (map[string]string, error) {
	b := make([]byte, 4)
	rand.Read(b)
	ns := "wr-fwd-" + hex.EncodeToString(b)
	if out, err := exec.Command("ip", "netns", "add", ns).CombinedOutput(); err != nil {
		return nil, fmt.Errorf("as root, ip netns add %s fails: %v: %s", ns, err, out)
	}
	defer exec.Command("ip", "netns", "del", ns).Run()
	dir, err := os.MkdirTemp("", "whyrefused-firewalld-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	lab, err := startFirewalld(ns, dir)
	if err != nil {
		return nil, err
	}
	defer lab.stop()
	dumps := map[string]string{}
	for _, s := range firewalldSteps {
		for _, args := range s.cmds {
			if _, err := lab.firewallCmd(args...); err != nil {
				return nil, fmt.Errorf("configuration %q: %v", s.name, err)
			}
		}
		d, err := lab.ruleset()
		if err != nil {
			return nil, err
		}
		if !strings.Contains(d, "table inet firewalld") {
			return nil, fmt.Errorf("configuration %q: no firewalld table in the rule set:\n%s", s.name, d)
		}
		dumps[s.name] = d
		t.Logf("firewalld configuration %q: %d lines of rules", s.name, strings.Count(d, "\n"))
	}
	return dumps, nil
}

// firewalld is the load step of a case: the named configuration's rules.
func firewalld(name string) []fwLoad { return []fwLoad{{tool: "firewalld", input: name}} }

// firewalldCases are the matrix's firewalld rule sets. Measured with the
// zone's own reject (icmpx admin-prohibited): EHOSTUNREACH over IPv4,
// EACCES over IPv6; the lo accept lets the local clients through.
var firewalldCases = []fwCase{
	{name: "firewalld public zone", needs: needFirewalld, load: firewalld("public")},
	{name: "firewalld public zone with the port", needs: needFirewalld, load: firewalld("port")},
	{name: "firewalld public zone with a service of the port", needs: needFirewalld, load: firewalld("service")},
	{name: "firewalld rich rules on the source without --from", needs: needFirewalld, load: firewalld("rich"),
		unsure: "rich rules reject and drop some source addresses, and check is not told the client's"},
	{name: "firewalld rich rules on the source with --from", needs: needFirewalld, load: firewalld("rich"), from: true},
	{name: "firewalld zone target REJECT", needs: needFirewalld, load: firewalld("target REJECT")},
	{name: "firewalld zone target DROP", needs: needFirewalld, load: firewalld("target DROP")},
	{name: "firewalld drop zone", needs: needFirewalld, load: firewalld("drop zone")},
	{name: "firewalld drop zone with the port", needs: needFirewalld, load: firewalld("drop zone with the port")},
	{name: "firewalld source bound to zone trusted with --from", needs: needFirewalld, load: firewalld("drop zone, the client's source trusted"), from: true},
	{name: "firewalld source bound to zone trusted without --from", needs: needFirewalld, load: firewalld("drop zone, the client's source trusted"),
		clients: []fwClient{remote4, local4}, unsure: "the zone is chosen by the source address, and check is not told the client's"},
	{name: "firewalld policy REJECT to the host", needs: needFirewalld, load: firewalld("policy REJECT to the host"), from: true},
}

// The first firewalld case goes first, the others last: the first makes
// the dumps while the other cases run beside it, so that no case waits
// for them holding a parallel slot.
func init() {
	firewallCases = append(append(firewalldCases[:1:1], firewallCases...), firewalldCases[1:]...)
}
