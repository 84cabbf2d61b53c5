// wine_windows_test.go holds skipUDPUnderWine: Wine cannot do what the UDP
// tests need.

package probe

import (
	"testing"

	"github.com/whyrefused/whyrefused/internal/testwine"
)

// skipUDPUnderWine skips a UDP test under Wine, detected for real by
// internal/testwine: Wine 8 cannot open UDP sockets for Go programs.
func skipUDPUnderWine(t *testing.T) {
	t.Helper()
	testwine.Skip(t, testwine.UDP)
}
