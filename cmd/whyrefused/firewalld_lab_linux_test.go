// firewalld_lab_linux_test.go holds a sandbox for the real firewalld: the
// Debian firewalld daemon, run inside a network namespace the test made,
// in a mount namespace of its own (a private /run with its own D-Bus
// system bus, /var/log, and an /etc/firewalld of the test's), configured
// with the real firewall-cmd against that bus. Nothing of it reaches the
// host's firewall, its /etc/firewalld or its system bus.

package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/whyrefused/whyrefused/internal/testtool"
)

// needFirewalld are the tools the sandbox runs: firewalld itself, its
// client, a D-Bus daemon for the private bus, and unshare and nsenter for
// the mount namespace.
var needFirewalld = [][2]string{{"nft", "nftables"}, {"firewalld", "firewalld"}, {"firewall-cmd", "firewalld"},
	{"dbus-daemon", "dbus-daemon"}, {"unshare", "util-linux"}, {"nsenter", "util-linux"}}

// needFirewalldTools skips t naming the first sandbox tool missing.
func needFirewalldTools(t *testing.T) {
	t.Helper()
	for _, n := range needFirewalld {
		testtool.Need(t, n[0], n[1])
	}
}

// firewalldBusConf is the private bus's configuration: one socket, at
// SOCKET in the test's own directory (a path no other bus can have, so
// nothing that talks to it can reach the host's bus), no service
// activation (so no polkit: firewalld then authorises by uid, and the
// test runs as root), everything allowed.
const firewalldBusConf = `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-BUS Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>system</type>
  <listen>unix:path=SOCKET</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow user="root"/>
    <allow own="*"/>
    <allow send_destination="*"/>
    <allow receive_sender="*"/>
  </policy>
</busconfig>
`

// firewalldConf is the sandbox's firewalld.conf: Debian's defaults,
// written here so that the host's /etc/firewalld plays no part, and never
// unloading kernel modules.
const firewalldConf = `DefaultZone=public
CleanupOnExit=yes
CleanupModulesOnExit=no
Lockdown=no
IPv6_rpfilter=yes
IndividualCalls=no
LogDenied=off
FirewallBackend=nftables
FlushAllOnReload=yes
RFC3964_IPv4=yes
`

// firewalldSandbox is the script the sandbox runs in its own mount
// namespace (unshare --mount --propagation private), inside the test's
// network namespace: tmpfs over /run (/run/firewalld,
// /var/run/firewalld.pid, and the host's bus socket out of sight) and
// /var/log, the test's directory bound over /etc/firewalld, modprobe and
// rmmod made no-ops (modules are the whole kernel's), then the private
// bus, then firewalld in the foreground.
const firewalldSandbox = `set -e
mount -t tmpfs tmpfs /run
mkdir -p /run/firewalld
mount -t tmpfs tmpfs /var/log
mount --bind "$DIR/etc" /etc/firewalld
for m in /sbin/modprobe /sbin/rmmod; do
	if [ -e "$m" ]; then mount --bind /bin/true "$m"; fi
done
dbus-daemon --config-file="$DIR/bus.conf" --nofork --nopidfile >"$DIR/bus.log" 2>&1 &
while [ ! -S "$DIR/bus.sock" ]; do sleep 0.05; done
exec firewalld --nofork --nopid --log-target console --system-config /etc/firewalld
`

// firewalldLab is a running sandbox.
type firewalldLab struct {
	dir  string
	cmd  *exec.Cmd // becomes firewalld; its process group holds the bus
	done chan struct{}
}

// startFirewalld starts the sandbox in the named network namespace, with
// its files in dir, and waits until firewalld says it is running.
func startFirewalld(ns, dir string) (*firewalldLab, error) {
	if err := os.MkdirAll(filepath.Join(dir, "etc"), 0o755); err != nil {
		return nil, err
	}
	bus := strings.Replace(firewalldBusConf, "SOCKET", filepath.Join(dir, "bus.sock"), 1)
	for name, s := range map[string]string{"bus.conf": bus, "etc/firewalld.conf": firewalldConf} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(s), 0o644); err != nil {
			return nil, err
		}
	}
	// firewalld's log goes to a file: a pipe would keep Wait waiting for
	// whatever still holds it.
	log, err := os.Create(filepath.Join(dir, "firewalld.log"))
	if err != nil {
		return nil, err
	}
	defer log.Close()
	l := &firewalldLab{dir: dir, done: make(chan struct{})}
	l.cmd = exec.Command("ip", "netns", "exec", ns, "unshare", "--mount", "--propagation", "private", "sh", "-c", firewalldSandbox)
	l.cmd.Env = append(os.Environ(), "DIR="+dir, l.bus())
	l.cmd.Stdout, l.cmd.Stderr = log, log
	l.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := l.cmd.Start(); err != nil {
		return nil, err
	}
	go func() { l.cmd.Wait(); close(l.done) }()
	deadline := time.Now().Add(60 * time.Second)
	for {
		if err := l.isolated(); err == nil {
			if out, err := l.firewallCmd("--state"); err == nil && strings.TrimSpace(out) == "running" {
				return l, nil
			}
		}
		select {
		case <-l.done:
			l.stop()
			return nil, fmt.Errorf("firewalld ended before it ran: %s", l.logs())
		case <-time.After(200 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			l.stop()
			return nil, fmt.Errorf("firewalld did not start in 60s: %s", l.logs())
		}
	}
}

// isolated reports an error unless the sandbox's process is in a network
// and a mount namespace other than the test's own: nothing may run
// against the host's.
func (l *firewalldLab) isolated() error {
	for _, kind := range []string{"net", "mnt"} {
		own, err := os.Readlink("/proc/self/ns/" + kind)
		if err != nil {
			return err
		}
		its, err := os.Readlink("/proc/" + strconv.Itoa(l.cmd.Process.Pid) + "/ns/" + kind)
		if err != nil {
			return err
		}
		if its == own {
			return fmt.Errorf("the sandbox is still in the test's %s namespace", kind)
		}
	}
	return nil
}

// bus is the environment variable that names the private bus.
func (l *firewalldLab) bus() string {
	return "DBUS_SYSTEM_BUS_ADDRESS=unix:path=" + filepath.Join(l.dir, "bus.sock")
}

// inside runs a command in the sandbox's network and mount namespaces,
// with its private bus.
func (l *firewalldLab) inside(name string, args ...string) (string, error) {
	if err := l.isolated(); err != nil {
		return "", err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	argv := append([]string{"-t", strconv.Itoa(l.cmd.Process.Pid), "-m", "-n", "env", l.bus(), name}, args...)
	var out, errb bytes.Buffer
	cmd := exec.CommandContext(ctx, "nsenter", argv...)
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		return out.String(), fmt.Errorf("%s %s: %v: %s%s", name, strings.Join(args, " "), err, out.String(), errb.String())
	}
	return out.String(), nil
}

// firewallCmd runs the real firewall-cmd against the sandbox's firewalld.
func (l *firewalldLab) firewallCmd(args ...string) (string, error) {
	return l.inside("firewall-cmd", args...)
}

// ruleset is nft list ruleset of the sandbox's network namespace: what
// firewalld wrote.
func (l *firewalldLab) ruleset() (string, error) {
	return l.inside("nft", "list", "ruleset")
}

// logs are what firewalld and the bus said.
func (l *firewalldLab) logs() string {
	var s string
	for _, name := range []string{"firewalld.log", "bus.log"} {
		b, _ := os.ReadFile(filepath.Join(l.dir, name))
		s += fmt.Sprintf("\n%s:\n%s", name, b)
	}
	return s
}

// stop ends firewalld, then what is left of its process group (the bus).
func (l *firewalldLab) stop() error {
	pid := l.cmd.Process.Pid
	l.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-l.done:
	case <-time.After(20 * time.Second):
		l.cmd.Process.Kill()
		<-l.done
	}
	err := syscall.Kill(-pid, syscall.SIGTERM)
	if errors.Is(err, syscall.ESRCH) {
		err = nil
	}
	return err
}
