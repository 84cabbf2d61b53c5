// explain_test.go holds the tests of Explain on fixed snapshots: verdicts,
// findings, rows and the summary.

package match

import (
	"context"
	"net"
	"net/netip"
	"slices"
	"strings"
	"testing"

	"github.com/whyrefused/whyrefused/inspect"
	"github.com/whyrefused/whyrefused/target"
)

var resolver = target.StaticResolver{
	"localhost":   {netip.MustParseAddr("::1"), netip.MustParseAddr("127.0.0.1")},
	"db.internal": {netip.MustParseAddr("10.0.0.5")},
	"mapped":      {netip.MustParseAddr("::ffff:10.0.0.5")},
}

// sock builds a socket; state defaults to the listening state of proto.
func sock(proto inspect.Protocol, addr string, owner string, opts ...func(*inspect.Socket)) inspect.Socket {
	ap := netip.MustParseAddrPort(addr)
	s := inspect.Socket{Protocol: proto, Family: 4, Local: ap, State: inspect.StateListen}
	if ap.Addr().Is6() {
		s.Family = 6
	}
	if proto == inspect.UDP {
		s.State = inspect.StateUnconnected
	}
	if owner != "" {
		s.Owners = []inspect.Owner{{PID: 901, Name: owner, User: owner, Cmdline: []string{owner, "--password=hunter2"}}}
	}
	for _, o := range opts {
		o(&s)
	}
	return s
}

func v6only(v bool) func(*inspect.Socket) { return func(s *inspect.Socket) { s.IPv6Only = &v } }
func hidden(s *inspect.Socket)            { s.OwnersHidden = true }
func hiddenOf(user string) func(*inspect.Socket) {
	return func(s *inspect.Socket) { s.OwnersHidden, s.User = true, user }
}
func state(st inspect.State) func(*inspect.Socket) {
	return func(s *inspect.Socket) {
		s.State = st
		s.Remote = netip.MustParseAddrPort("10.0.0.9:40000")
	}
}

// reservedHost is host with Windows' excluded port ranges rs.
func reservedHost(rs ...inspect.PortRange) *inspect.Snapshot {
	s := host()
	s.ReservedPorts = rs
	return s
}

// host is this fixed host: loopback and 10.0.0.5, IPv6 dual stack by default.
// outside marks snap as taken in a PID namespace of its own.
func outside(snap *inspect.Snapshot) *inspect.Snapshot {
	snap.OwnersOutside = true
	return snap
}

// privileged marks snap as taken by root.
func privileged(snap *inspect.Snapshot) *inspect.Snapshot {
	snap.Privileged = true
	return snap
}

func host(socks ...inspect.Socket) *inspect.Snapshot {
	return &inspect.Snapshot{
		Backend:       "fixture",
		Sockets:       socks,
		HostAddrs:     []netip.Addr{netip.MustParseAddr("127.0.0.1"), netip.MustParseAddr("10.0.0.5"), netip.MustParseAddr("::1")},
		DefaultV6Only: ptr(false),
	}
}

func TestExplainFindings(t *testing.T) {
	tcp, udp := inspect.TCP, inspect.UDP
	cases := []struct {
		name    string
		target  string
		proto   inspect.Protocol
		snap    *inspect.Snapshot
		verdict Verdict
		codes   []Code   // every finding code, in order
		says    []string // the summary or a finding must say each
		guessed bool
	}{
		{name: "listening", target: "10.0.0.5:5432", proto: tcp, snap: host(sock(tcp, "0.0.0.0:5432", "postgres")),
			verdict: VerdictAccept, codes: []Code{CodeListening},
			says: []string{"postgres (pid 901) listens on 0.0.0.0:5432 and would accept tcp connections to 10.0.0.5:5432"}},
		{name: "no-listener", target: "10.0.0.5:8080", proto: tcp, snap: host(),
			verdict: VerdictRefuse, codes: []Code{CodeNoListener}, says: []string{"nothing listens on tcp port 8080 of 10.0.0.5"}},
		{name: "loopback-only", target: "db.internal:5432", proto: tcp, snap: host(sock(tcp, "127.0.0.1:5432", "postgres")),
			verdict: VerdictRefuse, codes: []Code{CodeLoopbackOnly},
			says: []string{"postgres (pid 901) listens on 127.0.0.1:5432 only: loopback, so clients on other hosts cannot reach it as 10.0.0.5", "listen_addresses"}},
		{name: "loopback-only, an IPv6 address: 0.0.0.0 would not do", target: "[fd00::2]:80", proto: tcp, snap: func() *inspect.Snapshot {
			s := host(sock(tcp, "[::1]:80", "nginx"))
			s.HostAddrs = append(s.HostAddrs, netip.MustParseAddr("fd00::2"))
			return s
		}(), verdict: VerdictRefuse, codes: []Code{CodeLoopbackOnly}, says: []string{"make it listen on fd00::2, or on every address ([::]) and let"}},
		{name: "other-address", target: "127.0.0.1:8080", proto: tcp, snap: host(sock(tcp, "10.0.0.5:8080", "java")),
			verdict: VerdictRefuse, codes: []Code{CodeOtherAddress}, says: []string{"java (pid 901) listens on 10.0.0.5:8080 only, not on 127.0.0.1", "connect to 10.0.0.5:8080"}},
		{name: "ipv6-only", target: "127.0.0.1:80", proto: tcp, snap: host(sock(tcp, "[::]:80", "nginx", v6only(true))),
			verdict: VerdictRefuse, codes: []Code{CodeIPv6Only}, says: []string{"listens on [::]:80 for IPv6 only, and 127.0.0.1 is IPv4", "IPV6_V6ONLY off"}},
		{name: "ipv6-only guessed", target: "127.0.0.1:80", proto: tcp, snap: func() *inspect.Snapshot {
			s := host(sock(tcp, "[::]:80", "nginx"))
			s.DefaultV6Only = ptr(true)
			return s
		}(), verdict: VerdictRefuse, codes: []Code{CodeIPv6Only}, says: []string{"assumed", "the OS default, on"}, guessed: true},
		{name: "ipv4-only", target: "localhost:5432", proto: tcp, snap: host(sock(tcp, "127.0.0.1:5432", "postgres")),
			verdict: VerdictPartial, codes: []Code{CodeIPv4Only, CodeListening},
			says: []string{"tcp port 5432 would be accepted on 127.0.0.1 but not on ::1", "for IPv4 only, and ::1 is IPv6", "localhost resolves to ::1 too"}},
		{name: "ipv4-only, several addresses", target: ":5432", proto: tcp, snap: func() *inspect.Snapshot {
			s := host(sock(tcp, "0.0.0.0:5432", "postgres"))
			s.HostAddrs = append(s.HostAddrs, netip.MustParseAddr("fd00::2"))
			return s
		}(), verdict: VerdictPartial, codes: []Code{CodeIPv4Only, CodeListening}, says: []string{"for IPv4 only, and ::1 and fd00::2 are IPv6"}},
		{name: "wrong-protocol", target: "10.0.0.5:53", proto: tcp, snap: host(sock(udp, "0.0.0.0:53", "dnsmasq")),
			verdict: VerdictRefuse, codes: []Code{CodeNoListener, CodeWrongProtocol},
			says: []string{"dnsmasq (pid 901) has a udp socket on 0.0.0.0:53, but the client uses tcp", "whyrefused check 10.0.0.5:53/udp"}},
		{name: "nearby-port", target: "127.0.0.1:5432", proto: tcp, snap: host(sock(tcp, "127.0.0.1:5433", "postgres"), sock(tcp, "127.0.0.1:9999", "other")),
			verdict: VerdictRefuse, codes: []Code{CodeNoListener, CodeNearbyPort}, says: []string{"postgres (pid 901) listens on 127.0.0.1:5433, one typo away from port 5432",
				"postgres sets its port with port in postgresql.conf"}},
		// nearby-port names each well-known server's port setting.
		{name: "nearby-port, redis", target: "127.0.0.1:6379", proto: tcp, snap: host(sock(tcp, "127.0.0.1:6380", "redis-server")),
			verdict: VerdictRefuse, codes: []Code{CodeNoListener, CodeNearbyPort}, says: []string{"redis-server sets its port with port in redis.conf"}},
		{name: "nearby-port, nginx", target: "10.0.0.5:8080", proto: tcp, snap: host(sock(tcp, "0.0.0.0:8081", "nginx")),
			verdict: VerdictRefuse, codes: []Code{CodeNoListener, CodeNearbyPort}, says: []string{"nginx sets its port with the listen directive"}},
		{name: "nearby-port, sshd", target: "10.0.0.5:2222", proto: tcp, snap: host(sock(tcp, "0.0.0.0:2223", "sshd")),
			verdict: VerdictRefuse, codes: []Code{CodeNoListener, CodeNearbyPort}, says: []string{"sshd sets its port with Port in sshd_config"}},
		{name: "nearby-port, mysqld", target: "127.0.0.1:3306", proto: tcp, snap: host(sock(tcp, "127.0.0.1:3307", "mysqld")),
			verdict: VerdictRefuse, codes: []Code{CodeNoListener, CodeNearbyPort}, says: []string{"mysqld sets its port with port in my.cnf"}},
		{name: "nearby-port, memcached over udp", target: "127.0.0.1:11211", proto: udp, snap: host(sock(udp, "127.0.0.1:11212", "memcached")),
			verdict: VerdictRefuse, codes: []Code{CodeNoListener, CodeNearbyPort}, says: []string{"memcached sets its port with its -p option (-U for UDP)"}},
		{name: "nearby-port, owner hidden, user postgres", target: "127.0.0.1:5432", proto: tcp, snap: host(sock(tcp, "127.0.0.1:5433", "", hiddenOf("postgres"))),
			verdict: VerdictRefuse, codes: []Code{CodeNoListener, CodeNearbyPort, CodeOwnerHidden},
			says: []string{"if it is postgres (the socket's user is postgres), it sets its port with port in postgresql.conf"}},
		{name: "nearby-port, a server with no known setting", target: "127.0.0.1:8080", proto: tcp, snap: host(sock(tcp, "127.0.0.1:8081", "myapp")),
			verdict: VerdictRefuse, codes: []Code{CodeNoListener, CodeNearbyPort}, says: []string{"one of them may be mistyped"}},
		{name: "byte-swapped-port", target: "127.0.0.1:8080", proto: tcp, snap: host(sock(tcp, "0.0.0.0:36895", "mysrv")),
			verdict: VerdictRefuse, codes: []Code{CodeNoListener, CodeByteSwapped}, says: []string{"port 36895 is 8080 with its two bytes swapped", "htons"}},
		{name: "not-local", target: "192.0.2.7:80", proto: tcp, snap: host(sock(tcp, "0.0.0.0:80", "nginx")),
			verdict: VerdictUnknown, codes: []Code{CodeNotLocal}, says: []string{"192.0.2.7 is not an address of this host (its addresses: 127.0.0.1, 10.0.0.5 and ::1)"}},
		{name: "recently-closed", target: "10.0.0.5:8080", proto: tcp, snap: host(sock(tcp, "10.0.0.5:8080", "", state(inspect.StateTimeWait)),
			sock(tcp, "10.0.0.5:8080", "api", state(inspect.StateCloseWait))),
			verdict: VerdictRefuse, codes: []Code{CodeNoListener, CodeRecentlyClosed}, says: []string{"2 connections on it remain (1 CLOSE_WAIT, 1 TIME_WAIT)", "api (pid 901) still holds"}},
		{name: "owner-hidden", target: "10.0.0.5:22", proto: tcp, snap: host(sock(tcp, "0.0.0.0:22", "", hidden)),
			verdict: VerdictAccept, codes: []Code{CodeListening, CodeOwnerHidden}, says: []string{"a process whose owner is hidden listens on 0.0.0.0:22", "the owner of 1 socket is hidden", "sudo"}},
		{name: "owner-hidden from root", target: "10.0.0.5:22", proto: tcp, snap: privileged(host(sock(tcp, "0.0.0.0:22", "", hiddenOf("root")))),
			verdict: VerdictAccept, codes: []Code{CodeListening, CodeOwnerHidden}, says: []string{"hidden even from root or an administrator", "not dumpable"}},
		{name: "owner-hidden in a container", target: "10.0.0.5:22", proto: tcp, snap: outside(privileged(host(sock(tcp, "0.0.0.0:22", "", hidden)))),
			verdict: VerdictAccept, codes: []Code{CodeListening, CodeOwnerHidden}, says: []string{"a process outside this PID namespace", "--pid=host"}},
		{name: "owner-hidden, user known", target: "10.0.0.5:5432", proto: tcp, snap: host(sock(tcp, "127.0.0.1:5432", "", hiddenOf("postgres"))),
			verdict: VerdictRefuse, codes: []Code{CodeLoopbackOnly, CodeOwnerHidden}, says: []string{"a process of user postgres (which one is hidden) listens on 127.0.0.1:5432 only",
				"if it is postgres (the socket's user is postgres), it sets it with listen_addresses in postgresql.conf"}},
		// Without root, the socket's user names the server's bind setting.
		{name: "loopback-only, owner hidden, user redis", target: "10.0.0.5:6379", proto: tcp, snap: host(sock(tcp, "127.0.0.1:6379", "", hiddenOf("redis"))),
			verdict: VerdictRefuse, codes: []Code{CodeLoopbackOnly, CodeOwnerHidden}, says: []string{"(the socket's user is redis), it sets it with bind in redis.conf"}},
		{name: "other-address, owner hidden, user mysql", target: "127.0.0.1:3306", proto: tcp, snap: host(sock(tcp, "10.0.0.5:3306", "", hiddenOf("mysql"))),
			verdict: VerdictRefuse, codes: []Code{CodeOtherAddress, CodeOwnerHidden}, says: []string{"if it is mysqld (the socket's user is mysql), it sets it with bind-address in my.cnf"}},
		{name: "owner hidden, a user that names no server", target: "10.0.0.5:8080", proto: tcp, snap: host(sock(tcp, "127.0.0.1:8080", "", hiddenOf("alice"))),
			verdict: VerdictRefuse, codes: []Code{CodeLoopbackOnly, CodeOwnerHidden}, says: []string{"let a firewall admit only the clients that need it"}},
		// Windows' excluded port ranges: no server can listen there.
		{name: "port-reserved", target: "127.0.0.1:50001", proto: tcp, snap: reservedHost(inspect.PortRange{Protocol: tcp, Family: 4, Start: 50000, End: 50059}),
			verdict: VerdictRefuse, codes: []Code{CodeNoListener, CodePortReserved},
			says: []string{"tcp port 50001 is inside the excluded port range 50000-50059 of IPv4", "no server can listen on it",
				"netsh int ipv4 add excludedportrange protocol=tcp startport=50001 numberofports=1", "net stop winnat"}},
		{name: "port-reserved, IPv6 range for an IPv6 address", target: "[::1]:50001", proto: tcp, snap: reservedHost(inspect.PortRange{Protocol: tcp, Family: 6, Start: 50000, End: 50000 + 99}),
			verdict: VerdictRefuse, codes: []Code{CodeNoListener, CodePortReserved}, says: []string{"of IPv6", "netsh int ipv6 show excludedportrange protocol=tcp"}},
		{name: "port-reserved needs the address's family", target: "[::1]:50001", proto: tcp, snap: reservedHost(inspect.PortRange{Protocol: tcp, Family: 4, Start: 50000, End: 50059}),
			verdict: VerdictRefuse, codes: []Code{CodeNoListener}},
		{name: "port-reserved needs the protocol", target: "127.0.0.1:50001", proto: udp, snap: reservedHost(inspect.PortRange{Protocol: tcp, Family: 4, Start: 50000, End: 50059}),
			verdict: VerdictRefuse, codes: []Code{CodeNoListener}},
		{name: "port-reserved: the range ends where it says", target: "127.0.0.1:50060", proto: tcp, snap: reservedHost(inspect.PortRange{Protocol: tcp, Family: 4, Start: 50000, End: 50059}),
			verdict: VerdictRefuse, codes: []Code{CodeNoListener}},
		{name: "an administrator's exclusion does not keep a server off", target: "127.0.0.1:55679", proto: tcp,
			snap:    reservedHost(inspect.PortRange{Protocol: tcp, Family: 4, Start: 55679, End: 55679, Administered: true}),
			verdict: VerdictRefuse, codes: []Code{CodeNoListener}},
		{name: "a server listening in a reserved range is not port-reserved", target: "127.0.0.1:50001", proto: tcp, snap: func() *inspect.Snapshot {
			s := reservedHost(inspect.PortRange{Protocol: tcp, Family: 4, Start: 50000, End: 50059})
			s.Sockets = []inspect.Socket{sock(tcp, "127.0.0.1:50001", "svchost")}
			return s
		}(), verdict: VerdictAccept, codes: []Code{CodeListening}},
		{name: "unresolvable", target: "nosuch.example:80", proto: tcp, snap: host(),
			verdict: VerdictUnknown, codes: []Code{CodeUnresolvable}, says: []string{"nosuch.example does not resolve: no such host"}},
		// The rules behind the verdicts.
		{name: "dual stack takes IPv4", target: "10.0.0.5:443", proto: tcp, snap: host(sock(tcp, "[::]:443", "nginx", v6only(false))),
			verdict: VerdictAccept, codes: []Code{CodeListening}},
		{name: "dual stack assumed", target: "10.0.0.5:443", proto: tcp, snap: host(sock(tcp, "[::]:443", "nginx")),
			verdict: VerdictAccept, codes: []Code{CodeListening}, guessed: true},
		{name: "0.0.0.0 does not take IPv6", target: "[::1]:80", proto: tcp, snap: host(sock(tcp, "0.0.0.0:80", "nginx")),
			verdict: VerdictRefuse, codes: []Code{CodeIPv4Only}},
		{name: "IPv4-mapped target counts as IPv4", target: "mapped:80", proto: tcp, snap: host(sock(tcp, "10.0.0.5:80", "nginx")),
			verdict: VerdictAccept, codes: []Code{CodeListening}},
		{name: "IPv4-mapped listener counts as IPv4", target: "127.0.0.1:80", proto: tcp, snap: host(sock(tcp, "[::ffff:127.0.0.1]:80", "nginx")),
			verdict: VerdictAccept, codes: []Code{CodeListening}},
		{name: "other loopback address", target: "127.0.0.2:80", proto: tcp, snap: host(sock(tcp, "127.0.0.1:80", "nginx")),
			verdict: VerdictRefuse, codes: []Code{CodeOtherAddress}},
		{name: "udp by the same rule", target: "10.0.0.5:53/udp", proto: tcp, snap: host(sock(udp, "127.0.0.53:53", "systemd-resolved"), sock(tcp, "127.0.0.53:53", "systemd-resolved")),
			verdict: VerdictRefuse, codes: []Code{CodeLoopbackOnly}},
		// wrong-protocol only when the other protocol's socket would take
		// the address: TCP and UDP both on 127.0.0.1, checked as
		// 10.0.0.5, is loopback-only for both, not "listen on udp too".
		{name: "wrong-protocol needs a socket that serves the address", target: "10.0.0.5:11211", proto: udp,
			snap:    host(sock(udp, "127.0.0.1:11211", "memcached"), sock(tcp, "127.0.0.1:11211", "memcached")),
			verdict: VerdictRefuse, codes: []Code{CodeLoopbackOnly}, says: []string{"memcached (pid 901) listens on 127.0.0.1:11211 only"}},
		{name: "wrong-protocol, dnsmasq on loopback checked from another host", target: "10.0.0.5:53", proto: tcp,
			snap:    host(sock(udp, "127.0.0.1:53", "dnsmasq"), sock(tcp, "127.0.0.1:53", "dnsmasq")),
			verdict: VerdictRefuse, codes: []Code{CodeLoopbackOnly}},
		{name: "wrong-protocol, the other protocol on the address", target: "127.0.0.1:11211", proto: tcp,
			snap:    host(sock(udp, "127.0.0.1:11211", "memcached")),
			verdict: VerdictRefuse, codes: []Code{CodeNoListener, CodeWrongProtocol}, says: []string{"memcached (pid 901) has a udp socket on 127.0.0.1:11211, but the client uses tcp"}},
		{name: "wrong-protocol, the other protocol on another address only", target: "10.0.0.5:53", proto: tcp,
			snap:    host(sock(udp, "127.0.0.1:53", "dnsmasq")),
			verdict: VerdictRefuse, codes: []Code{CodeNoListener}},
		{name: "wrong-protocol through a dual-stack socket, assumed", target: "10.0.0.5:53", proto: tcp,
			snap:    host(sock(udp, "[::]:53", "named")),
			verdict: VerdictRefuse, codes: []Code{CodeNoListener, CodeWrongProtocol}, says: []string{"assumed"}, guessed: true},
		{name: "udp accepted", target: "127.0.0.1:53", proto: udp, snap: host(sock(udp, "0.0.0.0:53", "dnsmasq")),
			verdict: VerdictAccept, codes: []Code{CodeListening}},
		{name: "every address of this host", target: ":80", proto: tcp, snap: host(sock(tcp, "0.0.0.0:80", "nginx")),
			verdict: VerdictPartial, codes: []Code{CodeIPv4Only, CodeListening}, says: []string{"would accept tcp connections to 127.0.0.1:80 and 10.0.0.5:80"}},
		{name: "0.0.0.0 means every IPv4 address", target: "0.0.0.0:80", proto: tcp, snap: host(sock(tcp, "0.0.0.0:80", "nginx")),
			verdict: VerdictAccept, codes: []Code{CodeListening}, says: []string{"127.0.0.1:80 and 10.0.0.5:80", "where a server listens"}},
		{name: "[::] means every address", target: "[::]:80", proto: tcp, snap: host(sock(tcp, "127.0.0.1:80", "nginx")),
			verdict: VerdictPartial, codes: []Code{CodeLoopbackOnly, CodeIPv4Only, CodeListening}},
		{name: "every address, all refused", target: "80", proto: tcp, snap: host(),
			verdict: VerdictRefuse, codes: []Code{CodeNoListener}, says: []string{"nothing listens on tcp port 80 of this host"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tg, err := target.Parse(c.target, c.proto, nil)
			if err != nil {
				t.Fatal(err)
			}
			rep := Explain(context.Background(), tg, c.snap, resolver)
			var codes []Code
			for _, f := range rep.Findings {
				codes = append(codes, f.Code)
				if f.Message == "" || f.Suggestion == "" {
					t.Errorf("%s: message %q, suggestion %q", f.Code, f.Message, f.Suggestion)
				}
			}
			if rep.Verdict != c.verdict || !slices.Equal(codes, c.codes) || rep.Guessed != c.guessed {
				t.Errorf("verdict %s, codes %v, guessed %v; want %s, %v, %v", rep.Verdict, codes, rep.Guessed, c.verdict, c.codes, c.guessed)
			}
			all := rep.Summary
			for _, f := range rep.Findings {
				all += "\n" + f.Message + "\n" + f.Suggestion
			}
			for _, r := range rep.Sockets {
				all += "\n" + r.Why
			}
			all += "\n" + strings.Join(rep.Warnings, "\n")
			for _, want := range c.says {
				if !strings.Contains(all, want) {
					t.Errorf("nothing says %q:\n%s", want, all)
				}
			}
			if strings.Contains(all, "hunter2") {
				t.Errorf("a process's arguments were shown:\n%s", all)
			}
			if rep.Summary == "" {
				t.Error("no summary")
			}
		})
	}
}

// TestExplainRows: the table holds every socket on the port, listeners of
// the target's protocol first, then the candidates, each with a reason.
func TestExplainRows(t *testing.T) {
	snap := host(
		sock(inspect.TCP, "127.0.0.1:5433", "postgres"),
		sock(inspect.UDP, "0.0.0.0:5432", "x"),
		sock(inspect.TCP, "127.0.0.1:5432", "postgres"),
		sock(inspect.TCP, "[::1]:5432", "postgres"),
		sock(inspect.TCP, "127.0.0.1:5432", "", state(inspect.StateEstablished)),
		sock(inspect.TCP, "127.0.0.1:22", "sshd"),
	)
	tg, _ := target.Parse("10.0.0.5:5432", inspect.TCP, nil)
	rep := Explain(context.Background(), tg, snap, resolver)
	var got []string
	for _, r := range rep.Sockets {
		got = append(got, string(r.Protocol)+" "+r.Local.String()+" "+string(r.State)+": "+r.Why)
	}
	want := []string{
		"tcp 127.0.0.1:5432 LISTEN: refuses 10.0.0.5 (loopback only)",
		"tcp [::1]:5432 LISTEN: refuses 10.0.0.5 (loopback only)",
		"udp 0.0.0.0:5432 UNCONN: udp, and the client uses tcp",
		"tcp 127.0.0.1:5433 LISTEN: port 5433, one typo from 5432",
	}
	if !slices.Equal(got, want) {
		t.Errorf("rows:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestCheckFilter(t *testing.T) {
	f := CheckFilter([]target.Target{{Port: 8080}, {Port: 8081}})
	if len(f.Protocols) != 0 {
		t.Errorf("filter %+v narrows protocols", f)
	}
	if !slices.Equal(f.States, inspect.Listeners().States) {
		t.Errorf("candidate ports ask for states %v, want the listeners' only", f.States)
	}
	if !slices.Equal(f.AnyStatePorts, []uint16{8080, 8081}) {
		t.Errorf("every state is asked on %v, want the targets' ports 8080 and 8081", f.AnyStatePorts)
	}
	for _, p := range []uint16{8080, 8081, 80, 36895, 8443} {
		if !slices.Contains(f.Ports, p) {
			t.Errorf("filter ports lack %d: %v", p, f.Ports)
		}
	}
	if !slices.IsSorted(f.Ports) || len(slices.Compact(slices.Clone(f.Ports))) != len(f.Ports) {
		t.Errorf("ports not sorted and unique: %v", f.Ports)
	}
}

// failingResolver cannot reach its DNS server.
type failingResolver struct{}

func (failingResolver) LookupNetIP(context.Context, string, string) ([]netip.Addr, error) {
	return nil, &net.DNSError{Err: "dial udp 192.0.2.53:53: connect: network is unreachable", Name: "db.internal", Server: "192.0.2.53:53"}
}

func TestExplainDNSDown(t *testing.T) {
	tg, _ := target.Parse("db.internal:5432", inspect.TCP, nil)
	rep := Explain(context.Background(), tg, host(), failingResolver{})
	if rep.Verdict != VerdictUnknown || len(rep.Findings) != 1 || rep.Findings[0].Code != CodeUnresolvable ||
		!strings.Contains(rep.Summary, "db.internal cannot be resolved") || !strings.Contains(rep.Findings[0].Suggestion, "DNS servers") {
		t.Errorf("%+v", rep)
	}
}

// TestSummaryOfMixedRefusal: when one address is refused and another is
// not this host's, the verdict line tells the refusal.
func TestSummaryOfMixedRefusal(t *testing.T) {
	r := target.StaticResolver{"app": {netip.MustParseAddr("192.0.2.7"), netip.MustParseAddr("10.0.0.5")}}
	tg, _ := target.Parse("app:5432", inspect.TCP, nil)
	rep := Explain(context.Background(), tg, host(sock(inspect.TCP, "127.0.0.1:5432", "postgres")), r)
	if rep.Verdict != VerdictRefuse || !strings.Contains(rep.Summary, "loopback") {
		t.Errorf("verdict %s, summary %q", rep.Verdict, rep.Summary)
	}
}

// TestFindingTexts: every finding code has one row of words, with both a
// sentence and a suggestion; the rows' order is the report's.
func TestFindingTexts(t *testing.T) {
	codes := []Code{CodeListening, CodeNoListener, CodePortReserved, CodeLoopbackOnly, CodeOtherAddress, CodeIPv6Only, CodeIPv4Only,
		CodeWrongProtocol, CodeNearbyPort, CodeByteSwapped, CodeNotLocal, CodeRecentlyClosed, CodeOwnerHidden, CodeUnresolvable,
		CodeNATMapped, CodeOtherNamespace, CodeContainerStopped, CodeNotForwarded,
		CodeFirewallReject, CodeFirewallDrop, CodeEndpointRefuses, CodeFirewallUnsure, CodeOthersHidden, CodeAcceptQueueFull}
	if len(findingTexts) != len(codes) {
		t.Errorf("%d rows of words for %d codes", len(findingTexts), len(codes))
	}
	for _, c := range codes {
		i := findingRank(c)
		if i < 0 {
			t.Errorf("%s has no words", c)
			continue
		}
		if ft := findingTexts[i]; ft.message == nil || ft.suggestion == nil {
			t.Errorf("%s: a sentence or a suggestion is missing", c)
		}
	}
	if findingRank(CodeUnresolvable) > findingRank(CodeNoListener) || findingRank(CodeNoListener) > findingRank(CodeListening) {
		t.Error("what is wrong must come before what works")
	}
}
