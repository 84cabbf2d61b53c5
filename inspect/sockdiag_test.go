// sockdiag_test.go tests the sock_diag parsers on every OS, with netlink
// messages built from typed structs in the host's byte order.

package inspect

import (
	"bytes"
	"encoding/binary"
	"errors"
	"net/netip"
	"syscall"
	"testing"
)

// The netlink structs as the kernel lays them out. Their integers are in
// the host's byte order, the ports in network order; built with
// encoding/binary, the fixtures hold on every machine.
type (
	nlmsghdr struct {
		Len   uint32
		Type  uint16
		Flags uint16
		Seq   uint32
		Pid   uint32
	}
	// inetDiagSockID is struct inet_diag_sockid.
	inetDiagSockID struct {
		Sport, Dport [2]byte // big-endian
		Src, Dst     [16]byte
		If           uint32
		Cookie       [8]byte
	}
	// inetDiagMsg is struct inet_diag_msg.
	inetDiagMsg struct {
		Family, State, Timer, Retrans uint8
		ID                            inetDiagSockID
		Expires, Rqueue, Wqueue       uint32
		UID, Inode                    uint32
	}
	rtattr struct{ Len, Type uint16 }
	// bcOp is struct inet_diag_bc_op.
	bcOp struct {
		Code, Yes uint8
		No        uint16
	}
)

// The kernel's numbers, written out here rather than taken from
// sockdiag.go, so that a wrong constant there fails a test.
const (
	kNlmsgError       = 2     // NLMSG_ERROR
	kNlmsgDone        = 3     // NLMSG_DONE
	kNlmFMulti        = 2     // NLM_F_MULTI
	kNlmFRequestDump  = 0x301 // NLM_F_REQUEST | NLM_F_DUMP
	kSockDiagByFamily = 20    // SOCK_DIAG_BY_FAMILY
	kInetDiagShutdown = 8     // INET_DIAG_SHUTDOWN
	kInetDiagSKV6Only = 11    // INET_DIAG_SKV6ONLY
	kAFInet6          = 10    // AF_INET6
	kIPProtoTCP       = 6
	kTCPListen        = 10 // TCP_LISTEN
	kBCJmp            = 1  // INET_DIAG_BC_JMP
	kBCSEq            = 11 // INET_DIAG_BC_S_EQ
)

// native lays out values in the host's byte order, as netlink does.
func native(t *testing.T, values ...any) []byte {
	t.Helper()
	var buf bytes.Buffer
	for _, v := range values {
		if err := binary.Write(&buf, binary.NativeEndian, v); err != nil {
			t.Fatal(err)
		}
	}
	return buf.Bytes()
}

// port is a port in network byte order.
func port(p uint16) (b [2]byte) {
	binary.BigEndian.PutUint16(b[:], p)
	return b
}

// listener6Batch is a TCP6 listener on [::1]:8080, V6ONLY set, 3 waiting
// of a backlog of 128, uid 1000, inode 12345; then NLMSG_DONE. As the
// kernel sends it.
func listener6Batch(t *testing.T) []byte {
	msg := inetDiagMsg{Family: kAFInet6, State: kTCPListen,
		ID:     inetDiagSockID{Sport: port(8080), Src: netip.IPv6Loopback().As16(), Cookie: [8]byte{0xaa, 0xbb}},
		Rqueue: 3, Wqueue: 128, UID: 1000, Inode: 12345}
	return native(t,
		nlmsghdr{Len: 104, Type: kSockDiagByFamily, Flags: kNlmFMulti, Seq: 7}, msg,
		// INET_DIAG_SHUTDOWN = 0, INET_DIAG_SKV6ONLY = 1, each padded to 4
		rtattr{5, kInetDiagShutdown}, [4]byte{0},
		rtattr{5, kInetDiagSKV6Only}, [4]byte{1},
		nlmsghdr{Len: 20, Type: kNlmsgDone, Flags: kNlmFMulti, Seq: 7}, int32(0))
}

func TestParseDiagBatch(t *testing.T) {
	var got []Socket
	done, err := parseDiagBatch(listener6Batch(t), 7, func(m *diagMsg) {
		s, ok := m.socket(TCP, new(socketExtra))
		if !ok {
			t.Fatalf("family %d not taken as IP", m.family)
		}
		got = append(got, s)
	})
	if err != nil || !done {
		t.Fatalf("done %v, err %v; want done, no error", done, err)
	}
	if len(got) != 1 {
		t.Fatalf("%d sockets, want 1", len(got))
	}
	s := got[0]
	if s.Protocol != TCP || s.Family != 6 || s.State != StateListen ||
		s.Local != netip.MustParseAddrPort("[::1]:8080") || s.Remote.IsValid() || s.Inode != 12345 {
		t.Errorf("socket %+v", s)
	}
	if s.UID == nil || *s.UID != 1000 {
		t.Errorf("uid %v, want 1000", s.UID)
	}
	if s.IPv6Only == nil || !*s.IPv6Only {
		t.Errorf("IPv6Only %v, want true", s.IPv6Only)
	}
	if s.AcceptQueue == nil || *s.AcceptQueue != 3 || s.Backlog == nil || *s.Backlog != 128 {
		t.Errorf("accept queue %v, backlog %v; want 3 of 128", s.AcceptQueue, s.Backlog)
	}
}

func TestParseDiagBatchStaleAndPartial(t *testing.T) {
	batch := listener6Batch(t)
	if len(batch) != 124 {
		t.Fatalf("fixture is %d bytes, want 104 + 20", len(batch))
	}
	// An answer to another request (seq 6) is skipped, DONE included.
	n := 0
	done, err := parseDiagBatch(batch, 6, func(*diagMsg) { n++ })
	if err != nil || done || n != 0 {
		t.Errorf("seq 6: done %v, err %v, %d sockets; want nothing", done, err, n)
	}
	// The first part of a multi-part answer: a socket, no DONE yet.
	done, err = parseDiagBatch(batch[:104], 7, func(*diagMsg) { n++ })
	if err != nil || done || n != 1 {
		t.Errorf("first part: done %v, err %v, %d sockets; want 1 and more to come", done, err, n)
	}
	// A header that claims more than there is.
	if _, err := parseDiagBatch(batch[:50], 7, func(*diagMsg) {}); !errors.Is(err, errDiagTruncated) {
		t.Errorf("truncated: err %v, want errDiagTruncated", err)
	}
}

func TestParseDiagBatchError(t *testing.T) {
	// NLMSG_ERROR -EPERM (-1), with the request's header after it.
	msg := native(t, nlmsghdr{Len: 36, Type: kNlmsgError, Seq: 9}, int32(-1),
		nlmsghdr{Len: 72, Type: kSockDiagByFamily, Flags: kNlmFRequestDump, Seq: 9})
	done, err := parseDiagBatch(msg, 9, func(*diagMsg) { t.Error("a socket from an error") })
	// Netlink numbers errors as Linux does: 1 is EPERM there. The parser
	// is tested on every OS, and on Windows syscall.EPERM is another number.
	if !done || !errors.Is(err, syscall.Errno(1)) {
		t.Errorf("done %v, err %v; want done with EPERM", done, err)
	}
}

func TestDiagMsgUDP4(t *testing.T) {
	m := diagMsg{family: afInet, state: tcpClose, sport: 53, uid: 0, inode: 7, v6only: -1}
	copy(m.src[:], []byte{127, 0, 0, 53})
	s, ok := m.socket(UDP, new(socketExtra))
	if !ok || s.State != StateUnconnected || s.Local != netip.MustParseAddrPort("127.0.0.53:53") ||
		s.IPv6Only != nil || s.AcceptQueue != nil || s.Family != 4 {
		t.Errorf("unconnected UDP: %+v", s)
	}
	m.state, m.dport = tcpEstablished, 4000
	copy(m.dst[:], []byte{127, 0, 0, 1})
	s, _ = m.socket(UDP, new(socketExtra))
	if s.State != StateConnected || s.Remote != netip.MustParseAddrPort("127.0.0.1:4000") {
		t.Errorf("connected UDP: %+v", s)
	}
	m.family = 1 // AF_UNIX
	if _, ok := m.socket(UDP, new(socketExtra)); ok {
		t.Error("an AF_UNIX message taken as IP")
	}
}

func TestPortBytecode(t *testing.T) {
	if b := portBytecode(nil); b != nil {
		t.Errorf("no ports: %v, want no bytecode", b)
	}
	want := native(t,
		bcOp{kBCSEq, 8, 12}, bcOp{No: 80}, // S_EQ 80: yes the JMP, no the next S_EQ
		bcOp{kBCJmp, 4, 12},                // JMP to the end: accept
		bcOp{kBCSEq, 8, 12}, bcOp{No: 443}, // S_EQ 443: yes the end, no past it
	)
	if got := portBytecode([]uint16{80, 443}); !bytes.Equal(got, want) {
		t.Errorf("ports 80, 443:\n got %v\nwant %v", got, want)
	}
	if got := portBytecode(make([]uint16, maxBytecodePorts+1)); got != nil {
		t.Errorf("%d ports: %d bytes of bytecode, want none (filtered in user space)", maxBytecodePorts+1, len(got))
	}
	if got := portBytecode([]uint16{22}); !bytes.Equal(got, native(t, bcOp{kBCSEq, 8, 12}, bcOp{No: 22})) {
		t.Errorf("port 22: %v", got)
	}
}

func TestDiagRequest(t *testing.T) {
	bc := portBytecode([]uint16{22})
	req := diagRequest(afInet6, ipprotoTCP, 1<<tcpListen, bc, 5)
	wantLen := nlmsgHdrLen + inetDiagReqV2Len + 4 + len(bc)
	if len(req) != wantLen {
		t.Fatalf("length %d, want %d", len(req), wantLen)
	}
	head := native(t,
		nlmsghdr{Len: uint32(wantLen), Type: kSockDiagByFamily, Flags: kNlmFRequestDump, Seq: 5},
		[4]uint8{kAFInet6, kIPProtoTCP, 0, 0}, uint32(1<<kTCPListen), // AF_INET6, TCP, no ext, states 1<<10
	)
	if !bytes.Equal(req[:len(head)], head) {
		t.Errorf("header\n got %v\nwant %v", req[:len(head)], head)
	}
	attr := req[nlmsgHdrLen+inetDiagReqV2Len:]
	if !bytes.Equal(attr[:4], native(t, rtattr{12, 1})) || !bytes.Equal(attr[4:], bc) {
		t.Errorf("bytecode attribute %v", attr)
	}
}

func TestDiagStates(t *testing.T) {
	f := Listeners()
	if got := diagStates(f, TCP); got != 1<<tcpListen {
		t.Errorf("listeners, TCP: %#x", got)
	}
	if got := diagStates(f, UDP); got != 1<<tcpClose {
		t.Errorf("listeners, UDP: %#x", got)
	}
	f.Protocols = []Protocol{UDP}
	if got := diagStates(f, TCP); got != 0 {
		t.Errorf("UDP only, TCP: %#x, want 0 (no dump)", got)
	}
	if got := diagStates(Filter{States: []State{StateEstablished}}, UDP); got != 0 {
		t.Errorf("ESTABLISHED, UDP: %#x, want 0", got)
	}
	if got := diagStates(Filter{}, TCP); got != 0xffffffff {
		t.Errorf("every state: %#x", got)
	}
}

// TestNameZones: link-local addresses get their interface's name for the
// kernel's index; an unknown index, a named zone and no zone stay.
func TestNameZones(t *testing.T) {
	socks := []Socket{
		{Local: netip.MustParseAddrPort("[fe80::1%2]:22"), Remote: netip.MustParseAddrPort("[fe80::2%2]:5000")},
		{Local: netip.MustParseAddrPort("[fe80::1%9]:22")},
		{Local: netip.MustParseAddrPort("[fe80::1%eth1]:22")},
		{Local: netip.MustParseAddrPort("127.0.0.1:22")},
	}
	nameZones(socks, func(i int) string { return map[int]string{2: "eth0"}[i] })
	want := []string{"[fe80::1%eth0]:22 [fe80::2%eth0]:5000", "[fe80::1%9]:22 invalid AddrPort", "[fe80::1%eth1]:22 invalid AddrPort", "127.0.0.1:22 invalid AddrPort"}
	for i, s := range socks {
		if got := s.Local.String() + " " + s.Remote.String(); got != want[i] {
			t.Errorf("socket %d: %s, want %s", i, got, want[i])
		}
	}
}
