//go:build !linux && !darwin

// procname_other.go holds processName on Windows and the rest: gopsutil's
// name, which there is the executable's base name.

package inspect

import (
	"context"

	"github.com/shirou/gopsutil/v4/process"
)

// processName names the process p: on Windows gopsutil names a process by
// its executable's base name (never by its command line).
func processName(ctx context.Context, p *process.Process) (string, error) {
	return p.NameWithContext(ctx)
}
