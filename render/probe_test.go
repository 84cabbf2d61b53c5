// probe_test.go tests the probe output, text and JSON, against golden
// files.

package render_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/whyrefused/whyrefused/inspect"
	"github.com/whyrefused/whyrefused/match"
	"github.com/whyrefused/whyrefused/probe"
	"github.com/whyrefused/whyrefused/render"
	"github.com/whyrefused/whyrefused/target"
)

var (
	refused  = probe.Classification{Outcome: probe.Refused, Errno: probe.Errno{Number: 111, Name: "ECONNREFUSED", Outcome: probe.Refused}}
	timeout  = probe.Classification{Outcome: probe.Timeout}
	accepted = probe.Classification{Outcome: probe.Accepted}
)

// fixedResults are two probes: a name whose hosts entry overrides DNS and
// is refused, and localhost, which refuses on ::1 and accepts on 127.0.0.1.
func fixedResults() []probe.Result {
	const wait = 3 * time.Second
	db := probe.Result{
		Target: target.Target{Input: "db.example.internal:postgresql", Protocol: inspect.TCP, Host: "db.example.internal",
			Port: 5432, Service: "postgresql", ServiceSource: "/etc/services"},
		Resolution: probe.Resolution{
			Host: "db.example.internal",
			Addresses: []probe.Address{
				{Addr: netip.MustParseAddr("10.1.2.3"), Origin: probe.FromHosts, HostsLine: 4},
				{Addr: netip.MustParseAddr("192.0.2.20"), Origin: probe.FromDNS, Overridden: true},
			},
			HostsPath:    "/etc/hosts",
			HostsEntries: 1,
			Answers:      []netip.Addr{netip.MustParseAddr("192.0.2.20")},
		},
		Attempts: []probe.Attempt{
			{Address: netip.MustParseAddrPort("10.1.2.3:5432"), Protocol: inspect.TCP, Classification: refused, Elapsed: 1200 * time.Microsecond},
			{Address: netip.MustParseAddrPort("192.0.2.20:5432"), Protocol: inspect.TCP, Classification: timeout, Elapsed: wait},
		},
		Timeout: wait,
	}
	local := probe.Result{
		Target: target.Target{Input: "localhost:8080", Protocol: inspect.TCP, Host: "localhost", Port: 8080},
		Resolution: probe.Resolution{
			Host: "localhost",
			Addresses: []probe.Address{
				{Addr: netip.MustParseAddr("::1"), Origin: probe.FromHosts, HostsLine: 3},
				{Addr: netip.MustParseAddr("127.0.0.1"), Origin: probe.FromHosts, HostsLine: 2},
			},
			HostsPath:    "/etc/hosts",
			HostsEntries: 2,
			Answers:      []netip.Addr{netip.MustParseAddr("::1"), netip.MustParseAddr("127.0.0.1")},
		},
		Attempts: []probe.Attempt{
			{Address: netip.MustParseAddrPort("[::1]:8080"), Protocol: inspect.TCP, Classification: refused, Elapsed: 300 * time.Microsecond, Local: true},
			{Address: netip.MustParseAddrPort("127.0.0.1:8080"), Protocol: inspect.TCP, Classification: accepted, Elapsed: 400 * time.Microsecond, Local: true},
		},
		Timeout: wait,
	}
	out := []probe.Result{db, local}
	for i := range out {
		r := &out[i]
		for j := range r.Attempts {
			r.Attempts[j].From = r.Resolution.Addresses[j]
			r.Attempts[j].Meaning = probe.Meaning(r.Attempts[j], r.Timeout)
		}
		r.Summary = probe.Summary(r)
	}
	return out
}

// checks explains the local result with match.Explain, on a host where
// only 127.0.0.1:8080 listens.
func checks(t *testing.T, results []probe.Result) []*match.Report {
	snap := &inspect.Snapshot{
		Sockets: []inspect.Socket{{Protocol: inspect.TCP, Family: 4, Local: netip.MustParseAddrPort("127.0.0.1:8080"),
			State: inspect.StateListen, Owners: []inspect.Owner{{PID: 4242, Name: "api", User: "app"}}}},
		HostAddrs: []netip.Addr{netip.MustParseAddr("127.0.0.1"), netip.MustParseAddr("::1")},
	}
	out := make([]*match.Report, len(results))
	for i := range results {
		if tgt, res, ok := results[i].CheckTarget(); ok {
			rep := match.Explain(t.Context(), tgt, snap, res)
			out[i] = &rep
		}
	}
	if out[0] != nil || out[1] == nil {
		t.Fatalf("only localhost is this host's: %v", out)
	}
	return out
}

func TestProbeGolden(t *testing.T) {
	for _, c := range []struct {
		name string
		opts render.Options
	}{
		{"probe.golden", render.Options{}},
		{"probe-color.golden", render.Options{Color: true}},
	} {
		t.Run(c.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := render.ProbeTable(&buf, fixedResults(), checks(t, fixedResults()), c.opts); err != nil {
				t.Fatal(err)
			}
			golden(t, c.name, buf.Bytes())
		})
	}
	t.Run("probe.json.golden", func(t *testing.T) {
		var buf bytes.Buffer
		if err := render.ProbeJSON(&buf, fixedResults()[:1], nil, render.Options{}); err != nil {
			t.Fatal(err)
		}
		golden(t, "probe.json.golden", buf.Bytes())
	})
	t.Run("probe-many.json.golden", func(t *testing.T) {
		var buf bytes.Buffer
		if err := render.ProbeJSON(&buf, fixedResults(), checks(t, fixedResults()), render.Options{}); err != nil {
			t.Fatal(err)
		}
		golden(t, "probe-many.json.golden", buf.Bytes())
	})
}

// TestProbeUnresolved: a name that does not resolve has a verdict and
// empty arrays, not null.
func TestProbeUnresolved(t *testing.T) {
	r := probe.Result{
		Target:     target.Target{Input: "nowhere.invalid:80", Protocol: inspect.TCP, Host: "nowhere.invalid", Port: 80},
		Resolution: probe.Resolution{Host: "nowhere.invalid", HostsPath: "/etc/hosts", ResolverErr: errors.New("lookup nowhere.invalid: no such host")},
	}
	r.Summary = probe.Summary(&r)
	var buf bytes.Buffer
	if err := render.ProbeJSON(&buf, []probe.Result{r}, nil, render.Options{}); err != nil {
		t.Fatal(err)
	}
	golden(t, "probe-unresolved.json.golden", buf.Bytes())
	buf.Reset()
	if err := render.ProbeTable(&buf, []probe.Result{r}, nil, render.Options{}); err != nil {
		t.Fatal(err)
	}
	golden(t, "probe-unresolved.golden", buf.Bytes())
}

// TestProbeProxy: a result whose clients would go through a proxy says
// which, and shows the probe of the proxy, as text and as JSON.
func TestProbeProxy(t *testing.T) {
	rs := fixedResults()
	r := rs[0]
	pr := rs[1]
	r.Proxy = &probe.Proxy{Variable: "HTTPS_PROXY", URL: "http://proxy.example:3128", Clients: "curl and wget", Target: pr.Target}
	r.ProxyProbe = &pr
	var buf bytes.Buffer
	if err := render.ProbeTable(&buf, []probe.Result{r}, nil, render.Options{}); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{`proxy: HTTPS_PROXY is set: curl and wget connect to the proxy "http://proxy.example:3128" instead`,
		"probe " + pr.Target.Host} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
	buf.Reset()
	if err := render.ProbeJSON(&buf, []probe.Result{r}, nil, render.Options{}); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Proxy struct {
			Variable, URL string
			Probe         struct {
				Target struct{ Host string } `json:"target"`
			} `json:"probe"`
		} `json:"proxy"`
	}
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil || doc.Proxy.Variable != "HTTPS_PROXY" || doc.Proxy.Probe.Target.Host != pr.Target.Host {
		t.Errorf("JSON proxy %+v (%v):\n%s", doc.Proxy, err, buf.String())
	}
}
