// errorline.go holds the scraping of an address out of a pasted client
// error line.

package target

import (
	"errors"
	"fmt"
	"net/netip"
	"regexp"
	"strings"

	"github.com/whyrefused/whyrefused/inspect"
)

// Patterns of addresses in pasted error lines, most specific first.
var (
	// Go: "dial tcp 127.0.0.1:5432: connect: connection refused".
	goDial = lazyRegexp(`\b(?:dial|read|write) (tcp|udp)[46]? (\S+?):? `)
	// Node: "connect ECONNREFUSED ::1:3306" (IPv6 without brackets).
	nodeRefused = lazyRegexp(`\bECONNREFUSED (\S+)`)
	// curl: "Failed to connect to localhost port 8080".
	curlPort = lazyRegexp(`\bto (\S+) port (\d+)`)
	// libpq: `connection to server at "db" (10.0.0.5), port 5432 failed`.
	libpq = lazyRegexp(`server at "([^"]+)" \(([^)]+)\), port (\d+)`)
	// Python's urllib3: "host='localhost', port=8080".
	pyHostPort = lazyRegexp(`host='([^']*)', port=(\d+)`)
	// Go's failed name lookup: "dial tcp: lookup db.internal on
	// 127.0.0.53:53: no such host"; the address there is the DNS server's.
	goLookup = lazyRegexp(`\blookup (\S+?)(?: on \S+)?: `)
	// A URL anywhere on the line.
	anyURL = lazyRegexp(`[A-Za-z][A-Za-z0-9+.-]*://[^\s"'<>]+`)
)

// parseErrorLine takes the address out of a pasted error line.
func parseErrorLine(t *Target, s string, services ServiceLookup) error {
	tryAddr := func(a string) bool {
		a = strings.TrimRight(strings.Trim(a, `"'()<>,;.`), ":")
		if a == "" {
			return false
		}
		if err := parseHostPort(t, a, nil); err == nil {
			return true
		}
		// An IPv6 address with the port after its last colon, unbracketed.
		if i := strings.LastIndexByte(a, ':'); i > 0 {
			if _, err := netip.ParseAddr(a[:i]); err == nil && isDigits(a[i+1:]) {
				return setHost(t, a[:i], false) == nil && setPort(t, a[i+1:], nil) == nil
			}
		}
		return false
	}
	if m := goDial().FindStringSubmatch(s); m != nil {
		t.Protocol = inspect.Protocol(m[1])
		if tryAddr(m[2]) {
			return nil
		}
	}
	if m := nodeRefused().FindStringSubmatch(s); m != nil && tryAddr(m[1]) {
		return nil
	}
	if m := goLookup().FindStringSubmatch(s); m != nil {
		*t = Target{}
		return fmt.Errorf("this error is a failed name lookup of %s, not a refused connection: check the name and DNS", quoteShort(m[1]))
	}
	if m := libpq().FindStringSubmatch(s); m != nil {
		if setHost(t, m[2], false) == nil && setPort(t, m[3], nil) == nil {
			return nil
		}
		if setHost(t, m[1], false) == nil && setPort(t, m[3], nil) == nil {
			return nil
		}
	}
	for _, re := range []*regexp.Regexp{curlPort(), pyHostPort()} {
		if m := re.FindStringSubmatch(s); m != nil && setHost(t, strings.Trim(m[1], "[]"), false) == nil && setPort(t, m[2], nil) == nil {
			return nil
		}
	}
	if u := anyURL().FindString(s); u != "" {
		saved := *t
		if parseURL(t, strings.TrimRight(u, `.,;)`), services) == nil {
			t.Input = saved.Input
			return nil
		}
		*t = saved
	}
	for f := range strings.FieldsSeq(s) {
		if strings.Contains(f, ":") && tryAddr(f) {
			return nil
		}
	}
	*t = Target{}
	return errors.New("no HOST:PORT found in this error line: give the address as HOST:PORT")
}
