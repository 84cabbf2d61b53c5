// visibility.go holds whether a snapshot can see every socket at all: on
// macOS the portable backend runs lsof, which without root lists only the
// caller's own sockets, so another user's listener is absent, not hidden.

package inspect

import "runtime"

// othersHiddenWarning is the snapshot's warning when other users' sockets
// are missing from it.
const othersHiddenWarning = "not running as root: on macOS only this user's own sockets can be seen, so other users' listeners are missing here; run it with sudo to see every socket"

// othersSocketsHidden reports whether a snapshot of backend on goos, taken
// with or without privilege, misses other users' sockets altogether. It is
// a pure function of its arguments, so that every OS tests it.
func othersSocketsHidden(goos, backend string, privileged bool) bool {
	return goos == "darwin" && backend == Gopsutil{}.Name() && !privileged
}

// markVisibility sets snap.OthersHidden, with its warning, for this OS.
func markVisibility(snap *Snapshot) {
	markVisibilityFor(snap, runtime.GOOS)
}

// markVisibilityFor is markVisibility for goos.
func markVisibilityFor(snap *Snapshot, goos string) {
	if othersSocketsHidden(goos, snap.Backend, snap.Privileged) {
		snap.OthersHidden = true
		snap.Warnings = append(snap.Warnings, othersHiddenWarning)
	}
}
