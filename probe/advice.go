// advice.go holds the words for one attempt: the OS error as its users name
// it, and Meaning, what an outcome means and what to try.

package probe

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/whyrefused/whyrefused/inspect"
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
// what to try, from the attempt and where its address came from (a.From).
func Meaning(a Attempt, timeout time.Duration) string {
	from := a.From
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
		s = fmt.Sprintf("No route to %s: this host or a router on the way has no path there, or a firewall answered with an ICMP host- or admin-prohibited reject. Check the address, this host's routes and VPN, that its network is up, and the firewalls on the way.", host)
	default:
		s = fmt.Sprintf("The attempt failed: %s.", a.ErrorName())
		if a.Errno.Name != "" && a.Words != "" {
			s = fmt.Sprintf("The attempt failed: %s (%s).", a.ErrorName(), a.Words)
		}
		if a.Errno.Name == "EPERM" || a.Errno.Name == "EACCES" || a.Errno.Name == "WSAEACCES" {
			s += " This host's own firewall or policy forbids the connection."
			if a.Errno.Name == "EACCES" && a.Address.Addr().Is6() {
				s += " Over IPv6 it may also be a firewall on the remote host or on the way that answered with an ICMPv6 admin-prohibited reject."
			}
		}
	}
	if from.Origin == FromHosts && a.Outcome != Accepted && !from.Addr.IsLoopback() {
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
