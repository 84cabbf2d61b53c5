// suggest_linux_test.go holds the truth test of the suggestions: a
// finding's suggestion is a claim too, so each action it names is taken,
// for real, in a network namespace of the test's own, and the connection
// must then work.

package match_test

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"strings"
	"testing"

	"github.com/whyrefused/whyrefused/inspect"
	"github.com/whyrefused/whyrefused/match"
	"github.com/whyrefused/whyrefused/target"
)

// action is one thing a suggestion says to do: its words, and what it
// means here: the listeners after it, and the address a client then
// connects to (the target's, unless the action is to connect elsewhere).
type action struct {
	says    string
	binds   []bind
	connect string // an address, or "" for the target's
}

// suggestCase is a refused target, the finding it gets, and the actions
// its suggestion names.
type suggestCase struct {
	binds   []bind
	target  string
	proto   inspect.Protocol
	code    match.Code
	actions []action
}

var suggestCases = []suggestCase{
	{binds: []bind{"tcp 127.0.0.1"}, target: host4, proto: inspect.TCP, code: match.CodeLoopbackOnly, actions: []action{
		{says: "make it listen on 198.18.0.1", binds: []bind{"tcp 198.18.0.1"}},
		{says: "or on every address (0.0.0.0 or [::])", binds: []bind{"tcp 0.0.0.0"}},
		{says: "or on every address (0.0.0.0 or [::])", binds: []bind{"tcp [::] dual"}},
	}},
	{binds: []bind{"udp 127.0.0.1"}, target: host4, proto: inspect.UDP, code: match.CodeLoopbackOnly, actions: []action{
		{says: "make it listen on 198.18.0.1", binds: []bind{"udp 198.18.0.1"}},
		{says: "or on every address (0.0.0.0 or [::])", binds: []bind{"udp 0.0.0.0"}},
	}},
	{binds: []bind{"tcp ::1"}, target: host6, proto: inspect.TCP, code: match.CodeLoopbackOnly, actions: []action{
		{says: "make it listen on fd18::1", binds: []bind{"tcp fd18::1"}},
		{says: "or on every address ([::])", binds: []bind{"tcp [::] v6only"}},
	}},
	{binds: []bind{"tcp 198.18.0.1"}, target: lo4, proto: inspect.TCP, code: match.CodeOtherAddress, actions: []action{
		{says: "connect to 198.18.0.1:", binds: []bind{"tcp 198.18.0.1"}, connect: host4},
		{says: "or make the server listen on 127.0.0.1 too", binds: []bind{"tcp 198.18.0.1", "tcp 127.0.0.1"}},
		{says: "or on every address (0.0.0.0 or [::])", binds: []bind{"tcp 0.0.0.0"}},
	}},
	{binds: []bind{"tcp [::] v6only"}, target: lo4, proto: inspect.TCP, code: match.CodeIPv6Only, actions: []action{
		{says: "connect over IPv6 (to an IPv6 address of this host)", binds: []bind{"tcp [::] v6only"}, connect: lo6},
		{says: "listen on 0.0.0.0 as well", binds: []bind{"tcp [::] v6only", "tcp 0.0.0.0"}},
		{says: "or on [::] with IPV6_V6ONLY off", binds: []bind{"tcp [::] dual"}},
	}},
	{binds: []bind{"tcp 127.0.0.1"}, target: lo6, proto: inspect.TCP, code: match.CodeIPv4Only, actions: []action{
		{says: "connect over IPv4 (to 127.0.0.1:", binds: []bind{"tcp 127.0.0.1"}, connect: lo4},
		{says: "or make the server listen on IPv6 too (on [::], or on ::1 for this host only)", binds: []bind{"tcp 127.0.0.1", "tcp ::1"}},
		{says: "or make the server listen on IPv6 too (on [::]", binds: []bind{"tcp 127.0.0.1", "tcp [::] v6only"}},
	}},
	{binds: []bind{"udp 0.0.0.0"}, target: lo6, proto: inspect.UDP, code: match.CodeIPv4Only, actions: []action{
		{says: "connect over IPv4 (to an IPv4 address of this host)", binds: []bind{"udp 0.0.0.0"}, connect: lo4},
		{says: "or make the server listen on IPv6 too", binds: []bind{"udp 0.0.0.0", "udp [::] v6only"}},
	}},
	{binds: []bind{"udp 127.0.0.1"}, target: lo4, proto: inspect.TCP, code: match.CodeWrongProtocol, actions: []action{
		{says: "otherwise make the server listen on tcp too", binds: []bind{"udp 127.0.0.1", "tcp 127.0.0.1"}},
	}},
	{binds: nil, target: lo4, proto: inspect.TCP, code: match.CodeNoListener, actions: []action{
		{says: "start the server", binds: []bind{"tcp 127.0.0.1"}},
	}},
}

// TestSuggestionsWork: for each refused case, check's finding must say
// each action of the case (the words are the claim), and once the action
// is taken, a real client must be accepted.
func TestSuggestionsWork(t *testing.T) {
	if !inTestNetns(t) {
		return
	}
	for i, c := range suggestCases {
		port := uint16(40000 + 10*i)
		name := fmt.Sprintf("%02d %s %s:%d <- %s: %s", i, c.proto, c.target, port, joinBinds(c.binds), c.code)
		t.Run(name, func(t *testing.T) {
			var suggestion string
			t.Run("before", func(t *testing.T) {
				received := make(chan struct{}, 16)
				for _, b := range c.binds {
					open(t, b, port, received)
				}
				tg, err := target.Parse(netip.AddrPortFrom(netip.MustParseAddr(c.target), port).String(), c.proto, nil)
				if err != nil {
					t.Fatal(err)
				}
				snap, err := inspect.Default().Snapshot(context.Background(), match.CheckFilter([]target.Target{tg}))
				if err != nil {
					t.Fatal(err)
				}
				rep := match.Explain(context.Background(), tg, snap, net.DefaultResolver)
				for _, f := range rep.Findings {
					if f.Code == c.code {
						suggestion = f.Suggestion
					}
				}
				if rep.Verdict != match.VerdictRefuse || suggestion == "" {
					t.Fatalf("verdict %s, findings %+v: want refused with %s", rep.Verdict, rep.Findings, c.code)
				}
				if got := connect(t, c.proto, netip.AddrPortFrom(netip.MustParseAddr(c.target), port), received); got != match.VerdictRefuse {
					t.Fatalf("before any action, the connection is %s", got)
				}
			})
			if suggestion == "" {
				return
			}
			for j, a := range c.actions {
				t.Run(fmt.Sprintf("%d %s", j, a.says), func(t *testing.T) {
					if !strings.Contains(suggestion, a.says) {
						t.Errorf("the suggestion does not say %q: %q", a.says, suggestion)
					}
					received := make(chan struct{}, 16)
					for _, b := range a.binds {
						open(t, b, port, received)
					}
					to := c.target
					if a.connect != "" {
						to = a.connect
					}
					if got := connect(t, c.proto, netip.AddrPortFrom(netip.MustParseAddr(to), port), received); got != match.VerdictAccept {
						t.Errorf("after %q (listening: %s), a %s connect to %s is %s", a.says, joinBinds(a.binds), c.proto, to, got)
					}
				})
			}
		})
	}
}
