// ports.go holds the ports one typo away from a target's: the candidates
// behind the nearby-port and byte-swapped-port findings.

package match

import (
	"slices"
	"strconv"
)

// ByteSwap returns p with its two bytes swapped: the port a program binds
// or dials when it forgets htons() or ntohs().
func ByteSwap(p uint16) uint16 { return p<<8 | p>>8 }

// portPairs are ports commonly mistaken for one another.
var portPairs = [][2]uint16{
	{80, 8080}, {80, 8000}, {80, 443}, {8080, 8443}, {443, 8443},
	{22, 2222}, {3306, 33060}, {5672, 15672}, {9200, 9300}, {6379, 16379},
}

// nearbyDistance is how far "off by a few" reaches.
const nearbyDistance = 3

// CandidatePorts returns p followed by every port one typo away from it,
// in ascending order: off by a few, two adjacent digits transposed, a
// digit doubled or dropped, a commonly confused pair (80/8080, 443/8443,
// ...), and p with its bytes swapped. It never returns 0 or a port twice.
func CandidatePorts(p uint16) []uint16 {
	var out []uint16
	add := func(n int) {
		if n > 0 && n <= 65535 && n != int(p) {
			out = append(out, uint16(n))
		}
	}
	for d := 1; d <= nearbyDistance; d++ {
		add(int(p) + d)
		add(int(p) - d)
	}
	digits := strconv.Itoa(int(p))
	edit := func(s string) {
		if n, err := strconv.Atoi(s); err == nil && s != "" {
			add(n)
		}
	}
	for i := range digits {
		edit(digits[:i] + digits[i+1:])                    // dropped
		edit(digits[:i+1] + digits[i:])                    // doubled
		if i+1 < len(digits) && digits[i] != digits[i+1] { // transposed
			edit(digits[:i] + string(digits[i+1]) + string(digits[i]) + digits[i+2:])
		}
	}
	for _, pair := range portPairs {
		switch p {
		case pair[0]:
			add(int(pair[1]))
		case pair[1]:
			add(int(pair[0]))
		}
	}
	add(int(ByteSwap(p)))
	slices.Sort(out)
	return append([]uint16{p}, slices.Compact(out)...)
}
