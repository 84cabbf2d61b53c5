// podman_linux_test.go holds the truth test with real Podman, as root:
// podman (Debian's, with crun, conmon and netavark) run by the test in a
// network namespace and a mount namespace of its own, its storage (vfs),
// state and network configuration in a temporary directory, its network
// in 198.18.0.0/15, its iptables rules only in that namespace; an image
// imported from busybox-static; its API service on a socket in the
// temporary directory. A container publishes 8080 to its port 80 with
// the app on 0.0.0.0:80, on 127.0.0.1:80, on :8000, and stopped; check,
// run in Podman's namespace, must equal a real connect from that
// namespace and from a second one, and list -A must name the container.

package main

import (
	"bufio"
	"encoding/json"
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

// holdPodmanNS is run by sh inside `ip netns exec`: it makes the mount
// namespace every podman command of the test then enters (nsenter -m
// -n). The cgroup hierarchies are mounted again on its fresh /sys (v1
// alone under a hybrid host: crun refuses the hybrid layout), and what
// Podman would share with the host is hidden under empty tmpfs mounts,
// so that nothing the test runs reads or writes the host's: /run (its
// state, crun's, /run/netns), /dev/shm (its lock segments), and
// /var/lib/containers and /var/cache/containers, or their parents where
// they do not exist (a mkdir there would make them on the host).
const holdPodmanNS = `set -e
mount -t tmpfs cgroup_root /sys/fs/cgroup
if [ -n "$WR_CGROUP_V1" ]; then
  for c in $WR_CGROUP_V1; do mkdir -p /sys/fs/cgroup/$c; mount -t cgroup -o $c cgroup /sys/fs/cgroup/$c; done
  mkdir -p /sys/fs/cgroup/systemd; mount -t cgroup -o none,name=systemd cgroup /sys/fs/cgroup/systemd
else
  umount /sys/fs/cgroup; mount -t cgroup2 cgroup2 /sys/fs/cgroup
fi
mount -t tmpfs wr-podman /run; mount -t tmpfs wr-podman /dev/shm
for m in /var/lib/containers /var/cache/containers; do
  if [ -d $m ]; then mount -t tmpfs wr-podman $m; else mount -t tmpfs wr-podman ${m%/*}; fi
done
echo ready
exec sleep 100000
`

// podmanConf is containers.conf for the test: netavark's network in
// 198.18.0.0/15, events in a file, no systemd.
const podmanConf = `[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
events_logfile_path = "%[1]s/events.log"
image_copy_tmp_dir = "%[1]s/tmp"
[network]
network_backend = "netavark"
network_config_dir = "%[1]s/networks"
default_subnet = "198.18.210.0/24"
`

// podmanLab is Podman's namespaces, a client namespace joined to it by a
// veth pair, and Podman's API socket.
type podmanLab struct {
	host, client string
	dir          string
	holder       int    // the PID whose namespaces podman runs in
	env          string // CONTAINER_HOST=unix://...
}

const (
	podmanHostAddr   = "198.18.103.1"
	podmanClientAddr = "198.18.103.2"
)

// newPodmanLab makes the namespaces, starts Podman's API service and
// imports the image localhost/wr-bb; all of it is stopped and removed
// when the test ends.
func newPodmanLab(t *testing.T) *podmanLab {
	t.Helper()
	testtool.Need(t, "podman", "podman")
	testtool.NeedFile(t, "/usr/lib/podman/netavark", "netavark")
	testtool.Need(t, "crun", "crun")
	testtool.Need(t, "nsenter", "util-linux")
	bb := staticBusybox(t)
	l := &podmanLab{}
	l.host, l.client = engineNamespaces(t, "wrp", podmanHostAddr, podmanClientAddr)
	// Short: the API socket lives under it.
	dir, err := os.MkdirTemp("", "wrp")
	if err != nil {
		t.Fatal(err)
	}
	l.dir = dir
	t.Cleanup(func() { os.RemoveAll(dir) })
	for name, text := range map[string]string{
		"containers.conf": fmt.Sprintf(podmanConf, dir),
		"storage.conf":    fmt.Sprintf("[storage]\ndriver = \"vfs\"\nrunroot = %q\ngraphroot = %q\n", dir+"/run", dir+"/root"),
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	hold := exec.Command("ip", "netns", "exec", l.host, "sh", "-c", holdPodmanNS)
	hold.Env = append(os.Environ(), "WR_CGROUP_V1="+v1Controllers(t))
	stdout, _ := hold.StdoutPipe()
	hold.Stderr = os.Stderr
	if err := hold.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { hold.Process.Kill(); hold.Wait() })
	if line, _ := bufio.NewReader(stdout).ReadString('\n'); line != "ready\n" {
		t.Fatalf("the mount namespace for podman was not made: %q", line)
	}
	l.holder = hold.Process.Pid

	sock := filepath.Join(dir, "podman.sock")
	l.env = "CONTAINER_HOST=unix://" + sock
	logf, err := os.Create(filepath.Join(dir, "service.log"))
	if err != nil {
		t.Fatal(err)
	}
	svc := l.cmd("system", "service", "--time=0", "unix://"+sock)
	svc.Stdout, svc.Stderr = logf, logf
	svc.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := svc.Start(); err != nil {
		t.Fatal(err)
	}
	// Runs before the service stops: the containers go first.
	t.Cleanup(func() {
		syscall.Kill(-svc.Process.Pid, syscall.SIGKILL)
		svc.Wait()
		logf.Close()
		if t.Failed() {
			log, _ := os.ReadFile(logf.Name())
			t.Logf("podman system service's log:\n%s", tail(string(log), 40))
		}
	})
	t.Cleanup(func() { l.cmd("rm", "-a", "-f", "-t", "0").Run() })
	l.podman(t, "import", rootfsTar(t, bb, dir), "localhost/wr-bb")
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		if _, err := os.Stat(sock); err == nil {
			break
		}
		if time.Now().After(deadline) {
			log, _ := os.ReadFile(logf.Name())
			t.Fatalf("podman system service did not make %s in 30 s:\n%s", sock, tail(string(log), 40))
		}
	}
	return l
}

// cmd is a podman command in the lab's namespaces, with its storage,
// state and configuration in the lab's directory.
func (l *podmanLab) cmd(args ...string) *exec.Cmd {
	d := l.dir
	full := append([]string{"-t", fmt.Sprint(l.holder), "-m", "-n", "podman",
		"--root", d + "/root", "--runroot", d + "/run", "--tmpdir", d + "/tmp", "--storage-driver", "vfs",
		"--cgroup-manager", "cgroupfs", "--network-config-dir", d + "/networks"}, args...)
	c := exec.Command("nsenter", full...)
	c.Env = append(os.Environ(), "CONTAINERS_CONF="+d+"/containers.conf", "CONTAINERS_STORAGE_CONF="+d+"/storage.conf")
	return c
}

// podman runs a podman command, and fails the test if it fails.
func (l *podmanLab) podman(t *testing.T, args ...string) string {
	t.Helper()
	out, err := l.cmd(args...).CombinedOutput()
	if err != nil {
		t.Fatalf("podman %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// podmanListJSON is the part of list -A --json that names containers.
type podmanListJSON struct {
	Listeners []struct {
		Address string `json:"address"`
		Port    int    `json:"port"`
		Netns   *struct {
			Name      string `json:"name"`
			Container *struct {
				ID, Name, Runtime string
			} `json:"container"`
		} `json:"netns"`
	} `json:"listeners"`
}

// TestPodman runs rootful and rootless Podman in one lab: its
// namespaces, image and root's API service are made once.
func TestPodman(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root to run podman in a network namespace of its own")
	}
	l := newPodmanLab(t)
	t.Run("rootful", func(t *testing.T) { testPodmanPublishedPort(t, l) })
	t.Run("rootless", func(t *testing.T) { testPodmanRootlessPort(t, l) })
}

// testPodmanPublishedPort is rootful Podman's -p 8080:80.
func testPodmanPublishedPort(t *testing.T, l *podmanLab) {
	for i, app := range []string{"0.0.0.0:80", "127.0.0.1:80", "0.0.0.0:8000", "stopped"} {
		t.Run("app on "+app, func(t *testing.T) {
			name := fmt.Sprintf("web%d", i)
			listen := app
			if app == "stopped" {
				listen = "0.0.0.0:80"
			}
			// The ulimits: Podman's defaults (1048576) are above the
			// hard limits a test may run under.
			id := strings.TrimSpace(l.podman(t, "run", "-d", "--name", name, "-p", "8080:80", "--ulimit", "nofile=1024:4096", "--ulimit", "nproc=4096:4096",
				"localhost/wr-bb", "/bin/busybox", "httpd", "-f", "-p", listen))
			t.Cleanup(func() { l.cmd("rm", "-f", "-t", "0", name).Run() })
			if app == "stopped" {
				l.podman(t, "stop", "-t", "0", name)
			} else {
				port := listen[strings.LastIndex(listen, ":"):]
				for try := 0; !strings.Contains(l.podman(t, "exec", name, "/bin/busybox", "netstat", "-ltn"), port+" "); try++ {
					if try == 50 {
						t.Fatalf("httpd in %s does not listen on %s", name, listen)
					}
					time.Sleep(100 * time.Millisecond)
				}
				l.listNames(t, name, id, listen)
			}
			for _, c := range []struct{ from, addr string }{
				{l.host, "127.0.0.1:8080"},
				{l.host, podmanHostAddr + ":8080"},
				{l.client, podmanHostAddr + ":8080"},
			} {
				codes, out := truthCheck(t, c.from, l.host, c.addr, l.env)
				joined := strings.Join(codes, " ")
				switch {
				case app == "stopped" && (!strings.Contains(joined, "container-stopped") || !strings.Contains(out, "podman start "+name)):
					t.Errorf("check %s: %v, want container-stopped with podman's command:\n%s", c.addr, codes, out)
				case app != "stopped" && (len(codes) == 0 || codes[0] != "nat-mapped" || !strings.Contains(out, "container "+name+" (")):
					t.Errorf("check %s: %v, want nat-mapped into container %s first:\n%s", c.addr, codes, name, out)
				case app != "stopped" && (!strings.Contains(out, "NETAVARK-DN-") || !strings.Contains(out, "Podman's, written by netavark") || !strings.Contains(out, "conmon's socket on the port is Podman's reservation")):
					t.Errorf("check %s does not name netavark's rule and conmon's placeholder:\n%s", c.addr, out)
				}
			}
		})
	}
}

// listNames checks that list -A, run in Podman's namespace with its API
// socket, names the container whose httpd listens on listen.
func (l *podmanLab) listNames(t *testing.T, name, id, listen string) {
	t.Helper()
	cmd := exec.Command("ip", "netns", "exec", l.host, binary(t), "list", "-A", "--json", "--tcp")
	cmd.Env = append(os.Environ(), "NO_COLOR=1", l.env)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("list -A: %v\n%s", err, out)
	}
	var got podmanListJSON
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("list -A --json: %v\n%s", err, out)
	}
	for _, s := range got.Listeners {
		if s.Address+":"+fmt.Sprint(s.Port) != listen || s.Netns == nil || s.Netns.Container == nil {
			continue
		}
		c := s.Netns.Container
		if c.ID != id || c.Name != name || c.Runtime != "podman" || s.Netns.Name != name {
			t.Errorf("list -A names httpd's namespace %+v (container %+v), want podman's container %s (%s)", s.Netns, c, name, id)
		}
		return
	}
	t.Errorf("list -A does not show httpd on %s in container %s:\n%s", listen, name, out)
}

// rootlessSetup is run by sh in the lab's mount namespace: it gives
// nobody subordinate IDs (its own /etc/subuid and /etc/subgid, bound over
// the host's there only) and a /dev/net/tun that slirp4netns, running as
// nobody, may open.
const rootlessSetup = `set -e
d=$1
echo nobody:200000:65536 > $d/subid
mount --bind $d/subid /etc/subuid; mount --bind $d/subid /etc/subgid
[ -d /dev/net ] || { echo "no /dev/net: the kernel has no tun device for slirp4netns" >&2; exit 1; }
mount -t tmpfs -o mode=755 wr-dev-net /dev/net
mknod -m 666 /dev/net/tun c 10 200
`

// rootless is a rootless Podman run by nobody in the lab's namespaces.
type rootless struct {
	l   *podmanLab
	dir string // HOME and XDG_RUNTIME_DIR are under it
	env string // CONTAINER_HOST=unix://... of its API service
}

// newRootless sets up nobody's Podman in the lab and starts its API
// service; its containers and its pause process end with the test.
func newRootless(t *testing.T, l *podmanLab) *rootless {
	t.Helper()
	testtool.Need(t, "newuidmap", "uidmap")
	testtool.Need(t, "slirp4netns", "slirp4netns")
	testtool.Need(t, "setpriv", "util-linux")
	r := &rootless{l: l, dir: filepath.Join(l.dir, "rl")}
	for _, d := range []string{r.dir + "/home", r.dir + "/xdg"} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			t.Fatal(err)
		}
		os.Chown(d, 65534, 65534)
	}
	os.Chmod(l.dir, 0o755)
	os.Chmod(r.dir, 0o755)
	os.Chmod(l.dir+"/rootfs.tar", 0o644)
	conf := "[engine]\ncgroup_manager = \"cgroupfs\"\nevents_logger = \"file\"\nimage_copy_tmp_dir = \"" + r.dir + "/home\"\n[network]\ndefault_rootless_network_cmd = \"slirp4netns\"\n"
	if err := os.WriteFile(r.dir+"/containers.conf", []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	setup := exec.Command("nsenter", "-t", fmt.Sprint(l.holder), "-m", "sh", "-c", rootlessSetup, "sh", r.dir)
	if out, err := setup.CombinedOutput(); err != nil {
		t.Fatalf("rootless setup: %v\n%s", err, out)
	}
	sock := r.dir + "/xdg/podman.sock"
	r.env = "CONTAINER_HOST=unix://" + sock
	svc := r.cmd("system", "service", "--time=0", "unix://"+sock)
	// Rootless podman runs on in a child it starts in nobody's user
	// namespace: the service is ended by its process group.
	svc.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := svc.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		r.cmd("rm", "-a", "-f", "-t", "0").Run()
		syscall.Kill(-svc.Process.Pid, syscall.SIGKILL)
		svc.Wait()
		// The pause process holds nobody's user namespace: it is no
		// child of the test's.
		if b, err := os.ReadFile(r.dir + "/xdg/libpod/tmp/pause.pid"); err == nil {
			var pid int
			if fmt.Sscan(string(b), &pid); pid > 1 {
				syscall.Kill(pid, syscall.SIGKILL)
			}
		}
	})
	r.podman(t, "import", l.dir+"/rootfs.tar", "localhost/wr-bb")
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		if _, err := os.Stat(sock); err == nil {
			return r
		}
		if time.Now().After(deadline) {
			t.Fatalf("nobody's podman system service did not make %s in 30 s", sock)
		}
	}
}

// cmd is a podman command of nobody's in the lab's namespaces.
func (r *rootless) cmd(args ...string) *exec.Cmd {
	full := append([]string{"-t", fmt.Sprint(r.l.holder), "-m", "-n", "setpriv", "--reuid", "65534", "--regid", "65534", "--clear-groups",
		"env", "HOME=" + r.dir + "/home", "XDG_RUNTIME_DIR=" + r.dir + "/xdg", "CONTAINERS_CONF=" + r.dir + "/containers.conf",
		"podman", "--root", r.dir + "/home/storage", "--runroot", r.dir + "/xdg/run", "--storage-driver", "vfs", "--cgroup-manager", "cgroupfs"}, args...)
	c := exec.Command("nsenter", full...)
	c.Env = []string{"PATH=" + os.Getenv("PATH")}
	return c
}

// podman runs one of nobody's podman commands, and fails the test if it
// fails.
func (r *rootless) podman(t *testing.T, args ...string) string {
	t.Helper()
	out, err := r.cmd(args...).CombinedOutput()
	if err != nil {
		t.Fatalf("nobody's podman %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// httpGet sends an HTTP request to addr from namespace ns with busybox's
// nc, and returns what came back: "" is an empty reply.
func httpGet(t *testing.T, ns, addr string) string {
	t.Helper()
	host, port, _ := strings.Cut(addr, ":")
	c := exec.Command("ip", "netns", "exec", ns, "busybox", "sh", "-c", `printf 'GET / HTTP/1.0\r\n\r\n' | busybox nc -w 3 "$0" "$1"`, host, port)
	out, _ := c.Output()
	return string(out)
}

// testPodmanRootlessPort is nobody's Podman's -p 8081:80, through
// rootlessport.
func testPodmanRootlessPort(t *testing.T, l *podmanLab) {
	r := newRootless(t, l)
	for i, app := range []string{"0.0.0.0:80", "127.0.0.1:80"} {
		t.Run("app on "+app, func(t *testing.T) {
			name := fmt.Sprintf("rl%d", i)
			// slirp4netns's network in 198.18.0.0/15, without IPv6.
			r.podman(t, "run", "-d", "--name", name, "--network", fmt.Sprintf("slirp4netns:cidr=198.18.%d.0/24,enable_ipv6=false", 220+i),
				"-p", "8081:80", "--ulimit", "host", "localhost/wr-bb", "/bin/busybox", "httpd", "-f", "-p", app)
			t.Cleanup(func() { r.cmd("rm", "-f", "-t", "0", name).Run() })
			for try := 0; !strings.Contains(r.podman(t, "exec", name, "/bin/busybox", "netstat", "-ltn"), ":80 "); try++ {
				if try == 50 {
					t.Fatalf("httpd in %s does not listen on %s", name, app)
				}
				time.Sleep(100 * time.Millisecond)
			}
			for _, c := range []struct{ from, addr string }{
				{l.host, "127.0.0.1:8081"},
				{l.client, podmanHostAddr + ":8081"},
			} {
				// rootlessport accepts every connection: whether it is
				// served shows in the reply.
				codes, out := truthCheck(t, c.from, l.host, c.addr, r.env)
				reply := httpGet(t, c.from, c.addr)
				t.Logf("%s from %s: a reply of %d bytes", c.addr, c.from, len(reply))
				if len(codes) < 2 || codes[0] != "nat-mapped" || !strings.Contains(out, "by rootlessport") || !strings.Contains(out, "container "+name+" (") {
					t.Errorf("check %s: %v, want nat-mapped by rootlessport into container %s first:\n%s", c.addr, codes, name, out)
				}
				served := strings.HasPrefix(reply, "HTTP/")
				if served != (app == "0.0.0.0:80") {
					t.Fatalf("the reply to %s from %s, app on %s: %q", c.addr, c.from, app, reply)
				}
				if says := codes[1] == "listening"; says != served {
					t.Errorf("check %s: %v; the reply was %q:\n%s", c.addr, codes, reply, out)
				}
				if !served && (codes[1] != "loopback-only" || !strings.Contains(out, "rootlessport accepts, then closes the connection at once (an empty reply)")) {
					t.Errorf("check %s: %v, want loopback-only and the empty reply said:\n%s", c.addr, codes, out)
				}
			}
			// Without nobody's API socket the container's port is not
			// known: said, not guessed.
			if rep, out := checkIn(t, l.host, "127.0.0.1:8081"); rep.Verdict != "accept" || !strings.Contains(out, "rootless Podman's port forwarder") {
				t.Errorf("check without the API socket says %s:\n%s", rep.Verdict, out)
			}
		})
	}
}
