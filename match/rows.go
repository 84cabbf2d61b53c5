// rows.go holds the rows of a check: which sockets bear on the answer, in
// which order.

package match

import (
	"slices"

	"github.com/whyrefused/whyrefused/inspect"
)

// hidden counts the table's sockets whose owners are hidden.
func (e *explainer) hidden() int {
	n := 0
	for _, r := range e.rep.Sockets {
		if r.OwnersHidden {
			n++
		}
	}
	return n
}

// rows lists the sockets that bear on the answer: every socket on the port
// (connections only when they explain a refusal), listeners of the
// target's protocol first; then the nearby and byte-swapped candidates.
func (e *explainer) rows() {
	p := e.t.Port
	var onPort, near []inspect.Socket
	withLeftovers := slices.ContainsFunc(e.drafts, func(d draft) bool { return d.code == CodeRecentlyClosed })
	for _, s := range e.snap.Sockets {
		switch {
		case s.Local.Port() == p && (s.Listening() || withLeftovers):
			onPort = append(onPort, s)
		case s.Local.Port() != p && s.Protocol == e.t.Protocol && s.Listening() && e.candidate(s):
			near = append(near, s)
		}
	}
	rank := func(s inspect.Socket) int {
		switch {
		case s.Protocol == e.t.Protocol && s.Listening():
			return 0
		case s.Listening():
			return 1
		}
		return 2
	}
	sortSockets(onPort)
	slices.SortStableFunc(onPort, func(a, b inspect.Socket) int { return rank(a) - rank(b) })
	sortSockets(near)
	for _, s := range append(onPort, near...) {
		r, g := ReachOf(s, e.snap.DefaultV6Only)
		row := Row{SocketView: SocketView{Socket: &s, Reach: r, ReachGuessed: g}}
		row.Why, row.Serves = e.why(s)
		e.rep.Sockets = append(e.rep.Sockets, row)
	}
}

// candidate reports whether s is behind a nearby-port or byte-swapped-port
// finding.
func (e *explainer) candidate(s inspect.Socket) bool {
	return slices.ContainsFunc(e.drafts, func(d draft) bool {
		return (d.code == CodeNearbyPort || d.code == CodeByteSwapped) && slices.ContainsFunc(d.sockets, func(x inspect.Socket) bool { return SameSocket(x, s) })
	})
}
