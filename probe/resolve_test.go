// resolve_test.go tests the resolution as clients do it, with a fake hosts
// file and resolver.

package probe

import (
	"context"
	"errors"
	"io/fs"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/whyrefused/whyrefused/inspect"
	"github.com/whyrefused/whyrefused/target"
)

// fakeResolver answers from a map, as DNS would, and counts its calls.
type fakeResolver struct {
	answers map[string][]string
	calls   []string
}

func (f *fakeResolver) LookupNetIP(_ context.Context, network, host string) ([]netip.Addr, error) {
	f.calls = append(f.calls, network+" "+host)
	list, ok := f.answers[host]
	if !ok {
		return nil, errors.New("lookup " + host + ": no such host")
	}
	var out []netip.Addr
	for _, s := range list {
		a := netip.MustParseAddr(s)
		if network == "ip" || network == "ip4" && a.Is4() || network == "ip6" && a.Is6() {
			out = append(out, a)
		}
	}
	return out, nil
}

// fakeConfig reads hosts from text and resolves with r.
func fakeConfig(hosts string, r target.Resolver) *Config {
	return &Config{
		HostsPath: "/etc/hosts",
		ReadFile: func(path string) ([]byte, error) {
			if path != "/etc/hosts" {
				return nil, fs.ErrNotExist
			}
			return []byte(hosts), nil
		},
		Resolver: r,
		GOOS:     "linux",
	}
}

func addrs(res Resolution) string {
	var s []string
	for _, a := range res.Addresses {
		x := string(a.Origin) + " " + a.Addr.String()
		if a.Overridden {
			x += " (overridden)"
		}
		s = append(s, x)
	}
	return strings.Join(s, ", ")
}

// TestHostsOverride: a hosts entry that DNS contradicts comes first, and
// DNS's answer is called out as overridden.
func TestHostsOverride(t *testing.T) {
	r := &fakeResolver{answers: map[string][]string{"db.example.internal": {"192.0.2.20", "2001:db8::20"}}}
	cfg := fakeConfig(hostsText, r)
	res, err := Resolve(context.Background(), "db.example.internal", 0, cfg)
	if err != nil {
		t.Fatal(err)
	}
	want := "hosts 10.1.2.3, hosts 10.1.2.4, dns 192.0.2.20 (overridden), dns 2001:db8::20 (overridden)"
	if got := addrs(res); got != want {
		t.Errorf("resolution %s\nwant %s", got, want)
	}
	if !res.FromHostsFile() || res.Addresses[0].HostsLine != 4 || len(res.Overridden()) != 2 {
		t.Errorf("override not called out: %+v", res)
	}
	// -4 keeps IPv4 only, and asks the resolver for ip4.
	res, _ = Resolve(context.Background(), "db.example.internal", 4, cfg)
	if got := addrs(res); got != "hosts 10.1.2.3, hosts 10.1.2.4, dns 192.0.2.20 (overridden)" {
		t.Errorf("-4: %s", got)
	}
	if r.calls[1] != "ip4 db.example.internal" {
		t.Errorf("resolver asked %q", r.calls[1])
	}
}

// TestResolverOrder: with no hosts entry the resolver's order is kept;
// when the resolver returns the hosts entries itself (as the system
// resolver does), they are hosts entries in the resolver's order.
func TestResolverOrder(t *testing.T) {
	r := &fakeResolver{answers: map[string][]string{
		"www.example.com": {"2001:db8::1", "192.0.2.1", "::ffff:192.0.2.1"},
		"localhost":       {"::1", "127.0.0.1"},
	}}
	cfg := fakeConfig(hostsText, r)
	res, _ := Resolve(context.Background(), "www.example.com", 0, cfg)
	if got := addrs(res); got != "dns 2001:db8::1, dns 192.0.2.1" {
		t.Errorf("www.example.com: %s", got)
	}
	if res.FromHostsFile() {
		t.Error("www.example.com said to come from the hosts file")
	}
	res, _ = Resolve(context.Background(), "localhost", 0, cfg)
	if got := addrs(res); got != "hosts ::1, hosts 127.0.0.1" {
		t.Errorf("localhost: %s", got)
	}
	if len(res.Overridden()) != 0 {
		t.Errorf("localhost: nothing overridden, got %v", res.Overridden())
	}
}

func TestResolveLiteralsAndFailures(t *testing.T) {
	r := &fakeResolver{}
	cfg := fakeConfig("", r)
	ctx := context.Background()
	for _, c := range []struct {
		host string
		fam  Family
		want string
	}{
		{"127.0.0.1", 0, "literal 127.0.0.1"},
		{"::1", 6, "literal ::1"},
		{"[::1]", 0, "literal ::1"},
		{"", 0, "literal 127.0.0.1, literal ::1"},
		{"", 6, "literal ::1"},
	} {
		res, err := Resolve(ctx, c.host, c.fam, cfg)
		if err != nil || addrs(res) != c.want {
			t.Errorf("Resolve(%q, %d) = %s, %v; want %s", c.host, c.fam, addrs(res), err, c.want)
		}
	}
	if len(r.calls) != 0 {
		t.Errorf("literals were looked up: %v", r.calls)
	}
	var fe FamilyError
	if _, err := Resolve(ctx, "127.0.0.1", 6, cfg); !errors.As(err, &fe) || !strings.Contains(err.Error(), "-6") {
		t.Errorf("-6 with an IPv4 literal: %v", err)
	}
	for _, c := range []struct {
		host string
		fam  Family
		bad  bool
	}{
		{"127.0.0.1", 6, true}, {"[::1]", 4, true}, {"::ffff:127.0.0.1", 6, true},
		{"127.0.0.1", 4, false}, {"::1", 6, false}, {"::1", 0, false}, {"", 4, false}, {"db.internal", 6, false},
	} {
		err := CheckFamily(target.Target{Host: c.host}, c.fam)
		if c.bad != errors.As(err, &fe) {
			t.Errorf("CheckFamily(%q, %d) = %v", c.host, c.fam, err)
		}
	}
	res, err := Resolve(ctx, "nowhere.invalid", 0, cfg)
	if err != nil || len(res.Addresses) != 0 || res.ResolverErr == nil {
		t.Errorf("unknown name: %+v, %v", res, err)
	}
	cfg.ReadFile = func(string) ([]byte, error) { return nil, fs.ErrPermission }
	res, _ = Resolve(ctx, "nowhere.invalid", 0, cfg)
	if !errors.Is(res.HostsErr, fs.ErrPermission) {
		t.Errorf("unreadable hosts file not reported: %v", res.HostsErr)
	}
}

// deadResolver never answers: it blocks until its context is done, as a
// resolver whose DNS servers drop every query does, and records how long
// its context gave it.
type deadResolver struct {
	left    time.Duration
	bounded bool
}

func (d *deadResolver) LookupNetIP(ctx context.Context, _, _ string) ([]netip.Addr, error) {
	var deadline time.Time
	deadline, d.bounded = ctx.Deadline()
	d.left = time.Until(deadline)
	<-ctx.Done()
	return nil, ctx.Err()
}

// TestResolverTimeout: a lookup gets the probe's timeout, and one that
// runs out of it makes the name unresolvable, not a hang or an error.
func TestResolverTimeout(t *testing.T) {
	d := &deadResolver{}
	cfg := fakeConfig("", d)
	cfg.Dialer, cfg.Now, cfg.Timeout = fakeDialer{}, time.Now, 20*time.Millisecond
	done := make(chan struct{})
	var res Result
	var err error
	go func() {
		defer close(done)
		res, err = Run(context.Background(), target.Target{Protocol: inspect.TCP, Host: "db.internal", Port: 5432}, 0, cfg)
	}()
	select {
	case <-done:
	case <-time.After(time.Minute): // a hang detector, not a speed target
		t.Fatal("Run still waiting on a resolver that never answers")
	}
	if !d.bounded || d.left > cfg.Timeout {
		t.Errorf("lookup given %v (bounded %v), want at most %s", d.left, d.bounded, cfg.Timeout)
	}
	var rt ResolverTimeout
	if err != nil || len(res.Attempts) != 0 || res.Accepted() || !errors.As(res.Resolution.ResolverErr, &rt) ||
		rt.After != cfg.Timeout || !errors.Is(res.Resolution.ResolverErr, context.DeadlineExceeded) {
		t.Fatalf("timed-out lookup: %+v, %v", res, err)
	}
	want := "db.internal does not resolve to any address (no answer within 20ms): check the name, and the DNS servers this host uses."
	if res.Summary != want {
		t.Errorf("verdict %q\nwant    %q", res.Summary, want)
	}

	// The hosts file's answer still stands when the resolver times out.
	cfg.ReadFile = func(string) ([]byte, error) { return []byte("127.0.0.1 db.internal\n"), nil }
	got, err := Resolve(context.Background(), "db.internal", 0, cfg)
	if err != nil || addrs(got) != "hosts 127.0.0.1" || !errors.As(got.ResolverErr, &rt) {
		t.Errorf("hosts entry and a dead resolver: %s, %v, %v", addrs(got), got.ResolverErr, err)
	}

	// A context cancelled by the caller is not reported as a timeout.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	got, _ = Resolve(ctx, "db.internal", 0, cfg)
	if !errors.Is(got.ResolverErr, context.Canceled) || errors.As(got.ResolverErr, &rt) {
		t.Errorf("cancelled lookup reported as %v", got.ResolverErr)
	}
}
