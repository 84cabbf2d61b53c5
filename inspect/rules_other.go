//go:build !linux

// rules_other.go holds fillRules and ReadNetnsFilter where there is no packet filter reader
// (Windows, macOS): nothing changes there, and Snapshot.Rules stays nil.

package inspect

// ReadNetnsFilter fails: there are no network namespaces to enter.
func ReadNetnsFilter(*Netns) error { return ErrNoNetns }

// fillRules leaves snap alone.
func fillRules(Filter, *Snapshot) {}
