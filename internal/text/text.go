// Package text holds the small text rules that several layers share, so
// that each has one home: folding a message onto one line, and the like.
// It imports nothing of whyrefused.
package text

import "strings"

// OneLine folds a message onto one line: every run of white space,
// newlines included, becomes one space.
func OneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
