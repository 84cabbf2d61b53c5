package inspect

import (
	"bytes"
	"encoding/binary"
	"errors"
	"net/netip"
	"syscall"
	"testing"
)

// littleEndian skips a test whose literal bytes are in the byte order of
// amd64 and arm64 (netlink's integers are in host order).
func littleEndian(t *testing.T) {
	t.Helper()
	if binary.NativeEndian.Uint16([]byte{1, 0}) != 1 {
		t.Skip("the literal messages here are little-endian")
	}
}

// A TCP6 listener on [::1]:8080, V6ONLY set, 3 waiting of a backlog of
// 128, uid 1000, inode 12345; then NLMSG_DONE. As the kernel sends it.
var listener6Batch = []byte{
	// nlmsghdr: len 104, type SOCK_DIAG_BY_FAMILY, flags NLM_F_MULTI, seq 7, pid 0
	104, 0, 0, 0, 20, 0, 2, 0, 7, 0, 0, 0, 0, 0, 0, 0,
	// inet_diag_msg: family AF_INET6, state LISTEN, timer, retrans
	10, 10, 0, 0,
	// sockid: sport 8080 (big-endian), dport 0
	0x1f, 0x90, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, // src ::1
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, // dst ::
	0, 0, 0, 0, // if
	0xaa, 0xbb, 0, 0, 0, 0, 0, 0, // cookie
	0, 0, 0, 0, // expires
	3, 0, 0, 0, // rqueue: accept queue
	128, 0, 0, 0, // wqueue: backlog
	0xe8, 3, 0, 0, // uid 1000
	0x39, 0x30, 0, 0, // inode 12345
	// attributes: INET_DIAG_SHUTDOWN (8) = 0, INET_DIAG_SKV6ONLY (11) = 1
	5, 0, 8, 0, 0, 0, 0, 0,
	5, 0, 11, 0, 1, 0, 0, 0,
	// NLMSG_DONE: len 20, type 3, flags NLM_F_MULTI, seq 7, error 0
	20, 0, 0, 0, 3, 0, 2, 0, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
}

func TestParseDiagBatch(t *testing.T) {
	littleEndian(t)
	var got []Socket
	done, err := parseDiagBatch(listener6Batch, 7, func(m *diagMsg) {
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
	littleEndian(t)
	// An answer to another request (seq 6) is skipped, DONE included.
	n := 0
	done, err := parseDiagBatch(listener6Batch, 6, func(*diagMsg) { n++ })
	if err != nil || done || n != 0 {
		t.Errorf("seq 6: done %v, err %v, %d sockets; want nothing", done, err, n)
	}
	// The first part of a multi-part answer: a socket, no DONE yet.
	done, err = parseDiagBatch(listener6Batch[:104], 7, func(*diagMsg) { n++ })
	if err != nil || done || n != 1 {
		t.Errorf("first part: done %v, err %v, %d sockets; want 1 and more to come", done, err, n)
	}
	// A header that claims more than there is.
	if _, err := parseDiagBatch(listener6Batch[:50], 7, func(*diagMsg) {}); !errors.Is(err, errDiagTruncated) {
		t.Errorf("truncated: err %v, want errDiagTruncated", err)
	}
}

func TestParseDiagBatchError(t *testing.T) {
	littleEndian(t)
	// NLMSG_ERROR -EPERM (-1), with the request's header after it.
	msg := []byte{
		36, 0, 0, 0, 2, 0, 0, 0, 9, 0, 0, 0, 0, 0, 0, 0,
		0xff, 0xff, 0xff, 0xff,
		72, 0, 0, 0, 20, 0, 1, 3, 9, 0, 0, 0, 0, 0, 0, 0,
	}
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
	littleEndian(t)
	if b := portBytecode(nil); b != nil {
		t.Errorf("no ports: %v, want no bytecode", b)
	}
	want := []byte{
		11, 8, 12, 0, 0, 0, 80, 0, // S_EQ 80: yes the JMP, no the next S_EQ
		1, 4, 12, 0, // JMP to the end: accept
		11, 8, 12, 0, 0, 0, 0xbb, 0x01, // S_EQ 443: yes the end, no past it
	}
	if got := portBytecode([]uint16{80, 443}); !bytes.Equal(got, want) {
		t.Errorf("ports 80, 443:\n got %v\nwant %v", got, want)
	}
	if got := portBytecode(make([]uint16, maxBytecodePorts+1)); got != nil {
		t.Errorf("%d ports: %d bytes of bytecode, want none (filtered in user space)", maxBytecodePorts+1, len(got))
	}
	if got := portBytecode([]uint16{22}); !bytes.Equal(got, []byte{11, 8, 12, 0, 0, 0, 22, 0}) {
		t.Errorf("port 22: %v", got)
	}
}

func TestDiagRequest(t *testing.T) {
	littleEndian(t)
	bc := portBytecode([]uint16{22})
	req := diagRequest(afInet6, ipprotoTCP, 1<<tcpListen, bc, 5)
	wantLen := nlmsgHdrLen + inetDiagReqV2Len + 4 + len(bc)
	if len(req) != wantLen {
		t.Fatalf("length %d, want %d", len(req), wantLen)
	}
	head := []byte{
		byte(wantLen), 0, 0, 0, 20, 0, 1, 3, 5, 0, 0, 0, 0, 0, 0, 0, // nlmsghdr: DUMP|REQUEST, seq 5
		10, 6, 0, 0, 0, 4, 0, 0, // AF_INET6, TCP, no ext, states 1<<10
	}
	if !bytes.Equal(req[:len(head)], head) {
		t.Errorf("header\n got %v\nwant %v", req[:len(head)], head)
	}
	attr := req[nlmsgHdrLen+inetDiagReqV2Len:]
	if !bytes.Equal(attr[:4], []byte{12, 0, 1, 0}) || !bytes.Equal(attr[4:], bc) {
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
