// hostile_files_linux_test.go holds the tests of whyrefused on broken
// hosts and services files, bind-mounted over /etc/hosts and /etc/services
// in a mount namespace of the test's own (and a network namespace, so that
// no lookup leaves the machine): long lines, NUL runs, binary garbage, a
// FIFO, /dev/zero, a huge file, and 100,000 addresses for one name. Each
// run must end in bounded time with a clean answer.

package main

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/whyrefused/whyrefused/internal/testtool"
)

// inMountNamespace runs the binary with hosts and services bind-mounted
// over /etc/hosts and /etc/services, in new mount and network namespaces,
// within limit.
func inMountNamespace(t *testing.T, hosts, services string, limit time.Duration, args ...string) (out, errs string, code int, took time.Duration) {
	t.Helper()
	bin := binary(t)
	script := `mount --bind "$1" /etc/hosts && mount --bind "$2" /etc/services && shift 2 && exec "$@"`
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	cmd := exec.CommandContext(ctx, "unshare", append([]string{"--mount", "--net", "sh", "-c", script, "sh", hosts, services, bin}, args...)...)
	cmd.Env = append(os.Environ(), "NO_COLOR=1")
	var o, e strings.Builder
	cmd.Stdout, cmd.Stderr = &o, &e
	start := time.Now()
	err := cmd.Run()
	took = time.Since(start)
	var exit *exec.ExitError
	switch {
	case ctx.Err() != nil:
		t.Fatalf("%q: not done within %v (stderr %.300q)", args, limit, e.String())
	case err == nil:
	case errors.As(err, &exit):
		code = exit.ExitCode()
	default:
		t.Fatalf("unshare: %v", err)
	}
	return o.String(), e.String(), code, took
}

// hostileFile writes a file of the test's own.
func hostileFile(t *testing.T, name, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// clean checks a run's answer: a status of whyrefused's own, at most one
// line on stderr, no panic or stack trace, no control byte.
func clean(t *testing.T, what string, out, errs string, code int) {
	t.Helper()
	if code < 0 || code > 5 || code == 3 {
		t.Errorf("%s: exit status %d", what, code)
	}
	if strings.Count(errs, "\n") > 1 || strings.Contains(errs+out, "goroutine ") || strings.Contains(errs+out, "panic") {
		t.Errorf("%s: not a clean answer:\n%.2000s\n%.2000s", what, out, errs)
	}
	if strings.ContainsFunc(out+errs, func(r rune) bool { return r < 0x20 && r != '\n' || r == 0x7f || r >= 0x80 && r <= 0x9f }) {
		t.Errorf("%s: a control byte in the output", what)
	}
}

func TestHostileHostsAndServicesFiles(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root, to bind-mount files over /etc/hosts in a mount namespace")
	}
	testtool.Need(t, "unshare", "util-linux")
	const entry = "198.18.0.7 db.test\n"
	const svc = "whysvc 8080/tcp\n"
	garbage := make([]byte, 1<<20)
	r := rand.NewChaCha8([32]byte{14})
	r.Read(garbage)
	fifo := filepath.Join(t.TempDir(), "fifo")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	huge := filepath.Join(t.TempDir(), "huge")
	if f, err := os.Create(huge); err != nil {
		t.Fatal(err)
	} else {
		f.WriteString(entry)
		f.Truncate(100 << 20) // sparse
		f.Close()
	}
	readable := []struct{ name, hosts, services string }{
		{"long lines", hostileFile(t, "hosts", "# x\n"+strings.Repeat("a", 3<<20)+"\n"+entry),
			hostileFile(t, "services", strings.Repeat("b", 3<<20)+"\n"+svc)},
		{"NUL runs", hostileFile(t, "hosts", strings.Repeat("\x00", 2<<20)+"\n\x00\x00 db.test\n"+entry),
			hostileFile(t, "services", strings.Repeat("\x00", 2<<20)+"\n"+svc)},
		{"binary garbage", hostileFile(t, "hosts", string(garbage)+"\n"+entry),
			hostileFile(t, "services", string(garbage)+"\n"+svc)},
	}
	for _, c := range readable {
		t.Run(c.name, func(t *testing.T) {
			out, errs, code, _ := inMountNamespace(t, c.hosts, c.services, 60*time.Second, "probe", "--timeout", "1s", "db.test:whysvc")
			clean(t, "probe", out, errs, code)
			if !strings.Contains(out, `service "whysvc" is port 8080/tcp`) || !strings.Contains(out, "198.18.0.7 (line ") {
				t.Errorf("probe did not find the entries after the broken lines:\n%s%s", out, errs)
			}
			// check resolves the name with the OS's resolver, which may
			// or may not read past the broken lines (Go's does not past
			// a NUL run); the service is whyrefused's own to find.
			out, errs, code, _ = inMountNamespace(t, c.hosts, c.services, 60*time.Second, "check", "db.test:whysvc")
			clean(t, "check", out, errs, code)
			if code != exitRefused || !strings.Contains(out, "port 8080") {
				t.Errorf("check did not find the service after the broken lines: exit %d\n%s%s", code, out, errs)
			}
		})
	}
	unreadable := []struct{ name, file, why string }{
		{"FIFO", fifo, "not a regular file"},
		{"/dev/zero", "/dev/zero", "not a regular file"},
		{"huge", huge, "larger than 64 MiB"},
	}
	for _, c := range unreadable {
		t.Run(c.name, func(t *testing.T) {
			out, errs, code, took := inMountNamespace(t, c.file, c.file, 60*time.Second, "probe", "--timeout", "1s", "db.test:8080")
			clean(t, "probe", out, errs, code)
			if code != exitRefused || !strings.Contains(out, "/etc/hosts: "+c.why) {
				t.Errorf("probe: exit %d, want 1 and the hosts file %s:\n%s%s", code, c.why, out, errs)
			}
			t.Logf("probe took %v", took)
			_, errs, code, _ = inMountNamespace(t, c.file, c.file, 60*time.Second, "check", "localhost:whysvc")
			clean(t, "check of a service", "", errs, code)
			if code != exitUsage || !strings.Contains(errs, "/etc/services: "+c.why) {
				t.Errorf("check of a service name: exit %d, want 2 and the services file %s: %q", code, c.why, errs)
			}
			out, errs, code, took = inMountNamespace(t, c.file, c.file, 60*time.Second, "check", "db.test:8080")
			clean(t, "check of a name", out, errs, code)
			if code != exitRefused {
				t.Errorf("check of a name: exit %d, want 1:\n%s%s", code, out, errs)
			}
			t.Logf("check of a name took %v", took)
		})
	}
	t.Run("100000 addresses", func(t *testing.T) {
		var b strings.Builder
		b.WriteString("127.0.0.1 localhost\n")
		for i := range 100000 {
			fmt.Fprintf(&b, "198.%d.%d.%d many.test\n", 18+i>>16, i>>8&255, i&255)
		}
		hosts := hostileFile(t, "hosts", b.String())
		services := hostileFile(t, "services", svc)
		out, errs, code, took := inMountNamespace(t, hosts, services, 120*time.Second, "check", "many.test:8080")
		clean(t, "check", out, errs, code)
		if code != exitRefused || !strings.Contains(out, "99996 more") {
			t.Errorf("check: exit %d:\n%.1500s%s", code, out, errs)
		}
		t.Logf("check took %v", took)
		out, errs, code, took = inMountNamespace(t, hosts, services, 120*time.Second, "probe", "--timeout", "1s", "many.test:8080")
		clean(t, "probe", out, errs, code)
		if code != exitRefused || strings.Count(out, "\n198.") < 200000 || strings.Contains(out, "too many open files") {
			t.Errorf("probe: exit %d, %d lines:\n%.1500s%s", code, strings.Count(out, "\n"), out, errs)
		}
		t.Logf("probe took %v", took)
	})
}
