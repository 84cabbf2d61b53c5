// firewalld_test.go holds the tests of how firewalld's chains are known:
// the chain names firewalld 1.3 writes, and the fix each gets.

package match

import (
	"strings"
	"testing"

	"github.com/whyrefused/whyrefused/inspect"
)

func TestFirewalldChains(t *testing.T) {
	w := wording{proto: inspect.TCP, port: 8080}
	for _, c := range []struct {
		chain, rule string
		facts       ruleFacts
		fix         string
	}{
		{"filter_IN_public", "", ruleFacts{zone: "public", hook: "IN"}, "zone public: open the port with: firewall-cmd --zone=public --add-port=8080/tcp"},
		{"filter_IN_drop", "", ruleFacts{zone: "drop", hook: "IN"}, "firewall-cmd --zone=drop --add-port=8080/tcp"},
		{"filter_IN_public_allow", "", ruleFacts{zone: "public", hook: "IN", part: "allow"}, "firewall-cmd --zone=public --add-port=8080/tcp"},
		{"filter_IN_my_zone-2_deny", "", ruleFacts{zone: "my_zone-2", hook: "IN", part: "deny"}, "a rich rule of zone my_zone-2: adding the port does not help"},
		{"filter_IN_public_pre", "", ruleFacts{zone: "public", hook: "IN", part: "pre"}, "firewall-cmd --zone=public --remove-rich-rule="},
		{"filter_IN_policy_allow-host-ipv6", "", ruleFacts{zone: "allow-host-ipv6", hook: "IN", policy: true}, "policy allow-host-ipv6: open the port with: firewall-cmd --policy=allow-host-ipv6 --add-port=8080/tcp"},
		{"filter_IN_policy_web_deny", "", ruleFacts{zone: "web", hook: "IN", part: "deny", policy: true}, "firewall-cmd --policy=web --list-rich-rules"},
		{"filter_FWD_public", "", ruleFacts{zone: "public", hook: "FWD"}, "on the forward path: a zone's ports open only this host"},
		{"filter_INPUT", "", ruleFacts{}, "outside its zones"},
		{"filter_INPUT_ZONES", "", ruleFacts{}, "outside its zones"},
		{"filter_PREROUTING", "", ruleFacts{}, "outside its zones"},
		{"filter_OUTPUT_POLICIES_pre", "", ruleFacts{}, "outside its zones"},
		{"filter_PREROUTING", "meta nfproto ipv6 fib saddr . mark . iif oif missing drop", ruleFacts{part: "rpfilter"}, "IPv6_rpfilter"},
		{"filter_OUTPUT", "ip6 daddr { ::/96, ::ffff:0.0.0.0/96, 2002::/24 } reject with icmpv6 addr-unreachable", ruleFacts{part: "rfc3964"}, "RFC3964_IPv4"},
	} {
		n := &fwNote{by: &RuleRef{Family: inspect.FamilyInet, Table: "firewalld", Chain: c.chain, Rule: &inspect.Rule{Text: c.rule}}}
		f, ok := firewalldMatch(n)
		if !ok || f != c.facts {
			t.Errorf("%s: facts %+v, %v; want %+v", c.chain, f, ok, c.facts)
		}
		if fix, ok := writerFix(n, w); !ok || !strings.Contains(fix, c.fix) {
			t.Errorf("%s: fix %q, want it to hold %q", c.chain, fix, c.fix)
		}
	}
	n := &fwNote{by: &RuleRef{Family: inspect.FamilyInet, Table: "filter", Chain: "filter_IN_public", Rule: &inspect.Rule{}}}
	if f, ok := firewalldMatch(n); ok {
		t.Errorf("a chain named like firewalld's in another table is taken for firewalld's: %+v", f)
	}
}
