// bench_linux_test.go holds the benchmarks of the socket backends on real
// listeners.

package inspect_test

import (
	"context"
	"net"
	"testing"

	"github.com/whyrefused/whyrefused/inspect"
)

// benchListeners opens n TCP listeners on 127.0.0.1 for a benchmark and
// returns their ports.
func benchListeners(b *testing.B, n int) []uint16 {
	b.Helper()
	ports := make([]uint16, 0, n)
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { l.Close() })
		ports = append(ports, uint16(l.Addr().(*net.TCPAddr).Port))
	}
	return ports
}

// benchSnapshot takes snapshots of src with f, and checks each one.
func benchSnapshot(b *testing.B, src inspect.Source, f inspect.Filter, atLeast int) {
	b.ReportAllocs()
	ctx := context.Background()
	for b.Loop() {
		snap, err := src.Snapshot(ctx, f)
		if err != nil {
			b.Fatal(err)
		}
		if snap.Backend != src.Name() || len(snap.Sockets) < atLeast {
			b.Fatalf("backend %s found %d sockets, want %s and at least %d", snap.Backend, len(snap.Sockets), src.Name(), atLeast)
		}
	}
}

// BenchmarkSockDiag lists every listener with its owners (whyrefused list).
func BenchmarkSockDiag(b *testing.B) {
	benchListeners(b, 200)
	benchSnapshot(b, inspect.SockDiag{}, inspect.Listeners(), 200)
}

// BenchmarkSockDiagPort finds the listener of one port with its owners
// (whyrefused check :PORT).
func BenchmarkSockDiagPort(b *testing.B) { benchPort(b, inspect.SockDiag{}) }

// benchPort takes snapshots of one port's listener among 200.
func benchPort(b *testing.B, src inspect.Source) {
	ports := benchListeners(b, 200)
	f := inspect.Listeners()
	f.Ports = ports[100:101]
	benchSnapshot(b, src, f, 1)
}

// BenchmarkGopsutil is BenchmarkSockDiag on the portable backend.
func BenchmarkGopsutil(b *testing.B) {
	benchListeners(b, 200)
	benchSnapshot(b, inspect.Gopsutil{}, inspect.Listeners(), 200)
}

// BenchmarkGopsutilPort is BenchmarkSockDiagPort on the portable backend.
func BenchmarkGopsutilPort(b *testing.B) { benchPort(b, inspect.Gopsutil{}) }
