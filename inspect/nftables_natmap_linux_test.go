// nftables_natmap_linux_test.go holds the reader's tests of NAT through
// maps and of draws on fixed netlink bytes: NFT_MSG_NEWRULE messages as
// the kernel sent them for rules nft loaded, parsed and translated with
// their anonymous maps; and the translation of the library's expression
// values for the other forms (a named map keyed by a concatenation, a
// numgen data map, iptables-nft's -m statistic).

package inspect

import (
	"encoding/binary"
	"encoding/hex"
	"testing"

	"github.com/google/nftables/expr"
	"github.com/google/nftables/xt"
	"golang.org/x/sys/unix"
)

// The kernel's answer to a dump of chain pre of table ip t, loaded with
// nft -f from:
//
//	dnat ip to tcp dport map { 8080 : 198.18.0.2 . 80 }
//	numgen random mod 2 vmap { 0 : goto a, 1 : goto b }
//	meta l4proto tcp redirect to :tcp dport map { 8081 : 80 }
const (
	nlDNATMap     = "02000002060001007400000008000200707265000c00030000000000000000050801040024000100090001006d6574610000000014000200080002000000001008000100000000012c00010008000100636d700020000200080001000000000108000200000000000c0003000500010006000000340001000c0001007061796c6f616400240002000800010000000001080002000000000208000300000000020800040000000002380001000b0001006c6f6f6b75700000280002000b0001005f5f6d617030000008000200000000010800030000000001080005000000000048000100080001006e6174003c0002000800010000000001080002000000000208000300000000010800040000000001080005000000000908000600000000090800070000000003"
	nlNumgenVmap  = "02000002060001007400000008000200707265000c00030000000000000000070c000600000000000000000570000400340001000b0001006e756d67656e0000240002000800010000000001080002000000000208000300000000010800040000000000380001000b0001006c6f6f6b75700000280002000b0001005f5f6d6170310000080002000000000108000300000000000800050000000000"
	nlRedirectMap = "02000002060001007400000008000200707265000c00030000000000000000090c0006000000000000000007ec00040024000100090001006d6574610000000014000200080002000000001008000100000000012c00010008000100636d700020000200080001000000000108000200000000000c0003000500010006000000340001000c0001007061796c6f616400240002000800010000000001080002000000000208000300000000020800040000000002380001000b0001006c6f6f6b75700000280002000b0001005f5f6d61703200000800020000000001080003000000000108000500000000002c0001000a00010072656469720000001c000200080001000000000108000200000000010800030000000002"
)

// nlRule parses and translates one message with sets.
func nlRule(t *testing.T, msg string, sets map[string]nftSet) Rule {
	t.Helper()
	b, err := hex.DecodeString(msg)
	if err != nil {
		t.Fatal(err)
	}
	key, r, err := parseNFTRuleMsg(b, nftChainKey{table: "t", chain: "pre"})
	if err != nil || key.table != "t" || key.chain != "pre" || len(r.Skipped) != 0 {
		t.Fatalf("parse: %+v %+v %v", key, r, err)
	}
	return translateNFTRule(r, sets)
}

func TestNFTNATMapFromNetlink(t *testing.T) {
	m0 := &Set{Name: "__map0", Elements: []SetElement{{Key: []byte{0x1f, 0x90}, Data: []byte{198, 18, 0, 2, 0, 80, 0, 0}}}}
	r := nlRule(t, nlDNATMap, map[string]nftSet{"__map0": {Set: m0, KeyLen: 2}})
	n := r.Verdict.NAT
	if r.Verdict.Kind != VerdictDNAT || n == nil || n.Map != m0 || n.MapKey == nil || n.MapKey.Fields[0] != FieldDPort || n.AddrIn != 0 || n.PortIn != 4 || len(r.Unknown) != 0 {
		t.Fatalf("verdict %+v nat %+v unknown %v", r.Verdict, n, r.Unknown)
	}
	if r.Text != "dnat ip to tcp dport map { 8080 : 198.18.0.2 . 80 }" { // as nft list ruleset prints it
		t.Errorf("text %q", r.Text)
	}
	addr, port, ok := NATMapTarget(n, m0.Elements[0], 4)
	if !ok || string(addr) != string([]byte{198, 18, 0, 2}) || port != 80 {
		t.Errorf("target %v %d %v", addr, port, ok)
	}

	m1 := &Set{Name: "__map1", Elements: []SetElement{
		{Key: hostU32(0), Verdict: &Verdict{Kind: VerdictGoto, Chain: "a"}}, {Key: hostU32(1), Verdict: &Verdict{Kind: VerdictGoto, Chain: "b"}}}}
	r = nlRule(t, nlNumgenVmap, map[string]nftSet{"__map1": {Set: m1, KeyLen: 4}})
	k := r.Verdict.MapKey
	if r.Verdict.Kind != VerdictMap || k == nil || k.Fields[0] != FieldNumgen || k.Draw == nil || *k.Draw != (Draw{Mod: 2, Random: true}) || len(r.Unknown) != 0 {
		t.Fatalf("verdict %+v key %+v unknown %v", r.Verdict, k, r.Unknown)
	}
	if r.Text != "numgen random mod 2 vmap { 0 : goto a, 1 : goto b }" {
		t.Errorf("text %q", r.Text)
	}

	m2 := &Set{Name: "__map2", Elements: []SetElement{{Key: []byte{0x1f, 0x91}, Data: []byte{0, 80, 0, 0}}}}
	r = nlRule(t, nlRedirectMap, map[string]nftSet{"__map2": {Set: m2, KeyLen: 2}})
	n = r.Verdict.NAT
	if r.Verdict.Kind != VerdictRedirect || n == nil || n.Map != m2 || n.AddrIn != -1 || n.PortIn != 0 {
		t.Fatalf("verdict %+v nat %+v", r.Verdict, n)
	}
	if r.Text != "meta l4proto tcp redirect to :tcp dport map { 8081 : 80 }" {
		t.Errorf("text %q", r.Text)
	}
	// The map was not read: the rule holds what it cannot read.
	r = nlRule(t, nlDNATMap, nil)
	if len(r.Unknown) == 0 {
		t.Errorf("a map not read leaves no unknown: %+v", r)
	}
}

func TestTranslateNFTNATMaps(t *testing.T) {
	const reg = 1
	// dnat ip to ip daddr . tcp dport map @m, from a named map keyed by a
	// concatenation, in an inet table.
	m := &Set{Name: "m", Elements: []SetElement{{Key: []byte{198, 18, 0, 1, 0x1f, 0x90, 0, 0}, Data: []byte{198, 18, 0, 2, 0, 80, 0, 0}}}}
	r := translateNFTRule(nftRule{Family: FamilyInet, Exprs: []expr.Any{
		&expr.Meta{Key: expr.MetaKeyNFPROTO, Register: reg}, &expr.Cmp{Op: expr.CmpOpEq, Register: reg, Data: []byte{unix.NFPROTO_IPV4}},
		&expr.Payload{Base: expr.PayloadBaseNetworkHeader, Offset: 16, Len: 4, DestRegister: reg},
		&expr.Payload{Base: expr.PayloadBaseTransportHeader, Offset: 2, Len: 2, DestRegister: 9},
		&expr.Lookup{SourceRegister: reg, DestRegister: reg, IsDestRegSet: true, SetName: "m"},
		&expr.NAT{Type: expr.NATTypeDestNAT, Family: unix.NFPROTO_IPV4, RegAddrMin: 1, RegProtoMin: 9},
	}}, map[string]nftSet{"m": {Set: m, KeyLen: 8}})
	n := r.Verdict.NAT
	if n == nil || n.Map != m || len(n.MapKey.Fields) != 2 || n.MapKey.Fields[0] != FieldDAddr || n.MapKey.Fields[1] != FieldDPort || n.PortIn != 4 {
		t.Fatalf("nat %+v", n)
	}
	if r.Text != "dnat ip to ip daddr . th dport map @m" {
		t.Errorf("text %q", r.Text)
	}
	// dnat to numgen inc mod 2 map { 0 : 198.18.0.5, 1 : 198.18.0.6 }
	m = &Set{Name: "__map3", Elements: []SetElement{{Key: hostU32(0), Data: []byte{198, 18, 0, 5}}, {Key: hostU32(1), Data: []byte{198, 18, 0, 6}}}}
	r = translateNFTRule(nftRule{Family: FamilyIP, Exprs: []expr.Any{
		&expr.Numgen{Register: reg, Modulus: 2},
		&expr.Lookup{SourceRegister: reg, DestRegister: reg, IsDestRegSet: true, SetName: "__map3"},
		&expr.NAT{Type: expr.NATTypeDestNAT, Family: unix.NFPROTO_IPV4, RegAddrMin: 1},
	}}, map[string]nftSet{"__map3": {Set: m, KeyLen: 4}})
	if n = r.Verdict.NAT; n == nil || n.MapKey.Draw == nil || n.MapKey.Draw.Random || n.AddrIn != 0 || n.PortIn != -1 {
		t.Fatalf("nat %+v", n)
	}
	if r.Text != "dnat to numgen inc mod 2 map { 0 : 198.18.0.5, 1 : 198.18.0.6 }" {
		t.Errorf("text %q", r.Text)
	}
	// A dnat whose address register holds neither an immediate nor a map.
	r = translateNFTRule(nftRule{Family: FamilyIP, Exprs: []expr.Any{
		&expr.Payload{Base: expr.PayloadBaseNetworkHeader, Offset: 12, Len: 4, DestRegister: reg},
		&expr.NAT{Type: expr.NATTypeDestNAT, Family: unix.NFPROTO_IPV4, RegAddrMin: 1},
	}}, nil)
	if !r.UnknownVerdict {
		t.Errorf("a dnat it cannot read is judged: %+v", r)
	}
}

func TestTranslateXTStatistic(t *testing.T) {
	// -m statistic --mode random --probability 0.5 -j KUBE-SEP-X, as
	// iptables-nft writes it: struct xt_statistic_info, raw.
	info := xt.Unknown(binary.NativeEndian.AppendUint32([]byte{0, 0, 0, 0}, 1<<30))
	info = append(info, make([]byte, 16)...)
	r := translateNFTRule(nftRule{Family: FamilyIP, Exprs: []expr.Any{
		&expr.Match{Name: "statistic", Info: &info}, &expr.Verdict{Kind: expr.VerdictJump, Chain: "KUBE-SEP-X"}}}, nil)
	if len(r.Matches) != 1 || r.Matches[0].Fields[0] != FieldNumgen || r.Matches[0].Op != OpLt || len(r.Unknown) != 0 {
		t.Fatalf("rule %+v", r)
	}
	if r.Text != "xt match statistic -m statistic --mode random --probability 0.50000000000 jump KUBE-SEP-X" {
		t.Errorf("text %q", r.Text)
	}
}

func TestTranslateXTTCPWithoutPorts(t *testing.T) {
	// kube-proxy's "-p tcp -m tcp -j DNAT": -m tcp with no options is an
	// xt match that holds for every TCP packet.
	r := translateNFTRule(nftRule{Family: FamilyIP, Exprs: []expr.Any{
		&expr.Match{Name: "tcp", Info: &xt.Tcp{SrcPorts: [2]uint16{0, 0xffff}, DstPorts: [2]uint16{0, 0xffff}}},
		&expr.Verdict{Kind: expr.VerdictAccept}}}, nil)
	if len(r.Unknown) != 0 || len(r.Matches) != 0 || r.Text != "-m tcp accept" {
		t.Errorf("rule %+v", r)
	}
	r = translateNFTRule(nftRule{Family: FamilyIP, Exprs: []expr.Any{
		&expr.Match{Name: "udp", Info: &xt.Udp{SrcPorts: [2]uint16{0, 0xffff}, DstPorts: [2]uint16{53, 53}}},
		&expr.Verdict{Kind: expr.VerdictAccept}}}, nil)
	if len(r.Unknown) != 0 || len(r.Matches) != 1 || r.Matches[0].Fields[0] != FieldDPort {
		t.Errorf("rule %+v", r)
	}
}
