// cgroup.go holds the reading of /proc/<pid>/cgroup: which container, and
// which Kubernetes pod, a process runs in, as the container runtimes name
// their cgroups under cgroup v1 and v2, with the cgroupfs and the systemd
// drivers.

package inspect

import (
	"strings"
)

// cgroupRef is what a process's cgroup path tells of its container.
type cgroupRef struct {
	Runtime string // docker, podman, containerd, cri-o, nerdctl, or ""
	ID      string // the 64-hex container ID; "" when none
	PodUID  string // the Kubernetes pod UID, with dashes; "" when none
}

// scopePrefixes are the systemd scope units that the runtimes make for a
// container ("docker-<id>.scope"), and the runtime each names. The
// conmon scopes of CRI-O and Podman ("crio-conmon-<id>.scope") hold the
// monitor, not the container, and are not among them.
var scopePrefixes = []struct{ prefix, runtime string }{
	{"docker-", "docker"},
	{"cri-containerd-", "containerd"},
	{"crio-", "cri-o"},
	{"libpod-", "podman"},
	{"nerdctl-", "nerdctl"},
}

// parseCgroup reads the text of /proc/<pid>/cgroup: lines of
// "hierarchy:controllers:path", one under cgroup v2 ("0::/..."), several
// under v1. The first line whose path names a container wins; the v2
// line is read first, as v1 hierarchies may be left at "/".
func parseCgroup(text string) cgroupRef {
	lines := strings.Split(text, "\n")
	var paths []string
	for _, l := range lines {
		parts := strings.SplitN(l, ":", 3)
		if len(parts) != 3 {
			continue
		}
		if parts[0] == "0" && parts[1] == "" {
			paths = append([]string{parts[2]}, paths...)
		} else {
			paths = append(paths, parts[2])
		}
	}
	for _, p := range paths {
		if r := parseCgroupPath(p); r.ID != "" || r.PodUID != "" {
			return r
		}
	}
	return cgroupRef{}
}

// parseCgroupPath reads one cgroup path. The container is the last
// component that names one:
//
//	/docker/<id>                                   docker, cgroupfs (v1 and v2)
//	/system.slice/docker-<id>.scope                docker, systemd
//	/kubepods/besteffort/pod<uid>/<id>             kubelet, cgroupfs
//	/kubepods.slice/kubepods-burstable.slice/
//	  kubepods-burstable-pod<uid_>.slice/cri-containerd-<id>.scope
//	/machine.slice/libpod-<id>.scope/container      podman, systemd
//	/libpod_parent/libpod-<id>                     podman, cgroupfs
//	/crio-<id>.scope, /nerdctl-<id>.scope
func parseCgroupPath(path string) cgroupRef {
	var r cgroupRef
	comps := strings.Split(path, "/")
	for i, c := range comps {
		if uid, ok := podUIDOf(c); ok {
			r.PodUID = uid
			continue
		}
		if id, rt, ok := containerOf(c); ok {
			r.ID = id
			r.Runtime = rt
			if rt == "" && i > 0 {
				// A bare ID: its parent says whose ("/docker/<id>").
				switch comps[i-1] {
				case "docker":
					r.Runtime = "docker"
				case "libpod_parent":
					r.Runtime = "podman"
				}
			}
		}
	}
	return r
}

// containerOf reads one path component that names a container: a bare
// 64-hex ID, or a runtime's scope ("docker-<id>.scope", or without
// ".scope" under the cgroupfs driver).
func containerOf(c string) (id, runtime string, ok bool) {
	if isContainerID(c) {
		return c, "", true
	}
	base := strings.TrimSuffix(c, ".scope")
	for _, sp := range scopePrefixes {
		if rest, found := strings.CutPrefix(base, sp.prefix); found && isContainerID(rest) {
			return rest, sp.runtime, true
		}
	}
	return "", "", false
}

// podUIDOf reads a pod's cgroup component: "pod<uid>" under cgroupfs,
// "kubepods-<qos>-pod<uid_with_underscores>.slice" under systemd.
func podUIDOf(c string) (string, bool) {
	c = strings.TrimSuffix(c, ".slice")
	i := strings.LastIndex(c, "pod")
	if i < 0 || (i > 0 && c[i-1] != '-') {
		return "", false
	}
	uid := strings.ReplaceAll(c[i+len("pod"):], "_", "-")
	if !isUUID(uid) {
		return "", false
	}
	return uid, true
}

// isContainerID reports whether s is a 64-digit lower-case hex ID.
func isContainerID(s string) bool {
	if len(s) != 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isHex(s[i]) {
			return false
		}
	}
	return true
}

// isUUID reports whether s is a UUID in its 8-4-4-4-12 form.
func isUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		switch i {
		case 8, 13, 18, 23:
			if s[i] != '-' {
				return false
			}
		default:
			if !isHex(s[i]) {
				return false
			}
		}
	}
	return true
}

func isHex(c byte) bool { return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' }
