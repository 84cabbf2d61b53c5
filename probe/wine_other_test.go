//go:build !windows

package probe

import "testing"

// skipUDPUnderWine skips nothing outside Windows.
func skipUDPUnderWine(*testing.T) {}
