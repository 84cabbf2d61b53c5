//go:build linux

// nftables.go holds the translation of nf_tables rules, as
// github.com/google/nftables decodes their expressions, into the packet
// filter model (rules.go), with each rule's text as `nft list ruleset`
// prints it. The netlink reading is in nftables_linux.go; this part has no
// syscalls and is tested on fixed expression values. It is built on Linux
// only because the library's expr and xt packages are (they use
// golang.org/x/sys/unix's NFPROTO_* constants); the parts that need no
// library type (xtables.go, nfttext.go) are tested on every OS.

package inspect

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"slices"
	"strings"

	"github.com/google/nftables/expr"
	"github.com/google/nftables/userdata"
	"github.com/google/nftables/xt"
)

// nftRule is one rule as the reader got it from the kernel.
type nftRule struct {
	Family Family
	Handle uint64
	Exprs  []expr.Any
	// Skipped names the expressions the kernel sent that the library
	// could not decode ("expr osf"): it would drop them without a word.
	Skipped  []string
	UserData []byte
}

// nftSet is a set of a table with what the translation needs besides
// the model's Set: the length of its key, to know how many registers a
// lookup reads (a concatenation spans several).
type nftSet struct {
	Set    *Set
	KeyLen int
}

// nftLoad is what a register holds during a rule's translation.
type nftLoad struct {
	field  Field
	family int
	len    int
	mask   []byte
	why    string // for FieldUnknown: what was loaded
	imm    []byte // an immediate value
	// dataMap and mapKey are set for the result of a data map lookup;
	// dataAt is where in an element's data this register's bytes start.
	dataMap *Set
	mapKey  *Match
	dataAt  int
	// draw is set for a numgen load.
	draw *Draw
}

// nftTranslator holds the state of one rule's translation.
type nftTranslator struct {
	fam   Family
	sets  map[string]nftSet
	regs  [24]*nftLoad // by 4-byte slot
	ctxV  int          // the address family set by a meta nfproto match, or the table's
	ctxL4 uint8        // the layer 4 protocol set by an l4proto match
	rule  Rule
	text  []string
	// elide marks text pieces that nft leaves out as implied by the next
	// ("meta l4proto tcp" before "tcp dport 80").
	elide []bool
}

// translateNFTRule translates one nf_tables rule into the model.
func translateNFTRule(r nftRule, sets map[string]nftSet) Rule {
	t := &nftTranslator{fam: r.Family, sets: sets}
	switch r.Family {
	case FamilyIP:
		t.ctxV = 4
	case FamilyIP6:
		t.ctxV = 6
	}
	t.rule = Rule{Handle: r.Handle, Verdict: Verdict{Kind: VerdictContinue}}
	for _, e := range r.Exprs {
		t.expr(e)
	}
	for _, s := range r.Skipped {
		t.rule.Unknown = append(t.rule.Unknown, s)
		t.rule.UnknownVerdict = true
		t.say("# " + s)
	}
	if c, ok := userdata.GetString(r.UserData, userdata.TypeComment); ok && c != "" && t.rule.Comment == "" {
		t.rule.Comment = c
	}
	var parts []string
	for i, p := range t.text {
		if !t.elide[i] {
			parts = append(parts, p)
		}
	}
	if t.rule.Comment != "" {
		parts = append(parts, "comment "+quote(t.rule.Comment))
	}
	t.rule.Text = strings.Join(parts, " ")
	return t.rule
}

// say appends a piece of the rule's text.
func (t *nftTranslator) say(s string) {
	t.text = append(t.text, s)
	t.elide = append(t.elide, false)
}

// unknown records what could not be translated; verdict says whether it
// is an action (the rule's fate is then unknown) rather than a match.
func (t *nftTranslator) unknown(what string, verdict bool) {
	t.rule.Unknown = append(t.rule.Unknown, what)
	t.rule.UnknownVerdict = t.rule.UnknownVerdict || verdict
	t.say("# " + what)
}

// slot is the 4-byte register slot where register r starts: NFT_REG_1..4
// are 16 bytes each and overlap NFT_REG32_00..15.
func slot(r uint32) int {
	switch {
	case r >= 8 && r < 24+8:
		return int(r - 8)
	case r >= 1 && r <= 4:
		return int(r-1) * 4
	}
	return 0 // not a data register: a load there is read back as unknown
}

// expr translates one expression.
func (t *nftTranslator) expr(e expr.Any) {
	switch e := e.(type) {
	case *expr.Meta:
		t.meta(e)
	case *expr.Payload:
		if e.OperationType != expr.PayloadLoad {
			t.unknown("payload set", true)
			return
		}
		t.regs[slot(e.DestRegister)] = t.payload(e)
	case *expr.Bitwise:
		t.bitwise(e)
	case *expr.Cmp:
		t.cmp(e)
	case *expr.Range:
		l := t.load(e.Register)
		op := OpRange
		if e.Op == expr.CmpOpNeq {
			op = OpNotRange
		}
		t.match(Match{Fields: []Field{l.field}, Family: l.family, Mask: l.mask, Op: op, From: e.FromData, To: e.ToData, Draw: l.draw}, l)
	case *expr.Lookup:
		t.lookup(e)
	case *expr.Ct:
		t.ct(e)
	case *expr.Fib:
		t.fib(e)
	case *expr.Immediate:
		t.regs[slot(e.Register)] = &nftLoad{field: FieldUnknown, why: "immediate", imm: e.Data, len: len(e.Data)}
	case *expr.Verdict:
		t.verdict(e)
	case *expr.Reject:
		t.reject(e)
	case *expr.NAT:
		t.nat(e)
	case *expr.Redir:
		n := &NAT{AddrIn: -1, PortIn: -1}
		if !t.natPort(n, e.RegisterProtoMin) {
			t.unknown("redirect port", true)
			return
		}
		n.noMap()
		t.rule.Verdict = Verdict{Kind: VerdictRedirect, NAT: n}
		s := "redirect"
		switch {
		case n.Map != nil:
			s += " to :" + natText(n, t.ctxV, t.ctxL4)
		case n.Port != 0:
			s += " to " + natText(n, t.ctxV, t.ctxL4)
		}
		t.say(s)
	case *expr.Masq:
		t.rule.Verdict = Verdict{Kind: VerdictMasquerade}
		t.say("masquerade")
	case *expr.Counter:
		p, b := e.Packets, e.Bytes
		t.rule.Packets, t.rule.Bytes = &p, &b
		t.say(fmt.Sprintf("counter packets %d bytes %d", p, b))
	case *expr.Log:
		s := "log"
		if len(e.Data) > 0 {
			s += " prefix " + quote(string(bytes.TrimRight(e.Data, "\x00")))
		}
		t.say(s)
	case *expr.Objref:
		if e.Type == 1 { // NFT_OBJECT_COUNTER
			t.say("counter name " + quote(e.Name))
			return
		}
		t.unknown(fmt.Sprintf("objref type %d %q", e.Type, e.Name), false)
	case *expr.Match:
		t.xtMatch(e)
	case *expr.Target:
		t.xtTarget(e)
	case *expr.Queue:
		t.rule.Verdict = Verdict{Kind: VerdictQueue}
		t.say(fmt.Sprintf("queue num %d", e.Num))
	case *expr.Limit:
		t.unknown("limit rate", false)
	case *expr.Quota:
		t.unknown("quota", false)
	case *expr.Connlimit:
		t.unknown("ct count", false)
	case *expr.Dynset:
		t.unknown("dynset @"+e.SetName, false)
	case *expr.Notrack:
		t.unknown("notrack", true)
	case *expr.Numgen:
		if e.Modulus == 0 || e.Type > 1 { // NFT_NG_INCREMENTAL 0, NFT_NG_RANDOM 1
			t.regs[slot(e.Register)] = &nftLoad{field: FieldUnknown, why: "numgen", len: 4}
			return
		}
		t.regs[slot(e.Register)] = &nftLoad{field: FieldNumgen, len: 4, draw: &Draw{Mod: e.Modulus, Offset: e.Offset, Random: e.Type == 1}}
	case *expr.Hash:
		t.regs[slot(e.DestRegister)] = &nftLoad{field: FieldUnknown, why: "hash", len: 4}
	case *expr.Exthdr:
		if e.DestRegister == 0 {
			t.unknown("exthdr set", true)
			return
		}
		t.regs[slot(e.DestRegister)] = &nftLoad{field: FieldUnknown, why: "exthdr", len: int(e.Len)}
	case *expr.Rt:
		t.regs[slot(e.Register)] = &nftLoad{field: FieldUnknown, why: "rt", len: 4}
	case *expr.Socket:
		t.regs[slot(e.Register)] = &nftLoad{field: FieldUnknown, why: "socket", len: 4}
	default:
		t.unknown(fmt.Sprintf("expr %T", e), true)
	}
}

// load is what register r holds; a register nothing loaded (an
// expression the translation skipped) holds an unknown field.
func (t *nftTranslator) load(r uint32) *nftLoad {
	if l := t.regs[slot(r)]; l != nil {
		return l
	}
	return &nftLoad{field: FieldUnknown, why: "register"}
}

// meta translates a meta load or a meta statement.
func (t *nftTranslator) meta(e *expr.Meta) {
	if e.SourceRegister {
		if e.Key == expr.MetaKeyMARK {
			t.rule.SetsMark = true
			t.say("meta mark set")
			return
		}
		t.say(fmt.Sprintf("meta %d set", e.Key))
		return
	}
	l := &nftLoad{}
	switch e.Key {
	case expr.MetaKeyNFPROTO:
		l.field, l.len = FieldNFProto, 1
	case expr.MetaKeyL4PROTO:
		l.field, l.len = FieldL4Proto, 1
	case expr.MetaKeyIIFNAME:
		l.field, l.len = FieldIIfName, 16
	case expr.MetaKeyOIFNAME:
		l.field, l.len = FieldOIfName, 16
	case expr.MetaKeyIIFTYPE:
		l.field, l.len = FieldIIfType, 2
	case expr.MetaKeyMARK:
		l.field, l.len = FieldMark, 4
	case expr.MetaKeyIIF:
		l.field, l.len = FieldIIf, 4
	case expr.MetaKeyOIF:
		l.field, l.len = FieldOIf, 4
	default:
		l.field, l.len, l.why = FieldUnknown, 4, fmt.Sprintf("meta key %d", e.Key)
	}
	t.regs[slot(e.Register)] = l
}

// payload translates a payload load into a field.
func (t *nftTranslator) payload(e *expr.Payload) *nftLoad {
	off, n := int(e.Offset), int(e.Len)
	l := &nftLoad{field: FieldUnknown, len: n}
	switch e.Base {
	case expr.PayloadBaseNetworkHeader:
		v := t.ctxV
		if v == 0 { // an inet rule with no nfproto before: guess from the layout
			if off == 12 || off == 16 {
				v = 4
			} else {
				v = 6
			}
		}
		switch {
		case v == 4 && off == 12 && n <= 4:
			l.field, l.family = FieldSAddr, 4
		case v == 4 && off == 16 && n <= 4:
			l.field, l.family = FieldDAddr, 4
		case v == 4 && off == 9 && n == 1:
			l.field = FieldL4Proto
		case v == 6 && off == 8 && n <= 16:
			l.field, l.family = FieldSAddr, 6
		case v == 6 && off == 24 && n <= 16:
			l.field, l.family = FieldDAddr, 6
		case v == 6 && off == 6 && n == 1:
			l.field = FieldL4Proto
		}
	case expr.PayloadBaseTransportHeader:
		switch {
		case off == 0 && n == 2:
			l.field = FieldSPort
		case off == 2 && n == 2:
			l.field = FieldDPort
		case off == 13 && n == 1 && t.ctxL4 == 6:
			l.field = FieldTCPFlags
		}
	}
	if l.field == FieldUnknown {
		l.why = fmt.Sprintf("payload base %d offset %d len %d", e.Base, off, n)
	}
	return l
}

// bitwise applies a mask to a register.
func (t *nftTranslator) bitwise(e *expr.Bitwise) {
	src := *t.load(e.SourceRegister)
	if len(bytes.Trim(e.Xor, "\x00")) > 0 {
		src.field, src.why = FieldUnknown, "bitwise xor"
	}
	mask := bytes.Clone(e.Mask)
	for i := range mask {
		if i < len(src.mask) {
			mask[i] &= src.mask[i]
		}
	}
	src.mask = mask
	t.regs[slot(e.DestRegister)] = &src
}

// cmp translates a comparison.
func (t *nftTranslator) cmp(e *expr.Cmp) {
	l := t.load(e.Register)
	m := Match{Fields: []Field{l.field}, Family: l.family, Mask: l.mask, Op: cmpOps[e.Op], Value: bytes.Clone(e.Data), Draw: l.draw}
	if m.Op == "" {
		m.Fields[0] = FieldUnknown
		m.Op = OpEq
	}
	t.match(m, l)
	if m.Op == OpEq && len(m.Value) == 1 && len(m.Mask) == 0 {
		switch l.field {
		case FieldNFProto:
			switch m.Value[0] {
			case 2:
				t.ctxV = 4
			case 10:
				t.ctxV = 6
			}
			if t.fam == FamilyInet {
				t.elide[len(t.elide)-1] = true // nft prints it only as the next match's dependency
			}
		case FieldL4Proto:
			t.ctxL4 = m.Value[0]
		}
	}
}

// cmpOps are the model's names of nf_tables' comparisons.
var cmpOps = map[expr.CmpOp]Op{expr.CmpOpEq: OpEq, expr.CmpOpNeq: OpNeq, expr.CmpOpLt: OpLt,
	expr.CmpOpLte: OpLte, expr.CmpOpGt: OpGt, expr.CmpOpGte: OpGte}

// verdictKinds are the model's names of nf_tables' verdicts.
var verdictKinds = map[expr.VerdictKind]VerdictKind{
	expr.VerdictAccept: VerdictAccept, expr.VerdictDrop: VerdictDrop, expr.VerdictJump: VerdictJump,
	expr.VerdictGoto: VerdictGoto, expr.VerdictReturn: VerdictReturn, expr.VerdictContinue: VerdictContinue,
	expr.VerdictQueue: VerdictQueue,
}

// match appends m, with its text, to the rule.
func (t *nftTranslator) match(m Match, l *nftLoad) {
	t.rule.Matches = append(t.rule.Matches, m)
	if m.Fields[0] == FieldUnknown && l != nil {
		t.rule.Unknown = append(t.rule.Unknown, l.why)
	}
	s := t.matchText(m, l)
	// "meta l4proto tcp tcp dport 80" is printed "tcp dport 80".
	if n := len(t.text); n > 0 && (m.Fields[0] == FieldDPort || m.Fields[0] == FieldSPort || m.Fields[0] == FieldTCPFlags) && len(t.rule.Matches) > 1 {
		prev := t.rule.Matches[len(t.rule.Matches)-2]
		if prev.Fields[0] == FieldL4Proto && prev.Op == OpEq && len(prev.Mask) == 0 {
			t.elide[n-1] = true
		}
	}
	t.say(s)
}

// lookup translates a set lookup, a verdict map or a data map.
func (t *nftTranslator) lookup(e *expr.Lookup) {
	ns, ok := t.sets[e.SetName]
	set := ns.Set
	if !ok {
		set = &Set{Name: e.SetName}
	}
	key := t.key(e.SourceRegister, ns.KeyLen)
	switch {
	case e.IsDestRegSet && e.DestRegister == 0:
		t.rule.Verdict = Verdict{Kind: VerdictMap, MapKey: &key, Map: set}
		t.say(t.keyText(key) + " vmap " + t.setText(set, key))
	case e.IsDestRegSet:
		// The element's data fills the registers from the destination on:
		// an address, then a port in the next 4-byte slot (or 16 bytes on).
		for k, s := 0, slot(e.DestRegister); k < 5 && s+k < len(t.regs); k++ {
			t.regs[s+k] = &nftLoad{field: FieldUnknown, why: "map", dataMap: set, mapKey: &key, dataAt: 4 * k}
		}
		if !ok {
			t.rule.Unknown = append(t.rule.Unknown, "map @"+e.SetName+" not read")
		}
	default:
		key.Op, key.Set = OpInSet, set
		if e.Invert {
			key.Op = OpNotInSet
		}
		t.match(key, nil)
		if !ok {
			t.rule.Unknown = append(t.rule.Unknown, "set @"+e.SetName+" not read")
		}
	}
}

// key gathers the fields of a lookup's key: one register, or a
// concatenation over the registers that follow it, each field padded to
// 4 bytes.
func (t *nftTranslator) key(r uint32, keyLen int) Match {
	s := slot(r)
	l := t.load(r)
	m := Match{Fields: []Field{l.field}, Family: l.family, Draw: l.draw}
	if l.field == FieldUnknown {
		t.rule.Unknown = append(t.rule.Unknown, l.why)
	}
	used := (l.len + 3) / 4 * 4
	for used < keyLen {
		var n *nftLoad
		if s+used/4 < len(t.regs) {
			n = t.regs[s+used/4]
		}
		if n == nil {
			m.Fields = append(m.Fields, FieldUnknown)
			t.rule.Unknown = append(t.rule.Unknown, "concatenation register")
			break
		}
		m.Fields = append(m.Fields, n.field)
		if n.family != 0 {
			m.Family = n.family
		}
		if n.field == FieldUnknown {
			t.rule.Unknown = append(t.rule.Unknown, n.why)
		}
		used += (n.len + 3) / 4 * 4
	}
	return m
}

// ct translates a conntrack load.
func (t *nftTranslator) ct(e *expr.Ct) {
	if e.SourceRegister {
		t.say("ct set")
		return
	}
	l := &nftLoad{len: 4}
	switch e.Key {
	case expr.CtKeySTATE:
		l.field = FieldCTState
	case expr.CtKeySTATUS:
		l.field = FieldCTStatus
	default:
		l.field, l.why = FieldUnknown, fmt.Sprintf("ct key %d", e.Key)
	}
	t.regs[slot(e.Register)] = l
}

// fib translates a fib lookup.
func (t *nftTranslator) fib(e *expr.Fib) {
	l := &nftLoad{len: 4, field: FieldUnknown, why: "fib"}
	switch {
	case e.ResultADDRTYPE && e.FlagDADDR && !e.FlagIIF && !e.FlagOIF:
		l.field = FieldFibDAddrType
	case e.ResultADDRTYPE && e.FlagSADDR && !e.FlagIIF && !e.FlagOIF:
		l.field = FieldFibSAddrType
	case e.ResultOIF && e.FlagSADDR && e.FlagIIF:
		l.field = FieldFibSAddrOIF
	}
	t.regs[slot(e.Register)] = l
}

// verdict translates an immediate verdict.
func (t *nftTranslator) verdict(e *expr.Verdict) {
	k, ok := verdictKinds[e.Kind]
	if !ok {
		t.unknown(fmt.Sprintf("verdict %d", e.Kind), true)
		return
	}
	t.rule.Verdict = Verdict{Kind: k, Chain: e.Chain}
	if e.Chain != "" {
		t.say(string(k) + " " + e.Chain)
	} else {
		t.say(string(k))
	}
}

// reject translates a reject statement.
func (t *nftTranslator) reject(e *expr.Reject) {
	v := Verdict{Kind: VerdictReject}
	switch e.Type {
	case 1: // NFT_REJECT_TCP_RST
		v.Reject = RejectTCPReset
		t.say("reject with tcp reset")
	case 2: // NFT_REJECT_ICMPX_UNREACH
		names := map[uint8]RejectType{0: RejectNoRoute, 1: RejectPortUnreachable, 2: RejectHostUnreachable, 3: RejectAdminProhibited}
		v.Reject = names[e.Code]
		if v.Reject == RejectPortUnreachable {
			t.say("reject")
		} else {
			t.say("reject with icmpx " + string(v.Reject))
		}
	default: // NFT_REJECT_ICMP_UNREACH, of the packet's family
		if t.ctxV == 6 {
			names := map[uint8]RejectType{0: RejectNoRoute, 1: RejectAdminProhibited, 3: RejectAddrUnreachable, 4: RejectPortUnreachable}
			v.Reject = names[e.Code]
			t.say("reject with icmpv6 " + string(v.Reject))
		} else {
			names := map[uint8]RejectType{0: RejectNetUnreachable, 1: RejectHostUnreachable, 2: RejectProtoUnreachable,
				3: RejectPortUnreachable, 9: RejectNetProhibited, 10: RejectHostProhibited, 13: RejectAdminProhibited}
			v.Reject = names[e.Code]
			t.say("reject with icmp " + string(v.Reject))
		}
	}
	if v.Reject == "" {
		t.unknown(fmt.Sprintf("reject type %d code %d", e.Type, e.Code), true)
		return
	}
	t.rule.Verdict = v
}

// natPort sets n's port from register r: an immediate, or a part of a
// map's data. ok is false when r holds something else.
func (t *nftTranslator) natPort(n *NAT, r uint32) bool {
	if r == 0 {
		return true
	}
	l := t.load(r)
	switch {
	case l.dataMap != nil && (n.Map == nil || n.Map == l.dataMap):
		n.Map, n.MapKey, n.PortIn = l.dataMap, l.mapKey, l.dataAt
	case len(l.imm) >= 2:
		n.Port = binary.BigEndian.Uint16(l.imm)
	default:
		return false
	}
	return true
}

// nat translates a dnat or snat statement.
func (t *nftTranslator) nat(e *expr.NAT) {
	if e.Type == expr.NATTypeSourceNAT {
		t.rule.Verdict = Verdict{Kind: VerdictSNAT}
		t.say("snat")
		return
	}
	n := &NAT{AddrIn: -1, PortIn: -1}
	if e.RegAddrMin != 0 {
		l := t.load(e.RegAddrMin)
		switch {
		case l.dataMap != nil:
			n.Map, n.MapKey, n.AddrIn = l.dataMap, l.mapKey, l.dataAt
		case len(l.imm) == 4 || len(l.imm) == 16:
			n.Addr = l.imm
		default:
			t.unknown("dnat address", true)
			return
		}
		n.Ranged = e.RegAddrMax != 0 && e.RegAddrMax != e.RegAddrMin
	}
	if !t.natPort(n, e.RegProtoMin) {
		t.unknown("dnat port", true)
		return
	}
	n.Ranged = n.Ranged || e.RegProtoMin != 0 && e.RegProtoMax != 0 && e.RegProtoMax != e.RegProtoMin
	n.noMap()
	t.rule.Verdict = Verdict{Kind: VerdictDNAT, NAT: n}
	fam := ""
	if n.Map != nil && (t.fam == FamilyInet || n.AddrIn >= 0 && n.PortIn >= 0) {
		// nft names the family of a map that gives address and port.
		fam = map[int]string{4: "ip ", 6: "ip6 "}[t.ctxV]
	}
	if n.Map != nil && n.MapKey != nil && slices.ContainsFunc(n.MapKey.Fields, func(f Field) bool { return f == FieldDPort || f == FieldSPort }) {
		t.elideL4() // "tcp dport map" implies it
	}
	t.say("dnat " + fam + "to " + natText(n, t.ctxV, t.ctxL4))
}

// noMap clears AddrIn and PortIn of a NAT that no map gives, as a NAT
// written without them has them.
func (n *NAT) noMap() {
	if n.Map == nil {
		n.AddrIn, n.PortIn = 0, 0
	}
}

// elideL4 leaves out the last "meta l4proto" match's text, which the
// next piece implies.
func (t *nftTranslator) elideL4() {
	for i := len(t.text) - 1; i >= 0; i-- {
		if strings.HasPrefix(t.text[i], "meta l4proto ") {
			t.elide[i] = true
			return
		}
	}
}

// natText is a NAT's destination as nft prints it; fam and l4 are the
// rule's address family and layer 4 protocol so far.
func natText(n *NAT, fam int, l4 uint8) string {
	if n.Map != nil {
		return natMapText(n, fam, l4)
	}
	s := ""
	if n.Addr != nil {
		s = addrText(n.Addr, len(n.Addr))
		if len(n.Addr) == 16 && n.Port != 0 {
			s = "[" + s + "]"
		}
	}
	if n.Port != 0 {
		s += fmt.Sprintf(":%d", n.Port)
	}
	return s
}

// xtMatch translates an x_tables match that iptables-nft wrote.
func (t *nftTranslator) xtMatch(e *expr.Match) {
	switch info := e.Info.(type) {
	case *xt.Comment:
		t.rule.Comment = string(*info)
		return
	case *xt.ConntrackMtinfo1:
		t.xtConntrack(e, info.ConntrackMtinfoBase, uint32(info.StateMask))
		return
	case *xt.ConntrackMtinfo2:
		t.xtConntrack(e, info.ConntrackMtinfoBase, uint32(info.StateMask))
		return
	case *xt.ConntrackMtinfo3:
		t.xtConntrack(e, info.ConntrackMtinfoBase, uint32(info.StateMask))
		return
	case *xt.AddrType:
		t.xtAddrType(e, info.Source, info.Dest, info.InvertSource, info.InvertDest)
		return
	case *xt.Tcp: // -m tcp that nft could not say natively (no ports, or with flags)
		ne := binary.NativeEndian
		b := ne.AppendUint16(ne.AppendUint16(ne.AppendUint16(ne.AppendUint16(nil, info.SrcPorts[0]), info.SrcPorts[1]), info.DstPorts[0]), info.DstPorts[1])
		t.xtDecoded(xtTCP, append(b, info.Option, info.FlagsMask, info.FlagsCmp, byte(info.InvFlags)))
		return
	case *xt.Udp:
		ne := binary.NativeEndian
		b := ne.AppendUint16(ne.AppendUint16(ne.AppendUint16(ne.AppendUint16(nil, info.SrcPorts[0]), info.SrcPorts[1]), info.DstPorts[0]), info.DstPorts[1])
		t.xtDecoded(xtUDP, append(b, byte(info.InvFlags), 0, 0, 0))
		return
	case *xt.AddrTypeV1:
		t.xtAddrType(e, info.Source, info.Dest, info.Flags&xt.AddrTypeFlags(1) != 0, info.Flags&xt.AddrTypeFlags(2) != 0)
		return
	case *xt.Unknown:
		raw := []byte(*info)
		switch e.Name {
		case "rt", "frag", "hbh", "dst", "ah":
			t.match(Match{Fields: []Field{FieldExtHdr}, Op: OpEq, Value: []byte(e.Name)}, nil)
			return
		case "statistic":
			if m, text, ok := XTStatistic(raw); ok {
				t.rule.Matches = append(t.rule.Matches, m)
				t.say("xt match statistic" + text)
				return
			}
		case "multiport":
			if m, ok := XTMultiport(e.Rev, raw); ok {
				t.match(m, nil)
				return
			}
		case "state":
			if len(raw) >= 4 {
				if ms, ok := XTStateMatches(XTStateV0Mask(binary.NativeEndian.Uint32(raw)), false); ok {
					for _, m := range ms {
						t.match(m, nil)
					}
					return
				}
			}
		}
	}
	t.unknown(xtName("match", e.Name, e.Rev), false)
}

// xtDecoded translates an x_tables match with the legacy reader's
// decoder for its payload.
func (t *nftTranslator) xtDecoded(dec xtMatchDecoder, payload []byte) {
	var text strings.Builder
	if err := dec(xtFamily{fam: t.ctxV}, 0, payload, &t.rule, &text); err != nil {
		t.unknown("xt match ("+err.Error()+")", false)
		return
	}
	t.say(strings.TrimSpace(text.String()))
}

// xtConntrack translates a conntrack match: its state part; any other
// part is unknown.
func (t *nftTranslator) xtConntrack(e *expr.Match, b xt.ConntrackMtinfoBase, state uint32) {
	flags := xt.ConntrackFlags(b.MatchFlags)
	if flags&^(xt.ConntrackState|xt.ConntrackStateAlias) != 0 || flags&xt.ConntrackState == 0 {
		t.unknown(xtName("match", e.Name, e.Rev), false)
		return
	}
	ms, ok := XTStateMatches(state, b.InvertFlags&uint16(xt.ConntrackState) != 0)
	if !ok {
		t.unknown(xtName("match", e.Name, e.Rev)+" (ctstate with SNAT/DNAT)", false)
		return
	}
	for _, m := range ms {
		t.match(m, nil)
	}
}

// xtAddrType translates an addrtype match.
func (t *nftTranslator) xtAddrType(e *expr.Match, src, dst uint16, invSrc, invDst bool) {
	for _, side := range []struct {
		f     Field
		types uint16
		inv   bool
	}{{FieldFibSAddrType, src, invSrc}, {FieldFibDAddrType, dst, invDst}} {
		if side.types == 0 {
			continue
		}
		m, ok := XTAddrTypeMatch(side.f, side.types, side.inv)
		if !ok {
			t.unknown(xtName("match", e.Name, e.Rev), false)
			return
		}
		t.match(m, nil)
	}
}

// xtTarget translates an x_tables target that iptables-nft wrote.
func (t *nftTranslator) xtTarget(e *expr.Target) {
	fam := t.ctxV
	switch e.Name {
	case "REJECT":
		if raw, ok := e.Info.(*xt.Unknown); ok {
			if rt, ok := XTRejectInfo(fam, []byte(*raw)); ok {
				t.rule.Verdict = Verdict{Kind: VerdictReject, Reject: rt}
				t.say(rejectText(fam, rt))
				return
			}
		}
	case "DNAT", "REDIRECT":
		kind := VerdictDNAT
		if e.Name == "REDIRECT" {
			kind = VerdictRedirect
		}
		n, ok := xtNAT(e.Info)
		if ok {
			if kind == VerdictRedirect {
				n.Addr = nil
			}
			t.rule.Verdict = Verdict{Kind: kind, NAT: n}
			t.say(strings.ToLower(e.Name) + " to " + natText(n, fam, t.ctxL4))
			return
		}
	case "MASQUERADE":
		t.rule.Verdict = Verdict{Kind: VerdictMasquerade}
		t.say("masquerade")
		return
	case "SNAT":
		t.rule.Verdict = Verdict{Kind: VerdictSNAT}
		t.say("snat")
		return
	case "LOG", "NFLOG", "ULOG", "CONNMARK", "TCPMSS", "CHECKSUM", "AUDIT":
		t.say("xt target " + quote(e.Name)) // they leave the packet's fate alone
		return
	case "MARK":
		t.rule.SetsMark = true
		t.say("xt target " + quote(e.Name))
		return
	}
	t.unknown(xtName("target", e.Name, e.Rev), true)
}

// rejectText is a reject as nft prints it for family fam.
func rejectText(fam int, rt RejectType) string {
	switch {
	case rt == RejectTCPReset:
		return "reject with tcp reset"
	case fam == 6:
		return "reject with icmpv6 " + string(rt)
	}
	return "reject with icmp " + string(rt)
}

// xtNAT reads a DNAT or REDIRECT target's range.
func xtNAT(info xt.InfoAny) (*NAT, bool) {
	var flags uint
	var minIP, maxIP []byte
	var minPort, maxPort uint16
	switch i := info.(type) {
	case *xt.NatRange:
		flags, minIP, maxIP, minPort, maxPort = i.Flags, i.MinIP, i.MaxIP, i.MinPort, i.MaxPort
	case *xt.NatRange2:
		flags, minIP, maxIP, minPort, maxPort = i.Flags, i.MinIP, i.MaxIP, i.MinPort, i.MaxPort
	case *xt.NatIPv4MultiRangeCompat:
		if len(*i) == 0 {
			return nil, false
		}
		r := (*i)[0]
		flags, minIP, maxIP, minPort, maxPort = r.Flags, r.MinIP, r.MaxIP, r.MinPort, r.MaxPort
	default:
		return nil, false
	}
	n := &NAT{}
	if flags&uint(xt.NatRangeMapIPs) != 0 {
		if v4 := netIPTo4(minIP); v4 != nil {
			n.Addr = v4
		} else {
			n.Addr = bytes.Clone(minIP)
		}
		n.Ranged = !bytes.Equal(minIP, maxIP)
	}
	if flags&uint(xt.NatRangeProtoSpecified) != 0 {
		n.Port = minPort
		n.Ranged = n.Ranged || minPort != maxPort
	}
	return n, true
}

// netIPTo4 is the 4 bytes of an IPv4 address in net.IP form (4 bytes,
// or 16 with the ::ffff: prefix); nil for an IPv6 address.
func netIPTo4(ip []byte) []byte {
	switch {
	case len(ip) == 4:
		return bytes.Clone(ip)
	case len(ip) == 16 && bytes.Equal(ip[:12], []byte{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff}):
		return bytes.Clone(ip[12:])
	}
	return nil
}

// keyText prints a map lookup's key.
func (t *nftTranslator) keyText(m Match) string { return fieldsText(m, t.ctxL4) }

// setText prints a map for the rule being translated.
func (t *nftTranslator) setText(s *Set, key Match) string { return setTextFor(s, key) }

// matchText prints a match of the rule being translated.
func (t *nftTranslator) matchText(m Match, l *nftLoad) string {
	if m.Fields[0] == FieldUnknown && l != nil {
		return "# " + l.why
	}
	return MatchText(m, t.ctxL4)
}
