// queue.go holds the accept-queue check: a TCP listener whose queue of
// connections waiting for accept() is over its backlog makes the kernel
// drop new connection requests, so clients time out although something
// listens (the accept-queue-full finding and its words).

package match

import (
	"fmt"
	"net/netip"

	"github.com/whyrefused/whyrefused/inspect"
)

// queueFull reports whether a TCP listener's accept queue is full as the
// kernel counts it (sk_acceptq_is_full: more waiting than the backlog).
// It is false when sock_diag did not give both numbers.
func queueFull(s inspect.Socket) bool {
	return s.Protocol == inspect.TCP && s.AcceptQueue != nil && s.Backlog != nil &&
		*s.AcceptQueue > *s.Backlog
}

// takers are the listeners that a new connection to a would reach: the
// kernel prefers a socket bound to the address itself, then one on the
// wildcard of its family, then a dual-stack one.
func takers(byFit map[fit][]inspect.Socket) []inspect.Socket {
	for _, f := range []fit{fitExact, fitWildcard, fitDualStack} {
		if len(byFit[f]) > 0 {
			return byFit[f]
		}
	}
	return nil
}

// acceptQueue checks the accept queues of the listeners that would take
// a connection to a. When one is full it records the accept-queue-full
// finding and returns what the client sees: a timeout when every taker is
// full (the kernel drops the SYN, whatever tcp_abort_on_overflow says;
// measured), unsure when only some of a SO_REUSEPORT group are (the
// kernel picks one by the client's address and port). ok is false when
// no queue is full.
func (e *explainer) acceptQueue(a netip.Addr, byFit map[fit][]inspect.Socket) (s Symptom, ok bool) {
	ts := takers(byFit)
	var full []inspect.Socket
	for _, t := range ts {
		if queueFull(t) {
			full = append(full, t)
		}
	}
	if len(full) == 0 {
		return "", false
	}
	e.add(draft{code: CodeAcceptQueueFull, addrs: []netip.Addr{a}, sockets: full, count: len(ts)})
	if len(full) < len(ts) {
		return SymptomUnsure, true
	}
	return SymptomTimeout, true
}

// queueVerdict is the verdict for an address whose listener's queue is
// full: not accepted; unknown when only some clients are turned away.
func queueVerdict(s Symptom) Verdict {
	if s == SymptomTimeout {
		return VerdictRefuse
	}
	return VerdictUnknown
}

// queueFullMessage is the accept-queue-full finding's sentence.
func queueFullMessage(w wording) string {
	s := w.d.sockets[0]
	waiting := fmt.Sprintf("%d connections wait for accept() with a backlog of %d", *s.AcceptQueue, *s.Backlog)
	if len(w.d.sockets) > 1 {
		waiting = "their connections wait for accept() beyond their backlogs"
	}
	msg := fmt.Sprintf("%s listens on %s, but its accept queue is full: %s, so the kernel drops new connection requests to %s",
		w.who, w.where, waiting, w.addrs)
	if len(w.d.sockets) < w.d.count {
		msg = fmt.Sprintf("%s listens on %s with SO_REUSEPORT, and %d of %d accept queues are full (%s): the kernel drops the connection requests it hands to those",
			w.who, locals(w.d.sockets), len(w.d.sockets), w.d.count, waiting)
	}
	if n := w.e.snap.Netstat; n != nil {
		msg += fmt.Sprintf(" (this network namespace counts %d accept-queue overflows and %d dropped connection requests since boot: ListenOverflows, ListenDrops)",
			n.ListenOverflows, n.ListenDrops)
	}
	return msg
}

// queueFullSuggestion is the accept-queue-full finding's suggestion.
func queueFullSuggestion(w wording) string {
	pid := "PID"
	if owners := w.d.sockets[0].Owners; len(owners) > 0 {
		pid = fmt.Sprint(owners[0].PID)
	}
	s := "the server is not calling accept(): it is stuck, deadlocked or overloaded; check its logs and what its threads are doing " +
		"(a stack dump, strace -f -p " + pid + "), and restart it if it hangs; new clients time out"
	switch n := w.e.snap.Netstat; {
	case n == nil || n.AbortOnOverflow == nil:
		s += ", and those caught mid-handshake get ECONNRESET after connecting if net.ipv4.tcp_abort_on_overflow is 1"
	case *n.AbortOnOverflow:
		s += ", and with net.ipv4.tcp_abort_on_overflow=1 those caught mid-handshake get ECONNRESET after connecting"
	default:
		s += ", and those caught mid-handshake seem connected but hang (net.ipv4.tcp_abort_on_overflow=0)"
	}
	return s + "; a larger backlog (listen(2), net.core.somaxconn) helps only a server that is merely slow"
}
