// fuzz_test.go fuzzes Parse: it never panics, every bad line's message is
// one line that starts with its number, and every good line has a port.
// (Secrets in targets are target's to strip, and its fuzz test's.)

package expect

import (
	"errors"
	"strings"
	"testing"

	"github.com/whyrefused/whyrefused/inspect"
)

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"80\n127.0.0.1:80 refuse from 198.18.0.9\n",
		`"dial tcp 127.0.0.1:5432: connect: connection refused" process postgres` + "\n",
		"postgres://app:hunter2@db/app user app # c\n[::1]:22 accept\n",
		"80 from\n\"\n80 acept\r\n\x00\xff",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		lines, err := Parse(strings.NewReader(s), inspect.TCP, nil)
		var bad Errors
		if err != nil && !errors.As(err, &bad) {
			t.Fatalf("a string reader failed: %v", err)
		}
		for _, e := range bad {
			msg := e.Error()
			if strings.ContainsAny(msg, "\n\r") || !strings.HasPrefix(msg, "line ") {
				t.Errorf("message %q is not one line with its number", msg)
			}
		}
		for _, l := range lines {
			if l.Number < 1 || l.Target.Port == 0 {
				t.Errorf("line %+v", l)
			}
		}
	})
}
