// follow_test.go holds the tests of following a connection into other
// network namespaces, on snapshots built by hand: a published port with
// and without docker-proxy, a container's own address, a server in
// another namespace, a stopped container.

package match

import (
	"context"
	"net/netip"
	"slices"
	"strings"
	"testing"

	"github.com/whyrefused/whyrefused/inspect"
	"github.com/whyrefused/whyrefused/target"
)

const webID = "4f2a9c1e0b7d3a5f6e8c9b0a1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e"

// dockerHost is a host (198.18.0.1) running container web
// (198.18.100.2) that publishes 8080 to its port 80; inner are web's
// sockets, hostSocks the host's.
func dockerHost(running bool, hostSocks, inner []inspect.Socket) (*inspect.Snapshot, *inspect.Snapshot) {
	host := &inspect.Netns{Inode: 1, Name: "host", Self: true, Host: true,
		Addrs: []netip.Addr{netip.MustParseAddr("127.0.0.1"), netip.MustParseAddr("198.18.0.1")}}
	state := "running"
	if !running {
		state = "exited"
	}
	c := inspect.Container{ID: webID, Name: "web", Runtime: "docker", State: state,
		Ports: []inspect.PublishedPort{{Protocol: inspect.TCP, HostPort: 8080, Port: 80}},
		Addrs: []netip.Addr{netip.MustParseAddr("198.18.100.2")}}
	all := &inspect.Snapshot{Privileged: true, HostAddrs: host.Addrs, Namespaces: []*inspect.Netns{host}, Containers: []inspect.Container{c}}
	for _, s := range hostSocks {
		s.Netns = host
		all.Sockets = append(all.Sockets, s)
	}
	if running {
		cc := c
		web := &inspect.Netns{Inode: 2, Name: "web", Container: &cc,
			Addrs: []netip.Addr{netip.MustParseAddr("127.0.0.1"), netip.MustParseAddr("198.18.100.2")}}
		all.Namespaces = append(all.Namespaces, web)
		for _, s := range inner {
			s.Netns = web
			all.Sockets = append(all.Sockets, s)
		}
	}
	return all.View(host), all
}

// followed checks t on the host, follows it, and returns the report.
func followed(t *testing.T, hostView, all *inspect.Snapshot, input string) Report {
	t.Helper()
	tg, err := target.Parse(input, inspect.TCP, nil)
	if err != nil {
		t.Fatal(err)
	}
	rep := Explain(context.Background(), tg, hostView, resolver)
	if NeedsNetns(rep) {
		FollowNetns(context.Background(), &rep, tg, all, resolver)
	}
	return rep
}

func codes(rep Report) []Code {
	var out []Code
	for _, f := range rep.Findings {
		out = append(out, f.Code)
	}
	return out
}

func TestFollowPublishedPort(t *testing.T) {
	proxy := sock(inspect.TCP, "0.0.0.0:8080", "docker-proxy")
	dockerd := sock(inspect.TCP, "0.0.0.0:8080", "dockerd")
	conmon := sock(inspect.TCP, "0.0.0.0:8080", "conmon")
	onAll := sock(inspect.TCP, "0.0.0.0:80", "httpd")
	onLo := sock(inspect.TCP, "127.0.0.1:80", "httpd")
	on8000 := sock(inspect.TCP, "0.0.0.0:8000", "httpd")
	tests := []struct {
		name        string
		host, inner []inspect.Socket
		target      string
		want        Verdict
		wantCodes   []Code
		wantMessage string
	}{
		{"pure DNAT, app on 0.0.0.0", nil, []inspect.Socket{onAll}, "198.18.0.1:8080", VerdictAccept,
			[]Code{CodeNATMapped, CodeListening}, "is mapped to 198.18.100.2:80"},
		{"pure DNAT, app on loopback", nil, []inspect.Socket{onLo}, "198.18.0.1:8080", VerdictRefuse,
			[]Code{CodeNATMapped, CodeLoopbackOnly}, "in container web (4f2a9c1e0b7d): httpd (pid 901) listens on 127.0.0.1:80 only"},
		{"docker-proxy, app on loopback, remote address", []inspect.Socket{proxy}, []inspect.Socket{onLo}, "198.18.0.1:8080", VerdictRefuse,
			[]Code{CodeNATMapped, CodeLoopbackOnly}, "so the mapping reaches nothing"},
		{"docker-proxy, app on loopback, loopback: the proxy accepts", []inspect.Socket{proxy}, []inspect.Socket{onLo}, "127.0.0.1:8080", VerdictAccept,
			[]Code{CodeNATMapped, CodeLoopbackOnly}, "is passed on to 198.18.100.2:80 by docker-proxy"},
		{"dockerd placeholder, app on 0.0.0.0", []inspect.Socket{dockerd}, []inspect.Socket{onAll}, "127.0.0.1:8080", VerdictAccept,
			[]Code{CodeNATMapped, CodeListening}, "dockerd's own socket on the port is a placeholder that never serves"},
		{"dockerd placeholder, app on :8000", []inspect.Socket{dockerd}, []inspect.Socket{on8000}, "127.0.0.1:8080", VerdictRefuse,
			[]Code{CodeNATMapped, CodeNoListener, CodeNearbyPort}, "nothing listens on tcp port 80 of 198.18.100.2, so the mapping reaches nothing"},
		// Rootful Podman: conmon holds the port, its DNAT maps loopback
		// too, so the inside decides there as well.
		{"conmon placeholder, app on loopback, loopback", []inspect.Socket{conmon}, []inspect.Socket{onLo}, "127.0.0.1:8080", VerdictRefuse,
			[]Code{CodeNATMapped, CodeLoopbackOnly}, "conmon's socket on the port is Podman's reservation of it, which never serves"},
		{"conmon placeholder, app on 0.0.0.0", []inspect.Socket{conmon}, []inspect.Socket{onAll}, "198.18.0.1:8080", VerdictAccept,
			[]Code{CodeNATMapped, CodeListening}, "is mapped to 198.18.100.2:80"},
		{"the container's own address", nil, []inspect.Socket{onLo}, "198.18.100.2:80", VerdictRefuse,
			[]Code{CodeLoopbackOnly}, "in container web"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hv, all := dockerHost(true, tt.host, tt.inner)
			rep := followed(t, hv, all, tt.target)
			if rep.Verdict != tt.want || !slices.Equal(codes(rep), tt.wantCodes) {
				t.Errorf("verdict %s, codes %v; want %s, %v\n%+v", rep.Verdict, codes(rep), tt.want, tt.wantCodes, rep.Findings)
			}
			text := rep.Summary
			for _, f := range rep.Findings {
				text += "\n" + f.Message + " / " + f.Suggestion
			}
			if !strings.Contains(text, tt.wantMessage) {
				t.Errorf("no %q in:\n%s", tt.wantMessage, text)
			}
			if slices.Contains(codes(rep), CodeNoListener) && tt.host == nil && !strings.Contains(text, "of 198.18.100.2") {
				t.Errorf("a pure DNAT mapping was reported as no-listener on the host:\n%s", text)
			}
		})
	}
}

func TestFollowStoppedContainer(t *testing.T) {
	hv, all := dockerHost(false, nil, nil)
	rep := followed(t, hv, all, "198.18.0.1:8080")
	if rep.Verdict != VerdictRefuse || !slices.Contains(codes(rep), CodeContainerStopped) {
		t.Fatalf("verdict %s, codes %v", rep.Verdict, codes(rep))
	}
	for _, f := range rep.Findings {
		if f.Code == CodeContainerStopped && (!strings.Contains(f.Message, "container web") || !strings.Contains(f.Message, "exited") || !strings.Contains(f.Suggestion, "docker start web")) {
			t.Errorf("container-stopped says: %s / %s", f.Message, f.Suggestion)
		}
	}
}

func TestFollowStoppedPodmanContainer(t *testing.T) {
	hv, all := dockerHost(false, nil, nil)
	all.Containers[0].Runtime = "podman"
	rep := followed(t, hv, all, "198.18.0.1:8080")
	for _, f := range rep.Findings {
		if f.Code == CodeContainerStopped && !strings.Contains(f.Suggestion, "podman start web") {
			t.Errorf("container-stopped of a Podman container says: %s", f.Suggestion)
		}
	}
}

func TestFollowOtherNamespace(t *testing.T) {
	host := &inspect.Netns{Inode: 1, Name: "host", Self: true, Host: true, Addrs: []netip.Addr{netip.MustParseAddr("127.0.0.1")}}
	blue := &inspect.Netns{Inode: 2, Name: "blue", IPNetns: []string{"blue"}, Addrs: []netip.Addr{netip.MustParseAddr("127.0.0.1")}}
	s := sock(inspect.TCP, "0.0.0.0:5432", "postgres")
	s.Netns = blue
	all := &inspect.Snapshot{Privileged: true, HostAddrs: host.Addrs, Namespaces: []*inspect.Netns{host, blue}, Sockets: []inspect.Socket{s}}
	rep := followed(t, all.View(host), all, "127.0.0.1:5432")
	if rep.Verdict != VerdictRefuse || !slices.Equal(codes(rep), []Code{CodeNoListener, CodeOtherNamespace}) {
		t.Fatalf("verdict %s, codes %v", rep.Verdict, codes(rep))
	}
	f := rep.Findings[1]
	if !strings.Contains(f.Message, "the server runs in network namespace blue") || !strings.Contains(f.Suggestion, "--netns blue") {
		t.Errorf("other-namespace says: %s / %s", f.Message, f.Suggestion)
	}
}

func TestFollowProxyArguments(t *testing.T) {
	// No engine to ask: docker-proxy's arguments say where it goes.
	proxy := sock(inspect.TCP, "0.0.0.0:8080", "docker-proxy")
	proxy.Owners[0].ProxyTo = netip.MustParseAddrPort("198.18.100.2:80")
	hv, all := dockerHost(true, []inspect.Socket{proxy}, []inspect.Socket{sock(inspect.TCP, "127.0.0.1:80", "httpd")})
	all.Containers = nil
	rep := followed(t, hv, all, "198.18.0.1:8080")
	if rep.Verdict != VerdictRefuse || !slices.Equal(codes(rep), []Code{CodeNATMapped, CodeLoopbackOnly}) {
		t.Fatalf("verdict %s, codes %v", rep.Verdict, codes(rep))
	}
	if m := rep.Findings[0].Message; !strings.Contains(m, "by docker-proxy (its arguments name the address)") || strings.Contains(m, "-container-ip") {
		t.Errorf("nat-mapped says %q", m)
	}
}

func TestFollowRunningContainerWithoutNamespace(t *testing.T) {
	// Rootless Podman's container whose processes were not seen: running,
	// so never said to be stopped.
	hv, all := dockerHost(false, nil, nil)
	all.Containers[0].State = "running"
	rep := followed(t, hv, all, "198.18.0.1:8080")
	if slices.Contains(codes(rep), CodeContainerStopped) {
		t.Errorf("a running container is said to be stopped: %+v", rep.Findings)
	}
	if !slices.ContainsFunc(rep.Warnings, func(w string) bool { return strings.Contains(w, "its network namespace was not found") }) {
		t.Errorf("no warning that the container's namespace was not found: %q", rep.Warnings)
	}
}

func TestFollowRootlessportWithoutEngine(t *testing.T) {
	// No engine answered: rootlessport's connection on is not known, and
	// the report says so.
	hv, all := dockerHost(true, []inspect.Socket{sock(inspect.TCP, "0.0.0.0:8080", "rootlessport")}, nil)
	all.Containers = nil
	rep := followed(t, hv, all, "127.0.0.1:8080")
	if rep.Verdict != VerdictAccept || !slices.ContainsFunc(rep.Warnings, func(w string) bool { return strings.Contains(w, "rootless Podman's port forwarder") }) {
		t.Errorf("verdict %s, warnings %q", rep.Verdict, rep.Warnings)
	}
}
