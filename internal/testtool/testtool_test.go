// testtool_test.go holds the test of Need's skip message.

package testtool

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

// skipRecorder is a testing.TB that records a skip instead of stopping.
type skipRecorder struct {
	testing.TB
	msg string
}

func (r *skipRecorder) Helper() {}
func (r *skipRecorder) Skipf(format string, args ...any) {
	r.msg = strings.TrimSpace(sprintf(format, args...))
}

func TestNeed(t *testing.T) {
	// The test binary itself is a command on every OS, Wine too.
	if p := Need(t, os.Args[0], "whyrefused"); p == "" {
		t.Fatal("Need(the test binary) gave no path")
	}
	r := &skipRecorder{TB: t}
	Need(r, "no-such-tool-whyrefused", "nothing")
	if want := SkipPrefix + "no-such-tool-whyrefused (Debian package nothing)"; r.msg != want {
		t.Fatalf("skip message %q, want %q", r.msg, want)
	}
}

func TestNeedFile(t *testing.T) {
	NeedFile(t, "testtool.go", "whyrefused")
	r := &skipRecorder{TB: t}
	NeedFile(r, "/no/such/file", "nothing")
	if want := SkipFilePrefix + "/no/such/file (Debian package nothing)"; r.msg != want {
		t.Fatalf("skip message %q, want %q", r.msg, want)
	}
}

func sprintf(format string, args ...any) string { return fmt.Sprintf(format, args...) }
