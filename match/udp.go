// udp.go holds what a UDP client sees of a reject: Linux reports an ICMP
// error to a connected UDP socket only when it is "fatal"
// (icmp_err_convert, icmpv6_err_convert: __udp4_lib_err and
// __udp6_lib_err skip the others unless the socket set IP_RECVERR, which
// no common client does), so some rejects that a TCP client sees as an
// error leave a UDP client waiting for an answer that never comes.

package match

import (
	"fmt"
	"net/netip"

	"github.com/whyrefused/whyrefused/inspect"
)

// udpRejects are the symptoms a connected UDP socket's next receive gets
// from each reject, over IPv4 and over IPv6; a reject not listed (tcp
// reset, which nft and iptables apply to TCP only; prot-unreachable,
// which gives ENOPROTOOPT) is unsure.
var udpRejects = map[bool]map[inspect.RejectType]Symptom{
	true: { // IPv4: ICMP destination unreachable, by code
		inspect.RejectPortUnreachable: SymptomRefused,         // 3, fatal
		"":                            SymptomRefused,         // the default: port-unreachable
		inspect.RejectHostProhibited:  SymptomHostUnreachable, // 10, fatal
		inspect.RejectAdminProhibited: SymptomHostUnreachable, // 13, fatal
		inspect.RejectNetProhibited:   SymptomNetUnreachable,  // 9, fatal
		inspect.RejectHostUnreachable: SymptomTimeout,         // 1, not fatal
		inspect.RejectNetUnreachable:  SymptomTimeout,         // 0, not fatal
		inspect.RejectNoRoute:         SymptomTimeout,         // icmpx no-route: net-unreachable
	},
	false: { // IPv6: ICMPv6 destination unreachable, by code
		inspect.RejectPortUnreachable: SymptomRefused,      // 4, fatal
		"":                            SymptomRefused,      // the default: port-unreachable
		inspect.RejectAdminProhibited: SymptomAccessDenied, // 1, fatal
		inspect.RejectNoRoute:         SymptomTimeout,      // 0, not fatal
		inspect.RejectAddrUnreachable: SymptomTimeout,      // 3, not fatal
		inspect.RejectHostUnreachable: SymptomTimeout,      // icmpx host-unreachable: addr-unreachable
	},
}

// ProtoRejectSymptom is what a client of proto gets from a reject of
// type t over IPv4 (v4) or IPv6: RejectSymptom for TCP; for UDP, what a
// connected socket's next receive gets, or a timeout where Linux keeps
// the ICMP error from it.
func ProtoRejectSymptom(proto inspect.Protocol, v4 bool, t inspect.RejectType) Symptom {
	if proto != inspect.UDP {
		return RejectSymptom(v4, t)
	}
	if s, ok := udpRejects[v4][t]; ok {
		return s
	}
	return SymptomUnsure
}

// rejectSymptom is what the checked protocol's client gets from a reject.
func (e *explainer) rejectSymptom(v4 bool, t inspect.RejectType) Symptom {
	return ProtoRejectSymptom(e.t.Protocol, v4, t)
}

// udpReplyDoubt says why a UDP answer may never reach the client when a
// rule sent the datagram to another address (to, from orig) and s, bound
// to a wildcard address, takes it: such a server answers from the
// address its route to the client picks unless it asks for the one the
// datagram came to (IP_PKTINFO), conntrack then cannot undo the rewrite,
// and the client, connected to orig, drops the answer (measured: a
// REDIRECT to 127.0.0.1 for a client on this host). "" when no doubt.
func udpReplyDoubt(proto inspect.Protocol, s inspect.Socket, orig, to netip.AddrPort) string {
	if proto != inspect.UDP || unmap(orig.Addr()) == unmap(to.Addr()) || !s.Local.Addr().IsUnspecified() {
		return ""
	}
	return fmt.Sprintf("the datagram is sent on to %s, where a socket bound to %s takes it; such a server answers from the address its route to the client picks, not from %s, unless it uses IP_PKTINFO, and then the client never gets the answer", to, s.Local, to.Addr())
}
