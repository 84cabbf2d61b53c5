// connect_test.go holds the tests of real connects: open, closed, concurrent.

package probe

import (
	"context"
	"net"
	"net/netip"
	"runtime"
	"testing"
	"time"

	"github.com/whyrefused/whyrefused/inspect"
)

// realConfig connects for real, with the given timeout.
func realConfig(timeout time.Duration) *Config {
	return &Config{Timeout: timeout, Dialer: &net.Dialer{}, Now: time.Now, GOOS: "linux", ReadFile: func(string) ([]byte, error) { return nil, nil }}
}

// closedPort returns a loopback port that nothing listens on: it was just
// bound and released.
func closedPort(t *testing.T, network string) netip.AddrPort {
	t.Helper()
	var ap netip.AddrPort
	if network == "udp" {
		c, err := net.ListenPacket("udp4", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		ap = c.LocalAddr().(*net.UDPAddr).AddrPort()
		c.Close()
	} else {
		ln, err := net.Listen("tcp4", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		ap = ln.Addr().(*net.TCPAddr).AddrPort()
		ln.Close()
	}
	return ap
}

func one(t *testing.T, proto inspect.Protocol, ap netip.AddrPort, timeout time.Duration) Attempt {
	t.Helper()
	got := Connect(context.Background(), proto, []netip.AddrPort{ap}, realConfig(timeout))
	if len(got) != 1 {
		t.Fatalf("%d attempts for one address", len(got))
	}
	a := got[0]
	t.Logf("%s %s: %s %s in %s (%v)", proto, ap, a.Outcome, a.ErrorCode(), a.Elapsed, a.Err)
	if a.Address != ap || a.Protocol != proto || !a.Local {
		t.Errorf("attempt %+v does not describe %s %s on this host", a, proto, ap)
	}
	return a
}

func TestTCPOpenPortAccepts(t *testing.T) {
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	a := one(t, inspect.TCP, ln.Addr().(*net.TCPAddr).AddrPort(), DefaultTimeout)
	if a.Outcome != Accepted || a.Err != nil {
		t.Errorf("open port: %s %v, want accepted", a.Outcome, a.Err)
	}
}

func TestTCPClosedPortRefuses(t *testing.T) {
	a := one(t, inspect.TCP, closedPort(t, "tcp"), DefaultTimeout)
	if a.Outcome != Refused {
		t.Fatalf("closed port: %s (%v), want refused", a.Outcome, a.Err)
	}
	if want := map[string]string{"windows": "WSAECONNREFUSED"}[runtime.GOOS]; want != "" && a.Errno.Name != want {
		t.Errorf("error %s, want %s", a.Errno.Name, want)
	} else if want == "" && a.Errno.Name != "ECONNREFUSED" {
		t.Errorf("error %s, want ECONNREFUSED", a.Errno.Name)
	}
	if a.Elapsed >= DefaultTimeout {
		t.Errorf("a refusal took the whole timeout: %s", a.Elapsed)
	}
}

// TestConnectIsConcurrent: several addresses are tried at once and come
// back in order.
func TestConnectIsConcurrent(t *testing.T) {
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	open := ln.Addr().(*net.TCPAddr).AddrPort()
	closed := closedPort(t, "tcp")
	got := Connect(context.Background(), inspect.TCP, []netip.AddrPort{closed, open, closed}, realConfig(DefaultTimeout))
	want := []Outcome{Refused, Accepted, Refused}
	for i := range want {
		if got[i].Outcome != want[i] {
			t.Errorf("attempt %d (%s): %s, want %s", i, got[i].Address, got[i].Outcome, want[i])
		}
	}
}

func TestUDPClosedPortRefuses(t *testing.T) {
	skipUDPUnderWine(t)
	a := one(t, inspect.UDP, closedPort(t, "udp"), DefaultTimeout)
	if a.Outcome != Refused {
		t.Fatalf("closed UDP port: %s (%v), want refused", a.Outcome, a.Err)
	}
}

func TestUDPAnsweringSocketAccepts(t *testing.T) {
	skipUDPUnderWine(t)
	pc, err := net.ListenPacket("udp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer pc.Close()
	go func() { // answer every datagram, until closed
		buf := make([]byte, 1500)
		for {
			n, from, err := pc.ReadFrom(buf)
			if err != nil {
				return
			}
			pc.WriteTo(append([]byte("echo:"), buf[:n]...), from)
		}
	}()
	a := one(t, inspect.UDP, pc.LocalAddr().(*net.UDPAddr).AddrPort(), DefaultTimeout)
	if a.Outcome != Accepted {
		t.Errorf("answering UDP socket: %s (%v), want accepted", a.Outcome, a.Err)
	}
}
