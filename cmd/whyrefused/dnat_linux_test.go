// dnat_linux_test.go holds the truth test of a plain DNAT mapping into
// another network namespace, with no listener on the mapped port: in
// namespaces made by the test, a "host" whose nat rules (nft, and
// iptables-nft) map 8080 to a "container" over a veth pair, and a remote
// client over a second veth pair. whyrefused, run in the host, must
// predict what a real connect from the client and from the host sees.

package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/whyrefused/whyrefused/internal/testtool"
)

// dnatLab is the three namespaces: host, container (ctr) and remote.
type dnatLab struct {
	host, ctr, remote string
}

const (
	labHostAddr   = "198.18.101.1" // the host's side towards the remote client
	labRemoteAddr = "198.18.101.2"
	labBridgeAddr = "198.18.100.1" // the host's side towards the container
	labCtrAddr    = "198.18.100.2"
)

// newDNATLab makes the namespaces and veth pairs, and deletes them when
// the test ends.
func newDNATLab(t *testing.T) dnatLab {
	t.Helper()
	tn := newNamespaces(t, 3)
	l := dnatLab{host: tn.names[0], ctr: tn.names[1], remote: tn.names[2]}
	sh := func(script string) {
		t.Helper()
		if out, err := exec.Command("sh", "-ec", script).CombinedOutput(); err != nil {
			t.Fatalf("%s: %v\n%s", script, err, out)
		}
	}
	sh(fmt.Sprintf(`
ip link add wrh0 netns %[1]s type veth peer name wrc0 netns %[2]s
ip link add wrh1 netns %[1]s type veth peer name wrr0 netns %[3]s
ip -n %[1]s addr add %[4]s/24 dev wrh0
ip -n %[1]s addr add %[5]s/24 dev wrh1
ip -n %[2]s addr add %[6]s/24 dev wrc0
ip -n %[3]s addr add %[7]s/24 dev wrr0
for ns in %[1]s %[2]s %[3]s; do ip -n $ns link set lo up; done
ip -n %[1]s link set wrh0 up; ip -n %[1]s link set wrh1 up
ip -n %[2]s link set wrc0 up; ip -n %[3]s link set wrr0 up
ip -n %[2]s route add default via %[4]s
ip -n %[3]s route add default via %[5]s
ip netns exec %[1]s sysctl -qw net.ipv4.ip_forward=1
`, l.host, l.ctr, l.remote, labBridgeAddr, labHostAddr, labCtrAddr, labRemoteAddr))
	return l
}

// connectFrom connects from namespace ns to addr with a real client.
func connectFrom(t *testing.T, ns, addr string) string {
	t.Helper()
	cmd := exec.Command("ip", "netns", "exec", ns, os.Args[0])
	cmd.Env = append(os.Environ(), connectHelperEnv+"="+addr)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("connecting from %s to %s: %v", ns, addr, err)
	}
	return strings.TrimSpace(string(out))
}

// startIn starts a listener process on addr in namespace ns, stopped
// when the test ends.
func startIn(t *testing.T, ns, addr string) {
	t.Helper()
	cmd := exec.Command("ip", "netns", "exec", ns, os.Args[0])
	cmd.Env = append(os.Environ(), listenHelperEnv+"="+addr)
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { stdin.Close(); cmd.Wait() })
	if line, _ := bufio.NewReader(stdout).ReadString('\n'); line != "ready\n" {
		t.Fatalf("the listener on %s in %s did not start: %q", addr, ns, line)
	}
}

// checkIn runs whyrefused check --json in namespace ns, with env added
// to its environment.
func checkIn(t *testing.T, ns, target string, env ...string) (checkJSON, string) {
	t.Helper()
	cmd := exec.Command("ip", "netns", "exec", ns, binary(t), "check", "--json", target)
	cmd.Env = append(append(os.Environ(), "NO_COLOR=1"), env...)
	out, _ := cmd.Output()
	var rep checkJSON // one target: one object
	if err := json.Unmarshal(out, &rep); err != nil {
		t.Fatalf("check %s in %s: %v\n%s", target, ns, err, out)
	}
	return rep, string(out)
}

func TestDNATIntoNamespace(t *testing.T) {
	for _, rules := range []struct {
		name, tool, pkg, script string
	}{
		{"nft", "nft", "nftables", `nft -f - <<'EOF'
table ip wrnat {
	chain pre { type nat hook prerouting priority dstnat; tcp dport 8080 dnat to ` + labCtrAddr + `:80; }
	chain out { type nat hook output priority -100; ip daddr ` + labHostAddr + ` tcp dport 8080 dnat to ` + labCtrAddr + `:80; }
}
EOF`},
		{"iptables-nft", "iptables-nft", "iptables", `
iptables-nft -t nat -A PREROUTING -p tcp --dport 8080 -j DNAT --to-destination ` + labCtrAddr + `:80
iptables-nft -t nat -A OUTPUT -d ` + labHostAddr + ` -p tcp --dport 8080 -j DNAT --to-destination ` + labCtrAddr + `:80`},
	} {
		t.Run(rules.name, func(t *testing.T) {
			testtool.Need(t, rules.tool, rules.pkg)
			for _, app := range []string{"0.0.0.0:80", "127.0.0.1:80", "0.0.0.0:8000", ""} {
				t.Run("app on "+app, func(t *testing.T) {
					l := newDNATLab(t)
					if out, err := exec.Command("ip", "netns", "exec", l.host, "sh", "-ec", rules.script).CombinedOutput(); err != nil {
						t.Fatalf("rules: %v\n%s", err, out)
					}
					if app != "" {
						startIn(t, l.ctr, app)
					}
					target := labHostAddr + ":8080"
					remote := connectFrom(t, l.remote, target)
					local := connectFrom(t, l.host, target)
					rep, out := checkIn(t, l.host, target)
					want := map[string]string{"accepted": "accept", "refused": "refuse"}[remote]
					if want == "" || local != remote {
						t.Fatalf("the real connects: remote %q, local %q", remote, local)
					}
					if rep.Verdict != want {
						t.Errorf("check says %s, a real connect was %s:\n%s", rep.Verdict, remote, out)
					}
					var codes []string
					for _, f := range rep.Findings {
						codes = append(codes, f.Code)
					}
					if len(codes) == 0 || codes[0] != "nat-mapped" || strings.Contains(strings.Join(codes, " "), "no-listener") == strings.HasSuffix(app, ":80") {
						t.Errorf("findings %v: want nat-mapped first, and no-listener only when nothing listens on port 80 in the namespace:\n%s", codes, out)
					}
					if !strings.Contains(out, "is mapped to "+labCtrAddr+":80 by rule") || !strings.Contains(out, "network namespace "+l.ctr) {
						t.Errorf("the mapping is not named:\n%s", out)
					}
				})
			}
		})
	}
}

// TestDNATToAnyPort: a mapping to a port far from the target's (9090 to
// 5432: no typo of it) is judged by the listeners on that port.
func TestDNATToAnyPort(t *testing.T) {
	testtool.Need(t, "nft", "nftables")
	l := newDNATLab(t)
	script := `nft -f - <<'EOF'
table ip wrnat {
	chain pre { type nat hook prerouting priority dstnat; tcp dport 9090 dnat to ` + labCtrAddr + `:5432; }
	chain out { type nat hook output priority -100; ip daddr ` + labHostAddr + ` tcp dport 9090 dnat to ` + labCtrAddr + `:5432; }
}
EOF`
	if out, err := exec.Command("ip", "netns", "exec", l.host, "sh", "-ec", script).CombinedOutput(); err != nil {
		t.Fatalf("rules: %v\n%s", err, out)
	}
	startIn(t, l.ctr, "0.0.0.0:5432")
	target := labHostAddr + ":9090"
	if real := connectFrom(t, l.remote, target); real != "accepted" {
		t.Fatalf("a real connect to %s: %s", target, real)
	}
	if rep, out := checkIn(t, l.host, target); rep.Verdict != "accept" {
		t.Errorf("check says %s, a real connect was accepted:\n%s", rep.Verdict, out)
	}
}
