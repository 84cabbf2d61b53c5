// listeners_test.go holds the tests that every backend finds real loopback
// listeners with their owners.

package inspect_test

import (
	"context"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/whyrefused/whyrefused/inspect"
	"github.com/whyrefused/whyrefused/internal/testnet"
	"github.com/whyrefused/whyrefused/internal/testwine"
)

// opened is a socket that a test opened, with what inspect must report.
type opened struct {
	proto inspect.Protocol
	addr  netip.AddrPort
	close func()
}

// listenOn opens a TCP listener or a UDP socket on addr (port 0: any).
func listenOn(t *testing.T, proto inspect.Protocol, addr string) opened {
	t.Helper()
	switch proto {
	case inspect.TCP:
		l, err := net.Listen("tcp", addr)
		if err != nil {
			t.Fatalf("listen tcp %s: %v", addr, err)
		}
		t.Cleanup(func() { l.Close() })
		return opened{proto, l.Addr().(*net.TCPAddr).AddrPort(), func() { l.Close() }}
	default:
		c, err := net.ListenPacket("udp", addr)
		if err != nil {
			t.Fatalf("listen udp %s: %v", addr, err)
		}
		t.Cleanup(func() { c.Close() })
		return opened{proto, c.LocalAddr().(*net.UDPAddr).AddrPort(), func() { c.Close() }}
	}
}

// ownName is this test process's name as the OS reports it.
func ownName() string {
	name := filepath.Base(os.Args[0])
	if runtime.GOOS == "linux" && len(name) > 15 {
		name = name[:15] // the kernel's comm is 15 bytes
	}
	return name
}

// findSocket returns the listening socket of snap on o's protocol and address.
func findSocket(snap *inspect.Snapshot, o opened) (inspect.Socket, bool) {
	for _, s := range snap.Sockets {
		if s.Protocol == o.proto && s.Listening() && s.Local.Port() == o.addr.Port() &&
			s.Local.Addr().Unmap() == o.addr.Addr().Unmap() {
			return s, true
		}
	}
	return inspect.Socket{}, false
}

// checkFound asserts that every source finds each socket, and does not find
// the closed ones; then, in the subtest "owners", that each found socket has
// this process as its owner (skipped under Wine, which reports owner PID 0).
func checkFound(t *testing.T, open, closed []opened) {
	t.Helper()
	for _, src := range inspect.Available() {
		t.Run(src.Name(), func(t *testing.T) {
			snap, err := src.Snapshot(context.Background(), inspect.Listeners())
			if err != nil {
				t.Fatalf("snapshot: %v", err)
			}
			if snap.Backend != src.Name() {
				t.Fatalf("backend %q took the snapshot, want %q (warnings: %q)", snap.Backend, src.Name(), snap.Warnings)
			}
			var found []inspect.Socket
			for _, o := range open {
				s, ok := findSocket(snap, o)
				if !ok {
					t.Errorf("%s %s: not found among %d sockets", o.proto, o.addr, len(snap.Sockets))
					continue
				}
				found = append(found, s)
			}
			for _, o := range closed {
				if s, ok := findSocket(snap, o); ok {
					t.Errorf("%s %s: closed before the scan, still reported: %+v", o.proto, o.addr, s)
				}
			}
			t.Run("owners", func(t *testing.T) {
				testwine.Skip(t, testwine.OwnerPID)
				for _, s := range found {
					checkOwnSocket(t, s)
				}
			})
		})
	}
}

// checkOwnSocket asserts that s, opened by this process, has it as owner.
func checkOwnSocket(t *testing.T, s inspect.Socket) {
	t.Helper()
	i := slices.IndexFunc(s.Owners, func(ow inspect.Owner) bool { return ow.PID == int32(os.Getpid()) })
	if i < 0 {
		t.Errorf("%s %s: owners %+v lack this process (pid %d)", s.Protocol, s.Local, s.Owners, os.Getpid())
		return
	}
	if got := s.Owners[i].Name; !strings.EqualFold(strings.TrimSuffix(got, ".exe"), strings.TrimSuffix(ownName(), ".exe")) {
		t.Errorf("%s %s: owner name %q, want %q", s.Protocol, s.Local, got, ownName())
	}
	if s.OwnersHidden {
		t.Errorf("%s %s: owners marked hidden though this process owns it", s.Protocol, s.Local)
	}
}

// TestLoopbackListeners opens real TCP listeners on loopback addresses and
// finds them with their owner. It runs under Wine too (owners aside).
func TestLoopbackListeners(t *testing.T) {
	open := []opened{listenOn(t, inspect.TCP, "127.0.0.1:0")}
	if runtime.GOOS == "linux" { // 127.0.0.2 is not configured on macOS or Windows
		open = append(open, listenOn(t, inspect.TCP, "127.0.0.2:0"))
	}
	if ln, err := net.Listen("tcp6", "[::1]:0"); err == nil {
		ln.Close()
		open = append(open, listenOn(t, inspect.TCP, "[::1]:0"))
	} else {
		t.Logf("no IPv6 loopback here (%v): [::1] not tested", err)
	}
	gone := listenOn(t, inspect.TCP, "127.0.0.1:0")
	gone.close()
	checkFound(t, open, []opened{gone})
}

// TestLoopbackUDP opens a real UDP socket on loopback and finds it with its
// owner.
func TestLoopbackUDP(t *testing.T) {
	testwine.Skip(t, testwine.UDP)
	udp := listenOn(t, inspect.UDP, "127.0.0.1:0")
	gone := listenOn(t, inspect.UDP, "127.0.0.1:0")
	gone.close()
	checkFound(t, []opened{udp}, []opened{gone})
}

// TestWildcardListeners binds 0.0.0.0 and [::], inside a network namespace
// of the test's own so that nothing outside can reach them.
func TestWildcardListeners(t *testing.T) {
	if !testnet.InNetns(t) {
		return
	}
	dual := listenOn(t, inspect.TCP, "[::]:0") // Go clears IPV6_V6ONLY for "tcp"
	only := listenOnNet(t, "tcp6", "[::]:0")   // and sets it for "tcp6"
	dualUDP := listenOn(t, inspect.UDP, "[::]:0")
	onlyUDP := listenOnNet(t, "udp6", "[::]:0")
	open := []opened{listenOn(t, inspect.TCP, "0.0.0.0:0"), dual, only, dualUDP, onlyUDP}
	checkFound(t, open, nil)
	for _, src := range inspect.Available() {
		if src.Name() == "gopsutil" {
			continue // it cannot read the flag
		}
		t.Run(src.Name()+"/ipv6only", func(t *testing.T) {
			snap, err := src.Snapshot(context.Background(), inspect.Listeners())
			if err != nil {
				t.Fatalf("snapshot: %v", err)
			}
			for _, c := range []struct {
				o    opened
				want bool
			}{{dual, false}, {only, true}, {dualUDP, false}, {onlyUDP, true}} {
				s, ok := findSocket(snap, c.o)
				if !ok {
					t.Errorf("%s %s: not found", c.o.proto, c.o.addr)
					continue
				}
				if s.IPv6Only == nil || *s.IPv6Only != c.want {
					t.Errorf("%s %s: IPv6Only %v, want %v", c.o.proto, c.o.addr, s.IPv6Only, c.want)
				}
			}
		})
	}
}

// listenOnNet opens a listener (tcp*) or a UDP socket (udp*) on one
// network of Go's: "tcp6" and "udp6" set IPV6_V6ONLY.
func listenOnNet(t *testing.T, network, addr string) opened {
	t.Helper()
	if strings.HasPrefix(network, "udp") {
		c, err := net.ListenPacket(network, addr)
		if err != nil {
			t.Fatalf("listen %s %s: %v", network, addr, err)
		}
		t.Cleanup(func() { c.Close() })
		return opened{inspect.UDP, c.LocalAddr().(*net.UDPAddr).AddrPort(), func() { c.Close() }}
	}
	l, err := net.Listen(network, addr)
	if err != nil {
		t.Fatalf("listen %s %s: %v", network, addr, err)
	}
	t.Cleanup(func() { l.Close() })
	return opened{inspect.TCP, l.Addr().(*net.TCPAddr).AddrPort(), func() { l.Close() }}
}

// TestFilter checks that the filter narrows what a source returns.
func TestFilter(t *testing.T) {
	tcp := listenOn(t, inspect.TCP, "127.0.0.1:0")
	others := []opened{listenOn(t, inspect.TCP, "127.0.0.1:0")} // another port
	if !testwine.Running() {
		others = append(others, listenOn(t, inspect.UDP, "127.0.0.1:0"))
	} else {
		t.Logf("no UDP socket to filter out: %s", testwine.UDP)
	}
	for _, src := range inspect.Available() {
		t.Run(src.Name(), func(t *testing.T) {
			f := inspect.Listeners()
			f.Protocols = []inspect.Protocol{inspect.TCP}
			f.Ports = []uint16{tcp.addr.Port()}
			for _, o := range others {
				if o.proto == inspect.UDP {
					f.Ports = append(f.Ports, o.addr.Port()) // left out by protocol
				}
			}
			snap, err := src.Snapshot(context.Background(), f)
			if err != nil {
				t.Fatalf("snapshot: %v", err)
			}
			if snap.Backend != src.Name() {
				t.Fatalf("backend %q took the snapshot, want %q (warnings: %q)", snap.Backend, src.Name(), snap.Warnings)
			}
			if _, ok := findSocket(snap, tcp); !ok {
				t.Errorf("TCP listener %s missing", tcp.addr)
			}
			for _, o := range others {
				if _, ok := findSocket(snap, o); ok {
					t.Errorf("%s %s returned for a filter on TCP port %d", o.proto, o.addr, tcp.addr.Port())
				}
			}
			for _, s := range snap.Sockets {
				if s.Protocol != inspect.TCP || !slices.Contains(f.Ports, s.Local.Port()) {
					t.Errorf("socket outside the filter: %+v", s)
				}
			}
			t.Run("pid", func(t *testing.T) {
				testwine.Skip(t, testwine.OwnerPID)
				f.PID = int32(os.Getpid())
				snap, err := src.Snapshot(context.Background(), f)
				if err != nil {
					t.Fatalf("snapshot: %v", err)
				}
				if _, ok := findSocket(snap, tcp); !ok {
					t.Errorf("TCP listener %s missing with --pid %d", tcp.addr, f.PID)
				}
				f.PID = int32(os.Getpid()) + 1_000_000 // no such process
				snap, err = src.Snapshot(context.Background(), f)
				if err != nil {
					t.Fatalf("snapshot: %v", err)
				}
				if len(snap.Sockets) != 0 {
					t.Errorf("a PID that holds nothing matched %d sockets", len(snap.Sockets))
				}
			})
		})
	}
}

// TestLeftoverConnections: with AnyStatePorts (check's filter), the
// connections on the port are left out while a server listens there, and
// reported, with their owner, once it has stopped.
func TestLeftoverConnections(t *testing.T) {
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	port := ln.Addr().(*net.TCPAddr).AddrPort().Port()
	client, err := net.Dial("tcp4", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	server, err := ln.Accept()
	if err != nil {
		t.Fatal(err)
	}
	defer server.Close()
	f := inspect.Listeners()
	f.Ports, f.AnyStatePorts = []uint16{port}, []uint16{port}
	accepted := func(snap *inspect.Snapshot) (inspect.Socket, bool) {
		for _, s := range snap.Sockets {
			if s.Local.Port() == port && s.State == inspect.StateEstablished {
				return s, true
			}
		}
		return inspect.Socket{}, false
	}
	for _, src := range inspect.Available() {
		t.Run(src.Name(), func(t *testing.T) {
			snap, err := src.Snapshot(context.Background(), f)
			if err != nil {
				t.Fatal(err)
			}
			if s, ok := accepted(snap); ok {
				t.Errorf("a connection of a server still listening was returned: %+v", s)
			}
			// A port in AnyStatePorts alone: its listener is kept too.
			g := inspect.Listeners()
			g.Ports, g.AnyStatePorts = []uint16{port + 1}, []uint16{port}
			if snap, err = src.Snapshot(context.Background(), g); err != nil {
				t.Fatal(err)
			}
			if !slices.ContainsFunc(snap.Sockets, func(s inspect.Socket) bool { return s.Local.Port() == port && s.Listening() }) {
				t.Errorf("the listener on port %d, in AnyStatePorts only, is missing: %+v", port, snap.Sockets)
			}
		})
	}
	ln.Close()
	for _, src := range inspect.Available() {
		t.Run(src.Name()+"/stopped", func(t *testing.T) {
			snap, err := src.Snapshot(context.Background(), f)
			if err != nil {
				t.Fatal(err)
			}
			s, ok := accepted(snap)
			if !ok {
				t.Fatalf("the connection left on port %d is missing: %+v", port, snap.Sockets)
			}
			testwine.Skip(t, testwine.OwnerPID)
			checkOwnSocket(t, s)
		})
	}
}
