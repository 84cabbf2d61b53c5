// probe.go holds Result, the whole answer for one target, and Run, which
// resolves, connects and sums up.

package probe

import (
	"context"
	"net/netip"
	"time"

	"github.com/whyrefused/whyrefused/inspect"
	"github.com/whyrefused/whyrefused/target"
)

// Result is the whole answer for one target.
type Result struct {
	Target target.Target
	// Family is the address family asked for (-4, -6), 0 for both.
	Family     Family
	Resolution Resolution
	// Attempts are one per address of the resolution, in its order, each
	// with where its address came from and what its outcome means.
	Attempts []Attempt
	// Summary is the overall answer in a sentence or two.
	Summary string
	// Timeout bounded each attempt.
	Timeout time.Duration
	// AskedTimeout is the timeout asked for, when it was raised to
	// WindowsMinTCPTimeout; zero otherwise.
	AskedTimeout time.Duration
	// Proxy is the proxy that clients honouring the proxy variables would
	// connect to instead, nil for none; ProxyProbe is the probe of it.
	// ProxyErr says why a proxy variable could not be followed.
	Proxy      *Proxy
	ProxyProbe *Result
	ProxyErr   error
}

// Accepted reports whether some address accepted.
func (r *Result) Accepted() bool {
	for _, a := range r.Attempts {
		if a.Outcome == Accepted {
			return true
		}
	}
	return false
}

// LocalAddrs are the addresses of the target that belong to this host, for
// which the check explanation applies.
func (r *Result) LocalAddrs() []netip.Addr {
	var out []netip.Addr
	for _, a := range r.Attempts {
		if a.Local {
			out = append(out, a.Address.Addr())
		}
	}
	return out
}

// Run resolves the target's host, connects to every address on the
// target's port and says what it found. The error is bad input only
// (FamilyError).
func Run(ctx context.Context, t target.Target, fam Family, cfg *Config) (Result, error) {
	res, err := Resolve(ctx, t.Host, fam, cfg)
	if err != nil {
		return Result{}, err
	}
	r := Result{Target: t, Family: fam, Resolution: res, Timeout: cfg.timeout()}
	if cfg.GOOS == "windows" && t.Protocol == inspect.TCP && r.Timeout < WindowsMinTCPTimeout {
		raised := *cfg
		raised.Timeout, r.AskedTimeout, r.Timeout = WindowsMinTCPTimeout, r.Timeout, WindowsMinTCPTimeout
		cfg = &raised
	}
	addrs := make([]netip.AddrPort, len(res.Addresses))
	for i, a := range res.Addresses {
		addrs[i] = netip.AddrPortFrom(a.Addr, t.Port)
	}
	r.Attempts = Connect(ctx, t.Protocol, addrs, cfg)
	for i := range r.Attempts {
		r.Attempts[i].From = res.Addresses[i]
		r.Attempts[i].Meaning = Meaning(r.Attempts[i], r.Timeout)
	}
	r.Summary = Summary(&r)
	if p, err := ProxyFor(t, cfg.Getenv); err != nil {
		r.ProxyErr = err
	} else if p != nil {
		direct := *cfg
		direct.Getenv = nil // the proxy itself is reached directly
		pr, err := Run(ctx, p.Target, fam, &direct)
		if err != nil {
			pr, err = Run(ctx, p.Target, 0, &direct) // -4/-6 is the target's, not the proxy's
		}
		if err == nil {
			r.Proxy, r.ProxyProbe = p, &pr
		}
	}
	return r, nil
}

// CheckTarget is what match.Explain needs to explain the addresses of r
// that are this host's own: the same target, with a resolver that gives
// just those addresses (a target with no host is named "localhost"). ok is
// false when no address of r is this host's.
func (r *Result) CheckTarget() (t target.Target, res target.Resolver, ok bool) {
	local := r.LocalAddrs()
	if len(local) == 0 {
		return target.Target{}, nil, false
	}
	t = r.Target
	if t.Host == "" {
		t.Host = "localhost"
	}
	return t, target.StaticResolver{t.Host: local}, true
}
