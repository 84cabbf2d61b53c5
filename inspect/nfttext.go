// nfttext.go holds how a Match of the packet filter model is printed, in
// the words of `nft list ruleset`: field names per family, addresses with
// their prefix, ports, interface names, ct state bits, sets.

package inspect

import (
	"encoding/binary"
	"fmt"
	"math/bits"
	"net/netip"
	"strconv"
	"strings"
)

// MatchText is m as nft prints it ("ip saddr 10.0.0.0/8", "tcp dport 80",
// "ct state established,related"). l4 is the layer 4 protocol of the rule
// so far (6 tcp, 17 udp, 0 unknown), which names a port's header.
func MatchText(m Match, l4 uint8) string {
	name := fieldsText(m, l4)
	switch m.Op {
	case OpInSet, OpNotInSet:
		s := name + " " + setTextFor(m.Set, m)
		if m.Op == OpNotInSet {
			s = name + " != " + setTextFor(m.Set, m)
		}
		return s
	case OpRange, OpNotRange:
		op := ""
		if m.Op == OpNotRange {
			op = "!= "
		}
		return fmt.Sprintf("%s %s%s-%s", name, op, valueText(m, m.From), valueText(m, m.To))
	}
	f := m.Fields[0]
	if f == FieldExtHdr {
		return "exthdr " + string(m.Value) + " exists"
	}
	if (f == FieldCTState || f == FieldCTStatus) && len(m.Mask) == 4 && isZero(m.Value) {
		// "ct state established,related" is mask != 0; "== 0" its negation.
		if m.Op == OpNeq {
			return name + " " + bitsText(f, binary.NativeEndian.Uint32(m.Mask))
		}
		return name + " != " + bitsText(f, binary.NativeEndian.Uint32(m.Mask))
	}
	if len(m.Mask) > 0 && f != FieldSAddr && f != FieldDAddr {
		return fmt.Sprintf("%s & 0x%x %s 0x%x", name, m.Mask, m.Op, m.Value)
	}
	op := ""
	if m.Op != OpEq {
		op = string(m.Op) + " "
	}
	return name + " " + op + valueText(m, m.Value)
}

// fieldsText names m's fields, joined with " . " for a concatenation.
func fieldsText(m Match, l4 uint8) string {
	names := make([]string, len(m.Fields))
	for i, f := range m.Fields {
		names[i] = fieldText(f, m.Family, l4)
		if f == FieldNumgen {
			names[i] = drawText(m.Draw)
		}
	}
	return strings.Join(names, " . ")
}

// fieldText names one field.
func fieldText(f Field, family int, l4 uint8) string {
	ip := "ip"
	if family == 6 {
		ip = "ip6"
	}
	th := "th"
	switch l4 {
	case 6:
		th = "tcp"
	case 17:
		th = "udp"
	}
	switch f {
	case FieldSAddr, FieldDAddr:
		return ip + " " + string(f)
	case FieldSPort, FieldDPort:
		return th + strings.TrimPrefix(string(f), "th")
	case FieldIIfName, FieldOIfName, FieldIIf, FieldOIf:
		return string(f)
	}
	return string(f)
}

// valueText prints a compared value in its field's terms.
func valueText(m Match, v []byte) string {
	switch m.Fields[0] {
	case FieldSAddr, FieldDAddr:
		full := 4
		if m.Family == 6 {
			full = 16
		}
		return prefixText(v, m.Mask, full)
	case FieldSPort, FieldDPort:
		if len(v) == 2 {
			return strconv.Itoa(int(binary.BigEndian.Uint16(v)))
		}
	case FieldL4Proto:
		if len(v) == 1 {
			return protoName(v[0])
		}
	case FieldNFProto:
		if len(v) == 1 {
			switch v[0] {
			case 2:
				return "ipv4"
			case 10:
				return "ipv6"
			}
		}
	case FieldIIfName, FieldOIfName:
		name := strings.TrimRight(string(v), "\x00")
		if len(v) < 16 && !strings.Contains(string(v), "\x00") {
			name += "*"
		}
		return quote(name)
	case FieldCTState, FieldCTStatus:
		if len(v) == 4 {
			return bitsText(m.Fields[0], binary.NativeEndian.Uint32(v))
		}
	case FieldFibDAddrType, FieldFibSAddrType:
		if len(v) == 4 {
			return rtnName(binary.NativeEndian.Uint32(v))
		}
	case FieldIIf, FieldOIf:
		if len(v) == 4 && binary.NativeEndian.Uint32(v) == 1 {
			return quote("lo") // index 1 is always lo
		}
		if len(v) == 4 {
			return strconv.Itoa(int(binary.NativeEndian.Uint32(v)))
		}
	case FieldNumgen:
		if len(v) == 4 {
			return strconv.FormatUint(uint64(binary.NativeEndian.Uint32(v)), 10)
		}
	case FieldMark, FieldFibSAddrOIF, FieldIIfType:
		switch len(v) {
		case 4:
			return fmt.Sprintf("0x%x", binary.NativeEndian.Uint32(v))
		case 2:
			return strconv.Itoa(int(binary.NativeEndian.Uint16(v)))
		}
	}
	return fmt.Sprintf("0x%x", v)
}

// prefixText prints an address or a prefix: v may be shorter than the
// address (nft loads only a prefix's whole bytes), mask narrows it.
func prefixText(v, mask []byte, full int) string {
	b := make([]byte, full)
	copy(b, v)
	ones := len(v) * 8
	if len(mask) > 0 {
		ones = 0
		for _, x := range mask {
			ones += bits.OnesCount8(x)
		}
		for i := range b {
			if i < len(mask) {
				b[i] &= mask[i]
			}
		}
	}
	s := addrText(b, full)
	if ones < full*8 {
		s += "/" + strconv.Itoa(ones)
	}
	return s
}

// addrText prints the n bytes of an address.
func addrText(b []byte, n int) string {
	if a, ok := netip.AddrFromSlice(b[:min(n, len(b))]); ok {
		return a.String()
	}
	return fmt.Sprintf("0x%x", b)
}

// protoName names a layer 4 protocol number.
func protoName(p uint8) string {
	switch p {
	case 1:
		return "icmp"
	case 6:
		return "tcp"
	case 17:
		return "udp"
	case 58:
		return "ipv6-icmp"
	case 132:
		return "sctp"
	}
	return strconv.Itoa(int(p))
}

// rtnName names a route type.
func rtnName(t uint32) string {
	names := []string{"unspec", "unicast", "local", "broadcast", "anycast", "multicast", "blackhole", "unreachable", "prohibit"}
	if int(t) < len(names) {
		return names[t]
	}
	return strconv.Itoa(int(t))
}

// bitsText names ct state or ct status bits, comma separated.
func bitsText(f Field, v uint32) string {
	names := map[uint32]string{CTStateInvalid: "invalid", CTStateEstablished: "established", CTStateRelated: "related", CTStateNew: "new", CTStateUntracked: "untracked"}
	if f == FieldCTStatus {
		names = map[uint32]string{ctStatusSrcNAT: "snat", ctStatusDstNAT: "dnat"}
	}
	var out []string
	for b := uint32(1); b != 0; b <<= 1 {
		if v&b == 0 {
			continue
		}
		if n, ok := names[b]; ok {
			out = append(out, n)
		} else {
			out = append(out, fmt.Sprintf("0x%x", b))
		}
	}
	if len(out) == 0 {
		return "0x0"
	}
	return strings.Join(out, ",")
}

// setTextFor prints a lookup's set: @name, or an anonymous set's
// elements.
func setTextFor(s *Set, key Match) string {
	if s == nil {
		return "@?"
	}
	if s.Name != "" && !strings.HasPrefix(s.Name, "__") {
		return "@" + s.Name
	}
	var els []string
	one := Match{Fields: key.Fields[:1], Family: key.Family}
	for i, e := range s.Elements {
		if i == 16 {
			els = append(els, "...")
			break
		}
		var el string
		if len(key.Fields) == 1 {
			el = valueText(one, e.Key)
			if e.KeyEnd != nil && string(e.KeyEnd) != string(e.Key) {
				el += "-" + valueText(one, e.KeyEnd)
			}
		} else {
			el = fmt.Sprintf("0x%x", e.Key)
		}
		if e.Verdict != nil {
			el += " : " + verdictText(*e.Verdict)
		}
		els = append(els, el)
	}
	return "{ " + strings.Join(els, ", ") + " }"
}

// verdictText prints a verdict.
func verdictText(v Verdict) string {
	switch v.Kind {
	case VerdictJump, VerdictGoto:
		return string(v.Kind) + " " + v.Chain
	case VerdictReject:
		return "reject with " + string(v.Reject)
	}
	return string(v.Kind)
}

// quote quotes a string as nft does.
func quote(s string) string { return strconv.Quote(s) }

// isZero reports whether every byte of b is 0.
func isZero(b []byte) bool {
	for _, x := range b {
		if x != 0 {
			return false
		}
	}
	return true
}
