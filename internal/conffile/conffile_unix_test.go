//go:build unix

// conffile_unix_test.go holds the tests on a FIFO and a device.

package conffile

import (
	"errors"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

func TestReadRefusesFIFOAndDevice(t *testing.T) {
	if _, err := Read("/dev/zero"); !errors.Is(err, ErrNotRegular) {
		t.Errorf("/dev/zero: %v", err)
	}
	fifo := filepath.Join(t.TempDir(), "fifo")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if _, err := Read(fifo); !errors.Is(err, ErrNotRegular) {
		t.Errorf("a FIFO: %v", err)
	}
	if d := time.Since(start); d > Timeout {
		t.Errorf("a FIFO took %v", d)
	}
}
