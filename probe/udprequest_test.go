// udprequest_test.go tests the shape of the UDP requests, byte by byte
// where a length is encoded.

package probe

import (
	"bytes"
	"testing"
)

func TestUDPRequests(t *testing.T) {
	if got := udpRequest(9999); !bytes.Equal(got, []byte("\n")) {
		t.Errorf("a port without a protocol gets %q, want one line feed", got)
	}
	for port, req := range udpRequests {
		if !bytes.Equal(udpRequest(port), req) || len(req) == 0 {
			t.Errorf("port %d: no request", port)
		}
	}
	// DNS: one question, no recursion, a name of labels ending in 0.
	q := udpRequest(53)
	if q[2]&0x01 != 0 || q[5] != 1 || !bytes.Contains(q, []byte("\x07version\x04bind\x00")) {
		t.Errorf("DNS query %x", q)
	}
	// NTP: 48 bytes, version 4, mode 3.
	if n := udpRequest(123); len(n) != 48 || n[0]>>3&7 != 4 || n[0]&7 != 3 {
		t.Errorf("NTP request %x", n)
	}
	// SNMP: each BER length is the length of what follows it.
	s := udpRequest(161)
	if int(s[1]) != len(s)-2 || s[13] != 0xa0 || int(s[14]) != len(s)-15 {
		t.Errorf("SNMP lengths in %x", s)
	}
	// memcached: the 8-byte frame, one datagram, then the command.
	if m := udpRequest(11211); m[5] != 1 || string(m[8:]) != "version\r\n" {
		t.Errorf("memcached request %q", m)
	}
	// STUN: a Binding request with the magic cookie, 20 bytes.
	if s := udpRequest(3478); len(s) != 20 || !bytes.Equal(s[4:8], []byte{0x21, 0x12, 0xa4, 0x42}) {
		t.Errorf("STUN request %x", s)
	}
}
