// nftsetmsg_linux.go holds the reading of a set's elements through nfConn
// and the parsing of their messages (NFT_MSG_NEWSETELEM) into the
// library's SetElement, the fields that the reader uses as the library's
// GetSetElements gives them (a verdict map's verdict left as its raw
// attributes): the library reads the dump in page-sized batches, and the
// kernel walks the set from its first element again for each.

package inspect

import (
	"bytes"
	"encoding/binary"

	"github.com/google/nftables"
	"github.com/google/nftables/userdata"
	"golang.org/x/sys/unix"
)

// nftSetElemKeyEnd is NFTA_SET_ELEM_KEY_END (Linux 5.6), which
// golang.org/x/sys/unix does not name.
const nftSetElemKeyEnd = 10

// getNFTSetElements reads the elements of set s.
func getNFTSetElements(conn *nfConn, s *nftables.Set) ([]nftables.SetElement, error) {
	attrs := nlAttrAppend(nil, unix.NFTA_SET_ELEM_LIST_TABLE, []byte(s.Table.Name+"\x00"))
	attrs = nlAttrAppend(attrs, unix.NFTA_SET_ELEM_LIST_SET, []byte(s.Name+"\x00"))
	var out []nftables.SetElement
	err := conn.request(unix.NFT_MSG_GETSETELEM, byte(s.Table.Family), true, attrs, func(m []byte) error {
		var err error
		out, err = parseNFTSetElemMsg(m, out)
		return err
	})
	return out, err
}

// parseNFTSetElemMsg appends the elements of one NFT_MSG_NEWSETELEM
// message (its nfgenmsg header and attributes) to out.
func parseNFTSetElemMsg(data []byte, out []nftables.SetElement) ([]nftables.SetElement, error) {
	if len(data) < 4 {
		return out, errNFTMsg
	}
	ok := true
	ok = forEachAttr(data[4:], func(typ uint16, b []byte) {
		if typ != unix.NFTA_SET_ELEM_LIST_ELEMENTS {
			return
		}
		ok = forEachAttr(b, func(typ uint16, b []byte) {
			var e nftables.SetElement
			if typ == unix.NFTA_LIST_ELEM {
				ok = parseNFTSetElem(b, &e) && ok
			}
			out = append(out, e) // as the library does, for any attribute
		}) && ok
	}) && ok
	if !ok {
		return out, errNFTMsg
	}
	return out, nil
}

// parseNFTSetElem parses one element's attributes into e; false when
// they are malformed.
func parseNFTSetElem(b []byte, e *nftables.SetElement) bool {
	ok := true
	// value is the data of the first attribute nested in b that is a
	// value or a verdict (the library's decodeElement), copied.
	value := func(b []byte) []byte {
		var v []byte
		ok = forEachAttr(b, func(typ uint16, b []byte) {
			if typ == unix.NFTA_DATA_VALUE || typ == unix.NFTA_DATA_VERDICT {
				v = bytes.Clone(b)
			}
		}) && ok
		return v
	}
	ok = forEachAttr(b, func(typ uint16, b []byte) {
		switch typ {
		case unix.NFTA_SET_ELEM_KEY:
			e.Key = value(b)
		case nftSetElemKeyEnd:
			e.KeyEnd = value(b)
		case unix.NFTA_SET_ELEM_DATA:
			e.Val = value(b)
		case unix.NFTA_SET_ELEM_FLAGS:
			if len(b) != 4 {
				ok = false
				return
			}
			e.IntervalEnd = binary.BigEndian.Uint32(b)&unix.NFT_SET_ELEM_INTERVAL_END != 0
		case unix.NFTA_SET_ELEM_USERDATA:
			if c, found := userdata.GetString(b, userdata.NFTNL_UDATA_SET_ELEM_COMMENT); found {
				e.Comment = c
			}
		}
	}) && ok
	return ok
}

// nlAttrAppend appends a netlink attribute to b.
func nlAttrAppend(b []byte, typ uint16, data []byte) []byte {
	b = binary.NativeEndian.AppendUint16(b, uint16(unix.SizeofNlAttr+len(data)))
	b = binary.NativeEndian.AppendUint16(b, typ)
	b = append(b, data...)
	for len(b)%unix.NLA_ALIGNTO != 0 {
		b = append(b, 0)
	}
	return b
}
