// checkfile.go holds check -f: read the expectations file (or stdin),
// judge every line on one snapshot, print the table, JSON or metrics, and
// end with status 0 only when every line holds.

package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/whyrefused/whyrefused/expect"
	"github.com/whyrefused/whyrefused/internal/conffile"
	"github.com/whyrefused/whyrefused/internal/wait"
	"github.com/whyrefused/whyrefused/render"
	"github.com/whyrefused/whyrefused/target"
)

// checkFileRun is check -f FILE.
func checkFileRun(ctx context.Context, a *app, o *checkOptions, format string) error {
	lines, err := readExpectations(a, o)
	if err != nil {
		return err
	}
	targets := make([]target.Target, len(lines))
	for i, l := range lines {
		targets[i] = l.Target
	}
	judgeAll := func(ctx context.Context) ([]expect.Result, render.Scan, error) {
		start := time.Now()
		reps, snap, err := explainTargets(ctx, a, o, targets, format)
		if err != nil {
			return nil, render.Scan{}, err
		}
		results := make([]expect.Result, len(lines))
		for i, l := range lines {
			results[i] = expect.Judge(l, reps[i])
		}
		return results, render.Scan{Duration: time.Since(start), Errors: len(snap.Warnings)}, nil
	}
	var results []expect.Result
	var scan render.Scan
	res := wait.Result{Outcome: wait.TimedOut}
	if o.wait > 0 {
		res, err = waitUntil(ctx, a, o.wait, func(ctx context.Context) (bool, string, error) {
			var err error
			results, _, err = judgeAll(ctx)
			return err == nil && allHold(results), render.ExpectWaiting(results), err
		})
	} else {
		results, scan, err = judgeAll(ctx)
	}
	if err != nil {
		return err
	}
	switch {
	case format == formatPrometheus:
		// The results are in the metrics: written, they are a success.
		return render.ExpectPrometheus(a.stdout, results, scan)
	case format == formatJSON:
		err = render.ExpectJSON(a.stdout, results, a.renderOptions())
	case o.wait > 0 && res.Outcome == wait.Ready:
		if err = render.ExpectTable(a.stdout, results, a.renderOptions()); err == nil {
			_, err = fmt.Fprintf(a.stdout, "ready after %s\n", render.Elapsed(res.Elapsed))
		}
	case o.wait > 0:
		if err = render.WaitTimedOut(a.stdout, res.Elapsed, res.Polls); err == nil {
			err = render.ExpectTable(a.stdout, results, a.renderOptions())
		}
	default:
		err = render.ExpectTable(a.stdout, results, a.renderOptions())
	}
	if err != nil {
		return err
	}
	if !allHold(results) {
		return exitStatus(exitRefused)
	}
	return nil
}

// readExpectations reads and parses the file of -f ("-": stdin). Every
// bad line is printed, with the file's name and the line's number; then
// the status is 2.
func readExpectations(a *app, o *checkOptions) ([]expect.Line, error) {
	name := o.file
	var r io.Reader = a.stdin
	if name == "-" {
		name = "stdin"
	} else {
		f, err := os.Open(o.file)
		if err != nil {
			return nil, usageError{err}
		}
		defer f.Close()
		r = f
	}
	if r == nil {
		return nil, usagef("no stdin to read the expectations from")
	}
	// At most conffile.MaxSize: a device named by mistake (-f /dev/zero)
	// must not be read for ever. A FIFO or a pipe is fine: -f <(...).
	limited := &io.LimitedReader{R: r, N: conffile.MaxSize + 1}
	lines, err := expect.Parse(limited, o.protocol(), a.services)
	if limited.N == 0 {
		return nil, usagef("%s is larger than %d MiB: not an expectations file", name, conffile.MaxSize>>20)
	}
	var bad expect.Errors
	switch {
	case errors.As(err, &bad):
		for _, e := range bad {
			fmt.Fprintf(a.stderr, "whyrefused: %s:%d: %s\n", render.Message(name), e.Number, render.Message(e.Err.Error()))
		}
		return nil, exitStatus(exitUsage)
	case err != nil:
		return nil, usagef("reading %s: %s", name, err)
	case len(lines) == 0:
		return nil, usagef("%s names no target: write one a line, such as '127.0.0.1:5432 accept process postgres'", name)
	}
	return lines, nil
}

// allHold reports whether every line's expectation holds.
func allHold(results []expect.Result) bool {
	for _, r := range results {
		if r.Status != expect.OK {
			return false
		}
	}
	return len(results) > 0
}
