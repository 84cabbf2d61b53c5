// nftrulemsg_linux.go holds the parsing of the kernel's rule messages
// (NFT_MSG_NEWRULE) into nftRule, keeping what the library would drop:
// the name of every expression, so that one it cannot decode is recorded,
// not lost. The kinds that make most rules (payload, cmp, meta, counter,
// immediate, and iptables-nft's comment match) are decoded here into the
// library's types, the values it would give, without its decoders'
// allocations: a kube-proxy rule set holds hundreds of thousands of them.
// The message is the reader's buffer: nothing kept points into it.

package inspect

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/google/nftables"
	"github.com/google/nftables/expr"
	"github.com/google/nftables/xt"
	"golang.org/x/sys/unix"
)

// errNFTMsg is an nf_tables message that is not whole attributes, or
// lacks one that it must have.
var errNFTMsg = errors.New("malformed nf_tables message")

// parseNFTRuleMsg parses one NFT_MSG_NEWRULE message: its nfgenmsg header
// and attributes. want is the chain that was asked for: names equal to
// its are not copied again.
func parseNFTRuleMsg(data []byte, want nftChainKey) (nftChainKey, nftRule, error) {
	if len(data) < 4 {
		return want, nftRule{}, errNFTMsg
	}
	fam := data[0]
	key := nftChainKey{family: nftables.TableFamily(fam), table: want.table, chain: want.chain}
	r := nftRule{Family: nftFamily(key.family)}
	var exprs []byte
	ok := true
	ok = forEachAttr(data[4:], func(typ uint16, b []byte) {
		switch typ {
		case unix.NFTA_RULE_TABLE:
			if s := bytes.TrimRight(b, "\x00"); string(s) != key.table {
				key.table = string(s)
			}
		case unix.NFTA_RULE_CHAIN:
			if s := bytes.TrimRight(b, "\x00"); string(s) != key.chain {
				key.chain = string(s)
			}
		case unix.NFTA_RULE_HANDLE:
			if len(b) != 8 {
				ok = false
				return
			}
			r.Handle = binary.BigEndian.Uint64(b)
		case unix.NFTA_RULE_USERDATA:
			r.UserData = bytes.Clone(b)
		case unix.NFTA_RULE_EXPRESSIONS:
			exprs = b
		}
	}) && ok
	if !ok {
		return key, r, errNFTMsg
	}
	if exprs == nil {
		return key, r, nil
	}
	n := 0
	if !forEachAttr(exprs, func(uint16, []byte) { n++ }) {
		return key, r, errNFTMsg
	}
	r.Exprs = make([]expr.Any, 0, n)
	forEachAttr(exprs, func(typ uint16, b []byte) {
		if typ != unix.NFTA_LIST_ELEM {
			return
		}
		var name, edata []byte
		ok = forEachAttr(b, func(typ uint16, b []byte) {
			switch typ {
			case unix.NFTA_EXPR_NAME:
				name = bytes.TrimRight(b, "\x00")
			case unix.NFTA_EXPR_DATA:
				edata = b
			}
		}) && ok
		r.addExpr(fam, string(name), edata)
	})
	if !ok {
		return key, r, errNFTMsg
	}
	return key, r, nil
}

// addExpr decodes one expression, or records its name when the library
// does not know it. data is nil when the kernel sent no NFTA_EXPR_DATA.
func (r *nftRule) addExpr(fam byte, name string, data []byte) {
	e, ok := decodeNFTExpr(name, data)
	if !ok {
		var skipped string
		// The library's values may point into data (its cmp and range
		// do), which is the reader's buffer.
		if e, skipped = libraryNFTExpr(fam, name, bytes.Clone(data)); skipped != "" {
			r.Skipped = append(r.Skipped, skipped)
			return
		}
	}
	r.Exprs = append(r.Exprs, e)
}

// libraryNFTExpr decodes one expression with the library; when it cannot,
// skipped says what was left out ("expr osf").
func libraryNFTExpr(fam byte, name string, data []byte) (e expr.Any, skipped string) {
	e = newNFTExpr(name)
	if e == nil {
		return nil, "expr " + name
	}
	if data != nil {
		if err := expr.Unmarshal(fam, data, e); err != nil {
			return nil, fmt.Sprintf("expr %s (%v)", name, err)
		}
	}
	// An immediate into the verdict register is a verdict.
	if imm, ok := e.(*expr.Immediate); ok && imm.Register == unix.NFT_REG_VERDICT && len(imm.Data) == 0 {
		v := &expr.Verdict{}
		if err := expr.Unmarshal(fam, data, v); err != nil {
			return nil, fmt.Sprintf("expr verdict (%v)", err)
		}
		e = v
	}
	return e, ""
}

// decodeNFTExpr decodes a payload, cmp, meta, counter, immediate or xt
// comment match expression as the library would, into values that do not
// point into data; ok false leaves the expression to the
// library (libraryNFTExpr): another kind, or an attribute of a length the
// library would refuse or read its own way.
func decodeNFTExpr(name string, data []byte) (e expr.Any, ok bool) {
	if data == nil {
		return nil, false
	}
	ok = true
	// u32 and u64 read an attribute's value, clearing ok when it is not of
	// that length.
	u32 := func(b []byte) uint32 {
		if len(b) != 4 {
			ok = false
			return 0
		}
		return binary.BigEndian.Uint32(b)
	}
	u64 := func(b []byte) uint64 {
		if len(b) != 8 {
			ok = false
			return 0
		}
		return binary.BigEndian.Uint64(b)
	}
	switch name {
	case "payload":
		p := &expr.Payload{}
		ok = forEachAttr(data, func(typ uint16, b []byte) {
			switch typ {
			case unix.NFTA_PAYLOAD_DREG:
				p.DestRegister = u32(b)
			case unix.NFTA_PAYLOAD_SREG:
				p.SourceRegister = u32(b)
				p.OperationType = expr.PayloadWrite
			case unix.NFTA_PAYLOAD_BASE:
				p.Base = expr.PayloadBase(u32(b))
			case unix.NFTA_PAYLOAD_OFFSET:
				p.Offset = u32(b)
			case unix.NFTA_PAYLOAD_LEN:
				p.Len = u32(b)
			case unix.NFTA_PAYLOAD_CSUM_TYPE:
				p.CsumType = expr.PayloadCsumType(u32(b))
			case unix.NFTA_PAYLOAD_CSUM_OFFSET:
				p.CsumOffset = u32(b)
			case unix.NFTA_PAYLOAD_CSUM_FLAGS:
				p.CsumFlags = u32(b)
			}
		}) && ok
		e = p
	case "cmp":
		c := &expr.Cmp{}
		ok = forEachAttr(data, func(typ uint16, b []byte) {
			switch typ {
			case unix.NFTA_CMP_SREG:
				c.Register = u32(b)
			case unix.NFTA_CMP_OP:
				c.Op = expr.CmpOp(u32(b))
			case unix.NFTA_CMP_DATA:
				// The library reads the first nested attribute only.
				first := true
				ok = forEachAttr(b, func(typ uint16, b []byte) {
					if first && typ == unix.NFTA_DATA_VALUE {
						c.Data = bytes.Clone(b)
					}
					first = false
				}) && ok
			}
		}) && ok
		e = c
	case "meta":
		m := &expr.Meta{}
		ok = forEachAttr(data, func(typ uint16, b []byte) {
			switch typ {
			case unix.NFTA_META_SREG:
				m.Register = u32(b)
				m.SourceRegister = true
			case unix.NFTA_META_DREG:
				m.Register = u32(b)
			case unix.NFTA_META_KEY:
				m.Key = expr.MetaKey(u32(b))
			}
		}) && ok
		e = m
	case "counter":
		c := &expr.Counter{}
		ok = forEachAttr(data, func(typ uint16, b []byte) {
			switch typ {
			case unix.NFTA_COUNTER_BYTES:
				c.Bytes = u64(b)
			case unix.NFTA_COUNTER_PACKETS:
				c.Packets = u64(b)
			}
		}) && ok
		e = c
	case "immediate":
		e, ok = decodeNFTImmediate(data)
	case "match":
		e, ok = decodeNFTComment(data)
	default:
		return nil, false
	}
	return e, ok
}

// decodeNFTImmediate decodes an immediate expression: a verdict when it
// loads the verdict register and no value (as addExpr makes of the
// library's).
func decodeNFTImmediate(data []byte) (expr.Any, bool) {
	imm := &expr.Immediate{}
	var verdict []byte
	ok := true
	ok = forEachAttr(data, func(typ uint16, b []byte) {
		switch typ {
		case unix.NFTA_IMMEDIATE_DREG:
			if len(b) != 4 {
				ok = false
				return
			}
			imm.Register = binary.BigEndian.Uint32(b)
		case unix.NFTA_IMMEDIATE_DATA:
			ok = forEachAttr(b, func(typ uint16, b []byte) {
				switch typ {
				case unix.NFTA_DATA_VALUE:
					imm.Data = bytes.Clone(b)
				case unix.NFTA_DATA_VERDICT:
					verdict = b
				}
			}) && ok
		}
	}) && ok
	if !ok {
		return nil, false
	}
	if imm.Register != unix.NFT_REG_VERDICT || len(imm.Data) != 0 {
		return imm, true
	}
	// The library reads the verdict's code and chain by position: the
	// code's attribute first, then the chain's.
	if len(verdict) < 8 {
		return nil, false
	}
	v := &expr.Verdict{Kind: expr.VerdictKind(int32(binary.BigEndian.Uint32(verdict[4:8])))}
	if len(verdict) > 12 {
		v.Chain = string(bytes.Trim(verdict[12:], "\x00"))
	}
	return v, true
}

// decodeNFTComment decodes an xt match expression when it is a comment
// (iptables-nft's -m comment, on nearly every rule kube-proxy writes);
// ok false for another match.
func decodeNFTComment(data []byte) (expr.Any, bool) {
	var name, info []byte
	var rev uint32
	ok := true
	ok = forEachAttr(data, func(typ uint16, b []byte) {
		switch typ {
		case unix.NFTA_MATCH_NAME:
			name = bytes.TrimRight(b, "\x00")
		case unix.NFTA_MATCH_REV:
			if len(b) != 4 {
				ok = false // the library refuses it
				return
			}
			rev = binary.BigEndian.Uint32(b)
		case unix.NFTA_MATCH_INFO:
			info = b
		}
	}) && ok
	if !ok || string(name) != "comment" || len(info) != xt.CommentSize {
		return nil, false
	}
	c := xt.Comment(bytes.TrimRight(info, "\x00"))
	return &expr.Match{Name: "comment", Rev: rev, Info: &c}, true
}

// newNFTExpr is the library's expression type for a kernel name; nil
// for one it does not decode.
func newNFTExpr(name string) expr.Any {
	switch name {
	case "ct":
		return &expr.Ct{}
	case "range":
		return &expr.Range{}
	case "meta":
		return &expr.Meta{}
	case "cmp":
		return &expr.Cmp{}
	case "counter":
		return &expr.Counter{}
	case "objref":
		return &expr.Objref{}
	case "payload":
		return &expr.Payload{}
	case "lookup":
		return &expr.Lookup{}
	case "immediate":
		return &expr.Immediate{}
	case "bitwise":
		return &expr.Bitwise{}
	case "redir":
		return &expr.Redir{}
	case "nat":
		return &expr.NAT{}
	case "limit":
		return &expr.Limit{}
	case "quota":
		return &expr.Quota{}
	case "dynset":
		return &expr.Dynset{}
	case "log":
		return &expr.Log{}
	case "exthdr":
		return &expr.Exthdr{}
	case "match":
		return &expr.Match{}
	case "target":
		return &expr.Target{}
	case "connlimit":
		return &expr.Connlimit{}
	case "queue":
		return &expr.Queue{}
	case "reject":
		return &expr.Reject{}
	case "masq":
		return &expr.Masq{}
	case "hash":
		return &expr.Hash{}
	case "fib":
		return &expr.Fib{}
	case "numgen":
		return &expr.Numgen{}
	case "notrack":
		return &expr.Notrack{}
	case "rt":
		return &expr.Rt{}
	case "socket":
		return &expr.Socket{}
	}
	return nil
}
