// golden_test.go holds the golden-file harness and list's golden tests.

package render_test

import (
	"bytes"
	"flag"
	"net/netip"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/whyrefused/whyrefused/inspect"
	"github.com/whyrefused/whyrefused/match"
	"github.com/whyrefused/whyrefused/render"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (go test -update rewrites it)\n--- got:\n%s\n--- want:\n%s", name, got, want)
	}
}

func ptr[T any](v T) *T { return &v }

var started = time.Date(2026, 11, 20, 8, 30, 0, 0, time.UTC)

// fixedSnapshot is a host with one listener of every reach, a shared
// socket, a hidden owner and sockets that are not listeners.
func fixedSnapshot() *inspect.Snapshot {
	nginx := []inspect.Owner{
		{PID: 812, Name: "nginx", User: "root", Exe: "/usr/sbin/nginx", Started: started},
		{PID: 813, Name: "nginx", User: "www-data", Exe: "/usr/sbin/nginx", Started: started},
		{PID: 814, Name: "nginx", User: "www-data", Exe: "/usr/sbin/nginx", Started: started},
		{PID: 815, Name: "nginx", User: "www-data", Exe: "/usr/sbin/nginx", Started: started},
	}
	return &inspect.Snapshot{
		Backend:       "fixture",
		Taken:         started,
		DefaultV6Only: ptr(false),
		Sockets: []inspect.Socket{
			{Protocol: inspect.TCP, Family: 6, Local: netip.MustParseAddrPort("[::]:443"), State: inspect.StateListen,
				Owners: nginx, IPv6Only: ptr(false), AcceptQueue: ptr(uint32(0)), Backlog: ptr(uint32(511))},
			{Protocol: inspect.TCP, Family: 4, Local: netip.MustParseAddrPort("0.0.0.0:80"), State: inspect.StateListen, Owners: nginx},
			{Protocol: inspect.TCP, Family: 4, Local: netip.MustParseAddrPort("127.0.0.1:5432"), State: inspect.StateListen,
				Owners: []inspect.Owner{{PID: 901, Name: "postgres", User: "postgres"}}},
			{Protocol: inspect.TCP, Family: 6, Local: netip.MustParseAddrPort("[::1]:5432"), State: inspect.StateListen,
				Owners: []inspect.Owner{{PID: 901, Name: "postgres", User: "postgres"}}},
			{Protocol: inspect.TCP, Family: 4, Local: netip.MustParseAddrPort("10.0.0.5:8080"), State: inspect.StateListen,
				Owners: []inspect.Owner{{PID: 1200, Name: "java", User: "app", Cmdline: []string{"java", "-Dpassword=hunter2", "-jar", "app.jar"}}}},
			{Protocol: inspect.TCP, Family: 6, Local: netip.MustParseAddrPort("[::]:9090"), State: inspect.StateListen,
				Owners: []inspect.Owner{{PID: 1300, Name: "prometheus", User: "prometheus"}}},
			{Protocol: inspect.TCP, Family: 6, Local: netip.MustParseAddrPort("[::]:22"), State: inspect.StateListen,
				IPv6Only: ptr(true), OwnersHidden: true, UID: ptr(uint32(0)), User: "root"},
			{Protocol: inspect.UDP, Family: 4, Local: netip.MustParseAddrPort("127.0.0.53:53"), State: inspect.StateUnconnected,
				Owners: []inspect.Owner{{PID: 455, Name: "systemd-resolve", User: "systemd-resolve"}}},
			{Protocol: inspect.TCP, Family: 4, Local: netip.MustParseAddrPort("127.0.0.1:5432"), Remote: netip.MustParseAddrPort("127.0.0.1:40000"),
				State: inspect.StateEstablished, Owners: []inspect.Owner{{PID: 902, Name: "postgres", User: "postgres"}}},
			{Protocol: inspect.UDP, Family: 4, Local: netip.MustParseAddrPort("10.0.0.5:41000"), Remote: netip.MustParseAddrPort("10.0.0.1:53"),
				State: inspect.StateConnected},
		},
		Warnings: []string{"example warning from the backend"},
	}
}

func TestListGolden(t *testing.T) {
	inv := match.List(fixedSnapshot(), "linux")
	cases := []struct {
		name string
		opts render.Options
	}{
		{"list.golden", render.Options{}},
		{"list-color.golden", render.Options{Color: true}},
		{"list-cmdline.golden", render.Options{Cmdline: true}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := render.ListTable(&buf, inv, c.opts); err != nil {
				t.Fatal(err)
			}
			golden(t, c.name, buf.Bytes())
		})
	}
	t.Run("list.json.golden", func(t *testing.T) {
		var buf bytes.Buffer
		if err := render.ListJSON(&buf, inv, render.Options{}); err != nil {
			t.Fatal(err)
		}
		golden(t, "list.json.golden", buf.Bytes())
	})
	t.Run("windows hint", func(t *testing.T) {
		var buf bytes.Buffer
		if err := render.ListTable(&buf, match.List(fixedSnapshot(), "windows"), render.Options{}); err != nil {
			t.Fatal(err)
		}
		golden(t, "list-windows.golden", buf.Bytes())
	})
}

// TestListEmpty: no listener is a sentence, and JSON has empty arrays, not null.
func TestListEmpty(t *testing.T) {
	inv := match.List(&inspect.Snapshot{}, "linux")
	var buf bytes.Buffer
	if err := render.ListTable(&buf, inv, render.Options{}); err != nil {
		t.Fatal(err)
	}
	if got, want := buf.String(), "No listening sockets match.\n"; got != want {
		t.Errorf("table: got %q, want %q", got, want)
	}
	buf.Reset()
	if err := render.ListJSON(&buf, inv, render.Options{}); err != nil {
		t.Fatal(err)
	}
	if got, want := buf.String(), "{\n  \"listeners\": [],\n  \"warnings\": []\n}\n"; got != want {
		t.Errorf("json: got %q, want %q", got, want)
	}
}
