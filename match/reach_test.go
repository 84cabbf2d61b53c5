// reach_test.go holds the tests of ReachOf and of List's order.

package match

import (
	"net/netip"
	"testing"

	"github.com/whyrefused/whyrefused/inspect"
)

func ptr[T any](v T) *T { return &v }

func TestReachOf(t *testing.T) {
	cases := []struct {
		addr          string
		v6only, deflt *bool
		want          Reach
		guessed       bool
	}{
		{"127.0.0.1:80", nil, nil, ReachLoopback, false},
		{"127.0.0.2:80", nil, nil, ReachLoopback, false},
		{"[::1]:80", nil, nil, ReachLoopback, false},
		{"[::ffff:127.0.0.1]:80", nil, nil, ReachLoopback, false},
		{"0.0.0.0:80", nil, nil, ReachIPv4, false},
		{"[::ffff:0.0.0.0]:80", nil, nil, ReachIPv4, false},
		{"[::]:80", ptr(false), ptr(true), ReachAny, false},
		{"[::]:80", ptr(true), ptr(false), ReachIPv6, false},
		{"[::]:80", nil, ptr(false), ReachAny, true},
		{"[::]:80", nil, ptr(true), ReachIPv6, true},
		{"[::]:80", nil, nil, ReachAny, true},
		{"10.0.0.5:80", nil, nil, ReachAddress, false},
		{"[2001:db8::5]:80", ptr(true), nil, ReachAddress, false},
		{"[fe80::1%eth0]:80", nil, nil, ReachAddress, false},
	}
	for _, c := range cases {
		s := inspect.Socket{Protocol: inspect.TCP, Local: netip.MustParseAddrPort(c.addr), IPv6Only: c.v6only, State: inspect.StateListen}
		got, guessed := ReachOf(s, c.deflt)
		if got != c.want || guessed != c.guessed {
			t.Errorf("ReachOf(%s, v6only=%v, default=%v) = %s, %v; want %s, %v",
				c.addr, deref(c.v6only), deref(c.deflt), got, guessed, c.want, c.guessed)
		}
	}
}

func deref(b *bool) string {
	if b == nil {
		return "unknown"
	}
	if *b {
		return "true"
	}
	return "false"
}

func TestListKeepsListenersSorted(t *testing.T) {
	snap := &inspect.Snapshot{Sockets: []inspect.Socket{
		{Protocol: inspect.UDP, Family: 4, Local: netip.MustParseAddrPort("127.0.0.1:53"), State: inspect.StateUnconnected},
		{Protocol: inspect.TCP, Family: 4, Local: netip.MustParseAddrPort("127.0.0.1:8080"), State: inspect.StateListen},
		{Protocol: inspect.TCP, Family: 4, Local: netip.MustParseAddrPort("127.0.0.1:8080"), Remote: netip.MustParseAddrPort("127.0.0.1:5000"), State: inspect.StateEstablished},
		{Protocol: inspect.TCP, Family: 4, Local: netip.MustParseAddrPort("0.0.0.0:53"), State: inspect.StateListen, OwnersHidden: true},
		{Protocol: inspect.UDP, Family: 4, Local: netip.MustParseAddrPort("127.0.0.1:9999"), Remote: netip.MustParseAddrPort("127.0.0.1:53"), State: inspect.StateConnected},
	}}
	inv := List(snap, "linux")
	var got []string
	for _, l := range inv.Listeners {
		got = append(got, string(l.Protocol)+" "+l.Local.String())
	}
	want := []string{"tcp 0.0.0.0:53", "udp 127.0.0.1:53", "tcp 127.0.0.1:8080"}
	if len(got) != len(want) {
		t.Fatalf("listeners %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("listener %d = %s, want %s", i, got[i], want[i])
		}
	}
	if inv.HiddenOwners != 1 || len(inv.Warnings) != 1 {
		t.Errorf("hidden %d, warnings %q; want 1 hidden and its hint", inv.HiddenOwners, inv.Warnings)
	}
}
