// forwarding_linux.go holds the reading of an interface's IPv4
// forwarding switch (net.ipv4.conf.NAME.forwarding), which decides
// whether the kernel forwards what comes in on it: a DNAT to a container
// goes nowhere without it.

package inspect

import (
	"os"
	"strings"
)

// forwarding4 reads net.ipv4.conf.NAME.forwarding in the calling
// thread's network namespace (a sysctl file answers for the namespace of
// the thread that opens it); nil when it cannot be read.
func forwarding4(name string) *bool {
	if name == "" || name == "." || name == ".." || strings.Contains(name, "/") {
		return nil
	}
	b, err := os.ReadFile("/proc/sys/net/ipv4/conf/" + name + "/forwarding")
	if err != nil {
		return nil
	}
	v, err := parseSysctlBool(b)
	if err != nil {
		return nil
	}
	return &v
}
