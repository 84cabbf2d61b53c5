// wait.go holds Until, the poll loop, its clock and its backoff.

package wait

import (
	"context"
	"time"
)

// Clock is the time the loop reads and sleeps on.
type Clock interface {
	Now() time.Time
	// After sends the time once d has passed.
	After(d time.Duration) <-chan time.Time
}

// Real is the wall clock.
type Real struct{}

// Now is time.Now.
func (Real) Now() time.Time { return time.Now() }

// After is time.After.
func (Real) After(d time.Duration) <-chan time.Time { return time.After(d) }

// The backoff: the first pause after a poll, and the longest.
const (
	FirstDelay = 100 * time.Millisecond
	MaxDelay   = time.Second
)

// Delay is the pause after the n-th poll (n from 1): 100 ms, doubling up to
// 1 s.
func Delay(n int) time.Duration {
	d := FirstDelay
	for i := 1; i < n && d < MaxDelay; i++ {
		d *= 2
	}
	return min(d, MaxDelay)
}

// Outcome is how the wait ended.
type Outcome int

// The outcomes.
const (
	// Ready: a poll said so.
	Ready Outcome = iota
	// TimedOut: the deadline passed, and the poll made at it was not
	// ready either.
	TimedOut
	// Stopped: the context ended (Ctrl-C) before either.
	Stopped
)

// Result is the end of a wait.
type Result struct {
	Outcome Outcome
	// Elapsed is the time from the start to the end of the last poll.
	Elapsed time.Duration
	// Polls is how many polls were made.
	Polls int
}

// Until calls poll, then again after each backoff delay, until it reports
// ready, the time limit has passed, or ctx ends. The last pause is cut
// short at the limit, and one last poll is made there, so that a timed-out
// wait ends on a fresh answer. poll gets ctx and the number of the poll
// (from 1); a poll already running when ctx ends finishes first.
func Until(ctx context.Context, c Clock, limit time.Duration, poll func(ctx context.Context, n int) bool) Result {
	start := c.Now()
	deadline := start.Add(limit)
	for n := 1; ; n++ {
		if ctx.Err() != nil {
			return Result{Outcome: Stopped, Elapsed: c.Now().Sub(start), Polls: n - 1}
		}
		ready := poll(ctx, n)
		now := c.Now()
		res := Result{Elapsed: now.Sub(start), Polls: n}
		switch {
		case ready:
			res.Outcome = Ready
			return res
		case ctx.Err() != nil:
			res.Outcome = Stopped
			return res
		case !now.Before(deadline):
			res.Outcome = TimedOut
			return res
		}
		select {
		case <-ctx.Done():
			return Result{Outcome: Stopped, Elapsed: c.Now().Sub(start), Polls: n}
		case <-c.After(min(Delay(n), deadline.Sub(now))):
		}
	}
}
