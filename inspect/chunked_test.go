// chunked_test.go holds the test of the chunked buffer of dump messages.

package inspect

import "testing"

// TestChunked: items come back in order, truncation (a dump that starts
// again) drops the last ones, and growing after it goes on from there.
func TestChunked(t *testing.T) {
	var c chunked[int]
	check := func(want int) {
		t.Helper()
		if c.n != want {
			t.Fatalf("n = %d, want %d", c.n, want)
		}
		seen := 0
		c.each(func(i int, v *int) {
			if i != seen || *v != i {
				t.Fatalf("item %d: index %d, value %d", seen, i, *v)
			}
			seen++
		})
		if seen != want {
			t.Fatalf("each gave %d items, want %d", seen, want)
		}
	}
	for _, step := range []struct{ grow, cut int }{
		{grow: 3 * chunkLen, cut: 3 * chunkLen}, // no-op truncate
		{grow: 3*chunkLen + 7, cut: chunkLen + 5},
		{grow: 2*chunkLen + 1, cut: 2 * chunkLen},
		{grow: 2 * chunkLen, cut: 0},
		{grow: 10, cut: 10},
	} {
		for c.n < step.grow {
			c.add(c.n)
		}
		check(step.grow)
		c.truncate(step.cut)
		check(step.cut)
	}
}
