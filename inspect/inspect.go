// inspect.go holds the data model of a scan (Protocol, State, Owner,
// Socket, Snapshot), the Filter that narrows it, and the Source interface.

package inspect

import (
	"context"
	"net/netip"
	"slices"
	"time"
)

// Protocol is a transport protocol: TCP or UDP.
type Protocol string

// The transport protocols whyrefused knows.
const (
	TCP Protocol = "tcp"
	UDP Protocol = "udp"
)

// State is a socket's state in the kernel's words, upper case, as netstat
// prints it: LISTEN, ESTABLISHED, TIME_WAIT, CLOSE_WAIT and so on. An
// unconnected UDP socket has state StateUnconnected.
type State string

// Socket states used across whyrefused.
const (
	StateListen      State = "LISTEN"
	StateEstablished State = "ESTABLISHED"
	StateTimeWait    State = "TIME_WAIT"
	StateCloseWait   State = "CLOSE_WAIT"
	StateSynSent     State = "SYN_SENT"
	StateSynRecv     State = "SYN_RECV"
	StateFinWait1    State = "FIN_WAIT1"
	StateFinWait2    State = "FIN_WAIT2"
	StateLastAck     State = "LAST_ACK"
	StateClosing     State = "CLOSING"
	StateClose       State = "CLOSE"
	// StateUnconnected is a UDP socket bound to a local address with no
	// peer: the UDP counterpart of a listener.
	StateUnconnected State = "UNCONN"
	// StateConnected is a UDP socket connected to one peer.
	StateConnected State = "CONNECTED"
)

// Owner is a process that holds a socket.
type Owner struct {
	PID  int32
	Name string
	User string
	// Exe is the path of the executable, empty when it cannot be read.
	Exe string
	// Started is the process start time, zero when unknown.
	Started time.Time
	// Cmdline is the process's command line. It is filled only when the
	// caller asks for it (Filter.WithCmdline): arguments carry secrets.
	Cmdline []string
	// ProxyTo is, for a userland proxy (docker-proxy), the address and
	// port it passes connections on to, read from its arguments; invalid
	// otherwise. The arguments themselves are kept only in Cmdline.
	ProxyTo netip.AddrPort
}

// Socket is one socket of the host.
type Socket struct {
	Protocol Protocol
	// Family is 4 or 6: the address family of the socket itself. An IPv6
	// socket bound to [::] has family 6 even when it also accepts IPv4.
	Family int
	Local  netip.AddrPort
	// Remote is the peer address; invalid (zero) for listeners and
	// unconnected UDP sockets.
	Remote netip.AddrPort
	State  State
	// Owners are every process that holds the socket (forked workers share
	// one). Empty when no process could be found or when they are hidden.
	Owners []Owner
	// OwnersHidden is true when the socket may have owners that the caller
	// is not allowed to see (not root, not Administrator).
	OwnersHidden bool
	// UID is the socket's owning user id, nil when the backend cannot tell.
	UID *uint32
	// User names UID. It is filled when the owners are hidden: the user
	// is then all that can be known of them without privilege.
	User string
	// IPv6Only is the socket's IPV6_V6ONLY flag; nil when unknown or not
	// an IPv6 socket.
	IPv6Only *bool
	// AcceptQueue is, for a TCP listener, the number of connections
	// waiting to be accepted; nil when unknown.
	AcceptQueue *uint32
	// Backlog is, for a TCP listener, the maximum accept queue; nil when
	// unknown.
	Backlog *uint32
	// Inode is the socket's inode number on Unix, 0 when unknown.
	Inode uint64
	// Netns is the network namespace the socket lives in, when the
	// snapshot read other namespaces than the caller's (Filter.AllNetns,
	// Filter.Netns); nil otherwise. Sockets of one namespace share it.
	Netns *Netns
}

// Listening reports whether the socket accepts new peers: a TCP socket in
// LISTEN, or an unconnected UDP socket.
func (s Socket) Listening() bool {
	if s.Protocol == TCP {
		return s.State == StateListen
	}
	return s.State == StateUnconnected
}

// Snapshot is the host's sockets at one moment.
type Snapshot struct {
	// Backend names the Source that took the snapshot.
	Backend string
	// Taken is when the snapshot was taken.
	Taken   time.Time
	Sockets []Socket
	// Privileged is true when the snapshot was taken with the rights to see
	// every socket's owner (root, Administrator).
	Privileged bool
	// OwnersOutside is true when processes this one cannot see may hold
	// the sockets: it runs in a PID namespace of its own (a container),
	// and the network namespace it reads may be shared with processes
	// outside it (a pod's other containers, the host's with --net=host).
	// Owners not found are then hidden, not absent.
	OwnersOutside bool
	// OthersHidden is true when other users' sockets may be missing from
	// Sockets altogether, not only their owners: on macOS without root,
	// where the portable backend (lsof) lists the caller's own sockets
	// only. Nothing listening is then not known.
	OthersHidden bool
	// HostAddrs are the addresses configured on this host's interfaces.
	HostAddrs []netip.Addr
	// Interfaces are this host's interfaces with their addresses, when
	// WithRules asked for them: the evaluator needs to know which one
	// holds an address (iifname, iif). Nil otherwise.
	Interfaces []Interface
	// DefaultV6Only is the OS default for IPV6_V6ONLY on new sockets (Linux:
	// net.ipv6.bindv6only; Windows: true); nil when unknown.
	DefaultV6Only *bool
	// Warnings are things that went wrong but did not stop the scan.
	Warnings []string
	// Rules is the packet filter of the namespace read, when the Filter
	// asked for it (WithRules) and the OS has a reader; nil otherwise.
	// A Ruleset that is not Complete says what it could not read.
	Rules *Ruleset
	// Netstat holds the namespace's accept-queue counters, when WithRules
	// asked for them; nil otherwise.
	Netstat *Netstat
	// NATPorts are the ports beyond the Filter's whose sockets were read
	// because the rules' DNAT or REDIRECT send connections there on this
	// host (Ruleset.LocalNATPorts), when the Filter asked for some ports
	// only and for the rules.
	NATPorts []uint16
	// Namespaces are the network namespaces read, when the Filter asked
	// for others than the caller's: every one found (AllNetns), or the one
	// named (Netns). HostAddrs, DefaultV6Only and Rules are those of the
	// caller's namespace with AllNetns, of the named one with Netns.
	Namespaces []*Netns
	// Containers are every container the engine's API told of, stopped
	// ones too, when it could be asked (Filter.AllNetns, Filter.Netns).
	Containers []Container
	// ReservedPorts are the port ranges no server can bind (Windows'
	// excluded port ranges), when the Filter asked for them
	// (WithReservedPorts); nil elsewhere.
	ReservedPorts []PortRange
}

// HiddenOwners counts the sockets whose owners could not be seen.
func (s *Snapshot) HiddenOwners() int {
	n := 0
	for _, so := range s.Sockets {
		if so.OwnersHidden {
			n++
		}
	}
	return n
}

// Filter says which sockets a caller wants. The zero Filter asks for every
// socket.
type Filter struct {
	// Protocols keeps only these protocols; empty means all.
	Protocols []Protocol
	// Families keeps only these families (4, 6); empty means both.
	Families []int
	// Ports keeps only sockets whose local port is one of these; empty
	// means every port.
	Ports []uint16
	// States keeps only sockets in these states; empty means all.
	States []State
	// AnyStatePorts keeps the sockets on these local ports whatever their
	// state, besides those that pass Ports and States, unless a socket of
	// their protocol listens on the port. check wants the connections left
	// on the target's port by a server that stopped, and only the
	// listeners on the ports near it; while the server still listens, its
	// connections tell nothing, and finding their owners (high among a
	// busy server's descriptors) would cost most of the scan.
	AnyStatePorts []uint16
	// PID keeps only sockets held by this process; 0 means any.
	PID int32
	// ProcessName keeps only sockets held by a process of this name; empty
	// means any.
	ProcessName string
	// WithCmdline fills Owner.Cmdline. Off by default: arguments carry
	// secrets.
	WithCmdline bool
	// SkipExeAndStart leaves Owner.Exe and Owner.Started empty, for
	// callers that show only each owner's PID, name and user (the tables):
	// two reads fewer per process.
	SkipExeAndStart bool
	// WithRules fills Snapshot.Rules and Snapshot.Netstat: the packet
	// filter (nf_tables and legacy x_tables) and the accept-queue
	// counters of the namespace read. Linux only; elsewhere they stay nil.
	WithRules bool
	// AllNetns reads the sockets of every network namespace of the host,
	// not only the caller's (Linux, as root): each Socket's Netns says
	// where it lives. Without root it reads the caller's namespace only
	// and says so in a warning.
	AllNetns bool
	// SkipOwnNetns leaves the caller's namespace's sockets out of a
	// snapshot of every namespace (AllNetns), for a caller that has them
	// already; the namespace itself and its addresses stay.
	SkipOwnNetns bool
	// Netns reads one other network namespace instead of the caller's,
	// as if run inside it: an ip netns name, a PID, a path to a namespace
	// file, a container's name or ID (or its first 12 digits), or a pod's
	// "namespace/name". Linux, as root.
	Netns string
	// WithReservedPorts fills Snapshot.ReservedPorts. Windows only (it
	// runs netsh); elsewhere they stay nil.
	WithReservedPorts bool
}

// Listeners is a Filter for listening sockets: TCP LISTEN and unconnected
// UDP.
func Listeners() Filter {
	return Filter{States: []State{StateListen, StateUnconnected}}
}

// wantsProto reports whether p passes the filter.
func (f Filter) wantsProto(p Protocol) bool {
	return len(f.Protocols) == 0 || slices.Contains(f.Protocols, p)
}

// wantsFamily reports whether fam passes the filter.
func (f Filter) wantsFamily(fam int) bool {
	return len(f.Families) == 0 || slices.Contains(f.Families, fam)
}

// wantsPort reports whether port passes the filter.
func (f Filter) wantsPort(port uint16) bool {
	return len(f.Ports) == 0 || slices.Contains(f.Ports, port)
}

// wantsState reports whether st passes the filter.
func (f Filter) wantsState(st State) bool {
	return len(f.States) == 0 || slices.Contains(f.States, st)
}

// wantsSocket applies the parts of the filter that need no owner.
func (f Filter) wantsSocket(s *Socket) bool {
	if !f.wantsProto(s.Protocol) || !f.wantsFamily(s.Family) {
		return false
	}
	port := s.Local.Port()
	return f.wantsPort(port) && f.wantsState(s.State) || slices.Contains(f.AnyStatePorts, port)
}

// dropAnswered removes from socks, which passed wantsSocket, those that
// passed only through AnyStatePorts on a port where a socket of their
// protocol listens.
func (f Filter) dropAnswered(socks []Socket) []Socket {
	if len(f.AnyStatePorts) == 0 {
		return socks
	}
	type key struct {
		proto Protocol
		port  uint16
	}
	listening := make(map[key]bool)
	for i := range socks {
		if socks[i].Listening() {
			listening[key{socks[i].Protocol, socks[i].Local.Port()}] = true
		}
	}
	return slices.DeleteFunc(socks, func(s Socket) bool {
		port := s.Local.Port()
		byState := f.wantsPort(port) && f.wantsState(s.State)
		return !byState && !s.Listening() && listening[key{s.Protocol, port}]
	})
}

// anyPorts are all the ports the filter may keep a socket on: Ports and
// AnyStatePorts together; nil when it keeps every port.
func (f Filter) anyPorts() []uint16 {
	if len(f.Ports) == 0 {
		return nil
	}
	ports := slices.Concat(f.Ports, f.AnyStatePorts)
	slices.Sort(ports)
	return slices.Compact(ports)
}

// wantsOwners applies the owner parts of the filter to a socket whose
// owners are known.
func (f Filter) wantsOwners(s *Socket) bool {
	if f.PID == 0 && f.ProcessName == "" {
		return true
	}
	for _, o := range s.Owners {
		if (f.PID == 0 || o.PID == f.PID) && (f.ProcessName == "" || o.Name == f.ProcessName) {
			return true
		}
	}
	return false
}

// Source takes snapshots of the host's sockets.
type Source interface {
	// Name names the backend, e.g. "gopsutil".
	Name() string
	// Snapshot returns the sockets that pass f. A process that exits
	// during the scan is skipped; only a failure to read the sockets at all
	// is an error.
	Snapshot(ctx context.Context, f Filter) (*Snapshot, error)
}

// NetnsReader is a Source that can read one namespace again into a
// snapshot of every namespace: a check takes that snapshot with the few
// ports it needs everywhere, then the sockets of the namespaces a
// connection leads into with the ports it needs there.
type NetnsReader interface {
	// ReadNetns reads the sockets of n that pass f, with their owners,
	// into snap (taken by this Source with Filter.AllNetns) in place of
	// those snap held of n. Linux, as root.
	ReadNetns(ctx context.Context, snap *Snapshot, n *Netns, f Filter) error
}
