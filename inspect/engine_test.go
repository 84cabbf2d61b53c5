// engine_test.go holds the tests of the container engine client, against
// an HTTP server on a unix socket that answers as Docker's API documents.

package inspect

import (
	"context"
	"net"
	"net/http"
	"net/netip"
	"path/filepath"
	"slices"
	"testing"

	"github.com/whyrefused/whyrefused/internal/testwine"
)

// dockerList and dockerInspect are answers in the shape of Docker 20.10's
// GET /containers/json?all=1 and GET /containers/{id}/json.
const (
	dockerList = `[
 {"Id":"` + testCID + `","Names":["/web"],"Image":"bb","State":"running","Status":"Up 2 minutes",
  "Ports":[{"IP":"0.0.0.0","PrivatePort":80,"PublicPort":8080,"Type":"tcp"},
           {"IP":"::","PrivatePort":80,"PublicPort":8080,"Type":"tcp"},
           {"PrivatePort":443,"Type":"tcp"}],
  "NetworkSettings":{"Networks":{"bridge":{"IPAddress":"198.18.100.2","GlobalIPv6Address":""}}}},
 {"Id":"` + stoppedCID + `","Names":["/old"],"State":"exited","Status":"Exited (0) 1 minute ago","Ports":[],
  "NetworkSettings":{"Networks":{"bridge":{"IPAddress":""}}}}
]`
	stoppedCID    = "aaaa9c1e0b7d3a5f6e8c9b0a1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e"
	dockerInspect = `{"HostConfig":{"PortBindings":{"80/tcp":[{"HostIp":"","HostPort":"8080"}]}},
  "NetworkSettings":{"SandboxKey":"/var/run/docker/netns/1a2b3c4d5e6f"}}`
	stoppedInspect = `{"HostConfig":{"PortBindings":{"80/tcp":[{"HostIp":"127.0.0.1","HostPort":"9090"}],"53/udp":[{"HostIp":"","HostPort":""}]}},
  "NetworkSettings":{"SandboxKey":""}}`
)

func TestEngineContainers(t *testing.T) {
	sock := filepath.Join(testwine.TempDir(t), "docker.sock")
	l, err := net.Listen("unix", sock)
	if err != nil {
		t.Skipf("no unix sockets here: %v", err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/containers/json", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("all") != "1" {
			t.Errorf("the list did not ask for stopped containers: %s", r.URL)
		}
		w.Write([]byte(dockerList))
	})
	mux.HandleFunc("/containers/"+testCID+"/json", func(w http.ResponseWriter, _ *http.Request) { w.Write([]byte(dockerInspect)) })
	mux.HandleFunc("/containers/"+stoppedCID+"/json", func(w http.ResponseWriter, _ *http.Request) { w.Write([]byte(stoppedInspect)) })
	srv := &http.Server{Handler: mux}
	go srv.Serve(l)
	t.Cleanup(func() { srv.Close() })

	env := map[string]string{"DOCKER_HOST": "unix://" + sock}
	byID, warn := engineContainers(context.Background(), func(k string) string { return env[k] })
	if warn != "" {
		t.Fatalf("warning: %s", warn)
	}
	web, old := byID[testCID], byID[stoppedCID]
	if web.Name != "web" || web.State != "running" || web.SandboxKey != "/var/run/docker/netns/1a2b3c4d5e6f" {
		t.Errorf("web = %+v", web)
	}
	wantWeb := []PublishedPort{{Protocol: TCP, HostPort: 8080, Port: 80}}
	if !slices.Equal(web.Ports, wantWeb) {
		t.Errorf("web's ports = %+v, want %+v (once, not per family; 443 is only exposed)", web.Ports, wantWeb)
	}
	if !slices.Equal(web.Addrs, []netip.Addr{netip.MustParseAddr("198.18.100.2")}) {
		t.Errorf("web's addresses = %v", web.Addrs)
	}
	wantOld := []PublishedPort{{Protocol: TCP, HostIP: netip.MustParseAddr("127.0.0.1"), HostPort: 9090, Port: 80}}
	if old.Name != "old" || old.State != "exited" || !slices.Equal(old.Ports, wantOld) {
		t.Errorf("the stopped container = %+v, want its binding %+v", old, wantOld)
	}
}

func TestEngineRefused(t *testing.T) {
	dir := testwine.TempDir(t)
	sock := filepath.Join(dir, "docker.sock")
	l, err := net.Listen("unix", sock)
	if err != nil {
		t.Skipf("no unix sockets here: %v", err)
	}
	// The file stays and nothing answers, as with a dead daemon's socket.
	l.(*net.UnixListener).SetUnlinkOnClose(false)
	l.Close()
	env := map[string]string{"DOCKER_HOST": "unix://" + sock}
	byID, warn := engineContainers(context.Background(), func(k string) string { return env[k] })
	if byID != nil || warn == "" {
		t.Errorf("a socket that does not answer gave %v and warning %q", byID, warn)
	}
}

func TestParsePortSpec(t *testing.T) {
	for _, tt := range []struct {
		in    string
		port  uint16
		proto Protocol
		ok    bool
	}{{"80/tcp", 80, TCP, true}, {"53/udp", 53, UDP, true}, {"80", 80, TCP, true}, {"80/sctp", 0, "", false}, {"x/tcp", 0, "", false}} {
		p, proto, ok := parsePortSpec(tt.in)
		if p != tt.port || proto != tt.proto || ok != tt.ok {
			t.Errorf("parsePortSpec(%q) = %d %s %v", tt.in, p, proto, ok)
		}
	}
}

// podmanList is Podman 4.3's answer to GET /containers/json?all=1 on its
// Docker-compatible API, as measured (the fields used).
const podmanList = `[{"Id":"` + podCID + `","Names":["/web0"],"Image":"localhost/wr-bb:latest","State":"running",
 "Ports":[{"PrivatePort":80,"PublicPort":8080,"Type":"tcp"}],
 "NetworkSettings":{"Networks":{"podman":{"IPAddress":"198.18.210.6","GlobalIPv6Address":""}}}}]`

const podCID = "56d19f5db4496484ab17d8a942a8a8528b8ca8bc0683f285acca7bbe329d4d7e"

// serveEngine answers list on a unix socket in a temporary directory, as
// Podman does when podman is true (its Libpod-Api-Version header), and
// returns the socket's path.
func serveEngine(t *testing.T, list string, podman bool) string {
	t.Helper()
	sock := filepath.Join(testwine.TempDir(t), "engine.sock")
	l, err := net.Listen("unix", sock)
	if err != nil {
		t.Skipf("no unix sockets here: %v", err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if podman {
			w.Header().Set("Libpod-Api-Version", "4.3.1")
		}
		if r.URL.Path == "/containers/json" {
			w.Write([]byte(list))
			return
		}
		w.Write([]byte(`{}`))
	})}
	go srv.Serve(l)
	t.Cleanup(func() { srv.Close() })
	return sock
}

func TestEngineDockerAndPodman(t *testing.T) {
	docker := serveEngine(t, dockerList, false)
	podman := serveEngine(t, podmanList, true)
	// podman-remote's CONTAINER_HOST names Podman's socket; both engines
	// are asked.
	env := map[string]string{"DOCKER_HOST": "unix://" + docker, "CONTAINER_HOST": "unix://" + podman}
	byID, warn := engineContainers(context.Background(), func(k string) string { return env[k] })
	if warn != "" {
		t.Fatalf("warning: %s", warn)
	}
	if c := byID[testCID]; c.Name != "web" || c.Runtime != "docker" {
		t.Errorf("Docker's container = %+v", c)
	}
	pc := byID[podCID]
	if pc.Name != "web0" || pc.Runtime != "podman" || !slices.Equal(pc.Ports, []PublishedPort{{Protocol: TCP, HostPort: 8080, Port: 80}}) ||
		!slices.Equal(pc.Addrs, []netip.Addr{netip.MustParseAddr("198.18.210.6")}) {
		t.Errorf("Podman's container = %+v", pc)
	}
}

func TestEngineSocketsOnce(t *testing.T) {
	env := map[string]string{"DOCKER_HOST": "unix:///run/podman/podman.sock", "CONTAINER_HOST": "unix:///run/podman/podman.sock", "XDG_RUNTIME_DIR": "/run/user/1000"}
	got := engineSockets(func(k string) string { return env[k] })
	want := []string{"/run/podman/podman.sock", "/run/docker.sock", "/var/run/docker.sock", filepath.Join("/run/user/1000", "docker.sock"), filepath.Join("/run/user/1000", "podman", "podman.sock")}
	if !slices.Equal(got, want) {
		t.Errorf("engineSockets = %q, want %q", got, want)
	}
}
