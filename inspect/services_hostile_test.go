// services_hostile_test.go holds the tests of broken services files: a
// line over any buffer, NUL runs and garbage do not stop the lookup.

package inspect

import (
	"strings"
	"testing"
)

func TestParseServicesHostile(t *testing.T) {
	text := "ssh 22/tcp\n" + strings.Repeat("x", 3<<20) + "\n" + strings.Repeat("\x00", 1<<20) + "\n" +
		"\xff\xfe garbage \x1b[2J 9/tcp\n" + "postgresql 5432/tcp postgres\n"
	port, ok, err := ParseServices(strings.NewReader(text), "postgres", TCP)
	if err != nil || !ok || port != 5432 {
		t.Errorf("postgres after a long line: %d %v %v, want 5432", port, ok, err)
	}
	if _, ok, err := ParseServices(strings.NewReader(text), "nosuch", TCP); ok || err != nil {
		t.Errorf("a name not there: %v %v", ok, err)
	}
}
