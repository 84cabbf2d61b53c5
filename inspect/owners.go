// owners.go holds the owner cache: a socket's processes read once per PID
// (name, user, executable, start time).

package inspect

import (
	"context"
	"errors"
	"io/fs"
	"net/netip"
	"os/user"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/shirou/gopsutil/v4/process"
)

// ownerCache looks up each process's details once per snapshot.
type ownerCache struct {
	withCmdline bool
	brief       bool             // no Exe, no Started
	procs       map[int32]*Owner // nil value: the process is gone

	mu    sync.Mutex // guards users: prefetch reads processes at once
	users map[uint32]string
}

func newOwnerCache(f Filter) *ownerCache {
	return &ownerCache{
		withCmdline: f.WithCmdline,
		brief:       f.SkipExeAndStart,
		procs:       make(map[int32]*Owner),
		users:       make(map[uint32]string),
	}
}

// lookup returns the details of process pid. ok is false when the process
// exited during the scan: the caller drops it, as it no longer owns the
// socket.
func (c *ownerCache) lookup(ctx context.Context, pid int32) (Owner, bool) {
	if o, seen := c.procs[pid]; seen {
		if o == nil {
			return Owner{}, false
		}
		return *o, true
	}
	o, ok := c.read(ctx, pid)
	if !ok {
		c.procs[pid] = nil
		return Owner{}, false
	}
	c.procs[pid] = &o
	return o, true
}

// read gathers what can be read of a process; a detail that cannot be read
// (permission, a race with exit) is left empty.
func (c *ownerCache) read(ctx context.Context, pid int32) (Owner, bool) {
	o := Owner{PID: pid}
	p, err := openProcess(ctx, pid)
	if err != nil {
		// Gone: drop it. Any other failure: the PID is still known.
		return o, !errors.Is(err, process.ErrorProcessNotRunning)
	}
	o.User = c.userOf(ctx, p)
	name, err := processName(ctx, p)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) || gone(ctx, p) {
			return Owner{}, false
		}
	}
	o.Name = name
	if !c.brief {
		if exe, err := p.ExeWithContext(ctx); err == nil {
			o.Exe = exe
		}
		if ms, err := p.CreateTimeWithContext(ctx); err == nil && ms > 0 {
			o.Started = time.UnixMilli(ms).UTC()
		}
	}
	if c.withCmdline || o.Name == "docker-proxy" {
		if args, err := p.CmdlineSliceWithContext(ctx); err == nil {
			// A proxy's arguments name where it passes connections on;
			// they are kept only as that unless the caller asked.
			o.ProxyTo = proxyTarget(o.Name, args)
			if c.withCmdline {
				o.Cmdline = args
			}
		}
	}
	return o, true
}

// userOf names the process's user. User names are looked up once per uid:
// many processes share few users.
func (c *ownerCache) userOf(ctx context.Context, p *process.Process) string {
	uids, err := p.UidsWithContext(ctx)
	if err != nil || len(uids) < 2 {
		// No uids on this OS (Windows): ask for the name directly.
		name, _ := p.UsernameWithContext(ctx)
		return name
	}
	return c.userName(uids[1]) // the effective uid
}

// userName names the user uid, or gives the number when it has no name.
// Names are looked up once per uid: many processes share few users.
func (c *ownerCache) userName(uid uint32) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if name, ok := c.users[uid]; ok {
		return name
	}
	name := strconv.Itoa(int(uid))
	if u, err := user.LookupId(name); err == nil {
		name = u.Username
	}
	c.users[uid] = name
	return name
}

// gone reports whether the process has exited.
func gone(ctx context.Context, p *process.Process) bool {
	running, err := p.IsRunningWithContext(ctx)
	return err == nil && !running
}

// parseAddr parses an address as printed by a backend, dropping an IPv6
// zone that netip cannot place ("fe80::1%eth0" keeps its zone).
func parseAddr(s string) (netip.Addr, bool) {
	if s == "" || s == "*" {
		return netip.Addr{}, false
	}
	s = strings.TrimSuffix(strings.TrimPrefix(s, "["), "]")
	a, err := netip.ParseAddr(s)
	return a, err == nil
}
