// netns.go holds the model of network namespaces: a namespace of the host,
// the container or Kubernetes pod that runs in it, and the ports a
// container engine publishes for it.

package inspect

import (
	"errors"
	"net/netip"
	"strconv"
	"strings"
)

// Netns is one network namespace of the host, as far as it could be named.
type Netns struct {
	// Inode is the namespace's inode number, as /proc/<pid>/ns/net names
	// it ("net:[4026531840]") and as `ip netns identify` and `lsns` print.
	Inode uint64
	// Name is how whyrefused names it in tables: "host", the ip netns
	// name, the pod's "namespace/name", the container's name or short ID,
	// or "netns:[INODE]" when nothing names it.
	Name string
	// Self is true for the namespace whyrefused runs in.
	Self bool
	// Host is true for the namespace of PID 1 as this process sees it.
	Host bool
	// IPNetns are its names under /run/netns (ip netns add NAME).
	IPNetns []string
	// Container is the container that runs in it, when a process's cgroup
	// path names one; nil otherwise.
	Container *Container
	// Pod is the Kubernetes pod, when the cgroup path names its UID and
	// kubelet's /var/log/pods has a directory for that UID.
	Pod *Pod
	// Addrs are the addresses on its interfaces, when it could be entered.
	Addrs []netip.Addr
	// Rules, Interfaces and Netstat are its packet filter, its interfaces
	// and its accept-queue counters, when they were read from inside it
	// (ReadNetnsFilter: for the namespaces a checked connection leads
	// into); nil otherwise. Interfaces are read only when it has rules.
	// The caller's namespace keeps its own in the Snapshot.
	Rules      *Ruleset
	Interfaces []Interface
	Netstat    *Netstat

	// path is a file that opens it: /proc/<pid>/ns/net or a bind mount.
	path string
	// pids are (some of) the processes in it, ascending. Only Linux
	// discovers namespaces, so only Linux fills and reads it.
	//lint:ignore U1000 filled and read by netns_linux.go
	pids []int32
}

// Path is a file whose opening gives the namespace (for setns(2)):
// /proc/<pid>/ns/net or a bind mount such as /run/netns/NAME.
func (n *Netns) Path() string { return n.path }

// Container is a container, as its cgroup path and its engine tell of it.
type Container struct {
	// ID is the full 64-hex container ID.
	ID string
	// Name is its name without the leading "/", when the engine's API
	// could be asked; "" otherwise.
	Name string
	// Runtime is docker, podman, containerd, cri-o or nerdctl, as the
	// cgroup path tells; "" when the path does not say.
	Runtime string
	// State is the engine's state word (running, exited, created), when
	// known.
	State string
	// Ports are the ports the engine publishes for it.
	Ports []PublishedPort
	// Addrs are its addresses on the engine's networks.
	Addrs []netip.Addr
	// SandboxKey is the bind mount of its namespace
	// (/var/run/docker/netns/...), when the engine tells.
	SandboxKey string
}

// ShortID is the container ID's first 12 hex digits, as docker ps shows.
func (c *Container) ShortID() string {
	if len(c.ID) > 12 {
		return c.ID[:12]
	}
	return c.ID
}

// Label is the container's name, or its short ID when it has none known.
func (c *Container) Label() string {
	if c.Name != "" {
		return c.Name
	}
	return c.ShortID()
}

// PublishedPort is a port that a container engine publishes on the host:
// HostIP:HostPort on the host reaches the container's Port.
type PublishedPort struct {
	Protocol Protocol
	HostIP   netip.Addr // zero: every address
	HostPort uint16
	Port     uint16
}

// Pod is a Kubernetes pod.
type Pod struct {
	Namespace string
	Name      string
	UID       string
}

// name gives the namespace its Name, best first: an ip netns name, the
// pod, the container, "host", or its inode.
func (n *Netns) name() string {
	switch {
	case len(n.IPNetns) > 0:
		return n.IPNetns[0]
	case n.Pod != nil:
		return n.Pod.Namespace + "/" + n.Pod.Name
	case n.Container != nil:
		return n.Container.Label()
	case n.Host:
		return "host"
	default:
		return "netns:[" + strconv.FormatUint(n.Inode, 10) + "]"
	}
}

// ErrNoNetns says that other network namespaces cannot be read: the OS
// has none (they are Linux's), or the backend cannot enter them.
var ErrNoNetns = errors.New("network namespaces can be read only on Linux, by the sock_diag backend")

// ErrNetnsNotFound says that no network namespace has the name asked for.
var ErrNetnsNotFound = errors.New("no such network namespace")

// View is the snapshot as seen from inside namespace n: its sockets only,
// its addresses as the host's, and its rules, interfaces and counters
// when they were read (ReadNetnsFilter). The caller's namespace keeps the
// snapshot's own addresses and rules.
func (s *Snapshot) View(n *Netns) *Snapshot {
	v := &Snapshot{
		Backend: s.Backend, Taken: s.Taken, Privileged: s.Privileged,
		OwnersOutside: s.OwnersOutside, DefaultV6Only: s.DefaultV6Only,
		HostAddrs: n.Addrs, Rules: n.Rules, Interfaces: n.Interfaces, Netstat: n.Netstat,
	}
	if n.Self {
		v.HostAddrs, v.Rules, v.Netstat, v.Warnings = s.HostAddrs, s.Rules, s.Netstat, s.Warnings
		v.Interfaces, v.NATPorts = s.Interfaces, s.NATPorts
	}
	for _, so := range s.Sockets {
		if so.Netns == n {
			v.Sockets = append(v.Sockets, so)
		}
	}
	return v
}

// SelfNetns is the caller's namespace among s.Namespaces; nil when the
// snapshot read no other.
func (s *Snapshot) SelfNetns() *Netns {
	for _, n := range s.Namespaces {
		if n.Self {
			return n
		}
	}
	return nil
}

// proxyTarget reads where a userland proxy passes connections on, from
// its arguments: docker-proxy's "-container-ip A -container-port P".
// Invalid when name is no such proxy or the arguments do not say.
func proxyTarget(name string, args []string) netip.AddrPort {
	if name != "docker-proxy" {
		return netip.AddrPort{}
	}
	var ip netip.Addr
	var port uint64
	for i := 0; i+1 < len(args); i++ {
		switch strings.TrimPrefix(args[i], "-") {
		case "container-ip":
			ip, _ = netip.ParseAddr(args[i+1])
		case "container-port":
			port, _ = strconv.ParseUint(args[i+1], 10, 16)
		}
	}
	if !ip.IsValid() || port == 0 {
		return netip.AddrPort{}
	}
	return netip.AddrPortFrom(ip, uint16(port))
}
