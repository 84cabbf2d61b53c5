// nftchainmsg_linux_test.go holds the tests of the chain and table
// listings: on a real rule set of every family, hook and policy, in a
// network namespace of the test's own, they equal the library's ListChains
// and ListTables.

package inspect

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/google/nftables"
	"golang.org/x/sys/unix"

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

func TestListNFTTablesAsLibrary(t *testing.T) {
	testtool.Need(t, "nft", "nftables")
	if !testnet.InNetns(t) {
		return
	}
	conn, err := dialNF()
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if got, err := listNFTTables(conn); err != nil || len(got) != 0 {
		t.Fatalf("a namespace without rules: %d tables, %v", len(got), err)
	}
	loadRules(t, "nft", `
table inet filter {
	chain input { type filter hook input priority filter; policy drop; }
	chain regular { accept; }
}
table ip nat {
	chain pre { type nat hook prerouting priority dstnat; }
}
table ip6 raw {
	flags dormant
}
table netdev ingress {
}
table bridge br {
	chain brfwd { type filter hook forward priority 0; }
}
`)
	c, err := nftables.New()
	if err != nil {
		t.Fatal(err)
	}
	want, err := c.ListTables()
	if err != nil {
		t.Fatal(err)
	}
	got, err := listNFTTables(conn)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) || len(got) != 5 {
		t.Fatalf("%d tables, the library %d, want 5", len(got), len(want))
	}
	// Names and families as the library's; Use and Flags in the
	// kernel's byte order (big-endian), which v0.3.0's decoder does not
	// take (it reads them in the host's).
	wantUse := []uint32{2, 1, 0, 0, 1}
	for i := range want {
		if got[i].Name != want[i].Name || got[i].Family != want[i].Family || got[i].Use != wantUse[i] {
			t.Errorf("table %d: %+v, the library %+v, want %d chains", i, *got[i], *want[i], wantUse[i])
		}
		if dormant := got[i].Name == "raw"; (got[i].Flags == unix.NFT_TABLE_F_DORMANT) != dormant {
			t.Errorf("table %s: flags %#x", got[i].Name, got[i].Flags)
		}
	}
}
