// procfd_linux.go holds the /proc owner walk: which processes hold the
// wanted socket inodes, read from the links in /proc/<pid>/fd. Its parsers
// are in procfd.go, the process-family step in procfamily_linux.go.

package inspect

import (
	"cmp"
	"context"
	"errors"
	"math"
	"os"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"unsafe"

	"golang.org/x/sys/unix"
)

// procWalk maps socket inodes to the processes that hold them, by reading
// the links in /proc/<pid>/fd ("socket:[INODE]").
type procWalk struct {
	// root is the proc file system's mount point: "/proc", or a fake tree
	// in tests.
	root string
	// workers is how many processes are read at once.
	workers int
	// lowFDs and manyFDs split the reading of a process with many
	// descriptors (more than manyFDs): its first lowFDs are read with
	// everybody else's, the rest only after, when still needed. 0 never
	// splits.
	lowFDs, manyFDs int
	// sizeIsCount says that the size of a /proc/<pid>/fd directory is the
	// number of descriptors in it (Linux 6.2 and later): a process with
	// many can then be told without listing them.
	sizeIsCount bool
	// users are the uids of the wanted sockets' creators (sock_diag
	// tells): the processes of those users, root's aside, are read
	// first, as a socket is most often held by the user who made it
	// (postgres's by postgres).
	users map[uint32]bool
	// first are processes read before all others, in this order, when
	// they are known to be likely holders (those of the network
	// namespace the wanted sockets live in).
	first []int32
}

// walkResult is what a walk found.
type walkResult struct {
	// holders maps each wanted inode that was found to the PIDs that hold
	// it, in ascending order.
	holders map[uint64][]int32
	// denied counts the processes whose descriptors could not be read
	// (another user's, without root): their sockets' owners are hidden.
	denied int
}

// owners finds the holders of the wanted inodes in one walk of the
// processes.
//
// The walk reads the processes in PID order, two or more at a time, until
// every wanted inode has a holder. A server opens its listening sockets
// when it starts, so they are among its lowest descriptors, and the
// connections it accepts later take the higher ones: of a process with
// many descriptors (a busy server, a connection pool) only the first few
// are read in that pass, and the rest only if some wanted socket was not
// found in any process's first ones.
//
// A socket can then still be held by other processes that inherited it
// (nginx's workers share its master's listener), so the processes not read
// in full are not dropped: each one's parent PID is read (one small file,
// far cheaper than its descriptors) and the rest of the descriptors are
// read of every process that descends from a holder or is an ancestor of
// one. What this skips are unrelated processes that were handed the socket
// over a Unix socket (SCM_RIGHTS), a rare case.
//
// When seed is not 0, that process is read first and only the wanted
// inodes it holds are searched for (a --pid filter).
func (w procWalk) owners(ctx context.Context, wanted map[uint64]bool, seed int32) (walkResult, error) {
	res := walkResult{holders: make(map[uint64][]int32, len(wanted))}
	if len(wanted) == 0 {
		return res, nil
	}
	pids, err := w.pids()
	if err != nil {
		return res, err
	}
	pids = w.firstFirst(w.usersFirst(pids))
	st := &walkState{w: w, wanted: wanted, res: &res}
	if seed != 0 {
		st.scan(seed, 0, false, newScanBuf())
		wanted = make(map[uint64]bool)
		for ino := range res.holders {
			wanted[ino] = true
		}
		if len(wanted) == 0 {
			return res, nil
		}
		st.wanted, st.found = wanted, len(wanted)
		st.allFound.Store(true)
		pids = slices.DeleteFunc(pids, func(p int32) bool { return p == seed })
	}
	jobs := make([]scanJob, len(pids))
	for i, p := range pids {
		jobs[i] = scanJob{pid: p}
	}
	// First every process, big ones only in part; then the rest of the big
	// ones, if something is still missing.
	if err := st.scanAll(ctx, jobs, w.manyFDs > 0, true); err != nil {
		return res, err
	}
	if err := st.scanAll(ctx, jobs, false, true); err != nil {
		return res, err
	}
	rest := slices.DeleteFunc(jobs, func(j scanJob) bool { return j.from < 0 })
	// In PID order again (usersFirst may have moved some): the family is
	// found by binary search.
	slices.SortFunc(rest, func(a, b scanJob) int { return cmp.Compare(a.pid, b.pid) })
	if len(rest) > 0 {
		// Every wanted inode has a holder: read the rest only if related,
		// again as new holders (a master found after its worker) widen
		// the family.
		pp := &ppids{root: w.root, of: make(map[int32]int32)}
		pp.prefetch(ctx, rest, w.workers)
		for len(rest) > 0 {
			family := st.related(pp, rest)
			if len(family) == 0 {
				break
			}
			if err := st.scanAll(ctx, family, false, false); err != nil {
				return res, err
			}
			rest = slices.DeleteFunc(rest, func(j scanJob) bool {
				_, ok := slices.BinarySearchFunc(family, j.pid, func(f scanJob, p int32) int { return cmp.Compare(f.pid, p) })
				return ok
			})
		}
	}
	for _, h := range res.holders {
		slices.Sort(h)
	}
	return res, nil
}

// scanJob is one process to read: its descriptors from number from up;
// from is -1 once all are read.
type scanJob struct {
	pid  int32
	from int
}

// pids lists the processes under the proc root, in the order /proc gives
// them (ascending PIDs).
func (w procWalk) pids() ([]int32, error) {
	d, err := os.Open(w.root)
	if err != nil {
		return nil, err
	}
	defer d.Close()
	names, err := d.Readdirnames(-1)
	if err != nil {
		return nil, err
	}
	pids := make([]int32, 0, len(names))
	for _, n := range names {
		if p, err := strconv.ParseInt(n, 10, 32); err == nil && p > 0 {
			pids = append(pids, int32(p))
		}
	}
	slices.Sort(pids)
	return pids, nil
}

// usersFirst moves the processes of w.users other than root to the front,
// each part in PID order. The owner of /proc/<pid> is the process's
// effective user (root for one that is not dumpable): an order, not a
// rule, so that is close enough. Nothing moves when the wanted sockets
// are all root's, and nothing is read then.
func (w procWalk) usersFirst(pids []int32) []int32 {
	others := false
	for u := range w.users {
		others = others || u != 0
	}
	if !others {
		return pids
	}
	var first, rest []int32
	var fi unix.Stat_t
	for _, p := range pids {
		if unix.Stat(w.root+"/"+strconv.Itoa(int(p)), &fi) == nil && fi.Uid != 0 && w.users[fi.Uid] {
			first = append(first, p)
		} else {
			rest = append(rest, p)
		}
	}
	return append(first, rest...)
}

// firstFirst moves the processes of w.first to the front of pids, in
// w.first's order; those no longer in pids are gone and left out.
func (w procWalk) firstFirst(pids []int32) []int32 {
	if len(w.first) == 0 {
		return pids
	}
	in := make(map[int32]bool, len(pids))
	for _, p := range pids {
		in[p] = true
	}
	out := make([]int32, 0, len(pids))
	moved := make(map[int32]bool, len(w.first))
	for _, p := range w.first {
		if in[p] && !moved[p] {
			out = append(out, p)
			moved[p] = true
		}
	}
	for _, p := range pids {
		if !moved[p] {
			out = append(out, p)
		}
	}
	return out
}

// walkState is one walk in progress, shared by its workers.
type walkState struct {
	w      procWalk
	wanted map[uint64]bool // read-only during a walk

	mu    sync.Mutex
	res   *walkResult
	found int // wanted inodes with at least one holder

	allFound atomic.Bool
}

// scanAll reads the jobs not yet done with a pool of workers, and updates
// each job's from to what is left of it. With split, a process with many
// descriptors is read only in part. With stopEarly, it stops taking new
// jobs once every wanted inode has a holder.
func (st *walkState) scanAll(ctx context.Context, jobs []scanJob, split, stopEarly bool) error {
	workers := max(1, min(st.w.workers, len(jobs)))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			buf := newScanBuf()
			for {
				i := int(next.Add(1) - 1)
				if i >= len(jobs) || ctx.Err() != nil || (stopEarly && st.allFound.Load()) {
					return
				}
				if j := &jobs[i]; j.from >= 0 {
					j.from = st.scan(j.pid, j.from, split, buf)
				}
			}
		})
	}
	wg.Wait()
	return ctx.Err()
}

// scanBuf holds one worker's reusable buffers.
type scanBuf struct {
	path   []byte
	dents  []byte
	link   []byte
	denied bool // a link of the process being read could not be read
}

func newScanBuf() *scanBuf {
	return &scanBuf{path: make([]byte, 0, 64), dents: make([]byte, 32<<10), link: make([]byte, 64)}
}

// scan reads the descriptors of process pid numbered from up and records
// the wanted sockets among them. With split, when the process has more
// than manyFDs descriptors, it reads only those below lowFDs and returns
// lowFDs: where a later scan goes on. Otherwise it returns -1: done. A
// process that is gone is done; one that cannot be read is counted as
// denied, once.
func (st *walkState) scan(pid int32, from int, split bool, b *scanBuf) int {
	b.path = append(append(append(b.path[:0], st.w.root...), '/'), strconv.Itoa(int(pid))...)
	b.path = append(b.path, "/fd"...)
	dir, err := unix.Open(string(b.path), unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		if from == 0 && (errors.Is(err, unix.EACCES) || errors.Is(err, unix.EPERM)) {
			st.mu.Lock()
			st.res.denied++
			st.mu.Unlock()
		}
		return -1
	}
	defer unix.Close(dir)
	// A directory that lists but whose links cannot be read (another
	// user's process; or, even for root, one the kernel guards, like an
	// init that is not dumpable) hides its sockets all the same.
	b.denied = false
	defer func() {
		if b.denied && from == 0 {
			st.mu.Lock()
			st.res.denied++
			st.mu.Unlock()
		}
	}()
	if split && st.w.sizeIsCount {
		var fi unix.Stat_t
		if unix.Fstat(dir, &fi) == nil {
			switch {
			case fi.Size == 0: // a kernel thread: nothing to list
				return -1
			case fi.Size > int64(st.w.manyFDs):
				st.scanLow(pid, dir, b)
				return st.w.lowFDs
			}
		}
		split = false // few: read them all now
	}
	upTo, left := math.MaxInt, -1
	for first := true; ; first = false {
		n, err := unix.Getdents(dir, b.dents)
		if err == unix.EINTR {
			continue
		}
		if err != nil || n <= 0 {
			return left
		}
		if first && split && countDents(b.dents[:n]) > st.w.manyFDs {
			upTo, left = st.w.lowFDs, st.w.lowFDs
		}
		st.scanDents(pid, dir, b, b.dents[:n], from, upTo)
	}
}

// scanLow reads the links of descriptors 0 to lowFDs-1, those that exist.
func (st *walkState) scanLow(pid int32, dir int, b *scanBuf) {
	for fd := range st.w.lowFDs {
		st.readLink(pid, dir, append(strconv.AppendInt(b.path[:0], int64(fd), 10), 0), b)
	}
}

// scanDents reads the links of the descriptors numbered from from to below
// upTo in a batch of directory entries.
func (st *walkState) scanDents(pid int32, dir int, b *scanBuf, d []byte, from, upTo int) {
	forDents(d, func(name []byte) {
		if from > 0 || upTo < math.MaxInt {
			if fd := fdNumber(name); fd < from || fd >= upTo {
				return
			}
		}
		st.readLink(pid, dir, name, b)
	})
}

// readLink reads the link of the descriptor name (NUL-terminated, in dir)
// of process pid, and records it when it is a wanted socket. A link that
// may not be read marks the process denied.
func (st *walkState) readLink(pid int32, dir int, name []byte, b *scanBuf) {
	// readlinkat(2) straight on the NUL-terminated name in the directory
	// buffer: no path is built and nothing is allocated per descriptor.
	n, _, errno := unix.Syscall6(unix.SYS_READLINKAT, uintptr(dir),
		uintptr(unsafe.Pointer(&name[0])), uintptr(unsafe.Pointer(&b.link[0])), uintptr(len(b.link)), 0, 0)
	switch {
	case errno == unix.EACCES || errno == unix.EPERM:
		b.denied = true
	case errno == 0:
		if ino, ok := socketInode(b.link[:n]); ok && st.wanted[ino] {
			st.record(ino, pid)
		}
	}
}

// record notes that pid holds the wanted socket ino.
func (st *walkState) record(ino uint64, pid int32) {
	st.mu.Lock()
	defer st.mu.Unlock()
	h := st.res.holders[ino]
	if len(h) == 0 {
		st.found++
		if st.found == len(st.wanted) {
			st.allFound.Store(true)
		}
	}
	if !slices.Contains(h, pid) { // a socket dup'ed to several descriptors
		st.res.holders[ino] = append(h, pid)
	}
}

// defaultWalk is the walk over the real /proc, one worker per CPU. A
// process with more than 64 descriptors has its first 16 read first.
func defaultWalk(root string) procWalk {
	if root == "" {
		root = "/proc"
	}
	return procWalk{root: root, workers: max(2, runtime.GOMAXPROCS(0)), lowFDs: 16, manyFDs: 64,
		sizeIsCount: fdDirSizeIsCount(root)}
}

// fdDirSizeIsCount reports whether root is a proc file system whose
// /proc/<pid>/fd directories give their number of descriptors as their size
// (Linux 6.2 and later; before, the size is 0): this process has at least
// three, and the directory of a fake tree is not a proc file system.
func fdDirSizeIsCount(root string) bool {
	var fs unix.Statfs_t
	if unix.Statfs(root, &fs) != nil || fs.Type != unix.PROC_SUPER_MAGIC {
		return false
	}
	var fi unix.Stat_t
	return unix.Stat(root+"/self/fd", &fi) == nil && fi.Size >= 3
}
