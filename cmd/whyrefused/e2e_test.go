// e2e_test.go holds the end-to-end tests of the built binary: privileges, bad
// input, own listeners.

package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/whyrefused/whyrefused/internal/testtool"
	"github.com/whyrefused/whyrefused/internal/testwine"
)

// binEnv names a whyrefused binary built beforehand for the end-to-end
// tests. Under `go test -exec wine` the test binary runs inside Wine, where
// there is no Go toolchain to build one: the caller cross-builds
// whyrefused.exe on the host and names it here (.ci/wine/test.sh does).
const binEnv = "WHYREFUSED_TEST_BIN"

var (
	buildOnce sync.Once
	builtBin  string
	builtDir  string // made by binary(), removed by TestMain
	buildErr  error
)

// binary returns the whyrefused binary to test: the one named by
// $WHYREFUSED_TEST_BIN, or else one built with `go build` once, into a
// directory that every user can read.
func binary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		if p := os.Getenv(binEnv); p != "" {
			builtBin, buildErr = filepath.Abs(p)
			if buildErr == nil {
				_, buildErr = os.Stat(builtBin)
			}
			return
		}
		if _, err := exec.LookPath("go"); err != nil {
			buildErr = fmt.Errorf("no go command to build whyrefused with (%v): build it and name it in $%s", err, binEnv)
			return
		}
		builtDir, buildErr = os.MkdirTemp("", "whyrefused-e2e-")
		if buildErr != nil {
			return
		}
		if buildErr = os.Chmod(builtDir, 0o755); buildErr != nil {
			return
		}
		builtBin = filepath.Join(builtDir, "whyrefused")
		if runtime.GOOS == "windows" {
			builtBin += ".exe"
		}
		out, err := exec.Command("go", "build", "-o", builtBin, ".").CombinedOutput()
		if err != nil {
			buildErr = errors.New(err.Error() + ": " + string(out))
		}
	})
	if buildErr != nil {
		t.Fatalf("whyrefused binary: %v", buildErr)
	}
	return builtBin
}

func TestMain(m *testing.M) {
	testHelper()          // a listener or client process for a test, when asked to be one
	if serveForREADME() { // the test binary as the README's servers
		return
	}
	code := m.Run()
	if builtDir != "" {
		os.RemoveAll(builtDir)
	}
	os.Exit(code)
}

// rootListener opens a listener of this (root) process on 127.0.0.1, and
// returns a function that makes a command running whyrefused as "nobody".
// It skips where privileges cannot be dropped.
func rootListener(t *testing.T) (asNobody func(args ...string) *exec.Cmd, ln net.Listener) {
	t.Helper()
	if runtime.GOOS != "linux" {
		t.Skip("drops privileges with setpriv, which is Linux's")
	}
	if os.Geteuid() != 0 {
		t.Skip("needs root, to own a listener that nobody cannot see into")
	}
	setpriv := testtool.Need(t, "setpriv", "util-linux")
	bin := binary(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	return func(args ...string) *exec.Cmd {
		return exec.Command(setpriv, append([]string{"--reuid=65534", "--regid=65534", "--clear-groups", "--", bin}, args...)...)
	}, ln
}

// TestUnprivilegedSeesHiddenOwners runs the real binary as "nobody" while a
// root-owned listener is open: the listener is listed, its owner hidden,
// and the hint says how to see it.
func TestUnprivilegedSeesHiddenOwners(t *testing.T) {
	asNobody, ln := rootListener(t)
	port := ln.Addr().(*net.TCPAddr).Port
	cmd := asNobody("list", "--port", strconv.Itoa(port))
	cmd.Env = append(os.Environ(), "NO_COLOR=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("whyrefused as nobody: %v\n%s", err, out)
	}
	text := string(out)
	addr := "127.0.0.1:" + strconv.Itoa(port)
	row := rowOf(text, addr)
	if row == "" {
		t.Fatalf("root's listener %s is not listed:\n%s", addr, text)
	}
	if f := strings.Fields(row); len(f) < 3 || f[2] != "-" {
		t.Errorf("PID column is not '-' for a hidden owner: %q", row)
	}
	// The socket's user is known without privilege (sock_diag gives its
	// uid); only the gopsutil fallback cannot tell it.
	if f := strings.Fields(row); len(f) < 5 || (f[4] != "root" && !strings.Contains(text, "fell back to gopsutil")) {
		t.Errorf("USER column is not root, the user of root's listener: %q", row)
	}
	if strings.Contains(row, strconv.Itoa(os.Getpid())) {
		t.Errorf("nobody was shown root's PID: %q", row)
	}
	if !strings.Contains(text, "hidden: run it as root") {
		t.Errorf("no hint on hidden owners:\n%s", text)
	}
}

// TestBinaryBadInput checks the real exit status and stderr of the binary.
func TestBinaryBadInput(t *testing.T) {
	_, stderr, code := runBinary(t, binary(t), "list", "--port", "70000")
	if code != exitUsage {
		t.Fatalf("exit status %d, want %d", code, exitUsage)
	}
	if got := stderr; strings.Count(got, "\n") != 1 || !strings.Contains(got, "--port") {
		t.Errorf("stderr %q is not one line naming --port", got)
	}
}

// TestBinaryListsOwnListener: the real binary finds a listener of this test
// process, in the table and in JSON, and names this process as its owner.
// Under Wine it runs too (whyrefused.exe), but the owner is not checked.
func TestBinaryListsOwnListener(t *testing.T) {
	bin := binary(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	port := strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
	out, stderr, code := runBinary(t, bin, "list", "--tcp", "--port", port)
	if code != exitOK {
		t.Fatalf("list: exit status %d\n%s%s", code, out, stderr)
	}
	row := rowOf(out, "127.0.0.1:"+port)
	if row == "" || !strings.Contains(row, "this host only") {
		t.Fatalf("own listener 127.0.0.1:%s missing or not 'this host only':\n%s", port, out)
	}
	jsonOut, stderr, code := runBinary(t, bin, "list", "--json", "--port", port)
	if code != exitOK {
		t.Fatalf("list --json: exit status %d\n%s%s", code, jsonOut, stderr)
	}
	var doc struct {
		Listeners []struct {
			Protocol, Address, Reach string
			Port                     int
			Owners                   []struct{ PID int }
		}
	}
	if err := json.Unmarshal([]byte(jsonOut), &doc); err != nil {
		t.Fatalf("list --json is not JSON: %v\n%s", err, jsonOut)
	}
	if len(doc.Listeners) != 1 || doc.Listeners[0].Protocol != "tcp" || doc.Listeners[0].Address != "127.0.0.1" ||
		strconv.Itoa(doc.Listeners[0].Port) != port || doc.Listeners[0].Reach != "loopback" {
		t.Fatalf("list --json --port %s: %s", port, jsonOut)
	}
	t.Run("owner", func(t *testing.T) {
		testwine.Skip(t, testwine.OwnerPID)
		if !strings.Contains(row, strconv.Itoa(os.Getpid())) {
			t.Errorf("own PID %d missing: %q", os.Getpid(), row)
		}
		if o := doc.Listeners[0].Owners; len(o) != 1 || o[0].PID != os.Getpid() {
			t.Errorf("JSON owners %+v, want this process (%d)", o, os.Getpid())
		}
	})
}

// rowOf returns the line of text that contains s, or "".
func rowOf(text, s string) string {
	for _, line := range strings.Split(text, "\n") {
		if strings.Contains(line, s) {
			return line
		}
	}
	return ""
}

// checkJSON is the part of `check --json` that the end-to-end test reads.
type checkJSON struct {
	Target struct {
		Host string `json:"host"`
		Port int    `json:"port"`
	} `json:"target"`
	Verdict  string `json:"verdict"`
	Findings []struct {
		Code string `json:"code"`
	} `json:"findings"`
}

// runBinary runs the binary with NO_COLOR set and returns its stdout,
// stderr and exit status. A process that does not start at all ends the
// test, except under Wine, whose process creation now and then fails on a
// busy machine ("Internal error.") before any of whyrefused runs: there it
// is tried up to three times, and each retry is logged.
func runBinary(t *testing.T, bin string, args ...string) (stdout, stderr string, status int) {
	t.Helper()
	for try := 1; ; try++ {
		cmd := exec.Command(bin, args...)
		cmd.Env = append(os.Environ(), "NO_COLOR=1")
		var out, errb strings.Builder
		cmd.Stdout, cmd.Stderr = &out, &errb
		err := cmd.Run()
		var exit *exec.ExitError
		switch {
		case err == nil:
			return out.String(), errb.String(), 0
		case errors.As(err, &exit):
			return out.String(), errb.String(), exit.ExitCode()
		case try < 3 && testwine.Running():
			t.Logf("under Wine %s, %s did not start (%v): trying again", testwine.Version(), filepath.Base(bin), err)
		default:
			t.Fatalf("%s %v: %v", bin, args, err)
		}
	}
}

// TestBinaryCheck runs the real binary's check on a listener of this
// process (accepted, exit status 0) and on a port just closed (refused,
// no-listener, exit status 1), in the table and in JSON. It runs under Wine
// too, as whyrefused.exe.
func TestBinaryCheck(t *testing.T) {
	bin := binary(t)
	open, closed := listenLoopback(t), closedLoopback(t)

	out, _, code := runBinary(t, bin, "check", open)
	if code != exitOK || !strings.HasPrefix(out, "ACCEPTED") || !strings.Contains(out, "[listening]") {
		t.Errorf("check %s (listening): exit %d, want %d:\n%s", open, code, exitOK, out)
	}
	out, _, code = runBinary(t, bin, "check", closed)
	if code != exitRefused || !strings.HasPrefix(out, "REFUSED") || !strings.Contains(out, "[no-listener]") {
		t.Errorf("check %s (closed): exit %d, want %d:\n%s", closed, code, exitRefused, out)
	}

	out, _, code = runBinary(t, bin, "check", "--json", open, closed)
	var reps []checkJSON
	if err := json.Unmarshal([]byte(out), &reps); err != nil {
		t.Fatalf("check --json with two targets is not a JSON array: %v\n%s", err, out)
	}
	if code != exitRefused || len(reps) != 2 {
		t.Fatalf("check --json %s %s: exit %d, %d reports:\n%s", open, closed, code, len(reps), out)
	}
	for i, want := range []struct{ addr, verdict, code string }{{open, "accept", "listening"}, {closed, "refuse", "no-listener"}} {
		r := reps[i]
		if runtime.GOOS == "linux" && os.Geteuid() != 0 && len(r.Findings) > 1 && r.Findings[0].Code == "firewall-unsure" {
			// Not root: the rules could not be read, which comes first.
			r.Findings = r.Findings[1:]
		}
		if net.JoinHostPort(r.Target.Host, strconv.Itoa(r.Target.Port)) != want.addr || r.Verdict != want.verdict ||
			len(r.Findings) == 0 || r.Findings[0].Code != want.code {
			t.Errorf("report %d: %+v, want %s %s with finding %s first", i, r, want.addr, want.verdict, want.code)
		}
	}
}

// TestUnprivilegedCheck runs the real binary's check as "nobody" against a
// root-owned listener: the verdict is still right, and owner-hidden says
// how to see the owner.
func TestUnprivilegedCheck(t *testing.T) {
	asNobody, ln := rootListener(t)
	out, err := asNobody("check", "--json", ln.Addr().String()).Output()
	if err != nil {
		t.Fatalf("whyrefused check as nobody: %v\n%s", err, out)
	}
	var rep struct {
		Verdict  string
		Findings []struct{ Code, Suggestion string }
	}
	if err := json.Unmarshal(out, &rep); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	var codes []string
	for _, f := range rep.Findings {
		codes = append(codes, f.Code)
	}
	want := "listening,owner-hidden"
	if runtime.GOOS == "linux" {
		want = "firewall-unsure," + want // nobody cannot read the rules, and says so
	}
	if rep.Verdict != "accept" || strings.Join(codes, ",") != want {
		t.Errorf("verdict %s, findings %v; want accept, %s\n%s", rep.Verdict, codes, want, out)
	}
	if strings.Contains(string(out), strconv.Itoa(os.Getpid())) {
		t.Errorf("nobody was shown root's PID:\n%s", out)
	}
}

// TestContainerSeesHiddenOwners runs the real binary as root in a PID
// namespace of its own that shares this network namespace (a container
// with the host's network): this process's listener is listed, and as its
// owner is outside the namespace, it is hidden, with a hint that says why.
func TestContainerSeesHiddenOwners(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("PID namespaces are Linux's")
	}
	if os.Geteuid() != 0 {
		t.Skip("needs root to make a PID namespace")
	}
	unshare := testtool.Need(t, "unshare", "util-linux")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	port := ln.Addr().(*net.TCPAddr).Port
	cmd := exec.Command(unshare, "--pid", "--fork", "--mount-proc", "--", binary(t), "list", "--port", strconv.Itoa(port))
	cmd.Env = append(os.Environ(), "NO_COLOR=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("whyrefused in a PID namespace of its own (as root this must work): %v\n%s", err, out)
	}
	text := string(out)
	row := rowOf(text, "127.0.0.1:"+strconv.Itoa(port))
	if f := strings.Fields(row); len(f) < 3 || f[2] != "-" {
		t.Errorf("the listener's owner, outside the namespace, is not hidden: %q\n%s", row, text)
	}
	if !strings.Contains(text, "PID namespace of its own") {
		t.Errorf("no hint that owners may be outside the namespace:\n%s", text)
	}
}
