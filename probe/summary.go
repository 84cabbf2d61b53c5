// summary.go holds Summary, the overall answer for a result in a sentence
// or two: a table of cases keyed by how the client's addresses fared, then
// the notes that follow any failure.

package probe

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/whyrefused/whyrefused/inspect"
	"github.com/whyrefused/whyrefused/internal/text"
)

// tally is what the summary cases look at: the attempts a client makes
// (not those the hosts file overrides) and how many ended in each outcome.
type tally struct {
	r     *Result
	name  string // the host, "this host" when none was given
	used  []Attempt
	count map[Outcome]int
}

// all reports whether every attempt that counts ended in o.
func (t *tally) all(o Outcome) bool { return t.count[o] == len(t.used) }

// udp reports whether the target is UDP.
func (t *tally) udp() bool { return t.r.Target.Protocol == inspect.UDP }

// summaryCases are the first sentence(s) of a summary, by how the
// addresses fared; the first case that holds says it.
var summaryCases = []struct {
	when func(t *tally) bool
	say  func(t *tally) []string
}{
	{ // one address, accepted
		func(t *tally) bool { return t.all(Accepted) && len(t.used) == 1 },
		func(t *tally) []string {
			return []string{fmt.Sprintf("%s accepts on port %d.", t.used[0].Address.Addr(), t.r.Target.Port)}
		},
	},
	{ // every address accepted
		func(t *tally) bool { return t.all(Accepted) },
		func(t *tally) []string {
			return []string{fmt.Sprintf("Every address of %s accepts on port %d.", t.name, t.r.Target.Port)}
		},
	},
	{ // some accepted, some not
		func(t *tally) bool { return t.count[Accepted] > 0 },
		func(t *tally) []string {
			var ok []string
			for _, a := range t.used {
				if a.Outcome == Accepted {
					ok = append(ok, a.Address.Addr().String())
				}
			}
			parts := []string{fmt.Sprintf("Only %s of %s's %d addresses accepts on port %d (%s).",
				countWord(t.count[Accepted]), t.name, len(t.used), t.r.Target.Port, strings.Join(ok, ", "))}
			if first := t.used[0]; first.Outcome != Accepted {
				parts = append(parts, fmt.Sprintf("Clients try %s first and get %s: those that do not go on to the next address fail.", first.Address.Addr(), first.Outcome))
			}
			return parts
		},
	},
	{ // UDP, every address refused
		func(t *tally) bool { return t.all(Refused) && t.udp() },
		func(t *tally) []string {
			return []string{fmt.Sprintf("Refused: nothing listens on UDP port %d at %s.", t.r.Target.Port, addrWord(t.used))}
		},
	},
	{ // TCP, every address refused
		func(t *tally) bool { return t.all(Refused) },
		func(t *tally) []string {
			return []string{fmt.Sprintf("Refused: nothing listens on port %d at %s (or a firewall rejects).", t.r.Target.Port, addrWord(t.used))}
		},
	},
	{ // UDP, no answer at all
		func(t *tally) bool { return t.all(Timeout) && t.udp() },
		func(*tally) []string {
			return []string{"Cannot tell: no reply and no refusal, so the port is open and silent or filtered."}
		},
	},
	{ // TCP, no answer at all
		func(t *tally) bool { return t.all(Timeout) },
		func(t *tally) []string {
			return []string{fmt.Sprintf("Timed out: no answer in %s, so packets are dropped on the way (a firewall) or the host is down; nothing refused.", seconds(t.r.Timeout))}
		},
	},
	{ // no route anywhere
		func(t *tally) bool { return t.all(Unreachable) },
		func(t *tally) []string {
			return []string{fmt.Sprintf("Unreachable: this host has no route to %s.", addrWord(t.used))}
		},
	},
	{ // failures of mixed kinds
		func(*tally) bool { return true },
		func(t *tally) []string {
			var seen []string
			for _, o := range []Outcome{Refused, Timeout, Unreachable, Error} {
				if t.count[o] > 0 {
					seen = append(seen, fmt.Sprintf("%d %s", t.count[o], o))
				}
			}
			return []string{fmt.Sprintf("No address of %s accepts on port %d: %s.", t.name, t.r.Target.Port, strings.Join(seen, ", "))}
		},
	},
}

// Summary is the overall answer for a result, in a sentence or two.
func Summary(r *Result) string {
	name := r.Target.Host
	if name == "" {
		name = "this host"
	}
	if len(r.Attempts) == 0 {
		return unresolved(r, name)
	}
	// The addresses that the hosts file overrides are not the client's:
	// they are judged apart.
	t := &tally{r: r, name: name, count: map[Outcome]int{}}
	var over []Attempt
	for _, a := range r.Attempts {
		if a.From.Overridden {
			over = append(over, a)
		} else {
			t.used = append(t.used, a)
			t.count[a.Outcome]++
		}
	}
	var parts []string
	for _, c := range summaryCases {
		if c.when(t) {
			parts = c.say(t)
			break
		}
	}
	if !t.all(Accepted) {
		parts = append(parts, failureNotes(t, over)...)
	}
	if r.AskedTimeout > 0 {
		parts = append(parts, fmt.Sprintf("Each connect was given %s, not %s: Windows reports a refusal only after about %s.",
			seconds(r.Timeout), seconds(r.AskedTimeout), seconds(WindowsRefusalDelay)))
	}
	return strings.Join(parts, " ")
}

// unresolved is the summary of a name that gave no address.
func unresolved(r *Result, name string) string {
	why := "no address"
	if r.Resolution.ResolverErr != nil {
		why = r.Resolution.ResolverErr.Error()
	}
	fam := ""
	if r.Family != 0 {
		fam = fmt.Sprintf(" IPv%d", r.Family)
	}
	return fmt.Sprintf("%s does not resolve to any%s address (%s): check the name, and the DNS servers this host uses.", name, fam, why)
}

// failureNotes say, when some address failed, what else may be wrong: the
// service's port, and a hosts file entry that sends clients elsewhere. over
// are the attempts to the addresses the hosts file overrides.
func failureNotes(t *tally, over []Attempt) []string {
	req, res := t.r.Target, t.r.Resolution
	var parts []string
	if req.Service != "" {
		parts = append(parts, fmt.Sprintf("Port %d is what %s says for %q: if the server uses another port, use that.", req.Port, req.ServiceSource, req.Service))
	}
	var dnsOK []string
	for _, a := range over {
		if a.Outcome == Accepted {
			dnsOK = append(dnsOK, a.Address.Addr().String())
		}
	}
	switch {
	case len(dnsOK) > 0:
		parts = append(parts, fmt.Sprintf("DNS's %s accepts, but the hosts file %s sends clients elsewhere: its entry for %s is stale; fix or remove it.", strings.Join(dnsOK, ", "), res.HostsPath, t.name))
	case len(over) > 0:
		parts = append(parts, fmt.Sprintf("%s comes from the hosts file %s, which overrides what DNS says (%s): if the server moved, the entry is stale.", t.name, res.HostsPath, text.Join(res.Overridden())))
	case res.FromHostsFile() && !allLoopback(t.used):
		parts = append(parts, fmt.Sprintf("%s comes from the hosts file %s, which clients read before DNS: if the server moved, the entry is stale.", t.name, res.HostsPath))
	}
	return parts
}

// allLoopback reports whether every attempt went to a loopback address.
func allLoopback(list []Attempt) bool {
	for _, a := range list {
		if !a.Address.Addr().IsLoopback() {
			return false
		}
	}
	return true
}

// countWord is a count as a word: "one", "2".
func countWord(n int) string {
	if n == 1 {
		return "one"
	}
	return strconv.Itoa(n)
}

// addrWord names where the attempts went: the one address, or "any of
// its n addresses".
func addrWord(used []Attempt) string {
	if len(used) == 1 {
		return used[0].Address.Addr().String()
	}
	return fmt.Sprintf("any of its %d addresses", len(used))
}
