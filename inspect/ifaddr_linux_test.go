// ifaddr_linux_test.go tests the one-dump address reading against
// net.InterfaceAddrs (HostAddrs), here and in a namespace with a veth, a
// point-to-point and several addresses of both families.

package inspect

import (
	"os"
	"os/exec"
	"slices"
	"testing"
)

func TestAddrsHereIsHostAddrs(t *testing.T) {
	check := func(where string) {
		t.Helper()
		want, err := HostAddrs()
		if err != nil {
			t.Fatal(err)
		}
		got, err := addrsHere()
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s: addrsHere %v, HostAddrs %v", where, got, want)
		}
	}
	check("this namespace")
	if os.Geteuid() != 0 {
		t.Skip("needs root for a namespace of its own")
	}
	name := newTestNetns(t, 1)[0]
	for _, args := range [][]string{
		{"link", "add", "wra0", "type", "veth", "peer", "name", "wra1"},
		{"addr", "add", "198.18.120.1/24", "dev", "wra1"},
		{"addr", "add", "198.18.120.9/24", "dev", "wra0"},
		{"addr", "add", "fd18::120:1/64", "dev", "wra0", "nodad"},
		{"addr", "add", "198.18.121.1", "peer", "198.18.121.2", "dev", "wra0"},
		{"link", "set", "wra0", "up"},
	} {
		if out, err := exec.Command("ip", append([]string{"-n", name}, args...)...).CombinedOutput(); err != nil {
			t.Fatalf("ip %v: %v: %s", args, err, out)
		}
	}
	if err := inNetns("/run/netns/"+name, func() error { check("namespace " + name); return nil }); err != nil {
		t.Fatal(err)
	}
}
