// Package testnet helps tests that must not touch the host's network: it
// re-runs a test inside a fresh network namespace that holds only a
// loopback interface, where binding 0.0.0.0 or [::] reaches nothing else.
// It imports nothing of whyrefused.
package testnet
