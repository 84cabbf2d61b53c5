// wait_test.go tests --wait and --format in this process, with a fake
// source and a fake clock: each poll asks only for the check filter of
// its targets, a socket read failure ends the wait with status 3, and
// with --format prometheus a refusal still exits 0.

package main

import (
	"context"
	"errors"
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/whyrefused/whyrefused/inspect"
)

// stepClock moves only when slept on.
type stepClock struct{ now time.Time }

func (c *stepClock) Now() time.Time { return c.now }
func (c *stepClock) After(d time.Duration) <-chan time.Time {
	c.now = c.now.Add(d)
	ch := make(chan time.Time, 1)
	ch <- c.now
	return ch
}

// lateSource has no sockets until its n-th snapshot, then a listener on
// 127.0.0.1:8080; it records every filter.
type lateSource struct {
	n       int
	calls   int
	filters []inspect.Filter
}

func (s *lateSource) Name() string { return "late" }

func (s *lateSource) Snapshot(_ context.Context, f inspect.Filter) (*inspect.Snapshot, error) {
	s.calls++
	s.filters = append(s.filters, f)
	if s.calls < s.n {
		return &inspect.Snapshot{}, nil
	}
	return oneSnapshot(), nil
}

func TestCheckWaitPollsWithTheCheckFilter(t *testing.T) {
	src := &lateSource{n: 4}
	a, out, errb := testApp(src)
	a.clock = &stepClock{now: time.Unix(1000, 0)}
	if status := run([]string{"check", "--wait", "1m", "127.0.0.1:8080"}, a); status != exitOK {
		t.Fatalf("status %d, want 0:\n%s%s", status, out, errb)
	}
	// Three misses: 100 + 200 + 400 ms of backoff on the fake clock.
	if want := "ACCEPTED after 700ms: "; !strings.HasPrefix(out.String(), want) {
		t.Errorf("stdout %q, want it to start with %q", out, want)
	}
	if got := strings.Count(errb.String(), "whyrefused: waiting ("); got != 1 {
		t.Errorf("%d plain status lines for one unchanged status, want 1:\n%s", got, errb)
	}
	if len(src.filters) != 4 {
		t.Fatalf("%d snapshots, want 4", len(src.filters))
	}
	for _, f := range src.filters {
		if !slices.Contains(f.Ports, 8080) || !slices.Contains(f.AnyStatePorts, 8080) || len(f.AnyStatePorts) != 1 || !f.SkipExeAndStart {
			t.Errorf("a poll asked for %+v, not the check filter of 127.0.0.1:8080", f)
		}
	}
}

func TestCheckWaitSocketFailure(t *testing.T) {
	a, _, errb := testApp(&fakeSource{err: errors.New("netlink: permission denied")})
	a.clock = &stepClock{now: time.Unix(1000, 0)}
	if status := run([]string{"check", "--wait", "1m", "127.0.0.1:8080"}, a); status != exitNoSocket {
		t.Fatalf("status %d, want 3:\n%s", status, errb)
	}
}

func TestCheckFormats(t *testing.T) {
	for _, c := range []struct {
		args   []string
		status int
		want   string
	}{
		{[]string{"check", "--format", "prometheus", "127.0.0.1:9999"}, exitOK, `whyrefused_accepting{target="127.0.0.1:9999",address="127.0.0.1",protocol="tcp"} 0`},
		{[]string{"check", "--format", "prometheus", "127.0.0.1:8080"}, exitOK, `whyrefused_finding{target="127.0.0.1:8080",code="listening"} 1`},
		{[]string{"check", "--format", "json", "127.0.0.1:9999"}, exitRefused, `"verdict": "refuse"`},
		{[]string{"check", "--format", "table", "127.0.0.1:8080"}, exitOK, "ACCEPTED: "},
	} {
		a, out, errb := testApp(&fakeSource{snap: oneSnapshot()})
		a.resolver = nil
		if status := run(c.args, a); status != c.status || !strings.Contains(out.String(), c.want) {
			t.Errorf("%v: status %d, want %d; stdout lacks %q:\n%s%s", c.args, status, c.status, c.want, out, errb)
		}
	}
	// A snapshot's warnings are the scan's errors.
	snap := oneSnapshot()
	snap.Warnings = []string{"cannot read /proc/42/fd: permission denied"}
	snap.HostAddrs = []netip.Addr{netip.MustParseAddr("127.0.0.1")}
	a, out, _ := testApp(&fakeSource{snap: snap})
	run([]string{"check", "--format", "prometheus", "8080"}, a)
	if !strings.Contains(out.String(), "\nwhyrefused_scan_errors 1\n") {
		t.Errorf("the warning is not counted:\n%s", out)
	}
}
