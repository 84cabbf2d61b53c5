// conffile_test.go holds the tests of bounded reading on hostile files.

package conffile

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestReadRefusesWhatIsNotARegularFile(t *testing.T) {
	// The files get a directory removed best-effort, not t.TempDir: Wine
	// fails to unlink them ("Invalid function"), which would fail the
	// test's cleanup though every check here passed.
	dir, err := os.MkdirTemp("", "conffile")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if _, err := Read(dir); !errors.Is(err, ErrNotRegular) {
		t.Errorf("a directory: %v", err)
	}
	big := filepath.Join(dir, "big")
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(MaxSize + 1); err != nil { // sparse: no disk used
		t.Fatal(err)
	}
	f.Close()
	if _, err := Read(big); err == nil || !strings.Contains(err.Error(), "larger than 64 MiB") {
		t.Errorf("a file over MaxSize: %v", err)
	}
	small := filepath.Join(dir, "hosts")
	os.WriteFile(small, []byte("127.0.0.1 localhost\n"), 0o644)
	if b, err := Read(small); err != nil || string(b) != "127.0.0.1 localhost\n" {
		t.Errorf("a small file: %q, %v", b, err)
	}
}

// TestReadTimesOut: a read that hangs (a FIFO swapped in after the
// check, a dead network file system) ends at the bound.
func TestReadTimesOut(t *testing.T) {
	block := make(chan struct{})
	defer close(block)
	start := time.Now()
	_, err := within(100*time.Millisecond, "/etc/hosts", func() ([]byte, error) { <-block; return nil, nil })
	if err == nil || !strings.Contains(err.Error(), "/etc/hosts: not read within 100ms") {
		t.Errorf("a hung read: %v", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("took %v", d)
	}
}

func TestLinesSkipsLongLines(t *testing.T) {
	in := "a 1\n" + strings.Repeat("x", MaxLine+10) + "\n" + "b 2\r\n" + strings.Repeat("\x00", 3*MaxLine) + "\nc 3"
	var got []string
	var nums []int
	if err := Lines(strings.NewReader(in), func(n int, line []byte) bool {
		got = append(got, string(line))
		nums = append(nums, n)
		return true
	}); err != nil {
		t.Fatal(err)
	}
	if strings.Join(got, "|") != "a 1|b 2|c 3" || len(nums) != 3 || nums[0] != 1 || nums[1] != 3 || nums[2] != 5 {
		t.Errorf("lines %q numbered %v, want a 1, b 2, c 3 at 1, 3, 5", got, nums)
	}
	// A line of exactly MaxLine bytes is kept.
	exact := bytes.Repeat([]byte("y"), MaxLine)
	n := 0
	Lines(bytes.NewReader(append(exact, '\n')), func(_ int, line []byte) bool { n = len(line); return true })
	if n != MaxLine {
		t.Errorf("a line of MaxLine bytes came as %d bytes", n)
	}
}
