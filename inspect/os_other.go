// os_other.go holds the answers to the per-OS questions for the OSes with
// no file of their own.

//go:build !linux && !windows && !darwin

package inspect

import "os"

// privileged reports whether this process can see every socket's owner.
func privileged() bool { return os.Geteuid() == 0 }

// defaultV6Only is unknown on this OS.
func defaultV6Only() (bool, bool) { return false, false }

func defaultSource() Source { return Gopsutil{} }

func availableSources() []Source { return []Source{Gopsutil{}} }

// childPIDNamespace is Linux's: there are no PID namespaces here.
func childPIDNamespace(string) bool { return false }
