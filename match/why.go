// why.go holds the WHY of a row: why a socket does or does not serve the
// target.

package match

import (
	"fmt"
	"slices"
	"strings"

	"github.com/whyrefused/whyrefused/inspect"
)

// why says why row s does or does not serve the target's local addresses.
func (e *explainer) why(s inspect.Socket) (text string, serves bool) {
	p := e.t.Port
	switch {
	case s.Local.Port() != p && s.Local.Port() == ByteSwap(p):
		return fmt.Sprintf("port %d is %d with its bytes swapped", s.Local.Port(), p), false
	case s.Local.Port() != p:
		return fmt.Sprintf("port %d, one typo from %d", s.Local.Port(), p), false
	case s.Protocol != e.t.Protocol:
		return fmt.Sprintf("%s, and the client uses %s", s.Protocol, e.t.Protocol), false
	case !s.Listening():
		return stateWhy(s), false
	}
	type group struct {
		accepts bool
		reason  string
		addrs   []string
	}
	var groups []group
	for _, ar := range e.rep.Addresses {
		if ar.Verdict == VerdictUnknown {
			continue
		}
		f, g := fitOf(s, ar.Addr, e.snap.DefaultV6Only)
		reason := fitReason(f, s)
		if g {
			reason += ", assumed"
		}
		serves = serves || f.accepts()
		i := slices.IndexFunc(groups, func(x group) bool { return x.reason == reason })
		if i < 0 {
			groups = append(groups, group{accepts: f.accepts(), reason: reason})
			i = len(groups) - 1
		}
		groups[i].addrs = append(groups[i].addrs, ar.Addr.String())
	}
	var parts []string
	for _, g := range groups {
		verb := "refuses"
		if g.accepts {
			verb = "accepts"
		}
		parts = append(parts, fmt.Sprintf("%s %s (%s)", verb, joinAnd(g.addrs), g.reason))
	}
	return strings.Join(parts, "; "), serves
}

// fitReason is the reason in a WHY cell.
func fitReason(f fit, s inspect.Socket) string {
	switch f {
	case fitExact:
		return "bound to it"
	case fitWildcard:
		if unmap(s.Local.Addr()).Is4() {
			return "0.0.0.0 is every IPv4 address"
		}
		return "[::] is every IPv6 address"
	case fitDualStack:
		return "[::] takes IPv4 too: dual stack"
	case fitV6Only:
		return "[::] is IPv6-only here"
	case fitFamily:
		if unmap(s.Local.Addr()).Is4() {
			return "IPv4 only"
		}
		return "IPv6 only"
	case fitLoopback:
		return "loopback only"
	default:
		return "bound to " + unmap(s.Local.Addr()).String() + " only"
	}
}

// stateWhy explains a socket on the port that is not a listener.
func stateWhy(s inspect.Socket) string {
	switch s.State {
	case inspect.StateTimeWait:
		return "a closed connection (TIME_WAIT), not a listener"
	case inspect.StateCloseWait:
		return "a connection the peer closed and the owner has not (CLOSE_WAIT)"
	case inspect.StateEstablished:
		return "a connection still open, not a listener"
	case inspect.StateConnected:
		return "connected to " + s.Remote.String() + " only"
	default:
		return "a connection in " + string(s.State) + ", not a listener"
	}
}
