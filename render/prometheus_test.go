// prometheus_test.go parses the exposition with Prometheus's own text
// parser (expfmt): every family, label and value as written, escaping
// included, and no timestamps.

package render

import (
	"bytes"
	"context"
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/whyrefused/whyrefused/expect"
	"github.com/whyrefused/whyrefused/inspect"
	"github.com/whyrefused/whyrefused/match"
	"github.com/whyrefused/whyrefused/target"
)

// promReports explains three targets on a host with a listener on
// 127.0.0.1:8080: one accepted, one refused on ::1 and 127.0.0.1, and one
// whose input needs escaping.
func promReports(t *testing.T, inputs ...string) []match.Report {
	t.Helper()
	snap := &inspect.Snapshot{
		HostAddrs: []netip.Addr{netip.MustParseAddr("127.0.0.1"), netip.MustParseAddr("::1")},
		Sockets: []inspect.Socket{{Protocol: inspect.TCP, Family: 4, State: inspect.StateListen,
			Local: netip.MustParseAddrPort("127.0.0.1:8080"), Owners: []inspect.Owner{{PID: 7, Name: "api", User: "app"}}}},
	}
	r := target.StaticResolver{"localhost": {netip.MustParseAddr("127.0.0.1"), netip.MustParseAddr("::1")}}
	var reps []match.Report
	for _, in := range inputs {
		tg, err := target.Parse(in, inspect.TCP, nil)
		if err != nil {
			t.Fatal(err)
		}
		reps = append(reps, match.Explain(context.Background(), tg, snap, r))
	}
	return reps
}

// parseExposition parses text with the official parser, failing the test
// on any error.
func parseExposition(t *testing.T, text string) map[string]*dto.MetricFamily {
	t.Helper()
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(strings.NewReader(text))
	if err != nil {
		t.Fatalf("the official parser rejects the exposition: %v\n%s", err, text)
	}
	return fams
}

// samples maps each sample of a family to its value, by its labels
// written name=value, sorted as Prometheus sorts them.
func samples(t *testing.T, f *dto.MetricFamily) map[string]float64 {
	t.Helper()
	out := map[string]float64{}
	for _, m := range f.GetMetric() {
		if m.TimestampMs != nil {
			t.Errorf("%s has a timestamp: the textfile collector refuses them", f.GetName())
		}
		var ls []string
		for _, l := range m.GetLabel() {
			ls = append(ls, l.GetName()+"="+l.GetValue())
		}
		slices.Sort(ls)
		out[strings.Join(ls, ",")] = m.GetGauge().GetValue()
	}
	return out
}

func TestCheckPrometheus(t *testing.T) {
	reps := promReports(t, "127.0.0.1:8080", "localhost:8081", `127.0.0.1:8080`)
	reps[2].Target.Input = "a \"quoted\" \\ back\nslash"
	var b bytes.Buffer
	if err := CheckPrometheus(&b, reps, Scan{Duration: 1500 * time.Microsecond, Errors: 2}); err != nil {
		t.Fatal(err)
	}
	fams := parseExposition(t, b.String())
	for name, f := range fams {
		if f.GetType() != dto.MetricType_GAUGE || f.GetHelp() == "" {
			t.Errorf("%s: type %s, help %q; want a gauge with help", name, f.GetType(), f.GetHelp())
		}
	}
	got := samples(t, fams["whyrefused_accepting"])
	want := map[string]float64{
		"address=127.0.0.1,protocol=tcp,target=127.0.0.1:8080":              1,
		"address=127.0.0.1,protocol=tcp,target=localhost:8081":              0,
		"address=::1,protocol=tcp,target=localhost:8081":                    0,
		"address=127.0.0.1,protocol=tcp,target=a \"quoted\" \\ back\nslash": 1,
	}
	if len(got) != len(want) {
		t.Errorf("accepting: got %v, want %v", got, want)
	}
	for k, v := range want {
		if g, ok := got[k]; !ok || g != v {
			t.Errorf("accepting{%s}: got %v (present %v), want %v", k, g, ok, v)
		}
	}
	findings := samples(t, fams["whyrefused_finding"])
	for _, k := range []string{"code=listening,target=127.0.0.1:8080", "code=no-listener,target=localhost:8081", "code=nearby-port,target=localhost:8081"} {
		if findings[k] != 1 {
			t.Errorf("finding{%s}: got %v, want 1 (all: %v)", k, findings[k], findings)
		}
	}
	if d := samples(t, fams["whyrefused_scan_duration_seconds"])[""]; d != 0.0015 {
		t.Errorf("duration %v, want 0.0015", d)
	}
	if e := samples(t, fams["whyrefused_scan_errors"])[""]; e != 2 {
		t.Errorf("errors %v, want 2", e)
	}
	if strings.Contains(b.String(), "whyrefused_expectation") {
		t.Error("check without -f writes expectation samples")
	}
}

// TestCheckPrometheusUnknownHasNoSample: an address this host cannot
// judge is not said to refuse.
func TestCheckPrometheusUnknownHasNoSample(t *testing.T) {
	reps := promReports(t, "198.18.0.7:8080")
	var b bytes.Buffer
	if err := CheckPrometheus(&b, reps, Scan{}); err != nil {
		t.Fatal(err)
	}
	fams := parseExposition(t, b.String())
	if n := len(fams["whyrefused_accepting"].GetMetric()); n != 0 {
		t.Errorf("%d accepting samples for an address that is not this host's, want none", n)
	}
	if samples(t, fams["whyrefused_finding"])["code=not-local,target=198.18.0.7:8080"] != 1 {
		t.Errorf("no not-local finding in %v:\n%s", samples(t, fams["whyrefused_finding"]), b.String())
	}
}

func TestExpectPrometheus(t *testing.T) {
	file := "127.0.0.1:8080 process api\n# comment\nlocalhost:9090 refuse\n127.0.0.1:8080 from 198.18.0.9\n127.0.0.1:8080 user root\n"
	lines, err := expect.Parse(strings.NewReader(file), inspect.TCP, nil)
	if err != nil {
		t.Fatal(err)
	}
	var inputs []string
	for _, l := range lines {
		inputs = append(inputs, l.Target.Input)
	}
	reps := promReports(t, inputs...)
	var results []expect.Result
	for i, l := range lines {
		results = append(results, expect.Judge(l, reps[i]))
	}
	var b bytes.Buffer
	if err := ExpectPrometheus(&b, results, Scan{Duration: time.Second}); err != nil {
		t.Fatal(err)
	}
	fams := parseExposition(t, b.String())
	ok := samples(t, fams["whyrefused_expectation_ok"])
	unsure := samples(t, fams["whyrefused_expectation_unsure"])
	for k, v := range map[string][2]float64{
		"expect=accept process api,line=1,target=127.0.0.1:8080":     {1, 0},
		"expect=refuse,line=3,target=localhost:9090":                 {1, 0},
		"expect=accept from 198.18.0.9,line=4,target=127.0.0.1:8080": {0, 1},
		"expect=accept user root,line=5,target=127.0.0.1:8080":       {0, 0},
	} {
		if ok[k] != v[0] || unsure[k] != v[1] {
			t.Errorf("line {%s}: ok %v unsure %v, want %v", k, ok[k], unsure[k], v)
		}
	}
	// The same target on three lines is one series.
	if n := len(fams["whyrefused_accepting"].GetMetric()); n != 3 {
		t.Errorf("%d accepting samples, want 3 (127.0.0.1:8080 once, localhost:9090 twice):\n%s", n, b.String())
	}
}
