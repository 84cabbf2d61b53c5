// queue_test.go holds the tests of the accept-queue check on fixed
// snapshots.

package match

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/whyrefused/whyrefused/inspect"
	"github.com/whyrefused/whyrefused/target"
)

// queue sets a listener's accept queue and backlog.
func queue(waiting, backlog uint32) func(*inspect.Socket) {
	return func(s *inspect.Socket) { s.AcceptQueue, s.Backlog = &waiting, &backlog }
}

func TestAcceptQueueFull(t *testing.T) {
	counters := &inspect.Netstat{ListenOverflows: 17, ListenDrops: 19, AbortOnOverflow: ptr(true)}
	for _, c := range []struct {
		name    string
		socks   []inspect.Socket
		netstat *inspect.Netstat
		verdict Verdict
		symptom Symptom
		full    bool     // an accept-queue-full finding, first
		words   []string // in its sentence and suggestion
	}{
		{"over its backlog", []inspect.Socket{sock(inspect.TCP, "0.0.0.0:8080", "app", queue(2, 1))}, counters,
			VerdictRefuse, SymptomTimeout, true,
			[]string{"app (pid 901) listens on 0.0.0.0:8080", "2 connections wait for accept() with a backlog of 1",
				"17 accept-queue overflows and 19 dropped", "not calling accept()", "strace -f -p 901",
				"with net.ipv4.tcp_abort_on_overflow=1 those caught mid-handshake get ECONNRESET"}},
		{"abort_on_overflow 0", []inspect.Socket{sock(inspect.TCP, "0.0.0.0:8080", "app", queue(129, 128))},
			&inspect.Netstat{AbortOnOverflow: ptr(false)}, VerdictRefuse, SymptomTimeout, true,
			[]string{"seem connected but hang (net.ipv4.tcp_abort_on_overflow=0)"}},
		{"no counters", []inspect.Socket{sock(inspect.TCP, "10.0.0.5:8080", "app", queue(5, 4))}, nil,
			VerdictRefuse, SymptomTimeout, true,
			[]string{"if net.ipv4.tcp_abort_on_overflow is 1"}},
		{"at its backlog, not over", []inspect.Socket{sock(inspect.TCP, "0.0.0.0:8080", "app", queue(1, 1))}, counters,
			VerdictAccept, SymptomAccepted, false, nil},
		{"unknown queue", []inspect.Socket{sock(inspect.TCP, "0.0.0.0:8080", "app")}, counters,
			VerdictAccept, SymptomAccepted, false, nil},
		{"the exact listener takes it", []inspect.Socket{
			sock(inspect.TCP, "10.0.0.5:8080", "app", queue(0, 128)),
			sock(inspect.TCP, "0.0.0.0:8080", "other", queue(9, 1)),
		}, counters, VerdictAccept, SymptomAccepted, false, nil},
		{"one of a reuseport group", []inspect.Socket{
			sock(inspect.TCP, "0.0.0.0:8080", "app", queue(9, 1)),
			sock(inspect.TCP, "0.0.0.0:8080", "app", queue(0, 128)),
		}, counters, VerdictUnknown, SymptomUnsure, true,
			[]string{"with SO_REUSEPORT, and 1 of 2 accept queues are full"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			snap := host(c.socks...)
			snap.Netstat = c.netstat
			tg, _ := target.Parse("10.0.0.5:8080", inspect.TCP, nil)
			rep := Explain(context.Background(), tg, snap, resolver)
			a := rep.Addresses[0]
			if a.Verdict != c.verdict || a.Symptom != c.symptom || rep.Verdict != c.verdict {
				t.Errorf("verdict %s (address %s), symptom %s; want %s, %s", rep.Verdict, a.Verdict, a.Symptom, c.verdict, c.symptom)
			}
			got := len(rep.Findings) > 0 && rep.Findings[0].Code == CodeAcceptQueueFull
			if got != c.full {
				t.Fatalf("accept-queue-full first: %v, want %v: %+v", got, c.full, rep.Findings)
			}
			if !c.full {
				return
			}
			f := rep.Findings[0]
			for _, w := range c.words {
				if !strings.Contains(f.Message+" | "+f.Suggestion, w) {
					t.Errorf("%q not in\n%s\n%s", w, f.Message, f.Suggestion)
				}
			}
			if c.verdict == VerdictRefuse && rep.Summary != f.Message {
				t.Errorf("summary %q", rep.Summary)
			}
			listening := slices.ContainsFunc(rep.Findings, func(f Finding) bool { return f.Code == CodeListening })
			if listening != (c.symptom != SymptomTimeout) {
				t.Errorf("a listening finding: %v, with symptom %s", listening, c.symptom)
			}
		})
	}
}
