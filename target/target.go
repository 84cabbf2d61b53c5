// target.go holds Target, the forms a target is written in, and the parse
// of HOST:PORT, ports and service names.

package target

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"strings"

	"github.com/whyrefused/whyrefused/inspect"
	"github.com/whyrefused/whyrefused/internal/text"
)

// Target is what the user asked about.
type Target struct {
	Input         string           // the text as given, with any URL credentials removed
	Protocol      inspect.Protocol // inspect.TCP unless "/udp" or --udp
	Host          string           // host name or address literal as given (no brackets); "" = every address of this host
	Port          uint16
	Service       string // the service name the port came from ("postgresql"), or ""
	ServiceSource string // the file the service name was found in, or ""
	Scheme        string // URL scheme ("postgres"), or ""
	// PortAssumed says why Port is a client's default, when the pasted
	// line named no port ("mysql's line names no port; 3306 is its
	// default"); "" when the port was given.
	PortAssumed string
}

// ServiceLookup maps a service name to a port, and says which file said so.
type ServiceLookup func(name string, proto inspect.Protocol) (port uint16, source string, err error)

// Resolver resolves a host name to its addresses as the OS does (hosts
// file first). *net.Resolver satisfies it; tests inject a fake.
type Resolver interface {
	LookupNetIP(ctx context.Context, network, host string) ([]netip.Addr, error)
}

// MaxTargetLen is the longest target word accepted (HOST:PORT, a URL).
const MaxTargetLen = 4096

// MaxLineLen is the longest pasted error text accepted: room for a whole
// Python traceback or Java stack trace, not for a log file.
const MaxLineLen = 64 << 10

// SchemePorts are the default ports of the URL schemes whyrefused knows.
var SchemePorts = map[string]uint16{
	"http": 80, "ws": 80,
	"https": 443, "wss": 443,
	"ftp": 21, "ssh": 22, "sftp": 22, "telnet": 23, "smtp": 25,
	"ldap": 389, "ldaps": 636,
	"postgres": 5432, "postgresql": 5432,
	"mysql": 3306, "mariadb": 3306,
	"redis": 6379, "rediss": 6379,
	"amqp": 5672, "amqps": 5671,
	"mongodb": 27017,
	"nats":    4222, "mqtt": 1883, "mqtts": 8883,
	"memcached": 11211, "zookeeper": 2181, "kafka": 9092,
}

// Parse parses one target in any of the accepted forms. Errors are one line, naming the problem.
//
// The forms: a port ("8080"), ":PORT" and HOST:PORT ("[::1]:8080",
// "db.internal:5432", "localhost:postgresql" with the services file), a URL
// whose scheme gives the port when none is written ("postgres://u:p@db/x"),
// or a pasted error line from which the address is taken (Go's "dial tcp
// 127.0.0.1:5432: connect: connection refused", psql's, curl's, ssh's and
// the other clients' of clientlines.go).
// A "/udp" or "/tcp" suffix sets the protocol; otherwise proto is used.
// Of an error line that names several addresses, Parse gives the first:
// ParseAll gives them all.
func Parse(s string, proto inspect.Protocol, services ServiceLookup) (Target, error) {
	ts, err := ParseAll(s, proto, services)
	if err != nil {
		return Target{}, err
	}
	return ts[0], nil
}

// ParseAll is Parse for a text that may name several addresses: a pasted
// error line of a client that tried each address of a name (Node's
// AggregateError, psql, curl -v, wget, asyncio's "Multiple exceptions")
// gives one target per address, in the line's order. It gives at least
// one target, or an error.
func ParseAll(s string, proto inspect.Protocol, services ServiceLookup) ([]Target, error) {
	ts, err := parseTarget(s, proto, services)
	redacted := StripCredentials(s)
	if err == nil && redacted != s {
		// Only where credentials were removed can an address lie in one.
		line := strings.ContainsAny(strings.TrimSpace(s), " \t\r\n")
		for _, t := range ts {
			if line {
				// A URL's scheme in a pasted line goes with the
				// credentials it carried ("jdbc:mysql://u:pw@db:3306"
				// shows as "db:3306"): the host and port are what count.
				t.Scheme = ""
			}
			if err = outsideCredentials(t); err != nil {
				break
			}
		}
	}
	if err != nil {
		msg := text.OneLine(err.Error())
		if redacted != s {
			msg = scrubQuoted(msg, redacted)
		}
		return nil, fmt.Errorf("bad target %s: %s", quoteShort(s), msg)
	}
	return ts, nil
}

func parseTarget(s string, proto inspect.Protocol, services ServiceLookup) ([]Target, error) {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return nil, errors.New("it is empty: give PORT, HOST:PORT or a URL")
	case len(s) > MaxLineLen:
		return nil, fmt.Errorf("it is too long (%d bytes, at most %d): paste the lines that name the address", len(s), MaxLineLen)
	case len(s) > MaxTargetLen && !strings.ContainsAny(s, " \t\r\n"):
		return nil, fmt.Errorf("it is too long (%d bytes, at most %d)", len(s), MaxTargetLen)
	case proto != inspect.TCP && proto != inspect.UDP:
		return nil, fmt.Errorf("unknown protocol %q", proto)
	}
	t := Target{Input: StripCredentials(s), Protocol: proto}
	if strings.ContainsAny(s, " \t\r\n") {
		return parseErrorLine(t, s, services)
	}
	var err error
	switch {
	case strings.Contains(s, "://"):
		err = parseURL(&t, s, services)
	default:
		if lower := strings.ToLower(s); strings.HasSuffix(lower, "/udp") || strings.HasSuffix(lower, "/tcp") {
			t.Protocol = inspect.Protocol(lower[len(lower)-3:])
			s = s[:len(s)-4]
		}
		if i := strings.LastIndexByte(s, '@'); i >= 0 {
			s = s[i+1:] // user[:password]@HOST:PORT: the user is not ours to check
		}
		err = parseHostPort(&t, s, services)
	}
	if err != nil {
		return nil, err
	}
	return []Target{t}, nil
}

// parseHostPort parses PORT, :PORT and HOST:PORT into t.
func parseHostPort(t *Target, s string, services ServiceLookup) error {
	if s == "" {
		return errors.New("no port")
	}
	if isDigits(s) {
		return setPort(t, s, services)
	}
	bracketed := strings.HasPrefix(s, "[")
	switch {
	case bracketed && !strings.Contains(s, "]"):
		return errors.New("missing ']' after the IPv6 address")
	case bracketed && strings.HasSuffix(s, "]"):
		return errors.New("no port after the IPv6 address: give [ADDRESS]:PORT")
	case !strings.Contains(s, ":"):
		return errors.New("no port: give HOST:PORT")
	case !bracketed && strings.Count(s, ":") > 1:
		return errors.New("an IPv6 address needs brackets: [ADDRESS]:PORT")
	}
	host, port, err := net.SplitHostPort(s)
	if err != nil {
		var ae *net.AddrError
		if errors.As(err, &ae) {
			return errors.New(ae.Err)
		}
		return err
	}
	switch {
	case port == "" && host == "":
		return errors.New("no port")
	case port == "":
		return errors.New("no port after the host")
	}
	if err := setHost(t, host, bracketed); err != nil {
		return err
	}
	return setPort(t, port, services)
}

// setHost checks a host name or address literal and stores it.
func setHost(t *Target, host string, bracketed bool) error {
	if host == "" {
		if bracketed {
			return errors.New("empty brackets: give [ADDRESS]:PORT")
		}
		t.Host = ""
		return nil
	}
	if a, err := netip.ParseAddr(host); err == nil {
		if bracketed && !a.Is6() {
			return errors.New("brackets are for IPv6 addresses only")
		}
		t.Host = host
		return nil
	}
	if bracketed {
		return fmt.Errorf("%s is not an IPv6 address", quoteShort(host))
	}
	if !validHostname(host) {
		return fmt.Errorf("%s is not a host name or address", quoteShort(host))
	}
	t.Host = host
	return nil
}

// validHostname accepts DNS names (letters, digits, '-', '_' and dots) of
// at most 253 bytes, with no empty label and a last label that is not all
// digits (so "999.1.1.1" and a time like "03:12" are not taken for names).
func validHostname(h string) bool {
	h = strings.TrimSuffix(h, ".")
	if h == "" || len(h) > 253 || isDigits(h[strings.LastIndexByte(h, '.')+1:]) {
		return false
	}
	for label := range strings.SplitSeq(h, ".") {
		if label == "" || len(label) > 63 || label[0] == '-' {
			return false
		}
		for _, c := range []byte(label) {
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
				return false
			}
		}
	}
	return true
}

// setPort stores a port number or looks up a service name.
func setPort(t *Target, port string, services ServiceLookup) error {
	if isDigits(port) {
		n, err := strconv.ParseUint(port, 10, 32)
		if err != nil || n > 65535 {
			return fmt.Errorf("port %s is out of range (1 to 65535)", clip(port, 12))
		}
		if n == 0 {
			return errors.New("port 0 is not a port a client can connect to (1 to 65535)")
		}
		t.Port = uint16(n)
		return nil
	}
	if !validServiceName(port) {
		return fmt.Errorf("%s is neither a port number nor a service name", quoteShort(port))
	}
	if services == nil {
		return fmt.Errorf("unknown service name %q: no services file to look it up in", port)
	}
	n, src, err := services(port, t.Protocol)
	if err != nil {
		return err
	}
	if n == 0 {
		return fmt.Errorf("service %q has no port", port)
	}
	t.Port, t.Service, t.ServiceSource = n, port, src
	return nil
}

// validServiceName accepts the names of services(5): letters, digits,
// '-', '_', '.', '+', '/' excluded, starting with a letter.
func validServiceName(s string) bool {
	if s == "" || len(s) > 64 || !(s[0] >= 'a' && s[0] <= 'z' || s[0] >= 'A' && s[0] <= 'Z') {
		return false
	}
	for _, c := range []byte(s) {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.' || c == '+') {
			return false
		}
	}
	return true
}

// isDigits reports whether s is one or more ASCII digits.
func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range []byte(s) {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// quoteShort quotes s for an error message: credentials removed, at most
// 60 characters, on one line.
func quoteShort(s string) string {
	return strconv.Quote(clip(StripCredentials(s), 60))
}

// clip shortens s to n runes, marking the cut.
func clip(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "..."
	}
	return s
}
