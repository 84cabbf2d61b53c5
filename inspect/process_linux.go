// process_linux.go holds openProcess for Linux: a gopsutil Process without
// gopsutil's checks.

package inspect

import (
	"context"
	"sync"

	"github.com/shirou/gopsutil/v4/process"
)

// openProcess makes a gopsutil Process for pid without gopsutil's checks
// (a pidfd, four stats, /proc/<pid>/stat and /proc/stat): the owner walk
// has just seen the process, and one that is gone by now fails its first
// read with ENOENT.
func openProcess(_ context.Context, pid int32) (*process.Process, error) {
	bootTimeCache.Do(func() { process.EnableBootTimeCache(true) })
	return &process.Process{Pid: pid}, nil
}

// bootTimeCache makes gopsutil read the boot time once, not once for each
// process's start time.
var bootTimeCache sync.Once
