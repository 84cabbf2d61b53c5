// run_test.go tests Run end to end with fake resolvers and dialers:
// attempts, meanings and summaries.

package probe

import (
	"context"
	"net"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/whyrefused/whyrefused/inspect"
	"github.com/whyrefused/whyrefused/target"
)

// fakeDialer answers each address with a connection or an error.
type fakeDialer map[string]error

func (f fakeDialer) DialContext(_ context.Context, _, address string) (net.Conn, error) {
	err, ok := f[address]
	if !ok {
		return nil, context.DeadlineExceeded
	}
	if err != nil {
		return nil, &net.OpError{Op: "dial", Net: "tcp", Err: err}
	}
	c, s := net.Pipe()
	s.Close()
	return c, nil
}

// refusedErrno is this OS's refusal.
func refusedErrno() error {
	if runtime.GOOS == "windows" {
		return syscall.Errno(10061)
	}
	return syscall.ECONNREFUSED
}

// TestRunStaleHostsEntry: the hosts file sends clients to an address that
// refuses, while DNS's address accepts: the verdict says the entry is stale.
func TestRunStaleHostsEntry(t *testing.T) {
	r := &fakeResolver{answers: map[string][]string{"db": {"192.0.2.20"}}}
	cfg := fakeConfig(hostsText, r)
	cfg.Dialer = fakeDialer{"10.1.2.3:5432": refusedErrno(), "192.0.2.20:5432": nil}
	cfg.Now = time.Now
	cfg.Timeout = time.Second
	tgt := target.Target{Input: "db:postgresql", Protocol: inspect.TCP, Host: "db", Port: 5432, Service: "postgresql", ServiceSource: "/etc/services"}
	res, err := Run(context.Background(), tgt, 0, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Attempts) != 2 || res.Attempts[0].Outcome != Refused || res.Attempts[1].Outcome != Accepted {
		t.Fatalf("attempts %+v", res.Attempts)
	}
	for _, want := range []string{"Refused: nothing listens on port 5432 at 10.1.2.3", "/etc/services", "postgresql",
		"DNS's 192.0.2.20 accepts", "stale"} {
		if !strings.Contains(res.Summary, want) {
			t.Errorf("verdict lacks %q: %s", want, res.Summary)
		}
	}
	if !strings.Contains(res.Attempts[0].Meaning, "hosts file (line 4)") || !strings.Contains(res.Attempts[1].Meaning, "Clients do not use this address") {
		t.Errorf("meanings %q, %q", res.Attempts[0].Meaning, res.Attempts[1].Meaning)
	}
	if !res.Accepted() || len(res.LocalAddrs()) != 0 {
		t.Errorf("Accepted %v, LocalAddrs %v", res.Accepted(), res.LocalAddrs())
	}
}

// TestVerdicts: one row per kind of answer.
func TestVerdicts(t *testing.T) {
	r := &fakeResolver{answers: map[string][]string{"two": {"::1", "127.0.0.1"}, "far": {"192.0.2.1", "192.0.2.2"}}}
	cases := []struct {
		host   string
		dialer fakeDialer
		want   string
	}{
		{"two", fakeDialer{"[::1]:80": refusedErrno(), "127.0.0.1:80": nil}, "Clients try ::1 first and get refused"},
		{"two", fakeDialer{"[::1]:80": nil, "127.0.0.1:80": nil}, "Every address of two accepts"},
		{"two", fakeDialer{"[::1]:80": refusedErrno(), "127.0.0.1:80": refusedErrno()}, "nothing listens on port 80 at any of its 2 addresses"},
		{"far", fakeDialer{}, "Timed out: no answer in 1s"},
		{"nowhere", fakeDialer{}, "nowhere does not resolve"},
		{"127.0.0.1", fakeDialer{"127.0.0.1:80": nil}, "127.0.0.1 accepts on port 80."},
	}
	for _, c := range cases {
		cfg := fakeConfig("", r)
		cfg.Dialer, cfg.Now, cfg.Timeout = c.dialer, time.Now, time.Second
		res, err := Run(context.Background(), target.Target{Protocol: inspect.TCP, Host: c.host, Port: 80}, 0, cfg)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(res.Summary, c.want) {
			t.Errorf("%s %v: verdict %q lacks %q", c.host, c.dialer, res.Summary, c.want)
		}
	}
}

// TestWindowsShortTimeout: on Windows a TCP connect is given at least
// WindowsMinTCPTimeout, so that its slow refusal is not taken for a
// timeout, and the verdict says so.
func TestWindowsShortTimeout(t *testing.T) {
	for _, c := range []struct {
		goos  string
		proto inspect.Protocol
		want  time.Duration
	}{
		{"windows", inspect.TCP, WindowsMinTCPTimeout},
		{"windows", inspect.UDP, time.Second},
		{"linux", inspect.TCP, time.Second},
	} {
		cfg := fakeConfig("", &fakeResolver{})
		cfg.GOOS, cfg.Now, cfg.Timeout = c.goos, time.Now, time.Second
		var seen time.Duration
		cfg.Dialer = dialFunc(func(ctx context.Context) (net.Conn, error) {
			end, _ := ctx.Deadline()
			seen = time.Until(end).Round(time.Second)
			return nil, context.DeadlineExceeded
		})
		res, err := Run(context.Background(), target.Target{Protocol: c.proto, Host: "127.0.0.1", Port: 80}, 0, cfg)
		if err != nil {
			t.Fatal(err)
		}
		if seen != c.want || res.Timeout != c.want {
			t.Errorf("%s %s --timeout 1s: connect given %s, result says %s; want %s", c.goos, c.proto, seen, res.Timeout, c.want)
		}
		if said := strings.Contains(res.Summary, "not 1s: Windows reports a refusal only after about 2s"); said != (c.want != time.Second) {
			t.Errorf("%s %s: verdict %q", c.goos, c.proto, res.Summary)
		}
	}
}

// dialFunc is a Dialer made of a function.
type dialFunc func(ctx context.Context) (net.Conn, error)

func (f dialFunc) DialContext(ctx context.Context, _, _ string) (net.Conn, error) { return f(ctx) }

// TestCheckTarget: the check explanation is asked about the local
// addresses only.
func TestCheckTarget(t *testing.T) {
	r := &fakeResolver{answers: map[string][]string{"mixed": {"192.0.2.1", "127.0.0.1"}}}
	cfg := fakeConfig("", r)
	cfg.Dialer, cfg.Now, cfg.Timeout = fakeDialer{"127.0.0.1:80": refusedErrno()}, time.Now, time.Second
	res, err := Run(context.Background(), target.Target{Protocol: inspect.TCP, Host: "mixed", Port: 80}, 0, cfg)
	if err != nil {
		t.Fatal(err)
	}
	tgt, resolver, ok := res.CheckTarget()
	if !ok || tgt.Host != "mixed" || tgt.Port != 80 {
		t.Fatalf("CheckTarget = %+v, %v", tgt, ok)
	}
	got, _ := resolver.LookupNetIP(context.Background(), "ip", "mixed")
	if len(got) != 1 || got[0].String() != "127.0.0.1" {
		t.Errorf("check would explain %v, want only 127.0.0.1", got)
	}
	res, _ = Run(context.Background(), target.Target{Protocol: inspect.TCP, Host: "192.0.2.1", Port: 80}, 0, cfg)
	if _, _, ok := res.CheckTarget(); ok {
		t.Error("a remote address is explained as this host's")
	}
}
