// xtlegacy_linux_test.go holds the test of the legacy x_tables reader on
// real tables: rules loaded with iptables-legacy-restore in a network
// namespace of the test's own, read back and compared with what
// iptables-legacy-save prints.

package inspect

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/whyrefused/whyrefused/internal/testnet"
	"github.com/whyrefused/whyrefused/internal/testtool"
)

// The rule sets the test loads: every match and target the reader
// translates, and a few it does not (limit, CT, MARK). testdata/xtables
// holds the blobs and iptables-legacy-save's output of these, captured by
// this test (see captureEnv).
const (
	xtRules4 = `*filter
:INPUT DROP [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:empty - [0:0]
:web - [0:0]
-A INPUT -i lo -j ACCEPT
-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
-A INPUT -m state --state NEW -j web
-A INPUT -s 198.18.0.0/15 -p tcp -m tcp --dport 22 -j ACCEPT
-A INPUT ! -s 198.18.1.1/32 -i eth+ -p tcp -m tcp --sport 1024:65535 ! --dport 23 -m comment --comment "no telnet" -j REJECT --reject-with tcp-reset
-A INPUT -p udp -m udp --dport 53 -j REJECT --reject-with icmp-port-unreachable
-A INPUT -p tcp -m multiport --dports 80,443,8000:8100 -j DROP
-A INPUT -p tcp -m multiport ! --sports 1,2 -j RETURN
-A INPUT -p icmp -m icmp --icmp-type 8 -j ACCEPT
-A INPUT -m addrtype --dst-type LOCAL,BROADCAST -g web
-A INPUT -m addrtype ! --src-type LOCAL -j LOG --log-prefix "in: " --log-level 6
-A INPUT -m mark --mark 0x4000/0x4000 -j DROP
-A INPUT -p tcp -m tcp --tcp-flags FIN,SYN,RST,ACK SYN -j empty
-A INPUT -d 198.18.0.1/32 -j REJECT --reject-with icmp-host-prohibited
-A INPUT -m limit --limit 3/min -j ACCEPT
-A INPUT -f -j DROP
-A INPUT -p gre -j DROP
-A INPUT -s 198.18.5.0/24
-A INPUT -m conntrack --ctstate NEW -m comment --comment ufw-style -j REJECT --reject-with icmp-admin-prohibited
-A INPUT -m iprange --src-range 198.18.0.10-198.18.0.20 -j DROP
-A INPUT -p tcp -m iprange ! --dst-range 198.18.1.1-198.18.1.9 -m tcp --dport 9 -j REJECT
-A INPUT -m limit --limit 10/sec --limit-burst 20 -j ACCEPT
-A web -p tcp -m tcp --dport 8080 -j REJECT --reject-with icmp-net-unreachable
-A web -j RETURN
-A web -i veth0 -p udp -j DROP
COMMIT
*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
-A PREROUTING -p tcp -m tcp --dport 80 -j DNAT --to-destination 198.18.0.2:8080
-A PREROUTING -p tcp -m tcp --dport 81 -j REDIRECT --to-ports 8081
-A OUTPUT -d 198.18.0.3/32 -p tcp -j DNAT --to-destination 198.18.0.4
-A POSTROUTING -o eth0 -j MASQUERADE
-A POSTROUTING -s 198.18.0.0/24 -j SNAT --to-source 198.18.0.9
COMMIT
*raw
:PREROUTING ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
-A PREROUTING -p udp -j CT --notrack
COMMIT
*mangle
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
-A PREROUTING -j MARK --set-xmark 0x1/0xffffffff
COMMIT
`
	xtRules6 = `*filter
:INPUT ACCEPT [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
-A INPUT -s fd18::/64 -p tcp -m tcp --dport 22 -j ACCEPT
-A INPUT ! -d fd18::1/128 -i lo -p tcp -j REJECT --reject-with icmp6-adm-prohibited
-A INPUT -p tcp -m tcp --dport 8080 -j REJECT --reject-with tcp-reset
-A INPUT -p ipv6-icmp -m icmp6 --icmpv6-type 128 -j ACCEPT
-A INPUT -p udp -j REJECT --reject-with icmp6-port-unreachable
-A INPUT -m iprange --src-range fd18::10-fd18::20 -j DROP
COMMIT
*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
-A PREROUTING -p tcp -m tcp --dport 80 -j DNAT --to-destination [fd18::2]:8080
COMMIT
`
)

// captureEnv, set to a directory, makes TestXTablesReal write the blobs
// it read and iptables-legacy-save's output there (the testdata of
// xtlegacy_test.go): WHYREFUSED_XT_CAPTURE=$PWD/testdata/xtables.
const captureEnv = "WHYREFUSED_XT_CAPTURE"

// TestXTablesReal loads real legacy tables in the test's network namespace
// and checks that the reader finds every table, chain, policy and rule,
// each printed as iptables-legacy-save prints it.
func TestXTablesReal(t *testing.T) {
	testtool.Need(t, "iptables-legacy-restore", "iptables")
	testtool.Need(t, "ip6tables-legacy-restore", "iptables")
	if !testnet.InNetns(t) {
		return
	}
	tables, problems := readLegacyTables()
	if len(tables) != 0 || len(problems) != 0 {
		t.Fatalf("a new namespace has legacy tables %v, problems %v", tables, problems)
	}
	for _, load := range []struct{ cmd, rules string }{
		{"iptables-legacy-restore", xtRules4}, {"ip6tables-legacy-restore", xtRules6},
	} {
		cmd := exec.Command(load.cmd)
		cmd.Stdin = strings.NewReader(load.rules)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%s: %v\n%s", load.cmd, err, out)
		}
	}
	tables, problems = readLegacyTables()
	if len(problems) != 0 {
		t.Fatalf("problems: %v", problems)
	}
	// The snapshot's rule set holds them next to nf_tables'.
	rs := readRules()
	legacy := 0
	for _, tb := range rs.Tables {
		if strings.HasSuffix(tb.Backend, "-legacy") {
			legacy++
		}
	}
	if legacy != len(tables) || len(tables) != 6 || !rs.Complete {
		t.Errorf("readRules has %d legacy tables of %d (complete %v, problems %v)", legacy, len(tables), rs.Complete, rs.Problems)
	}
	for _, save := range []struct {
		cmd     string
		backend string
	}{{"iptables-legacy-save", "iptables-legacy"}, {"ip6tables-legacy-save", "ip6tables-legacy"}} {
		out, err := exec.Command(save.cmd).Output()
		if err != nil {
			t.Fatalf("%s: %v", save.cmd, err)
		}
		var mine []Table
		for _, tb := range tables {
			if tb.Backend == save.backend {
				mine = append(mine, tb)
			}
		}
		// The options of extensions the reader does not know are not
		// printed: only their names.
		want := strings.NewReplacer(" --set-xmark 0x1/0xffffffff", "", " --notrack", "").
			Replace(xtSaveLines(string(out)))
		if got := xtSaveText(mine); got != want {
			t.Errorf("%s: the reader's rules\n%s\ndiffer from %s's\n%s", save.backend, got, save.cmd, want)
		}
		if dir := os.Getenv(captureEnv); dir != "" {
			xtCapture(t, dir, save.backend, out)
		}
	}
}

// xtCapture writes every table of a backend, as the kernel gives it, and
// the save command's output into dir.
func xtCapture(t *testing.T, dir, backend string, save []byte) {
	t.Helper()
	src := xtSources[0]
	if backend == xtIPv6.backend {
		src = xtSources[1]
	}
	names, err := xtTableNames(src.names)
	if err != nil {
		t.Fatal(err)
	}
	fd, err := src.socket()
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(fd)
	for _, name := range names {
		info, err := src.getInfo(fd, name)
		if err != nil {
			t.Fatal(err)
		}
		raw := make([]byte, xtGetInfoLen)
		copy(raw, name)
		if err := getsockopt(fd, src.level, xtSOGetInfo, raw); err != nil {
			t.Fatal(err)
		}
		blob, err := src.getEntries(fd, name, info.Size)
		if err != nil {
			t.Fatal(err)
		}
		base := filepath.Join(dir, backend+"-"+name)
		if err := os.WriteFile(base+".info", raw, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(base+".entries", blob, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, backend+".save"), save, 0o644); err != nil {
		t.Fatal(err)
	}
}
