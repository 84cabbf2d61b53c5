// config.go holds the probe's Config (the outside world, injected) and its
// timeouts.

package probe

import (
	"context"
	"net"
	"net/netip"
	"os"
	"runtime"
	"time"

	"github.com/whyrefused/whyrefused/internal/conffile"
	"github.com/whyrefused/whyrefused/target"
)

// DefaultTimeout bounds each connection attempt. Windows answers a reset
// by sending the SYN again, twice, half a second and then a second later,
// so it reports a refusal only after about 2 s, even on loopback, plus
// three round trips to a remote host. 5 s leaves room for that with round
// trips up to half a second, so a refusal is not mistaken for a timeout,
// while a dropped connection is still reported within seconds (Linux itself
// would wait about 2 minutes, Windows 21 s).
const DefaultTimeout = 5 * time.Second

// WindowsRefusalDelay is about how long Windows takes to report a refusal.
const WindowsRefusalDelay = 2 * time.Second

// WindowsMinTCPTimeout is the least time a TCP connect is given on
// Windows, whatever --timeout says: a shorter one would report its slow
// refusals as timeouts.
const WindowsMinTCPTimeout = WindowsRefusalDelay + time.Second

// Dialer opens connections. *net.Dialer satisfies it.
type Dialer interface {
	DialContext(ctx context.Context, network, address string) (net.Conn, error)
}

// Config is everything the probe needs from the outside world.
type Config struct {
	// Timeout bounds each attempt, and each name lookup; DefaultTimeout
	// when zero.
	Timeout time.Duration
	// HostsPath is the hosts file; ReadFile reads it (conffile.Read: a
	// regular file, of bounded size, in bounded time).
	HostsPath string
	ReadFile  func(string) ([]byte, error)
	// Resolver looks up names the way the OS's clients do.
	Resolver target.Resolver
	// Dialer connects.
	Dialer Dialer
	// Now is the clock that times each attempt.
	Now func() time.Time
	// GOOS is the OS whose behaviour the advice describes (runtime.GOOS).
	GOOS string
	// LocalAddrs are this host's own addresses: a target among them gets
	// the check explanation too. Loopback addresses always count.
	LocalAddrs []netip.Addr
	// Getenv reads the proxy variables (os.Getenv); nil for none, so that
	// no proxy is considered.
	Getenv func(string) string
}

// OSConfig is the Config for this OS: its hosts file, resolver and dialer.
// The host's own addresses (LocalAddrs) are the caller's to set, from
// inspect.HostAddrs.
func OSConfig(timeout time.Duration) *Config {
	cfg := &Config{
		Timeout:   timeout,
		HostsPath: HostsPath(runtime.GOOS, os.Getenv),
		ReadFile:  conffile.Read,
		Resolver:  net.DefaultResolver,
		Dialer:    &net.Dialer{},
		Now:       time.Now,
		GOOS:      runtime.GOOS,
		Getenv:    os.Getenv,
	}
	return cfg
}

// timeout is the bound of one attempt.
func (c *Config) timeout() time.Duration {
	if c.Timeout > 0 {
		return c.Timeout
	}
	return DefaultTimeout
}

// isHostAddr reports whether a is this host's own: a loopback or
// unspecified address, or one of LocalAddrs. (match asks another question:
// whether a socket's bound address takes a connection to a.)
func (c *Config) isHostAddr(a netip.Addr) bool {
	a = a.Unmap()
	if a.IsLoopback() || a.IsUnspecified() {
		return true
	}
	for _, l := range c.LocalAddrs {
		if l.Unmap().WithZone("") == a.WithZone("") {
			return true
		}
	}
	return false
}
