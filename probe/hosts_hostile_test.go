// hosts_hostile_test.go holds the tests of broken hosts files: a line over
// any buffer, NUL runs and garbage are skipped, and a name with 100,000
// addresses gets them all, each once.

package probe

import (
	"fmt"
	"net/netip"
	"strings"
	"testing"
)

func TestLookupHostsHostile(t *testing.T) {
	text := "198.18.0.1 db\n" + strings.Repeat("y", 3<<20) + "\n" + strings.Repeat("\x00", 2<<20) + "\n" +
		"\xff\xfe\x1b[2J db\n198.18.0.2 other db\n198.18.0.1 db\n"
	got := LookupHosts(text, "DB.")
	want := []HostsEntry{{netip.MustParseAddr("198.18.0.1"), 1}, {netip.MustParseAddr("198.18.0.2"), 5}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("LookupHosts = %v, want %v", got, want)
	}
}

func TestLookupHostsManyAddresses(t *testing.T) {
	var b strings.Builder
	const n = 100000
	for i := range n {
		fmt.Fprintf(&b, "198.%d.%d.%d many\n", 18+i>>16, i>>8&255, i&255)
	}
	b.WriteString("198.18.0.0 many\n") // again: once only
	got := LookupHosts(b.String(), "many")
	if len(got) != n || got[n-1].Line != n {
		t.Fatalf("%d entries, the last at line %d; want %d", len(got), got[len(got)-1].Line, n)
	}
}
