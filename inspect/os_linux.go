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
