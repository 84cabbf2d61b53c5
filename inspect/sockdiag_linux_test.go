package inspect

import (
	"context"
	"fmt"
	"net"
	"slices"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

// TestFallbackWhenRefused: when the kernel refuses sock_diag, the snapshot
// comes from gopsutil, finds the listener all the same, and says so.
func TestFallbackWhenRefused(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	refused := func(Filter) ([]Socket, error) {
		return nil, fmt.Errorf("opening a NETLINK_SOCK_DIAG socket: %w", unix.EPROTONOSUPPORT)
	}
	f := Listeners()
	f.Ports = []uint16{uint16(l.Addr().(*net.TCPAddr).Port)}
	snap, err := SockDiag{dump: refused}.Snapshot(context.Background(), f)
	if err != nil {
		t.Fatal(err)
	}
	if snap.Backend != "gopsutil" || len(snap.Sockets) != 1 {
		t.Errorf("backend %q, %d sockets; want gopsutil's snapshot with the listener", snap.Backend, len(snap.Sockets))
	}
	if len(snap.Warnings) == 0 || !strings.Contains(snap.Warnings[len(snap.Warnings)-1], "fell back to gopsutil") ||
		!strings.Contains(snap.Warnings[len(snap.Warnings)-1], "protocol not supported") {
		t.Errorf("warnings %q: want one that says why and that gopsutil was used", snap.Warnings)
	}
}

// TestPortFilterInKernel: with ports given, the kernel itself sends only
// the sockets on those ports (the bytecode works), for TCP and UDP.
func TestPortFilterInKernel(t *testing.T) {
	var ports []uint16
	for range 3 {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer l.Close()
		ports = append(ports, uint16(l.Addr().(*net.TCPAddr).Port))
	}
	u, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer u.Close()
	udpPort := uint16(u.LocalAddr().(*net.UDPAddr).Port)
	f := Listeners()
	f.Ports = []uint16{ports[0], ports[2], udpPort}
	var got []uint16
	err = dumpRaw(f, func(int) {}, func(p Protocol, m *diagMsg) int {
		got = append(got, m.sport)
		return 0
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range got {
		if !slices.Contains(f.Ports, p) {
			t.Errorf("the kernel sent a socket on port %d, outside %v", p, f.Ports)
		}
	}
	for _, p := range f.Ports {
		if !slices.Contains(got, p) {
			t.Errorf("port %d: not sent (got %v)", p, got)
		}
	}
}
