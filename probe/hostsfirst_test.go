// hostsfirst_test.go holds the tests of HostsFirst.

package probe

import (
	"context"
	"errors"
	"net/netip"
	"strings"
	"testing"

	"github.com/whyrefused/whyrefused/target"
)

func TestHostsFirst(t *testing.T) {
	text := strings.Repeat("\x00", 2<<20) + "\n198.18.0.7 db.test\nfd18::7 db.test\n"
	h := HostsFirst{Path: "hosts", ReadFile: func(string) ([]byte, error) { return []byte(text), nil },
		Next: target.StaticResolver{"other.test": {netip.MustParseAddr("198.18.0.9")}}}
	ctx := context.Background()
	if got, err := h.LookupNetIP(ctx, "ip", "db.test"); err != nil || len(got) != 2 {
		t.Errorf("db.test: %v %v, want both entries", got, err)
	}
	if got, err := h.LookupNetIP(ctx, "ip6", "db.test"); err != nil || len(got) != 1 || !got[0].Is6() {
		t.Errorf("db.test over IPv6: %v %v", got, err)
	}
	if got, err := h.LookupNetIP(ctx, "ip", "other.test"); err != nil || len(got) != 1 {
		t.Errorf("a name not in the file: %v %v, want the next resolver's", got, err)
	}
	h.ReadFile = func(string) ([]byte, error) { return nil, errors.New("not a regular file") }
	if got, err := h.LookupNetIP(ctx, "ip", "other.test"); err != nil || len(got) != 1 {
		t.Errorf("an unreadable file: %v %v, want the next resolver's", got, err)
	}
}
