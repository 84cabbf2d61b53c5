// sockdiag.go holds the pure part of the sock_diag backend: netlink
// requests built and answers parsed, untagged so that every OS tests it.

package inspect

// The pure half of the Linux sock_diag backend: it builds inet_diag requests
// and parses the kernel's answers, on bytes only, so that it is tested on
// literal messages on every OS. The I/O half is sockdiag_linux.go.
//
// The layouts are the kernel's UAPI (linux/netlink.h, linux/inet_diag.h,
// linux/sock_diag.h), a stable ABI: integers in host byte order, ports and
// addresses in network byte order.

import (
	"encoding/binary"
	"errors"
	"fmt"
	"net/netip"
	"strconv"
	"syscall"
)

// Netlink and inet_diag constants (the same on every Linux architecture).
const (
	nlmsgHdrLen      = 16 // struct nlmsghdr
	nlmsgError       = 2  // NLMSG_ERROR
	nlmsgDone        = 3  // NLMSG_DONE
	nlmFRequest      = 0x1
	nlmFDump         = 0x300 // NLM_F_ROOT | NLM_F_MATCH
	sockDiagByFamily = 20    // SOCK_DIAG_BY_FAMILY

	inetDiagReqV2Len = 56 // struct inet_diag_req_v2
	inetDiagMsgLen   = 72 // struct inet_diag_msg

	inetDiagReqBytecode = 1  // INET_DIAG_REQ_BYTECODE request attribute
	inetDiagSKV6Only    = 11 // INET_DIAG_SKV6ONLY answer attribute (u8)

	bcJmp = 1  // INET_DIAG_BC_JMP
	bcSEq = 11 // INET_DIAG_BC_S_EQ: local port equals (added after MARK_COND)

	afInet     = 2  // AF_INET
	afInet6    = 10 // AF_INET6
	ipprotoTCP = 6
	ipprotoUDP = 17

	tcpEstablished = 1  // TCP_ESTABLISHED; a connected UDP socket too
	tcpClose       = 7  // TCP_CLOSE; an unconnected UDP socket too
	tcpListen      = 10 // TCP_LISTEN
)

// tcpStates names the kernel's TCP states (include/net/tcp_states.h) as
// netstat and gopsutil print them.
var tcpStates = map[uint8]State{
	1:  StateEstablished,
	2:  StateSynSent,
	3:  StateSynRecv,
	4:  StateFinWait1,
	5:  StateFinWait2,
	6:  StateTimeWait,
	7:  StateClose,
	8:  StateCloseWait,
	9:  StateLastAck,
	10: StateListen,
	11: StateClosing,
	12: StateSynRecv, // TCP_NEW_SYN_RECV: a request socket, as ss shows it
}

// diagStates is the idiag_states bitmask for the states f wants of proto;
// 0 means that f wants no socket of proto at all.
func diagStates(f Filter, proto Protocol) uint32 {
	if !f.wantsProto(proto) {
		return 0
	}
	if len(f.States) == 0 || len(f.AnyStatePorts) > 0 {
		// Every state: AnyStatePorts are then sorted out in user space.
		return 0xffffffff
	}
	var mask uint32
	if proto == UDP {
		if f.wantsState(StateUnconnected) {
			mask |= 1 << tcpClose
		}
		if f.wantsState(StateConnected) {
			mask |= 1 << tcpEstablished
		}
		return mask
	}
	for k, st := range tcpStates {
		if f.wantsState(st) {
			mask |= 1 << k
		}
	}
	return mask
}

// portBytecode compiles "local port is one of ports" into inet_diag
// bytecode, so that the kernel sends only those sockets. Each op is
// {code u8, yes u8, no u16}: the kernel goes yes bytes on when the test
// holds and no bytes on when not; landing exactly on the end accepts the
// socket, going past it rejects it. The kernel's audit follows the yes
// chain, so every yes steps to the next op. For ports p1..pn:
//
//	S_EQ p1 (yes: the JMP, no: S_EQ p2)  JMP (to the end: accept)
//	...
//	S_EQ pn (yes: the end: accept, no: past the end: reject)
//
// Past maxBytecodePorts ports (the jumps are 16-bit byte offsets) it
// returns nil, and the ports are filtered in user space only.
func portBytecode(ports []uint16) []byte {
	if len(ports) == 0 || len(ports) > maxBytecodePorts {
		return nil
	}
	const eqLen, jmpLen = 8, 4
	total := len(ports)*(eqLen+jmpLen) - jmpLen
	b := make([]byte, 0, total)
	op := func(code, yes uint8, no uint16) {
		b = append(b, code, yes)
		b = binary.NativeEndian.AppendUint16(b, no)
	}
	for i, p := range ports {
		if i == len(ports)-1 {
			op(bcSEq, eqLen, eqLen+jmpLen) // no: 4 bytes past the end
			op(0, 0, p)
			break
		}
		op(bcSEq, eqLen, eqLen+jmpLen)
		op(0, 0, p)
		op(bcJmp, jmpLen, uint16(total-len(b))) // from the JMP to the end
	}
	return b
}

// maxBytecodePorts bounds the port bytecode to well under 64 KiB.
const maxBytecodePorts = 1024

// diagRequest builds one SOCK_DIAG_BY_FAMILY dump request: family afInet or
// afInet6, protocol ipprotoTCP or ipprotoUDP, states the wanted states'
// bitmask, and bytecode (may be nil) the kernel-side filter.
func diagRequest(family, protocol uint8, states uint32, bytecode []byte, seq uint32) []byte {
	n := nlmsgHdrLen + inetDiagReqV2Len
	if len(bytecode) > 0 {
		n += 4 + align4(len(bytecode))
	}
	b := make([]byte, 0, n)
	ne := binary.NativeEndian
	b = ne.AppendUint32(b, uint32(n))
	b = ne.AppendUint16(b, sockDiagByFamily)
	b = ne.AppendUint16(b, nlmFRequest|nlmFDump)
	b = ne.AppendUint32(b, seq)
	b = ne.AppendUint32(b, 0) // port id: the kernel
	// struct inet_diag_req_v2. idiag_ext asks for optional attributes by
	// bit (1 << (type-1)); none is needed: INET_DIAG_SKV6ONLY (type 11,
	// past the 8 bits of idiag_ext) is sent for every AF_INET6 socket in
	// LISTEN or CLOSE (unconnected UDP), and the queues are in the message.
	b = append(b, family, protocol, 0 /* idiag_ext */, 0 /* pad */)
	b = ne.AppendUint32(b, states)
	b = append(b, make([]byte, 48)...) // inet_diag_sockid: any
	if len(bytecode) > 0 {
		b = ne.AppendUint16(b, uint16(4+len(bytecode)))
		b = ne.AppendUint16(b, inetDiagReqBytecode)
		b = append(b, bytecode...)
		b = append(b, make([]byte, align4(len(bytecode))-len(bytecode))...)
	}
	return b
}

// align4 rounds n up to netlink's 4-byte alignment.
func align4(n int) int { return (n + 3) &^ 3 }

// diagMsg is one socket as inet_diag describes it.
type diagMsg struct {
	family         uint8
	state          uint8
	sport, dport   uint16
	src, dst       [16]byte
	ifindex        uint32
	rqueue, wqueue uint32
	uid            uint32
	inode          uint32
	v6only         int8 // -1: not sent
}

// errDiagTruncated says that a message is shorter than its header claims.
var errDiagTruncated = errors.New("sock_diag: truncated netlink message")

// parseDiagBatch parses one datagram of a dump answer to request seq,
// calling fn for each socket. done is true after NLMSG_DONE. An
// NLMSG_ERROR becomes a *syscall.Errno-wrapping error. Messages of another
// sequence number (a stale answer) are skipped.
func parseDiagBatch(b []byte, seq uint32, fn func(*diagMsg)) (done bool, err error) {
	ne := binary.NativeEndian
	var m diagMsg
	for len(b) >= nlmsgHdrLen {
		l := int(ne.Uint32(b[0:4]))
		typ := ne.Uint16(b[4:6])
		mseq := ne.Uint32(b[8:12])
		if l < nlmsgHdrLen || l > len(b) {
			return false, errDiagTruncated
		}
		body := b[nlmsgHdrLen:l]
		next := min(align4(l), len(b))
		b = b[next:]
		if mseq != seq {
			continue
		}
		switch typ {
		case nlmsgDone:
			if len(body) >= 4 {
				if e := int32(ne.Uint32(body)); e < 0 {
					return true, fmt.Errorf("sock_diag dump: %w", syscall.Errno(-e))
				}
			}
			return true, nil
		case nlmsgError:
			if len(body) < 4 {
				return false, errDiagTruncated
			}
			e := int32(ne.Uint32(body))
			if e == 0 { // an acknowledgement
				continue
			}
			return true, fmt.Errorf("sock_diag: %w", syscall.Errno(-e))
		case sockDiagByFamily:
			if err := parseDiagMsg(body, &m); err != nil {
				return false, err
			}
			fn(&m)
		}
	}
	return false, nil
}

// parseDiagMsg parses one struct inet_diag_msg and its attributes into m.
func parseDiagMsg(b []byte, m *diagMsg) error {
	if len(b) < inetDiagMsgLen {
		return errDiagTruncated
	}
	ne := binary.NativeEndian
	*m = diagMsg{family: b[0], state: b[1], v6only: -1}
	id := b[4:52] // struct inet_diag_sockid
	m.sport = binary.BigEndian.Uint16(id[0:2])
	m.dport = binary.BigEndian.Uint16(id[2:4])
	copy(m.src[:], id[4:20])
	copy(m.dst[:], id[20:36])
	m.ifindex = ne.Uint32(id[36:40])
	m.rqueue = ne.Uint32(b[56:60])
	m.wqueue = ne.Uint32(b[60:64])
	m.uid = ne.Uint32(b[64:68])
	m.inode = ne.Uint32(b[68:72])
	for a := b[inetDiagMsgLen:]; len(a) >= 4; {
		l := int(ne.Uint16(a[0:2]))
		typ := ne.Uint16(a[2:4]) & 0x3fff // drop NLA_F_NESTED, NLA_F_NET_BYTEORDER
		if l < 4 || l > len(a) {
			return errDiagTruncated
		}
		if typ == inetDiagSKV6Only && l >= 5 {
			m.v6only = int8(a[4])
		}
		a = a[min(align4(l), len(a)):]
	}
	return nil
}

// socketExtra holds a Socket's optional fields, which it points to: one
// allocation for them all, or one slab for a whole dump.
type socketExtra struct {
	uid, queue, backlog uint32
	v6only              bool
}

// socket converts a parsed message of protocol proto, keeping its optional
// fields in x; ok is false for a family that is not IP.
func (m *diagMsg) socket(proto Protocol, x *socketExtra) (Socket, bool) {
	s := Socket{Protocol: proto, Inode: uint64(m.inode)}
	var local, remote netip.Addr
	switch m.family {
	case afInet:
		s.Family = 4
		local = netip.AddrFrom4([4]byte(m.src[:4]))
		remote = netip.AddrFrom4([4]byte(m.dst[:4]))
	case afInet6:
		s.Family = 6
		local = netip.AddrFrom16(m.src)
		remote = netip.AddrFrom16(m.dst)
		if m.ifindex != 0 {
			zone := strconv.FormatUint(uint64(m.ifindex), 10)
			if local.IsLinkLocalUnicast() {
				local = local.WithZone(zone)
			}
			if remote.IsLinkLocalUnicast() {
				remote = remote.WithZone(zone)
			}
		}
	default:
		return s, false
	}
	s.Local = netip.AddrPortFrom(local, m.sport)
	if m.dport != 0 {
		s.Remote = netip.AddrPortFrom(remote, m.dport)
	}
	*x = socketExtra{uid: m.uid, queue: m.rqueue, backlog: m.wqueue, v6only: m.v6only > 0}
	s.UID = &x.uid
	if s.Family == 6 && m.v6only >= 0 {
		s.IPv6Only = &x.v6only
	}
	if proto == UDP {
		s.State = StateUnconnected
		if m.state == tcpEstablished || s.Remote.IsValid() {
			s.State = StateConnected
		}
		return s, true
	}
	st, ok := tcpStates[m.state]
	if !ok {
		st = State("STATE_" + strconv.Itoa(int(m.state)))
	}
	s.State = st
	if m.state == tcpListen {
		s.AcceptQueue, s.Backlog = &x.queue, &x.backlog
	}
	return s, true
}

// nameZones gives the link-local addresses of socks, which the kernel
// zones with an interface index ("fe80::1%2"), the interface's name
// instead ("fe80::1%eth0"), as ss and ip print them; name returns "" for
// an index it does not know, which keeps the number.
func nameZones(socks []Socket, name func(index int) string) {
	zoned := func(ap netip.AddrPort) netip.AddrPort {
		idx, err := strconv.Atoi(ap.Addr().Zone())
		if err != nil { // no zone, or a name already
			return ap
		}
		if n := name(idx); n != "" {
			return netip.AddrPortFrom(ap.Addr().WithZone(n), ap.Port())
		}
		return ap
	}
	for i := range socks {
		socks[i].Local = zoned(socks[i].Local)
		if socks[i].Remote.IsValid() {
			socks[i].Remote = zoned(socks[i].Remote)
		}
	}
}
