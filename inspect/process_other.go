// process_other.go holds openProcess for the OSes other than Linux:
// gopsutil's own.

//go:build !linux

package inspect

import (
	"context"

	"github.com/shirou/gopsutil/v4/process"
)

// openProcess makes a gopsutil Process for pid.
func openProcess(ctx context.Context, pid int32) (*process.Process, error) {
	return process.NewProcessWithContext(ctx, pid)
}
