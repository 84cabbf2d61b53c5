// proxy.go holds which proxy an HTTP client would connect to instead of
// the target, by the proxy environment variables (HTTP_PROXY, HTTPS_PROXY,
// ALL_PROXY, NO_PROXY, and their lower-case forms).

package probe

import (
	"fmt"
	"net"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/net/http/httpproxy"

	"github.com/whyrefused/whyrefused/inspect"
	"github.com/whyrefused/whyrefused/target"
)

// Proxy is the proxy that clients honouring the environment connect to
// instead of the target.
type Proxy struct {
	// Variable is the environment variable that names it, as set
	// ("HTTPS_PROXY" or "https_proxy").
	Variable string
	// URL is the proxy's URL, credentials removed.
	URL string
	// Clients says which clients honour Variable.
	Clients string
	// Target is the proxy's host and port, for probing it.
	Target target.Target
}

// proxiedPorts are the ports a target without a scheme is taken to be an
// HTTP (or, for 443 and 8443, HTTPS) server on.
var proxiedPorts = map[uint16]string{80: "http", 8000: "http", 8080: "http", 443: "https", 8443: "https"}

// proxyClients say who honours each kind of variable.
const (
	httpProxyClients = "curl, wget, Python requests and urllib, Go's net/http, Node's undici with a proxy agent"
	allProxyClients  = "curl and others that honour ALL_PROXY (Go's net/http and wget do not)"
)

// ProxyFor says which proxy an HTTP client would connect to for t, by the
// environment that getenv reads, or nil when none applies: t is not an
// http(s)/ws(s) URL nor on a well-known HTTP port, no variable is set for
// its scheme, or NO_PROXY (or, as Go's net/http does, a loopback host)
// exempts it. An error means the variable's value is not a proxy address.
func ProxyFor(t target.Target, getenv func(string) string) (*Proxy, error) {
	if getenv == nil || t.Protocol != inspect.TCP || t.Host == "" {
		return nil, nil
	}
	scheme := t.Scheme
	switch scheme {
	case "ws":
		scheme = "http"
	case "wss":
		scheme = "https"
	case "":
		scheme = proxiedPorts[t.Port]
	}
	if scheme != "http" && scheme != "https" {
		return nil, nil
	}
	env := func(name string) (string, string) {
		for _, n := range []string{name, strings.ToLower(name)} {
			if v := getenv(n); v != "" {
				return n, v
			}
		}
		return "", ""
	}
	_, noProxy := env("NO_PROXY")
	varName := strings.ToUpper(scheme) + "_PROXY"
	name, value := env(varName)
	clients := httpProxyClients
	if value == "" {
		if name, value = env("ALL_PROXY"); value == "" {
			return nil, nil
		}
		clients = allProxyClients
	}
	if !validProxy(value) {
		return nil, fmt.Errorf("%s is not a proxy address: give a URL such as http://proxy.example:3128", name)
	}
	cfg := httpproxy.Config{HTTPProxy: value, HTTPSProxy: value, NoProxy: noProxy}
	u := &url.URL{Scheme: scheme, Host: net.JoinHostPort(t.Host, strconv.Itoa(int(t.Port)))}
	pu, err := cfg.ProxyFunc()(u)
	if err != nil {
		return nil, fmt.Errorf("%s is not a proxy address: %s", name, target.StripCredentials(err.Error()))
	}
	if pu == nil {
		return nil, nil // NO_PROXY, or a loopback host
	}
	port := pu.Port()
	if port == "" {
		port = strconv.Itoa(int(defaultProxyPort(pu.Scheme)))
	}
	pt, err := target.Parse(net.JoinHostPort(pu.Hostname(), port), inspect.TCP, nil)
	if err != nil {
		return nil, fmt.Errorf("%s names no host and port a client can connect to", name)
	}
	pu.User = nil
	return &Proxy{Variable: name, URL: pu.String(), Clients: clients, Target: pt}, nil
}

// validProxy reports whether v is a proxy URL (or HOST:PORT, which
// clients take as http://HOST:PORT) with a host.
func validProxy(v string) bool {
	if !strings.Contains(v, "://") {
		v = "http://" + v
	}
	u, err := url.Parse(v)
	return err == nil && u.Hostname() != ""
}

// defaultProxyPort is the port of a proxy URL that names none.
func defaultProxyPort(scheme string) uint16 {
	if slices.Contains([]string{"socks5", "socks5h", "socks4", "socks4a", "socks"}, scheme) {
		return 1080
	}
	if scheme == "https" {
		return 443
	}
	return 80
}
