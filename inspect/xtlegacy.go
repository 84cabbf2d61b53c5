// xtlegacy.go holds the pure half of the legacy x_tables reader: it parses
// what IPT_SO_GET_INFO and IPT_SO_GET_ENTRIES (and their IPv6 twins)
// return into the packet filter model, on bytes only, so that it is tested
// on fixed blobs on every OS. The syscalls are in xtlegacy_linux.go; the
// matches and targets are decoded in xtlegacy_ext.go.

package inspect

// The layouts are the kernel's UAPI (linux/netfilter/x_tables.h,
// linux/netfilter_ipv4/ip_tables.h, linux/netfilter_ipv6/ip6_tables.h), a
// stable ABI: integers in host byte order, addresses and NAT ports in
// network byte order, structs aligned as the C compiler of the
// architecture aligns them (a 64-bit counter: 8 bytes on amd64 and arm64,
// 4 on 386). A table's entries blob is a run of ipt_entry (ip6t_entry)
// records, each with its matches and target; every built-in chain starts
// at its hook_entry offset and ends with its policy at its underflow
// offset; every user chain starts with an ERROR target naming it and ends
// with an unconditional RETURN; the blob ends with an ERROR entry.

import (
	"encoding/binary"
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"unsafe"
)

// xtAlign is the alignment of struct _xt_align (a u64 among smaller
// members) on this architecture, which XT_ALIGN rounds to.
const xtAlign = int(unsafe.Alignof(uint64(0)))

// x_tables constants (the same on every Linux architecture).
const (
	xtTableMaxNameLen    = 32 // XT_TABLE_MAXNAMELEN
	xtExtensionMaxName   = 29 // XT_EXTENSION_MAXNAMELEN
	xtEntryHdrLen        = 32 // xt_entry_match and xt_entry_target: u16 size, name[29], u8 revision
	xtFunctionMaxNameLen = 30 // XT_FUNCTION_MAXNAMELEN: an ERROR target's chain name
	ifNameSize           = 16 // IFNAMSIZ

	xtGetInfoLen = 84 // struct ipt_getinfo and ip6t_getinfo

	// The standard target's verdicts: a negative number is -verdict-1; a
	// non-negative one is the offset of the entry to jump to.
	xtVerdictDrop   = -1 // -NF_DROP-1
	xtVerdictAccept = -2 // -NF_ACCEPT-1
	xtVerdictQueue  = -4 // -NF_QUEUE-1
	xtVerdictReturn = -5 // XT_RETURN, -NF_REPEAT-1

	// ipt_ip and ip6t_ip6 flags and invflags.
	iptFFrag      = 0x01 // IPT_F_FRAG
	iptFGoto      = 0x02 // IPT_F_GOTO
	ip6tFProto    = 0x01 // IP6T_F_PROTO
	ip6tFTOS      = 0x02 // IP6T_F_TOS
	ip6tFGoto     = 0x04 // IP6T_F_GOTO
	xtInvViaIn    = 0x01 // IPT_INV_VIA_IN, IP6T_INV_VIA_IN
	xtInvViaOut   = 0x02 // IPT_INV_VIA_OUT
	xtInvTOS      = 0x04 // IPT_INV_TOS
	xtInvSrcIP    = 0x08 // IPT_INV_SRCIP
	xtInvDstIP    = 0x10 // IPT_INV_DSTIP
	xtInvFrag     = 0x20 // IPT_INV_FRAG
	xtInvProto    = 0x40 // IPT_INV_PROTO
	xtStandard    = ""   // XT_STANDARD_TARGET
	xtErrorTarget = "ERROR"
)

// xtHooks are the netfilter hooks in their NF_INET_* order, with the
// names iptables gives their built-in chains.
var xtHooks = [5]struct {
	hook Hook
	name string
}{
	{HookPrerouting, "PREROUTING"},
	{HookInput, "INPUT"},
	{HookForward, "FORWARD"},
	{HookOutput, "OUTPUT"},
	{HookPostrouting, "POSTROUTING"},
}

// xtTableInfo is struct ipt_getinfo: where a table's built-in chains start
// and end, and how large its entries blob is.
type xtTableInfo struct {
	Name       string
	ValidHooks uint32
	HookEntry  [5]uint32
	Underflow  [5]uint32
	NumEntries uint32
	Size       uint32
}

// parseXTInfo parses the answer to IPT_SO_GET_INFO.
func parseXTInfo(b []byte) (xtTableInfo, error) {
	if len(b) < xtGetInfoLen {
		return xtTableInfo{}, fmt.Errorf("x_tables info: %d bytes, want %d", len(b), xtGetInfoLen)
	}
	ne := binary.NativeEndian
	info := xtTableInfo{
		Name:       cString(b[:xtTableMaxNameLen]),
		ValidHooks: ne.Uint32(b[32:]),
		NumEntries: ne.Uint32(b[76:]),
		Size:       ne.Uint32(b[80:]),
	}
	for h := range 5 {
		info.HookEntry[h] = ne.Uint32(b[36+4*h:])
		info.Underflow[h] = ne.Uint32(b[56+4*h:])
	}
	return info, nil
}

// xtFamily is what differs between ip_tables and ip6_tables: the size of
// the entry header and where its fields are.
type xtFamily struct {
	fam      int // 4 or 6
	addrLen  int
	entryLen int // sizeof(struct ipt_entry), with its counters aligned
	ipLen    int // sizeof(struct ipt_ip)
	gotoFlag uint8
	tableFam Family
	backend  string
}

// xtIPv4 and xtIPv6 describe ip_tables and ip6_tables.
var (
	xtIPv4 = xtFamily{fam: 4, addrLen: 4, ipLen: 84, entryLen: xtAlignUp(84+12) + 16,
		gotoFlag: iptFGoto, tableFam: FamilyIP, backend: "iptables-legacy"}
	xtIPv6 = xtFamily{fam: 6, addrLen: 16, ipLen: 136, entryLen: xtAlignUp(136+12) + 16,
		gotoFlag: ip6tFGoto, tableFam: FamilyIP6, backend: "ip6tables-legacy"}
)

// xtAlignUp rounds n up as XT_ALIGN does.
func xtAlignUp(n int) int { return (n + xtAlign - 1) &^ (xtAlign - 1) }

// xtEntry is one ipt_entry of a blob, with the raw bytes of its matches
// and target.
type xtEntry struct {
	name       string // the target's
	offset     int
	next       int // offset of the entry after it
	ip         []byte
	matches    []byte
	target     []byte
	pcnt, bcnt uint64
}

// targetName is the name of the entry's target.
func (e *xtEntry) targetName() string { return e.name }

// standardVerdict is the verdict number of a standard target; ok is false
// for any other target.
func (e *xtEntry) standardVerdict() (v int32, ok bool) {
	if e.targetName() != xtStandard || len(e.target) < xtEntryHdrLen+4 {
		return 0, false
	}
	return int32(binary.NativeEndian.Uint32(e.target[xtEntryHdrLen:])), true
}

// errorName is the chain name an ERROR target carries, or "".
func (e *xtEntry) errorName() string {
	if e.targetName() != xtErrorTarget || len(e.target) < xtEntryHdrLen+xtFunctionMaxNameLen {
		return ""
	}
	return cString(e.target[xtEntryHdrLen : xtEntryHdrLen+xtFunctionMaxNameLen])
}

// unconditional reports whether the entry matches every packet: no
// matches and an all-zero ip header, as iptables' policy and RETURN
// entries are.
func (e *xtEntry) unconditional() bool {
	if len(e.matches) != 0 {
		return false
	}
	for _, c := range e.ip {
		if c != 0 {
			return false
		}
	}
	return true
}

// splitXTEntries cuts a blob into its entries.
func splitXTEntries(xf xtFamily, blob []byte, hint uint32) ([]xtEntry, error) {
	ne := binary.NativeEndian
	entries := make([]xtEntry, 0, min(int(hint), len(blob)/xf.entryLen))
	for off := 0; off < len(blob); {
		if len(blob)-off < xf.entryLen {
			return nil, fmt.Errorf("entry at %d: %d bytes left, want %d", off, len(blob)-off, xf.entryLen)
		}
		b := blob[off:]
		tOff := int(ne.Uint16(b[xf.ipLen+4:]))
		nOff := int(ne.Uint16(b[xf.ipLen+6:]))
		if tOff < xf.entryLen || nOff < tOff+xtEntryHdrLen || nOff > len(b) {
			return nil, fmt.Errorf("entry at %d: target at %d, next at %d, %d bytes", off, tOff, nOff, len(b))
		}
		tSize := int(ne.Uint16(b[tOff:]))
		if tSize < xtEntryHdrLen || tOff+tSize > nOff {
			return nil, fmt.Errorf("entry at %d: target of %d bytes", off, tSize)
		}
		cnt := xf.entryLen - 16
		entries = append(entries, xtEntry{
			name:    cString(b[tOff+2 : tOff+2+xtExtensionMaxName]),
			offset:  off,
			next:    off + nOff,
			ip:      b[:xf.ipLen],
			matches: b[xf.entryLen:tOff],
			target:  b[tOff : tOff+tSize],
			pcnt:    ne.Uint64(b[cnt:]),
			bcnt:    ne.Uint64(b[cnt+8:]),
		})
		off += nOff
	}
	return entries, nil
}

// xtTablePriority is the priority x_tables gives a table's hooks
// (NF_IP_PRI_*), and the nf_tables chain type it stands for.
func xtTablePriority(table string, h Hook) (int32, string) {
	switch table {
	case "raw":
		return -300, "filter"
	case "mangle":
		if h == HookOutput {
			return -150, "route"
		}
		return -150, "filter"
	case "nat":
		if h == HookPrerouting || h == HookOutput {
			return -100, "nat" // NF_IP_PRI_NAT_DST
		}
		return 100, "nat" // NF_IP_PRI_NAT_SRC
	case "security":
		return 50, "filter"
	}
	return 0, "filter"
}

// xtChainSpan is a chain's place in the blob: its rules are the entries
// [first, end), its policy (built-in chains) the entry at end.
type xtChainSpan struct {
	name       string
	hook       Hook
	first, end int
	builtin    bool
}

// parseXTTable translates a legacy table, given its info and entries blob,
// into the model.
func parseXTTable(xf xtFamily, info xtTableInfo, blob []byte) (Table, error) {
	if int(info.Size) != len(blob) {
		return Table{}, fmt.Errorf("%s table %s: %d bytes of entries, want %d", xf.backend, info.Name, len(blob), info.Size)
	}
	entries, err := splitXTEntries(xf, blob, info.NumEntries)
	if err == nil && (len(entries) == 0 || entries[len(entries)-1].errorName() != xtErrorTarget) {
		err = errors.New("the entries do not end with the ERROR entry")
	}
	if err != nil {
		return Table{}, fmt.Errorf("%s table %s: %w", xf.backend, info.Name, err)
	}
	byOffset := make(map[int]int, len(entries))
	for i, e := range entries {
		byOffset[e.offset] = i
	}
	spans, err := xtChainSpans(info, entries, byOffset)
	if err != nil {
		return Table{}, fmt.Errorf("%s table %s: %w", xf.backend, info.Name, err)
	}
	chainAt := make(map[int]string, len(spans))
	for _, s := range spans {
		chainAt[entries[s.first].offset] = s.name
	}
	t := Table{Backend: xf.backend, Family: xf.tableFam, Name: info.Name}
	for _, s := range spans {
		c := Chain{Name: s.name, Rules: make([]Rule, 0, s.end-s.first)}
		if s.builtin {
			c.Hook = s.hook
			c.Priority, c.Type = xtTablePriority(info.Name, s.hook)
			c.Policy = VerdictAccept
			if v, ok := entries[s.end].standardVerdict(); ok && v == xtVerdictDrop {
				c.Policy = VerdictDrop
			}
		}
		for i := s.first; i < s.end; i++ {
			r := xtRule(xf, s.name, &entries[i], chainAt)
			r.Handle = uint64(i - s.first + 1)
			c.Rules = append(c.Rules, r)
		}
		t.Chains = append(t.Chains, c)
	}
	return t, nil
}

// xtChainSpans finds the chains of a table in its entries.
func xtChainSpans(info xtTableInfo, entries []xtEntry, byOffset map[int]int) ([]xtChainSpan, error) {
	var spans []xtChainSpan
	for h, hk := range xtHooks {
		if info.ValidHooks&(1<<h) == 0 {
			continue
		}
		first, ok1 := byOffset[int(info.HookEntry[h])]
		end, ok2 := byOffset[int(info.Underflow[h])]
		if !ok1 || !ok2 || end < first {
			return nil, fmt.Errorf("chain %s: hook entry %d and underflow %d are not entries in order",
				hk.name, info.HookEntry[h], info.Underflow[h])
		}
		spans = append(spans, xtChainSpan{name: hk.name, hook: hk.hook, first: first, end: end, builtin: true})
	}
	// User chains: from each ERROR head that names one to the next ERROR
	// head, less the RETURN that ends it.
	for i := 0; i < len(entries); i++ {
		name := entries[i].errorName()
		if name == "" || name == xtErrorTarget {
			continue
		}
		end := i + 1
		for end < len(entries) && entries[end].targetName() != xtErrorTarget {
			end++
		}
		if end == i+1 {
			return nil, fmt.Errorf("chain %s: no entries", name)
		}
		last := &entries[end-1]
		if v, ok := last.standardVerdict(); ok && v == xtVerdictReturn && last.unconditional() {
			end--
		}
		spans = append(spans, xtChainSpan{name: name, first: i + 1, end: end})
		i = end - 1
	}
	return spans, nil
}

// xtRule translates one entry.
func xtRule(xf xtFamily, chain string, e *xtEntry, chainAt map[int]string) Rule {
	r := Rule{Packets: &e.pcnt, Bytes: &e.bcnt, Matches: make([]Match, 0, 4)}
	var text strings.Builder
	text.Grow(len(chain) + 128)
	text.WriteString("-A " + chain)
	goTo := xtIPHeader(xf, e.ip, &r, &text)
	xtMatches(xf, e.matches, &r, &text)
	xtTarget(xf, e, goTo, chainAt, &r, &text)
	r.Text = text.String()
	if len(r.Matches) == 0 {
		r.Matches = nil // no matches: every packet, as elsewhere in the model
	}
	return r
}

// xtIPHeader translates an entry's ipt_ip (ip6t_ip6): addresses with
// masks, interfaces with masks, the protocol, each with its inversion, as
// iptables-save prints them. It reports whether the entry's jump is a goto.
func xtIPHeader(xf xtFamily, ip []byte, r *Rule, text *strings.Builder) (goTo bool) {
	al := xf.addrLen
	src, dst := ip[0:al], ip[al:2*al]
	smsk, dmsk := ip[2*al:3*al], ip[3*al:4*al]
	ifs := ip[4*al:]
	iniface, outiface := ifs[0:ifNameSize], ifs[ifNameSize:2*ifNameSize]
	inMask, outMask := ifs[2*ifNameSize:3*ifNameSize], ifs[3*ifNameSize:4*ifNameSize]
	rest := ifs[4*ifNameSize:]
	proto := binary.NativeEndian.Uint16(rest)
	var flags, inv uint8
	hasProto := proto != 0
	if xf.fam == 4 {
		flags, inv = rest[2], rest[3]
	} else {
		// ip6t_ip6: proto u16, tos u8, flags u8, invflags u8.
		flags, inv = rest[3], rest[4]
		hasProto = flags&ip6tFProto != 0 && proto != 0
		if flags&ip6tFTOS != 0 {
			r.Unknown = append(r.Unknown, "ip6 tos")
		}
	}
	xtAddr(xf, "-s", FieldSAddr, src, smsk, inv&xtInvSrcIP != 0, r, text)
	xtAddr(xf, "-d", FieldDAddr, dst, dmsk, inv&xtInvDstIP != 0, r, text)
	xtIface("-i", FieldIIfName, iniface, inMask, inv&xtInvViaIn != 0, r, text)
	xtIface("-o", FieldOIfName, outiface, outMask, inv&xtInvViaOut != 0, r, text)
	if hasProto {
		neg := inv&xtInvProto != 0
		text.WriteString(bang(neg) + " -p " + xtProtoName(proto))
		r.Matches = append(r.Matches, Match{Fields: []Field{FieldL4Proto}, Op: eqOp(neg), Value: []byte{byte(proto)}})
		if proto > 0xff {
			r.Unknown = append(r.Unknown, fmt.Sprintf("protocol %d", proto))
		}
	}
	if xf.fam == 4 && flags&iptFFrag != 0 {
		// -f: a second or later fragment, whose offset is not 0.
		neg := inv&xtInvFrag != 0
		text.WriteString(bang(neg) + " -f")
		op := OpNeq
		if neg {
			op = OpEq
		}
		r.Matches = append(r.Matches, Match{Fields: []Field{FieldFragOff}, Op: op, Value: []byte{0, 0}})
	}
	if inv&xtInvTOS != 0 && xf.fam == 6 {
		r.Unknown = append(r.Unknown, "! ip6 tos")
	}
	return flags&xf.gotoFlag != 0
}

// xtAddr translates a source or destination address with its mask.
func xtAddr(xf xtFamily, opt string, f Field, addr, mask []byte, neg bool, r *Rule, text *strings.Builder) {
	if allZero(mask) && !neg {
		return
	}
	a, _ := netip.AddrFromSlice(addr)
	text.WriteString(bang(neg) + " " + opt + " " + a.String() + "/" + xtMaskText(mask))
	r.Matches = append(r.Matches, Match{
		Fields: []Field{f}, Family: xf.fam, Op: eqOp(neg),
		Mask: clone(mask), Value: clone(addr),
	})
}

// xtMaskText prints a mask as iptables does: a prefix length when it is
// one, else the mask itself.
func xtMaskText(mask []byte) string {
	ones, seenZero := 0, false
	for _, c := range mask {
		for bit := 7; bit >= 0; bit-- {
			if c&(1<<bit) != 0 {
				if seenZero {
					m, _ := netip.AddrFromSlice(mask)
					return m.String()
				}
				ones++
			} else {
				seenZero = true
			}
		}
	}
	return fmt.Sprint(ones)
}

// xtIface translates an input or output interface with its mask: "eth0"
// (mask over the name and its NUL) compares the whole NUL-padded name;
// "eth+" (mask over "eth") only its first bytes.
func xtIface(opt string, f Field, name, mask []byte, neg bool, r *Rule, text *strings.Builder) {
	if allZero(mask) && !neg {
		return
	}
	text.WriteString(bang(neg) + " " + opt + " " + cString(name))
	m := Match{Fields: []Field{f}, Op: eqOp(neg)}
	n := 0
	for n < len(mask) && mask[n] == 0xff {
		n++
	}
	switch {
	case !allZero(mask[n:]):
		m.Mask, m.Value = clone(mask), clone(name)
	case n > 0 && name[n-1] == 0 || n == len(mask):
		m.Value = clone(name) // the whole name, NUL padded
	default:
		m.Value = clone(name[:n]) // a wildcard: its prefix
	}
	r.Matches = append(r.Matches, m)
}

// xtProtoNames are the protocol names iptables-save prints.
var xtProtoNames = map[uint16]string{
	1: "icmp", 2: "igmp", 6: "tcp", 17: "udp", 47: "gre", 50: "esp", 51: "ah",
	58: "ipv6-icmp", 132: "sctp", 135: "mh", 136: "udplite",
}

func xtProtoName(p uint16) string {
	if n, ok := xtProtoNames[p]; ok {
		return n
	}
	return fmt.Sprint(p)
}

// bang is iptables' " !" before an inverted option.
func bang(neg bool) string {
	if neg {
		return " !"
	}
	return ""
}

func eqOp(neg bool) Op {
	if neg {
		return OpNeq
	}
	return OpEq
}

func allZero(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}

func clone(b []byte) []byte { return append([]byte(nil), b...) }

// cString is the NUL-terminated string at the start of b.
func cString(b []byte) string {
	for i, c := range b {
		if c == 0 {
			return string(b[:i])
		}
	}
	return string(b)
}

// errXTShort is returned for an extension's data shorter than its struct.
var errXTShort = errors.New("shorter than its struct")
