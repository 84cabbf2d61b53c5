// netns.go holds the CLI's side of network namespaces: which uses of -A
// and --netns are bad input, and which snapshot errors say so.

package main

import (
	"errors"

	"github.com/whyrefused/whyrefused/inspect"
)

// netnsUsage rejects -A and --netns where they cannot work: together, or
// on an OS without network namespaces.
func netnsUsage(a *app, all bool, netns string) error {
	switch {
	case all && netns != "":
		return usagef("--all-namespaces and --netns cannot be used together")
	case (all || netns != "") && a.goos != "linux":
		return usagef("network namespaces exist only on Linux: -A and --netns do not work on %s", a.goos)
	}
	return nil
}

// snapshotError classifies a failed snapshot: a network namespace that
// does not exist is bad input (exit 2); anything else means the sockets
// could not be read (exit 3).
func snapshotError(err error) error {
	if errors.Is(err, inspect.ErrNetnsNotFound) {
		return usageError{err}
	}
	return socketError{err}
}
