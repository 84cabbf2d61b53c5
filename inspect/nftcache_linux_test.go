// nftcache_linux_test.go holds the tests of the rule set cache and of the
// ways the rules are dumped, on real rule sets in a network namespace of
// the test's own: a second read in the same generation is the first's
// tables, a change is read anew; a table read in one dump equals it read
// chain by chain, whole or from where a dump was stopped.

package inspect

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/whyrefused/whyrefused/internal/testnet"
	"github.com/whyrefused/whyrefused/internal/testtool"
)

// ruleTexts are the texts of every rule of rs.
func ruleTexts(rs *Ruleset) []string {
	var out []string
	for _, tab := range rs.Tables {
		for _, ch := range tab.Chains {
			for _, r := range ch.Rules {
				out = append(out, string(tab.Family)+" "+tab.Name+" "+ch.Name+": "+r.Text)
			}
		}
	}
	return out
}

func TestReadNFTablesCache(t *testing.T) {
	testtool.Need(t, "nft", "nftables")
	if !testnet.InNetns(t) {
		return
	}
	loadRules(t, "nft", `table inet filter {
	chain input { type filter hook input priority filter; policy accept; tcp dport 8080 reject with tcp reset; }
}`)
	first := ReadNFTables()
	if !first.Complete || len(first.Tables) != 1 {
		t.Fatalf("first read: %d tables, complete %v, %v", len(first.Tables), first.Complete, first.Problems)
	}
	want := ruleTexts(first)

	second := ReadNFTables()
	if got := ruleTexts(second); !slices.Equal(got, want) {
		t.Fatalf("second read %q, want %q", got, want)
	}
	if &second.Tables[0].Chains[0] != &first.Tables[0].Chains[0] {
		t.Error("the second read in the same generation read the rules again")
	}
	// An owner that appends (the legacy readers do) changes no other's.
	second.Tables = append(second.Tables, Table{Name: "added"})
	second.Problems = append(second.Problems, "added")
	if third := ReadNFTables(); len(third.Tables) != 1 || len(third.Problems) != 0 || len(first.Tables) != 1 {
		t.Errorf("an append to one read reached another: %d tables, problems %q", len(third.Tables), third.Problems)
	}

	loadRules(t, "nft", `add rule inet filter input tcp dport 8081 drop`)
	changed := ReadNFTables()
	got := ruleTexts(changed)
	if want := append(want, "inet filter input: tcp dport 8081 drop"); !slices.Equal(got, want) {
		t.Errorf("after a change: %q, want %q", got, want)
	}

	loadRules(t, "nft", `flush ruleset`)
	if empty := ReadNFTables(); len(empty.Tables) != 0 || !empty.Complete {
		t.Errorf("after flush ruleset: %d tables, complete %v", len(empty.Tables), empty.Complete)
	}
}

func TestReadNFTablesWholeOrByChain(t *testing.T) {
	testtool.Need(t, "nft", "nftables")
	if !testnet.InNetns(t) {
		return
	}
	rules := "table ip t {\n\tchain empty { }\n"
	for i := range 40 {
		rules += fmt.Sprintf("\tchain c%d { tcp dport %d accept; udp dport %d drop; ip saddr 198.18.0.%d reject; }\n", i, 1000+i, 2000+i, i)
	}
	rules += "\tchain input { type filter hook input priority 0; jump c0; jump c39; }\n}\ntable ip6 u {\n\tchain c { tcp dport 80 drop; }\n}\n"
	loadRules(t, "nft", rules)
	defer func(b int) { nftTableDumpBudget = b }(nftTableDumpBudget)
	var want []string
	// From one dump a table, then with the dump stopped after nothing, after
	// part of a chain, and after a few chains: the rest chain by chain.
	for _, budget := range []int{1 << 30, 0, 100, 3000} {
		nftTableDumpBudget = budget
		conn, err := dialNF()
		if err != nil {
			t.Fatal(err)
		}
		rs := &Ruleset{Complete: true}
		readNFTables(conn, rs)
		conn.Close()
		if !rs.Complete {
			t.Fatalf("budget %d: %v", budget, rs.Problems)
		}
		got := ruleTexts(rs)
		for _, tab := range rs.Tables {
			for _, ch := range tab.Chains {
				got = append(got, fmt.Sprintf("%s %s: %d rules", tab.Name, ch.Name, len(ch.Rules)))
			}
		}
		if want == nil {
			want = got
			if len(got) != 40*3+2+1+42+1 {
				t.Fatalf("%d rules and chains:\n%s", len(got), strings.Join(got, "\n"))
			}
			continue
		}
		if !slices.Equal(got, want) {
			t.Errorf("budget %d:\n%s\nwant\n%s", budget, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	}
}
