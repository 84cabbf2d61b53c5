// clientlines_linux_test.go holds the end-to-end test of pasted client
// lines: real clients refused by real listeners, in a network namespace of
// the test's own, their lines given to check, which must name the address
// they tried and the right verdict.

package main

import (
	"context"
	"encoding/json"
	"net"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/whyrefused/whyrefused/inspect"
	"github.com/whyrefused/whyrefused/internal/testnet"
	"github.com/whyrefused/whyrefused/internal/testtool"
)

// pastedCase is a client refused by a server that listens on loopback
// only, run against this host's other address: the user pastes its line.
type pastedCase struct {
	name, cmd, pkg string
	proto          string // of the server: "tcp" or "udp"
	port           int
	args           []string
}

// TestPastedLinesOfRealClients: with a server on 127.0.0.1 only (as
// sshd, postgres, redis, memcached or dnsmasq are by default), each client
// is refused at 198.18.0.1; check, given the line it printed, must read
// 198.18.0.1 and the port (never "every address of this host", which would
// find the loopback server and answer PARTLY REFUSED), and say
// loopback-only.
func TestPastedLinesOfRealClients(t *testing.T) {
	if testing.Short() {
		t.Skip("runs real clients in a network namespace")
	}
	cases := []pastedCase{
		{"ssh", "ssh", "openssh-client", "tcp", 22, []string{"-F", "/dev/null", "-o", "BatchMode=yes", "-o", "ConnectTimeout=3", "198.18.0.1", "true"}},
		{"psql", "psql", "postgresql-client", "tcp", 5432, []string{"-w", "-h", "198.18.0.1", "-U", "nobody", "-d", "nodb"}},
		{"redis-cli", "redis-cli", "redis-tools", "tcp", 6379, []string{"-h", "198.18.0.1", "ping"}},
		{"curl", "curl", "curl", "tcp", 8080, []string{"-sS", "http://198.18.0.1:8080/"}},
		{"mysql", "mysql", "mariadb-client", "tcp", 3306, []string{"--protocol=tcp", "--connect-timeout=3", "-h", "198.18.0.1"}},
		{"nc", "nc", "netcat-openbsd", "tcp", 11211, []string{"-z", "-v", "198.18.0.1", "11211"}},
		{"dig", "dig", "dnsutils", "udp", 53, []string{"@198.18.0.1", "+tries=1", "+time=2", "example.com"}},
	}
	var installed []pastedCase
	for _, c := range cases {
		if _, err := exec.LookPath(c.cmd); err == nil {
			installed = append(installed, c)
		}
	}
	if len(installed) == 0 {
		testtool.Need(t, "ssh", "openssh-client")
	}
	ip := testtool.Need(t, "ip", "iproute2")
	if !testnet.InNetnsAlone(t) {
		return
	}
	if out, err := exec.Command(ip, "addr", "add", "198.18.0.1/32", "dev", "lo").CombinedOutput(); err != nil {
		t.Fatalf("ip addr add: %v\n%s", err, out)
	}
	for _, c := range installed {
		t.Run(c.name, func(t *testing.T) {
			addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(c.port))
			if c.proto == "tcp" {
				l, err := net.Listen("tcp4", addr)
				if err != nil {
					t.Fatal(err)
				}
				defer l.Close()
			} else {
				pc, err := net.ListenPacket("udp4", addr)
				if err != nil {
					t.Fatal(err)
				}
				defer pc.Close()
			}
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			cmd := exec.CommandContext(ctx, c.cmd, c.args...)
			cmd.Env = append(cmd.Environ(), "no_proxy=*", "NO_PROXY=*") // a proxy would answer instead
			out, _ := cmd.CombinedOutput()
			line := strings.TrimSpace(string(out))

			a, stdout, errb := testApp(inspect.Default())
			code := run([]string{"check", "--json", line}, a)
			var rep struct {
				Target struct {
					Host     string `json:"host"`
					Port     int    `json:"port"`
					Protocol string `json:"protocol"`
				} `json:"target"`
				Verdict  string `json:"verdict"`
				Findings []struct {
					Code string `json:"code"`
				} `json:"findings"`
			}
			if err := json.Unmarshal(stdout.Bytes(), &rep); err != nil {
				t.Fatalf("%s printed %q; check: exit %d, %v\n%s%s", c.name, line, code, err, stdout, errb)
			}
			if rep.Target.Host != "198.18.0.1" || rep.Target.Port != c.port || rep.Target.Protocol != c.proto ||
				rep.Verdict != "refuse" || code != exitRefused || len(rep.Findings) == 0 || rep.Findings[0].Code != "loopback-only" {
				t.Errorf("%s printed %q; check read %+v, verdict %s, findings %+v (exit %d), want 198.18.0.1:%d/%s refused, loopback-only",
					c.name, line, rep.Target, rep.Verdict, rep.Findings, code, c.port, c.proto)
			}
		})
	}
}
