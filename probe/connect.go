// connect.go holds the attempts: a connect to every address at once, TCP or
// UDP.

package probe

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"os"
	"sync"
	"time"

	"github.com/whyrefused/whyrefused/inspect"
)

// Attempt is one connection attempt to one address.
type Attempt struct {
	Address  netip.AddrPort
	Protocol inspect.Protocol
	Classification
	// Err is the error the attempt ended with, nil when accepted.
	Err error
	// Elapsed is how long the attempt took.
	Elapsed time.Duration
	// Local is true when the address is one of this host's own.
	Local bool
	// From is where the address came from; Run fills it.
	From Address
	// Meaning says what the outcome means and what to try; Run fills it.
	Meaning string
}

// udpTries is how many times a UDP probe sends its datagram within the
// timeout: a datagram, or the ICMP error that answers it, may be lost.
const udpTries = 3

// maxInFlight is how many attempts Connect makes at once: each holds a
// socket, and a name with 100,000 addresses must not run out of
// descriptors (the usual limit is 1,024).
const maxInFlight = 256

// Connect tries the addresses, up to maxInFlight at once, each bounded by
// the timeout, and returns the attempts in the order of addrs.
func Connect(ctx context.Context, proto inspect.Protocol, addrs []netip.AddrPort, cfg *Config) []Attempt {
	out := make([]Attempt, len(addrs))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(maxInFlight, len(addrs)) {
		wg.Go(func() {
			for i := range next {
				out[i] = connectOne(ctx, proto, addrs[i], cfg)
			}
		})
	}
	for i := range addrs {
		next <- i
	}
	close(next)
	wg.Wait()
	return out
}

// connectOne makes one attempt.
func connectOne(ctx context.Context, proto inspect.Protocol, ap netip.AddrPort, cfg *Config) Attempt {
	ctx, cancel := context.WithTimeout(ctx, cfg.timeout())
	defer cancel()
	start := cfg.Now()
	var err error
	if proto == inspect.UDP {
		err = udpProbe(ctx, ap, cfg)
	} else {
		var c net.Conn
		if c, err = cfg.Dialer.DialContext(ctx, "tcp", ap.String()); err == nil {
			c.Close()
		}
	}
	return Attempt{
		Address:        ap,
		Protocol:       proto,
		Classification: Classify(proto, err),
		Err:            err,
		Elapsed:        cfg.Now().Sub(start),
		Local:          cfg.isHostAddr(ap.Addr()),
	}
}

// udpProbe sends a datagram (a request of the port's protocol, see
// udprequest.go) on a connected socket and waits for a reply
// (nil), an ICMP error (reported by the OS as a refusal on a later send or
// receive), or nothing (a timeout). It sends again twice within the timeout.
func udpProbe(ctx context.Context, ap netip.AddrPort, cfg *Config) error {
	c, err := cfg.Dialer.DialContext(ctx, "udp", ap.String())
	if err != nil {
		return err
	}
	defer c.Close()
	if err := reportICMPErrors(c); err != nil {
		return err
	}
	end, _ := ctx.Deadline()
	step := time.Until(end) / udpTries
	buf := make([]byte, 1500)
	for try := 0; ; try++ {
		if _, err := c.Write(udpRequest(ap.Port())); err != nil {
			return err
		}
		wait := time.Now().Add(step)
		if try == udpTries-1 || wait.After(end) {
			wait = end
		}
		if err := c.SetReadDeadline(wait); err != nil {
			return err
		}
		_, err := c.Read(buf)
		if err == nil {
			return nil
		}
		if !errors.Is(err, os.ErrDeadlineExceeded) || !time.Now().Before(end) {
			return err
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
	}
}
