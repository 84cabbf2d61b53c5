// hosts.go holds the hosts file: where it is and which addresses it gives a
// name.

package probe

import (
	"bufio"
	"net/netip"
	"strings"

	"github.com/whyrefused/whyrefused/inspect"
)

// HostsEntry is one address that the hosts file gives a name.
type HostsEntry struct {
	Addr netip.Addr
	// Line is the entry's line number in the file, from 1.
	Line int
}

// HostsPath is where the OS keeps its hosts file: %SystemRoot%\System32\
// drivers\etc\hosts on Windows, /etc/hosts elsewhere. getenv reads the
// environment (os.Getenv).
func HostsPath(goos string, getenv func(string) string) string {
	return inspect.EtcPath(goos, getenv, "hosts")
}

// canonicalName lower-cases a host name and drops a final dot, as resolvers
// compare names.
func canonicalName(name string) string {
	return strings.TrimSuffix(strings.ToLower(name), ".")
}

// LookupHosts returns the addresses that the hosts file text gives name, in
// file order, each once. A line is an address, then names and aliases; "#"
// starts a comment. Lines whose address does not parse are skipped, as
// resolvers skip them.
func LookupHosts(text, name string) []HostsEntry {
	want := canonicalName(name)
	if want == "" {
		return nil
	}
	var out []HostsEntry
	sc := bufio.NewScanner(strings.NewReader(text))
	sc.Buffer(make([]byte, 0, 64*1024), 1024*1024)
	for line := 1; sc.Scan(); line++ {
		text := sc.Text()
		if i := strings.IndexByte(text, '#'); i >= 0 {
			text = text[:i]
		}
		fields := strings.Fields(text)
		if len(fields) < 2 {
			continue
		}
		addr, err := netip.ParseAddr(fields[0])
		if err != nil {
			continue
		}
		for _, n := range fields[1:] {
			if canonicalName(n) == want && !containsAddr(out, addr) {
				out = append(out, HostsEntry{Addr: addr, Line: line})
				break
			}
		}
	}
	return out
}

// containsAddr reports whether entries hold addr.
func containsAddr(entries []HostsEntry, addr netip.Addr) bool {
	for _, e := range entries {
		if e.Addr == addr {
			return true
		}
	}
	return false
}
