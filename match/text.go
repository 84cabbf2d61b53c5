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

// bindSettings name, for well-known servers, the setting that chooses the
// addresses they listen on.
var bindSettings = map[string]string{
	"postgres":     "listen_addresses in postgresql.conf",
	"postmaster":   "listen_addresses in postgresql.conf",
	"mysqld":       "bind-address in my.cnf",
	"mariadbd":     "bind-address in my.cnf",
	"redis-server": "bind in redis.conf",
	"mongod":       "net.bindIp in mongod.conf",
	"sshd":         "ListenAddress in sshd_config",
	"nginx":        "the listen directive",
	"apache2":      "the Listen directive",
	"httpd":        "the Listen directive",
	"memcached":    "its -l option",
	"docker-proxy": "the -p/--publish address of the container",
	"etcd":         "--listen-client-urls",
	"named":        "listen-on in named.conf",
	"dnsmasq":      "listen-address in dnsmasq.conf",
	"sqlservr":     "SQL Server Configuration Manager (TCP/IP, IPAll)",
	"sqlservr.exe": "SQL Server Configuration Manager (TCP/IP, IPAll)",
}

// owner names the process that holds s, never with its arguments.
func owner(s inspect.Socket) string {
	if len(s.Owners) == 0 {
		if s.OwnersHidden && s.User != "" {
			return "a process of user " + s.User + " (which one is hidden)"
		}
		if s.OwnersHidden {
			return "a process whose owner is hidden"
		}
		return "a process that cannot be identified"
	}
	var names []string
	var pids []string
	for _, o := range s.Owners {
		if n := orUnknown(o.Name); !slices.Contains(names, n) {
			names = append(names, n)
		}
		pids = append(pids, strconv.Itoa(int(o.PID)))
	}
	if len(pids) > 3 {
		pids = append(pids[:3], fmt.Sprintf("%d more", len(s.Owners)-3))
	}
	word := "pid"
	if len(s.Owners) > 1 {
		word = "pids"
	}
	return fmt.Sprintf("%s (%s %s)", strings.Join(names, ","), word, strings.Join(pids, ", "))
}

func orUnknown(s string) string {
	if s == "" {
		return "?"
	}
	return s
}

// owners names the processes of several sockets, each once.
func owners(ss []inspect.Socket) string {
	var out []string
	for _, s := range ss {
		if o := owner(s); !slices.Contains(out, o) {
			out = append(out, o)
		}
	}
	return joinAnd(out)
}

// locals lists the local addresses of sockets: "127.0.0.1:5432 and [::1]:5432".
func locals(ss []inspect.Socket) string {
	var out []string
	for _, s := range ss {
		if a := s.Local.String(); !slices.Contains(out, a) {
			out = append(out, a)
		}
	}
	return joinAnd(out)
}

// joinAnd joins words as English does: "a", "a and b", "a, b and c".
func joinAnd(words []string) string {
	switch len(words) {
	case 0:
		return ""
	case 1:
		return words[0]
	}
	return strings.Join(words[:len(words)-1], ", ") + " and " + words[len(words)-1]
}

// addrList joins addresses, at most max of them.
func addrList(as []netip.Addr, max int) string {
	var out []string
	for i, a := range as {
		if i == max {
			out = append(out, fmt.Sprintf("%d more", len(as)-max))
			break
		}
		out = append(out, a.String())
	}
	return joinAnd(out)
}

// isAre is the verb for n subjects.
func isAre(n int) string {
	if n == 1 {
		return "is"
	}
	return "are"
}

// hostPort is "10.0.0.5:8080" or "[::1]:8080".
func hostPort(a netip.Addr, p uint16) string { return netip.AddrPortFrom(a, p).String() }

// everyHostAddr reports whether as are all the addresses of this host
// that a target without a host (or with host [::]) stands for.
func (e *explainer) everyHostAddr(as []netip.Addr) bool {
	a, err := netip.ParseAddr(e.t.Host)
	every := e.t.Host == "" || err == nil && a == netip.IPv6Unspecified()
	return every && len(as) > 1 && len(as) == len(e.rep.Addresses)
}

// targets says which target addresses a finding concerns: "10.0.0.5:8080",
// or "port 8080 of every address of this host".
func (e *explainer) targets(as []netip.Addr) string {
	if e.everyHostAddr(as) {
		return fmt.Sprintf("port %d of every address of this host", e.t.Port)
	}
	var out []string
	for i, a := range as {
		if i == 4 {
			out = append(out, fmt.Sprintf("%d more", len(as)-4))
			break
		}
		out = append(out, hostPort(a, e.t.Port))
	}
	return joinAnd(out)
}

// bindHint names the setting that chooses a well-known server's listen
// addresses, as the end of a suggestion, or "".
func bindHint(ss []inspect.Socket) string {
	for _, s := range ss {
		for _, o := range s.Owners {
			if h, ok := bindSettings[strings.ToLower(o.Name)]; ok {
				return fmt.Sprintf("; %s sets it with %s", o.Name, h)
			}
		}
	}
	return ""
}

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

// plural is "1 socket" or "3 sockets".
func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.Itoa(n) + " " + word + "s"
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

// why says why row s does or does not serve the target's local addresses.
func (e *explainer) why(s inspect.Socket) (text string, serves bool) {
	p := e.t.Port
	switch {
	case s.Local.Port() != p && s.Local.Port() == ByteSwap(p):
		return fmt.Sprintf("port %d is %d with its bytes swapped", s.Local.Port(), p), false
	case s.Local.Port() != p:
		return fmt.Sprintf("port %d, one typo from %d", s.Local.Port(), p), false
	case s.Protocol != e.t.Protocol:
		return fmt.Sprintf("%s, and the client uses %s", s.Protocol, e.t.Protocol), false
	case !s.Listening():
		return stateWhy(s), false
	}
	type group struct {
		accepts bool
		reason  string
		addrs   []string
	}
	var groups []group
	for _, ar := range e.rep.Addresses {
		if ar.Verdict == VerdictUnknown {
			continue
		}
		f, g := fitOf(s, ar.Addr, e.snap.DefaultV6Only)
		reason := fitReason(f, s)
		if g {
			reason += ", assumed"
		}
		serves = serves || f.accepts()
		i := slices.IndexFunc(groups, func(x group) bool { return x.reason == reason })
		if i < 0 {
			groups = append(groups, group{accepts: f.accepts(), reason: reason})
			i = len(groups) - 1
		}
		groups[i].addrs = append(groups[i].addrs, ar.Addr.String())
	}
	var parts []string
	for _, g := range groups {
		verb := "refuses"
		if g.accepts {
			verb = "accepts"
		}
		parts = append(parts, fmt.Sprintf("%s %s (%s)", verb, joinAnd(g.addrs), g.reason))
	}
	return strings.Join(parts, "; "), serves
}

// fitReason is the reason in a WHY cell.
func fitReason(f fit, s inspect.Socket) string {
	switch f {
	case fitExact:
		return "bound to it"
	case fitWildcard:
		if unmap(s.Local.Addr()).Is4() {
			return "0.0.0.0 is every IPv4 address"
		}
		return "[::] is every IPv6 address"
	case fitDualStack:
		return "[::] takes IPv4 too: dual stack"
	case fitV6Only:
		return "[::] is IPv6-only here"
	case fitFamily:
		if unmap(s.Local.Addr()).Is4() {
			return "IPv4 only"
		}
		return "IPv6 only"
	case fitLoopback:
		return "loopback only"
	default:
		return "bound to " + unmap(s.Local.Addr()).String() + " only"
	}
}

// stateWhy explains a socket on the port that is not a listener.
func stateWhy(s inspect.Socket) string {
	switch s.State {
	case inspect.StateTimeWait:
		return "a closed connection (TIME_WAIT), not a listener"
	case inspect.StateCloseWait:
		return "a connection the peer closed and the owner has not (CLOSE_WAIT)"
	case inspect.StateEstablished:
		return "a connection still open, not a listener"
	case inspect.StateConnected:
		return "connected to " + s.Remote.String() + " only"
	default:
		return "a connection in " + string(s.State) + ", not a listener"
	}
}

// addrsOf lists the addresses of the results.
func addrsOf(rs []AddressResult) []netip.Addr {
	out := make([]netip.Addr, len(rs))
	for i, r := range rs {
		out[i] = r.Addr
	}
	return out
}

// summary is the verdict in one sentence.
func (e *explainer) summary() string {
	rep := e.rep
	first := func(code Code) *Finding {
		for i := range rep.Findings {
			if rep.Findings[i].Code == code {
				return &rep.Findings[i]
			}
		}
		return nil
	}
	var s string
	switch rep.Verdict {
	case VerdictAccept:
		var serving []inspect.Socket
		n := 0
		for _, f := range rep.Findings {
			if f.Code == CodeListening {
				serving = append(serving, f.Sockets...)
				n++
			}
		}
		s = first(CodeListening).Message
		if n > 1 {
			s = fmt.Sprintf("%s listens on %s and would accept %s connections to %s", owners(serving), locals(serving), e.t.Protocol, e.targets(addrsOf(rep.Addresses)))
		}
	case VerdictPartial:
		var acc, ref []netip.Addr
		for _, a := range rep.Addresses {
			if a.Verdict == VerdictAccept {
				acc = append(acc, a.Addr)
			} else {
				ref = append(ref, a.Addr)
			}
		}
		s = fmt.Sprintf("%s port %d would be accepted on %s but not on %s", e.t.Protocol, e.t.Port, addrList(acc, 4), addrList(ref, 4))
	default:
		// The first finding, or for a refusal the first about a refused
		// address.
		s = "nothing to check"
		if len(rep.Findings) > 0 {
			s = rep.Findings[0].Message
		}
		if rep.Verdict == VerdictRefuse {
			for _, f := range rep.Findings {
				if f.Code != CodeNotLocal && f.Code != CodeOwnerHidden {
					s = f.Message
					break
				}
			}
		}
	}
	if rep.Guessed && !strings.Contains(s, "(assumed") {
		s += e.assumedNote()
	}
	return s
}
