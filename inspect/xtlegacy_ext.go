// xtlegacy_ext.go holds the decoders of legacy x_tables extensions: the
// matches (tcp, udp, multiport, conntrack, state, addrtype, comment, icmp,
// mark, statistic) and targets (standard, REJECT, DNAT, REDIRECT, SNAT, MASQUERADE,
// LOG) that the reader translates into the model, each a row in a table
// keyed by the extension's name. Any other extension becomes an Unknown
// entry of its rule.

package inspect

import (
	"encoding/binary"
	"fmt"
	"net/netip"
	"strconv"
	"strings"
)

// xtMatchDecoder translates one match's data into r, and writes what
// iptables-save prints for it (" -m tcp --dport 22") to text. One that
// fails does so before it writes or translates anything.
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
	"iprange":   xtIPRange,
	"limit":     xtLimit,
	"statistic": xtStatisticMatch,
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
			err = dec(xf, rev, m[xtEntryHdrLen:], r, text)
		}
		if !ok || err != nil {
			text.WriteString(" -m " + name)
			r.Unknown = append(r.Unknown, xtUnknown("match", name, rev, err))

		}
		off += size
	}
}

// xtUnknown names an extension the reader could not translate, and why.
func xtUnknown(kind, name string, rev uint8, err error) string {
	s := xtName(kind, name, uint32(rev))
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
		text.WriteString(bang(neg) + " " + opt + " " + strconv.Itoa(int(lo)))
	} else {
		m.Op, m.From, m.To = OpRange, be16(lo), be16(hi)
		if neg {
			m.Op = OpNotRange
		}
		text.WriteString(bang(neg) + " " + opt + " " + strconv.Itoa(int(lo)) + ":" + strconv.Itoa(int(hi)))
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
// and ports[i+1] a range, and invert). XTMultiport translates it; this
// prints it.
func xtMultiport(_ xtFamily, rev uint8, d []byte, r *Rule, text *strings.Builder) error {
	const maxPorts = 15
	if rev > 1 {
		return fmt.Errorf("unsupported revision")
	}
	if len(d) < 2+2*maxPorts || rev == 1 && len(d) < 2+3*maxPorts+1 {
		return errXTShort
	}
	flags, count := d[0], int(d[1])
	opt, ok := map[byte]string{0: "--sports", 1: "--dports", 2: "--ports"}[flags]
	if !ok || count > maxPorts {
		return fmt.Errorf("flags %d, %d ports", flags, count)
	}
	neg := rev == 1 && d[2+3*maxPorts] != 0
	var list []string
	for i := 0; i < count; i++ {
		item := fmt.Sprint(binary.NativeEndian.Uint16(d[2+2*i:]))
		if rev == 1 && d[2+2*maxPorts+i] != 0 && i+1 < count {
			i++
			item += fmt.Sprintf(":%d", binary.NativeEndian.Uint16(d[2+2*i:]))
		}
		list = append(list, item)
	}
	text.WriteString(" -m multiport" + bang(neg) + " " + opt + " " + strings.Join(list, ","))
	m, ok := XTMultiport(uint32(rev), d)
	if !ok {
		// Either port (--ports): no single field holds it.
		r.Unknown = append(r.Unknown, "multiport "+opt+" (source or destination)")
		return nil
	}
	r.Matches = append(r.Matches, m)
	return nil
}

// xtStatisticMatch is struct xt_statistic_info (-m statistic), which
// XTStatistic translates.
func xtStatisticMatch(_ xtFamily, _ uint8, d []byte, r *Rule, text *strings.Builder) error {
	m, words, ok := XTStatistic(d)
	if !ok {
		return errXTShort
	}
	text.WriteString(words)
	r.Matches = append(r.Matches, m)
	return nil
}

// xtStateUntrackedV0 is UNTRACKED in xt_state's mask (XT_STATE_UNTRACKED);
// xt_conntrack has it at xtStateUntracked, and SNAT, DNAT where xt_state
// has it.
const xtStateUntrackedV0 = 1 << 6

// XTStateV0Mask converts xt_state's mask (-m state), whose UNTRACKED bit
// is 1<<6, into xt_conntrack's bits (-m conntrack --ctstate), which
// XTStateMatches takes: there 1<<6 is SNAT.
func XTStateV0Mask(mask uint32) uint32 {
	ct := mask & 0x0f
	if mask&xtStateUntrackedV0 != 0 {
		ct |= xtStateUntracked
	}
	return ct
}

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
		bits = append(bits, bitName{xtStateSNAT, "SNAT"}, bitName{xtStateDNAT, "DNAT"})
	}
	var names []string
	for _, s := range bits {
		if mask&s.bit != 0 {
			names = append(names, s.name)
		}
	}
	return strings.Join(names, ",")
}

// xtStateMatches adds the matches of a conntrack state mask (in
// xt_conntrack's bits) to r, or an Unknown entry when the model cannot say
// it.
func xtStateMatches(mask uint32, neg bool, r *Rule) {
	ms, ok := XTStateMatches(mask, neg)
	if !ok {
		r.Unknown = append(r.Unknown, "conntrack state mixing SNAT/DNAT with others")
		return
	}
	r.Matches = append(r.Matches, ms...)
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
		text.WriteString(bang(neg) + " " + opt + " " + xtStateText(state, xtStateUntracked, true))
		xtStateMatches(state, neg, r)
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
	text.WriteString(" -m state --state " + xtStateText(mask, xtStateUntrackedV0, false))
	xtStateMatches(XTStateV0Mask(mask), false, r)
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
				set.Elements = append(set.Elements, SetElement{Key: hostU32(uint32(t))})
			}
		}
		text.WriteString(bang(p.neg) + " " + p.opt + " " + strings.Join(names, ","))
		m, ok := XTAddrTypeMatch(p.f, p.types, p.neg)
		if !ok { // several types: a set of them
			m = Match{Fields: []Field{p.f}, Op: OpInSet, Set: set}
			if p.neg {
				m.Op = OpNotInSet
			}
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
	b.Grow(len(s) + 4)
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

// xtIPRange is struct xt_iprange_mtinfo (rev 1): src_min, src_max,
// dst_min, dst_max (nf_inet_addr, 16 bytes each), then flags.
func xtIPRange(xf xtFamily, rev uint8, d []byte, r *Rule, text *strings.Builder) error {
	if rev != 1 || len(d) < 65 {
		return fmt.Errorf("unsupported revision or %w", errXTShort)
	}
	const (
		src, dst       = 0x01, 0x02
		srcInv, dstInv = 0x10, 0x20
	)
	flags := d[64]
	text.WriteString(" -m iprange")
	for _, p := range []struct {
		opt      string
		f        Field
		on, inv  uint8
		min, max []byte
	}{{"--src-range", FieldSAddr, src, srcInv, d[0:16], d[16:32]}, {"--dst-range", FieldDAddr, dst, dstInv, d[32:48], d[48:64]}} {
		if flags&p.on == 0 {
			continue
		}
		lo, hi := clone(p.min[:xf.addrLen]), clone(p.max[:xf.addrLen])
		a, _ := netip.AddrFromSlice(lo)
		b, _ := netip.AddrFromSlice(hi)
		neg := flags&p.inv != 0
		text.WriteString(bang(neg) + " " + p.opt + " " + a.String() + "-" + b.String())
		m := Match{Fields: []Field{p.f}, Family: xf.fam, Op: OpRange, From: lo, To: hi}
		if neg {
			m.Op = OpNotRange
		}
		r.Matches = append(r.Matches, m)
	}
	return nil
}

// xtLimitScale is XT_LIMIT_SCALE: xt_rateinfo's avg is the period between
// packets in its units of a second.
const xtLimitScale = 10000

// xtLimitRates are the units iptables prints a rate in, longest first.
var xtLimitRates = []struct {
	name string
	mult uint32
}{{"day", xtLimitScale * 24 * 60 * 60}, {"hour", xtLimitScale * 60 * 60}, {"min", xtLimitScale * 60}, {"sec", xtLimitScale}}

// xtLimit is struct xt_rateinfo: avg and burst (u32), then the kernel's
// own state. It is printed as iptables-save does, but whether it holds
// depends on the packets before: the rule stays one that may match.
func xtLimit(_ xtFamily, _ uint8, d []byte, r *Rule, text *strings.Builder) error {
	if len(d) < 8 {
		return errXTShort
	}
	avg, burst := binary.NativeEndian.Uint32(d), binary.NativeEndian.Uint32(d[4:])
	if avg == 0 {
		return fmt.Errorf("no rate")
	}
	i := 1
	for ; i < len(xtLimitRates); i++ {
		m := xtLimitRates[i].mult
		if avg > m || m/avg < m%avg {
			break
		}
	}
	rate := xtLimitRates[i-1]
	text.WriteString(fmt.Sprintf(" -m limit --limit %d/%s", rate.mult/avg, rate.name))
	if burst != 5 {
		text.WriteString(fmt.Sprintf(" --limit-burst %d", burst))
	}
	r.Unknown = append(r.Unknown, "limit: a rate limit holds or not by the traffic before")
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
	// Targets that leave the packet's fate alone (their options are not
	// printed).
	"NFLOG": xtPassTarget, "ULOG": xtPassTarget, "TCPMSS": xtPassTarget,
	"CHECKSUM": xtPassTarget, "AUDIT": xtPassTarget,
	// Targets that set the packet's mark (CONNMARK --restore-mark can).
	"MARK": xtMarkTarget, "CONNMARK": xtMarkTarget,
}

// xtPassTarget is a target that lets the packet go on unchanged.
func xtPassTarget(xtFamily, uint8, []byte, *Rule) (string, error) { return "", nil }

// xtMarkTarget is a target that may set the packet's mark and lets it go
// on.
func xtMarkTarget(_ xtFamily, _ uint8, _ []byte, r *Rule) (string, error) {
	r.SetsMark = true
	return "", nil
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
			r.UnknownVerdict = true
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
		r.UnknownVerdict = true
		return
	}
	opts, err := dec(xf, rev, e.target[xtEntryHdrLen:], r)
	if err != nil {
		r.Verdict = Verdict{Kind: VerdictContinue}
		r.Unknown = append(r.Unknown, xtUnknown("target", name, rev, err))
		r.UnknownVerdict = true
		return
	}
	text.WriteString(opts)
}

// xtRejectNames are iptables' names of ipt_reject_info's and
// ip6t_reject_info's "with", by family.
var xtRejectNames = map[int]map[uint32]string{
	4: {0: "icmp-net-unreachable", 1: "icmp-host-unreachable", 2: "icmp-proto-unreachable",
		3: "icmp-port-unreachable", 5: "icmp-net-prohibited", 6: "icmp-host-prohibited",
		7: "tcp-reset", 8: "icmp-admin-prohibited"},
	6: {0: "icmp6-no-route", 1: "icmp6-adm-prohibited", 3: "icmp6-addr-unreachable",
		4: "icmp6-port-unreachable", 6: "tcp-reset", 7: "icmp6-policy-fail", 8: "icmp6-reject-route"},
}

// xtReject is ipt_reject_info and ip6t_reject_info: a u32 "with". A type
// the model has no name for is an unknown verdict.
func xtReject(xf xtFamily, _ uint8, d []byte, r *Rule) (string, error) {
	if len(d) < 4 {
		return "", errXTShort
	}
	with := binary.NativeEndian.Uint32(d)
	typ, ok := XTRejectType(xf.fam, with)
	if !ok {
		return "", fmt.Errorf("reject type %d (%s)", with, xtRejectNames[xf.fam][with])
	}
	r.Verdict = Verdict{Kind: VerdictReject, Reject: typ}
	return " --reject-with " + xtRejectNames[xf.fam][with], nil
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
