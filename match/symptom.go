// symptom.go holds Symptom: what a client will see when it connects to an
// address, the prediction that the truth tests hold to real connects.

package match

// Symptom is what a client connecting to an address will see, as the
// tests measure it with a real connect. It appears in JSON as "symptom".
type Symptom string

// The symptoms. SymptomUnsure is the honest answer when a rule or a
// socket cannot be judged: the finding that makes it so says why.
const (
	// SymptomAccepted: the connection is accepted.
	SymptomAccepted Symptom = "accepted"
	// SymptomRefused: the client gets ECONNREFUSED (a TCP reset, or an
	// ICMP port-unreachable).
	SymptomRefused Symptom = "ECONNREFUSED"
	// SymptomHostUnreachable: EHOSTUNREACH, "No route to host" (an ICMP
	// host-unreachable, host- or admin-prohibited over IPv4).
	SymptomHostUnreachable Symptom = "EHOSTUNREACH"
	// SymptomAccessDenied: EACCES (an ICMPv6 admin-prohibited).
	SymptomAccessDenied Symptom = "EACCES"
	// SymptomNetUnreachable: ENETUNREACH, "Network is unreachable" (an
	// ICMP net-unreachable or net-prohibited, an ICMPv6 no-route).
	SymptomNetUnreachable Symptom = "ENETUNREACH"
	// SymptomTimeout: nothing answers; the client times out (a drop, a
	// full accept queue).
	SymptomTimeout Symptom = "timeout"
	// SymptomResetAfterConnect: the connection is made, then reset
	// (ECONNRESET), as a full accept queue does with
	// net.ipv4.tcp_abort_on_overflow=1.
	SymptomResetAfterConnect Symptom = "reset-after-connect"
	// SymptomUnsure: whyrefused cannot tell.
	SymptomUnsure Symptom = "unsure"
)
