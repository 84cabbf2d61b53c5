// listeners_linux_test.go holds the Linux tests on real sockets: SO_REUSEPORT
// rows, accept queues, both backends agreeing, link-local zones.

package inspect_test

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"slices"
	"syscall"
	"testing"

	"github.com/whyrefused/whyrefused/inspect"
	"github.com/whyrefused/whyrefused/internal/testnet"
	"github.com/whyrefused/whyrefused/internal/testtool"
)

// reusePort is a net.ListenConfig that sets SO_REUSEPORT.
var reusePort = net.ListenConfig{Control: func(_, _ string, c syscall.RawConn) error {
	var serr error
	err := c.Control(func(fd uintptr) {
		serr = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, 0xf /* SO_REUSEPORT */, 1)
	})
	if err != nil {
		return err
	}
	return serr
}}

// TestReusePortListenersAreRows: two listeners on one address with
// SO_REUSEPORT are two sockets, each its own row with its own inode.
func TestReusePortListenersAreRows(t *testing.T) {
	ctx := context.Background()
	l1, err := reusePort.Listen(ctx, "tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l1.Close()
	l2, err := reusePort.Listen(ctx, "tcp", l1.Addr().String())
	if err != nil {
		t.Fatalf("second SO_REUSEPORT listener on %s: %v", l1.Addr(), err)
	}
	defer l2.Close()
	port := uint16(l1.Addr().(*net.TCPAddr).Port)
	f := inspect.Listeners()
	f.Ports = []uint16{port}
	snap, err := inspect.SockDiag{}.Snapshot(ctx, f)
	if err != nil {
		t.Fatal(err)
	}
	if snap.Backend != "sockdiag" {
		t.Fatalf("backend %q, warnings %q", snap.Backend, snap.Warnings)
	}
	if len(snap.Sockets) != 2 {
		t.Fatalf("%d sockets on port %d, want 2: %+v", len(snap.Sockets), port, snap.Sockets)
	}
	a, b := snap.Sockets[0], snap.Sockets[1]
	if a.Inode == 0 || b.Inode == 0 || a.Inode == b.Inode {
		t.Errorf("inodes %d and %d: want two different ones", a.Inode, b.Inode)
	}
	for _, s := range snap.Sockets {
		if s.Local != l1.Addr().(*net.TCPAddr).AddrPort() || len(s.Owners) != 1 || s.Owners[0].PID != int32(os.Getpid()) {
			t.Errorf("socket %+v: want %s owned by this process", s, l1.Addr())
		}
		if s.AcceptQueue == nil || *s.AcceptQueue != 0 || s.Backlog == nil || *s.Backlog == 0 {
			t.Errorf("socket %s: accept queue %v, backlog %v; want 0 of some", s.Local, s.AcceptQueue, s.Backlog)
		}
		if s.UID == nil || *s.UID != uint32(os.Geteuid()) {
			t.Errorf("socket %s: uid %v, want %d", s.Local, s.UID, os.Geteuid())
		}
	}
}

// TestAcceptQueue: connections that wait to be accepted are counted.
func TestAcceptQueue(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	for range 2 {
		c, err := net.Dial("tcp", l.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
	}
	f := inspect.Listeners()
	f.Ports = []uint16{uint16(l.Addr().(*net.TCPAddr).Port)}
	snap, err := inspect.SockDiag{}.Snapshot(context.Background(), f)
	if err != nil {
		t.Fatal(err)
	}
	if len(snap.Sockets) != 1 || snap.Sockets[0].AcceptQueue == nil || *snap.Sockets[0].AcceptQueue != 2 {
		t.Fatalf("sockets %+v: want one listener with 2 connections waiting", snap.Sockets)
	}
}

// TestBackendsAgree runs both backends, in a network namespace that holds
// only this test's sockets, and finds the same listeners in both; where
// gopsutil names an owner, sock_diag names it too, and sock_diag also
// names a child process that inherited a listener.
func TestBackendsAgree(t *testing.T) {
	sleep := testtool.Need(t, "sleep", "coreutils")
	if !testnet.InNetns(t) {
		return
	}
	for _, addr := range []string{"127.0.0.1:0", "127.0.0.2:0", "[::1]:0", "0.0.0.0:0", "[::]:0"} {
		listenOn(t, inspect.TCP, addr)
	}
	listenOn(t, inspect.UDP, "127.0.0.1:0")
	listenOn(t, inspect.UDP, "[::1]:0")
	shared, err := net.Listen("tcp", "127.0.0.3:0")
	if err != nil {
		t.Fatal(err)
	}
	defer shared.Close()
	f, err := shared.(*net.TCPListener).File()
	if err != nil {
		t.Fatal(err)
	}
	child := exec.Command(sleep, "60")
	child.ExtraFiles = []*os.File{f}
	if err := child.Start(); err != nil {
		t.Fatalf("starting sleep to hold an inherited socket: %v", err)
	}
	f.Close()
	defer func() { child.Process.Kill(); child.Wait() }()

	key := func(s inspect.Socket) string {
		return fmt.Sprintf("%s%d %s %s", s.Protocol, s.Family, s.Local, s.State)
	}
	ctx := context.Background()
	sd, err := inspect.SockDiag{}.Snapshot(ctx, inspect.Listeners())
	if err != nil || sd.Backend != "sockdiag" {
		t.Fatalf("sockdiag: %v, backend %v", err, sd)
	}
	gp, err := inspect.Gopsutil{}.Snapshot(ctx, inspect.Listeners())
	if err != nil {
		t.Fatal(err)
	}
	bySD := map[string]inspect.Socket{}
	for _, s := range sd.Sockets {
		bySD[key(s)] = s
	}
	var gpKeys []string
	for _, s := range gp.Sockets {
		k := key(s)
		gpKeys = append(gpKeys, k)
		d, ok := bySD[k]
		if !ok {
			t.Errorf("gopsutil found %s, sockdiag did not", k)
			continue
		}
		for _, o := range s.Owners {
			if !slices.ContainsFunc(d.Owners, func(x inspect.Owner) bool { return x.PID == o.PID && x.Name == o.Name }) {
				t.Errorf("%s: gopsutil's owner %d %s missing from sockdiag's %+v", k, o.PID, o.Name, d.Owners)
			}
		}
	}
	for k := range bySD {
		if !slices.Contains(gpKeys, k) {
			t.Errorf("sockdiag found %s, gopsutil did not", k)
		}
	}
	if len(sd.Sockets) != 8 || len(gp.Sockets) != 8 {
		t.Errorf("sockdiag found %d, gopsutil %d listeners; want the 8 this test opened", len(sd.Sockets), len(gp.Sockets))
	}
	// The inherited listener: both this process and the child hold it.
	s, ok := bySD[fmt.Sprintf("tcp4 %s LISTEN", shared.Addr())]
	if !ok {
		t.Fatalf("shared listener %s not found", shared.Addr())
	}
	var pids []int32
	for _, o := range s.Owners {
		pids = append(pids, o.PID)
	}
	want := []int32{int32(os.Getpid()), int32(child.Process.Pid)}
	slices.Sort(want)
	if !slices.Equal(pids, want) {
		t.Errorf("shared listener owners %v, want this process and the child %v", pids, want)
	}
}

// TestLinkLocalZoneNamed listens on a link-local address of a veth
// interface, in a network namespace of this test's own: the listener's
// address carries the interface's name, as ss prints it, not its index.
func TestLinkLocalZoneNamed(t *testing.T) {
	ip := testtool.Need(t, "ip", "iproute2")
	if !testnet.InNetns(t) {
		return
	}
	for _, args := range [][]string{
		{"link", "add", "wrveth0", "type", "veth", "peer", "name", "wrveth1"},
		{"link", "set", "wrveth0", "up"},
		{"link", "set", "wrveth1", "up"},
		{"addr", "add", "fe80::77/64", "dev", "wrveth0", "nodad"},
	} {
		if out, err := exec.Command(ip, args...).CombinedOutput(); err != nil {
			t.Fatalf("ip %v (in this test's own namespace): %v\n%s", args, err, out)
		}
	}
	ln, err := net.Listen("tcp6", "[fe80::77%wrveth0]:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	port := uint16(ln.Addr().(*net.TCPAddr).Port)
	f := inspect.Listeners()
	f.Ports = []uint16{port}
	snap, err := inspect.SockDiag{}.Snapshot(context.Background(), f)
	if err != nil {
		t.Fatal(err)
	}
	if len(snap.Sockets) != 1 || snap.Sockets[0].Local.String() != fmt.Sprintf("[fe80::77%%wrveth0]:%d", port) {
		t.Errorf("sockets %v, want the listener on [fe80::77%%wrveth0]:%d", snap.Sockets, port)
	}
}
