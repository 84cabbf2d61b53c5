// netns_linux_test.go tests timeouts and unreachable networks in a network
// namespace of the test's own.

package probe

import (
	"encoding/binary"
	"net"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/google/nftables"
	"github.com/google/nftables/expr"
	"golang.org/x/sys/unix"

	"github.com/whyrefused/whyrefused/inspect"
	"github.com/whyrefused/whyrefused/internal/testnet"
)

// dropIncoming makes this namespace drop every packet to a local port of
// proto, as `nft add rule inet whyrefused_test in PROTO dport PORT drop`
// would, but over netlink (github.com/google/nftables), so that no nft or
// iptables need be installed. It is called only inside a namespace the
// test made, which takes the rule with it.
func dropIncoming(t *testing.T, proto string, port uint16) {
	t.Helper()
	l4 := map[string]byte{"tcp": unix.IPPROTO_TCP, "udp": unix.IPPROTO_UDP}[proto]
	c, err := nftables.New()
	if err != nil {
		t.Fatalf("nftables netlink connection: %v", err)
	}
	table := c.AddTable(&nftables.Table{Family: nftables.TableFamilyINet, Name: "whyrefused_test"})
	policy := nftables.ChainPolicyAccept
	chain := c.AddChain(&nftables.Chain{
		Name: "in", Table: table, Type: nftables.ChainTypeFilter,
		Hooknum: nftables.ChainHookInput, Priority: nftables.ChainPriorityFilter, Policy: &policy,
	})
	c.AddRule(&nftables.Rule{Table: table, Chain: chain, Exprs: []expr.Any{
		&expr.Meta{Key: expr.MetaKeyL4PROTO, Register: 1},
		&expr.Cmp{Op: expr.CmpOpEq, Register: 1, Data: []byte{l4}},
		// The destination port: two bytes at offset 2 of the TCP or UDP header.
		&expr.Payload{DestRegister: 1, Base: expr.PayloadBaseTransportHeader, Offset: 2, Len: 2},
		&expr.Cmp{Op: expr.CmpOpEq, Register: 1, Data: binary.BigEndian.AppendUint16(nil, port)},
		&expr.Verdict{Kind: expr.VerdictDrop},
	}})
	if err := c.Flush(); err != nil {
		t.Fatalf("adding the %s drop rule for port %d over netlink: %v", proto, port, err)
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
