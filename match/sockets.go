// sockets.go holds the rules on sockets alone: what identifies one, and the
// order in which they are shown.

package match

import (
	"cmp"
	"net/netip"
	"slices"

	"github.com/whyrefused/whyrefused/inspect"
)

// SameSocket reports whether a and b are the same socket, by what
// identifies one: protocol, both ends and state.
func SameSocket(a, b inspect.Socket) bool {
	return a.Protocol == b.Protocol && a.Local == b.Local && a.Remote == b.Remote && a.State == b.State
}

// sortSockets sorts ss by port, then protocol, then family, then address,
// then state.
func sortSockets(ss []inspect.Socket) {
	order := sortedOrder(len(ss), func(i int) *inspect.Socket { return &ss[i] })
	sorted := make([]inspect.Socket, len(ss))
	for j, i := range order {
		sorted[j] = ss[i]
	}
	copy(ss, sorted)
}

// sortedOrder returns the indexes of n sockets in sortSockets' order,
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
