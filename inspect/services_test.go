// services_test.go holds the tests of the services(5) parser and lookup.

package inspect

import (
	"runtime"
	"strings"
	"testing"

	"github.com/whyrefused/whyrefused/internal/testtool"
)

const servicesText = `# Network services, Internet style
ssh		22/tcp				# SSH Remote Login Protocol
domain		53/tcp				# Domain Name Server
domain		53/udp
http		80/tcp		www		# WorldWideWeb HTTP
bad line
broken		x/tcp
zero		0/tcp
big		70000/tcp
syslog		514/udp
postgresql	5432/tcp	postgres	# PostgreSQL Database
`

func TestParseServices(t *testing.T) {
	cases := []struct {
		name  string
		proto Protocol
		port  uint16
		ok    bool
	}{
		{"ssh", TCP, 22, true},
		{"SSH", TCP, 22, true},
		{"www", TCP, 80, true},
		{"postgresql", TCP, 5432, true},
		{"postgres", TCP, 5432, true},
		{"domain", UDP, 53, true},
		{"syslog", UDP, 514, true},
		{"syslog", TCP, 0, false},
		{"ssh", UDP, 0, false},
		{"broken", TCP, 0, false},
		{"zero", TCP, 0, false},
		{"big", TCP, 0, false},
		{"Database", TCP, 0, false}, // in a comment
		{"nosuch", TCP, 0, false},
	}
	for _, c := range cases {
		port, ok, err := ParseServices(strings.NewReader(servicesText), c.name, c.proto)
		if err != nil || port != c.port || ok != c.ok {
			t.Errorf("ParseServices(%q, %s) = %d, %v, %v; want %d, %v", c.name, c.proto, port, ok, err, c.port, c.ok)
		}
	}
}

// TestLookupService reads the real services file where it is expected.
func TestLookupService(t *testing.T) {
	if runtime.GOOS == "linux" {
		testtool.NeedFile(t, servicesPath(), "netbase")
	}
	port, src, err := LookupService("ssh", TCP)
	if err != nil {
		if runtime.GOOS == "linux" {
			t.Fatalf("ssh in %s: %v", servicesPath(), err)
		}
		t.Skipf("no services file here: %v", err)
	}
	if port != 22 || src != servicesPath() {
		t.Errorf("ssh = %d from %s, want 22 from %s", port, src, servicesPath())
	}
	if _, _, err := LookupService("no-such-service-name", TCP); err == nil || !strings.Contains(err.Error(), "no-such-service-name") {
		t.Errorf("unknown service: err %v", err)
	}
}
