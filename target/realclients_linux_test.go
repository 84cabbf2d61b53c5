// realclients_linux_test.go holds the test that runs the real clients installed
// here against a closed port on loopback, and reads what they print.

package target

import (
	"context"
	"net"
	"net/netip"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/whyrefused/whyrefused/inspect"
	"github.com/whyrefused/whyrefused/internal/testnet"
	"github.com/whyrefused/whyrefused/internal/testtool"
)

// closedPort is a port with nothing on it, TCP and UDP, on 127.0.0.1 and
// (when this host has it) ::1: it was free a moment ago.
func closedPort(t *testing.T, v6 bool) int {
	t.Helper()
	for range 20 {
		l, err := net.Listen("tcp4", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		p := l.Addr().(*net.TCPAddr).Port
		l.Close()
		ok := true
		for _, a := range []struct{ net, addr string }{{"udp4", "127.0.0.1"}, {"tcp6", "::1"}, {"udp6", "::1"}} {
			if strings.HasSuffix(a.net, "6") && !v6 {
				continue
			}
			addr := net.JoinHostPort(a.addr, strconv.Itoa(p))
			var c interface{ Close() error }
			if strings.HasPrefix(a.net, "tcp") {
				c, err = net.Listen(a.net, addr)
			} else {
				c, err = net.ListenPacket(a.net, addr)
			}
			if err != nil {
				ok = false
				break
			}
			c.Close()
		}
		if ok {
			return p
		}
	}
	t.Fatal("no port free on TCP and UDP both")
	return 0
}

// hasIPv6Loopback reports whether ::1 can be bound here.
func hasIPv6Loopback() bool {
	l, err := net.Listen("tcp6", "[::1]:0")
	if err != nil {
		return false
	}
	l.Close()
	return true
}

// nothingOn reports whether a TCP connect to 127.0.0.1:port is refused.
func nothingOn(port int) bool {
	c, err := net.DialTimeout("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)), time.Second)
	if err == nil {
		c.Close()
		return false
	}
	return true
}

// bracket is an address as URLs write it.
func bracket(h string) string {
	if strings.Contains(h, ":") {
		return "[" + h + "]"
	}
	return h
}

// A realClient is one way of running an installed client against HOST:PORT.
type realClient struct {
	name, cmd, pkg string
	pyModule       string // a Python module the client is (cmd is then python3 with it)
	args           func(h, p string) []string
	v6             bool   // the client takes ::1
	port           int    // a fixed port (the client's default, which its line does not name), or 0 for a closed one
	want           string // "" = HOST:PORT/tcp; "udp" = HOST:PORT/udp; "assumed": HOST:PORT*/tcp; else "error TEXT"
}

var realClients = []realClient{
	{name: "psql", cmd: "psql", pkg: "postgresql-client", v6: true,
		args: func(h, p string) []string { return []string{"-w", "-h", h, "-p", p, "-U", "nobody", "-d", "nodb"} }},
	{name: "redis-cli", cmd: "redis-cli", pkg: "redis-tools", v6: true,
		args: func(h, p string) []string { return []string{"-h", h, "-p", p, "ping"} }},
	{name: "curl", cmd: "curl", pkg: "curl", v6: true,
		args: func(h, p string) []string { return []string{"-sS", "http://" + bracket(h) + ":" + p + "/"} }},
	{name: "curl -v", cmd: "curl", pkg: "curl", v6: true,
		args: func(h, p string) []string { return []string{"-v", "http://" + bracket(h) + ":" + p + "/"} }},
	{name: "wget", cmd: "wget", pkg: "wget", v6: true,
		args: func(h, p string) []string { return []string{"-t", "1", "-O-", "http://" + bracket(h) + ":" + p + "/"} }},
	{name: "mysql", cmd: "mysql", pkg: "mariadb-client", v6: true, port: 3306, want: "assumed",
		args: func(h, _ string) []string { return []string{"--protocol=tcp", "--connect-timeout=3", "-h", h} }},
	{name: "mariadb", cmd: "mariadb", pkg: "mariadb-client", v6: true, port: 3306, want: "assumed",
		args: func(h, _ string) []string { return []string{"--protocol=tcp", "--connect-timeout=3", "-h", h} }},
	{name: "ssh", cmd: "ssh", pkg: "openssh-client", v6: true,
		args: func(h, p string) []string {
			return []string{"-o", "BatchMode=yes", "-o", "ConnectTimeout=3", "-F", "/dev/null", "-p", p, h, "true"}
		}},
	{name: "scp", cmd: "scp", pkg: "openssh-client",
		args: func(h, p string) []string {
			return []string{"-o", "BatchMode=yes", "-o", "ConnectTimeout=3", "-F", "/dev/null", "-P", p, h + ":/x", "/dev/null"}
		}},
	{name: "nc", cmd: "nc", pkg: "netcat-openbsd", v6: true,
		args: func(h, p string) []string { return []string{"-z", "-v", "-w", "3", h, p} }},
	{name: "ncat", cmd: "ncat", pkg: "ncat", v6: true, want: "error ncat",
		args: func(h, p string) []string { return []string{h, p} }},
	{name: "telnet", cmd: "telnet", pkg: "telnet", v6: true, want: "error telnet error names the host",
		args: func(h, p string) []string { return []string{h, p} }},
	{name: "dig", cmd: "dig", pkg: "dnsutils", v6: true, want: "udp",
		args: func(h, p string) []string { return []string{"@" + h, "-p", p, "+tries=1", "+time=2", "example.com"} }},
	{name: "dig +tcp", cmd: "dig", pkg: "dnsutils", v6: true,
		args: func(h, p string) []string {
			return []string{"@" + h, "-p", p, "+tcp", "+tries=1", "+time=2", "example.com"}
		}},
	{name: "nslookup", cmd: "nslookup", pkg: "dnsutils", v6: true, want: "udp",
		args: func(h, p string) []string { return []string{"-port=" + p, "-timeout=2", "-retry=0", "example.com", h} }},
	{name: "python socket", pyModule: "socket", pkg: "python3", v6: true, want: "error Python",
		args: func(h, p string) []string {
			return []string{"-c", "import socket,sys; socket.create_connection((sys.argv[1], int(sys.argv[2])))", h, p}
		}},
	{name: "python urllib", pyModule: "urllib.request", pkg: "python3", v6: true, want: "error Python",
		args: func(h, p string) []string {
			return []string{"-c", "import urllib.request,sys; urllib.request.urlopen(sys.argv[1])", "http://" + bracket(h) + ":" + p + "/"}
		}},
	{name: "python asyncio", pyModule: "asyncio", pkg: "python3", v6: true,
		args: func(h, p string) []string {
			return []string{"-c", "import asyncio,sys\nasync def f(): await asyncio.open_connection(sys.argv[1], int(sys.argv[2]))\nasyncio.run(f())", h, p}
		}},
	{name: "redis-py", pyModule: "redis", pkg: "python3-redis", v6: true,
		args: func(h, p string) []string {
			return []string{"-c", "import redis,sys; redis.Redis(host=sys.argv[1], port=int(sys.argv[2])).ping()", h, p}
		}},
	{name: "redis-py asyncio", pyModule: "redis", pkg: "python3-redis", v6: true,
		args: func(h, p string) []string {
			return []string{"-c", "import asyncio,sys,redis.asyncio as r\nasync def f(): await r.Redis(host=sys.argv[1], port=int(sys.argv[2])).ping()\nasyncio.run(f())", h, p}
		}},
	{name: "requests", pyModule: "requests", pkg: "python3-requests", v6: true,
		args: func(h, p string) []string {
			return []string{"-c", "import requests,sys; requests.get(sys.argv[1])", "http://" + bracket(h) + ":" + p + "/"}
		}},
	{name: "psycopg2", pyModule: "psycopg2", pkg: "python3-psycopg2", v6: true,
		args: func(h, p string) []string {
			return []string{"-c", "import psycopg2,sys; psycopg2.connect(host=sys.argv[1], port=sys.argv[2], user='nobody', dbname='nodb')", h, p}
		}},
	{name: "node net", cmd: "node", pkg: "nodejs", v6: true,
		args: func(h, p string) []string {
			return []string{"-e", "require('net').connect(+process.argv[2], process.argv[1]).on('error', e => { console.error(e); process.exit(1) })", h, p}
		}},
	{name: "node fetch", cmd: "node", pkg: "nodejs", v6: true,
		args: func(h, p string) []string {
			return []string{"-e", "fetch(process.argv[1]).catch(e => { console.error(e); process.exit(1) })", "http://" + bracket(h) + ":" + p + "/"}
		}},
	{name: "ruby TCPSocket", cmd: "ruby", pkg: "ruby", v6: true,
		args: func(h, p string) []string {
			return []string{"-rsocket", "-e", "TCPSocket.new(ARGV[0], ARGV[1].to_i)", h, p}
		}},
	{name: "ruby Net::HTTP", cmd: "ruby", pkg: "ruby", v6: true,
		args: func(h, p string) []string {
			return []string{"-rnet/http", "-e", "Net::HTTP.get(URI(ARGV[0]))", "http://" + bracket(h) + ":" + p + "/"}
		}},
	{name: "php stream_socket_client", cmd: "php", pkg: "php-cli", v6: true,
		args: func(h, p string) []string {
			return []string{"-r", "stream_socket_client('tcp://'.$argv[1]);", bracket(h) + ":" + p}
		}},
	{name: "php file_get_contents", cmd: "php", pkg: "php-cli", v6: true,
		args: func(h, p string) []string {
			return []string{"-r", "file_get_contents($argv[1]);", "http://" + bracket(h) + ":" + p + "/"}
		}},
}

// TestRealClientLines runs each installed client against a closed port
// on 127.0.0.1 and [::1], and requires that the line it prints gives the
// host, port and protocol it tried.
func TestRealClientLines(t *testing.T) {
	skipShort(t)
	if !ownLoopback(t) {
		return
	}
	v6 := hasIPv6Loopback()
	port := closedPort(t, v6)
	for _, c := range realClients {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			path := needClient(t, c)
			p := port
			if c.port != 0 {
				p = c.port
				if !nothingOn(p) {
					t.Skipf("something listens on 127.0.0.1:%d, the client's default port", p)
				}
			}
			hosts := []string{"127.0.0.1"}
			if c.v6 && v6 {
				hosts = append(hosts, "::1")
			}
			for _, h := range hosts {
				out := runClient(t, path, c.args(h, strconv.Itoa(p)))
				want := net.JoinHostPort(h, strconv.Itoa(p))
				switch c.want {
				case "":
					want += "/tcp"
				case "udp":
					want += "/udp"
				case "assumed":
					want += "*/tcp"
				default:
					want = c.want
				}
				checkLine(t, c.name+" "+bracket(h)+" printed "+strconv.Quote(out), out, want)
			}
		})
	}
}

// findClient finds the command that runs c: for a Python module, a
// python3 that has it (Debian's, where apt puts python3-MODULE, else the
// one on PATH).
func findClient(c realClient) (string, bool) {
	if c.pyModule == "" {
		path, err := exec.LookPath(c.cmd)
		return path, err == nil
	}
	for _, py := range []string{"/usr/bin/python3", "python3"} {
		if path, err := exec.LookPath(py); err == nil && exec.Command(path, "-c", "import "+c.pyModule).Run() == nil {
			return path, true
		}
	}
	return "", false
}

// needClient is findClient, or a skip naming the tool and its package.
func needClient(t *testing.T, c realClient) string {
	t.Helper()
	if c.pyModule == "" {
		return testtool.Need(t, c.cmd, c.pkg)
	}
	path, ok := findClient(c)
	if !ok {
		t.Skipf("%spython3 module %s (Debian package %s)", testtool.SkipPrefix, c.pyModule, c.pkg)
	}
	return path
}

// ownLoopback runs the test, as root, in a network namespace of its own,
// where no other test's server can take the "closed" port between its
// choice and the client's connect; false means the caller must return (see
// testnet.InNetns). Without root it runs on this host's loopback.
func ownLoopback(t *testing.T) bool {
	t.Helper()
	if os.Geteuid() != 0 {
		return true
	}
	return testnet.InNetns(t)
}

// skipShort skips a test that runs many clients under go test -short.
func skipShort(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the real clients: not with -short")
	}
}

// runClient runs a client with a time limit and gives what it printed,
// both streams, as a user would paste it.
func runClient(t *testing.T, path string, args []string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, path, args...)
	// No proxy: the clients must try the address themselves.
	cmd.Env = append(cmd.Environ(), "PGCONNECT_TIMEOUT=3", "NODE_OPTIONS=", "http_proxy=", "HTTP_PROXY=", "https_proxy=", "HTTPS_PROXY=",
		"all_proxy=", "ALL_PROXY=", "no_proxy=*", "NO_PROXY=*")
	out, _ := cmd.CombinedOutput() // the clients fail: that is the point
	if ctx.Err() != nil {
		t.Fatalf("%s %q did not end in time; it printed %q", path, args, out)
	}
	return strings.TrimSpace(string(out))
}

// TestRealClientAggregateError: Node, given two addresses for a name,
// tries both and prints an AggregateError naming each; both are read.
func TestRealClientAggregateError(t *testing.T) {
	node := testtool.Need(t, "node", "nodejs")
	if !hasIPv6Loopback() {
		t.Skip("no IPv6 loopback here")
	}
	p := strconv.Itoa(closedPort(t, true))
	out := runClient(t, node, []string{"-e", `require('net').connect({host: 'db.test', port: +process.argv[1], autoSelectFamily: true,
  lookup: (h, o, cb) => o.all ? cb(null, [{address: '::1', family: 6}, {address: '127.0.0.1', family: 4}]) : cb(null, '::1', 6)})
  .on('error', e => { console.error(e); process.exit(1) })`, p})
	if !strings.Contains(out, "AggregateError") {
		t.Skipf("this node did not try both addresses: %q", out)
	}
	checkLine(t, "node AggregateError", out, "[::1]:"+p+"/tcp 127.0.0.1:"+p+"/tcp")
}

// TestRealClientLocalhost: clients given the name localhost print the
// addresses they tried; each is read, a loopback address, never the name's
// every address.
func TestRealClientLocalhost(t *testing.T) {
	skipShort(t)
	if !ownLoopback(t) {
		return
	}
	p := closedPort(t, hasIPv6Loopback())
	for _, c := range realClients {
		switch c.name {
		case "psql", "curl -v", "wget", "nc", "python asyncio", "node net", "ruby Net::HTTP":
		default:
			continue // these print the addresses a name became
		}
		path, ok := findClient(c)
		if !ok {
			continue // TestRealClientLines says which are missing
		}
		out := runClient(t, path, c.args("localhost", strconv.Itoa(p)))
		ts, err := ParseAll(out, inspect.TCP, nil)
		if err != nil {
			t.Errorf("%s localhost printed %q: %v", c.name, out, err)
			continue
		}
		for _, tg := range ts {
			a, err := netip.ParseAddr(tg.Host)
			if (err != nil || !a.IsLoopback()) && tg.Host != "localhost" || int(tg.Port) != p {
				t.Errorf("%s localhost printed %q: read %+v", c.name, out, tg)
			}
		}
	}
}

// TestGoLines: Go's own net package is a real client too: its dial error,
// and the read error of a connected UDP socket, which names both ends.
func TestGoLines(t *testing.T) {
	p := strconv.Itoa(closedPort(t, false))
	_, err := net.Dial("tcp", "127.0.0.1:"+p)
	if err == nil {
		t.Fatal("a closed port accepted")
	}
	checkLine(t, "go dial", err.Error(), "127.0.0.1:"+p+"/tcp")
	c, err := net.Dial("udp", "127.0.0.1:"+p)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.Write([]byte("x"))
	c.SetReadDeadline(time.Now().Add(2 * time.Second))
	_, err = c.Read(make([]byte, 1))
	if err == nil || !strings.Contains(err.Error(), "->") {
		t.Skipf("no refusal from a closed UDP port: %v", err)
	}
	checkLine(t, "go udp read", err.Error(), "127.0.0.1:"+p+"/udp")
}

// lookupClients are the clients whose failed name lookups are read, run
// against a name in a network namespace with no network, where the lookup
// fails at once and no query leaves the host.
var lookupClients = []realClient{
	{name: "curl", cmd: "curl", pkg: "curl", args: func(h, _ string) []string { return []string{"-sS", "http://" + h + "/"} }},
	{name: "wget", cmd: "wget", pkg: "wget", args: func(h, _ string) []string { return []string{"-t", "1", "-O-", "http://" + h + "/"} }},
	{name: "ssh", cmd: "ssh", pkg: "openssh-client", args: func(h, _ string) []string { return []string{"-F", "/dev/null", "-o", "BatchMode=yes", h, "true"} }},
	{name: "psql", cmd: "psql", pkg: "postgresql-client", args: func(h, _ string) []string { return []string{"-w", "-h", h, "-U", "nobody", "-d", "nodb"} }},
	{name: "mysql", cmd: "mysql", pkg: "mariadb-client", args: func(h, _ string) []string { return []string{"--connect-timeout=2", "-h", h} }},
	{name: "redis-cli", cmd: "redis-cli", pkg: "redis-tools", args: func(h, _ string) []string { return []string{"-h", h, "ping"} }},
	{name: "nc", cmd: "nc", pkg: "netcat-openbsd", args: func(h, _ string) []string { return []string{"-z", "-v", h, "80"} }},
	{name: "ncat", cmd: "ncat", pkg: "ncat", args: func(h, _ string) []string { return []string{h, "80"} }},
	{name: "telnet", cmd: "telnet", pkg: "telnet", args: func(h, _ string) []string { return []string{h, "80"} }},
	{name: "node", cmd: "node", pkg: "nodejs", args: func(h, _ string) []string {
		return []string{"-e", "require('net').connect(80, process.argv[1]).on('error', e => { console.error(String(e)); process.exit(1) })", h}
	}},
	{name: "ruby", cmd: "ruby", pkg: "ruby", args: func(h, _ string) []string { return []string{"-rsocket", "-e", "TCPSocket.new(ARGV[0], 80)", h} }},
	{name: "php", cmd: "php", pkg: "php-cli", args: func(h, _ string) []string { return []string{"-r", "stream_socket_client('tcp://'.$argv[1].':80');", h} }},
	{name: "requests", pyModule: "requests", pkg: "python3-requests", args: func(h, _ string) []string {
		return []string{"-c", "import requests,sys; requests.get('http://'+sys.argv[1]+'/')", h}
	}},
}

// TestRealClientLookupFailures: a client that could not resolve the name
// printed no refusal, and the parse says it was a failed lookup.
func TestRealClientLookupFailures(t *testing.T) {
	skipShort(t)
	if !testnet.InNetns(t) {
		return
	}
	for _, c := range lookupClients {
		t.Run(c.name, func(t *testing.T) {
			path := needClient(t, c)
			out := runClient(t, path, c.args("db.invalid", ""))
			_, err := ParseAll(out, inspect.TCP, nil)
			if err == nil || !strings.Contains(err.Error(), "failed name lookup") {
				t.Errorf("%s printed %q: %v, want a failed name lookup", c.name, out, err)
			}
			if err != nil && strings.Contains(err.Error(), "lookup of") && !strings.Contains(err.Error(), `"db.invalid"`) {
				t.Errorf("%s: %v names another name", c.name, err)
			}
		})
	}
}
