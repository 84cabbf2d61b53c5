// findings.go holds the words of the findings: the sentence and the
// suggestion of each code.

package match

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"strings"

	"github.com/whyrefused/whyrefused/inspect"
	"github.com/whyrefused/whyrefused/internal/text"
)

// assumedNote says what a guess rests on.
func (e *explainer) assumedNote() string {
	if d := e.snap.DefaultV6Only; d != nil {
		v := "off"
		if *d {
			v = "on"
		}
		return fmt.Sprintf(" (assumed: this backend cannot read the socket's IPV6_V6ONLY flag; the OS default, %s, was used)", v)
	}
	return " (assumed: neither the socket's IPV6_V6ONLY flag nor the OS default is known; dual stack was assumed)"
}

// finding puts a draft into words.
func (e *explainer) finding(d draft) Finding {
	f := Finding{Code: d.code, Addrs: d.addrs, Sockets: d.sockets, Guessed: d.guessed}
	proto, p := e.t.Protocol, e.t.Port
	to := e.targets(d.addrs)
	who, where := owners(d.sockets), locals(d.sockets)
	switch d.code {
	case CodeListening:
		f.Message = fmt.Sprintf("%s listens on %s and would accept %s connections to %s", who, where, proto, to)
		if d.guessed {
			f.Message += e.assumedNote()
		}
		f.Suggestion = "if a client is still refused, something between it and this host refuses for it: " +
			"a firewall, NAT or a container's port mapping (try the connection from this host to compare)"
	case CodeNoListener:
		f.Message = fmt.Sprintf("nothing listens on %s port %d of %s", proto, p, e.addrsOrHost(d.addrs))
		what := "the server"
		if e.t.Service != "" {
			what = "the " + e.t.Service + " server"
		}
		f.Suggestion = fmt.Sprintf("start %s, or check which port it is configured to listen on", what)
	case CodeLoopbackOnly:
		f.Message = fmt.Sprintf("%s listens on %s only: loopback, so clients on other hosts cannot reach it as %s", who, where, addrList(d.addrs, 4))
		f.Suggestion = fmt.Sprintf("make it listen on %s, or on every address (0.0.0.0 or [::]) and let a firewall admit only the clients that need it%s",
			addrList(d.addrs, 4), bindHint(d.sockets))
	case CodeOtherAddress:
		f.Message = fmt.Sprintf("%s listens on %s only, not on %s", who, where, addrList(d.addrs, 4))
		f.Suggestion = fmt.Sprintf("connect to %s, or make the server listen on %s too, or on every address (0.0.0.0 or [::])%s",
			where, addrList(d.addrs, 4), bindHint(d.sockets))
	case CodeIPv6Only:
		f.Message = fmt.Sprintf("%s listens on %s for IPv6 only, and %s %s IPv4%s", who, where, addrList(d.addrs, 4), isAre(len(d.addrs)), e.resolvesHint(d.addrs))
		if d.guessed {
			f.Message += e.assumedNote()
		}
		f.Suggestion = "connect over IPv6" + specific(d.sockets, "IPv6") + ", or make the server accept IPv4 too: listen on 0.0.0.0 as well, or on [::] with IPV6_V6ONLY off" + bindHint(d.sockets)
	case CodeIPv4Only:
		f.Message = fmt.Sprintf("%s listens on %s for IPv4 only, and %s %s IPv6%s", who, where, addrList(d.addrs, 4), isAre(len(d.addrs)), e.resolvesHint(d.addrs))
		f.Suggestion = "connect over IPv4" + specific(d.sockets, "IPv4") + ", or make the server listen on IPv6 too (on [::], or on ::1 for this host only)" + bindHint(d.sockets)
	case CodeWrongProtocol:
		f.Message = fmt.Sprintf("%s has a %s socket on %s, but the client uses %s", who, other(proto), where, proto)
		f.Suggestion = fmt.Sprintf("if the client should use %s, check that with: whyrefused check %s/%s; otherwise make the server listen on %s too",
			other(proto), e.hostPortText(), other(proto), proto)
	case CodeNearbyPort:
		f.Message = fmt.Sprintf("%s listens on %s, one typo away from port %d", who, where, p)
		f.Suggestion = "compare the port in the client's and the server's configuration: one of them may be mistyped"
	case CodeByteSwapped:
		f.Message = fmt.Sprintf("%s listens on %s: port %d is %d with its two bytes swapped (0x%04X, 0x%04X)", who, where, ByteSwap(p), p, ByteSwap(p), p)
		f.Suggestion = "one side builds the socket address without htons()/ntohs(): convert the port to network byte order where the address is built"
	case CodeNotLocal:
		f.Message = fmt.Sprintf("%s is not an address of this host (its addresses: %s), so this host cannot tell", addrList(d.addrs, 4), addrList(e.snap.HostAddrs, 8))
		f.Suggestion = fmt.Sprintf("run whyrefused on the host that has %s; if that address is forwarded here (NAT, a load balancer), check this host's own address instead: whyrefused check ADDRESS:%d",
			addrList(d.addrs, 4), p)
	case CodeRecentlyClosed:
		verb := "remain"
		if len(d.sockets) == 1 {
			verb = "remains"
		}
		f.Message = fmt.Sprintf("no listener on tcp port %d, but %s on it %s (%s): a server listened here until recently", p, plural(len(d.sockets), "connection"), verb, stateCounts(d.sockets))
		f.Suggestion = "the server stopped, crashed or is restarting: check its logs and whatever runs it (systemctl status, journalctl, docker ps, Services)"
		if who := heldBy(d.sockets); who != "" {
			f.Suggestion += "; " + who + " still holds connections on the port"
		}
	case CodeOwnerHidden:
		f.Message = fmt.Sprintf("the owner of %s is hidden from this user", plural(d.count, "socket"))
		f.Suggestion = "run it as root (sudo whyrefused ...), or on Windows from a terminal opened with \"Run as administrator\", to see every owner"
		switch {
		case e.snap.OwnersOutside:
			f.Message = fmt.Sprintf("the owner of %s is hidden: it may be a process outside this PID namespace (another container)", plural(d.count, "socket"))
			f.Suggestion = "run it on the host, or in a container that shares the host's processes (docker run --pid=host), to see every owner"
		case e.snap.Privileged:
			f.Message = fmt.Sprintf("the owner of %s is hidden even from root or an administrator", plural(d.count, "socket"))
			f.Suggestion = "the system would not show some processes' descriptors (a process that is not dumpable, a protected process, or a security module such as SELinux or AppArmor): the socket's user, if shown, narrows it down"
		}
	case CodeUnresolvable:
		var dns *net.DNSError
		if errors.As(d.err, &dns) && !dns.IsNotFound {
			f.Message = fmt.Sprintf("%s cannot be resolved: %s", e.t.Host, text.OneLine(d.err.Error()))
			f.Suggestion = "check that this host's DNS servers answer (resolv.conf, or the network settings on Windows), or give an address instead"
			break
		}
		f.Message = fmt.Sprintf("%s does not resolve: %s", e.t.Host, resolveError(d.err))
		f.Suggestion = "check the name for typos, the hosts file and DNS, or give an address instead"
	}
	return f
}

// hostPortText is the target as HOST:PORT, or :PORT for this host.
func (e *explainer) hostPortText() string {
	return net.JoinHostPort(e.t.Host, strconv.Itoa(int(e.t.Port)))
}

// addrsOrHost is "10.0.0.5" or "this host" when every address is meant.
func (e *explainer) addrsOrHost(as []netip.Addr) string {
	if e.everyHostAddr(as) {
		return "this host"
	}
	return addrList(as, 4)
}

// specific names the specific addresses of sockets for a suggestion,
// " (to 127.0.0.1:5432)", or any address of the family when they are all
// wildcards.
func specific(ss []inspect.Socket, family string) string {
	var sp []inspect.Socket
	for _, s := range ss {
		if !s.Local.Addr().IsUnspecified() && !unmap(s.Local.Addr()).IsUnspecified() {
			sp = append(sp, s)
		}
	}
	if len(sp) == 0 {
		return " (to an " + family + " address of this host)"
	}
	return " (to " + locals(sp) + ")"
}

// resolvesHint notes, for a host name, that the name gives these
// addresses among others.
func (e *explainer) resolvesHint(as []netip.Addr) string {
	if e.t.Host == "" {
		return ""
	}
	if _, err := netip.ParseAddr(e.t.Host); err == nil {
		return ""
	}
	return fmt.Sprintf(": %s resolves to %s too, and a client that tries it first is refused", e.t.Host, addrList(as, 4))
}

// stateCounts is "3 TIME_WAIT, 1 CLOSE_WAIT".
func stateCounts(ss []inspect.Socket) string {
	var order []inspect.State
	counts := map[inspect.State]int{}
	for _, s := range ss {
		if counts[s.State] == 0 {
			order = append(order, s.State)
		}
		counts[s.State]++
	}
	var out []string
	for _, st := range order {
		out = append(out, fmt.Sprintf("%d %s", counts[st], st))
	}
	return strings.Join(out, ", ")
}

// heldBy names the processes that still hold some of ss.
func heldBy(ss []inspect.Socket) string {
	var held []inspect.Socket
	for _, s := range ss {
		if len(s.Owners) > 0 {
			held = append(held, s)
		}
	}
	return owners(held)
}

// resolveError is a resolver error on one line, without the repetition
// of the name.
func resolveError(err error) string {
	var dns *net.DNSError
	if errors.As(err, &dns) {
		if dns.IsNotFound {
			return "no such host"
		}
		return dns.Err
	}
	return text.OneLine(err.Error())
}
