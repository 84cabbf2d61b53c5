// filter_test.go holds the tests of Filter's rules: AnyStatePorts and
// dropAnswered.

package inspect

import (
	"net/netip"
	"slices"
	"testing"
)

// TestAnyStatePorts: listeners only on Ports, every state on AnyStatePorts,
// in user space and in the kernel request alike.
func TestAnyStatePorts(t *testing.T) {
	f := Listeners()
	f.Ports = []uint16{8079, 8080, 8081}
	f.AnyStatePorts = []uint16{8080}
	sock := func(port uint16, st State) *Socket {
		return &Socket{Protocol: TCP, Family: 4, Local: netip.AddrPortFrom(netip.MustParseAddr("127.0.0.1"), port), State: st}
	}
	cases := []struct {
		s    *Socket
		want bool
	}{
		{sock(8080, StateListen), true},
		{sock(8080, StateTimeWait), true},
		{sock(8080, StateEstablished), true},
		{sock(8081, StateListen), true},
		{sock(8081, StateEstablished), false},
		{sock(8079, StateCloseWait), false},
		{sock(9000, StateListen), false},
		{sock(9000, StateEstablished), false},
	}
	for _, c := range cases {
		if got := f.wantsSocket(c.s); got != c.want {
			t.Errorf("port %d %s: kept %v, want %v", c.s.Local.Port(), c.s.State, got, c.want)
		}
	}
	if got := f.anyPorts(); !slices.Equal(got, []uint16{8079, 8080, 8081}) {
		t.Errorf("ports asked of the kernel %v", got)
	}
	if diagStates(f, TCP) != 0xffffffff {
		t.Errorf("with AnyStatePorts the kernel must be asked for every state")
	}
	f.AnyStatePorts = nil
	if diagStates(f, TCP) != 1<<10 {
		t.Errorf("listeners only: state mask %#x, want LISTEN's", diagStates(f, TCP))
	}
	if (Filter{}).anyPorts() != nil {
		t.Errorf("a filter with no ports must ask for every port")
	}
}

// TestDropAnswered: the connections on an AnyStatePorts port are kept only
// while no socket of their protocol listens on it.
func TestDropAnswered(t *testing.T) {
	sock := func(proto Protocol, local string, st State) Socket {
		return Socket{Protocol: proto, Family: 4, Local: netip.MustParseAddrPort(local), State: st}
	}
	f := Listeners()
	f.Ports = []uint16{8080, 8081, 9090}
	f.AnyStatePorts = []uint16{8080, 9090}
	socks := []Socket{
		sock(TCP, "127.0.0.1:8080", StateListen),
		sock(TCP, "127.0.0.1:8080", StateEstablished), // the server's: dropped
		sock(UDP, "127.0.0.1:8080", StateConnected),   // no UDP listener on 8080: kept
		sock(TCP, "127.0.0.1:8081", StateListen),
		sock(TCP, "127.0.0.1:9090", StateCloseWait), // nothing listens: kept
		sock(TCP, "127.0.0.1:9090", StateTimeWait),  // kept
	}
	for _, s := range socks {
		if !f.wantsSocket(&s) {
			t.Fatalf("%+v: does not pass the filter", s)
		}
	}
	got := f.dropAnswered(slices.Clone(socks))
	want := slices.Delete(slices.Clone(socks), 1, 2)
	if !slices.EqualFunc(got, want, func(a, b Socket) bool { return a.Local == b.Local && a.State == b.State && a.Protocol == b.Protocol }) {
		t.Errorf("kept %v, want %v", got, want)
	}
	// A filter that wants connections by state keeps them.
	f.States = append(f.States, StateEstablished)
	if got := f.dropAnswered(slices.Clone(socks)); len(got) != len(socks) {
		t.Errorf("with ESTABLISHED wanted, kept %d of %d", len(got), len(socks))
	}
}
