// procname.go holds the rule that names a process: the kernel's name, or
// the executable's base name where the kernel's is cut; never argv[0].

package inspect

import (
	"path/filepath"
	"strings"
)

// commLen is the longest process name Linux keeps (TASK_COMM_LEN 16, less
// the NUL): a longer one is cut to its first 15 bytes.
const commLen = 15

// nameOf names a process from its kernel name comm and the path of its
// executable exe ("" when it cannot be read): comm, unless comm is exactly
// max bytes long and so may be cut, and the executable's base name starts
// with it; then that base name.
//
// argv[0] is never used: a process sets it to anything ("mylongservicename
// --db-password=... --port 45002" as a process title, or escape codes),
// and its arguments are shown only when asked for. gopsutil takes
// argv[0]'s base name when comm is its prefix.
func nameOf(comm, exe string, max int) string {
	if len(comm) < max || exe == "" {
		return comm
	}
	base := filepath.Base(strings.TrimSuffix(exe, " (deleted)"))
	if strings.HasPrefix(base, comm) {
		return base
	}
	return comm
}
