// nftsetmsg_linux_test.go holds the test of the set element reader: on
// real sets and maps of every kind the reader meets (plain, interval,
// concatenated, verdict and data maps, comments), in a network namespace
// of the test's own, it gives what the library's GetSetElements gives.

package inspect

import (
	"bytes"
	"testing"

	"github.com/google/nftables"

	"github.com/whyrefused/whyrefused/internal/testnet"
	"github.com/whyrefused/whyrefused/internal/testtool"
)

func TestGetNFTSetElementsAsLibrary(t *testing.T) {
	testtool.Need(t, "nft", "nftables")
	if !testnet.InNetns(t) {
		return
	}
	loadRules(t, "nft", `
table inet t {
	set ports { type inet_service; elements = { 22, 80 comment "web", 443 } }
	set nets { type ipv4_addr; flags interval; elements = { 198.18.0.0/24, 198.19.1.1, 198.19.2.0-198.19.2.9 } }
	set nets6 { type ipv6_addr; flags interval; elements = { fd18::/64 } }
	map svc { type ipv4_addr . inet_proto . inet_service : verdict; elements = { 198.19.0.1 . tcp . 80 : goto c, 198.19.0.2 . udp . 53 comment "ns/dns" : drop, 198.19.0.3 . tcp . 81 : accept } }
	map ranges { type ipv4_addr . inet_service : verdict; flags interval; elements = { 198.18.0.0/16 . 8000-8999 : jump c } }
	map todnat { type inet_service : ipv4_addr . inet_service; elements = { 80 : 198.18.0.2 . 8080 } }
	set empty { type ipv4_addr; }
	chain c { accept; }
}
`)
	c, err := nftables.New()
	if err != nil {
		t.Fatal(err)
	}
	tables, err := c.ListTables()
	if err != nil || len(tables) != 1 {
		t.Fatalf("tables %v: %v", tables, err)
	}
	sets, err := c.GetSets(tables[0])
	if err != nil || len(sets) != 7 {
		t.Fatalf("%d sets: %v", len(sets), err)
	}
	conn, err := dialNF()
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	for _, s := range sets {
		want, err := c.GetSetElements(s)
		if err != nil {
			t.Fatal(err)
		}
		got, err := getNFTSetElements(conn, s)
		if err != nil {
			t.Fatalf("set %s: %v", s.Name, err)
		}
		if len(got) != len(want) {
			t.Errorf("set %s: %d elements, the library %d", s.Name, len(got), len(want))
			continue
		}
		for i := range want {
			g, w := got[i], want[i]
			if !bytes.Equal(g.Key, w.Key) || !bytes.Equal(g.KeyEnd, w.KeyEnd) || !bytes.Equal(g.Val, w.Val) || g.IntervalEnd != w.IntervalEnd || g.Comment != w.Comment {
				t.Errorf("set %s element %d: key %x end %x val %x interval end %v comment %q; the library key %x end %x val %x interval end %v comment %q",
					s.Name, i, g.Key, g.KeyEnd, g.Val, g.IntervalEnd, g.Comment, w.Key, w.KeyEnd, w.Val, w.IntervalEnd, w.Comment)
			}
		}
	}
}
