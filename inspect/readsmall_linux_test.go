// readsmall_linux_test.go tests readSmallFile on a file larger than its
// first buffer, appended to what the buffer holds, and a missing file.

package inspect

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReadSmallFile(t *testing.T) {
	p := filepath.Join(t.TempDir(), "cgroup")
	want := strings.Repeat("12:pids:/docker/abc\n", 200) // 4,000 bytes
	if err := os.WriteFile(p, []byte(want), 0o644); err != nil {
		t.Fatal(err)
	}
	buf, err := readSmallFile(p, []byte("x"))
	if err != nil || string(buf) != "x"+want {
		t.Fatalf("read %d bytes, %v; want %d", len(buf), err, len(want)+1)
	}
	// The buffer is used again: the next read starts at buf[:0].
	buf, err = readSmallFile("/proc/self/cgroup", buf[:0])
	if err != nil || !strings.Contains(string(buf), ":") {
		t.Errorf("/proc/self/cgroup: %q, %v", buf, err)
	}
	if _, err := readSmallFile(filepath.Join(t.TempDir(), "gone"), nil); err == nil {
		t.Error("a missing file reads without error")
	}
}
