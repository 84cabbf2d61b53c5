// spread.go holds what a client sees when the rules spread its new
// connections over several destinations (kube-proxy's endpoints, an nft
// numgen map, iptables -m statistic): the symptom of each share, the
// address's symptom from them, and the endpoint-refuses finding's words.

package match

import (
	"fmt"
	"math"
	"net/netip"
	"slices"
	"strings"
)

// Share is what a share of one client's new connections see, when a rule
// spreads them over several destinations.
type Share struct {
	Symptom Symptom
	// Share is the part of the connections, from 0 to 1.
	Share float64
	// Dests are where those connections go.
	Dests []netip.AddrPort
	// Why says why they get Symptom ("nothing listens there", a rule).
	Why string
}

// Exact reports whether nothing on the path was a "may": then its
// outcomes are not alternatives but shares of the client's connections.
func (p Path) Exact() bool {
	if p.TooMany || len(p.Outcomes) == 0 {
		return false
	}
	for _, o := range p.Outcomes {
		if len(o.Maybe) > 0 {
			return false
		}
	}
	return true
}

// drawWay is one way of the draws: the outcomes that are alternatives
// for the same connections (a rule on the way could not be judged).
type drawWay struct {
	share float64
	outs  []Outcome
}

// drawWays groups a path's outcomes by the ways of the draws they took.
func drawWays(p Path) []drawWay {
	var ways []drawWay
	index := map[string]int{}
	for _, o := range p.Outcomes {
		i, ok := index[o.drawKey]
		if !ok {
			i = len(ways)
			index[o.drawKey] = i
			ways = append(ways, drawWay{share: o.Share})
		}
		ways[i].outs = append(ways[i].outs, o)
	}
	return ways
}

// spread is the symptom of a path whose connections are drawn over
// several ways that differ, with the share of each: ok is false for any
// other path (pathSymptom judges it). The address's symptom is what the
// largest failing share sees: a refusal that some clients get is the
// answer, the shares say how many; unsure only when no share is known
// to fail and some cannot be judged.
func (e *explainer) spread(ar *AddressResult, p Path, local bool) ([]Share, Symptom, bool) {
	if p.Sure() || p.TooMany || !slices.ContainsFunc(p.Outcomes, func(o Outcome) bool { return o.DrawnBy != nil }) {
		return nil, "", false
	}
	ways := drawWays(p)
	total := 0.0
	for _, w := range ways {
		total += w.share
	}
	if math.Abs(total-1) > 1e-6 {
		// A rule that cannot be judged decides whether the draw is met
		// at all: the ways are not shares of the same connections.
		return nil, "", false
	}
	var shares []Share
	for _, way := range ways {
		// The alternatives of one way must agree for its share to be
		// known.
		sym, why := e.outcomeSymptom(ar, p, way.outs[0], local)
		for _, o := range way.outs[1:] {
			s, w := e.outcomeSymptom(ar, p, o, local)
			if s == sym {
				why = orWord(why, w)
				continue
			}
			sym, why = SymptomUnsure, "a rule on the way cannot be judged"
			for _, x := range way.outs {
				if len(x.Maybe) > 0 {
					why += ": " + x.Maybe[0].Why
					break
				}
			}
			break
		}
		i := slices.IndexFunc(shares, func(s Share) bool { return s.Symptom == sym && s.Why == why })
		if i < 0 {
			shares = append(shares, Share{Symptom: sym, Why: why})
			i = len(shares) - 1
		}
		shares[i].Share += way.share
		for _, o := range way.outs {
			if !slices.Contains(shares[i].Dests, o.Dest) {
				shares[i].Dests = append(shares[i].Dests, o.Dest)
			}
		}
	}
	slices.SortStableFunc(shares, func(a, b Share) int { return failRank(a) - failRank(b) })
	sym := shares[0].Symptom
	if sym == SymptomAccepted && slices.ContainsFunc(shares, func(s Share) bool { return s.Symptom == SymptomUnsure }) {
		sym = SymptomUnsure // none known to fail, some not known to serve
	}
	var by *RuleRef
	via := ""
	for _, o := range p.Outcomes {
		if o.DrawnBy != nil && by == nil {
			by = o.DrawnBy
		}
		via = orWord(via, o.Via)
	}
	note := &fwNote{client: p.Client, by: by, via: via, shares: shares, symptom: sym, dest: p.Dest}
	switch {
	case sym == SymptomAccepted:
		return shares, sym, true // every way is accepted
	case sym == SymptomUnsure:
		note.why = "its connections are spread over destinations that cannot all be judged: " + sharesWords(shares)
		e.add(draft{code: CodeFirewallUnsure, addrs: []netip.Addr{ar.Addr}, fw: note})
		return shares, sym, true
	}
	e.add(draft{code: CodeEndpointRefuses, addrs: []netip.Addr{ar.Addr}, fw: note})
	return shares, sym, true
}

// failRank orders shares: the failing ones first, the largest first;
// then the accepted; the ones that cannot be judged last.
func failRank(s Share) int {
	r := int((1 - s.Share) * 1000)
	switch s.Symptom {
	case SymptomAccepted:
		return 2000 + r
	case SymptomUnsure:
		return 4000 + r
	}
	return r
}

// outcomeSymptom is what the connections on one way see, and why.
func (e *explainer) outcomeSymptom(ar *AddressResult, p Path, o Outcome, local bool) (Symptom, string) {
	switch o.Fate {
	case FateReject:
		return e.rejectSymptom(p.Dest.Addr().Is4(), o.Reject), "rejected by " + o.By.String()
	case FateDrop:
		return SymptomTimeout, "dropped by " + o.By.String()
	case FateAccept:
		if o.Dest == p.Dest {
			if !local {
				return SymptomUnsure, "not this host's address"
			}
			return ar.Symptom, ""
		}
		if !e.scanned(o.Dest.Port()) {
			return SymptomUnsure, "its listeners were not scanned"
		}
		for _, s := range e.listeners(e.t.Protocol, o.Dest.Port()) {
			if f, _ := fitOf(s, o.Dest.Addr(), e.snap.DefaultV6Only); f.accepts() {
				if why := udpReplyDoubt(e.t.Protocol, s, p.Dest, o.Dest); why != "" {
					return SymptomUnsure, why
				}
				return SymptomAccepted, ""
			}
		}
		return SymptomRefused, "nothing listens there"
	case FateForward:
		return SymptomUnsure, "forwarded beyond this host"
	}
	return SymptomUnsure, "a rule's action could not be read"
}

// sharesWords says each share: "50% go to 198.18.0.1:8083 and get
// ECONNREFUSED (nothing listens there), 50% to 198.18.0.1:8081 and are
// accepted".
func sharesWords(shares []Share) string {
	var parts []string
	for _, s := range shares {
		dests := make([]string, len(s.Dests))
		for i, d := range s.Dests {
			dests[i] = d.String()
		}
		what := "get " + symptomWords(s.Symptom)
		switch s.Symptom {
		case SymptomAccepted:
			what = "are accepted"
		case SymptomUnsure:
			what = "cannot be judged"
		case SymptomTimeout:
			what = "time out"
		}
		part := fmt.Sprintf("%s go to %s and %s", percent(s.Share), strings.Join(dests, ", "), what)
		if s.Why != "" {
			part += " (" + s.Why + ")"
		}
		parts = append(parts, part)
	}
	return strings.Join(parts, "; ")
}

// percent prints a share as a percentage.
func percent(f float64) string {
	s := fmt.Sprintf("%.1f", f*100)
	return strings.TrimSuffix(s, ".0") + "%"
}

// endpointRefusesMessage is endpoint-refuses' sentence.
func endpointRefusesMessage(w wording) string {
	n := w.d.fw
	who := "the rules"
	if n.by != nil {
		who = ruleWords(n.by)
	}
	s := fmt.Sprintf("%s spreads %s over %d destinations, and not all of them serve: %s", who, fwClientWords(w), countDests(n.shares), sharesWords(n.shares))
	if n.via != "" {
		s += fmt.Sprintf(" (the map element's comment: %q)", printableText(n.via))
	}
	return s
}

// countDests counts the distinct destinations of the shares.
func countDests(shares []Share) int {
	var all []netip.AddrPort
	for _, s := range shares {
		for _, d := range s.Dests {
			if !slices.Contains(all, d) {
				all = append(all, d)
			}
		}
	}
	return len(all)
}

// endpointRefusesSuggestion is endpoint-refuses' suggestion.
func endpointRefusesSuggestion(w wording) string {
	n := w.d.fw
	comment := n.via
	if comment == "" && n.by != nil && n.by.Rule != nil {
		if c, _, ok := strings.Cut(n.by.Rule.Comment, " -> "); ok { // kube-proxy's iptables mode: "ns/svc:port -> ADDR:PORT"
			comment = c
		}
	}
	if m := kubeNoEndpoints().FindStringSubmatch(comment); m != nil {
		return fmt.Sprintf("this is kube-proxy's Service %s/%s: an endpoint it sends connections to does not serve; see which pods stand behind the addresses with: kubectl get endpointslices -n %s -l kubernetes.io/service-name=%s, and make them listen on their port (or fail their readiness probe until they do)",
			m[1], m[2], m[1], m[2])
	}
	return "make the destinations that fail serve the port, or remove them from the rule that spreads the connections"
}
