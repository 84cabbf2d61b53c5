// sockdiag_linux.go holds the sock_diag backend's talk with the kernel: the
// netlink dumps, and the owners found by the /proc walk.

package inspect

import (
	"context"
	"errors"
	"fmt"
	"net"
	"runtime"
	"slices"

	"golang.org/x/sys/unix"
)

// SockDiag is the Linux backend. It asks the kernel for the sockets over
// NETLINK_SOCK_DIAG (inet_diag), with the wanted states and ports filtered
// in the kernel, and finds their owners in one walk of /proc/*/fd. It is
// exact where gopsutil is not: every SO_REUSEPORT listener is its own
// socket, every process that holds a socket is an owner, and it reports
// the IPv6-only flag, the socket's uid and inode, and a TCP listener's
// accept queue and backlog.
//
// It sees the sockets of the caller's network namespace. When the kernel
// refuses sock_diag (no CONFIG_INET_DIAG, a seccomp filter), Snapshot falls
// back to the gopsutil backend and says so in a warning.
type SockDiag struct {
	// ProcRoot is where the proc file system is mounted; "" means /proc.
	ProcRoot string

	// dump replaces the netlink query in tests; nil is the real one.
	dump func(Filter) ([]Socket, error)
}

// Name implements Source.
func (SockDiag) Name() string { return "sockdiag" }

// Snapshot implements Source.
func (d SockDiag) Snapshot(ctx context.Context, f Filter) (*Snapshot, error) {
	if f.AllNetns || f.Netns != "" {
		return d.snapshotNetns(ctx, f)
	}
	dump := d.dump
	if dump == nil {
		dump = dumpHere
	}
	snap := newSnapshot(d.Name())
	if d.ProcRoot != "" {
		snap.OwnersOutside = childPIDNamespace(d.ProcRoot)
	}
	// The rules first: the ports their NAT sends connections to on this
	// host are read too.
	fillRules(f, snap)
	f, snap.NATPorts = withNATPorts(f, snap.Rules, snap.HostAddrs)
	socks, err := dump(f)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		gsnap, gerr := Gopsutil{}.Snapshot(ctx, f)
		if gerr != nil {
			return nil, fmt.Errorf("sock_diag: %v; gopsutil: %w", err, gerr)
		}
		gsnap.Warnings = append(gsnap.Warnings, fmt.Sprintf(
			"the kernel refused the sock_diag netlink query (%v): fell back to gopsutil, "+
				"which cannot tell IPv6-only flags and reports one owner per socket", err))
		// The rules are read apart from the sockets: the fallback keeps them.
		gsnap.Rules, gsnap.Netstat, gsnap.Interfaces, gsnap.NATPorts = snap.Rules, snap.Netstat, snap.Interfaces, snap.NATPorts
		for _, w := range snap.Warnings {
			if !slices.Contains(gsnap.Warnings, w) {
				gsnap.Warnings = append(gsnap.Warnings, w)
			}
		}
		return gsnap, nil
	}
	socks = f.dropAnswered(socks)
	if err := d.fillOwners(ctx, f, socks, snap, nil); err != nil {
		return nil, err
	}
	snap.Sockets = socks
	if f.PID != 0 || f.ProcessName != "" {
		snap.Sockets = slices.DeleteFunc(socks, func(s Socket) bool { return !f.wantsOwners(&s) })
	}
	return snap, nil
}

// fillOwners finds and fills the owners of socks. Without privilege, when
// some process could not be read, or when processes outside this PID
// namespace may hold them, a socket whose owner was not found has its
// owners hidden: /proc may not even list other users' processes
// (hidepid), so not finding one proves nothing. The processes first are
// read before the others (see procWalk.first).
func (d SockDiag) fillOwners(ctx context.Context, f Filter, socks []Socket, snap *Snapshot, first []int32) error {
	wanted := make(map[uint64]bool, len(socks))
	w := defaultWalk(d.ProcRoot)
	w.first = first
	w.users = make(map[uint32]bool)
	for i := range socks {
		if socks[i].Inode != 0 { // TIME_WAIT and request sockets have none
			wanted[socks[i].Inode] = true
			if socks[i].UID != nil {
				w.users[*socks[i].UID] = true
			}
		}
	}
	res, err := w.owners(ctx, wanted, f.PID)
	if err != nil {
		return fmt.Errorf("reading the processes' descriptors: %w", err)
	}
	var pids []int32
	for _, h := range res.holders {
		pids = append(pids, h...)
	}
	slices.Sort(pids)
	cache := newOwnerCache(f)
	cache.prefetch(ctx, slices.Compact(pids), max(2, runtime.GOMAXPROCS(0)))
	for i := range socks {
		s := &socks[i]
		for _, pid := range res.holders[s.Inode] {
			if o, ok := cache.lookup(ctx, pid); ok {
				s.Owners = append(s.Owners, o)
			}
		}
		if len(s.Owners) == 0 && s.Inode != 0 && (!snap.Privileged || res.denied > 0 || snap.OwnersOutside) {
			s.OwnersHidden = true
			if s.UID != nil {
				s.User = cache.userName(*s.UID)
			}
		}
	}
	return nil
}

// dumpSockets asks the kernel for the sockets that pass f's protocol,
// family, state and port parts.
//
// With AnyStatePorts, the listeners come first, and the other states on
// such a port are asked for only when nothing of their protocol listens
// there (see Filter.AnyStatePorts): a TCP dump of listeners walks the
// kernel's table of listeners only, one of every state walks its table of
// connections too, hundreds of thousands of buckets on a large machine.
func dumpSockets(c *diagConn, f Filter) ([]Socket, error) {
	if len(f.AnyStatePorts) == 0 || len(f.States) == 0 {
		return dumpFiltered(c, f)
	}
	first := f
	first.AnyStatePorts = nil
	socks, err := dumpFiltered(c, first)
	if err != nil {
		return nil, err
	}
	for _, proto := range []Protocol{TCP, UDP} {
		if !f.wantsProto(proto) {
			continue
		}
		var unanswered []uint16
		for _, p := range f.AnyStatePorts {
			if !slices.ContainsFunc(socks, func(s Socket) bool { return s.Protocol == proto && s.Local.Port() == p && s.Listening() }) {
				unanswered = append(unanswered, p)
			}
		}
		if len(unanswered) == 0 {
			continue
		}
		more, err := dumpFiltered(c, Filter{Protocols: []Protocol{proto}, Families: f.Families, Ports: unanswered})
		if err != nil {
			return nil, err
		}
		// No listener of proto on these ports was in socks: no duplicates.
		for _, s := range more {
			if f.wantsSocket(&s) {
				socks = append(socks, s)
			}
		}
	}
	return socks, nil
}

// dumpFiltered asks the kernel for the sockets that pass f's protocol,
// family, state and port parts, in one dump per protocol and family.
//
// The kernel's messages are kept as they come, in chunks that growing
// never copies, and the sockets made once their number is known: a Socket
// is large, and appending tens of thousands of them (or of anything) to a
// growing slice allocates about five times what they need, as each
// growth is by a quarter. A fresh process pays for every new page.
func dumpFiltered(c *diagConn, f Filter) ([]Socket, error) {
	var msgs chunked[diagRec]
	err := dumpRaw(c.fd, c.buf, f, msgs.truncate, func(proto Protocol, m *diagMsg) int {
		msgs.add(diagRec{proto == TCP, *m})
		return msgs.n
	})
	if err != nil {
		return nil, err
	}
	socks := make([]Socket, 0, msgs.n)
	extras := make([]socketExtra, msgs.n)
	msgs.each(func(i int, r *diagRec) {
		proto := UDP
		if r.tcp {
			proto = TCP
		}
		if s, ok := r.m.socket(proto, &extras[i]); ok && f.wantsSocket(&s) {
			socks = append(socks, s)
		}
	})
	nameZones(socks, c.ifname)
	return socks, nil
}

// diagConn is a NETLINK_SOCK_DIAG socket, which answers for the network
// namespace it was opened in, and the names of that namespace's
// interfaces.
type diagConn struct {
	fd int
	// buf holds the kernel's answers; nil: each dump makes its own.
	buf []byte
	// ifname names an interface by index; "" when unknown.
	ifname func(index int) string
}

// dumpHere dumps the sockets of the caller's network namespace.
func dumpHere(f Filter) ([]Socket, error) {
	fd, err := openDiag()
	if err != nil {
		return nil, err
	}
	defer unix.Close(fd)
	names := map[int]string{}
	return dumpSockets(&diagConn{fd: fd, ifname: func(index int) string {
		// Asked only for a link-local address: each interface is looked
		// up once, and none on most hosts.
		if n, ok := names[index]; ok {
			return n
		}
		if ifc, err := net.InterfaceByIndex(index); err == nil {
			names[index] = ifc.Name
		} else {
			names[index] = ""
		}
		return names[index]
	}}, f)
}

// openDiag opens a NETLINK_SOCK_DIAG socket in the calling thread's
// network namespace; it answers for that namespace wherever it is used.
func openDiag() (int, error) {
	fd, err := unix.Socket(unix.AF_NETLINK, unix.SOCK_RAW|unix.SOCK_CLOEXEC, unix.NETLINK_SOCK_DIAG)
	if err != nil {
		return -1, fmt.Errorf("opening a NETLINK_SOCK_DIAG socket: %w", err)
	}
	if err := unix.Bind(fd, &unix.SockaddrNetlink{Family: unix.AF_NETLINK}); err != nil {
		unix.Close(fd)
		return -1, fmt.Errorf("binding a NETLINK_SOCK_DIAG socket: %w", err)
	}
	// A dump is flow-controlled (the kernel fills the next datagram when
	// this one is read), so a roomy buffer is about all ENOBUFS needs.
	_ = unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_RCVBUF, 1<<20)
	return fd, nil
}

// diagRec is one socket of a dump as the kernel described it.
type diagRec struct {
	tcp bool
	m   diagMsg
}

// diagBufSize is what a dump reads at once: the kernel fills at most 32
// KiB per datagram of a dump.
const diagBufSize = 64 << 10

// dumpRaw sends the dump requests for f on the sock_diag socket fd and
// calls fn for every socket the kernel sends; fn returns how many it has
// kept, and restart(n) drops those kept after the first n when a dump must
// start again. buf (nil: one of diagBufSize is made) receives the answers.
func dumpRaw(fd int, buf []byte, f Filter, restart func(n int), fn func(Protocol, *diagMsg) int) error {
	if buf == nil {
		buf = make([]byte, diagBufSize)
	}
	bytecode := portBytecode(f.anyPorts())
	var seq uint32
	kept := 0
	for _, proto := range []Protocol{TCP, UDP} {
		states := diagStates(f, proto)
		if states == 0 {
			continue
		}
		ipproto := uint8(ipprotoTCP)
		if proto == UDP {
			ipproto = ipprotoUDP
		}
		for _, fam := range []int{4, 6} {
			if !f.wantsFamily(fam) {
				continue
			}
			af := uint8(afInet)
			if fam == 6 {
				af = afInet6
			}
			before := kept
			for attempt := 1; ; attempt++ {
				restart(before) // a retry starts the dump again
				kept = before
				seq++
				req := diagRequest(af, ipproto, states, bytecode, seq)
				err := dumpOne(fd, req, seq, buf, func(m *diagMsg) { kept = fn(proto, m) })
				if err == nil {
					break
				}
				if !errors.Is(err, unix.ENOBUFS) || attempt == 3 {
					return fmt.Errorf("dumping %s%d sockets: %w", proto, fam, err)
				}
			}
		}
	}
	return nil
}

// dumpOne sends one dump request and reads the multi-part answer to its
// NLMSG_DONE.
func dumpOne(fd int, req []byte, seq uint32, buf []byte, fn func(*diagMsg)) error {
	for {
		err := unix.Sendto(fd, req, 0, &unix.SockaddrNetlink{Family: unix.AF_NETLINK})
		if err == nil {
			break
		}
		if !errors.Is(err, unix.EINTR) {
			return err
		}
	}
	for {
		n, err := unix.Read(fd, buf)
		switch {
		case errors.Is(err, unix.EINTR):
			continue
		case errors.Is(err, unix.ENOBUFS):
			// The receive buffer overflowed: part of the answer is lost
			// and a partial list would be wrong; the caller asks again.
			return fmt.Errorf("the answer overflowed the receive buffer: %w", err)
		case err != nil:
			return err
		case n == 0:
			return errors.New("the kernel closed the netlink socket")
		}
		done, err := parseDiagBatch(buf[:n], seq, fn)
		if err != nil || done {
			return err
		}
	}
}
