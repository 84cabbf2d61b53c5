// firewall_cases_udp_linux_test.go holds the UDP cases of the truth
// matrix: real rule sets in a namespace the test makes, a real UDP echo
// server (or none), and real UDP clients from a second namespace and from
// the server's own: a Go client on a connected socket (write, then read:
// an ICMP error arrives as the read's errno), ncat -u and dig. What
// `whyrefused check udp://ADDR:PORT` predicts must be what each got.
//
// What a UDP client sees, as these cases measure it: an answer when a
// server answers ("accepted"); ECONNREFUSED when nothing listens (the
// kernel's ICMP port-unreachable) or a rule rejects with port-unreachable;
// a timeout when a rule drops; for the other rejects, the errno of the
// ICMP error only when Linux counts it "fatal" for UDP (host- and
// admin-prohibited), else nothing: a timeout.

package main

import (
	"errors"
	"net"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/whyrefused/whyrefused/internal/testtool"
)

// udpCase is a UDP rule set with its server and clients.
type udpCase struct {
	name string
	load []fwLoad
	// echo is the port a UDP echo server listens on ([::]:PORT); 0 none.
	// echoAddr, when set, is its address instead.
	echo     int
	echoAddr string
	// unsureLocal, when set, says why no exact answer exists for the
	// clients on the server's host: check must say unsure for them.
	unsureLocal string
	// dnsmasq runs a real DNS server (dnsmasq, on [::]:5353 and
	// 0.0.0.0:5353) instead of the echo server; only dig asks it.
	dnsmasq bool
	// port is what the clients send to; 0: 5353.
	port    int
	clients []fwClient
	needs   [][2]string
}

const udpPort = 5353

// nftUDP is an inet table whose input chain holds rules.
func nftUDP(policy, rules string) []fwLoad { return nftIn(policy, rules) }

// udpRejects rejects udp port 5353 with reject4 in an ip table and
// reject6 in an ip6 table.
func udpRejects(reject4, reject6 string) []fwLoad {
	table := func(fam, with string) string {
		return "table " + fam + " t {\n chain input {\n  type filter hook input priority 0;\n  udp dport 5353 reject with " + with + "\n }\n}\n"
	}
	return []fwLoad{{tool: "nft", input: table("ip", reject4) + table("ip6", reject6)}}
}

var udpCases = []udpCase{
	{name: "echo server, no rules", echo: udpPort},
	{name: "nothing listens", needs: needNft},
	{name: "nft reject", load: nftUDP("accept", "udp dport 5353 reject"), echo: udpPort, needs: needNft},
	{name: "nft drop", load: nftUDP("accept", "udp dport 5353 drop"), echo: udpPort, needs: needNft},
	{name: "nft reject with icmpx admin-prohibited", load: nftUDP("accept", "udp dport 5353 reject with icmpx admin-prohibited"), echo: udpPort, needs: needNft},
	{name: "nft reject with host-unreachable and no-route", load: udpRejects("icmp host-unreachable", "icmpv6 no-route"), echo: udpPort, needs: needNft},
	{name: "nft reject with host-prohibited and addr-unreachable", load: udpRejects("icmp host-prohibited", "icmpv6 addr-unreachable"), echo: udpPort, needs: needNft},
	{name: "nft reject with net-prohibited and admin-prohibited", load: udpRejects("icmp net-prohibited", "icmpv6 admin-prohibited"), echo: udpPort, needs: needNft},
	{name: "iptables REJECT", load: []fwLoad{
		{tool: "iptables-nft-restore", input: "*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -p udp -m udp --dport 5353 -j REJECT\nCOMMIT\n"},
		{tool: "ip6tables-nft-restore", input: "*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -p udp -m udp --dport 5353 -j REJECT\nCOMMIT\n"}},
		echo: udpPort, needs: needIptables},
	// IPv6 needs neighbour discovery through a drop policy, as every
	// real default-drop rule set lets it.
	{name: "policy drop with established accept", load: nftUDP("drop", "ct state established,related accept\n  meta l4proto ipv6-icmp accept"), echo: udpPort, needs: needNft},
	{name: "policy drop, port allowed", load: nftUDP("drop", "ct state established,related accept\n  meta l4proto ipv6-icmp accept\n  udp dport 5353 accept"), echo: udpPort, needs: needNft},
	{name: "a tcp reject leaves udp alone", load: nftUDP("accept", "tcp dport 5353 reject with tcp reset"), echo: udpPort, needs: needNft},
	{name: "dnsmasq answers", dnsmasq: true, needs: needNft},
	{name: "dnsmasq behind a reject", dnsmasq: true, load: nftUDP("accept", "udp dport 5353 reject"), needs: needNft},
	{name: "dnsmasq behind host-unreachable", dnsmasq: true, load: udpRejects("icmp host-unreachable", "icmpv6 admin-prohibited"), needs: needNft},
	{name: "redirect to the server's port", load: []fwLoad{{tool: "nft", input: `table ip n {
 chain pre { type nat hook prerouting priority dstnat; udp dport 5353 redirect to :5354; }
 chain out { type nat hook output priority -100; ip daddr ` + serverAddr + ` udp dport 5353 redirect to :5354; }
}
`}}, echo: 5354, clients: []fwClient{remote4, local4}, needs: needNft,
		unsureLocal: "the redirect sends this host's datagram to 127.0.0.1, and a server bound to [::] answers from 198.18.0.1 unless it uses IP_PKTINFO (this one does not: its answer is lost)"},
	{name: "redirect to a server on loopback", load: []fwLoad{{tool: "nft", input: `table ip n {
 chain out { type nat hook output priority -100; ip daddr ` + serverAddr + ` udp dport 5353 redirect to :5354; }
}
`}}, echoAddr: "127.0.0.1:5354", clients: []fwClient{local4}, needs: needNft},
}

func TestFirewallUDPTruth(t *testing.T) {
	bin := binary(t)
	total := 0
	for _, c := range udpCases {
		total += len(udpClientsOf(c))
	}
	t.Logf("%d udp rule sets, %d client cases, 3 client programs each", len(udpCases), total)
	for _, c := range udpCases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			runUDPCase(t, bin, c)
		})
	}
}

func udpClientsOf(c udpCase) []fwClient {
	if c.clients == nil {
		return fourClients
	}
	return c.clients
}

// runUDPCase sets up one case and holds check to each client program.
func runUDPCase(t *testing.T, bin string, c udpCase) {
	for _, n := range c.needs {
		testtool.Need(t, n[0], n[1])
	}
	p := newNetnsPair(t)
	for _, ns := range []struct{ name, addr string }{{p.server, serverAddr6}, {p.client, clientAddr6}} {
		runOK(t, "ip", "-n", ns.name, "addr", "add", ns.addr+"/64", "dev", vethOf(t, ns.name), "nodad")
	}
	for _, l := range c.load {
		loadInNetns(t, p.server, l)
	}
	switch {
	case c.dnsmasq:
		dnsmasqIn(t, p.server)
	case c.echoAddr != "":
		udpEchoIn(t, p.server, c.echoAddr)
	case c.echo != 0:
		udpEchoIn(t, p.server, "[::]:"+strconv.Itoa(c.echo))
	}
	port := c.port
	if port == 0 {
		port = udpPort
	}
	for _, cl := range udpClientsOf(c) {
		target := net.JoinHostPort(cl.addr, strconv.Itoa(port))
		ns, who := p.client, "remote"
		if cl.local {
			ns, who = p.server, "local"
		}
		out, err := exec.Command("ip", "netns", "exec", p.server, bin, "check", "--json", "udp://"+target).Output()
		var exit *exec.ExitError
		if err != nil && !errors.As(err, &exit) {
			t.Fatalf("whyrefused check: %v", err)
		}
		predicted, verdict, codes := predictedSymptom(t, out, cl)
		for _, client := range udpClients {
			if c.dnsmasq && client.name != "dig" {
				continue // dnsmasq answers DNS only
			}
			t.Run(who+" "+client.name+" to "+target, func(t *testing.T) {
				if client.tool[0] != "" {
					testtool.Need(t, client.tool[0], client.tool[1])
				}
				real := client.run(t, ns, cl.addr, port)
				if c.unsureLocal != "" && cl.local {
					t.Logf("%s got %s; no exact answer: %s", client.name, real, c.unsureLocal)
					real = "unsure"
				}
				if real != predicted {
					t.Fatalf("check predicts %s (verdict %s, %v), %s got %s\n%s", predicted, verdict, codes, client.name, real, out)
				}
				if real != "accepted" && verdict == "accept" {
					t.Fatalf("verdict accept, %s got %s\n%s", client.name, real, out)
				}
				t.Logf("%s: %s, predicted %s (verdict %s, %v)", client.name, real, predicted, verdict, codes)
			})
		}
	}
}

// udpClient is a real UDP client program: what it got, in the words of
// match.Symptom.
type udpClient struct {
	name string
	tool [2]string // the command it needs and its package; "" for none
	run  func(t *testing.T, ns, addr string, port int) string
}

// udpWait is how long a client waits for an answer.
const udpWait = 1500 * time.Millisecond

var udpClients = []udpClient{
	{name: "go", run: func(t *testing.T, ns, addr string, port int) string {
		var s string
		inNetns(t, ns, func() { s = udpConnected(net.JoinHostPort(addr, strconv.Itoa(port))) })
		return s
	}},
	{name: "ncat", tool: [2]string{"ncat", "ncat"}, run: func(t *testing.T, ns, addr string, port int) string {
		// stdin stays open while ncat waits for the answer.
		cmd := exec.Command("ip", "netns", "exec", ns, "sh", "-c", `(echo ping; sleep 1.5) | timeout 3 ncat -u "$0" "$1" 2>&1`, addr, strconv.Itoa(port))
		out, _ := cmd.Output()
		return clientWords(string(out), [][2]string{{"ping", "accepted"}, {"Connection refused", "ECONNREFUSED"},
			{"No route to host", "EHOSTUNREACH"}, {"Permission denied", "EACCES"}, {"Network is unreachable", "ENETUNREACH"}})
	}},
	{name: "dig", tool: [2]string{"dig", "dnsutils"}, run: func(t *testing.T, ns, addr string, port int) string {
		// The echo server sends the query back: dig takes it as an
		// answer (with a warning that it is no response).
		out, _ := exec.Command("ip", "netns", "exec", ns, "dig", "+tries=1", "+time=2", "@"+addr, "-p", strconv.Itoa(port), "example.test").CombinedOutput()
		return clientWords(string(out), [][2]string{{"->>HEADER<<-", "accepted"}, {"connection refused", "ECONNREFUSED"},
			{"host unreachable", "EHOSTUNREACH"}, {"permission denied", "EACCES"}, {"network unreachable", "ENETUNREACH"},
			{"timed out", "timeout"}, {"no servers could be reached", "timeout"}})
	}},
}

// clientWords names what a client's output says, by the first of words
// (an answer, an error, then a timeout) it holds; none: a timeout (no
// answer, no error).
func clientWords(out string, words [][2]string) string {
	for _, w := range words {
		if strings.Contains(out, w[0]) {
			return w[1]
		}
	}
	if strings.TrimSpace(out) == "" {
		return "timeout"
	}
	return "unexpected output: " + out
}

// udpConnected sends a datagram on a connected UDP socket and waits for
// the answer: an ICMP error comes back as the read's errno.
func udpConnected(target string) string {
	conn, err := net.Dial("udp", target)
	if err != nil {
		return "error: " + err.Error()
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(udpWait))
	if _, err = conn.Write([]byte("ping")); err == nil {
		_, err = conn.Read(make([]byte, 64))
	}
	var ne net.Error
	switch {
	case err == nil:
		return "accepted"
	case errors.Is(err, syscall.ECONNREFUSED):
		return "ECONNREFUSED"
	case errors.Is(err, syscall.EHOSTUNREACH):
		return "EHOSTUNREACH"
	case errors.Is(err, syscall.EACCES):
		return "EACCES"
	case errors.Is(err, syscall.ENETUNREACH):
		return "ENETUNREACH"
	case errors.As(err, &ne) && ne.Timeout():
		return "timeout"
	}
	return "error: " + err.Error()
}

// udpEchoIn runs a UDP echo server on addr in namespace ns until the
// test ends.
func udpEchoIn(t *testing.T, ns, addr string) {
	t.Helper()
	inNetns(t, ns, func() {
		pc, err := net.ListenPacket("udp", addr)
		if err != nil {
			t.Fatalf("listen udp %s: %v", addr, err)
		}
		go func() {
			buf := make([]byte, 1500)
			for {
				n, from, err := pc.ReadFrom(buf)
				if err != nil {
					return
				}
				pc.WriteTo(buf[:n], from)
			}
		}()
		t.Cleanup(func() { pc.Close() })
	})
}

// dnsmasqIn runs dnsmasq as a DNS server on port 5353 of namespace ns,
// answering example.test, until the test ends.
func dnsmasqIn(t *testing.T, ns string) {
	t.Helper()
	dnsmasq := testtool.Need(t, "dnsmasq", "dnsmasq-base")
	cmd := exec.Command("ip", "netns", "exec", ns, dnsmasq, "-k", "-C", "/dev/null", "--user=nobody", "--port=5353",
		"--no-resolv", "--no-hosts", "--address=/example.test/198.18.0.9")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	for range 40 {
		if out, _ := exec.Command("ip", "netns", "exec", ns, "ss", "-Huln", "sport", "=", ":5353").Output(); len(out) > 0 {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatal("dnsmasq did not start listening on port 5353")
}
