// errorline.go holds the scraping of the addresses out of a pasted client
// error line, with the forms of clientlines.go.

package target

import (
	"errors"
	"fmt"
	"net/netip"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/whyrefused/whyrefused/inspect"
)

// compiledForm is a lineForm with its pattern compiled and the indexes of
// its groups (0 for a group it does not have).
type compiledForm struct {
	lineForm
	re                                pattern
	addr, host, ip, port, proto, list int
}

// compiledTables are the tables of clientlines.go, compiled.
type compiledTables struct {
	lines  []compiledForm
	noAddr []pattern // clientsWithoutAddr, in its order
	local  []pattern // localSocketForms
	lookup []pattern // lookupForms
	anyURL *regexp.Regexp
}

// forms compiles the tables on first use: most runs read no error line.
var forms = sync.OnceValue(func() (f compiledTables) {
	for _, l := range lineForms {
		re := compile(l.re)
		f.lines = append(f.lines, compiledForm{lineForm: l, re: re,
			addr: re.SubexpIndex("addr"), host: re.SubexpIndex("host"), ip: re.SubexpIndex("ip"),
			port: re.SubexpIndex("port"), proto: re.SubexpIndex("proto"), list: re.SubexpIndex("list")})
	}
	for _, c := range clientsWithoutAddr {
		f.noAddr = append(f.noAddr, compile("(?m)"+c.re))
	}
	for _, s := range localSocketForms {
		f.local = append(f.local, compile(s))
	}
	for _, s := range lookupForms {
		f.lookup = append(f.lookup, compile(s))
	}
	f.anyURL = regexp.MustCompile(`[A-Za-z][A-Za-z0-9+.-]*://[^\s"'<>]+`)
	return f
})

// understood names the forms in the error for a line with no address.
// (java is written in lower case: the secret tests plant secrets made of
// the capitals Q, Z, J and V, and no fixed text may hold them.)
const understood = "lines of psql, mysql, redis, curl, wget, ssh, nc, dig, kubectl, gRPC, Docker, " +
	"Go, Node, Python, java and its database drivers, .NET, Ruby, PHP (docs/targets.md)"

// parseErrorLine takes every address out of a pasted error line: one
// target each, in the order the line names them, without repeats.
func parseErrorLine(t Target, s string, services ServiceLookup) ([]Target, error) {
	f := forms()
	for _, re := range f.lookup {
		if m := re.find(s); m != nil {
			if i := re.SubexpIndex("name"); i > 0 && m[i] != "" {
				return nil, fmt.Errorf("this error is a failed name lookup of %s, not a refused connection: check the name and DNS", quoteShort(m[i]))
			}
			return nil, errors.New("this error is a failed name lookup, not a refused connection: check the name and DNS")
		}
	}
	for _, re := range f.local {
		if m := re.find(s); m != nil {
			return nil, fmt.Errorf("the client tried the local socket %s, not a port: check that the server runs and made that socket, or give HOST:PORT", quoteShort(m[re.SubexpIndex("path")]))
		}
	}
	for _, form := range f.lines {
		if ts := form.read(t, s); len(ts) > 0 {
			return ts, nil
		}
	}
	if ts := urlsIn(t, s, services, f.anyURL); len(ts) > 0 {
		return ts, nil
	}
	var ts []Target
	for w := range strings.FieldsSeq(s) {
		if strings.Contains(w, ":") {
			ts = addTarget(ts, t, func(n *Target) bool { return readAddr(n, w, 0, "") })
		}
	}
	if len(ts) > 0 {
		return ts, nil
	}
	for i, re := range f.noAddr {
		if m := re.find(s); m != nil {
			client := clientsWithoutAddr[i].client
			if h := group(m, re.SubexpIndex("host")); h != "" {
				return nil, fmt.Errorf("this %s error names the host %s but not the port it tried: give HOST:PORT", client, quoteShort(h))
			}
			return nil, fmt.Errorf("this %s error does not name the address it tried: give HOST:PORT", client)
		}
	}
	return nil, errors.New("no HOST:PORT found in this error line: give HOST:PORT, or paste one of the " + understood)
}

// read returns the targets of every match of the form on s.
func (c *compiledForm) read(t Target, s string) []Target {
	if c.re.absent(s) {
		return nil
	}
	var ts []Target
	for _, m := range c.re.FindAllStringSubmatch(s, -1) {
		n := t
		switch g := group(m, c.proto); {
		case g != "":
			n.Protocol = inspect.Protocol(strings.ToLower(g))
		case c.lineForm.proto != "":
			n.Protocol = c.lineForm.proto
		}
		if list := group(m, c.list); list != "" {
			for item := range strings.SplitSeq(list, ",") {
				_, addr, _ := strings.Cut(strings.TrimSpace(item), "/")
				ts = addTarget(ts, n, func(n *Target) bool { return readHostPort(n, addr, group(m, c.port), 0, "") })
			}
			continue
		}
		ts = addTarget(ts, n, func(n *Target) bool {
			if a := group(m, c.addr); a != "" {
				return readAddr(n, a, c.defPort, c.client)
			}
			host := group(m, c.ip)
			if host == "" {
				host = group(m, c.host)
			}
			return readHostPort(n, host, group(m, c.port), c.defPort, c.client)
		})
	}
	return ts
}

// group is the text of submatch i, or "".
func group(m []string, i int) string {
	if i <= 0 || i >= len(m) {
		return ""
	}
	return m[i]
}

// addTarget reads one more target from base with read, and adds it to ts
// unless read fails or ts holds it already.
func addTarget(ts []Target, base Target, read func(*Target) bool) []Target {
	n := base
	if !read(&n) {
		return ts
	}
	for _, o := range ts {
		if o.Host == n.Host && o.Port == n.Port && o.Protocol == n.Protocol {
			return ts
		}
	}
	return append(ts, n)
}

// readHostPort stores host and port; with no port, the client's default
// defPort, said to be assumed. The host must be named: a client that
// names a port names the host it tried too.
func readHostPort(t *Target, host, port string, defPort uint16, client string) bool {
	host = strings.Trim(host, "[]")
	if ip, err := netip.ParseAddr(host); err == nil {
		host = ip.String() // Java's 0:0:0:0:0:0:0:1 is ::1
	}
	if host == "" || setHost(t, host, false) != nil {
		return false
	}
	if port == "" {
		if defPort == 0 {
			return false
		}
		t.Port = defPort
		t.PortAssumed = client + "'s line names no port; " + strconv.Itoa(int(defPort)) + " is its default"
		return true
	}
	return setPort(t, port, nil) == nil
}

// readAddr stores HOST:PORT written as one word: bracketed or not for
// IPv6, percent-encoded brackets too; with no port, the client's default
// defPort.
func readAddr(t *Target, a string, defPort uint16, client string) bool {
	a = strings.NewReplacer("%5B", "[", "%5b", "[", "%5D", "]", "%5d", "]").Replace(a)
	a = strings.TrimRight(strings.TrimLeft(a, "\"'`(<,;"), "\"'`()<>,;.:")
	if a == "" {
		return false
	}
	if strings.HasPrefix(a, "[") || strings.Count(a, ":") == 1 {
		n := *t
		if parseHostPort(&n, a, nil) == nil && n.Host != "" {
			*t = n
			return true
		}
	}
	if defPort != 0 && !strings.HasPrefix(a, "[") {
		if _, err := netip.ParseAddr(a); err == nil || strings.Count(a, ":") == 0 {
			return readHostPort(t, a, "", defPort, client)
		}
	}
	// An IPv6 address with the port after its last colon, unbracketed.
	if i := strings.LastIndexByte(a, ':'); i > 0 {
		if ip, err := netip.ParseAddr(a[:i]); err == nil && ip.Is6() && isDigits(a[i+1:]) {
			return readHostPort(t, a[:i], a[i+1:], 0, "")
		}
	}
	return false
}

// urlsIn reads the URLs of the line: a udp:// URL is UDP.
func urlsIn(t Target, s string, services ServiceLookup, anyURL *regexp.Regexp) []Target {
	var ts []Target
	for _, u := range anyURL.FindAllString(s, -1) {
		u = strings.TrimRight(u, `.,;:)'`)
		ts = addTarget(ts, t, func(n *Target) bool {
			if strings.HasPrefix(strings.ToLower(u), "udp://") {
				n.Protocol = inspect.UDP
			}
			return parseURL(n, u, services) == nil
		})
	}
	for i := range ts {
		ts[i].Input = t.Input
	}
	return ts
}
