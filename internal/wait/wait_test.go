// wait_test.go tests the poll loop on a fake clock: the backoff, the last
// poll at the deadline, and a stop by the context.

package wait

import (
	"context"
	"slices"
	"testing"
	"time"
)

// fakeClock advances only when slept on, or when a test moves it.
type fakeClock struct {
	now    time.Time
	sleeps []time.Duration
}

func (c *fakeClock) Now() time.Time { return c.now }

func (c *fakeClock) After(d time.Duration) <-chan time.Time {
	c.sleeps = append(c.sleeps, d)
	c.now = c.now.Add(d)
	ch := make(chan time.Time, 1)
	ch <- c.now
	return ch
}

func TestDelayGrowsTo1s(t *testing.T) {
	var got []time.Duration
	for n := 1; n <= 7; n++ {
		got = append(got, Delay(n))
	}
	ms := time.Millisecond
	want := []time.Duration{100 * ms, 200 * ms, 400 * ms, 800 * ms, time.Second, time.Second, time.Second}
	if !slices.Equal(got, want) {
		t.Fatalf("delays %v, want %v", got, want)
	}
}

func TestReadyOnThirdPoll(t *testing.T) {
	c := &fakeClock{now: time.Unix(1000, 0)}
	res := Until(context.Background(), c, 10*time.Second, func(_ context.Context, n int) bool {
		c.now = c.now.Add(5 * time.Millisecond) // each poll takes 5 ms
		return n == 3
	})
	if res.Outcome != Ready || res.Polls != 3 {
		t.Fatalf("got %+v, want ready after 3 polls", res)
	}
	if want := []time.Duration{100 * time.Millisecond, 200 * time.Millisecond}; !slices.Equal(c.sleeps, want) {
		t.Errorf("slept %v, want %v", c.sleeps, want)
	}
	if want := 315 * time.Millisecond; res.Elapsed != want {
		t.Errorf("elapsed %v, want %v", res.Elapsed, want)
	}
}

func TestTimesOutWithAPollAtTheDeadline(t *testing.T) {
	c := &fakeClock{now: time.Unix(1000, 0)}
	start := c.now
	var at []time.Duration
	res := Until(context.Background(), c, 2*time.Second, func(context.Context, int) bool {
		at = append(at, c.now.Sub(start))
		return false
	})
	if res.Outcome != TimedOut {
		t.Fatalf("got %+v, want timed out", res)
	}
	ms := time.Millisecond
	// 0, +100, +200, +400, +800 = 1.5s, then the pause is cut to 0.5s.
	want := []time.Duration{0, 100 * ms, 300 * ms, 700 * ms, 1500 * ms, 2000 * ms}
	if !slices.Equal(at, want) {
		t.Fatalf("polled at %v, want %v", at, want)
	}
	if res.Elapsed != 2*time.Second || res.Polls != len(want) {
		t.Errorf("got %+v, want 2s and %d polls", res, len(want))
	}
}

func TestZeroLimitPollsOnce(t *testing.T) {
	c := &fakeClock{now: time.Unix(1000, 0)}
	res := Until(context.Background(), c, 0, func(context.Context, int) bool { return false })
	if res.Outcome != TimedOut || res.Polls != 1 || len(c.sleeps) != 0 {
		t.Fatalf("got %+v after sleeps %v, want one poll and no sleep", res, c.sleeps)
	}
}

func TestStoppedByTheContext(t *testing.T) {
	c := &fakeClock{now: time.Unix(1000, 0)}
	ctx, cancel := context.WithCancel(context.Background())
	res := Until(ctx, c, time.Minute, func(_ context.Context, n int) bool {
		if n == 2 {
			cancel() // Ctrl-C during the second poll
		}
		return false
	})
	if res.Outcome != Stopped || res.Polls != 2 {
		t.Fatalf("got %+v, want stopped after 2 polls", res)
	}
}

// TestStoppedWhileSleeping ends the context while the loop sleeps on a
// clock that never fires: the loop must not wait for it.
func TestStoppedWhileSleeping(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan Result)
	go func() {
		done <- Until(ctx, neverClock{}, time.Minute, func(context.Context, int) bool { return false })
	}()
	cancel()
	select {
	case res := <-done:
		if res.Outcome != Stopped {
			t.Fatalf("got %+v, want stopped", res)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the loop did not stop with its context")
	}
}

// neverClock stands still and never fires.
type neverClock struct{}

func (neverClock) Now() time.Time                       { return time.Unix(1000, 0) }
func (neverClock) After(time.Duration) <-chan time.Time { return nil }
