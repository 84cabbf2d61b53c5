//go:build !windows

// wine_other_test.go holds skipUDPUnderWine outside Windows: nothing to skip.

package probe

import "testing"

// skipUDPUnderWine skips nothing outside Windows.
func skipUDPUnderWine(*testing.T) {}
