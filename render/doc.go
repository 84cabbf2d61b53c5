// Package render turns whyrefused's answers into text for people (aligned
// tables, verdicts, numbered findings) and JSON for scripts, escaping every
// untrusted string before it reaches a terminal. It is the only package
// that lays out tables (tablewriter v1) and the one home of the JSON
// schema. It also writes the Prometheus text exposition (prometheus.go)
// and the live status line of --wait (status.go).
//
// It imports match, probe, expect, target, inspect and internal/text, and reads
// nothing from the OS: only cmd imports it.
package render
