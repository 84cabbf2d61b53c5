// list.go holds List: the inventory of listening sockets behind
// `whyrefused list`, and the hint on hidden owners.

package match

import (
	"slices"
	"strconv"

	"github.com/whyrefused/whyrefused/inspect"
)

// SocketView is a snapshot's socket as list and check show it: the socket
// with who can reach it, when it listens (a check's rows hold connections
// too). The socket is the snapshot's own, not a copy: a listing can hold
// tens of thousands.
type SocketView struct {
	*inspect.Socket
	Reach Reach
	// ReachGuessed is true when Reach rests on the OS default for
	// IPV6_V6ONLY rather than the socket's own flag.
	ReachGuessed bool
}

// Inventory is the answer to `whyrefused list`.
type Inventory struct {
	Listeners []SocketView
	// HiddenOwners counts listeners whose owners could not be seen.
	HiddenOwners int
	// Warnings are the snapshot's warnings, then the hint on hidden
	// owners, if any.
	Warnings []string
}

// List picks the listening sockets of snap, classifies their reach and
// sorts them by port, then protocol, then address. goos (runtime.GOOS)
// chooses the words of the hint on hidden owners.
func List(snap *inspect.Snapshot, goos string) Inventory {
	inv := Inventory{Warnings: slices.Clone(snap.Warnings)}
	listening := make([]*inspect.Socket, 0, len(snap.Sockets))
	for i := range snap.Sockets {
		if s := &snap.Sockets[i]; s.Listening() {
			listening = append(listening, s)
		}
	}
	if len(listening) > 0 {
		// Made in sorted order, each once.
		inv.Listeners = make([]SocketView, len(listening))
		for j, i := range sortedOrder(len(listening), func(i int) *inspect.Socket { return listening[i] }) {
			s := listening[i]
			r, g := ReachOf(*s, snap.DefaultV6Only)
			inv.Listeners[j] = SocketView{Socket: s, Reach: r, ReachGuessed: g}
			if s.OwnersHidden {
				inv.HiddenOwners++
			}
		}
	}
	if inv.HiddenOwners > 0 {
		inv.Warnings = append(inv.Warnings, HiddenOwnersHint(inv.HiddenOwners, goos, snap.Privileged, snap.OwnersOutside))
	}
	return inv
}

// HiddenOwnersHint says how many owners are hidden and how to see them.
// privileged says that the snapshot was taken as root (Administrator):
// what hides them then is the kernel's guard on some processes, not the
// user's rights. outside (Snapshot.OwnersOutside) says that processes in
// other PID namespaces may hold them.
func HiddenOwnersHint(n int, goos string, privileged, outside bool) string {
	what := "1 socket's owner is"
	if n != 1 {
		what = strconv.Itoa(n) + " sockets' owners are"
	}
	switch {
	case outside:
		return what + " hidden: this runs in a PID namespace of its own (a container), and processes outside it may hold them: run it on the host, or in a container that shares the host's processes (docker run --pid=host)"
	case privileged && goos == "windows":
		return what + " hidden even from an administrator: the system would not say which process holds them (a protected process)"
	case privileged:
		return what + " hidden even from root: no process whose descriptors could be read holds them; the kernel would not show some processes' descriptors (one that is not dumpable, or guarded by a security module such as SELinux or AppArmor), and one of those may hold them, or none does (a socket passed over a Unix socket and closed)"
	case goos == "windows":
		return what + " hidden: run the command from a terminal opened with \"Run as administrator\" to see them"
	}
	return what + " hidden: run it as root (sudo whyrefused ...) to see them"
}
