package probe

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/whyrefused/whyrefused/inspect"
	"github.com/whyrefused/whyrefused/internal/text"
)

// ErrorName is the error as its users know it: the OS's name for it
// (ECONNREFUSED, WSAECONNREFUSED), else its number, else the OS's words;
// "" when there was no OS error.
func (c Classification) ErrorName() string {
	switch {
	case c.Errno.Name != "":
		return c.Errno.Name
	case c.Errno.Number != 0:
		return "error " + strconv.FormatUint(uint64(c.Errno.Number), 10)
	}
	return c.Words
}

// ErrorCode is the error's name with its number, "ECONNREFUSED 111".
func (c Classification) ErrorCode() string {
	if c.Errno.Name != "" {
		return c.Errno.Name + " " + strconv.FormatUint(uint64(c.Errno.Number), 10)
	}
	return c.ErrorName()
}

// seconds writes a duration the way people say it: 5s, 1.5s, 300ms.
func seconds(d time.Duration) string {
	return strings.TrimSuffix(d.Round(time.Millisecond).String(), ".000")
}

// Meaning says in a sentence or two what an attempt's outcome means and
// what to try.
func Meaning(a Attempt, from Address, timeout time.Duration) string {
	port := a.Address.Port()
	host := a.Address.Addr().String()
	var s string
	switch {
	case a.Outcome == Accepted && a.Protocol == inspect.UDP:
		s = fmt.Sprintf("A reply came back: a service listens on UDP port %d at %s.", port, host)
	case a.Outcome == Accepted:
		s = fmt.Sprintf("Connected: a server listens on port %d at %s and accepts connections.", port, host)
	case a.Outcome == Refused && a.Protocol == inspect.UDP:
		s = fmt.Sprintf("An ICMP port-unreachable came back: nothing listens on UDP port %d at %s. Check that the service runs and which port it uses.", port, host)
	case a.Outcome == Refused:
		s = fmt.Sprintf("%s answered with a reset: nothing listens on port %d there, or a firewall rejects the connection. Check that the server runs, and that it listens on this address and port.", host, port)
	case a.Outcome == Timeout && a.Protocol == inspect.UDP:
		s = fmt.Sprintf("No reply and no refusal in %s: the port is open and the service ignored the datagram, or a firewall drops it; UDP cannot tell which. Try the service's own client.", seconds(timeout))
	case a.Outcome == Timeout && a.Local:
		s = fmt.Sprintf("No answer in %s: not a refusal. The address is this host's own, so this host's firewall drops the packets: check its rules for port %d.", seconds(timeout), port)
	case a.Outcome == Timeout:
		s = fmt.Sprintf("No answer in %s: not a refusal. A firewall drops the packets, or %s is down or not there. Check firewalls between here and there, and that the host is up.", seconds(timeout), host)
	case a.Outcome == Unreachable:
		s = fmt.Sprintf("No route to %s: this host or a router on the way has no path there. Check the address, this host's routes and VPN, and that its network is up.", host)
	default:
		s = fmt.Sprintf("The attempt failed: %s.", a.ErrorName())
		if a.Errno.Name != "" && a.Words != "" {
			s = fmt.Sprintf("The attempt failed: %s (%s).", a.ErrorName(), a.Words)
		}
		if a.Errno.Name == "EPERM" || a.Errno.Name == "EACCES" || a.Errno.Name == "WSAEACCES" {
			s += " This host's own firewall or policy forbids the connection."
		}
	}
	if from.Source == FromHosts && a.Outcome != Accepted && !from.Addr.IsLoopback() {
		s += fmt.Sprintf(" The address comes from the hosts file (line %d): if the server moved, the entry is stale.", from.HostsLine)
	}
	if from.Overridden {
		s += " Clients do not use this address: the hosts file answers for the name first."
	}
	if a.Local && a.Outcome != Accepted {
		s += " See below what this host's sockets say."
	}
	return s
}

// Verdict is the overall answer for a result.
func Verdict(r *Result) string {
	req, res := r.Target, r.Resolution
	name := req.Host
	if name == "" {
		name = "this host"
	}
	if len(r.Attempts) == 0 {
		why := "no address"
		if res.ResolverErr != nil {
			why = res.ResolverErr.Error()
		}
		fam := ""
		if r.Family != 0 {
			fam = fmt.Sprintf(" IPv%d", r.Family)
		}
		return fmt.Sprintf("%s does not resolve to any%s address (%s): check the name, and the DNS servers this host uses.", name, fam, why)
	}
	// The addresses that the hosts file overrides are not the client's:
	// they are judged apart.
	var used, over []Attempt
	for i, a := range r.Attempts {
		if res.Addresses[i].Overridden {
			over = append(over, a)
		} else {
			used = append(used, a)
		}
	}
	count := map[Outcome]int{}
	first := used[0]
	for _, a := range used {
		count[a.Outcome]++
	}
	n := len(used)
	var parts []string
	switch {
	case count[Accepted] == n && n == 1:
		parts = append(parts, fmt.Sprintf("%s accepts on port %d.", first.Address.Addr(), req.Port))
	case count[Accepted] == n:
		parts = append(parts, fmt.Sprintf("Every address of %s accepts on port %d.", name, req.Port))
	case count[Accepted] > 0:
		var ok []string
		for _, a := range used {
			if a.Outcome == Accepted {
				ok = append(ok, a.Address.Addr().String())
			}
		}
		parts = append(parts, fmt.Sprintf("Only %s of %s's %d addresses accepts on port %d (%s).", countWord(count[Accepted]), name, n, req.Port, strings.Join(ok, ", ")))
		if first.Outcome != Accepted {
			parts = append(parts, fmt.Sprintf("Clients try %s first and get %s: those that do not go on to the next address fail.", first.Address.Addr(), first.Outcome))
		}
	case count[Refused] == n && req.Protocol == inspect.UDP:
		parts = append(parts, fmt.Sprintf("Refused: nothing listens on UDP port %d at %s.", req.Port, addrWord(used)))
	case count[Refused] == n:
		parts = append(parts, fmt.Sprintf("Refused: nothing listens on port %d at %s (or a firewall rejects).", req.Port, addrWord(used)))
	case count[Timeout] == n && req.Protocol == inspect.UDP:
		parts = append(parts, "Cannot tell: no reply and no refusal, so the port is open and silent or filtered.")
	case count[Timeout] == n:
		parts = append(parts, fmt.Sprintf("Timed out: no answer in %s, so packets are dropped on the way (a firewall) or the host is down; nothing refused.", seconds(r.Timeout)))
	case count[Unreachable] == n:
		parts = append(parts, fmt.Sprintf("Unreachable: this host has no route to %s.", addrWord(used)))
	default:
		var seen []string
		for _, o := range []Outcome{Refused, Timeout, Unreachable, Error} {
			if count[o] > 0 {
				seen = append(seen, fmt.Sprintf("%d %s", count[o], o))
			}
		}
		parts = append(parts, fmt.Sprintf("No address of %s accepts on port %d: %s.", name, req.Port, strings.Join(seen, ", ")))
	}
	if count[Accepted] < n {
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
			parts = append(parts, fmt.Sprintf("DNS's %s accepts, but the hosts file %s sends clients elsewhere: its entry for %s is stale; fix or remove it.", strings.Join(dnsOK, ", "), res.HostsPath, name))
		case len(over) > 0:
			parts = append(parts, fmt.Sprintf("%s comes from the hosts file %s, which overrides what DNS says (%s): if the server moved, the entry is stale.", name, res.HostsPath, text.Join(res.Overridden())))
		case res.FromHostsFile() && !allLoopback(used):
			parts = append(parts, fmt.Sprintf("%s comes from the hosts file %s, which clients read before DNS: if the server moved, the entry is stale.", name, res.HostsPath))
		}
	}
	if r.AskedTimeout > 0 {
		parts = append(parts, fmt.Sprintf("Each connect was given %s, not %s: Windows reports a refusal only after about %s.",
			seconds(r.Timeout), seconds(r.AskedTimeout), seconds(WindowsRefusalDelay)))
	}
	return strings.Join(parts, " ")
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
