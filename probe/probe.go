package probe

import (
	"context"
	"net/netip"
	"time"

	"github.com/whyrefused/whyrefused/inspect"
)

// Request is what to probe: the parts of a match.Target the probe uses.
type Request struct {
	Host     string
	Port     uint16
	Protocol inspect.Protocol
	// Service and ServiceSource say which service name the port came from,
	// and which file said so; empty when the port was a number.
	Service, ServiceSource string
	// Family limits the addresses to IPv4 (4) or IPv6 (6); 0 for both.
	Family Family
}

// Result is the whole answer for one target.
type Result struct {
	Request    Request
	Resolution Resolution
	// Attempts are one per address of the resolution, in its order.
	Attempts []Attempt
	// Meanings says for each attempt what its outcome means and what to
	// try.
	Meanings []string
	// Verdict is the overall answer in a sentence or two.
	Verdict string
	// Timeout bounded each attempt.
	Timeout time.Duration
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

// Run resolves the request's host, connects to every address and says
// what it found. The error is bad input only (FamilyError).
func Run(ctx context.Context, req Request, cfg *Config) (Result, error) {
	res, err := Resolve(ctx, req.Host, req.Family, cfg)
	if err != nil {
		return Result{}, err
	}
	r := Result{Request: req, Resolution: res, Timeout: cfg.timeout()}
	addrs := make([]netip.AddrPort, len(res.Addresses))
	for i, a := range res.Addresses {
		addrs[i] = netip.AddrPortFrom(a.Addr, req.Port)
	}
	r.Attempts = Connect(ctx, req.Protocol, addrs, cfg)
	r.Meanings = make([]string, len(r.Attempts))
	for i, a := range r.Attempts {
		r.Meanings[i] = Meaning(a, res.Addresses[i], r.Timeout, cfg.GOOS)
	}
	r.Verdict = Verdict(&r, cfg.GOOS)
	return r, nil
}
