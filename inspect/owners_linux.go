// owners_linux.go holds the owner cache's prefetch: the sock_diag backend
// reads the details of many owners at once, with a few workers.

package inspect

import (
	"context"
	"sync"
)

// prefetch reads the details of pids that are not known yet, with a few
// workers at once: each costs a handful of small file reads.
func (c *ownerCache) prefetch(ctx context.Context, pids []int32, workers int) {
	var todo []int32
	for _, pid := range pids {
		if _, seen := c.procs[pid]; !seen {
			todo = append(todo, pid)
		}
	}
	type result struct {
		o  Owner
		ok bool
	}
	out := make([]result, len(todo))
	var wg sync.WaitGroup
	for w := range max(1, min(workers, len(todo))) {
		wg.Go(func() {
			for i := w; i < len(todo); i += workers {
				out[i].o, out[i].ok = c.read(ctx, todo[i])
			}
		})
	}
	wg.Wait()
	for i, pid := range todo {
		c.procs[pid] = nil
		if out[i].ok {
			c.procs[pid] = &out[i].o
		}
	}
}
