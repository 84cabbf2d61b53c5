// nftcache_linux.go holds the process's cache of nf_tables rule sets, by
// network namespace and rule set generation: check reads a namespace's
// rules a second time when it follows a port into the other namespaces,
// and a kube-proxy-sized rule set costs more to read than all the rest of
// a check. The kernel counts every change to a namespace's rule set in its
// generation, so a rule set read whole in one generation is the rule set
// for as long as the generation stays; but for what changes without a
// transaction: counters, and set elements that rules add or that time
// out. Those are as the first read saw them, for at most nftCacheTTL.

package inspect

import (
	"encoding/binary"
	"slices"
	"sync"
	"time"

	"golang.org/x/sys/unix"
)

// nftCacheSize is how many namespaces' rule sets are kept, and
// nftCacheTTL for how long.
const (
	nftCacheSize = 16
	nftCacheTTL  = 10 * time.Second
)

// nftCached is one namespace's rule set. nsfd holds the namespace open,
// so that its inode (the key) cannot be taken by another namespace while
// the entry lives.
type nftCached struct {
	dev, ino uint64
	gen      uint32
	nsfd     int
	rs       *Ruleset
	at       time.Time
}

// nftCache holds the most recently read rule sets, the newest last.
var nftCache struct {
	sync.Mutex
	entries []nftCached
}

// nftIdentity is the network namespace of conn's socket and an open file
// of it, and the generation of its rule set: ok false when the kernel
// cannot tell (SIOCGSKNS is Linux 5.6 and later).
func nftIdentity(conn *nfConn) (dev, ino uint64, nsfd int, gen uint32, ok bool) {
	gen, err := nftGeneration(conn)
	if err != nil {
		return 0, 0, -1, 0, false
	}
	nsfd, err = unix.IoctlRetInt(conn.fd, unix.SIOCGSKNS)
	if err != nil {
		return 0, 0, -1, 0, false
	}
	var st unix.Stat_t
	if err := unix.Fstat(nsfd, &st); err != nil {
		unix.Close(nsfd)
		return 0, 0, -1, 0, false
	}
	return st.Dev, st.Ino, nsfd, gen, true
}

// nftGeneration asks for the generation of the rule set (NFT_MSG_GETGEN).
func nftGeneration(conn *nfConn) (uint32, error) {
	var gen uint32
	found := false
	err := conn.request(unix.NFT_MSG_GETGEN, unix.AF_UNSPEC, false, nil, func(m []byte) error {
		if len(m) < 4 {
			return unix.EPROTO
		}
		forEachAttr(m[4:], func(typ uint16, data []byte) {
			if typ == unix.NFTA_GEN_ID && len(data) == 4 {
				gen, found = binary.BigEndian.Uint32(data), true
			}
		})
		return nil
	})
	if err == nil && !found {
		err = unix.EPROTO
	}
	return gen, err
}

// nftCacheGet is the cached rule set of a namespace in generation gen,
// nil when there is none.
func nftCacheGet(dev, ino uint64, gen uint32) *Ruleset {
	nftCache.Lock()
	defer nftCache.Unlock()
	for _, e := range nftCache.entries {
		if e.dev == dev && e.ino == ino && e.gen == gen && time.Since(e.at) < nftCacheTTL {
			return e.rs.share()
		}
	}
	return nil
}

// nftCachePut keeps rs as the rule set of a namespace in generation gen,
// taking nsfd; it replaces the namespace's older entry, and the oldest
// entry when the cache is full.
func nftCachePut(dev, ino uint64, nsfd int, gen uint32, rs *Ruleset) {
	nftCache.Lock()
	defer nftCache.Unlock()
	nftCache.entries = slices.DeleteFunc(nftCache.entries, func(e nftCached) bool {
		if e.dev == dev && e.ino == ino {
			unix.Close(e.nsfd)
			return true
		}
		return false
	})
	if len(nftCache.entries) == nftCacheSize {
		unix.Close(nftCache.entries[0].nsfd)
		nftCache.entries = slices.Delete(nftCache.entries, 0, 1)
	}
	nftCache.entries = append(nftCache.entries, nftCached{dev: dev, ino: ino, gen: gen, nsfd: nsfd, rs: rs.share(), at: time.Now()})
}

// share is a Ruleset for a new owner that holds the same tables: the
// owner may append tables and problems (the legacy readers do) without
// changing rs, and never changes a table, chain, rule or set.
func (rs *Ruleset) share() *Ruleset {
	out := *rs
	out.Tables = slices.Clip(rs.Tables)
	out.Problems = slices.Clip(rs.Problems)
	return &out
}
