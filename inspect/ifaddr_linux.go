// ifaddr_linux.go holds the reading of the addresses of the calling
// thread's network namespace in one rtnetlink dump (RTM_GETADDR): what
// net.InterfaceAddrs tells, without its second dump of every link, for
// the namespaces a snapshot enters by the hundred.

package inspect

import (
	"net/netip"
	"syscall"
)

// addrsHere lists the addresses on the interfaces of the calling
// thread's network namespace, as HostAddrs does for the process's and in
// the same order (the kernel's): a point-to-point address as its local
// end (IFA_LOCAL), others as IFA_ADDRESS.
func addrsHere() ([]netip.Addr, error) {
	rib, err := syscall.NetlinkRIB(syscall.RTM_GETADDR, syscall.AF_UNSPEC)
	if err != nil {
		return nil, err
	}
	return parseAddrRIB(rib)
}

// parseAddrRIB reads the addresses of an RTM_GETADDR dump.
func parseAddrRIB(rib []byte) ([]netip.Addr, error) {
	msgs, err := syscall.ParseNetlinkMessage(rib)
	if err != nil {
		return nil, err
	}
	var out []netip.Addr
	for i := range msgs {
		m := &msgs[i]
		if m.Header.Type == syscall.NLMSG_DONE {
			break
		}
		if m.Header.Type != syscall.RTM_NEWADDR || len(m.Data) < syscall.SizeofIfAddrmsg {
			continue
		}
		family := m.Data[0] // struct ifaddrmsg's ifa_family
		attrs, err := syscall.ParseNetlinkRouteAttr(m)
		if err != nil {
			continue
		}
		var addr, local []byte
		for _, a := range attrs {
			switch a.Attr.Type {
			case syscall.IFA_ADDRESS:
				addr = a.Value
			case syscall.IFA_LOCAL:
				local = a.Value
			}
		}
		if local != nil {
			addr = local
		}
		switch {
		case family == syscall.AF_INET && len(addr) == 4:
			out = append(out, netip.AddrFrom4([4]byte(addr)))
		case family == syscall.AF_INET6 && len(addr) == 16:
			out = append(out, netip.AddrFrom16([16]byte(addr)))
		}
	}
	return out, nil
}
