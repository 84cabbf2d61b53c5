// status_test.go tests the --wait status line: rewritten in place and cut
// to the width on a terminal, a plain line per change elsewhere, and no
// terminal control from a target's text either way.

package render

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func TestStatusLineOnATerminal(t *testing.T) {
	var b bytes.Buffer
	s := NewStatusLine(&b, func() int { return 30 })
	s.Show(100*time.Millisecond, "127.0.0.1:8080 refused (no-listener)")
	s.Show(1234*time.Millisecond, "short")
	s.Clear()
	want := "\rwaiting 100ms: 127.0.0.1:8...\x1b[K" + "\rwaiting 1.23s: short\x1b[K" + "\r\x1b[K"
	if got := b.String(); got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}

func TestStatusLineElsewhere(t *testing.T) {
	var b bytes.Buffer
	s := NewStatusLine(&b, func() int { return 0 })
	s.Show(0, "a refused")
	s.Show(time.Second, "a refused") // unchanged: no new line
	s.Show(2*time.Second, "a refused (nearby-port)")
	s.Clear()
	want := "whyrefused: waiting (0s): a refused\nwhyrefused: waiting (2s): a refused (nearby-port)\n"
	if got := b.String(); got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}

func TestStatusLineEscapes(t *testing.T) {
	for _, width := range []int{0, 80} {
		var b bytes.Buffer
		s := NewStatusLine(&b, func() int { return width })
		s.Show(0, "evil\x1b]0;title\x07\r\nline \xff")
		got := b.String()
		got = strings.TrimPrefix(strings.TrimSuffix(got, "\x1b[K"), "\r")
		if strings.ContainsAny(strings.TrimSuffix(got, "\n"), "\x1b\x07\r\n") || !strings.Contains(got, `evil\x1b]0;title\x07\r\nline \xff`) {
			t.Errorf("width %d: %q", width, b.String())
		}
	}
}
