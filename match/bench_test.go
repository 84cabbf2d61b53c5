// bench_test.go holds the benchmark of List on a large snapshot.

package match_test

import (
	"math/rand/v2"
	"net/netip"
	"testing"

	"github.com/whyrefused/whyrefused/inspect"
	"github.com/whyrefused/whyrefused/match"
)

// BenchmarkList classifies and sorts 10,000 listeners that come in the
// kernel's order (by hash, not by port), as in scenario (b) of
// bench/run.sh.
func BenchmarkList(b *testing.B) {
	snap := &inspect.Snapshot{}
	rng := rand.New(rand.NewPCG(1, 2))
	for _, i := range rng.Perm(10000) {
		snap.Sockets = append(snap.Sockets, inspect.Socket{
			Protocol: inspect.TCP, Family: 4, State: inspect.StateListen,
			Local:  netip.AddrPortFrom(netip.AddrFrom4([4]byte{127, 0, 0, 1}), uint16(20000+i)),
			Owners: []inspect.Owner{{PID: int32(1000 + i/50), Name: "sleep", User: "root"}},
		})
	}
	b.ReportAllocs()
	for b.Loop() {
		if inv := match.List(snap, "linux"); len(inv.Listeners) != len(snap.Sockets) {
			b.Fatalf("%d listeners of %d", len(inv.Listeners), len(snap.Sockets))
		}
	}
}
