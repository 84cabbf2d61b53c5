// udprequest.go holds the datagrams a UDP probe sends to well-known ports:
// a real request of that port's protocol, so that a live service answers
// and the address counts as accepted, where a stray byte would be ignored.

package probe

// udpRequests are, by port, a small request of the protocol served there,
// one that the server answers from itself (no recursion, no forwarding).
// A new protocol is a row.
var udpRequests = map[uint16][]byte{
	53:    dnsVersionQuery,
	123:   ntpClientRequest,
	161:   snmpGetSysDescr,
	3478:  stunBindingRequest,
	11211: memcachedVersion,
}

// udpRequest is the datagram for port: its protocol's request, else one
// line feed, which text-based services may answer and others ignore.
func udpRequest(port uint16) []byte {
	if r, ok := udpRequests[port]; ok {
		return r
	}
	return []byte("\n")
}

// dnsVersionQuery asks the server for version.bind, TXT, class CHAOS,
// without recursion (RFC 1035 4.1): BIND, dnsmasq, Unbound and others
// answer it themselves (an answer, or REFUSED: either is a live server).
var dnsVersionQuery = []byte{
	0x57, 0x52, // ID
	0x00, 0x00, // flags: a standard query, no recursion
	0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // 1 question
	7, 'v', 'e', 'r', 's', 'i', 'o', 'n', 4, 'b', 'i', 'n', 'd', 0,
	0x00, 0x10, // TXT
	0x00, 0x03, // CHAOS
}

// ntpClientRequest is an NTPv4 client request (RFC 5905 7.3): 48 bytes,
// leap 0, version 4, mode 3, the rest zero.
var ntpClientRequest = append([]byte{0x23}, make([]byte, 47)...)

// snmpGetSysDescr is an SNMPv2c GetRequest for sysDescr.0
// (1.3.6.1.2.1.1.1.0) with the community "public", the default of most
// agents and of snmpget (RFC 3416). An agent with another community stays
// silent.
var snmpGetSysDescr = []byte{
	0x30, 0x29, // SEQUENCE, 41 bytes
	0x02, 0x01, 0x01, // version 2c
	0x04, 0x06, 'p', 'u', 'b', 'l', 'i', 'c', // community
	0xa0, 0x1c, // GetRequest-PDU, 28 bytes
	0x02, 0x04, 0x00, 0x00, 0x57, 0x52, // request-id
	0x02, 0x01, 0x00, // error-status
	0x02, 0x01, 0x00, // error-index
	0x30, 0x0e, // variable bindings
	0x30, 0x0c,
	0x06, 0x08, 0x2b, 0x06, 0x01, 0x02, 0x01, 0x01, 0x01, 0x00, // sysDescr.0
	0x05, 0x00, // NULL
}

// stunBindingRequest is a STUN Binding request (RFC 8489 5): type 0x0001,
// no attributes, the magic cookie and a transaction ID.
var stunBindingRequest = []byte{
	0x00, 0x01, 0x00, 0x00,
	0x21, 0x12, 0xa4, 0x42,
	'w', 'h', 'y', 'r', 'e', 'f', 'u', 's', 'e', 'd', '0', '1',
}

// memcachedVersion is memcached's "version" command in its UDP frame
// (protocol.txt, "UDP protocol"): request ID, sequence 0, 1 datagram,
// reserved, then the command.
var memcachedVersion = append([]byte{0x57, 0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00}, "version\r\n"...)
