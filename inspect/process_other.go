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
