// words.go holds the small English rules that findings, rows and the
// summary share: owners, address lists, counts.

package match

import (
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/whyrefused/whyrefused/inspect"
)

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

// countOf counts a noun in English: "1 socket" or "3 sockets".
func countOf(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.Itoa(n) + " " + word + "s"
}
