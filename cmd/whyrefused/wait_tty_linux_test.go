// wait_tty_linux_test.go runs the real binary's --wait under a
// pseudo-terminal: the status is one line rewritten in place (a carriage
// return, the text, clear-to-end-of-line), cut to the terminal's width,
// and cleared before the answer.

package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// openPTY opens a pseudo-terminal pair by hand (/dev/ptmx, unlock, the
// pts number): x/sys is already a dependency, a pty library would be one
// more for a test. The terminal is cols wide.
func openPTY(t *testing.T, cols uint16) (master, slave *os.File) {
	t.Helper()
	m, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminal: %v", err)
	}
	fd := int(m.Fd())
	if err := unix.IoctlSetPointerInt(fd, unix.TIOCSPTLCK, 0); err != nil {
		t.Fatalf("unlocking the pty: %v", err)
	}
	n, err := unix.IoctlGetInt(fd, unix.TIOCGPTN)
	if err != nil {
		t.Fatalf("the pty's number: %v", err)
	}
	s, err := os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Fatalf("opening the pty's terminal: %v", err)
	}
	if err := unix.IoctlSetWinsize(int(s.Fd()), unix.TIOCSWINSZ, &unix.Winsize{Row: 24, Col: cols}); err != nil {
		t.Fatalf("setting the terminal's size: %v", err)
	}
	t.Cleanup(func() { m.Close(); s.Close() })
	return m, s
}

func TestWaitStatusLineOnATerminal(t *testing.T) {
	bin := binary(t)
	const cols = 60
	master, slave := openPTY(t, cols)
	addr := closedLoopback(t)
	listenLater(t, addr, time.Second)
	// A second target that accepts at once, and a long third one, to see
	// the line cut to the width.
	open := listenLoopback(t)
	cmd := exec.Command(bin, "check", "--wait", "20s", addr, open, "localhost:"+strings.Split(addr, ":")[1])
	cmd.Env = append(os.Environ(), "NO_COLOR=1", "TERM=xterm")
	cmd.Stdin, cmd.Stdout, cmd.Stderr = slave, slave, slave
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	slave.Close() // the child holds it: at its exit, reads end
	var out bytes.Buffer
	copied := make(chan error, 1)
	go func() { _, err := io.Copy(&out, master); copied <- err }()
	waitErr := cmd.Wait()
	select {
	case err := <-copied:
		var pe *os.PathError
		if err != nil && !(errors.As(err, &pe) && errors.Is(pe.Err, syscall.EIO)) {
			t.Fatalf("reading the terminal: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the terminal was not closed")
	}
	text := out.String()
	if waitErr != nil {
		t.Fatalf("%v:\n%q", waitErr, text)
	}
	statuses := regexp.MustCompile("\r(waiting [^\r\n\x1b]*)\x1b\\[K").FindAllStringSubmatch(text, -1)
	if len(statuses) < 3 {
		t.Fatalf("%d status lines rewritten in place, want several:\n%q", len(statuses), text)
	}
	cut := 0
	for _, s := range statuses {
		if strings.HasSuffix(s[1], "...") {
			cut++
		}
		if len([]rune(s[1])) > cols-1 {
			t.Errorf("status %q is %d wide: the terminal has %d columns", s[1], len([]rune(s[1])), cols)
		}
		if !strings.Contains(s[1], "refused") {
			t.Errorf("status %q does not say what is refused", s[1])
		}
	}
	if cut == 0 {
		t.Errorf("no status line cut to the width, though two refused targets do not fit in %d columns:\n%q", cols, text)
	}
	// No line break between the status lines: each rewrites the last.
	first := strings.Index(text, "\rwaiting")
	cleared := strings.LastIndex(text, "\r\x1b[K")
	if first < 0 || cleared < first {
		t.Fatalf("the status is not cleared before the answer:\n%q", text)
	}
	if between := text[first:cleared]; strings.Contains(between, "\n") {
		t.Errorf("a line break between the status lines:\n%q", between)
	}
	if answer := text[cleared:]; strings.Count(answer, "ACCEPTED after ") != 3 {
		t.Errorf("the answer after the status is not three ACCEPTED lines:\n%q", answer)
	}
}
