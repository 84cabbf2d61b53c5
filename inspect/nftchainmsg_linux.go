// nftchainmsg_linux.go holds the listing of every chain through nfConn
// and the parsing of its messages (NFT_MSG_NEWCHAIN) into the library's
// Chain, as the library's ListChains would give it: its netlink connection
// reads a dump in page-sized batches, and the kernel resumes each batch by
// skipping from the first chain again, which on kube-proxy's 15,000
// chains costs more than the rest of the listing.

package inspect

import (
	"bytes"
	"encoding/binary"

	"github.com/google/nftables"
	"golang.org/x/sys/unix"
)

// listNFTChains lists the chains of every table of every family.
func listNFTChains(conn *nfConn) ([]*nftables.Chain, error) {
	var chains []*nftables.Chain
	tables := map[nftChainKey]*nftables.Table{}
	err := conn.request(unix.NFT_MSG_GETCHAIN, unix.AF_UNSPEC, true, nil, func(m []byte) error {
		ch, err := parseNFTChainMsg(m, tables)
		if err == nil {
			chains = append(chains, ch)
		}
		return err
	})
	return chains, err
}

// parseNFTChainMsg parses one NFT_MSG_NEWCHAIN message: its nfgenmsg
// header and attributes. tables holds the Table of each family and name
// seen, shared by its chains.
func parseNFTChainMsg(data []byte, tables map[nftChainKey]*nftables.Table) (*nftables.Chain, error) {
	if len(data) < 4 {
		return nil, errNFTMsg
	}
	fam := nftables.TableFamily(data[0])
	c := &nftables.Chain{}
	ok := true
	ok = forEachAttr(data[4:], func(typ uint16, b []byte) {
		switch typ {
		case unix.NFTA_CHAIN_NAME:
			c.Name = string(bytes.TrimRight(b, "\x00"))
		case unix.NFTA_CHAIN_TABLE:
			key := nftChainKey{family: fam, table: string(bytes.TrimRight(b, "\x00"))}
			if c.Table = tables[key]; c.Table == nil {
				c.Table = &nftables.Table{Name: key.table, Family: fam}
				tables[key] = c.Table
			}
		case unix.NFTA_CHAIN_TYPE:
			c.Type = nftables.ChainType(bytes.TrimRight(b, "\x00"))
		case unix.NFTA_CHAIN_POLICY:
			if len(b) < 4 {
				ok = false
				return
			}
			p := nftables.ChainPolicy(binary.BigEndian.Uint32(b))
			c.Policy = &p
		case unix.NFTA_CHAIN_HOOK:
			var hook nftables.ChainHook
			var prio nftables.ChainPriority
			ok = forEachAttr(b, func(typ uint16, b []byte) {
				if len(b) != 4 {
					return // the library reads it as 0
				}
				switch typ {
				case unix.NFTA_HOOK_HOOKNUM:
					hook = nftables.ChainHook(binary.BigEndian.Uint32(b))
				case unix.NFTA_HOOK_PRIORITY:
					prio = nftables.ChainPriority(int32(binary.BigEndian.Uint32(b)))
				}
			}) && ok
			c.Hooknum, c.Priority = &hook, &prio
		}
	}) && ok
	if !ok || c.Table == nil {
		return nil, errNFTMsg
	}
	return c, nil
}
