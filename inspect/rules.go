// rules.go holds the packet filter model: the rule set of one network
// namespace as nf_tables and legacy x_tables hold it, read-only, in a form
// that match can evaluate without knowing which backend wrote it.

package inspect

// The model mirrors how nf_tables itself works, because that is exact: a
// rule loads fields of the packet (an address, a port, the input
// interface's name, the conntrack state) and compares their bytes with
// constants, ranges or sets; then it gives a verdict. Legacy x_tables
// entries (iptables-legacy) are translated into the same terms: an
// ipt_entry's source with its mask is a Match on FieldSAddr with Mask, a tcp
// match's --dport range is a Match with OpRange, multiport is a Set.
//
// Every value is in network byte order, as the packet carries it and as
// nf_tables compares it: an IPv4 address is 4 bytes, an IPv6 address 16, a
// port 2, a layer 4 protocol 1, an interface name 16 (NUL padded; a
// wildcard "eth*" compares only its first 3 bytes, so Value is shorter
// than the field), the conntrack state a 4-byte host-order bit mask (see
// CTState*), a fib or addrtype result a 4-byte host-order RTN_* number.
//
// What the reader cannot translate is never dropped: the rule gets an
// Unknown entry, and match treats it as a rule that may or may not match.

// Family is the nf_tables family of a table: ip, ip6, inet (both), and the
// others that a packet to a local socket never passes (arp, bridge,
// netdev), kept so that nothing read is lost.
type Family string

// The families of tables.
const (
	FamilyIP     Family = "ip"
	FamilyIP6    Family = "ip6"
	FamilyInet   Family = "inet"
	FamilyARP    Family = "arp"
	FamilyBridge Family = "bridge"
	FamilyNetdev Family = "netdev"
)

// Hook is where a base chain sees packets.
type Hook string

// The netfilter hooks of the ip, ip6 and inet families. A regular chain
// (reached only by jump or goto) has no hook.
const (
	HookNone        Hook = ""
	HookPrerouting  Hook = "prerouting"
	HookInput       Hook = "input"
	HookForward     Hook = "forward"
	HookOutput      Hook = "output"
	HookPostrouting Hook = "postrouting"
	HookIngress     Hook = "ingress"
)

// Field is what a Match loads from the packet or its metadata.
type Field string

// The fields match can evaluate. FieldUnknown stands for a load the
// reader understood as bytes but not as a field (a payload at an odd
// offset, a meta key not listed here): a Match on it may or may not hold.
const (
	FieldNFProto      Field = "meta nfproto"   // 1 byte: 2 (NFPROTO_IPV4) or 10 (NFPROTO_IPV6)
	FieldL4Proto      Field = "meta l4proto"   // 1 byte: 6 tcp, 17 udp; also ip protocol and ip6 nexthdr
	FieldSAddr        Field = "saddr"          // 4 or 16 bytes, per the chain's or the match's family
	FieldDAddr        Field = "daddr"          // 4 or 16 bytes
	FieldSPort        Field = "th sport"       // 2 bytes; tcp sport and udp sport load the same bytes
	FieldDPort        Field = "th dport"       // 2 bytes
	FieldIIfName      Field = "iifname"        // 16 bytes, NUL padded
	FieldOIfName      Field = "oifname"        // 16 bytes, NUL padded
	FieldIIfType      Field = "iiftype"        // 2 bytes, host order ARPHRD_*
	FieldCTState      Field = "ct state"       // 4 bytes, host order, CTState* bits
	FieldCTStatus     Field = "ct status"      // 4 bytes, host order
	FieldMark         Field = "meta mark"      // 4 bytes, host order; 0 for a new connection unless a rule sets it
	FieldFibDAddrType Field = "fib daddr type" // 4 bytes, host order RTN_*; addrtype --dst-type too
	FieldFibSAddrType Field = "fib saddr type" // 4 bytes, host order RTN_*
	FieldTCPFlags     Field = "tcp flags"      // 1 byte: SYN 0x02, ACK 0x10, ...
	FieldIIf          Field = "iif"            // 4 bytes, host order interface index
	FieldOIf          Field = "oif"            // 4 bytes, host order interface index
	// FieldFibSAddrOIF is "fib saddr . iif oif" (rpfilter): the interface
	// the route back to the source leaves by, 4 bytes host order; 0
	// ("missing") when there is none. A real client's is never 0.
	FieldFibSAddrOIF Field = "fib saddr . iif oif"
	// FieldExtHdr stands for an IPv6 extension header's presence (the
	// x_tables rt, frag, hbh, dst, ah matches): a match on it holds only
	// when the packet carries that header, and a client's SYN carries none.
	FieldExtHdr Field = "exthdr"
	// FieldFragOff is the IPv4 fragment offset (iptables -f matches a
	// non-zero one): 2 bytes, big-endian, flags masked off; 0 in a new
	// connection's first packet, which is never a later fragment.
	FieldFragOff Field = "ip frag-off"
	// FieldNumgen is a number drawn afresh for each new connection (nft's
	// numgen, iptables' -m statistic): 4 bytes, host order, evenly over
	// the Match's Draw. A rule on it applies to a share of connections.
	FieldNumgen  Field = "numgen"
	FieldUnknown Field = "unknown"
)

// Conntrack state bits, as nf_tables' ct state compares them.
const (
	CTStateInvalid     uint32 = 1
	CTStateEstablished uint32 = 2
	CTStateRelated     uint32 = 4
	CTStateNew         uint32 = 8
	CTStateUntracked   uint32 = 64
)

// RTN_* route types, as fib daddr type and addrtype compare them.
const (
	RTNUnicast   uint32 = 1
	RTNLocal     uint32 = 2
	RTNBroadcast uint32 = 3
	RTNAnycast   uint32 = 4
	RTNMulticast uint32 = 5
)

// Op is how a Match compares.
type Op string

// The comparisons. OpEq and OpNeq compare Value with the loaded bytes
// after Mask; the ordered ones compare them as big-endian numbers, as
// nf_tables does; OpRange holds when From <= bytes <= To; OpInSet when the
// bytes are a key of Set (OpNotInSet: are not).
const (
	OpEq       Op = "=="
	OpNeq      Op = "!="
	OpLt       Op = "<"
	OpLte      Op = "<="
	OpGt       Op = ">"
	OpGte      Op = ">="
	OpRange    Op = "range"
	OpNotRange Op = "!range"
	OpInSet    Op = "in"
	OpNotInSet Op = "!in"
)

// Match is one condition of a rule. Every Match of a rule must hold for
// the rule to apply.
type Match struct {
	// Fields are what is loaded: one field, or several for a
	// concatenation ("ip daddr . meta l4proto . th dport"), in which each
	// field's bytes are padded to a multiple of 4, as in nf_tables.
	Fields []Field
	// Family, for address fields, is 4 or 6: which header they come from.
	// 0 for the other fields.
	Family int
	// Mask, when set, is ANDed with the loaded bytes before the compare
	// (a prefix "10.0.0.0/8", a ct state bit).
	Mask []byte
	Op   Op
	// Value is compared with OpEq, OpNeq and the ordered ops. It may be
	// shorter than the field: then only its first len(Value) bytes are
	// compared (an interface wildcard "eth*").
	Value []byte
	// From and To bound OpRange and OpNotRange.
	From, To []byte
	// Set is what OpInSet and OpNotInSet look the bytes up in.
	Set *Set
	// Draw, for FieldNumgen, is the range the number is drawn from.
	Draw *Draw
}

// Draw is how a FieldNumgen number is drawn: evenly from Offset to
// Offset+Mod-1 (nft "numgen random mod 2"; "numgen inc", round robin,
// spreads connections the same way over time). iptables' statistic
// --mode random --probability P is a draw with Mod 2^31 compared < P *
// 2^31, as the kernel does; --mode nth --every N --packet P a draw with
// Mod N compared == P.
type Draw struct {
	Mod, Offset uint32
	// Random is true for a random draw, false for a counter (numgen inc,
	// statistic nth).
	Random bool
}

// Set is a named or anonymous nf_tables set or map, or a multiport list.
type Set struct {
	Name string // "" for an anonymous set
	// Interval is true when elements are ranges [Key, KeyEnd].
	Interval bool
	Elements []SetElement
}

// SetElement is one element of a Set. For a verdict map (vmap) Verdict is
// what a key maps to; for a plain set it is nil.
type SetElement struct {
	Key    []byte
	KeyEnd []byte // inclusive end of an interval; nil when not one
	// Verdict is the element's verdict in a verdict map.
	Verdict *Verdict
	// Data is the element's value in a data map (the address and port
	// of kube-proxy's "dnat ... map"); nil in sets and verdict maps.
	Data []byte
	// Comment is the element's comment (kube-proxy names the Service
	// of each element of its maps).
	Comment string
}

// VerdictKind is what a rule does to a packet it matches.
type VerdictKind string

// The verdicts. A rule with no verdict (a counter, a log) is
// VerdictContinue: evaluation goes on with the next rule.
const (
	VerdictContinue VerdictKind = "continue"
	VerdictAccept   VerdictKind = "accept"
	VerdictDrop     VerdictKind = "drop"
	VerdictReject   VerdictKind = "reject"
	VerdictJump     VerdictKind = "jump"
	VerdictGoto     VerdictKind = "goto"
	VerdictReturn   VerdictKind = "return"
	VerdictQueue    VerdictKind = "queue"
	// VerdictMap looks Map up with the Match-like key in MapKey and takes
	// the element's verdict; no element: continue.
	VerdictMap VerdictKind = "vmap"
	// VerdictDNAT and VerdictRedirect rewrite the destination (in a nat
	// chain); evaluation of that chain stops, as after accept.
	VerdictDNAT     VerdictKind = "dnat"
	VerdictRedirect VerdictKind = "redirect"
	// VerdictSNAT and VerdictMasquerade rewrite the source: a client's
	// connection is not refused by them.
	VerdictSNAT       VerdictKind = "snat"
	VerdictMasquerade VerdictKind = "masquerade"
)

// RejectType is how a reject answers.
type RejectType string

// The reject answers, as nft names them; iptables' --reject-with names map
// onto them (icmp-port-unreachable, tcp-reset, icmp-host-prohibited,
// icmp-admin-prohibited, icmp6-adm-prohibited, ...).
const (
	RejectTCPReset         RejectType = "tcp reset"
	RejectPortUnreachable  RejectType = "port-unreachable"
	RejectHostUnreachable  RejectType = "host-unreachable"
	RejectNetUnreachable   RejectType = "net-unreachable"
	RejectProtoUnreachable RejectType = "prot-unreachable"
	RejectHostProhibited   RejectType = "host-prohibited"
	RejectNetProhibited    RejectType = "net-prohibited"
	RejectAdminProhibited  RejectType = "admin-prohibited"
	RejectNoRoute          RejectType = "no-route"
	RejectAddrUnreachable  RejectType = "addr-unreachable"
)

// Verdict is a rule's action.
type Verdict struct {
	Kind VerdictKind
	// Reject is set for VerdictReject; "" means the family's default
	// (port-unreachable).
	Reject RejectType
	// Chain is the target of VerdictJump and VerdictGoto, in the same
	// table.
	Chain string
	// MapKey and Map are set for VerdictMap: the key is loaded like a
	// Match's Fields and looked up in Map.
	MapKey *Match
	Map    *Set
	// NAT is set for VerdictDNAT and VerdictRedirect.
	NAT *NAT
}

// NAT is where a DNAT or REDIRECT rule sends a connection. A zero Addr
// (REDIRECT) means the address of the interface the packet came in on; a
// zero Port, the port unchanged. A range of addresses or ports keeps its
// first element here, and Ranged says there were more.
type NAT struct {
	Addr   []byte // 4 or 16 bytes, or nil
	Port   uint16
	Ranged bool
	// Map, when set, holds the mapping ("dnat to ip daddr . tcp dport
	// map @m", "dnat to tcp dport map { 8080 : 198.18.0.2 . 80 }",
	// "redirect to :tcp dport map {...}"): MapKey is looked up in it like
	// a verdict map's key, and the element's Data gives the new address
	// and port.
	Map    *Set
	MapKey *Match
	// AddrIn and PortIn, when Map is set, are where in an element's Data
	// the new address and the new port start (the port 2 bytes,
	// big-endian); -1 when that part does not come from the map (then
	// Addr or Port gives it, or it is unchanged).
	AddrIn, PortIn int
}

// Rule is one rule of a chain.
type Rule struct {
	// Handle is the rule's nf_tables handle; for x_tables, its 1-based
	// position in the chain, as iptables -L --line-numbers counts.
	Handle uint64
	// Text is the rule as `nft list ruleset` or `iptables-save` prints it.
	Text string
	// Comment is the rule's comment (nft's comment, iptables' -m comment).
	Comment string
	// Packets and Bytes are its counters; nil when it has none.
	Packets, Bytes *uint64
	Matches        []Match
	Verdict        Verdict
	// Unknown names every expression or x_tables match or target that the
	// reader could not translate ("xt match multiport rev 1", "expr
	// osf"). A rule with any is judged "may match" by match, never
	// "matches" or "does not match".
	Unknown []string
	// UnknownVerdict is true when what the rule does (an x_tables target,
	// a statement) could not be translated: a packet it matches may meet
	// any fate. Unknown entries without it are matches that may or may
	// not hold, on a rule whose Verdict is known.
	UnknownVerdict bool
	// SetsMark is true when the rule sets the packet's meta mark (meta
	// mark set, -j MARK): after it, a mark match can no longer assume 0.
	SetsMark bool
}

// Chain is one chain of a table.
type Chain struct {
	Name string
	// Hook, Priority, Type and Policy are set for base chains only.
	// match runs the base chains of a hook in Priority order, and skips
	// Type "nat" chains where NAT was decided before (the looped-back
	// packet of a client on this host): an x_tables built-in chain takes
	// its table's priority (raw -300, mangle -150, nat -100 at prerouting
	// and output and 100 at input and postrouting, filter 0, security 50)
	// and the nat table's chains Type "nat".
	Hook     Hook
	Priority int32
	Type     string // "filter", "nat", "route"
	// Policy is accept or drop, for a base chain; for x_tables' built-in
	// chains too.
	Policy VerdictKind
	Rules  []Rule
}

// Table is one table: of nf_tables, or a legacy x_tables table.
type Table struct {
	// Backend is "nftables" or "iptables-legacy" (or "ip6tables-legacy").
	Backend string
	Family  Family
	Name    string
	Chains  []Chain
	// Sets are the table's named sets and maps, by name.
	Sets map[string]*Set
}

// Ruleset is the packet filter of one network namespace, as far as it
// could be read.
type Ruleset struct {
	Tables []Table
	// Complete is true when every table of every backend that filters in
	// this namespace was read: nf_tables, and legacy x_tables when the
	// kernel lists any. False when something could not be read (no
	// CAP_NET_ADMIN, a table the reader refused); Problems says what.
	Complete bool
	// Problems are what could not be read, one sentence each ("the
	// nf_tables rules cannot be read without CAP_NET_ADMIN: run as root").
	Problems []string
}

// Netstat holds the counters of /proc/net/netstat that tell of accept
// queues: how often a listener's queue overflowed, and how many SYNs were
// dropped for it, since boot, in the namespace read.
type Netstat struct {
	ListenOverflows uint64
	ListenDrops     uint64
	// AbortOnOverflow is net.ipv4.tcp_abort_on_overflow; nil when unknown.
	AbortOnOverflow *bool
}
