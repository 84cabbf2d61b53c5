// netstat_test.go holds the tests of the /proc/net/netstat parser on
// fixed text.

package inspect

import (
	"strings"
	"testing"
)

// netstatText is /proc/net/netstat of a Linux 6.x host, its lines cut
// short around the counters that matter.
const netstatText = `TcpExt: SyncookiesSent SyncookiesRecv SyncookiesFailed DelayedACKLost ListenOverflows ListenDrops TCPHPHits
TcpExt: 0 0 0 73 17 19 128
IpExt: InNoRoutes InTruncatedPkts InMcastPkts ListenOverflows
IpExt: 0 0 0 99
MPTcpExt: MPCapableSYNRX
MPTcpExt: 0
`

func TestParseNetstat(t *testing.T) {
	var n Netstat
	if err := parseNetstat(strings.NewReader(netstatText), &n); err != nil {
		t.Fatal(err)
	}
	if n.ListenOverflows != 17 || n.ListenDrops != 19 {
		t.Errorf("got %+v, want ListenOverflows 17, ListenDrops 19", n)
	}
	for name, bad := range map[string]string{
		"empty":          "",
		"no counters":    "TcpExt: A B\nTcpExt: 1 2\n",
		"short values":   "TcpExt: ListenOverflows ListenDrops\nTcpExt: 1\n",
		"not a number":   "TcpExt: ListenOverflows ListenDrops\nTcpExt: 1 x\n",
		"names only":     "TcpExt: ListenOverflows ListenDrops\n",
		"values of none": "TcpExt: 1 2\n",
	} {
		var n Netstat
		if err := parseNetstat(strings.NewReader(bad), &n); err == nil {
			t.Errorf("%s: parsed as %+v", name, n)
		}
	}
}

func TestParseSysctlBool(t *testing.T) {
	for in, want := range map[string]bool{"0\n": false, "1\n": true, "1": true} {
		if got, err := parseSysctlBool([]byte(in)); err != nil || got != want {
			t.Errorf("%q: %v, %v", in, got, err)
		}
	}
	for _, in := range []string{"", "2\n", "yes"} {
		if _, err := parseSysctlBool([]byte(in)); err == nil {
			t.Errorf("%q parsed", in)
		}
	}
}
