// engine.go holds the asking of a container engine (Docker, or Podman's
// Docker-compatible service) over its API socket: each container's name,
// state, addresses and published ports.
//
// It speaks the engine's documented HTTP API (GET /containers/json and
// /containers/{id}/json) with net/http over the unix socket, rather than
// through the Docker client library: that library brings in some forty
// modules (the moby API types, OpenTelemetry, containerd's errdefs, ...)
// for two GET requests and a handful of JSON fields.

package inspect

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// engineSockets are where Docker and Podman listen, in the order asked:
// DOCKER_HOST and CONTAINER_HOST (podman-remote's) first when they name
// a unix socket, then the engines' own paths.
func engineSockets(getenv func(string) string) []string {
	var socks []string
	for _, v := range []string{"DOCKER_HOST", "CONTAINER_HOST"} {
		if h, ok := strings.CutPrefix(getenv(v), "unix://"); ok && h != "" {
			socks = append(socks, h)
		}
	}
	socks = append(socks, "/run/docker.sock", "/var/run/docker.sock", "/run/podman/podman.sock")
	if d := getenv("XDG_RUNTIME_DIR"); d != "" {
		socks = append(socks, filepath.Join(d, "docker.sock"), filepath.Join(d, "podman", "podman.sock"))
	}
	var once []string
	for _, s := range socks {
		if !slices.Contains(once, s) {
			once = append(once, s)
		}
	}
	return once
}

// engineClient asks one engine over its unix socket.
type engineClient struct {
	socket string
	http   *http.Client
}

// newEngineClient makes a client for the socket at path.
func newEngineClient(path string) *engineClient {
	tr := &http.Transport{
		DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, "unix", path)
		},
		DisableKeepAlives: false,
	}
	return &engineClient{socket: path, http: &http.Client{Transport: tr, Timeout: 3 * time.Second}}
}

// get fetches path and decodes its JSON into v; it returns the
// response's header.
func (c *engineClient) get(ctx context.Context, path string, v any) (http.Header, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://engine"+path, nil)
	if err != nil {
		return nil, err
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%s: %s", path, resp.Status)
	}
	return resp.Header, json.NewDecoder(io.LimitReader(resp.Body, 64<<20)).Decode(v)
}

// engineRuntime names the engine that answered: Podman's service
// answers Docker's API with a Libpod-Api-Version header, Docker without.
func engineRuntime(h http.Header) string {
	if h.Get("Libpod-Api-Version") != "" {
		return "podman"
	}
	return "docker"
}

// containers lists every container of the engine, stopped ones too, with
// what its inspection tells (the sandbox key, a stopped one's port
// bindings).
func (c *engineClient) containers(ctx context.Context) ([]Container, error) {
	var list []engineSummary
	h, err := c.get(ctx, "/containers/json?all=1", &list)
	if err != nil {
		return nil, err
	}
	rt := engineRuntime(h)
	out := make([]Container, 0, len(list))
	for _, s := range list {
		ct := s.container()
		ct.Runtime = rt
		var in engineInspect
		if isContainerID(s.ID) {
			if _, err := c.get(ctx, "/containers/"+s.ID+"/json", &in); err == nil {
				in.merge(&ct)
			}
		}
		out = append(out, ct)
	}
	return out, nil
}

// engineSummary is an element of GET /containers/json, the fields used.
type engineSummary struct {
	ID    string   `json:"Id"`
	Names []string `json:"Names"`
	State string   `json:"State"`
	Ports []struct {
		IP          string `json:"IP"`
		PrivatePort uint16 `json:"PrivatePort"`
		PublicPort  uint16 `json:"PublicPort"`
		Type        string `json:"Type"`
	} `json:"Ports"`
	NetworkSettings struct {
		Networks map[string]struct {
			IPAddress         string `json:"IPAddress"`
			GlobalIPv6Address string `json:"GlobalIPv6Address"`
		} `json:"Networks"`
	} `json:"NetworkSettings"`
}

// container converts the summary.
func (s engineSummary) container() Container {
	ct := Container{ID: s.ID, State: s.State}
	if len(s.Names) > 0 {
		ct.Name = strings.TrimPrefix(s.Names[0], "/")
	}
	for _, p := range s.Ports {
		if p.PublicPort == 0 {
			continue // exposed, not published
		}
		pp := PublishedPort{Protocol: Protocol(p.Type), HostPort: p.PublicPort, Port: p.PrivatePort}
		if a, err := netip.ParseAddr(p.IP); err == nil && !a.IsUnspecified() {
			pp.HostIP = a
		}
		ct.Ports = appendPort(ct.Ports, pp)
	}
	for _, n := range s.NetworkSettings.Networks {
		for _, a := range []string{n.IPAddress, n.GlobalIPv6Address} {
			if ip, err := netip.ParseAddr(a); err == nil {
				ct.Addrs = append(ct.Addrs, ip)
			}
		}
	}
	return ct
}

// engineInspect is GET /containers/{id}/json, the fields used.
type engineInspect struct {
	HostConfig struct {
		PortBindings map[string][]struct {
			HostIP   string `json:"HostIp"`
			HostPort string `json:"HostPort"`
		} `json:"PortBindings"`
	} `json:"HostConfig"`
	NetworkSettings struct {
		SandboxKey string `json:"SandboxKey"`
	} `json:"NetworkSettings"`
}

// merge adds to ct what the inspection tells: the sandbox key, and the
// port bindings asked for, which a stopped container still has though
// the summary lists no ports for it.
func (in engineInspect) merge(ct *Container) {
	ct.SandboxKey = in.NetworkSettings.SandboxKey
	for spec, binds := range in.HostConfig.PortBindings {
		port, proto, ok := parsePortSpec(spec)
		if !ok {
			continue
		}
		for _, b := range binds {
			hp, err := strconv.ParseUint(b.HostPort, 10, 16)
			if err != nil || hp == 0 {
				continue // a random host port is known only while it runs
			}
			pp := PublishedPort{Protocol: proto, HostPort: uint16(hp), Port: port}
			if a, err := netip.ParseAddr(b.HostIP); err == nil && !a.IsUnspecified() {
				pp.HostIP = a
			}
			ct.Ports = appendPort(ct.Ports, pp)
		}
	}
}

// appendPort appends p unless ports has it already (the summary lists a
// port once per address family).
func appendPort(ports []PublishedPort, p PublishedPort) []PublishedPort {
	for _, q := range ports {
		if q.Protocol == p.Protocol && q.HostPort == p.HostPort && q.Port == p.Port && (q.HostIP == p.HostIP || !q.HostIP.IsValid()) {
			return ports
		}
	}
	return append(ports, p)
}

// parsePortSpec reads a port binding's key: "80/tcp".
func parsePortSpec(s string) (uint16, Protocol, bool) {
	n, proto, _ := strings.Cut(s, "/")
	p, err := strconv.ParseUint(n, 10, 16)
	if err != nil || p == 0 {
		return 0, "", false
	}
	switch proto {
	case "", "tcp":
		return uint16(p), TCP, true
	case "udp":
		return uint16(p), UDP, true
	}
	return 0, "", false
}

// engineContainers asks every engine socket that exists for its
// containers, by ID: Docker and Podman may both run on a host. It
// returns what it could not ask as a warning: an engine socket that
// exists but refuses this user (docker.sock is root:docker 0660) is
// worth saying, a missing one is not.
func engineContainers(ctx context.Context, getenv func(string) string) (map[string]Container, string) {
	var warning string
	var byID map[string]Container
	var asked []string
	for _, path := range engineSockets(getenv) {
		fi, err := os.Stat(path)
		if err != nil || slices.ContainsFunc(asked, func(p string) bool { q, err := os.Stat(p); return err == nil && os.SameFile(fi, q) }) {
			continue // /var/run is /run: one engine, asked once
		}
		asked = append(asked, path)
		cts, err := newEngineClient(path).containers(ctx)
		if err != nil {
			if warning == "" {
				warning = fmt.Sprintf("cannot ask the container engine at %s (%v): its containers are shown by ID, without names or published ports", path, err)
			}
			continue
		}
		if byID == nil {
			byID = make(map[string]Container, len(cts))
		}
		for _, c := range cts {
			byID[c.ID] = c
		}
	}
	return byID, warning
}
