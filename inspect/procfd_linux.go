package inspect

import (
	"bytes"
	"context"
	"errors"
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
// every wanted inode has a holder. A socket can then still be held by
// other processes that inherited it (nginx's workers share its master's
// listener), so the rest are not dropped: each one's parent PID is read
// (one small file, far cheaper than its descriptors) and the descriptors
// are read of every process that descends from a holder or is an ancestor
// of one. What this skips are unrelated processes that were handed the
// socket over a Unix socket (SCM_RIGHTS), a rare case.
//
// When seed is not 0, that process is read first and only the wanted
// inodes it holds are searched for (a --pid filter).
func (w procWalk) owners(ctx context.Context, wanted map[uint64]bool, seed int32) (walkResult, error) {
	res := walkResult{holders: make(map[uint64][]int32)}
	if len(wanted) == 0 {
		return res, nil
	}
	pids, err := w.pids()
	if err != nil {
		return res, err
	}
	st := &walkState{w: w, wanted: wanted, res: &res}
	if seed != 0 {
		st.scan(seed, newScanBuf())
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
	rest, err := st.scanAll(ctx, pids, true)
	if err != nil {
		return res, err
	}
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
			if _, err := st.scanAll(ctx, family, false); err != nil {
				return res, err
			}
			rest = slices.DeleteFunc(rest, func(p int32) bool { _, ok := slices.BinarySearch(family, p); return ok })
		}
	}
	for _, h := range res.holders {
		slices.Sort(h)
	}
	return res, nil
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

// walkState is one walk in progress, shared by its workers.
type walkState struct {
	w      procWalk
	wanted map[uint64]bool // read-only during a walk

	mu    sync.Mutex
	res   *walkResult
	found int // wanted inodes with at least one holder

	allFound atomic.Bool
}

// scanAll reads the descriptors of pids with a pool of workers. With
// stopEarly, it stops taking new processes once every wanted inode has a
// holder, and returns the processes it did not read.
func (st *walkState) scanAll(ctx context.Context, pids []int32, stopEarly bool) ([]int32, error) {
	workers := max(1, min(st.w.workers, len(pids)))
	done := make([]bool, len(pids))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			buf := newScanBuf()
			for {
				i := int(next.Add(1) - 1)
				if i >= len(pids) || ctx.Err() != nil || (stopEarly && st.allFound.Load()) {
					return
				}
				st.scan(pids[i], buf)
				done[i] = true
			}
		})
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var rest []int32
	for i, ok := range done {
		if !ok {
			rest = append(rest, pids[i])
		}
	}
	return rest, nil
}

// scanBuf holds one worker's reusable buffers.
type scanBuf struct {
	path  []byte
	dents []byte
	link  []byte
}

func newScanBuf() *scanBuf {
	return &scanBuf{path: make([]byte, 0, 64), dents: make([]byte, 32<<10), link: make([]byte, 64)}
}

// scan reads the descriptors of process pid and records the wanted
// sockets it holds. A process that is gone is skipped; one that cannot be
// read is counted as denied.
func (st *walkState) scan(pid int32, b *scanBuf) {
	b.path = append(append(append(b.path[:0], st.w.root...), '/'), strconv.Itoa(int(pid))...)
	b.path = append(b.path, "/fd"...)
	dir, err := unix.Open(string(b.path), unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		if errors.Is(err, unix.EACCES) || errors.Is(err, unix.EPERM) {
			st.mu.Lock()
			st.res.denied++
			st.mu.Unlock()
		}
		return
	}
	defer unix.Close(dir)
	for {
		n, err := unix.Getdents(dir, b.dents)
		if err == unix.EINTR {
			continue
		}
		if err != nil || n <= 0 {
			return
		}
		st.scanDents(pid, dir, b, b.dents[:n])
	}
}

// scanDents reads the links named by a batch of directory entries
// (struct linux_dirent64: ino u64, off u64, reclen u16, type u8, name).
func (st *walkState) scanDents(pid int32, dir int, b *scanBuf, d []byte) {
	const nameOff = 19
	for len(d) >= nameOff {
		reclen := int(*(*uint16)(unsafe.Pointer(&d[16])))
		if reclen < nameOff || reclen > len(d) {
			return
		}
		name := d[nameOff:reclen] // NUL-terminated, padded
		d = d[reclen:]
		if len(name) == 0 || name[0] < '0' || name[0] > '9' { // "." and ".."
			continue
		}
		ino, ok := st.readSocketLink(dir, name, b.link)
		if !ok || !st.wanted[ino] {
			continue
		}
		st.record(ino, pid)
	}
}

// readSocketLink reads the fd link name (NUL-terminated, in dir) and
// returns the socket inode it names; ok is false for anything but a
// socket.
func (st *walkState) readSocketLink(dir int, name, link []byte) (uint64, bool) {
	// readlinkat(2) straight on the NUL-terminated name in the directory
	// buffer: no path is built and nothing is allocated per descriptor.
	n, _, errno := unix.Syscall6(unix.SYS_READLINKAT, uintptr(dir),
		uintptr(unsafe.Pointer(&name[0])), uintptr(unsafe.Pointer(&link[0])), uintptr(len(link)), 0, 0)
	if errno != 0 {
		return 0, false
	}
	return socketInode(link[:n])
}

// socketInode parses "socket:[12345]".
func socketInode(l []byte) (uint64, bool) {
	const prefix = "socket:["
	if len(l) < len(prefix)+2 || string(l[:len(prefix)]) != prefix || l[len(l)-1] != ']' {
		return 0, false
	}
	ino, err := strconv.ParseUint(string(l[len(prefix):len(l)-1]), 10, 64)
	return ino, err == nil
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

// related returns, in rest's (ascending) order, those of rest that descend from, or are ancestors of, a
// process that holds a wanted socket.
func (st *walkState) related(pp *ppids, rest []int32) []int32 {
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
	var family []int32
	for _, p := range rest {
		if ancestors[p] || descends(pp.get(p), 0) {
			family = append(family, p)
		}
	}
	return family
}

// ppids reads and remembers parent PIDs.
type ppids struct {
	root string
	of   map[int32]int32 // -1: unreadable or gone
}

// prefetch reads the parents of pids with a pool of workers.
func (pp *ppids) prefetch(ctx context.Context, pids []int32, workers int) {
	out := make([]int32, len(pids))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range max(1, min(workers, len(pids))) {
		wg.Go(func() {
			buf := make([]byte, 512)
			for {
				i := int(next.Add(1) - 1)
				if i >= len(pids) || ctx.Err() != nil {
					return
				}
				out[i] = readPPID(pp.root, pids[i], buf)
			}
		})
	}
	wg.Wait()
	for i, p := range pids {
		pp.of[p] = out[i]
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

// parseStatPPID takes the fourth field of /proc/<pid>/stat, "pid (comm)
// state ppid ...", where comm may hold spaces and parentheses.
func parseStatPPID(b []byte) int32 {
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return -1
	}
	f := bytes.Fields(b[i+1:])
	if len(f) < 2 {
		return -1
	}
	p, err := strconv.ParseInt(string(f[1]), 10, 32)
	if err != nil {
		return -1
	}
	return int32(p)
}

// defaultWalk is the walk over the real /proc, one worker per CPU.
func defaultWalk(root string) procWalk {
	if root == "" {
		root = "/proc"
	}
	return procWalk{root: root, workers: max(2, runtime.GOMAXPROCS(0))}
}
