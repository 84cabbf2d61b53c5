// hint_test.go holds the tests of the hidden-owner hint and of the
// IPV6_V6ONLY default.

package match

import (
	"net/netip"
	"strings"
	"testing"

	"github.com/whyrefused/whyrefused/inspect"
)

// TestHiddenOwnersHint: each OS is told its own way to see every owner:
// Windows the "Run as administrator" terminal, Unix root through sudo; and
// the count agrees in number.
func TestHiddenOwnersHint(t *testing.T) {
	cases := []struct {
		goos                string
		n                   int
		privileged, outside bool
		want, not           []string
	}{
		{"windows", 1, false, false, []string{"1 socket's owner is hidden", `"Run as administrator"`}, []string{"sudo", "root"}},
		{"windows", 3, false, false, []string{"3 sockets' owners are hidden", `"Run as administrator"`}, []string{"sudo", "root"}},
		{"linux", 1, false, false, []string{"1 socket's owner is hidden", "as root (sudo whyrefused ...)"}, []string{"administrator"}},
		{"darwin", 2, false, false, []string{"2 sockets' owners are hidden", "as root (sudo whyrefused ...)"}, []string{"administrator"}},
		// Privileged already: asking for root would send the user in a circle.
		{"linux", 1, true, false, []string{"1 socket's owner is hidden even from root", "not dumpable"}, []string{"sudo", "run it as root"}},
		{"windows", 2, true, false, []string{"2 sockets' owners are hidden even from an administrator"}, []string{"run the command", "sudo"}},
		// In a container: root there would not help either.
		{"linux", 1, true, true, []string{"1 socket's owner is hidden", "PID namespace of its own", "--pid=host"}, []string{"sudo", "dumpable"}},
		{"linux", 4, false, true, []string{"4 sockets' owners are hidden", "PID namespace of its own"}, []string{"sudo"}},
	}
	for _, c := range cases {
		got := HiddenOwnersHint(c.n, c.goos, c.privileged, c.outside)
		for _, w := range c.want {
			if !strings.Contains(got, w) {
				t.Errorf("HiddenOwnersHint(%d, %s, %v, %v) = %q, lacks %q", c.n, c.goos, c.privileged, c.outside, got, w)
			}
		}
		for _, w := range c.not {
			if strings.Contains(strings.ToLower(got), w) {
				t.Errorf("HiddenOwnersHint(%d, %s, %v, %v) = %q, mentions %q", c.n, c.goos, c.privileged, c.outside, got, w)
			}
		}
	}
}

// TestWindowsWildcardIsIPv6Only: on Windows a "[::]" listener whose flag is
// unknown is IPv6-only (the OS default, marked as a guess), while "0.0.0.0"
// stays IPv4; with the flag read, the flag wins.
func TestWindowsWildcardIsIPv6Only(t *testing.T) {
	windowsDefault := true // inspect's default for Windows
	snap := &inspect.Snapshot{DefaultV6Only: &windowsDefault, Sockets: []inspect.Socket{
		{Protocol: inspect.TCP, Family: 6, Local: netip.MustParseAddrPort("[::]:445"), State: inspect.StateListen},
		{Protocol: inspect.TCP, Family: 6, Local: netip.MustParseAddrPort("[::]:5985"), State: inspect.StateListen, IPv6Only: ptr(false)},
		{Protocol: inspect.TCP, Family: 4, Local: netip.MustParseAddrPort("0.0.0.0:445"), State: inspect.StateListen},
	}}
	inv := List(snap, "windows")
	want := map[string]struct {
		reach   Reach
		guessed bool
	}{
		"tcp [::]:445":    {ReachIPv6, true},
		"tcp [::]:5985":   {ReachAny, false},
		"tcp 0.0.0.0:445": {ReachIPv4, false},
	}
	if len(inv.Listeners) != len(want) {
		t.Fatalf("%d listeners, want %d", len(inv.Listeners), len(want))
	}
	for _, l := range inv.Listeners {
		key := string(l.Protocol) + " " + l.Local.String()
		if w := want[key]; l.Reach != w.reach || l.ReachGuessed != w.guessed {
			t.Errorf("%s: reach %s (guessed %v), want %s (guessed %v)", key, l.Reach, l.ReachGuessed, w.reach, w.guessed)
		}
	}
}
