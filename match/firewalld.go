// firewalld.go holds how firewalld's rules are known, by the names of the
// chains firewalld 1.x writes in its table inet firewalld (measured with
// Debian 12's firewalld 1.3), and the fix that fits each kind of chain.

package match

import (
	"fmt"
	"regexp"
	"strings"
	"sync"
)

// firewalldChain parses a chain name of firewalld's zones and policies:
// the hook part (filter_IN for input, filter_FWD for forward, filter_OUT,
// nat_PRE, ...), "policy_" when the chain is a policy's, the zone's or
// policy's name, and the sub-chain its rules go to, when it is one:
// filter_IN_public is zone public's input chain (its target, REJECT,
// DROP or the default reject, is its last rule), filter_IN_public_deny
// holds the rich rules that reject or drop, filter_IN_public_allow its
// ports and services, filter_IN_policy_allow-host-ipv6 is a policy's. The
// chains outside zones and policies (filter_INPUT, filter_INPUT_ZONES,
// filter_PREROUTING, ...) do not match: "IN" there is followed by "PUT".
var firewalldChain = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^(?:filter|nat|mangle|raw)_(IN|OUT|FWD|FWDI|FWDO|PRE|POST)_(policy_)?([A-Za-z0-9_/-]+?)(?:_(pre|log|deny|allow|post))?$`)
})

// firewalldMatch knows a rule of firewalld's by its table, and the zone
// or policy by its chain.
func firewalldMatch(n *fwNote) (ruleFacts, bool) {
	if n.by.Table != "firewalld" {
		return ruleFacts{}, false
	}
	var f ruleFacts
	switch m := firewalldChain().FindStringSubmatch(n.by.Chain); {
	case m != nil:
		f.hook, f.policy, f.zone, f.part = m[1], m[2] != "", m[3], m[4]
	case strings.Contains(n.by.Rule.Text, "fib saddr"):
		// filter_PREROUTING's "fib saddr . mark . iif oif missing drop".
		f.part = "rpfilter"
	case strings.Contains(n.by.Rule.Text, "addr-unreachable"):
		// The IPv6 addresses that embed IPv4 ones, in filter_OUTPUT and
		// filter_FORWARD.
		f.part = "rfc3964"
	}
	return f, true
}

// firewalldFix is the fix for the kind of chain the rule is in.
func firewalldFix(f ruleFacts, w wording) string {
	what, sel := "zone "+f.zone, "--zone="+f.zone
	if f.policy {
		what, sel = "policy "+f.zone, "--policy="+f.zone
	}
	switch {
	case f.part == "rpfilter":
		return "this is firewalld's reverse-path filter (IPv6_rpfilter in /etc/firewalld/firewalld.conf): it drops a packet whose source address this host would not route back out of the interface it came in on; give the client's address a route here, or set IPv6_rpfilter=no"
	case f.part == "rfc3964":
		return "this is firewalld's filter of IPv6 addresses that embed IPv4 ones (RFC3964_IPv4 in /etc/firewalld/firewalld.conf): connect to a native IPv6 or IPv4 address, or set RFC3964_IPv4=no"
	case f.zone == "":
		return fmt.Sprintf("this is firewalld's, outside its zones: firewall-cmd --get-active-zones shows which zone takes which interface or source, and firewall-cmd --zone=ZONE --list-all what it allows; open the port in that zone with: firewall-cmd --zone=ZONE --add-port=%d/%s", w.port, w.proto)
	case f.part == "deny" || f.part == "pre":
		return fmt.Sprintf("this is firewalld's, a rich rule of %s: adding the port does not help, the rule comes before the ports; list the rules with: firewall-cmd %s --list-rich-rules, and remove this one with: firewall-cmd %s --remove-rich-rule='RULE' (then firewall-cmd --runtime-to-permanent keeps it so)", what, sel, sel)
	case !f.policy && f.hook != "IN":
		return fmt.Sprintf("this is firewalld's, %s, on the forward path: a zone's ports open only this host; a forwarded connection passes by a policy (firewall-cmd --get-policies, then firewall-cmd --policy=POLICY --add-port=%d/%s) or, within the zone, with firewall-cmd %s --add-forward", what, w.port, w.proto, sel)
	}
	return fmt.Sprintf("this is firewalld's, %s: open the port with: firewall-cmd %s --add-port=%d/%s (then firewall-cmd --runtime-to-permanent keeps it)", what, sel, w.port, w.proto)
}
