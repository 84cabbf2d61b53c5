// inflight_linux_test.go holds the test of a listener that no process
// holds: passed over a Unix socket (SCM_RIGHTS) and closed, it lives only
// in the socket's queue. As root, with every process read, its owner is
// not said to be hidden; where some process is guarded even from root, the
// note says that one may hold it, or none.

package main

import (
	"errors"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/whyrefused/whyrefused/internal/testnet"
)

func TestListenerInFlight(t *testing.T) {
	if !testnet.InNetns(t) {
		return
	}
	bin := binary(t)
	pair, err := syscall.Socketpair(syscall.AF_UNIX, syscall.SOCK_STREAM, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer syscall.Close(pair[0])
	defer syscall.Close(pair[1])
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	f, err := ln.(*net.TCPListener).File()
	if err != nil {
		t.Fatal(err)
	}
	if err := syscall.Sendmsg(pair[0], []byte{0}, syscall.UnixRights(int(f.Fd())), nil, 0); err != nil {
		t.Fatal(err)
	}
	f.Close()
	ln.Close() // now only the message in pair[1]'s queue holds it
	out, errs, code := runBinary(t, bin, "list", "--port", strconv.Itoa(port))
	t.Logf("list:\n%s%s", out, errs)
	if code != exitOK || !strings.Contains(out, "127.0.0.1:"+strconv.Itoa(port)) {
		t.Fatalf("list: exit %d, the listener in flight is not listed", code)
	}
	if guarded := guardedProcess(); guarded != "" {
		// Then it may be held there: say so, and that none may hold it.
		if !strings.Contains(out, "or none does") {
			t.Errorf("with process %s guarded, the note blames it alone:\n%s", guarded, out)
		}
	} else if strings.Contains(out, "hidden") {
		t.Errorf("every process was read, yet a listener no process holds is said to be hidden:\n%s", out)
	}
}

// guardedProcess names a process whose descriptors root cannot read (a
// container's init that is not dumpable, say), or "".
func guardedProcess() string {
	dirs, _ := filepath.Glob("/proc/[0-9]*/fd")
	for _, d := range dirs {
		links, err := os.ReadDir(d)
		if err != nil {
			if errors.Is(err, fs.ErrPermission) {
				return d
			}
			continue
		}
		if len(links) > 0 {
			if _, err := os.Readlink(filepath.Join(d, links[0].Name())); errors.Is(err, fs.ErrPermission) {
				return d
			}
		}
	}
	return ""
}
