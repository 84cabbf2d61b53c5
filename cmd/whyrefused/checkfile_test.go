// checkfile_test.go runs check -f on loopback, on every OS: a file on
// stdin that holds, and bad lines, all reported with their numbers.

package main

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"testing"
)

// runApp runs the command line in this process on the real OS, with its
// output in buffers and stdin from in.
func runApp(args []string, in string) (stdout, stderr string, status int) {
	a := newApp()
	var out, errb bytes.Buffer
	a.stdout, a.stderr, a.terminal, a.stdin = &out, &errb, false, strings.NewReader(in)
	a.errWidth = func() int { return 0 }
	status = run(args, a)
	return out.String(), errb.String(), status
}

// tempFile writes text to a new file, removed when the test ends. Not in
// t.TempDir: under Wine, Go's RemoveAll of a directory fails.
func tempFile(t *testing.T, text string) string {
	t.Helper()
	f, err := os.CreateTemp("", "whyrefused-expect-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Remove(f.Name()) })
	_, err = f.WriteString(text)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatal(err)
	}
	return f.Name()
}

// TestCheckFileFromStdin: a file on stdin whose every line holds gives
// status 0.
func TestCheckFileFromStdin(t *testing.T) {
	open := listenLoopback(t)
	closed := closedLoopback(t)
	in := fmt.Sprintf("# on stdin\n%s\n%s refuse\n", open, closed)
	stdout, stderr, status := runApp([]string{"check", "-f", "-"}, in)
	if status != exitOK || !strings.Contains(stdout, "all 2 expectations hold") {
		t.Fatalf("status %d, want 0:\n%s%s", status, stdout, stderr)
	}
}

// TestCheckFileBadLines: every bad line is reported, with the file's name
// and the line's number, and nothing is checked: status 2.
func TestCheckFileBadLines(t *testing.T) {
	file := tempFile(t, "80\n80 acept\n# fine\n80 process\n443 refuse\n80 from db\n\"dial tcp\n")
	stdout, stderr, status := runApp([]string{"check", "-f", file}, "")
	if status != exitUsage || stdout != "" {
		t.Fatalf("status %d, want 2 and no output:\n%s%s", status, stdout, stderr)
	}
	var nums []string
	for _, l := range strings.Split(strings.TrimSpace(stderr), "\n") {
		prefix := "whyrefused: " + file + ":"
		if !strings.HasPrefix(l, prefix) {
			t.Errorf("line %q does not name the file", l)
			continue
		}
		nums = append(nums, strings.SplitN(strings.TrimPrefix(l, prefix), ":", 2)[0])
	}
	if strings.Join(nums, ",") != "2,4,6,7" {
		t.Errorf("bad lines %v, want 2, 4, 6 and 7:\n%s", nums, stderr)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"check", "-f", file, "80"}, "give no TARGET"},
		{[]string{"check", "-f", file + ".missing"}, file + ".missing"},
		{[]string{"check", "-f", "-"}, "names no target"},
		{[]string{"check", "-f", os.DevNull}, "names no target"},
		{[]string{"check", "--format", "yaml", "80"}, `unknown --format "yaml"`},
		{[]string{"check", "--json", "--format", "prometheus", "80"}, "two formats"},
		{[]string{"check", "--wait", "5s", "--format", "prometheus", "80"}, "do not go together"},
		{[]string{"check", "--wait", "-1s", "80"}, "--wait must be more than 0"},
	} {
		_, stderr, status := runApp(c.args, "")
		if status != exitUsage || !strings.Contains(stderr, c.want) || strings.Count(stderr, "\n") != 1 {
			t.Errorf("%v: status %d, stderr %q; want 2 and one line with %q", c.args, status, stderr, c.want)
		}
	}
}
