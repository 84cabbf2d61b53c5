// testtool_test.go holds the test of Need's skip message.

package testtool

import (
	"fmt"
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
	if p := Need(t, "sh", "dash"); p == "" {
		t.Fatal("Need(sh) gave no path")
	}
	r := &skipRecorder{TB: t}
	Need(r, "no-such-tool-whyrefused", "nothing")
	if want := SkipPrefix + "no-such-tool-whyrefused (Debian package nothing)"; r.msg != want {
		t.Fatalf("skip message %q, want %q", r.msg, want)
	}
}

func sprintf(format string, args ...any) string { return fmt.Sprintf(format, args...) }
