// check_test.go holds the tests of check's table and JSON against golden
// files.

package render_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/netip"
	"strings"
	"testing"

	"github.com/whyrefused/whyrefused/inspect"
	"github.com/whyrefused/whyrefused/match"
	"github.com/whyrefused/whyrefused/render"
	"github.com/whyrefused/whyrefused/target"
)

// checkReports explains fixed targets against the fixed snapshot.
func checkReports(t *testing.T, targets ...string) []match.Report {
	t.Helper()
	snap := fixedSnapshot()
	snap.HostAddrs = []netip.Addr{netip.MustParseAddr("127.0.0.1"), netip.MustParseAddr("10.0.0.5"), netip.MustParseAddr("::1")}
	snap.Sockets = append(snap.Sockets,
		inspect.Socket{Protocol: inspect.TCP, Family: 4, Local: netip.MustParseAddrPort("10.0.0.5:3000"), Remote: netip.MustParseAddrPort("10.0.0.9:51000"), State: inspect.StateTimeWait},
		inspect.Socket{Protocol: inspect.TCP, Family: 4, Local: netip.MustParseAddrPort("10.0.0.5:3000"), Remote: netip.MustParseAddrPort("10.0.0.9:51002"), State: inspect.StateCloseWait,
			Owners: []inspect.Owner{{PID: 4242, Name: "node", User: "app", Cmdline: []string{"node", "--secret=x"}}}},
	)
	hosts := target.StaticResolver{"localhost": {netip.MustParseAddr("::1"), netip.MustParseAddr("127.0.0.1")}}
	var reps []match.Report
	for _, s := range targets {
		tg, err := target.Parse(s, inspect.TCP, nil)
		if err != nil {
			t.Fatal(err)
		}
		reps = append(reps, match.Explain(context.Background(), tg, snap, hosts))
	}
	return reps
}

var checkTargets = []string{
	"postgres://admin:hunter2@10.0.0.5/app", "localhost:5432", "10.0.0.5:8081", "127.0.0.1:22",
	"10.0.0.5:3000", ":9090", "192.0.2.1:80", "nosuch.example:80",
}

func TestCheckGolden(t *testing.T) {
	reps := checkReports(t, checkTargets...)
	for _, c := range []struct {
		name string
		opts render.Options
	}{
		{"check.golden", render.Options{}},
		{"check-color.golden", render.Options{Color: true}},
	} {
		var buf bytes.Buffer
		if err := render.CheckTable(&buf, reps, c.opts); err != nil {
			t.Fatal(err)
		}
		golden(t, c.name, buf.Bytes())
	}
	var buf bytes.Buffer
	if err := render.CheckJSON(&buf, reps, render.Options{}); err != nil {
		t.Fatal(err)
	}
	golden(t, "check.json.golden", buf.Bytes())
	for _, secret := range []string{"hunter2", "--secret", "admin:"} {
		if strings.Contains(buf.String(), secret) {
			t.Errorf("JSON shows %q", secret)
		}
	}
}

// TestCheckOne: one target is a JSON object in the schema, and a
// table with no heading.
func TestCheckOne(t *testing.T) {
	reps := checkReports(t, "10.0.0.5:5432")
	var buf bytes.Buffer
	if err := render.CheckTable(&buf, reps, render.Options{}); err != nil {
		t.Fatal(err)
	}
	if first, _, _ := strings.Cut(buf.String(), "\n"); first != "REFUSED: postgres (pid 901) listens on 127.0.0.1:5432 and [::1]:5432 only: loopback, so clients on other hosts cannot reach it as 10.0.0.5" {
		t.Errorf("verdict line %q", first)
	}
	buf.Reset()
	if err := render.CheckJSON(&buf, reps, render.Options{}); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Target struct {
			Input, Protocol, Host string
			Port                  int
		}
		Verdict   string
		Addresses []struct{ Address, Verdict string }
		Findings  []struct {
			Code, Message, Suggestion string
			Sockets                   []map[string]any
		}
		Sockets []map[string]any
	}
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatalf("not one JSON object: %v\n%s", err, buf.String())
	}
	if doc.Target.Input != "10.0.0.5:5432" || doc.Target.Protocol != "tcp" || doc.Target.Host != "10.0.0.5" || doc.Target.Port != 5432 ||
		doc.Verdict != "refuse" || len(doc.Addresses) != 1 || doc.Addresses[0].Address != "10.0.0.5" || doc.Addresses[0].Verdict != "refuse" ||
		len(doc.Findings) != 1 || doc.Findings[0].Code != "loopback-only" || len(doc.Findings[0].Sockets) != 2 || len(doc.Sockets) != 2 ||
		doc.Sockets[0]["why"] != "refuses 10.0.0.5 (loopback only)" {
		t.Errorf("unexpected JSON:\n%s", buf.String())
	}
}

// TestCheckTableCutsConnections: a busy port's leftover connections are
// cut after five rows in the table, and all kept in JSON.
func TestCheckTableCutsConnections(t *testing.T) {
	snap := &inspect.Snapshot{HostAddrs: []netip.Addr{netip.MustParseAddr("127.0.0.1")}}
	for i := range 8 {
		snap.Sockets = append(snap.Sockets, inspect.Socket{Protocol: inspect.TCP, Family: 4, State: inspect.StateTimeWait,
			Local: netip.MustParseAddrPort("127.0.0.1:8080"), Remote: netip.AddrPortFrom(netip.MustParseAddr("127.0.0.1"), uint16(40000+i))})
	}
	tg, _ := target.Parse("127.0.0.1:8080", inspect.TCP, nil)
	reps := []match.Report{match.Explain(context.Background(), tg, snap, nil)}
	var buf bytes.Buffer
	if err := render.CheckTable(&buf, reps, render.Options{}); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(buf.String(), "TIME_WAIT)  "); n != 5 || !strings.Contains(buf.String(), "... and 3 more connections on port 8080") {
		t.Errorf("%d rows shown:\n%s", n, buf.String())
	}
	buf.Reset()
	if err := render.CheckJSON(&buf, reps, render.Options{}); err != nil {
		t.Fatal(err)
	}
	var doc struct{ Sockets []any }
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil || len(doc.Sockets) != 8 {
		t.Errorf("JSON has %d sockets (%v), want 8", len(doc.Sockets), err)
	}
}
