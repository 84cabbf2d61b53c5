// hosts.go holds the hosts file: where it is and which addresses it gives a
// name.

package probe

import (
	"bytes"
	"net/netip"
	"strings"

	"github.com/whyrefused/whyrefused/inspect"
	"github.com/whyrefused/whyrefused/internal/conffile"
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
// resolvers skip them, and so are lines over conffile.MaxLine bytes: the
// entries after them still count. The time is linear in the file.
func LookupHosts(text, name string) []HostsEntry {
	want := canonicalName(name)
	if want == "" {
		return nil
	}
	var out []HostsEntry
	seen := map[netip.Addr]bool{}
	_ = conffile.Lines(strings.NewReader(text), func(line int, b []byte) bool {
		if i := bytes.IndexByte(b, '#'); i >= 0 {
			b = b[:i]
		}
		fields := strings.Fields(string(b))
		if len(fields) < 2 {
			return true
		}
		addr, err := netip.ParseAddr(fields[0])
		if err != nil || seen[addr] {
			return true
		}
		for _, n := range fields[1:] {
			if canonicalName(n) == want {
				seen[addr] = true
				out = append(out, HostsEntry{Addr: addr, Line: line})
				break
			}
		}
		return true
	}) // a strings.Reader does not fail
	return out
}
