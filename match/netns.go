// netns.go holds what match does with network namespaces in a listing:
// the listeners grouped by namespace, in the order they were found.

package match

import (
	"slices"

	"github.com/whyrefused/whyrefused/inspect"
)

// GroupByNetns orders the listeners of inv by their namespace, as
// namespaces lists them (the caller's first), keeping the order of
// List within each one. Listeners with no namespace come first.
func GroupByNetns(inv *Inventory, namespaces []*inspect.Netns) {
	rank := make(map[*inspect.Netns]int, len(namespaces))
	for i, n := range namespaces {
		rank[n] = i + 1
	}
	slices.SortStableFunc(inv.Listeners, func(a, b SocketView) int { return rank[a.Netns] - rank[b.Netns] })
}
