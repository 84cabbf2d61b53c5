// skipcheck_test.go runs a real `go test -json` through check, and tests
// the allowlist's parsing.

package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/whyrefused/whyrefused/internal/testwine"
)

// goTestJSON runs `go test -json` in testdata/skipper, with env added.
func goTestJSON(t *testing.T, env ...string) []byte {
	t.Helper()
	cmd := exec.Command("go", "test", "-count=1", "-json", ".")
	cmd.Dir = filepath.Join("testdata", "skipper")
	cmd.Env = append(os.Environ(), append([]string{"GOWORK=off", "GOFLAGS=-mod=mod"}, env...)...)
	out, _ := cmd.Output() // a failing run exits 1: its events are the point
	if !bytes.Contains(out, []byte(`"Action":"skip"`)) {
		t.Fatalf("go test -json gave no skip events:\n%s", out)
	}
	return out
}

func TestCheck(t *testing.T) {
	testwine.Skip(t, "there is no Go toolchain inside Wine") // CI runs skipcheck on the build host
	wine, err := parseAllowlist(strings.NewReader("# comment\n\nTestUnderWine/.* | skipped under Wine | Wine has no owner PIDs\n"))
	if err != nil {
		t.Fatal(err)
	}
	both, err := parseAllowlist(strings.NewReader("TestUnderWine/sub | under Wine | Wine\nTest.*Tool | needs the tool | not in this test's CI\n"))
	if err != nil {
		t.Fatal(err)
	}
	wrongReason, _ := parseAllowlist(strings.NewReader("TestNeedsTool | under Wine | the test may skip under Wine, not for a tool\nTestUnderWine/sub | under Wine | Wine\n"))
	otherOS, err := parseAllowlist(strings.NewReader("[windows] TestNeedsTool | needs the tool | the Windows run has no such tool\nTestUnderWine/sub | under Wine | Wine\n"))
	if err != nil {
		t.Fatal(err)
	}
	passing := goTestJSON(t)
	failing := goTestJSON(t, "SKIPPER_FAIL=1")
	for _, c := range []struct {
		name   string
		in     []byte
		list   []*allowed
		status int
		want   []string
		not    []string
	}{
		{"a skip not on the list fails", passing, wine, 1,
			[]string{"ok  \texample.com/skipper", "--- SKIP: TestNeedsTool (example.com/skipper): skipper_test.go:14: needs the tool no-such-tool (Debian package nothing) [NOT ALLOWED]",
				"[allowed: Wine has no owner PIDs]", "skipcheck: 1 test(s) skipped that must run in CI"},
			[]string{"=== RUN", "PASS: TestRuns"}},
		{"every skip allowed passes", passing, both, 0,
			[]string{"ok  \texample.com/skipper", "[allowed: not in this test's CI]"},
			[]string{"NOT ALLOWED", "skipcheck:"}},
		{"the name matches but not the reason", passing, wrongReason, 1,
			[]string{"TestNeedsTool (example.com/skipper): skipper_test.go:14: needs the tool no-such-tool (Debian package nothing) [NOT ALLOWED]"}, nil},
		{"an entry for another OS does not hold", passing, otherOS, 1,
			[]string{"TestNeedsTool (example.com/skipper): skipper_test.go:14: needs the tool no-such-tool (Debian package nothing) [NOT ALLOWED]"}, nil},
		{"a failing test fails, with its output", failing, both, 1,
			[]string{"the failure's own words", "failed as asked", "--- FAIL: TestFails", "FAIL\texample.com/skipper"},
			[]string{"=== RUN"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			var out bytes.Buffer
			if got := check(bytes.NewReader(c.in), &out, c.list, "linux"); got != c.status {
				t.Errorf("status %d, want %d\n%s", got, c.status, &out)
			}
			for _, w := range c.want {
				if !strings.Contains(out.String(), w) {
					t.Errorf("output lacks %q:\n%s", w, &out)
				}
			}
			for _, n := range c.not {
				if strings.Contains(out.String(), n) {
					t.Errorf("output has %q:\n%s", n, &out)
				}
			}
		})
	}
}

func TestParseAllowlistErrors(t *testing.T) {
	for _, in := range []string{
		"TestX | only two fields",
		"TestX | | no reason text",
		"TestX | reason |",
		"Test( | reason | bad regexp",
		"[windows TestX | reason | no closing bracket",
	} {
		if _, err := parseAllowlist(strings.NewReader(in)); err == nil {
			t.Errorf("%q: no error", in)
		}
	}
}

// TestAllowlistIsValid parses the real allowlist CI uses.
func TestAllowlistIsValid(t *testing.T) {
	f, err := os.Open(filepath.Join("..", "..", ".ci", "skips-allowed.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := parseAllowlist(f); err != nil {
		t.Fatal(err)
	}
}
