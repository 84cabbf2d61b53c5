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
