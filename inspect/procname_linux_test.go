// procname_linux_test.go holds the tests of process names read from /proc:
// a fake tree, and a real process whose argv[0] is a process title with a
// password in it.

package inspect

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestProcName(t *testing.T) {
	root := t.TempDir()
	mk := func(pid int, comm, exe string) {
		dir := filepath.Join(root, fmt.Sprint(pid))
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "comm"), []byte(comm+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		if exe != "" {
			if err := os.Symlink(exe, filepath.Join(dir, "exe")); err != nil {
				t.Fatal(err)
			}
		}
	}
	mk(1, "nginx", "/usr/sbin/nginx")
	mk(2, "mylongservicena", "/opt/mylongservicename")
	mk(3, "mylongservicena", "")
	mk(4, "a\x1b]0;x\x07b\nc", "/x")
	for pid, want := range map[int32]string{1: "nginx", 2: "mylongservicename", 3: "mylongservicena", 4: "a\x1b]0;x\x07b\nc"} {
		if got, err := procName(root, pid); err != nil || got != want {
			t.Errorf("procName(%d) = %q, %v; want %q", pid, got, err, want)
		}
	}
	if _, err := procName(root, 99); !os.IsNotExist(err) {
		t.Errorf("procName of a gone process: %v, want not exist", err)
	}
}

// helperEnv makes this test binary, run again, a listener that prints its
// port and waits for its stdin to close.
const helperEnv = "WHYREFUSED_TEST_LISTENER"

func TestMain(m *testing.M) {
	if os.Getenv(helperEnv) != "" {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		fmt.Println(ln.Addr().(*net.TCPAddr).Port)
		io.Copy(io.Discard, os.Stdin)
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// TestOwnerNameIsNotArgv0: a listener whose executable has a 17-byte name
// (its comm is cut to 15) and whose argv[0] is a process title holding a
// password is named by its executable, on both backends.
func TestOwnerNameIsNotArgv0(t *testing.T) {
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	exe := filepath.Join(t.TempDir(), "mylongservicename")
	if err := os.Link(self, exe); err != nil {
		copyFile(t, self, exe)
	}
	title := "mylongservicename --db-password=Hunter2secret --port 45002"
	cmd := &exec.Cmd{Path: exe, Args: []string{title}, Env: append(os.Environ(), helperEnv+"=1")}
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { stdin.Close(); cmd.Wait() }()
	var port uint16
	line, err := bufio.NewReader(out).ReadString('\n')
	if _, serr := fmt.Sscan(strings.TrimSpace(line), &port); err != nil || serr != nil {
		t.Fatalf("the helper listener said %q: %v %v", line, err, serr)
	}
	f := Listeners()
	f.Ports = []uint16{port}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for _, src := range []Source{SockDiag{}, Gopsutil{}} {
		snap, err := src.Snapshot(ctx, f)
		if err != nil {
			t.Fatalf("%s: %v", src.Name(), err)
		}
		if len(snap.Sockets) != 1 || len(snap.Sockets[0].Owners) != 1 {
			t.Fatalf("%s: sockets %+v, want the helper's listener with its owner", src.Name(), snap.Sockets)
		}
		o := snap.Sockets[0].Owners[0]
		if o.Name != "mylongservicename" || o.PID != int32(cmd.Process.Pid) {
			t.Errorf("%s: owner %d %q, want %d mylongservicename", src.Name(), o.PID, o.Name, cmd.Process.Pid)
		}
		if len(o.Cmdline) != 0 {
			t.Errorf("%s: the command line was read unasked: %q", src.Name(), o.Cmdline)
		}
	}
}

// copyFile copies an executable.
func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o755); err != nil {
		t.Fatal(err)
	}
}
