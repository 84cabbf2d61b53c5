//go:build linux || darwin || windows

// v6only_test.go holds the test of the OS default for IPV6_V6ONLY.

package inspect

import "testing"

// TestDefaultV6OnlyIsTheOSDefault: the default for IPV6_V6ONLY that a
// snapshot reports (and that decides who can reach "[::]" when a backend
// cannot read the flag) is what the OS really gives a new IPv6 socket.
// Windows (and Wine) says IPv6-only; Linux and macOS follow their sysctl,
// dual stack out of the box. The socket is never bound.
func TestDefaultV6OnlyIsTheOSDefault(t *testing.T) {
	want, err := newSocketV6Only()
	if err != nil {
		t.Skipf("cannot make an IPv6 socket here: %v", err)
	}
	got, ok := defaultV6Only()
	if !ok {
		t.Fatalf("defaultV6Only is unknown; a new IPv6 socket has IPV6_V6ONLY=%v", want)
	}
	if got != want {
		t.Errorf("defaultV6Only() = %v, but a new IPv6 socket has IPV6_V6ONLY=%v", got, want)
	}
	snap := newSnapshot("test")
	if snap.DefaultV6Only == nil || *snap.DefaultV6Only != want {
		t.Errorf("snapshot DefaultV6Only = %v, want %v", snap.DefaultV6Only, want)
	}
	t.Logf("a new IPv6 socket is IPv6-only: %v", want)
}
