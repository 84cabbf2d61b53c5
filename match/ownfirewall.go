// ownfirewall.go holds OwnFirewall: what this host's own rules do to a
// connection it makes, for probe, which must not blame the remote host for
// a refusal that never left this one.

package match

import (
	"fmt"
	"net/netip"

	"github.com/whyrefused/whyrefused/inspect"
)

// OwnFirewall follows a connection this host makes to dst through its own
// rules. It returns a sentence naming the rule when the rules surely
// reject or drop it on this host, and "" when they let it out, or when
// they cannot be judged.
func OwnFirewall(h FirewallHost, proto inspect.Protocol, dst netip.AddrPort) string {
	if h.Rules == nil {
		return ""
	}
	p := FollowPath(h, proto, dst, Client{Local: true})
	if !p.Sure() {
		return ""
	}
	o := p.Outcomes[0]
	if o.By == nil || !o.Output {
		return ""
	}
	switch o.Fate {
	case FateReject:
		return fmt.Sprintf("This host's own firewall refused it before it left: %s rejects it with %s (%s); the remote host never saw the connection.",
			ruleWords(o.By), o.Reject, symptomWords(p.Symptom()))
	case FateDrop:
		return fmt.Sprintf("This host's own firewall dropped it before it left: %s; the remote host never saw the connection.", ruleWords(o.By))
	}
	return ""
}
