// firewallwords.go holds the words of the firewall findings: the rule
// that decided, what the client sees, and the fix, named for the rule
// writers people meet (kube-proxy, ufw, firewalld, Docker).

package match

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"unicode"

	"github.com/whyrefused/whyrefused/inspect"
	"github.com/whyrefused/whyrefused/internal/text"
)

// ruleWriter is a program whose rules people meet, how to know its
// rules, and what to do about one of them.
type ruleWriter struct {
	name string
	// match reports whether the note's rule is this writer's, and gives
	// what its fix needs.
	match func(n *fwNote) (ruleFacts, bool)
	fix   func(f ruleFacts, w wording) string
}

// ruleFacts are the parts of a writer's rule its fix names: for
// firewalld's, the zone (or policy, when policy is set), the hook part of
// its chain's name and the sub-chain (firewalld.go).
type ruleFacts struct {
	ns, svc, port    string
	zone, hook, part string
	policy           bool
}

// kubeNoEndpoints is kube-proxy's comment on a Service without endpoints
// (iptables mode), or its map element's comment (nftables mode).
var kubeNoEndpoints = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^([A-Za-z0-9.-]+)/([A-Za-z0-9.-]+)(:[A-Za-z0-9_.-]*)?( has no endpoints)?$`)
})

// ruleWriters are the known writers, tried in order.
var ruleWriters = []ruleWriter{
	{name: "kube-proxy",
		match: func(n *fwNote) (ruleFacts, bool) {
			for _, c := range []string{n.by.Rule.Comment, n.via} {
				if m := kubeNoEndpoints().FindStringSubmatch(c); m != nil && (m[4] != "" || n.by.Table == "kube-proxy") {
					return ruleFacts{ns: m[1], svc: m[2], port: strings.TrimPrefix(m[3], ":")}, true
				}
			}
			return ruleFacts{}, false
		},
		fix: func(f ruleFacts, _ wording) string {
			return fmt.Sprintf("this is kube-proxy's: the Service %s/%s has no ready endpoints (no pod passes its readiness probe, or its selector matches no pod); see them with: kubectl get endpointslices -n %s -l kubernetes.io/service-name=%s",
				f.ns, f.svc, f.ns, f.svc)
		}},
	{name: "ufw",
		match: func(n *fwNote) (ruleFacts, bool) {
			return ruleFacts{}, strings.HasPrefix(n.by.Chain, "ufw-") || strings.HasPrefix(n.by.Chain, "ufw6-")
		},
		fix: func(_ ruleFacts, w wording) string {
			return fmt.Sprintf("this is ufw's: allow the port with: ufw allow %d/%s (ufw status numbered lists its rules)", w.port, w.proto)
		}},
	{name: "firewalld", match: firewalldMatch, fix: firewalldFix},
	{name: "Docker's DOCKER-USER",
		match: func(n *fwNote) (ruleFacts, bool) {
			return ruleFacts{}, n.by.Chain == "DOCKER-USER"
		},
		fix: func(_ ruleFacts, w wording) string {
			port := w.port
			if n := w.d.fw; len(n.nat) > 0 && n.dest.IsValid() {
				port = n.dest.Port()
			}
			return fmt.Sprintf("the rule is in DOCKER-USER, the chain Docker leaves to its users' own rules: it runs first for every connection forwarded to a container, after the DNAT, so it sees the container's address and port; remove it (iptables -L DOCKER-USER --line-numbers lists it; iptables -D DOCKER-USER NUMBER), or accept the connection before it: iptables -I DOCKER-USER -p %s --dport %d -j ACCEPT",
				w.proto, port)
		}},
	{name: "Docker",
		match: func(n *fwNote) (ruleFacts, bool) {
			return ruleFacts{}, strings.HasPrefix(n.by.Chain, "DOCKER") || strings.Contains(n.by.Rule.Comment, "DROP DIRECT ACCESS")
		},
		fix: func(_ ruleFacts, _ wording) string {
			return "this is Docker's: a container's address is not reachable from outside its bridge; publish the port (docker run -p HOSTPORT:PORT) and connect to the host's address instead"
		}},
	{name: "Podman",
		match: func(n *fwNote) (ruleFacts, bool) {
			return ruleFacts{}, isNetavark(n.by)
		},
		fix: func(_ ruleFacts, _ wording) string {
			return "this is Podman's (netavark writes it): a container's address is reachable only on its network, and an isolated network (podman network create --opt isolate=true) drops what comes from others; publish the port (podman run -p HOSTPORT:PORT) and connect to the host's address, or attach the client's container to the network (podman network connect)"
		}},
	{name: "CNI",
		match: func(n *fwNote) (ruleFacts, bool) {
			return ruleFacts{}, strings.HasPrefix(n.by.Chain, "CNI-")
		},
		fix: func(_ ruleFacts, _ wording) string {
			return "this is a CNI plugin's (firewall or portmap, as Podman 3, nerdctl and Kubernetes use them): a container's address is reachable only on its network; publish the port (-p HOSTPORT:PORT) and connect to the host's address, or change the network's CNI configuration (/etc/cni/net.d)"
		}},
}

// isNetavark reports whether the rule is netavark's, Podman 4's network
// tool: its iptables chains (NETAVARK-DN-..., NETAVARK_FORWARD), or its
// nftables table (netavark 1.13 and later).
func isNetavark(r *RuleRef) bool {
	return strings.HasPrefix(r.Chain, "NETAVARK") || r.Table == "netavark"
}

// mapWriters name the writer of a DNAT rule that maps a published port,
// known by its chain or table, for the nat-mapped finding.
var mapWriters = []struct {
	is  func(r *RuleRef) bool
	who string
}{
	{func(r *RuleRef) bool { return strings.HasPrefix(r.Chain, "DOCKER") }, "Docker's"},
	{isNetavark, "Podman's, written by netavark"},
	{func(r *RuleRef) bool { return strings.HasPrefix(r.Chain, "CNI-") }, "a CNI portmap plugin's (Podman 3, nerdctl, Kubernetes hostPort)"},
	{func(r *RuleRef) bool { return strings.HasPrefix(r.Chain, "KUBE-") || r.Table == "kube-proxy" }, "kube-proxy's"},
}

// mapRuleWords names a mapping's rule and, when known, its writer:
// "rule 55 of chain NETAVARK-DN-1D87 in table ip nat (Podman's, written
// by netavark)".
func mapRuleWords(r RuleRef) string {
	for _, w := range mapWriters {
		if w.is(&r) {
			return r.String() + " (" + w.who + ")"
		}
	}
	return r.String()
}

// writerFix is the fix of the rule's writer, when it is a known one.
func writerFix(n *fwNote, w wording) (string, bool) {
	if n.by == nil || n.by.Rule == nil {
		return "", false
	}
	for _, rw := range ruleWriters {
		if f, ok := rw.match(n); ok {
			return rw.fix(f, w), true
		}
	}
	return "", false
}

// ruleWords names the rule that decided, with its text: "rule 7 of chain
// input in table inet filter (tcp dport 8080 reject with tcp reset)".
func ruleWords(r *RuleRef) string {
	if r.Rule == nil {
		return r.String()
	}
	return fmt.Sprintf("%s (%s)", r.String(), printableText(text.OneLine(r.Rule.Text)))
}

// printableText is a rule's text with any control character quoted: the
// reader quotes comments and names, this catches what it did not.
func printableText(s string) string {
	if strings.IndexFunc(s, func(r rune) bool { return !unicode.IsPrint(r) }) < 0 {
		return s
	}
	q := strconv.Quote(s)
	return q[1 : len(q)-1]
}

// symptomWords says what the client gets.
func symptomWords(s Symptom) string {
	switch s {
	case SymptomRefused:
		return "ECONNREFUSED, \"Connection refused\""
	case SymptomHostUnreachable:
		return "EHOSTUNREACH, \"No route to host\""
	case SymptomAccessDenied:
		return "EACCES, \"Permission denied\""
	case SymptomNetUnreachable:
		return "ENETUNREACH, \"Network is unreachable\""
	}
	return string(s)
}

// fwClientWords names the client and the addresses.
func fwClientWords(w wording) string {
	n := w.d.fw
	s := fmt.Sprintf("%s connections to %s port %d from %s", w.proto, w.addrs, w.port, n.client)
	for _, r := range n.nat {
		s += fmt.Sprintf(" (sent on to %s by %s)", r.To, r.RuleRef.String())
	}
	return s
}

// fwRejectMessage is firewall-reject's sentence.
func fwRejectMessage(w wording) string {
	n := w.d.fw
	with := string(n.reject)
	if with == "" {
		with = string(inspect.RejectPortUnreachable)
	}
	s := fmt.Sprintf("%s rejects %s with %s: the client gets %s", ruleWords(n.by), fwClientWords(w), with, symptomWords(n.symptom))
	if n.symptom == SymptomTimeout { // UDP: Linux keeps this ICMP error from the socket
		s = fmt.Sprintf("%s rejects %s with %s, an ICMP error that Linux does not pass to a UDP socket: the client gets no answer and times out", ruleWords(n.by), fwClientWords(w), with)
	}
	if n.output {
		s += "; it is this host's own output path that refuses, before the connection leaves"
	}
	return s
}

// fwDropMessage is firewall-drop's sentence.
func fwDropMessage(w wording) string {
	n := w.d.fw
	if n.reply {
		return fmt.Sprintf("%s drops the server's answer to %s on its way back through the forward hook (the SYN-ACK from %s, conntrack state established): the connection itself passes, but the client gets no answer and times out, which is not a refusal",
			ruleWords(n.by), fwClientWords(w), n.dest)
	}
	s := fmt.Sprintf("%s drops %s: the client gets no answer and times out, which is not a refusal", ruleWords(n.by), fwClientWords(w))
	if n.output {
		s += "; it is this host's own output path that drops, before the connection leaves"
	}
	return s
}

// fwFixSuggestion is firewall-reject's and firewall-drop's suggestion.
func fwFixSuggestion(w wording) string {
	n := w.d.fw
	r := n.by
	if n.reply {
		before := "the rule"
		if r.Rule == nil {
			before = "its policy"
		}
		return fmt.Sprintf("accept the answers of the connections it lets through, before %s: nft insert rule %s %s %s ct state established,related accept (iptables: iptables -I %s -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT)",
			before, r.Family, r.Table, r.Chain, r.Chain)
	}
	if s, ok := writerFix(n, w); ok {
		return s
	}
	if len(n.nat) > 0 && n.dest.IsValid() {
		w.port = n.dest.Port() // a rule after the DNAT sees the port it maps to
	}
	if r.Rule == nil {
		return fmt.Sprintf("add a rule that accepts %s port %d to chain %s of table %s %s before its policy (nft add rule %s %s %s %s dport %d accept), or use the firewall tool that manages it",
			w.proto, w.port, r.Chain, r.Family, r.Table, r.Family, r.Table, r.Chain, w.proto, w.port)
	}
	if r.Backend != "" && r.Backend != "nftables" {
		return fmt.Sprintf("remove or change the rule (iptables-legacy -t %s -S %s lists it; rule %d in that list), or accept the port before it", r.Table, r.Chain, r.Rule.Handle)
	}
	return fmt.Sprintf("remove or change the rule (nft -a list chain %s %s %s shows it; nft delete rule %s %s %s handle %d), or accept the port before it; if a tool wrote it (iptables, a firewall manager), change it there",
		r.Family, r.Table, r.Chain, r.Family, r.Table, r.Chain, r.Rule.Handle)
}

// fwUnsureMessage is firewall-unsure's sentence.
func fwUnsureMessage(w wording) string {
	n := w.d.fw
	switch {
	case n.problem != "":
		return "the firewall rules could not all be read, so this check cannot see what they do to the connection: " + n.problem
	case n.why != "":
		return fmt.Sprintf("for %s: %s", fwClientWords(w), n.why)
	}
	var parts []string
	for i, m := range n.maybes {
		if i == 3 {
			parts = append(parts, fmt.Sprintf("and %d more", len(n.maybes)-3))
			break
		}
		parts = append(parts, fmt.Sprintf("%s may apply: %s", ruleWords(&m.RuleRef), m.Why))
	}
	return fmt.Sprintf("whether the firewall lets through %s cannot be told: %s", fwClientWords(w), strings.Join(parts, "; "))
}

// fwUnsureSuggestion is firewall-unsure's suggestion.
func fwUnsureSuggestion(w wording) string {
	n := w.d.fw
	if n.problem != "" {
		return "run it as root (sudo whyrefused check ...) to read the rules"
	}
	for _, m := range n.maybes {
		if m.Source {
			return "give the client's address with --from ADDRESS to judge the rules on the source, or try the connection from the client (whyrefused probe)"
		}
	}
	return "try the connection from a client (whyrefused probe HOST:PORT) to see what it gets; the rule's counters (nft list ruleset) tell whether it is hit"
}
