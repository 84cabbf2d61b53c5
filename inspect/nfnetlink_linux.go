// nfnetlink_linux.go holds nfConn: a blocking NETLINK_NETFILTER socket for
// the nf_tables requests that the reader makes by the thousand (a rule dump
// per chain), read into one reused buffer. It does without the runtime's
// network poller and without a copy of each message: a request costs one
// sendto and two recvfrom.

package inspect

import (
	"encoding/binary"
	"errors"
	"fmt"

	"golang.org/x/sys/unix"
)

// nfConn is a netlink socket to nf_tables in the namespace of the thread
// that opened it.
type nfConn struct {
	fd  int
	seq uint32
	buf []byte
}

// nfBufSize is the receive buffer: a dump batch is at most 32 KiB (the
// kernel's cap on a dump's message, whatever the reader offers).
const nfBufSize = 64 << 10

// errNFTruncated is a message longer than the receive buffer.
var errNFTruncated = errors.New("netlink message longer than 64 KiB")

// errNFStop, from a request's fn, stops reading the answer at once: the
// socket is then in the middle of a dump, to be closed.
var errNFStop = errors.New("stopped")

// errNFInterrupted is a dump that the kernel marked as interrupted by a
// change to the rule set.
var errNFInterrupted = errors.New("the rule set changed while it was read")

// dialNF opens the socket.
func dialNF() (*nfConn, error) {
	fd, err := unix.Socket(unix.AF_NETLINK, unix.SOCK_RAW|unix.SOCK_CLOEXEC, unix.NETLINK_NETFILTER)
	if err != nil {
		return nil, err
	}
	if err := unix.Bind(fd, &unix.SockaddrNetlink{Family: unix.AF_NETLINK}); err != nil {
		unix.Close(fd)
		return nil, err
	}
	return &nfConn{fd: fd, buf: make([]byte, nfBufSize)}, nil
}

// Close closes the socket.
func (c *nfConn) Close() error { return unix.Close(c.fd) }

// request sends an nf_tables request of type msg (NFT_MSG_*) for family
// with the netlink attributes attrs, a dump if dump, and calls fn with the
// payload of each message of the answer: its nfgenmsg header (family,
// version, resource id) and attributes, valid only during the call. An
// error message's errno is the error.
func (c *nfConn) request(msg uint16, family byte, dump bool, attrs []byte, fn func(data []byte) error) error {
	c.seq++
	flags := uint16(unix.NLM_F_REQUEST | unix.NLM_F_ACK)
	if dump {
		flags = unix.NLM_F_REQUEST | unix.NLM_F_DUMP
	}
	req := make([]byte, unix.NLMSG_HDRLEN+4, unix.NLMSG_HDRLEN+4+len(attrs))
	req = append(req, attrs...)
	ne := binary.NativeEndian
	ne.PutUint32(req[0:], uint32(len(req)))
	ne.PutUint16(req[4:], unix.NFNL_SUBSYS_NFTABLES<<8|msg)
	ne.PutUint16(req[6:], flags)
	ne.PutUint32(req[8:], c.seq)
	req[unix.NLMSG_HDRLEN] = family
	req[unix.NLMSG_HDRLEN+1] = unix.NFNETLINK_V0
	if err := unix.Sendto(c.fd, req, 0, &unix.SockaddrNetlink{Family: unix.AF_NETLINK}); err != nil {
		return err
	}
	var ferr error // fn's first error: the answer is still read to its end
	for {
		n, _, err := unix.Recvfrom(c.fd, c.buf, unix.MSG_TRUNC)
		if errors.Is(err, unix.EINTR) {
			continue
		}
		if err != nil {
			return err
		}
		if n > len(c.buf) {
			return errNFTruncated
		}
		for b := c.buf[:n]; len(b) >= unix.NLMSG_HDRLEN; {
			l := int(ne.Uint32(b[0:]))
			if l < unix.NLMSG_HDRLEN || l > len(b) {
				return fmt.Errorf("netlink message of %d bytes in %d", l, len(b))
			}
			typ, fl, seq := ne.Uint16(b[4:]), ne.Uint16(b[6:]), ne.Uint32(b[8:])
			m := b[unix.NLMSG_HDRLEN:l]
			b = b[min(nlAlign(l), len(b)):]
			if seq != c.seq {
				continue // an answer to an earlier request
			}
			switch typ {
			case unix.NLMSG_DONE:
				if len(m) >= 4 && ferr == nil {
					if e := int32(ne.Uint32(m)); e < 0 {
						ferr = unix.Errno(-e)
					}
				}
				if ferr == nil && fl&unix.NLM_F_DUMP_INTR != 0 {
					ferr = errNFInterrupted
				}
				return ferr
			case unix.NLMSG_ERROR:
				if len(m) < 4 {
					return errors.New("short netlink error message")
				}
				if e := int32(ne.Uint32(m)); e != 0 {
					return unix.Errno(-e)
				}
				return ferr // the acknowledgment of a request that is not a dump
			}
			if fl&unix.NLM_F_DUMP_INTR != 0 && ferr == nil {
				ferr = errNFInterrupted
			}
			if len(m) < 4 || ferr != nil {
				continue
			}
			if ferr = fn(m); ferr == errNFStop {
				return ferr
			}
		}
	}
}

// nlAlign rounds a netlink length up to its 4-byte alignment.
func nlAlign(n int) int { return (n + unix.NLMSG_ALIGNTO - 1) &^ (unix.NLMSG_ALIGNTO - 1) }

// forEachAttr calls fn with the type (without the nested and byte order
// flags) and data of each netlink attribute in b; false when b holds
// something else than whole attributes.
func forEachAttr(b []byte, fn func(typ uint16, data []byte)) bool {
	ne := binary.NativeEndian
	for len(b) > 0 {
		if len(b) < unix.SizeofNlAttr {
			return false
		}
		l := int(ne.Uint16(b[0:]))
		if l < unix.SizeofNlAttr || l > len(b) {
			return false
		}
		fn(ne.Uint16(b[2:])&^(unix.NLA_F_NESTED|unix.NLA_F_NET_BYTEORDER), b[unix.SizeofNlAttr:l])
		b = b[min(nlAlign(l), len(b)):]
	}
	return true
}
