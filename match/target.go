package match

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/whyrefused/whyrefused/inspect"
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
}

// ServiceLookup maps a service name to a port, and says which file said so.
type ServiceLookup func(name string, proto inspect.Protocol) (port uint16, source string, err error)

// Resolver resolves a host name to its addresses as the OS does (hosts
// file first). *net.Resolver satisfies it; tests inject a fake.
type Resolver interface {
	LookupNetIP(ctx context.Context, network, host string) ([]netip.Addr, error)
}

// MaxTargetLen is the longest target text accepted: room for a long pasted
// error line, not for a file.
const MaxTargetLen = 4096

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

// lazyRegexp compiles expr on first use. Most runs (list, --version, a
// plain HOST:PORT) use none of the patterns below, and compiling them all
// at start-up cost every run about 69 KB in 532 allocations.
func lazyRegexp(expr string) func() *regexp.Regexp {
	return sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(expr) })
}

// credentials matches the user information of URLs inside any text, up to
// the last '@' of the authority (a password may hold an '@'); and, for a URL
// whose password holds an unescaped '/' ("u:pa/ss@host"), user:password up
// to the last '@' of the word. The second errs towards hiding too much: in
// "http://host:8080/a@b" it hides "host:8080/a@" from the echoed input (the
// target itself is parsed from the text as given), rather than ever showing
// part of a password.
var credentials = lazyRegexp(`([A-Za-z][A-Za-z0-9+.-]*://)(?:[^/\s?#]*@|[^\s/?#@:]*:[^\s@]*@)`)

// bareCredentials matches user:password@ with no scheme before it
// ("admin:pw@db:5432"), at the start of a word.
var bareCredentials = lazyRegexp(`(^|[\s"'(<,;=])[^\s"'()<>@:/]+:(?:[^\s@/][^\s@]*)?@`)

// secretValues matches key=value secrets in pasted text (a libpq DSN's
// password=... or password='...', a token=... or access_token=... query,
// PGPASSWORD=...): the value is replaced.
var secretValues = lazyRegexp(`(?i)([\w.-]*(?:password|passwd|pwd|secret|token|api[_-]?key|access[_-]?key))(\s*=\s*)('[^']*'?|"[^"]*"?|[^\s&;,'")]+)`)

// StripCredentials removes the user:password@ part of every URL in s (and of
// a bare user:password@host), and the values of password=, token= and the
// like.
func StripCredentials(s string) string {
	if !strings.ContainsAny(s, "@=") {
		return s // nothing to hide: each pattern needs an '@' or an '='
	}
	s = credentials().ReplaceAllString(s, "$1")
	s = bareCredentials().ReplaceAllString(s, "$1")
	return secretValues().ReplaceAllString(s, "$1$2***")
}

// ParseTarget parses one target in any of the accepted forms. Errors are one line, naming the problem.
//
// The forms: a port ("8080"), ":PORT" and HOST:PORT ("[::1]:8080",
// "db.internal:5432", "localhost:postgresql" with the services file), a URL
// whose scheme gives the port when none is written ("postgres://u:p@db/x"),
// or a pasted error line from which the address is taken (Go's "dial tcp
// 127.0.0.1:5432: connect: connection refused", Node's "connect
// ECONNREFUSED ::1:3306", a [WinError 10061] line that names the address).
// A "/udp" or "/tcp" suffix sets the protocol; otherwise proto is used.
func ParseTarget(s string, proto inspect.Protocol, services ServiceLookup) (Target, error) {
	t, err := parseTarget(s, proto, services)
	if err != nil {
		return Target{}, fmt.Errorf("bad target %s: %s", quoteShort(s), oneLine(err.Error()))
	}
	return t, nil
}

func parseTarget(s string, proto inspect.Protocol, services ServiceLookup) (Target, error) {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return Target{}, errors.New("it is empty: give PORT, HOST:PORT or a URL")
	case len(s) > MaxTargetLen:
		return Target{}, fmt.Errorf("it is too long (%d bytes, at most %d)", len(s), MaxTargetLen)
	case proto != inspect.TCP && proto != inspect.UDP:
		return Target{}, fmt.Errorf("unknown protocol %q", proto)
	}
	t := Target{Input: StripCredentials(s), Protocol: proto}
	if strings.ContainsAny(s, " \t\r\n") {
		return t, parseErrorLine(&t, s, services)
	}
	if strings.Contains(s, "://") {
		return t, parseURL(&t, s, services)
	}
	if lower := strings.ToLower(s); strings.HasSuffix(lower, "/udp") || strings.HasSuffix(lower, "/tcp") {
		t.Protocol = inspect.Protocol(lower[len(lower)-3:])
		s = s[:len(s)-4]
	}
	if i := strings.LastIndexByte(s, '@'); i >= 0 {
		s = s[i+1:] // user[:password]@HOST:PORT: the user is not ours to check
	}
	return t, parseHostPort(&t, s, services)
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

// parseURL parses a URL target: the scheme gives the port when none is
// written. Credentials are dropped.
// quoted finds the quoted parts of an error message.
var quoted = lazyRegexp(`"(?:[^"\\]|\\.)*"`)

// revealsUserinfo reports whether msg, net/url's complaint about the URL s,
// quotes a piece of the user:password part of s: a password holding an
// unescaped '/' makes net/url read part of it as the host's port.
func revealsUserinfo(s, msg string) bool {
	m := credentials().FindStringSubmatchIndex(s)
	if m == nil {
		return false
	}
	userinfo := s[m[3]:m[1]]
	for _, q := range quoted().FindAllString(msg, -1) {
		if part, err := strconv.Unquote(q); err == nil && part != "" && strings.Contains(userinfo, part) {
			return true
		}
	}
	return false
}

func parseURL(t *Target, s string, services ServiceLookup) error {
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
	if u.User == nil && credentials().MatchString(s) {
		// "http://admin:pa/ss@db": net/url reads host admin, port "pa",
		// path "/ss@db"; the user may mean host db. Either may be meant.
		return errors.New("ambiguous URL: percent-encode a '/' in the password (%2F), or an '@' in the path (%40)")
	}
	t.Scheme = strings.ToLower(u.Scheme)
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

// oneLine folds a message onto one line.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
