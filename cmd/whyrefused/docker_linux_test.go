// docker_linux_test.go holds the truth test with real Docker: dockerd
// (docker.io) started by the test inside a network namespace of its own,
// with its bridge and address pools in 198.18.0.0/15, its data and exec
// roots in a temporary directory and its iptables rules only in that
// namespace; an image imported from busybox-static; a container that
// publishes 8080 to its port 80 with the app on 0.0.0.0:80, on
// 127.0.0.1:80, on :8000, and stopped; with docker-proxy and without.
// check, run in dockerd's namespace, must equal a real connect from that
// namespace and from a second one.

package main

import (
	"debug/elf"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/whyrefused/whyrefused/internal/testtool"
)

// startDockerd is run by sh inside `ip netns exec`, which gives it a
// mount namespace of its own with a fresh /sys: the cgroup hierarchies
// are mounted again there (v1 and v2, as the host has them), then dockerd
// starts with everything of its own under $1.
const startDockerd = `set -e
d=$1; shift
mount -t tmpfs cgroup_root /sys/fs/cgroup
if [ -n "$WR_CGROUP_V1" ]; then
  for c in $WR_CGROUP_V1; do mkdir -p /sys/fs/cgroup/$c; mount -t cgroup -o $c cgroup /sys/fs/cgroup/$c; done
  mkdir -p /sys/fs/cgroup/systemd; mount -t cgroup -o none,name=systemd cgroup /sys/fs/cgroup/systemd
  mkdir -p /sys/fs/cgroup/unified; mount -t cgroup2 cgroup2 /sys/fs/cgroup/unified
else
  umount /sys/fs/cgroup; mount -t cgroup2 cgroup2 /sys/fs/cgroup
fi
exec dockerd --data-root "$d/data" --exec-root "$d/exec" --pidfile "$d/pid" -H "unix://$d/docker.sock" \
  --bip 198.18.200.1/24 --default-address-pool base=198.18.192.0/20,size=24 --storage-driver vfs \
  --ip6tables=false "$@"
`

// dockerLab is dockerd's namespace, a client namespace joined to it by a
// veth pair, and dockerd's socket.
type dockerLab struct {
	host, client string
	env          string // DOCKER_HOST=unix://...
}

const (
	dockerHostAddr   = "198.18.102.1"
	dockerClientAddr = "198.18.102.2"
)

// v1Controllers are the cgroup v1 hierarchies mounted on this host, or
// "" under cgroup v2 alone.
func v1Controllers(t *testing.T) string {
	b, err := os.ReadFile("/proc/self/mounts")
	if err != nil {
		t.Fatal(err)
	}
	var cs []string
	for _, l := range strings.Split(string(b), "\n") {
		f := strings.Fields(l)
		if len(f) >= 4 && f[2] == "cgroup" && strings.HasPrefix(f[1], "/sys/fs/cgroup/") {
			if c := filepath.Base(f[1]); c != "systemd" && !strings.Contains(c, ",") {
				cs = append(cs, c)
			}
		}
	}
	return strings.Join(cs, " ")
}

// newDockerLab starts dockerd and imports the image wr-bb; all of it is
// stopped and removed when the test ends.
func newDockerLab(t *testing.T, userlandProxy bool) dockerLab {
	t.Helper()
	testtool.Need(t, "dockerd", "docker.io")
	testtool.Need(t, "docker", "docker.io")
	bb := staticBusybox(t)
	var l dockerLab
	l.host, l.client = engineNamespaces(t, "wrd", dockerHostAddr, dockerClientAddr)
	// Short: containerd's sockets live under it, and a unix socket's
	// path has room for 107 bytes.
	dir, err := os.MkdirTemp("", "wrd")
	if err != nil {
		t.Fatal(err)
	}
	l.env = "DOCKER_HOST=unix://" + dir + "/docker.sock"
	logf, err := os.Create(filepath.Join(dir, "dockerd.log"))
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("ip", "netns", "exec", l.host, "sh", "-c", startDockerd, "sh", dir, fmt.Sprintf("--userland-proxy=%v", userlandProxy))
	cmd.Env = append(os.Environ(), "WR_CGROUP_V1="+v1Controllers(t))
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		out, _ := exec.Command("sh", "-c", "docker ps -aq | xargs -r docker rm -f").CombinedOutput()
		_ = out
		cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			cmd.Process.Kill()
			<-done
		}
		logf.Close()
		if t.Failed() {
			log, _ := os.ReadFile(logf.Name())
			t.Logf("dockerd's log:\n%s", tail(string(log), 40))
		}
		os.RemoveAll(dir)
	})
	os.Setenv("DOCKER_HOST", strings.TrimPrefix(l.env, "DOCKER_HOST="))
	t.Cleanup(func() { os.Unsetenv("DOCKER_HOST") })
	deadline := time.Now().Add(90 * time.Second)
	for exec.Command("docker", "version").Run() != nil {
		if time.Now().After(deadline) || cmd.ProcessState != nil {
			log, _ := os.ReadFile(logf.Name())
			t.Fatalf("dockerd did not start in 90 s:\n%s", tail(string(log), 40))
		}
		time.Sleep(300 * time.Millisecond)
	}
	l.run(t, "docker", "import", rootfsTar(t, bb, dir), "wr-bb")
	return l
}

// engineNamespaces makes the engine's namespace and a client's, joined
// by a veth pair (its ends named prefix0 and prefix1) with the addresses
// given; the client's default route goes through the engine's.
func engineNamespaces(t *testing.T, prefix, hostAddr, clientAddr string) (host, client string) {
	t.Helper()
	tn := newNamespaces(t, 2)
	host, client = tn.names[0], tn.names[1]
	script := fmt.Sprintf(`set -e
ip link add %[5]s0 netns %[1]s type veth peer name %[5]s1 netns %[2]s
ip -n %[1]s addr add %[3]s/24 dev %[5]s0; ip -n %[1]s link set %[5]s0 up
ip -n %[2]s addr add %[4]s/24 dev %[5]s1; ip -n %[2]s link set %[5]s1 up
ip -n %[2]s route add default via %[3]s`, host, client, hostAddr, clientAddr, prefix)
	if out, err := exec.Command("sh", "-c", script).CombinedOutput(); err != nil {
		t.Fatalf("veth: %v\n%s", err, out)
	}
	return host, client
}

// rootfsTar makes dir/rootfs.tar, an image's rootfs of busybox bb alone,
// and returns its path.
func rootfsTar(t *testing.T, bb, dir string) string {
	t.Helper()
	rootfs := filepath.Join(dir, "rootfs")
	os.MkdirAll(filepath.Join(rootfs, "bin"), 0o755)
	tar := exec.Command("sh", "-c", fmt.Sprintf("cp %s %s/bin/busybox && ln -s busybox %s/bin/sh && tar -C %s -cf %s/rootfs.tar .", bb, rootfs, rootfs, rootfs, dir))
	if out, err := tar.CombinedOutput(); err != nil {
		t.Fatalf("the image's rootfs: %v\n%s", err, out)
	}
	return filepath.Join(dir, "rootfs.tar")
}

// staticBusybox is busybox-static's binary, which an image imported
// from a bare rootfs needs.
func staticBusybox(t *testing.T) string {
	t.Helper()
	bb := testtool.Need(t, "busybox", "busybox-static")
	if f, err := elf.Open(bb); err == nil {
		for _, p := range f.Progs {
			if p.Type == elf.PT_INTERP {
				t.Fatalf("%s is linked dynamically: the image needs busybox-static's", bb)
			}
		}
		f.Close()
	}
	return bb
}

// run runs a command with dockerd's socket, and fails the test if it
// fails.
func (l dockerLab) run(t *testing.T, name string, args ...string) string {
	t.Helper()
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return string(out)
}

// truthCheck connects from namespace from to addr for real, runs check
// of addr in namespace in with env, and fails the test when check's
// verdict is not the real connect's. It returns check's finding codes
// and its output.
func truthCheck(t *testing.T, from, in, addr, env string) ([]string, string) {
	t.Helper()
	real := connectFrom(t, from, addr)
	want := map[string]string{"accepted": "accept", "refused": "refuse"}[real]
	if want == "" {
		t.Fatalf("a real connect from %s to %s: %s", from, addr, real)
	}
	rep, out := checkIn(t, in, addr, env)
	t.Logf("%s from %s: a real connect is %s, check says %s", addr, from, real, rep.Verdict)
	if rep.Verdict != want {
		t.Errorf("check %s says %s; a real connect from %s was %s:\n%s", addr, rep.Verdict, from, real, out)
	}
	var codes []string
	for _, f := range rep.Findings {
		codes = append(codes, f.Code)
	}
	return codes, out
}

// tail is the last n lines of s.
func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

func TestDockerPublishedPort(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root to run dockerd in a network namespace of its own")
	}
	for _, proxy := range []bool{true, false} {
		t.Run(fmt.Sprintf("userland-proxy=%v", proxy), func(t *testing.T) {
			l := newDockerLab(t, proxy)
			for i, app := range []string{"0.0.0.0:80", "127.0.0.1:80", "0.0.0.0:8000", "stopped"} {
				t.Run("app on "+app, func(t *testing.T) {
					name := fmt.Sprintf("web%d", i)
					listen := app
					if app == "stopped" {
						listen = "0.0.0.0:80"
					}
					l.run(t, "docker", "run", "-d", "--name", name, "-p", "8080:80", "wr-bb", "/bin/busybox", "httpd", "-f", "-p", listen)
					t.Cleanup(func() { exec.Command("docker", "rm", "-f", name).Run() })
					if app == "stopped" {
						l.run(t, "docker", "stop", "-t", "1", name)
					} else {
						port := listen[strings.LastIndex(listen, ":"):]
						for try := 0; !strings.Contains(l.run(t, "docker", "exec", name, "/bin/busybox", "netstat", "-ltn"), port+" "); try++ {
							if try == 50 {
								t.Fatalf("httpd in %s does not listen on %s", name, listen)
							}
							time.Sleep(100 * time.Millisecond)
						}
					}
					for _, c := range []struct{ from, addr string }{
						{l.host, "127.0.0.1:8080"},
						{l.host, dockerHostAddr + ":8080"},
						{l.client, dockerHostAddr + ":8080"},
					} {
						codes, out := truthCheck(t, c.from, l.host, c.addr, l.env)
						joined := strings.Join(codes, " ")
						switch {
						case app == "stopped" && !strings.Contains(joined, "container-stopped"):
							t.Errorf("check %s: %v, want container-stopped:\n%s", c.addr, codes, out)
						case app != "stopped" && (len(codes) == 0 || codes[0] != "nat-mapped" || !strings.Contains(out, "container "+name+" (")):
							t.Errorf("check %s: %v, want nat-mapped into container %s first:\n%s", c.addr, codes, name, out)
						}
					}
				})
			}
		})
	}
}
