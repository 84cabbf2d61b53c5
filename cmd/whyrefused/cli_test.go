// cli_test.go tests the command line with a fake source: flags, bad input
// and exit statuses.

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"slices"
	"strings"
	"testing"

	"github.com/whyrefused/whyrefused/inspect"
	"github.com/whyrefused/whyrefused/target"
)

// fakeSource returns a fixed snapshot, filtered like a real backend would
// be asked to, and records the filter.
type fakeSource struct {
	snap *inspect.Snapshot
	err  error
	got  inspect.Filter
}

func (f *fakeSource) Name() string { return "fake" }

func (f *fakeSource) Snapshot(_ context.Context, filter inspect.Filter) (*inspect.Snapshot, error) {
	f.got = filter
	return f.snap, f.err
}

// testApp is an app on buffers with a fake source.
func testApp(src inspect.Source) (*app, *bytes.Buffer, *bytes.Buffer) {
	var out, errb bytes.Buffer
	return &app{stdout: &out, stderr: &errb, source: src, getenv: func(string) string { return "" }, goos: "linux",
		resolver: target.StaticResolver{"db.internal": {netip.MustParseAddr("10.0.0.5")}},
		services: func(name string, _ inspect.Protocol) (uint16, string, error) {
			if name == "postgresql" {
				return 5432, "/etc/services", nil
			}
			return 0, "", fmt.Errorf("unknown service name %q (not in /etc/services)", name)
		},
	}, &out, &errb
}

func oneSnapshot() *inspect.Snapshot {
	return &inspect.Snapshot{Sockets: []inspect.Socket{{
		Protocol: inspect.TCP, Family: 4, Local: netip.MustParseAddrPort("127.0.0.1:8080"), State: inspect.StateListen,
		Owners: []inspect.Owner{{PID: 42, Name: "api", User: "app", Cmdline: []string{"api", "--token=s3cret"}}},
	}}}
}

func TestBadInput(t *testing.T) {
	cases := []struct {
		args  []string
		names string // what the message must name
	}{
		{[]string{"--port", "70000"}, "--port"},
		{[]string{"list", "--port", "70000"}, "--port"},
		{[]string{"list", "--port", "x"}, "--port"},
		{[]string{"list", "--port", "0"}, "--port"},
		{[]string{"list", "--pid", "-3"}, "--pid"},
		{[]string{"list", "--pid", "abc"}, "--pid"},
		{[]string{"list", "--no-such-flag"}, "--no-such-flag"},
		{[]string{"--no-such-flag"}, "--no-such-flag"},
		{[]string{"list", "extra-argument"}, "extra-argument"},
		{[]string{"-Z"}, "Z"},
		{[]string{"help", "nosuch"}, "nosuch"},
		{[]string{"check", "--from", "not-an-address", "8080"}, "--from"},
	}
	for _, c := range cases {
		args := c.args
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			a, out, errb := testApp(&fakeSource{snap: oneSnapshot()})
			code := run(args, a)
			if code != exitUsage {
				t.Errorf("exit status %d, want %d", code, exitUsage)
			}
			msg := errb.String()
			if strings.Count(msg, "\n") != 1 || !strings.HasPrefix(msg, "whyrefused: ") {
				t.Errorf("stderr is not one line starting with the program name: %q", msg)
			}
			for _, bad := range []string{"panic", "goroutine", "Usage:"} {
				if strings.Contains(msg, bad) || strings.Contains(out.String(), bad) {
					t.Errorf("output contains %q: stderr %q stdout %q", bad, msg, out.String())
				}
			}
			if !strings.Contains(msg, c.names) {
				t.Errorf("message %q does not name %q", msg, c.names)
			}
		})
	}
}

func TestListFlagsMakeTheFilter(t *testing.T) {
	src := &fakeSource{snap: oneSnapshot()}
	a, _, errb := testApp(src)
	if code := run([]string{"ls", "--tcp", "-6", "--port", "8080", "--pid", "42", "--process", "api"}, a); code != exitOK {
		t.Fatalf("exit %d: %s", code, errb)
	}
	f := src.got
	if len(f.Protocols) != 1 || f.Protocols[0] != inspect.TCP || len(f.Families) != 1 || f.Families[0] != 6 ||
		len(f.Ports) != 1 || f.Ports[0] != 8080 || f.PID != 42 || f.ProcessName != "api" || f.WithCmdline {
		t.Errorf("filter %+v does not match the flags", f)
	}
	if len(f.States) != 2 {
		t.Errorf("list asks for states %v, want LISTEN and UNCONN", f.States)
	}
}

func TestListOutput(t *testing.T) {
	for _, args := range [][]string{nil, {"list"}, {"ls"}} {
		a, out, errb := testApp(&fakeSource{snap: oneSnapshot()})
		if code := run(args, a); code != exitOK {
			t.Fatalf("%v: exit %d: %s", args, code, errb)
		}
		if !strings.Contains(out.String(), "127.0.0.1:8080") || !strings.Contains(out.String(), "this host only") {
			t.Errorf("%v: output lacks the listener:\n%s", args, out)
		}
		if strings.Contains(out.String(), "s3cret") || strings.Contains(out.String(), "\x1b[") {
			t.Errorf("%v: output shows arguments or colour unasked:\n%s", args, out)
		}
	}
	a, out, _ := testApp(&fakeSource{snap: oneSnapshot()})
	run([]string{"--cmdline"}, a)
	if !strings.Contains(out.String(), "--token=s3cret") {
		t.Errorf("--cmdline does not show the command line:\n%s", out)
	}
}

func TestListJSON(t *testing.T) {
	a, out, _ := testApp(&fakeSource{snap: oneSnapshot()})
	if code := run([]string{"list", "--json"}, a); code != exitOK {
		t.Fatalf("exit %d", code)
	}
	var doc struct {
		Listeners []struct {
			Protocol string `json:"protocol"`
			Family   int    `json:"family"`
			Address  string `json:"address"`
			Port     int    `json:"port"`
			Reach    string `json:"reach"`
			Owners   []struct {
				PID  int    `json:"pid"`
				Name string `json:"name"`
				User string `json:"user"`
			} `json:"owners"`
		} `json:"listeners"`
		Warnings []string `json:"warnings"`
	}
	if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if len(doc.Listeners) != 1 || doc.Listeners[0].Address != "127.0.0.1" || doc.Listeners[0].Port != 8080 ||
		doc.Listeners[0].Reach != "loopback" || doc.Listeners[0].Owners[0].Name != "api" || doc.Warnings == nil {
		t.Errorf("unexpected JSON: %s", out)
	}
	if strings.Contains(out.String(), "s3cret") {
		t.Errorf("JSON shows arguments unasked: %s", out)
	}
}

func TestColour(t *testing.T) {
	for _, c := range []struct {
		terminal bool
		env      map[string]string
		want     bool
	}{
		{false, nil, false},
		{true, nil, true},
		{true, map[string]string{"NO_COLOR": "1"}, false},
		{true, map[string]string{"TERM": "dumb"}, false},
	} {
		a, out, _ := testApp(&fakeSource{snap: oneSnapshot()})
		a.terminal = c.terminal
		a.getenv = func(k string) string { return c.env[k] }
		run(nil, a)
		if got := strings.Contains(out.String(), "\x1b["); got != c.want {
			t.Errorf("terminal=%v env=%v: colour %v, want %v", c.terminal, c.env, got, c.want)
		}
	}
}

func TestSocketReadFailure(t *testing.T) {
	a, _, errb := testApp(&fakeSource{err: errors.New("reading the socket table: permission denied")})
	if code := run([]string{"list"}, a); code != exitNoSocket {
		t.Errorf("exit %d, want %d", code, exitNoSocket)
	}
	if strings.Count(errb.String(), "\n") != 1 || !strings.Contains(errb.String(), "permission denied") {
		t.Errorf("stderr %q", errb)
	}
}

func TestVersion(t *testing.T) {
	a, out, _ := testApp(&fakeSource{})
	if code := run([]string{"--version"}, a); code != exitOK {
		t.Fatalf("exit %d", code)
	}
	if !strings.HasPrefix(out.String(), "whyrefused ") {
		t.Errorf("--version printed %q", out)
	}
	old := version
	version = "v9.9.9"
	defer func() { version = old }()
	if v := versionString(); !strings.HasPrefix(v, "v9.9.9") || strings.Contains(v, "(devel)") {
		t.Errorf("versionString with -X main.version = %q", v)
	}
}

// failingWriter fails every write, like stdout on a full disk.
type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("no space left on device") }

// TestOutputWriteFailure: an answer that cannot be written is exit status
// 4 with one line, never mistaken for bad input or a refusal.
func TestOutputWriteFailure(t *testing.T) {
	for _, args := range [][]string{{"list"}, {"list", "--json"}, {"--version"}} {
		a, _, errb := testApp(&fakeSource{snap: oneSnapshot()})
		a.stdout = failingWriter{}
		if code := run(args, a); code != exitOutput {
			t.Errorf("%v: exit %d, want %d", args, code, exitOutput)
		}
		if got := errb.String(); strings.Count(got, "\n") != 1 || !strings.Contains(got, "no space left") {
			t.Errorf("%v: stderr %q, want one line with the write error", args, got)
		}
	}
}

// listenLoopback opens a TCP listener on 127.0.0.1, closed when the test
// ends, and returns its address.
func listenLoopback(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	return ln.Addr().String()
}

// closedLoopback returns the address of a TCP port on 127.0.0.1 that was
// just listened on and closed: nothing listens there now.
func closedLoopback(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// TestFailureStatus: bad input is 2, unreadable sockets 3, and an error of
// no known kind a failure of its own (5), not bad input.
func TestFailureStatus(t *testing.T) {
	for _, c := range []struct {
		err  error
		want int
	}{
		{usagef("bad"), exitUsage},
		{fmt.Errorf("wrapped: %w", usageError{errors.New("bad")}), exitUsage},
		{socketError{errors.New("netlink")}, exitNoSocket},
		{errors.New("something else"), exitFailure},
	} {
		if got := failureStatus(c.err); got != c.want {
			t.Errorf("failureStatus(%v) = %d, want %d", c.err, got, c.want)
		}
	}
}

// TestListOnlyFlags: the root refuses with a target exactly the list
// flags that check does not take.
func TestListOnlyFlags(t *testing.T) {
	want := []string{"tcp", "ipv4", "ipv6", "port", "pid", "process", "cmdline", "all-namespaces"}
	if got := listOnlyFlags(); !slices.Equal(got, want) {
		t.Errorf("listOnlyFlags() = %q, want %q", got, want)
	}
}
