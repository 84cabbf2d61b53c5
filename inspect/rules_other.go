//go:build !linux

// rules_other.go holds fillRules where there is no packet filter reader
// (Windows, macOS): nothing changes there, and Snapshot.Rules stays nil.

package inspect

// fillRules leaves snap alone.
func fillRules(Filter, *Snapshot) {}
