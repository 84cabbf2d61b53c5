// procfamily_linux.go holds the process-family step of the /proc owner
// walk: the parents of processes, and which of the processes not read in
// full descend from, or are ancestors of, a socket's holder.

package inspect

import (
	"context"
	"strconv"
	"sync"
	"sync/atomic"

	"golang.org/x/sys/unix"
)

// related returns, in rest's (ascending) order, those of rest that descend
// from, or are ancestors of, a process that holds a wanted socket.
func (st *walkState) related(pp *ppids, rest []scanJob) []scanJob {
	holders := make(map[int32]bool)
	for _, h := range st.res.holders {
		for _, p := range h {
			holders[p] = true
		}
	}
	ancestors := make(map[int32]bool)
	for h := range holders {
		for p := pp.get(h); p > 0 && !ancestors[p]; p = pp.get(p) {
			ancestors[p] = true
		}
	}
	desc := make(map[int32]bool) // memo: descends from a holder
	var descends func(p int32, depth int) bool
	descends = func(p int32, depth int) bool {
		if p <= 0 || depth > 4096 { // no parent, or a loop in a changing tree
			return false
		}
		if holders[p] {
			return true
		}
		if d, ok := desc[p]; ok {
			return d
		}
		d := descends(pp.get(p), depth+1)
		desc[p] = d
		return d
	}
	var family []scanJob
	for _, j := range rest {
		if ancestors[j.pid] || descends(pp.get(j.pid), 0) {
			family = append(family, j)
		}
	}
	return family
}

// ppids reads and remembers parent PIDs.
type ppids struct {
	root string
	of   map[int32]int32 // -1: unreadable or gone
}

// prefetch reads the parents of the jobs' processes with a pool of workers.
func (pp *ppids) prefetch(ctx context.Context, jobs []scanJob, workers int) {
	out := make([]int32, len(jobs))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range max(1, min(workers, len(jobs))) {
		wg.Go(func() {
			buf := make([]byte, 512)
			for {
				i := int(next.Add(1) - 1)
				if i >= len(jobs) || ctx.Err() != nil {
					return
				}
				out[i] = readPPID(pp.root, jobs[i].pid, buf)
			}
		})
	}
	wg.Wait()
	for i, j := range jobs {
		pp.of[j.pid] = out[i]
	}
}

// get returns the parent of pid, reading it when not yet known.
func (pp *ppids) get(pid int32) int32 {
	if p, ok := pp.of[pid]; ok {
		return p
	}
	p := readPPID(pp.root, pid, make([]byte, 512))
	pp.of[pid] = p
	return p
}

// readPPID reads the parent PID from /proc/<pid>/stat; -1 when it cannot.
func readPPID(root string, pid int32, buf []byte) int32 {
	fd, err := unix.Open(root+"/"+strconv.Itoa(int(pid))+"/stat", unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return -1
	}
	n, err := unix.Read(fd, buf)
	unix.Close(fd)
	if err != nil || n <= 0 {
		return -1
	}
	return parseStatPPID(buf[:n])
}
