// skipper_test.go holds tests that pass, skip and (when asked) fail, for
// skipcheck's test to run for real.

package skipper

import (
	"os"
	"testing"
)

func TestRuns(t *testing.T) {}

func TestNeedsTool(t *testing.T) {
	t.Skip("needs the tool no-such-tool (Debian package nothing)")
}

func TestUnderWine(t *testing.T) {
	t.Run("sub", func(t *testing.T) { t.Skip("skipped under Wine 9.0: no owner PIDs") })
}

func TestFails(t *testing.T) {
	if os.Getenv("SKIPPER_FAIL") != "" {
		t.Log("the failure's own words")
		t.Fatal("failed as asked")
	}
}
