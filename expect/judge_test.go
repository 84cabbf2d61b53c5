// judge_test.go tests Judge on reports that match.Explain makes of fixed
// snapshots: every expectation, and the cases that must stay unsure.

package expect

import (
	"context"
	"net/netip"
	"strings"
	"testing"

	"github.com/whyrefused/whyrefused/inspect"
	"github.com/whyrefused/whyrefused/match"
	"github.com/whyrefused/whyrefused/target"
)

// listener is a TCP listener on addr held by name (of user name), or with
// hidden owners when name is "".
func listener(addr, name string) inspect.Socket {
	ap := netip.MustParseAddrPort(addr)
	s := inspect.Socket{Protocol: inspect.TCP, Family: 4, Local: ap, State: inspect.StateListen}
	if ap.Addr().Is6() {
		s.Family = 6
		v6only := false
		s.IPv6Only = &v6only
	}
	if name == "" {
		s.OwnersHidden, s.User = true, "root"
	} else {
		s.Owners = []inspect.Owner{{PID: 42, Name: name, User: name + "-user"}}
	}
	return s
}

// judgeLine parses one line and judges it against the sockets, on a host
// with 127.0.0.1, ::1 and 198.18.0.1; "db" resolves to 198.18.0.1 and
// "far" to an address that is not the host's.
func judgeLine(t *testing.T, line string, socks ...inspect.Socket) Result {
	t.Helper()
	lines, err := Parse(strings.NewReader(line), inspect.TCP, nil)
	if err != nil || len(lines) != 1 {
		t.Fatalf("%q: %v", line, err)
	}
	snap := &inspect.Snapshot{Sockets: socks, HostAddrs: []netip.Addr{
		netip.MustParseAddr("127.0.0.1"), netip.MustParseAddr("::1"), netip.MustParseAddr("198.18.0.1")}}
	r := target.StaticResolver{
		"db":        {netip.MustParseAddr("198.18.0.1")},
		"far":       {netip.MustParseAddr("198.19.0.7")},
		"localhost": {netip.MustParseAddr("127.0.0.1"), netip.MustParseAddr("::1")},
	}
	return Judge(lines[0], match.Explain(context.Background(), lines[0].Target, snap, r))
}

func TestJudge(t *testing.T) {
	any4 := listener("0.0.0.0:80", "nginx")
	lo := listener("127.0.0.1:6379", "redis-server")
	hid := listener("0.0.0.0:22", "")
	for _, c := range []struct {
		line   string
		socks  []inspect.Socket
		want   Status
		reason string
	}{
		{"db:80", []inspect.Socket{any4}, OK, "accepted: 198.18.0.1 by nginx (pid 42) of user nginx-user"},
		{"db:81", []inspect.Socket{any4}, Fail, "refused: nothing listens"},
		{"db:80 refuse", []inspect.Socket{any4}, Fail, "accepted: 198.18.0.1 by nginx"},
		{"db:6379 refuse", []inspect.Socket{lo}, OK, "refused: "},
		{"db:6379 refuse", []inspect.Socket{lo}, OK, "(loopback-only)"},
		{"127.0.0.1:6379 refuse", []inspect.Socket{lo}, Fail, "accepted: 127.0.0.1 by redis-server"},
		{"db:6379 refuse from 198.18.0.9", []inspect.Socket{lo}, OK, "refused for every client"},
		{"db:80 from 198.18.0.9", []inspect.Socket{any4}, Unsure, "not judged"},
		{"db:81 from 198.18.0.9", []inspect.Socket{any4}, Fail, "refused"},
		{"db:80 refuse from 198.18.0.9", []inspect.Socket{any4}, Fail, "accepted"},
		{"db:80 process nginx", []inspect.Socket{any4}, OK, "accepted"},
		{"db:80 process apache2", []inspect.Socket{any4}, Fail, "0.0.0.0:80 is held by nginx (pid 42) of user nginx-user, not process apache2"},
		{"db:80 user nginx-user", []inspect.Socket{any4}, OK, "accepted"},
		{"db:80 user root", []inspect.Socket{any4}, Fail, "not user root"},
		{"db:80 process nginx user root", []inspect.Socket{any4}, Fail, "not user root"},
		{"db:22 process sshd", []inspect.Socket{hid}, Unsure, "cannot tell the process: the owner of 0.0.0.0:22 cannot be seen"},
		{"db:22 user root", []inspect.Socket{hid}, Unsure, "cannot tell the user"},
		{"db:22", []inspect.Socket{hid}, OK, "accepted: 198.18.0.1 by a process of user root"},
		{"far:80", []inspect.Socket{any4}, Unsure, "cannot tell: "},
		{"far:80 refuse", []inspect.Socket{any4}, Unsure, "(not-local)"},
		{"localhost:6379", []inspect.Socket{lo}, Fail, "partly refused"},
		// [::]:80 with IPV6_V6ONLY off takes IPv4 too: a dual-stack listener.
		{"db:80 process nginx", []inspect.Socket{listener("[::]:80", "nginx")}, OK, "accepted"},
		{"[::1]:80", []inspect.Socket{any4}, Fail, "(ipv4-only)"},
	} {
		got := judgeLine(t, c.line, c.socks...)
		if got.Status != c.want || !strings.Contains(got.Reason, c.reason) {
			t.Errorf("%q: got %s %q, want %s with %q", c.line, got.Status, got.Reason, c.want, c.reason)
		}
	}
}

// TestJudgeNeedsEveryServingSocket: a process NAME holds only when every
// socket that accepts the target is NAME's.
func TestJudgeNeedsEveryServingSocket(t *testing.T) {
	got := judgeLine(t, "localhost:80 process nginx", listener("127.0.0.1:80", "nginx"), listener("[::1]:80", "python3"))
	if got.Status != Fail || !strings.Contains(got.Reason, "[::1]:80 is held by python3") {
		t.Fatalf("got %s %q", got.Status, got.Reason)
	}
}

func TestProcessNamesOfWindows(t *testing.T) {
	for _, c := range []struct {
		name, want string
		ok         bool
	}{
		{"nginx", "nginx", true},
		{"nginx", "Nginx", false},
		{"nginx.exe", "nginx", true},
		{"Nginx.EXE", "nginx.exe", true},
		{"nginx.exe", "NGINX", true},
		{"nginx", "nginx.exe", false},
		{"", "", false},
	} {
		if got := processIs(inspect.Owner{Name: c.name}, c.want); got != c.ok {
			t.Errorf("process %q is %q: got %v", c.name, c.want, got)
		}
	}
}
