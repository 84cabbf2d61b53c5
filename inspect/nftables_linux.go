// nftables_linux.go holds the nf_tables reader: every table of every
// family, its chains, sets with their elements, and rules over netlink,
// read-only, in the caller's network namespace. The translation into the
// model is in nftables.go.

package inspect

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/google/nftables"
	"github.com/google/nftables/expr"
	"github.com/mdlayher/netlink"
	"golang.org/x/sys/unix"
)

// ReadNFTables reads the nf_tables rule set of the caller's network
// namespace. A ruleset that could not be read fully says so in Problems
// and is not Complete; only a failure to ask at all is an error. A rule
// set read whole before in this process, in the same namespace and
// generation, is not read again: its tables are shared, read-only.
func ReadNFTables() *Ruleset {
	// Every socket below is opened on this thread, and so in the
	// namespace the caller is in.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	rs := &Ruleset{Complete: true}
	conn, err := dialNF()
	if err != nil {
		return rs.fail(err)
	}
	defer conn.Close()
	dev, ino, nsfd, gen, known := nftIdentity(conn)
	if known {
		if cached := nftCacheGet(dev, ino, gen); cached != nil {
			unix.Close(nsfd)
			return cached
		}
	}
	readNFTables(conn, rs)
	if known && rs.Complete && len(rs.Tables) > 0 {
		if now, err := nftGeneration(conn); err == nil && now == gen {
			nftCachePut(dev, ino, nsfd, gen, rs)
			return rs
		}
	}
	if known {
		unix.Close(nsfd)
	}
	return rs
}

// readNFTables reads the rule set into rs, the rules through conn.
func readNFTables(conn *nfConn, rs *Ruleset) {
	tables, err := listNFTTables(conn)
	if err != nil {
		rs.fail(err)
		return
	}
	if len(tables) == 0 {
		return // nothing filters
	}
	c, err := nftables.New() // for the sets' listing
	if err != nil {
		rs.fail(err)
		return
	}
	chains, err := listNFTChains(conn)
	if err != nil {
		rs.fail(err)
		return
	}
	tabs := make([]Table, len(tables))
	tabSets := make([]map[string]nftSet, len(tables))
	for i, t := range tables {
		tabs[i] = Table{Backend: "nftables", Family: nftFamily(t.Family), Name: t.Name, Sets: map[string]*Set{}}
		tabSets[i] = readNFTSets(c, conn, t, &tabs[i], rs)
	}
	// Each chain's table, by index; a chain of a table listed after the
	// tables were is left out, as before.
	var work []nftChainWork
	for _, ch := range chains {
		for i, t := range tables {
			if ch.Table.Name == t.Name && ch.Table.Family == t.Family {
				work = append(work, nftChainWork{chain: ch, table: i, sets: tabSets[i]})
				break
			}
		}
	}
	rules, err := readNFTRules(conn, work)
	if err != nil {
		rs.fail(err)
		return
	}
	for i, w := range work {
		ch := w.chain
		out := Chain{Name: ch.Name, Type: string(ch.Type), Rules: rules[i]}
		if ch.Hooknum != nil {
			out.Hook = nftHook(*ch.Hooknum)
			if ch.Priority != nil {
				out.Priority = int32(*ch.Priority)
			}
			out.Policy = VerdictAccept
			if ch.Policy != nil && *ch.Policy == nftables.ChainPolicyDrop {
				out.Policy = VerdictDrop
			}
		}
		tabs[w.table].Chains = append(tabs[w.table].Chains, out)
	}
	rs.Tables = append(rs.Tables, tabs...)
}

// readNFTSets reads the sets of table t, the named ones into tab, and
// returns them all by name with what the translation needs to know.
func readNFTSets(c *nftables.Conn, conn *nfConn, t *nftables.Table, tab *Table, rs *Ruleset) map[string]nftSet {
	sets := map[string]nftSet{}
	ss, err := c.GetSets(t)
	if err != nil {
		rs.problem(fmt.Sprintf("the sets of table %s %s could not be read: %v", tab.Family, t.Name, err))
	}
	for _, s := range ss {
		set, err := readNFTSet(conn, s)
		if err != nil {
			rs.problem(fmt.Sprintf("the elements of set %s in table %s %s could not be read: %v", s.Name, tab.Family, t.Name, err))
		}
		keyLen := int(s.KeyType.Bytes)
		if len(set.Elements) > 0 {
			keyLen = max(keyLen, len(set.Elements[0].Key))
		}
		sets[s.Name] = nftSet{Set: set, KeyLen: keyLen}
		if !s.Anonymous {
			tab.Sets[s.Name] = set
		}
	}
	return sets
}

// fail records why nothing could be read.
func (rs *Ruleset) fail(err error) *Ruleset {
	rs.Complete = false
	if errors.Is(err, unix.EPERM) || errors.Is(err, unix.EACCES) {
		rs.Problems = append(rs.Problems, "the nf_tables rules cannot be read without CAP_NET_ADMIN: run as root to check the firewall")
		return rs
	}
	rs.Problems = append(rs.Problems, fmt.Sprintf("the nf_tables rules could not be read: %v", err))
	return rs
}

// problem records something that could not be read.
func (rs *Ruleset) problem(s string) {
	rs.Complete = false
	rs.Problems = append(rs.Problems, s)
}

// nftFamily names a table family.
func nftFamily(f nftables.TableFamily) Family {
	switch f {
	case nftables.TableFamilyIPv4:
		return FamilyIP
	case nftables.TableFamilyIPv6:
		return FamilyIP6
	case nftables.TableFamilyINet:
		return FamilyInet
	case nftables.TableFamilyARP:
		return FamilyARP
	case nftables.TableFamilyBridge:
		return FamilyBridge
	case nftables.TableFamilyNetdev:
		return FamilyNetdev
	}
	return Family(fmt.Sprint(f))
}

// nftHook names a hook of the ip, ip6 and inet families.
func nftHook(h nftables.ChainHook) Hook {
	switch h {
	case *nftables.ChainHookPrerouting:
		return HookPrerouting
	case *nftables.ChainHookInput:
		return HookInput
	case *nftables.ChainHookForward:
		return HookForward
	case *nftables.ChainHookOutput:
		return HookOutput
	case *nftables.ChainHookPostrouting:
		return HookPostrouting
	}
	return Hook(fmt.Sprintf("hook %d", h))
}

// readNFTSet reads a set's elements into the model.
func readNFTSet(conn *nfConn, s *nftables.Set) (*Set, error) {
	set := &Set{Name: s.Name, Interval: s.Interval}
	els, err := getNFTSetElements(conn, s)
	if err != nil {
		return set, err
	}
	// v0.3.0 records a verdict map's data type in KeyType, overwriting the key's.
	if s.IsMap && (s.DataType.Name == nftables.TypeVerdict.Name || s.KeyType.Name == nftables.TypeVerdict.Name) {
		// The library leaves an element's verdict as its raw attributes.
		for i := range els {
			if v, ok := rawVerdict(els[i].Val); ok && els[i].VerdictData == nil {
				els[i].VerdictData, els[i].Val = v, nil
			}
		}
	}
	set.Elements = nftElements(s.Interval, els)
	return set, nil
}

// rawVerdict decodes a verdict's netlink attributes (NFTA_VERDICT_CODE,
// NFTA_VERDICT_CHAIN).
func rawVerdict(b []byte) (*expr.Verdict, bool) {
	ad, err := netlink.NewAttributeDecoder(b)
	if err != nil || len(b) == 0 {
		return nil, false
	}
	ad.ByteOrder = binary.BigEndian
	v := &expr.Verdict{}
	seen := false
	for ad.Next() {
		switch ad.Type() {
		case unix.NFTA_VERDICT_CODE:
			v.Kind, seen = expr.VerdictKind(int32(ad.Uint32())), true
		case unix.NFTA_VERDICT_CHAIN:
			v.Chain = ad.String()
		}
	}
	return v, seen && ad.Err() == nil
}

// nftElements turns the kernel's elements into the model's: a plain
// interval set sends each interval as its start and an "interval end"
// element one past its end; a concatenation sends start and end in one.
func nftElements(interval bool, els []nftables.SetElement) []SetElement {
	conv := func(e nftables.SetElement) SetElement {
		out := SetElement{Key: e.Key, Comment: e.Comment}
		if len(e.KeyEnd) > 0 {
			out.KeyEnd = e.KeyEnd
		}
		if e.VerdictData != nil {
			v := nftVerdict(e.VerdictData)
			out.Verdict = &v
		} else if len(e.Val) > 0 {
			out.Data = e.Val
		}
		return out
	}
	var out []SetElement
	if !interval || slices.ContainsFunc(els, func(e nftables.SetElement) bool { return len(e.KeyEnd) > 0 }) {
		for _, e := range els {
			if !e.IntervalEnd {
				out = append(out, conv(e))
			}
		}
		return out
	}
	slices.SortStableFunc(els, func(a, b nftables.SetElement) int { return bytes.Compare(a.Key, b.Key) })
	for i, e := range els {
		if e.IntervalEnd {
			continue
		}
		el := conv(e)
		if i+1 < len(els) {
			el.KeyEnd = minusOne(els[i+1].Key)
		} else {
			el.KeyEnd = bytes.Repeat([]byte{0xff}, len(e.Key))
		}
		out = append(out, el)
	}
	return out
}

// minusOne is the big-endian number b less one.
func minusOne(b []byte) []byte {
	out := bytes.Clone(b)
	for i := len(out) - 1; i >= 0; i-- {
		out[i]--
		if out[i] != 0xff {
			break
		}
	}
	return out
}

// nftVerdict is a set element's verdict in the model.
func nftVerdict(v *expr.Verdict) Verdict {
	t := &nftTranslator{}
	t.verdict(v)
	return t.rule.Verdict
}

// nftChainKey names a chain across tables and families.
type nftChainKey struct {
	family nftables.TableFamily
	table  string
	chain  string
}

// nftChainWork is a chain whose rules are to be read, with the sets of
// its table.
type nftChainWork struct {
	chain *nftables.Chain
	table int
	sets  map[string]nftSet
}

// nftReaders is how many sockets read rules at once, at most.
const nftReaders = 4

// nftTableDumpBudget is how much of a table's rules a dump of the whole
// table may bring before the reader turns to a dump per chain (a
// variable for the tests).
var nftTableDumpBudget = 2 << 20

// readNFTRules reads and translates the rules of every chain of work, by
// index. A table whose rules fit in nftTableDumpBudget is read in one
// dump; a larger one chain by chain: the kernel resumes a dump by
// skipping from the table's first rule again for each batch of about 32
// KiB, which is quadratic on kube-proxy's tens of thousands of rules,
// while a dump of one chain skips only within it. With more than one CPU
// the chains are shared among sockets opened here (in the caller's
// namespace), one goroutine each.
func readNFTRules(conn *nfConn, work []nftChainWork) ([][]Rule, error) {
	done, dumped := dumpNFTTables(work)
	out := make([][]Rule, len(work))
	conns := []*nfConn{conn}
	for len(conns) < min(runtime.GOMAXPROCS(0), nftReaders, len(work)/64+1) {
		c, err := dialNF()
		if err != nil {
			break // fewer readers
		}
		defer c.Close()
		conns = append(conns, c)
	}
	var next atomic.Int64
	errs := make([]error, len(conns))
	var wg sync.WaitGroup
	for i, c := range conns {
		wg.Go(func() {
			for {
				j := int(next.Add(1) - 1)
				if j >= len(work) {
					return
				}
				if done[j] {
					out[j] = make([]Rule, 0, len(dumped[j]))
					for _, r := range dumped[j] {
						out[j] = append(out[j], translateNFTRule(r, work[j].sets))
					}
					continue
				}
				rules, err := readNFTChain(c, work[j])
				if err != nil {
					errs[i] = err
					next.Store(int64(len(work))) // the others stop too
					return
				}
				out[j] = rules
			}
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return out, nil
}

// dumpNFTTables dumps the rules of each table of work whole, as long as
// the dump stays within nftTableDumpBudget: a table of many small chains
// (kube-proxy's nftables mode has one a Service) then costs one request,
// not one a chain. done says, by index of work, which chains' rules it
// has: the kernel sends a chain's rules one after the other, so a chain
// is whole once another's follow, or the dump ends. The rest, and every
// chain of a table whose dump failed, is left to readNFTChain.
func dumpNFTTables(work []nftChainWork) (done []bool, rules [][]nftRule) {
	done = make([]bool, len(work))
	rules = make([][]nftRule, len(work))
	byTable := map[nftChainKey]map[string]int{}
	var order []nftChainKey
	for i, w := range work {
		k := nftChainKey{family: w.chain.Table.Family, table: w.chain.Table.Name}
		if byTable[k] == nil {
			byTable[k] = map[string]int{}
			order = append(order, k)
		}
		byTable[k][w.chain.Name] = i
	}
	var conn *nfConn
	defer func() {
		if conn != nil {
			conn.Close()
		}
	}()
	for _, tk := range order {
		if conn == nil {
			c, err := dialNF()
			if err != nil {
				return done, rules
			}
			conn = c
		}
		chains := byTable[tk]
		seen := map[int]bool{}
		last, size := -1, 0
		prev := tk
		err := conn.request(unix.NFT_MSG_GETRULE, byte(tk.family), true, nlAttrAppend(nil, unix.NFTA_RULE_TABLE, []byte(tk.table+"\x00")), func(m []byte) error {
			if size += len(m); size > nftTableDumpBudget {
				return errNFStop
			}
			key, r, err := parseNFTRuleMsg(m, prev)
			if err != nil {
				return err
			}
			prev = key
			i, ok := chains[key.chain]
			if !ok || key.family != tk.family || key.table != tk.table {
				return nil // a chain made since the chains were listed
			}
			rules[i] = append(rules[i], r)
			seen[i], last = true, i
			return nil
		})
		for _, i := range chains {
			switch {
			case err == nil:
				done[i] = true
			case errors.Is(err, errNFStop) && seen[i] && i != last:
				done[i] = true
			default:
				rules[i] = nil
			}
		}
		if err != nil {
			conn.Close() // it may be in the middle of the dump
			conn = nil
		}
	}
	return done, rules
}

// readNFTChain dumps one chain's rules and translates them.
func readNFTChain(conn *nfConn, w nftChainWork) ([]Rule, error) {
	ch := w.chain
	attrs, err := netlink.MarshalAttributes([]netlink.Attribute{
		{Type: unix.NFTA_RULE_TABLE, Data: []byte(ch.Table.Name + "\x00")},
		{Type: unix.NFTA_RULE_CHAIN, Data: []byte(ch.Name + "\x00")},
	})
	if err != nil {
		return nil, err
	}
	want := nftChainKey{ch.Table.Family, ch.Table.Name, ch.Name}
	var rules []Rule
	err = conn.request(unix.NFT_MSG_GETRULE, byte(ch.Table.Family), true, attrs, func(m []byte) error {
		key, r, err := parseNFTRuleMsg(m, want)
		if err != nil {
			return err
		}
		if key != want {
			return fmt.Errorf("asked for the rules of chain %s, the kernel sent one of %s", ch.Name, key.chain)
		}
		rules = append(rules, translateNFTRule(r, w.sets))
		return nil
	})
	if errors.Is(err, unix.ENOENT) {
		return nil, nil // the chain went away since it was listed
	}
	return rules, err
}
