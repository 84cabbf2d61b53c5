// wait.go holds --wait for check, check -f and probe: the poll loop with
// its status line on stderr, the end of a wait (ready, timed out), and the
// signals that stop it (Ctrl-C: status 130).

package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/mattn/go-isatty"
	"golang.org/x/term"

	"github.com/whyrefused/whyrefused/internal/wait"
	"github.com/whyrefused/whyrefused/match"
	"github.com/whyrefused/whyrefused/probe"
	"github.com/whyrefused/whyrefused/render"
	"github.com/whyrefused/whyrefused/target"
)

// poller is one poll of a wait: whether all is ready, and if not, what it
// waits for in a few words. An error ends the wait.
type poller func(ctx context.Context) (ready bool, waiting string, err error)

// waitUntil polls until ready or the time limit, showing on stderr what
// it still waits for. A signal (SIGINT, SIGTERM) stops it: it says so and
// returns the exit status of the signal.
func waitUntil(ctx context.Context, a *app, limit time.Duration, poll poller) (wait.Result, error) {
	clock, width := a.clock, a.errWidth
	if clock == nil {
		clock = wait.Real{}
	}
	if width == nil {
		width = func() int { return 0 }
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sigs)
	caught := make(chan os.Signal, 1)
	go func() {
		select {
		case s := <-sigs:
			caught <- s
			cancel()
		case <-ctx.Done():
		}
	}()
	status := render.NewStatusLine(a.stderr, width)
	start := clock.Now()
	var waiting string
	var pollErr error
	res := wait.Until(ctx, clock, limit, func(ctx context.Context, _ int) bool {
		ready, what, err := poll(ctx)
		switch {
		case err != nil && ctx.Err() != nil:
			return false // stopped mid-poll: the loop sees it
		case err != nil:
			pollErr = err
			return true
		}
		waiting = what
		if !ready {
			status.Show(clock.Now().Sub(start), what)
		}
		return ready
	})
	status.Clear()
	if pollErr != nil {
		return res, pollErr
	}
	if res.Outcome == wait.Stopped {
		code := exitInterrupted
		select {
		case s := <-caught:
			if s == syscall.SIGTERM {
				code = exitTerminated
			}
		default:
		}
		render.WaitStopped(a.stderr, res.Elapsed, waiting)
		return res, exitStatus(code)
	}
	return res, nil
}

// stderrWidth is the width of the terminal on stderr, 0 when stderr is
// not a terminal (or TERM=dumb, which cannot clear a line).
func stderrWidth() int {
	fd := os.Stderr.Fd()
	if !isatty.IsTerminal(fd) && !isatty.IsCygwinTerminal(fd) || os.Getenv("TERM") == "dumb" {
		return 0
	}
	if w, _, err := term.GetSize(int(fd)); err == nil && w > 0 {
		return w
	}
	return 80
}

// checkWait is check --wait: explain the targets on a fresh snapshot until
// every address of every one accepts. Ready, it says how long it took; at
// the limit, it gives the full explanation and ends with status 1.
func checkWait(ctx context.Context, a *app, o *checkOptions, format string, targets []target.Target) error {
	var reps []match.Report
	res, err := waitUntil(ctx, a, o.wait, func(ctx context.Context) (bool, string, error) {
		var err error
		reps, _, err = explainTargets(ctx, a, o, targets, format)
		if err != nil {
			return false, "", err
		}
		return allAccept(reps), render.CheckWaiting(reps), nil
	})
	if err != nil {
		return err
	}
	switch {
	case format == formatJSON:
		err = render.CheckJSON(a.stdout, reps, a.renderOptions())
	case res.Outcome == wait.Ready:
		err = render.CheckReady(a.stdout, res.Elapsed, reps, a.renderOptions())
	default:
		if err = render.WaitTimedOut(a.stdout, res.Elapsed, res.Polls); err == nil {
			err = render.CheckTable(a.stdout, reps, a.renderOptions())
		}
	}
	if err != nil {
		return err
	}
	if res.Outcome != wait.Ready {
		return exitStatus(exitRefused)
	}
	return nil
}

// probeWait is probe --wait: probe the targets that have not accepted yet
// until every target has an address that accepts (the success of probe
// itself). A target that accepted is not probed again: each try is a
// connection the server sees. Ready, it says how long it took; at the
// limit, it gives the full results and ends with status 1.
func probeWait(ctx context.Context, a *app, o *probeOptions, targets []target.Target, fam probe.Family, cfg *probe.Config) error {
	results := make([]probe.Result, len(targets))
	res, err := waitUntil(ctx, a, o.wait, func(ctx context.Context) (bool, string, error) {
		ready := true
		for i, t := range targets {
			if results[i].Accepted() {
				continue
			}
			r, err := probe.Run(ctx, t, fam, cfg)
			if err != nil {
				return false, "", usageError{err} // a family the target cannot have
			}
			results[i] = r
			ready = ready && r.Accepted()
		}
		return ready, render.ProbeWaiting(results), nil
	})
	if err != nil {
		return err
	}
	switch {
	case o.json:
		err = probeOutput(ctx, a, o, results) // JSON, with the local check
	case res.Outcome == wait.Ready:
		err = render.ProbeReady(a.stdout, res.Elapsed, results, a.renderOptions())
	default:
		if err = render.WaitTimedOut(a.stdout, res.Elapsed, res.Polls); err == nil {
			err = probeOutput(ctx, a, o, results)
		}
	}
	if err != nil {
		return err
	}
	if res.Outcome != wait.Ready {
		return exitStatus(exitRefused)
	}
	return nil
}
