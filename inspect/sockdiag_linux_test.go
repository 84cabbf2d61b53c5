// sockdiag_linux_test.go holds the sock_diag backend's tests on the real
// kernel: fallback, port filter, PID namespaces.

package inspect

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"os"
	"path/filepath"
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
	// The rules are read apart from the sockets: a fallback that asked for
	// them has them (or says why not), never a silent "no firewall".
	f.WithRules = true
	snap, err = SockDiag{dump: refused}.Snapshot(context.Background(), f)
	if err != nil {
		t.Fatal(err)
	}
	if snap.Rules == nil || snap.Netstat == nil && snap.Rules.Complete {
		t.Errorf("fallback with WithRules: rules %+v, netstat %+v: want the rules read", snap.Rules, snap.Netstat)
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
	fd, err := openDiag()
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(fd)
	err = dumpRaw(fd, nil, f, func(int) {}, func(p Protocol, m *diagMsg) int {
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

// TestOwnersOutsidePIDNamespace: in a PID namespace of its own (a
// container), a socket whose owner is not found may be held by a process
// outside it: its owners are hidden, not absent.
func TestOwnersOutsidePIDNamespace(t *testing.T) {
	for _, c := range []struct {
		ns, initNS string // this process's namespace, and /proc's init's ("": unreadable)
		outside    bool
	}{
		{"pid:[4026532177]", "", true},
		{"pid:[4026532177]", "pid:[4026532177]", true},
		{initPIDNamespace, "", false},
		// A container whose /proc is the host's: every process is there.
		{"pid:[4026532177]", initPIDNamespace, false},
	} {
		root := makeProc(t, []fakeProc{{pid: 7, ppid: 1, fds: []string{"socket:[100]"}}})
		for dir, link := range map[string]string{"self": c.ns, "1": c.initNS} {
			if link == "" {
				continue
			}
			if err := os.MkdirAll(filepath.Join(root, dir, "ns"), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink(link, filepath.Join(root, dir, "ns", "pid")); err != nil {
				t.Fatal(err)
			}
		}
		dump := func(Filter) ([]Socket, error) {
			return []Socket{{Protocol: TCP, Family: 4, Local: netip.MustParseAddrPort("127.0.0.1:8080"), State: StateListen, Inode: 999}}, nil
		}
		snap, err := SockDiag{ProcRoot: root, dump: dump}.Snapshot(context.Background(), Listeners())
		if err != nil {
			t.Fatal(err)
		}
		if snap.OwnersOutside != c.outside {
			t.Errorf("%s: OwnersOutside %v, want %v", c.ns, snap.OwnersOutside, c.outside)
		}
		if s := snap.Sockets[0]; c.outside && !s.OwnersHidden {
			t.Errorf("%s: a socket with no owner found is not hidden: %+v", c.ns, s)
		} else if !c.outside && snap.Privileged && s.OwnersHidden {
			t.Errorf("%s: as root, in the host's namespace, a socket with no owner is hidden: %+v", c.ns, s)
		}
	}
}
