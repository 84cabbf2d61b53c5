// Package render turns whyrefused's answers into text for people (aligned
// tables, verdicts, numbered findings) and JSON for scripts. It is the only
// package that lays out tables.
package render
