// version_test.go holds the tests of --version: from a release's flags,
// from build info as go build and go install record it, and from a real
// go build.

package main

import (
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/whyrefused/whyrefused/internal/testtool"
	"github.com/whyrefused/whyrefused/internal/testwine"
)

// buildInfo is debug.ParseBuildInfo of `go version -m` text.
func buildInfo(t *testing.T, text string) *debug.BuildInfo {
	t.Helper()
	info, err := debug.ParseBuildInfo(text)
	if err != nil {
		t.Fatal(err)
	}
	return info
}

func TestVersionFrom(t *testing.T) {
	const head = "go\tgo1.26.8\npath\tgithub.com/whyrefused/whyrefused/cmd/whyrefused\n"
	inClone := buildInfo(t, head+
		"mod\tgithub.com/whyrefused/whyrefused\tv0.0.0-20261201203431-c2dbdbf86836+dirty\t\n"+
		"build\tvcs=git\nbuild\tvcs.revision=c2dbdbf86836fbda7dc19801d22c7e44a356a25b\n"+
		"build\tvcs.time=2026-12-01T20:34:31Z\nbuild\tvcs.modified=true\n")
	for _, c := range []struct {
		name                string
		relV, relC, relDate string
		info                *debug.BuildInfo
		want                string
	}{
		{"a release", "1.4.0", "0123456789abcdef0123", "2026-12-01T20:00:00Z", inClone,
			"1.4.0 (commit 0123456789ab, 2026-12-01T20:00:00Z)"},
		{"go install ...@v1.4.0", "", "", "", buildInfo(t, head+"mod\tgithub.com/whyrefused/whyrefused\tv1.4.0\th1:abc=\n"),
			"v1.4.0"},
		{"go build in a changed clone", "", "", "", inClone,
			"v0.0.0-20261201203431-c2dbdbf86836+dirty (revision c2dbdbf86836, 2026-12-01T20:34:31Z, modified)"},
		{"go build of an older go: (devel) and VCS", "", "", "", buildInfo(t, head+
			"mod\tgithub.com/whyrefused/whyrefused\t(devel)\t\nbuild\tvcs.revision=c2dbdbf86836fbda\nbuild\tvcs.time=2026-12-01T20:34:31Z\nbuild\tvcs.modified=false\n"),
			"devel (revision c2dbdbf86836, 2026-12-01T20:34:31Z)"},
		{"-buildvcs=false", "", "", "", buildInfo(t, head+"mod\tgithub.com/whyrefused/whyrefused\t(devel)\t\n"),
			"devel (no version or revision recorded: built with -buildvcs=false or outside a git clone; go1.26.8)"},
		{"no build info", "", "", "", nil,
			"devel (no version or revision recorded: built with -buildvcs=false or outside a git clone; " + runtime.Version() + ")"},
	} {
		if got := versionFrom(c.relV, c.relC, c.relDate, c.info); got != c.want {
			t.Errorf("%s:\n got %q\nwant %q", c.name, got, c.want)
		}
	}
}

// TestVersionOfGoBuild builds whyrefused as a user would (go build, VCS
// stamping on) from a git repository of this tree's files, committed, then
// changed, and reads --version: the commit's revision and time, and
// "modified".
func TestVersionOfGoBuild(t *testing.T) {
	testwine.Skip(t, noGo)
	git := testtool.Need(t, "git", "git")
	files, err := exec.Command(git, "-C", "../..", "ls-files", "-co", "--exclude-standard", "-z").Output()
	if err != nil {
		t.Skipf("not in a git checkout (%v): no list of the sources", err)
	}
	src := t.TempDir()
	for _, f := range strings.Split(strings.TrimRight(string(files), "\x00"), "\x00") {
		data, err := os.ReadFile(filepath.Join("..", "..", f))
		if errors.Is(err, fs.ErrNotExist) {
			continue // deleted, not yet committed
		} else if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Join(src, filepath.Dir(f)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(src, f), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	gitIn := func(args ...string) string {
		t.Helper()
		cmd := exec.Command(git, append([]string{"-c", "user.name=test", "-c", "user.email=test@example.com"}, args...)...)
		cmd.Dir = src
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return strings.TrimSpace(string(out))
	}
	gitIn("init", "-q")
	gitIn("add", "-A")
	gitIn("commit", "-q", "-m", "the tree under test")
	rev := gitIn("rev-parse", "HEAD")[:12]
	if err := os.WriteFile(filepath.Join(src, "README.md"), []byte("changed\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(t.TempDir(), "whyrefused")
	build := exec.Command("go", "build", "-buildvcs=true", "-o", bin, "./cmd/whyrefused")
	build.Dir = src
	build.Env = append(os.Environ(), "GOFLAGS=") // this machine may turn stamping off
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	out, err := exec.Command(bin, "--version").Output()
	if err != nil {
		t.Fatal(err)
	}
	v := strings.TrimSpace(string(out))
	if !strings.HasPrefix(v, "whyrefused v0.0.0-") || !strings.Contains(v, "(revision "+rev+", ") || !strings.HasSuffix(v, ", modified)") {
		t.Errorf("--version of a go build at %s with a change: %q", rev, v)
	}
}
