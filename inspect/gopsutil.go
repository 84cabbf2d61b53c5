// gopsutil.go holds the gopsutil v4 backend, the Source that works on every
// OS.

package inspect

import (
	"context"
	"fmt"
	"net/netip"
	"syscall"
	"time"

	psnet "github.com/shirou/gopsutil/v4/net"
)

// Gopsutil is the portable backend, built on gopsutil's net.Connections.
// It works on Linux, Windows and macOS. It reports one owner per socket and
// cannot tell the IPv6-only flag, queue lengths or inodes.
type Gopsutil struct{}

// Name implements Source.
func (Gopsutil) Name() string { return "gopsutil" }

// Snapshot implements Source.
func (g Gopsutil) Snapshot(ctx context.Context, f Filter) (*Snapshot, error) {
	if f.AllNetns || f.Netns != "" {
		return nil, ErrNoNetns
	}
	snap := newSnapshot(g.Name())
	if f.WithReservedPorts {
		var warns []string
		snap.ReservedPorts, warns = reservedPorts(ctx, f)
		snap.Warnings = append(snap.Warnings, warns...)
	}
	conns, err := psnet.ConnectionsWithContext(ctx, connKind(f))
	if err != nil {
		return nil, fmt.Errorf("reading the socket table: %w", err)
	}
	// The PID gopsutil gives rides in Owners until the details are read.
	var socks []Socket
	for _, c := range conns {
		if s, ok := fromConnectionStat(c); ok && f.wantsSocket(&s) {
			s.Owners = []Owner{{PID: c.Pid}}
			socks = append(socks, s)
		}
	}
	owners := newOwnerCache(f)
	for _, s := range f.dropAnswered(socks) {
		pid := s.Owners[0].PID
		s.Owners = nil
		switch {
		case pid > 0:
			if o, ok := owners.lookup(ctx, pid); ok {
				s.Owners = []Owner{o}
			}
		case !snap.Privileged || snap.OwnersOutside:
			// Without privilege the owner of another user's socket
			// cannot be found, nor a process outside this PID
			// namespace; else PID 0 means the kernel owns it.
			s.OwnersHidden = true
		}
		if !f.wantsOwners(&s) {
			continue
		}
		snap.Sockets = append(snap.Sockets, s)
	}
	markVisibility(snap)
	return snap, nil
}

// newSnapshot starts a snapshot with the host facts every backend shares.
func newSnapshot(backend string) *Snapshot {
	snap := &Snapshot{
		Backend:    backend,
		Taken:      time.Now().UTC(),
		Privileged: privileged(),
		// Linux only: elsewhere there is no PID namespace.
		OwnersOutside: childPIDNamespace("/proc"),
	}
	snap.HostAddrs, snap.Warnings = hostAddrs(snap.Warnings)
	if v, ok := defaultV6Only(); ok {
		snap.DefaultV6Only = &v
	}
	return snap
}

// connKind picks the narrowest gopsutil kind for the filter.
func connKind(f Filter) string {
	tcp, udp := f.wantsProto(TCP), f.wantsProto(UDP)
	v4, v6 := f.wantsFamily(4), f.wantsFamily(6)
	kind := "inet"
	switch {
	case tcp && !udp:
		kind = "tcp"
	case udp && !tcp:
		kind = "udp"
	}
	switch {
	case v4 && !v6:
		kind += "4"
	case v6 && !v4:
		kind += "6"
	}
	return kind
}

// fromConnectionStat converts one gopsutil row; ok is false for a row that
// is not an IP socket.
func fromConnectionStat(c psnet.ConnectionStat) (Socket, bool) {
	var s Socket
	switch c.Type {
	case syscall.SOCK_STREAM:
		s.Protocol = TCP
	case syscall.SOCK_DGRAM:
		s.Protocol = UDP
	default:
		return s, false
	}
	switch c.Family {
	case syscall.AF_INET:
		s.Family = 4
	case syscall.AF_INET6:
		s.Family = 6
	default:
		return s, false
	}
	la, ok := parseAddr(c.Laddr.IP)
	if !ok {
		if s.Family == 4 {
			la = netip.IPv4Unspecified()
		} else {
			la = netip.IPv6Unspecified()
		}
	}
	s.Local = netip.AddrPortFrom(la, uint16(c.Laddr.Port))
	if ra, ok := parseAddr(c.Raddr.IP); ok && c.Raddr.Port != 0 {
		s.Remote = netip.AddrPortFrom(ra, uint16(c.Raddr.Port))
	}
	s.State = State(c.Status)
	if s.Protocol == UDP {
		s.State = StateUnconnected
		if s.Remote.IsValid() {
			s.State = StateConnected
		}
	}
	return s, true
}
