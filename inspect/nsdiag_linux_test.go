// nsdiag_linux_test.go holds the tests of reading other network
// namespaces: namespaces made by the test with ip netns, each with a
// listener opened inside it, found and named by a snapshot of them all.

package inspect

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/whyrefused/whyrefused/internal/testtool"
)

// newTestNetns makes n network namespaces with unique names (lo up) and
// deletes them when the test ends.
func newTestNetns(t *testing.T, n int) []string {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("needs root to make network namespaces")
	}
	testtool.Need(t, "ip", "iproute2")
	b := make([]byte, 4)
	rand.Read(b)
	var names []string
	for i := range n {
		name := "wr-ins-" + hex.EncodeToString(b) + "-" + string(rune('a'+i))
		if out, err := exec.Command("ip", "netns", "add", name).CombinedOutput(); err != nil {
			t.Fatalf("as root, ip netns add %s fails: %v\n%s", name, err, out)
		}
		t.Cleanup(func() {
			if out, err := exec.Command("ip", "netns", "del", name).CombinedOutput(); err != nil {
				t.Errorf("ip netns del %s: %v\n%s", name, err, out)
			}
		})
		if out, err := exec.Command("ip", "-n", name, "link", "set", "lo", "up").CombinedOutput(); err != nil {
			t.Fatalf("lo up in %s: %v\n%s", name, err, out)
		}
		names = append(names, name)
	}
	return names
}

// listenIn opens a TCP listener on addr inside the namespace name.
func listenIn(t *testing.T, name, addr string) net.Listener {
	t.Helper()
	var l net.Listener
	err := inNetns("/run/netns/"+name, func() error {
		var err error
		l, err = net.Listen("tcp", addr)
		return err
	})
	if err != nil {
		t.Fatalf("listening on %s in %s: %v", addr, name, err)
	}
	t.Cleanup(func() { l.Close() })
	return l
}

func TestSnapshotAllNetns(t *testing.T) {
	names := newTestNetns(t, 3)
	// The same port in every namespace: each is its own socket.
	for _, n := range names {
		listenIn(t, n, "127.0.0.1:4711")
	}
	f := Listeners()
	f.Ports = []uint16{4711}
	f.AllNetns = true
	snap, err := SockDiag{}.Snapshot(context.Background(), f)
	if err != nil {
		t.Fatal(err)
	}
	found := map[string]bool{}
	for _, s := range snap.Sockets {
		if s.Netns == nil {
			t.Fatalf("a socket without its namespace: %+v", s)
		}
		if strings.HasPrefix(s.Netns.Name, "wr-ins-") {
			found[s.Netns.Name] = true
			if len(s.Owners) == 0 || s.Owners[0].PID != int32(os.Getpid()) {
				t.Errorf("the listener in %s has owners %+v, want this test process", s.Netns.Name, s.Owners)
			}
		}
	}
	for _, n := range names {
		if !found[n] {
			t.Errorf("no listener found in %s; warnings %q", n, snap.Warnings)
		}
	}

	// --netns NAME: that namespace only, as if run inside it.
	f.AllNetns, f.Netns = false, names[1]
	one, err := SockDiag{}.Snapshot(context.Background(), f)
	if err != nil {
		t.Fatal(err)
	}
	if len(one.Sockets) != 1 || one.Sockets[0].Netns.Name != names[1] {
		t.Errorf("--netns %s gave %+v", names[1], one.Sockets)
	}
	if len(one.HostAddrs) != 2 { // 127.0.0.1 and ::1 on lo
		t.Errorf("the namespace's addresses are %v, want lo's only", one.HostAddrs)
	}

	f.Netns = "wr-no-such-namespace"
	if _, err := (SockDiag{}).Snapshot(context.Background(), f); err == nil || !strings.Contains(err.Error(), "no such network namespace") {
		t.Errorf("an unknown namespace gave %v", err)
	}
}
