// localcheck.go holds the orchestration of probe with the local check: the
// results that reached this host's own addresses are explained by match.

package main

import (
	"context"

	"github.com/whyrefused/whyrefused/inspect"
	"github.com/whyrefused/whyrefused/match"
	"github.com/whyrefused/whyrefused/probe"
	"github.com/whyrefused/whyrefused/target"
)

// localChecks runs the check explanation, on one snapshot of src, for the
// results that reached this host's own addresses: a report per result, nil
// where the result has none. An error means the sockets could not be read;
// the probe's answer stands without the explanation. brief leaves out
// what only JSON shows (executables, start times).
func localChecks(ctx context.Context, results []probe.Result, src inspect.Source, brief bool) ([]*match.Report, error) {
	var targets []target.Target
	for i := range results {
		if t, _, ok := results[i].CheckTarget(); ok {
			targets = append(targets, t)
		}
	}
	if len(targets) == 0 {
		return nil, nil
	}
	f := match.CheckFilter(targets)
	f.SkipExeAndStart = brief
	f.WithRules = true
	snap, err := src.Snapshot(ctx, f)
	if err != nil {
		return nil, err
	}
	out := make([]*match.Report, len(results))
	for i := range results {
		if t, r, ok := results[i].CheckTarget(); ok {
			rep := match.ExplainWith(ctx, t, snap, r, match.Options{})
			out[i] = &rep
		}
	}
	return out, nil
}
