// probefirewall.go holds what probe adds from this host's own firewall:
// the rule of its output path that refused or dropped an attempt before it
// left, and, for this host's own addresses, where probe and check disagree.

package main

import (
	"context"
	"fmt"

	"github.com/whyrefused/whyrefused/inspect"
	"github.com/whyrefused/whyrefused/match"
	"github.com/whyrefused/whyrefused/probe"
)

// ownFirewall rewrites the meaning of each failed attempt that this host's
// own rules explain. It reads the rules once; without them (not Linux, no
// privilege) the attempts stay as they are.
func ownFirewall(ctx context.Context, results []probe.Result, src inspect.Source) {
	var ports []uint16
	for i := range results {
		for _, a := range results[i].Attempts {
			if a.Outcome != probe.Accepted && !a.Local {
				ports = append(ports, a.Address.Port())
			}
		}
	}
	if len(ports) == 0 {
		return
	}
	f := inspect.Listeners()
	f.Ports, f.WithRules, f.SkipExeAndStart = ports, true, true
	snap, err := src.Snapshot(ctx, f)
	if err != nil || snap.Rules == nil || len(snap.Rules.Tables) == 0 {
		return
	}
	h := match.FirewallHost{Rules: snap.Rules, Interfaces: snap.Interfaces, Addrs: snap.HostAddrs}
	for i := range results {
		for j := range results[i].Attempts {
			a := &results[i].Attempts[j]
			if a.Outcome == probe.Accepted || a.Local {
				continue
			}
			if s := match.OwnFirewall(h, a.Protocol, a.Address); s != "" {
				a.Meaning = s
			}
		}
	}
}

// disagreements notes, for the attempts to this host's own addresses, where
// what probe got is not what check predicts for a client on this host.
func disagreements(results []probe.Result, reports []*match.Report) {
	for i := range results {
		if i >= len(reports) || reports[i] == nil {
			continue
		}
		for j := range results[i].Attempts {
			a := &results[i].Attempts[j]
			if !a.Local {
				continue
			}
			want, ok := localSymptom(reports[i], a.Address.Addr())
			if !ok || want == match.SymptomUnsure || sameOutcome(a.Outcome, want) {
				continue
			}
			a.Meaning += fmt.Sprintf(" probe and check disagree here: the connection got %s, and check predicts %s for a client on this host; something changed between the two, or check cannot see what decided (a rule it cannot read, a full accept queue).", a.Outcome, want)
		}
	}
}

// localSymptom is what rep predicts for a client on this host at addr.
func localSymptom(rep *match.Report, addr interface{ String() string }) (match.Symptom, bool) {
	for _, ar := range rep.Addresses {
		if ar.Addr.String() != addr.String() {
			continue
		}
		for _, c := range ar.Clients {
			if c.Client.Local {
				return c.Symptom, true
			}
		}
		return ar.Symptom, ar.Symptom != ""
	}
	return "", false
}

// sameOutcome reports whether a probe outcome is the symptom.
func sameOutcome(o probe.Outcome, s match.Symptom) bool {
	switch o {
	case probe.Accepted:
		return s == match.SymptomAccepted
	case probe.Refused:
		return s == match.SymptomRefused
	case probe.Timeout:
		return s == match.SymptomTimeout
	case probe.Unreachable:
		return s == match.SymptomHostUnreachable || s == match.SymptomNetUnreachable
	}
	return s == match.SymptomAccessDenied // EACCES is an error outcome
}
