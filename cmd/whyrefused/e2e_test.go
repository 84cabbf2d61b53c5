package main

import (
	"encoding/json"
	"errors"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
)

var (
	buildOnce sync.Once
	builtBin  string
	buildErr  error
)

// binary builds whyrefused once into a directory that every user can read,
// and returns its path.
func binary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "whyrefused-e2e-")
		if err != nil {
			buildErr = err
			return
		}
		if err = os.Chmod(dir, 0o755); err != nil {
			buildErr = err
			return
		}
		builtBin = filepath.Join(dir, "whyrefused")
		if runtime.GOOS == "windows" {
			builtBin += ".exe"
		}
		out, err := exec.Command("go", "build", "-o", builtBin, ".").CombinedOutput()
		if err != nil {
			buildErr = errors.New(err.Error() + ": " + string(out))
		}
	})
	if buildErr != nil {
		t.Fatalf("building whyrefused: %v", buildErr)
	}
	return builtBin
}

func TestMain(m *testing.M) {
	code := m.Run()
	if builtBin != "" {
		os.RemoveAll(filepath.Dir(builtBin))
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
	setpriv, err := exec.LookPath("setpriv")
	if err != nil {
		t.Skip("needs setpriv (util-linux) to drop to nobody")
	}
	bin := binary(t)
	ln, err = net.Listen("tcp", "127.0.0.1:0")
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
	var row string
	for _, line := range strings.Split(text, "\n") {
		if strings.Contains(line, addr) {
			row = line
		}
	}
	if row == "" {
		t.Fatalf("root's listener %s is not listed:\n%s", addr, text)
	}
	if f := strings.Fields(row); len(f) < 3 || f[2] != "-" {
		t.Errorf("PID column is not '-' for a hidden owner: %q", row)
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
	bin := binary(t)
	cmd := exec.Command(bin, "list", "--port", "70000")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != exitUsage {
		t.Fatalf("exit: %v, want status %d", err, exitUsage)
	}
	if got := stderr.String(); strings.Count(got, "\n") != 1 || !strings.Contains(got, "--port") {
		t.Errorf("stderr %q is not one line naming --port", got)
	}
}

// TestBinaryListsOwnListener: the real binary finds a listener of this test
// process with its PID.
func TestBinaryListsOwnListener(t *testing.T) {
	bin := binary(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	port := strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
	out, err := exec.Command(bin, "list", "--tcp", "--port", port).CombinedOutput()
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if !strings.Contains(string(out), "127.0.0.1:"+port) || !strings.Contains(string(out), strconv.Itoa(os.Getpid())) {
		t.Errorf("own listener or PID missing:\n%s", out)
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
	if rep.Verdict != "accept" || strings.Join(codes, ",") != "listening,owner-hidden" {
		t.Errorf("verdict %s, findings %v; want accept, listening and owner-hidden\n%s", rep.Verdict, codes, out)
	}
	if strings.Contains(string(out), strconv.Itoa(os.Getpid())) {
		t.Errorf("nobody was shown root's PID:\n%s", out)
	}
}
