// testwine_test.go holds the test of Wine's detection.

package testwine

import (
	"runtime"
	"testing"
)

// TestDetect: off Windows it is never Wine; under Wine the version is
// Wine's own ("8.0" and the like). The result does not change between
// calls.
func TestDetect(t *testing.T) {
	v, ok := detect()
	switch {
	case runtime.GOOS != "windows" && (ok || v != ""):
		t.Fatalf("detected Wine %q on %s", v, runtime.GOOS)
	case ok && (v == "" || v[0] < '0' || v[0] > '9'):
		t.Errorf("under Wine, but the version %q does not start with a digit", v)
	case !ok && v != "":
		t.Errorf("not Wine, yet version %q", v)
	}
	if Running() != ok || Version() != v {
		t.Errorf("Running/Version disagree with detect: %v %q vs %v %q", Running(), Version(), ok, v)
	}
	t.Logf("GOOS %s, Wine %v %q", runtime.GOOS, ok, v)
}
