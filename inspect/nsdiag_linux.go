// nsdiag_linux.go holds the reading of other network namespaces' sockets
// with the sock_diag backend: a netlink socket opened after setns(2) on a
// locked OS thread answers for that namespace, so a few worker threads
// each move from namespace to namespace and dump there as for the
// caller's own. One walk of /proc/*/fd then finds the owners in every
// namespace, as socket inodes are host-wide.

package inspect

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"golang.org/x/sys/unix"
)

// inNetns runs fn on an OS thread moved into the network namespace that
// the file at path opens, and moves the thread back. What fn opens there
// (a netlink socket) stays in that namespace. A thread that cannot go
// back is never used again: its goroutine ends locked to it, and Go ends
// the thread.
func inNetns(path string, fn func() error) error {
	target, err := unix.Open(path, unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return err
	}
	defer unix.Close(target)
	errc := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		self, err := unix.Open("/proc/thread-self/ns/net", unix.O_RDONLY|unix.O_CLOEXEC, 0)
		if err != nil {
			runtime.UnlockOSThread()
			errc <- err
			return
		}
		defer unix.Close(self)
		if err := unix.Setns(target, unix.CLONE_NEWNET); err != nil {
			runtime.UnlockOSThread()
			errc <- fmt.Errorf("setns: %w", err)
			return
		}
		ferr := fn()
		if unix.Setns(self, unix.CLONE_NEWNET) == nil {
			runtime.UnlockOSThread()
		}
		errc <- ferr
	}()
	return <-errc
}

// netnsRead is what is read from inside one namespace: its sockets that
// pass the filter and its addresses; for a snapshot as if run inside it
// (Filter.Netns), its IPV6_V6ONLY default and, when asked for
// (Filter.WithRules), its packet filter and interfaces.
type netnsRead struct {
	socks   []Socket
	addrs   []netip.Addr
	v6only  *bool
	rules   *Ruleset
	ifs     []Interface
	netstat *Netstat
	// natPorts are the ports read beyond the filter's for the rules'
	// NAT (withNATPorts).
	natPorts []uint16
	err      error
}

// netnsWorkers is how many threads read namespaces at once: the work is
// the kernel's, so one per CPU, and a few at most.
func netnsWorkers(jobs int) int {
	return max(1, min(jobs, runtime.GOMAXPROCS(0), 4))
}

// readNetnsAll reads the namespaces ns, none of them the caller's, with
// a few worker threads (netnsWorkers). Each locks its OS thread once,
// moves it from one namespace into the next with setns(2) and reads
// there, and moves it back when done: a thread per worker, not per
// namespace. A thread that cannot go back is never used again: its
// goroutine ends locked to it, and Go ends the thread.
func readNetnsAll(ns []*Netns, f Filter, inside bool) []netnsRead {
	out := make([]netnsRead, len(ns))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range netnsWorkers(len(ns)) {
		wg.Go(func() {
			runtime.LockOSThread()
			self, err := unix.Open("/proc/thread-self/ns/net", unix.O_RDONLY|unix.O_CLOEXEC, 0)
			if err != nil {
				runtime.UnlockOSThread()
				for i := int(next.Add(1) - 1); i < len(ns); i = int(next.Add(1) - 1) {
					out[i].err = err
				}
				return
			}
			defer unix.Close(self)
			buf := make([]byte, diagBufSize)
			for i := int(next.Add(1) - 1); i < len(ns); i = int(next.Add(1) - 1) {
				out[i] = readInside(ns[i], f, inside, buf)
			}
			if unix.Setns(self, unix.CLONE_NEWNET) == nil {
				runtime.UnlockOSThread()
			}
		})
	}
	wg.Wait()
	return out
}

// readInside moves the calling thread, locked, into namespace n and reads
// it there (see netnsRead), with buf for the sock_diag answers. What it
// opens there (netlink sockets, sysctl files) answers for n.
func readInside(n *Netns, f Filter, inside bool, buf []byte) netnsRead {
	if n.path == "" {
		return netnsRead{err: errors.New("no file opens it")}
	}
	target, err := unix.Open(n.path, unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return netnsRead{err: err}
	}
	defer unix.Close(target)
	if err := unix.Setns(target, unix.CLONE_NEWNET); err != nil {
		return netnsRead{err: fmt.Errorf("setns: %w", err)}
	}
	fd, err := openDiag()
	if err != nil {
		return netnsRead{err: err}
	}
	defer unix.Close(fd)
	var r netnsRead
	r.addrs, _ = addrsHere()
	var names map[int]string
	c := diagConn{fd: fd, buf: buf, ifname: func(index int) string {
		// Asked only for a link-local address (none in most
		// namespaces), and still on this thread.
		if names == nil {
			names = map[int]string{}
			if ifs, err := net.Interfaces(); err == nil {
				for _, ifc := range ifs {
					names[ifc.Index] = ifc.Name
				}
			}
		}
		return names[index]
	}}
	if inside && f.WithRules {
		// The nf_tables netlink socket, too, is opened on this thread
		// and so answers for this namespace. The rules first: the ports
		// their NAT sends connections to here are read too.
		r.rules, r.ifs, r.netstat = filterHere()
		f, r.natPorts = withNATPorts(f, r.rules, r.addrs)
	}
	if r.socks, r.err = dumpSockets(&c, f); r.err != nil {
		return r
	}
	if inside {
		if v, ok := defaultV6Only(); ok {
			r.v6only = &v
		}
	}
	return r
}

// filterHere reads the packet filter of the calling thread's namespace:
// its rule set, its accept-queue counters, and, when it holds any table,
// its interfaces (for the rules on interface names). A namespace with no
// rules, the common case, costs one nf_tables request and two small
// files. The nf_tables netlink socket is opened on this thread and so
// answers for its namespace, as do /proc/thread-self/net and the sysctl
// files.
func filterHere() (*Ruleset, []Interface, *Netstat) {
	rs := readRules()
	ns, _ := readNetstat(nil)
	if len(rs.Tables) == 0 {
		return rs, nil, ns
	}
	ifs, _ := HostInterfaces()
	return rs, ifs, ns
}

// ReadNetnsFilter reads the packet filter of namespace n from inside it
// into n.Rules, n.Interfaces and n.Netstat (filterHere), unless they were
// read already. It is for the few namespaces that a checked connection
// leads into (a DNAT into a container): a snapshot of every namespace
// reads no other namespace's rules, so that it stays cheap. Entering a
// namespace needs root.
func ReadNetnsFilter(n *Netns) error {
	if n.Rules != nil {
		return nil
	}
	if n.path == "" {
		return fmt.Errorf("no file opens network namespace %s", n.Name)
	}
	var rs *Ruleset
	var ifs []Interface
	var ns *Netstat
	read := func() error { rs, ifs, ns = filterHere(); return nil }
	var err error
	if n.Self {
		runtime.LockOSThread()
		err = read()
		runtime.UnlockOSThread()
	} else {
		err = inNetns(n.path, read)
	}
	if err != nil {
		return err
	}
	n.Rules, n.Interfaces, n.Netstat = rs, ifs, ns
	return nil
}

// snapshotNetns takes a snapshot of every namespace (f.AllNetns) or of
// the one f.Netns names.
func (d SockDiag) snapshotNetns(ctx context.Context, f Filter) (*Snapshot, error) {
	roots := defaultNetnsRoots(d.ProcRoot)
	set := discoverNetns(ctx, roots, os.Getenv)
	snap := newSnapshot(d.Name())
	snap.Warnings = append(snap.Warnings, set.warnings...)
	snap.Containers = set.containers
	if set.self == nil {
		return nil, fmt.Errorf("cannot tell this process's network namespace: %s", strings.Join(set.warnings, "; "))
	}
	targets := set.list
	if f.Netns != "" {
		n, err := set.find(f.Netns, roots.proc)
		if err != nil {
			return nil, err
		}
		if !n.Self && !snap.Privileged {
			return nil, fmt.Errorf("entering network namespace %s needs root (CAP_SYS_ADMIN)", n.Name)
		}
		targets = []*Netns{n}
	} else if !snap.Privileged {
		targets = []*Netns{set.self}
		snap.Warnings = append(snap.Warnings, "without root (CAP_SYS_ADMIN) the other network namespaces cannot be entered "+
			"and their processes cannot be seen: only this namespace's sockets are listed; run as root to list every namespace")
	}
	var others []*Netns
	for _, n := range targets {
		if !n.Self {
			others = append(others, n)
		}
	}
	read := readNetnsAll(others, f, f.Netns != "")
	var all []Socket
	for _, n := range targets {
		var r netnsRead
		if n.Self {
			if !f.SkipOwnNetns {
				r.socks, r.err = dumpHere(f)
			}
			r.addrs = snap.HostAddrs
		} else {
			r, read = read[0], read[1:]
		}
		if r.err != nil {
			snap.Warnings = append(snap.Warnings, fmt.Sprintf("cannot read the sockets of network namespace %s: %v", n.Name, r.err))
			continue
		}
		n.Addrs = r.addrs
		switch {
		case f.Netns != "" && !n.Self:
			snap.HostAddrs, snap.DefaultV6Only = n.Addrs, r.v6only
			snap.Rules, snap.Interfaces, snap.Netstat, snap.NATPorts = r.rules, r.ifs, r.netstat, r.natPorts
		case n.Self:
			fillRules(f, snap)
		}
		for i := range r.socks {
			r.socks[i].Netns = n
		}
		all = append(all, f.dropAnswered(r.socks)...)
		snap.Namespaces = append(snap.Namespaces, n)
	}
	if len(snap.Namespaces) == 0 {
		return nil, fmt.Errorf("no network namespace could be read: %s", strings.Join(snap.Warnings, "; "))
	}
	if err := d.fillOwners(ctx, f, all, snap, nil); err != nil {
		return nil, err
	}
	snap.Sockets = all
	if f.PID != 0 || f.ProcessName != "" {
		snap.Sockets = slices.DeleteFunc(all, func(s Socket) bool { return !f.wantsOwners(&s) })
	}
	return snap, nil
}

// ReadNetns reads the sockets of namespace n that pass f into snap in
// place of those it held of n, with their owners: the walk of /proc reads
// n's own processes first, as they most likely hold them.
func (d SockDiag) ReadNetns(ctx context.Context, snap *Snapshot, n *Netns, f Filter) error {
	f.AllNetns, f.Netns = false, ""
	socks, err := readNetns(n, f)
	if err != nil {
		return fmt.Errorf("cannot read the sockets of network namespace %s: %w", n.Name, err)
	}
	socks = f.dropAnswered(socks)
	for i := range socks {
		socks[i].Netns = n
	}
	if err := d.fillOwners(ctx, f, socks, snap, n.pids); err != nil {
		return err
	}
	kept := make([]Socket, 0, len(snap.Sockets)+len(socks))
	for _, s := range snap.Sockets {
		if s.Netns != n {
			kept = append(kept, s)
		}
	}
	snap.Sockets = append(kept, socks...)
	return nil
}

// readNetns dumps the sockets of namespace n.
func readNetns(n *Netns, f Filter) ([]Socket, error) {
	if n.Self {
		return dumpHere(f)
	}
	r := readNetnsAll([]*Netns{n}, f, false)[0]
	return r.socks, r.err
}
