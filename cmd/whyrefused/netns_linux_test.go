// netns_linux_test.go holds the check of a listener seen from another network
// namespace.

package main

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/whyrefused/whyrefused/internal/testtool"
)

// netnsPair is two named network namespaces joined by a veth pair: the
// server's end 198.18.0.1/24, the client's 198.18.0.2/24 (TEST-NET
// addresses, only inside these namespaces).
type netnsPair struct {
	server, client string
}

const (
	serverAddr = "198.18.0.1"
	clientAddr = "198.18.0.2"
)

// newNetnsPair makes the pair with unique names and deletes it (and with
// it the veth pair) when the test ends, pass or fail.
func newNetnsPair(t *testing.T) netnsPair {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("needs root to create network namespaces")
	}
	testtool.Need(t, "ip", "iproute2")
	b := make([]byte, 4)
	rand.Read(b)
	id := hex.EncodeToString(b)
	p := netnsPair{server: "wr-srv-" + id, client: "wr-cli-" + id}
	ipCmd := func(args ...string) {
		t.Helper()
		if out, err := exec.Command("ip", args...).CombinedOutput(); err != nil {
			t.Fatalf("ip %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	for _, ns := range []string{p.server, p.client} {
		if out, err := exec.Command("ip", "netns", "add", ns).CombinedOutput(); err != nil {
			t.Fatalf("as root, ip netns add %s fails: %v: %s", ns, err, out)
		}
		t.Cleanup(func() {
			if out, err := exec.Command("ip", "netns", "del", ns).CombinedOutput(); err != nil {
				t.Errorf("deleting network namespace %s: %v\n%s", ns, err, out)
			}
		})
	}
	// Both ends are made inside the namespaces: nothing touches the host's.
	ipCmd("link", "add", "wrs"+id, "netns", p.server, "type", "veth", "peer", "name", "wrc"+id, "netns", p.client)
	for _, end := range []struct{ ns, dev, addr string }{{p.server, "wrs" + id, serverAddr}, {p.client, "wrc" + id, clientAddr}} {
		ipCmd("-n", end.ns, "addr", "add", end.addr+"/24", "dev", end.dev)
		ipCmd("-n", end.ns, "link", "set", end.dev, "up")
		ipCmd("-n", end.ns, "link", "set", "lo", "up")
	}
	return p
}

// inNetns runs fn on a thread that has entered the named namespace:
// sockets fn creates belong to it, and stay there.
func inNetns(t *testing.T, name string, fn func()) {
	t.Helper()
	errc := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		orig, err := os.Open("/proc/thread-self/ns/net")
		if err != nil {
			errc <- err
			return
		}
		defer orig.Close()
		target, err := os.Open("/var/run/netns/" + name)
		if err != nil {
			errc <- err
			return
		}
		defer target.Close()
		if err := unix.Setns(int(target.Fd()), unix.CLONE_NEWNET); err != nil {
			errc <- fmt.Errorf("entering %s: %w", name, err)
			return
		}
		fn()
		if err := unix.Setns(int(orig.Fd()), unix.CLONE_NEWNET); err != nil {
			// Leave the thread locked: Go ends it with the goroutine.
			errc <- fmt.Errorf("leaving %s: %w", name, err)
			return
		}
		runtime.UnlockOSThread()
		errc <- nil
	}()
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
}

// TestCheckFromAnotherNamespace: a server listens on 127.0.0.1 only; a
// client in another network namespace connects to the server's veth
// address and is refused; whyrefused check, run in the server's namespace,
// says refused with loopback-only. A listener on 0.0.0.0 next to it is
// reached, and check says so.
func TestCheckFromAnotherNamespace(t *testing.T) {
	p := newNetnsPair(t)
	bin := binary(t)
	const loopPort, anyPort = 5432, 8080
	var listeners []net.Listener
	inNetns(t, p.server, func() {
		for _, addr := range []string{fmt.Sprintf("127.0.0.1:%d", loopPort), fmt.Sprintf("0.0.0.0:%d", anyPort)} {
			l, err := net.Listen("tcp4", addr)
			if err != nil {
				t.Errorf("listen %s in %s: %v", addr, p.server, err)
				continue
			}
			listeners = append(listeners, l)
		}
	})
	t.Cleanup(func() {
		for _, l := range listeners {
			l.Close()
		}
	})
	if t.Failed() {
		t.FailNow()
	}
	for _, c := range []struct {
		port    int
		real    string
		verdict string
		code    string
		status  int
	}{
		{loopPort, "refuse", "refuse", "loopback-only", exitRefused},
		{anyPort, "accept", "accept", "listening", exitOK},
	} {
		target := net.JoinHostPort(serverAddr, strconv.Itoa(c.port))
		var dialErr error
		inNetns(t, p.client, func() {
			conn, err := net.DialTimeout("tcp", target, 3*time.Second)
			if err == nil {
				conn.Close()
			}
			dialErr = err
		})
		real := "accept"
		switch {
		case errors.Is(dialErr, syscall.ECONNREFUSED):
			real = "refuse"
		case dialErr != nil:
			t.Fatalf("dial %s from %s: %v", target, p.client, dialErr)
		}
		if real != c.real {
			t.Fatalf("a client in %s connecting to %s: %s, want %s", p.client, target, real, c.real)
		}
		cmd := exec.Command("ip", "netns", "exec", p.server, bin, "check", "--json", target)
		out, err := cmd.Output()
		status := 0
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			status = exit.ExitCode()
		} else if err != nil {
			t.Fatalf("whyrefused in %s: %v", p.server, err)
		}
		var rep struct {
			Verdict  string
			Summary  string
			Findings []struct{ Code string }
		}
		if err := json.Unmarshal(out, &rep); err != nil {
			t.Fatalf("whyrefused check %s: not JSON: %v\n%s", target, err, out)
		}
		if rep.Verdict != real || status != c.status || len(rep.Findings) == 0 || rep.Findings[0].Code != c.code {
			t.Errorf("check %s in %s: verdict %s, status %d, findings %+v; the client from %s was told %s (want code %s, status %d)\n%s",
				target, p.server, rep.Verdict, status, rep.Findings, p.client, real, c.code, c.status, out)
		}
		t.Logf("client in %s: %s; check in %s: %s: %s", p.client, real, p.server, rep.Verdict, rep.Summary)
	}
}

// listenTCPIn opens a TCP listener on addr in namespace ns that accepts
// and closes, until the test ends.
func listenTCPIn(t *testing.T, ns, addr string) {
	t.Helper()
	inNetns(t, ns, func() {
		l, err := net.Listen("tcp", addr)
		if err != nil {
			t.Fatalf("listen %s: %v", addr, err)
		}
		go func() {
			for {
				conn, err := l.Accept()
				if err != nil {
					return
				}
				conn.Close()
			}
		}()
		t.Cleanup(func() { l.Close() })
	})
}
