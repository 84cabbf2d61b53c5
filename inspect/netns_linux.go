// netns_linux.go holds the finding of the host's network namespaces: the
// distinct /proc/<pid>/ns/net inodes and the bind mounts under /run/netns
// and /run/docker/netns, each named by ip netns, by the cgroup path of its
// processes (the container, the Kubernetes pod) and by the engine's API.

package inspect

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

// netnsSet is what a discovery found.
type netnsSet struct {
	// list is every namespace: the caller's first, then by inode.
	list    []*Netns
	byInode map[uint64]*Netns
	self    *Netns
	// containers are the engine's containers, stopped ones too.
	containers []Container
	warnings   []string
}

// netnsRoots are where a discovery looks: the proc file system, /run
// (for netns and docker/netns), kubelet's /var/log/pods.
type netnsRoots struct {
	proc, run, pods string
}

// defaultNetnsRoots are the real ones; proc may be another mount point.
func defaultNetnsRoots(proc string) netnsRoots {
	if proc == "" {
		proc = "/proc"
	}
	return netnsRoots{proc: proc, run: "/run", pods: "/var/log/pods"}
}

// nsInode is the inode of the namespace that the file at path opens:
// as the link /proc/<pid>/ns/net names it ("net:[4026531840]"), which
// may be read where stat(2) through it is refused, or from the file
// itself (a bind mount).
func nsInode(path string) (uint64, error) {
	if l, err := os.Readlink(path); err == nil {
		if n, ok := strings.CutPrefix(l, "net:["); ok {
			if ino, err := strconv.ParseUint(strings.TrimSuffix(n, "]"), 10, 64); err == nil {
				return ino, nil
			}
		}
	}
	var st unix.Stat_t
	if err := unix.Stat(path, &st); err != nil {
		return 0, err
	}
	return st.Ino, nil
}

// hostNetns is the inode of the host's network namespace: PID 1's, or,
// where PID 1 cannot be read (a sandbox's init), kthreadd's, as kernel
// threads live in the initial namespace.
func hostNetns(procRoot string) (uint64, bool) {
	if ino, err := nsInode(procRoot + "/1/ns/net"); err == nil {
		return ino, true
	}
	if b, err := os.ReadFile(procRoot + "/2/comm"); err == nil && strings.TrimSpace(string(b)) == "kthreadd" {
		if ino, err := nsInode(procRoot + "/2/ns/net"); err == nil {
			return ino, true
		}
	}
	return 0, false
}

// isNsfs reports whether path is a namespace file (a bind mount of one),
// not the empty file that a bind mount leaves when it is gone.
func isNsfs(path string) bool {
	var fs unix.Statfs_t
	return unix.Statfs(path, &fs) == nil && fs.Type == unix.NSFS_MAGIC
}

// discoverNetns finds the network namespaces of the host and names them.
// Without root it sees only the namespaces of the caller's own processes
// and the bind mounts; what it cannot read it leaves unnamed.
func discoverNetns(ctx context.Context, roots netnsRoots, getenv func(string) string) *netnsSet {
	set := &netnsSet{byInode: make(map[uint64]*Netns)}
	get := func(ino uint64) *Netns {
		n := set.byInode[ino]
		if n == nil {
			n = &Netns{Inode: ino}
			set.byInode[ino] = n
			set.list = append(set.list, n)
		}
		return n
	}
	selfIno, err := nsInode(roots.proc + "/self/ns/net")
	if err != nil {
		set.warnings = append(set.warnings, fmt.Sprintf("cannot read this process's network namespace: %v", err))
		return set
	}
	set.self = get(selfIno)
	set.self.Self = true
	set.self.path = roots.proc + "/self/ns/net"
	if ino, ok := hostNetns(roots.proc); ok {
		get(ino).Host = true
	}
	pids, _ := procWalk{root: roots.proc}.pids()
	for _, pid := range pids {
		p := roots.proc + "/" + strconv.Itoa(int(pid)) + "/ns/net"
		ino, err := nsInode(p)
		if err != nil {
			continue // gone, or another user's without root
		}
		n := get(ino)
		n.pids = append(n.pids, pid)
		if n.path == "" {
			n.path = p
		}
	}
	set.bindMounts(filepath.Join(roots.run, "netns"), get, func(n *Netns, name string) { n.IPNetns = append(n.IPNetns, name) })
	sandboxes := map[string]uint64{}
	set.bindMounts(filepath.Join(roots.run, "docker", "netns"), get, func(n *Netns, name string) {
		sandboxes[name] = n.Inode
	})
	set.nameContainers(ctx, roots, getenv, sandboxes)
	slices.SortStableFunc(set.list[1:], func(a, b *Netns) int {
		switch {
		case a.Host != b.Host:
			if a.Host {
				return -1
			}
			return 1
		case a.Inode < b.Inode:
			return -1
		case a.Inode > b.Inode:
			return 1
		}
		return 0
	})
	for _, n := range set.list {
		n.Name = n.name()
	}
	return set
}

// bindMounts adds the namespaces bind-mounted under dir, calling named
// for each with the file's name. A bind mount is the better path to
// enter a namespace by: it outlives the processes.
func (set *netnsSet) bindMounts(dir string, get func(uint64) *Netns, named func(*Netns, string)) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range ents {
		p := filepath.Join(dir, e.Name())
		if !isNsfs(p) {
			continue
		}
		ino, err := nsInode(p)
		if err != nil {
			continue
		}
		n := get(ino)
		named(n, e.Name())
		if !n.Self {
			n.path = p
		}
	}
}

// nameContainers finds the container of each namespace other than the
// host's and the caller's: from the cgroup paths of its lowest PIDs (the
// container's first process), then the pod from /var/log/pods, then the
// name, state and ports from the engine, if it answers.
func (set *netnsSet) nameContainers(ctx context.Context, roots netnsRoots, getenv func(string) string, sandboxes map[string]uint64) {
	podUIDs := false
	for _, n := range set.list {
		if n.Host || n.Self {
			continue
		}
		for i, pid := range n.pids {
			if i == 16 {
				break
			}
			b, err := os.ReadFile(roots.proc + "/" + strconv.Itoa(int(pid)) + "/cgroup")
			if err != nil {
				continue
			}
			r := parseCgroup(string(b))
			if r.PodUID != "" && n.Pod == nil {
				n.Pod = &Pod{UID: r.PodUID}
				podUIDs = true
			}
			if r.ID != "" {
				n.Container = &Container{ID: r.ID, Runtime: r.Runtime}
				break
			}
		}
		if n.Container == nil && n.Pod == nil {
			n.Container = conmonChild(roots.proc, n.pids)
		}
	}
	if podUIDs {
		pods := podsByUID(roots.pods)
		for _, n := range set.list {
			if n.Pod == nil {
				continue
			}
			if p, ok := pods[n.Pod.UID]; ok {
				n.Pod = &p
			} else {
				n.Pod = nil // a UID without a name names nothing
			}
		}
	}
	engine, warn := engineContainers(ctx, getenv)
	if warn != "" {
		set.warnings = append(set.warnings, warn)
	}
	for id, c := range engine {
		set.containers = append(set.containers, c)
		var n *Netns
		if ino, ok := sandboxes[filepath.Base(c.SandboxKey)]; ok && c.SandboxKey != "" {
			n = set.byInode[ino]
		}
		for _, m := range set.list {
			if m.Container != nil && m.Container.ID == id {
				n = m
			}
		}
		if n == nil || n.Host || n.Self || c.State != "running" {
			continue
		}
		rt := ""
		if n.Container != nil {
			rt = n.Container.Runtime
		}
		cc := c
		if cc.Runtime == "" {
			cc.Runtime = rt
		}
		n.Container = &cc
	}
	slices.SortFunc(set.containers, func(a, b Container) int { return strings.Compare(a.Name, b.Name) })
}

// conmonChild is the container whose first process, among the lowest
// PIDs, is conmon's child: how a container without a cgroup of its own
// (rootless Podman's) is known. nil when none is.
func conmonChild(proc string, pids []int32) *Container {
	buf := make([]byte, 512)
	for i, pid := range pids {
		if i == 4 {
			break
		}
		pp := readPPID(proc, pid, buf)
		if pp <= 0 {
			continue
		}
		dir := proc + "/" + strconv.Itoa(int(pp))
		if comm, err := os.ReadFile(dir + "/comm"); err != nil || strings.TrimSpace(string(comm)) != "conmon" {
			continue
		}
		b, err := os.ReadFile(dir + "/cmdline")
		if err != nil {
			continue
		}
		if c, ok := conmonContainer(strings.Split(strings.TrimRight(string(b), "\x00"), "\x00")); ok {
			return &c
		}
	}
	return nil
}

// find picks the namespace that ref names: a PID, a path to a namespace
// file, "host", an ip netns name, a pod's "namespace/name", a container's
// name, ID or ID prefix (12 digits or more), or a namespace's Name.
func (set *netnsSet) find(ref, procRoot string) (*Netns, error) {
	byPath := func(p string) (*Netns, error) {
		ino, err := nsInode(p)
		if err != nil {
			return nil, fmt.Errorf("%w %q: %v", ErrNetnsNotFound, ref, err)
		}
		if n := set.byInode[ino]; n != nil {
			return n, nil
		}
		n := &Netns{Inode: ino, path: p}
		n.Name = n.name()
		set.byInode[ino] = n
		set.list = append(set.list, n)
		return n, nil
	}
	if pid, err := strconv.ParseUint(ref, 10, 31); err == nil && pid > 0 {
		return byPath(procRoot + "/" + strconv.FormatUint(pid, 10) + "/ns/net")
	}
	if strings.HasPrefix(ref, "/") {
		if !isNsfs(ref) {
			return nil, fmt.Errorf("%w: %s is not a network namespace file", ErrNetnsNotFound, ref)
		}
		return byPath(ref)
	}
	var found []*Netns
	for _, n := range set.list {
		switch {
		case n.Name == ref, slices.Contains(n.IPNetns, ref),
			ref == "host" && n.Host,
			n.Pod != nil && n.Pod.Namespace+"/"+n.Pod.Name == ref,
			n.Container != nil && (n.Container.Name == ref || len(ref) >= 12 && strings.HasPrefix(n.Container.ID, ref)):
			found = append(found, n)
		}
	}
	switch len(found) {
	case 1:
		return found[0], nil
	case 0:
		for _, c := range set.containers {
			if c.Name == ref || len(ref) >= 12 && strings.HasPrefix(c.ID, ref) {
				state := c.State
				if state == "" {
					state = "not running"
				}
				return nil, fmt.Errorf("%w %q: container %s is %s", ErrNetnsNotFound, ref, c.Label(), state)
			}
		}
		return nil, fmt.Errorf("%w %q (give an ip netns name, a PID, a container's name or ID, or a pod's namespace/name)", ErrNetnsNotFound, ref)
	}
	return nil, fmt.Errorf("%q names %d network namespaces: give a PID or a longer ID", ref, len(found))
}
