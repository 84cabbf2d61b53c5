// xtables_test.go holds the tests of the x_tables payload translations on
// fixed bytes, on every OS.

package inspect

import (
	"encoding/binary"
	"testing"
)

func TestXTRejectInfo(t *testing.T) {
	for _, c := range []struct {
		family int
		with   uint32
		want   RejectType
	}{
		{4, 3, RejectPortUnreachable}, {4, 6, RejectHostProhibited}, {4, 7, RejectTCPReset}, {4, 8, RejectAdminProhibited},
		{6, 4, RejectPortUnreachable}, {6, 1, RejectAdminProhibited}, {6, 6, RejectTCPReset}, {6, 0, RejectNoRoute},
	} {
		info := binary.NativeEndian.AppendUint32(nil, c.with)
		info = append(info, 0, 0, 0, 0)
		if got, ok := XTRejectInfo(c.family, info); !ok || got != c.want {
			t.Errorf("family %d with %d: %q %v, want %q", c.family, c.with, got, ok, c.want)
		}
	}
	if _, ok := XTRejectInfo(4, []byte{1}); ok {
		t.Error("a short info was read")
	}
	if _, ok := XTRejectType(4, 99); ok {
		t.Error("an unknown number was read")
	}
}

func TestXTMultiport(t *testing.T) {
	b := make([]byte, 48)
	b[0], b[1] = 0, 2 // source ports 22 and 2222, inverted
	binary.NativeEndian.PutUint16(b[2:], 22)
	binary.NativeEndian.PutUint16(b[4:], 2222)
	b[47] = 1
	m, ok := XTMultiport(1, b)
	if !ok || m.Fields[0] != FieldSPort || m.Op != OpNotInSet || len(m.Set.Elements) != 2 || binary.BigEndian.Uint16(m.Set.Elements[1].Key) != 2222 {
		t.Fatalf("got %+v %v", m, ok)
	}
	b[0] = 2 // either port: an "or" the model cannot hold
	if _, ok := XTMultiport(1, b); ok {
		t.Error("--ports was translated")
	}
	if _, ok := XTMultiport(1, b[:10]); ok {
		t.Error("a short info was translated")
	}
}

func TestXTStateMatches(t *testing.T) {
	ms, ok := XTStateMatches(CTStateNew, false)
	if !ok || len(ms) != 1 || ms[0].Fields[0] != FieldCTState || ms[0].Op != OpNeq {
		t.Errorf("NEW: %+v %v", ms, ok)
	}
	ms, ok = XTStateMatches(CTStateEstablished|xtStateDNAT, true)
	if !ok || len(ms) != 2 || ms[1].Fields[0] != FieldCTStatus || ms[1].Op != OpEq {
		t.Errorf("! ESTABLISHED,DNAT: %+v %v", ms, ok)
	}
	if _, ok := XTStateMatches(CTStateEstablished|xtStateDNAT, false); ok {
		t.Error("ESTABLISHED,DNAT was translated")
	}
	m, ok := XTAddrTypeMatch(FieldFibDAddrType, 1<<RTNLocal, true)
	if !ok || m.Op != OpNeq || binary.NativeEndian.Uint32(m.Value) != RTNLocal {
		t.Errorf("! --dst-type LOCAL: %+v %v", m, ok)
	}
	if _, ok := XTAddrTypeMatch(FieldFibDAddrType, 1<<RTNLocal|1<<RTNUnicast, false); ok {
		t.Error("two types were translated")
	}
}

func TestMatchText(t *testing.T) {
	for _, c := range []struct {
		m    Match
		l4   uint8
		want string
	}{
		{Match{Fields: []Field{FieldDAddr}, Family: 6, Op: OpEq, Value: []byte{0xfd, 0x18, 0, 0, 0, 0, 0, 0}}, 0, "ip6 daddr fd18::/64"},
		{Match{Fields: []Field{FieldOIfName}, Op: OpNeq, Value: []byte("lo\x00")}, 0, `oifname != "lo"`},
		{Match{Fields: []Field{FieldSPort}, Op: OpGte, Value: []byte{4, 0}}, 17, "udp sport >= 1024"},
		{Match{Fields: []Field{FieldCTState}, Op: OpEq, Value: hostU32(CTStateNew)}, 0, "ct state new"},
	} {
		if got := MatchText(c.m, c.l4); got != c.want {
			t.Errorf("%q, want %q", got, c.want)
		}
	}
}

// TestXTStateV0Mask: -m state's UNTRACKED (1<<6) is not -m conntrack's
// SNAT (also 1<<6): "-m state --state UNTRACKED" matches untracked
// packets, not SNAT'd ones.
func TestXTStateV0Mask(t *testing.T) {
	if got := XTStateV0Mask(CTStateNew | CTStateEstablished); got != CTStateNew|CTStateEstablished {
		t.Errorf("NEW,ESTABLISHED: %#x", got)
	}
	got := XTStateV0Mask(xtStateUntrackedV0)
	if got&xtStateSNAT != 0 || got&xtStateUntracked == 0 {
		t.Errorf("UNTRACKED: %#x, want xt_conntrack's untracked bit and no SNAT", got)
	}
	ms, ok := XTStateMatches(got, false)
	if !ok || len(ms) != 1 || ms[0].Fields[0] != FieldCTState {
		t.Errorf("UNTRACKED: matches %+v, %v: want one on ct state", ms, ok)
	}
}
