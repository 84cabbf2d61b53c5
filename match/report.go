// report.go holds the types of a check's answer: verdicts, finding codes
// and the report with its addresses, findings and rows.

package match

import (
	"net/netip"

	"github.com/whyrefused/whyrefused/inspect"
	"github.com/whyrefused/whyrefused/target"
)

// Verdict is the answer for a target, or for one of its addresses.
type Verdict string

// The verdicts, as they appear in JSON.
const (
	// VerdictAccept: a connection would be accepted.
	VerdictAccept Verdict = "accept"
	// VerdictRefuse: a connection would be refused.
	VerdictRefuse Verdict = "refuse"
	// VerdictPartial: some of the target's addresses would accept, others
	// would not (a target only).
	VerdictPartial Verdict = "partial"
	// VerdictUnknown: this host cannot tell (the name does not resolve, or
	// the address is not on this host).
	VerdictUnknown Verdict = "unknown"
)

// Code is a finding's stable code, for scripts and documentation.
type Code string

// The finding codes. They are stable: scripts may rely on them. Each has
// its words, and its place in a report's order, in findingTexts.
const (
	// CodeListening: a socket would accept the address.
	CodeListening Code = "listening"
	// CodeNoListener: nothing listens on the port in the target's protocol.
	CodeNoListener Code = "no-listener"
	// CodePortReserved: nothing listens, and the port is in a range that
	// Windows keeps from every server (an excluded port range).
	CodePortReserved Code = "port-reserved"
	// CodeLoopbackOnly: a listener on loopback, and the address is not.
	CodeLoopbackOnly Code = "loopback-only"
	// CodeOtherAddress: a listener on another specific address of the
	// same family.
	CodeOtherAddress Code = "other-address"
	// CodeIPv6Only: the address is IPv4 and the listener takes IPv6 only.
	CodeIPv6Only Code = "ipv6-only"
	// CodeIPv4Only: the address is IPv6 and the listener takes IPv4 only.
	CodeIPv4Only Code = "ipv4-only"
	// CodeWrongProtocol: a socket of the other protocol is on the port.
	CodeWrongProtocol Code = "wrong-protocol"
	// CodeNearbyPort: a listener on a port one typo away.
	CodeNearbyPort Code = "nearby-port"
	// CodeByteSwapped: a listener on the port with its bytes swapped.
	CodeByteSwapped Code = "byte-swapped-port"
	// CodeNotLocal: the address is not one of this host's.
	CodeNotLocal Code = "not-local"
	// CodeRecentlyClosed: no listener, but connections on the port remain.
	CodeRecentlyClosed Code = "recently-closed"
	// CodeOwnerHidden: some sockets' owners cannot be seen.
	CodeOwnerHidden Code = "owner-hidden"
	// CodeUnresolvable: the host name does not resolve.
	CodeUnresolvable Code = "unresolvable"
	// CodeNATMapped: the port is mapped (DNAT, a published container
	// port) to another address and port; informational: where it goes.
	CodeNATMapped Code = "nat-mapped"
	// CodeOtherNamespace: nothing listens here, but a server listens on
	// the port in another network namespace (a container).
	CodeOtherNamespace Code = "other-namespace"
	// CodeContainerStopped: a container that publishes the port is not
	// running.
	CodeContainerStopped Code = "container-stopped"
	// CodeNotForwarded: the port is mapped to another namespace, but
	// this one does not forward IPv4 on the way: the client times out.
	CodeNotForwarded Code = "not-forwarded"
	// CodeFirewallReject: a packet filter rule rejects the connection.
	CodeFirewallReject Code = "firewall-reject"
	// CodeFirewallDrop: a rule or a chain's policy drops it: the client
	// times out.
	CodeFirewallDrop Code = "firewall-drop"
	// CodeFirewallUnsure: a rule may reject or drop it, and cannot be
	// judged; or the rules cannot be read.
	CodeFirewallUnsure Code = "firewall-unsure"
	// CodeOthersHidden: no visible socket serves the address, but other
	// users' sockets cannot be seen (macOS without root): the verdict is
	// unknown, not refuse.
	CodeOthersHidden Code = "others-hidden"
	// CodeAcceptQueueFull: the listener's accept queue is over its
	// backlog: the server is not calling accept(), new clients time out.
	CodeAcceptQueueFull Code = "accept-queue-full"
	// CodeEndpointRefuses: a rule spreads new connections over several
	// destinations (kube-proxy's endpoints, an nft numgen map, iptables
	// -m statistic), and some of them refuse, drop or reject: a share of
	// clients fail.
	CodeEndpointRefuses Code = "endpoint-refuses"
)

// AddressResult is the verdict for one address of the target.
type AddressResult struct {
	Addr    netip.Addr
	Verdict Verdict // accept, refuse, or unknown when not on this host
	// Guessed is true when the verdict rests on the OS default for
	// IPV6_V6ONLY, the socket's own flag being unknown.
	Guessed bool
	// Codes are the codes of the findings that explain this address.
	Codes []Code
	// Symptom is what a client will see: the one on another host's, or
	// for a loopback address the one on this host's.
	Symptom Symptom
	// Clients are the symptom for each kind of client the rules tell
	// apart; empty when the rules were not read.
	Clients []ClientSymptom
	// Paths are the ways through the packet filter, one per client,
	// with the NAT rewrites on them; empty when the rules were not read.
	Paths []Path
}

// ClientSymptom is what one kind of client will see.
type ClientSymptom struct {
	Client  Client
	Symptom Symptom
	// Split, when a rule spreads the client's connections over
	// destinations that differ, is what each share sees; Symptom is then
	// what the largest failing share sees.
	Split []Share
}

// Finding is one reason behind a verdict, with what to do about it.
type Finding struct {
	Code       Code
	Message    string // a sentence for people
	Suggestion string // what to try next
	// Addrs are the target addresses it concerns (none for a finding on
	// the whole target).
	Addrs []netip.Addr
	// Sockets are the sockets that bear on it.
	Sockets []inspect.Socket
	// Guessed is true when it rests on the OS default for IPV6_V6ONLY.
	Guessed bool
	// forwardedTo is, for the firewall-unsure finding on a connection that
	// the rules forward beyond this host's sockets, where it goes: the
	// namespace follow replaces that finding by what it finds there.
	forwardedTo netip.AddrPort
}

// Row is a socket that bears on the answer, with the reason it does or
// does not serve the target.
type Row struct {
	SocketView
	// Why is the reason, in words ("accepts 127.0.0.1 (bound to it)").
	Why string
	// Serves is true when the socket would accept a target address.
	Serves bool
}

// Report is the answer to `whyrefused check` for one target.
type Report struct {
	Target  target.Target
	Verdict Verdict
	// Summary is the verdict in one sentence, without the verdict word:
	// "nothing listens on tcp port 8080 of 10.0.0.5".
	Summary   string
	Addresses []AddressResult
	Findings  []Finding
	// Sockets are every socket on the port, then the nearby and
	// byte-swapped candidates: the rows of the table.
	Sockets []Row
	// Guessed is true when some verdict rests on the OS default for
	// IPV6_V6ONLY.
	Guessed bool
	// Warnings are the snapshot's warnings and notes on the check itself.
	Warnings []string
}
