// natmap.go holds what NAT through a map needs beyond the rule's
// translation: reading the new address and port out of a map element's
// data, printing such a mapping as nft does, and the words of a numgen or
// statistic draw. No syscalls: tested on fixed bytes on every OS.

package inspect

import (
	"encoding/binary"
	"fmt"
	"strings"
)

// NATMapTarget is what element e of n.Map gives a connection of address
// family fam (4 or 6): the new address (nil when the map gives none) and
// the new port (0 when it gives none). ok is false when e's data is too
// short for what n reads from it: the element cannot be decoded.
func NATMapTarget(n *NAT, e SetElement, fam int) (addr []byte, port uint16, ok bool) {
	alen := 4
	if fam == 6 {
		alen = 16
	}
	if n.AddrIn >= 0 {
		if n.AddrIn+alen > len(e.Data) {
			return nil, 0, false
		}
		addr = e.Data[n.AddrIn : n.AddrIn+alen]
	}
	if n.PortIn >= 0 {
		if n.PortIn+2 > len(e.Data) {
			return nil, 0, false
		}
		port = binary.BigEndian.Uint16(e.Data[n.PortIn:])
	}
	return addr, port, true
}

// natMapText prints a NAT through a map as nft does: "tcp dport map {
// 8080 : 198.18.0.2 . 80 }", "ip daddr . tcp dport map @m".
func natMapText(n *NAT, fam int, l4 uint8) string {
	key := "?"
	if n.MapKey != nil {
		key = fieldsText(*n.MapKey, l4)
	}
	if n.Map.Name != "" && !strings.HasPrefix(n.Map.Name, "__") {
		return key + " map @" + n.Map.Name
	}
	var els []string
	for i, e := range n.Map.Elements {
		if i == 16 {
			els = append(els, "...")
			break
		}
		k := fmt.Sprintf("0x%x", e.Key)
		if n.MapKey != nil && len(n.MapKey.Fields) == 1 {
			k = valueText(*n.MapKey, e.Key)
		}
		addr, port, ok := NATMapTarget(n, e, fam)
		var v []string
		switch {
		case !ok:
			v = []string{fmt.Sprintf("0x%x", e.Data)}
		default:
			if addr != nil {
				v = append(v, addrText(addr, len(addr)))
			}
			if n.PortIn >= 0 {
				v = append(v, fmt.Sprint(port))
			}
		}
		els = append(els, k+" : "+strings.Join(v, " . "))
	}
	return key + " map { " + strings.Join(els, ", ") + " }"
}

// drawText names a draw as nft prints it: "numgen random mod 2",
// "numgen inc mod 3 offset 1".
func drawText(d *Draw) string {
	if d == nil {
		return "numgen"
	}
	kind := "inc"
	if d.Random {
		kind = "random"
	}
	s := fmt.Sprintf("numgen %s mod %d", kind, d.Mod)
	if d.Offset != 0 {
		s += fmt.Sprintf(" offset %d", d.Offset)
	}
	return s
}

// xtStatistic modes (XT_STATISTIC_MODE_*) and the invert flag.
const (
	xtStatisticRandom = 0
	xtStatisticNth    = 1
	xtStatisticInvert = 1
)

// XTStatistic translates -m statistic's struct xt_statistic_info (host
// order: u16 mode, u16 flags, then u32 probability for --mode random, or
// u32 every, packet, count for --mode nth) into a Match on a draw, with
// the words iptables-save prints (" -m statistic --mode random
// --probability 0.50000000000"). ok is false for a mode it does not know.
func XTStatistic(info []byte) (m Match, text string, ok bool) {
	ne := binary.NativeEndian
	if len(info) < 8 {
		return Match{}, "", false
	}
	mode, flags := ne.Uint16(info), ne.Uint16(info[2:])
	inv := flags&xtStatisticInvert != 0
	bang := ""
	if inv {
		bang = " !"
	}
	switch mode {
	case xtStatisticRandom:
		p := ne.Uint32(info[4:])
		// The kernel: matches when (random & 0x7fffffff) < probability.
		m = Match{Fields: []Field{FieldNumgen}, Draw: &Draw{Mod: 1 << 31, Random: true}, Op: OpLt, Value: hostU32(p)}
		if inv {
			m.Op = OpGte
		}
		return m, fmt.Sprintf(" -m statistic --mode random%s --probability %.11f", bang, float64(p)/(1<<31)), true
	case xtStatisticNth:
		if len(info) < 16 {
			return Match{}, "", false
		}
		every, packet := ne.Uint32(info[4:])+1, ne.Uint32(info[8:]) // iptables stores every-1
		m = Match{Fields: []Field{FieldNumgen}, Draw: &Draw{Mod: every}, Op: OpEq, Value: hostU32(packet)}
		if inv {
			m.Op = OpNeq
		}
		return m, fmt.Sprintf(" -m statistic --mode nth%s --every %d --packet %d", bang, every, packet), true
	}
	return Match{}, "", false
}
