// Package probe is the client side of whyrefused: it resolves a target the
// way a client would (the hosts file first, then the resolver), connects to
// every address it resolved to, and tells a refusal from a timeout from an
// unreachable network, naming the OS error as its users know it
// (ECONNREFUSED, WSAECONNREFUSED 10061).
//
// Everything that touches the OS or the network is injected (Config): the
// hosts file's path and reader, the resolver, the dialer and the clock, so
// that resolution, classification and advice are tested without a network.
// It connects only to the addresses the user's target resolves to, on the
// target's port (and, when a proxy variable sends HTTP clients to a proxy,
// to that proxy): it never scans. On well-known UDP ports it sends a
// request of the port's protocol, so that a live service answers.
//
// It imports target (Target, Resolver), inspect (protocols, EtcPath),
// internal/text and golang.org/x/net/http/httpproxy; not match, beside which it stands: explaining the
// addresses that are this host's own is cmd's to run (Result.CheckTarget).
package probe
