// hosts_test.go holds the tests of the hosts file parser and its path.

package probe

import (
	"net/netip"
	"reflect"
	"testing"
)

const hostsText = `# /etc/hosts
127.0.0.1	localhost
::1		localhost ip6-localhost ip6-loopback
10.1.2.3	db.example.internal   db   # moved in March?
10.1.2.4	DB.Example.Internal.
not-an-address	db.example.internal
fe80::1%eth0	linklocal
10.1.2.3	db.example.internal
192.0.2.9
# 10.9.9.9 db.example.internal
`

func TestLookupHosts(t *testing.T) {
	cases := []struct {
		name string
		want []HostsEntry
	}{
		{"localhost", []HostsEntry{{netip.MustParseAddr("127.0.0.1"), 2}, {netip.MustParseAddr("::1"), 3}}},
		{"db.example.internal", []HostsEntry{{netip.MustParseAddr("10.1.2.3"), 4}, {netip.MustParseAddr("10.1.2.4"), 5}}},
		{"DB.example.internal.", []HostsEntry{{netip.MustParseAddr("10.1.2.3"), 4}, {netip.MustParseAddr("10.1.2.4"), 5}}},
		{"db", []HostsEntry{{netip.MustParseAddr("10.1.2.3"), 4}}},
		{"linklocal", []HostsEntry{{netip.MustParseAddr("fe80::1%eth0"), 7}}},
		{"ip6-loopback", []HostsEntry{{netip.MustParseAddr("::1"), 3}}},
		{"moved", nil},
		{"example.internal", nil},
		{"", nil},
	}
	for _, c := range cases {
		if got := LookupHosts(hostsText, c.name); !reflect.DeepEqual(got, c.want) {
			t.Errorf("LookupHosts(%q) = %v, want %v", c.name, got, c.want)
		}
	}
}

func TestHostsPath(t *testing.T) {
	env := func(v string) func(string) string {
		return func(k string) string {
			if k == "SystemRoot" {
				return v
			}
			return ""
		}
	}
	cases := []struct {
		goos, root, want string
	}{
		{"linux", `C:\Windows`, "/etc/hosts"},
		{"darwin", "", "/etc/hosts"},
		{"windows", `D:\WINNT`, `D:\WINNT\System32\drivers\etc\hosts`},
		{"windows", `C:\Windows\`, `C:\Windows\System32\drivers\etc\hosts`},
		{"windows", "", `C:\Windows\System32\drivers\etc\hosts`},
	}
	for _, c := range cases {
		if got := HostsPath(c.goos, env(c.root)); got != c.want {
			t.Errorf("HostsPath(%s, SystemRoot=%q) = %q, want %q", c.goos, c.root, got, c.want)
		}
	}
}
