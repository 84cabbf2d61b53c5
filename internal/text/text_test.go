// text_test.go tests the shared text rules.

package text

import (
	"net/netip"
	"testing"
)

func TestOneLine(t *testing.T) {
	for in, want := range map[string]string{
		"":                   "",
		"a":                  "a",
		"  two\nlines\r\n  ": "two lines",
		"tab\tand  spaces":   "tab and spaces",
	} {
		if got := OneLine(in); got != want {
			t.Errorf("OneLine(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestJoin(t *testing.T) {
	list := []netip.Addr{netip.MustParseAddr("198.18.0.1"), netip.MustParseAddr("fd18::1")}
	if got, want := Join(list), "198.18.0.1, fd18::1"; got != want {
		t.Errorf("Join = %q, want %q", got, want)
	}
	if got := Join([]netip.Addr{}); got != "" {
		t.Errorf("Join(empty) = %q, want empty", got)
	}
}
