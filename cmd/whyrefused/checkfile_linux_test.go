// checkfile_linux_test.go runs check -f against real listeners inside a
// network namespace the test makes (internal/testnet): a file of every
// expectation kind, judged on one snapshot, with the table, JSON and
// Prometheus output, the verdicts held to real connects.

package main

import (
	"encoding/json"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/whyrefused/whyrefused/internal/testnet"
	"github.com/whyrefused/whyrefused/internal/testtool"
)

// nsSetup gives the namespace an interface with 198.18.0.1/24 and
// fd18::1/64, besides lo: one end of a veth pair whose other end is in the
// namespace too, so that no packet leaves it.
func nsSetup(t *testing.T) {
	t.Helper()
	for _, args := range [][]string{
		{"link", "add", "wr0", "type", "veth", "peer", "name", "wr1"},
		{"link", "set", "wr1", "up"},
		{"addr", "add", "198.18.0.1/24", "dev", "wr0"},
		{"-6", "addr", "add", "fd18::1/64", "dev", "wr0", "nodad"},
		{"link", "set", "wr0", "up"},
	} {
		if out, err := exec.Command("ip", args...).CombinedOutput(); err != nil {
			t.Fatalf("ip %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
}

// listenAt opens a TCP (or, with udp, UDP) socket of this process on
// network and addr, closed when the test ends.
func listenAt(t *testing.T, network, addr string) {
	t.Helper()
	var c interface{ Close() error }
	var err error
	if strings.HasPrefix(network, "udp") {
		c, err = net.ListenPacket(network, addr)
	} else {
		c, err = net.Listen(network, addr)
	}
	if err != nil {
		t.Fatalf("listen %s %s: %v", network, addr, err)
	}
	t.Cleanup(func() { c.Close() })
}

// nobodyListener starts netcat listening on addr as user nobody, and
// returns its process name (the kernel's comm: the executable's name).
func nobodyListener(t *testing.T, host string, port int) string {
	t.Helper()
	nc, err := filepath.EvalSymlinks(testtool.Need(t, "nc", "netcat-openbsd"))
	if err != nil {
		t.Fatal(err)
	}
	setpriv := testtool.Need(t, "setpriv", "util-linux")
	cmd := exec.Command(setpriv, "--reuid=65534", "--regid=65534", "--clear-groups", "--", nc, "-k", "-l", host, strconv.Itoa(port))
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	addr := net.JoinHostPort(host, strconv.Itoa(port))
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("netcat did not listen on %s", addr)
		}
	}
	return filepath.Base(nc)
}

// fileLine is a line of the test's file and the status it must get.
type fileLine struct {
	text, want string // want: "ok", "fail", "unsure"; "" for a comment
}

// TestCheckFileInANamespace judges a file of 26 lines, every expectation
// kind, against listeners on loopback and on 198.18.0.1 and fd18::1 in the
// test's own network namespace; the verdicts of accept and refuse are held
// to a real connect.
func TestCheckFileInANamespace(t *testing.T) {
	testtool.Need(t, "ip", "iproute2") // nsSetup's, in the namespace
	if !testnet.InNetns(t) {
		return
	}
	nsSetup(t)
	self, err := os.ReadFile("/proc/self/comm")
	if err != nil {
		t.Fatal(err)
	}
	me := strings.TrimSpace(string(self))
	listenAt(t, "tcp4", "127.0.0.1:5432") // loopback only
	listenAt(t, "tcp4", "0.0.0.0:8080")   // every IPv4 address
	listenAt(t, "tcp", ":6379")           // [::], dual stack: IPv4 too
	listenAt(t, "tcp6", "[::1]:9000")     // IPv6 loopback only
	listenAt(t, "udp4", "198.18.0.1:5353")
	nc := nobodyListener(t, "198.18.0.1", 7000)

	lines := []fileLine{
		{"# what this host must listen on, and must not", ""},
		{"127.0.0.1:5432", "ok"},
		{"127.0.0.1:5432 accept process " + me + " user root", "ok"},
		{"198.18.0.1:5432 refuse   # the database is private", "ok"},
		{"198.18.0.1:5432", "fail"},
		{"", ""},
		{"198.18.0.1:8080 accept", "ok"},
		{"198.18.0.1:8080 refuse", "fail"},
		{"127.0.0.1:8080 process nginx", "fail"},
		{"198.18.0.1:6379", "ok"},
		{"[fd18::1]:6379 process " + me, "ok"},
		{"[::1]:9000", "ok"},
		{"127.0.0.1:9000", "fail"},
		{"198.18.0.1:7000 user nobody process " + nc, "ok"},
		{"198.18.0.1:7000 user root", "fail"},
		{"198.18.0.1:5353/udp", "ok"},
		{"198.18.0.1:5353 refuse", "ok"},
		{":7777 refuse", "ok"},
		{"198.18.0.1:7777", "fail"},
		{"198.18.0.1:8080 from 198.18.0.9", "unsure"},
		{"198.18.0.1:7777 refuse from 198.18.0.9", "ok"},
		{"198.19.7.7:8080", "unsure"},
		{`"dial tcp 127.0.0.1:5432: connect: connection refused" accept`, "ok"},
		{"postgres://app:hunter2@127.0.0.1/app process " + me, "ok"},
		{"\t127.0.0.1:8080\taccept\t# tabs", "ok"},
		{"[fd18::1]:9000 refuse", "ok"},
	}
	var text strings.Builder
	for _, l := range lines {
		text.WriteString(l.text + "\n")
	}
	file := filepath.Join(t.TempDir(), "expect")
	if err := os.WriteFile(file, []byte(text.String()), 0o644); err != nil {
		t.Fatal(err)
	}

	// JSON: every line's status, and the exit status 1.
	stdout, stderr, status := runApp([]string{"check", "-f", file, "--format", "json"}, "")
	if status != exitRefused {
		t.Fatalf("status %d, want 1:\n%s%s", status, stdout, stderr)
	}
	var got struct {
		OK    bool `json:"ok"`
		Lines []struct {
			Line   int    `json:"line"`
			Status string `json:"status"`
			Reason string `json:"reason"`
			Target struct {
				Host string `json:"host"`
				Port int    `json:"port"`
			} `json:"target"`
			Expect struct {
				Verdict string `json:"verdict"`
			} `json:"expect"`
		} `json:"lines"`
	}
	if err := json.Unmarshal([]byte(stdout), &got); err != nil {
		t.Fatalf("%v:\n%s", err, stdout)
	}
	byLine := map[int]int{}
	for i, l := range got.Lines {
		byLine[l.Line] = i
	}
	for i, l := range lines {
		j, ok := byLine[i+1]
		switch {
		case l.want == "" && ok:
			t.Errorf("line %d %q is not a target, but is judged", i+1, l.text)
		case l.want == "":
		case !ok:
			t.Errorf("line %d %q is not judged", i+1, l.text)
		case got.Lines[j].Status != l.want:
			t.Errorf("line %d %q: %s (%s), want %s", i+1, l.text, got.Lines[j].Status, got.Lines[j].Reason, l.want)
		}
	}
	if got.OK || strings.Contains(stdout, "hunter2") {
		t.Errorf("ok %v, or the password is in the output", got.OK)
	}

	// The truth: a real client connects where "accept" holds, and is
	// refused where "refuse" does.
	for i, l := range lines {
		j, ok := byLine[i+1]
		if !ok || l.want == "unsure" || strings.Contains(l.text, "/udp") || strings.Contains(l.text, "from") ||
			strings.Contains(l.text, "process") || strings.Contains(l.text, "user") || strings.HasPrefix(l.text, ":") {
			continue
		}
		host, port := got.Lines[j].Target.Host, got.Lines[j].Target.Port
		c, err := net.DialTimeout("tcp", net.JoinHostPort(host, strconv.Itoa(port)), 2*time.Second)
		accepted := err == nil
		if c != nil {
			c.Close()
		}
		wantAccept := (got.Lines[j].Expect.Verdict == "refuse") == (l.want == "fail")
		if accepted != wantAccept {
			t.Errorf("line %d %q: a real connect was accepted=%v (%v), but whyrefused said %s", i+1, l.text, accepted, err, l.want)
		}
	}

	// The table: every judged line with its number and result.
	stdout, _, status = runApp([]string{"check", "-f", file}, "")
	if status != exitRefused || !strings.Contains(stdout, "16 of 24 expectations hold: 6 fail, 2 unsure") {
		t.Errorf("status %d; the table lacks its count:\n%s", status, stdout)
	}
	for _, want := range []string{"LINE  TARGET", "4     198.18.0.1:5432", "OK", "FAIL", "UNSURE", "(loopback-only)", "not judged"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("the table lacks %q:\n%s", want, stdout)
		}
	}

	// Prometheus: the metrics were written, so the status is 0; the
	// official parser reads them.
	stdout, stderr, status = runApp([]string{"check", "-f", file, "--format", "prometheus"}, "")
	if status != exitOK {
		t.Fatalf("prometheus: status %d, want 0:\n%s", status, stderr)
	}
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(strings.NewReader(stdout))
	if err != nil {
		t.Fatalf("the official parser rejects it: %v\n%s", err, stdout)
	}
	acc := map[string]float64{}
	for _, m := range fams["whyrefused_accepting"].GetMetric() {
		var target, addr string
		for _, l := range m.GetLabel() {
			switch l.GetName() {
			case "target":
				target = l.GetValue()
			case "address":
				addr = l.GetValue()
			}
		}
		acc[target+" "+addr] = m.GetGauge().GetValue()
	}
	for k, v := range map[string]float64{"198.18.0.1:8080 198.18.0.1": 1, "198.18.0.1:5432 198.18.0.1": 0, "[fd18::1]:9000 fd18::1": 0} {
		if g, ok := acc[k]; !ok || g != v {
			t.Errorf("whyrefused_accepting{%s} = %v (present %v), want %v", k, g, ok, v)
		}
	}
}

// TestCheckFileEndlessDevice: a device named by mistake is read up to the
// bound, not for ever: one line and status 2.
func TestCheckFileEndlessDevice(t *testing.T) {
	_, stderr, status := runApp([]string{"check", "-f", "/dev/zero"}, "")
	if status != exitUsage || !strings.Contains(stderr, "larger than 64 MiB") || strings.Count(stderr, "\n") != 1 {
		t.Fatalf("status %d, stderr %q; want 2 and one line", status, stderr)
	}
}
