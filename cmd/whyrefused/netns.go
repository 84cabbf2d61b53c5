// netns.go holds the CLI's side of network namespaces: which uses of -A
// and --netns are bad input, and which snapshot errors say so.

package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/whyrefused/whyrefused/inspect"
	"github.com/whyrefused/whyrefused/match"
	"github.com/whyrefused/whyrefused/target"
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

// followNetns completes the reports that the other network namespaces
// bear on (match.NeedsNetns) with a snapshot of them all, taken only
// then: on Linux, as root, and not when the check runs inside one
// namespace (--netns). Without root it says what was not looked at.
func followNetns(ctx context.Context, a *app, f inspect.Filter, targets []target.Target, reps []match.Report, snap *inspect.Snapshot) {
	if a.goos != "linux" || f.Netns != "" {
		return
	}
	var need []int
	for i := range reps {
		if match.NeedsNetns(reps[i]) {
			need = append(need, i)
		}
	}
	if len(need) == 0 {
		return
	}
	if !snap.Privileged {
		for _, i := range need {
			if reps[i].Verdict != match.VerdictAccept {
				reps[i].Warnings = append(reps[i].Warnings, "other network namespaces (containers, ip netns) were not looked at: entering them needs root")
			}
		}
		return
	}
	// With the rules too: a DNAT rule says where a port goes. Every
	// listener: the port a mapping leads to may be any.
	f.AllNetns, f.WithRules = true, true
	f.Ports = nil
	all, err := a.source.Snapshot(ctx, f)
	if err != nil {
		for _, i := range need {
			reps[i].Warnings = append(reps[i].Warnings, fmt.Sprintf("the other network namespaces could not be read: %v", err))
		}
		return
	}
	for _, i := range need {
		// The rules of only the namespaces a connection leads into.
		match.FollowNetnsWith(ctx, &reps[i], targets[i], all, a.resolver, inspect.ReadNetnsFilter)
	}
}
