// visibility_test.go holds the table test of which snapshots miss other
// users' sockets: run on every OS.

package inspect

import (
	"slices"
	"testing"
)

func TestOthersSocketsHidden(t *testing.T) {
	for _, c := range []struct {
		goos, backend string
		privileged    bool
		hidden        bool
	}{
		{"darwin", "gopsutil", false, true}, // lsof without root: own sockets only
		{"darwin", "gopsutil", true, false},
		{"linux", "gopsutil", false, false}, // /proc/net lists every socket
		{"linux", "sockdiag", false, false},
		{"windows", "gopsutil", false, false}, // the tables list every socket; owners may be hidden
		{"freebsd", "gopsutil", false, false},
	} {
		snap := &Snapshot{Backend: c.backend, Privileged: c.privileged}
		markVisibilityFor(snap, c.goos)
		if snap.OthersHidden != c.hidden || slices.Contains(snap.Warnings, othersHiddenWarning) != c.hidden {
			t.Errorf("%s %s privileged=%v: OthersHidden %v, warnings %q; want hidden %v", c.goos, c.backend, c.privileged, snap.OthersHidden, snap.Warnings, c.hidden)
		}
	}
}
