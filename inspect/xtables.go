// xtables.go holds the translation of x_tables match and target payloads
// into the packet filter model, shared by the nf_tables reader (iptables-nft
// writes some of them as xt expressions) and the legacy x_tables reader:
// REJECT's --reject-with, conntrack and state bits, addrtype, multiport.

package inspect

import (
	"encoding/binary"
	"fmt"
)

// XTRejectType is the RejectType of an x_tables REJECT target's
// --reject-with number (enum ipt_reject_with for family 4, enum
// ip6t_reject_with for family 6). ok is false for a number it does not
// know.
func XTRejectType(family int, with uint32) (t RejectType, ok bool) {
	var names map[uint32]RejectType
	if family == 6 {
		names = map[uint32]RejectType{
			0: RejectNoRoute, 1: RejectAdminProhibited, 3: RejectAddrUnreachable,
			4: RejectPortUnreachable, 6: RejectTCPReset,
		}
	} else {
		names = map[uint32]RejectType{
			0: RejectNetUnreachable, 1: RejectHostUnreachable, 2: RejectProtoUnreachable,
			3: RejectPortUnreachable, 5: RejectNetProhibited, 6: RejectHostProhibited,
			7: RejectTCPReset, 8: RejectAdminProhibited,
		}
	}
	t, ok = names[with]
	return t, ok
}

// XTRejectInfo reads a REJECT target's raw info (a host-order uint32,
// padded to 8 bytes) into a RejectType.
func XTRejectInfo(family int, info []byte) (RejectType, bool) {
	if len(info) < 4 {
		return "", false
	}
	return XTRejectType(family, binary.NativeEndian.Uint32(info))
}

// The x_tables conntrack state bits beyond nf_tables' own (which share
// the values 1, 2, 4, 8): xt_conntrack.h's SNAT, DNAT and UNTRACKED.
const (
	xtStateSNAT      = 1 << 6
	xtStateDNAT      = 1 << 7
	xtStateUntracked = 1 << 8
)

// The ct status bits that the x_tables SNAT and DNAT states stand for
// (IPS_SRC_NAT, IPS_DST_NAT).
const (
	ctStatusSrcNAT uint32 = 0x10
	ctStatusDstNAT uint32 = 0x20
)

// XTStateMatches translates an x_tables state mask (-m state --state,
// -m conntrack --ctstate), inverted or not, into Matches on ct state and
// ct status. ok is false when the model cannot say it: a mask that mixes
// the SNAT/DNAT states with the others and is not inverted (an "or"
// across two fields).
func XTStateMatches(mask uint32, invert bool) (ms []Match, ok bool) {
	state := mask & 0x0f
	if mask&xtStateUntracked != 0 {
		state |= CTStateUntracked
	}
	var status uint32
	if mask&xtStateSNAT != 0 {
		status |= ctStatusSrcNAT
	}
	if mask&xtStateDNAT != 0 {
		status |= ctStatusDstNAT
	}
	zero := make([]byte, 4)
	bits := func(f Field, b uint32, op Op) Match {
		return Match{Fields: []Field{f}, Mask: hostU32(b), Op: op, Value: zero}
	}
	switch {
	case status == 0:
		op := OpNeq
		if invert {
			op = OpEq
		}
		return []Match{bits(FieldCTState, state, op)}, true
	case invert:
		if state != 0 {
			ms = append(ms, bits(FieldCTState, state, OpEq))
		}
		return append(ms, bits(FieldCTStatus, status, OpEq)), true
	case state == 0:
		return []Match{bits(FieldCTStatus, status, OpNeq)}, true
	}
	return nil, false
}

// hostU32 is v in host byte order, as ct state and meta mark compare.
func hostU32(v uint32) []byte {
	return binary.NativeEndian.AppendUint32(nil, v)
}

// XTAddrTypeMatch translates one side of an addrtype match: types is the
// bit mask of --src-type or --dst-type. ok is false unless it is exactly
// one route type (the bits are 1 << RTN_*), which the model compares as a number.
func XTAddrTypeMatch(f Field, types uint16, invert bool) (Match, bool) {
	for rtn := uint32(0); rtn < 16; rtn++ {
		if uint32(types) == 1<<rtn {
			op := OpEq
			if invert {
				op = OpNeq
			}
			return Match{Fields: []Field{f}, Op: op, Value: hostU32(rtn)}, true
		}
	}
	return Match{}, false
}

// XTMultiport translates a multiport match's info (struct
// xt_multiport for rev 0, xt_multiport_v1 for rev 1; ports in host order)
// into a Match on a set of ports. ok is false for a layout it does not
// know or a match on either port (an "or" across two fields).
func XTMultiport(rev uint32, info []byte) (Match, bool) {
	const maxPorts = 15
	if len(info) < 2+2*maxPorts {
		return Match{}, false
	}
	flags, count := info[0], int(info[1])
	if count > maxPorts {
		return Match{}, false
	}
	port := func(i int) []byte {
		return binary.BigEndian.AppendUint16(nil, binary.NativeEndian.Uint16(info[2+2*i:]))
	}
	var f Field
	switch flags {
	case 0:
		f = FieldSPort
	case 1:
		f = FieldDPort
	default:
		return Match{}, false
	}
	set := &Set{Name: "", Interval: rev == 1}
	invert := false
	if rev == 1 {
		if len(info) < 2+2*maxPorts+maxPorts+1 {
			return Match{}, false
		}
		pflags := info[2+2*maxPorts : 2+3*maxPorts]
		invert = info[2+3*maxPorts] != 0
		for i := 0; i < count; i++ {
			el := SetElement{Key: port(i), KeyEnd: port(i)}
			if pflags[i] != 0 && i+1 < count {
				el.KeyEnd = port(i + 1)
				i++
			}
			set.Elements = append(set.Elements, el)
		}
	} else {
		if rev != 0 {
			return Match{}, false
		}
		for i := 0; i < count; i++ {
			set.Elements = append(set.Elements, SetElement{Key: port(i)})
		}
	}
	op := OpInSet
	if invert {
		op = OpNotInSet
	}
	return Match{Fields: []Field{f}, Op: op, Set: set}, true
}

// xtName names an x_tables extension for Rule.Unknown.
func xtName(kind, name string, rev uint32) string {
	return fmt.Sprintf("xt %s %s rev %d", kind, name, rev)
}
