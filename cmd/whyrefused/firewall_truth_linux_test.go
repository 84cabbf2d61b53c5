// firewall_truth_linux_test.go holds the harness of the firewall truth
// matrix: for each case of firewallCases (firewall_cases_linux_test.go), a
// pair of network namespaces, the case's real rule set loaded in the
// server's with the real tool, a real listener, real connects from the
// client's namespace and from the server's own, and `whyrefused check` run
// in the server's namespace: its verdict and predicted symptom must be
// what each real connect got.

package main

import (
	"encoding/json"
	"errors"
	"net"
	"net/netip"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/whyrefused/whyrefused/internal/testtool"
)

// fwLoad is one step of loading a case's rules in the server's namespace.
type fwLoad struct {
	// tool is "nft" (input to nft -f), "iptables-nft-restore",
	// "ip6tables-nft-restore" or "iptables-legacy-restore" (their input),
	// "ufw" (one ufw command per line, with its configuration in a
	// directory of the test's own), "firewalld" (the name of a
	// configuration of firewalldSteps: the real firewalld's rule set for
	// it, loaded with nft -f), or "sh" (a shell script).
	tool  string
	input string
}

// fwClient is one client of a case.
type fwClient struct {
	// local is true for a client in the server's own namespace.
	local bool
	// addr is the address it connects to; port, when set, the port
	// (else the case's).
	addr string
	port int
}

// The clients most cases have: from the other namespace over IPv4 and
// IPv6, and from the server's own to its IPv4 and IPv6 addresses.
var (
	remote4 = fwClient{addr: serverAddr}
	remote6 = fwClient{addr: serverAddr6}
	local4  = fwClient{local: true, addr: serverAddr}
	local6  = fwClient{local: true, addr: serverAddr6}
	localLo = fwClient{local: true, addr: "127.0.0.1"}
)

const serverAddr6, clientAddr6 = "fd18::1", "fd18::2"

// fwCase is one rule set with the clients that try it.
type fwCase struct {
	name string
	load []fwLoad
	// port is what the clients connect to; listen is where the server
	// listens ("" means [::]:8080, dual stack; "none" no listener).
	port    int
	listen  string
	clients []fwClient
	// from gives check --from with the remote client's address.
	from bool
	// unsure, when set, says why no exact answer exists for the remote
	// clients: check must then say unsure, not the real outcome.
	unsure string
	// needs are the tools the case needs beyond ip: command and package.
	needs [][2]string
	// setup, when set, runs after the rules are loaded and the listener
	// opened, before the clients connect (a full accept queue, a sysctl).
	setup func(t *testing.T, p netnsPair)
}

// The default clients.
var fourClients = []fwClient{remote4, remote6, local4, local6}

func TestFirewallTruthMatrix(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root to create network namespaces and load rules")
	}
	bin := binary(t)
	total := 0
	for _, c := range firewallCases {
		total += len(clientsOf(c))
	}
	t.Logf("%d rule sets, %d client cases", len(firewallCases), total)
	for _, c := range firewallCases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			runFirewallCase(t, bin, c)
		})
	}
}

// clientsOf are a case's clients.
func clientsOf(c fwCase) []fwClient {
	if c.clients == nil {
		return fourClients
	}
	return c.clients
}

// runFirewallCase sets up one case and checks each of its clients.
func runFirewallCase(t *testing.T, bin string, c fwCase) {
	for _, n := range c.needs {
		testtool.Need(t, n[0], n[1])
	}
	p := newNetnsPair(t)
	for _, ns := range []struct{ name, addr, peer string }{{p.server, serverAddr6, clientAddr6}, {p.client, clientAddr6, serverAddr6}} {
		dev := vethOf(t, ns.name)
		runOK(t, "ip", "-n", ns.name, "addr", "add", ns.addr+"/64", "dev", dev, "nodad")
	}
	// The kube-proxy cases' Service addresses are routed towards the
	// client's namespace, as a cluster network would be.
	runOK(t, "ip", "-n", p.server, "route", "add", "198.18.2.0/24", "via", clientAddr)
	for _, l := range c.load {
		loadInNetns(t, p.server, l)
	}
	port := c.port
	if port == 0 {
		port = 8080
	}
	if c.listen != "none" {
		listen := c.listen
		if listen == "" {
			listen = "[::]:8080"
		}
		listenTCPIn(t, p.server, listen)
	}
	if c.setup != nil {
		c.setup(t, p)
	}
	for _, cl := range clientsOf(c) {
		cport := port
		if cl.port != 0 {
			cport = cl.port
		}
		target := net.JoinHostPort(cl.addr, strconv.Itoa(cport))
		ns := p.client
		if cl.local {
			ns = p.server
		}
		var real string
		inNetns(t, ns, func() { real = realSymptom(target) })
		args := []string{"netns", "exec", p.server, bin, "check", "--json"}
		if c.from && !cl.local {
			from := clientAddr
			if strings.Contains(cl.addr, ":") {
				from = clientAddr6
			}
			args = append(args, "--from", from)
		}
		args = append(args, target)
		out, err := exec.Command("ip", args...).Output()
		var exit *exec.ExitError
		if err != nil && !errors.As(err, &exit) {
			t.Fatalf("whyrefused check: %v", err)
		}
		predicted, verdict, codes := predictedSymptom(t, out, cl)
		want := real
		if c.unsure != "" && !cl.local {
			want = "unsure"
		}
		who := "remote"
		if cl.local {
			who = "local"
		}
		if predicted != want {
			t.Errorf("%s client to %s: check predicts %s (verdict %s, %v), the real connect got %s\n%s", who, target, predicted, verdict, codes, real, out)
			continue
		}
		if real != "accepted" && verdict == "accept" {
			t.Errorf("%s client to %s: verdict accept, the real connect got %s\n%s", who, target, real, out)
			continue
		}
		t.Logf("%s client to %s: %s, predicted %s (verdict %s, %v)", who, target, real, predicted, verdict, codes)
	}
}

// vethOf is the name of the veth end in namespace ns.
func vethOf(t *testing.T, ns string) string {
	out, err := exec.Command("ip", "-n", ns, "-o", "link", "show", "type", "veth").Output()
	if err != nil {
		t.Fatalf("ip link in %s: %v", ns, err)
	}
	f := strings.Fields(string(out))
	if len(f) < 2 {
		t.Fatalf("no veth in %s: %q", ns, out)
	}
	return strings.SplitN(strings.TrimSuffix(f[1], ":"), "@", 2)[0]
}

// runOK runs a command or fails the test.
func runOK(t *testing.T, name string, args ...string) {
	t.Helper()
	if out, err := exec.Command(name, args...).CombinedOutput(); err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
}

// loadInNetns loads one step of rules in namespace ns.
func loadInNetns(t *testing.T, ns string, l fwLoad) {
	t.Helper()
	var cmd *exec.Cmd
	switch l.tool {
	case "nft":
		cmd = exec.Command("ip", "netns", "exec", ns, "nft", "-f", "-")
	case "firewalld":
		cmd = exec.Command("ip", "netns", "exec", ns, "nft", "-f", "-")
		l.input = firewalldDump(t, l.input)
	case "ufw":
		// ufw keeps its state in /etc/ufw: a copy of the test's own is
		// bound over it in the mount namespace ip netns exec makes, so the
		// host's files stay as they are.
		dir := t.TempDir()
		runOK(t, "cp", "-a", "/etc/ufw/.", dir)
		script := "mount --bind " + dir + " /etc/ufw && set -e\n"
		for _, line := range strings.Split(strings.TrimSpace(l.input), "\n") {
			script += "ufw " + line + " >/dev/null\n"
		}
		cmd = exec.Command("ip", "netns", "exec", ns, "sh", "-c", script)
		l.input = ""
	case "sh":
		cmd = exec.Command("ip", "netns", "exec", ns, "sh", "-e")
	default:
		cmd = exec.Command("ip", "netns", "exec", ns, l.tool)
	}
	cmd.Stdin = strings.NewReader(l.input)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("loading with %s: %v\n%s\n%s", l.tool, err, out, l.input)
	}
}

// realSymptom connects to target and names what happened, in the words
// of match.Symptom.
func realSymptom(target string) string {
	// Two seconds: an ICMPv6 error comes back to the SYN's first
	// retransmission, a second after it.
	conn, err := net.DialTimeout("tcp", target, 2*time.Second)
	if err == nil {
		conn.Close()
		return "accepted"
	}
	var ne net.Error
	switch {
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

// predictedSymptom reads check's JSON: what it predicts for client cl,
// the address's verdict and the findings' codes.
func predictedSymptom(t *testing.T, out []byte, cl fwClient) (symptom, verdict string, codes []string) {
	t.Helper()
	var rep struct {
		Addresses []struct {
			Address, Verdict, Symptom string
			Clients                   []struct{ Client, Symptom string }
		}
		Findings []struct{ Code string }
	}
	if err := json.Unmarshal(out, &rep); err != nil {
		t.Fatalf("check: not JSON: %v\n%s", err, out)
	}
	for _, f := range rep.Findings {
		codes = append(codes, f.Code)
	}
	want := netip.MustParseAddr(cl.addr)
	for _, a := range rep.Addresses {
		if netip.MustParseAddr(a.Address) != want {
			continue
		}
		for _, c := range a.Clients {
			if (c.Client == "local") == cl.local {
				return c.Symptom, a.Verdict, codes
			}
		}
		return a.Symptom, a.Verdict, codes
	}
	t.Fatalf("check says nothing of %s\n%s", cl.addr, out)
	return "", "", nil
}

// TestProbeNamesOwnOutputRule: a rule of this host's output chain rejects
// connections to another host's port; probe must say that this host
// refused it, naming the rule, not that the remote host answered. For this
// host's own address behind an input reject, the check under probe names
// the rule that the socket table alone would not explain.
func TestProbeNamesOwnOutputRule(t *testing.T) {
	testtool.Need(t, "nft", "nftables")
	p := newNetnsPair(t)
	bin := binary(t)
	loadInNetns(t, p.server, fwLoad{tool: "nft", input: "table inet t {\n chain output {\n  type filter hook output priority 0;\n  ip daddr 198.18.0.2 tcp dport 9090 reject with tcp reset\n }\n chain input {\n  type filter hook input priority 0;\n  iifname \"lo\" tcp dport 8080 reject with tcp reset\n }\n}\n"})
	inNetns(t, p.server, func() {
		l, err := net.Listen("tcp", "127.0.0.1:8080")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { l.Close() })
	})
	out, _ := exec.Command("ip", "netns", "exec", p.server, bin, "probe", "--timeout", "2s", clientAddr+":9090").CombinedOutput()
	if !strings.Contains(string(out), "This host's own firewall refused it before it left") || !strings.Contains(string(out), "chain output in table inet t") {
		t.Errorf("probe does not name this host's output rule:\n%s", out)
	}
	out, _ = exec.Command("ip", "netns", "exec", p.server, bin, "probe", "--timeout", "2s", "127.0.0.1:8080").CombinedOutput()
	if !strings.Contains(string(out), "[firewall-reject]") || !strings.Contains(string(out), "tcp dport 8080 reject with tcp reset") {
		t.Errorf("probe's local check does not name the input rule:\n%s", out)
	}
}
