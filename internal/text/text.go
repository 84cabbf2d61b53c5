// Package text holds the small text rules that several layers share, so
// that each has one home: folding a message onto one line, listing values
// with commas.
// It imports nothing of whyrefused.
package text

import (
	"fmt"
	"strings"
)

// OneLine folds a message onto one line: every run of white space,
// newlines included, becomes one space.
func OneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// Join lists values by their String, separated by ", ": addresses,
// mostly.
func Join[T fmt.Stringer](list []T) string {
	s := make([]string, len(list))
	for i, v := range list {
		s[i] = v.String()
	}
	return strings.Join(s, ", ")
}
