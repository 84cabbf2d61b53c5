// os_windows.go holds the Windows answers to the per-OS questions:
// privilege, the IPV6_V6ONLY default, the backends.

package inspect

import "golang.org/x/sys/windows"

// privileged reports whether this process runs elevated (as Administrator).
func privileged() bool {
	return windows.GetCurrentProcessToken().IsElevated()
}

// defaultV6Only: on Windows an IPv6 socket is IPv6-only unless the program
// clears IPV6_V6ONLY.
func defaultV6Only() (bool, bool) { return true, true }

func defaultSource() Source { return Gopsutil{} }

func availableSources() []Source { return []Source{Gopsutil{}} }

// childPIDNamespace is Linux's: there are no PID namespaces here.
func childPIDNamespace(string) bool { return false }
