// nsdiag_linux.go holds the reading of other network namespaces' sockets
// with the sock_diag backend: a netlink socket opened after setns(2) on a
// locked OS thread keeps its namespace, so the thread goes back at once
// and the dump runs as for the caller's own namespace. One walk of
// /proc/*/fd then finds the owners in every namespace, as socket inodes
// are host-wide.

package inspect

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"os"
	"runtime"
	"slices"
	"strings"

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

// netnsConn is what is taken from inside a namespace: its sock_diag
// socket, its addresses and interface names, its IPV6_V6ONLY default.
type netnsConn struct {
	diagConn
	addrs  []netip.Addr
	v6only *bool
	// rules and ifs are the namespace's packet filter and interfaces,
	// when asked for (Filter.WithRules).
	rules   *Ruleset
	ifs     []Interface
	netstat *Netstat
}

// enterNetns opens a sock_diag socket inside the namespace at path and
// reads the namespace's addresses. The caller closes c.fd.
func enterNetns(path string, withRules bool) (*netnsConn, error) {
	c := &netnsConn{diagConn: diagConn{fd: -1}}
	names := map[int]string{}
	err := inNetns(path, func() error {
		fd, err := openDiag()
		if err != nil {
			return err
		}
		c.fd = fd
		// net's interface calls open their netlink socket on this thread.
		c.addrs, _ = HostAddrs()
		if ifs, err := net.Interfaces(); err == nil {
			for _, ifc := range ifs {
				names[ifc.Index] = ifc.Name
			}
		}
		// A sysctl file answers for the namespace of the thread that
		// opens it.
		if v, ok := defaultV6Only(); ok {
			c.v6only = &v
		}
		if withRules {
			c.rules, c.ifs, c.netstat = filterHere()
		}
		return nil
	})
	if err != nil {
		if c.fd >= 0 {
			unix.Close(c.fd)
		}
		return nil, err
	}
	c.ifname = func(i int) string { return names[i] }
	return c, nil
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
	var all []Socket
	for _, n := range targets {
		socks, conn, err := readNetns(n, f)
		if err != nil {
			snap.Warnings = append(snap.Warnings, fmt.Sprintf("cannot read the sockets of network namespace %s: %v", n.Name, err))
			continue
		}
		if n.Self {
			n.Addrs = snap.HostAddrs
		} else {
			n.Addrs = conn.addrs
		}
		switch {
		case f.Netns != "" && conn != nil:
			snap.HostAddrs, snap.DefaultV6Only = n.Addrs, conn.v6only
			snap.Rules, snap.Interfaces, snap.Netstat = conn.rules, conn.ifs, conn.netstat
		case n.Self:
			fillRules(f, snap)
		}
		for i := range socks {
			socks[i].Netns = n
		}
		all = append(all, f.dropAnswered(socks)...)
		snap.Namespaces = append(snap.Namespaces, n)
	}
	if len(snap.Namespaces) == 0 {
		return nil, fmt.Errorf("no network namespace could be read: %s", strings.Join(snap.Warnings, "; "))
	}
	if err := d.fillOwners(ctx, f, all, snap); err != nil {
		return nil, err
	}
	snap.Sockets = all
	if f.PID != 0 || f.ProcessName != "" {
		snap.Sockets = slices.DeleteFunc(all, func(s Socket) bool { return !f.wantsOwners(&s) })
	}
	return snap, nil
}

// readNetns dumps the sockets of namespace n; conn is nil for the
// caller's own.
func readNetns(n *Netns, f Filter) ([]Socket, *netnsConn, error) {
	if n.Self {
		socks, err := dumpHere(f)
		return socks, nil, err
	}
	if n.path == "" {
		return nil, nil, fmt.Errorf("no file opens it")
	}
	conn, err := enterNetns(n.path, f.WithRules && f.Netns != "")
	if err != nil {
		return nil, nil, err
	}
	defer unix.Close(conn.fd)
	socks, err := dumpSockets(&conn.diagConn, f)
	return socks, conn, err
}
