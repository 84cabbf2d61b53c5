// check_test.go holds the tests of check's run on fixed snapshots: exit
// statuses, JSON, bad targets.

package main

import (
	"encoding/json"
	"errors"
	"net/netip"
	"slices"
	"strings"
	"testing"

	"github.com/whyrefused/whyrefused/inspect"
)

// checkSnapshot: api on 127.0.0.1:8080 only; this host is 127.0.0.1,
// 10.0.0.5 and ::1.
func checkSnapshot() *inspect.Snapshot {
	s := oneSnapshot()
	s.HostAddrs = []netip.Addr{netip.MustParseAddr("127.0.0.1"), netip.MustParseAddr("10.0.0.5"), netip.MustParseAddr("::1")}
	return s
}

func TestCheckExitStatus(t *testing.T) {
	cases := []struct {
		args []string
		code int
		says string
	}{
		{[]string{"check", "127.0.0.1:8080"}, exitOK, "ACCEPTED: api (pid 42) listens on 127.0.0.1:8080"},
		{[]string{"127.0.0.1:8080"}, exitOK, "ACCEPTED"},
		{[]string{"check", "db.internal:8080"}, exitRefused, "REFUSED: api (pid 42) listens on 127.0.0.1:8080 only: loopback"},
		{[]string{"db.internal:8080"}, exitRefused, "loopback-only"},
		{[]string{"check", "8080"}, exitRefused, "PARTLY REFUSED"},
		{[]string{"check", "127.0.0.1:8080", "127.0.0.1:9999"}, exitRefused, "nothing listens on tcp port 9999 of 127.0.0.1"},
		{[]string{"check", "--udp", "127.0.0.1:8080"}, exitRefused, "wrong-protocol"},
		{[]string{"--udp", "127.0.0.1:8080"}, exitRefused, "wrong-protocol"},
		{[]string{"check", "nosuch.example:80"}, exitRefused, "UNKNOWN: nosuch.example does not resolve"},
		{[]string{"check", "192.0.2.9:8080"}, exitRefused, "not an address of this host"},
		{[]string{"dial tcp 127.0.0.1:8080: connect: connection refused"}, exitOK, "ACCEPTED"},
		{[]string{"http://user:s3cret@127.0.0.1:8080/x"}, exitOK, "ACCEPTED"},
		// ssh names the host: never read as every address of this host.
		{[]string{"ssh: connect to host 10.0.0.5 port 8080: Connection refused"}, exitRefused, "REFUSED: api (pid 42) listens on 127.0.0.1:8080 only"},
		// Every address of an AggregateError is checked, each in its own report.
		{[]string{"AggregateError [ECONNREFUSED]:\n  Error: connect ECONNREFUSED ::1:8080\n  Error: connect ECONNREFUSED 127.0.0.1:8080"},
			exitRefused, "== 127.0.0.1:8080 from"},
		{[]string{"ERROR 2002 (HY000): Can't connect to server on '127.0.0.1' (115)"}, exitRefused, "port 3306 assumed: mysql's line names no port"},
	}
	for _, c := range cases {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			a, out, errb := testApp(&fakeSource{snap: checkSnapshot()})
			if code := run(c.args, a); code != c.code {
				t.Errorf("exit %d, want %d\nstdout:\n%s\nstderr: %s", code, c.code, out, errb)
			}
			if !strings.Contains(out.String(), c.says) {
				t.Errorf("output lacks %q:\n%s", c.says, out)
			}
			if errb.Len() != 0 {
				t.Errorf("stderr %q", errb)
			}
			for _, secret := range []string{"s3cret", "--token"} {
				if strings.Contains(out.String(), secret) {
					t.Errorf("output shows %q:\n%s", secret, out)
				}
			}
		})
	}
}

// TestCheckAsksForCandidatePorts: one snapshot, narrowed to the targets'
// candidate ports (listeners), every state on the targets' own ports,
// every protocol.
func TestCheckAsksForCandidatePorts(t *testing.T) {
	src := &fakeSource{snap: checkSnapshot()}
	a, _, _ := testApp(src)
	run([]string{"check", "127.0.0.1:5432", "8080/udp"}, a)
	f := src.got
	for _, p := range []uint16{5432, 5433, 8080, 80, 0x901F} {
		if !slices.Contains(f.Ports, p) {
			t.Errorf("filter ports %v lack %d", f.Ports, p)
		}
	}
	if !slices.Equal(f.AnyStatePorts, []uint16{5432, 8080}) {
		t.Errorf("every state is asked on %v, want the targets' ports 5432 and 8080", f.AnyStatePorts)
	}
	if len(f.Protocols) != 0 || f.WithCmdline {
		t.Errorf("filter %+v narrows protocols, or asks for command lines", f)
	}
}

func TestCheckJSON(t *testing.T) {
	a, out, _ := testApp(&fakeSource{snap: checkSnapshot()})
	if code := run([]string{"check", "--json", "db.internal:8080"}, a); code != exitRefused {
		t.Fatalf("exit %d", code)
	}
	var one struct {
		Target struct {
			Input, Protocol, Host string
			Port                  int
		}
		Verdict  string
		Findings []struct{ Code string }
	}
	if err := json.Unmarshal(out.Bytes(), &one); err != nil {
		t.Fatalf("one target is not a JSON object: %v\n%s", err, out)
	}
	if one.Target.Host != "db.internal" || one.Target.Port != 8080 || one.Verdict != "refuse" || len(one.Findings) == 0 || one.Findings[0].Code != "loopback-only" {
		t.Errorf("unexpected JSON:\n%s", out)
	}
	a, out, _ = testApp(&fakeSource{snap: checkSnapshot()})
	if code := run([]string{"--json", "127.0.0.1:8080", "[::1]:8080"}, a); code != exitRefused {
		t.Fatalf("exit %d", code)
	}
	var many []struct{ Verdict string }
	if err := json.Unmarshal(out.Bytes(), &many); err != nil {
		t.Fatalf("several targets are not a JSON array: %v\n%s", err, out)
	}
	if len(many) != 2 || many[0].Verdict != "accept" || many[1].Verdict != "refuse" {
		t.Errorf("verdicts %+v", many)
	}
}

// TestCheckBadTargets: the bad targets give one line and status 2,
// through check and through the shortcut.
func TestCheckBadTargets(t *testing.T) {
	for _, bad := range []string{":", "host:", "0", "65536", "[::1", "http://", "localhost:nosuchservice", strings.Repeat("x", 10000), ""} {
		for _, args := range [][]string{{"check", bad}, {bad}, {"check", "127.0.0.1:8080", bad}} {
			a, out, errb := testApp(&fakeSource{snap: checkSnapshot()})
			code := run(args, a)
			msg := errb.String()
			if code != exitUsage || strings.Count(msg, "\n") != 1 || !strings.HasPrefix(msg, "whyrefused: bad target") || len(msg) > 300 {
				t.Errorf("%.40q: exit %d, stderr %.300q", args, code, msg)
			}
			if out.Len() != 0 {
				t.Errorf("%.40q: printed a report for bad input:\n%s", args, out)
			}
		}
	}
	a, _, errb := testApp(&fakeSource{snap: checkSnapshot()})
	if code := run([]string{"check"}, a); code != exitUsage || !strings.Contains(errb.String(), "TARGET") {
		t.Errorf("check with no target: exit %d, %q", code, errb)
	}
	a, _, errb = testApp(&fakeSource{snap: checkSnapshot()})
	if code := run([]string{"lsit"}, a); code != exitUsage || !strings.Contains(errb.String(), `unknown command "lsit"`) {
		t.Errorf("mistyped command: exit %d, %q", code, errb)
	}
	a, _, errb = testApp(&fakeSource{snap: checkSnapshot()})
	if code := run([]string{"--port", "80", "127.0.0.1:80"}, a); code != exitUsage || !strings.Contains(errb.String(), "--port") {
		t.Errorf("list flag with a target: exit %d, %q", code, errb)
	}
}

func TestCheckSocketReadFailure(t *testing.T) {
	a, _, errb := testApp(&fakeSource{err: errors.New("reading the socket table: permission denied")})
	if code := run([]string{"check", "8080"}, a); code != exitNoSocket {
		t.Errorf("exit %d, want %d (%s)", code, exitNoSocket, errb)
	}
}
