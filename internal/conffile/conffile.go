// conffile.go holds Read, the bounded read of a whole file, and Lines, the
// line reader that no line can stop.

package conffile

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"time"
)

// MaxSize is the largest configuration file read: a hosts file with a
// million entries is about 30 MB.
const MaxSize = 64 << 20

// Timeout bounds the reading of one file.
const Timeout = 5 * time.Second

// Read reads the file at path: a regular file of at most MaxSize bytes,
// within Timeout. Anything else (a FIFO, a device, a directory, a larger
// file, a read that hangs) is an error that says so, in one line.
func Read(path string) ([]byte, error) {
	return read(path, MaxSize, Timeout)
}

// read is Read with its bounds given.
func read(path string, maxSize int64, timeout time.Duration) ([]byte, error) {
	return within(timeout, path, func() ([]byte, error) { return readRegular(path, maxSize) })
}

// within runs fn, and gives up on it after timeout.
func within(timeout time.Duration, path string, fn func() ([]byte, error)) ([]byte, error) {
	type result struct {
		b   []byte
		err error
	}
	done := make(chan result, 1)
	go func() {
		b, err := fn()
		done <- result{b, err}
	}()
	t := time.NewTimer(timeout)
	defer t.Stop()
	select {
	case r := <-done:
		return r.b, r.err
	case <-t.C:
		// The reader is left blocked (an open of a FIFO cannot be
		// cancelled); it holds nothing of the caller's.
		return nil, fmt.Errorf("%s: not read within %v", path, timeout)
	}
}

// readRegular opens path, checks that it is a regular file of at most
// maxSize bytes, and reads it. The file is checked before it is opened
// (opening a FIFO blocks until a writer comes) and again once open.
func readRegular(path string, maxSize int64) ([]byte, error) {
	if err := checkRegular(os.Stat(path)); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err := checkRegular(st, err); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if st.Size() > maxSize {
		return nil, fmt.Errorf("%s: %w", path, tooLarge(maxSize))
	}
	b, err := io.ReadAll(io.LimitReader(f, maxSize+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > maxSize {
		return nil, fmt.Errorf("%s: %w", path, tooLarge(maxSize))
	}
	return b, nil
}

// ErrNotRegular is a configuration file that is not a regular file.
var ErrNotRegular = errors.New("not a regular file (a FIFO, device or directory): not read")

// checkRegular passes a stat of a regular file.
func checkRegular(st os.FileInfo, err error) error {
	if err != nil {
		return err
	}
	if !st.Mode().IsRegular() {
		return ErrNotRegular
	}
	return nil
}

// tooLarge is the error of a file over max bytes.
func tooLarge(max int64) error {
	return fmt.Errorf("larger than %d MiB: not read", max>>20)
}

// MaxLine is the longest line Lines passes on; a longer one is skipped.
const MaxLine = 1 << 20

// Lines calls fn with each line of r (without its end of line) and its
// number from 1, until fn returns false. A line over MaxLine bytes is
// skipped whole, as if it were not there, and the lines after it still
// count; glibc reads such files the same way.
func Lines(r io.Reader, fn func(n int, line []byte) bool) error {
	br := bufio.NewReaderSize(r, 64<<10)
	var long []byte
	skipping := false
	for n := 1; ; {
		chunk, err := br.ReadSlice('\n')
		switch {
		case errors.Is(err, bufio.ErrBufferFull):
			if !skipping {
				long = append(long, chunk...)
				if len(long) > MaxLine {
					long, skipping = long[:0], true
				}
			}
			continue
		case err != nil && !errors.Is(err, io.EOF):
			return err
		}
		line := chunk
		if len(long) > 0 {
			long = append(long, chunk...)
			line = long
		}
		keep := !skipping && len(line) <= MaxLine+1
		if len(line) > 0 && keep && !fn(n, bytes.TrimSuffix(bytes.TrimSuffix(line, []byte("\n")), []byte("\r"))) {
			return nil
		}
		if err != nil {
			return nil // io.EOF
		}
		long, skipping = long[:0], false
		n++
	}
}
