// procname_darwin.go holds processName on macOS: the executable's base
// name.

package inspect

import (
	"context"
	"path/filepath"

	"github.com/shirou/gopsutil/v4/process"
)

// processName names the process p: its executable's base name. When the
// executable cannot be read, gopsutil's name if it is shorter than 15
// bytes (the kernel's p_comm); past that gopsutil takes argv[0]'s base
// name, which the process chose, and the name is left unknown.
func processName(ctx context.Context, p *process.Process) (string, error) {
	if exe, err := p.ExeWithContext(ctx); err == nil && exe != "" {
		return filepath.Base(exe), nil
	}
	name, err := p.NameWithContext(ctx)
	if len(name) >= commLen {
		name = ""
	}
	return name, err
}
