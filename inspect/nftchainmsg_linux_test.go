// nftchainmsg_linux_test.go holds the test of the chain listing: on a real
// rule set of every family, hook and policy, in a network namespace of the
// test's own, it equals the library's ListChains.

package inspect

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/google/nftables"

	"github.com/whyrefused/whyrefused/internal/testnet"
	"github.com/whyrefused/whyrefused/internal/testtool"
)

func TestListNFTChainsAsLibrary(t *testing.T) {
	testtool.Need(t, "nft", "nftables")
	if !testnet.InNetns(t) {
		return
	}
	loadRules(t, "nft", `
table inet filter {
	chain input { type filter hook input priority filter; policy drop; }
	chain forward { type filter hook forward priority -150; policy accept; }
	chain output { type filter hook output priority 300; }
	chain regular { accept; }
}
table ip nat {
	chain pre { type nat hook prerouting priority dstnat; }
	chain post { type nat hook postrouting priority srcnat; }
}
table ip6 raw {
	chain pre { type filter hook prerouting priority raw; }
}
table netdev ingress {
	chain in { type filter hook ingress device lo priority -500; }
}
table bridge br {
	chain brfwd { type filter hook forward priority 0; policy drop; }
}
`)
	c, err := nftables.New()
	if err != nil {
		t.Fatal(err)
	}
	want, err := c.ListChains()
	if err != nil {
		t.Fatal(err)
	}
	conn, err := dialNF()
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	got, err := listNFTChains(conn)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) || len(got) != 9 {
		t.Fatalf("%d chains, the library %d, want 9", len(got), len(want))
	}
	for i := range want {
		if !reflect.DeepEqual(got[i], want[i]) {
			t.Errorf("chain %d: %s", i, chainDiff(got[i], want[i]))
		}
	}
}

// chainDiff shows two chains side by side.
func chainDiff(got, want *nftables.Chain) string {
	show := func(c *nftables.Chain) string {
		s := fmt.Sprintf("%+v %s %s", *c.Table, c.Name, c.Type)
		if c.Hooknum != nil {
			s += fmt.Sprintf(" hook %d", *c.Hooknum)
		}
		if c.Priority != nil {
			s += fmt.Sprintf(" priority %d", *c.Priority)
		}
		if c.Policy != nil {
			s += fmt.Sprintf(" policy %d", *c.Policy)
		}
		return s
	}
	return "got " + show(got) + ", the library " + show(want)
}
