// nfttablemsg_linux.go holds the listing of every nf_tables table through
// nfConn and the parsing of its messages (NFT_MSG_NEWTABLE) into the
// library's Table, as the library's ListTables gives it. A host without
// rules, the common case, is then read with one socket and two requests:
// the library's connection (a non-blocking socket, its poller and
// goroutines) is opened only when some table exists.

package inspect

import (
	"bytes"
	"encoding/binary"

	"github.com/google/nftables"
	"golang.org/x/sys/unix"
)

// listNFTTables lists the tables of every family.
func listNFTTables(conn *nfConn) ([]*nftables.Table, error) {
	var tables []*nftables.Table
	err := conn.request(unix.NFT_MSG_GETTABLE, unix.AF_UNSPEC, true, nil, func(m []byte) error {
		t, err := parseNFTTableMsg(m)
		if err == nil {
			tables = append(tables, t)
		}
		return err
	})
	return tables, err
}

// parseNFTTableMsg parses one NFT_MSG_NEWTABLE message: its nfgenmsg
// header and attributes.
func parseNFTTableMsg(data []byte) (*nftables.Table, error) {
	if len(data) < 4 {
		return nil, errNFTMsg
	}
	t := &nftables.Table{Family: nftables.TableFamily(data[0])}
	ok := true
	ok = forEachAttr(data[4:], func(typ uint16, b []byte) {
		switch typ {
		case unix.NFTA_TABLE_NAME:
			t.Name = string(bytes.TrimRight(b, "\x00"))
		case unix.NFTA_TABLE_USE, unix.NFTA_TABLE_FLAGS:
			if len(b) < 4 {
				ok = false
				return
			}
			if v := binary.BigEndian.Uint32(b); typ == unix.NFTA_TABLE_USE {
				t.Use = v
			} else {
				t.Flags = v
			}
		}
	}) && ok
	if !ok {
		return nil, errNFTMsg
	}
	return t, nil
}
