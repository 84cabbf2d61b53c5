// legacy_truth_linux_test.go holds the truth tests of legacy x_tables
// rules (iptables-legacy, ip6tables-legacy, alone and beside nf_tables)
// and of full accept queues: what check predicts a client sees, against
// what a real client in a second network namespace, or on the same host,
// gets from a real connect.

package match_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/whyrefused/whyrefused/inspect"
	"github.com/whyrefused/whyrefused/internal/testnet"
	"github.com/whyrefused/whyrefused/internal/testtool"
	"github.com/whyrefused/whyrefused/match"
	"github.com/whyrefused/whyrefused/target"
)

// The two namespaces: the test's own (the server, and the client "on this
// host"), and a client namespace joined to it by a veth pair.
const (
	srv4 = "198.18.0.1"
	cli4 = "198.18.0.2"
	srv6 = "fd18::1"
	cli6 = "fd18::2"
)

// clientNetns makes the client namespace and the veth pair between it and
// the test's namespace, and returns the namespace's path. It is removed
// at the end of the test.
func clientNetns(t *testing.T) string {
	t.Helper()
	name := fmt.Sprintf("wr-cli-%d", os.Getpid())
	run(t, "ip", "netns", "add", name)
	t.Cleanup(func() { _ = exec.Command("ip", "netns", "del", name).Run() })
	for _, cmd := range [][]string{
		{"ip", "link", "add", "wr0", "type", "veth", "peer", "name", "wr1", "netns", name},
		{"ip", "addr", "add", srv4 + "/24", "dev", "wr0"},
		{"ip", "-6", "addr", "add", srv6 + "/64", "dev", "wr0", "nodad"},
		{"ip", "link", "set", "wr0", "up"},
		{"ip", "-n", name, "addr", "add", cli4 + "/24", "dev", "wr1"},
		{"ip", "-n", name, "-6", "addr", "add", cli6 + "/64", "dev", "wr1", "nodad"},
		{"ip", "-n", name, "link", "set", "wr1", "up"},
		{"ip", "-n", name, "link", "set", "lo", "up"},
	} {
		run(t, cmd[0], cmd[1:]...)
	}
	return "/run/netns/" + name
}

func run(t *testing.T, cmd string, args ...string) {
	t.Helper()
	if out, err := exec.Command(cmd, args...).CombinedOutput(); err != nil {
		t.Fatalf("%s %s: %v\n%s", cmd, strings.Join(args, " "), err, out)
	}
}

// load feeds rules to a restore command (iptables-legacy-restore, nft -f -).
func load(t *testing.T, rules string, cmd string, args ...string) {
	t.Helper()
	c := exec.Command(cmd, args...)
	c.Stdin = strings.NewReader(rules)
	if out, err := c.CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s\n%s", cmd, err, out, rules)
	}
}

// realConnect is what a real TCP client gets connecting to to: from the
// namespace at netns, or from this one when netns is "". After a
// connect that succeeds it waits a moment for a reset.
func realConnect(t *testing.T, netns string, to netip.AddrPort) match.Symptom {
	t.Helper()
	got := make(chan match.Symptom, 1)
	go func() {
		if netns != "" {
			// This goroutine's thread enters the client namespace and is
			// never given back: it ends with the goroutine.
			runtime.LockOSThread()
			fd, err := unix.Open(netns, unix.O_RDONLY|unix.O_CLOEXEC, 0)
			if err == nil {
				err = unix.Setns(fd, unix.CLONE_NEWNET)
				unix.Close(fd)
			}
			if err != nil {
				t.Errorf("enter %s: %v", netns, err)
				got <- match.SymptomUnsure
				return
			}
		}
		got <- dialSymptom(to)
	}()
	return <-got
}

// dialSymptom connects and names what the client saw.
func dialSymptom(to netip.AddrPort) match.Symptom {
	c, err := net.DialTimeout("tcp", to.String(), 1500*time.Millisecond)
	if err == nil {
		defer c.Close()
		c.SetReadDeadline(time.Now().Add(300 * time.Millisecond))
		_, err = c.Read(make([]byte, 1))
		if errors.Is(err, syscall.ECONNRESET) {
			return match.SymptomResetAfterConnect
		}
		return match.SymptomAccepted
	}
	for errno, s := range map[syscall.Errno]match.Symptom{
		syscall.ECONNREFUSED: match.SymptomRefused,
		syscall.EHOSTUNREACH: match.SymptomHostUnreachable,
		syscall.EACCES:       match.SymptomAccessDenied,
		syscall.ENETUNREACH:  match.SymptomNetUnreachable,
	} {
		if errors.Is(err, errno) {
			return s
		}
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return match.SymptomTimeout
	}
	return match.Symptom("error: " + err.Error())
}

// predictSymptom is check's prediction for client c connecting to to:
// a snapshot with the rules, and ExplainWith's symptom for that kind of
// client, with the summary.
func predictSymptom(t *testing.T, to netip.AddrPort, c match.Client) (match.Symptom, string) {
	t.Helper()
	tg, err := target.Parse(to.String(), inspect.TCP, nil)
	if err != nil {
		t.Fatal(err)
	}
	f := match.CheckFilter([]target.Target{tg})
	f.WithRules = true
	ctx := context.Background()
	snap, err := inspect.Default().Snapshot(ctx, f)
	if err != nil {
		t.Fatal(err)
	}
	if snap.Rules == nil {
		t.Fatal("WithRules gave no rules")
	}
	rep := match.ExplainWith(ctx, tg, snap, net.DefaultResolver, match.Options{From: c.From})
	if len(rep.Addresses) != 1 {
		t.Fatalf("addresses %+v", rep.Addresses)
	}
	ar := rep.Addresses[0]
	for _, cs := range ar.Clients {
		if cs.Client.Local == c.Local {
			return cs.Symptom, rep.Summary
		}
	}
	if len(ar.Clients) != 0 {
		t.Fatalf("no symptom for %s among %+v", c, ar.Clients)
	}
	return ar.Symptom, rep.Summary
}

// legacyCase is one rule set and one client. PORT in the rules stands
// for the case's port.
type legacyCase struct {
	name   string
	v4, v6 string // iptables-legacy-restore and ip6tables-legacy-restore input
	nft    string // nft -f input, loaded beside them
	addr   string // the target address
	local  bool   // a client on this host, else one in the client namespace
	from   bool   // check is told the client's address (--from)
	// unsure, when set, is why no exact prediction exists: then check
	// must say unsure.
	unsure string
}

// filter4 wraps INPUT rules into a filter table (ip or ip6).
func filter4(policy string, input ...string) string {
	return "*filter\n:INPUT " + policy + " [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n" +
		strings.Join(input, "\n") + "\nCOMMIT\n"
}

// reject is a filter table (of either family) that rejects PORT.
func reject(with string) string {
	return filter4("ACCEPT", "-A INPUT -p tcp -m tcp --dport PORT -j REJECT --reject-with "+with)
}

// defaultDrop is the classic host firewall: drop by default, accept lo,
// established connections and the ports it opens.
func defaultDrop(open string) string {
	return filter4("DROP", "-A INPUT -i lo -j ACCEPT",
		"-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT",
		"-A INPUT -p tcp -m tcp --dport "+open+" -j ACCEPT")
}

// nftInput is an nf_tables table of family with an input chain holding
// rule.
func nftInput(family, rule string) string {
	return "table " + family + " wr {\n\tchain input {\n\t\ttype filter hook input priority 0; policy accept;\n\t\t" +
		rule + "\n\t}\n}\n"
}

var legacyCases = []legacyCase{
	{name: "reject tcp-reset", v4: reject("tcp-reset"), addr: srv4},
	{name: "reject port-unreachable", v4: reject("icmp-port-unreachable"), addr: srv4},
	{name: "reject host-prohibited", v4: reject("icmp-host-prohibited"), addr: srv4},
	{name: "reject admin-prohibited", v4: reject("icmp-admin-prohibited"), addr: srv4},
	{name: "reject host-unreachable", v4: reject("icmp-host-unreachable"), addr: srv4},
	{name: "reject net-unreachable", v4: reject("icmp-net-unreachable"), addr: srv4},
	{name: "reject net-prohibited", v4: reject("icmp-net-prohibited"), addr: srv4},
	{name: "reject tcp-reset, local", v4: reject("tcp-reset"), addr: srv4, local: true},
	{name: "reject host-prohibited, local", v4: reject("icmp-host-prohibited"), addr: srv4, local: true},
	{name: "ip6 reject tcp-reset", v6: reject("tcp-reset"), addr: srv6},
	{name: "ip6 reject port-unreachable", v6: reject("icmp6-port-unreachable"), addr: srv6},
	{name: "ip6 reject adm-prohibited", v6: reject("icmp6-adm-prohibited"), addr: srv6},
	{name: "ip6 reject addr-unreachable", v6: reject("icmp6-addr-unreachable"), addr: srv6},
	{name: "ip6 reject no-route", v6: reject("icmp6-no-route"), addr: srv6},
	{name: "ip6 reject adm-prohibited, local", v6: reject("icmp6-adm-prohibited"), addr: srv6, local: true},
	{name: "ip rules leave ip6 alone", v4: reject("tcp-reset"), addr: srv6},
	{name: "drop", v4: filter4("ACCEPT", "-A INPUT -p tcp -m tcp --dport PORT -j DROP"), addr: srv4},
	{name: "ip6 drop", v6: filter4("ACCEPT", "-A INPUT -p tcp -m tcp --dport PORT -j DROP"), addr: srv6},
	{name: "another port's reject", v4: filter4("ACCEPT", "-A INPUT -p tcp -m tcp --dport 9 -j REJECT"), addr: srv4},
	{name: "multiport reject", v4: filter4("ACCEPT", "-A INPUT -p tcp -m multiport --dports 22,PORT -j REJECT --reject-with tcp-reset"), addr: srv4},
	{name: "source rule, --from the client", addr: srv4, from: true,
		v4: filter4("ACCEPT", "-A INPUT -s "+cli4+"/32 -p tcp -j REJECT --reject-with tcp-reset")},
	{name: "source rule, --from another", addr: srv4, from: true,
		v4: filter4("ACCEPT", "-A INPUT -s 198.18.0.128/25 -p tcp -j REJECT --reject-with tcp-reset")},
	{name: "source rule, no --from", addr: srv4,
		v4:     filter4("ACCEPT", "-A INPUT -s "+cli4+"/32 -p tcp -j REJECT --reject-with tcp-reset"),
		unsure: "the rule rejects only some sources, and check is not told the client's"},
	{name: "default drop, port open", v4: defaultDrop("PORT"), addr: srv4},
	{name: "default drop, port closed", v4: defaultDrop("22"), addr: srv4},
	{name: "default drop, port closed, local", v4: defaultDrop("22"), addr: srv4, local: true},
	{name: "user chain reject", addr: srv4, v4: "*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:svc - [0:0]\n" +
		"-A INPUT -p tcp -j svc\n-A svc -p tcp -m tcp --dport 22 -j RETURN\n-A svc -p tcp -m tcp --dport PORT -j REJECT --reject-with tcp-reset\nCOMMIT\n"},
	{name: "ufw-style comment and ctstate", addr: srv4,
		v4: filter4("ACCEPT", `-A INPUT -p tcp -m tcp --dport PORT -m conntrack --ctstate NEW -m comment --comment "deny PORT" -j REJECT --reject-with icmp-port-unreachable`)},
	{name: "addrtype local reject", addr: srv4,
		v4: filter4("ACCEPT", "-A INPUT -m addrtype --dst-type LOCAL -p tcp -m tcp --dport PORT -j REJECT --reject-with tcp-reset")},
	{name: "output chain reject, local", addr: srv4, local: true,
		v4: "*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n-A OUTPUT -p tcp -m tcp --dport PORT -j REJECT --reject-with tcp-reset\nCOMMIT\n"},
	{name: "an unknown match", addr: srv4,
		v4:     filter4("ACCEPT", "-A INPUT -p tcp -m tcp --dport PORT -m limit --limit 3/min -j REJECT --reject-with tcp-reset"),
		unsure: "the limit match cannot be judged: whether it holds depends on the packets before"},
	{name: "legacy reject beside an nft accept", v4: reject("tcp-reset"), addr: srv4,
		nft: nftInput("inet", "tcp dport PORT accept")},
	{name: "legacy accept beside an nft drop", v4: filter4("ACCEPT", "-A INPUT -p tcp -j ACCEPT"), addr: srv4,
		nft: nftInput("inet", "tcp dport PORT drop")},
	{name: "nft reject beside an empty legacy table", v4: filter4("ACCEPT"), addr: srv4,
		nft: nftInput("ip", "tcp dport PORT reject with icmp type host-prohibited")},
}

// TestLegacyTruth loads each case's rules in the test's namespace, opens a
// listener on the case's port, and compares check's prediction with a
// real connect.
func TestLegacyTruth(t *testing.T) {
	testtool.Need(t, "iptables-legacy-restore", "iptables")
	testtool.Need(t, "nft", "nftables")
	if !testnet.InNetns(t) {
		return
	}
	netns := clientNetns(t)
	right := 0
	for i, c := range legacyCases {
		port := uint16(31000 + i)
		t.Run(c.name, func(t *testing.T) {
			open(t, "tcp [::] dual", port, nil)
			defer resetRules(t)
			for _, l := range []struct{ rules, cmd string }{{c.v4, "iptables-legacy-restore"}, {c.v6, "ip6tables-legacy-restore"}} {
				if l.rules != "" {
					load(t, strings.ReplaceAll(l.rules, "PORT", fmt.Sprint(port)), l.cmd)
				}
			}
			if c.nft != "" {
				load(t, strings.ReplaceAll(c.nft, "PORT", fmt.Sprint(port)), "nft", "-f", "-")
			}
			to := netip.AddrPortFrom(netip.MustParseAddr(c.addr), port)
			client := match.Client{Local: c.local}
			if c.from && !c.local {
				client.From = netip.MustParseAddr(cli4)
			}
			predicted, why := predictSymptom(t, to, client)
			from := netns
			if c.local {
				from = ""
			}
			real := realConnect(t, from, to)
			switch {
			case c.unsure != "" && predicted == match.SymptomUnsure:
				t.Logf("check is unsure, rightly: %s (the client got %s)", c.unsure, real)
				right++
			case c.unsure != "":
				t.Errorf("check predicts %s where it cannot know (%s); the client got %s", predicted, c.unsure, real)
			case predicted == real:
				t.Logf("check predicts %s, as the client got", predicted)
				right++
			default:
				t.Errorf("check predicts %s (%s), the client got %s", predicted, why, real)
			}
		})
	}
	t.Logf("%d of %d cases right", right, len(legacyCases))
}

// resetRules empties the legacy filter tables and nf_tables.
func resetRules(t *testing.T) {
	t.Helper()
	load(t, filter4("ACCEPT"), "iptables-legacy-restore")
	load(t, filter4("ACCEPT"), "ip6tables-legacy-restore")
	run(t, "nft", "flush", "ruleset")
}

// TestAcceptQueueTruth fills a listener's accept queue with real clients
// (a server that never calls accept(), with a backlog of 1), then
// compares check's prediction for one more client with what that client
// gets, with net.ipv4.tcp_abort_on_overflow 0 and 1 (set in the test's
// namespace only), from the client namespace and from this host.
func TestAcceptQueueTruth(t *testing.T) {
	if !testnet.InNetns(t) {
		return
	}
	netns := clientNetns(t)
	port := uint16(32000)
	for _, abort := range []string{"0", "1"} {
		if err := os.WriteFile("/proc/sys/net/ipv4/tcp_abort_on_overflow", []byte(abort), 0o644); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			addr  string
			local bool
		}{{srv4, false}, {srv4, true}, {srv6, false}, {srv6, true}} {
			port++
			name := fmt.Sprintf("abort_on_overflow=%s %s local=%v", abort, c.addr, c.local)
			t.Run(name, func(t *testing.T) {
				stuckListener(t, port, 1)
				to := netip.AddrPortFrom(netip.MustParseAddr(c.addr), port)
				// Two clients fill it: the kernel queues one more than
				// the backlog.
				for range 2 {
					conn, err := net.DialTimeout("tcp", to.String(), time.Second)
					if err != nil {
						t.Fatalf("a client to fill the queue: %v", err)
					}
					t.Cleanup(func() { conn.Close() })
				}
				predicted, why := predictSymptom(t, to, match.Client{Local: c.local})
				from := netns
				if c.local {
					from = ""
				}
				real := realConnect(t, from, to)
				if predicted != real {
					t.Errorf("check predicts %s (%s), the client got %s", predicted, why, real)
				}
				if !strings.Contains(why, "accept queue is full") || !strings.Contains(why, "ListenOverflows") {
					t.Errorf("the finding does not say so: %s", why)
				}
				t.Logf("check predicts %s, as the client got: %s", predicted, why)
			})
		}
	}
}

// stuckListener listens on [::]:port, dual stack, with backlog, and never
// accepts.
func stuckListener(t *testing.T, port uint16, backlog int) {
	t.Helper()
	fd, err := unix.Socket(unix.AF_INET6, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { unix.Close(fd) })
	if err := unix.SetsockoptInt(fd, unix.IPPROTO_IPV6, unix.IPV6_V6ONLY, 0); err != nil {
		t.Fatal(err)
	}
	if err := unix.Bind(fd, &unix.SockaddrInet6{Port: int(port)}); err != nil {
		t.Fatal(err)
	}
	if err := unix.Listen(fd, backlog); err != nil {
		t.Fatal(err)
	}
}
