// netstat_linux.go holds the reading of the calling thread's network
// namespace's accept-queue counters and tcp_abort_on_overflow, for a
// Snapshot that asked for its rules (Filter.WithRules). The parsing is
// netstat.go.

package inspect

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
)

// readNetstat reads /proc/thread-self/net/netstat and
// net.ipv4.tcp_abort_on_overflow (both per network namespace). What it
// cannot read it says in a warning; the counters are nil only when
// netstat cannot be read.
func readNetstat(warnings []string) (*Netstat, []string) {
	b, err := os.ReadFile(procThreadSelf() + "/net/netstat")
	n := &Netstat{}
	if err == nil {
		err = parseNetstat(bytes.NewReader(b), n)
	}
	if err != nil {
		return nil, append(warnings, "cannot read the accept-queue counters: "+err.Error())
	}
	b, err = os.ReadFile("/proc/sys/net/ipv4/tcp_abort_on_overflow")
	if err == nil {
		var v bool
		if v, err = parseSysctlBool(b); err == nil {
			n.AbortOnOverflow = &v
		}
	}
	if err != nil {
		warnings = append(warnings, "cannot read net.ipv4.tcp_abort_on_overflow: "+err.Error())
	}
	return n, warnings
}

// procThreadSelf is /proc/thread-self, whose net/ is the calling thread's
// network namespace; /proc/self on kernels older than 3.17.
func procThreadSelf() string {
	if _, err := os.Stat("/proc/thread-self"); errors.Is(err, fs.ErrNotExist) {
		return "/proc/self"
	}
	return "/proc/thread-self"
}
