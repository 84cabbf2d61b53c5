// ports_test.go holds the tests of CandidatePorts.

package match

import (
	"slices"
	"testing"
)

func TestCandidatePorts(t *testing.T) {
	cases := []struct {
		p          uint16
		has, lacks []uint16
	}{
		{5432, []uint16{5433, 5431, 5435, 5429, 4532, 5342, 5423, 55432, 432, 542, 543, 0x3815}, []uint16{5436, 5428, 5412}},
		{80, []uint16{8080, 8000, 443, 81, 79, 77, 83, 880, 800, 8, 0x5000}, []uint16{90, 8443}},
		{443, []uint16{8443, 80, 434, 4443, 4433, 43, 44, 0xBB01}, []uint16{8080}},
		{8080, []uint16{80, 8443, 8081, 8079, 880, 808, 8800, 8008, 0x901F}, []uint16{8090}},
		{22, []uint16{2222, 222, 2, 21, 23, 0x1600}, nil},
		{1, []uint16{2, 3, 4, 11, 0x100}, []uint16{0}},
		{65535, []uint16{65532, 65534, 56535, 6555, 6535}, []uint16{0}},
		{0x0101, []uint16{0x0102}, nil}, // byte-swapped is itself: not repeated
	}
	for _, c := range cases {
		got := CandidatePorts(c.p)
		if got[0] != c.p {
			t.Errorf("CandidatePorts(%d)[0] = %d, want the port itself first", c.p, got[0])
		}
		rest := got[1:]
		if !slices.IsSorted(rest) || len(slices.Compact(slices.Clone(rest))) != len(rest) {
			t.Errorf("CandidatePorts(%d) = %v: not sorted or repeated", c.p, got)
		}
		if slices.Contains(rest, c.p) || slices.Contains(rest, 0) {
			t.Errorf("CandidatePorts(%d) = %v: holds the port again or 0", c.p, got)
		}
		for _, h := range c.has {
			if h != 0 && !slices.Contains(rest, h) {
				t.Errorf("CandidatePorts(%d) lacks %d: %v", c.p, h, got)
			}
		}
		for _, l := range c.lacks {
			if slices.Contains(rest, l) {
				t.Errorf("CandidatePorts(%d) holds %d: %v", c.p, l, got)
			}
		}
	}
	if ByteSwap(8080) != 36895 || ByteSwap(ByteSwap(5432)) != 5432 {
		t.Errorf("ByteSwap(8080) = %d", ByteSwap(8080))
	}
}
