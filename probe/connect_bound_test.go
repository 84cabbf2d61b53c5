// connect_bound_test.go holds the test that Connect holds a bounded number
// of sockets at once, whatever the number of addresses.

package probe

import (
	"context"
	"net"
	"net/netip"
	"sync/atomic"
	"testing"
	"time"

	"github.com/whyrefused/whyrefused/inspect"
)

// countingDialer refuses every dial after a moment, counting how many are
// in flight at once.
type countingDialer struct{ now, most atomic.Int32 }

func (d *countingDialer) DialContext(context.Context, string, string) (net.Conn, error) {
	n := d.now.Add(1)
	for {
		m := d.most.Load()
		if n <= m || d.most.CompareAndSwap(m, n) {
			break
		}
	}
	time.Sleep(time.Millisecond)
	d.now.Add(-1)
	return nil, &net.OpError{Op: "dial", Net: "tcp", Err: refusedErrno()}
}

func TestConnectBoundsSockets(t *testing.T) {
	d := &countingDialer{}
	cfg := &Config{Timeout: time.Second, Dialer: d, Now: time.Now}
	addrs := make([]netip.AddrPort, 5000)
	for i := range addrs {
		addrs[i] = netip.AddrPortFrom(netip.AddrFrom4([4]byte{198, 18, byte(i >> 8), byte(i)}), 8080)
	}
	got := Connect(context.Background(), inspect.TCP, addrs, cfg)
	if len(got) != len(addrs) {
		t.Fatalf("%d attempts for %d addresses", len(got), len(addrs))
	}
	for i, a := range got {
		if a.Address != addrs[i] || a.Outcome != Refused {
			t.Fatalf("attempt %d: %v %v, want %v refused", i, a.Address, a.Outcome, addrs[i])
		}
	}
	if m := d.most.Load(); m > maxInFlight || m < 2 {
		t.Errorf("%d dials at once, want 2 to %d", m, maxInFlight)
	}
}
