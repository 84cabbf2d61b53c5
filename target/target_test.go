// target_test.go holds the tests and fuzz targets of target parsing and
// redaction.

package target

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/whyrefused/whyrefused/inspect"
)

// fakeServices knows a few names, like a small /etc/services.
func fakeServices(name string, proto inspect.Protocol) (uint16, string, error) {
	ports := map[string]uint16{"postgresql": 5432, "postgres": 5432, "http": 80, "ssh": 22, "imap": 143}
	if proto == inspect.UDP {
		ports = map[string]uint16{"domain": 53, "syslog": 514}
	}
	if p, ok := ports[strings.ToLower(name)]; ok {
		return p, "/etc/services", nil
	}
	return 0, "", fmt.Errorf("unknown service name %q (not in /etc/services for %s)", name, proto)
}

func TestParseTarget(t *testing.T) {
	tcp, udp := inspect.TCP, inspect.UDP
	cases := []struct {
		in   string
		want Target // Input is compared only when set
	}{
		{"8080", Target{Host: "", Port: 8080}},
		{" 8080 ", Target{Input: "8080", Port: 8080}},
		{":8080", Target{Host: "", Port: 8080}},
		{"127.0.0.1:8080", Target{Host: "127.0.0.1", Port: 8080}},
		{"[::1]:8080", Target{Host: "::1", Port: 8080}},
		{"[fe80::1%eth0]:22", Target{Host: "fe80::1%eth0", Port: 22}},
		{"[::ffff:127.0.0.1]:80", Target{Host: "::ffff:127.0.0.1", Port: 80}},
		{"db.internal:5432", Target{Host: "db.internal", Port: 5432}},
		{"localhost:postgresql", Target{Host: "localhost", Port: 5432, Service: "postgresql", ServiceSource: "/etc/services"}},
		{"localhost:postgres", Target{Host: "localhost", Port: 5432, Service: "postgres", ServiceSource: "/etc/services"}},
		{"127.0.0.1:domain/udp", Target{Host: "127.0.0.1", Port: 53, Protocol: udp, Service: "domain", ServiceSource: "/etc/services"}},
		{"53/udp", Target{Port: 53, Protocol: udp}},
		{"53/UDP", Target{Port: 53, Protocol: udp}},
		{"[::1]:53/udp", Target{Host: "::1", Port: 53, Protocol: udp}},
		{"host-1.example.com:443/tcp", Target{Host: "host-1.example.com", Port: 443}},
		{"http://host/x", Target{Host: "host", Port: 80, Scheme: "http"}},
		{"https://host", Target{Host: "host", Port: 443, Scheme: "https"}},
		{"HTTPS://host:8443/a?b=c", Target{Host: "host", Port: 8443, Scheme: "https"}},
		{"postgres://u:p@host/db", Target{Input: "postgres://host/db", Host: "host", Port: 5432, Scheme: "postgres"}},
		{"postgresql://admin:s3cret@10.0.0.5:5433/app?sslmode=disable", Target{Input: "postgresql://10.0.0.5:5433/app?sslmode=disable", Host: "10.0.0.5", Port: 5433, Scheme: "postgresql"}},
		{"mysql://root@db", Target{Input: "mysql://db", Host: "db", Port: 3306, Scheme: "mysql"}},
		{"redis://:pw@cache", Target{Input: "redis://cache", Host: "cache", Port: 6379, Scheme: "redis"}},
		{"amqp://guest:guest@mq/vhost", Target{Input: "amqp://mq/vhost", Host: "mq", Port: 5672, Scheme: "amqp"}},
		{"mongodb://u:p@mongo", Target{Input: "mongodb://mongo", Host: "mongo", Port: 27017, Scheme: "mongodb"}},
		{"ssh://git@[::1]", Target{Input: "ssh://[::1]", Host: "::1", Port: 22, Scheme: "ssh"}},
		{"imap://mail", Target{Host: "mail", Port: 143, Scheme: "imap", Service: "imap", ServiceSource: "/etc/services"}},
		{"dial tcp 127.0.0.1:5432: connect: connection refused", Target{Host: "127.0.0.1", Port: 5432}},
		{"dial tcp [::1]:5432: connect: connection refused", Target{Host: "::1", Port: 5432}},
		{"dial udp 127.0.0.1:53: connect: connection refused", Target{Host: "127.0.0.1", Port: 53, Protocol: udp}},
		{`Get "http://u:pw@localhost:8080/x": dial tcp 127.0.0.1:8080: connect: connection refused`,
			Target{Input: `Get "http://localhost:8080/x": dial tcp 127.0.0.1:8080: connect: connection refused`, Host: "127.0.0.1", Port: 8080}},
		{"connect ECONNREFUSED ::1:3306", Target{Host: "::1", Port: 3306}},
		{"dial tcp 127.0.0.1:5432: connectex: No connection could be made because the target machine actively refused it.", Target{Host: "127.0.0.1", Port: 5432}},
		{"psycopg2.OperationalError: could not connect to 10.0.0.5:5432: Connection refused", Target{Host: "10.0.0.5", Port: 5432}},
		{"Error: connect ECONNREFUSED 127.0.0.1:6379", Target{Host: "127.0.0.1", Port: 6379}},
		{"[WinError 10061] No connection could be made because the target machine actively refused it 10.0.0.5:8080",
			Target{Host: "10.0.0.5", Port: 8080}},
		{"HTTPConnectionPool(host='localhost', port=8000): Max retries exceeded with url: / (Caused by NewConnectionError('<urllib3.connection.HTTPConnection object at 0x01>: Failed to establish a new connection: [WinError 10061] No connection could be made because the target machine actively refused it'))",
			Target{Host: "localhost", Port: 8000}},
		{"System.Net.Sockets.SocketException (10061): No connection could be made because the target machine actively refused it. [::ffff:127.0.0.1]:5000",
			Target{Host: "::ffff:127.0.0.1", Port: 5000}},
		{"curl: (7) Failed to connect to localhost port 8080 after 0 ms: Couldn't connect to server", Target{Host: "localhost", Port: 8080}},
		{`psql: error: connection to server at "db" (10.0.0.5), port 5432 failed: Connection refused`, Target{Host: "10.0.0.5", Port: 5432}},
		{"admin:S3kr1t@127.0.0.1:80", Target{Input: "127.0.0.1:80", Host: "127.0.0.1", Port: 80}},
		{"git@github.example:22", Target{Input: "git@github.example:22", Host: "github.example", Port: 22}},
		{"dial tcp 10.0.0.5:5432: connect: connection refused (password=s3cret)", Target{Input: "dial tcp 10.0.0.5:5432: connect: connection refused (password=***", Host: "10.0.0.5", Port: 5432}},
		{"error: could not reach https://user:pw@api.example.com/v1 (connection refused)", Target{Input: "error: could not reach https://api.example.com/v1 (connection refused)", Host: "api.example.com", Port: 443, Scheme: "https"}},
	}
	for _, c := range cases {
		got, err := Parse(c.in, tcp, fakeServices)
		if err != nil {
			t.Errorf("Parse(%q): %v", c.in, err)
			continue
		}
		want := c.want
		if want.Protocol == "" {
			want.Protocol = tcp
		}
		if want.Input == "" {
			want.Input = strings.TrimSpace(c.in)
		}
		if got != want {
			t.Errorf("Parse(%q)\n got  %+v\n want %+v", c.in, got, want)
		}
		if strings.Contains(got.Input, "s3cret") || strings.Contains(got.Input, ":pw@") || strings.Contains(got.Input, ":p@") {
			t.Errorf("Parse(%q): credentials kept in Input %q", c.in, got.Input)
		}
	}
}

func TestParseTargetUDPFlag(t *testing.T) {
	got, err := Parse("127.0.0.1:53", inspect.UDP, fakeServices)
	if err != nil || got.Protocol != inspect.UDP {
		t.Errorf("--udp: %+v, %v", got, err)
	}
	got, err = Parse("127.0.0.1:53/tcp", inspect.UDP, fakeServices)
	if err != nil || got.Protocol != inspect.TCP {
		t.Errorf("/tcp overrides --udp: %+v, %v", got, err)
	}
	got, err = Parse("udp://198.18.0.1:5353", inspect.TCP, fakeServices)
	if err != nil || got.Protocol != inspect.UDP || got.Port != 5353 {
		t.Errorf("udp:// is UDP: %+v, %v", got, err)
	}
	got, err = Parse("tcp://198.18.0.1:53", inspect.UDP, fakeServices)
	if err != nil || got.Protocol != inspect.TCP {
		t.Errorf("tcp:// is TCP: %+v, %v", got, err)
	}
}

func TestParseTargetErrors(t *testing.T) {
	cases := []struct{ in, names string }{
		{"http://admin:8080/x@127.0.0.1", "ambiguous URL"},
		{"", "empty"},
		{"   ", "empty"},
		{":", "no port"},
		{"host:", "no port"},
		{"0", "port 0"},
		{"65536", "65536"},
		{"99999999999999999999", "out of range"},
		{"[::1", "]"},
		{"[::1]", "no port"},
		{"[]:80", "empty brackets"},
		{"[db]:80", "not an IPv6 address"},
		{"[127.0.0.1]:80", "IPv6"},
		{"::1:80", "brackets"},
		{"http://", "no host"},
		{"http://host:99999/", "out of range"},
		{"http://u:s3cret@host:abc/", "invalid port"},
		{"gopher+x://host", "no default port"},
		{"mongodb+srv://u:p@cluster0.example.net/db", "SRV"},
		{"localhost:postgresq", "postgresq"},
		{"localhost:domain", "domain"}, // a UDP-only service asked over TCP
		{"db.internal", "no port"},
		{"bad_host!:80", "not a host name"},
		{"999.1.1.1:80", "not a host name"},
		{"host:-1", "neither a port number nor a service name"},
		{strings.Repeat("a", 10000), "too long"},
		{strings.Repeat("a b ", 20000), "too long"},
		{"connection refused somewhere", "no HOST:PORT"},
		{"dial tcp: lookup db.internal on 127.0.0.53:53: no such host", `failed name lookup of "db.internal"`},
		{"java.net.ConnectException: Connection refused: connect", "this java error does not name the address it tried: give HOST:PORT"},
		{"ssh: connect to host 198.18.0.1 port : Connection refused", "this ssh error"},
		{"line one\nline two", "no HOST:PORT"},
	}
	for _, c := range cases {
		_, err := Parse(c.in, inspect.TCP, fakeServices)
		if err == nil {
			t.Errorf("Parse(%q): no error", clip(c.in, 40))
			continue
		}
		msg := err.Error()
		if strings.Contains(msg, "\n") || len(msg) > 300 {
			t.Errorf("Parse(%q): error not one short line: %q", clip(c.in, 40), msg)
		}
		if !strings.Contains(msg, c.names) {
			t.Errorf("Parse(%q): error %q does not name %q", clip(c.in, 40), msg, c.names)
		}
		if strings.Contains(msg, "s3cret") {
			t.Errorf("Parse(%q): error shows the password: %q", c.in, msg)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"8080", ":8080", "127.0.0.1:8080", "[::1]:8080", "db.internal:5432", "localhost:postgresql",
		"http://host/x", "https://h", "postgres://u:p@host/db", "mysql://h", "redis://h", "amqp://h",
		"mongodb://h", "ssh://h", "53/udp", "[fe80::1%eth0]:22",
		"dial tcp 127.0.0.1:5432: connect: connection refused", "connect ECONNREFUSED ::1:3306",
		"[WinError 10061] No connection could be made 10.0.0.5:80", "host='h', port=80",
		":", "host:", "0", "65536", "[::1", "http://", "", "[", "]:", "::", "a://@", "x://[::1]:",
		// The client forms, some with credentials.
		`psql: error: connection to server at "db" (10.0.0.5), port 5432 failed: Connection refused`,
		"ERROR 2002 (HY000): Can't connect to server on '::1' (115)",
		"ssh: connect to host 198.18.0.1 port 22: Connection refused",
		"nc: connect to localhost (127.0.0.1) port 8080 (tcp) failed: Connection refused",
		"Connecting to localhost (localhost)|::1|:8080... failed: Connection refused.",
		";; communications error to ::1#53: connection refused",
		"[Errno 111] Connect call failed ('::1', 8080, 0, 0)",
		"read udp 127.0.0.1:1->127.0.0.1:53: read: connection refused",
		`Connection refused - connect(2) for "localhost" port 8080`,
		"Connect to localhost:8080 [localhost/127.0.0.1, localhost/0:0:0:0:0:0:0:1] failed",
		"failed: UNKNOWN: ipv6:%5B::1%5D:50051: Connection refused",
		"WARNING: TCP connect to (::1 : 8080) failed",
		"Could not connect to address=(host=db)(port=3306)(user=root)(password=s3cret)",
		"failed to connect to jdbc:mysql://root:s3cret@db:3306/app",
		"Cannot connect to the Docker daemon at tcp://u:p@198.18.0.3:2375. Is the docker daemon running?",
		"Error 111 connecting to cache:6379. Connection refused. url=redis://:s3cret@cache:6379/0",
		"Ncat: Connection refused.", "Trying ::1...", "dial unix /run/x.sock: connect: no such file",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, proto := range []inspect.Protocol{inspect.TCP, inspect.UDP} {
			got, err := Parse(s, proto, fakeServices)
			if err != nil {
				if strings.ContainsAny(err.Error(), "\n\r") {
					t.Fatalf("error on more than one line: %q", err)
				}
				if got != (Target{}) {
					t.Fatalf("error %v with a non-zero target %+v", err, got)
				}
				continue
			}
			if got.Port == 0 {
				t.Fatalf("Parse(%q) accepted port 0: %+v", s, got)
			}
			if got.Protocol != inspect.TCP && got.Protocol != inspect.UDP {
				t.Fatalf("Parse(%q): protocol %q", s, got.Protocol)
			}
			if StripCredentials(got.Input) != got.Input {
				t.Fatalf("Parse(%q): credentials left in Input %q", s, got.Input)
			}
			if strings.ContainsAny(strings.TrimSpace(s), " \t\r\n") {
				all, err := ParseAll(s, proto, fakeServices)
				if err != nil || len(all) == 0 || all[0] != got {
					t.Fatalf("ParseAll(%q) = %+v, %v; Parse gave %+v", s, all, err, got)
				}
				for _, a := range all {
					if a.Host == "" {
						t.Fatalf("the error line %q read as every address of this host: %+v", s, a)
					}
				}
			}
		}
	})
}

// TestURLErrorsHidePasswords: net/url's complaint about a URL whose
// password holds a '/' quotes a piece of that password; it is not shown.
func TestURLErrorsHidePasswords(t *testing.T) {
	for _, in := range []string{"postgres://u:Zq7/Wv9@127.0.0.1/db", "redis://:Kx3/Jm4@cache:6379", "mysql://root:Yp8/Qd2@db/app"} {
		_, err := Parse(in, inspect.TCP, nil)
		if err == nil {
			t.Errorf("Parse(%q) accepted a malformed URL", in)
			continue
		}
		for _, secret := range []string{"Zq7", "Wv9", "Kx3", "Jm4", "Yp8", "Qd2"} {
			if strings.Contains(in, secret) && strings.Contains(err.Error(), secret) {
				t.Errorf("Parse(%q): error %q shows part of the password (%q)", in, err, secret)
			}
		}
		if strings.Count(err.Error(), "\n") != 0 {
			t.Errorf("error is not one line: %q", err)
		}
	}
}

func TestStripCredentials(t *testing.T) {
	for in, want := range map[string]string{
		"postgres://u:p@ss@host/db":            "postgres://host/db",
		"x https://a:b@h/p and ftp://c@d/ end": "x https://d/ end", // a password runs to the line's last '@'
		"x https://h/p and ftp://c@d/ end":     "x https://h/p and ftp://d/ end",
		"http://host/a@b":                      "http://host/a@b",
		"no url here u:p@h":                    "no url here h",
		"admin:S3kr1t@127.0.0.1:80":            "127.0.0.1:80",
		"user@host:22":                         "user@host:22",
		"dial tcp [::1]:5432: connect":         "dial tcp [::1]:5432: connect",
		"GET /?access_token=AbC1&x=1":          "GET /?access_token=***&x=1",
		"PGPASSWORD=hunter2 psql":              "PGPASSWORD=*** psql",
		"db_password = hunter2":                "db_password = ***",
		"host=db port=5432 password='a b c'":   "host=db port=5432 password=***",
		`client_secret="x y" end`:              `client_secret=*** end`,
		"password='never closed":               "password=***",
		"postgres://u:pa/ss@host/db":           "postgres://host/db",
		"dial redis://:s3/cr3t@cache:6379 x":   "dial redis://cache:6379 x",
		"http://host:8080/a@b":                 "http://b", // hides too much rather than risk a password
	} {
		if got := StripCredentials(in); got != want {
			t.Errorf("StripCredentials(%q) = %q, want %q", in, got, want)
		}
	}
}

// FuzzStripCredentialsFastPath: the patterns StripCredentials applies never
// change a text that mayHoldSecret passes over, so skipping them there is
// safe.
func FuzzStripCredentialsFastPath(f *testing.F) {
	for _, s := range []string{
		":8080", "db.internal:5432", "[::1]:5432/udp", "postgres://db/x",
		"dial tcp 127.0.0.1:5432: connect: connection refused",
		"host='localhost', port 8080", "password: hunter2",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if mayHoldSecret(s) {
			return
		}
		if full := stripAll(s); full != s {
			t.Fatalf("the patterns change %q to %q: the fast path would keep it", s, full)
		}
		if got := StripCredentials(s); got != s {
			t.Fatalf("StripCredentials(%q) = %q, want it unchanged", s, got)
		}
	})
}

// TestPatternsCompile: the patterns compile on first use, so a typo in one
// would panic only when a user's input reaches it; compile them all here.
func TestPatternsCompile(t *testing.T) {
	for _, pattern := range []func() *regexp.Regexp{
		urlScheme, bareCredentials, quoted,
	} {
		if re := pattern(); re == nil || pattern() != re {
			t.Errorf("pattern %v: not compiled once", re)
		}
	}
	for _, r := range secretRules {
		if re := r.re(); re == nil || r.re() != re {
			t.Errorf("pattern %v: not compiled once", re)
		}
	}
	if f := forms(); len(f.lines) != len(lineForms) || len(f.noAddr) != len(clientsWithoutAddr) {
		t.Errorf("the error-line forms did not all compile")
	}
}
