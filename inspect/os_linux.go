// os_linux.go holds the Linux answers to the per-OS questions: privilege,
// the IPV6_V6ONLY default, the backends, the PID namespace.

package inspect

import (
	"os"
	"strings"
)

// privileged reports whether this process can see every socket's owner.
func privileged() bool { return os.Geteuid() == 0 }

// defaultV6Only reads net.ipv6.bindv6only, the default for IPV6_V6ONLY.
func defaultV6Only() (bool, bool) {
	b, err := os.ReadFile("/proc/sys/net/ipv6/bindv6only")
	if err != nil {
		return false, false
	}
	return strings.TrimSpace(string(b)) == "1", true
}

// defaultSource is sock_diag, which falls back to gopsutil by itself.
func defaultSource() Source { return SockDiag{} }

func availableSources() []Source { return []Source{SockDiag{}, Gopsutil{}} }

// childPIDNamespace reports whether the processes the proc file system at
// procRoot shows are those of a PID namespace below the host's, so that
// processes outside it may hold sockets: the link <procRoot>/1/ns/pid (its
// namespace's init) names another namespace than the initial one, whose
// inode is fixed (PROC_PID_INIT_INO, include/linux/proc_ns.h). In a
// container whose /proc is the host's, every process is there to be read,
// though this one's own namespace (self/ns/pid) is a child: nothing is
// outside. Where init's link cannot be read (not root), this process's
// own namespace decides. A /proc/self/status's NSpid cannot tell: with the
// container's own /proc mounted, it lists only the namespaces from the
// container's down.
func childPIDNamespace(procRoot string) bool {
	l, err := os.Readlink(procRoot + "/1/ns/pid")
	if err != nil {
		l, err = os.Readlink(procRoot + "/self/ns/pid")
	}
	return err == nil && l != initPIDNamespace
}

// initPIDNamespace is what /proc/self/ns/pid names in the host's PID
// namespace.
const initPIDNamespace = "pid:[4026531836]"
