// netns_linux_test.go tests timeouts and unreachable networks in a network
// namespace of the test's own.

package probe

import (
	"net"
	"net/netip"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/whyrefused/whyrefused/inspect"
	"github.com/whyrefused/whyrefused/internal/testnet"
)

// dropIncoming makes this namespace drop every packet to a local port of
// proto, with nftables, or iptables where nft is missing. It is called only
// inside a namespace the test made, which takes the rule with it.
func dropIncoming(t *testing.T, proto string, port uint16) {
	t.Helper()
	p := strconv.Itoa(int(port))
	if nft, err := exec.LookPath("nft"); err == nil {
		script := "add table inet whyrefused_test\n" +
			"add chain inet whyrefused_test in { type filter hook input priority 0; policy accept; }\n" +
			"add rule inet whyrefused_test in " + proto + " dport " + p + " drop\n"
		cmd := exec.Command(nft, "-f", "-")
		cmd.Stdin = strings.NewReader(script)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("nft: %v\n%s", err, out)
		}
		return
	}
	ipt, err := exec.LookPath("iptables")
	if err != nil {
		t.Fatal("needs nft (nftables) or iptables to drop packets: .ci/steps/15-probe-tools.sh installs nftables")
	}
	if out, err := exec.Command(ipt, "-A", "INPUT", "-p", proto, "--dport", p, "-j", "DROP").CombinedOutput(); err != nil {
		t.Fatalf("iptables: %v\n%s", err, out)
	}
}

// TestTimeoutAndUnreachable makes, inside a network namespace of its own
// with only lo: a TCP and a UDP port whose packets are dropped (timeout),
// and an address with no route (unreachable).
func TestTimeoutAndUnreachable(t *testing.T) {
	if !testnet.InNetns(t) {
		return
	}
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	tcpPort := ln.Addr().(*net.TCPAddr).AddrPort()
	pc, err := net.ListenPacket("udp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer pc.Close()
	udpPort := pc.LocalAddr().(*net.UDPAddr).AddrPort()
	dropIncoming(t, "tcp", tcpPort.Port())
	dropIncoming(t, "udp", udpPort.Port())

	const timeout = time.Second
	a := one(t, inspect.TCP, tcpPort, timeout)
	if a.Outcome != Timeout || a.Elapsed < timeout {
		t.Errorf("dropped TCP port: %s after %s (%v), want a timeout after %s", a.Outcome, a.Elapsed, a.Err, timeout)
	}
	a.From = Address{Addr: tcpPort.Addr(), Origin: FromLiteral}
	if m := Meaning(a, timeout); !strings.Contains(m, "not a refusal") || !strings.Contains(m, "this host's firewall drops") {
		t.Errorf("meaning of a timeout: %q", m)
	}
	a = one(t, inspect.UDP, udpPort, timeout)
	if a.Outcome != Timeout {
		t.Errorf("dropped UDP port: %s (%v), want timeout", a.Outcome, a.Err)
	}
	a.From = Address{Addr: udpPort.Addr(), Origin: FromLiteral}
	if m := Meaning(a, timeout); !strings.Contains(m, "cannot tell") {
		t.Errorf("meaning of UDP silence: %q", m)
	}

	// 192.0.2.1 (TEST-NET-1) has no route from a namespace with only lo:
	// the kernel says so at once and nothing is sent.
	far := netip.MustParseAddrPort("192.0.2.1:80")
	got := Connect(t.Context(), inspect.TCP, []netip.AddrPort{far}, realConfig(timeout))[0]
	t.Logf("%s: %s %s (%v)", far, got.Outcome, got.ErrorCode(), got.Err)
	if got.Outcome != Unreachable || got.Errno.Name != "ENETUNREACH" || got.Local {
		t.Errorf("no route: %s %s local=%v, want unreachable ENETUNREACH", got.Outcome, got.Errno.Name, got.Local)
	}
}
