// conmon.go holds the reading of conmon's arguments: the container that
// conmon, Podman's and CRI-O's container monitor, watches over. A
// container of rootless Podman, or of any Podman whose cgroups are
// disabled, has no cgroup of its own to be known by, but its first
// process is conmon's child.

package inspect

import (
	"path/filepath"
	"strings"
)

// conmonContainer reads conmon's arguments (/proc/<pid>/cmdline): the
// container ID (-c, --cid), its name (-n, --name) and the engine, podman
// when its exit command (--exit-command) is podman's, cri-o otherwise.
// The arguments are read for this only, never kept.
func conmonContainer(args []string) (Container, bool) {
	var c Container
	exit := ""
	for i := 1; i < len(args); i++ {
		key, val, inline := strings.Cut(args[i], "=")
		if !inline {
			if i+1 >= len(args) {
				break
			}
			val = args[i+1]
		}
		switch key {
		case "-c", "--cid":
			c.ID = val
		case "-n", "--name":
			c.Name = val
		case "--exit-command":
			exit = val
		case "--exit-command-arg", "--runtime-arg":
			// Their values are another program's flags: skipped.
		default:
			continue
		}
		if !inline {
			i++
		}
	}
	if !isContainerID(c.ID) {
		return Container{}, false
	}
	c.Runtime = "cri-o"
	if filepath.Base(exit) == "podman" {
		c.Runtime = "podman"
	}
	return c, true
}
