// findings.go holds the words of the findings: the sentence and the
// suggestion of each code.

package match

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/whyrefused/whyrefused/inspect"
	"github.com/whyrefused/whyrefused/internal/text"
)

// findingText is the words of one kind of finding: a sentence on what was
// found and a suggestion of what to do, each built from the finding's
// draft.
type findingText struct {
	code       Code
	message    func(w wording) string
	suggestion func(w wording) string
}

// findingTexts are the kinds of finding, in the order findings appear in a
// report: what is wrong first, the most likely cause first, then what
// works. A new kind of finding is a row here.
var findingTexts = []findingText{
	{code: CodeNATMapped, // where the connection goes, before what it meets there
		message: func(w wording) string {
			if w.d.via.ns == nil { // elsewhere in this namespace
				return fmt.Sprintf("%s %s %s by %s", w.d.via.from, w.d.via.verb, w.d.via.to, w.d.via.how)
			}
			return fmt.Sprintf("%s %s %s by %s, into %s", w.d.via.from, w.d.via.verb, w.d.via.to, w.d.via.how, netnsText(w.d.via.ns))
		},
		suggestion: func(w wording) string {
			if w.d.via.ns == nil {
				return fmt.Sprintf("the sockets on %s decide: whyrefused check %s", w.d.via.to, w.d.via.to)
			}
			return fmt.Sprintf("what follows is what the connection meets there; to look from inside: whyrefused check --netns %s %s", w.d.via.ns.Name, w.d.via.to)
		}},
	{code: CodeUnresolvable,
		message: func(w wording) string {
			if w.dnsDown() {
				return fmt.Sprintf("%s cannot be resolved: %s", w.e.t.Host, text.OneLine(w.d.err.Error()))
			}
			return fmt.Sprintf("%s does not resolve: %s", w.e.t.Host, resolveError(w.d.err))
		},
		suggestion: func(w wording) string {
			if w.dnsDown() {
				return "check that this host's DNS servers answer (resolv.conf, or the network settings on Windows), or give an address instead"
			}
			return "check the name for typos, the hosts file and DNS, or give an address instead"
		}},
	{code: CodeFirewallReject, message: fwRejectMessage, suggestion: fwFixSuggestion},
	{code: CodeFirewallDrop, message: fwDropMessage, suggestion: fwFixSuggestion},
	{code: CodeNotForwarded,
		message: func(w wording) string {
			return fmt.Sprintf("%s is mapped to %s, but this network namespace does not forward IPv4 that comes in on %s (net.ipv4.conf.%s.forwarding is 0): the kernel drops %s connections from a client on another host without a word, and the client times out, which is not a refusal",
				w.d.via.from, w.d.via.to, printable(w.d.via.iface), printable(w.d.via.iface), w.proto)
		},
		suggestion: func(_ wording) string {
			return "turn forwarding on: sysctl -w net.ipv4.ip_forward=1, and keep it with a file in /etc/sysctl.d/ (container engines and CNI plugins set it when they start)"
		}},
	{code: CodeEndpointRefuses, message: endpointRefusesMessage, suggestion: endpointRefusesSuggestion},
	{code: CodeNotLocal,
		message: func(w wording) string {
			return fmt.Sprintf("%s is not an address of this host (its addresses: %s), so this host cannot tell", w.addrs, addrList(w.e.snap.HostAddrs, 8))
		},
		suggestion: func(w wording) string {
			return fmt.Sprintf("run whyrefused on the host that has %s; if that address is forwarded here (NAT, a load balancer), check this host's own address instead: whyrefused check ADDRESS:%d",
				w.addrs, w.port)
		}},
	{code: CodeOthersHidden,
		message: func(w wording) string {
			return fmt.Sprintf("none of this user's sockets would accept %s port %d of %s, and other users' sockets cannot be seen without root on macOS: another user's server may listen there", w.proto, w.port, w.e.addrsOrHost(w.d.addrs))
		},
		suggestion: func(w wording) string {
			return fmt.Sprintf("run it with sudo to see every socket: sudo whyrefused check %s", w.e.t.Input)
		}},
	{code: CodeNoListener,
		message: func(w wording) string {
			return fmt.Sprintf("nothing listens on %s port %d of %s", w.proto, w.port, w.e.addrsOrHost(w.d.addrs))
		},
		suggestion: func(w wording) string {
			what := "the server"
			if w.e.t.Service != "" {
				what = "the " + w.e.t.Service + " server"
			}
			return fmt.Sprintf("start %s, or check which port it is configured to listen on", what)
		}},
	{code: CodeContainerStopped,
		message: func(w wording) string {
			c := w.d.via.c
			return fmt.Sprintf("container %s publishes %s port %d (to its port %d), but it is %s, so nothing takes the connection",
				c.Label(), w.proto, w.port, w.d.via.to.Port(), orWord(c.State, "not running"))
		},
		suggestion: func(w wording) string {
			c := w.d.via.c
			cli := engineCLI(c)
			return fmt.Sprintf("start it (%s start %s) and see why it stopped (%s logs %s)", cli, c.Label(), cli, c.Label())
		}},
	{code: CodeOtherNamespace,
		message: func(w wording) string {
			return fmt.Sprintf("the server runs in %s: %s listens on %s there, but not in this network namespace", w.d.via.where, w.who, w.where)
		},
		suggestion: func(w wording) string {
			n := w.d.via.ns
			if n.Container != nil {
				return fmt.Sprintf("publish its port to this namespace (%s run -p %d:%d), or run the client inside it (whyrefused check --netns %s :%d shows what it would see)", engineCLI(n.Container), w.port, w.port, n.Name, w.port)
			}
			return fmt.Sprintf("forward the port to it, or run the client inside it (ip netns exec, nsenter -n; whyrefused check --netns %s :%d shows what it would see)", n.Name, w.port)
		}},
	{code: CodePortReserved,
		message: func(w wording) string {
			r := w.d.ranges[0]
			return fmt.Sprintf("%s port %d is inside the excluded port range %d-%d of IPv%d, which Windows keeps from every server (Hyper-V, WSL2, WinNAT and Docker reserve such ranges): no server can listen on it",
				w.proto, w.port, r.Start, r.End, r.Family)
		},
		suggestion: func(w wording) string {
			r := w.d.ranges[0]
			return fmt.Sprintf("move the server to a port outside the range (netsh int ipv%d show excludedportrange protocol=%s lists them), "+
				"or keep this port for it, as administrator: net stop winnat, netsh int ipv%d add excludedportrange protocol=%s startport=%d numberofports=1, net start winnat "+
				"(the reserved ranges move at each restart otherwise)", r.Family, w.proto, r.Family, w.proto, w.port)
		}},
	{code: CodeLoopbackOnly,
		message: func(w wording) string {
			return fmt.Sprintf("%s listens on %s only: loopback, so clients on other hosts cannot reach it as %s", w.who, w.where, w.addrs)
		},
		suggestion: func(w wording) string {
			return fmt.Sprintf("make it listen on %s, or on every address %s and let a firewall admit only the clients that need it%s",
				w.addrs, wildcards(w.d.addrs), bindHint(w.d.sockets))
		}},
	{code: CodeOtherAddress,
		message: func(w wording) string {
			return fmt.Sprintf("%s listens on %s only, not on %s", w.who, w.where, w.addrs)
		},
		suggestion: func(w wording) string {
			return fmt.Sprintf("connect to %s, or make the server listen on %s too, or on every address %s%s",
				w.where, w.addrs, wildcards(w.d.addrs), bindHint(w.d.sockets))
		}},
	{code: CodeIPv6Only,
		message: func(w wording) string {
			return fmt.Sprintf("%s listens on %s for IPv6 only, and %s %s IPv4%s", w.who, w.where, w.addrs, isAre(len(w.d.addrs)), w.e.resolvesHint(w.d.addrs))
		},
		suggestion: func(w wording) string {
			return "connect over IPv6" + specific(w.d.sockets, "IPv6") + ", or make the server accept IPv4 too: listen on 0.0.0.0 as well, or on [::] with IPV6_V6ONLY off" + bindHint(w.d.sockets)
		}},
	{code: CodeIPv4Only,
		message: func(w wording) string {
			return fmt.Sprintf("%s listens on %s for IPv4 only, and %s %s IPv6%s", w.who, w.where, w.addrs, isAre(len(w.d.addrs)), w.e.resolvesHint(w.d.addrs))
		},
		suggestion: func(w wording) string {
			return "connect over IPv4" + specific(w.d.sockets, "IPv4") + ", or make the server listen on IPv6 too (on [::], or on ::1 for this host only)" + bindHint(w.d.sockets)
		}},
	{code: CodeWrongProtocol,
		message: func(w wording) string {
			return fmt.Sprintf("%s has a %s socket on %s, but the client uses %s", w.who, other(w.proto), w.where, w.proto)
		},
		suggestion: func(w wording) string {
			return fmt.Sprintf("if the client should use %s, check that with: whyrefused check %s/%s; otherwise make the server listen on %s too",
				other(w.proto), w.e.hostPortText(), other(w.proto), w.proto)
		}},
	{code: CodeRecentlyClosed,
		message: func(w wording) string {
			verb := "remain"
			if len(w.d.sockets) == 1 {
				verb = "remains"
			}
			return fmt.Sprintf("no listener on tcp port %d, but %s on it %s (%s): a server listened here until recently",
				w.port, countOf(len(w.d.sockets), "connection"), verb, stateCounts(w.d.sockets))
		},
		suggestion: func(w wording) string {
			s := "the server stopped, crashed or is restarting: check its logs and whatever runs it (systemctl status, journalctl, docker ps, Services)"
			if who := heldBy(w.d.sockets); who != "" {
				s += "; " + who + " still holds connections on the port"
			}
			return s
		}},
	{code: CodeByteSwapped,
		message: func(w wording) string {
			p := w.port
			return fmt.Sprintf("%s listens on %s: port %d is %d with its two bytes swapped (0x%04X, 0x%04X)", w.who, w.where, ByteSwap(p), p, ByteSwap(p), p)
		},
		suggestion: func(wording) string {
			return "one side builds the socket address without htons()/ntohs(): convert the port to network byte order where the address is built"
		}},
	{code: CodeNearbyPort,
		message: func(w wording) string {
			return fmt.Sprintf("%s listens on %s, one typo away from port %d", w.who, w.where, w.port)
		},
		suggestion: func(w wording) string {
			return "compare the port in the client's and the server's configuration: one of them may be mistyped" + portHint(w.d.sockets)
		}},
	{code: CodeAcceptQueueFull, message: queueFullMessage, suggestion: queueFullSuggestion},
	// A rule that cannot be judged comes after what the sockets say is
	// wrong: it cannot make a refused connection accepted.
	{code: CodeFirewallUnsure, message: fwUnsureMessage, suggestion: fwUnsureSuggestion},
	{code: CodeListening,
		message: func(w wording) string {
			return fmt.Sprintf("%s listens on %s and would accept %s connections to %s", w.who, w.where, w.proto, w.e.targets(w.d.addrs))
		},
		suggestion: func(wording) string {
			return "if a client is still refused, something between it and this host refuses for it: " +
				"a firewall, NAT or a container's port mapping (try the connection from this host to compare)"
		}},
	{code: CodeOwnerHidden,
		message: func(w wording) string {
			n := countOf(w.d.count, "socket")
			switch {
			case w.e.snap.OwnersOutside:
				return fmt.Sprintf("the owner of %s is hidden: it may be a process outside this PID namespace (another container)", n)
			case w.e.snap.Privileged:
				return fmt.Sprintf("the owner of %s is hidden even from root or an administrator", n)
			}
			return fmt.Sprintf("the owner of %s is hidden from this user", n)
		},
		suggestion: func(w wording) string {
			switch {
			case w.e.snap.OwnersOutside:
				return "run it on the host, or in a container that shares the host's processes (docker run --pid=host), to see every owner"
			case w.e.snap.Privileged:
				return "no process whose descriptors could be read holds it: one the system would not show (a process that is not dumpable, a protected process, or one guarded by a security module such as SELinux or AppArmor) may, or none does (a socket passed to another process over a Unix socket and closed there); the socket's user, if shown, narrows it down"
			}
			return "run it as root (sudo whyrefused ...), or on Windows from a terminal opened with \"Run as administrator\", to see every owner"
		}},
}

// findingRank is the place of code in findingTexts: the order of
// findings in a report.
func findingRank(code Code) int {
	return slices.IndexFunc(findingTexts, func(t findingText) bool { return t.code == code })
}

// wording is what a finding's words are made of: the draft, the target,
// and the parts most sentences name.
type wording struct {
	e     *explainer
	d     draft
	proto inspect.Protocol
	port  uint16
	who   string // the processes that hold the draft's sockets
	where string // the sockets' local addresses
	addrs string // the draft's addresses, at most 4 of them
}

// dnsDown reports whether the name did not resolve because DNS did not
// answer, rather than because the name does not exist.
func (w wording) dnsDown() bool {
	var dns *net.DNSError
	return errors.As(w.d.err, &dns) && !dns.IsNotFound
}

// finding puts a draft into words. A finding that rests on a guess says
// so at the end of its sentence.
func (e *explainer) finding(d draft) Finding {
	t := findingTexts[findingRank(d.code)]
	w := wording{e: e, d: d, proto: e.t.Protocol, port: e.t.Port,
		who: owners(d.sockets), where: locals(d.sockets), addrs: addrList(d.addrs, 4)}
	f := Finding{Code: d.code, Addrs: d.addrs, Sockets: d.sockets, Guessed: d.guessed,
		Message: t.message(w), Suggestion: t.suggestion(w)}
	if d.guessed {
		f.Message += guessNote(e.snap.DefaultV6Only)
	}
	if d.fw != nil && d.fw.fate == FateForward {
		f.forwardedTo = d.fw.dest
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

// wildcards names the wildcard binds that would take every one of as:
// "(0.0.0.0 or [::])" for IPv4 (a dual-stack [::] takes IPv4 too), but
// "([::])" when one is IPv6, which 0.0.0.0 never takes.
func wildcards(as []netip.Addr) string {
	for _, a := range as {
		if !a.Unmap().Is4() {
			return "([::])"
		}
	}
	return "(0.0.0.0 or [::])"
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
