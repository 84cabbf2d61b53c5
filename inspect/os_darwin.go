// os_darwin.go holds the macOS answers to the per-OS questions: privilege,
// the IPV6_V6ONLY default, the backends.

package inspect

import (
	"os"

	"golang.org/x/sys/unix"
)

// privileged reports whether this process can see every socket's owner.
func privileged() bool { return os.Geteuid() == 0 }

// defaultV6Only reads the sysctl net.inet6.ip6.v6only.
func defaultV6Only() (bool, bool) {
	v, err := unix.SysctlUint32("net.inet6.ip6.v6only")
	if err != nil {
		return false, false
	}
	return v != 0, true
}

func defaultSource() Source { return Gopsutil{} }

func availableSources() []Source { return []Source{Gopsutil{}} }

// childPIDNamespace is Linux's: there are no PID namespaces here.
func childPIDNamespace(string) bool { return false }
