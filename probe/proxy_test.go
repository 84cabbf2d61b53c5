// proxy_test.go tests which proxy the proxy variables send a target to,
// and the probe of it against a real listener on loopback.

package probe

import (
	"context"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/whyrefused/whyrefused/inspect"
	"github.com/whyrefused/whyrefused/target"
)

func TestProxyFor(t *testing.T) {
	cases := []struct {
		name, target string
		env          map[string]string
		want         string // VARIABLE URL HOST:PORT, "" for none, "error TEXT"
	}{
		{"https URL, HTTPS_PROXY", "https://api.example/v1", map[string]string{"HTTPS_PROXY": "http://u:s3cret@proxy.example:3128"},
			"HTTPS_PROXY http://proxy.example:3128 proxy.example:3128"},
		{"lower case", "https://api.example/v1", map[string]string{"https_proxy": "http://proxy.example:3128"},
			"https_proxy http://proxy.example:3128 proxy.example:3128"},
		{"upper case wins", "https://api.example", map[string]string{"HTTPS_PROXY": "http://a.example:1", "https_proxy": "http://b.example:2"},
			"HTTPS_PROXY http://a.example:1 a.example:1"},
		{"http URL, only HTTPS_PROXY", "http://api.example/", map[string]string{"HTTPS_PROXY": "http://proxy.example:3128"}, ""},
		{"http URL, HTTP_PROXY without a scheme", "http://api.example/", map[string]string{"HTTP_PROXY": "proxy.example:3128"},
			"HTTP_PROXY http://proxy.example:3128 proxy.example:3128"},
		{"proxy without a port", "http://api.example/", map[string]string{"HTTP_PROXY": "http://proxy.example"},
			"HTTP_PROXY http://proxy.example proxy.example:80"},
		{"NO_PROXY suffix", "https://api.example.com", map[string]string{"HTTPS_PROXY": "http://proxy.example:3128", "NO_PROXY": ".example.com"}, ""},
		{"no_proxy lower case", "https://api.example.com", map[string]string{"HTTPS_PROXY": "http://proxy.example:3128", "no_proxy": "api.example.com"}, ""},
		{"NO_PROXY star", "https://api.example.com", map[string]string{"HTTPS_PROXY": "http://proxy.example:3128", "NO_PROXY": "*"}, ""},
		{"NO_PROXY elsewhere", "https://api.example.com", map[string]string{"HTTPS_PROXY": "http://proxy.example:3128", "NO_PROXY": "other.example"},
			"HTTPS_PROXY http://proxy.example:3128 proxy.example:3128"},
		{"loopback is never proxied", "http://127.0.0.1:8080/", map[string]string{"HTTP_PROXY": "http://proxy.example:3128"}, ""},
		{"localhost is never proxied", "http://localhost:8080/", map[string]string{"HTTP_PROXY": "http://proxy.example:3128"}, ""},
		{"well-known port, no scheme", "api.example:8080", map[string]string{"HTTP_PROXY": "http://proxy.example:3128"},
			"HTTP_PROXY http://proxy.example:3128 proxy.example:3128"},
		{"443, no scheme, is https", "api.example:443", map[string]string{"HTTP_PROXY": "http://p1.example:1", "HTTPS_PROXY": "http://p2.example:2"},
			"HTTPS_PROXY http://p2.example:2 p2.example:2"},
		{"wss is https", "wss://api.example/socket", map[string]string{"HTTPS_PROXY": "http://proxy.example:3128"},
			"HTTPS_PROXY http://proxy.example:3128 proxy.example:3128"},
		{"a database port is not proxied", "db.example:5432", map[string]string{"HTTP_PROXY": "http://proxy.example:3128", "ALL_PROXY": "socks5://proxy.example"}, ""},
		{"postgres URL is not proxied", "postgres://db.example/app", map[string]string{"ALL_PROXY": "socks5://proxy.example"}, ""},
		{"ALL_PROXY alone", "https://api.example", map[string]string{"ALL_PROXY": "socks5://proxy.example:1081"},
			"ALL_PROXY socks5://proxy.example:1081 proxy.example:1081"},
		{"ALL_PROXY without a port", "https://api.example", map[string]string{"all_proxy": "socks5h://proxy.example"},
			"all_proxy socks5h://proxy.example proxy.example:1080"},
		{"ALL_PROXY and NO_PROXY", "https://api.example", map[string]string{"ALL_PROXY": "socks5://proxy.example", "NO_PROXY": "api.example"}, ""},
		{"UDP is not proxied", "api.example:443/udp", map[string]string{"HTTPS_PROXY": "http://proxy.example:3128"}, ""},
		{"every address of this host", ":8080", map[string]string{"HTTP_PROXY": "http://proxy.example:3128"}, ""},
		{"a value that is no address", "https://api.example", map[string]string{"HTTPS_PROXY": "http://[::1"}, "error HTTPS_PROXY is not a proxy address"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tg, err := target.Parse(c.target, inspect.TCP, nil)
			if err != nil {
				t.Fatal(err)
			}
			p, err := ProxyFor(tg, func(k string) string { return c.env[k] })
			got := ""
			switch {
			case err != nil:
				got = "error " + err.Error()
				if strings.Contains(got, "s3cret") {
					t.Errorf("error shows the password: %v", err)
				}
			case p != nil:
				got = p.Variable + " " + p.URL + " " + net.JoinHostPort(p.Target.Host, strconv.Itoa(int(p.Target.Port)))
				if p.Clients == "" {
					t.Error("no clients named")
				}
			}
			if !strings.HasPrefix(got, c.want) || (c.want == "") != (got == "") {
				t.Errorf("got %q, want %q", got, c.want)
			}
		})
	}
}

// TestRunProbesTheProxy: with HTTP_PROXY set, a probe of an http target
// probes the proxy too, for real: a listener on 127.0.0.1 stands for it,
// while the target's own address refuses.
func TestRunProbesTheProxy(t *testing.T) {
	l, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	closed, err := net.Listen("tcp4", "127.0.0.2:0")
	if err != nil {
		t.Skipf("127.0.0.2 cannot be bound here: %v", err)
	}
	port := closed.Addr().(*net.TCPAddr).Port
	closed.Close()
	r := &fakeResolver{answers: map[string][]string{"api.example": {"127.0.0.2"}, "proxy.example": {"127.0.0.1"}}}
	cfg := fakeConfig("", r)
	cfg.Dialer, cfg.Now, cfg.Timeout = &net.Dialer{}, time.Now, 2*time.Second
	cfg.Getenv = func(k string) string {
		if k == "http_proxy" {
			return "http://user:s3cret@proxy.example:" + strconv.Itoa(l.Addr().(*net.TCPAddr).Port)
		}
		return ""
	}
	tg, err := target.Parse("http://api.example:"+strconv.Itoa(port)+"/", inspect.TCP, nil)
	if err != nil {
		t.Fatal(err)
	}
	res, err := Run(context.Background(), tg, 0, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if res.Accepted() || res.Proxy == nil || res.ProxyProbe == nil {
		t.Fatalf("target accepted %v, proxy %+v, probe of it %+v", res.Accepted(), res.Proxy, res.ProxyProbe)
	}
	if res.Proxy.Variable != "http_proxy" || strings.Contains(res.Proxy.URL, "s3cret") || !res.ProxyProbe.Accepted() {
		t.Errorf("proxy %+v; its probe accepted: %v", res.Proxy, res.ProxyProbe.Accepted())
	}
	if res.ProxyProbe.Proxy != nil {
		t.Error("the proxy is reached directly, not through itself")
	}
}
