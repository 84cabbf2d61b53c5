// netns.go holds the CLI's side of network namespaces: which uses of -A
// and --netns are bad input, and which snapshot errors say so.

package main

import (
	"context"
	"errors"
	"fmt"
	"slices"

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
	all, err := netnsSnapshot(ctx, a, f, targets, reps, need, snap)
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

// netnsSnapshot takes what FollowNetns needs of the other namespaces:
// their addresses and the listeners on the checked ports everywhere
// (for other-namespace), then the sockets of the namespaces a connection
// leads into on the ports checked there (match.FollowTargets), when the
// source can read one namespace again; otherwise every listener of every
// namespace at once. The caller's rules are the check's own snapshot's.
func netnsSnapshot(ctx context.Context, a *app, f inspect.Filter, targets []target.Target, reps []match.Report, need []int, snap *inspect.Snapshot) (*inspect.Snapshot, error) {
	reader, staged := a.source.(inspect.NetnsReader)
	all := f
	all.AllNetns, all.WithRules, all.AnyStatePorts, all.Ports = true, false, nil, nil
	if staged {
		// The caller's own sockets are in snap already.
		all.SkipOwnNetns = true
		for _, i := range need {
			all.Ports = append(all.Ports, targets[i].Port)
			if !slices.Contains(all.Protocols, targets[i].Protocol) {
				all.Protocols = append(all.Protocols, targets[i].Protocol)
			}
		}
	}
	got, err := a.source.Snapshot(ctx, all)
	if err != nil {
		return nil, err
	}
	got.Rules, got.Interfaces, got.Netstat = snap.Rules, snap.Interfaces, snap.Netstat
	if !staged {
		return got, nil
	}
	// Each namespace once, with every target checked in it.
	inner := map[*inspect.Netns][]target.Target{}
	from := map[*inspect.Netns][]int{}
	var order []*inspect.Netns
	for _, i := range need {
		for _, nt := range match.FollowTargets(reps[i], targets[i], got) {
			if inner[nt.Netns] == nil {
				order = append(order, nt.Netns)
			}
			inner[nt.Netns] = append(inner[nt.Netns], nt.Target)
			from[nt.Netns] = append(from[nt.Netns], i)
		}
	}
	for _, n := range order {
		nf := match.CheckFilter(inner[n])
		nf.SkipExeAndStart, nf.WithCmdline = f.SkipExeAndStart, f.WithCmdline
		if err := reader.ReadNetns(ctx, got, n, nf); err != nil {
			for _, i := range slices.Compact(from[n]) {
				reps[i].Warnings = append(reps[i].Warnings, err.Error())
			}
		}
	}
	return got, nil
}
