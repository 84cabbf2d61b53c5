// nftables_translate_linux_test.go holds the translation's tests on fixed
// expression values, as the library decodes them: each expression and
// x_tables payload kind into the model and its text. (Linux only: the
// library's expr package builds nowhere else.)

package inspect

import (
	"encoding/binary"
	"slices"
	"testing"

	"github.com/google/nftables"
	"github.com/google/nftables/expr"
	"github.com/google/nftables/xt"
	"golang.org/x/sys/unix"
)

func TestTranslateNFTRule(t *testing.T) {
	reg := uint32(unix.NFT_REG_1)
	tcp := []expr.Any{&expr.Meta{Key: expr.MetaKeyL4PROTO, Register: reg}, &expr.Cmp{Op: expr.CmpOpEq, Register: reg, Data: []byte{6}}}
	dport := func(p uint16) []expr.Any {
		return append(slices.Clone(tcp), &expr.Payload{Base: expr.PayloadBaseTransportHeader, Offset: 2, Len: 2, DestRegister: reg},
			&expr.Cmp{Op: expr.CmpOpEq, Register: reg, Data: binary.BigEndian.AppendUint16(nil, p)})
	}
	rejectInfo := func(v uint32) *xt.Unknown {
		b := binary.NativeEndian.AppendUint32(nil, v)
		u := xt.Unknown(append(b, 0, 0, 0, 0))
		return &u
	}
	multiport := func() *xt.Unknown {
		b := make([]byte, 48)
		b[0], b[1] = 1, 3 // destination, 3 ports
		binary.NativeEndian.PutUint16(b[2:], 80)
		binary.NativeEndian.PutUint16(b[4:], 9000)
		binary.NativeEndian.PutUint16(b[6:], 9010)
		b[32+1] = 1 // 9000:9010 is a range
		u := xt.Unknown(b)
		return &u
	}
	comment := xt.Comment("kube-system/dns:dns-tcp has no endpoints")
	for _, c := range []struct {
		name     string
		fam      Family
		exprs    []expr.Any
		skipped  []string
		text     string
		verdict  VerdictKind
		reject   RejectType
		unknowns int
		unknownV bool
	}{
		{name: "saddr prefix loaded as 3 bytes", fam: FamilyIP, exprs: []expr.Any{
			&expr.Payload{Base: expr.PayloadBaseNetworkHeader, Offset: 12, Len: 3, DestRegister: reg},
			&expr.Cmp{Op: expr.CmpOpEq, Register: reg, Data: []byte{198, 18, 0}},
			&expr.Verdict{Kind: expr.VerdictDrop}},
			text: "ip saddr 198.18.0.0/24 drop", verdict: VerdictDrop},
		{name: "daddr with bitwise mask", fam: FamilyIP, exprs: []expr.Any{
			&expr.Payload{Base: expr.PayloadBaseNetworkHeader, Offset: 16, Len: 4, DestRegister: reg},
			&expr.Bitwise{SourceRegister: reg, DestRegister: reg, Len: 4, Mask: []byte{255, 255, 240, 0}, Xor: []byte{0, 0, 0, 0}},
			&expr.Cmp{Op: expr.CmpOpNeq, Register: reg, Data: []byte{198, 18, 16, 0}},
			&expr.Verdict{Kind: expr.VerdictAccept}},
			text: "ip daddr != 198.18.16.0/20 accept", verdict: VerdictAccept},
		{name: "tcp reset", fam: FamilyInet, exprs: append(dport(8080), &expr.Reject{Type: unix.NFT_REJECT_TCP_RST}),
			text: "tcp dport 8080 reject with tcp reset", verdict: VerdictReject, reject: RejectTCPReset},
		{name: "icmpx admin", fam: FamilyInet, exprs: append(dport(22), &expr.Reject{Type: unix.NFT_REJECT_ICMPX_UNREACH, Code: 3}),
			text: "tcp dport 22 reject with icmpx admin-prohibited", verdict: VerdictReject, reject: RejectAdminProhibited},
		{name: "ip6 icmpv6 port-unreachable", fam: FamilyIP6, exprs: append(dport(1), &expr.Reject{Type: unix.NFT_REJECT_ICMP_UNREACH, Code: 4}),
			text: "tcp dport 1 reject with icmpv6 port-unreachable", verdict: VerdictReject, reject: RejectPortUnreachable},
		{name: "port range", fam: FamilyIP, exprs: append(slices.Clone(tcp),
			&expr.Payload{Base: expr.PayloadBaseTransportHeader, Offset: 2, Len: 2, DestRegister: reg},
			&expr.Range{Op: expr.CmpOpEq, Register: reg, FromData: []byte{0x1f, 0x40}, ToData: []byte{0x1f, 0x4a}},
			&expr.Verdict{Kind: expr.VerdictJump, Chain: "web"}),
			text: "tcp dport 8000-8010 jump web", verdict: VerdictJump},
		{name: "ct state new", fam: FamilyInet, exprs: []expr.Any{
			&expr.Ct{Key: expr.CtKeySTATE, Register: reg},
			&expr.Bitwise{SourceRegister: reg, DestRegister: reg, Len: 4, Mask: hostU32(CTStateEstablished | CTStateRelated), Xor: make([]byte, 4)},
			&expr.Cmp{Op: expr.CmpOpNeq, Register: reg, Data: make([]byte, 4)},
			&expr.Counter{Packets: 3, Bytes: 180},
			&expr.Verdict{Kind: expr.VerdictAccept}},
			text: "ct state established,related counter packets 3 bytes 180 accept", verdict: VerdictAccept},
		{name: "iifname wildcard and fib", fam: FamilyInet, exprs: []expr.Any{
			&expr.Meta{Key: expr.MetaKeyIIFNAME, Register: reg},
			&expr.Cmp{Op: expr.CmpOpEq, Register: reg, Data: []byte("veth")},
			&expr.Fib{Register: reg, ResultADDRTYPE: true, FlagDADDR: true},
			&expr.Cmp{Op: expr.CmpOpEq, Register: reg, Data: hostU32(RTNLocal)},
			&expr.Verdict{Kind: expr.VerdictReturn}},
			text: `iifname "veth*" fib daddr type local return`, verdict: VerdictReturn},
		{name: "dnat from immediates", fam: FamilyIP, exprs: append(dport(81),
			&expr.Immediate{Register: 1, Data: []byte{198, 18, 0, 2}},
			&expr.Immediate{Register: 2, Data: []byte{0x1f, 0x91}},
			&expr.NAT{Type: expr.NATTypeDestNAT, Family: unix.NFPROTO_IPV4, RegAddrMin: 1, RegProtoMin: 2}),
			text: "tcp dport 81 dnat to 198.18.0.2:8081", verdict: VerdictDNAT},
		{name: "redirect", fam: FamilyIP, exprs: append(dport(80), &expr.Immediate{Register: 1, Data: []byte{0x1f, 0x90}}, &expr.Redir{RegisterProtoMin: 1}),
			text: "tcp dport 80 redirect to :8080", verdict: VerdictRedirect},
		{name: "xt REJECT ip host-prohibited with comment", fam: FamilyIP, exprs: append(dport(80),
			&expr.Match{Name: "comment", Info: &comment},
			&expr.Target{Name: "REJECT", Info: rejectInfo(6)}),
			text: `tcp dport 80 reject with icmp host-prohibited comment "kube-system/dns:dns-tcp has no endpoints"`, verdict: VerdictReject, reject: RejectHostProhibited},
		{name: "xt REJECT ip tcp-reset", fam: FamilyIP, exprs: append(dport(80), &expr.Target{Name: "REJECT", Info: rejectInfo(7)}),
			text: "tcp dport 80 reject with tcp reset", verdict: VerdictReject, reject: RejectTCPReset},
		{name: "xt REJECT ip port-unreachable", fam: FamilyIP, exprs: append(dport(80), &expr.Target{Name: "REJECT", Info: rejectInfo(3)}),
			text: "tcp dport 80 reject with icmp port-unreachable", verdict: VerdictReject, reject: RejectPortUnreachable},
		{name: "xt REJECT ip6 adm-prohibited", fam: FamilyIP6, exprs: append(dport(80), &expr.Target{Name: "REJECT", Info: rejectInfo(1)}),
			text: "tcp dport 80 reject with icmpv6 admin-prohibited", verdict: VerdictReject, reject: RejectAdminProhibited},
		{name: "xt REJECT ip6 port-unreachable", fam: FamilyIP6, exprs: append(dport(80), &expr.Target{Name: "REJECT", Info: rejectInfo(4)}),
			text: "tcp dport 80 reject with icmpv6 port-unreachable", verdict: VerdictReject, reject: RejectPortUnreachable},
		{name: "xt REJECT ip6 tcp-reset", fam: FamilyIP6, exprs: append(dport(80), &expr.Target{Name: "REJECT", Info: rejectInfo(6)}),
			text: "tcp dport 80 reject with tcp reset", verdict: VerdictReject, reject: RejectTCPReset},
		{name: "xt multiport raw", fam: FamilyIP, exprs: append(slices.Clone(tcp), &expr.Match{Name: "multiport", Rev: 1, Info: multiport()}, &expr.Verdict{Kind: expr.VerdictAccept}),
			text: "tcp dport { 80, 9000-9010 } accept", verdict: VerdictAccept},
		{name: "xt conntrack", fam: FamilyIP, exprs: []expr.Any{
			&expr.Match{Name: "conntrack", Rev: 3, Info: &xt.ConntrackMtinfo3{ConntrackMtinfo2: xt.ConntrackMtinfo2{
				ConntrackMtinfoBase: xt.ConntrackMtinfoBase{MatchFlags: uint16(xt.ConntrackState)}, StateMask: 2 | 4}}},
			&expr.Verdict{Kind: expr.VerdictAccept}},
			text: "ct state established,related accept", verdict: VerdictAccept},
		{name: "xt conntrack inverted with DNAT", fam: FamilyIP, exprs: []expr.Any{
			&expr.Match{Name: "conntrack", Rev: 3, Info: &xt.ConntrackMtinfo3{ConntrackMtinfo2: xt.ConntrackMtinfo2{
				ConntrackMtinfoBase: xt.ConntrackMtinfoBase{MatchFlags: uint16(xt.ConntrackState), InvertFlags: uint16(xt.ConntrackState)}, StateMask: 2 | 4 | xtStateDNAT}}},
			&expr.Verdict{Kind: expr.VerdictDrop}},
			text: "ct state != established,related ct status != dnat drop", verdict: VerdictDrop},
		{name: "xt addrtype", fam: FamilyIP, exprs: []expr.Any{
			&expr.Match{Name: "addrtype", Rev: 1, Info: &xt.AddrTypeV1{Dest: 1 << RTNLocal}},
			&expr.Verdict{Kind: expr.VerdictJump, Chain: "KUBE-NODEPORTS"}},
			text: "fib daddr type local jump KUBE-NODEPORTS", verdict: VerdictJump},
		{name: "xt match unknown", fam: FamilyIP, exprs: append(dport(80), &expr.Match{Name: "recent", Rev: 0, Info: &xt.Unknown{1, 2}}, &expr.Verdict{Kind: expr.VerdictDrop}),
			text: "tcp dport 80 # xt match recent rev 0 drop", verdict: VerdictDrop, unknowns: 1},
		{name: "xt target unknown", fam: FamilyIP, exprs: append(dport(80), &expr.Target{Name: "TARPIT", Info: &xt.Unknown{}}),
			text: "tcp dport 80 # xt target TARPIT rev 0", verdict: VerdictContinue, unknowns: 1, unknownV: true},
		{name: "xt LOG leaves the fate alone", fam: FamilyIP, exprs: append(dport(80), &expr.Target{Name: "LOG", Info: &xt.Unknown{}}),
			text: `tcp dport 80 xt target "LOG"`, verdict: VerdictContinue},
		{name: "an expression the library skipped", fam: FamilyInet, exprs: append(dport(80), &expr.Verdict{Kind: expr.VerdictDrop}), skipped: []string{"expr osf"},
			text: "tcp dport 80 drop # expr osf", verdict: VerdictDrop, unknowns: 1, unknownV: true},
		{name: "set lookup", fam: FamilyInet, exprs: append(slices.Clone(tcp),
			&expr.Payload{Base: expr.PayloadBaseTransportHeader, Offset: 2, Len: 2, DestRegister: reg},
			&expr.Lookup{SourceRegister: reg, SetName: "web"}, &expr.Verdict{Kind: expr.VerdictAccept}),
			text: "tcp dport @web accept", verdict: VerdictAccept},
		{name: "inverted lookup of a set not read", fam: FamilyInet, exprs: append(slices.Clone(tcp),
			&expr.Payload{Base: expr.PayloadBaseTransportHeader, Offset: 2, Len: 2, DestRegister: reg},
			&expr.Lookup{SourceRegister: reg, SetName: "gone", Invert: true}, &expr.Verdict{Kind: expr.VerdictDrop}),
			text: "tcp dport != @gone drop", verdict: VerdictDrop, unknowns: 1},
		{name: "masquerade", fam: FamilyIP, exprs: []expr.Any{&expr.Masq{}}, text: "masquerade", verdict: VerdictMasquerade},
		{name: "named counter and log", fam: FamilyIP, exprs: append(dport(80), &expr.Objref{Type: 1, Name: "c"}, &expr.Log{Data: []byte("web: ")}),
			text: `tcp dport 80 counter name "c" log prefix "web: "`, verdict: VerdictContinue},
		{name: "queue", fam: FamilyIP, exprs: []expr.Any{&expr.Queue{Num: 3}}, text: "queue num 3", verdict: VerdictQueue},
		{name: "dynset is a match it cannot judge", fam: FamilyIP, exprs: []expr.Any{&expr.Dynset{SetName: "meter"}, &expr.Verdict{Kind: expr.VerdictDrop}},
			text: "# dynset @meter drop", verdict: VerdictDrop, unknowns: 1},
		{name: "notrack changes what follows", fam: FamilyIP, exprs: []expr.Any{&expr.Notrack{}}, text: "# notrack", verdict: VerdictContinue, unknowns: 1, unknownV: true},
		{name: "numgen compared is a draw", fam: FamilyIP, exprs: []expr.Any{&expr.Numgen{Register: reg, Modulus: 2},
			&expr.Cmp{Op: expr.CmpOpEq, Register: reg, Data: []byte{0, 0, 0, 0}}, &expr.Verdict{Kind: expr.VerdictJump, Chain: "ep0"}},
			text: "numgen inc mod 2 0 jump ep0", verdict: VerdictJump},
		{name: "numgen of an unknown type cannot be judged", fam: FamilyIP, exprs: []expr.Any{&expr.Numgen{Register: reg, Modulus: 2, Type: 7},
			&expr.Cmp{Op: expr.CmpOpEq, Register: reg, Data: []byte{0, 0, 0, 0}}, &expr.Verdict{Kind: expr.VerdictJump, Chain: "ep0"}},
			text: "# numgen jump ep0", verdict: VerdictJump, unknowns: 1},
		{name: "meta mark set", fam: FamilyIP, exprs: []expr.Any{&expr.Immediate{Register: reg, Data: hostU32(0x4000)}, &expr.Meta{Key: expr.MetaKeyMARK, SourceRegister: true, Register: reg}},
			text: "meta mark set", verdict: VerdictContinue},
		{name: "limit is a match it cannot judge", fam: FamilyInet, exprs: append(dport(80), &expr.Limit{Rate: 3}, &expr.Verdict{Kind: expr.VerdictAccept}),
			text: "tcp dport 80 # limit rate accept", verdict: VerdictAccept, unknowns: 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			sets := map[string]nftSet{"web": {Set: &Set{Name: "web"}, KeyLen: 2}}
			r := translateNFTRule(nftRule{Family: c.fam, Handle: 7, Exprs: c.exprs, Skipped: c.skipped}, sets)
			if r.Text != c.text {
				t.Errorf("text %q, want %q", r.Text, c.text)
			}
			if r.Verdict.Kind != c.verdict || r.Verdict.Reject != c.reject {
				t.Errorf("verdict %s %s, want %s %s", r.Verdict.Kind, r.Verdict.Reject, c.verdict, c.reject)
			}
			if len(r.Unknown) != c.unknowns || r.UnknownVerdict != c.unknownV {
				t.Errorf("unknown %q (verdict %v), want %d (verdict %v)", r.Unknown, r.UnknownVerdict, c.unknowns, c.unknownV)
			}
		})
	}
}

func TestTranslateNFTRuleConcatVmap(t *testing.T) {
	set := &Set{Name: "no-endpoint-services", Elements: []SetElement{{Key: []byte{198, 18, 0, 9, 6, 0, 0, 0, 0, 80, 0, 0}, Verdict: &Verdict{Kind: VerdictGoto, Chain: "reject-chain"}}}}
	r := translateNFTRule(nftRule{Family: FamilyIP, Exprs: []expr.Any{
		&expr.Payload{Base: expr.PayloadBaseNetworkHeader, Offset: 16, Len: 4, DestRegister: 9},
		&expr.Meta{Key: expr.MetaKeyL4PROTO, Register: 10},
		&expr.Payload{Base: expr.PayloadBaseTransportHeader, Offset: 2, Len: 2, DestRegister: 11},
		&expr.Lookup{SourceRegister: 9, DestRegister: 0, IsDestRegSet: true, SetName: "no-endpoint-services"},
	}}, map[string]nftSet{"no-endpoint-services": {Set: set, KeyLen: 12}})
	if r.Text != "ip daddr . meta l4proto . th dport vmap @no-endpoint-services" {
		t.Errorf("text %q", r.Text)
	}
	k := r.Verdict.MapKey
	if r.Verdict.Kind != VerdictMap || r.Verdict.Map != set || k == nil || !slices.Equal(k.Fields, []Field{FieldDAddr, FieldL4Proto, FieldDPort}) || len(r.Unknown) != 0 {
		t.Errorf("verdict %+v key %+v unknown %v", r.Verdict, k, r.Unknown)
	}
}

func TestNFTElementsIntervals(t *testing.T) {
	// The kernel sends a plain interval set's 198.18.0.0/24 and 80-90 as
	// starts and "interval end" elements one past their ends.
	els := nftElements(true, []nftables.SetElement{
		{Key: []byte{0, 91}, IntervalEnd: true}, {Key: []byte{0, 80}}, {Key: []byte{0, 0}, IntervalEnd: true},
	})
	if len(els) != 1 || string(els[0].Key) != string([]byte{0, 80}) || string(els[0].KeyEnd) != string([]byte{0, 90}) {
		t.Errorf("got %+v", els)
	}
	// A concatenation's interval comes whole, end inclusive.
	els = nftElements(true, []nftables.SetElement{{Key: []byte{1, 0, 0, 0}, KeyEnd: []byte{1, 0, 0, 9}}})
	if len(els) != 1 || els[0].KeyEnd[3] != 9 {
		t.Errorf("got %+v", els)
	}
	if v, ok := rawVerdict([]byte{8, 0, 1, 0, 0xff, 0xff, 0xff, 0xfd, 8, 0, 2, 0, 'r', 'e', 'j', 0}); !ok || v.Kind != expr.VerdictJump || v.Chain != "rej" {
		t.Errorf("raw verdict %+v %v", v, ok)
	}
}
