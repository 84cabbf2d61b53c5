// natmap_test.go holds the tests of NAT map data, their text and the
// statistic match, on fixed bytes, on every OS.

package inspect

import (
	"encoding/binary"
	"strings"
	"testing"
)

func TestNATMapTarget(t *testing.T) {
	e := SetElement{Key: []byte{0x1f, 0x90}, Data: []byte{198, 18, 0, 2, 0, 80, 0, 0}}
	both := &NAT{Map: &Set{}, AddrIn: 0, PortIn: 4}
	if a, p, ok := NATMapTarget(both, e, 4); !ok || string(a) != "\xc6\x12\x00\x02" || p != 80 {
		t.Errorf("address and port: %v %d %v", a, p, ok)
	}
	portOnly := &NAT{Map: &Set{}, AddrIn: -1, PortIn: 0}
	if a, p, ok := NATMapTarget(portOnly, SetElement{Data: []byte{0x23, 0x82, 0, 0}}, 4); !ok || a != nil || p != 9090 {
		t.Errorf("port only: %v %d %v", a, p, ok)
	}
	// An IPv6 address with a port after its 16 bytes.
	v6 := &NAT{Map: &Set{}, AddrIn: 0, PortIn: 16}
	d := append([]byte{0xfd, 0x18, 15: 2}, 0, 80, 0, 0)
	if a, p, ok := NATMapTarget(v6, SetElement{Data: d}, 6); !ok || len(a) != 16 || a[15] != 2 || p != 80 {
		t.Errorf("ipv6: %v %d %v", a, p, ok)
	}
	// Data too short for what the rule reads: not decoded.
	for _, bad := range [][]byte{nil, {198, 18}, {198, 18, 0, 2, 0}} {
		if _, _, ok := NATMapTarget(both, SetElement{Data: bad}, 4); ok {
			t.Errorf("data %v decoded", bad)
		}
	}
	if _, _, ok := NATMapTarget(both, e, 6); ok {
		t.Error("an IPv4 element decoded as IPv6")
	}
}

func TestNATMapText(t *testing.T) {
	key := Match{Fields: []Field{FieldDPort}}
	n := &NAT{Map: &Set{Name: "__map0", Elements: []SetElement{
		{Key: []byte{0x1f, 0x90}, Data: []byte{198, 18, 0, 2, 0, 80, 0, 0}},
		{Key: []byte{0x1f, 0x91}, Data: []byte{198}}}}, MapKey: &key, AddrIn: 0, PortIn: 4}
	if s := natMapText(n, 4, 6); s != "tcp dport map { 8080 : 198.18.0.2 . 80, 8081 : 0xc6 }" {
		t.Errorf("anonymous: %q", s)
	}
	n.Map.Name = "web"
	if s := natMapText(n, 4, 17); s != "udp dport map @web" {
		t.Errorf("named: %q", s)
	}
	if s := drawText(&Draw{Mod: 3, Offset: 1}); s != "numgen inc mod 3 offset 1" {
		t.Errorf("draw: %q", s)
	}
	m := Match{Fields: []Field{FieldNumgen}, Draw: &Draw{Mod: 2, Random: true}, Op: OpEq, Value: hostU32(1)}
	if s := MatchText(m, 0); s != "numgen random mod 2 1" {
		t.Errorf("numgen match: %q", s)
	}
}

func TestXTStatistic(t *testing.T) {
	ne := binary.NativeEndian
	// --mode random --probability 0.25, inverted.
	info := ne.AppendUint16(ne.AppendUint16(nil, xtStatisticRandom), xtStatisticInvert)
	info = append(ne.AppendUint32(info, 1<<29), make([]byte, 16)...)
	m, text, ok := XTStatistic(info)
	if !ok || m.Op != OpGte || ne.Uint32(m.Value) != 1<<29 || m.Draw.Mod != 1<<31 || !m.Draw.Random {
		t.Fatalf("random: %+v %v", m, ok)
	}
	if text != " -m statistic --mode random ! --probability 0.25000000000" {
		t.Errorf("text %q", text)
	}
	// --mode nth --every 3 --packet 1: iptables stores every-1.
	info = ne.AppendUint16(ne.AppendUint16(nil, xtStatisticNth), 0)
	info = ne.AppendUint32(ne.AppendUint32(ne.AppendUint32(info, 2), 1), 0)
	m, text, ok = XTStatistic(append(info, make([]byte, 8)...))
	if !ok || m.Op != OpEq || ne.Uint32(m.Value) != 1 || m.Draw.Mod != 3 || m.Draw.Random {
		t.Fatalf("nth: %+v %v", m, ok)
	}
	if text != " -m statistic --mode nth --every 3 --packet 1" {
		t.Errorf("text %q", text)
	}
	for _, bad := range [][]byte{nil, {1, 2, 3}, ne.AppendUint32(ne.AppendUint16(ne.AppendUint16(nil, 7), 0), 0)} {
		if _, _, ok := XTStatistic(bad); ok {
			t.Errorf("%v translated", bad)
		}
	}
}

func TestXTLegacyStatistic(t *testing.T) {
	ne := binary.NativeEndian
	info := append(ne.AppendUint32(make([]byte, 4), 1<<30), make([]byte, 16)...)
	var r Rule
	var text strings.Builder
	if err := xtStatisticMatch(xtFamily{}, 0, info, &r, &text); err != nil || len(r.Matches) != 1 || r.Matches[0].Fields[0] != FieldNumgen {
		t.Fatalf("%v %+v", err, r)
	}
	if text.String() != " -m statistic --mode random --probability 0.50000000000" {
		t.Errorf("text %q", text.String())
	}
}
