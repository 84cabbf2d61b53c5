// bench_test.go holds the benchmarks of the tables and JSON of a large
// listing.

package render_test

import (
	"io"
	"net/netip"
	"testing"

	"github.com/whyrefused/whyrefused/inspect"
	"github.com/whyrefused/whyrefused/match"
	"github.com/whyrefused/whyrefused/render"
)

// manyListeners is n loopback listeners, perProc to a process.
func manyListeners(n, perProc int) match.Inventory {
	snap := &inspect.Snapshot{}
	for i := range n {
		snap.Sockets = append(snap.Sockets, inspect.Socket{
			Protocol: inspect.TCP, Family: 4, State: inspect.StateListen,
			Local:  netip.AddrPortFrom(netip.AddrFrom4([4]byte{127, 0, 0, byte(1 + i%250)}), uint16(10000+i)),
			Owners: []inspect.Owner{{PID: int32(1000 + i/perProc), Name: "sleep", User: "root", Exe: "/usr/bin/sleep"}},
		})
	}
	return match.List(snap, "linux")
}

// BenchmarkListTable renders 1,000 listeners as a table: a large part of
// 'whyrefused list' on a busy host (see the README's Performance section).
func BenchmarkListTable(b *testing.B) { benchListTable(b, 1000, 20, render.Options{}) }

// BenchmarkListTable10k renders 10,000 listeners, as BenchmarkListJSON.
func BenchmarkListTable10k(b *testing.B) { benchListTable(b, 10000, 50, render.Options{}) }

// BenchmarkListTableColor renders 1,000 listeners with colours, as on a
// terminal.
func BenchmarkListTableColor(b *testing.B) { benchListTable(b, 1000, 20, render.Options{Color: true}) }

// benchListTable renders n listeners, perProc to a process, as a table.
func benchListTable(b *testing.B, n, perProc int, o render.Options) {
	inv := manyListeners(n, perProc)
	for b.Loop() {
		if err := render.ListTable(io.Discard, inv, o); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkListJSON encodes 10,000 listeners.
func BenchmarkListJSON(b *testing.B) {
	inv := manyListeners(10000, 50)
	for b.Loop() {
		if err := render.ListJSON(io.Discard, inv, render.Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
