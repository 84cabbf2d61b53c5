// procname_linux.go holds processName on Linux: /proc/<pid>/comm, and the
// executable's base name when comm is cut at 15 bytes.

package inspect

import (
	"context"
	"os"
	"strconv"
	"strings"

	"github.com/shirou/gopsutil/v4/process"
)

// processName names the process p (see nameOf).
func processName(_ context.Context, p *process.Process) (string, error) {
	return procName("/proc", p.Pid)
}

// procName reads the name of process pid under the proc file system at
// root. The comm file is the kernel's name as it is, where status escapes
// it; a process that is gone fails with fs.ErrNotExist.
func procName(root string, pid int32) (string, error) {
	dir := root + "/" + strconv.Itoa(int(pid))
	b, err := os.ReadFile(dir + "/comm")
	if err != nil {
		return "", err
	}
	comm := strings.TrimSuffix(string(b), "\n")
	if len(comm) < commLen {
		return comm, nil
	}
	exe, _ := os.Readlink(dir + "/exe") // none without privilege: comm stays
	return nameOf(comm, exe, commLen), nil
}
