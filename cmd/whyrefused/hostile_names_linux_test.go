// hostile_names_linux_test.go holds the hostile-name test: listeners held
// by a "nobody" process whose kernel name, argv[0], user name (a passwd
// entry bind-mounted in a mount namespace) and interface name (a veth in
// the test's network namespace) carry ESC, BEL, CR, BS, newline, U+009B
// and invalid UTF-8. list, list --cmdline, check, probe's local check, in
// tables and JSON: no control byte is printed, the JSON parses and holds
// the names exactly (as far as JSON can: invalid UTF-8 becomes U+FFFD),
// and the tables stay aligned.

package main

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/whyrefused/whyrefused/internal/testnet"
	"github.com/whyrefused/whyrefused/internal/testtool"
	"github.com/whyrefused/whyrefused/render"
)

const (
	hostileComm  = "\x1b]0;P\x07\r\b\n\u009b\xffab" // 13 bytes: the kernel keeps 15
	hostileArgv0 = "\x1b]0;PWNED\x07\x1b[2J\r\b\ntcp 0.0.0.0:22 1 sshd root\u009b\xff"
	hostileUser  = "\x1b[2Jevil\x07\b\r\u009b\xff" // no ':' or newline: a passwd line holds it
	hostileIf    = "e\x1bc\x07\b\u009b\xff"        // ESC c resets a terminal; the kernel refuses blanks, '/' and ':', Go brackets
)

// controlFree reports the first control byte or invalid UTF-8 in s, or "".
func controlFree(s string) string {
	if !utf8.ValidString(s) {
		return "invalid UTF-8"
	}
	for _, r := range s {
		if r < 0x20 && r != '\n' || r == 0x7f || r >= 0x80 && r <= 0x9f {
			return "control " + strings.TrimPrefix(string(rune(r)), "")
		}
	}
	return ""
}

// column is the rune offset of sub in line, or -1.
func column(line, sub string) int {
	i := strings.Index(line, sub)
	if i < 0 {
		return -1
	}
	return utf8.RuneCountInString(line[:i])
}

// lineWith is the first line of text that starts with prefix and holds
// sub.
func lineWith(text, prefix, sub string) string {
	for l := range strings.SplitSeq(text, "\n") {
		if strings.HasPrefix(l, prefix) && strings.Contains(l, sub) {
			return l
		}
	}
	return ""
}

func TestHostileNames(t *testing.T) {
	ip := testtool.Need(t, "ip", "iproute2")
	testtool.Need(t, "unshare", "util-linux")
	if !testnet.InNetns(t) {
		return
	}
	bin := binary(t)
	dir, err := os.MkdirTemp("", "whyrefused-hostile-")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	os.Chmod(dir, 0o755) // nobody runs the helper from here
	helper := filepath.Join(dir, "listener")
	if out, err := exec.Command("go", "build", "-o", helper, "./testdata/hostilelistener").CombinedOutput(); err != nil {
		t.Fatalf("building the helper listener: %v\n%s", err, out)
	}
	for _, args := range [][]string{
		{"link", "add", "name", hostileIf, "type", "veth", "peer", "name", "wrpeer0"},
		{"link", "set", hostileIf, "up"},
		{"link", "set", "wrpeer0", "up"},
		{"addr", "add", "fe80::77/64", "dev", hostileIf, "nodad"},
	} {
		if out, err := exec.Command(ip, args...).CombinedOutput(); err != nil {
			t.Fatalf("ip %q (in this test's own namespace): %v\n%s", args, err, out)
		}
	}
	// A passwd file whose nobody is hostileUser, for the mount namespace.
	passwd, err := os.ReadFile("/etc/passwd")
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for l := range strings.SplitSeq(strings.TrimSuffix(string(passwd), "\n"), "\n") {
		if !strings.HasPrefix(l, "nobody:") && !strings.Contains(l, ":x:65534:") {
			lines = append(lines, l)
		}
	}
	lines = append(lines, hostileUser+":x:65534:65534::/nonexistent:/usr/sbin/nologin")
	fakePasswd := filepath.Join(dir, "passwd")
	if err := os.WriteFile(fakePasswd, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}

	cmd := &exec.Cmd{Path: helper, Args: []string{hostileArgv0, "127.0.0.1:0", "[fe80::77%" + hostileIf + "]:0"},
		Env:         []string{"HOSTILE_COMM=" + hostileComm},
		SysProcAttr: &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}}
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { stdin.Close(); cmd.Wait() }()
	ports, err := bufio.NewReader(stdout).ReadString('\n')
	f := strings.Fields(ports)
	if err != nil || len(f) != 2 {
		t.Fatalf("the helper said %q: %v", ports, err)
	}
	v4 := "127.0.0.1:" + f[0]
	ll := "[fe80::77%" + hostileIf + "]:" + f[1]

	run := func(args ...string) (string, string, int) {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		script := `mount --bind "$1" /etc/passwd && shift && exec "$@"`
		c := exec.CommandContext(ctx, "unshare", append([]string{"--mount", "sh", "-c", script, "sh", fakePasswd, bin}, args...)...)
		c.Env = append(os.Environ(), "NO_COLOR=1")
		var o, e strings.Builder
		c.Stdout, c.Stderr = &o, &e
		code := 0
		if err := c.Run(); err != nil {
			ee, ok := err.(*exec.ExitError)
			if !ok || ctx.Err() != nil {
				t.Fatalf("%q: %v", args, err)
			}
			code = ee.ExitCode()
		}
		for name, s := range map[string]string{"stdout": o.String(), "stderr": e.String()} {
			if bad := controlFree(s); bad != "" {
				t.Errorf("%q: %s holds %s:\n%q", args, name, bad, s)
			}
		}
		return o.String(), e.String(), code
	}
	aligned := func(what, out, header, rowKey, cell string) {
		t.Helper()
		h, r := lineWith(out, "PROTO", header), lineWith(out, "tcp", rowKey)
		if h == "" || r == "" || column(h, header) != column(r, cell) || column(h, header) < 0 {
			t.Errorf("%s: column %q not aligned (header at %d, %q at %d):\n%s", what, header, column(h, header), cell, column(r, cell), out)
		}
	}

	out, _, code := run("list")
	if code != exitOK {
		t.Errorf("list: exit %d", code)
	}
	aligned("list", out, "REACHABLE FROM", v4, "this host only")
	aligned("list", out, "REACHABLE FROM", "fe80::77", "only via")
	if !strings.Contains(out, render.Escape(hostileComm)) || !strings.Contains(out, render.Escape(hostileUser)) || strings.Contains(out, "sshd") {
		t.Errorf("list: the escaped names are not shown, or argv[0] is:\n%s", out)
	}
	out, _, _ = run("list", "--cmdline")
	aligned("list --cmdline", out, "COMMAND", v4, render.Escape(hostileArgv0))
	aligned("list --cmdline", out, "REACHABLE FROM", v4, "this host only")

	for _, args := range [][]string{{"list", "--json"}, {"list", "--json", "--cmdline"}} {
		out, _, _ := run(args...)
		var inv struct {
			Listeners []struct {
				Address string
				Port    int
				Owners  []struct {
					Name, User string
					Cmdline    []string
				}
			}
		}
		if err := json.Unmarshal([]byte(out), &inv); err != nil {
			t.Fatalf("%q: not JSON: %v\n%s", args, err, out)
		}
		found := 0
		for _, l := range inv.Listeners {
			if len(l.Owners) == 1 && (l.Address == "127.0.0.1" || strings.HasPrefix(l.Address, "fe80::77%")) {
				found++
				o := l.Owners[0]
				if o.Name != strings.ToValidUTF8(hostileComm, "\ufffd") || o.User != strings.ToValidUTF8(hostileUser, "\ufffd") {
					t.Errorf("%q: owner %q %q, want the names as they are", args, o.Name, o.User)
				}
				if len(args) == 3 && (len(o.Cmdline) == 0 || o.Cmdline[0] != strings.ToValidUTF8(hostileArgv0, "\ufffd")) {
					t.Errorf("%q: command line %q", args, o.Cmdline)
				}
			}
		}
		if found != 2 {
			t.Errorf("%q: %d of the helper's listeners found:\n%s", args, found, out)
		}
	}

	out, _, code = run("check", v4)
	if code != exitOK {
		t.Errorf("check %s: exit %d\n%s", v4, code, out)
	}
	aligned("check", out, "REACHABLE FROM", v4, "this host only")
	out, errs, _ := run("check", v4, ll)
	if !strings.Contains(out+errs, render.Escape(hostileIf)) {
		t.Errorf("check of the link-local address: the escaped zone is not shown:\n%s%s", out, errs)
	}
	out, _, _ = run("check", "--json", v4)
	if !json.Valid([]byte(out)) {
		t.Errorf("check --json: not JSON:\n%s", out)
	}
	out, _, _ = run("probe", "--timeout", "2s", v4)
	aligned("probe's local check", out, "REACHABLE FROM", v4, "this host only")
	if !strings.Contains(out, render.Escape(hostileComm)) {
		t.Errorf("probe's local check does not name the owner:\n%s", out)
	}
	out, _, _ = run("probe", "--json", "--timeout", "2s", v4)
	if !json.Valid([]byte(out)) {
		t.Errorf("probe --json: not JSON:\n%s", out)
	}
}
