// xtlegacy_build_test.go holds tests of the legacy x_tables parser on
// blobs built field by field in this machine's byte order and alignment,
// as the kernel would lay them out here, so that they run on every
// architecture (the captured blobs are amd64's).

package inspect

import (
	"encoding/binary"
	"net/netip"
	"reflect"
	"strings"
	"testing"
)

// xtBlob builds an entries blob.
type xtBlob struct {
	xf xtFamily
	b  []byte
}

func ne16(b []byte, v uint16) []byte { return binary.NativeEndian.AppendUint16(b, v) }
func ne32(b []byte, v uint32) []byte { return binary.NativeEndian.AppendUint32(b, v) }

// pad appends zeros up to n bytes, or to the next multiple of the
// alignment when n is 0.
func pad(b []byte, from, n int) []byte {
	if n == 0 {
		n = xtAlignUp(len(b) - from)
	}
	for len(b)-from < n {
		b = append(b, 0)
	}
	return b
}

// xtExt is an xt_entry_match or xt_entry_target: size, name, revision,
// data, aligned.
func xtExt(name string, rev uint8, data []byte) []byte {
	size := xtAlignUp(xtEntryHdrLen + len(data))
	b := ne16(nil, uint16(size))
	b = append(b, name...)
	b = pad(b, 0, 2+xtExtensionMaxName)
	b = append(b, rev)
	return pad(append(b, data...), 0, size)
}

// xtStd is a standard target with verdict v.
func xtStd(v int32) []byte { return xtExt("", 0, ne32(nil, uint32(v))) }

// xtIP is an ipt_ip or ip6t_ip6.
type xtIP struct {
	src, dst, smsk, dmsk string // addresses, "" for none
	in, inMask           string // interface and mask length (its bytes of 0xff)
	proto                uint16
	flags, inv           uint8
}

func (x xtIP) bytes(xf xtFamily) []byte {
	addr := func(s string) []byte {
		if s == "" {
			return make([]byte, xf.addrLen)
		}
		return netip.MustParseAddr(s).AsSlice()
	}
	var b []byte
	for _, a := range []string{x.src, x.dst, x.smsk, x.dmsk} {
		b = append(b, addr(a)...)
	}
	in := make([]byte, ifNameSize)
	copy(in, x.in)
	mask := make([]byte, ifNameSize)
	for i := range len(x.inMask) {
		mask[i] = 0xff
	}
	b = append(b, in...)
	b = append(b, make([]byte, ifNameSize)...) // outiface
	b = append(b, mask...)
	b = append(b, make([]byte, ifNameSize)...) // outiface_mask
	b = ne16(b, x.proto)
	if xf.fam == 6 {
		b = append(b, 0) // tos
	}
	b = append(b, x.flags, x.inv)
	return pad(b, 0, xf.ipLen)
}

// entry appends an entry with its matches and target, and returns its
// offset.
func (x *xtBlob) entry(ip xtIP, target []byte, matches ...[]byte) int {
	start := len(x.b)
	b := append(x.b, ip.bytes(x.xf)...)
	var ms []byte
	for _, m := range matches {
		ms = append(ms, m...)
	}
	tOff := x.xf.entryLen + len(ms)
	b = ne32(b, 0) // nfcache
	b = ne16(b, uint16(tOff))
	b = ne16(b, uint16(tOff+len(target)))
	b = ne32(b, 0) // comefrom
	b = pad(b, start, x.xf.entryLen-16)
	b = binary.NativeEndian.AppendUint64(b, 7) // packets
	b = binary.NativeEndian.AppendUint64(b, 420)
	b = append(b, ms...)
	x.b = append(b, target...)
	return start
}

// xtError is an ERROR target naming a chain.
func xtError(name string) []byte {
	data := make([]byte, xtFunctionMaxNameLen)
	copy(data, name)
	return xtExt("ERROR", 0, data)
}

// TestXTablesBuilt parses a filter table built here: INPUT with a drop
// policy and rules of each kind, a user chain, and the end.
func TestXTablesBuilt(t *testing.T) {
	x := &xtBlob{xf: xtIPv4}
	var info xtTableInfo
	info.Name, info.ValidHooks = "filter", 1<<1|1<<2|1<<3
	// The jump's offset is known only once the user chain is laid out:
	// build twice, the second time with the first's offsets.
	var webAt int
	for range 2 {
		x.b = nil
		info.HookEntry[1] = uint32(x.entry(xtIP{src: "198.18.0.0", smsk: "255.254.0.0", in: "eth+", inMask: "eth", inv: xtInvViaIn, proto: 6},
			xtExt("REJECT", 0, ne32(nil, 7)),
			xtExt("tcp", 0, append(ne16(ne16(ne16(ne16(nil, 0), 0xffff), 8000), 8100), 0, 0, 0, 0))))
		x.entry(xtIP{proto: 6, flags: iptFGoto}, xtStd(int32(webAt)),
			xtExt("multiport", 1, append(append(append([]byte{1, 3}, ne16(ne16(ne16(nil, 22), 80), 90)...), make([]byte, 24)...),
				append([]byte{0, 1}, make([]byte, 14)...)...)))
		ct := make([]byte, 146)
		ct = ne16(ne16(ne16(ct, 1), 0), uint16(CTStateRelated|CTStateEstablished))
		x.entry(xtIP{}, xtStd(xtVerdictAccept), xtExt("conntrack", 3, pad(ct, 0, 160)))
		info.Underflow[1] = uint32(x.entry(xtIP{}, xtStd(xtVerdictDrop)))
		info.HookEntry[2] = uint32(x.entry(xtIP{}, xtStd(xtVerdictAccept)))
		info.Underflow[2] = info.HookEntry[2]
		info.HookEntry[3] = uint32(x.entry(xtIP{}, xtStd(xtVerdictAccept)))
		info.Underflow[3] = info.HookEntry[3]
		x.entry(xtIP{}, xtError("web"))
		webAt = x.entry(xtIP{dst: "198.18.0.1", dmsk: "255.255.255.255", in: "lo", inMask: "lo\x00"}, xtStd(xtVerdictReturn))
		x.entry(xtIP{}, xtStd(xtVerdictReturn))
		x.entry(xtIP{}, xtError("ERROR"))
	}
	info.Size = uint32(len(x.b))
	tb, err := parseXTTable(xtIPv4, info, x.b)
	if err != nil {
		t.Fatal(err)
	}
	var texts []string
	for _, c := range tb.Chains {
		for _, r := range c.Rules {
			texts = append(texts, r.Text)
		}
	}
	want := []string{
		"-A INPUT -s 198.18.0.0/15 ! -i eth+ -p tcp -m tcp --dport 8000:8100 -j REJECT --reject-with tcp-reset",
		"-A INPUT -p tcp -m multiport --dports 22,80:90 -g web",
		"-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT",
		"-A web -d 198.18.0.1/32 -i lo -j RETURN",
	}
	if !reflect.DeepEqual(texts, want) {
		t.Errorf("rules\n%q\nwant\n%q", texts, want)
	}
	in := tb.Chains[0]
	if in.Name != "INPUT" || in.Policy != VerdictDrop || in.Hook != HookInput || len(tb.Chains) != 4 || tb.Chains[3].Name != "web" {
		t.Fatalf("chains %+v", tb.Chains)
	}
	r := in.Rules[0]
	wantM := []Match{
		{Fields: []Field{FieldSAddr}, Family: 4, Op: OpEq, Mask: ip4("255.254.0.0"), Value: ip4("198.18.0.0")},
		{Fields: []Field{FieldIIfName}, Op: OpNeq, Value: []byte("eth")},
		mProtoTCP,
		{Fields: []Field{FieldDPort}, Op: OpRange, From: []byte{0x1f, 0x40}, To: []byte{0x1f, 0xa4}},
	}
	if !reflect.DeepEqual(r.Matches, wantM) || r.Verdict != (Verdict{Kind: VerdictReject, Reject: RejectTCPReset}) ||
		*r.Packets != 7 || *r.Bytes != 420 || r.Handle != 1 {
		t.Errorf("rule 1: %+v", r)
	}
	if g := in.Rules[1].Verdict; g.Kind != VerdictGoto || g.Chain != "web" {
		t.Errorf("rule 2 verdict %+v", g)
	}
	web := tb.Chains[3].Rules[0]
	if !reflect.DeepEqual(web.Matches[1], Match{Fields: []Field{FieldIIfName}, Op: OpEq, Value: ifname("lo")}) {
		t.Errorf("web rule: %+v", web.Matches)
	}
}

// FuzzParseXTTable feeds the parser corrupt blobs: it must return a table
// or an error, never panic or hang.
func FuzzParseXTTable(f *testing.F) {
	x := &xtBlob{xf: xtIPv4}
	x.entry(xtIP{proto: 6}, xtStd(xtVerdictAccept), xtExt("tcp", 0, make([]byte, 12)))
	x.entry(xtIP{}, xtError("ERROR"))
	f.Add(x.b, uint32(0), uint32(0))
	f.Fuzz(func(t *testing.T, blob []byte, entry, underflow uint32) {
		info := xtTableInfo{Name: "filter", ValidHooks: 1 << 1, Size: uint32(len(blob))}
		info.HookEntry[1], info.Underflow[1] = entry, underflow
		for _, xf := range []xtFamily{xtIPv4, xtIPv6} {
			_, _ = parseXTTable(xf, info, blob)
		}
	})
}

// BenchmarkParseXTTable parses a kube-proxy-sized legacy table: 25,000
// rules of the shape kube-proxy writes for Services without endpoints
// (destination, protocol, comment, tcp port, REJECT).
func BenchmarkParseXTTable(b *testing.B) {
	x := &xtBlob{xf: xtIPv4}
	var info xtTableInfo
	info.Name, info.ValidHooks = "filter", 1<<1
	comment := make([]byte, 256)
	copy(comment, "default/web:http has no endpoints")
	for i := range 25000 {
		at := x.entry(xtIP{dst: netip.AddrFrom4([4]byte{198, 18, byte(i / 250), byte(i % 250)}).String(), dmsk: "255.255.255.255", proto: 6},
			xtExt("REJECT", 0, ne32(nil, 3)),
			xtExt("comment", 0, comment),
			xtExt("tcp", 0, append(ne16(ne16(ne16(ne16(nil, 0), 0xffff), 80), 80), 0, 0, 0, 0)))
		if i == 0 {
			info.HookEntry[1] = uint32(at)
		}
	}
	info.Underflow[1] = uint32(x.entry(xtIP{}, xtStd(xtVerdictAccept)))
	x.entry(xtIP{}, xtError("ERROR"))
	info.Size = uint32(len(x.b))
	b.ReportAllocs()
	for b.Loop() {
		tb, err := parseXTTable(xtIPv4, info, x.b)
		if err != nil || len(tb.Chains[0].Rules) != 25000 {
			b.Fatal(err)
		}
	}
}

// TestXTStateV0 decodes the old state match (xt_state_info, which
// iptables before 1.4.17 wrote for -m state): its UNTRACKED bit is 1<<6,
// where xt_conntrack has SNAT.
func TestXTStateV0(t *testing.T) {
	var r Rule
	var text strings.Builder
	if err := xtState(xtIPv4, 0, ne32(nil, uint32(CTStateNew)|xtStateUntrackedV0), &r, &text); err != nil {
		t.Fatal(err)
	}
	want := []Match{{Fields: []Field{FieldCTState}, Mask: host32(CTStateNew | CTStateUntracked), Op: OpNeq, Value: host32(0)}}
	if text.String() != " -m state --state NEW,UNTRACKED" || !reflect.DeepEqual(r.Matches, want) || len(r.Unknown) != 0 {
		t.Errorf("%q %+v %q", text.String(), r.Matches, r.Unknown)
	}
}
