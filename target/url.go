// url.go holds the parse of URL targets, whose scheme gives the port.

package target

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/whyrefused/whyrefused/inspect"
)

// quoted finds the quoted parts of an error message.
var quoted = lazyRegexp(`"(?:[^"\\]|\\.)*"`)

// revealsUserinfo reports whether msg, net/url's complaint about the URL s,
// quotes a piece of the user:password part of s: a password holding an
// unescaped '/' makes net/url read part of it as the host's port.
func revealsUserinfo(s, msg string) bool {
	userinfo, _ := urlUserinfo(s)
	if userinfo == "" {
		return false
	}
	for _, q := range quoted().FindAllString(msg, -1) {
		if part, err := strconv.Unquote(q); err == nil && part != "" && strings.Contains(userinfo, part) {
			return true
		}
	}
	return false
}

// parseURL parses a URL target: the scheme gives the port when none is
// written. Credentials are dropped.
func parseURL(t *Target, s string, services ServiceLookup) error {
	if _, ambiguous := urlUserinfo(s); ambiguous {
		// "http://admin:pa/ss@db": a URL parser reads host admin, port
		// "pa", path "/ss@db"; the user may mean host db. Either may be
		// meant.
		return errors.New("ambiguous URL: percent-encode a '/', '?', '#' or '@' in the password (%2F, %3F, %23, %40), or an '@' in the path (%40)")
	}
	u, err := url.Parse(s)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		if revealsUserinfo(s, err.Error()) {
			return errors.New("not a valid URL: a password that holds '/', '?', '#' or '@' must be percent-encoded")
		}
		return fmt.Errorf("not a valid URL: %s", err)
	}
	t.Scheme = strings.ToLower(u.Scheme)
	switch t.Scheme { // udp://HOST:PORT and tcp://HOST:PORT name the protocol
	case "udp":
		t.Protocol = inspect.UDP
	case "tcp":
		t.Protocol = inspect.TCP
	}
	if strings.Contains(t.Scheme, "+srv") {
		return fmt.Errorf("%s URLs name a DNS SRV record, not a host and port: give HOST:PORT", t.Scheme)
	}
	host := u.Hostname()
	if host == "" {
		return errors.New("the URL has no host")
	}
	if err := setHost(t, host, strings.HasPrefix(u.Host, "[")); err != nil {
		return err
	}
	if p := u.Port(); p != "" {
		return setPort(t, p, services)
	}
	if strings.HasSuffix(u.Host, ":") {
		return errors.New("no port after the host")
	}
	if port, ok := SchemePorts[t.Scheme]; ok {
		t.Port = port
		return nil
	}
	if services != nil && validServiceName(t.Scheme) {
		if n, src, err := services(t.Scheme, t.Protocol); err == nil && n != 0 {
			t.Port, t.Service, t.ServiceSource = n, t.Scheme, src
			return nil
		}
	}
	return fmt.Errorf("no port in the URL and no default port known for %q", t.Scheme)
}
