// hidden_test.go holds the table test of check on a snapshot that cannot
// see other users' sockets (macOS without root): no refusal it cannot
// know. It runs on every OS: the snapshot says what it could see.

package match

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/whyrefused/whyrefused/inspect"
	"github.com/whyrefused/whyrefused/target"
)

// blind marks snap as one that misses other users' sockets.
func blind(snap *inspect.Snapshot) *inspect.Snapshot {
	snap.OthersHidden = true
	return snap
}

func TestExplainOthersHidden(t *testing.T) {
	tcp := inspect.TCP
	for _, c := range []struct {
		name, target string
		snap         *inspect.Snapshot
		verdict      Verdict
		codes        []Code
		says, not    []string
	}{
		{"nothing visible is not nothing", "127.0.0.1:5432", blind(host()),
			VerdictUnknown, []Code{CodeOthersHidden},
			[]string{"other users' sockets cannot be seen without root on macOS", "run it with sudo", "sudo whyrefused check 127.0.0.1:5432"},
			[]string{"nothing listens"}},
		{"a visible listener that accepts is known", "127.0.0.1:8080", blind(host(sock(tcp, "127.0.0.1:8080", "api"))),
			VerdictAccept, []Code{CodeListening}, nil, []string{"sudo"}},
		{"a visible loopback listener, another user's may serve", "10.0.0.5:5432", blind(host(sock(tcp, "127.0.0.1:5432", "postgres"))),
			VerdictUnknown, []Code{CodeOthersHidden, CodeLoopbackOnly}, []string{"another user's server may listen there"}, nil},
		{"a nearby port is still worth saying", "127.0.0.1:8080", blind(host(sock(tcp, "127.0.0.1:8081", "api"))),
			VerdictUnknown, []Code{CodeOthersHidden, CodeNearbyPort}, []string{"one typo away"}, []string{"nothing listens"}},
		{"every address: accepted where seen, unknown elsewhere", ":5432", blind(host(sock(tcp, "127.0.0.1:5432", "postgres"))),
			VerdictPartial, []Code{CodeOthersHidden, CodeLoopbackOnly, CodeIPv4Only, CodeListening}, nil, nil},
		{"with root every socket is seen", "127.0.0.1:5432", privileged(host()),
			VerdictRefuse, []Code{CodeNoListener}, []string{"nothing listens on tcp port 5432 of 127.0.0.1"}, []string{"sudo"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			tg, err := target.Parse(c.target, tcp, nil)
			if err != nil {
				t.Fatal(err)
			}
			rep := Explain(context.Background(), tg, c.snap, resolver)
			var codes []Code
			all := rep.Summary
			for _, f := range rep.Findings {
				codes = append(codes, f.Code)
				all += "\n" + f.Message + "\n" + f.Suggestion
			}
			if rep.Verdict != c.verdict || !slices.Equal(codes, c.codes) {
				t.Errorf("verdict %s, codes %v; want %s, %v\n%s", rep.Verdict, codes, c.verdict, c.codes, all)
			}
			for _, a := range rep.Addresses {
				if c.snap.OthersHidden && a.Verdict == VerdictRefuse {
					t.Errorf("%s: refuse, on a snapshot that cannot see every socket", a.Addr)
				}
			}
			for _, w := range c.says {
				if !strings.Contains(all, w) {
					t.Errorf("nothing says %q:\n%s", w, all)
				}
			}
			for _, w := range c.not {
				if strings.Contains(all, w) {
					t.Errorf("it says %q, which it cannot know:\n%s", w, all)
				}
			}
		})
	}
}
