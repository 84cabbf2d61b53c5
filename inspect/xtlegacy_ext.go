// xtlegacy_ext.go holds the decoders of legacy x_tables extensions: the
// matches (tcp, udp, multiport, conntrack, state, addrtype, comment, icmp,
// mark) and targets (standard, REJECT, DNAT, REDIRECT, SNAT, MASQUERADE,
// LOG) that the reader translates into the model, each a row in a table
// keyed by the extension's name. Any other extension becomes an Unknown
// entry of its rule.

package inspect

import (
	"encoding/binary"
	"fmt"
	"net/netip"
	"strings"
)

// xtMatchDecoder translates one match's data into r, and writes what
// iptables-save prints for it (" -m tcp --dport 22") to text.
type xtMatchDecoder func(xf xtFamily, rev uint8, data []byte, r *Rule, text *strings.Builder) error

// xtMatchDecoders are the matches the reader understands, by name.
var xtMatchDecoders = map[string]xtMatchDecoder{
	"tcp":       xtTCP,
	"udp":       xtUDP,
	"multiport": xtMultiport,
	"conntrack": xtConntrack,
	"state":     xtState,
	"addrtype":  xtAddrtype,
	"comment":   xtComment,
	"icmp":      xtICMP,
	"icmp6":     xtICMP,
	"mark":      xtMark,
}

// xtMatches translates an entry's matches.
func xtMatches(xf xtFamily, b []byte, r *Rule, text *strings.Builder) {
	ne := binary.NativeEndian
	for off := 0; off < len(b); {
		size := 0
		if len(b)-off >= xtEntryHdrLen {
			size = int(ne.Uint16(b[off:]))
		}
		if size < xtEntryHdrLen || off+size > len(b) {
			r.Unknown = append(r.Unknown, fmt.Sprintf("xt match of %d bytes at %d", size, off))
			return
		}
		m := b[off : off+size]
		name, rev := cString(m[2:2+xtExtensionMaxName]), m[2+xtExtensionMaxName]
		dec, ok := xtMatchDecoders[name]
		var err error
		if ok {
			var t strings.Builder
			if err = dec(xf, rev, m[xtEntryHdrLen:], r, &t); err == nil {
				text.WriteString(t.String())
			}
		}
		if !ok || err != nil {
			text.WriteString(" -m " + name)
			r.Unknown = append(r.Unknown, xtUnknown("match", name, rev, err))
		}
		off += size
	}
}

// xtUnknown names an extension the reader could not translate.
func xtUnknown(kind, name string, rev uint8, err error) string {
	s := fmt.Sprintf("xt %s %s rev %d", kind, name, rev)
	if err != nil {
		s += ": " + err.Error()
	}
	return s
}

// xtPorts translates a port range [lo, hi] of a tcp or udp match, as
// iptables-save prints it (" --dport 22", " ! --sport 1024:65535").
func xtPorts(opt string, f Field, lo, hi uint16, neg bool, r *Rule, text *strings.Builder) {
	if lo == 0 && hi == 0xffff {
		if neg { // matches no packet; iptables-save prints nothing
			r.Matches = append(r.Matches, Match{Fields: []Field{f}, Op: OpNotRange, From: be16(lo), To: be16(hi)})
		}
		return
	}
	m := Match{Fields: []Field{f}}
	if lo == hi {
		m.Op, m.Value = eqOp(neg), be16(lo)
		text.WriteString(fmt.Sprintf("%s %s %d", bang(neg), opt, lo))
	} else {
		m.Op, m.From, m.To = OpRange, be16(lo), be16(hi)
		if neg {
			m.Op = OpNotRange
		}
		text.WriteString(fmt.Sprintf("%s %s %d:%d", bang(neg), opt, lo, hi))
	}
	r.Matches = append(r.Matches, m)
}

// xtTCPFlagNames are the tcp flags in the order iptables prints them.
var xtTCPFlagNames = []struct {
	name string
	bit  uint8
}{{"FIN", 0x01}, {"SYN", 0x02}, {"RST", 0x04}, {"PSH", 0x08}, {"ACK", 0x10}, {"URG", 0x20}}

func xtTCPFlagsText(f uint8) string {
	if f == 0 {
		return "NONE"
	}
	var names []string
	for _, n := range xtTCPFlagNames {
		if f&n.bit != 0 {
			names = append(names, n.name)
		}
	}
	return strings.Join(names, ",")
}

// xtTCP is struct xt_tcp: spts[2], dpts[2], option, flg_mask, flg_cmp,
// invflags.
func xtTCP(_ xtFamily, _ uint8, d []byte, r *Rule, text *strings.Builder) error {
	if len(d) < 12 {
		return errXTShort
	}
	ne := binary.NativeEndian
	option, mask, cmp, inv := d[8], d[9], d[10], d[11]
	text.WriteString(" -m tcp")
	xtPorts("--sport", FieldSPort, ne.Uint16(d[0:]), ne.Uint16(d[2:]), inv&0x01 != 0, r, text)
	xtPorts("--dport", FieldDPort, ne.Uint16(d[4:]), ne.Uint16(d[6:]), inv&0x02 != 0, r, text)
	if option != 0 || inv&0x08 != 0 {
		text.WriteString(fmt.Sprintf("%s --tcp-option %d", bang(inv&0x08 != 0), option))
		r.Unknown = append(r.Unknown, "tcp --tcp-option")
	}
	if mask != 0 || inv&0x04 != 0 {
		neg := inv&0x04 != 0
		text.WriteString(bang(neg) + " --tcp-flags " + xtTCPFlagsText(mask) + " " + xtTCPFlagsText(cmp))
		r.Matches = append(r.Matches, Match{Fields: []Field{FieldTCPFlags}, Op: eqOp(neg), Mask: []byte{mask}, Value: []byte{cmp}})
	}
	return nil
}

// xtUDP is struct xt_udp: spts[2], dpts[2], invflags.
func xtUDP(_ xtFamily, _ uint8, d []byte, r *Rule, text *strings.Builder) error {
	if len(d) < 9 {
		return errXTShort
	}
	ne := binary.NativeEndian
	inv := d[8]
	text.WriteString(" -m udp")
	xtPorts("--sport", FieldSPort, ne.Uint16(d[0:]), ne.Uint16(d[2:]), inv&0x01 != 0, r, text)
	xtPorts("--dport", FieldDPort, ne.Uint16(d[4:]), ne.Uint16(d[6:]), inv&0x02 != 0, r, text)
	return nil
}

// xtMultiport is struct xt_multiport (rev 0: flags, count, ports[15]) and
// xt_multiport_v1 (rev 1: also pflags[15], where a set flag makes ports[i]
// and ports[i+1] a range, and invert).
func xtMultiport(_ xtFamily, rev uint8, d []byte, r *Rule, text *strings.Builder) error {
	const maxPorts = 15
	if rev > 1 {
		return fmt.Errorf("unsupported revision")
	}
	if len(d) < 2+2*maxPorts || rev == 1 && len(d) < 2+3*maxPorts+1 {
		return errXTShort
	}
	ne := binary.NativeEndian
	flags, count := d[0], int(d[1])
	if count > maxPorts {
		return fmt.Errorf("%d ports", count)
	}
	var pflags []byte
	neg := false
	if rev == 1 {
		pflags, neg = d[2+2*maxPorts:2+3*maxPorts], d[2+3*maxPorts] != 0
	}
	var opt string
	var f Field
	switch flags {
	case 0:
		opt, f = "--sports", FieldSPort
	case 1:
		opt, f = "--dports", FieldDPort
	case 2:
		opt = "--ports"
	default:
		return fmt.Errorf("flags %d", flags)
	}
	set := &Set{}
	var list []string
	for i := 0; i < count; i++ {
		p := ne.Uint16(d[2+2*i:])
		el := SetElement{Key: be16(p)}
		item := fmt.Sprint(p)
		if pflags != nil && pflags[i] != 0 && i+1 < count {
			i++
			q := ne.Uint16(d[2+2*i:])
			el.KeyEnd = be16(q)
			item += fmt.Sprintf(":%d", q)
			set.Interval = true
		}
		set.Elements = append(set.Elements, el)
		list = append(list, item)
	}
	if set.Interval {
		for i := range set.Elements {
			if set.Elements[i].KeyEnd == nil {
				set.Elements[i].KeyEnd = set.Elements[i].Key
			}
		}
	}
	text.WriteString(" -m multiport" + bang(neg) + " " + opt + " " + strings.Join(list, ","))
	if f == "" {
		// Either port: no single field holds it.
		r.Unknown = append(r.Unknown, "multiport --ports (source or destination)")
		return nil
	}
	op := OpInSet
	if neg {
		op = OpNotInSet
	}
	r.Matches = append(r.Matches, Match{Fields: []Field{f}, Op: op, Set: set})
	return nil
}

// Conntrack state bits as xt_conntrack and xt_state hold them; INVALID,
// ESTABLISHED, RELATED and NEW are the model's CTState* bits.
const (
	xtCTStateSNAT      = 1 << 6 // XT_CONNTRACK_STATE_SNAT
	xtCTStateDNAT      = 1 << 7
	xtCTStateUntracked = 1 << 8 // XT_CONNTRACK_STATE_UNTRACKED
	xtStateUntracked   = 1 << 6 // XT_STATE_UNTRACKED
)

// xtStateText prints a state mask as iptables does; untracked is the bit
// that stands for UNTRACKED in it, and nat whether SNAT and DNAT bits
// exist (xt_conntrack has them, xt_state not).
func xtStateText(mask, untracked uint32, nat bool) string {
	type bitName struct {
		bit  uint32
		name string
	}
	bits := []bitName{
		{CTStateInvalid, "INVALID"}, {CTStateNew, "NEW"}, {CTStateRelated, "RELATED"},
		{CTStateEstablished, "ESTABLISHED"}, {untracked, "UNTRACKED"},
	}
	if nat {
		bits = append(bits, bitName{xtCTStateSNAT, "SNAT"}, bitName{xtCTStateDNAT, "DNAT"})
	}
	var names []string
	for _, s := range bits {
		if mask&s.bit != 0 {
			names = append(names, s.name)
		}
	}
	return strings.Join(names, ",")
}

// xtCTStateMatch is "ct state & mask != 0" (inverted: "== 0").
func xtCTStateMatch(mask uint32, neg bool) Match {
	m := make([]byte, 4)
	binary.NativeEndian.PutUint32(m, mask)
	op := OpNeq
	if neg {
		op = OpEq
	}
	return Match{Fields: []Field{FieldCTState}, Mask: m, Op: op, Value: make([]byte, 4)}
}

// xtConntrack is struct xt_conntrack_mtinfo1, 2 and 3. Only its state
// part is translated; any other part (--ctproto, --ctorigsrc, --ctstatus,
// ...) makes the rule Unknown.
func xtConntrack(_ xtFamily, rev uint8, d []byte, r *Rule, text *strings.Builder) error {
	// Eight nf_inet_addr (128 bytes), expires_min and _max, l4proto, four
	// ports, then match_flags and invert_flags at 146 and 148, state_mask
	// at 150 (u8 in rev 1, u16 after).
	if rev < 1 || rev > 3 || len(d) < 152 {
		return fmt.Errorf("unsupported revision or %w", errXTShort)
	}
	ne := binary.NativeEndian
	flags, invert := ne.Uint16(d[146:]), ne.Uint16(d[148:])
	var state uint32
	if rev == 1 {
		state = uint32(d[150])
	} else {
		state = uint32(ne.Uint16(d[150:]))
	}
	const (
		ctState      = 1 << 0
		ctStateAlias = 1 << 13
	)
	name, opt := "conntrack", "--ctstate"
	if flags&ctStateAlias != 0 {
		name, opt = "state", "--state"
	}
	text.WriteString(" -m " + name)
	if flags&ctState != 0 {
		neg := invert&ctState != 0
		text.WriteString(bang(neg) + " " + opt + " " + xtStateText(state, xtCTStateUntracked, true))
		mask := state & 0x0f
		if state&xtCTStateUntracked != 0 {
			mask |= CTStateUntracked
		}
		if state&(xtCTStateSNAT|xtCTStateDNAT) != 0 {
			r.Unknown = append(r.Unknown, "conntrack --ctstate SNAT/DNAT")
		}
		r.Matches = append(r.Matches, xtCTStateMatch(mask, neg))
	}
	if rest := flags &^ (ctState | ctStateAlias); rest != 0 {
		text.WriteString(" ...")
		r.Unknown = append(r.Unknown, fmt.Sprintf("conntrack options 0x%x", rest))
	}
	return nil
}

// xtState is struct xt_state_info: a u32 state mask.
func xtState(_ xtFamily, _ uint8, d []byte, r *Rule, text *strings.Builder) error {
	if len(d) < 4 {
		return errXTShort
	}
	mask := binary.NativeEndian.Uint32(d)
	text.WriteString(" -m state --state " + xtStateText(mask, xtStateUntracked, false))
	r.Matches = append(r.Matches, xtCTStateMatch(mask&(0x0f|CTStateUntracked), false))
	return nil
}

// xtAddrTypeNames are the RTN_* route types, by number, as addrtype names
// them.
var xtAddrTypeNames = []string{"UNSPEC", "UNICAST", "LOCAL", "BROADCAST", "ANYCAST", "MULTICAST",
	"BLACKHOLE", "UNREACHABLE", "PROHIBIT", "THROW", "NAT", "XRESOLVE"}

// xtAddrtype is struct xt_addrtype_info (rev 0: source, dest u16, then
// invert_source, invert_dest u32) and xt_addrtype_info_v1 (rev 1: source,
// dest u16, flags u32). Each type mask has bit RTN_x for type x.
func xtAddrtype(_ xtFamily, rev uint8, d []byte, r *Rule, text *strings.Builder) error {
	if len(d) < 8 || rev == 0 && len(d) < 12 || rev > 1 {
		return errXTShort
	}
	ne := binary.NativeEndian
	src, dst := ne.Uint16(d[0:]), ne.Uint16(d[2:])
	var invSrc, invDst bool
	var flags uint32
	if rev == 0 {
		invSrc, invDst = ne.Uint32(d[4:]) != 0, ne.Uint32(d[8:]) != 0
	} else {
		flags = ne.Uint32(d[4:])
		invSrc, invDst = flags&0x1 != 0, flags&0x2 != 0
	}
	text.WriteString(" -m addrtype")
	for _, p := range []struct {
		opt   string
		f     Field
		types uint16
		neg   bool
	}{{"--src-type", FieldFibSAddrType, src, invSrc}, {"--dst-type", FieldFibDAddrType, dst, invDst}} {
		if p.types == 0 {
			continue
		}
		var names []string
		set := &Set{}
		for t, n := range xtAddrTypeNames {
			if p.types&(1<<t) != 0 {
				names = append(names, n)
				k := make([]byte, 4)
				binary.NativeEndian.PutUint32(k, uint32(t))
				set.Elements = append(set.Elements, SetElement{Key: k})
			}
		}
		text.WriteString(bang(p.neg) + " " + p.opt + " " + strings.Join(names, ","))
		m := Match{Fields: []Field{p.f}}
		switch {
		case len(set.Elements) == 1:
			m.Op, m.Value = eqOp(p.neg), set.Elements[0].Key
		case p.neg:
			m.Op, m.Set = OpNotInSet, set
		default:
			m.Op, m.Set = OpInSet, set
		}
		r.Matches = append(r.Matches, m)
	}
	if flags&0x4 != 0 {
		text.WriteString(" --limit-iface-in")
		r.Unknown = append(r.Unknown, "addrtype --limit-iface-in")
	}
	if flags&0x8 != 0 {
		text.WriteString(" --limit-iface-out")
		r.Unknown = append(r.Unknown, "addrtype --limit-iface-out")
	}
	return nil
}

// xtComment is struct xt_comment_info: char comment[256].
func xtComment(_ xtFamily, _ uint8, d []byte, r *Rule, text *strings.Builder) error {
	c := cString(d)
	r.Comment = c
	text.WriteString(" -m comment --comment " + xtSaveString(c))
	return nil
}

// xtSaveString quotes a string as iptables-save does: bare when it holds
// only letters, digits, underscores and hyphens; else in double quotes,
// '\' and '\” escaped.
func xtSaveString(s string) string {
	plain := s != ""
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			plain = false
			break
		}
	}
	if plain {
		return s
	}
	var b strings.Builder
	b.WriteByte('"')
	for _, c := range s {
		if c == '"' || c == '\\' || c == '\'' {
			b.WriteByte('\\')
		}
		b.WriteRune(c)
	}
	b.WriteByte('"')
	return b.String()
}

// xtICMP is struct ipt_icmp and ip6t_icmp: type, code[2], invflags. The
// model has no icmp type field: the match is a load it cannot judge,
// which matters only for icmp packets.
func xtICMP(xf xtFamily, _ uint8, d []byte, r *Rule, text *strings.Builder) error {
	if len(d) < 4 {
		return errXTShort
	}
	typ, lo, hi, neg := d[0], d[1], d[2], d[3]&0x01 != 0
	name, opt := "icmp", "--icmp-type"
	if xf.fam == 6 {
		name, opt = "icmp6", "--icmpv6-type"
	}
	text.WriteString(" -m " + name + bang(neg) + " " + opt + " ")
	switch {
	case typ == 0xff && xf.fam == 4:
		text.WriteString("any")
	case lo != 0 || hi != 0xff:
		text.WriteString(fmt.Sprintf("%d/%d", typ, lo))
	default:
		text.WriteString(fmt.Sprint(typ))
	}
	r.Matches = append(r.Matches, Match{Fields: []Field{FieldUnknown}, Op: eqOp(neg), Value: []byte{typ}})
	return nil
}

// xtMark is struct xt_mark_mtinfo1 (rev 1: mark, mask u32, invert u8); rev
// 0, xt_mark_info, has unsigned longs and is not translated.
func xtMark(_ xtFamily, rev uint8, d []byte, r *Rule, text *strings.Builder) error {
	if rev != 1 || len(d) < 9 {
		return fmt.Errorf("unsupported revision or %w", errXTShort)
	}
	mark, mask, neg := binary.NativeEndian.Uint32(d[0:]), binary.NativeEndian.Uint32(d[4:]), d[8] != 0
	text.WriteString(" -m mark" + bang(neg) + fmt.Sprintf(" --mark 0x%x", mark))
	if mask != 0xffffffff {
		text.WriteString(fmt.Sprintf("/0x%x", mask))
	}
	r.Matches = append(r.Matches, Match{Fields: []Field{FieldMark}, Op: eqOp(neg), Mask: clone(d[4:8]), Value: clone(d[0:4])})
	return nil
}

// xtTargetDecoder translates a target's data into r.Verdict and returns
// what iptables-save prints after " -j NAME".
type xtTargetDecoder func(xf xtFamily, rev uint8, data []byte, r *Rule) (string, error)

// xtTargetDecoders are the targets the reader understands, by name.
var xtTargetDecoders = map[string]xtTargetDecoder{
	"REJECT":     xtReject,
	"DNAT":       xtNATTarget(VerdictDNAT, "--to-destination"),
	"SNAT":       xtNATTarget(VerdictSNAT, "--to-source"),
	"REDIRECT":   xtNATTarget(VerdictRedirect, "--to-ports"),
	"MASQUERADE": xtNATTarget(VerdictMasquerade, "--to-ports"),
	"LOG":        xtLog,
}

// xtTarget translates an entry's target.
func xtTarget(xf xtFamily, e *xtEntry, goTo bool, chainAt map[int]string, r *Rule, text *strings.Builder) {
	name := e.targetName()
	rev := e.target[2+xtExtensionMaxName]
	if v, ok := e.standardVerdict(); ok {
		switch {
		case v == xtVerdictAccept:
			r.Verdict.Kind, name = VerdictAccept, "ACCEPT"
		case v == xtVerdictDrop:
			r.Verdict.Kind, name = VerdictDrop, "DROP"
		case v == xtVerdictReturn:
			r.Verdict.Kind, name = VerdictReturn, "RETURN"
		case v == xtVerdictQueue:
			r.Verdict.Kind, name = VerdictQueue, "QUEUE"
		case v >= 0 && int(v) == e.next:
			r.Verdict.Kind = VerdictContinue // no target: a counting rule
			return
		case v >= 0 && chainAt[int(v)] != "":
			r.Verdict.Kind, r.Verdict.Chain, name = VerdictJump, chainAt[int(v)], chainAt[int(v)]
			if goTo {
				r.Verdict.Kind = VerdictGoto
				text.WriteString(" -g " + name)
				return
			}
		default:
			r.Verdict.Kind = VerdictContinue
			r.Unknown = append(r.Unknown, fmt.Sprintf("standard verdict %d", v))
			text.WriteString(fmt.Sprintf(" -j %d", v))
			return
		}
		text.WriteString(" -j " + name)
		return
	}
	text.WriteString(" -j " + name)
	r.Verdict.Kind = VerdictContinue
	dec, ok := xtTargetDecoders[name]
	if !ok {
		r.Unknown = append(r.Unknown, xtUnknown("target", name, rev, nil))
		return
	}
	opts, err := dec(xf, rev, e.target[xtEntryHdrLen:], r)
	if err != nil {
		r.Verdict = Verdict{Kind: VerdictContinue}
		r.Unknown = append(r.Unknown, xtUnknown("target", name, rev, err))
		return
	}
	text.WriteString(opts)
}

// xtRejectTypes map ipt_reject_info's and ip6t_reject_info's "with" onto
// the model's reject types, with iptables' names for them. A type the
// model has no name for keeps iptables' and is Unknown.
var xtRejectTypes = map[int]map[uint32]struct {
	name string
	typ  RejectType
}{
	4: {
		0: {"icmp-net-unreachable", RejectNetUnreachable},
		1: {"icmp-host-unreachable", RejectHostUnreachable},
		2: {"icmp-proto-unreachable", RejectProtoUnreachable},
		3: {"icmp-port-unreachable", RejectPortUnreachable},
		5: {"icmp-net-prohibited", RejectNetProhibited},
		6: {"icmp-host-prohibited", RejectHostProhibited},
		7: {"tcp-reset", RejectTCPReset},
		8: {"icmp-admin-prohibited", RejectAdminProhibited},
	},
	6: {
		0: {"icmp6-no-route", RejectNoRoute},
		1: {"icmp6-adm-prohibited", RejectAdminProhibited},
		3: {"icmp6-addr-unreachable", RejectAddrUnreachable},
		4: {"icmp6-port-unreachable", RejectPortUnreachable},
		6: {"tcp-reset", RejectTCPReset},
		7: {"icmp6-policy-fail", ""},
		8: {"icmp6-reject-route", ""},
	},
}

// xtReject is ipt_reject_info and ip6t_reject_info: a u32 "with".
func xtReject(xf xtFamily, _ uint8, d []byte, r *Rule) (string, error) {
	if len(d) < 4 {
		return "", errXTShort
	}
	with := binary.NativeEndian.Uint32(d)
	t, ok := xtRejectTypes[xf.fam][with]
	if !ok || t.typ == "" {
		return "", fmt.Errorf("reject type %d", with)
	}
	r.Verdict = Verdict{Kind: VerdictReject, Reject: t.typ}
	return " --reject-with " + t.name, nil
}

// NAT range flags (NF_NAT_RANGE_*).
const (
	natMapIPs         = 0x01
	natProtoSpecified = 0x02
	natProtoRandom    = 0x04
	natPersistent     = 0x08
)

// xtNATTarget decodes a NAT target: for IPv4 rev 0, struct
// nf_nat_ipv4_multi_range_compat (rangesize u32, then flags u32, min_ip,
// max_ip, min and max port); otherwise struct nf_nat_range or
// nf_nat_range2 (flags u32, min_addr and max_addr of 16 bytes, min and
// max port). Addresses and ports are in network byte order.
func xtNATTarget(kind VerdictKind, opt string) xtTargetDecoder {
	return func(xf xtFamily, rev uint8, d []byte, r *Rule) (string, error) {
		ne := binary.NativeEndian
		var flags uint32
		var minA, maxA []byte
		var minP, maxP uint16
		if xf.fam == 4 && rev == 0 {
			if len(d) < 20 {
				return "", errXTShort
			}
			if n := ne.Uint32(d); n != 1 {
				return "", fmt.Errorf("%d ranges", n)
			}
			flags, minA, maxA = ne.Uint32(d[4:]), d[8:12], d[12:16]
			minP, maxP = binary.BigEndian.Uint16(d[16:]), binary.BigEndian.Uint16(d[18:])
		} else {
			if len(d) < 40 || rev > 2 {
				return "", errXTShort
			}
			al := xf.addrLen
			flags, minA, maxA = ne.Uint32(d), d[4:4+al], d[20:20+al]
			minP, maxP = binary.BigEndian.Uint16(d[36:]), binary.BigEndian.Uint16(d[38:])
			if rev == 2 && flags&0x20 != 0 { // NF_NAT_RANGE_PROTO_OFFSET
				return "", fmt.Errorf("port offset")
			}
		}
		nat := &NAT{}
		var text strings.Builder
		if kind == VerdictRedirect || kind == VerdictMasquerade {
			if flags&natProtoSpecified != 0 {
				text.WriteString(fmt.Sprintf(" %s %d", opt, minP))
				if maxP != minP {
					text.WriteString(fmt.Sprintf("-%d", maxP))
				}
			}
		} else {
			text.WriteString(" " + opt + " ")
			bracket := xf.fam == 6 && flags&natProtoSpecified != 0
			if flags&natMapIPs != 0 {
				a, _ := netip.AddrFromSlice(minA)
				b, _ := netip.AddrFromSlice(maxA)
				if bracket {
					text.WriteString("[")
				}
				text.WriteString(a.String())
				if a != b {
					text.WriteString("-" + b.String())
				}
				if bracket {
					text.WriteString("]")
				}
				nat.Addr, nat.Ranged = clone(minA), a != b
			}
			if flags&natProtoSpecified != 0 {
				text.WriteString(fmt.Sprintf(":%d", minP))
				if maxP != minP {
					text.WriteString(fmt.Sprintf("-%d", maxP))
				}
			}
		}
		if flags&natProtoSpecified != 0 {
			nat.Port, nat.Ranged = minP, nat.Ranged || maxP != minP
		}
		if flags&natProtoRandom != 0 {
			text.WriteString(" --random")
		}
		if flags&natPersistent != 0 {
			text.WriteString(" --persistent")
		}
		r.Verdict = Verdict{Kind: kind}
		if kind == VerdictDNAT || kind == VerdictRedirect {
			r.Verdict.NAT = nat
		}
		return text.String(), nil
	}
}

// xtLogFlags are xt_log_info's logflags, in iptables-save's order.
var xtLogFlags = []struct {
	bit uint8
	opt string
}{{0x01, "--log-tcp-sequence"}, {0x02, "--log-tcp-options"}, {0x04, "--log-ip-options"},
	{0x08, "--log-uid"}, {0x20, "--log-macdecode"}}

// xtLog is struct xt_log_info: level u8, logflags u8, prefix[30]. LOG
// lets the packet go on.
func xtLog(_ xtFamily, _ uint8, d []byte, r *Rule) (string, error) {
	if len(d) < 32 {
		return "", errXTShort
	}
	var text strings.Builder
	if p := cString(d[2:32]); p != "" {
		text.WriteString(" --log-prefix " + xtSaveString(p))
	}
	if d[0] != 4 { // LOG_WARNING, the default
		text.WriteString(fmt.Sprintf(" --log-level %d", d[0]))
	}
	for _, f := range xtLogFlags {
		if d[1]&f.bit != 0 {
			text.WriteString(" " + f.opt)
		}
	}
	r.Verdict = Verdict{Kind: VerdictContinue}
	return text.String(), nil
}

// be16 is a port in network byte order.
func be16(p uint16) []byte { return binary.BigEndian.AppendUint16(nil, p) }
