// udprequest_linux_test.go tests the UDP requests against real servers
// (memcached, dnsmasq) on their well-known ports, inside a network
// namespace of the test's own.

package probe

import (
	"net"
	"net/netip"
	"os/exec"
	"testing"
	"time"

	"github.com/whyrefused/whyrefused/inspect"
	"github.com/whyrefused/whyrefused/internal/testnet"
	"github.com/whyrefused/whyrefused/internal/testtool"
)

// startServer runs a server for the rest of the test and waits until its
// TCP port (which the servers open beside the UDP one) accepts.
func startServer(t *testing.T, tcp string, name string, args ...string) {
	t.Helper()
	cmd := exec.Command(name, args...)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	for end := time.Now().Add(10 * time.Second); time.Now().Before(end); time.Sleep(50 * time.Millisecond) {
		if c, err := net.DialTimeout("tcp", tcp, time.Second); err == nil {
			c.Close()
			return
		}
	}
	t.Fatalf("%s did not open %s within 10 s", name, tcp)
}

// TestUDPRequestsToRealServers: memcached and dnsmasq answer the probe's
// request of their protocol, so a live service is accepted; memcached
// ignores the stray byte sent to ports without a request of their own,
// which is why it needs one.
func TestUDPRequestsToRealServers(t *testing.T) {
	memcached := testtool.Need(t, "memcached", "memcached")
	dnsmasq := testtool.Need(t, "dnsmasq", "dnsmasq-base")
	if !testnet.InNetns(t) {
		return
	}
	startServer(t, "127.0.0.1:11211", memcached, "-u", "nobody", "-l", "127.0.0.1", "-p", "11211", "-U", "11211")
	startServer(t, "127.0.0.1:53", dnsmasq, "-k", "-C", "/dev/null", "--user=nobody", "--port=53",
		"--listen-address=127.0.0.1", "--bind-interfaces", "--no-resolv", "--no-hosts")
	for _, port := range []uint16{11211, 53} {
		ap := netip.AddrPortFrom(netip.MustParseAddr("127.0.0.1"), port)
		if a := one(t, inspect.UDP, ap, 3*time.Second); a.Outcome != Accepted {
			t.Errorf("udp %s: %s (%v), want accepted: the server did not answer its protocol's request", ap, a.Outcome, a.Err)
		}
	}

	// The stray byte, sent by hand: memcached stays silent.
	c, err := net.Dial("udp", "127.0.0.1:11211")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.Write([]byte("\n"))
	c.SetReadDeadline(time.Now().Add(time.Second))
	if _, err := c.Read(make([]byte, 64)); err == nil {
		t.Log("this memcached answered a stray byte too")
	}

	// A closed UDP port next to them is still refused.
	closed := closedPort(t, "udp")
	if a := one(t, inspect.UDP, closed, 2*time.Second); a.Outcome != Refused {
		t.Errorf("closed udp %s: %s, want refused", closed, a.Outcome)
	}
}
