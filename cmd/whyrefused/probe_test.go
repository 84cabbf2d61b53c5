// probe_test.go holds the tests of probe's run: bad input, loopback, the
// local check.

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/netip"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/whyrefused/whyrefused/probe"
	"github.com/whyrefused/whyrefused/target"
)

// probeApp is a test app whose probe reads no hosts file and dials for
// real (loopback only in these tests).
func probeApp() (*app, *bytes.Buffer, *bytes.Buffer) {
	a, out, errb := testApp(&fakeSource{snap: oneSnapshot()})
	a.probeConfig = func(timeout time.Duration) *probe.Config {
		return &probe.Config{Timeout: timeout, HostsPath: "hosts", ReadFile: func(string) ([]byte, error) { return nil, nil },
			Dialer: &net.Dialer{}, Now: time.Now, GOOS: "linux"}
	}
	return a, out, errb
}

// recordingDialer dials for real and records every address it is asked
// to dial.
type recordingDialer struct {
	net.Dialer
	dialed []string
}

func (d *recordingDialer) DialContext(ctx context.Context, network, address string) (net.Conn, error) {
	d.dialed = append(d.dialed, network+" "+address)
	return d.Dialer.DialContext(ctx, network, address)
}

// recordingResolver records every name it is asked to look up, and
// answers 127.0.0.1.
type recordingResolver struct{ asked []string }

func (r *recordingResolver) LookupNetIP(_ context.Context, network, host string) ([]netip.Addr, error) {
	r.asked = append(r.asked, network+" "+host)
	return []netip.Addr{netip.MustParseAddr("127.0.0.1")}, nil
}

// TestProbeBadInput: bad input anywhere on the command line is one line
// and exit 2, before probe resolves or connects to any target, even the
// good ones before it.
func TestProbeBadInput(t *testing.T) {
	open := listenLoopback(t)
	for _, c := range []struct {
		args  []string
		names string
	}{
		{[]string{"probe"}, "TARGET"},
		{[]string{"probe", "-4", "-6", open}, "-4 and -6"},
		{[]string{"probe", "--timeout", "0", open}, "--timeout"},
		{[]string{"probe", "--timeout", "soon", open}, "--timeout"},
		{[]string{"probe", "-6", "127.0.0.1:80"}, "-6"},
		{[]string{"probe", "-4", open, "[::1]:1"}, "-4"},
		{[]string{"probe", "-4", "db.internal:" + open[strings.LastIndex(open, ":")+1:], open, "[::1]:53/udp"}, "-4"},
		{[]string{"probe", "-6", "[::1]:1", open}, "-6"},
		{[]string{"probe", open, "127.0.0.1:99999"}, "99999"},
	} {
		a, out, errb, d, r := recordingApp()
		if code := run(c.args, a); code != exitUsage {
			t.Errorf("%v: exit %d, want %d", c.args, code, exitUsage)
		}
		if msg := errb.String(); strings.Count(msg, "\n") != 1 || !strings.Contains(msg, c.names) {
			t.Errorf("%v: stderr %q is not one line naming %q", c.args, msg, c.names)
		}
		if len(d.dialed) != 0 || len(r.asked) != 0 || out.Len() != 0 {
			t.Errorf("%v: bad input, yet dialed %v, looked up %v, printed %q", c.args, d.dialed, r.asked, out)
		}
	}
	// The same dialer and resolver do record when every target is good.
	a, _, _, d, r := recordingApp()
	if code := run([]string{"probe", "-4", open, "db.internal:1"}, a); code != exitRefused || len(d.dialed) != 2 || len(r.asked) != 1 {
		t.Errorf("good targets: exit %d, dialed %v, looked up %v", code, d.dialed, r.asked)
	}
}

// recordingApp is probeApp with a dialer and a resolver that record what
// they are asked.
func recordingApp() (*app, *bytes.Buffer, *bytes.Buffer, *recordingDialer, *recordingResolver) {
	a, out, errb := probeApp()
	d, r := &recordingDialer{}, &recordingResolver{}
	mk := a.probeConfig
	a.probeConfig = func(timeout time.Duration) *probe.Config {
		cfg := mk(timeout)
		cfg.Dialer = d
		return cfg
	}
	a.resolver = r
	return a, out, errb, d, r
}

func TestProbeLoopback(t *testing.T) {
	open, closed := listenLoopback(t), closedLoopback(t)

	a, out, errb := probeApp()
	if code := run([]string{"probe", open}, a); code != exitOK {
		t.Errorf("open port: exit %d: %s%s", code, out, errb)
	}
	if !strings.Contains(out.String(), "accepted") || !strings.Contains(out.String(), "verdict: ") ||
		!strings.Contains(out.String(), "this host's own") {
		t.Errorf("open port output lacks the outcome, the verdict or the check explanation:\n%s", out)
	}

	// Sockets that cannot be read: a note, and the probe's answer stands.
	a, out, errb = probeApp()
	a.source = &fakeSource{err: errors.New("permission denied")}
	if code := run([]string{"probe", open}, a); code != exitOK || !strings.Contains(errb.String(), "permission denied") ||
		!strings.Contains(out.String(), "accepted") {
		t.Errorf("unreadable sockets: exit %d, stderr %q, stdout:\n%s", code, errb, out)
	}

	a, out, _ = probeApp()
	if code := run([]string{"probe", "--json", open, closed}, a); code != exitRefused {
		t.Errorf("open and closed: exit %d, want %d", code, exitRefused)
	}
	var doc []struct {
		Target struct {
			Host string `json:"host"`
			Port int    `json:"port"`
		} `json:"target"`
		Resolution []struct{ Source, Address string } `json:"resolution"`
		Attempts   []struct {
			Address, Outcome, Error string
			Millis                  *int64 `json:"millis"`
		} `json:"attempts"`
		Verdict    string `json:"verdict"`
		LocalCheck *struct {
			Target struct {
				Port int `json:"port"`
			} `json:"target"`
			Verdict  string `json:"verdict"`
			Findings []struct {
				Code string `json:"code"`
			} `json:"findings"`
		} `json:"local_check"`
	}
	if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
		t.Fatalf("not a JSON array: %v\n%s", err, out)
	}
	port, _ := strconv.Atoi(closed[strings.LastIndex(closed, ":")+1:])
	refused := "ECONNREFUSED"
	if runtime.GOOS == "windows" {
		refused = "WSAECONNREFUSED" // as Winsock names it
	}
	if len(doc) != 2 || doc[0].Attempts[0].Outcome != "accepted" || doc[1].Attempts[0].Outcome != "refused" ||
		doc[1].Attempts[0].Error != refused || doc[1].Target.Port != port || doc[1].Resolution[0].Source != "literal" ||
		doc[1].Attempts[0].Millis == nil || doc[1].Verdict == "" {
		t.Errorf("unexpected JSON:\n%s", out)
	}
	// Both reached this host: each carries check --json's object (from the
	// fixed snapshot, where nothing listens on either port).
	for i := range doc {
		if lc := doc[i].LocalCheck; lc == nil || lc.Verdict != "refuse" || lc.Target.Port != doc[i].Target.Port || len(lc.Findings) == 0 {
			t.Errorf("result %d: local_check %+v:\n%s", i, lc, out)
		}
	}
}

// deadResolver never answers: it waits until its context is done.
type deadResolver struct{}

func (deadResolver) LookupNetIP(ctx context.Context, _, _ string) ([]netip.Addr, error) {
	<-ctx.Done()
	return nil, ctx.Err()
}

// TestProbeDeadResolver: --timeout bounds the name lookup too, and a name
// whose lookup times out is unresolvable (exit 1), not bad input.
func TestProbeDeadResolver(t *testing.T) {
	a, out, errb := probeApp()
	a.resolver = deadResolver{}
	if code := run([]string{"probe", "--timeout", "30ms", "db.internal:5432"}, a); code != exitRefused || errb.Len() != 0 {
		t.Errorf("exit %d, stderr %q, want %d and nothing", code, errb, exitRefused)
	}
	if !strings.Contains(out.String(), "db.internal does not resolve to any address (no answer within 30ms)") {
		t.Errorf("output does not say the lookup timed out:\n%s", out)
	}
}

// proxyApp is probeApp with the environment env for the proxy variables,
// and api.example at 127.0.0.1.
func proxyApp(env map[string]string) (*app, *bytes.Buffer, *bytes.Buffer) {
	a, out, errb := probeApp()
	a.resolver = target.StaticResolver{"api.example": {netip.MustParseAddr("127.0.0.1")}}
	mk := a.probeConfig
	a.probeConfig = func(timeout time.Duration) *probe.Config {
		cfg := mk(timeout)
		cfg.Getenv = func(k string) string { return env[k] }
		return cfg
	}
	return a, out, errb
}

// TestProbeThroughProxy: with http_proxy set, probe of an http URL says
// that clients go to the proxy instead, and probes it, in the table and
// in JSON.
func TestProbeThroughProxy(t *testing.T) {
	proxy, closed := listenLoopback(t), closedLoopback(t)
	a, out, errb := proxyApp(map[string]string{"http_proxy": "http://user:s3cret@" + proxy})
	port := closed[strings.LastIndex(closed, ":")+1:]
	if code := run([]string{"probe", "http://api.example:" + port + "/"}, a); code != exitRefused {
		t.Errorf("exit %d, want %d (the target's own answer)\n%s%s", code, exitRefused, out, errb)
	}
	for _, want := range []string{"proxy: http_proxy is set", "probe " + proxy + "/tcp", "accepted"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out.String(), "s3cret") {
		t.Errorf("the proxy's password is shown:\n%s", out)
	}
	a, out, _ = proxyApp(map[string]string{"HTTP_PROXY": "http://" + proxy})
	run([]string{"probe", "--json", "http://api.example:" + port + "/"}, a)
	var doc struct {
		Proxy *struct {
			Variable string `json:"variable"`
			Probe    struct {
				Attempts []struct{ Outcome string } `json:"attempts"`
			} `json:"probe"`
		} `json:"proxy"`
	}
	if err := json.Unmarshal(out.Bytes(), &doc); err != nil || doc.Proxy == nil || doc.Proxy.Variable != "HTTP_PROXY" ||
		len(doc.Proxy.Probe.Attempts) != 1 || doc.Proxy.Probe.Attempts[0].Outcome != "accepted" {
		t.Errorf("JSON proxy %+v (%v):\n%s", doc.Proxy, err, out)
	}
}
