// predict_linux_test.go holds the truth test: match's verdicts against real
// connects to real listeners in a network namespace of the test's own.

package match_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os/exec"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/whyrefused/whyrefused/inspect"
	"github.com/whyrefused/whyrefused/internal/testnet"
	"github.com/whyrefused/whyrefused/internal/testtool"
	"github.com/whyrefused/whyrefused/match"
	"github.com/whyrefused/whyrefused/target"
)

// Addresses of the test's own network namespace: loopback, and two
// TEST-NET addresses added to its lo, which are this host's but not
// loopback addresses.
const (
	lo4    = "127.0.0.1"
	lo4b   = "127.0.0.2"
	lo6    = "::1"
	host4  = "198.18.0.1"
	host6  = "fd18::1"
	mapped = "::ffff:127.0.0.1"
)

// bind is one listener a case opens: "tcp 0.0.0.0", "udp [::]",
// "tcp [::] v6only", "tcp [::] dual", "tcp 127.0.0.1 +1" (on the port
// after the target's).
type bind string

// predictCase is a listener set and a target.
type predictCase struct {
	binds  []bind
	target string // address
	proto  inspect.Protocol
}

func tcpCase(target string, binds ...bind) predictCase {
	return predictCase{binds, target, inspect.TCP}
}

func udpCase(target string, binds ...bind) predictCase {
	return predictCase{binds, target, inspect.UDP}
}

var predictCases = []predictCase{
	tcpCase(lo4, "tcp 127.0.0.1"),
	tcpCase(lo4b, "tcp 127.0.0.1"),
	tcpCase(lo6, "tcp 127.0.0.1"),
	tcpCase(host4, "tcp 127.0.0.1"),
	tcpCase(lo4b, "tcp 127.0.0.2"),
	tcpCase(lo4, "tcp 127.0.0.2"),
	tcpCase(lo6, "tcp ::1"),
	tcpCase(lo4, "tcp ::1"),
	tcpCase(host6, "tcp ::1"),
	tcpCase(lo4, "tcp 0.0.0.0"),
	tcpCase(lo4b, "tcp 0.0.0.0"),
	tcpCase(host4, "tcp 0.0.0.0"),
	tcpCase(lo6, "tcp 0.0.0.0"),
	tcpCase(host6, "tcp 0.0.0.0"),
	tcpCase(mapped, "tcp 0.0.0.0"),
	tcpCase(lo4, "tcp [::] dual"),
	tcpCase(host4, "tcp [::] dual"),
	tcpCase(lo6, "tcp [::] dual"),
	tcpCase(host6, "tcp [::] dual"),
	tcpCase(mapped, "tcp [::] dual"),
	tcpCase(lo6, "tcp [::] v6only"),
	tcpCase(host6, "tcp [::] v6only"),
	tcpCase(lo4, "tcp [::] v6only"),
	tcpCase(host4, "tcp [::] v6only"),
	tcpCase(lo4, "tcp [::] v6only", "tcp 0.0.0.0"),
	tcpCase(lo6, "tcp [::] v6only", "tcp 0.0.0.0"),
	tcpCase(host4, "tcp 198.18.0.1"),
	tcpCase(lo4, "tcp 198.18.0.1"),
	tcpCase(host6, "tcp fd18::1"),
	tcpCase(lo6, "tcp fd18::1"),
	tcpCase(lo4, "tcp 127.0.0.1", "tcp ::1"),
	tcpCase(lo6, "tcp 127.0.0.1", "tcp ::1"),
	tcpCase(lo4),
	tcpCase(lo6),
	tcpCase(lo4, "udp 127.0.0.1"),
	tcpCase(lo4, "tcp 127.0.0.1 +1"),
	udpCase(lo4, "udp 127.0.0.1"),
	udpCase(lo4b, "udp 127.0.0.1"),
	udpCase(host4, "udp 0.0.0.0"),
	udpCase(lo4b, "udp 0.0.0.0"),
	udpCase(lo6, "udp 0.0.0.0"),
	udpCase(lo6, "udp ::1"),
	udpCase(lo4, "udp ::1"),
	udpCase(lo4, "udp [::] dual"),
	udpCase(host6, "udp [::] dual"),
	udpCase(lo4, "udp [::] v6only"),
	udpCase(lo6, "udp [::] v6only"),
	udpCase(lo4),
	udpCase(lo4, "tcp 127.0.0.1"),
	udpCase(lo4, "udp 198.18.0.1"),
	// wrong-protocol is a claim too: a client of the other protocol would
	// be accepted. Both protocols on loopback, checked as another address
	// (memcached, dnsmasq): neither serves it, and no wrong-protocol.
	tcpCase(host4, "tcp 127.0.0.1", "udp 127.0.0.1"),
	udpCase(host4, "udp 127.0.0.1", "tcp 127.0.0.1"),
	tcpCase(host4, "udp 127.0.0.1"),
	tcpCase(host4, "udp 0.0.0.0"),
	udpCase(host4, "tcp 0.0.0.0"),
	udpCase(host6, "tcp [::] dual"),
}

// TestPredictionMatrix opens real listeners, asks check (a real snapshot
// and match.Explain) whether a connection to the target would be accepted,
// then connects for real and compares. It does so with every Source of
// this OS (inspect.Available(), inspect.Default() first). It runs in a
// network namespace of its own, where binding 0.0.0.0 and [::] reaches
// nothing else.
//
// A [::] listener with IPV6_V6ONLY set is the one case the gopsutil
// backend can get wrong: it cannot read the flag and assumes the OS
// default (off in a new namespace). Such a verdict must then be marked as
// a guess; wherever the backend reports the flag, it must be exact.
//
// -short skips it, so that go test -short ./match is a quick, pure run.
func TestPredictionMatrix(t *testing.T) {
	if len(predictCases) < 40 {
		t.Fatalf("only %d cases", len(predictCases))
	}
	if !inTestNetns(t) {
		return
	}
	for si, src := range inspect.Available() {
		t.Run(src.Name(), func(t *testing.T) {
			for i, c := range predictCases {
				port := uint16(20000 + 1000*si + 10*i)
				name := fmt.Sprintf("%02d %s %s:%d <- %s", i, c.proto, c.target, port, joinBinds(c.binds))
				t.Run(name, func(t *testing.T) { predict(t, src, c, port) })
			}
		})
	}
}

// inTestNetns runs the test in a network namespace of its own with host4
// and host6 on its lo (see testnet.InNetns: false means the caller must
// return at once). -short skips it, so that go test -short ./match is a
// quick, pure run.
func inTestNetns(t *testing.T) bool {
	t.Helper()
	if testing.Short() {
		t.Skip("opens real listeners in a network namespace of its own; -short keeps match's tests pure")
	}
	ip := testtool.Need(t, "ip", "iproute2")
	if !testnet.InNetns(t) {
		return false
	}
	for _, cmd := range [][]string{
		{"ip", "addr", "add", host4 + "/32", "dev", "lo"},
		{"ip", "-6", "addr", "add", host6 + "/128", "dev", "lo", "nodad"},
	} {
		if out, err := exec.Command(ip, cmd[1:]...).CombinedOutput(); err != nil {
			t.Fatalf("%s: %v\n%s", strings.Join(cmd, " "), err, out)
		}
	}
	return true
}

func joinBinds(bs []bind) string {
	if len(bs) == 0 {
		return "nothing"
	}
	var s []string
	for _, b := range bs {
		s = append(s, string(b))
	}
	return strings.Join(s, " + ")
}

// predict runs one case.
func predict(t *testing.T, src inspect.Source, c predictCase, port uint16) {
	received := make(chan struct{}, 16)
	for _, b := range c.binds {
		open(t, b, port, received)
	}
	addr := netip.MustParseAddr(c.target)
	tg, err := target.Parse(netip.AddrPortFrom(addr, port).String(), c.proto, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	snap, err := src.Snapshot(ctx, match.CheckFilter([]target.Target{tg}))
	if err != nil {
		t.Fatal(err)
	}
	rep := match.Explain(ctx, tg, snap, net.DefaultResolver)
	if len(rep.Addresses) != 1 {
		t.Fatalf("addresses %+v, want one", rep.Addresses)
	}
	got := rep.Addresses[0]
	real := connect(t, c.proto, netip.AddrPortFrom(addr, port), received)
	wrongProtocolTruth(t, rep, c, netip.AddrPortFrom(addr, port), received)
	if got.Verdict == real {
		t.Logf("check says %s, as the connection does (%s)", got.Verdict, rep.Summary)
		return
	}
	if got.Guessed && v6OnlyUnknown(snap, port) {
		t.Logf("check guesses %s (marked as a guess: this backend cannot read IPV6_V6ONLY); the connection says %s", got.Verdict, real)
		if !rep.Guessed || !strings.Contains(rep.Summary, "(assumed") {
			t.Errorf("the guess is not marked in the verdict: %q", rep.Summary)
		}
		return
	}
	t.Errorf("check says %s (%s: %s), but the connection says %s", got.Verdict, got.Codes, rep.Summary, real)
}

// wrongProtocolTruth checks the wrong-protocol finding against a real
// connect with the other protocol: with the finding, that client is
// accepted; without it, while a socket of the other protocol is on the
// port, that client is refused.
func wrongProtocolTruth(t *testing.T, rep match.Report, c predictCase, to netip.AddrPort, received <-chan struct{}) {
	t.Helper()
	other := inspect.UDP
	if c.proto == inspect.UDP {
		other = inspect.TCP
	}
	has := slices.ContainsFunc(rep.Findings, func(f match.Finding) bool { return f.Code == match.CodeWrongProtocol })
	otherBound := slices.ContainsFunc(c.binds, func(b bind) bool { return strings.HasPrefix(string(b), string(other)+" ") })
	if !has && !otherBound {
		return
	}
	switch real := connect(t, other, to, received); {
	case has && real != match.VerdictAccept:
		t.Errorf("wrong-protocol says a %s client would do, but a %s connect to %s is %s", other, other, to, real)
	case !has && real == match.VerdictAccept:
		t.Errorf("no wrong-protocol, but a %s connect to %s is accepted", other, to)
	default:
		t.Logf("wrong-protocol %v: a %s connect is %s, as it should be", has, other, real)
	}
}

// v6OnlyUnknown reports whether a [::] socket on port has no IPV6_V6ONLY
// flag in the snapshot.
func v6OnlyUnknown(snap *inspect.Snapshot, port uint16) bool {
	for _, s := range snap.Sockets {
		if s.Local.Port() == port && s.Local.Addr() == netip.IPv6Unspecified() && s.IPv6Only == nil {
			return true
		}
	}
	return false
}

// open opens the listener b describes, on port (or port+1 with "+1"), and
// closes it at the end of the test. A UDP socket signals on received for
// each datagram it gets.
func open(t *testing.T, b bind, port uint16, received chan<- struct{}) {
	t.Helper()
	f := strings.Fields(string(b))
	proto, host := f[0], strings.Trim(f[1], "[]")
	v6only := -1
	for _, opt := range f[2:] {
		switch opt {
		case "v6only":
			v6only = 1
		case "dual":
			v6only = 0
		case "+1":
			port++
		}
	}
	lc := net.ListenConfig{Control: func(_, _ string, rc syscall.RawConn) error {
		if v6only < 0 {
			return nil
		}
		var serr error
		if err := rc.Control(func(fd uintptr) {
			serr = syscall.SetsockoptInt(int(fd), syscall.IPPROTO_IPV6, syscall.IPV6_V6ONLY, v6only)
		}); err != nil {
			return err
		}
		return serr
	}}
	addr := net.JoinHostPort(host, fmt.Sprint(port))
	// tcp4 or tcp6, udp4 or udp6: with plain "tcp", Go binds 0.0.0.0 as a
	// dual-stack [::] socket.
	network := proto + "6"
	if netip.MustParseAddr(host).Is4() {
		network = proto + "4"
	}
	if proto == "tcp" {
		l, err := lc.Listen(context.Background(), network, addr)
		if err != nil {
			t.Fatalf("listen %s: %v", b, err)
		}
		t.Cleanup(func() { l.Close() })
		go func() {
			for {
				c, err := l.Accept()
				if err != nil {
					return
				}
				c.Close()
			}
		}()
		return
	}
	pc, err := lc.ListenPacket(context.Background(), network, addr)
	if err != nil {
		t.Fatalf("listen %s: %v", b, err)
	}
	t.Cleanup(func() { pc.Close() })
	go func() {
		buf := make([]byte, 64)
		for {
			if _, _, err := pc.ReadFrom(buf); err != nil {
				return
			}
			received <- struct{}{}
		}
	}()
}

// connect is what a real client on this host gets: TCP by dialling; UDP by
// sending on a connected socket until either a listener of the test gets
// the datagram or the ICMP port unreachable comes back, which the kernel
// reports as ECONNREFUSED. (A reply would not do: a socket bound to a
// wildcard answers from the address the route picks, which a client
// connected to 127.0.0.2 drops.)
func connect(t *testing.T, proto inspect.Protocol, to netip.AddrPort, received <-chan struct{}) match.Verdict {
	t.Helper()
	if proto == inspect.TCP {
		c, err := net.DialTimeout("tcp", to.String(), 3*time.Second)
		if err == nil {
			c.Close()
			return match.VerdictAccept
		}
		if errors.Is(err, syscall.ECONNREFUSED) {
			return match.VerdictRefuse
		}
		t.Fatalf("dial %s: %v", to, err)
	}
	c, err := net.Dial("udp", to.String())
	if err != nil {
		t.Fatalf("dial udp %s: %v", to, err)
	}
	defer c.Close()
	buf := make([]byte, 64)
	for try := 0; try < 5; try++ {
		if _, err := c.Write([]byte("whyrefused")); err != nil {
			if errors.Is(err, syscall.ECONNREFUSED) {
				return match.VerdictRefuse
			}
			t.Fatalf("send udp %s: %v", to, err)
		}
		c.SetReadDeadline(time.Now().Add(300 * time.Millisecond))
		_, err := c.Read(buf)
		switch {
		case errors.Is(err, syscall.ECONNREFUSED):
			return match.VerdictRefuse
		case err != nil && !isTimeout(err):
			t.Fatalf("receive udp %s: %v", to, err)
		}
		select {
		case <-received:
			return match.VerdictAccept
		default:
		}
	}
	t.Fatalf("udp %s: the datagram was neither received nor refused", to)
	return ""
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}
