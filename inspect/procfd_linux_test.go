// procfd_linux_test.go tests the /proc owner walk on fake /proc trees and
// on real processes.

package inspect

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/whyrefused/whyrefused/internal/testtool"
)

// fakeProc is a process in a fake /proc tree.
type fakeProc struct {
	pid, ppid int32
	fds       []string // link targets, fd 0, 1, ...
	hidden    bool     // fd directory unreadable
}

// makeProc builds a fake proc tree under a temporary directory.
func makeProc(t *testing.T, procs []fakeProc) string {
	t.Helper()
	root := t.TempDir()
	for _, p := range procs {
		dir := filepath.Join(root, fmt.Sprint(p.pid))
		if err := os.MkdirAll(filepath.Join(dir, "fd"), 0o755); err != nil {
			t.Fatal(err)
		}
		stat := fmt.Sprintf("%d (a (strange) name) S %d 1 1 0 -1\n", p.pid, p.ppid)
		if err := os.WriteFile(filepath.Join(dir, "stat"), []byte(stat), 0o644); err != nil {
			t.Fatal(err)
		}
		for i, target := range p.fds {
			if err := os.Symlink(target, filepath.Join(dir, "fd", fmt.Sprint(i))); err != nil {
				t.Fatal(err)
			}
		}
		if p.hidden {
			// Drop every permission, as /proc does for another user's
			// process (root reads it all the same).
			if err := os.Chmod(filepath.Join(dir, "fd"), 0); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { os.Chmod(filepath.Join(dir, "fd"), 0o755) })
		}
	}
	// Files that are not processes are ignored.
	if err := os.WriteFile(filepath.Join(root, "uptime"), []byte("1 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return root
}

func TestProcWalkOwners(t *testing.T) {
	root := makeProc(t, []fakeProc{
		{pid: 1, ppid: 0, fds: []string{"/dev/null"}},
		// nginx: the master and its two workers share socket 100.
		{pid: 10, ppid: 1, fds: []string{"/dev/null", "socket:[100]", "pipe:[5]"}},
		{pid: 11, ppid: 10, fds: []string{"socket:[100]", "socket:[555]"}},
		{pid: 12, ppid: 10, fds: []string{"anon_inode:[eventpoll]", "socket:[100]", "socket:[100]"}},
		// A server owns 200 and 300; a bystander owns nothing wanted.
		{pid: 20, ppid: 1, fds: []string{"socket:[200]", "socket:[300]", "socket:[2000]"}},
		{pid: 30, ppid: 1, fds: []string{"socket:[999]", "/etc/passwd"}},
	})
	w := procWalk{root: root, workers: 2}
	res, err := w.owners(context.Background(), map[uint64]bool{100: true, 200: true, 300: true}, 0)
	if err != nil {
		t.Fatal(err)
	}
	want := map[uint64][]int32{100: {10, 11, 12}, 200: {20}, 300: {20}}
	for ino, pids := range want {
		if !slices.Equal(res.holders[ino], pids) {
			t.Errorf("socket %d: holders %v, want %v", ino, res.holders[ino], pids)
		}
	}
	if len(res.holders) != len(want) {
		t.Errorf("holders %v: only wanted inodes belong there", res.holders)
	}
}

// TestProcWalkForkedWorkersAfterStop: the walk stops reading unrelated
// processes once every socket has a holder, but still finds the workers
// that inherited it, wherever they are in PID order.
func TestProcWalkForkedWorkersAfterStop(t *testing.T) {
	root := makeProc(t, []fakeProc{
		{pid: 1, ppid: 0},
		{pid: 5, ppid: 1, fds: []string{"socket:[100]"}}, // master, found first
		{pid: 6, ppid: 1, fds: []string{"socket:[100]"}}, // unrelated, handed the socket: not read
		{pid: 7, ppid: 5, fds: []string{"socket:[100]"}}, // worker
		{pid: 8, ppid: 7, fds: []string{"socket:[100]"}}, // the worker's child
		{pid: 9, ppid: 1, hidden: true},                  // unrelated: not even tried
	})
	// One worker, so that the order is fixed: 1, 5, then all is found.
	first := root
	res, err := procWalk{root: root, workers: 1}.owners(context.Background(), map[uint64]bool{100: true}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if got := res.holders[100]; !slices.Equal(got, []int32{5, 7, 8}) {
		t.Errorf("holders %v, want [5 7 8] (6 is unrelated and not read)", got)
	}
	if res.denied != 0 {
		t.Errorf("denied %d: the unrelated process 9 should not have been read", res.denied)
	}
	// PIDs wrapped: a worker (7) comes before its master (50) and its
	// sibling (8) before the master is known to hold the socket.
	root = makeProc(t, []fakeProc{
		{pid: 7, ppid: 50, fds: []string{"socket:[100]"}},
		{pid: 8, ppid: 50, fds: []string{"socket:[100]"}},
		{pid: 50, ppid: 1, fds: []string{"socket:[100]"}},
		{pid: 60, ppid: 1, fds: []string{"socket:[100]"}}, // unrelated: not read
	})
	res, err = procWalk{root: root, workers: 1}.owners(context.Background(), map[uint64]bool{100: true}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if got := res.holders[100]; !slices.Equal(got, []int32{7, 8, 50}) {
		t.Errorf("worker before master: holders %v, want [7 8 50]", got)
	}
	// A --pid filter reads that process first, and its family.
	res, err = procWalk{root: first, workers: 1}.owners(context.Background(), map[uint64]bool{100: true, 200: true}, 7)
	if err != nil {
		t.Fatal(err)
	}
	if got := res.holders[100]; !slices.Equal(got, []int32{5, 7, 8}) {
		t.Errorf("seeded with 7: holders %v, want [5 7 8]", got)
	}
}

// TestProcWalkLowDescriptorsFirst: of a process with many descriptors only
// the first few are read until every process has been read so; the rest
// only when a wanted socket is still missing, or the process is family of
// a holder.
func TestProcWalkLowDescriptorsFirst(t *testing.T) {
	null := "/dev/null"
	root := makeProc(t, []fakeProc{
		{pid: 1, ppid: 0},
		// A busy server: its listener (100) low, connections above.
		{pid: 10, ppid: 1, fds: []string{null, "socket:[100]", "socket:[900]", "socket:[901]", "socket:[200]", "socket:[300]"}},
		// A small server.
		{pid: 20, ppid: 1, fds: []string{"socket:[300]"}},
		// The busy server's worker: it holds the listener high up.
		{pid: 30, ppid: 10, fds: []string{null, null, null, "socket:[902]", "socket:[100]"}},
		// Unrelated, busy, and holds 300 (handed over a Unix socket) high.
		{pid: 40, ppid: 1, fds: []string{null, null, null, null, "socket:[300]"}},
	})
	w := procWalk{root: root, workers: 1, lowFDs: 2, manyFDs: 3}
	walk := func(wanted ...uint64) walkResult { t.Helper(); return walkFor(t, w, wanted...) }
	check := func(res walkResult, ino uint64, want ...int32) {
		t.Helper()
		if got := res.holders[ino]; !slices.Equal(got, want) {
			t.Errorf("socket %d: holders %v, want %v", ino, got, want)
		}
	}
	// 100 and 300 are found among the first descriptors. The rest of 40
	// is not read (its copy of 300 is missed, as documented), but the
	// worker 30 and its master 10 are family and are read in full.
	res := walk(100, 300)
	check(res, 100, 10, 30)
	check(res, 300, 10, 20)
	// 200 sits high in 10: found when the first pass has not found it.
	res = walk(100, 200)
	check(res, 100, 10, 30)
	check(res, 200, 10)
	// Without splitting, 10 is read in full at once: all is found there,
	// and 20, unrelated, is not read.
	w.manyFDs = 0
	res = walk(100, 300)
	check(res, 100, 10, 30)
	check(res, 300, 10)
}

// TestProcWalkBusyProcess runs the walk over the real /proc, with a child
// process that holds a listener at descriptor 3 and another above 80
// descriptors: both are found, the first in the first pass.
func TestProcWalkBusyProcess(t *testing.T) {
	w := defaultWalk("")
	if !w.sizeIsCount {
		t.Logf("this kernel does not give the number of descriptors as the size of /proc/<pid>/fd (Linux < 6.2): busy processes are listed to be told")
	}
	var files []*os.File
	var inodes []uint64
	listen := func() {
		ln, err := net.Listen("tcp4", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		f, err := ln.(*net.TCPListener).File()
		ln.Close()
		if err != nil {
			t.Fatal(err)
		}
		var st unix.Stat_t
		if err := unix.Fstat(int(f.Fd()), &st); err != nil {
			t.Fatal(err)
		}
		files, inodes = append(files, f), append(inodes, st.Ino)
	}
	listen()
	null, err := os.Open(os.DevNull)
	if err != nil {
		t.Fatal(err)
	}
	defer null.Close()
	for range 80 {
		files = append(files, null)
	}
	listen()
	cmd := exec.Command(testtool.Need(t, "sleep", "coreutils"), "60")
	cmd.ExtraFiles = files // descriptors 3, 4...
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting a child process: %v", err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	for _, f := range files {
		if f != null {
			f.Close() // the child's copies alone hold the listeners now
		}
	}
	child := int32(cmd.Process.Pid)
	for _, wanted := range [][]uint64{{inodes[0]}, inodes} {
		res := walkFor(t, w, wanted...)
		for _, ino := range wanted {
			if got := res.holders[ino]; !slices.Equal(got, []int32{child}) {
				t.Errorf("socket %d: holders %v, want [%d]", ino, got, child)
			}
		}
	}
}

// walkFor runs w for the wanted inodes.
func walkFor(t *testing.T, w procWalk, wanted ...uint64) walkResult {
	t.Helper()
	want := make(map[uint64]bool)
	for _, ino := range wanted {
		want[ino] = true
	}
	res, err := w.owners(context.Background(), want, 0)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// TestProcWalkUsersFirst: the processes of the wanted sockets' users are
// read first. Two unrelated processes hold socket 100 (one was handed it):
// the walk stops at whichever it reads first, so the holder found tells
// the order.
func TestProcWalkUsersFirst(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root to give the fake processes another owner (chown)")
	}
	root := makeProc(t, []fakeProc{
		{pid: 10, ppid: 1, fds: []string{"socket:[100]"}}, // root's
		{pid: 20, ppid: 1, fds: []string{"socket:[100]"}}, // postgres's
		// postgres's workers, found by the family pass after the stop:
		// one postgres's (so read right after 20 if it were not for the
		// stop), one root's.
		{pid: 30, ppid: 20, fds: []string{"socket:[100]"}},
		{pid: 40, ppid: 20, fds: []string{"socket:[100]"}},
	})
	for _, pid := range []string{"20", "40"} {
		if err := os.Chown(filepath.Join(root, pid), 1234, 1234); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []struct {
		users map[uint32]bool
		want  []int32
	}{
		{nil, []int32{10}},                      // PID order: 10, then 20 is unrelated
		{map[uint32]bool{0: true}, []int32{10}}, // root's sockets: PID order
		{map[uint32]bool{1234: true}, []int32{20, 30, 40}},
		{map[uint32]bool{0: true, 1234: true}, []int32{20, 30, 40}},
	} {
		w := procWalk{root: root, workers: 1, users: c.users}
		if got := walkFor(t, w, 100).holders[100]; !slices.Equal(got, c.want) {
			t.Errorf("users %v: holders %v, want %v", c.users, got, c.want)
		}
	}
}

func TestProcWalkHiddenAndGone(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Log("as root a mode-0 directory is readable: only the not-root run checks the denied count")
	}
	root := makeProc(t, []fakeProc{
		{pid: 40, ppid: 1, fds: []string{"socket:[400]"}},
		{pid: 41, ppid: 1, hidden: true},
	})
	// A process that exits mid-walk: listed, but its directory is gone.
	if err := os.MkdirAll(filepath.Join(root, "42"), 0o755); err != nil {
		t.Fatal(err)
	}
	w := procWalk{root: root, workers: 2}
	res, err := w.owners(context.Background(), map[uint64]bool{400: true, 401: true}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if got := res.holders[400]; !slices.Equal(got, []int32{40}) {
		t.Errorf("holders of 400: %v, want [40]", got)
	}
	if _, ok := res.holders[401]; ok {
		t.Errorf("401 has holders %v, want none", res.holders[401])
	}
	if os.Geteuid() != 0 && res.denied != 1 {
		t.Errorf("denied %d, want 1 (process 41)", res.denied)
	}
}

// TestProcWalkUnreadableLinks: a descriptor directory that lists but whose
// links cannot be read (another user's process; even for root, one the
// kernel guards, such as a non-dumpable init) counts as denied, so that its
// sockets' owners are shown hidden, not absent.
func TestProcWalkUnreadableLinks(t *testing.T) {
	root := makeProc(t, []fakeProc{{pid: 50, ppid: 1, fds: []string{"/dev/null", "socket:[500]"}}})
	fd := filepath.Join(root, "50", "fd")
	if err := os.Chmod(fd, 0o444); err != nil { // listable, not searchable
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(fd, 0o755) })
	type result struct {
		res walkResult
		err error
	}
	done := make(chan result)
	go func() {
		// Never unlocked: the thread, its capabilities dropped, ends
		// with this goroutine.
		runtime.LockOSThread()
		if os.Geteuid() == 0 {
			// Root reads everything (CAP_DAC_OVERRIDE): drop that from
			// this thread only, as the kernel's guard would deny it.
			hdr := unix.CapUserHeader{Version: unix.LINUX_CAPABILITY_VERSION_3}
			var data [2]unix.CapUserData
			if err := unix.Capget(&hdr, &data[0]); err != nil {
				done <- result{err: err}
				return
			}
			data[0].Effective &^= 1<<unix.CAP_DAC_OVERRIDE | 1<<unix.CAP_DAC_READ_SEARCH
			if err := unix.Capset(&hdr, &data[0]); err != nil {
				done <- result{err: err}
				return
			}
		}
		res := walkResult{holders: make(map[uint64][]int32)}
		st := &walkState{w: procWalk{root: root, workers: 1}, wanted: map[uint64]bool{500: true}, res: &res}
		st.scan(50, 0, false, newScanBuf())
		done <- result{res: res}
	}()
	r := <-done
	if r.err != nil {
		t.Fatalf("dropping CAP_DAC_OVERRIDE for this thread: %v", r.err)
	}
	if r.res.denied != 1 || len(r.res.holders) != 0 {
		t.Errorf("denied %d, holders %v; want 1 denied process and no holder", r.res.denied, r.res.holders)
	}
}

func TestProcWalkNamespaceFirst(t *testing.T) {
	// Two unrelated processes hold the socket: the walk stops at the
	// first holder it reads, and w.first (the processes of the socket's
	// namespace) is read before PID order.
	root := makeProc(t, []fakeProc{
		{pid: 10, ppid: 1, fds: []string{"socket:[100]"}},
		{pid: 20, ppid: 1, fds: []string{"socket:[200]"}},
		{pid: 30, ppid: 1, fds: []string{"socket:[100]"}},
	})
	for _, c := range []struct {
		first []int32
		want  []int32
	}{
		{nil, []int32{10}},
		{[]int32{30}, []int32{30}},
		{[]int32{99, 30}, []int32{30}}, // 99 is gone
	} {
		w := procWalk{root: root, workers: 1, first: c.first}
		if got := walkFor(t, w, 100).holders[100]; !slices.Equal(got, c.want) {
			t.Errorf("first %v: holders %v, want %v", c.first, got, c.want)
		}
	}
}
