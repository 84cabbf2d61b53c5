// nftrulemsg_linux_test.go holds the tests of the rule message parser on
// fixed bytes: the expressions decoded here equal the library's decoding
// of the same bytes, and a whole rule message keeps every expression,
// its handle, user data and the names of what the library cannot decode.

package inspect

import (
	"encoding/binary"
	"reflect"
	"testing"

	"github.com/google/nftables"
	"github.com/google/nftables/expr"
	"github.com/google/nftables/xt"
	"golang.org/x/sys/unix"
)

// nlAttr is one netlink attribute.
func nlAttr(typ uint16, data []byte) []byte { return nlAttrAppend(nil, typ, data) }

// exprElem is an expression as the kernel lists it in a rule.
func exprElem(t *testing.T, fam byte, e expr.Any, name string) []byte {
	t.Helper()
	data, err := expr.MarshalExprData(fam, e)
	if err != nil {
		t.Fatal(err)
	}
	return nlAttr(unix.NLA_F_NESTED|unix.NFTA_LIST_ELEM, append(nlAttr(unix.NFTA_EXPR_NAME, []byte(name+"\x00")), nlAttr(unix.NLA_F_NESTED|unix.NFTA_EXPR_DATA, data)...))
}

// decodeTestExprs are expressions of the kinds decodeNFTExpr decodes, with
// their kernel names.
var decodeTestExprs = []struct {
	name string
	e    expr.Any
}{
	{"payload", &expr.Payload{DestRegister: 1, Base: expr.PayloadBaseNetworkHeader, Offset: 16, Len: 4}},
	{"payload", &expr.Payload{DestRegister: 9, Base: expr.PayloadBaseTransportHeader, Offset: 2, Len: 2}},
	{"payload", &expr.Payload{OperationType: expr.PayloadWrite, SourceRegister: 1, Base: expr.PayloadBaseNetworkHeader, Offset: 12, Len: 4, CsumType: expr.CsumTypeInet, CsumOffset: 10, CsumFlags: 1}},
	{"cmp", &expr.Cmp{Op: expr.CmpOpEq, Register: 1, Data: []byte{6}}},
	{"cmp", &expr.Cmp{Op: expr.CmpOpNeq, Register: 9, Data: []byte{0x1f, 0x90}}},
	{"cmp", &expr.Cmp{Op: expr.CmpOpGte, Register: 1, Data: []byte{198, 18, 0, 0, 0, 0, 0, 0}}},
	{"meta", &expr.Meta{Key: expr.MetaKeyL4PROTO, Register: 1}},
	{"meta", &expr.Meta{Key: expr.MetaKeyIIFNAME, Register: 1}},
	{"meta", &expr.Meta{Key: expr.MetaKeyMARK, Register: 1, SourceRegister: true}},
	{"counter", &expr.Counter{}},
	{"counter", &expr.Counter{Bytes: 1 << 40, Packets: 12345}},
	{"immediate", &expr.Immediate{Register: 1, Data: []byte{198, 18, 0, 2}}},
	{"immediate", &expr.Verdict{Kind: expr.VerdictAccept}},
	{"immediate", &expr.Verdict{Kind: expr.VerdictDrop}},
	{"immediate", &expr.Verdict{Kind: expr.VerdictReturn}},
	{"immediate", &expr.Verdict{Kind: expr.VerdictContinue}},
	{"immediate", &expr.Verdict{Kind: expr.VerdictJump, Chain: "KUBE-SVC-ABCDEFGHIJKLMNOP"}},
	{"immediate", &expr.Verdict{Kind: expr.VerdictGoto, Chain: "service-1234-ns/svc/tcp/http"}},
	{"match", &expr.Match{Name: "comment", Info: ptr(xt.Comment("ns/svc0:http cluster IP"))}},
	{"match", &expr.Match{Name: "comment", Info: ptr(xt.Comment(""))}},
}

// ptr is a pointer to a copy of v.
func ptr[T any](v T) *T { return &v }

func TestDecodeNFTExprAsLibrary(t *testing.T) {
	for _, fam := range []byte{unix.NFPROTO_IPV4, unix.NFPROTO_IPV6, unix.NFPROTO_INET} {
		for _, c := range decodeTestExprs {
			data, err := expr.MarshalExprData(fam, c.e)
			if err != nil {
				t.Fatal(err)
			}
			got, ok := decodeNFTExpr(c.name, data)
			if !ok {
				t.Errorf("%s %+v: not decoded", c.name, c.e)
				continue
			}
			lib, skipped := libraryNFTExpr(fam, c.name, data)
			if skipped != "" {
				t.Fatalf("%s %+v: the library skipped it: %s", c.name, c.e, skipped)
			}
			if !reflect.DeepEqual(got, lib) {
				t.Errorf("%s: decoded %#v, the library %#v", c.name, got, lib)
			}
			if !reflect.DeepEqual(got, c.e) {
				t.Errorf("%s: decoded %#v, marshalled %#v", c.name, got, c.e)
			}
		}
	}
}

func TestDecodeNFTExprLeavesTheRest(t *testing.T) {
	for _, c := range []struct {
		what, name string
		data       []byte
	}{
		{"another kind", "lookup", nlAttr(unix.NFTA_LOOKUP_SREG, []byte{0, 0, 0, 1})},
		{"another match", "match", append(nlAttr(unix.NFTA_MATCH_NAME, []byte("statistic\x00")), nlAttr(unix.NFTA_MATCH_INFO, make([]byte, xt.CommentSize))...)},
		{"a comment of 8 bytes", "match", append(nlAttr(unix.NFTA_MATCH_NAME, []byte("comment\x00")), nlAttr(unix.NFTA_MATCH_INFO, make([]byte, 8))...)},
		{"no data", "cmp", nil},
		{"a u32 of 2 bytes", "payload", nlAttr(unix.NFTA_PAYLOAD_LEN, []byte{0, 4})},
		{"a u64 of 4 bytes", "counter", nlAttr(unix.NFTA_COUNTER_BYTES, []byte{0, 0, 0, 4})},
		{"an attribute past the end", "meta", nlAttr(unix.NFTA_META_KEY, []byte{0, 0, 0, 16})[:6]},
		{"a short verdict", "immediate", nlAttr(unix.NLA_F_NESTED|unix.NFTA_IMMEDIATE_DATA, nlAttr(unix.NLA_F_NESTED|unix.NFTA_DATA_VERDICT, nil))},
	} {
		if e, ok := decodeNFTExpr(c.name, c.data); ok {
			t.Errorf("%s: decoded as %#v, want it left to the library", c.what, e)
		}
	}
}

func TestParseNFTRuleMsg(t *testing.T) {
	fam := byte(unix.NFPROTO_IPV4)
	var exprs []byte
	want := []expr.Any{
		&expr.Payload{DestRegister: 1, Base: expr.PayloadBaseNetworkHeader, Offset: 16, Len: 4},
		&expr.Cmp{Op: expr.CmpOpEq, Register: 1, Data: []byte{198, 19, 0, 1}},
		&expr.Meta{Key: expr.MetaKeyL4PROTO, Register: 1},
		&expr.Cmp{Op: expr.CmpOpEq, Register: 1, Data: []byte{6}},
		&expr.Match{Name: "comment", Info: ptr(xt.Comment("ns/svc:http cluster IP"))},
		&expr.Counter{Packets: 3, Bytes: 180},
		&expr.Verdict{Kind: expr.VerdictJump, Chain: "KUBE-SVC-1"},
	}
	names := []string{"payload", "cmp", "meta", "cmp", "match", "counter", "immediate"}
	for i, e := range want {
		exprs = append(exprs, exprElem(t, fam, e, names[i])...)
	}
	// An expression the library does not know (osf) is named, not lost.
	exprs = append(exprs, nlAttr(unix.NLA_F_NESTED|unix.NFTA_LIST_ELEM, nlAttr(unix.NFTA_EXPR_NAME, []byte("osf\x00")))...)
	msg := []byte{fam, unix.NFNETLINK_V0, 0, 7}
	msg = append(msg, nlAttr(unix.NFTA_RULE_TABLE, []byte("nat\x00"))...)
	msg = append(msg, nlAttr(unix.NFTA_RULE_CHAIN, []byte("KUBE-SERVICES\x00"))...)
	msg = append(msg, nlAttr(unix.NFTA_RULE_HANDLE, binary.BigEndian.AppendUint64(nil, 42))...)
	msg = append(msg, nlAttr(unix.NLA_F_NESTED|unix.NFTA_RULE_EXPRESSIONS, exprs)...)
	msg = append(msg, nlAttr(unix.NFTA_RULE_USERDATA, []byte{0, 3, 'h', 'i', 0})...)

	asked := nftChainKey{nftables.TableFamilyIPv4, "nat", "KUBE-SERVICES"}
	for _, c := range []struct {
		what  string
		asked nftChainKey
	}{{"the chain asked for", asked}, {"another chain", nftChainKey{}}} {
		key, r, err := parseNFTRuleMsg(msg, c.asked)
		if err != nil {
			t.Fatalf("%s: %v", c.what, err)
		}
		if key != asked {
			t.Errorf("%s: key %+v, want %+v", c.what, key, asked)
		}
		if r.Family != FamilyIP || r.Handle != 42 || string(r.UserData) != "\x00\x03hi\x00" {
			t.Errorf("%s: family %s handle %d user data %q", c.what, r.Family, r.Handle, r.UserData)
		}
		if !reflect.DeepEqual(r.Exprs, want) {
			t.Errorf("%s: expressions\n%#v\nwant\n%#v", c.what, r.Exprs, want)
		}
		if !reflect.DeepEqual(r.Skipped, []string{"expr osf"}) {
			t.Errorf("%s: skipped %q, want the osf expression", c.what, r.Skipped)
		}
	}

	// What is kept does not point into the message, which the reader's
	// buffer overwrites.
	_, r, _ := parseNFTRuleMsg(msg, asked)
	clear(msg)
	if !reflect.DeepEqual(r.Exprs, want) || string(r.UserData) != "\x00\x03hi\x00" {
		t.Errorf("the rule changed with the message's bytes: %#v %q", r.Exprs, r.UserData)
	}

	for _, bad := range [][]byte{msg[:2], append([]byte{fam, 0, 0, 0}, 0xff, 0xff, 1, 0)} {
		if _, _, err := parseNFTRuleMsg(bad, asked); err == nil {
			t.Errorf("malformed message % x: no error", bad)
		}
	}
}
