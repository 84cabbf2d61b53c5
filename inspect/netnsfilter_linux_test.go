// netnsfilter_linux_test.go holds the test of ReadNetnsFilter: the rules,
// interfaces and counters of a namespace that a snapshot of every
// namespace found, read from inside it, and none read by the snapshot.

package inspect

import (
	"context"
	"net/netip"
	"os/exec"
	"slices"
	"testing"

	"github.com/whyrefused/whyrefused/internal/testtool"
)

func TestReadNetnsFilter(t *testing.T) {
	names := newTestNetns(t, 2)
	testtool.Need(t, "nft", "nftables")
	script := `ip link add wrf0 type veth peer name wrf1
ip addr add 198.18.130.1/24 dev wrf0
ip link set wrf0 up
nft add table inet wrf
nft add chain inet wrf in '{ type filter hook input priority 0; policy drop; }'
nft add rule inet wrf in tcp dport 80 reject with tcp reset`
	if out, err := exec.Command("ip", "netns", "exec", names[0], "sh", "-ec", script).CombinedOutput(); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	f := Listeners()
	f.AllNetns, f.WithRules = true, true
	snap, err := SockDiag{}.Snapshot(context.Background(), f)
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]*Netns{}
	for _, n := range snap.Namespaces {
		byName[n.Name] = n
		if !n.Self && n.Rules != nil {
			t.Errorf("the snapshot of every namespace read the rules of %s: they are read only for a followed one", n.Name)
		}
	}
	withRules, bare := byName[names[0]], byName[names[1]]
	if withRules == nil || bare == nil {
		t.Fatalf("the test's namespaces were not found: %v", snap.Warnings)
	}
	for _, n := range []*Netns{withRules, bare} {
		if err := ReadNetnsFilter(n); err != nil {
			t.Fatalf("%s: %v", n.Name, err)
		}
		if n.Rules == nil || !n.Rules.Complete || n.Netstat == nil {
			t.Fatalf("%s: rules %+v, netstat %v", n.Name, n.Rules, n.Netstat)
		}
	}
	if len(withRules.Rules.Tables) != 1 || withRules.Rules.Tables[0].Name != "wrf" || len(withRules.Rules.Tables[0].Chains) != 1 ||
		withRules.Rules.Tables[0].Chains[0].Policy != VerdictDrop || len(withRules.Rules.Tables[0].Chains[0].Rules) != 1 {
		t.Errorf("%s: the rules read are %+v", withRules.Name, withRules.Rules.Tables)
	}
	i := slices.IndexFunc(withRules.Interfaces, func(i Interface) bool { return i.Name == "wrf0" })
	if i < 0 || !slices.Contains(withRules.Interfaces[i].Prefixes, netip.MustParsePrefix("198.18.130.1/24")) {
		t.Errorf("%s: interfaces %+v, want wrf0 with 198.18.130.1/24", withRules.Name, withRules.Interfaces)
	}
	if len(bare.Rules.Tables) != 0 || bare.Interfaces != nil {
		t.Errorf("%s has no rules: read %+v, interfaces %+v", bare.Name, bare.Rules.Tables, bare.Interfaces)
	}
	// View gives what was read to whoever looks from inside it.
	if v := snap.View(withRules); v.Rules != withRules.Rules || v.Netstat != withRules.Netstat {
		t.Errorf("View does not give the namespace's own rules and counters")
	}
}
