// netns_other.go holds InNetns and InNetnsAlone where there are no network namespaces: the
// test skips.

//go:build !linux

package testnet

import "testing"

// InNetns skips the test: network namespaces exist only on Linux.
func InNetns(t *testing.T) bool {
	t.Helper()
	t.Skip("needs a network namespace of its own, and those exist only on Linux")
	return false
}

// InNetnsAlone skips the test: network namespaces exist only on Linux.
func InNetnsAlone(t *testing.T) bool {
	t.Helper()
	t.Skip("needs a network namespace of its own, and those exist only on Linux")
	return false
}
