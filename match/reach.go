package match

import (
	"cmp"
	"net/netip"
	"slices"
	"strconv"

	"github.com/whyrefused/whyrefused/inspect"
)

// Reach says who can connect to a listener.
type Reach string

// The kinds of reach, as they appear in JSON.
const (
	// ReachLoopback: bound to a loopback address; this host only.
	ReachLoopback Reach = "loopback"
	// ReachIPv4: bound to 0.0.0.0; any IPv4 address of the host.
	ReachIPv4 Reach = "ipv4"
	// ReachIPv6: bound to [::] with IPV6_V6ONLY; any IPv6 address only.
	ReachIPv6 Reach = "ipv6"
	// ReachAny: bound to [::] without IPV6_V6ONLY (dual stack).
	ReachAny Reach = "any"
	// ReachAddress: bound to one specific non-loopback address.
	ReachAddress Reach = "address"
)

// unmap returns a as IPv4 when it is an IPv4-mapped IPv6 address.
func unmap(a netip.Addr) netip.Addr {
	if a.Is4In6() {
		return a.Unmap()
	}
	return a
}

// V6Only tells whether an IPv6 socket is IPv6-only. When the socket does not
// say, the OS default decides and guessed is true; with no default either,
// dual stack is assumed (what Linux and macOS do out of the box).
func V6Only(s inspect.Socket, defaultV6Only *bool) (v6only, guessed bool) {
	if s.IPv6Only != nil {
		return *s.IPv6Only, false
	}
	if defaultV6Only != nil {
		return *defaultV6Only, true
	}
	return false, true
}

// ReachOf classifies who can connect to the listening socket s. guessed is
// true when the answer depends on an IPv6-only flag that the backend could
// not read and the OS default was assumed.
func ReachOf(s inspect.Socket, defaultV6Only *bool) (r Reach, guessed bool) {
	a := unmap(s.Local.Addr())
	switch {
	case a.IsLoopback():
		return ReachLoopback, false
	case a == netip.IPv4Unspecified():
		return ReachIPv4, false
	case a == netip.IPv6Unspecified():
		v6only, guessed := V6Only(s, defaultV6Only)
		if v6only {
			return ReachIPv6, guessed
		}
		return ReachAny, guessed
	default:
		return ReachAddress, false
	}
}

// Listener is a listening socket with who can reach it. The socket is the
// snapshot's own, not a copy: a listing can hold tens of thousands.
type Listener struct {
	*inspect.Socket
	Reach Reach
	// ReachGuessed is true when Reach rests on the OS default for
	// IPV6_V6ONLY rather than the socket's own flag.
	ReachGuessed bool
}

// Inventory is the answer to `whyrefused list`.
type Inventory struct {
	Listeners []Listener
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
		inv.Listeners = make([]Listener, len(listening))
		for j, i := range sortedOrder(len(listening), func(i int) *inspect.Socket { return listening[i] }) {
			s := listening[i]
			r, g := ReachOf(*s, snap.DefaultV6Only)
			inv.Listeners[j] = Listener{Socket: s, Reach: r, ReachGuessed: g}
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

// SortSockets sorts items by their socket's port, then protocol, then
// family, then address.
func SortSockets[T any](items []T, sock func(T) inspect.Socket) {
	order := sortedOrder(len(items), func(i int) *inspect.Socket { s := sock(items[i]); return &s })
	sorted := make([]T, len(items))
	for j, i := range order {
		sorted[j] = items[i]
	}
	copy(items, sorted)
}

// sortedOrder returns the indexes of n sockets in SortSockets' order,
// stable. It sorts small keys, taken once per socket: comparing and
// swapping whole sockets made sorting 10,000 listeners a sixth of
// 'whyrefused list'.
func sortedOrder(n int, sock func(i int) *inspect.Socket) []int {
	type key struct {
		port   uint16
		proto  inspect.Protocol
		family int
		addr   netip.Addr
		state  inspect.State
		i      int
	}
	keys := make([]key, n)
	for i := range keys {
		s := sock(i)
		keys[i] = key{s.Local.Port(), s.Protocol, s.Family, s.Local.Addr(), s.State, i}
	}
	// Stable by the index as the last key: pdqsort then beats the stable
	// sort's merges on 10,000 keys three times over.
	slices.SortFunc(keys, func(a, b key) int {
		// Early returns: cmp.Or would make every comparison each time.
		if a.port != b.port {
			return cmp.Compare(a.port, b.port)
		}
		if c := cmp.Compare(a.proto, b.proto); c != 0 {
			return c
		}
		if c := cmp.Compare(a.family, b.family); c != 0 {
			return c
		}
		if c := a.addr.Compare(b.addr); c != 0 {
			return c
		}
		if c := cmp.Compare(a.state, b.state); c != 0 {
			return c
		}
		return cmp.Compare(a.i, b.i)
	})
	order := make([]int, n)
	for j, k := range keys {
		order[j] = k.i
	}
	return order
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
		return what + " hidden even from root: the kernel would not show the descriptors of some processes (one that is not dumpable, or guarded by a security module such as SELinux or AppArmor)"
	case goos == "windows":
		return what + " hidden: run the command from a terminal opened with \"Run as administrator\" to see them"
	}
	return what + " hidden: run it as root (sudo whyrefused ...) to see them"
}
